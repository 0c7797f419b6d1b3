//! CSRF protection for every state-changing request, in one middleware.
//!
//! Signed double-submit cookie bound to the session: the `danchu_csrf` cookie holds a
//! random nonce; forms carry `HMAC(secret, nonce ‖ session)` in a hidden `_csrf` field (or
//! the `x-csrf-token` header for scripts, or a `_csrf` query parameter for multipart
//! uploads only). An attacker's page can neither read the cookie nor compute the HMAC
//! without the installation's secret, and a token minted for one session (or for no
//! session) is worthless in another, so a forged POST is refused with 403. The nonce is
//! replaced at sign-in and sign-out. The cookie is only set when a page actually renders a
//! form, so plain page views stay cacheable.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::error::AppError;
use crate::AppState;

pub const COOKIE: &str = "danchu_csrf";
pub const FIELD: &str = "_csrf";

#[derive(Clone)]
pub struct CsrfToken {
    /// The cookie's nonce, or one made the first time a form needs it (most page views
    /// never do, so they pay nothing).
    nonce: Arc<std::sync::OnceLock<String>>,
    /// The session the token is bound to (its id hash; empty when signed out).
    session: String,
    secret: Arc<Vec<u8>>,
    fresh: bool,
    used: Arc<AtomicBool>,
}

fn sign(secret: &[u8], nonce: &str, session: &str) -> String {
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret) {
        Ok(m) => m,
        Err(_) => return String::new(),
    };
    mac.update(nonce.as_bytes());
    mac.update(b"|");
    mac.update(session.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

impl CsrfToken {
    pub fn form_token(&self) -> String {
        self.used.store(true, Ordering::Relaxed);
        sign(&self.secret, self.nonce(), &self.session)
    }

    fn nonce(&self) -> &str {
        self.nonce.get_or_init(danchu_db::sessions::new_token)
    }

    fn verify(&self, submitted: &str) -> bool {
        let expected = sign(&self.secret, self.nonce(), &self.session);
        !self.fresh
            && !expected.is_empty()
            && expected
                .as_bytes()
                .ct_eq(submitted.trim().as_bytes())
                .into()
    }
}

pub fn cookie_value(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// Finds `_csrf` in an urlencoded body or query string.
fn field_in(s: &str) -> Option<String> {
    s.split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == FIELD)
        .map(|(_, v)| v.to_string())
}

/// Finds `_csrf` in an urlencoded body even when other fields are not valid UTF-8
/// (those are refused later, with a clear message, by the form decoder).
fn field_in_bytes(body: &[u8]) -> Option<String> {
    body.split(|b| *b == b'&')
        .find_map(|kv| kv.strip_prefix(b"_csrf="))
        .and_then(|v| std::str::from_utf8(v).ok())
        .map(str::to_string)
}

fn is_safe(m: &Method) -> bool {
    matches!(*m, Method::GET | Method::HEAD | Method::OPTIONS)
}

pub async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let token = token_for(&state, &req);
    let (mut parts, body) = req.into_parts();
    let body = if needs_token(&parts, &token) {
        match checked_body(&state, &token, &parts, body).await {
            Ok(body) => body,
            // A refused token is logged once, by friendly_errors.
            Err(refused) => return refused.into_response(),
        }
    } else {
        body
    };
    parts.extensions.insert(token.clone());
    let mut resp = next.run(Request::from_parts(parts, body)).await;
    set_cookie_if_used(&state, &token, &mut resp);
    resp
}

/// The request's token: the cookie's nonce when it has a well-formed one (else a fresh one,
/// made only if a form needs it), bound to the signed-in session, if any.
fn token_for(state: &AppState, req: &Request) -> CsrfToken {
    let existing = cookie_value(req.headers(), COOKIE).filter(|n| {
        n.len() == 43
            && n.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    });
    let session = req
        .extensions()
        .get::<crate::auth::AuthUser>()
        .map(|u| u.live.id_hash.clone())
        .unwrap_or_default();
    CsrfToken {
        session,
        fresh: existing.is_none(),
        nonce: Arc::new(existing.map(std::sync::OnceLock::from).unwrap_or_default()),
        secret: state.secret.clone(),
        used: Arc::new(AtomicBool::new(false)),
    }
}

