//! A unit's submission for a round: its statuses and the steps between them.

use serde::{Deserialize, Serialize};

/// Where a unit's submission for a round stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Status {
    /// Being filled in; not yet sent.
    Draft,
    /// Sent, waiting for Phòng Nội vụ.
    Submitted,
    /// Taken in by Phòng Nội vụ (final).
    Accepted,
    /// Sent back with a reason; the unit corrects and submits again.
    Returned,
}

impl Status {
    pub fn code(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Submitted => "submitted",
            Status::Accepted => "accepted",
            Status::Returned => "returned",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        [
            Status::Draft,
            Status::Submitted,
            Status::Accepted,
            Status::Returned,
        ]
        .into_iter()
        .find(|x| x.code() == s)
    }

    pub fn name_vi(self) -> &'static str {
        match self {
            Status::Draft => "Đang soạn",
            Status::Submitted => "Đã nộp",
            Status::Accepted => "Đã tiếp nhận",
            Status::Returned => "Bị trả lại",
        }
    }
}

/// What someone does to a submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The unit's reporter saves what is typed so far.
    SaveDraft,
    /// The reporter sends it (again, after a return).
    Submit,
    /// Phòng Nội vụ takes it in.
    Accept,
    /// Phòng Nội vụ sends it back, with a reason.
    Return,
}

/// The status after `step`, or why the step is not allowed (in Vietnamese). A
/// submission that does not exist yet is `None`. A returned report must be submitted
/// again before it can be accepted; an accepted one is final.
pub fn next_status(now: Option<Status>, step: Step) -> Result<Status, &'static str> {
    use Status::*;
    match (now, step) {
        (None | Some(Draft) | Some(Returned), Step::SaveDraft) => Ok(Draft),
        (None | Some(Draft) | Some(Returned), Step::Submit) => Ok(Submitted),
        (Some(Submitted), Step::Accept) => Ok(Accepted),
        (Some(Submitted), Step::Return) => Ok(Returned),
        (Some(Accepted), _) => Err("Báo cáo đã được tiếp nhận, không thay đổi được nữa."),
        (Some(Returned), Step::Accept) => {
            Err("Báo cáo bị trả lại phải được đơn vị nộp lại trước khi tiếp nhận.")
        }
        (Some(Returned), Step::Return) => Err("Báo cáo đã bị trả lại, đang chờ đơn vị nộp lại."),
        (Some(Submitted), Step::SaveDraft | Step::Submit) => {
            Err("Báo cáo đã nộp, đang chờ xem xét; chỉ sửa được khi bị trả lại.")
        }
        (None | Some(Draft), Step::Accept | Step::Return) => Err("Báo cáo chưa được nộp."),
    }
}

/// Whether a unit's report is late: sent after the deadline, or not sent (nothing, or
/// only a draft) while the deadline has passed. `sent_on` is the day (Vietnam time) it
/// was last sent, for a report that stands sent (submitted, accepted or returned).
pub fn is_late(sent_on: Option<time::Date>, deadline: time::Date, today: time::Date) -> bool {
    match sent_on {
        Some(d) => d > deadline,
        None => today > deadline,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_report_is_late_when_sent_after_the_deadline_or_missing_past_it() {
        use super::is_late;
        use time::macros::date;
        let deadline = date!(2023 - 06 - 20);
        assert!(!is_late(Some(deadline), deadline, date!(2023 - 07 - 01)));
        assert!(is_late(Some(date!(2023 - 06 - 23)), deadline, deadline));
        assert!(!is_late(None, deadline, deadline));
        assert!(is_late(None, deadline, date!(2023 - 06 - 21)));
    }

    use super::*;

    #[test]
    fn submission_workflow_and_its_forbidden_steps() {
        use Status::*;
        assert_eq!(next_status(None, Step::SaveDraft), Ok(Draft));
        assert_eq!(next_status(Some(Draft), Step::Submit), Ok(Submitted));
        assert_eq!(next_status(Some(Submitted), Step::Return), Ok(Returned));
        assert_eq!(next_status(Some(Returned), Step::SaveDraft), Ok(Draft));
        assert_eq!(next_status(Some(Returned), Step::Submit), Ok(Submitted));
        assert_eq!(next_status(Some(Submitted), Step::Accept), Ok(Accepted));
        // A returned report cannot be accepted without resubmission.
        assert!(next_status(Some(Returned), Step::Accept)
            .unwrap_err()
            .contains("nộp lại"));
        for step in [Step::SaveDraft, Step::Submit, Step::Accept, Step::Return] {
            assert!(
                next_status(Some(Accepted), step).is_err(),
                "accepted is final"
            );
        }
        assert!(next_status(None, Step::Accept).is_err());
        assert!(next_status(Some(Draft), Step::Return).is_err());
        assert!(next_status(Some(Submitted), Step::SaveDraft).is_err());
        for s in [Draft, Submitted, Accepted, Returned] {
            assert_eq!(Status::parse(s.code()), Some(s));
        }
    }
}
