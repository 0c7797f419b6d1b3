//! Periodic reports (issue 5) in the admin area: the rounds a user runs or must report
//! in and a round's dashboard (who submitted, who is late) ([`rounds`]), opening a round
//! ([`new_round`]), a unit's report form (save a draft, submit; errors per field, nothing
//! typed lost), accepting or returning a report ([`report`]), the consolidation and its
//! downloads ([`consolidation`]), and the templates ([`templates`]). Reporters act only
//! for their units (SubmitReports on the unit); Phòng Nội vụ acts on the rounds of its
//! office (ManageReports on the round's unit).

pub mod consolidation;
pub mod new_round;
pub mod pending;
pub mod report;
pub mod rounds;
pub mod templates;

use axum::routing::{get, post};
use axum::Router;
use danchu_core::reporting::Period;
use danchu_core::roles::Action;
use danchu_db::reporting::{Round, Template as ReportTemplate};

use crate::auth::Auth;
use crate::error::{AppError, AppResult};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(templates::router())
        .route("/quan-tri/bao-cao", get(rounds::list))
        .route(
            "/quan-tri/bao-cao/moi",
            get(new_round::new_round).post(new_round::create_round),
        )
        .route("/quan-tri/bao-cao/{round}", get(rounds::round_page))
        .route(
            "/quan-tri/bao-cao/{round}/tong-hop",
            get(consolidation::consolidation),
        )
        .route(
            "/quan-tri/bao-cao/{round}/tong-hop.xlsx",
            get(consolidation::consolidation_xlsx),
        )
        .route(
            "/quan-tri/bao-cao/{round}/bao-cao.docx",
            get(consolidation::consolidation_docx),
        )
        .route(
            "/quan-tri/bao-cao/{round}/don-vi/{unit}",
            get(report::form_page)
                .post(report::save)
                .layer(axum::extract::DefaultBodyLimit::max(
                    crate::media::MAX_UPLOAD * 2 + 256 * 1024,
                )),
        )
        .route(
            "/quan-tri/bao-cao/{round}/don-vi/{unit}/xu-ly",
            post(report::decide),
        )
}

async fn may(state: &AppState, auth: &Auth, action: Action, unit: i64) -> bool {
    auth.may(state, action, unit).await.unwrap_or(false)
}

pub(crate) fn period_name(r: &Round) -> String {
    Period::parse(&r.period)
        .map(|p| p.name_vi())
        .unwrap_or_else(|| "Đột xuất".into())
}

pub(crate) async fn load_round(state: &AppState, id: i64) -> AppResult<(Round, ReportTemplate)> {
    danchu_db::reporting::round(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// The round with its template, for a user who manages the round's reports.
pub(crate) async fn managed_round(
    state: &AppState,
    auth: &Auth,
    id: i64,
) -> AppResult<(Round, ReportTemplate)> {
    let found = danchu_db::reporting::round(&state.db, id).await?;
    auth.require_found(state, Action::ManageReports, found, |(r, _)| r.unit_id)
        .await
}