/// Whether the request must carry a valid token.
fn needs_token(parts: &Parts, token: &CsrfToken) -> bool {
    // A request with a unit's API token is authenticated by that header alone (the session
    // layer ignores cookies then): no browser can send it cross-site, so it needs no token.
    // An API call without any session is anonymous: there is no session to ride on, and
    // the handler answers 401 itself.
    let anonymous_api = parts.uri.path().starts_with("/api/") && token.session.is_empty();
    !is_safe(&parts.method) && crate::auth::bearer(&parts.headers).is_none() && !anonymous_api
}

/// Checks the submitted token of a request that needs one and gives back its body (read
/// whole within the body limit, except for uploads), or the response refusing it.
async fn checked_body(
    state: &AppState,
    token: &CsrfToken,
    parts: &Parts,
    body: Body,
) -> Result<Body, AppError> {
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let header_token = parts
        .headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    if content_type.starts_with("multipart/form-data") {
        // Uploads stream on to their handler (which limits their size); their forms carry
        // the token in the URL.
        let submitted = header_token.or_else(|| parts.uri.query().and_then(field_in));
        check(token, submitted)?;
        return Ok(body);
    }
    let bytes = read_limited(body, state.config.body_limit).await?;
    let submitted = header_token.or_else(|| {
        content_type
            .starts_with("application/x-www-form-urlencoded")
            .then(|| field_in_bytes(&bytes))
            .flatten()
    });
    check(token, submitted)?;
    Ok(Body::from(bytes))
}

/// Reads a whole body within `limit` bytes.
async fn read_limited(body: Body, limit: usize) -> Result<axum::body::Bytes, AppError> {
    axum::body::to_bytes(body, limit).await.map_err(|e| {
        // Over the limit (with a length or chunked), or cut off: each says so.
        if crate::media::body_too_large(&e) {
            AppError::TooLarge
        } else {
            AppError::BadRequest(
                "Dữ liệu gửi lên bị cắt ngang hoặc không đọc được; hãy gửi lại.".into(),
            )
        }
    })
}

/// Refuses a request whose submitted token is missing or does not verify.
fn check(token: &CsrfToken, submitted: Option<String>) -> Result<(), AppError> {
    if submitted.is_some_and(|s| token.verify(&s)) {
        Ok(())
    } else {
        Err(AppError::Csrf)
    }
}

/// Sets the cookie when its nonce is new and a form of the response used it.
fn set_cookie_if_used(state: &AppState, token: &CsrfToken, resp: &mut Response) {
    if token.fresh && token.used.load(Ordering::Relaxed) {
        let secure = if state.config.secure_cookies() {
            "; Secure"
        } else {
            ""
        };
        if let Ok(v) = HeaderValue::from_str(&format!(
            "{COOKIE}={}; Path=/; HttpOnly; SameSite=Lax{secure}",
            token.nonce()
        )) {
            resp.headers_mut().append(header::SET_COOKIE, v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tok(fresh: bool) -> CsrfToken {
        CsrfToken {
            nonce: Arc::new(std::sync::OnceLock::from("n".repeat(43))),
            session: "s1".into(),
            secret: Arc::new(vec![7; 32]),
            fresh,
            used: Arc::new(AtomicBool::new(false)),
        }
    }

    #[test]
    fn token_verifies_only_against_its_cookie() {
        let t = tok(false);
        let good = t.form_token();
        assert!(t.verify(&good));
        assert!(!t.verify("deadbeef"));
        assert!(!t.verify(""));
        // A request without the cookie (fresh nonce) can never pass.
        assert!(!tok(true).verify(&good));
        // A token minted for another session does not pass.
        let mut other = tok(false);
        other.session = "s2".into();
        assert!(!other.verify(&good));
    }

    #[test]
    fn finds_field_in_body() {
        assert_eq!(field_in("a=1&_csrf=abc&b=2").as_deref(), Some("abc"));
        assert_eq!(field_in("a=1"), None);
        assert_eq!(field_in_bytes(b"a=\xff&_csrf=abc").as_deref(), Some("abc"));
    }
}
