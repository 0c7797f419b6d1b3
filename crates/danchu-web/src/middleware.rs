//! The layers every request passes through, outermost first: request id, tracing,
//! metrics, timeout, security headers, body limit, language, session, CSRF.

use std::sync::atomic::{AtomicU64, Ordering};

use axum::extract::Request;
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::middleware::{from_fn, from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use danchu_core::i18n::Lang;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::trace::TraceLayer;

use crate::csrf::cookie_value;
use crate::error::{AppError, LogNote};
use crate::AppState;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Content-Security-Policy: no inline script or style anywhere.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

#[derive(Clone, Default)]
struct Ids {
    prefix: u32,
    next: std::sync::Arc<AtomicU64>,
}

impl MakeRequestId for Ids {
    fn make_request_id<B>(&mut self, _: &axum::http::Request<B>) -> Option<RequestId> {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        HeaderValue::from_str(&format!("{:08x}-{n:x}", self.prefix))
            .ok()
            .map(RequestId::new)
    }
}

async fn security_headers(req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    // A handler may set a stricter policy (uploaded files do).
    h.entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(CSP));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    h.insert(
        HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    );
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    resp
}

/// Picks the UI language: `?lang=` (remembered in a cookie), else the cookie, else Vietnamese.
async fn language(mut req: Request, next: Next) -> Response {
    let from_query = req.uri().query().and_then(|q| {
        q.split('&')
            .filter_map(|kv| kv.split_once('='))
            .find(|(k, _)| *k == "lang")
            .and_then(|(_, v)| Lang::from_code(v))
    });
    let lang = from_query
        .or_else(|| cookie_value(req.headers(), "lang").and_then(|v| Lang::from_code(&v)))
        .unwrap_or_default();
    req.extensions_mut().insert(lang);
    let mut resp = next.run(req).await;
    if let Some(l) = from_query {
        if let Ok(v) = HeaderValue::from_str(&format!(
            "lang={}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax",
            l.code()
        )) {
            resp.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    resp
}

/// The request being answered, for what is logged inside it (an abandoned upload).
#[derive(Debug, Clone)]
pub struct RequestInfo {
    pub id: String,
    pub method: axum::http::Method,
    pub path: String,
}

tokio::task_local! {
    static REQUEST: RequestInfo;
}

/// The request the current task answers, if any.
pub fn current_request() -> Option<RequestInfo> {
    REQUEST.try_with(Clone::clone).ok()
}

/// Writes the one log line of a request that failed (5xx: ERROR `request failed`), was
/// refused (403, 413, 429: WARN `request refused`, with who, which action on which
/// unit and why, from the response's [`LogNote`]) or timed out (408: WARN `request timed
/// out`); nothing for the others. Nothing else logs these, so each is one line.
fn log_response(info: &RequestInfo, resp: &Response) {
    let status = resp.status();
    let note = resp
        .extensions()
        .get::<LogNote>()
        .cloned()
        .unwrap_or_default();
    let action = note.action.map(|a| format!("{a:?}"));
    let (id, method, path) = (&info.id, &info.method, &info.path);
    let (user, reason) = (note.user.as_deref(), note.reason.as_deref());
    if status.is_server_error() {
        tracing::error!(request_id = %id, %method, %path, status = status.as_u16(), user, error = reason, "request failed");
    } else if status == StatusCode::REQUEST_TIMEOUT {
        tracing::warn!(request_id = %id, %method, %path, status = status.as_u16(), user, reason, "request timed out");
    } else if matches!(
        status,
        StatusCode::FORBIDDEN | StatusCode::TOO_MANY_REQUESTS | StatusCode::PAYLOAD_TOO_LARGE
    ) {
        tracing::warn!(
            request_id = %id, %method, %path, status = status.as_u16(),
            user, action = action.as_deref(), unit = note.unit, reason,
            "request refused"
        );
    }
}

/// Logs each refused or failed request once ([`log_response`]) and turns the body-limit
/// layer's bare 413 and the timeout's 408 into our pages.
async fn friendly_errors(req: Request, next: Next) -> Response {
    let info = RequestInfo {
        id: req
            .headers()
            .get(REQUEST_ID)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string(),
        method: req.method().clone(),
        path: req.uri().path().to_string(),
    };
    let resp = REQUEST.scope(info.clone(), next.run(req)).await;
    log_response(&info, &resp);
    let (status, path) = (resp.status(), info.path);
    if is_json(&resp) {
        return resp; // the API's own errors, already in Vietnamese
    }
    if path.starts_with("/api/") && (status.is_client_error() || status.is_server_error()) {
        // The API answers in JSON even when the router or a layer refuses the request.
        let message = match status {
            StatusCode::PAYLOAD_TOO_LARGE => AppError::TooLarge.to_string(),
            StatusCode::NOT_FOUND => AppError::NotFound.to_string(),
            StatusCode::METHOD_NOT_ALLOWED => {
                "Phương thức không được hỗ trợ cho địa chỉ này.".into()
            }
            StatusCode::FORBIDDEN => AppError::Forbidden.to_string(),
            s if s.is_server_error() => "Lỗi hệ thống; vui lòng thử lại sau.".into(),
            _ => "Địa chỉ hoặc dữ liệu gửi lên không hợp lệ.".into(),
        };
        let mut out = (status, axum::Json(serde_json::json!({ "error": message }))).into_response();
        if let Some(v) = resp.headers().get(header::WWW_AUTHENTICATE) {
            out.headers_mut()
                .insert(header::WWW_AUTHENTICATE, v.clone());
        }
        return out;
    }
    match resp.status() {
        StatusCode::PAYLOAD_TOO_LARGE if !is_html(&resp) => AppError::TooLarge.into_response(),
        // Path and method rejections from the router come as English plain text.
        StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY if !is_html(&resp) => {
            AppError::BadRequest("Địa chỉ hoặc dữ liệu gửi lên không hợp lệ.".into())
                .into_response()
        }
        StatusCode::METHOD_NOT_ALLOWED if !is_html(&resp) => (
            StatusCode::METHOD_NOT_ALLOWED,
            "Phương thức không được hỗ trợ cho địa chỉ này.",
        )
            .into_response(),
        StatusCode::REQUEST_TIMEOUT if !is_html(&resp) => (
            StatusCode::REQUEST_TIMEOUT,
            "Yêu cầu mất quá nhiều thời gian; vui lòng thử lại.",
        )
            .into_response(),
        _ => resp,
    }
}

fn is_json(r: &Response) -> bool {
    r.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

fn is_html(r: &Response) -> bool {
    r.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"))
}

/// Requests get `request_timeout`; requests carrying files (multipart: slow phone
/// connections, 10 MB) get `upload_timeout`. A request past its time is answered 408 and
/// its work is dropped (an extraction child with it).
async fn timeout(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let limit = if multipart && req.method() == axum::http::Method::POST {
        state.config.upload_timeout
    } else {
        state.config.request_timeout
    };
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(resp) => resp,
        Err(_) => {
            let mut resp = (
                StatusCode::REQUEST_TIMEOUT,
                "Yêu cầu mất quá nhiều thời gian; vui lòng thử lại.",
            )
                .into_response();
            resp.extensions_mut().insert(LogNote::because(format!(
                "timeout after {} s",
                limit.as_secs()
            )));
            resp
        }
    }
}

/// Any change made through the admin area or the API makes cached public pages stale, on
/// this node at once and on the others through the database ([`danchu_db::changes`]).
async fn invalidate_on_change(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    // Only a signed-in person (or an API token: its writes answer 401 otherwise) changing
    // something makes pages stale (an anonymous POST must not be a way to empty caches).
    let write = !matches!(
        *req.method(),
        axum::http::Method::GET | axum::http::Method::HEAD | axum::http::Method::OPTIONS
    );
    let path = req.uri().path();
    let changes = write
        && ((path.starts_with("/quan-tri")
            && req.extensions().get::<crate::auth::AuthUser>().is_some())
            || path.starts_with("/api/"));
    let resp = next.run(req).await;
    if changes && (resp.status().is_success() || resp.status().is_redirection()) {
        state.cache.invalidate();
        state.announcer.announce();
    }
    resp
}

pub fn wrap(routes: Router<AppState>, state: AppState) -> Router {
    let ids = Ids {
        prefix: rand::random(),
        next: Default::default(),
    };
    routes
        .layer(from_fn_with_state(state.clone(), invalidate_on_change))
        .layer(from_fn_with_state(state.clone(), crate::csrf::layer))
        .layer(from_fn_with_state(state.clone(), crate::auth::session_layer))
        .layer(from_fn(language))
        // Forms are limited to body_limit by the CSRF layer; uploads may be larger.
        .layer(RequestBodyLimitLayer::new(state.config.body_limit.max(crate::media::MAX_UPLOAD + 64 * 1024)))
        .layer(from_fn_with_state(state.clone(), timeout))
        .layer(from_fn(friendly_errors))
        .layer(from_fn(security_headers))
        .layer(from_fn_with_state(state.clone(), crate::metrics::layer))
        .layer(
            TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
                let id = req.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("");
                // The request span is at debug level: at info it costs a fifth of the
                // throughput of public pages. Errors and refusals are logged with their
                // request id by `friendly_errors`, which sees every response.
                tracing::debug_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
            })
            // A failed request is logged once, with its request id and error, by
            // `friendly_errors`; the trace layer's own ERROR line would be a second one.
            .on_failure(()),
        )
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetRequestIdLayer::new(REQUEST_ID, ids))
        .with_state(state)
}
