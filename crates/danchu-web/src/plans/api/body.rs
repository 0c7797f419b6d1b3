//! What the plans API sends and receives: its own structs, each field copied from the data
//! layer explicitly, so a change there cannot silently change the API.

use danchu_core::plans::{Recurrence, TaskStatus};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::common::{DocumentBody, FileBody};
use crate::api::paging::PageInfo;

/// Most supporting units a task may have.
pub const MAX_SUPPORTERS: usize = 100;

/// A plan: a document of the library followed up by a unit (Phòng Nội vụ).
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanBody {
    pub id: i64,
    /// The plan's document: number and symbol, issue date, issuer, summary, signer.
    pub document: DocumentBody,
    /// The unit that follows the plan up.
    pub unit_id: i64,
}

impl From<&danchu_db::plans::Plan> for PlanBody {
    fn from(p: &danchu_db::plans::Plan) -> Self {
        PlanBody {
            id: p.id,
            document: (&p.document).into(),
            unit_id: p.unit_id,
        }
    }
}

/// A page of plans, newest document first.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanList {
    pub plans: Vec<PlanBody>,
    #[serde(flatten)]
    pub page: PageInfo,
}

/// One plan created.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanCreated {
    pub plan: PlanBody,
}

/// A task of a plan.
#[derive(Debug, Serialize, ToSchema)]
pub struct TaskBody {
    pub id: i64,
    pub plan_id: i64,
    /// Order within the plan, from 1.
    pub position: i64,
    pub content: String,
    pub expected_output: String,
    pub lead_unit_id: i64,
    pub supporters: Vec<i64>,
    /// First (or only) due date, `yyyy-mm-dd`.
    pub due_on: String,
    pub recurrence: Recurrence,
    /// The last day a recurring task can fall due (`yyyy-mm-dd`, empty for once).
    pub until_on: String,
}

impl From<&danchu_db::plans::Task> for TaskBody {
    fn from(t: &danchu_db::plans::Task) -> Self {
        TaskBody {
            id: t.id,
            plan_id: t.plan_id,
            position: t.position,
            content: t.content.clone(),
            expected_output: t.expected_output.clone(),
            lead_unit_id: t.lead_unit_id,
            supporters: t.supporters.clone(),
            due_on: danchu_core::text::iso_date(t.due_on),
            recurrence: t.recurrence,
            until_on: crate::layout::day_input(&t.until_on),
        }
    }
}

/// One task created.
#[derive(Debug, Serialize, ToSchema)]
pub struct TaskCreated {
    pub task: TaskBody,
}

/// Where an assigned unit stands on a task today.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnitStandingBody {
    pub unit_id: i64,
    pub unit_name: String,
    /// The lead unit (else a supporting one).
    pub lead: bool,
    pub status: TaskStatus,
    /// The earliest due date not yet done (`yyyy-mm-dd`).
    pub next_due: Option<String>,
    pub overdue: bool,
    /// Due dates done, of `total`.
    pub done: i64,
    pub total: i64,
    /// The latest note, and when it was written (unix seconds).
    pub last_note: String,
    pub last_at: Option<i64>,
}

impl From<&danchu_db::plans::UnitStanding> for UnitStandingBody {
    fn from(u: &danchu_db::plans::UnitStanding) -> Self {
        UnitStandingBody {
            unit_id: u.unit_id,
            unit_name: u.unit_name.clone(),
            lead: u.lead,
            status: u.status,
            next_due: u.next_due.clone(),
            overdue: u.overdue,
            done: u.done as i64,
            total: u.total as i64,
            last_note: u.last_note.clone(),
            last_at: u.last_at,
        }
    }
}

/// A task with every due date and each assigned unit's standing.
#[derive(Debug, Serialize, ToSchema)]
pub struct TaskBoardBody {
    pub task: TaskBody,
    /// `yyyy-mm-dd`, in order.
    pub due_dates: Vec<String>,
    pub units: Vec<UnitStandingBody>,
}

