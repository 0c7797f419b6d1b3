//! Report periods and their data cut-off windows (R29, R30, R32; Decree 09/2019/NĐ-CP).

use serde::{Deserialize, Serialize};
use time::{Date, Month};

/// How often a report is due (R29, R32).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Frequency {
    Monthly,
    Quarterly,
    HalfYear,
    NineMonths,
    Annual,
    AdHoc,
}

impl Frequency {
    pub const ALL: [Frequency; 6] = [
        Frequency::Monthly,
        Frequency::Quarterly,
        Frequency::HalfYear,
        Frequency::NineMonths,
        Frequency::Annual,
        Frequency::AdHoc,
    ];

    /// The stored code (as serde writes it).
    pub fn code(self) -> &'static str {
        match self {
            Frequency::Monthly => "monthly",
            Frequency::Quarterly => "quarterly",
            Frequency::HalfYear => "half_year",
            Frequency::NineMonths => "nine_months",
            Frequency::Annual => "annual",
            Frequency::AdHoc => "ad_hoc",
        }
    }

    /// Reads a [`Frequency::code`]; `None` for anything else.
    pub fn parse(code: &str) -> Option<Frequency> {
        Frequency::ALL.into_iter().find(|f| f.code() == code)
    }

    pub fn name_vi(self) -> &'static str {
        match self {
            Frequency::Monthly => "Hằng tháng",
            Frequency::Quarterly => "Hằng quý",
            Frequency::HalfYear => "6 tháng",
            Frequency::NineMonths => "9 tháng",
            Frequency::Annual => "Hằng năm",
            Frequency::AdHoc => "Đột xuất",
        }
    }
}

/// One reporting period of a periodic report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Period {
    Month { year: i32, month: u8 },
    Quarter { year: i32, quarter: u8 },
    FirstHalf { year: i32 },
    SecondHalf { year: i32 },
    NineMonths { year: i32 },
    Year { year: i32 },
}

fn day(year: i32, month: u8, d: u8) -> Option<Date> {
    Date::from_calendar_date(year, Month::try_from(month).ok()?, d).ok()
}

/// The 15th of the month before `month` (December of the previous year for January).
fn from_15th_before(year: i32, month: u8) -> Option<Date> {
    if month == 1 {
        day(year - 1, 12, 15)
    } else {
        day(year, month - 1, 15)
    }
}

impl Period {
    /// The default data cut-off window, both ends included (R30, Decree 09/2019/NĐ-CP):
    /// a month runs from the 15th of the previous month to the 14th; a quarter from the
    /// 15th of the month before it to the 14th of its last month; the first 6 months from
    /// 15/12 of the previous year to 14/06, the last 6 months from 15/06 to 14/12; 9 months
    /// from 15/12 of the previous year to 14/09; a year from 15/12 of the previous year to
    /// 14/12. `None` for an impossible period (month 13, quarter 5).
    pub fn cutoff(&self) -> Option<(Date, Date)> {
        match *self {
            Period::Month { year, month } if (1..=12).contains(&month) => {
                Some((from_15th_before(year, month)?, day(year, month, 14)?))
            }
            Period::Quarter { year, quarter } if (1..=4).contains(&quarter) => {
                let first = (quarter - 1) * 3 + 1;
                Some((from_15th_before(year, first)?, day(year, first + 2, 14)?))
            }
            Period::FirstHalf { year } => Some((day(year - 1, 12, 15)?, day(year, 6, 14)?)),
            Period::SecondHalf { year } => Some((day(year, 6, 15)?, day(year, 12, 14)?)),
            Period::NineMonths { year } => Some((day(year - 1, 12, 15)?, day(year, 9, 14)?)),
            Period::Year { year } => Some((day(year - 1, 12, 15)?, day(year, 12, 14)?)),
            _ => None,
        }
    }

    /// The period's name as officials write it: "Tháng 3/2024", "Quý I/2024",
    /// "6 tháng đầu năm 2023", "6 tháng cuối năm 2023", "9 tháng năm 2023", "Năm 2023".
    pub fn name_vi(&self) -> String {
        match *self {
            Period::Month { year, month } => format!("Tháng {month}/{year}"),
            Period::Quarter { year, quarter } => {
                let roman = ["I", "II", "III", "IV"]
                    .get(usize::from(quarter).wrapping_sub(1))
                    .copied()
                    .unwrap_or("?");
                format!("Quý {roman}/{year}")
            }
            Period::FirstHalf { year } => format!("6 tháng đầu năm {year}"),
            Period::SecondHalf { year } => format!("6 tháng cuối năm {year}"),
            Period::NineMonths { year } => format!("9 tháng năm {year}"),
            Period::Year { year } => format!("Năm {year}"),
        }
    }

    /// The same period one year earlier (for comparing a round with last year's).
    pub fn a_year_before(&self) -> Period {
        match *self {
            Period::Month { year, month } => Period::Month {
                year: year - 1,
                month,
            },
            Period::Quarter { year, quarter } => Period::Quarter {
                year: year - 1,
                quarter,
            },
            Period::FirstHalf { year } => Period::FirstHalf { year: year - 1 },
            Period::SecondHalf { year } => Period::SecondHalf { year: year - 1 },
            Period::NineMonths { year } => Period::NineMonths { year: year - 1 },
            Period::Year { year } => Period::Year { year: year - 1 },
        }
    }

