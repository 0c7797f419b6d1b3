//! Plans in the admin area (issue 5, point 1): Phòng Nội vụ makes a library document
//! (22/KH-UBND) a plan it follows up ([`list`]), gives its tasks to a lead unit and
//! supporting units, and sees each unit's progress with overdue tasks flagged ([`plan`]);
//! each assigned unit records its progress with a note and evidence files ([`progress`]).
//! Managing needs ManageReports on the plan's unit; recording progress needs
//! SubmitReports on the assigned unit.

pub mod list;
pub mod pending;
pub mod plan;
pub mod progress;

use axum::routing::{get, post};
use axum::Router;
use danchu_core::roles::Action;

use crate::auth::Auth;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/quan-tri/ke-hoach", get(list::list).post(list::create))
        .route("/quan-tri/ke-hoach/{plan}", get(plan::plan_page))
        .route("/quan-tri/ke-hoach/{plan}/nhiem-vu", post(plan::add_task))
        .route(
            "/quan-tri/ke-hoach/{plan}/nhiem-vu/{task}/xoa",
            post(plan::remove_task),
        )
        .route(
            "/quan-tri/ke-hoach/{plan}/nhiem-vu/{task}/don-vi/{unit}",
            get(progress::progress_page)
                .post(progress::record_progress)
                .layer(axum::extract::DefaultBodyLimit::max(
                    crate::media::MAX_UPLOAD * 2 + 64 * 1024,
                )),
        )
}

async fn may(state: &AppState, auth: &Auth, action: Action, unit: i64) -> bool {
    auth.may(state, action, unit).await.unwrap_or(false)
}
