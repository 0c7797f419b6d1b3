//! A task as typed (in the admin form, through the API, or by the demo) and the one check
//! it passes before it is given to a plan.

use time::Date;

use super::schedule::Recurrence;
use crate::text::clean_line;

/// A task as typed by Phòng Nội vụ, parsed at the edge but not yet checked.
#[derive(Debug, Clone, Default)]
pub struct NewTask {
    pub content: String,
    pub expected_output: String,
    /// The lead unit; 0 when none the plan can give tasks to was chosen.
    pub lead_unit_id: i64,
    pub supporters: Vec<i64>,
    /// The first (or only) due date; `None` when blank or not a day.
    pub due_on: Option<Date>,
    pub recurrence: Recurrence,
    /// The last day a recurring task can fall due; `None` when blank or not a day.
    pub until_on: Option<Date>,
}

/// A task's first due date and the last day it can fall due (its due date when it is
/// due once).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskDays {
    pub due_on: Date,
    pub until_on: Date,
}

/// Checks a task as typed: its days, or the problems by form field, in Vietnamese.
pub fn check_task(t: &NewTask) -> Result<TaskDays, Vec<(&'static str, String)>> {
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
    if t.due_on.is_none() {
        out.push(("due_on", "Hãy nhập thời hạn (dd/mm/yyyy).".to_string()));
    }
    if t.recurrence != Recurrence::Once {
        match (t.due_on, t.until_on) {
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
    let last = if t.recurrence == Recurrence::Once {
        t.due_on
    } else {
        t.until_on
    };
    match (t.due_on, last, out.is_empty()) {
        (Some(due_on), Some(until_on), true) => Ok(TaskDays { due_on, until_on }),
        _ => Err(out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn task() -> NewTask {
        NewTask {
            content: "Niêm yết công khai dự toán".into(),
            lead_unit_id: 7,
            due_on: Some(date!(2099 - 01 - 15)),
            ..NewTask::default()
        }
    }

    fn fields(t: &NewTask) -> Vec<&'static str> {
        match check_task(t) {
            Ok(_) => Vec::new(),
            Err(e) => e.into_iter().map(|(f, _)| f).collect(),
        }
    }

    #[test]
    fn a_task_due_once_ends_on_its_due_date() {
        assert_eq!(
            check_task(&task()),
            Ok(TaskDays {
                due_on: date!(2099 - 01 - 15),
                until_on: date!(2099 - 01 - 15)
            })
        );
    }

    #[test]
    fn an_empty_task_names_its_fields() {
        assert_eq!(
            fields(&NewTask::default()),
            vec!["content", "lead_unit_id", "due_on"]
        );
    }

    #[test]
    fn a_recurring_task_needs_an_end_after_its_first_due_date() {
        let t = NewTask {
            recurrence: Recurrence::Quarterly,
            ..task()
        };
        assert_eq!(fields(&t), vec!["until_on"]);
        let backwards = NewTask {
            until_on: Some(date!(2098 - 12 - 31)),
            ..t.clone()
        };
        assert_eq!(fields(&backwards), vec!["until_on"]);
        let ok = NewTask {
            until_on: Some(date!(2099 - 12 - 31)),
            ..t
        };
        assert_eq!(
            check_task(&ok).map(|d| d.until_on),
            Ok(date!(2099 - 12 - 31))
        );
    }

    #[test]
    fn the_lead_unit_does_not_also_support() {
        let t = NewTask {
            supporters: vec![7],
            ..task()
        };
        assert_eq!(fields(&t), vec!["supporters"]);
    }
}
