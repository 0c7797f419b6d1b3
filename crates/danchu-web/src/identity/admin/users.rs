//! Admin pages for users and their roles. A unit admin sees and manages the people of
//! their own units only; only a system admin hands out the system-admin role.

use askama::Template;
use axum::extract::Path;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use danchu_core::roles::{can_grant, Action, Role};
use danchu_db::users::{self, RoleRow, User};
use serde::Deserialize;

use crate::auth::Auth;
use crate::error::{AppError, AppResult};
use crate::form::Form;
use crate::form::{error_for, field_errors, form_status, FieldError};
use crate::layout::role_label;
use crate::layout::Ctx;
use crate::layout::Signed;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/quan-tri/nguoi-dung", get(list).post(create))
        .route("/quan-tri/nguoi-dung/{id}/vai-tro", post(grant))
        .route("/quan-tri/nguoi-dung/{id}/trang-thai", post(set_active))
        .route("/quan-tri/vai-tro/{id}/xoa", post(revoke))
}

#[derive(Default, Clone)]
struct NewUserForm {
    username: String,
    full_name: String,
    role: String,
    unit_code: String,
}

#[derive(Template)]
#[template(path = "identity/admin/users.html")]
struct ListPage {
    ctx: Ctx,
    users: Vec<(User, Vec<RoleRow>)>,
    roles: Vec<(&'static str, &'static str)>,
    form: NewUserForm,
    errors: Vec<FieldError>,
    notice: Option<String>,
}

impl ListPage {
    fn err(&self, f: &str) -> Option<&str> {
        error_for(&self.errors, f)
    }
    fn role_name(&self, code: &str) -> &'static str {
        Role::from_code(code)
            .map(|r| role_label(&self.ctx, r))
            .unwrap_or("?")
    }
}

/// The unit ids the user may manage people in (`None` = all).
async fn scope(state: &AppState, auth: &Auth) -> AppResult<Option<Vec<i64>>> {
    Ok(auth.scope(state, Action::ManageUsers).await?.ids())
}

async fn render(
    state: &AppState,
    ctx: Ctx,
    auth: &Auth,
    form: NewUserForm,
    errors: Vec<FieldError>,
    notice: Option<String>,
) -> AppResult<Response> {
    auth.require_somewhere(Action::ManageUsers)?;
    let within = scope(state, auth).await?;
    let list = users::list(&state.db, within.as_deref()).await?;
    let roles = Role::ALL
        .iter()
        .filter(|r| **r != Role::SystemAdmin || auth.is_system_admin())
        .map(|r| (r.code(), role_label(&ctx, *r)))
        .collect();
    let status = form_status(&errors);
    let page = ListPage {
        ctx,
        users: list,
        roles,
        form,
        errors,
        notice,
    };
    Ok((status, Html(page.render()?)).into_response())
}

async fn list(Signed { state, ctx, auth }: Signed) -> AppResult<Response> {
    render(&state, ctx, &auth, NewUserForm::default(), Vec::new(), None).await
}

