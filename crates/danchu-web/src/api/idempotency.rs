//! `Idempotency-Key` on the API's POST and PUT: a client whose request met a dying node
//! (a 502 from the load balancer, a dropped connection) sends it again with the same key
//! and learns what happened instead of writing twice.
//!
//! - first time: the request runs with the key pending ([`danchu_db::idempotency`]); its
//!   commit writes the key in the same transaction, and the answer (2xx) is stored;
//! - same key, same request (method, path, body): the stored answer again, with
//!   `Idempotency-Replayed: true`; if the write committed but its answer was never stored
//!   (the node died in between), 409 saying it was done;
//! - same key, another request: 422;
//! - a request that wrote nothing (refused, 4xx) stores no key: sending it again runs it
//!   again.
//!
//! Keys belong to the credential that sent them (a token, a session), so two clients'
//! keys never meet; they are kept a day.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use danchu_core::idempotency::{fingerprint, key as check_key};
use danchu_db::idempotency::{self as store, Pending, Stored};
use sha2::{Digest, Sha256};

use super::error::{ApiError, ErrorBody};
use crate::AppState;

/// The request header.
pub const HEADER: &str = "idempotency-key";
/// Set on an answer given again.
pub const REPLAYED: &str = "idempotency-replayed";

/// Who sent the key: a digest of the credential (the bearer token, else the session
/// cookie alone: other cookies may change between a request and its retry), never the
/// credential itself.
fn principal(headers: &HeaderMap) -> String {
    let credential = match headers.get(header::AUTHORIZATION) {
        Some(v) => v.as_bytes().to_vec(),
        None => crate::csrf::cookie_value(headers, crate::auth::COOKIE)
            .unwrap_or_default()
            .into_bytes(),
    };
    let digest = Sha256::digest(&credential);
    format!("cred:{}", hex::encode(&digest[..16]))
}

fn error(status: StatusCode, message: &str) -> Response {
    let body = ErrorBody {
        error: message.into(),
        fields: Vec::new(),
    };
    (status, axum::Json(body)).into_response()
}

fn replay(s: &Stored) -> Response {
    let status = s
        .status
        .and_then(|c| u16::try_from(c).ok())
        .and_then(|c| StatusCode::from_u16(c).ok())
        .unwrap_or(StatusCode::OK);
    let mut resp = (status, s.body.clone().unwrap_or_default()).into_response();
    if let Ok(v) = HeaderValue::from_str(&s.content_type) {
        resp.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    resp.headers_mut()
        .insert(REPLAYED, HeaderValue::from_static("true"));
    resp
}

/// What an earlier request with the same key tells this one, if anything.
fn earlier(found: Option<Stored>, fp: &str) -> Option<Response> {
    let s = found?;
    Some(if s.fingerprint != fp {
        error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Idempotency-Key này đã dùng cho một yêu cầu khác; hãy dùng khóa mới cho mỗi yêu cầu.",
        )
    } else if s.status.is_some() {
        replay(&s)
    } else {
        error(
            StatusCode::CONFLICT,
            "Yêu cầu với Idempotency-Key này đã được thực hiện (hoặc đang được thực hiện); \
             hãy xem lại dữ liệu trước khi gửi yêu cầu mới.",
        )
    })
}

pub async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let write = matches!(*req.method(), Method::POST | Method::PUT);
    let Some(raw) = req.headers().get(HEADER).filter(|_| write) else {
        return next.run(req).await;
    };
    // A header that is not text is refused with the same message as an empty key.
    let key = match check_key(raw.to_str().unwrap_or("")) {
        Ok(k) => k.to_string(),
        Err(msg) => return error(StatusCode::BAD_REQUEST, msg),
    };
    let principal = principal(req.headers());
    let (parts, body) = req.into_parts();
    let limit = state.config.body_limit;
    let Ok(bytes) = axum::body::to_bytes(body, limit).await else {
        return ApiError::TooLarge(limit).into_response();
    };
    let target = parts.uri.path_and_query().map_or("", |p| p.as_str());
    let fp = fingerprint(parts.method.as_str(), target, &bytes);
    match store::find(&state.db, &principal, &key).await {
        Ok(found) => {
            if let Some(resp) = earlier(found, &fp) {
                return resp;
            }
        }
        Err(e) => return ApiError::from(e).into_response(),
    }
    let pending = Pending {
        principal: principal.clone(),
        key: key.clone(),
        fingerprint: fp.clone(),
    };
    let req = Request::from_parts(parts, Body::from(bytes));
    let resp = store::scope(pending, next.run(req)).await;
    finish(&state, &principal, &key, &fp, resp).await
}

/// Stores a successful answer beside its committed key and hands it on. A failure that
/// raced another request with the same key (its commit lost on the key) answers as that
/// request's retry would.
async fn finish(
    state: &AppState,
    principal: &str,
    key: &str,
    fp: &str,
    resp: Response,
) -> Response {
    let status = resp.status();
    if status.is_server_error() {
        if let Ok(Some(found)) = store::find(&state.db, principal, key).await {
            return earlier(Some(found), fp).unwrap_or(resp);
        }
        return resp;
    }
    if !status.is_success() {
        return resp;
    }
    let (parts, body) = resp.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 16 * 1024 * 1024).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let text = String::from_utf8_lossy(&bytes);
    if let Err(e) = store::answer(
        &state.db,
        principal,
        key,
        status.as_u16(),
        &text,
        content_type,
    )
    .await
    {
        // The write stands; a retry will be told so (409) instead of getting the answer.
        tracing::warn!(error = %e, "could not store the answer of an idempotent request");
    }
    Response::from_parts(parts, Body::from(bytes))
}
