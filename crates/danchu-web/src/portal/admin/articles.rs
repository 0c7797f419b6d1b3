//! Admin pages for articles: list, write, edit, publish now or at a set time. The body
//! from the editor is sanitised on the server; every change is audited.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use danchu_core::roles::Action;
use danchu_db::portal::{Article, ArticleInput, Category};
use danchu_db::units::Unit;
use serde::Deserialize;

use crate::auth::Auth;
use crate::error::{AppError, AppResult};
use crate::form::FormAll;
use crate::form::{error_for, form_status, FieldError};
use crate::layout::Ctx;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/quan-tri/bai-viet", get(list).post(create))
        .route("/quan-tri/bai-viet/moi", get(new))
        .route("/quan-tri/bai-viet/{id}", get(edit).post(update))
}

#[derive(Template)]
#[template(path = "portal/admin/articles.html")]
struct ListPage {
    ctx: Ctx,
    articles: Vec<Article>,
    categories: Vec<Category>,
    now: i64,
}

impl ListPage {
    fn category(&self, id: &i64) -> &str {
        self.categories
            .iter()
            .find(|c| c.id == *id)
            .map(|c| c.name.as_str())
            .unwrap_or("")
    }
    fn when(&self, a: &Article) -> String {
        a.published_at
            .map(danchu_core::text::format_datetime)
            .unwrap_or_default()
    }
    fn state_label(&self, a: &Article) -> &'static str {
        state_label(&self.ctx, a, self.now)
    }
}

fn state_label(ctx: &Ctx, a: &Article, now: i64) -> &'static str {
    if a.status != "published" {
        ctx.t("draft")
    } else if a.published_at.is_some_and(|p| p > now) {
        ctx.t("scheduled")
    } else {
        ctx.t("published")
    }
}

async fn list(State(state): State<AppState>, ctx: Ctx, auth: Auth) -> AppResult<Html<String>> {
    auth.require_somewhere(Action::EditContent)?;
    let within = crate::auth::editable_units(&state, &auth).await?;
    let articles = danchu_db::portal::all_articles(&state.db, within.as_deref()).await?;
    let categories = danchu_db::portal::categories(&state.db).await?;
    Ok(Html(
        ListPage {
            ctx,
            articles,
            categories,
            now: danchu_db::now_s(),
        }
        .render()?,
    ))
}

/// What the form holds (kept as typed when there are errors).
#[derive(Deserialize, Default, Clone)]
pub struct ArticleForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    category_id: String,
    #[serde(default)]
    unit_id: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    author: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    published_at: String,
    #[serde(default)]
    featured: Option<String>,
    /// Numbers of the documents the article refers to, comma-separated.
    #[serde(default)]
    documents: String,
}

#[derive(Template)]
#[template(path = "portal/admin/article_form.html")]
struct FormPage {
    ctx: Ctx,
    id: Option<i64>,
    slug: Option<String>,
    f: ArticleForm,
    categories: Vec<Category>,
    units: Vec<Unit>,
    errors: Vec<FieldError>,
    /// Uploaded files that can be attached, and which are.
    files: Vec<danchu_db::media::Media>,
    attached: Vec<i64>,
}

impl FormPage {
    fn is_attached(&self, id: &i64) -> bool {
        self.attached.contains(id)
    }
    fn err(&self, f: &str) -> Option<&str> {
        error_for(&self.errors, f)
    }
    fn is_featured(&self) -> bool {
        self.f.featured.is_some()
    }
}

#[allow(clippy::too_many_arguments)]
async fn render_form(
    state: &AppState,
    ctx: Ctx,
    auth: &Auth,
    id: Option<i64>,
    slug: Option<String>,
    f: ArticleForm,
    attached: Vec<i64>,
    errors: Vec<FieldError>,
) -> AppResult<Response> {
    let categories = danchu_db::portal::categories(&state.db).await?;
    let units = crate::auth::unit_choices(state, auth).await?;
    let within = crate::auth::editable_units(state, auth).await?;
    let current = match id {
        Some(article) => danchu_db::media::attachments(&state.db, article).await?,
        None => Vec::new(),
    };
    let files = crate::media::offered_media(state, within.as_deref(), current, None).await?;
    let status = form_status(&errors);
    Ok((
        status,
        Html(
            FormPage {
                ctx,
                id,
                slug,
                f,
                categories,
                units,
                errors,
                files,
                attached,
            }
            .render()?,
        ),
    )
        .into_response())
}

