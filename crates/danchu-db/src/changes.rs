//! "Content changed": how the nodes sharing a PostgreSQL database empty each other's page
//! caches within a second. The node that made a change [`announce`]s it (PostgreSQL
//! `NOTIFY`, delivered to every listening session once the change is committed); every
//! node [`listen`]s and empties its cache on each notification. A listener that loses its
//! connection empties its cache when it is back (it may have missed a notification), and
//! the cache's few seconds of life stay as the last resort. SQLite has one process, so
//! there is nobody to tell.

use std::sync::Arc;
use std::time::Duration;

use crate::exec::{q, Db, Result};

/// The PostgreSQL channel of the notifications.
pub const CHANNEL: &str = "danchu_changes";

/// Tells the other nodes that content changed (nothing on SQLite).
pub async fn announce(db: &Db, node: &str) -> Result<()> {
    if let Db::Postgres(_) = db {
        db.execute_bookkeeping(q("SELECT pg_notify($1, $2)").bind(CHANNEL).bind(node))
            .await?;
    }
    Ok(())
}

/// Announces this node's changes without making anyone wait for it, with at most one
/// notification in flight: the changes made while one is being sent are announced by a
/// single one after it. A burst of writes costs two notifications, not one each (every
/// `NOTIFY` takes a lock that all committing notifiers share, so one per write would
/// serialise the cluster's writes on it).
#[derive(Clone, Default)]
pub struct Announcer {
    wake: Option<Arc<tokio::sync::Notify>>,
}

impl Announcer {
    /// The announcer of `node` (a task that sends the notifications; none on SQLite).
    /// Call inside a Tokio runtime.
    pub fn spawn(db: &Db, node: String) -> Announcer {
        if !matches!(db, Db::Postgres(_)) {
            return Announcer::default();
        }
        let wake = Arc::new(tokio::sync::Notify::new());
        let (db, waiting) = (db.clone(), wake.clone());
        tokio::spawn(async move {
            loop {
                waiting.notified().await;
                if let Err(e) = announce(&db, &node).await {
                    // The other nodes' caches expire by themselves within seconds.
                    tracing::warn!(error = %e, "could not tell the other nodes of a change");
                }
            }
        });
        Announcer { wake: Some(wake) }
    }

    /// Tells the other nodes, soon, that content changed.
    pub fn announce(&self) {
        if let Some(w) = &self.wake {
            w.notify_one();
        }
    }
}

/// Calls `on_change` for every change another node announces, until the task is aborted.
/// `None` on SQLite.
pub fn listen(
    db: &Db,
    node: String,
    on_change: Arc<dyn Fn() + Send + Sync>,
) -> Option<tokio::task::JoinHandle<()>> {
    let Db::Postgres(pool) = db else {
        return None;
    };
    let pool = pool.clone();
    Some(tokio::spawn(async move {
        loop {
            let mut listener = match sqlx::postgres::PgListener::connect_with(&pool).await {
                Ok(l) => l,
                Err(e) => {
                    tracing::debug!(error = %e, "changes: cannot listen yet");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    continue;
                }
            };
            if let Err(e) = listener.listen(CHANNEL).await {
                tracing::debug!(error = %e, "changes: LISTEN failed");
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
            // Listening (again): whatever was announced meanwhile is unknown.
            on_change();
            loop {
                match listener.try_recv().await {
                    Ok(Some(n)) if n.payload() == node => {}
                    Ok(Some(_)) => on_change(),
                    // The connection was lost; the next call reconnects and re-listens.
                    Ok(None) => on_change(),
                    Err(e) => {
                        tracing::debug!(error = %e, "changes: listener lost");
                        break;
                    }
                }
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }))
}
