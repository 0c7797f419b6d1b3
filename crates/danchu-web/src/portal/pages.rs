//! Public pages of the portal: home, news, a category, an article and its print view.
//! Anonymous visitors get them from the page cache ([`crate::public::serve`]).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Response};
use danchu_db::portal::{Article, Category};
use serde::Deserialize;

use crate::auth::Auth;
use crate::error::{AppError, AppResult};
use crate::form::Query;
use crate::layout::Ctx;
use crate::public::Reader;
use crate::public::{is_bot, serve, Chrome};
use crate::AppState;

/// Date of an article for display (dd/mm/yyyy).
pub fn date(a: &Article) -> String {
    a.published_at
        .map(danchu_core::text::format_date_unix)
        .unwrap_or_default()
}

pub fn iso(a: &Article) -> String {
    a.published_at
        .map(danchu_core::text::format_rfc3339)
        .unwrap_or_default()
}

#[derive(Template)]
#[template(path = "portal/home.html")]
struct HomePage {
    ctx: Ctx,
    chrome: Chrome,
    featured: Vec<Article>,
    latest: Vec<Article>,
    /// Each category with its newest articles.
    sections: Vec<(Category, Vec<Article>)>,
}

pub async fn home(Reader { state, ctx, visit }: Reader, user: Option<Auth>) -> AppResult<Response> {
    let render = async {
        let now = danchu_db::now_s();
        let chrome = Chrome::load(&state).await?;
        let featured = danchu_db::portal::featured(&state.db, now, 3).await?;
        let latest = danchu_db::portal::published(&state.db, None, now, 8, 0).await?;
        let mut sections = Vec::new();
        for c in chrome.categories.iter().take(6) {
            let list = danchu_db::portal::published(&state.db, Some(c.id), now, 4, 0).await?;
            if !list.is_empty() {
                sections.push((c.clone(), list));
            }
        }
        let page = HomePage {
            ctx: ctx.clone(),
            chrome,
            featured,
            latest,
            sections,
        };
        Ok(Some((page.render()?, None)))
    };
    serve(&state, &ctx, &user, visit, "/".into(), render).await
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    trang: Option<i64>,
}

const PER_PAGE: i64 = 10;

#[derive(Template)]
#[template(path = "portal/list.html")]
struct ListPage {
    ctx: Ctx,
    chrome: Chrome,
    title: String,
    category: Option<Category>,
    articles: Vec<Article>,
    page: i64,
    pages: i64,
    base: String,
}

async fn list(
    state: &AppState,
    ctx: &Ctx,
    category: Option<Category>,
    page: i64,
) -> AppResult<Option<(String, Option<(i64, i64)>)>> {
    let now = danchu_db::now_s();
    let cid = category.as_ref().map(|c| c.id);
    let total = danchu_db::portal::count_published(&state.db, cid, now).await?;
    let pages = danchu_core::portal::page_count(total, PER_PAGE);
    if page < 1 || page > pages {
        return Ok(None);
    }
    let articles =
        danchu_db::portal::published(&state.db, cid, now, PER_PAGE, (page - 1) * PER_PAGE).await?;
    let chrome = Chrome::load(state).await?;
    let (title, base) = match &category {
        Some(c) => (c.name.clone(), format!("/tin-tuc/{}", c.slug)),
        None => (ctx.t("news").to_string(), "/tin-tuc".to_string()),
    };
    let p = ListPage {
        ctx: ctx.clone(),
        chrome,
        title,
        category,
        articles,
        page,
        pages,
        base,
    };
    Ok(Some((p.render()?, None)))
}

pub async fn news(
    Reader { state, ctx, visit }: Reader,
    user: Option<Auth>,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let page = q.trang.unwrap_or(1);
    let render = list(&state, &ctx, None, page);
    serve(
        &state,
        &ctx,
        &user,
        visit,
        format!("/tin-tuc?{page}"),
        render,
    )
    .await
}

pub async fn category(
    Reader { state, ctx, visit }: Reader,
    user: Option<Auth>,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let page = q.trang.unwrap_or(1);
    let render = async {
        match danchu_db::portal::category_by_slug(&state.db, &slug).await? {
            Some(c) => list(&state, &ctx, Some(c), page).await,
            None => Ok(None),
        }
    };
    serve(
        &state,
        &ctx,
        &user,
        visit,
        format!("/tin-tuc/{slug}?{page}"),
        render,
    )
    .await
}

#[derive(Template)]
#[template(path = "portal/article.html")]
struct ArticlePage {
    ctx: Ctx,
    chrome: Chrome,
    a: Article,
    attachments: Vec<danchu_db::media::Media>,
    documents: Vec<danchu_db::documents::Document>,
    canonical: String,
    /// The summary, or the start of the text when there is none (meta description).
    description: String,
    related: Vec<Article>,
    prev: Option<Article>,
    next: Option<Article>,
}

/// The summary, or the start of the text when there is none (meta description).
fn description(a: &Article) -> String {
    if !a.summary.is_empty() {
        return a.summary.clone();
    }
    let text = danchu_core::html::to_text(&a.body);
    match text.char_indices().nth(200) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text,
    }
}

/// A public article; `None` when it does not exist or is not (yet) published.
async fn public_article(state: &AppState, slug: &str) -> AppResult<Option<Article>> {
    let now = danchu_db::now_s();
    Ok(danchu_db::portal::article_by_slug(&state.db, slug)
        .await?
        .filter(|a| a.is_public(now)))
}

pub async fn article(
    Reader { state, ctx, visit }: Reader,
    user: Option<Auth>,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let render = async {
        let Some(a) = public_article(&state, &slug).await? else {
            return Ok(None);
        };
        let now = danchu_db::now_s();
        let documents = danchu_db::documents::of_article(&state.db, a.id).await?;
        let attachments = danchu_db::media::attachments(&state.db, a.id).await?;
        let related = danchu_db::portal::related(&state.db, &a, now, 5).await?;
        let (prev, next) = danchu_db::portal::neighbours(&state.db, &a, now).await?;
        let chrome = Chrome::load(&state).await?;
        let id = a.id;
        let base = state
            .counters
            .views_base(id, || {
                let mut db = state.db.clone();
                async move {
                    Ok(danchu_db::portal::article_by_id(&mut db, id)
                        .await?
                        .map(|a| a.views)
                        .unwrap_or(0))
                }
            })
            .await?;
        let views_base = (a.id, base);
        let canonical = format!("{}/bai-viet/{}", state.config.base_url, a.slug);
        let description = description(&a);
        let page = ArticlePage {
            ctx: ctx.clone(),
            chrome,
            a,
            documents,
            attachments,
            canonical,
            description,
            related,
            prev,
            next,
        };
        Ok(Some((page.render()?, Some(views_base))))
    };
    serve(
        &state,
        &ctx,
        &user,
        visit,
        format!("/bai-viet/{slug}"),
        render,
    )
    .await
}

#[derive(Template)]
#[template(path = "portal/print.html")]
struct PrintPage {
    ctx: Ctx,
    a: Article,
    url: String,
    printed: String,
}

pub async fn print(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let a = public_article(&state, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    if !is_bot(&headers) {
        state.counters.visit();
    }
    let url = format!("{}/bai-viet/{}", state.config.base_url, a.slug);
    let printed = danchu_core::text::format_datetime(danchu_db::now_s());
    Ok(Html(
        PrintPage {
            ctx,
            a,
            url,
            printed,
        }
        .render()?,
    )
    .into_response())
}
