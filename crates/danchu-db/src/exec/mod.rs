//! Connection pools, bound values, rows and transactions over both backends.
//!
//! - `value`: values bound to placeholders.
//! - `query`: the query builder.
//! - `row`: result rows and the types read from them.
//! - `connect`: opening a database from its URL.
//! - `usage`: counting what a request asks of the database.
//! - `bulk`: many rows in a few statements.

use std::future::Future;
use std::sync::atomic::Ordering;

use sqlx::postgres::PgPool;
use sqlx::sqlite::SqlitePool;
use sqlx::{Postgres, Sqlite};

mod bulk;
mod connect;
mod query;
mod row;
mod usage;
mod value;

pub use bulk::{insert_rows, link_all, set_ordered, IN_CHUNK};
pub use query::{q, Query};
pub(crate) use row::row_struct;
pub use row::{Decodable, FromRow, Owned, Row};
pub use usage::{measured, Usage, UsageCounts};
use usage::{note, note_query};
pub use value::Value;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("{0}")]
    Config(String),
    #[error("lỗi cơ sở dữ liệu: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("{0}")]
    Invalid(String),
    /// Refused input, each reason with the field it is about (shown next to the field).
    #[error("{}", .0.iter().map(|(_, m)| m.as_str()).collect::<Vec<_>>().join(" "))]
    Refused(Vec<(&'static str, String)>),
    #[error("không tìm thấy")]
    NotFound,
    /// What our own database holds cannot be read: an unknown code, a damaged JSON body,
    /// a missing setting (see [`crate::decode`]). A fault of the data, never of the
    /// request: the request fails with a logged server error rather than showing a
    /// figure computed from a guess.
    #[error("dữ liệu trong cơ sở dữ liệu không đọc được: {0}")]
    Data(String),
}

impl DbError {
    /// Whether the error is a UNIQUE constraint violation (same on both backends).
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, DbError::Sqlx(sqlx::Error::Database(e)) if e.is_unique_violation())
    }

    /// Whether the database could not be reached (restarting, overloaded, gone) rather
    /// than refusing the query: no connection within the pool's wait, a connection lost,
    /// or PostgreSQL shutting down or starting up (SQLSTATE class 08, 57P01–57P03). Such a
    /// request is answered 503, to be tried again.
    pub fn is_unavailable(&self) -> bool {
        match self {
            DbError::Sqlx(
                sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_),
            ) => true,
            DbError::Sqlx(sqlx::Error::Database(e)) => e.code().is_some_and(|c| {
                c.starts_with("08") || matches!(c.as_ref(), "57P01" | "57P02" | "57P03")
            }),
            _ => false,
        }
    }
}

pub type Result<T, E = DbError> = std::result::Result<T, E>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The sqlx query of a [`Query`], its values bound (placeholders checked in debug
/// builds: see [`Query::numbered_right`]).
macro_rules! bound {
    ($query:ident) => {{
        #[cfg(debug_assertions)]
        if let Err(why) = $query.numbered_right() {
            panic!("placeholders do not match the values bound: {why}");
        }
        let mut qq = sqlx::query(&$query.sql);
        for a in $query.args {
            qq = match a {
                Value::I64(v) => qq.bind(v),
                Value::F64(v) => qq.bind(v),
                Value::Text(v) => qq.bind(v),
                Value::Bool(v) => qq.bind(v),
                Value::Bytes(v) => qq.bind(v),
            };
        }
        qq
    }};
}

/// `rows`, each read as `T`.
fn rows_as<T: FromRow>(rows: Vec<Row>) -> Result<Vec<T>> {
    rows.iter().map(T::from_row).collect()
}

/// `row`, if any, read as `T`.
fn row_as<T: FromRow>(row: Option<Row>) -> Result<Option<T>> {
    row.as_ref().map(T::from_row).transpose()
}

/// The first column of each of `rows`.
fn firsts<T: Decodable>(rows: Vec<Row>) -> Result<Vec<T>> {
    rows.iter().map(Row::first).collect()
}

/// The first column of `row`, if any.
fn first<T: Decodable>(row: Option<Row>) -> Result<Option<T>> {
    row.as_ref().map(Row::first).transpose()
}

/// The typed reads, the same four on [`Db`] (`typed_reads!()`, through `&self`) and on
/// [`Tx`] (`typed_reads!(mut)`, through `&mut self`): a plain read, then decoding.
macro_rules! typed_reads {
    ($($mut:ident)?) => {
        /// The rows of `query`, each read as `T` (see `row_struct!`).
        pub async fn fetch_all_as<T: FromRow>(&$($mut)? self, query: Query) -> Result<Vec<T>> {
            rows_as(self.fetch_all(query).await?)
        }

        /// The first row of `query`, if any, read as `T`.
        pub async fn fetch_optional_as<T: FromRow>(
            &$($mut)? self,
            query: Query,
        ) -> Result<Option<T>> {
            row_as(self.fetch_optional(query).await?)
        }

        /// The first column of every row of `query` (`SELECT id …`).
        pub async fn fetch_scalars<T: Decodable>(&$($mut)? self, query: Query) -> Result<Vec<T>> {
            firsts(self.fetch_all(query).await?)
        }

        /// The first column of the first row of `query`, if there is a row
        /// (`SELECT COUNT(*) …`, `INSERT … RETURNING id`).
        pub async fn fetch_scalar<T: Decodable>(
            &$($mut)? self,
            query: Query,
        ) -> Result<Option<T>> {
            first(self.fetch_optional(query).await?)
        }
    };
}

/// The database: a SQLite file (a read pool and a single-connection write pool, so writers
/// queue in-process instead of failing with SQLITE_BUSY) or a PostgreSQL pool.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite { read: SqlitePool, write: SqlitePool },
    Postgres(PgPool),
}

