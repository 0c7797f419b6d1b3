//! Opening a report round: the round as typed (in the admin form, through the API, or by
//! the demo) and the one check it passes before it opens (R29, R30).

use time::Date;

use super::period::{Frequency, Period};

/// A round as typed, parsed at the edge but not yet checked.
#[derive(Debug, Clone, Default)]
pub struct RoundDraft {
    /// The template chosen and the office that owns it; `None` when none of the
    /// templates the user may open rounds with was chosen.
    pub template: Option<(i64, i64)>,
    pub title: String,
    /// The period code typed; empty for an ad hoc round.
    pub period: String,
    /// The data range typed: `None` when both ends were left blank; an end that is not a
    /// day is `None` inside.
    pub cutoff: Option<(Option<Date>, Option<Date>)>,
    /// The deadline; `None` when blank or not a day.
    pub deadline: Option<Date>,
    /// The units that must report (those the user may ask).
    pub units: Vec<i64>,
}

/// A round that may open: every field known and consistent.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedRound {
    pub template_id: i64,
    pub unit_id: i64,
    /// The title as stored (one clean line).
    pub title: String,
    pub frequency: Frequency,
    pub period: Option<Period>,
    /// The data range, both ends included: as typed, or the period's default (R30).
    pub cutoff: (Date, Date),
    pub deadline: Date,
    /// Sorted, without repeats.
    pub units: Vec<i64>,
}

/// Why a round cannot open, each reason with the field it is about.
pub type RoundErrors = Vec<(&'static str, String)>;

/// Checks a round as typed: a template, a title, a period or (for an ad hoc report) a data
/// range, a deadline and units. Without a range the cut-off is the period's default (R30);
/// the frequency follows from the period (R29).
pub fn check_round(d: &RoundDraft) -> Result<CheckedRound, RoundErrors> {
    let mut errors: RoundErrors = Vec::new();
    let mut push = |field: &'static str, message: &str| errors.push((field, message.into()));
    if d.template.is_none() {
        push("template_id", "Hãy chọn mẫu báo cáo.");
    }
    let title = crate::text::clean_line(&d.title);
    if title.is_empty() {
        push("title", "Hãy nhập tên đợt báo cáo.");
    }
    let (period, cutoff) = period_of(d, &mut push);
    if d.deadline.is_none() {
        push("deadline", "Hãy nhập hạn nộp (dd/mm/yyyy).");
    }
    if d.units.is_empty() {
        push("units", "Hãy chọn các đơn vị phải báo cáo.");
    }
    let (Some((template_id, unit_id)), Some(cutoff), Some(deadline), true) =
        (d.template, cutoff, d.deadline, errors.is_empty())
    else {
        return Err(errors);
    };
    let mut units = d.units.clone();
    units.sort_unstable();
    units.dedup();
    Ok(CheckedRound {
        template_id,
        unit_id,
        title,
        frequency: frequency_of(period.as_ref()),
        period,
        cutoff,
        deadline,
        units,
    })
}

/// The period and the data range: a period (its default range, R30), or for an ad hoc
/// report a range typed.
fn period_of(
    d: &RoundDraft,
    push: &mut impl FnMut(&'static str, &str),
) -> (Option<Period>, Option<(Date, Date)>) {
    let period = Period::parse(&d.period);
    if !d.period.is_empty() && period.is_none() {
        push("period", "Kỳ báo cáo không hợp lệ.");
    }
    let typed = match d.cutoff {
        None => None,
        Some((Some(from), Some(to))) if from <= to => Some((from, to)),
        Some(_) => {
            push(
                "cutoff_from",
                "Khoảng lấy số liệu không hợp lệ (dd/mm/yyyy, từ ngày trước đến ngày).",
            );
            None
        }
    };
    if period.is_none() && typed.is_none() && d.period.is_empty() {
        push(
            "period",
            "Hãy chọn kỳ báo cáo, hoặc nhập khoảng lấy số liệu cho báo cáo đột xuất.",
        );
    }
    let cutoff = match (typed, d.cutoff, period) {
        (Some(range), ..) => Some(range),
        (None, None, Some(p)) => {
            let default = p.cutoff();
            if default.is_none() {
                push(
                    "period",
                    "Cần kỳ báo cáo hoặc khoảng thời gian lấy số liệu.",
                );
            }
            default
        }
        _ => None,
    };
    (period, cutoff)
}

/// How often a round of this period comes (a range without a period is ad hoc, R29).
pub fn frequency_of(period: Option<&Period>) -> Frequency {
    match period {
        Some(Period::Month { .. }) => Frequency::Monthly,
        Some(Period::Quarter { .. }) => Frequency::Quarterly,
        Some(Period::FirstHalf { .. } | Period::SecondHalf { .. }) => Frequency::HalfYear,
        Some(Period::NineMonths { .. }) => Frequency::NineMonths,
        Some(Period::Year { .. }) => Frequency::Annual,
        None => Frequency::AdHoc,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn draft() -> RoundDraft {
        RoundDraft {
            template: Some((1, 2)),
            title: "Báo cáo 6 tháng đầu năm 2023".into(),
            period: Period::FirstHalf { year: 2023 }.code(),
            cutoff: None,
            deadline: Some(date!(2023 - 06 - 20)),
            units: vec![5, 3, 5],
        }
    }

    fn fields(d: &RoundDraft) -> Vec<&'static str> {
        match check_round(d) {
            Ok(_) => Vec::new(),
            Err(e) => e.into_iter().map(|(f, _)| f).collect(),
        }
    }

    #[test]
    fn r30_a_period_without_a_range_takes_its_default_cutoff() {
        let d = RoundDraft {
            period: Period::FirstHalf { year: 2023 }.code(),
            ..draft()
        };
        let r = check_round(&d).map_err(|e| format!("{e:?}"));
        assert_eq!(
            r.map(|r| (r.cutoff, r.frequency, r.units)),
            Ok((
                (date!(2022 - 12 - 15), date!(2023 - 06 - 14)),
                Frequency::HalfYear,
                vec![3, 5]
            ))
        );
    }

    #[test]
    fn r29_a_range_without_a_period_is_ad_hoc() {
        let d = RoundDraft {
            period: String::new(),
            cutoff: Some((Some(date!(2023 - 01 - 01)), Some(date!(2023 - 01 - 31)))),
            ..draft()
        };
        assert_eq!(
            check_round(&d).map(|r| r.frequency).ok(),
            Some(Frequency::AdHoc)
        );
    }

    #[test]
    fn an_empty_round_names_every_missing_field() {
        assert_eq!(
            fields(&RoundDraft::default()),
            vec!["template_id", "title", "period", "deadline", "units"]
        );
    }

    #[test]
    fn a_range_backwards_or_half_typed_is_refused() {
        for cutoff in [
            (Some(date!(2023 - 02 - 01)), Some(date!(2023 - 01 - 01))),
            (Some(date!(2023 - 02 - 01)), None),
        ] {
            let d = RoundDraft {
                period: String::new(),
                cutoff: Some(cutoff),
                ..draft()
            };
            // Without a period either, the round also lacks one.
            assert_eq!(fields(&d), vec!["cutoff_from", "period"]);
        }
    }

    #[test]
    fn an_unknown_period_is_refused() {
        let d = RoundDraft {
            period: "2023-x9".into(),
            ..draft()
        };
        assert_eq!(fields(&d), vec!["period"]);
    }
}
