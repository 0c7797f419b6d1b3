//! A signed-in user's own account: change password (which ends every session of theirs).

use askama::Template;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

use crate::auth::Auth;
use crate::error::{AppError, AppResult};
use crate::form::Form;
use crate::form::{error_for, form_status, FieldError};
use crate::layout::Ctx;
use crate::layout::Signed;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/quan-tri/mat-khau", get(page).post(change))
}

#[derive(Template)]
#[template(path = "identity/admin/password.html")]
struct PasswordPage {
    ctx: Ctx,
    errors: Vec<FieldError>,
}

impl PasswordPage {
    fn err(&self, f: &str) -> Option<&str> {
        error_for(&self.errors, f)
    }
}

fn render(ctx: Ctx, errors: Vec<FieldError>) -> AppResult<Response> {
    let status = form_status(&errors);
    Ok((status, Html(PasswordPage { ctx, errors }.render()?)).into_response())
}

async fn page(ctx: Ctx, _auth: Auth) -> AppResult<Response> {
    render(ctx, Vec::new())
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ChangeForm {
    current: String,
    new_password: String,
    confirm: String,
}

async fn change(
    Signed { state, ctx, auth }: Signed,
    Form(f): Form<ChangeForm>,
) -> AppResult<Response> {
    let (_, hash) = danchu_db::users::by_username(&state.db, &auth.0.live.username)
        .await?
        .ok_or(AppError::Forbidden)?;
    let current = f.current.clone();
    let ok = state
        .hashing(move || danchu_db::users::verify_password(&hash, &current))
        .await?;
    let mut errors = Vec::new();
    if !ok {
        errors.push(FieldError::new("current", "Mật khẩu hiện tại không đúng."));
    }
    if let Some((_, m)) = danchu_db::users::check_password(&f.new_password) {
        errors.push(FieldError::new("new_password", m));
    } else if f.new_password != f.confirm {
        errors.push(FieldError::new(
            "confirm",
            "Hai lần nhập mật khẩu mới không khớp.",
        ));
    }
    if !errors.is_empty() {
        return render(ctx, errors);
    }
    let pw = f.new_password;
    let new_hash = state
        .hashing(move || danchu_db::users::hash_password(&pw))
        .await??;
    danchu_db::users::set_password(&state.db, &auth.actor(), auth.0.live.user_id, &new_hash)
        .await?;
    // Every session, this one included, has ended: sign in again with the new password.
    Ok(Redirect::to("/dang-nhap?next=/quan-tri").into_response())
}
