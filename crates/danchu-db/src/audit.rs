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
) -> Result<()> {
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
    ) -> Result<()> {
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
    ) -> Result<()> {
        self.append(tx, actor, None::<&()>, Some(after)).await
    }

    /// Records a change from `before` to `after`.
    pub(crate) async fn changed<B: Serialize + ?Sized, A: Serialize + ?Sized>(
        self,
        tx: &mut Tx,
        actor: &Actor,
        before: &B,
        after: &A,
    ) -> Result<()> {
        self.append(tx, actor, Some(before), Some(after)).await
    }

    /// Records a state with nothing after it (what was removed).
    pub(crate) async fn before<B: Serialize + ?Sized>(
        self,
        tx: &mut Tx,
        actor: &Actor,
        before: &B,
    ) -> Result<()> {
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

/// Appends entries in order, inside the caller's transaction: they wait in
/// `audit_pending`, committed or rolled back with the change, until [`chain_pending`]
/// chains them (within a second: see [`Sequencer`]). A change takes no lock shared with
/// other changes (ADR 0008), so writes on several nodes do not queue on the chain's head.
/// Inserts in batches, so an import of thousands of units stays fast.
pub async fn append_many(tx: &mut Tx, actor: &Actor, entries: Vec<Entry>) -> Result<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let at_ms = crate::now_ms();
    for batch in entries.chunks(100) {
        let mut query = q(
            "INSERT INTO audit_pending (at_ms, actor, action, entity_type, entity_id, before_json, after_json) VALUES ",
        );
        for (i, e) in batch.iter().enumerate() {
            if i > 0 {
                query = query.push(", ");
            }
            query = query.push_values([
                Value::from(at_ms),
                Value::from(actor.0.as_str()),
                Value::from(e.action.as_str()),
                Value::from(e.entity_type.as_str()),
                Value::from(e.entity_id.as_str()),
                Value::from(e.before.clone()),
                Value::from(e.after.clone()),
            ]);
        }
        tx.execute(query).await?;
    }
    sequencer_wake().notify_one();
    Ok(())
}

row_struct! {
    /// An entry waiting to be chained.
    struct Pending {
        id: i64,
        at_ms: i64,
        actor: String,
        action: String,
        entity_type: String,
        entity_id: String,
        before_json: Option<String>,
        after_json: Option<String>,
    }
}

/// Entries chained per transaction of the sequencer.
const CHAIN_BATCH: i64 = 500;

/// Chains the waiting entries, oldest first, in transactions of up to 500 entries: each
/// takes the head row's lock, so two nodes chaining at once take turns, and the second
/// sees what the first chained (its read starts after the lock). An entry whose change
/// committed late (a lower number, a slower transaction) is chained in a later round,
/// after the ones already chained: the chain's order is the order of chaining. Returns
/// how many entries were chained.
pub async fn chain_pending(db: &Db) -> Result<u64> {
    // Most looks find nothing: a read, no lock, no write.
    if !any_waiting(db).await? {
        return Ok(0);
    }
    let mut chained = 0u64;
    loop {
        let mut tx = db.begin().await?;
        let (mut seq, mut prev_hash): (i64, String) = tx
            .fetch_optional_as(q(
                "UPDATE audit_head SET seq = seq WHERE id = 1 RETURNING seq, hash",
            ))
            .await?
            .ok_or_else(|| crate::DbError::Invalid("audit_head missing".into()))?;
        let waiting: Vec<Pending> = tx
            .fetch_all_as(
                q("SELECT id, at_ms, actor, action, entity_type, entity_id, before_json, after_json FROM audit_pending ORDER BY id LIMIT $1")
                    .bind(CHAIN_BATCH),
            )
            .await?;
        if waiting.is_empty() {
            tx.commit().await?;
            return Ok(chained);
        }
        for batch in waiting.chunks(100) {
            let mut query = q(
                "INSERT INTO audit_log (seq, at_ms, actor, action, entity_type, entity_id, before_json, after_json, prev_hash, hash) VALUES ",
            );
            for (i, e) in batch.iter().enumerate() {
                seq += 1;
                let hash = entry_hash(
                    &prev_hash,
                    seq,
                    e.at_ms,
                    &e.actor,
                    &e.action,
                    &e.entity_type,
                    &e.entity_id,
                    e.before_json.as_deref(),
                    e.after_json.as_deref(),
                );
                if i > 0 {
                    query = query.push(", ");
                }
                query = query.push_values([
                    Value::from(seq),
                    Value::from(e.at_ms),
                    Value::from(e.actor.as_str()),
                    Value::from(e.action.as_str()),
                    Value::from(e.entity_type.as_str()),
                    Value::from(e.entity_id.as_str()),
                    Value::from(e.before_json.clone()),
                    Value::from(e.after_json.clone()),
                    Value::from(prev_hash.as_str()),
                    Value::from(hash.as_str()),
                ]);
                prev_hash = hash;
            }
            tx.execute(query).await?;
        }
        let ids: Vec<i64> = waiting.iter().map(|e| e.id).collect();
        for chunk in ids.chunks(crate::exec::IN_CHUNK) {
            tx.execute(q("DELETE FROM audit_pending WHERE id IN ").in_list(chunk))
                .await?;
        }
        tx.execute(
            q("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
                .bind(seq)
                .bind(&prev_hash),
        )
        .await?;
        tx.commit().await?;
        chained += waiting.len() as u64;
        if (waiting.len() as i64) < CHAIN_BATCH {
            return Ok(chained);
        }
    }
}

/// How many entries wait to be chained.
pub async fn waiting(db: &Db) -> Result<i64> {
    Ok(db
        .fetch_scalar(q("SELECT COUNT(*) AS n FROM audit_pending"))
        .await?
        .unwrap_or(0))
}

/// Whether any entry waits to be chained (stops at the first one).
async fn any_waiting(db: &Db) -> Result<bool> {
    let first: Option<i64> = db
        .fetch_scalar(q("SELECT id FROM audit_pending LIMIT 1"))
        .await?;
    Ok(first.is_some())
}

/// Wakes this process's sequencer when entries were appended.
fn sequencer_wake() -> &'static tokio::sync::Notify {
    static WAKE: std::sync::OnceLock<tokio::sync::Notify> = std::sync::OnceLock::new();
    WAKE.get_or_init(tokio::sync::Notify::new)
}

