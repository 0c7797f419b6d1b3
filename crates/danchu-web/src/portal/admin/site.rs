//! Admin of the portal's frame: categories, link lists and banners (one page, a form for
//! each task). Every change needs the right to edit content of the item's unit.

use askama::Template;
use axum::extract::Path;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use danchu_core::roles::Action;
use danchu_db::portal::{Banner, BannerInput, Category, LinkGroup};
use danchu_db::units::Unit;
use danchu_db::DbError;
use serde::Deserialize;

use crate::auth::Auth;
use crate::error::{AppError, AppResult};
use crate::form::Form;
use crate::form::{field_errors, form_status, FieldError};
use crate::layout::Ctx;
use crate::layout::Signed;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/quan-tri/cong-thong-tin", get(page))
        .route("/quan-tri/cong-thong-tin/chuyen-muc", post(add_category))
        .route(
            "/quan-tri/cong-thong-tin/chuyen-muc/{id}",
            post(update_category),
        )
        .route("/quan-tri/cong-thong-tin/nhom-lien-ket", post(add_group))
        .route(
            "/quan-tri/cong-thong-tin/nhom-lien-ket/{id}/lien-ket",
            post(add_link),
        )
        .route(
            "/quan-tri/cong-thong-tin/lien-ket/{id}/xoa",
            post(delete_link),
        )
        .route("/quan-tri/cong-thong-tin/bieu-ngu", post(add_banner))
        .route(
            "/quan-tri/cong-thong-tin/bieu-ngu/{id}/xoa",
            post(delete_banner),
        )
}

#[derive(Template)]
#[template(path = "portal/admin/site.html")]
struct SitePage {
    ctx: Ctx,
    categories: Vec<Category>,
    groups: Vec<LinkGroup>,
    banners: Vec<Banner>,
    units: Vec<Unit>,
    errors: Vec<FieldError>,
    images: Vec<danchu_db::media::Media>,
}

impl SitePage {
    fn err(&self, f: &str) -> Option<&str> {
        crate::form::error_for(&self.errors, f)
    }
    fn date(&self, d: &Option<time::Date>) -> String {
        d.map(danchu_core::text::format_date)
            .unwrap_or_else(|| "—".into())
    }
}

async fn render(
    state: &AppState,
    ctx: Ctx,
    auth: &Auth,
    errors: Vec<FieldError>,
) -> AppResult<Response> {
    auth.require_somewhere(Action::EditContent)?;
    // For a system admin: the provinces and their districts.
    let mut units = crate::auth::editable_unit_list(state, auth, |u| u.kind == "district").await?;
    units.retain(|u| {
        matches!(u.kind.as_str(), "province" | "district" | "commune") && !u.is_closed()
    });
    danchu_db::units::sort_vn(&mut units);
    units.truncate(200);
    let page = SitePage {
        ctx,
        categories: danchu_db::portal::categories(&state.db).await?,
        groups: danchu_db::portal::link_groups(&state.db).await?,
        banners: danchu_db::portal::all_banners(&state.db).await?,
        units,
        errors,
        images: danchu_db::media::recent(&state.db, None, 100)
            .await?
            .into_iter()
            .filter(|m| m.kind == "image")
            .collect(),
    };
    let status = form_status(&page.errors);
    Ok((status, Html(page.render()?)).into_response())
}

async fn page(Signed { state, ctx, auth }: Signed) -> AppResult<Response> {
    render(&state, ctx, &auth, Vec::new()).await
}

fn back() -> Response {
    Redirect::to("/quan-tri/cong-thong-tin").into_response()
}

fn url_error(field: &'static str) -> FieldError {
    FieldError::new(field, danchu_core::portal::URL_ERROR)
}

fn position(s: &str) -> i64 {
    s.trim().parse::<i64>().unwrap_or(0).clamp(-1000, 1000)
}

