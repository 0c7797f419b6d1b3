//! Site search (`/tim-kiem?q=`, `/api/v1/tim-kiem`): Vietnamese matching rules from
//! `danchu_core::search` over what every capability puts in the search index (articles,
//! documents, disclosures).

pub mod api;
pub mod hits;
pub mod portal;
pub mod run;

use axum::routing::get;
use axum::Router;
use utoipa_axum::router::OpenApiRouter;

use crate::AppState;

/// The search page.
pub fn router() -> Router<AppState> {
    Router::new().route("/tim-kiem", get(portal::search))
}

/// The search API, with its description.
pub fn api() -> OpenApiRouter<AppState> {
    api::router()
}
