//! The JSON API (`/api/v1`) for each step of plans and periodic reporting, and the
//! disclosure register as open data. Callers are
//! signed-in users (session cookie, plus the `X-CSRF-Token` header on writes) or a unit's
//! own system with its API token (`Authorization: Bearer danchu_…`), which acts as a
//! reporter of that unit only. Every handler makes the same [`Auth::require`] check as
//! the admin pages and calls the same data functions, so both paths share one set of
//! rules and one audit log. Errors are JSON: `{"error": "...", "fields": [...]}` in
//! Vietnamese.

pub mod disclosures;
pub mod openapi;
pub mod plans;
pub mod reports;

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Router;
use serde::de::DeserializeOwned;
use serde_json::json;

use crate::auth::{Auth, AuthUser};
use crate::error::AppError;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(reports::router())
        .merge(plans::router())
        .merge(disclosures::router())
}

/// What went wrong, as JSON.
#[derive(Debug)]
pub enum ApiError {
    /// No session and no (valid) token.
    Unauthorized,
    /// Errors by field (`field` is the form field or indicator code).
    Invalid(Vec<(String, String)>),
    /// The step is not allowed now (e.g. accepting a report that was returned).
    Conflict(String),
    App(AppError),
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError::App(e)
    }
}

impl From<danchu_db::DbError> for ApiError {
    fn from(e: danchu_db::DbError) -> Self {
        match e {
            // Refused input names its fields, as a form does.
            danchu_db::DbError::Refused(fields) => ApiError::Invalid(
                fields
                    .into_iter()
                    .map(|(f, m)| (f.to_string(), m))
                    .collect(),
            ),
            e => ApiError::App(e.into()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        // The one log line of a refused or failed call is written by `friendly_errors`.
        let note = match &self {
            ApiError::App(e) => e.log_note(),
            _ => None,
        };
        let (status, body) = match self {
            ApiError::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                json!({"error": "Cần đăng nhập hoặc khóa API hợp lệ (Authorization: Bearer …)."}),
            ),
            ApiError::Invalid(fields) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                json!({
                    "error": "Dữ liệu chưa hợp lệ.",
                    "fields": fields.iter().map(|(f, m)| json!({"field": f, "message": m})).collect::<Vec<_>>(),
                }),
            ),
            ApiError::Conflict(m) => (StatusCode::CONFLICT, json!({"error": m})),
            ApiError::App(e) => {
                let message = match &e {
                    AppError::Internal(_) => "Lỗi hệ thống; vui lòng thử lại sau.".to_string(),
                    other => other.to_string(),
                };
                (e.status(), json!({"error": message}))
            }
        };
        let mut resp = (status, axum::Json(body)).into_response();
        if let Some(n) = note {
            resp.extensions_mut().insert(n);
        }
        if status == StatusCode::UNAUTHORIZED {
            resp.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
        }
        resp
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

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

/// A JSON body; a malformed one gets a Vietnamese JSON error (strings are NFC-normalised
/// by the data layer, which cleans every text it stores).
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(e) => Err(ApiError::App(AppError::BadRequest(format!(
                "Nội dung JSON không hợp lệ: {}",
                e.body_text()
            )))),
        }
    }
}

/// Form errors (field, message) as API errors.
pub fn invalid(errors: Vec<crate::admin::FieldError>) -> ApiError {
    ApiError::Invalid(
        errors
            .into_iter()
            .map(|e| (e.field.to_string(), e.message))
            .collect(),
    )
}