fn name_error(field: &'static str, name: &str) -> Option<FieldError> {
    danchu_core::portal::name_error(name).map(|m| FieldError::new(field, m))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct NameForm {
    name: String,
    position: String,
    unit_id: String,
}

impl NameForm {
    /// The name and the position as typed; the name refused beside `field` when it is none.
    fn checked(&self, field: &'static str) -> Result<(&str, i64), Vec<FieldError>> {
        match name_error(field, &self.name) {
            Some(e) => Err(vec![e]),
            None => Ok((&self.name, position(&self.position))),
        }
    }
}

/// The unit chosen in the form, whose content the user must be allowed to edit.
async fn chosen_unit(state: &AppState, auth: &Auth, typed: &str) -> AppResult<i64> {
    let unit = typed
        .trim()
        .parse()
        .map_err(|_| AppError::BadRequest("Hãy chọn đơn vị.".into()))?;
    auth.require(state, Action::EditContent, Some(unit)).await?;
    Ok(unit)
}

async fn add_category(
    Signed { state, ctx, auth }: Signed,
    Form(f): Form<NameForm>,
) -> AppResult<Response> {
    let unit = chosen_unit(&state, &auth, &f.unit_id).await?;
    let (name, at) = match f.checked("category_name") {
        Ok(named) => named,
        Err(errors) => return render(&state, ctx, &auth, errors).await,
    };
    match danchu_db::portal::add_category(&state.db, &auth.actor(), unit, name, at).await {
        Ok(_) => Ok(back()),
        Err(e) if e.is_unique_violation() => {
            let taken = FieldError::new("category_name", "Đã có chuyên mục cùng tên.");
            render(&state, ctx, &auth, vec![taken]).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn update_category(
    Signed { state, ctx, auth }: Signed,
    Path(id): Path<i64>,
    Form(f): Form<NameForm>,
) -> AppResult<Response> {
    let found = danchu_db::portal::category_by_id(&mut state.db.clone(), id).await?;
    auth.require_found(&state, Action::EditContent, found, |c| c.unit_id)
        .await?;
    let (name, at) = match f.checked("category_name") {
        Ok(named) => named,
        Err(errors) => return render(&state, ctx, &auth, errors).await,
    };
    danchu_db::portal::update_category(&state.db, &auth.actor(), id, name, at).await?;
    Ok(back())
}

async fn add_group(
    Signed { state, ctx, auth }: Signed,
    Form(f): Form<NameForm>,
) -> AppResult<Response> {
    let unit = chosen_unit(&state, &auth, &f.unit_id).await?;
    let (name, at) = match f.checked("group_name") {
        Ok(named) => named,
        Err(errors) => return render(&state, ctx, &auth, errors).await,
    };
    danchu_db::portal::add_link_group(&state.db, &auth.actor(), unit, name, at).await?;
    Ok(back())
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct LinkForm {
    title: String,
    url: String,
    position: String,
}

async fn add_link(
    Signed { state, ctx, auth }: Signed,
    Path(group): Path<i64>,
    Form(f): Form<LinkForm>,
) -> AppResult<Response> {
    let owner = danchu_db::portal::link_group_owner(&state.db, group).await?;
    auth.require_found(&state, Action::EditContent, owner, |unit| *unit)
        .await?;
    let mut errors: Vec<FieldError> = name_error("link_title", &f.title).into_iter().collect();
    if !danchu_core::html::safe_url(&f.url) {
        errors.push(url_error("link_url"));
    }
    if !errors.is_empty() {
        return render(&state, ctx, &auth, errors).await;
    }
    danchu_db::portal::add_link(
        &state.db,
        &auth.actor(),
        group,
        &f.title,
        &f.url,
        position(&f.position),
    )
    .await?;
    Ok(back())
}

async fn delete_link(
    Signed { state, auth, .. }: Signed,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let owner = danchu_db::portal::link_owner(&state.db, id).await?;
    auth.require_found(&state, Action::EditContent, owner, |unit| *unit)
        .await?;
    danchu_db::portal::delete_link(&state.db, &auth.actor(), id).await?;
    Ok(back())
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct BannerForm {
    title: String,
    link_url: String,
    valid_from: String,
    valid_to: String,
    position: String,
    unit_id: String,
    image_id: String,
}

async fn add_banner(
    Signed { state, ctx, auth }: Signed,
    Form(f): Form<BannerForm>,
) -> AppResult<Response> {
    let unit = chosen_unit(&state, &auth, &f.unit_id).await?;
    let image = match f.image_id.trim().parse::<i64>() {
        Ok(id) => {
            let m = danchu_db::media::get(&state.db, id)
                .await?
                .filter(|m| m.kind == "image")
                .ok_or_else(|| AppError::BadRequest("Ảnh biểu ngữ không hợp lệ.".into()))?;
            auth.require(&state, Action::EditContent, Some(m.unit_id))
                .await?;
            Some(m.id)
        }
        Err(_) => None,
    };
    let mut unreadable = Vec::new();
    let b = BannerInput {
        unit_id: unit,
        title: f.title,
        link_url: f.link_url.trim().to_string(),
        valid_from: crate::form::day_field(&f.valid_from, "valid_from", &mut unreadable),
        valid_to: crate::form::day_field(&f.valid_to, "valid_to", &mut unreadable),
        position: position(&f.position),
    };
    match danchu_db::portal::add_banner(&state.db, &auth.actor(), &b, image, unreadable).await {
        Ok(_) => Ok(back()),
        Err(DbError::Refused(errors)) => render(&state, ctx, &auth, field_errors(errors)).await,
        Err(e) => Err(e.into()),
    }
}

async fn delete_banner(
    Signed { state, auth, .. }: Signed,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let found = danchu_db::portal::all_banners(&state.db)
        .await?
        .into_iter()
        .find(|b| b.id == id);
    auth.require_found(&state, Action::EditContent, found, |b| b.unit_id)
        .await?;
    danchu_db::portal::delete_banner(&state.db, &auth.actor(), id).await?;
    Ok(back())
}
