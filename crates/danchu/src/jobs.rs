//! The job runner of a node. Every second it offers each job to the database
//! ([`danchu_db::jobs::claim`]); the node that wins a due time runs it, in its own task,
//! bounded below the job's lease, and records how it ended. Several nodes run the same
//! loop: a due time runs on one of them, and when that node dies its lease lapses and the
//! next node to poll runs the job again (every job is idempotent: it works from what the
//! database holds, not from what the dead node had done).

use std::sync::Arc;
use std::time::Duration;

use danchu_core::jobs::{Job, Outcome};
use danchu_core::outbox::State;
use danchu_db::Db;
use tokio::task::JoinSet;

use crate::notify::{DeliveryError, Senders};

/// How often a node offers the jobs to the database.
pub const POLL: Duration = Duration::from_secs(1);
/// How many messages one outbox run claims.
const OUTBOX_BATCH: i64 = 20;
/// How long a node holds a claimed message (longer than a send's timeout).
const OUTBOX_HOLD_MS: i64 = 60_000;
/// What the clean-up job keeps: job runs for 30 days, sent messages for 90.
const KEEP_RUNS_MS: i64 = 30 * 86_400_000;
const KEEP_SENT_MS: i64 = 90 * 86_400_000;
/// Idempotency keys are kept a day: long enough for any client's retries.
const KEEP_KEYS_MS: i64 = 86_400_000;

/// What a node's jobs need.
#[derive(Clone)]
pub struct Runner {
    pub db: Db,
    /// This node's name in leases, runs and claims (`DANCHU_NODE`, default host and pid).
    pub node: String,
    pub senders: Senders,
    pub max_attempts: u32,
    /// Called when content became visible without anyone's request (a scheduled article's
    /// time came): empties this node's page cache and tells the other nodes.
    pub on_content_change: Arc<dyn Fn() + Send + Sync>,
}

/// A running job loop; [`Handle::stop`] lets running jobs finish (bounded) and returns.
pub struct Handle {
    stop: tokio::sync::watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl Handle {
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

/// The default node name: host name and process id.
pub fn default_node_name() -> String {
    let host = std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "danchu".into());
    format!("{host}-{}", std::process::id())
}

/// Starts the loop on this node.
pub fn spawn(runner: Runner) -> Handle {
    let (stop, mut stopped) = tokio::sync::watch::channel(false);
    let task = tokio::spawn(async move {
        if let Err(e) = danchu_db::jobs::ensure(&runner.db, danchu_db::now_ms()).await {
            tracing::warn!(error = %e, "jobs: could not register the jobs; will retry");
        }
        let mut running: JoinSet<()> = JoinSet::new();
        let mut tick = tokio::time::interval(POLL);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                _ = stopped.changed() => break,
            }
            while running.try_join_next().is_some() {}
            offer(&runner, &mut running).await;
        }
        // Running jobs finish (each is bounded below its lease); nothing new starts.
        while running.join_next().await.is_some() {}
    });
    Handle { stop, task }
}

/// Offers every due job once; each one won runs in its own task.
async fn offer(runner: &Runner, running: &mut JoinSet<()>) {
    let due = match danchu_db::jobs::due(&runner.db, danchu_db::now_ms()).await {
        Ok(d) => d,
        Err(e) => {
            // The database is away (restarting): the next tick tries again.
            tracing::debug!(error = %e, "jobs: cannot read the due jobs");
            return;
        }
    };
    for job in due {
        let claim = match danchu_db::jobs::claim(&runner.db, job, &runner.node, danchu_db::now_ms())
            .await
        {
            Ok(Some(c)) => c,
            Ok(None) => continue,
            Err(e) => {
                // The database is away (restarting): the next tick tries again.
                tracing::debug!(job = job.code(), error = %e, "jobs: claim failed");
                continue;
            }
        };
        let runner = runner.clone();
        running.spawn(async move {
            // Bounded below the lease, so no other node starts it while it still runs.
            let limit = job.lease().saturating_sub(Duration::from_secs(5));
            let outcome = match tokio::time::timeout(limit, run(&runner, job)).await {
                Ok(o) => o,
                Err(_) => Outcome::Failed(format!("quá thời gian {} giây", limit.as_secs())),
            };
            if let Outcome::Failed(why) = &outcome {
                tracing::warn!(job = job.code(), error = %why, "job failed");
            }
            match danchu_db::jobs::finish(&runner.db, &claim, &outcome, danchu_db::now_ms()).await {
                Ok(true) => {}
                Ok(false) => tracing::warn!(
                    job = job.code(),
                    "job finished after its lease lapsed; another node has it"
                ),
                Err(e) => {
                    tracing::warn!(job = job.code(), error = %e, "jobs: could not record the run")
                }
            }
        });
    }
}

