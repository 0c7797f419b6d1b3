//! A unit's report in a round: saving, submitting with files, and the office's
//! decision, each version kept.

use std::collections::BTreeMap;

use danchu_core::reporting::{next_status, validate, FieldError, Indicator, Status, Step, Value};
use serde::Serialize;

use super::rounds::round_in;
use super::templates::template_in;
use crate::audit::{self, Actor};
use crate::exec::{q, Db, DbError, Exec, Result, Row};

/// One unit's report for a round.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Submission {
    pub id: i64,
    pub round_id: i64,
    pub unit_id: i64,
    pub status: Status,
    pub typed: BTreeMap<String, String>,
    pub answers: BTreeMap<String, Value>,
    pub version: i64,
    pub submitted_at: Option<i64>,
    pub reason: String,
}

fn submission_row(r: &Row) -> Result<Submission> {
    let status: String = r.get("status")?;
    Ok(Submission {
        id: r.get("id")?,
        round_id: r.get("round_id")?,
        unit_id: r.get("unit_id")?,
        status: crate::decode::code("report_submissions.status", &status, Status::parse)?,
        typed: crate::decode::json("report_submissions.typed", &r.get::<String>("typed")?)?,
        answers: crate::decode::json("report_submissions.answers", &r.get::<String>("answers")?)?,
        version: r.get("version")?,
        submitted_at: r.get("submitted_at")?,
        reason: r.get("reason")?,
    })
}

const SUB_COLS: &str =
    "id, round_id, unit_id, status, typed, answers, version, submitted_at, reason";

async fn submission_in(
    tx: &mut impl Exec,
    round_id: i64,
    unit_id: i64,
) -> Result<Option<Submission>> {
    tx.fetch_optional(
        q(format!(
            "SELECT {SUB_COLS} FROM report_submissions WHERE round_id = $1 AND unit_id = $2"
        ))
        .bind(round_id)
        .bind(unit_id),
    )
    .await?
    .as_ref()
    .map(submission_row)
    .transpose()
}

