//! The plan's board: where every unit stands on every task.

use std::collections::BTreeMap;

use danchu_core::plans::{standing, TaskStatus};
use danchu_core::text::iso_date;
use serde::Serialize;
use time::Date;

use super::progress::{entries, Progress, PROGRESS_COLS};
use super::tasks::{with_supporters, Task, TASK_COLS};
use crate::exec::{q, Db, Result};

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

/// The plan's progress on `today` (Vietnam): each task with each assigned unit's
/// standing, and a summary per unit.
pub async fn board(db: &Db, plan_id: i64, today: Date) -> Result<Board> {
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
pub async fn boards(db: &Db, plan_ids: &[i64], today: Date) -> Result<BTreeMap<i64, Board>> {
    let mut e = db.clone();
    let mut out = BTreeMap::new();
    for chunk in plan_ids.chunks(crate::exec::IN_CHUNK) {
        let tasks = e
            .fetch_all_as(
                q(format!(
                    "SELECT {TASK_COLS} FROM plan_tasks WHERE plan_id IN "
                ))
                .in_list(chunk)
                .push(" ORDER BY plan_id, position, id"),
            )
            .await?;
        let tasks = with_supporters(&mut e, tasks).await?;
        // The latest entry per due date is all the standing needs (the newest of them is
        // the unit's last note), however long the histories grow.
        let rows: Vec<Progress> = e
            .fetch_all_as(
                q(format!("SELECT {PROGRESS_COLS} FROM plan_progress WHERE id IN (
                       SELECT MAX(id) FROM plan_progress WHERE task_id IN (SELECT id FROM plan_tasks WHERE plan_id IN "))
                    .in_list(chunk)
                    .push(") GROUP BY task_id, unit_id, occurrence) ORDER BY id"),
            )
            .await?;
        let mut by_unit: BTreeMap<(i64, i64), Vec<Progress>> = BTreeMap::new();
        for p in rows {
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
        let due = t.due_days();
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
    db.fetch_all_as(q("SELECT id, name FROM units WHERE id IN ").in_list(ids))
        .await
}
