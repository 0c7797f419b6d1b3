//! Safe retries of API writes: the `Idempotency-Key` a client sends is written by the
//! commit of the write it names (the key is *pending* for the request, see [`scope`], and
//! [`crate::Tx::commit`] inserts it inside the transaction), so the key's row exists
//! exactly when the write committed, on both backends. The answer is stored beside it
//! when the request ends ([`answer`]). A retry then finds the row: with an answer it gets
//! that answer again; without one (the node died between the commit and the answer) it is
//! told the write was done, never done twice.

use std::cell::RefCell;
use std::future::Future;

use crate::exec::{q, row_struct, Db, Result, Tx};

/// The key of the request being handled, until its first commit writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    pub principal: String,
    pub key: String,
    pub fingerprint: String,
}

tokio::task_local! {
    static PENDING: RefCell<Option<Pending>>;
}

/// Runs `f` (the request) with `pending` as its key: the first transaction it commits
/// writes the key.
pub async fn scope<F: Future>(pending: Pending, f: F) -> F::Output {
    PENDING.scope(RefCell::new(Some(pending)), f).await
}

/// Writes the pending key, if any, into the transaction about to commit.
pub(crate) async fn write_pending(tx: &mut Tx) -> Result<()> {
    let Some(p) = PENDING.try_with(|c| c.borrow_mut().take()).ok().flatten() else {
        return Ok(());
    };
    tx.execute(
        q(
            "INSERT INTO idempotency_keys (principal, idem_key, fingerprint, created_ms) \
           VALUES ($1, $2, $3, $4)",
        )
        .bind(p.principal.as_str())
        .bind(p.key.as_str())
        .bind(p.fingerprint.as_str())
        .bind(crate::now_ms()),
    )
    .await?;
    Ok(())
}

row_struct! {
    /// A key as stored.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Stored {
        pub fingerprint: String,
        pub status: Option<i64>,
        pub body: Option<String>,
        pub content_type: String,
    }
}

/// The key `key` of `principal`, if a write with it committed.
pub async fn find(db: &Db, principal: &str, key: &str) -> Result<Option<Stored>> {
    db.fetch_optional_as(
        q(
            "SELECT fingerprint, status, body, content_type FROM idempotency_keys \
           WHERE principal = $1 AND idem_key = $2",
        )
        .bind(principal)
        .bind(key),
    )
    .await
}

/// Stores the answer of the request that committed with `key`.
pub async fn answer(
    db: &Db,
    principal: &str,
    key: &str,
    status: u16,
    body: &str,
    content_type: &str,
) -> Result<()> {
    db.execute_bookkeeping(
        q(
            "UPDATE idempotency_keys SET status = $1, body = $2, content_type = $3 \
           WHERE principal = $4 AND idem_key = $5 AND status IS NULL",
        )
        .bind(i64::from(status))
        .bind(body)
        .bind(content_type)
        .bind(principal)
        .bind(key),
    )
    .await?;
    Ok(())
}

/// Removes keys older than `before_ms` (the clean-up job keeps them a day).
pub async fn forget(db: &Db, before_ms: i64) -> Result<u64> {
    db.execute_bookkeeping(q("DELETE FROM idempotency_keys WHERE created_ms < $1").bind(before_ms))
        .await
}
