//! What a disclosure still lacks of the forms its category requires (R7, R9, R46).

use time::{Date, Duration};

use super::{Category, Channel, AGENCY};

/// A form as the checks read it: (channel, first day, last day).
pub type UsedChannel = (Channel, Option<Date>, Option<Date>);

/// The longest run of consecutive days the broadcasts cover, ranges that touch or
/// overlap merged (a broadcast on day 1 and another on days 2–3 is 3 days; one without
/// an end day proves nothing yet).
pub fn broadcast_run(used: &[UsedChannel]) -> i64 {
    let mut ranges: Vec<(Date, Date)> = used
        .iter()
        .filter_map(|(ch, s, e)| match (ch, s, e) {
            (Channel::Broadcast, Some(s), Some(e)) if e >= s => Some((*s, *e)),
            _ => None,
        })
        .collect();
    ranges.sort();
    let mut best = 0;
    let mut current: Option<(Date, Date)> = None;
    for (s, e) in ranges {
        current = match current {
            Some((cs, ce)) if s <= ce + Duration::days(1) => Some((cs, ce.max(e))),
            _ => Some((s, e)),
        };
        if let Some((cs, ce)) = current {
            best = best.max((ce - cs).whole_days() + 1);
        }
    }
    best
}

/// What a disclosure still lacks of the forms its category requires (R7, R46, R9):
/// - a commune must use every listed form, the loudspeakers for the minimum number of
///   consecutive days (R7) — unless it has no loudspeaker system (`loudspeakers` false:
///   the law says "nếu có");
/// - an agency must use at least one of the listed forms (PCTN Đ11 k2: one of b–g); when
///   it used none, all are returned as the choice it has.
pub fn unmet_channels(c: &Category, used: &[UsedChannel], loudspeakers: bool) -> Vec<Channel> {
    unmet_forms(c, &FormsUsed::of(used), loudspeakers)
}

/// What the checks need of a disclosure's forms, small enough to keep on the disclosure
/// itself (written with each form, so a dashboard reads one row per disclosure): which
/// forms were used, and the longest run of consecutive broadcast days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FormsUsed {
    /// One bit per channel, by its place in [`Channel::ALL`].
    pub mask: i64,
    pub broadcast_run: i64,
}

impl FormsUsed {
    pub fn of(used: &[UsedChannel]) -> FormsUsed {
        FormsUsed {
            mask: used.iter().fold(0, |m, (ch, _, _)| m | ch.bit()),
            broadcast_run: broadcast_run(used),
        }
    }

    pub fn has(&self, c: Channel) -> bool {
        self.mask & c.bit() != 0
    }
}

/// [`unmet_channels`] from the summary kept on the disclosure.
pub fn unmet_forms(c: &Category, used: &FormsUsed, loudspeakers: bool) -> Vec<Channel> {
    if c.scope == AGENCY {
        return if c.channels.iter().any(|ch| used.has(*ch)) {
            Vec::new()
        } else {
            c.channels.clone()
        };
    }
    c.channels
        .iter()
        .copied()
        .filter(|required| match required {
            Channel::Broadcast if !loudspeakers => false,
            Channel::Broadcast if c.broadcast_days > 0 => used.broadcast_run < c.broadcast_days,
            _ => !used.has(*required),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::disclosures::commune_categories;
    use time::macros::date;

    #[test]
    fn r7_r36_required_forms_and_the_broadcast_minimum() {
        let cats = commune_categories();
        // R36: complaint results (item 8) go on the board, the portal, the loudspeakers
        // for 3 days and through the heads of thôn.
        let complaints = &cats[7];
        assert_eq!(complaints.item, 8);
        let d = |day| Some(date!(2023 - 10 - 01) + Duration::days(day));
        let board = (Channel::NoticeBoard, d(0), None);
        let portal = (Channel::Portal, d(0), None);
        let heads = (Channel::CommunityHeads, d(1), d(1));
        let bc = |a, b| (Channel::Broadcast, d(a), d(b));
        assert_eq!(
            unmet_channels(complaints, &[board, portal, heads, bc(0, 2)], true),
            vec![],
            "three consecutive days"
        );
        assert_eq!(
            unmet_channels(complaints, &[board, portal, heads, bc(0, 1)], true),
            vec![Channel::Broadcast],
            "two days are not enough"
        );
        assert_eq!(
            unmet_channels(
                complaints,
                &[board, portal, heads, bc(0, 0), bc(1, 2)],
                true
            ),
            vec![],
            "day 1 then days 2–3 are three consecutive days"
        );
        assert_eq!(
            unmet_channels(
                complaints,
                &[board, portal, heads, bc(0, 0), bc(2, 3)],
                true
            ),
            vec![Channel::Broadcast],
            "a gap breaks the run"
        );
        assert_eq!(
            unmet_channels(complaints, &[board, (Channel::Broadcast, d(0), None)], true),
            vec![Channel::Portal, Channel::Broadcast, Channel::CommunityHeads],
            "an open-ended broadcast proves nothing yet"
        );
        // R7 "nếu có": a commune without loudspeakers is not asked to broadcast.
        assert_eq!(
            unmet_channels(complaints, &[board, portal, heads], false),
            vec![]
        );
        // Item 4 needs only the board and the portal.
        assert!(unmet_channels(&cats[3], &[board, portal], true).is_empty());
    }
}
