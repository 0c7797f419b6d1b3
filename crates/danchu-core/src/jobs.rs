//! Background work: which jobs there are, how often each falls due, and how long a node
//! may hold one before another takes it over. The runner (`danchu_db::jobs`) claims a
//! job's due time with a lease row, so a due time runs once across every node; a node that
//! dies holding a lease loses it when the lease expires.

use std::time::Duration;

/// One periodic job. A new job is an arm here: the runner's match on it fails to compile
/// until the job has a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Job {
    /// Delivers the outbox: claims due messages, sends them, schedules retries.
    Outbox,
    /// Publishes articles whose publication time has come.
    PublishScheduled,
    /// Removes expired sessions, throttle rows and idempotency records.
    CleanUp,
}

impl Job {
    pub const ALL: [Job; 3] = [Job::Outbox, Job::PublishScheduled, Job::CleanUp];

    /// The stable name stored in the `jobs` table and shown on the admin page.
    pub fn code(self) -> &'static str {
        match self {
            Job::Outbox => "outbox",
            Job::PublishScheduled => "publish_scheduled",
            Job::CleanUp => "clean_up",
        }
    }

    pub fn parse(code: &str) -> Option<Job> {
        Job::ALL.into_iter().find(|j| j.code() == code)
    }

    /// The admin page's label.
    pub fn label_vi(self) -> &'static str {
        match self {
            Job::Outbox => "Gửi thư và tin nhắn",
            Job::PublishScheduled => "Đăng bài theo lịch",
            Job::CleanUp => "Dọn dữ liệu hết hạn",
        }
    }

    /// How often the job falls due.
    pub fn every(self) -> Duration {
        match self {
            Job::Outbox => Duration::from_secs(2),
            Job::PublishScheduled => Duration::from_secs(15),
            Job::CleanUp => Duration::from_secs(600),
        }
    }

    /// How long a claim lasts before another node may take the job over. Longer than any
    /// run of the job; the runner's own bound on a run is below it.
    pub fn lease(self) -> Duration {
        match self {
            Job::Outbox => Duration::from_secs(30),
            Job::PublishScheduled | Job::CleanUp => Duration::from_secs(60),
        }
    }
}

/// The due time after a run that was due at `due_ms`: the first slot of the job's schedule
/// later than `now_ms`. Slots missed while no node ran (the cluster was down) are not run
/// one by one: the job runs once and the schedule moves on.
pub fn next_due(due_ms: i64, every: Duration, now_ms: i64) -> i64 {
    let step = i64::try_from(every.as_millis()).unwrap_or(i64::MAX).max(1);
    if now_ms < due_ms {
        return due_ms.saturating_add(step);
    }
    let missed = (now_ms - due_ms) / step + 1;
    due_ms.saturating_add(missed.saturating_mul(step))
}

/// How a run ended, as stored for the admin page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The run finished; the text says what it did ("3 thư đã gửi").
    Done(String),
    /// The run failed; the text is the error. The job falls due again on its schedule.
    Failed(String),
    /// There was nothing to do (no message due, no article coming due): counted, but not
    /// kept as a run, so a job due every two seconds does not fill the table.
    Idle,
}

impl Outcome {
    pub fn code(&self) -> &'static str {
        match self {
            Outcome::Done(_) => "done",
            Outcome::Failed(_) => "failed",
            Outcome::Idle => "idle",
        }
    }

    pub fn detail(&self) -> &str {
        match self {
            Outcome::Done(s) | Outcome::Failed(s) => s,
            Outcome::Idle => "",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_job_has_a_distinct_code_that_parses_back() {
        crate::assert_codes(&Job::ALL, Job::code, Job::parse, "Outbox");
        for job in Job::ALL {
            assert!(job.lease() >= Duration::from_secs(30), "{job:?}");
            assert!(!job.label_vi().is_empty());
        }
        let mut codes: Vec<_> = Job::ALL.iter().map(|j| j.code()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), Job::ALL.len());
    }

    #[test]
    fn the_next_due_time_is_the_first_slot_after_now() {
        let every = Duration::from_secs(10);
        // Ran on time: the next slot.
        assert_eq!(next_due(100_000, every, 100_500), 110_000);
        // Ran exactly at a later slot: that slot is past, the next one counts.
        assert_eq!(next_due(100_000, every, 110_000), 120_000);
        // Down for a minute: one run, then back on the schedule, slots not replayed.
        assert_eq!(next_due(100_000, every, 163_000), 170_000);
        // A clock behind the due time still moves forward by one step.
        assert_eq!(next_due(100_000, every, 90_000), 110_000);
        // A zero period cannot loop.
        assert_eq!(next_due(5, Duration::ZERO, 5), 6);
    }
}
