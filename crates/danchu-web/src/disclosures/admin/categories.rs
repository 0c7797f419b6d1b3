//! The disclosure categories, edited by a system administrator (R6/R10).

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use danchu_core::disclosures::{Category, Channel};
use danchu_core::roles::Action;

use super::{show_date, DetailQuery};
use crate::auth::Auth;
use crate::error::{AppError, AppResult};
use crate::form::{FormAll, Query};
use crate::layout::Ctx;
use crate::layout::Signed;
use crate::AppState;

#[derive(Template)]
#[template(path = "disclosures/admin/disclosure_categories.html")]
struct CategoriesPage {
    ctx: Ctx,
    categories: Vec<(i64, Category)>,
    error: Option<(i64, String)>,
    notice: bool,
}

impl CategoriesPage {
    /// The forms open to a category's list (R46).
    fn channels(&self, c: &Category) -> Vec<(&'static str, &'static str)> {
        Channel::for_scope(&c.scope)
            .iter()
            .map(|c| (c.code(), c.name_vi()))
            .collect()
    }
    fn has_channel(&self, c: &Category, code: &str) -> bool {
        c.channels.iter().any(|x| x.code() == code)
    }
    fn everies(&self) -> Vec<(&'static str, &'static str)> {
        vec![
            ("quarter", "Hằng quý"),
            ("half_year", "6 tháng"),
            ("year", "Hằng năm"),
        ]
    }
    fn has_every(&self, c: &Category, code: &str) -> bool {
        c.every.iter().any(|e| every_code(*e) == code)
    }
    fn err(&self, id: &i64) -> Option<&str> {
        self.error
            .as_ref()
            .filter(|e| e.0 == *id)
            .map(|e| e.1.as_str())
    }
    fn date(&self, d: &str) -> String {
        if d.is_empty() {
            String::new()
        } else {
            show_date(d)
        }
    }
}

fn every_code(e: danchu_core::disclosures::Every) -> &'static str {
    match e {
        danchu_core::disclosures::Every::Quarter => "quarter",
        danchu_core::disclosures::Every::HalfYear => "half_year",
        danchu_core::disclosures::Every::Year => "year",
    }
}

pub(super) async fn render_categories(
    state: &AppState,
    ctx: Ctx,
    auth: &Auth,
    error: Option<(i64, String)>,
    notice: bool,
) -> AppResult<Response> {
    auth.require(state, Action::ManageSystem, None).await?;
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let page = CategoriesPage {
        ctx,
        categories: danchu_db::disclosures::categories(&state.db).await?,
        error,
        notice,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub(super) async fn categories_page(
    Signed { state, ctx, auth }: Signed,
    Query(q): Query<DetailQuery>,
) -> AppResult<Response> {
    render_categories(&state, ctx, &auth, None, q.ok == "1").await
}

/// Saves a category as edited by a system administrator (R6/R10: the unconfirmed
/// figures are defaults to change here).
pub(super) async fn save_category(
    Signed { state, ctx, auth }: Signed,
    Path(id): Path<i64>,
    form: FormAll<BTreeMap<String, String>>,
) -> AppResult<Response> {
    auth.require(&state, Action::ManageSystem, None).await?;
    let mut c = danchu_db::disclosures::category(&mut state.db.clone(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !edited(&mut c, &form) {
        let e = "Số ngày là số nguyên từ 0 đến 3.650; ngày hiệu lực theo dd/mm/yyyy.";
        return render_categories(&state, ctx, &auth, Some((id, e.into())), false).await;
    }
    match danchu_db::disclosures::update_category(&state.db, &auth.actor(), id, &c).await {
        Ok(()) => Ok(Redirect::to("/quan-tri/cong-khai/danh-muc?ok=1").into_response()),
        Err(danchu_db::DbError::Invalid(m)) => {
            render_categories(&state, ctx, &auth, Some((id, m)), false).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The category as the form edits it; `false` (and the category unchanged) when a number
/// of days or a date does not read.
fn edited(c: &mut Category, form: &FormAll<BTreeMap<String, String>>) -> bool {
    let f = &form.value;
    let get = |k: &str| {
        f.get(k)
            .map(String::as_str)
            .unwrap_or("")
            .trim()
            .to_string()
    };
    let days = |k: &str| {
        get(k)
            .parse::<i64>()
            .ok()
            .filter(|d| (0..=3650).contains(d))
    };
    let day = |k: &str| -> Option<String> {
        let v = get(k);
        if v.is_empty() {
            Some(String::new())
        } else {
            danchu_core::text::parse_date(&v).map(danchu_core::text::iso_date)
        }
    };
    let (Some(min), Some(broadcast), Some(within), Some(from), Some(to)) = (
        days("min_days"),
        days("broadcast_days"),
        days("post_within_days"),
        day("valid_from"),
        day("valid_to"),
    ) else {
        return false;
    };
    c.name = danchu_core::text::clean_line(&get("name"));
    c.min_days = min;
    c.broadcast_days = broadcast;
    c.post_within_days = within;
    c.valid_from = from;
    c.valid_to = to;
    c.channels = form
        .all("channel")
        .iter()
        .filter_map(|v| Channel::parse(v))
        .filter(|ch| Channel::for_scope(&c.scope).contains(ch))
        .collect();
    c.every = form
        .all("every")
        .iter()
        .filter_map(|v| match *v {
            "quarter" => Some(danchu_core::disclosures::Every::Quarter),
            "half_year" => Some(danchu_core::disclosures::Every::HalfYear),
            "year" => Some(danchu_core::disclosures::Every::Year),
            _ => None,
        })
        .collect();
    true
}
