//! Periodic reporting (issue 5) in the database: versioned templates, rounds and the units
//! that must report, submissions with every submitted version, the round dashboard and
//! the consolidation. The rules themselves (periods, validation, workflow, aggregation)
//! are in `danchu_core::reporting`; every change here is audited in its transaction.

use std::collections::BTreeMap;

use danchu_core::reporting::{
    aggregate, next_status, validate, Aggregate, FieldError, Indicator, Period, Status, Step,
    TemplateBody, Value,
};
use serde::Serialize;

use crate::audit::{self, Actor};
use crate::exec::{q, Db, DbError, Exec, Result, Row};

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Template {
    pub id: i64,
    pub family_id: i64,
    pub version: i64,
    pub name: String,
    pub body: TemplateBody,
    pub unit_id: i64,
}

fn template_row(r: &Row) -> Result<Template> {
    let body: String = r.get("body")?;
    Ok(Template {
        id: r.get("id")?,
        family_id: r.get("family_id")?,
        version: r.get("version")?,
        name: r.get("name")?,
        body: crate::decode::json("report_templates.body", &body)?,
        unit_id: r.get("unit_id")?,
    })
}

fn checked(body: &TemplateBody) -> Result<String> {
    let problems = body.problems();
    if !problems.is_empty() {
        return Err(DbError::Invalid(problems.join(" ")));
    }
    serde_json::to_string(body).map_err(|e| DbError::Invalid(e.to_string()))
}

/// Creates version 1 of a template (audited).
pub async fn create_template(
    db: &Db,
    actor: &Actor,
    unit_id: i64,
    name: &str,
    body: &TemplateBody,
) -> Result<Template> {
    let json = checked(body)?;
    let mut tx = db.begin().await?;
    let id: i64 = tx
        .fetch_optional(
            q("INSERT INTO report_templates (version, name, body, unit_id, created_by, created_at) VALUES (1, $1, $2, $3, $4, $5) RETURNING id")
                .bind(danchu_core::text::clean_line(name))
                .bind(json)
                .bind(unit_id)
                .bind(&actor.0)
                .bind(crate::now_s()),
        )
        .await?
        .ok_or(DbError::NotFound)?
        .get("id")?;
    tx.execute(q("UPDATE report_templates SET family_id = id WHERE id = $1").bind(id))
        .await?;
    let t = template_in(&mut tx, id).await?;
    audit::append(
        &mut tx,
        actor,
        "report_template.create",
        "report_template",
        &id.to_string(),
        None::<&()>,
        Some(&t),
    )
    .await?;
    tx.commit().await?;
    Ok(t)
}

/// Saves a changed template as its next version; earlier versions, and every round and
/// submission made with them, stay as they were.
pub async fn new_template_version(
    db: &Db,
    actor: &Actor,
    family_id: i64,
    name: &str,
    body: &TemplateBody,
) -> Result<Template> {
    let json = checked(body)?;
    let mut tx = db.begin().await?;
    let last = tx
        .fetch_optional(
            q("SELECT id, family_id, version, name, body, unit_id FROM report_templates WHERE family_id = $1 ORDER BY version DESC LIMIT 1")
                .bind(family_id),
        )
        .await?
        .ok_or(DbError::NotFound)?;
    let last = template_row(&last)?;
    let id: i64 = tx
        .fetch_optional(
            q("INSERT INTO report_templates (family_id, version, name, body, unit_id, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
                .bind(family_id)
                .bind(last.version + 1)
                .bind(danchu_core::text::clean_line(name))
                .bind(json)
                .bind(last.unit_id)
                .bind(&actor.0)
                .bind(crate::now_s()),
        )
        .await?
        .ok_or(DbError::NotFound)?
        .get("id")?;
    let t = template_in(&mut tx, id).await?;
    audit::append(
        &mut tx,
        actor,
        "report_template.version",
        "report_template",
        &id.to_string(),
        Some(&last),
        Some(&t),
    )
    .await?;
    tx.commit().await?;
    Ok(t)
}

async fn template_in(tx: &mut impl Exec, id: i64) -> Result<Template> {
    let r = tx
        .fetch_optional(
            q("SELECT id, family_id, version, name, body, unit_id FROM report_templates WHERE id = $1")
                .bind(id),
        )
        .await?
        .ok_or(DbError::NotFound)?;
    template_row(&r)
}

/// A report round: a template version, a period and its cut-off, a deadline, the units.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Round {
    pub id: i64,
    pub template_id: i64,
    pub unit_id: i64,
    pub title: String,
    pub frequency: String,
    /// Period code; empty for an ad hoc round.
    pub period: String,
    pub cutoff_from: String,
    pub cutoff_to: String,
    pub deadline: String,
    pub units: Vec<i64>,
}

