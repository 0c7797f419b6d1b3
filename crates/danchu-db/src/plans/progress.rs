//! Progress entries a unit records against a task, with evidence files.

use danchu_core::plans::{Entry, TaskStatus};
use serde::Serialize;
use time::Date;

use super::tasks::{task, Task};
use crate::audit::{self, Actor};
use crate::decode::col;
use crate::exec::{link_all, q, row_struct, Db, DbError, Exec, Owned, Result};
use crate::media::Media;

row_struct! {
    /// One progress entry of a unit on a task.
    #[derive(Debug, Clone, Serialize, PartialEq)]
    pub struct Progress {
        pub id: i64,
        pub task_id: i64,
        pub unit_id: i64,
        /// The due date it answers.
        #[serde(serialize_with = "crate::decode::day_text::required")]
        pub occurrence: Date = col::required_day("occurrence"),
        pub status: TaskStatus = col::code("plan_progress.status", TaskStatus::parse),
        pub note: String,
        pub created_by: String,
        pub created_at: i64,
        pub files: Vec<Media> = col::later,
    }
}

/// Which due date an entry answers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Due {
    /// The earliest due date the unit has not done yet (the last one when all are done):
    /// what the API takes when no date is given.
    EarliestOpen,
    /// This day; `None` when what was typed is not a day (refused).
    On(Option<Date>),
}

/// What a unit reports on a task.
#[derive(Debug, Clone)]
pub struct NewProgress {
    pub occurrence: Due,
    pub status: TaskStatus,
    pub note: String,
    pub files: Vec<i64>,
}

/// Records a unit's progress on a task of a plan (audited), in one transaction: the task
/// must belong to the plan and be given to the unit (or it is not found), and the due
/// date must be one of the task's.
pub async fn record(
    db: &Db,
    actor: &Actor,
    target: (i64, i64, i64),
    p: &NewProgress,
    uploads: &[crate::media::NewMedia],
) -> Result<Progress> {
    record_at(db, actor, target, p, uploads, crate::now_s()).await
}

/// The due date an entry answers and its note, cleaned, or why the entry is refused, by
/// field.
fn check_progress(t: &Task, p: &NewProgress, occurrence: Option<Date>) -> Result<(Date, String)> {
    let mut refused = Vec::new();
    let day = occurrence.filter(|d| t.due_days().contains(d));
    if day.is_none() {
        refused.push((
            "occurrence",
            "Kỳ thực hiện không hợp lệ. Hãy chọn một thời hạn của nhiệm vụ.".to_string(),
        ));
    }
    let note = danchu_core::text::nfc(p.note.trim());
    if note.chars().count() > 5000 {
        refused.push((
            "note",
            format!(
                "Ghi chú quá dài ({} ký tự; tối đa 5.000).",
                danchu_core::text::format_number(note.chars().count() as i64)
            ),
        ));
    }
    match day {
        Some(day) if refused.is_empty() => Ok((day, note)),
        _ => Err(DbError::Refused(refused)),
    }
}