/// A unit over the whole plan.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnitSummaryBody {
    pub unit_id: i64,
    pub unit_name: String,
    /// Tasks given to it.
    pub assigned: i64,
    pub done: i64,
    pub in_progress: i64,
    pub overdue: i64,
}

impl From<&danchu_db::plans::UnitSummary> for UnitSummaryBody {
    fn from(u: &danchu_db::plans::UnitSummary) -> Self {
        UnitSummaryBody {
            unit_id: u.unit_id,
            unit_name: u.unit_name.clone(),
            assigned: u.assigned as i64,
            done: u.done as i64,
            in_progress: u.in_progress as i64,
            overdue: u.overdue as i64,
        }
    }
}

/// A plan with its tasks and where each unit stands.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanDetail {
    pub plan: PlanBody,
    /// Every task of the plan, in order (a plan holds tens of tasks).
    pub tasks: Vec<TaskBoardBody>,
    /// Every unit given a task, in Vietnamese name order.
    pub units: Vec<UnitSummaryBody>,
}

/// One progress entry of a unit on a task.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgressBody {
    pub id: i64,
    pub task_id: i64,
    pub unit_id: i64,
    /// The due date it answers, `yyyy-mm-dd`.
    pub occurrence: String,
    pub status: TaskStatus,
    pub note: String,
    /// Who recorded it: a staff account, or `api-token#N` for a unit's API token.
    pub created_by: String,
    /// Unix seconds.
    pub created_at: i64,
    /// Evidence files (sent through the admin pages).
    pub files: Vec<FileBody>,
}

impl From<&danchu_db::plans::Progress> for ProgressBody {
    fn from(p: &danchu_db::plans::Progress) -> Self {
        ProgressBody {
            id: p.id,
            task_id: p.task_id,
            unit_id: p.unit_id,
            occurrence: danchu_core::text::iso_date(p.occurrence),
            status: p.status,
            note: p.note.clone(),
            created_by: p.created_by.clone(),
            created_at: p.created_at,
            files: p.files.iter().map(FileBody::from).collect(),
        }
    }
}

/// A page of a unit's progress entries on a task, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgressHistory {
    pub task: TaskBody,
    /// `yyyy-mm-dd`, in order.
    pub due_dates: Vec<String>,
    pub progress: Vec<ProgressBody>,
    #[serde(flatten)]
    pub page: PageInfo,
}

/// One progress entry recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgressCreated {
    pub progress: ProgressBody,
}

/// Follow a document of the library up as a plan.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewPlan {
    /// The document (it must exist in the library).
    pub document_id: i64,
    /// The unit that follows it up (the caller must manage reports there).
    pub unit_id: i64,
}

/// A task for a plan.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewTask {
    #[serde(default)]
    pub content: String,
    #[serde(default)]
    pub expected_output: String,
    /// A unit the plan can give tasks to.
    #[serde(default)]
    pub lead_unit_id: i64,
    /// Supporting units (at most 100).
    #[serde(default)]
    #[schema(max_items = 100)]
    pub supporters: Vec<i64>,
    /// `dd/mm/yyyy` or `yyyy-mm-dd`.
    #[serde(default)]
    pub due_on: String,
    /// Default `once`.
    #[serde(default)]
    #[schema(value_type = Option<Recurrence>)]
    pub recurrence: String,
    /// The last day a recurring task can fall due (`dd/mm/yyyy` or `yyyy-mm-dd`).
    #[serde(default)]
    pub until_on: String,
}

/// A unit's progress on a task.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewProgress {
    /// The due date answered (`yyyy-mm-dd` or `dd/mm/yyyy`); the earliest one not done
    /// when left out.
    #[serde(default)]
    pub occurrence: String,
    #[schema(value_type = TaskStatus)]
    pub status: String,
    /// At most 5.000 characters.
    #[serde(default)]
    #[schema(max_length = 5000)]
    pub note: String,
}
