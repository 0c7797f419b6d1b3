//! The one query layer of danchu. Every query is written once, in SQL that SQLite and
//! PostgreSQL both accept (`$1` placeholders, `RETURNING`, `ON CONFLICT`, recursive CTEs,
//! integers as BIGINT, times as unix seconds/milliseconds, dates as `yyyy-mm-dd` text),
//! and runs on whichever backend the database URL names. Only `migrations/` differ per
//! backend where their DDL does (see [`migrate`]). See docs/adr/0001-storage.md.
//!
//! One folder per capability (`disclosures`, `documents`, `identity`, `plans`, `portal`,
//! `reporting`, `search`, `units`), split by use case; the shared kits stay flat:
//! `exec` (pools, the query builder, rows read as types declared with `row_struct!`),
//! `decode` (codes and JSON read back), `migrate`, `audit`, `media`, `settings`,
//! `backup`. A query built piece by piece numbers its own placeholders
//! ([`Query::push_bind`], [`Query::in_list`]).

pub mod audit;
pub mod backup;
pub mod changes;
pub mod decode;
pub mod disclosures;
pub mod documents;
mod exec;
pub mod idempotency;
pub mod identity;
pub mod jobs;
pub mod media;
pub mod migrate;
pub mod outbox;
pub mod plans;
pub mod portal;
pub mod reporting;
pub mod search;
pub mod settings;
pub mod units;

// The paths the web and binary crates use: identity's parts by their own names, and the
// search index by its former module name.
pub use identity::{api_tokens, sessions, users};
pub use search as search_index;

pub use exec::{
    measured, q, Backend, Db, DbError, Exec, Query, Row, Tx, Usage, UsageCounts, Value,
};

/// Runs `write` in a transaction of its own: committed when it succeeds, dropped (rolled
/// back) when it fails. For the use cases that are one `…_in(tx, …)` call.
pub async fn in_tx<T>(
    db: &Db,
    write: impl AsyncFnOnce(&mut Tx) -> Result<T, DbError>,
) -> Result<T, DbError> {
    let mut tx = db.begin().await?;
    let out = write(&mut tx).await?;
    tx.commit().await?;
    Ok(out)
}

/// Current unix time in seconds.
pub fn now_s() -> i64 {
    now_ms() / 1000
}

/// Current unix time in milliseconds.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Today's date in Vietnam.
pub fn today_vn_date() -> time::Date {
    time::OffsetDateTime::now_utc()
        .to_offset(danchu_core::text::VN_OFFSET)
        .date()
}

/// Today's date in Vietnam as `yyyy-mm-dd` (for text kept as text: visit counters).
pub fn today_vn() -> String {
    danchu_core::text::iso_date(today_vn_date())
}
