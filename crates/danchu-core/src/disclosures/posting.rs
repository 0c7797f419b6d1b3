//! How long a disclosure stays posted (R10) and broadcast (R7).

use time::{Date, Duration};

/// The first day a posting that started on `start` may be taken down: it must stay up
/// `min_days` whole days (R10), so from `start + min_days`.
pub fn earliest_takedown(start: Date, min_days: i64) -> Date {
    start + Duration::days(min_days.max(0))
}

/// Days of the minimum posting period still to run on `today` (0 once it has run).
pub fn days_remaining(start: Date, min_days: i64, today: Date) -> i64 {
    (earliest_takedown(start, min_days) - today)
        .whole_days()
        .max(0)
}

/// Whether a broadcast from `start` to `end` (inclusive) covered the minimum number of
/// consecutive days (R7).
pub fn broadcast_long_enough(start: Date, end: Date, min_days: i64) -> bool {
    end >= start && (end - start).whole_days() + 1 >= min_days
}

/// Whether a posting from `start` ending on `end` (taken down that day; none = still up
/// on `today`) lasted the minimum (R10).
pub fn posted_long_enough(start: Date, end: Option<Date>, min_days: i64, today: Date) -> bool {
    match end {
        Some(e) => e >= earliest_takedown(start, min_days),
        None => today >= earliest_takedown(start, min_days),
    }
}

/// How a disclosure's posting stands on a day (R10 countdown).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Taken down that day.
    TakenDown(Date),
    /// Not on the notice board nor the portal yet.
    NotPosted,
    /// Posted from a day still to come.
    Upcoming(Date),
    /// Up since `start`; `remaining` days of the `min_days` minimum still to run (0 once met).
    Running { min_days: i64, remaining: i64 },
}

/// How a posting first up on `posted_on` (none: not yet), taken down on `taken_down_on`
/// (none: still up), with a minimum of `min_days`, stands on `today` (R10).
pub fn standing(
    posted_on: Option<Date>,
    taken_down_on: Option<Date>,
    min_days: i64,
    today: Date,
) -> Standing {
    if let Some(down) = taken_down_on {
        return Standing::TakenDown(down);
    }
    match posted_on {
        None => Standing::NotPosted,
        Some(start) if start > today => Standing::Upcoming(start),
        Some(start) => Standing::Running {
            min_days,
            remaining: days_remaining(start, min_days, today),
        },
    }
}

impl Standing {
    /// The standing in words, as the register and the admin pages show it.
    pub fn text_vi(&self) -> String {
        use crate::text::format_date;
        match *self {
            Standing::TakenDown(d) => format!("Đã gỡ ngày {}", format_date(d)),
            Standing::NotPosted => "Chưa niêm yết".into(),
            Standing::Upcoming(d) => format!("Niêm yết từ ngày {}", format_date(d)),
            Standing::Running {
                min_days,
                remaining: 0,
            } => format!("Đang niêm yết (đã đủ {min_days} ngày)"),
            Standing::Running {
                min_days,
                remaining,
            } => format!("Đang niêm yết — còn {remaining} ngày mới đủ thời hạn {min_days} ngày"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::disclosures::{commune_categories, Channel};
    use time::macros::date;

    #[test]
    fn r10_posting_lasts_thirty_days_with_a_countdown() {
        let start = date!(2023 - 07 - 10);
        assert_eq!(earliest_takedown(start, 30), date!(2023 - 08 - 09));
        assert_eq!(days_remaining(start, 30, date!(2023 - 07 - 10)), 30);
        assert_eq!(days_remaining(start, 30, date!(2023 - 08 - 08)), 1);
        assert_eq!(days_remaining(start, 30, date!(2023 - 08 - 09)), 0);
        assert_eq!(days_remaining(start, 30, date!(2024 - 01 - 01)), 0);
        // Across a year boundary.
        assert_eq!(
            earliest_takedown(date!(2023 - 12 - 15), 30),
            date!(2024 - 01 - 14)
        );
        assert!(!posted_long_enough(
            start,
            Some(date!(2023 - 08 - 08)),
            30,
            date!(2023 - 09 - 01)
        ));
        assert!(posted_long_enough(
            start,
            Some(date!(2023 - 08 - 09)),
            30,
            date!(2023 - 09 - 01)
        ));
        assert!(!posted_long_enough(start, None, 30, date!(2023 - 07 - 20)));
    }

    #[test]
    fn r7_broadcast_needs_three_consecutive_days() {
        let d = date!(2023 - 09 - 04);
        assert!(broadcast_long_enough(d, date!(2023 - 09 - 06), 3));
        assert!(!broadcast_long_enough(d, date!(2023 - 09 - 05), 3));
        assert!(!broadcast_long_enough(d, date!(2023 - 09 - 01), 3));
        let cats = commune_categories();
        assert_eq!(cats.len(), 14);
        for c in &cats {
            let broadcast = (7..=12).contains(&c.item);
            assert_eq!(
                c.broadcast_days,
                if broadcast { 3 } else { 0 },
                "{}",
                c.code
            );
            assert_eq!(c.channels.contains(&Channel::Broadcast), broadcast);
            assert_eq!(c.min_days, 30, "R10 default");
        }
    }

    #[test]
    fn r10_standing_counts_down_to_the_minimum() {
        let start = date!(2023 - 07 - 10);
        let on = |today| standing(Some(start), None, 30, today);
        assert_eq!(on(date!(2023 - 07 - 09)), Standing::Upcoming(start));
        assert_eq!(
            on(date!(2023 - 08 - 08)).text_vi(),
            "Đang niêm yết — còn 1 ngày mới đủ thời hạn 30 ngày"
        );
        assert_eq!(
            on(date!(2023 - 08 - 09)).text_vi(),
            "Đang niêm yết (đã đủ 30 ngày)"
        );
        assert_eq!(standing(None, None, 30, start).text_vi(), "Chưa niêm yết");
        let down = standing(Some(start), Some(date!(2023 - 08 - 01)), 30, start);
        assert_eq!(down.text_vi(), "Đã gỡ ngày 01/08/2023");
    }
}