    /// The period just before this one of the same length (March → February, Q1 → Q4 of
    /// the previous year, first half → second half of the previous year).
    pub fn previous(&self) -> Period {
        match *self {
            Period::Month { year, month: 1 } => Period::Month {
                year: year - 1,
                month: 12,
            },
            Period::Month { year, month } => Period::Month {
                year,
                month: month - 1,
            },
            Period::Quarter { year, quarter: 1 } => Period::Quarter {
                year: year - 1,
                quarter: 4,
            },
            Period::Quarter { year, quarter } => Period::Quarter {
                year,
                quarter: quarter - 1,
            },
            Period::FirstHalf { year } => Period::SecondHalf { year: year - 1 },
            Period::SecondHalf { year } => Period::FirstHalf { year },
            Period::NineMonths { year } => Period::NineMonths { year: year - 1 },
            Period::Year { year } => Period::Year { year: year - 1 },
        }
    }

    /// A short code for URLs and forms: `2024-03`, `2024-Q1`, `2023-H1`, `2023-H2`,
    /// `2023-9M`, `2023`.
    pub fn code(&self) -> String {
        match *self {
            Period::Month { year, month } => format!("{year}-{month:02}"),
            Period::Quarter { year, quarter } => format!("{year}-Q{quarter}"),
            Period::FirstHalf { year } => format!("{year}-H1"),
            Period::SecondHalf { year } => format!("{year}-H2"),
            Period::NineMonths { year } => format!("{year}-9M"),
            Period::Year { year } => format!("{year}"),
        }
    }

    /// Reads a [`Period::code`]; `None` for anything else (including month 13).
    pub fn parse(code: &str) -> Option<Period> {
        let code = code.trim();
        let (year, rest) = match code.split_once('-') {
            Some((y, r)) => (y, Some(r)),
            None => (code, None),
        };
        if year.len() != 4 {
            return None;
        }
        let year: i32 = year.parse().ok()?;
        let p = match rest {
            None => Period::Year { year },
            Some("H1") | Some("h1") => Period::FirstHalf { year },
            Some("H2") | Some("h2") => Period::SecondHalf { year },
            Some("9M") | Some("9m") => Period::NineMonths { year },
            Some(r) if r.starts_with(['Q', 'q']) => Period::Quarter {
                year,
                quarter: r[1..].parse().ok()?,
            },
            Some(r) if r.len() == 2 => Period::Month {
                year,
                month: r.parse().ok()?,
            },
            _ => return None,
        };
        p.cutoff().map(|_| p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn month(year: i32, month: u8) -> Period {
        Period::Month { year, month }
    }

    fn quarter(year: i32, quarter: u8) -> Period {
        Period::Quarter { year, quarter }
    }

    use time::macros::date;

    #[test]
    fn frequency_codes_are_what_serde_stores_and_nothing_else_reads() {
        for f in Frequency::ALL {
            assert_eq!(serde_json::to_value(f).unwrap(), f.code(), "{f:?}");
        }
        crate::assert_codes(&Frequency::ALL, Frequency::code, Frequency::parse, "bogus");
        assert_eq!(Frequency::parse("Monthly"), None);
        assert_eq!(Frequency::parse(""), None);
    }

    #[test]
    fn r30_cutoff_windows_follow_decree_09() {
        let cases = [
            (month(2024, 3), date!(2024 - 02 - 15), date!(2024 - 03 - 14)),
            // January reaches back into the previous year.
            (month(2024, 1), date!(2023 - 12 - 15), date!(2024 - 01 - 14)),
            (
                quarter(2023, 1),
                date!(2022 - 12 - 15),
                date!(2023 - 03 - 14),
            ),
            (
                quarter(2023, 3),
                date!(2023 - 06 - 15),
                date!(2023 - 09 - 14),
            ),
            (
                quarter(2023, 4),
                date!(2023 - 09 - 15),
                date!(2023 - 12 - 14),
            ),
            (
                Period::FirstHalf { year: 2023 },
                date!(2022 - 12 - 15),
                date!(2023 - 06 - 14),
            ),
            (
                Period::SecondHalf { year: 2023 },
                date!(2023 - 06 - 15),
                date!(2023 - 12 - 14),
            ),
            (
                Period::NineMonths { year: 2023 },
                date!(2022 - 12 - 15),
                date!(2023 - 09 - 14),
            ),
            (
                Period::Year { year: 2024 },
                date!(2023 - 12 - 15),
                date!(2024 - 12 - 14),
            ),
        ];
        for (p, from, to) in cases {
            assert_eq!(p.cutoff(), Some((from, to)), "{}", p.name_vi());
        }
        assert_eq!(month(2024, 13).cutoff(), None);
        assert_eq!(quarter(2024, 0).cutoff(), None);
    }

    #[test]
    fn periods_have_names_codes_and_neighbours() {
        let q1 = quarter(2024, 1);
        assert_eq!(q1.name_vi(), "Quý I/2024");
        assert_eq!(q1.previous(), quarter(2023, 4));
        assert_eq!(q1.a_year_before(), quarter(2023, 1));
        assert_eq!(
            Period::FirstHalf { year: 2023 }.previous(),
            Period::SecondHalf { year: 2022 }
        );
        assert_eq!(
            Period::FirstHalf { year: 2023 }.name_vi(),
            "6 tháng đầu năm 2023"
        );
        for p in [
            q1,
            month(2024, 1),
            Period::FirstHalf { year: 2023 },
            Period::SecondHalf { year: 2023 },
            Period::NineMonths { year: 2023 },
            Period::Year { year: 2023 },
        ] {
            assert_eq!(Period::parse(&p.code()), Some(p), "{}", p.code());
        }
        for bad in ["2024-13", "2024-Q5", "24", "2024-X", "", "2024-Q", "abcd"] {
            assert_eq!(Period::parse(bad), None, "{bad}");
        }
    }
}