/// What became of a save or submit.
#[derive(Debug)]
pub enum Saved {
    Done(Submission),
    /// The step is not allowed now (Vietnamese reason); nothing changed.
    Refused(&'static str),
    /// Submitting found errors: what was typed is saved as a draft, and the errors are
    /// returned per field.
    Invalid(Submission, Vec<FieldError>),
}

/// A unit's reporter saves (`Step::SaveDraft`) or submits (`Step::Submit`) its report.
/// Nothing typed is lost: a submit with errors keeps the typed text as a draft.
pub async fn save(
    db: &Db,
    actor: &Actor,
    round_id: i64,
    unit_id: i64,
    typed: &BTreeMap<String, String>,
    step: Step,
) -> Result<Saved> {
    save_at(db, actor, round_id, unit_id, typed, step, crate::now_s()).await
}

/// [`save`] at a given time (unix seconds): the demo data's reports were sent in 2023.
pub async fn save_at(
    db: &Db,
    actor: &Actor,
    round_id: i64,
    unit_id: i64,
    typed: &BTreeMap<String, String>,
    step: Step,
    now: i64,
) -> Result<Saved> {
    save_with_files(
        db,
        actor,
        (round_id, unit_id),
        typed,
        step,
        &Files::default(),
        now,
    )
    .await
}

/// Files to attach to a submission (uploaded and checked already) and to detach.
#[derive(Debug, Clone, Default)]
pub struct Files {
    pub add: Vec<i64>,
    pub remove: Vec<i64>,
    /// Files uploaded with this save, recorded in its transaction and attached.
    pub uploads: Vec<crate::media::NewMedia>,
}

/// [`save`] with files attached or detached in the same transaction (evidence sent with
/// the report: minutes, photos, spreadsheets).
pub async fn save_with_files(
    db: &Db,
    actor: &Actor,
    (round_id, unit_id): (i64, i64),
    typed: &BTreeMap<String, String>,
    step: Step,
    files: &Files,
    now: i64,
) -> Result<Saved> {
    let mut tx = db.begin().await?;
    let round = round_in(&mut tx, round_id).await?;
    if !round.units.contains(&unit_id) {
        return Err(DbError::Invalid(
            "Đơn vị này không thuộc đợt báo cáo.".into(),
        ));
    }
    let template = template_in(&mut tx, round.template_id).await?;
    let before = submission_in(&mut tx, round_id, unit_id).await?;
    let status = match next_status(before.as_ref().map(|s| s.status), step) {
        Ok(s) => s,
        Err(why) => return Ok(Saved::Refused(why)),
    };
    let indicators: Vec<Indicator> = template.body.indicators();
    // Only the template's own fields are kept, as NFC text of bounded length.
    let typed = danchu_core::reporting::keep_fields(&indicators, typed);
    let (answers, errors) = validate(&indicators, &template.body.rules, &typed);
    let (status, errors) = if step == Step::Submit && !errors.is_empty() {
        (
            before
                .as_ref()
                .map(|b| b.status)
                .filter(|s| *s == Status::Returned)
                .unwrap_or(Status::Draft),
            errors,
        )
    } else {
        (status, Vec::new())
    };
    let submitted = status == Status::Submitted;
    let no_files = files.add.is_empty() && files.remove.is_empty() && files.uploads.is_empty();
    if let Some(b) = before.as_ref().filter(|b| {
        !submitted && no_files && b.status == status && b.typed == typed && b.answers == answers
    }) {
        // A draft saved unchanged: nothing is written, nothing is audited.
        return Ok(if errors.is_empty() {
            Saved::Done(b.clone())
        } else {
            Saved::Invalid(b.clone(), errors)
        });
    }
    let typed_json = serde_json::to_string(&typed).map_err(|e| DbError::Invalid(e.to_string()))?;
    let answers_json =
        serde_json::to_string(&answers).map_err(|e| DbError::Invalid(e.to_string()))?;
    tx.execute(
        q("INSERT INTO report_submissions (round_id, unit_id, status, typed, answers, version, submitted_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (round_id, unit_id) DO UPDATE SET status = excluded.status, typed = excluded.typed,
             answers = excluded.answers, version = excluded.version,
             submitted_at = COALESCE(excluded.submitted_at, report_submissions.submitted_at),
             updated_at = excluded.updated_at")
            .bind(round_id)
            .bind(unit_id)
            .bind(status.code())
            .bind(typed_json)
            .bind(answers_json.clone())
            .bind(before.as_ref().map_or(0, |b| b.version) + i64::from(submitted))
            .bind(submitted.then_some(now))
            .bind(now),
    )
    .await?;
    let after = submission_in(&mut tx, round_id, unit_id)
        .await?
        .ok_or(DbError::NotFound)?;
    if !no_files {
        let mut add = files.add.clone();
        add.extend(crate::media::insert_all(&mut tx, actor, &files.uploads).await?);
        crate::exec::link_all(
            &mut tx,
            ("report_submission_files", "submission_id", "media_id"),
            after.id,
            &add,
        )
        .await?;
        if !files.remove.is_empty() {
            tx.execute(
                q("DELETE FROM report_submission_files WHERE submission_id = $1 AND media_id IN ")
                    .bind(after.id)
                    .in_list(&files.remove),
            )
            .await?;
        }
        audit::append(
            &mut tx,
            actor,
            "report.files",
            "report_submission",
            &after.id.to_string(),
            Some(&files.remove),
            Some(&add),
        )
        .await?;
    }
    if submitted {
        // Every submitted version is kept, so a resubmission never hides the first.
        tx.execute(
            q("INSERT INTO report_submission_versions (submission_id, version, answers, submitted_at, submitted_by) VALUES ($1, $2, $3, $4, $5)")
                .bind(after.id)
                .bind(after.version)
                .bind(answers_json)
                .bind(now)
                .bind(&actor.0),
        )
        .await?;
    }
    audit::append(
        &mut tx,
        actor,
        if submitted {
            "report.submit"
        } else {
            "report.save"
        },
        "report_submission",
        &after.id.to_string(),
        before.as_ref(),
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(if errors.is_empty() {
        Saved::Done(after)
    } else {
        Saved::Invalid(after, errors)
    })
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
    let before = tx
        .fetch_optional(
            q(format!(
                "SELECT {SUB_COLS} FROM report_submissions WHERE id = $1"
            ))
            .bind(submission_id),
        )
        .await?
        .as_ref()
        .map(submission_row)
        .transpose()?
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
    audit::append(
        &mut tx,
        actor,
        if step == Step::Accept {
            "report.accept"
        } else {
            "report.return"
        },
        "report_submission",
        &submission_id.to_string(),
        Some(&before),
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(after))
}

/// The files attached to a submission (evidence: minutes, photos, spreadsheets).
pub async fn files(db: &Db, submission_id: i64) -> Result<Vec<crate::media::Media>> {
    let cols = crate::media::joined_cols();
    db.fetch_all(
        q(format!("SELECT {cols} FROM report_submission_files f JOIN media m ON m.id = f.media_id WHERE f.submission_id = $1 ORDER BY m.id"))
            .bind(submission_id),
    )
    .await?
    .iter()
    .map(crate::media::media)
    .collect()
}

/// How many versions a submission has had submitted.
pub async fn versions(db: &Db, submission_id: i64) -> Result<Vec<(i64, BTreeMap<String, Value>)>> {
    db.fetch_all(
        q("SELECT version, answers FROM report_submission_versions WHERE submission_id = $1 ORDER BY version")
            .bind(submission_id),
    )
    .await?
    .iter()
    .map(|r| {
        let answers: String = r.get("answers")?;
        Ok((
            r.get("version")?,
            crate::decode::json("report_submission_versions.answers", &answers)?,
        ))
    })
    .collect()
}

/// Where every unit's report stands in these rounds: (round, unit) → status, one query
/// for any number of rounds (units without a saved report are absent).
pub async fn statuses(
    db: &Db,
    round_ids: &[i64],
) -> Result<std::collections::HashMap<(i64, i64), Status>> {
    let mut out = std::collections::HashMap::new();
    for chunk in round_ids.chunks(crate::exec::IN_CHUNK) {
        for r in db
            .fetch_all(
                q("SELECT round_id, unit_id, status FROM report_submissions WHERE round_id IN ")
                    .in_list(chunk),
            )
            .await?
        {
            let code: String = r.get("status")?;
            let status = crate::decode::code("report_submissions.status", &code, Status::parse)?;
            out.insert((r.get("round_id")?, r.get("unit_id")?), status);
        }
    }
    Ok(out)
}

/// A unit's submission for a round, if it saved or submitted anything.
pub async fn submission(db: &Db, round_id: i64, unit_id: i64) -> Result<Option<Submission>> {
    submission_in(&mut db.clone(), round_id, unit_id).await
}
