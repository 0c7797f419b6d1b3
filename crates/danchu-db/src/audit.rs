//! Appending to and reading the hash-chained audit log. Every change made through the
//! product calls [`append`] inside the same transaction as the change, so a change and
//! its audit entry commit or roll back together.

pub use danchu_core::audit::{action, AuditRecord};
use danchu_core::audit::{entry_hash, ChainError, ChainVerifier};
use serde::Serialize;

use crate::decode::col;
use crate::exec::{q, row_struct, Db, Query, Result, Tx, Value};

/// Who made a change: a signed-in user's username, or `system` for the CLI.
#[derive(Debug, Clone)]
pub struct Actor(pub String);

impl Actor {
    pub fn system() -> Actor {
        Actor("system".into())
    }
}

/// One change to record.
#[derive(Debug, Clone)]
pub struct Entry {
    pub action: String,
    pub entity_type: String,
    pub entity_id: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

impl Entry {
    pub fn new<B: Serialize + ?Sized, A: Serialize + ?Sized>(
        action: &str,
        entity_type: &str,
        entity_id: &str,
        before: Option<&B>,
        after: Option<&A>,
    ) -> Entry {
        Entry {
            action: action.into(),
            entity_type: entity_type.into(),
            entity_id: entity_id.into(),
            before: to_json(before),
            after: to_json(after),
        }
    }
}

fn to_json<T: Serialize + ?Sized>(v: Option<&T>) -> Option<String> {
    v.and_then(|v| serde_json::to_string(v).ok())
}

/// Appends one entry. Must be called inside the transaction that makes the change.
pub async fn append<B: Serialize + ?Sized, A: Serialize + ?Sized>(
    tx: &mut Tx,
    actor: &Actor,
    action: &str,
    entity_type: &str,
    entity_id: &str,
    before: Option<&B>,
    after: Option<&A>,
) -> Result<i64> {
    record(action, entity_type, entity_id)
        .append(tx, actor, before, after)
        .await
}

/// An entry about to be written: what was done (`action`) to which entity, named as the
/// log names it (`"unit"` and its code, `"document"` and its number). The methods say
/// which side of the change exists, so no call spells out an empty side.
pub(crate) struct Record<'a> {
    action: &'a str,
    entity_type: &'a str,
    entity_id: String,
}

/// The entry for `action` on the entity `entity_type` `entity_id`.
pub(crate) fn record<'a>(
    action: &'a str,
    entity_type: &'a str,
    entity_id: impl ToString,
) -> Record<'a> {
    Record {
        action,
        entity_type,
        entity_id: entity_id.to_string(),
    }
}

impl Record<'_> {
    /// Records the entry with either side of the change, or both.
    pub(crate) async fn append<B: Serialize + ?Sized, A: Serialize + ?Sized>(
        self,
        tx: &mut Tx,
        actor: &Actor,
        before: Option<&B>,
        after: Option<&A>,
    ) -> Result<i64> {
        let entry = Entry::new(
            self.action,
            self.entity_type,
            &self.entity_id,
            before,
            after,
        );
        append_many(tx, actor, vec![entry]).await
    }

    /// Records a state with nothing before it (what was made, a sign-in).
    pub(crate) async fn after<A: Serialize + ?Sized>(
        self,
        tx: &mut Tx,
        actor: &Actor,
        after: &A,
    ) -> Result<i64> {
        self.append(tx, actor, None::<&()>, Some(after)).await
    }

    /// Records a change from `before` to `after`.
    pub(crate) async fn changed<B: Serialize + ?Sized, A: Serialize + ?Sized>(
        self,
        tx: &mut Tx,
        actor: &Actor,
        before: &B,
        after: &A,
    ) -> Result<i64> {
        self.append(tx, actor, Some(before), Some(after)).await
    }

    /// Records a state with nothing after it (what was removed).
    pub(crate) async fn before<B: Serialize + ?Sized>(
        self,
        tx: &mut Tx,
        actor: &Actor,
        before: &B,
    ) -> Result<i64> {
        self.append(tx, actor, Some(before), None::<&()>).await
    }

    /// Runs `update`, the statement that changes the row, and records the change from
    /// `before` to `after`; returns the rows the statement changed.
    pub(crate) async fn update<T: Serialize + ?Sized>(
        self,
        tx: &mut Tx,
        actor: &Actor,
        update: Query,
        before: &T,
        after: &T,
    ) -> Result<u64> {
        let changed = tx.execute(update).await?;
        self.changed(tx, actor, before, after).await?;
        Ok(changed)
    }
}

