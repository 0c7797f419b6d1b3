//! Counting what a unit of work asks of the database.

use std::future::Future;
use std::sync::atomic::{AtomicU32, Ordering};

/// What one unit of work (a request) asked of the database: statements sent, transactions
/// begun, and changes made outside a transaction. Counted for the task that runs inside
/// [`measured`]; elsewhere nothing is counted. The web layer reads it per request, for
/// /metrics and for the tests that hold every request to one transaction per action and
/// no query per row.
#[derive(Debug, Default)]
pub struct Usage {
    pub(super) queries: AtomicU32,
    pub(super) transactions: AtomicU32,
    pub(super) bare_writes: AtomicU32,
    pub(super) bookkeeping: AtomicU32,
}

/// A reading of [`Usage`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UsageCounts {
    /// Statements sent (reads and writes, inside or outside transactions).
    pub queries: u32,
    /// Transactions begun.
    pub transactions: u32,
    /// Changing statements sent outside any transaction (each its own commit).
    pub bare_writes: u32,
    /// Bookkeeping writes outside a transaction that are not anyone's change (a session's
    /// last-seen time), sent through [`Db::execute_bookkeeping`](super::Db::execute_bookkeeping).
    pub bookkeeping: u32,
}

impl Usage {
    pub fn counts(&self) -> UsageCounts {
        UsageCounts {
            queries: self.queries.load(Ordering::Relaxed),
            transactions: self.transactions.load(Ordering::Relaxed),
            bare_writes: self.bare_writes.load(Ordering::Relaxed),
            bookkeeping: self.bookkeeping.load(Ordering::Relaxed),
        }
    }
}

tokio::task_local! {
    static USAGE: std::sync::Arc<Usage>;
}

/// Runs `f` counting its database use into `usage`.
pub async fn measured<F: Future>(usage: std::sync::Arc<Usage>, f: F) -> F::Output {
    USAGE.scope(usage, f).await
}

pub(super) fn note(f: impl FnOnce(&Usage)) {
    let _ = USAGE.try_with(|u| f(u));
}

pub(super) fn note_query() {
    note(|u| {
        u.queries.fetch_add(1, Ordering::Relaxed);
    });
}