/// A transaction on either backend. Dropped without `commit` it rolls back.
pub enum Tx {
    Sqlite(sqlx::Transaction<'static, Sqlite>),
    Postgres(sqlx::Transaction<'static, Postgres>),
}

impl Db {
    /// Whether the database answers (for `/healthz`).
    pub async fn ping(&self) -> Result<()> {
        self.fetch_optional(q("SELECT 1 AS ok"))
            .await?
            .map(|_| ())
            .ok_or(DbError::NotFound)
    }

    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite { .. } => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// (connections open, idle) for /metrics.
    pub fn pool_stats(&self) -> (u32, usize) {
        match self {
            Db::Sqlite { read, write } => (
                read.size() + write.size(),
                read.num_idle() + write.num_idle(),
            ),
            Db::Postgres(p) => (p.size(), p.num_idle()),
        }
    }

    /// Closes the database, after chaining the audit entries still waiting (a command
    /// that changed something leaves none behind; see [`crate::audit::chain_pending`]).
    pub async fn close(&self) {
        if let Err(e) = crate::audit::chain_pending(self).await {
            tracing::warn!(error = %e, "audit: could not chain the waiting entries before closing");
        }
        match self {
            Db::Sqlite { read, write } => {
                read.close().await;
                write.close().await;
            }
            Db::Postgres(p) => p.close().await,
        }
    }

    pub async fn begin(&self) -> Result<Tx> {
        note(|u| {
            u.transactions.fetch_add(1, Ordering::Relaxed);
        });
        Ok(match self {
            // IMMEDIATE takes the write lock at BEGIN, so a transaction that reads before it
            // writes cannot fail with SQLITE_BUSY_SNAPSHOT when another process (the CLI)
            // writes at the same time; busy_timeout makes it wait instead.
            Db::Sqlite { write, .. } => Tx::Sqlite(write.begin_with("BEGIN IMMEDIATE").await?),
            Db::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }

    pub async fn fetch_all(&self, query: Query) -> Result<Vec<Row>> {
        note_query();
        Ok(match self {
            Db::Sqlite { read, .. } => bound!(query)
                .fetch_all(read)
                .await?
                .into_iter()
                .map(Row::Sqlite)
                .collect(),
            Db::Postgres(p) => bound!(query)
                .fetch_all(p)
                .await?
                .into_iter()
                .map(Row::Postgres)
                .collect(),
        })
    }

    typed_reads!();

    pub async fn fetch_optional(&self, query: Query) -> Result<Option<Row>> {
        note_query();
        Ok(match self {
            Db::Sqlite { read, .. } => bound!(query).fetch_optional(read).await?.map(Row::Sqlite),
            Db::Postgres(p) => bound!(query).fetch_optional(p).await?.map(Row::Postgres),
        })
    }

    /// Runs a statement that changes data (on SQLite through the write connection).
    pub async fn execute(&self, query: Query) -> Result<u64> {
        note(|u| {
            u.queries.fetch_add(1, Ordering::Relaxed);
            u.bare_writes.fetch_add(1, Ordering::Relaxed);
        });
        Ok(match self {
            Db::Sqlite { write, .. } => bound!(query).execute(write).await?.rows_affected(),
            Db::Postgres(p) => bound!(query).execute(p).await?.rows_affected(),
        })
    }

    /// Runs a bookkeeping write that is nobody's change (a session's last-seen time):
    /// counted apart from [`Db::execute`], so the rule "a read writes nothing" stays
    /// checkable.
    pub async fn execute_bookkeeping(&self, query: Query) -> Result<u64> {
        note(|u| {
            u.queries.fetch_add(1, Ordering::Relaxed);
            u.bookkeeping.fetch_add(1, Ordering::Relaxed);
        });
        Ok(match self {
            Db::Sqlite { write, .. } => bound!(query).execute(write).await?.rows_affected(),
            Db::Postgres(p) => bound!(query).execute(p).await?.rows_affected(),
        })
    }

    /// Runs several statements of a migration file.
    pub(crate) async fn raw_in(tx: &mut Tx, sql: &str) -> Result<()> {
        match tx {
            Tx::Sqlite(t) => {
                sqlx::raw_sql(sql).execute(&mut **t).await?;
            }
            Tx::Postgres(t) => {
                sqlx::raw_sql(sql).execute(&mut **t).await?;
            }
        }
        Ok(())
    }
}

impl Tx {
    pub fn backend(&self) -> Backend {
        match self {
            Tx::Sqlite(_) => Backend::Sqlite,
            Tx::Postgres(_) => Backend::Postgres,
        }
    }

    /// Commits; a request that sent an `Idempotency-Key` writes it here, in the same
    /// transaction ([`crate::idempotency`]).
    pub async fn commit(mut self) -> Result<()> {
        crate::idempotency::write_pending(&mut self).await?;
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }

    pub async fn fetch_all(&mut self, query: Query) -> Result<Vec<Row>> {
        note_query();
        Ok(match self {
            Tx::Sqlite(t) => bound!(query)
                .fetch_all(&mut **t)
                .await?
                .into_iter()
                .map(Row::Sqlite)
                .collect(),
            Tx::Postgres(t) => bound!(query)
                .fetch_all(&mut **t)
                .await?
                .into_iter()
                .map(Row::Postgres)
                .collect(),
        })
    }

    typed_reads!(mut);

    pub async fn fetch_optional(&mut self, query: Query) -> Result<Option<Row>> {
        note_query();
        Ok(match self {
            Tx::Sqlite(t) => bound!(query)
                .fetch_optional(&mut **t)
                .await?
                .map(Row::Sqlite),
            Tx::Postgres(t) => bound!(query)
                .fetch_optional(&mut **t)
                .await?
                .map(Row::Postgres),
        })
    }

    pub async fn execute(&mut self, query: Query) -> Result<u64> {
        note_query();
        Ok(match self {
            Tx::Sqlite(t) => bound!(query).execute(&mut **t).await?.rows_affected(),
            Tx::Postgres(t) => bound!(query).execute(&mut **t).await?.rows_affected(),
        })
    }
}

/// Either the database or a transaction: functions that read and write through `Exec`
/// work inside a caller's transaction or on their own.
pub trait Exec: Send {
    fn fetch_all(&mut self, query: Query) -> impl Future<Output = Result<Vec<Row>>> + Send;
    fn fetch_optional(&mut self, query: Query) -> impl Future<Output = Result<Option<Row>>> + Send;
    fn execute(&mut self, query: Query) -> impl Future<Output = Result<u64>> + Send;

    /// The rows of `query`, each read as `T` (see `row_struct!`).
    fn fetch_all_as<T: FromRow>(
        &mut self,
        query: Query,
    ) -> impl Future<Output = Result<Vec<T>>> + Send {
        async move { rows_as(self.fetch_all(query).await?) }
    }

    /// The first row of `query`, if any, read as `T`.
    fn fetch_optional_as<T: FromRow>(
        &mut self,
        query: Query,
    ) -> impl Future<Output = Result<Option<T>>> + Send {
        async move { row_as(self.fetch_optional(query).await?) }
    }

    /// The first column of every row of `query`.
    fn fetch_scalars<T: Decodable>(
        &mut self,
        query: Query,
    ) -> impl Future<Output = Result<Vec<T>>> + Send {
        async move { firsts(self.fetch_all(query).await?) }
    }

    /// The first column of the first row of `query`, if there is a row.
    fn fetch_scalar<T: Decodable>(
        &mut self,
        query: Query,
    ) -> impl Future<Output = Result<Option<T>>> + Send {
        async move { first(self.fetch_optional(query).await?) }
    }
}

impl Exec for Db {
    fn fetch_all(&mut self, query: Query) -> impl Future<Output = Result<Vec<Row>>> + Send {
        Db::fetch_all(self, query)
    }
    fn fetch_optional(&mut self, query: Query) -> impl Future<Output = Result<Option<Row>>> + Send {
        Db::fetch_optional(self, query)
    }
    fn execute(&mut self, query: Query) -> impl Future<Output = Result<u64>> + Send {
        Db::execute(self, query)
    }
}

impl Exec for Tx {
    fn fetch_all(&mut self, query: Query) -> impl Future<Output = Result<Vec<Row>>> + Send {
        Tx::fetch_all(self, query)
    }
    fn fetch_optional(&mut self, query: Query) -> impl Future<Output = Result<Option<Row>>> + Send {
        Tx::fetch_optional(self, query)
    }
    fn execute(&mut self, query: Query) -> impl Future<Output = Result<u64>> + Send {
        Tx::execute(self, query)
    }
}

/// A fresh SQLite database in a temporary file, for unit tests that need real rows.
/// Removed (with its WAL files) when the guard drops.
#[cfg(test)]
pub(crate) struct TempSqlite {
    pub db: Db,
    path: std::path::PathBuf,
}

#[cfg(test)]
impl TempSqlite {
    pub async fn new(name: &str) -> TempSqlite {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let path = std::env::temp_dir().join(format!(
            "danchu-db-{name}-{}-{nanos}.sqlite",
            std::process::id()
        ));
        let url = format!("sqlite://{}", path.display());
        let db = Db::connect(&url, 2)
            .await
            .expect("temporary SQLite database");
        TempSqlite { db, path }
    }
}

#[cfg(test)]
impl Drop for TempSqlite {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let mut p = self.path.clone().into_os_string();
            p.push(suffix);
            let _ = std::fs::remove_file(p);
        }
    }
}
