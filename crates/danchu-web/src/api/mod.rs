//! The JSON API (`/api/v1`) for each step of plans and periodic reporting, the
//! disclosure register as open data, and search. Callers are signed-in users (session
//! cookie, plus the `X-CSRF-Token` header on writes) or a unit's own system with its API
//! token (`Authorization: Bearer danchu_…`), which acts as a reporter of that unit only.
//! Every handler makes the same [`Auth::require`] check as the admin pages and calls the
//! same data functions, so both paths share one set of rules and one audit log.
//!
//! Each handler describes itself (`#[utoipa::path]`) and is routed from that description
//! (`routes!`), and answers with the API's own typed structs (each module's `body`), so
//! `/api/openapi.json` ([`openapi`]) is generated from the code. Errors are JSON
//! ([`error`]) in Vietnamese; lists come a page at a time ([`paging`]).

pub mod common;
pub mod disclosures;
pub mod error;
pub mod json;
pub mod openapi;
pub mod paging;
pub mod plans;
pub mod reports;
pub mod search;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

pub use self::error::{invalid, ApiError, ApiResult};
pub use self::json::ApiJson;
use crate::auth::{Auth, AuthUser};
use crate::AppState;

/// Every API route with its description.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .merge(reports::router())
        .merge(plans::router())
        .merge(disclosures::router())
        .merge(search::router())
}

/// The caller of an API request (401 JSON when there is none).
pub struct ApiAuth(pub Auth);

impl<S: Send + Sync> FromRequestParts<S> for ApiAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<AuthUser>()
            .cloned()
            .map(|u| ApiAuth(Auth(u)))
            .ok_or(ApiError::Unauthorized)
    }
}
