//! The job runner's storage. A job is a row with its next due time; a node runs a due time
//! by claiming the row with a lease (one conditional UPDATE, the same SQL on both
//! backends: no advisory lock, so it holds behind a transaction pooler and on
//! PostgreSQL-compatible engines too). Only one claim of a due time can succeed while its
//! lease lasts; the claim's token must match when the run ends, so a node whose lease
//! lapsed (it stalled, another node took the job over) cannot record its run or move the
//! schedule. Times are the nodes' clocks (kept by NTP); a lease is long beside any skew.

use danchu_core::audit::action;
use danchu_core::jobs::{next_due, Job, Outcome};
use rand::RngCore;

use crate::audit::{self, Actor};
use crate::exec::{q, row_struct, Db, Result};

/// A due time this node holds the lease of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub job: Job,
    pub due_ms: i64,
    pub token: String,
    pub node: String,
    pub started_ms: i64,
    pub run_id: i64,
}

row_struct! {
    /// A job as the admin page shows it.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct JobRow {
        pub name: String,
        pub next_due_ms: i64,
        pub lease_node: Option<String>,
        pub lease_until_ms: Option<i64>,
        pub runs: i64,
        pub failures: i64,
    }
}

row_struct! {
    /// One run of a job: `outcome` is none while it runs, or when its node died.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct RunRow {
        pub id: i64,
        pub name: String,
        pub due_ms: i64,
        pub node: String,
        pub started_ms: i64,
        pub finished_ms: Option<i64>,
        pub outcome: Option<String>,
        pub detail: String,
    }
}

/// Gives every job its row, due at `now_ms` the first time (a node starting on an
/// existing database leaves the rows as they are).
pub async fn ensure(db: &Db, now_ms: i64) -> Result<()> {
    for job in Job::ALL {
        db.execute_bookkeeping(
            q("INSERT INTO jobs (name, next_due_ms) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
                .bind(job.code())
                .bind(now_ms),
        )
        .await?;
    }
    Ok(())
}

/// The jobs due at `now_ms` and not held by a live lease: one read per poll, so a node
/// opens a write transaction only for a job it may win.
pub async fn due(db: &Db, now_ms: i64) -> Result<Vec<Job>> {
    let names: Vec<String> = db
        .fetch_scalars(
            q("SELECT name FROM jobs WHERE next_due_ms <= $1 \
               AND (lease_until_ms IS NULL OR lease_until_ms < $1)")
            .bind(now_ms),
        )
        .await?;
    Ok(Job::ALL
        .into_iter()
        .filter(|j| names.iter().any(|n| n == j.code()))
        .collect())
}

fn token() -> String {
    let mut b = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut b);
    hex::encode(b)
}

/// Claims `job`'s due time for `node` if it is due and no live lease holds it. The claim
/// and its run row are one transaction.
pub async fn claim(db: &Db, job: Job, node: &str, now_ms: i64) -> Result<Option<Claim>> {
    let token = token();
    let lease_ms = i64::try_from(job.lease().as_millis()).unwrap_or(i64::MAX);
    let mut tx = db.begin().await?;
    let due: Option<i64> = tx
        .fetch_scalar(
            q(
                "UPDATE jobs SET lease_token = $1, lease_node = $2, lease_until_ms = $3 \
               WHERE name = $4 AND next_due_ms <= $5 \
               AND (lease_until_ms IS NULL OR lease_until_ms < $5) \
               RETURNING next_due_ms",
            )
            .bind(token.as_str())
            .bind(node)
            .bind(now_ms.saturating_add(lease_ms))
            .bind(job.code())
            .bind(now_ms),
        )
        .await?;
    let Some(due_ms) = due else {
        return Ok(None);
    };
    let run_id: i64 = tx
        .fetch_scalar(
            q(
                "INSERT INTO job_runs (name, due_ms, node, started_ms) VALUES ($1, $2, $3, $4) \
               RETURNING id",
            )
            .bind(job.code())
            .bind(due_ms)
            .bind(node)
            .bind(now_ms),
        )
        .await?
        .unwrap_or_default();
    tx.commit().await?;
    Ok(Some(Claim {
        job,
        due_ms,
        token,
        node: node.to_string(),
        started_ms: now_ms,
        run_id,
    }))
}

