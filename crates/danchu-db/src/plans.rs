//! Plans and their tasks in the database (issue 5, point 1): a plan is a document of the
//! library followed up by one unit; its tasks go to a lead unit and supporting units;
//! each assigned unit records progress entries with evidence files. The rules (due
//! dates, recurrence, overdue) are in `danchu_core::plans`; every change is audited.

use std::collections::BTreeMap;

use danchu_core::plans::{occurrences, standing, Entry, Recurrence, TaskStatus};
use danchu_core::text::{clean_line, iso_date, parse_date};
use serde::Serialize;

use crate::audit::{self, Actor};
use crate::documents::Document;
use crate::exec::{link_all, q, Db, DbError, Exec, Result, Row};
use crate::media::Media;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Plan {
    pub id: i64,
    /// The plan's document: number and symbol, issue date, issuer, title, signer, files.
    pub document: Document,
    /// The unit that follows the plan up (Phòng Nội vụ).
    pub unit_id: i64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Task {
    pub id: i64,
    pub plan_id: i64,
    pub position: i64,
    pub content: String,
    pub expected_output: String,
    pub lead_unit_id: i64,
    pub supporters: Vec<i64>,
    /// First (or only) due date, `yyyy-mm-dd`.
    pub due_on: String,
    pub recurrence: Recurrence,
    /// The last day a recurring task can fall due.
    pub until_on: String,
}

impl Task {
    /// Every due date of the task, `yyyy-mm-dd`.
    pub fn due_dates(&self) -> Vec<String> {
        let (Some(first), Some(until)) = (parse_date(&self.due_on), parse_date(&self.until_on))
        else {
            return vec![self.due_on.clone()];
        };
        occurrences(first, self.recurrence, until)
            .into_iter()
            .map(iso_date)
            .collect()
    }

    /// The lead unit, then the supporting units.
    pub fn units(&self) -> Vec<i64> {
        std::iter::once(self.lead_unit_id)
            .chain(self.supporters.iter().copied())
            .collect()
    }
}

/// A task as typed by Phòng Nội vụ (checked by [`check_task`]).
#[derive(Debug, Clone, Default)]
pub struct NewTask {
    pub content: String,
    pub expected_output: String,
    pub lead_unit_id: i64,
    pub supporters: Vec<i64>,
    pub due_on: String,
    pub recurrence: Recurrence,
    pub until_on: String,
}

/// One progress entry of a unit on a task.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Progress {
    pub id: i64,
    pub task_id: i64,
    pub unit_id: i64,
    /// The due date it answers, `yyyy-mm-dd`.
    pub occurrence: String,
    pub status: TaskStatus,
    pub note: String,
    pub created_by: String,
    pub created_at: i64,
    pub files: Vec<Media>,
}

/// Problems with a task, by form field, in Vietnamese.
pub fn check_task(t: &NewTask) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if clean_line(&t.content).is_empty() {
        out.push(("content", "Hãy nhập nội dung nhiệm vụ.".to_string()));
    }
    if t.lead_unit_id <= 0 {
        out.push(("lead_unit_id", "Hãy chọn đơn vị chủ trì.".to_string()));
    }
    if t.supporters.contains(&t.lead_unit_id) {
        out.push((
            "supporters",
            "Đơn vị chủ trì không đồng thời là đơn vị phối hợp.".to_string(),
        ));
    }
    let due = parse_date(&t.due_on);
    if due.is_none() {
        out.push(("due_on", "Hãy nhập thời hạn (dd/mm/yyyy).".to_string()));
    }
    if t.recurrence != Recurrence::Once {
        match (due, parse_date(&t.until_on)) {
            (Some(d), Some(u)) if u >= d => {}
            (_, Some(_)) => out.push((
                "until_on",
                "Ngày kết thúc lặp lại phải sau thời hạn đầu tiên.".to_string(),
            )),
            (_, None) => out.push((
                "until_on",
                "Nhiệm vụ định kỳ cần ngày kết thúc lặp lại (dd/mm/yyyy).".to_string(),
            )),
        }
    }
    out
}

const PLAN_COLS: &str = "p.id AS plan_id, p.unit_id AS plan_unit, d.id, d.unit_id, d.number, d.kind, d.issuer, d.issued_on, d.effective_on, d.signer, d.field, d.summary, d.status, d.downloads";

