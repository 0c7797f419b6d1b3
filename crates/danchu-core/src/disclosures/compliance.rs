//! Whether a recurring obligation was met on time (R10, R11).

use serde::Serialize;
use time::Date;

/// Where an obligation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Compliance {
    /// Not due yet and not posted.
    Upcoming,
    /// Posted by the due date.
    OnTime,
    /// Posted after the due date.
    Late,
    /// Due date passed, nothing posted.
    Missing,
}

impl Compliance {
    pub fn name_vi(self) -> &'static str {
        match self {
            Compliance::Upcoming => "Chưa đến hạn",
            Compliance::OnTime => "Đúng hạn",
            Compliance::Late => "Trễ hạn",
            Compliance::Missing => "Chưa công khai",
        }
    }
}

/// An obligation's standing from its due date and the day it was first posted (R10/R11).
pub fn compliance(due: Date, first_posted: Option<Date>, today: Date) -> Compliance {
    match first_posted {
        Some(p) if p <= due => Compliance::OnTime,
        Some(_) => Compliance::Late,
        None if today > due => Compliance::Missing,
        None => Compliance::Upcoming,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn obligations_are_on_time_late_or_missing() {
        let due = date!(2023 - 10 - 05);
        let today = date!(2023 - 11 - 01);
        assert_eq!(
            compliance(due, Some(date!(2023 - 10 - 05)), today),
            Compliance::OnTime
        );
        assert_eq!(
            compliance(due, Some(date!(2023 - 10 - 06)), today),
            Compliance::Late
        );
        assert_eq!(compliance(due, None, today), Compliance::Missing);
        assert_eq!(
            compliance(due, None, date!(2023 - 10 - 05)),
            Compliance::Upcoming
        );
    }
}
