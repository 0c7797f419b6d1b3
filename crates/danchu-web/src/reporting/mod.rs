//! Periodic reporting (issue 5): report templates, rounds, a unit's report, the
//! consolidation and its exports. The admin pages ([`admin`]) and the API (`/api/v1/bao-cao`,
//! [`api`]) open rounds the same way ([`round_form`]).

pub mod admin;
pub mod api;
pub mod export;
pub mod round_form;

use axum::Router;
use utoipa_axum::router::OpenApiRouter;

pub use self::admin::pending::{pending, Pending};
use crate::AppState;

/// The reporting pages of the admin area.
pub fn router() -> Router<AppState> {
    admin::router()
}

/// The reporting API, with its description.
pub fn api() -> OpenApiRouter<AppState> {
    api::router()
}
