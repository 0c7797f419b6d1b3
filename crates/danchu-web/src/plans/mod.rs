//! Plans (issue 5): public pages `/ke-hoach` ([`portal`]), the admin pages ([`admin`]) and
//! the API (`/api/v1/ke-hoach`, [`api`]). Tasks are typed the same way in the admin form
//! and the API ([`tasks`]).

pub mod admin;
pub mod api;
pub mod portal;
pub mod tasks;

use axum::routing::get;
use axum::Router;
use danchu_core::plans::Recurrence;
use danchu_db::plans::Task;
use utoipa_axum::router::OpenApiRouter;

pub use self::admin::pending::{pending, PendingTask};
use crate::layout::show_day;
use crate::AppState;

/// The public plan pages and the admin pages.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/ke-hoach", get(portal::list))
        .route("/ke-hoach/{id}", get(portal::detail))
        .merge(admin::router())
}

/// The plans API, with its description.
pub fn api() -> OpenApiRouter<AppState> {
    api::router()
}

/// "15/06/2023" or "Hằng quý, từ 31/03/2023 đến 31/12/2023".
pub fn plan_due(t: &Task) -> String {
    if t.recurrence == Recurrence::Once {
        show_day(&Some(t.due_on))
    } else {
        format!(
            "{}, từ {} đến {}",
            t.recurrence.name_vi(),
            show_day(&Some(t.due_on)),
            show_day(&t.until_on)
        )
    }
}