/// What is needed to open a round. Without explicit dates, the cut-off is the period's
/// default (R30).
#[derive(Debug, Clone)]
pub struct NewRound {
    pub template_id: i64,
    pub unit_id: i64,
    pub title: String,
    pub frequency: danchu_core::reporting::Frequency,
    pub period: Option<Period>,
    pub cutoff: Option<(String, String)>,
    pub deadline: String,
    pub units: Vec<i64>,
}

/// Opens a round (audited).
pub async fn create_round(db: &Db, actor: &Actor, n: &NewRound) -> Result<Round> {
    let (from, to) = match (&n.cutoff, n.period.and_then(|p| p.cutoff())) {
        (Some((f, t)), _) => (f.clone(), t.clone()),
        (None, Some((f, t))) => (
            danchu_core::text::iso_date(f),
            danchu_core::text::iso_date(t),
        ),
        (None, None) => {
            return Err(DbError::Invalid(
                "Cần kỳ báo cáo hoặc khoảng thời gian lấy số liệu.".into(),
            ))
        }
    };
    let valid = |d: &str| danchu_core::text::parse_date(d).is_some();
    if !valid(&from) || !valid(&to) || from > to || !valid(&n.deadline) {
        return Err(DbError::Invalid(
            "Ngày lấy số liệu hoặc hạn nộp không hợp lệ.".into(),
        ));
    }
    if n.units.is_empty() {
        return Err(DbError::Invalid("Hãy chọn các đơn vị phải báo cáo.".into()));
    }
    let frequency = n.frequency.code();
    let mut tx = db.begin().await?;
    let id: i64 = tx
        .fetch_optional(
            q("INSERT INTO report_rounds (template_id, unit_id, title, frequency, period, cutoff_from, cutoff_to, deadline, created_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id")
                .bind(n.template_id)
                .bind(n.unit_id)
                .bind(danchu_core::text::clean_line(&n.title))
                .bind(frequency)
                .bind(n.period.map(|p| p.code()).unwrap_or_default())
                .bind(&from)
                .bind(&to)
                .bind(&n.deadline)
                .bind(crate::now_s()),
        )
        .await?
        .ok_or(DbError::NotFound)?
        .get("id")?;
    let mut units = n.units.clone();
    units.sort_unstable();
    units.dedup();
    crate::exec::link_all(
        &mut tx,
        ("report_round_units", "round_id", "unit_id"),
        id,
        &units,
    )
    .await?;
    let r = round_in(&mut tx, id).await?;
    audit::append(
        &mut tx,
        actor,
        "report_round.create",
        "report_round",
        &id.to_string(),
        None::<&()>,
        Some(&r),
    )
    .await?;
    tx.commit().await?;
    Ok(r)
}

const ROUND_COLS: &str =
    "id, template_id, unit_id, title, frequency, period, cutoff_from, cutoff_to, deadline";

fn round_row(r: &Row, units: Vec<i64>) -> Result<Round> {
    let frequency: String = r.get("frequency")?;
    crate::decode::code(
        "report_rounds.frequency",
        &frequency,
        danchu_core::reporting::Frequency::parse,
    )?;
    let period: String = r.get("period")?;
    crate::decode::optional("report_rounds.period", &period, Period::parse)?;
    Ok(Round {
        id: r.get("id")?,
        template_id: r.get("template_id")?,
        unit_id: r.get("unit_id")?,
        title: r.get("title")?,
        frequency,
        period,
        cutoff_from: r.get("cutoff_from")?,
        cutoff_to: r.get("cutoff_to")?,
        deadline: r.get("deadline")?,
        units,
    })
}

async fn round_in(e: &mut impl Exec, id: i64) -> Result<Round> {
    let r = e
        .fetch_optional(
            q(format!(
                "SELECT {ROUND_COLS} FROM report_rounds WHERE id = $1"
            ))
            .bind(id),
        )
        .await?
        .ok_or(DbError::NotFound)?;
    let units = e
        .fetch_all(
            q("SELECT unit_id FROM report_round_units WHERE round_id = $1 ORDER BY unit_id")
                .bind(id),
        )
        .await?
        .iter()
        .map(|r| r.get("unit_id"))
        .collect::<Result<_>>()?;
    round_row(&r, units)
}

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

