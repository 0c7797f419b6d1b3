//! The API's errors: one enum, one JSON shape (`{"error": "...", "fields": [...]}`), in
//! Vietnamese. Internals go to the log; the caller sees a clean message.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::{IntoResponses, ToResponse, ToSchema};

use crate::error::AppError;

/// What went wrong, as JSON.
#[derive(Debug)]
pub enum ApiError {
    /// No session and no (valid) token.
    Unauthorized,
    /// The body is not JSON the operation can read (syntax, or a value of the wrong type):
    /// the message names the line and column, or the field.
    BadJson {
        message: String,
        fields: Vec<(String, String)>,
    },
    /// The body is not `application/json`.
    UnsupportedType,
    /// The body is over the limit (bytes).
    TooLarge(usize),
    /// Errors by field (`field` is the body field, or the indicator or cell code).
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

impl ApiError {
    /// One field refused.
    pub fn field(field: &str, message: impl Into<String>) -> ApiError {
        ApiError::Invalid(vec![(field.to_string(), message.into())])
    }

    pub fn not_found() -> ApiError {
        ApiError::App(AppError::NotFound)
    }
}

/// An error: a Vietnamese message, and for refused input the reason for each field.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// What went wrong, in Vietnamese.
    pub error: String,
    /// Present when the input was refused: each field (a body field, an indicator code,
    /// or a table cell `code.row.column`) with its reason.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldErrorBody>,
}

/// One refused field.
#[derive(Debug, Serialize, ToSchema)]
pub struct FieldErrorBody {
    pub field: String,
    pub message: String,
}

fn pairs(fields: Vec<(String, String)>) -> Vec<FieldErrorBody> {
    fields
        .into_iter()
        .map(|(field, message)| FieldErrorBody { field, message })
        .collect()
}

/// A size in Vietnamese (`2 MB`, `512 KB`).
fn size_vi(bytes: usize) -> String {
    // Whole mebibytes (the low 20 bits clear).
    if bytes >= 1024 * 1024 && bytes.trailing_zeros() >= 20 {
        format!("{} MB", bytes / (1024 * 1024))
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        // The one log line of a refused or failed call is written by `friendly_errors`.
        let note = match &self {
            ApiError::App(e) => e.log_note(),
            _ => None,
        };
        let plain = |status, error: String| (status, error, Vec::new());
        let (status, error, fields) = match self {
            ApiError::Unauthorized => plain(
                StatusCode::UNAUTHORIZED,
                "Cần đăng nhập hoặc khóa API hợp lệ (Authorization: Bearer …).".into(),
            ),
            ApiError::BadJson { message, fields } => {
                (StatusCode::BAD_REQUEST, message, pairs(fields))
            }
            ApiError::UnsupportedType => plain(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Nội dung gửi lên phải là JSON (Content-Type: application/json).".into(),
            ),
            ApiError::TooLarge(limit) => plain(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("Nội dung gửi lên quá lớn (tối đa {}).", size_vi(limit)),
            ),
            ApiError::Invalid(fields) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "Dữ liệu chưa hợp lệ.".into(),
                pairs(fields),
            ),
            ApiError::Conflict(m) => plain(StatusCode::CONFLICT, m),
            ApiError::App(e) => {
                let message = match &e {
                    AppError::Internal(_) => "Lỗi hệ thống; vui lòng thử lại sau.".to_string(),
                    other => other.to_string(),
                };
                plain(e.status(), message)
            }
        };
        let mut resp = (status, axum::Json(ErrorBody { error, fields })).into_response();
        if let Some(n) = note {
            resp.extensions_mut().insert(n);
        }
        if status == StatusCode::UNAUTHORIZED {
            resp.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        resp
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// Form errors (field, message) as API errors.
pub fn invalid(errors: Vec<crate::form::FieldError>) -> ApiError {
    ApiError::Invalid(
        errors
            .into_iter()
            .map(|e| (e.field.to_string(), e.message))
            .collect(),
    )
}

// The error responses, described once and referred to by each operation.

/// Chưa đăng nhập, hoặc khóa API sai hay đã bị thu hồi.
#[derive(ToResponse)]
#[allow(dead_code)]
pub struct Unauthorized(ErrorBody);

/// Không có quyền với đơn vị này.
#[derive(ToResponse)]
#[allow(dead_code)]
pub struct Forbidden(ErrorBody);

/// Không tìm thấy (hoặc không công khai).
#[derive(ToResponse)]
#[allow(dead_code)]
pub struct NotFound(ErrorBody);

/// Bước xử lý không được phép lúc này (ví dụ tiếp nhận báo cáo đã bị trả lại).
#[derive(ToResponse)]
#[allow(dead_code)]
pub struct Conflict(ErrorBody);

/// Nội dung không phải JSON đọc được: `error` nêu dòng và cột lỗi cú pháp, hoặc trường có
/// giá trị sai kiểu (khi đó `fields` nêu trường ấy).
#[derive(ToResponse)]
#[allow(dead_code)]
pub struct BadJson(ErrorBody);

/// Nội dung gửi lên vượt quá giới hạn (2 MB theo mặc định).
#[derive(ToResponse)]
#[allow(dead_code)]
pub struct TooLarge(ErrorBody);

/// Nội dung gửi lên không phải `application/json`.
#[derive(ToResponse)]
#[allow(dead_code)]
pub struct UnsupportedType(ErrorBody);

/// Dữ liệu chưa hợp lệ: `fields` nêu từng trường và lý do.
#[derive(ToResponse)]
#[allow(dead_code)]
pub struct Invalid(ErrorBody);

// The sets of error responses several operations share, each listed once: an operation
// names the set (`responses((status = 200, ...), Guarded, BadBody)`) and the document
// refers to the same reusable responses as it would for each listed by hand.

/// 401 and 403: an operation that needs a caller with the right on the unit.
#[derive(IntoResponses)]
#[allow(dead_code)]
pub enum Guarded {
    #[response(status = 401)]
    Unauthorized(#[ref_response] Unauthorized),
    #[response(status = 403)]
    Forbidden(#[ref_response] Forbidden),
}

/// 400, 413, 415 and 422: an operation that reads a JSON body.
#[derive(IntoResponses)]
#[allow(dead_code)]
pub enum BadBody {
    #[response(status = 400)]
    BadJson(#[ref_response] BadJson),
    #[response(status = 413)]
    TooLarge(#[ref_response] TooLarge),
    #[response(status = 415)]
    UnsupportedType(#[ref_response] UnsupportedType),
    #[response(status = 422)]
    Invalid(#[ref_response] Invalid),
}
