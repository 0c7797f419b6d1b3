//! Opening a round: the form, and the round it opens.

use askama::Template;
use axum::response::{Html, IntoResponse, Redirect, Response};
use danchu_core::reporting::Period;
use danchu_core::roles::Action;
use danchu_db::reporting::Template as ReportTemplate;

use crate::auth::Auth;
use crate::error::AppResult;
use crate::form::FormAll;
use crate::layout::Ctx;
use crate::layout::Signed;
use crate::reporting::round_form::{round_choices, typed_round, RoundForm};
use crate::AppState;

#[derive(Template)]
#[template(path = "reporting/admin/report_round_form.html")]
struct RoundFormPage {
    ctx: Ctx,
    f: RoundForm,
    templates: Vec<ReportTemplate>,
    /// (unit id, name, chosen)
    units: Vec<(i64, String, bool)>,
    errors: Vec<crate::form::FieldError>,
}

impl RoundFormPage {
    fn err(&self, f: &str) -> Option<&str> {
        crate::form::error_for(&self.errors, f)
    }
    fn periods(&self) -> Vec<(String, String)> {
        let year = danchu_db::today_vn()
            .get(..4)
            .and_then(|y| y.parse::<i32>().ok())
            .unwrap_or(2026);
        let mut out = Vec::new();
        for y in [year, year - 1] {
            for p in [
                Period::FirstHalf { year: y },
                Period::SecondHalf { year: y },
                Period::NineMonths { year: y },
                Period::Year { year: y },
            ]
            .into_iter()
            .chain((1..=4).map(|quarter| Period::Quarter { year: y, quarter }))
            .chain((1..=12).map(|month| Period::Month { year: y, month }))
            {
                out.push((p.code(), p.name_vi()));
            }
        }
        out
    }
}

async fn render_round_form(
    state: &AppState,
    ctx: Ctx,
    auth: &Auth,
    f: RoundForm,
    chosen: Vec<i64>,
    errors: Vec<crate::form::FieldError>,
) -> AppResult<Response> {
    auth.require_somewhere(Action::ManageReports)?;
    let (templates, units) = round_choices(state, auth).await?;
    let units = units
        .into_iter()
        .map(|(id, name)| (id, name, chosen.contains(&id)))
        .collect();
    let status = crate::form::form_status(&errors);
    let page = RoundFormPage {
        ctx,
        f,
        templates,
        units,
        errors,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub(super) async fn new_round(Signed { state, ctx, auth }: Signed) -> AppResult<Response> {
    render_round_form(
        &state,
        ctx,
        &auth,
        RoundForm::default(),
        Vec::new(),
        Vec::new(),
    )
    .await
}

pub(super) async fn create_round(
    Signed { state, ctx, auth }: Signed,
    form: FormAll<RoundForm>,
) -> AppResult<Response> {
    let f = form.value.clone();
    let chosen: Vec<i64> = form
        .all("unit")
        .iter()
        .filter_map(|u| u.parse().ok())
        .collect();
    let new = typed_round(&state, &auth, &f, &chosen).await?;
    if let Some((_, office)) = new.template {
        auth.require(&state, Action::ManageReports, Some(office))
            .await?;
    }
    match danchu_db::reporting::create_round(&state.db, &auth.actor(), &new).await {
        Ok(round) => Ok(Redirect::to(&format!("/quan-tri/bao-cao/{}", round.id)).into_response()),
        Err(danchu_db::DbError::Refused(refused)) => {
            let errors = crate::form::field_errors(refused);
            render_round_form(&state, ctx, &auth, f, chosen, errors).await
        }
        Err(e) => Err(e.into()),
    }
}