fn plan_row(r: &Row) -> Result<Plan> {
    Ok(Plan {
        id: r.get("plan_id")?,
        unit_id: r.get("plan_unit")?,
        document: crate::documents::doc(r)?,
    })
}

/// Makes a document of the library a plan followed up by `unit_id` (audited).
pub async fn create(db: &Db, actor: &Actor, document_id: i64, unit_id: i64) -> Result<Plan> {
    let mut tx = db.begin().await?;
    if crate::documents::get(&mut tx, document_id).await?.is_none() {
        return Err(DbError::Invalid("Không có văn bản này.".into()));
    }
    let exists = tx
        .fetch_optional(q("SELECT id FROM plans WHERE document_id = $1").bind(document_id))
        .await?;
    if exists.is_some() {
        return Err(DbError::Invalid(
            "Văn bản này đã được theo dõi như một kế hoạch.".into(),
        ));
    }
    let id: i64 = tx
        .fetch_optional(
            q("INSERT INTO plans (document_id, unit_id, created_at) VALUES ($1, $2, $3) RETURNING id")
                .bind(document_id)
                .bind(unit_id)
                .bind(crate::now_s()),
        )
        .await?
        .ok_or(DbError::NotFound)?
        .get("id")?;
    let plan = get(&mut tx, id).await?.ok_or(DbError::NotFound)?;
    audit::append(
        &mut tx,
        actor,
        "plan.create",
        "plan",
        &id.to_string(),
        None::<&()>,
        Some(&plan),
    )
    .await?;
    tx.commit().await?;
    Ok(plan)
}

pub async fn get(e: &mut impl Exec, id: i64) -> Result<Option<Plan>> {
    e.fetch_optional(
        q(format!(
            "SELECT {PLAN_COLS} FROM plans p JOIN documents d ON d.id = p.document_id WHERE p.id = $1"
        ))
        .bind(id),
    )
    .await?
    .as_ref()
    .map(plan_row)
    .transpose()
}

/// Every plan, newest document first.
pub async fn list(db: &Db) -> Result<Vec<Plan>> {
    db.fetch_all(q(format!(
        "SELECT {PLAN_COLS} FROM plans p JOIN documents d ON d.id = p.document_id ORDER BY d.issued_on DESC, p.id DESC"
    )))
    .await?
    .iter()
    .map(plan_row)
    .collect()
}

/// The plan that follows a document up, if any (for the document's public page).
pub async fn by_document(db: &Db, document_id: i64) -> Result<Option<i64>> {
    db.fetch_optional(q("SELECT id FROM plans WHERE document_id = $1").bind(document_id))
        .await?
        .map(|r| r.get("id"))
        .transpose()
}

const TASK_COLS: &str =
    "id, plan_id, position, content, expected_output, lead_unit_id, due_on, recurrence, until_on";

async fn task_rows(e: &mut impl Exec, rows: Vec<Row>) -> Result<Vec<Task>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.get("id")).collect::<Result<_>>()?;
    // The supporting units of every task in one query per thousand tasks.
    let mut supporters: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for chunk in ids.chunks(crate::exec::IN_CHUNK) {
        for r in e
            .fetch_all(
                q("SELECT task_id, unit_id FROM plan_task_supporters WHERE task_id IN ")
                    .in_list(chunk)
                    .push(" ORDER BY task_id, unit_id"),
            )
            .await?
        {
            supporters
                .entry(r.get("task_id")?)
                .or_default()
                .push(r.get("unit_id")?);
        }
    }
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let id: i64 = r.get("id")?;
        let rec: String = r.get("recurrence")?;
        out.push(Task {
            id,
            plan_id: r.get("plan_id")?,
            position: r.get("position")?,
            content: r.get("content")?,
            expected_output: r.get("expected_output")?,
            lead_unit_id: r.get("lead_unit_id")?,
            supporters: supporters.remove(&id).unwrap_or_default(),
            due_on: r.get("due_on")?,
            recurrence: crate::decode::code("plan_tasks.recurrence", &rec, Recurrence::parse)?,
            until_on: r.get("until_on")?,
        });
    }
    Ok(out)
}