/// Appends entries in order; returns the last sequence number. Inserts in batches, so an
/// import of thousands of units stays fast.
pub async fn append_many(tx: &mut Tx, actor: &Actor, entries: Vec<Entry>) -> Result<i64> {
    let n = entries.len() as i64;
    if n == 0 {
        return Ok(0);
    }
    // Taking the head row's write lock first serialises appends across connections and
    // nodes; the returned hash is the previous entry's.
    let (last_seq, mut prev_hash): (i64, String) = tx
        .fetch_optional_as(
            q("UPDATE audit_head SET seq = seq + $1 WHERE id = 1 RETURNING seq, hash").bind(n),
        )
        .await?
        .ok_or_else(|| crate::DbError::Invalid("audit_head missing".into()))?;
    let at_ms = crate::now_ms();
    let mut seq = last_seq - n;
    for batch in entries.chunks(100) {
        let mut query = q(
            "INSERT INTO audit_log (seq, at_ms, actor, action, entity_type, entity_id, before_json, after_json, prev_hash, hash) VALUES ",
        );
        for (i, e) in batch.iter().enumerate() {
            seq += 1;
            let hash = entry_hash(
                &prev_hash,
                seq,
                at_ms,
                &actor.0,
                &e.action,
                &e.entity_type,
                &e.entity_id,
                e.before.as_deref(),
                e.after.as_deref(),
            );
            if i > 0 {
                query = query.push(", ");
            }
            query = query.push_values([
                Value::from(seq),
                Value::from(at_ms),
                Value::from(actor.0.as_str()),
                Value::from(e.action.as_str()),
                Value::from(e.entity_type.as_str()),
                Value::from(e.entity_id.as_str()),
                Value::from(e.before.clone()),
                Value::from(e.after.clone()),
                Value::from(prev_hash.as_str()),
                Value::from(hash.as_str()),
            ]);
            prev_hash = hash;
        }
        tx.execute(query).await?;
    }
    tx.execute(q("UPDATE audit_head SET hash = $1 WHERE id = 1").bind(&prev_hash))
        .await?;
    Ok(last_seq)
}

row_struct! {
    impl AuditRecord {
        seq,
        at_ms,
        actor,
        action,
        entity_type,
        entity_id,
        before = col::named("before_json"),
        after = col::named("after_json"),
        prev_hash,
        hash,
    }
}

const COLUMNS: &str =
    "seq, at_ms, actor, action, entity_type, entity_id, before_json, after_json, prev_hash, hash";

/// The outcome of walking the whole chain.
#[derive(Debug)]
pub struct Verification {
    pub checked: u64,
    pub error: Option<ChainError>,
    /// Set when the rows are intact but the head says more entries existed (the newest
    /// rows were removed).
    pub truncated: Option<(i64, i64)>,
}

/// Walks the chain in pages of 1 000 rows. The head is read first and the walk stops at
/// it, so entries appended while verifying do not count as damage.
pub async fn verify(db: &Db) -> Result<Verification> {
    let (head_seq, head_hash): (i64, String) = db
        .fetch_optional_as(q("SELECT seq, hash FROM audit_head WHERE id = 1"))
        .await?
        .unwrap_or((-1, String::new()));
    let mut v = ChainVerifier::default();
    let mut last_seq = 0i64;
    let mut last_hash = danchu_core::audit::GENESIS.to_string();
    loop {
        let rows: Vec<AuditRecord> = db
            .fetch_all_as(
                q(format!("SELECT {COLUMNS} FROM audit_log WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT 1000"))
                    .bind(last_seq)
                    .bind(head_seq.max(0)),
            )
            .await?;
        if rows.is_empty() {
            break;
        }
        for r in rows {
            if let Err(e) = v.push(&r) {
                return Ok(Verification {
                    checked: v.checked,
                    error: Some(e),
                    truncated: None,
                });
            }
            last_seq = r.seq;
            last_hash = r.hash;
        }
    }
    let truncated =
        (head_seq != last_seq || head_hash != last_hash).then_some((head_seq, last_seq));
    Ok(Verification {
        checked: v.checked,
        error: None,
        truncated,
    })
}

/// Filters for browsing the log in the admin UI.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    /// Inclusive bounds in unix milliseconds.
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
    /// Show entries older than this seq (keyset pagination).
    pub before_seq: Option<i64>,
}

/// Newest first, at most `limit` entries. Every filter is bound, never spliced.
pub async fn list(db: &Db, f: &Filter, limit: i64) -> Result<Vec<AuditRecord>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM audit_log
         WHERE ($1 IS NULL OR actor = $1)
           AND ($2 IS NULL OR action = $2)
           AND ($3 IS NULL OR entity_type = $3)
           AND ($4 IS NULL OR entity_id = $4)
           AND ($5 IS NULL OR at_ms >= $5)
           AND ($6 IS NULL OR at_ms <= $6)
           AND ($7 IS NULL OR seq < $7)
         ORDER BY seq DESC LIMIT $8"
    );
    db.fetch_all_as(
        q(sql)
            .bind(f.actor.clone())
            .bind(f.action.clone())
            .bind(f.entity_type.clone())
            .bind(f.entity_id.clone())
            .bind(f.from_ms)
            .bind(f.to_ms)
            .bind(f.before_seq)
            .bind(limit),
    )
    .await
}

/// Distinct action names, for the filter drop-down.
pub async fn actions(db: &Db) -> Result<Vec<String>> {
    db.fetch_scalars(q("SELECT DISTINCT action FROM audit_log ORDER BY action"))
        .await
}
