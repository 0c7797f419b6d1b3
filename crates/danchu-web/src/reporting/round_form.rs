//! A new round as typed, in the admin form or through the API: both faces check it the
//! same way, against the templates and units the user may choose.

use danchu_core::reporting::{Frequency, Period};
use danchu_core::roles::Action;
use danchu_db::reporting::{NewRound, Template as ReportTemplate};
use serde::Deserialize;

use crate::auth::Auth;
use crate::error::AppResult;
use crate::form::FieldError;
use crate::AppState;

#[derive(Deserialize, Default, Clone)]
pub struct RoundForm {
    #[serde(default)]
    pub template_id: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub period: String,
    #[serde(default)]
    pub cutoff_from: String,
    #[serde(default)]
    pub cutoff_to: String,
    #[serde(default)]
    pub deadline: String,
}

/// The templates the user may open rounds with, and the units those rounds can ask.
pub async fn round_choices(
    state: &AppState,
    auth: &Auth,
) -> AppResult<(Vec<ReportTemplate>, Vec<(i64, String)>)> {
    let manage = auth.scope(state, Action::ManageReports).await?;
    let templates: Vec<ReportTemplate> = danchu_db::reporting::templates(&state.db)
        .await?
        .into_iter()
        .filter(|t| manage.permits(t.unit_id))
        .collect();
    let mut offices: Vec<i64> = templates.iter().map(|t| t.unit_id).collect();
    offices.sort_unstable();
    offices.dedup();
    let units = danchu_db::units::beside(&state.db, &offices).await?;
    Ok((templates, units))
}

/// Checks a new round as typed (in the form or through the API): the template and units
/// must be the user's to choose; dates are dd/mm/yyyy (or yyyy-mm-dd). Returns the round
/// to open, or the errors by field.
pub async fn check_round(
    state: &AppState,
    auth: &Auth,
    f: &RoundForm,
    chosen: &[i64],
) -> AppResult<Result<NewRound, Vec<FieldError>>> {
    let (templates, units) = round_choices(state, auth).await?;
    Ok(checked(f, &templates, &units, chosen))
}

/// [`check_round`] against the choices the user has.
fn checked(
    f: &RoundForm,
    templates: &[ReportTemplate],
    units: &[(i64, String)],
    chosen: &[i64],
) -> Result<NewRound, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut push = |field: &'static str, message: &str| {
        errors.push(FieldError {
            field,
            message: message.to_string(),
        })
    };
    let template = f
        .template_id
        .parse::<i64>()
        .ok()
        .and_then(|id| templates.iter().find(|t| t.id == id));
    if template.is_none() {
        push("template_id", "Hãy chọn mẫu báo cáo.");
    }
    if danchu_core::text::clean_line(&f.title).is_empty() {
        push("title", "Hãy nhập tên đợt báo cáo.");
    }
    let (period, cutoff) = period_of(f, &mut push);
    let deadline = day(&f.deadline);
    if deadline.is_none() {
        push("deadline", "Hãy nhập hạn nộp (dd/mm/yyyy).");
    }
    let allowed: Vec<i64> = chosen
        .iter()
        .copied()
        .filter(|c| units.iter().any(|u| u.0 == *c))
        .collect();
    if allowed.is_empty() {
        push("units", "Hãy chọn các đơn vị phải báo cáo.");
    }
    let (Some(t), Some(deadline), true) = (template, deadline, errors.is_empty()) else {
        return Err(errors);
    };
    Ok(NewRound {
        template_id: t.id,
        unit_id: t.unit_id,
        title: f.title.clone(),
        frequency: frequency_of(period.as_ref()),
        period,
        cutoff,
        deadline,
        units: allowed,
    })
}

fn day(s: &str) -> Option<String> {
    danchu_core::text::parse_date(s).map(danchu_core::text::iso_date)
}

/// The period and the data range typed: a period, or for an ad-hoc report a range.
fn period_of(
    f: &RoundForm,
    push: &mut impl FnMut(&'static str, &str),
) -> (Option<Period>, Option<(String, String)>) {
    let period = Period::parse(&f.period);
    if !f.period.is_empty() && period.is_none() {
        push("period", "Kỳ báo cáo không hợp lệ.");
    }
    let cutoff = match (f.cutoff_from.trim(), f.cutoff_to.trim()) {
        ("", "") => None,
        (a, b) => match (day(a), day(b)) {
            (Some(a), Some(b)) if a <= b => Some((a, b)),
            _ => {
                push(
                    "cutoff_from",
                    "Khoảng lấy số liệu không hợp lệ (dd/mm/yyyy, từ ngày trước đến ngày).",
                );
                None
            }
        },
    };
    if period.is_none() && cutoff.is_none() && f.period.is_empty() {
        push(
            "period",
            "Hãy chọn kỳ báo cáo, hoặc nhập khoảng lấy số liệu cho báo cáo đột xuất.",
        );
    }
    (period, cutoff)
}

/// How often a round of this period comes (a range without a period is ad hoc).
fn frequency_of(period: Option<&Period>) -> Frequency {
    match period {
        Some(Period::Month { .. }) => Frequency::Monthly,
        Some(Period::Quarter { .. }) => Frequency::Quarterly,
        Some(Period::FirstHalf { .. } | Period::SecondHalf { .. }) => Frequency::HalfYear,
        Some(Period::NineMonths { .. }) => Frequency::NineMonths,
        Some(Period::Year { .. }) => Frequency::Annual,
        None => Frequency::AdHoc,
    }
}
