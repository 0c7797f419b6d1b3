//! Identity on the web: the session middleware, the sign-in/sign-out pages, and the one
//! authorisation function every admin handler calls ([`Auth::require`]).

use std::net::SocketAddr;

use askama::Template;
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use danchu_core::roles::{permits, Action, Grant};
use danchu_db::audit::Actor;
use danchu_db::sessions;
use danchu_db::units::Unit;
use serde::Deserialize;

use crate::csrf::cookie_value;
use crate::error::{AppError, AppResult};
use crate::form::{Form, Query};
use crate::layout::Ctx;
use crate::AppState;

pub const COOKIE: &str = "danchu_session";

/// The signed-in user of a request, with their grants.
#[derive(Clone, Debug)]
pub struct AuthUser {
    pub live: sessions::Live,
    pub grants: Vec<Grant>,
}

/// The secret of an `Authorization: Bearer …` header, if the request has one.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
}

/// A unit's API token acting as a reporter of that unit, and of nothing else.
fn token_user(t: &danchu_db::api_tokens::ApiToken) -> AuthUser {
    AuthUser {
        live: sessions::Live {
            user_id: 0,
            username: t.actor_name(),
            full_name: t.name.clone(),
            id_hash: String::new(),
        },
        grants: vec![Grant {
            role: danchu_core::roles::Role::Reporter,
            unit_id: Some(t.unit_id),
        }],
    }
}

/// Resolves the caller once per request and puts the user in the request: a unit's API
/// token when the request carries `Authorization: Bearer` (the session cookie is then
/// ignored, so such requests need no CSRF token), else the session cookie.
pub async fn session_layer(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let mut user = None;
    if let Some(secret) = bearer(req.headers()) {
        match danchu_db::api_tokens::lookup(&state.db, secret).await {
            Ok(Some(t)) => user = Some(token_user(&t)),
            Ok(None) => {
                return crate::api::ApiError::Unauthorized.into_response();
            }
            Err(e) => return AppError::from(e).into_response(),
        }
    } else if let Some(token) = cookie_value(req.headers(), COOKIE) {
        match sessions::lookup(&state.db, &token).await {
            Ok(Some((live, grants))) => user = Some(AuthUser { live, grants }),
            Ok(None) => {}
            Err(e) => return AppError::from(e).into_response(),
        }
    }
    let name = user.as_ref().map(|u| u.live.username.clone());
    if let Some(u) = user {
        req.extensions_mut().insert(u);
    }
    let mut resp = next.run(req).await;
    if let Some(name) = name {
        name_user(&mut resp, name);
    }
    resp
}

/// Names the user in the log note of a refused or failed response (whoever refused it
/// may not have known who asked: a CSRF check, a throttle, a body limit).
fn name_user(resp: &mut Response, name: String) {
    let status = resp.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return;
    }
    let ext = resp.extensions_mut();
    match ext.get_mut::<crate::error::LogNote>() {
        Some(n) => {
            n.user.get_or_insert(name);
        }
        None => {
            ext.insert(crate::error::LogNote {
                user: Some(name),
                ..Default::default()
            });
        }
    }
}

/// A handler argument that requires a signed-in user; anonymous requests are sent to
/// the sign-in page and come back afterwards.
#[derive(Clone, Debug)]
pub struct Auth(pub AuthUser);

pub struct SignInRedirect(String);

impl IntoResponse for SignInRedirect {
    fn into_response(self) -> Response {
        let next: String = url_escape(&self.0);
        Redirect::to(&format!("/dang-nhap?next={next}")).into_response()
    }
}

fn url_escape(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

impl<S: Send + Sync> FromRequestParts<S> for Auth {
    type Rejection = SignInRedirect;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        match parts.extensions.get::<AuthUser>() {
            Some(u) => Ok(Auth(u.clone())),
            None => Err(SignInRedirect(parts.uri.path().to_string())),
        }
    }
}

impl<S: Send + Sync> axum::extract::OptionalFromRequestParts<S> for Auth {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        _state: &S,
    ) -> Result<Option<Self>, Self::Rejection> {
        Ok(parts.extensions.get::<AuthUser>().cloned().map(Auth))
    }
}