/// A plan's tasks in order.
pub async fn tasks(db: &Db, plan_id: i64) -> Result<Vec<Task>> {
    let mut db = db.clone();
    let rows = db
        .fetch_all(
            q(format!(
                "SELECT {TASK_COLS} FROM plan_tasks WHERE plan_id = $1 ORDER BY position, id"
            ))
            .bind(plan_id),
        )
        .await?;
    task_rows(&mut db, rows).await
}

pub async fn task(e: &mut impl Exec, id: i64) -> Result<Option<Task>> {
    let rows = e
        .fetch_all(q(format!("SELECT {TASK_COLS} FROM plan_tasks WHERE id = $1")).bind(id))
        .await?;
    Ok(task_rows(e, rows).await?.pop())
}

/// Adds a task at the end of a plan (audited). The task must pass [`check_task`].
pub async fn add_task(db: &Db, actor: &Actor, plan_id: i64, t: &NewTask) -> Result<Task> {
    if let Some((_, why)) = check_task(t).into_iter().next() {
        return Err(DbError::Invalid(why));
    }
    let until = if t.recurrence == Recurrence::Once {
        t.due_on.clone()
    } else {
        t.until_on.clone()
    };
    let mut tx = db.begin().await?;
    get(&mut tx, plan_id).await?.ok_or(DbError::NotFound)?;
    let position: i64 = tx
        .fetch_optional(
            q("SELECT COALESCE(MAX(position), 0) + 1 AS n FROM plan_tasks WHERE plan_id = $1")
                .bind(plan_id),
        )
        .await?
        .ok_or(DbError::NotFound)?
        .get("n")?;
    let id: i64 = tx
        .fetch_optional(
            q("INSERT INTO plan_tasks (plan_id, position, content, expected_output, lead_unit_id, due_on, recurrence, until_on, created_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id")
            .bind(plan_id)
            .bind(position)
            .bind(clean_line(&t.content))
            .bind(clean_line(&t.expected_output))
            .bind(t.lead_unit_id)
            .bind(&t.due_on)
            .bind(t.recurrence.code())
            .bind(until)
            .bind(crate::now_s()),
        )
        .await?
        .ok_or(DbError::NotFound)?
        .get("id")?;
    link_all(
        &mut tx,
        ("plan_task_supporters", "task_id", "unit_id"),
        id,
        &t.supporters,
    )
    .await?;
    let created = task(&mut tx, id).await?.ok_or(DbError::NotFound)?;
    audit::append(
        &mut tx,
        actor,
        "plan.task.add",
        "plan_task",
        &id.to_string(),
        None::<&()>,
        Some(&created),
    )
    .await?;
    tx.commit().await?;
    Ok(created)
}

/// Removes a task nobody has reported on yet (audited); one with progress is kept.
pub async fn remove_task(db: &Db, actor: &Actor, task_id: i64) -> Result<()> {
    let mut tx = db.begin().await?;
    let before = task(&mut tx, task_id).await?.ok_or(DbError::NotFound)?;
    let used = tx
        .fetch_optional(q("SELECT id FROM plan_progress WHERE task_id = $1 LIMIT 1").bind(task_id))
        .await?;
    if used.is_some() {
        return Err(DbError::Invalid(
            "Nhiệm vụ đã có đơn vị báo cáo tiến độ nên không xóa được.".into(),
        ));
    }
    tx.execute(q("DELETE FROM plan_task_supporters WHERE task_id = $1").bind(task_id))
        .await?;
    tx.execute(q("DELETE FROM plan_tasks WHERE id = $1").bind(task_id))
        .await?;
    audit::append(
        &mut tx,
        actor,
        "plan.task.remove",
        "plan_task",
        &task_id.to_string(),
        Some(&before),
        None::<&()>,
    )
    .await?;
    tx.commit().await
}

/// What a unit reports on a task.
#[derive(Debug, Clone)]
pub struct NewProgress {
    pub occurrence: String,
    pub status: TaskStatus,
    pub note: String,
    pub files: Vec<i64>,
}

/// Records a unit's progress on a task (audited). The unit must be assigned to the task
/// and the due date must be one of the task's.
pub async fn record(
    db: &Db,
    actor: &Actor,
    (task_id, unit_id): (i64, i64),
    p: &NewProgress,
    uploads: &[crate::media::NewMedia],
) -> Result<Progress> {
    record_at(db, actor, (task_id, unit_id), p, uploads, crate::now_s()).await
}