/// The longest an entry waits to be chained while a node runs: the sequencer chains what
/// was appended a moment after it is told (a burst is chained in one go), and looks
/// again at least this often (for entries appended by another node or process).
pub const CHAIN_EVERY: std::time::Duration = std::time::Duration::from_millis(250);

/// The node's sequencer: chains the audit entries appended on any node, at most
/// [`CHAIN_EVERY`] after they were committed (a moment after, when they were appended
/// here). Every node runs one; they take turns on the head row.
pub struct Sequencer {
    stop: std::sync::Arc<tokio::sync::Notify>,
    task: tokio::task::JoinHandle<()>,
}

impl Sequencer {
    pub fn spawn(db: Db) -> Sequencer {
        let stop = std::sync::Arc::new(tokio::sync::Notify::new());
        let stopping = stop.clone();
        let task = tokio::spawn(async move {
            loop {
                tokio::select! {
                    _ = stopping.notified() => break,
                    _ = sequencer_wake().notified() => {
                        // Let the appending transaction commit, and the ones behind it.
                        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                    }
                    _ = tokio::time::sleep(CHAIN_EVERY) => {}
                }
                if let Err(e) = chain_pending(&db).await {
                    tracing::warn!(error = %e, "audit: could not chain the waiting entries yet");
                }
            }
        });
        Sequencer { stop, task }
    }

    /// Stops (at shutdown; [`Db::close`] chains what is still waiting).
    pub async fn stop(self) {
        self.stop.notify_one();
        let _ = self.task.await;
    }
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
    /// Entries committed but not chained yet when the walk ended (ADR 0008: they are
    /// chained within a second; `danchu audit verify` chains them before it walks).
    pub waiting: i64,
}

/// Walks the chain in pages of 1 000 rows, and counts the entries waiting to be chained
/// (it writes nothing: the admin's verify page is a GET). The head is read first and the walk stops at
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
                    waiting: waiting(db).await?,
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
        waiting: waiting(db).await?,
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
///
/// The first page (no `before_seq`) starts with the matching entries still waiting to be
/// chained (ADR 0008; [`AuditRecord::is_waiting`], newest first, up to `limit`), so a
/// change is listed the moment it committed; then come up to `limit` chained entries.
/// The next page starts before the last chained one.
pub async fn list(db: &Db, f: &Filter, limit: i64) -> Result<Vec<AuditRecord>> {
    // Both tables are filtered alike; $1…$6 are the filter's values.
    const FILTERED: &str = "($1 IS NULL OR actor = $1)
           AND ($2 IS NULL OR action = $2)
           AND ($3 IS NULL OR entity_type = $3)
           AND ($4 IS NULL OR entity_id = $4)
           AND ($5 IS NULL OR at_ms >= $5)
           AND ($6 IS NULL OR at_ms <= $6)";
    let filtered = |sql: String| {
        q(sql)
            .bind(f.actor.clone())
            .bind(f.action.clone())
            .bind(f.entity_type.clone())
            .bind(f.entity_id.clone())
            .bind(f.from_ms)
            .bind(f.to_ms)
    };
    let mut out: Vec<AuditRecord> = Vec::new();
    if f.before_seq.is_none() {
        // Waiting entries: no sequence number (0) and no hashes yet.
        out = db
            .fetch_all_as(
                filtered(format!(
                    "SELECT CAST(0 AS BIGINT) AS seq, at_ms, actor, action, entity_type, entity_id, before_json, after_json, '' AS prev_hash, '' AS hash
                     FROM audit_pending WHERE {FILTERED} ORDER BY id DESC LIMIT $7"
                ))
                .bind(limit),
            )
            .await?;
    }
    let chained: Vec<AuditRecord> = db
        .fetch_all_as(
            filtered(format!(
                "SELECT {COLUMNS} FROM audit_log WHERE {FILTERED} AND ($7 IS NULL OR seq < $7) ORDER BY seq DESC LIMIT $8"
            ))
            .bind(f.before_seq)
            .bind(limit),
        )
        .await?;
    out.extend(chained);
    Ok(out)
}

/// Distinct action names, for the filter drop-down.
pub async fn actions(db: &Db) -> Result<Vec<String>> {
    db.fetch_scalars(q(
        "SELECT action FROM audit_log UNION SELECT action FROM audit_pending ORDER BY action",
    ))
    .await
}