/// The client's address: the connection's peer, or (with `trust_proxy`) the last
/// address a trusted load balancer appended to `X-Forwarded-For`.
pub struct ClientIp(pub std::net::IpAddr);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let forwarded = state
            .config
            .trust_proxy
            .then(|| {
                parts
                    .headers
                    .get_all("x-forwarded-for")
                    .iter()
                    .filter_map(|v| v.to_str().ok())
                    .flat_map(|v| v.split(','))
                    .filter_map(|a| a.trim().parse::<std::net::IpAddr>().ok())
                    .next_back()
            })
            .flatten();
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|a| a.0.ip());
        Ok(ClientIp(forwarded.or(peer).unwrap_or(
            std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED),
        )))
    }
}

impl Auth {
    pub fn actor(&self) -> Actor {
        Actor(self.0.live.username.clone())
    }

    /// The one authorisation check: the user holds a role that permits `action` on
    /// `unit` (or on one of its ancestors). `None` means a system-wide action. A refusal
    /// carries who asked for what on which unit to the response, whose one log line
    /// (`request refused`, written by the `friendly_errors` middleware) names them; it
    /// logs nothing itself, so use [`Auth::may`] to decide what to show.
    pub async fn require(
        &self,
        state: &AppState,
        action: Action,
        unit: Option<i64>,
    ) -> AppResult<()> {
        if self.may_at(state, action, unit).await? {
            Ok(())
        } else {
            Err(AppError::Refused {
                user: self.0.live.username.clone(),
                action,
                unit,
            })
        }
    }

    /// Load and authorise in one step: the record a read `found` (404 when it found none),
    /// which the user must be allowed `action` on at the unit `unit_of` names; then the
    /// same check as [`Auth::require`].
    pub async fn require_found<T>(
        &self,
        state: &AppState,
        action: Action,
        found: Option<T>,
        unit_of: impl FnOnce(&T) -> i64,
    ) -> AppResult<T> {
        let record = found.ok_or(AppError::NotFound)?;
        self.require(state, action, Some(unit_of(&record))).await?;
        Ok(record)
    }

    /// Whether the user may do `action` on `unit` (for deciding what to show; a refused
    /// request goes through [`Auth::require`]).
    pub async fn may(&self, state: &AppState, action: Action, unit: i64) -> AppResult<bool> {
        self.may_at(state, action, Some(unit)).await
    }

    /// [`Auth::may`] where the target may be the whole system (`None`).
    pub async fn may_at(
        &self,
        state: &AppState,
        action: Action,
        unit: Option<i64>,
    ) -> AppResult<bool> {
        let chain = match unit {
            Some(id) => Some(danchu_db::units::chain(&mut state.db.clone(), id).await?),
            None => None,
        };
        Ok(permits(&self.0.grants, action, chain.as_deref()))
    }

    /// Every unit where the user may do `action`, read in one query: list pages check each
    /// row against it in memory instead of asking the database once per row.
    pub async fn scope(&self, state: &AppState, action: Action) -> AppResult<Scope> {
        if permits(&self.0.grants, action, None) {
            return Ok(Scope::All);
        }
        let roots = self.scope_roots(action);
        let ids = danchu_db::units::subtrees(&mut state.db.clone(), &roots).await?;
        Ok(Scope::Units(ids.into_iter().collect()))
    }

    /// Refuses the request unless the user may do `action` somewhere (a page that lists
    /// what the user's scope holds); the refusal names the action, as [`Auth::require`]'s.
    pub fn require_somewhere(&self, action: Action) -> AppResult<()> {
        if self.may_somewhere(action) {
            Ok(())
        } else {
            Err(AppError::Refused {
                user: self.0.live.username.clone(),
                action,
                unit: None,
            })
        }
    }

    /// Whether the user may do `action` somewhere (to show or hide menu entries).
    pub fn may_somewhere(&self, action: Action) -> bool {
        self.0
            .grants
            .iter()
            .any(|g| danchu_core::roles::allows(g.role, action))
    }

    pub fn is_system_admin(&self) -> bool {
        permits(&self.0.grants, Action::ManageSystem, None)
    }

