//! Saving and submitting a unit's report, with its files, in one transaction (audited);
//! every submitted version is kept.

use std::collections::BTreeMap;

use danchu_core::reporting::{next_status, validate, FieldError, Indicator, Status, Step, Value};

use super::rounds::round_in;
use super::submissions::{submission_in, Submission};
use super::templates::{template_in, Template};
use crate::audit::{self, Actor};
use crate::exec::{q, Db, DbError, Result, Tx};

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
    let (template, before) = load_for_save(&mut tx, round_id, unit_id).await?;
    let status = match next_status(before.as_ref().map(|s| s.status), step) {
        Ok(s) => s,
        Err(why) => return Ok(Saved::Refused(why)),
    };
    let indicators: Vec<Indicator> = template.body.indicators();
    // Only the template's own fields are kept, as NFC text of bounded length.
    let typed = danchu_core::reporting::keep_fields(&indicators, typed);
    let (answers, errors) = validate(&indicators, &template.body.rules, &typed);
    let (status, errors) = held_back(before.as_ref(), status, step, errors);
    let submitted = status == Status::Submitted;
    let no_files = files.add.is_empty() && files.remove.is_empty() && files.uploads.is_empty();
    if let Some(b) = before.as_ref().filter(|b| {
        !submitted && no_files && b.status == status && b.typed == typed && b.answers == answers
    }) {
        // A draft saved unchanged: nothing is written, nothing is audited.
        return Ok(saved(b.clone(), errors));
    }
    let version = before.as_ref().map_or(0, |b| b.version) + i64::from(submitted);
    let answers_json = write_submission(
        &mut tx,
        (round_id, unit_id),
        status,
        (&typed, &answers),
        version,
        now,
    )
    .await?;
    let after = submission_in(&mut tx, round_id, unit_id)
        .await?
        .ok_or(DbError::NotFound)?;
    if !no_files {
        attach_files(&mut tx, actor, after.id, files).await?;
    }
    if submitted {
        keep_version(&mut tx, actor, &after, &answers_json, now).await?;
    }
    let action = if submitted {
        audit::action::REPORT_SUBMIT
    } else {
        audit::action::REPORT_SAVE
    };
    audit::record(action, "report_submission", after.id)
        .append(&mut tx, actor, before.as_ref(), Some(&after))
        .await?;
    tx.commit().await?;
    Ok(saved(after, errors))
}

/// The round's template and the unit's submission so far, when the unit reports in the
/// round.
async fn load_for_save(
    tx: &mut Tx,
    round_id: i64,
    unit_id: i64,
) -> Result<(Template, Option<Submission>)> {
    let round = round_in(&mut *tx, round_id).await?;
    if !round.units.contains(&unit_id) {
        return Err(DbError::Invalid(
            "Đơn vị này không thuộc đợt báo cáo.".into(),
        ));
    }
    let template = template_in(&mut *tx, round.template_id).await?;
    let before = submission_in(&mut *tx, round_id, unit_id).await?;
    Ok((template, before))
}

/// A submission that does not pass the checks is not submitted: it stays a draft (or
/// returned), and the errors are shown. Any other step keeps its status and shows none.
fn held_back(
    before: Option<&Submission>,
    status: Status,
    step: Step,
    errors: Vec<FieldError>,
) -> (Status, Vec<FieldError>) {
    if step == Step::Submit && !errors.is_empty() {
        (
            before
                .map(|b| b.status)
                .filter(|s| *s == Status::Returned)
                .unwrap_or(Status::Draft),
            errors,
        )
    } else {
        (status, Vec::new())
    }
}

fn saved(s: Submission, errors: Vec<FieldError>) -> Saved {
    if errors.is_empty() {
        Saved::Done(s)
    } else {
        Saved::Invalid(s, errors)
    }
}

/// Writes the submission row (created or updated); returns the answers as stored JSON.
async fn write_submission(
    tx: &mut Tx,
    (round_id, unit_id): (i64, i64),
    status: Status,
    (typed, answers): (&BTreeMap<String, String>, &BTreeMap<String, Value>),
    version: i64,
    now: i64,
) -> Result<String> {
    let typed_json = serde_json::to_string(typed).map_err(|e| DbError::Invalid(e.to_string()))?;
    let answers_json =
        serde_json::to_string(answers).map_err(|e| DbError::Invalid(e.to_string()))?;
    let submitted = status == Status::Submitted;
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
            .bind(version)
            .bind(submitted.then_some(now))
            .bind(now),
    )
    .await?;
    Ok(answers_json)
}

/// Attaches and detaches the submission's files (audited).
async fn attach_files(tx: &mut Tx, actor: &Actor, submission_id: i64, files: &Files) -> Result<()> {
    let mut add = files.add.clone();
    add.extend(crate::media::insert_all(tx, actor, &files.uploads).await?);
    crate::exec::link_all(
        tx,
        ("report_submission_files", "submission_id", "media_id"),
        submission_id,
        &add,
    )
    .await?;
    if !files.remove.is_empty() {
        tx.execute(
            q("DELETE FROM report_submission_files WHERE submission_id = $1 AND media_id IN ")
                .bind(submission_id)
                .in_list(&files.remove),
        )
        .await?;
    }
    audit::record(
        audit::action::REPORT_FILES,
        "report_submission",
        submission_id,
    )
    .changed(tx, actor, &files.remove, &add)
    .await?;
    Ok(())
}

/// Keeps a submitted version, so a resubmission never hides the first.
async fn keep_version(
    tx: &mut Tx,
    actor: &Actor,
    after: &Submission,
    answers_json: &str,
    now: i64,
) -> Result<()> {
    tx.execute(
        q("INSERT INTO report_submission_versions (submission_id, version, answers, submitted_at, submitted_by) VALUES ($1, $2, $3, $4, $5)")
            .bind(after.id)
            .bind(after.version)
            .bind(answers_json)
            .bind(now)
            .bind(&actor.0),
    )
    .await
    .map(|_| ())
}