/// Records the end of a claimed run and moves the job to its next due time. False when
/// the lease was no longer this claim's (another node took the job over): nothing is
/// recorded then.
pub async fn finish(db: &Db, claim: &Claim, outcome: &Outcome, now_ms: i64) -> Result<bool> {
    let next = next_due(claim.due_ms, claim.job.every(), now_ms);
    let failed = i64::from(matches!(outcome, Outcome::Failed(_)));
    let mut tx = db.begin().await?;
    let moved = tx
        .execute(
            q(
                "UPDATE jobs SET next_due_ms = $1, lease_token = NULL, lease_node = NULL, \
               lease_until_ms = NULL, runs = runs + 1, failures = failures + $2 \
               WHERE name = $3 AND lease_token = $4",
            )
            .bind(next)
            .bind(failed)
            .bind(claim.job.code())
            .bind(claim.token.as_str()),
        )
        .await?;
    if moved == 0 {
        return Ok(false);
    }
    let run = if *outcome == Outcome::Idle {
        q("DELETE FROM job_runs WHERE id = $1").bind(claim.run_id)
    } else {
        q("UPDATE job_runs SET finished_ms = $1, outcome = $2, detail = $3 WHERE id = $4")
            .bind(now_ms)
            .bind(outcome.code())
            .bind(outcome.detail())
            .bind(claim.run_id)
    };
    tx.execute(run).await?;
    tx.commit().await?;
    Ok(true)
}

/// Makes `job` due now (the admin page's "run now"); the next node to poll runs it.
/// Audited. False when it was due already.
pub async fn run_now(db: &Db, actor: &Actor, job: Job, now_ms: i64) -> Result<bool> {
    let mut tx = db.begin().await?;
    let before: Option<i64> = tx
        .fetch_scalar(
            q(
                "UPDATE jobs SET next_due_ms = $1 WHERE name = $2 AND next_due_ms > $1 \
               RETURNING next_due_ms",
            )
            .bind(now_ms)
            .bind(job.code()),
        )
        .await?;
    if before.is_none() {
        return Ok(false);
    }
    let after = serde_json::json!({ "next_due_ms": now_ms });
    audit::record(action::JOB_RUN_NOW, "job", job.code())
        .after(&mut tx, actor, &after)
        .await?;
    tx.commit().await?;
    Ok(true)
}

/// Every job, in the order of [`Job::ALL`].
pub async fn list(db: &Db) -> Result<Vec<JobRow>> {
    let mut rows: Vec<JobRow> = db
        .fetch_all_as(q(
            "SELECT name, next_due_ms, lease_node, lease_until_ms, runs, failures FROM jobs",
        ))
        .await?;
    rows.sort_by_key(|r| Job::parse(&r.name));
    Ok(rows)
}

/// The latest runs, newest first; of one job when `job` is given.
pub async fn runs(db: &Db, job: Option<Job>, limit: i64) -> Result<Vec<RunRow>> {
    let base = "SELECT id, name, due_ms, node, started_ms, finished_ms, outcome, detail \
                FROM job_runs";
    let query = match job {
        Some(j) => q(format!("{base} WHERE name = $1 ORDER BY id DESC LIMIT $2"))
            .bind(j.code())
            .bind(limit),
        None => q(format!("{base} ORDER BY id DESC LIMIT $1")).bind(limit),
    };
    db.fetch_all_as(query).await
}

/// Removes the records of runs older than `before_ms` (the clean-up job keeps a month).
pub async fn forget_runs(db: &Db, before_ms: i64) -> Result<u64> {
    db.execute_bookkeeping(
        q("DELETE FROM job_runs WHERE started_ms < $1 AND finished_ms IS NOT NULL").bind(before_ms),
    )
    .await
}