/// One line of a round's dashboard.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct UnitState {
    pub unit_id: i64,
    pub unit_name: String,
    /// `None`: nothing submitted or saved yet.
    pub status: Option<Status>,
    /// Submitted after the deadline, or still missing after it.
    pub late: bool,
}

/// Every unit of a round with where its report stands, in Vietnamese name order. `today`
/// is `yyyy-mm-dd` (Vietnam time).
pub async fn dashboard(db: &Db, round_id: i64, today: &str) -> Result<Vec<UnitState>> {
    let round = round_in(&mut db.clone(), round_id).await?;
    let rows = db
        .fetch_all(
            q("SELECT u.id AS unit_id, u.name AS name, s.status AS status, s.submitted_at AS submitted_at
               FROM report_round_units ru JOIN units u ON u.id = ru.unit_id
               LEFT JOIN report_submissions s ON s.round_id = ru.round_id AND s.unit_id = ru.unit_id
               WHERE ru.round_id = $1")
                .bind(round_id),
        )
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        // No row: nothing saved yet. A row with an unknown status is not "nothing yet".
        let status = r
            .get::<Option<String>>("status")?
            .map(|s| crate::decode::code("report_submissions.status", &s, Status::parse))
            .transpose()?;
        let submitted_day = r
            .get::<Option<i64>>("submitted_at")?
            .map(danchu_core::text::iso_date_vn);
        let late = match (status, submitted_day) {
            (Some(Status::Submitted | Status::Accepted | Status::Returned), Some(d)) => {
                d > round.deadline
            }
            _ => today > round.deadline.as_str(),
        };
        out.push(UnitState {
            unit_id: r.get("unit_id")?,
            unit_name: r.get("name")?,
            status,
            late,
        });
    }
    out.sort_by_cached_key(|u| danchu_core::text::vn_sort_key(&u.unit_name));
    Ok(out)
}

/// A round consolidated: each indicator aggregated by its rule, and the unit-by-indicator
/// matrix (units in Vietnamese name order).
#[derive(Debug, Clone, Serialize)]
pub struct Consolidation {
    pub indicators: Vec<Indicator>,
    pub totals: Vec<Aggregate>,
    /// (unit name, its answer per indicator).
    pub matrix: Vec<(String, Vec<Option<Value>>)>,
}

