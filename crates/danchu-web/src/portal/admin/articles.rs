//! Admin pages for articles: list, write, edit, publish now or at a set time. The body
//! from the editor is sanitised on the server; every change is audited.

use askama::Template;
use axum::extract::Path;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use danchu_core::roles::Action;
use danchu_db::portal::{Article, ArticleInput, Category};
use danchu_db::units::Unit;
use danchu_db::DbError;
use serde::Deserialize;

use crate::auth::Auth;
use crate::error::AppResult;
use crate::form::FormAll;
use crate::form::{error_for, field_errors, form_status, FieldError};
use crate::layout::Ctx;
use crate::layout::Signed;
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

async fn list(Signed { state, ctx, auth }: Signed) -> AppResult<Html<String>> {
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
#[serde(default)]
pub struct ArticleForm {
    title: String,
    category_id: String,
    unit_id: String,
    summary: String,
    body: String,
    author: String,
    status: String,
    published_at: String,
    featured: Option<String>,
    /// Numbers of the documents the article refers to, comma-separated.
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

async fn new(Signed { state, ctx, auth }: Signed) -> AppResult<Response> {
    auth.require_somewhere(Action::EditContent)?;
    let f = ArticleForm {
        status: "draft".into(),
        author: auth.0.live.full_name.clone(),
        ..Default::default()
    };
    render_form(&state, ctx, &auth, None, None, f, Vec::new(), Vec::new()).await
}

/// Reads the form into the input the use case checks, and the fields it cannot read.
fn parse(f: &ArticleForm) -> (ArticleInput, Vec<(&'static str, String)>) {
    let mut unreadable = Vec::new();
    let category_id = f.category_id.parse::<i64>().unwrap_or_else(|_| {
        unreadable.push(("category_id", "Hãy chọn chuyên mục.".into()));
        0
    });
    let unit_id = f.unit_id.parse::<i64>().unwrap_or_else(|_| {
        unreadable.push(("unit_id", "Hãy chọn đơn vị.".into()));
        0
    });
    let published_at = match f.published_at.trim() {
        "" => None,
        typed => {
            let t = danchu_core::text::parse_datetime_vn(typed);
            if t.is_none() {
                unreadable.push((
                    "published_at",
                    "Thời điểm đăng không hợp lệ (dd/mm/yyyy HH:MM).".into(),
                ));
            }
            t
        }
    };
    let status = if f.status == "published" {
        "published"
    } else {
        "draft"
    };
    let input = ArticleInput {
        unit_id,
        category_id,
        title: f.title.clone(),
        summary: f.summary.clone(),
        body: f.body.clone(),
        author: f.author.clone(),
        status: status.into(),
        featured: f.featured.is_some(),
        published_at,
    };
    (input, unreadable)
}

/// An editor's save of article `id` (`None`: a new one): checked by the use case, the
/// form again with the errors beside their fields, or the article's page.
async fn save(
    state: &AppState,
    ctx: Ctx,
    auth: &Auth,
    (id, slug): (Option<i64>, Option<String>),
    form: FormAll<ArticleForm>,
) -> AppResult<Response> {
    let current: Vec<i64> = match id {
        Some(id) => crate::media::ids(&danchu_db::media::attachments(&state.db, id).await?),
        None => Vec::new(),
    };
    let files =
        crate::media::chosen_media(state, auth, form.all("attachment"), &current, None).await?;
    let f = form.value;
    let (input, unreadable) = parse(&f);
    let checked = match danchu_db::portal::check_article(
        &state.db,
        id,
        input,
        &f.documents,
        unreadable,
    )
    .await
    {
        Ok(c) => c,
        Err(DbError::Refused(errors)) => {
            let errors = field_errors(errors);
            return render_form(state, ctx, auth, id, slug, f, files, errors).await;
        }
        Err(e) => return Err(e.into()),
    };
    // Moving an article to another unit needs rights there too.
    auth.require(state, Action::EditContent, Some(checked.unit_id()))
        .await?;
    let a = danchu_db::portal::save_checked(&state.db, &auth.actor(), id, &checked, files).await?;
    Ok(Redirect::to(&format!("/quan-tri/bai-viet/{}", a.id)).into_response())
}

async fn create(
    Signed { state, ctx, auth }: Signed,
    form: FormAll<ArticleForm>,
) -> AppResult<Response> {
    auth.require_somewhere(Action::EditContent)?;
    save(&state, ctx, &auth, (None, None), form).await
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

/// The article, checked to be the user's to edit.
async fn editable(state: &AppState, auth: &Auth, id: i64) -> AppResult<Article> {
    let found = danchu_db::portal::article_by_id(&mut state.db.clone(), id).await?;
    auth.require_found(state, Action::EditContent, found, |a| a.unit_id)
        .await
}

async fn edit(Signed { state, ctx, auth }: Signed, Path(id): Path<i64>) -> AppResult<Response> {
    let a = editable(&state, &auth, id).await?;
    let attached = crate::media::ids(&danchu_db::media::attachments(&state.db, id).await?);
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
    Signed { state, ctx, auth }: Signed,
    Path(id): Path<i64>,
    form: FormAll<ArticleForm>,
) -> AppResult<Response> {
    let a = editable(&state, &auth, id).await?;
    save(&state, ctx, &auth, (Some(id), Some(a.slug)), form).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_is_parsed_field_by_field() {
        let f = ArticleForm {
            status: "published".into(),
            published_at: "31/02/2023".into(),
            ..Default::default()
        };
        let (_, unreadable) = parse(&f);
        let fields: Vec<_> = unreadable.iter().map(|e| e.0).collect();
        assert_eq!(fields, ["category_id", "unit_id", "published_at"]);
        let f = ArticleForm {
            title: "Tin".into(),
            category_id: "1".into(),
            unit_id: "5".into(),
            status: "published".into(),
            published_at: "01/12/2030 07:30".into(),
            ..Default::default()
        };
        let (i, unreadable) = parse(&f);
        assert!(unreadable.is_empty());
        assert_eq!(
            i.published_at,
            danchu_core::text::parse_datetime_vn("01/12/2030 07:30")
        );
    }
}
