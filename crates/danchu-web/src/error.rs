//! One error type for handlers. Users see a clean Vietnamese page (or JSON for the API);
//! internals go to the log with the request id.

use askama::Template;
use axum::http::{StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use danchu_core::roles::Action;

use crate::layout::Ctx;

/// What the one log line of a refused or failed request says beyond its method, path,
/// status and request id: who, which action on which unit, and why. Whoever refuses or
/// fails a request puts it in the response's extensions; the `friendly_errors`
/// middleware writes the line, once per request (nothing else logs refusals).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LogNote {
    /// The signed-in user (or API token) the request came from.
    pub user: Option<String>,
    pub action: Option<Action>,
    pub unit: Option<i64>,
    /// Why: `forbidden`, `csrf`, `throttled`, `too_large`, `timeout`, or the internal
    /// error.
    pub reason: Option<String>,
}

impl LogNote {
    pub fn because(reason: impl Into<String>) -> LogNote {
        LogNote {
            reason: Some(reason.into()),
            ..Default::default()
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("không tìm thấy")]
    NotFound,
    #[error("{0}")]
    BadRequest(String),
    #[error("bạn không có quyền thực hiện thao tác này")]
    Forbidden,
    /// A refusal by [`crate::auth::Auth::require`], with what was asked: the same page as
    /// [`AppError::Forbidden`], and its details in the log line.
    #[error("bạn không có quyền thực hiện thao tác này")]
    Refused {
        user: String,
        action: Action,
        unit: Option<i64>,
    },
    #[error("yêu cầu không hợp lệ hoặc đã hết hạn (CSRF)")]
    Csrf,
    #[error("dữ liệu gửi lên quá lớn")]
    TooLarge,
    #[error("thử lại sau {0} giây")]
    TooMany(i64),
    #[error("lỗi hệ thống: {0}")]
    Internal(String),
    /// The database cannot be reached now (restarting, overloaded): 503, try again soon.
    #[error("hệ thống tạm thời gián đoạn")]
    Unavailable(String),
}

impl From<danchu_db::DbError> for AppError {
    fn from(e: danchu_db::DbError) -> Self {
        match e {
            danchu_db::DbError::NotFound => AppError::NotFound,
            e if e.is_unavailable() => AppError::Unavailable(e.to_string()),
            danchu_db::DbError::Invalid(m) => AppError::BadRequest(m),
            e @ danchu_db::DbError::Refused(_) => AppError::BadRequest(e.to_string()),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Internal(format!("template: {e}"))
    }
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Forbidden | AppError::Refused { .. } | AppError::Csrf => {
                StatusCode::FORBIDDEN
            }
            AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::TooMany(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    fn title_and_message(&self) -> (&'static str, String) {
        match self {
            AppError::NotFound => ("Không tìm thấy trang", "Trang bạn tìm không có hoặc đã được chuyển đi. Hãy kiểm tra lại địa chỉ hoặc về trang chủ.".into()),
            AppError::BadRequest(m) => ("Yêu cầu không hợp lệ", m.clone()),
            AppError::Forbidden | AppError::Refused { .. } => ("Không có quyền", "Tài khoản của bạn không có quyền thực hiện thao tác này với đơn vị đã chọn.".into()),
            AppError::Csrf => ("Phiên làm việc không hợp lệ", "Biểu mẫu đã hết hạn hoặc không được gửi từ trang của hệ thống. Hãy tải lại trang rồi gửi lại.".into()),
            AppError::TooLarge => ("Dữ liệu quá lớn", "Dữ liệu gửi lên vượt quá giới hạn cho phép: tệp tải lên tối đa 10 MB, biểu mẫu tối đa 2 MB.".into()),
            AppError::TooMany(s) => ("Thử lại sau", format!("Bạn đã thử quá nhiều lần. Vui lòng thử lại sau {s} giây.")),
            AppError::Internal(_) => ("Lỗi hệ thống", "Đã có lỗi xảy ra. Chúng tôi đã ghi nhận; vui lòng thử lại sau.".into()),
            AppError::Unavailable(_) => ("Hệ thống tạm thời gián đoạn", "Máy chủ dữ liệu đang khởi động lại hoặc đang quá tải. Vui lòng thử lại sau ít giây. Những gì đã được ghi nhận thành công vẫn được giữ nguyên.".into()),
        }
    }
}

#[derive(Template)]
#[template(path = "kit/error.html")]
pub struct ErrorPage {
    pub ctx: Ctx,
    pub title: &'static str,
    pub message: String,
    pub code: u16,
}

impl AppError {
    /// What the log line of the response says about this error (none for a page not
    /// found or a bad request, which are not logged).
    pub fn log_note(&self) -> Option<LogNote> {
        match self {
            AppError::NotFound | AppError::BadRequest(_) => None,
            AppError::Forbidden => Some(LogNote::because("forbidden")),
            AppError::Refused { user, action, unit } => Some(LogNote {
                user: Some(user.clone()),
                action: Some(*action),
                unit: *unit,
                reason: Some("forbidden".into()),
            }),
            AppError::Csrf => Some(LogNote::because("csrf")),
            AppError::TooLarge => Some(LogNote::because("too_large")),
            AppError::TooMany(s) => Some(LogNote::because(format!("throttled ({s} s)"))),
            AppError::Internal(m) => Some(LogNote::because(m.clone())),
            AppError::Unavailable(m) => {
                Some(LogNote::because(format!("database unavailable: {m}")))
            }
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let note = self.log_note();
        let status = self.status();
        let (title, message) = self.title_and_message();
        let page = ErrorPage {
            ctx: Ctx::plain(),
            title,
            message,
            code: status.as_u16(),
        };
        let body = page.render().unwrap_or_else(|_| title.to_string());
        let mut resp = (status, Html(body)).into_response();
        if let Some(n) = note {
            resp.extensions_mut().insert(n);
        }
        let retry = match self {
            AppError::TooMany(s) => Some(s),
            AppError::Unavailable(_) => Some(5),
            _ => None,
        };
        if let Some(Ok(v)) = retry.map(|s| s.to_string().parse()) {
            resp.headers_mut()
                .insert(axum::http::header::RETRY_AFTER, v);
        }
        resp
    }
}

pub type AppResult<T> = Result<T, AppError>;

/// The Vietnamese 404 page for unknown URLs.
pub async fn not_found(_uri: Uri) -> AppError {
    AppError::NotFound
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_carries_who_what_and_where_to_its_log_line() {
        let e = AppError::Refused {
            user: "baocao.anlap".into(),
            action: Action::ViewAdmin,
            unit: Some(7),
        };
        assert_eq!(e.status(), StatusCode::FORBIDDEN);
        assert_eq!(
            e.log_note(),
            Some(LogNote {
                user: Some("baocao.anlap".into()),
                action: Some(Action::ViewAdmin),
                unit: Some(7),
                reason: Some("forbidden".into()),
            })
        );
        let resp = e.into_response();
        assert_eq!(
            resp.extensions().get::<LogNote>().and_then(|n| n.unit),
            Some(7)
        );
    }

    #[test]
    fn what_is_not_logged_has_no_note() {
        assert_eq!(AppError::NotFound.log_note(), None);
        assert_eq!(AppError::BadRequest("x".into()).log_note(), None);
        let n = AppError::Internal("units.kind: mã không rõ".into()).log_note();
        assert_eq!(
            n.and_then(|n| n.reason).as_deref(),
            Some("units.kind: mã không rõ")
        );
    }
}
