//! A unit's report in a round as stored, its files and versions, and the office's
//! decision on it.

use std::collections::BTreeMap;

use danchu_core::reporting::{next_status, Status, Step, Value};
use serde::Serialize;

use crate::audit::{self, Actor};
use crate::decode::col;
use crate::exec::{q, row_struct, Db, DbError, Exec, Result};

row_struct! {
    /// One unit's report for a round.
    #[derive(Debug, Clone, Serialize, PartialEq)]
    pub struct Submission {
        pub id: i64,
        pub round_id: i64,
        pub unit_id: i64,
        pub status: Status = col::code("report_submissions.status", Status::parse),
        pub typed: BTreeMap<String, String> = col::json("report_submissions.typed"),
        pub answers: BTreeMap<String, Value> = col::json("report_submissions.answers"),
        pub version: i64,
        pub submitted_at: Option<i64>,
        pub reason: String,
    }
}

const SUB_COLS: &str =
    "id, round_id, unit_id, status, typed, answers, version, submitted_at, reason";

pub(super) async fn submission_in(
    tx: &mut impl Exec,
    round_id: i64,
    unit_id: i64,
) -> Result<Option<Submission>> {
    tx.fetch_optional_as(
        q(format!(
            "SELECT {SUB_COLS} FROM report_submissions WHERE round_id = $1 AND unit_id = $2"
        ))
        .bind(round_id)
        .bind(unit_id),
    )
    .await
}

/// Phòng Nội vụ accepts (`Step::Accept`) or returns (`Step::Return`, with a reason) a
/// submitted report. `Err(reason)` in Vietnamese when the step is not allowed.
pub async fn decide(
    db: &Db,
    actor: &Actor,
    submission_id: i64,
    step: Step,
    reason: &str,
) -> Result<std::result::Result<Submission, &'static str>> {
    decide_at(db, actor, submission_id, step, reason, crate::now_s()).await
}

/// [`decide`] at a given time (unix seconds).
pub async fn decide_at(
    db: &Db,
    actor: &Actor,
    submission_id: i64,
    step: Step,
    reason: &str,
    now: i64,
) -> Result<std::result::Result<Submission, &'static str>> {
    if !matches!(step, Step::Accept | Step::Return) {
        return Ok(Err("Chỉ tiếp nhận hoặc trả lại được báo cáo."));
    }
    let reason = danchu_core::text::clean_line(reason);
    if step == Step::Return && reason.is_empty() {
        return Ok(Err("Hãy ghi lý do trả lại."));
    }
    let mut tx = db.begin().await?;
    let before: Submission = tx
        .fetch_optional_as(
            q(format!(
                "SELECT {SUB_COLS} FROM report_submissions WHERE id = $1"
            ))
            .bind(submission_id),
        )
        .await?
        .ok_or(DbError::NotFound)?;
    let status = match next_status(Some(before.status), step) {
        Ok(s) => s,
        Err(why) => return Ok(Err(why)),
    };
    tx.execute(
        q("UPDATE report_submissions SET status = $1, reason = $2, decided_at = $3, updated_at = $3 WHERE id = $4")
            .bind(status.code())
            .bind(if step == Step::Return { reason } else { String::new() })
            .bind(now)
            .bind(submission_id),
    )
    .await?;
    let after = submission_in(&mut tx, before.round_id, before.unit_id)
        .await?
        .ok_or(DbError::NotFound)?;
    audit::record(
        if step == Step::Accept {
            audit::action::REPORT_ACCEPT
        } else {
            audit::action::REPORT_RETURN
        },
        "report_submission",
        submission_id,
    )
    .changed(&mut tx, actor, &before, &after)
    .await?;
    tx.commit().await?;
    Ok(Ok(after))
}

/// The files attached to a submission (evidence: minutes, photos, spreadsheets).
pub async fn files(db: &Db, submission_id: i64) -> Result<Vec<crate::media::Media>> {
    let cols = crate::media::joined_cols();
    db.fetch_all_as(
        q(format!("SELECT {cols} FROM report_submission_files f JOIN media m ON m.id = f.media_id WHERE f.submission_id = $1 ORDER BY m.id"))
            .bind(submission_id),
    ).await
}

row_struct! {
    /// One submitted version of a report.
    struct SubmittedVersion {
        version: i64,
        answers: BTreeMap<String, Value> = col::json("report_submission_versions.answers"),
    }
}

/// How many versions a submission has had submitted.
pub async fn versions(db: &Db, submission_id: i64) -> Result<Vec<(i64, BTreeMap<String, Value>)>> {
    let rows: Vec<SubmittedVersion> = db
        .fetch_all_as(
            q("SELECT version, answers FROM report_submission_versions WHERE submission_id = $1 ORDER BY version")
                .bind(submission_id),
        )
        .await?;
    Ok(rows.into_iter().map(|v| (v.version, v.answers)).collect())
}

row_struct! {
    /// Where one unit's report stands in one round.
    struct Standing {
        round_id: i64,
        unit_id: i64,
        status: Status = col::code("report_submissions.status", Status::parse),
    }
}

/// Where every unit's report stands in these rounds: (round, unit) → status, one query
/// for any number of rounds (units without a saved report are absent).
pub async fn statuses(
    db: &Db,
    round_ids: &[i64],
) -> Result<std::collections::HashMap<(i64, i64), Status>> {
    let mut out = std::collections::HashMap::new();
    for chunk in round_ids.chunks(crate::exec::IN_CHUNK) {
        let rows: Vec<Standing> = db
            .fetch_all_as(
                q("SELECT round_id, unit_id, status FROM report_submissions WHERE round_id IN ")
                    .in_list(chunk),
            )
            .await?;
        out.extend(
            rows.into_iter()
                .map(|r| ((r.round_id, r.unit_id), r.status)),
        );
    }
    Ok(out)
}

/// A unit's submission for a round, if it saved or submitted anything.
pub async fn submission(db: &Db, round_id: i64, unit_id: i64) -> Result<Option<Submission>> {
    submission_in(&mut db.clone(), round_id, unit_id).await
}