/// Reads role and unit from a form and checks the user may hand them out.
async fn checked_grant(
    state: &AppState,
    auth: &Auth,
    role: &str,
    unit_code: &str,
    errors: &mut Vec<FieldError>,
) -> AppResult<Option<(Role, Option<i64>)>> {
    let Some(role) = Role::from_code(role) else {
        errors.push(FieldError::new("role", "Hãy chọn vai trò."));
        return Ok(None);
    };
    let unit = if unit_code.trim().is_empty() {
        None
    } else {
        match danchu_db::units::by_code(&mut state.db.clone(), unit_code.trim()).await? {
            Some(u) => Some(u.id),
            None => {
                errors.push(FieldError::new(
                    "unit_code",
                    "Không tìm thấy đơn vị với mã này.",
                ));
                return Ok(None);
            }
        }
    };
    if unit.is_none() && role != Role::SystemAdmin {
        errors.push(FieldError::new(
            "unit_code",
            "Vai trò này cần một đơn vị (nhập mã đơn vị).",
        ));
        return Ok(None);
    }
    let chain = match unit {
        Some(id) => Some(danchu_db::units::chain(&mut state.db.clone(), id).await?),
        None => None,
    };
    if !can_grant(&auth.0.grants, role, chain.as_deref()) {
        return Err(AppError::Forbidden);
    }
    Ok(Some((
        role,
        if role == Role::SystemAdmin {
            None
        } else {
            unit
        },
    )))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CreateForm {
    username: String,
    full_name: String,
    password: String,
    role: String,
    unit_code: String,
}

async fn create(
    Signed { state, ctx, auth }: Signed,
    Form(f): Form<CreateForm>,
) -> AppResult<Response> {
    auth.require_somewhere(Action::ManageUsers)?;
    let username = f.username.trim().to_lowercase();
    let mut errors = field_errors(users::check_new(&username, &f.full_name, &f.password));
    let grant = checked_grant(&state, &auth, &f.role, &f.unit_code, &mut errors).await?;
    if errors.is_empty() && users::by_username(&state.db, &username).await?.is_some() {
        errors.push(FieldError::new(
            "username",
            "Tên đăng nhập này đã có người dùng.",
        ));
    }
    let form = NewUserForm {
        username: username.clone(),
        full_name: f.full_name.clone(),
        role: f.role.clone(),
        unit_code: f.unit_code.clone(),
    };
    let (Some((role, unit)), true) = (grant, errors.is_empty()) else {
        return render(&state, ctx, &auth, form, errors, None).await;
    };
    let password = f.password;
    let hash = state
        .hashing(move || users::hash_password(&password))
        .await??;
    let created = users::create_with_grant(
        &state.db,
        &auth.actor(),
        &username,
        &f.full_name,
        &hash,
        role,
        unit,
    )
    .await;
    match created {
        Ok(_) => Ok(Redirect::to("/quan-tri/nguoi-dung").into_response()),
        Err(e) if e.is_unique_violation() => {
            let errors = vec![FieldError::new(
                "username",
                "Tên đăng nhập này đã có người dùng.",
            )];
            render(&state, ctx, &auth, form, errors, None).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct GrantForm {
    role: String,
    unit_code: String,
}

async fn grant(
    Signed { state, ctx, auth }: Signed,
    Path(id): Path<i64>,
    Form(f): Form<GrantForm>,
) -> AppResult<Response> {
    require_person_in_scope(&state, &auth, id).await?;
    let mut errors = Vec::new();
    match checked_grant(&state, &auth, &f.role, &f.unit_code, &mut errors).await? {
        Some((role, unit)) if errors.is_empty() => {
            users::grant(&state.db, &auth.actor(), id, role, unit).await?;
            Ok(Redirect::to("/quan-tri/nguoi-dung").into_response())
        }
        _ => render(&state, ctx, &auth, NewUserForm::default(), errors, None).await,
    }
}

/// May the user manage the role's unit (a unit-less role needs a system admin)?
async fn require_role_scope(state: &AppState, auth: &Auth, r: &RoleRow) -> AppResult<()> {
    auth.require(state, Action::ManageUsers, r.unit_id).await
}

async fn revoke(Signed { state, auth, .. }: Signed, Path(id): Path<i64>) -> AppResult<Response> {
    let r = users::role_row(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    require_role_scope(&state, &auth, &r).await?;
    if r.role == Role::SystemAdmin.code() && r.user_id == auth.0.live.user_id {
        return Err(AppError::BadRequest(
            "Bạn không thể tự bỏ vai trò quản trị hệ thống của chính mình.".into(),
        ));
    }
    users::revoke(&state.db, &auth.actor(), id).await?;
    Ok(Redirect::to("/quan-tri/nguoi-dung").into_response())
}

#[derive(Deserialize)]
struct ActiveForm {
    #[serde(default)]
    active: String,
}

/// A person may be changed only by someone whose scope covers every role they hold
/// (a person without roles only by a system admin).
async fn require_person_in_scope(
    state: &AppState,
    auth: &Auth,
    user_id: i64,
) -> AppResult<users::User> {
    let target = users::get(&mut state.db.clone(), user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let roles = users::roles_of(&state.db, user_id).await?;
    if roles.is_empty() {
        auth.require(state, Action::ManageSystem, None).await?;
    }
    for r in &roles {
        require_role_scope(state, auth, r).await?;
    }
    Ok(target)
}

async fn set_active(
    Signed { state, auth, .. }: Signed,
    Path(id): Path<i64>,
    Form(f): Form<ActiveForm>,
) -> AppResult<Response> {
    let target = require_person_in_scope(&state, &auth, id).await?;
    if target.id == auth.0.live.user_id {
        return Err(AppError::BadRequest(
            "Bạn không thể tự khoá tài khoản của chính mình.".into(),
        ));
    }
    users::set_active(&state.db, &auth.actor(), id, f.active == "1").await?;
    Ok(Redirect::to("/quan-tri/nguoi-dung").into_response())
}