/// [`record`] at a given time (unix seconds): for loading past data such as the demo.
pub async fn record_at(
    db: &Db,
    actor: &Actor,
    (task_id, unit_id): (i64, i64),
    p: &NewProgress,
    uploads: &[crate::media::NewMedia],
    at: i64,
) -> Result<Progress> {
    let mut tx = db.begin().await?;
    let t = task(&mut tx, task_id).await?.ok_or(DbError::NotFound)?;
    if !t.units().contains(&unit_id) {
        return Err(DbError::Refused(vec![(
            "unit",
            "Đơn vị không được giao nhiệm vụ này.".into(),
        )]));
    }
    let mut refused = Vec::new();
    if !t.due_dates().contains(&p.occurrence) {
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
    if !refused.is_empty() {
        return Err(DbError::Refused(refused));
    }
    let mut files = p.files.clone();
    files.extend(crate::media::insert_all(&mut tx, actor, uploads).await?);
    let id: i64 = tx
        .fetch_optional(
            q("INSERT INTO plan_progress (task_id, unit_id, occurrence, status, note, created_by, created_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
            .bind(task_id)
            .bind(unit_id)
            .bind(&p.occurrence)
            .bind(p.status.code())
            .bind(note)
            .bind(&actor.0)
            .bind(at),
        )
        .await?
        .ok_or(DbError::NotFound)?
        .get("id")?;
    link_all(
        &mut tx,
        ("plan_progress_files", "progress_id", "media_id"),
        id,
        &files,
    )
    .await?;
    let entry = entry_in(&mut tx, id).await?;
    audit::append(
        &mut tx,
        actor,
        "plan.progress",
        "plan_task",
        &task_id.to_string(),
        None::<&()>,
        Some(&entry),
    )
    .await?;
    tx.commit().await?;
    Ok(entry)
}

fn progress_row(r: &Row) -> Result<Progress> {
    let status: String = r.get("status")?;
    Ok(Progress {
        id: r.get("id")?,
        task_id: r.get("task_id")?,
        unit_id: r.get("unit_id")?,
        occurrence: r.get("occurrence")?,
        status: crate::decode::code("plan_progress.status", &status, TaskStatus::parse)?,
        note: r.get("note")?,
        created_by: r.get("created_by")?,
        created_at: r.get("created_at")?,
        files: Vec::new(),
    })
}

const PROGRESS_COLS: &str =
    "id, task_id, unit_id, occurrence, status, note, created_by, created_at";

/// The files of these progress entries, in one query per thousand entries.
async fn attach_files(e: &mut impl Exec, entries: &mut [Progress]) -> Result<()> {
    let ids: Vec<i64> = entries.iter().map(|p| p.id).collect();
    let cols = crate::media::joined_cols();
    let mut files: BTreeMap<i64, Vec<crate::media::Media>> = BTreeMap::new();
    for chunk in ids.chunks(crate::exec::IN_CHUNK) {
        for r in e
            .fetch_all(
                q(format!("SELECT f.progress_id AS progress_id, {cols} FROM plan_progress_files f JOIN media m ON m.id = f.media_id WHERE f.progress_id IN "))
                    .in_list(chunk)
                    .push(" ORDER BY m.id"),
            )
            .await?
        {
            files
                .entry(r.get("progress_id")?)
                .or_default()
                .push(crate::media::media(&r)?);
        }
    }
    for p in entries {
        p.files = files.remove(&p.id).unwrap_or_default();
    }
    Ok(())
}

/// One progress entry with its files.
async fn entry_in(e: &mut impl Exec, id: i64) -> Result<Progress> {
    let r = e
        .fetch_optional(
            q(format!(
                "SELECT {PROGRESS_COLS} FROM plan_progress WHERE id = $1"
            ))
            .bind(id),
        )
        .await?
        .ok_or(DbError::NotFound)?;
    let mut list = vec![progress_row(&r)?];
    attach_files(e, &mut list).await?;
    list.pop().ok_or(DbError::NotFound)
}

/// The latest entry for each due date of a unit on a task (oldest first): all that the
/// rules need to know which due dates are done, however long the history grows.
async fn latest_per_due_date(
    e: &mut impl Exec,
    task_id: i64,
    unit_id: i64,
) -> Result<Vec<Progress>> {
    e.fetch_all(
        q(format!("SELECT {PROGRESS_COLS} FROM plan_progress WHERE id IN (
               SELECT MAX(id) FROM plan_progress WHERE task_id = $1 AND unit_id = $2 GROUP BY occurrence
           ) ORDER BY id"))
        .bind(task_id)
        .bind(unit_id),
    )
    .await?
    .iter()
    .map(progress_row)
    .collect()
}

/// The task's due dates a unit has not done yet, earliest first (`yyyy-mm-dd`), from its
/// entries (oldest first).
pub fn open_due_dates(task: &Task, history: &[Progress]) -> Vec<String> {
    let due: Vec<time::Date> = task
        .due_dates()
        .iter()
        .filter_map(|d| parse_date(d))
        .collect();
    danchu_core::plans::open_dates(&due, &entries(history))
        .into_iter()
        .map(iso_date)
        .collect()
}

/// Progress entries as the rules read them.
fn entries(list: &[Progress]) -> Vec<Entry> {
    list.iter()
        .filter_map(|p| {
            Some(Entry {
                occurrence: parse_date(&p.occurrence)?,
                status: p.status,
            })
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
        .fetch_optional(
            q("SELECT COUNT(*) AS n FROM plan_progress WHERE task_id = $1 AND unit_id = $2")
                .bind(task_id)
                .bind(unit_id),
        )
        .await?
        .map(|r| r.get("n"))
        .transpose()?
        .unwrap_or(0);
    let last_page = (total - 1).max(0) / limit * limit;
    let offset = offset.clamp(0, last_page);
    let mut list: Vec<Progress> = e
        .fetch_all(
            q(format!("SELECT {PROGRESS_COLS} FROM plan_progress WHERE task_id = $1 AND unit_id = $2 ORDER BY id DESC LIMIT $3 OFFSET $4"))
                .bind(task_id)
                .bind(unit_id)
                .bind(limit)
                .bind(offset),
        )
        .await?
        .iter()
        .map(progress_row)
        .collect::<Result<_>>()?;
    attach_files(&mut e, &mut list).await?;
    Ok((total, list))
}

/// The task's due dates the unit has not done yet, earliest first (`yyyy-mm-dd`).
pub async fn open_dates_of(db: &Db, task: &Task, unit_id: i64) -> Result<Vec<String>> {
    let latest = latest_per_due_date(&mut db.clone(), task.id, unit_id).await?;
    Ok(open_due_dates(task, &latest))
}

/// Where one assigned unit stands on a task.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct UnitStanding {
    pub unit_id: i64,
    pub unit_name: String,
    pub lead: bool,
    pub status: TaskStatus,
    /// The earliest due date not yet done (`yyyy-mm-dd`).
    pub next_due: Option<String>,
    pub overdue: bool,
    /// Due dates done / all due dates.
    pub done: usize,
    pub total: usize,
    /// The latest note and when it was written (unix seconds), if any.
    pub last_note: String,
    pub last_at: Option<i64>,
}

/// A task with the standing of each assigned unit.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TaskBoard {
    pub task: Task,
    pub units: Vec<UnitStanding>,
}

/// Per unit over the whole plan.
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct UnitSummary {
    pub unit_id: i64,
    pub unit_name: String,
    pub assigned: usize,
    pub done: usize,
    pub in_progress: usize,
    pub overdue: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Board {
    pub tasks: Vec<TaskBoard>,
    /// Units in Vietnamese name order.
    pub units: Vec<UnitSummary>,
}

/// The plan's progress on `today` (`yyyy-mm-dd`, Vietnam): each task with each assigned
/// unit's standing, and a summary per unit.
pub async fn board(db: &Db, plan_id: i64, today: &str) -> Result<Board> {
    Ok(boards(db, &[plan_id], today)
        .await?
        .remove(&plan_id)
        .unwrap_or(Board {
            tasks: Vec::new(),
            units: Vec::new(),
        }))
}

/// [`board`] for several plans at once, in a few queries however many plans, tasks and
/// entries there are.
pub async fn boards(db: &Db, plan_ids: &[i64], today: &str) -> Result<BTreeMap<i64, Board>> {
    let today = parse_date(today).ok_or_else(|| DbError::Invalid("ngày không hợp lệ".into()))?;
    let mut e = db.clone();
    let mut out = BTreeMap::new();
    for chunk in plan_ids.chunks(crate::exec::IN_CHUNK) {
        let rows = e
            .fetch_all(
                q(format!(
                    "SELECT {TASK_COLS} FROM plan_tasks WHERE plan_id IN "
                ))
                .in_list(chunk)
                .push(" ORDER BY plan_id, position, id"),
            )
            .await?;
        let tasks = task_rows(&mut e, rows).await?;
        // The latest entry per due date is all the standing needs (the newest of them is
        // the unit's last note), however long the histories grow.
        let rows = e
            .fetch_all(
                q(format!("SELECT {PROGRESS_COLS} FROM plan_progress WHERE id IN (
                       SELECT MAX(id) FROM plan_progress WHERE task_id IN (SELECT id FROM plan_tasks WHERE plan_id IN "))
                    .in_list(chunk)
                    .push(") GROUP BY task_id, unit_id, occurrence) ORDER BY id"),
            )
            .await?;
        let mut by_unit: BTreeMap<(i64, i64), Vec<Progress>> = BTreeMap::new();
        for r in &rows {
            let p = progress_row(r)?;
            by_unit.entry((p.task_id, p.unit_id)).or_default().push(p);
        }
        let mut ids: Vec<i64> = tasks.iter().flat_map(Task::units).collect();
        ids.sort_unstable();
        ids.dedup();
        let names: BTreeMap<i64, String> = unit_names(db, &ids).await?.into_iter().collect();
        let mut per_plan: BTreeMap<i64, Vec<Task>> =
            chunk.iter().map(|p| (*p, Vec::new())).collect();
        for t in tasks {
            per_plan.entry(t.plan_id).or_default().push(t);
        }
        for (plan, tasks) in per_plan {
            out.insert(plan, build_board(tasks, &by_unit, &names, today));
        }
    }
    Ok(out)
}

fn build_board(
    tasks: Vec<Task>,
    by_unit: &BTreeMap<(i64, i64), Vec<Progress>>,
    names: &BTreeMap<i64, String>,
    today: time::Date,
) -> Board {
    let mut summary: BTreeMap<i64, UnitSummary> = BTreeMap::new();
    let mut out = Vec::with_capacity(tasks.len());
    for t in tasks {
        let due: Vec<time::Date> = t.due_dates().iter().filter_map(|d| parse_date(d)).collect();
        let mut units = Vec::new();
        for u in t.units() {
            let list = by_unit.get(&(t.id, u)).map(Vec::as_slice).unwrap_or(&[]);
            let s = standing(&due, &entries(list), today);
            let name = names.get(&u).cloned().unwrap_or_default();
            let sum = summary.entry(u).or_insert_with(|| UnitSummary {
                unit_id: u,
                unit_name: name.clone(),
                ..Default::default()
            });
            sum.assigned += 1;
            match s.status {
                TaskStatus::Done => sum.done += 1,
                TaskStatus::InProgress => sum.in_progress += 1,
                TaskStatus::NotStarted => {}
            }
            if s.overdue {
                sum.overdue += 1;
            }
            let last = list.last();
            units.push(UnitStanding {
                unit_id: u,
                unit_name: name,
                lead: u == t.lead_unit_id,
                status: s.status,
                next_due: s.next_due.map(iso_date),
                overdue: s.overdue,
                done: s.done,
                total: s.total,
                last_note: last.map(|p| p.note.clone()).unwrap_or_default(),
                last_at: last.map(|p| p.created_at),
            });
        }
        out.push(TaskBoard { task: t, units });
    }
    let mut units: Vec<UnitSummary> = summary.into_values().collect();
    units.sort_by_cached_key(|u| danchu_core::text::vn_sort_key(&u.unit_name));
    Board { tasks: out, units }
}

/// (id, name) of units.
async fn unit_names(db: &Db, ids: &[i64]) -> Result<Vec<(i64, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    db.fetch_all(q("SELECT id, name FROM units WHERE id IN ").in_list(ids))
        .await?
        .iter()
        .map(|r| Ok((r.get("id")?, r.get("name")?)))
        .collect()
}
