//! What each unit reports on its part of a task, and where it stands: done, next due,
//! overdue.

use serde::{Deserialize, Serialize};
use time::Date;

/// What a unit says about its part of a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum TaskStatus {
    NotStarted,
    InProgress,
    Done,
}

impl TaskStatus {
    pub const ALL: [TaskStatus; 3] = [
        TaskStatus::NotStarted,
        TaskStatus::InProgress,
        TaskStatus::Done,
    ];

    pub fn code(self) -> &'static str {
        match self {
            TaskStatus::NotStarted => "not_started",
            TaskStatus::InProgress => "in_progress",
            TaskStatus::Done => "done",
        }
    }

    pub fn parse(s: &str) -> Option<TaskStatus> {
        TaskStatus::ALL.into_iter().find(|t| t.code() == s)
    }

    pub fn name_vi(self) -> &'static str {
        match self {
            TaskStatus::NotStarted => "Chưa thực hiện",
            TaskStatus::InProgress => "Đang thực hiện",
            TaskStatus::Done => "Hoàn thành",
        }
    }
}

/// One progress entry of a unit: the due date it answers and the status it reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub occurrence: Date,
    pub status: TaskStatus,
}

/// Where a unit stands on a task on a given day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    /// The status of the earliest unfinished due date (Done when all are done).
    pub status: TaskStatus,
    /// The earliest due date not yet done, if any.
    pub next_due: Option<Date>,
    /// That date has passed.
    pub overdue: bool,
    /// Due dates done / all due dates.
    pub done: usize,
    pub total: usize,
}

/// Works out a unit's standing from its entries (oldest first; a later entry for the same
/// due date replaces an earlier one). A task is overdue when its earliest due date that is
/// not done lies before `today`: finishing late clears the flag, skipping a period does not.
pub fn standing(occurrences: &[Date], entries: &[Entry], today: Date) -> Standing {
    let open = open_dates(occurrences, entries);
    let next_due = open.first().copied();
    Standing {
        status: match next_due {
            None => TaskStatus::Done,
            Some(d) => latest(entries, d).unwrap_or(TaskStatus::NotStarted),
        },
        overdue: next_due.is_some_and(|d| d < today),
        next_due,
        done: occurrences.len() - open.len(),
        total: occurrences.len(),
    }
}

/// The status of a due date: its latest entry's (oldest first; a later entry replaces an
/// earlier one).
fn latest(entries: &[Entry], d: Date) -> Option<TaskStatus> {
    entries
        .iter()
        .rev()
        .find(|e| e.occurrence == d)
        .map(|e| e.status)
}

/// The due dates not done yet, earliest first.
pub fn open_dates(occurrences: &[Date], entries: &[Entry]) -> Vec<Date> {
    occurrences
        .iter()
        .copied()
        .filter(|d| latest(entries, *d) != Some(TaskStatus::Done))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn overdue_is_the_earliest_unfinished_due_date_in_the_past() {
        let occ = [
            date!(2023 - 03 - 31),
            date!(2023 - 06 - 30),
            date!(2023 - 09 - 30),
        ];
        // Nothing reported, first due date passed.
        let s = standing(&occ, &[], date!(2023 - 04 - 01));
        assert!(s.overdue);
        assert_eq!(s.status, TaskStatus::NotStarted);
        assert_eq!(s.next_due, Some(date!(2023 - 03 - 31)));
        // On the due date itself it is not late yet.
        assert!(!standing(&occ, &[], date!(2023 - 03 - 31)).overdue);
        // Q1 done (even late), Q2 in progress and not yet due.
        let entries = [
            Entry {
                occurrence: occ[0],
                status: TaskStatus::InProgress,
            },
            Entry {
                occurrence: occ[0],
                status: TaskStatus::Done,
            },
            Entry {
                occurrence: occ[1],
                status: TaskStatus::InProgress,
            },
        ];
        let s = standing(&occ, &entries, date!(2023 - 05 - 01));
        assert!(!s.overdue);
        assert_eq!(s.status, TaskStatus::InProgress);
        assert_eq!((s.done, s.total), (1, 3));
        // Skipping Q2 to report Q3 leaves Q2 overdue.
        let skipped = [
            entries[1],
            Entry {
                occurrence: occ[2],
                status: TaskStatus::Done,
            },
        ];
        let s = standing(&occ, &skipped, date!(2023 - 07 - 15));
        assert!(s.overdue);
        assert_eq!(s.next_due, Some(occ[1]));
        // A later entry replaces an earlier one for the same due date.
        let reopened = [
            entries[1],
            Entry {
                occurrence: occ[0],
                status: TaskStatus::InProgress,
            },
        ];
        assert_eq!(
            standing(&occ, &reopened, date!(2023 - 03 - 01)).next_due,
            Some(occ[0])
        );
        // All done.
        let all: Vec<Entry> = occ
            .iter()
            .map(|d| Entry {
                occurrence: *d,
                status: TaskStatus::Done,
            })
            .collect();
        let s = standing(&occ, &all, date!(2024 - 01 - 01));
        assert_eq!(s.status, TaskStatus::Done);
        assert!(!s.overdue);
        assert_eq!(s.next_due, None);
    }
}
