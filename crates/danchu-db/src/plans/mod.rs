//! Plans and their tasks in the database (issue 5, point 1): a plan is a document of the
//! library followed up by one unit; its tasks go to a lead unit and supporting units;
//! each assigned unit records progress entries with evidence files. The rules (due
//! dates, recurrence, overdue) are in `danchu_core::plans`; every change is audited.
//!
//! - `plan`: the plan itself.
//! - `tasks`: its tasks.
//! - `progress`: the progress entries units record.
//! - `board`: where every unit stands.

mod board;
mod plan;
mod progress;
mod tasks;

pub use board::{board, boards, Board, TaskBoard, UnitStanding, UnitSummary};
pub use plan::{by_document, create, get, list, Plan};
pub use progress::{
    history, open_dates_of, open_due_dates, record, record_at, Due, NewProgress, Progress,
};
pub use tasks::{add_task, remove_task, task, tasks, NewTask, Task};
