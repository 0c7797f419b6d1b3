//! The periods a recurring disclosure is due for (R11).

use serde::{Deserialize, Serialize};
use time::{Date, Month};

/// How often a category must be disclosed again (R11).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Every {
    Quarter,
    HalfYear,
    Year,
}

/// One period a recurring disclosure covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DuePeriod {
    Quarter { year: i32, quarter: u8 },
    Half { year: i32, half: u8 },
    Year { year: i32 },
}

impl DuePeriod {
    /// `2023-Q3`, `2023-H1`, `2023`.
    pub fn code(&self) -> String {
        match self {
            DuePeriod::Quarter { year, quarter } => format!("{year}-Q{quarter}"),
            DuePeriod::Half { year, half } => format!("{year}-H{half}"),
            DuePeriod::Year { year } => format!("{year}"),
        }
    }

    pub fn parse(s: &str) -> Option<DuePeriod> {
        let (y, rest) = s.split_once('-').map_or((s, ""), |(y, r)| (y, r));
        let year: i32 = y.parse().ok().filter(|y| (1900..=2200).contains(y))?;
        match rest {
            "" => Some(DuePeriod::Year { year }),
            r if r.starts_with('Q') => {
                let quarter: u8 = r[1..].parse().ok().filter(|q| (1..=4).contains(q))?;
                Some(DuePeriod::Quarter { year, quarter })
            }
            r if r.starts_with('H') => {
                let half: u8 = r[1..].parse().ok().filter(|h| (1..=2).contains(h))?;
                Some(DuePeriod::Half { year, half })
            }
            _ => None,
        }
    }

    /// "quý III/2023", "6 tháng đầu năm 2023", "năm 2023".
    pub fn name_vi(&self) -> String {
        match self {
            DuePeriod::Quarter { year, quarter } => {
                let roman = ["I", "II", "III", "IV"][(*quarter as usize).clamp(1, 4) - 1];
                format!("quý {roman}/{year}")
            }
            DuePeriod::Half { year, half: 1 } => format!("6 tháng đầu năm {year}"),
            DuePeriod::Half { year, .. } => format!("6 tháng cuối năm {year}"),
            DuePeriod::Year { year } => format!("năm {year}"),
        }
    }

    pub fn year(&self) -> i32 {
        match self {
            DuePeriod::Quarter { year, .. }
            | DuePeriod::Half { year, .. }
            | DuePeriod::Year { year } => *year,
        }
    }

    /// The last day of the period.
    pub fn end(&self) -> Option<Date> {
        let (year, month) = match self {
            DuePeriod::Quarter { year, quarter } => (*year, quarter * 3),
            DuePeriod::Half { year, half } => (*year, half * 6),
            DuePeriod::Year { year } => (*year, 12),
        };
        let month = Month::try_from(month).ok()?;
        Date::from_calendar_date(year, month, month.length(year)).ok()
    }

    /// Every period of a year for a frequency.
    pub fn of_year(every: Every, year: i32) -> Vec<DuePeriod> {
        match every {
            Every::Quarter => (1..=4)
                .map(|quarter| DuePeriod::Quarter { year, quarter })
                .collect(),
            Every::HalfYear => (1..=2).map(|half| DuePeriod::Half { year, half }).collect(),
            Every::Year => vec![DuePeriod::Year { year }],
        }
    }
}
