//! The JSON API (`/api/v1`) for each step of plans and periodic reporting, the
//! disclosure register as open data, and search. Callers are signed-in users (session
//! cookie, plus the `X-CSRF-Token` header on writes) or a unit's own system with its API
//! token (`Authorization: Bearer danchu_…`), which acts as a reporter of that unit only.
//! Every handler makes the same [`Auth::require`] check as the admin pages and calls the
//! same data functions, so both paths share one set of rules and one audit log.
//!
//! This module is the API's shared kit; each capability's `api` face (`plans::api`,
//! `reporting::api`, `disclosures::api`, `search::api`) registers its own routes, and
//! `hooks::api` puts them under one document. Each handler describes itself
//! (`#[utoipa::path]`) and is routed from that description (`routes!`), and answers with
//! the API's own typed structs (each face's `body`), so `/api/openapi.json` ([`openapi`])
//! is generated from the code. Errors are JSON ([`error`]) in Vietnamese; lists come a
//! page at a time ([`paging`]); bodies several faces return are in [`common`].

pub mod common;
pub mod error;
pub mod idempotency;
pub mod json;
pub mod openapi;
pub mod paging;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

pub use self::error::{invalid, ApiError, ApiResult};
pub use self::json::ApiJson;
use crate::auth::{Auth, AuthUser};

/// What an API handler starts from, taken in one argument: `Caller { state, auth }:
/// Caller` is the app and the request's [`ApiAuth`] (401 JSON when there is none).
pub struct Caller {
    pub state: crate::AppState,
    pub auth: ApiAuth,
}

impl FromRequestParts<crate::AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &crate::AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Caller {
            state: state.clone(),
            auth: ApiAuth::from_request_parts(parts, state).await?,
        })
    }
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