/// One run of `job`.
pub async fn run(runner: &Runner, job: Job) -> Outcome {
    let result = match job {
        Job::Outbox => deliver(runner).await,
        Job::PublishScheduled => publish_scheduled(runner).await,
        Job::CleanUp => clean_up(runner).await,
    };
    match result {
        Ok(Some(done)) => Outcome::Done(done),
        Ok(None) => Outcome::Idle,
        Err(e) => Outcome::Failed(e),
    }
}

/// Sends one batch of due messages (`None`: none was due).
async fn deliver(runner: &Runner) -> Result<Option<String>, String> {
    let now = danchu_db::now_ms();
    let batch =
        danchu_db::outbox::claim(&runner.db, &runner.node, now, OUTBOX_BATCH, OUTBOX_HOLD_MS)
            .await
            .map_err(|e| e.to_string())?;
    let (mut sent, mut retried, mut parked) = (0, 0, 0);
    for m in &batch.messages {
        let result = match runner.senders.of(m.channel) {
            Some(s) => s.send(m).await,
            None => Err(DeliveryError::Temporary(format!(
                "kênh {} chưa được cấu hình",
                m.channel.label_vi()
            ))),
        };
        let now = danchu_db::now_ms();
        let db = &runner.db;
        let stored = match result {
            Ok(()) => danchu_db::outbox::sent(db, &batch.claim, m.id, now)
                .await
                .map(|ok| ok.then_some(State::Sent)),
            Err(DeliveryError::Temporary(e)) => {
                danchu_db::outbox::failed(db, &batch.claim, m, &e, now, runner.max_attempts).await
            }
            // A permanent failure parks at once.
            Err(DeliveryError::Permanent(e)) => {
                danchu_db::outbox::failed(db, &batch.claim, m, &e, now, 0).await
            }
        };
        match stored.map_err(|e| e.to_string())? {
            Some(State::Sent) => sent += 1,
            Some(State::Parked) => parked += 1,
            Some(_) => retried += 1,
            None => tracing::warn!(
                id = m.id,
                "outbox: claim lapsed before the result was recorded"
            ),
        }
    }
    if batch.messages.is_empty() {
        return Ok(None);
    }
    Ok(Some(format!(
        "{sent} đã gửi, {retried} sẽ thử lại, {parked} dừng gửi"
    )))
}

/// Makes scheduled articles whose time has come visible everywhere at once: the pages
/// cached before their time are emptied on every node.
async fn publish_scheduled(runner: &Runner) -> Result<Option<String>, String> {
    let now = danchu_db::now_s();
    let window = i64::try_from(Job::PublishScheduled.every().as_secs()).unwrap_or(60) * 2;
    let due = danchu_db::portal::became_visible(&runner.db, now - window, now)
        .await
        .map_err(|e| e.to_string())?;
    if due == 0 {
        return Ok(None);
    }
    (runner.on_content_change)();
    Ok(Some(format!("{due} bài đến giờ đăng")))
}

/// Removes what has expired: sessions, sign-in throttles, old job runs, old sent messages.
async fn clean_up(runner: &Runner) -> Result<Option<String>, String> {
    let db = &runner.db;
    let now = danchu_db::now_ms();
    let e = |e: danchu_db::DbError| e.to_string();
    let sessions = danchu_db::sessions::purge_expired(db).await.map_err(e)?;
    let throttles = danchu_db::sessions::purge_throttle(db).await.map_err(e)?;
    let runs = danchu_db::jobs::forget_runs(db, now - KEEP_RUNS_MS)
        .await
        .map_err(e)?;
    let sent = danchu_db::outbox::forget_sent(db, now - KEEP_SENT_MS)
        .await
        .map_err(e)?;
    let keys = danchu_db::idempotency::forget(db, now - KEEP_KEYS_MS)
        .await
        .map_err(e)?;
    Ok(Some(format!(
        "{sessions} phiên, {throttles} khóa đăng nhập, {runs} lượt chạy, {sent} thông báo, \
         {keys} khóa gửi lại đã xóa"
    )))
}
