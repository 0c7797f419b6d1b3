//! API tokens in the admin area (`/quan-tri/khoa-api`): a unit's administrator creates a
//! token for the unit's own software (shown once), sees when each was last used, and
//! revokes it. Needs ManageUsers on the token's unit: a token is a credential.

use askama::Template;
use axum::extract::Path;
use axum::http::{header, HeaderValue};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use danchu_core::roles::Action;
use danchu_db::api_tokens::ApiToken;
use serde::Deserialize;

use crate::auth::Auth;
use crate::error::AppResult;
use crate::form::Form;
use crate::layout::Ctx;
use crate::layout::Signed;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/quan-tri/khoa-api", get(page).post(create))
        .route("/quan-tri/khoa-api/{id}/thu-hoi", post(revoke))
}

#[derive(Template)]
#[template(path = "identity/admin/api_tokens.html")]
struct TokensPage {
    ctx: Ctx,
    /// (token, unit name)
    tokens: Vec<(ApiToken, String)>,
    units: Vec<(i64, String)>,
    /// The secret of a token just created (shown once).
    created: Option<(ApiToken, String)>,
    error: Option<String>,
}

impl TokensPage {
    fn when(&self, t: &Option<i64>) -> String {
        t.map(danchu_core::text::format_datetime)
            .unwrap_or_else(|| "—".into())
    }
    fn at(&self, t: &i64) -> String {
        danchu_core::text::format_datetime(*t)
    }
}

/// The units whose tokens the user manages: the roots of their scope and the units
/// directly under them (a system administrator: the top-level units and theirs).
async fn manageable(state: &AppState, auth: &Auth) -> AppResult<Vec<(i64, String)>> {
    let mut db = state.db.clone();
    let mut roots: Vec<danchu_db::units::Unit> = if auth.is_system_admin() {
        danchu_db::units::children(&state.db, None).await?
    } else {
        let ids = auth.scope_roots(Action::ManageUsers);
        danchu_db::units::by_ids(&mut db, &ids)
            .await?
            .into_values()
            .collect()
    };
    danchu_db::units::sort_vn(&mut roots);
    let ids: Vec<i64> = roots.iter().map(|r| r.id).collect();
    let children = danchu_db::units::children_of(&mut db, &ids).await?;
    let mut out = Vec::new();
    for r in roots {
        let id = r.id;
        out.push((r.id, r.name));
        out.extend(
            children
                .iter()
                .filter(|c| c.parent_id == Some(id))
                .map(|c| (c.id, c.name.clone())),
        );
    }
    Ok(out)
}

async fn render(
    state: &AppState,
    ctx: Ctx,
    auth: &Auth,
    created: Option<(ApiToken, String)>,
    error: Option<String>,
) -> AppResult<Response> {
    auth.require_somewhere(Action::ManageUsers)?;
    let units = manageable(state, auth).await?;
    let scope = auth.scope(state, Action::ManageUsers).await?.ids();
    let list = danchu_db::api_tokens::list(&state.db, scope.as_deref()).await?;
    let unit_ids: Vec<i64> = list.iter().map(|t| t.unit_id).collect();
    let names = danchu_db::units::by_ids(&mut state.db.clone(), &unit_ids).await?;
    let tokens: Vec<_> = list
        .into_iter()
        .map(|t| {
            let name = names
                .get(&t.unit_id)
                .map(|u| u.name.clone())
                .unwrap_or_default();
            (t, name)
        })
        .collect();
    let status = if error.is_some() {
        axum::http::StatusCode::BAD_REQUEST
    } else {
        axum::http::StatusCode::OK
    };
    let mut resp = (
        status,
        Html(
            TokensPage {
                ctx,
                tokens,
                units,
                created,
                error,
            }
            .render()?,
        ),
    )
        .into_response();
    // The page may carry a secret: never kept by a cache.
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(resp)
}

async fn page(Signed { state, ctx, auth }: Signed) -> AppResult<Response> {
    render(&state, ctx, &auth, None, None).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct NewToken {
    unit_id: String,
    name: String,
}

async fn create(
    Signed { state, ctx, auth }: Signed,
    Form(f): Form<NewToken>,
) -> AppResult<Response> {
    let Ok(unit) = f.unit_id.parse::<i64>() else {
        return render(&state, ctx, &auth, None, Some("Hãy chọn đơn vị.".into())).await;
    };
    auth.require(&state, Action::ManageUsers, Some(unit))
        .await?;
    match danchu_db::api_tokens::create(&state.db, &auth.actor(), unit, &f.name).await {
        Ok(created) => render(&state, ctx, &auth, Some(created), None).await,
        Err(danchu_db::DbError::Invalid(m)) => render(&state, ctx, &auth, None, Some(m)).await,
        Err(e) => Err(e.into()),
    }
}

async fn revoke(Signed { state, auth, .. }: Signed, Path(id): Path<i64>) -> AppResult<Response> {
    let found = danchu_db::api_tokens::get(&state.db, id).await?;
    auth.require_found(&state, Action::ManageUsers, found, |t| t.unit_id)
        .await?;
    danchu_db::api_tokens::revoke(&state.db, &auth.actor(), id).await?;
    Ok(Redirect::to("/quan-tri/khoa-api").into_response())
}