/// The library documents an article cites, from their numbers ("22/KH-UBND, 10/2022/QH15");
/// unknown numbers are errors on the field.
async fn cited_documents(
    state: &AppState,
    numbers: &str,
    current: &[i64],
) -> AppResult<(Vec<i64>, Vec<FieldError>)> {
    let (ids, missing) = danchu_db::documents::named_in_field(&state.db, numbers, current).await?;
    let errors = missing
        .into_iter()
        .map(|message| FieldError {
            field: "documents",
            message,
        })
        .collect();
    Ok((ids, errors))
}

async fn new(State(state): State<AppState>, ctx: Ctx, auth: Auth) -> AppResult<Response> {
    auth.require_somewhere(Action::EditContent)?;
    let f = ArticleForm {
        status: "draft".into(),
        author: auth.0.live.full_name.clone(),
        ..Default::default()
    };
    render_form(&state, ctx, &auth, None, None, f, Vec::new(), Vec::new()).await
}

/// Why a title is refused, if it is.
fn title_error(title: &str) -> Option<&'static str> {
    match title.chars().count() {
        0 => Some("Tiêu đề không được để trống."),
        n if n > 300 => Some("Tiêu đề dài quá 300 ký tự."),
        _ => None,
    }
}

/// When the article goes public: as typed, or now for one published without a time.
fn published_at(f: &ArticleForm, status: &str, errors: &mut Vec<FieldError>) -> Option<i64> {
    if f.published_at.trim().is_empty() {
        return (status == "published").then(danchu_db::now_s);
    }
    let t = danchu_core::text::parse_datetime_vn(&f.published_at);
    if t.is_none() {
        errors.push(FieldError {
            field: "published_at",
            message: "Thời điểm đăng không hợp lệ (dd/mm/yyyy HH:MM).".into(),
        });
    }
    t
}

/// Checks the form; returns the input to save or the errors, field by field.
fn check(f: &ArticleForm, categories: &[Category]) -> Result<ArticleInput, Vec<FieldError>> {
    let mut errors = Vec::new();
    let title = danchu_core::text::clean_line(&f.title);
    if let Some(message) = title_error(&title) {
        errors.push(FieldError {
            field: "title",
            message: message.into(),
        });
    }
    let category = f
        .category_id
        .parse::<i64>()
        .ok()
        .filter(|id| categories.iter().any(|c| c.id == *id));
    if category.is_none() {
        errors.push(FieldError {
            field: "category_id",
            message: "Hãy chọn chuyên mục.".into(),
        });
    }
    let unit = f.unit_id.parse::<i64>().ok();
    if unit.is_none() {
        errors.push(FieldError {
            field: "unit_id",
            message: "Hãy chọn đơn vị.".into(),
        });
    }
    if f.summary.chars().count() > 1000 {
        errors.push(FieldError {
            field: "summary",
            message: "Tóm tắt dài quá 1.000 ký tự.".into(),
        });
    }
    let body = danchu_core::html::sanitize(&f.body);
    let status = if f.status == "published" {
        "published"
    } else {
        "draft"
    };
    if status == "published" && danchu_core::html::to_text(&body).is_empty() {
        errors.push(FieldError {
            field: "body",
            message: "Bài đăng cần có nội dung.".into(),
        });
    }
    let published_at = published_at(f, status, &mut errors);
    match (category, unit, errors.is_empty()) {
        (Some(category_id), Some(unit_id), true) => Ok(ArticleInput {
            unit_id,
            category_id,
            title,
            summary: f.summary.clone(),
            body,
            author: f.author.clone(),
            status: status.into(),
            featured: f.featured.is_some(),
            published_at,
        }),
        _ => Err(errors),
    }
}

async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    auth: Auth,
    form: FormAll<ArticleForm>,
) -> AppResult<Response> {
    auth.require_somewhere(Action::EditContent)?;
    let categories = danchu_db::portal::categories(&state.db).await?;
    let files =
        crate::media::chosen_media(&state, &auth, form.all("attachment"), &[], None).await?;
    let f = form.value;
    let (docs, doc_errors) = cited_documents(&state, &f.documents, &[]).await?;
    let input = match check(&f, &categories).map_err(|mut e| {
        e.extend(doc_errors.clone());
        e
    }) {
        Ok(i) if doc_errors.is_empty() => i,
        Ok(_) => return render_form(&state, ctx, &auth, None, None, f, files, doc_errors).await,
        Err(errors) => return render_form(&state, ctx, &auth, None, None, f, files, errors).await,
    };
    auth.require(&state, Action::EditContent, Some(input.unit_id))
        .await?;
    let links = danchu_db::portal::ArticleLinks {
        attachments: files,
        documents: docs,
    };
    let a = danchu_db::portal::save_article(&state.db, &auth.actor(), None, &input, Some(&links))
        .await?;
    Ok(Redirect::to(&format!("/quan-tri/bai-viet/{}", a.id)).into_response())
}

