//! The admin area (/quan-tri). Every handler takes [`Auth`] (signed in) and calls
//! [`Auth::require`] with the action and the unit it touches before doing anything.

pub mod account;
pub mod api_tokens;
pub mod articles;
pub mod audit;
pub mod disclosures;
pub mod documents;
pub mod plans;
pub mod report_docx;
pub mod report_export;
pub mod report_templates;
pub mod reports;
pub mod site;
pub mod units;
pub mod users;

use askama::Template;
use axum::response::Html;
use axum::routing::get;
use axum::Router;
use danchu_core::roles::{Action, Role};

use crate::auth::Auth;
use crate::error::AppResult;
use crate::layout::Ctx;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/quan-tri", get(dashboard))
        .merge(account::router())
        .merge(api_tokens::router())
        .merge(articles::router())
        .merge(site::router())
        .merge(documents::router())
        .merge(disclosures::router())
        .merge(reports::router())
        .merge(report_templates::router())
        .merge(plans::router())
        .merge(units::router())
        .merge(users::router())
        .merge(audit::router())
}

/// The library documents named in a "22/KH-UBND, 10/2022/QH15" field (commas, semicolons
/// or lines between numbers): their ids, and what to say on the field (each number not
/// in the library; more than [`MAX_CITED`] numbers are refused, never cut). A number
/// shared by several documents keeps the one already linked (`current`), so saving a form
/// unchanged changes nothing.
pub async fn documents_named(
    state: &AppState,
    text: &str,
    current: &[i64],
) -> AppResult<(Vec<i64>, Vec<String>)> {
    let numbers: Vec<&str> = text
        .split([',', ';', '\n'])
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .collect();
    if numbers.len() > MAX_CITED {
        return Ok((
            Vec::new(),
            vec![format!(
                "Tối đa {MAX_CITED} số văn bản (đang có {}).",
                numbers.len()
            )],
        ));
    }
    let (docs, missing) = danchu_db::documents::named(&state.db, &numbers, current).await?;
    Ok((
        docs.iter().map(|d| d.id).collect(),
        missing
            .into_iter()
            .map(|n| format!("Không có văn bản số {n} trong thư viện."))
            .collect(),
    ))
}

/// Most documents one field may name.
pub const MAX_CITED: usize = 100;

/// One of the user's roles, for display.
pub struct RoleLine {
    pub role: String,
    pub unit: String,
}

#[derive(Template)]
#[template(path = "admin/dashboard.html")]
struct Dashboard {
    ctx: Ctx,
    roles: Vec<RoleLine>,
    can_units: bool,
    can_users: bool,
    can_audit: bool,
    can_reports: bool,
    pending: Vec<reports::Pending>,
    tasks: Vec<plans::PendingTask>,
    obligations: Vec<disclosures::Overdue>,
}

async fn dashboard(
    axum::extract::State(state): axum::extract::State<AppState>,
    ctx: Ctx,
    auth: Auth,
) -> AppResult<Html<String>> {
    auth.require_somewhere(Action::ViewAdmin)?;
    let ids: Vec<i64> = auth.0.grants.iter().filter_map(|g| g.unit_id).collect();
    let names = danchu_db::units::by_ids(&mut state.db.clone(), &ids).await?;
    let roles = auth
        .0
        .grants
        .iter()
        .map(|g| RoleLine {
            role: role_label(&ctx, g.role).to_string(),
            unit: match g.unit_id {
                Some(id) => names.get(&id).map(|u| u.name.clone()).unwrap_or_default(),
                None => ctx.t("all").to_string(),
            },
        })
        .collect();
    let pending = reports::pending(&state, &auth).await?;
    let tasks = plans::pending(&state, &auth).await?;
    let obligations = disclosures::overdue(&state, &auth).await?;
    let page = Dashboard {
        can_reports: auth.may_somewhere(Action::SubmitReports)
            || auth.may_somewhere(Action::ManageReports),
        pending,
        tasks,
        obligations,
        can_units: auth.may_somewhere(Action::ManageUnits) || auth.may_somewhere(Action::ViewAdmin),
        can_users: auth.may_somewhere(Action::ManageUsers),
        can_audit: auth.is_system_admin(),
        ctx,
        roles,
    };
    Ok(Html(page.render()?))
}

pub fn role_label(ctx: &Ctx, r: Role) -> &'static str {
    match ctx.lang {
        danchu_core::i18n::Lang::Vi => r.label_vi(),
        danchu_core::i18n::Lang::En => r.label_en(),
    }
}

/// A form error shown next to its field.
#[derive(Clone, Debug)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

pub fn field_errors(v: Vec<(&'static str, String)>) -> Vec<FieldError> {
    v.into_iter()
        .map(|(field, message)| FieldError { field, message })
        .collect()
}

/// 200 for a clean form, 400 when it comes back with errors.
pub fn form_status(errors: &[FieldError]) -> axum::http::StatusCode {
    if errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::BAD_REQUEST
    }
}

/// The message for a field, if any (used by templates).
pub fn error_for<'a>(errors: &'a [FieldError], field: &str) -> Option<&'a str> {
    errors
        .iter()
        .find(|e| e.field == field)
        .map(|e| e.message.as_str())
}

/// The units beside an office: the communes and offices of its parent unit (those a
/// district office collects reports from and gives plan tasks to), in Vietnamese order.
pub async fn units_beside(state: &AppState, office: i64) -> AppResult<Vec<(i64, String)>> {
    units_beside_all(state, &[office]).await
}

/// The units beside any of these offices (the children of their parents), in Vietnamese
/// order, each once: two queries for any number of offices.
pub async fn units_beside_all(state: &AppState, offices: &[i64]) -> AppResult<Vec<(i64, String)>> {
    let mut db = state.db.clone();
    let mut parents: Vec<i64> = danchu_db::units::by_ids(&mut db, offices)
        .await?
        .values()
        .filter_map(|o| o.parent_id)
        .collect();
    parents.sort_unstable();
    parents.dedup();
    let mut units: Vec<(i64, String)> = danchu_db::units::children_of(&mut db, &parents)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    units.sort_by_cached_key(|u| danchu_core::text::vn_sort_key(&u.1));
    Ok(units)
}
