//! The disclosure register (issue 7): the public register `/cong-khai` ([`portal`]), the
//! admin pages ([`admin`]), the API (`/api/v1/cong-khai`, [`api`]). What two faces share:
//! the public filters ([`filter`]), the compliance of a user's units ([`compliance`]), and
//! how a posting stands today ([`posting_state`]).

pub mod admin;
pub mod api;
pub mod compliance;
pub mod filter;
pub mod overdue;
pub mod portal;

use axum::routing::get;
use axum::Router;
use danchu_core::disclosures::Category;
use danchu_db::disclosures::Disclosure;
use utoipa_axum::router::OpenApiRouter;

pub use self::overdue::{overdue, Overdue};
use crate::AppState;

/// The public register and the admin pages.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/cong-khai", get(portal::list))
        .route("/cong-khai/rss.xml", get(portal::rss))
        .route("/cong-khai/{id}", get(portal::detail))
        .merge(admin::router())
}

/// The register's API, with its description.
pub fn api() -> OpenApiRouter<AppState> {
    api::router()
}

/// How a disclosure's posting stands today, in words (R10 countdown: the rule is
/// [`danchu_core::disclosures::standing`]).
pub fn posting_state(d: &Disclosure, category: Option<&Category>, today: time::Date) -> String {
    let min = category.map_or(30, |c| c.min_days);
    danchu_core::disclosures::standing(d.posted_on, d.taken_down_on, min, today).text_vi()
}