/// Consolidates the accepted reports of a round (and the submitted ones too when
/// `include_submitted`).
pub async fn consolidate(db: &Db, round_id: i64, include_submitted: bool) -> Result<Consolidation> {
    let mut e = db.clone();
    let round = round_in(&mut e, round_id).await?;
    let template = template_in(&mut e, round.template_id).await?;
    // Every report of the round, its status read here rather than filtered in SQL: a
    // report whose status is unknown must not silently drop out of the totals.
    let rows = db
        .fetch_all(
            q("SELECT u.name AS name, s.status AS status, s.answers AS answers FROM report_submissions s JOIN units u ON u.id = s.unit_id
               WHERE s.round_id = $1")
                .bind(round_id),
        )
        .await?;
    let mut units: Vec<(String, BTreeMap<String, Value>)> = Vec::with_capacity(rows.len());
    for r in rows {
        let status: String = r.get("status")?;
        let counted =
            match crate::decode::code("report_submissions.status", &status, Status::parse)? {
                Status::Accepted => true,
                Status::Submitted => include_submitted,
                Status::Draft | Status::Returned => false,
            };
        if !counted {
            continue;
        }
        let answers: String = r.get("answers")?;
        units.push((
            r.get("name")?,
            crate::decode::json("report_submissions.answers", &answers)?,
        ));
    }
    units.sort_by_cached_key(|(n, _)| danchu_core::text::vn_sort_key(n));
    let indicators = template.body.indicators();
    let totals = indicators
        .iter()
        .map(|i| {
            let answers: Vec<(String, Value)> = units
                .iter()
                .filter_map(|(n, a)| a.get(&i.code).map(|v| (n.clone(), v.clone())))
                .collect();
            aggregate(i.aggregation, &answers)
        })
        .collect();
    let matrix = units
        .iter()
        .map(|(n, a)| {
            (
                n.clone(),
                indicators.iter().map(|i| a.get(&i.code).cloned()).collect(),
            )
        })
        .collect();
    Ok(Consolidation {
        indicators,
        totals,
        matrix,
    })
}

/// Every round, newest first.
pub async fn rounds(db: &Db) -> Result<Vec<Round>> {
    let rows = db
        .fetch_all(q(format!(
            "SELECT {ROUND_COLS} FROM report_rounds ORDER BY deadline DESC, id DESC"
        )))
        .await?;
    let mut units: std::collections::HashMap<i64, Vec<i64>> = std::collections::HashMap::new();
    for r in db
        .fetch_all(q(
            "SELECT round_id, unit_id FROM report_round_units ORDER BY round_id, unit_id",
        ))
        .await?
    {
        units
            .entry(r.get("round_id")?)
            .or_default()
            .push(r.get("unit_id")?);
    }
    rows.iter()
        .map(|r| {
            let id: i64 = r.get("id")?;
            round_row(r, units.remove(&id).unwrap_or_default())
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

/// One round with its template version.
pub async fn round(db: &Db, id: i64) -> Result<Option<(Round, Template)>> {
    let mut e = db.clone();
    let r = match round_in(&mut e, id).await {
        Ok(r) => r,
        Err(DbError::NotFound) => return Ok(None),
        Err(e) => return Err(e),
    };
    let t = template_in(&mut e, r.template_id).await?;
    Ok(Some((r, t)))
}

/// A unit's submission for a round, if it saved or submitted anything.
pub async fn submission(db: &Db, round_id: i64, unit_id: i64) -> Result<Option<Submission>> {
    submission_in(&mut db.clone(), round_id, unit_id).await
}

/// The newest version of every template.
pub async fn templates(db: &Db) -> Result<Vec<Template>> {
    db.fetch_all(q(
        "SELECT id, family_id, version, name, body, unit_id FROM report_templates t
         WHERE version = (SELECT MAX(version) FROM report_templates v WHERE v.family_id = t.family_id)
         ORDER BY name",
    ))
    .await?
    .iter()
    .map(template_row)
    .collect()
}

/// The round of the same template (any version) and office for the same period one year
/// earlier ("cùng kỳ năm trước"), if there is one.
pub async fn same_period_last_year(db: &Db, round: &Round) -> Result<Option<i64>> {
    let Some(period) = Period::parse(&round.period) else {
        return Ok(None);
    };
    db.fetch_optional(
        q(
            "SELECT r.id AS id FROM report_rounds r JOIN report_templates t ON t.id = r.template_id
           WHERE t.family_id = (SELECT family_id FROM report_templates WHERE id = $1)
             AND r.period = $2 AND r.unit_id = $3
           ORDER BY r.id DESC LIMIT 1",
        )
        .bind(round.template_id)
        .bind(period.a_year_before().code())
        .bind(round.unit_id),
    )
    .await?
    .map(|r| r.get("id"))
    .transpose()
}

/// The value danchu's own data gives an indicator for a unit and a cut-off range
/// (`yyyy-mm-dd`, both days included, Vietnam time).
pub async fn source_value(
    db: &Db,
    source: &danchu_core::reporting::Source,
    unit_id: i64,
    from: &str,
    to: &str,
) -> Result<i64> {
    let start = danchu_core::text::day_start_vn;
    let (Some(from), Some(to)) = (start(from), start(to)) else {
        return Ok(0);
    };
    match source {
        danchu_core::reporting::Source::ArticlesPublished { category } => db
            .fetch_optional(
                q("SELECT COUNT(*) AS n FROM articles a LEFT JOIN categories c ON c.id = a.category_id
                   WHERE a.unit_id = $1 AND a.status = 'published' AND a.published_at >= $2 AND a.published_at < $3
                     AND ($4 IS NULL OR c.slug = $4)")
                    .bind(unit_id)
                    .bind(from)
                    .bind(to + 86_400)
                    .bind(category.clone()),
            )
            .await?
            .map(|r| r.get("n"))
            .transpose()
            .map(|n| n.unwrap_or(0)),
        danchu_core::reporting::Source::DisclosuresPosted { category, on_time } => {
            let (from, to) = (
                danchu_core::text::iso_date_vn(from),
                danchu_core::text::iso_date_vn(to),
            );
            crate::disclosures::posted_count(db, unit_id, &from, &to, category.as_deref(), *on_time)
                .await
        }
    }
}
