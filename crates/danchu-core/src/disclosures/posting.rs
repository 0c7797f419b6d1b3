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
}
