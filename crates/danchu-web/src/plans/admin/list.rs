//! The plans followed up, and making a library document a plan.

use askama::Template;
use axum::response::{Html, IntoResponse, Redirect, Response};
use danchu_core::roles::Action;
use danchu_db::plans::Plan;
use serde::Deserialize;

use crate::auth::Auth;
use crate::error::AppResult;
use crate::form::FormAll;
use crate::layout::Ctx;
use crate::layout::Signed;
use crate::AppState;

#[derive(Template)]
#[template(path = "plans/admin/plans.html")]
struct ListPage {
    ctx: Ctx,
    plans: Vec<Plan>,
    /// Library documents that can become plans: (id, "22/KH-UBND — title").
    documents: Vec<(i64, String)>,
    /// Units the user may follow plans up for.
    offices: Vec<(i64, String)>,
    errors: Vec<crate::form::FieldError>,
}

impl ListPage {
    fn date(&self, d: &(impl crate::layout::Day + ?Sized)) -> String {
        d.show()
    }
    fn err(&self, f: &str) -> Option<&str> {
        crate::form::error_for(&self.errors, f)
    }
}

async fn render_list(
    state: &AppState,
    ctx: Ctx,
    auth: &Auth,
    errors: Vec<crate::form::FieldError>,
) -> AppResult<Response> {
    auth.require_somewhere(Action::ViewAdmin)?;
    let plans = danchu_db::plans::list(&state.db).await?;
    let mut documents = Vec::new();
    let mut offices = Vec::new();
    if auth.may_somewhere(Action::ManageReports) {
        let filter = danchu_db::documents::Filter::default();
        for d in danchu_db::documents::list(&state.db, &filter, 200, 0).await? {
            if !plans.iter().any(|p| p.document.id == d.id) {
                documents.push((d.id, format!("{} — {}", d.number, d.summary)));
            }
        }
        let roots = auth.scope_roots(Action::ManageReports);
        let mut found: Vec<_> = danchu_db::units::by_ids(&mut state.db.clone(), &roots)
            .await?
            .into_values()
            .collect();
        danchu_db::units::sort_vn(&mut found);
        offices.extend(found.into_iter().map(|u| (u.id, u.name)));
    }
    let status = crate::form::form_status(&errors);
    let page = ListPage {
        ctx,
        plans,
        documents,
        offices,
        errors,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub(super) async fn list(Signed { state, ctx, auth }: Signed) -> AppResult<Response> {
    render_list(&state, ctx, &auth, Vec::new()).await
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub(super) struct PlanForm {
    document_id: String,
    unit_id: String,
}

pub(super) async fn create(
    Signed { state, ctx, auth }: Signed,
    form: FormAll<PlanForm>,
) -> AppResult<Response> {
    let f = form.value;
    let (Ok(document), Ok(unit)) = (f.document_id.parse::<i64>(), f.unit_id.parse::<i64>()) else {
        let errors = crate::form::field_errors(vec![(
            "document_id",
            "Hãy chọn văn bản kế hoạch và đơn vị theo dõi.".to_string(),
        )]);
        return render_list(&state, ctx, &auth, errors).await;
    };
    auth.require(&state, Action::ManageReports, Some(unit))
        .await?;
    match danchu_db::plans::create(&state.db, &auth.actor(), document, unit).await {
        Ok(p) => Ok(Redirect::to(&format!("/quan-tri/ke-hoach/{}", p.id)).into_response()),
        Err(danchu_db::DbError::Invalid(m)) => {
            render_list(
                &state,
                ctx,
                &auth,
                crate::form::field_errors(vec![("document_id", m)]),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
