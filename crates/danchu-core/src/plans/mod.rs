//! Plans and their tasks (issue 5, point 1): a plan such as Kế hoạch số 22/KH-UBND gives
//! tasks to a lead unit and supporting units, each due once or again every month,
//! quarter, half-year or year ([`schedule`]). Each assigned unit records its progress; a
//! task whose earliest unfinished due date has passed is overdue ([`progress`]). A task
//! typed is checked once ([`task`]). Pure rules, no I/O.

pub mod progress;
pub mod schedule;
pub mod task;

pub use progress::{open_dates, standing, Entry, Standing, TaskStatus};
pub use schedule::{add_months, occurrences, Recurrence, MAX_OCCURRENCES};
pub use task::{check_task, NewTask};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        let (recurrence, status) = (Recurrence::code, TaskStatus::code);
        crate::assert_codes(&Recurrence::ALL, recurrence, Recurrence::parse, "weekly");
        crate::assert_codes(&TaskStatus::ALL, status, TaskStatus::parse, "");
    }
}
