//! When a task falls due: once, or again each month, quarter, half-year or year.

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
}