/// The form of a saved article, as the editor left it: saving it unchanged changes
/// nothing (its cited documents included).
fn form_of(a: &Article, documents: &[danchu_db::documents::Document]) -> ArticleForm {
    ArticleForm {
        title: a.title.clone(),
        category_id: a.category_id.to_string(),
        unit_id: a.unit_id.to_string(),
        summary: a.summary.clone(),
        body: a.body.clone(),
        author: a.author.clone(),
        status: a.status.clone(),
        published_at: a
            .published_at
            .map(danchu_core::text::datetime_local)
            .unwrap_or_default(),
        featured: a.featured.then(|| "1".to_string()),
        documents: documents
            .iter()
            .map(|d| d.number.as_str())
            .collect::<Vec<_>>()
            .join(", "),
    }
}

async fn edit(
    State(state): State<AppState>,
    ctx: Ctx,
    auth: Auth,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let a = danchu_db::portal::article_by_id(&mut state.db.clone(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    auth.require(&state, Action::EditContent, Some(a.unit_id))
        .await?;
    let attached = danchu_db::media::attachments(&state.db, id)
        .await?
        .iter()
        .map(|m| m.id)
        .collect();
    let cited = danchu_db::documents::of_article(&state.db, id).await?;
    render_form(
        &state,
        ctx,
        &auth,
        Some(id),
        Some(a.slug.clone()),
        form_of(&a, &cited),
        attached,
        Vec::new(),
    )
    .await
}

async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    auth: Auth,
    Path(id): Path<i64>,
    form: FormAll<ArticleForm>,
) -> AppResult<Response> {
    let a = danchu_db::portal::article_by_id(&mut state.db.clone(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    auth.require(&state, Action::EditContent, Some(a.unit_id))
        .await?;
    let categories = danchu_db::portal::categories(&state.db).await?;
    let current: Vec<i64> = danchu_db::media::attachments(&state.db, id)
        .await?
        .iter()
        .map(|m| m.id)
        .collect();
    let files =
        crate::media::chosen_media(&state, &auth, form.all("attachment"), &current, None).await?;
    let f = form.value;
    let cited: Vec<i64> = danchu_db::documents::of_article(&state.db, id)
        .await?
        .iter()
        .map(|d| d.id)
        .collect();
    let (docs, doc_errors) = cited_documents(&state, &f.documents, &cited).await?;
    let input = match check(&f, &categories).map_err(|mut e| {
        e.extend(doc_errors.clone());
        e
    }) {
        Ok(i) if doc_errors.is_empty() => i,
        Ok(_) => {
            return render_form(
                &state,
                ctx,
                &auth,
                Some(id),
                Some(a.slug.clone()),
                f,
                files,
                doc_errors,
            )
            .await
        }
        Err(errors) => {
            return render_form(&state, ctx, &auth, Some(id), Some(a.slug), f, files, errors).await
        }
    };
    // Moving an article to another unit needs rights there too.
    auth.require(&state, Action::EditContent, Some(input.unit_id))
        .await?;
    let links = danchu_db::portal::ArticleLinks {
        attachments: files,
        documents: docs,
    };
    danchu_db::portal::save_article(&state.db, &auth.actor(), Some(id), &input, Some(&links))
        .await?;
    Ok(Redirect::to(&format!("/quan-tri/bai-viet/{id}")).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cats() -> Vec<Category> {
        vec![Category {
            id: 1,
            unit_id: 1,
            slug: "tin".into(),
            name: "Tin".into(),
            position: 0,
        }]
    }

    #[test]
    fn form_is_checked_field_by_field() {
        let f = ArticleForm {
            status: "published".into(),
            published_at: "31/02/2023".into(),
            ..Default::default()
        };
        let errs = check(&f, &cats()).unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            ["title", "category_id", "unit_id", "body", "published_at"]
        );
    }

    #[test]
    fn body_is_sanitised_and_schedule_parsed() {
        let f = ArticleForm {
            title: "Tin <b>mới</b>".into(),
            category_id: "1".into(),
            unit_id: "5".into(),
            body: "<p onclick=\"x()\">Nội dung<script>alert(1)</script></p>".into(),
            status: "published".into(),
            published_at: "01/12/2030 07:30".into(),
            ..Default::default()
        };
        let i = check(&f, &cats()).unwrap();
        assert_eq!(i.body, "<p>Nội dung</p>");
        assert_eq!(
            i.published_at,
            danchu_core::text::parse_datetime_vn("01/12/2030 07:30")
        );
        assert_eq!(
            i.title, "Tin <b>mới</b>",
            "titles are text, escaped when shown"
        );
    }
}
