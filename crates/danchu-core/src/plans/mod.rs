//! Plans and their tasks (issue 5, point 1): a plan such as Kế hoạch số 22/KH-UBND gives
//! tasks to a lead unit and supporting units, each due once or again every month,
//! quarter, half-year or year. Each assigned unit records its progress; a task whose
//! earliest unfinished due date has passed is overdue. Pure rules, no I/O.

use serde::{Deserialize, Serialize};
use time::{Date, Month};

/// How often a task falls due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Recurrence {
    /// Due once.
    #[default]
    Once,
    Monthly,
    Quarterly,
    HalfYear,
    Annual,
}

impl Recurrence {
    pub const ALL: [Recurrence; 5] = [
        Recurrence::Once,
        Recurrence::Monthly,
        Recurrence::Quarterly,
        Recurrence::HalfYear,
        Recurrence::Annual,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Recurrence::Once => "once",
            Recurrence::Monthly => "monthly",
            Recurrence::Quarterly => "quarterly",
            Recurrence::HalfYear => "half_year",
            Recurrence::Annual => "annual",
        }
    }

    pub fn parse(s: &str) -> Option<Recurrence> {
        Recurrence::ALL.into_iter().find(|r| r.code() == s)
    }

    pub fn name_vi(self) -> &'static str {
        match self {
            Recurrence::Once => "Một lần",
            Recurrence::Monthly => "Hằng tháng",
            Recurrence::Quarterly => "Hằng quý",
            Recurrence::HalfYear => "6 tháng một lần",
            Recurrence::Annual => "Hằng năm",
        }
    }

    fn months(self) -> u32 {
        match self {
            Recurrence::Once => 0,
            Recurrence::Monthly => 1,
            Recurrence::Quarterly => 3,
            Recurrence::HalfYear => 6,
            Recurrence::Annual => 12,
        }
    }
}

/// A task is never given more due dates than this (ten years of monthly reports).
pub const MAX_OCCURRENCES: usize = 120;

/// The date `months` months after `d`, on the same day of the month or the month's last
/// day when it is shorter (31/01 + 1 month = 28/02 or 29/02).
pub fn add_months(d: Date, months: u32) -> Option<Date> {
    let total = d.month() as u32 - 1 + months;
    let year = d.year() + (total / 12) as i32;
    let month = Month::try_from((total % 12 + 1) as u8).ok()?;
    let day = d.day().min(month.length(year));
    Date::from_calendar_date(year, month, day).ok()
}

/// Every due date of a task: the first, then one each period up to and including
/// `until` (at most [`MAX_OCCURRENCES`]). A one-off task has just its due date.
pub fn occurrences(first: Date, recurrence: Recurrence, until: Date) -> Vec<Date> {
    let step = recurrence.months();
    if step == 0 {
        return vec![first];
    }
    let mut out = Vec::new();
    let mut k = 0u32;
    while out.len() < MAX_OCCURRENCES {
        // Counted from the first date each time, so 31/01 gives 28/02 then 31/03.
        let Some(d) = add_months(first, k * step) else {
            break;
        };
        if d > until {
            break;
        }
        out.push(d);
        k += 1;
    }
    if out.is_empty() {
        out.push(first);
    }
    out
}

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
    fn months_keep_the_day_or_take_the_month_end() {
        assert_eq!(
            add_months(date!(2023 - 01 - 31), 1),
            Some(date!(2023 - 02 - 28))
        );
        assert_eq!(
            add_months(date!(2024 - 01 - 31), 1),
            Some(date!(2024 - 02 - 29))
        );
        assert_eq!(
            add_months(date!(2023 - 11 - 15), 3),
            Some(date!(2024 - 02 - 15))
        );
        assert_eq!(
            add_months(date!(2023 - 06 - 30), 12),
            Some(date!(2024 - 06 - 30))
        );
    }

    #[test]
    fn recurring_tasks_fall_due_each_period_until_the_end() {
        let q = occurrences(
            date!(2023 - 03 - 31),
            Recurrence::Quarterly,
            date!(2023 - 12 - 31),
        );
        assert_eq!(
            q,
            vec![
                date!(2023 - 03 - 31),
                date!(2023 - 06 - 30),
                date!(2023 - 09 - 30),
                date!(2023 - 12 - 31)
            ]
        );
        let m = occurrences(
            date!(2023 - 01 - 31),
            Recurrence::Monthly,
            date!(2023 - 04 - 30),
        );
        assert_eq!(m[1], date!(2023 - 02 - 28));
        assert_eq!(m[2], date!(2023 - 03 - 31));
        assert_eq!(m.len(), 4);
        let once = occurrences(date!(2023 - 05 - 01), Recurrence::Once, date!(2030 - 1 - 1));
        assert_eq!(once, vec![date!(2023 - 05 - 01)]);
        // An end before the first date still leaves the first due date.
        let short = occurrences(
            date!(2023 - 05 - 01),
            Recurrence::Monthly,
            date!(2023 - 01 - 01),
        );
        assert_eq!(short, vec![date!(2023 - 05 - 01)]);
        let capped = occurrences(
            date!(2000 - 01 - 01),
            Recurrence::Monthly,
            date!(2100 - 01 - 01),
        );
        assert_eq!(capped.len(), MAX_OCCURRENCES);
    }

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

    #[test]
    fn codes_round_trip() {
        for r in Recurrence::ALL {
            assert_eq!(Recurrence::parse(r.code()), Some(r));
        }
        for t in TaskStatus::ALL {
            assert_eq!(TaskStatus::parse(t.code()), Some(t));
        }
        assert_eq!(Recurrence::parse("weekly"), None);
        assert_eq!(TaskStatus::parse(""), None);
    }
}