    /// Units the user's grants cover directly (the roots of their scope).
    pub fn scope_roots(&self, action: Action) -> Vec<i64> {
        self.0
            .grants
            .iter()
            .filter(|g| danchu_core::roles::allows(g.role, action))
            .filter_map(|g| g.unit_id)
            .collect()
    }
}

/// Where a user may do an action: everywhere (a system administrator) or in these units.
#[derive(Debug, Clone)]
pub enum Scope {
    All,
    Units(std::collections::HashSet<i64>),
}

impl Scope {
    pub fn permits(&self, unit: i64) -> bool {
        match self {
            Scope::All => true,
            Scope::Units(u) => u.contains(&unit),
        }
    }

    /// The units, or `None` for every unit.
    pub fn ids(&self) -> Option<Vec<i64>> {
        match self {
            Scope::All => None,
            Scope::Units(u) => {
                let mut v: Vec<i64> = u.iter().copied().collect();
                v.sort_unstable();
                Some(v)
            }
        }
    }
}

/// Units whose content the user may edit (`None` = every unit).
pub async fn editable_units(state: &AppState, auth: &Auth) -> AppResult<Option<Vec<i64>>> {
    Ok(auth.scope(state, Action::EditContent).await?.ids())
}

/// The units whose content the user may edit, to choose from; for a system admin (every
/// unit) the top units and those of their children that `child` keeps are enough.
pub async fn editable_unit_list(
    state: &AppState,
    auth: &Auth,
    child: impl Fn(&Unit) -> bool,
) -> AppResult<Vec<Unit>> {
    let mut db = state.db.clone();
    Ok(match editable_units(state, auth).await? {
        Some(ids) => danchu_db::units::by_ids(&mut db, &ids)
            .await?
            .into_values()
            .collect(),
        None => {
            let tops = danchu_db::units::children(&state.db, None).await?;
            let ids: Vec<i64> = tops.iter().map(|u| u.id).collect();
            let mut all = danchu_db::units::children_of(&mut db, &ids).await?;
            all.retain(child);
            all.extend(tops);
            all
        }
    })
}

/// The units offered in the form's unit list (open units, no thôn/ấp), in order.
pub async fn unit_choices(state: &AppState, auth: &Auth) -> AppResult<Vec<Unit>> {
    let mut units = editable_unit_list(state, auth, |_| true).await?;
    units.retain(|u| !u.is_closed() && !matches!(u.kind.as_str(), "village"));
    danchu_db::units::sort_vn(&mut units);
    units.truncate(300);
    Ok(units)
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/dang-nhap", get(sign_in_page).post(sign_in))
        .route("/dang-xuat", post(sign_out))
}