/// [`record`] at a given time (unix seconds): for loading past data such as the demo.
/// The entry is built from what was written (no read back), so one entry is five
/// statements besides its files: the task and its units, the insert, the audit entry.
pub async fn record_at(
    db: &Db,
    actor: &Actor,
    (plan_id, task_id, unit_id): (i64, i64, i64),
    p: &NewProgress,
    uploads: &[crate::media::NewMedia],
    at: i64,
) -> Result<Progress> {
    let mut tx = db.begin().await?;
    let t = task(&mut tx, task_id)
        .await?
        .filter(|t| t.plan_id == plan_id && t.units().contains(&unit_id))
        .ok_or(DbError::NotFound)?;
    let occurrence = match p.occurrence {
        Due::On(day) => day,
        Due::EarliestOpen => {
            let latest = latest_per_due_date(&mut tx, &t, unit_id).await?;
            open_due_dates(&t, &latest)
                .into_iter()
                .next()
                .or_else(|| t.due_days().last().copied())
        }
    };
    let (occurrence, note) = check_progress(&t, p, occurrence)?;
    let mut files = p.files.clone();
    files.extend(crate::media::insert_all(&mut tx, actor, uploads).await?);
    let id: i64 = tx
        .fetch_scalar(
            q("INSERT INTO plan_progress (task_id, unit_id, occurrence, status, note, created_by, created_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
            .bind(task_id)
            .bind(unit_id)
            .bind(occurrence)
            .bind(p.status.code())
            .bind(&note)
            .bind(&actor.0)
            .bind(at),
        ).await?.ok_or(DbError::NotFound)?;
    link_all(
        &mut tx,
        ("plan_progress_files", "progress_id", "media_id"),
        id,
        &files,
    )
    .await?;
    let mut entry = Progress {
        id,
        task_id,
        unit_id,
        occurrence,
        status: p.status,
        note,
        created_by: actor.0.clone(),
        created_at: at,
        files: Vec::new(),
    };
    if !files.is_empty() {
        attach_files(&mut tx, std::slice::from_mut(&mut entry)).await?;
    }
    audit::record(audit::action::PLAN_PROGRESS, "plan_task", task_id)
        .after(&mut tx, actor, &entry)
        .await?;
    tx.commit().await?;
    Ok(entry)
}

pub(super) const PROGRESS_COLS: &str =
    "id, task_id, unit_id, occurrence, status, note, created_by, created_at";

/// The files of these progress entries, in one query per thousand entries.
async fn attach_files(e: &mut impl Exec, entries: &mut [Progress]) -> Result<()> {
    let ids: Vec<i64> = entries.iter().map(|p| p.id).collect();
    let cols = crate::media::joined_cols();
    let mut files = std::collections::HashMap::new();
    for chunk in ids.chunks(crate::exec::IN_CHUNK) {
        let rows: Vec<Owned<Media>> = e
            .fetch_all_as(
                q(format!("SELECT f.progress_id AS owner, {cols} FROM plan_progress_files f JOIN media m ON m.id = f.media_id WHERE f.progress_id IN "))
                    .in_list(chunk)
                    .push(" ORDER BY m.id"),
            )
            .await?;
        files.extend(Owned::grouped(rows));
    }
    for p in entries {
        p.files = files.remove(&p.id).unwrap_or_default();
    }
    Ok(())
}

/// The latest entry for each due date of a unit on a task (oldest first): all that the
/// rules need to know which due dates are done, however long the history grows. The
/// newest id per due date, each a single step down the (task, unit, occurrence, id)
/// index (`ORDER BY id DESC LIMIT 1`: `MAX(id)` let PostgreSQL, its statistics taken
/// when the history was short, read every entry), so the cost follows the number of due
/// dates, not of entries (a unit that records progress a thousand times reads as little
/// as one that did it once).
async fn latest_per_due_date(
    e: &mut impl Exec,
    task: &Task,
    unit_id: i64,
) -> Result<Vec<Progress>> {
    let days = task.due_days();
    if days.is_empty() {
        return Ok(Vec::new());
    }
    // A join, not `id IN (…)`: PostgreSQL would hash the list and scan the whole table.
    let cols = PROGRESS_COLS
        .split(", ")
        .map(|c| format!("p.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut query = q(format!("SELECT {cols} FROM plan_progress p JOIN ("));
    for (i, day) in days.iter().enumerate() {
        if i > 0 {
            query = query.push(" UNION ALL ");
        }
        query = query
            .push("SELECT (SELECT id FROM plan_progress WHERE task_id = ")
            .push_bind(task.id)
            .push(" AND unit_id = ")
            .push_bind(unit_id)
            .push(" AND occurrence = ")
            .push_bind(*day)
            .push(" ORDER BY id DESC LIMIT 1) AS latest");
    }
    e.fetch_all_as(query.push(") m ON p.id = m.latest ORDER BY p.id"))
        .await
}

/// The task's due dates a unit has not done yet, earliest first, from its entries
/// (oldest first).
pub fn open_due_dates(task: &Task, history: &[Progress]) -> Vec<Date> {
    danchu_core::plans::open_dates(&task.due_days(), &entries(history))
}

/// Progress entries as the rules read them.
pub(super) fn entries(list: &[Progress]) -> Vec<Entry> {
    list.iter()
        .map(|p| Entry {
            occurrence: p.occurrence,
            status: p.status,
        })
        .collect()
}

/// A page of a unit's entries on a task, newest first, with their files, and how many
/// entries there are in all. `offset` is clamped to the last page.
pub async fn history(
    db: &Db,
    task_id: i64,
    unit_id: i64,
    limit: i64,
    offset: i64,
) -> Result<(i64, Vec<Progress>)> {
    let limit = limit.clamp(1, 1000);
    let mut e = db.clone();
    let total: i64 = e
        .fetch_scalar(
            q("SELECT COUNT(*) AS n FROM plan_progress WHERE task_id = $1 AND unit_id = $2")
                .bind(task_id)
                .bind(unit_id),
        )
        .await?
        .unwrap_or(0);
    let last_page = (total - 1).max(0) / limit * limit;
    let offset = offset.clamp(0, last_page);
    let mut list: Vec<Progress> = e
        .fetch_all_as(
            q(format!("SELECT {PROGRESS_COLS} FROM plan_progress WHERE task_id = $1 AND unit_id = $2 ORDER BY id DESC LIMIT $3 OFFSET $4"))
                .bind(task_id)
                .bind(unit_id)
                .bind(limit)
                .bind(offset),
        ).await?;
    attach_files(&mut e, &mut list).await?;
    Ok((total, list))
}

/// The task's due dates the unit has not done yet, earliest first.
pub async fn open_dates_of(db: &Db, task: &Task, unit_id: i64) -> Result<Vec<Date>> {
    let latest = latest_per_due_date(&mut db.clone(), task, unit_id).await?;
    Ok(open_due_dates(task, &latest))
}
