//! The document library: public pages `/van-ban` ([`portal`]) and its admin pages
//! ([`admin`]).

pub mod admin;
pub mod portal;

use axum::routing::get;
use axum::Router;

use crate::AppState;

/// The library's public pages and its admin pages.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/van-ban", get(portal::list))
        .route("/van-ban/{id}", get(portal::detail))
        .route("/van-ban/{id}/tai/{media}", get(portal::download))
        .merge(admin::router())
}