#[derive(Template)]
#[template(path = "kit/sign_in.html")]
struct SignInPage {
    ctx: Ctx,
    next: String,
    username: String,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
struct NextQuery {
    #[serde(default)]
    next: String,
}

/// Only same-site paths are followed after sign-in.
fn safe_next(next: &str) -> String {
    let second = next.chars().nth(1);
    let plain = next
        .chars()
        .all(|c| !c.is_control() && !c.is_whitespace() && c != '\\');
    if next.starts_with('/') && second != Some('/') && plain && next.len() <= 512 {
        next.to_string()
    } else {
        "/quan-tri".to_string()
    }
}

async fn sign_in_page(ctx: Ctx, Query(q): Query<NextQuery>) -> AppResult<Html<String>> {
    if ctx.user.is_some() {
        // Already signed in: the page still works, it just offers the form again.
    }
    let page = SignInPage {
        ctx,
        next: safe_next(&q.next),
        username: String::new(),
        error: None,
    };
    Ok(Html(page.render()?))
}

#[derive(Deserialize)]
struct SignInForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

/// Failures allowed per account before waiting, and per address (higher: an office
/// shares one address).
const FREE_PER_USER: i64 = danchu_core::throttle::FREE_FAILURES;
const FREE_PER_IP: i64 = 20;

async fn sign_in(
    State(state): State<AppState>,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    current: Option<Auth>,
    headers: HeaderMap,
    Form(f): Form<SignInForm>,
) -> AppResult<Response> {
    let username = f.username.trim().to_lowercase();
    let user_key = sessions::user_key(&username);
    let ip_key = sessions::ip_key(&ip);
    // Counted before the password is checked, so parallel attempts cannot pass the limit.
    let keys = [
        (ip_key.as_str(), FREE_PER_IP),
        (user_key.as_str(), FREE_PER_USER),
    ];
    if let Err(wait) = sessions::throttle_attempt(&state.db, &keys).await? {
        return Err(AppError::TooMany(wait));
    }
    let plausible = !username.is_empty() && username.len() <= 64 && f.password.len() <= 1024;
    let found = if plausible {
        danchu_db::users::by_username(&state.db, &username).await?
    } else {
        None
    };
    let (hash, user) = match found {
        Some((u, h)) if u.active => (h, Some(u)),
        _ => (danchu_db::users::dummy_hash().to_string(), None),
    };
    let password = f.password.clone();
    let ok = state
        .hashing(move || danchu_db::users::verify_password(&hash, &password))
        .await?;
    let Some(user) = user.filter(|_| ok) else {
        tracing::info!(%ip, "sign-in failed");
        let page = SignInPage {
            ctx,
            next: safe_next(&f.next),
            username: f.username.chars().take(64).collect(),
            error: Some("Tên đăng nhập hoặc mật khẩu không đúng.".into()),
        };
        return Ok((StatusCode::UNAUTHORIZED, Html(page.render()?)).into_response());
    };
    let ua = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let ip_text = ip.to_string();
    let signing = danchu_db::identity::sign_in::SignIn {
        user_id: user.id,
        username: &user.username,
        user_key: &user_key,
        ip_key: &ip_key,
        ip: &ip_text,
        user_agent: ua,
        replaces: current.as_ref().map(|Auth(old)| old.live.id_hash.as_str()),
    };
    let token = danchu_db::identity::sign_in::signed_in(&state.db, &signing).await?;
    Ok(signed_in_response(&state, &f.next, &token))
}

/// The redirect after a sign-in: the session's cookie, and a new CSRF nonce so a nonce
/// planted before cannot be reused.
fn signed_in_response(state: &AppState, next: &str, token: &str) -> Response {
    let mut resp = Redirect::to(&safe_next(next)).into_response();
    set_cookie(
        &mut resp,
        state,
        &format!(
            "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}",
            sessions::MAX_S
        ),
    );
    set_cookie(
        &mut resp,
        state,
        &format!(
            "{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0",
            crate::csrf::COOKIE
        ),
    );
    resp
}

/// Appends a Set-Cookie header (with `Secure` when the site is served over HTTPS).
pub fn set_cookie(resp: &mut Response, state: &AppState, cookie: &str) {
    let secure = if state.config.secure_cookies() {
        "; Secure"
    } else {
        ""
    };
    if let Ok(v) = HeaderValue::from_str(&format!("{cookie}{secure}")) {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
}

async fn sign_out(State(state): State<AppState>, user: Option<Auth>) -> AppResult<Response> {
    if let Some(Auth(u)) = user {
        danchu_db::identity::sign_in::sign_out(&state.db, &u.live.username, &u.live.id_hash)
            .await?;
    }
    let mut resp = Redirect::to("/").into_response();
    set_cookie(
        &mut resp,
        &state,
        &format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"),
    );
    set_cookie(
        &mut resp,
        &state,
        &format!(
            "{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0",
            crate::csrf::COOKIE
        ),
    );
    Ok(resp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_on_site() {
        assert_eq!(safe_next("/quan-tri/don-vi"), "/quan-tri/don-vi");
        assert_eq!(safe_next("//evil.example"), "/quan-tri");
        assert_eq!(safe_next("https://evil.example"), "/quan-tri");
        assert_eq!(safe_next("/\\evil"), "/quan-tri");
        assert_eq!(safe_next("/\t/evil.example"), "/quan-tri");
        assert_eq!(safe_next("/a b"), "/quan-tri");
        assert_eq!(safe_next("/quan-tri?x=1"), "/quan-tri?x=1");
    }
}
