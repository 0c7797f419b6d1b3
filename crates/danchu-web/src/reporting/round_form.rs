//! A new round as typed, in the admin form or through the API: both faces read it the
//! same way, against the templates and units the user may choose.

use danchu_core::roles::Action;
use danchu_db::reporting::{NewRound, Template as ReportTemplate};
use serde::Deserialize;

use crate::auth::Auth;
use crate::error::AppResult;
use crate::AppState;

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct RoundForm {
    pub template_id: String,
    pub title: String,
    pub period: String,
    pub cutoff_from: String,
    pub cutoff_to: String,
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

/// A new round as typed (in the form or through the API), parsed for the use case that
/// checks it: the template and the units kept only if they are the user's to choose,
/// dates read as dd/mm/yyyy (or yyyy-mm-dd). The checks are
/// [`danchu_core::reporting::check_round`]'s, done once by `create_round`.
pub async fn typed_round(
    state: &AppState,
    auth: &Auth,
    f: &RoundForm,
    chosen: &[i64],
) -> AppResult<NewRound> {
    let (templates, units) = round_choices(state, auth).await?;
    Ok(draft(f, &templates, &units, chosen))
}

/// [`typed_round`] against the choices the user has.
fn draft(
    f: &RoundForm,
    templates: &[ReportTemplate],
    units: &[(i64, String)],
    chosen: &[i64],
) -> NewRound {
    let day = danchu_core::text::parse_date;
    let template = f
        .template_id
        .parse::<i64>()
        .ok()
        .and_then(|id| templates.iter().find(|t| t.id == id))
        .map(|t| (t.id, t.unit_id));
    let cutoff = match (f.cutoff_from.trim(), f.cutoff_to.trim()) {
        ("", "") => None,
        (a, b) => Some((day(a), day(b))),
    };
    NewRound {
        template,
        title: f.title.clone(),
        period: f.period.clone(),
        cutoff,
        deadline: day(&f.deadline),
        units: chosen
            .iter()
            .copied()
            .filter(|c| units.iter().any(|u| u.0 == *c))
            .collect(),
    }
}
