//! A plan's tasks: a lead unit, supporting units, due dates (audited).

use std::collections::BTreeMap;

use danchu_core::plans::{occurrences, Recurrence};
use danchu_core::text::{clean_line, iso_date};
use serde::Serialize;

use super::plan::get;
use crate::audit::{self, Actor};
use crate::decode::col;
use crate::exec::{link_all, q, row_struct, Db, DbError, Exec, FromRow, Result};

row_struct! {
    #[derive(Debug, Clone, Serialize, PartialEq)]
    pub struct Task {
        pub id: i64,
        pub plan_id: i64,
        pub position: i64,
        pub content: String,
        pub expected_output: String,
        pub lead_unit_id: i64,
        pub supporters: Vec<i64> = col::later,
        /// First (or only) due date.
        #[serde(serialize_with = "crate::decode::day_text::required")]
        pub due_on: time::Date = col::required_day("due_on"),
        pub recurrence: Recurrence = col::code("plan_tasks.recurrence", Recurrence::parse),
        /// The last day a recurring task can fall due (its due date when due once).
        #[serde(serialize_with = "crate::decode::day_text::optional")]
        pub until_on: Option<time::Date> = col::day("until_on"),
    }
}

impl Task {
    /// Every due date of the task.
    pub fn due_days(&self) -> Vec<time::Date> {
        match self.until_on {
            Some(until) => occurrences(self.due_on, self.recurrence, until),
            None => vec![self.due_on],
        }
    }

    /// Every due date of the task, `yyyy-mm-dd` (as progress entries name them).
    pub fn due_dates(&self) -> Vec<String> {
        self.due_days().into_iter().map(iso_date).collect()
    }

    /// The lead unit, then the supporting units.
    pub fn units(&self) -> Vec<i64> {
        std::iter::once(self.lead_unit_id)
            .chain(self.supporters.iter().copied())
            .collect()
    }
}

/// A task as typed (checked once, by [`add_task`]).
pub use danchu_core::plans::NewTask;

pub(super) const TASK_COLS: &str =
    "id, plan_id, position, content, expected_output, lead_unit_id, due_on, recurrence, until_on";

/// The tasks with their supporting units (one query per thousand tasks).
pub(super) async fn with_supporters(e: &mut impl Exec, mut tasks: Vec<Task>) -> Result<Vec<Task>> {
    let ids: Vec<i64> = tasks.iter().map(|t| t.id).collect();
    let mut supporters: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for chunk in ids.chunks(crate::exec::IN_CHUNK) {
        let pairs: Vec<(i64, i64)> = e
            .fetch_all_as(
                q("SELECT task_id, unit_id FROM plan_task_supporters WHERE task_id IN ")
                    .in_list(chunk)
                    .push(" ORDER BY task_id, unit_id"),
            )
            .await?;
        for (task, unit) in pairs {
            supporters.entry(task).or_default().push(unit);
        }
    }
    for t in &mut tasks {
        t.supporters = supporters.remove(&t.id).unwrap_or_default();
    }
    Ok(tasks)
}

/// A plan's tasks in order.
pub async fn tasks(db: &Db, plan_id: i64) -> Result<Vec<Task>> {
    let mut db = db.clone();
    let tasks = db
        .fetch_all_as(
            q(format!(
                "SELECT {TASK_COLS} FROM plan_tasks WHERE plan_id = $1 ORDER BY position, id"
            ))
            .bind(plan_id),
        )
        .await?;
    with_supporters(&mut db, tasks).await
}

/// One task with its supporting units, in one statement (a row per supporter): every
/// progress entry reads it.
pub async fn task(e: &mut impl Exec, id: i64) -> Result<Option<Task>> {
    let rows = e
        .fetch_all(
            q("SELECT t.id, t.plan_id, t.position, t.content, t.expected_output, t.lead_unit_id, t.due_on, t.recurrence, t.until_on, s.unit_id AS supporter
               FROM plan_tasks t LEFT JOIN plan_task_supporters s ON s.task_id = t.id
               WHERE t.id = $1 ORDER BY s.unit_id")
            .bind(id),
        )
        .await?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let mut task = Task::from_row(first)?;
    for r in &rows {
        if let Some(unit) = r.get::<Option<i64>>("supporter")? {
            task.supporters.push(unit);
        }
    }
    Ok(Some(task))
}

/// Adds a task at the end of a plan (audited), after the one check of what was typed
/// ([`danchu_core::plans::check_task`]): refused with the errors by field.
pub async fn add_task(db: &Db, actor: &Actor, plan_id: i64, t: &NewTask) -> Result<Task> {
    let days = danchu_core::plans::check_task(t).map_err(DbError::Refused)?;
    let mut tx = db.begin().await?;
    get(&mut tx, plan_id).await?.ok_or(DbError::NotFound)?;
    let position: i64 = tx
        .fetch_scalar(
            q("SELECT COALESCE(MAX(position), 0) + 1 AS n FROM plan_tasks WHERE plan_id = $1")
                .bind(plan_id),
        )
        .await?
        .ok_or(DbError::NotFound)?;
    let id: i64 = tx
        .fetch_scalar(
            q("INSERT INTO plan_tasks (plan_id, position, content, expected_output, lead_unit_id, due_on, recurrence, until_on, created_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id")
            .bind(plan_id)
            .bind(position)
            .bind(clean_line(&t.content))
            .bind(clean_line(&t.expected_output))
            .bind(t.lead_unit_id)
            .bind(days.due_on)
            .bind(t.recurrence.code())
            .bind(days.until_on)
            .bind(crate::now_s()),
        ).await?.ok_or(DbError::NotFound)?;
    link_all(
        &mut tx,
        ("plan_task_supporters", "task_id", "unit_id"),
        id,
        &t.supporters,
    )
    .await?;
    let created = task(&mut tx, id).await?.ok_or(DbError::NotFound)?;
    audit::record(audit::action::PLAN_TASK_ADD, "plan_task", id)
        .after(&mut tx, actor, &created)
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
    audit::record(audit::action::PLAN_TASK_REMOVE, "plan_task", task_id)
        .before(&mut tx, actor, &before)
        .await?;
    tx.commit().await
}
