//! The public document library: `/van-ban` (filters, sorting, pages) and `/van-ban/{id}`
//! with its files (downloads counted in memory), relations and the articles citing it.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use danchu_db::documents::{Document, Filter};
use danchu_db::media::Media;
use serde::Deserialize;

use crate::error::{AppError, AppResult};
use crate::form::Query;
use crate::layout::Ctx;
use crate::public::Chrome;
use crate::public::Reader;
use crate::AppState;

const PER_PAGE: i64 = 20;

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    loai: String,
    #[serde(default)]
    co_quan: String,
    #[serde(default)]
    nam: String,
    #[serde(default)]
    linh_vuc: String,
    #[serde(default)]
    tinh_trang: String,
    #[serde(default)]
    sap_xep: String,
    trang: Option<i64>,
}

/// What both document pages show for a document's codes and days.
trait DocumentNames {
    fn kind(&self, k: &str) -> &'static str {
        danchu_core::documents::kind_name(k)
    }
    fn status(&self, k: &str) -> &'static str {
        danchu_core::documents::status_name(k)
    }
    fn date(&self, d: &(impl crate::layout::Day + ?Sized)) -> String {
        d.show()
    }
}

#[derive(Template)]
#[template(path = "documents/documents.html")]
struct ListPage {
    ctx: Ctx,
    chrome: Chrome,
    docs: Vec<Document>,
    q: ListQuery,
    issuers: Vec<String>,
    fields: Vec<String>,
    years: Vec<i64>,
    page: i64,
    pages: i64,
    total: i64,
    query_base: String,
}

impl DocumentNames for ListPage {}

impl ListPage {
    fn kinds(&self) -> &'static [(&'static str, &'static str)] {
        danchu_core::documents::KINDS
    }
    fn statuses(&self) -> &'static [(&'static str, &'static str)] {
        danchu_core::documents::STATUSES
    }
}

fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

pub async fn list(
    Reader { state, ctx, visit }: Reader,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let f = Filter {
        kind: opt(&q.loai),
        issuer: opt(&q.co_quan),
        year: q.nam.trim().parse().ok(),
        field: opt(&q.linh_vuc),
        status: opt(&q.tinh_trang),
        sort: q.sap_xep.clone(),
    };
    let total = danchu_db::documents::count(&state.db, &f).await?;
    let pages = danchu_core::portal::page_count(total, PER_PAGE);
    let page = q.trang.unwrap_or(1).clamp(1, pages);
    let docs = danchu_db::documents::list(&state.db, &f, PER_PAGE, (page - 1) * PER_PAGE).await?;
    let (issuers, fields, years) = danchu_db::documents::facets(&state.db).await?;
    let query_base = serde_urlencoded::to_string([
        ("loai", &q.loai),
        ("co_quan", &q.co_quan),
        ("nam", &q.nam),
        ("linh_vuc", &q.linh_vuc),
        ("tinh_trang", &q.tinh_trang),
        ("sap_xep", &q.sap_xep),
    ])
    .unwrap_or_default();
    let chrome = Chrome::load(&state).await?;
    let p = ListPage {
        ctx,
        chrome,
        docs,
        q,
        issuers,
        fields,
        years,
        page,
        pages,
        total,
        query_base,
    };
    Ok(crate::public::live_page(&state, visit, &p.render()?))
}

#[derive(Template)]
#[template(path = "documents/document.html")]
struct DetailPage {
    ctx: Ctx,
    chrome: Chrome,
    d: Document,
    files: Vec<Media>,
    relations: Vec<(String, bool, Document)>,
    articles: Vec<danchu_db::portal::Article>,
    /// The plan that follows this document up, if it is one.
    plan: Option<i64>,
}

impl DocumentNames for DetailPage {}

impl DetailPage {
    fn relation(&self, r: &str, own: &bool) -> &'static str {
        danchu_core::documents::RELATIONS
            .iter()
            .find(|x| x.0 == r)
            .map(|x| if *own { x.1 } else { x.2 })
            .unwrap_or("")
    }
    fn size(&self, m: &Media) -> String {
        crate::media::human_size(m.size)
    }
}

pub async fn detail(
    Reader { state, ctx, visit }: Reader,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let d = danchu_db::documents::get(&mut state.db.clone(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let files = danchu_db::documents::files(&state.db, id).await?;
    let relations = danchu_db::documents::relations(&state.db, id).await?;
    let now = danchu_db::now_s();
    let citing = danchu_db::documents::articles_citing(&state.db, id).await?;
    let mut articles: Vec<_> = danchu_db::portal::articles_by_ids(&state.db, &citing)
        .await?
        .into_iter()
        .filter(|a| a.is_public(now))
        .collect();
    articles.sort_by_key(|a| citing.iter().position(|c| *c == a.id));
    let plan = danchu_db::plans::by_document(&state.db, id).await?;
    let chrome = Chrome::load(&state).await?;
    let html = DetailPage {
        ctx,
        chrome,
        plan,
        d,
        files,
        relations,
        articles,
    }
    .render()?;
    Ok(crate::public::live_page(&state, visit, &html))
}

/// Counts a download (in memory) and sends the file.
pub async fn download(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    Path((id, media)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let files = danchu_db::documents::files(&state.db, id).await?;
    let m = files
        .into_iter()
        .find(|m| m.id == media)
        .ok_or(AppError::NotFound)?;
    let ua = headers
        .get(axum::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !danchu_core::portal::is_bot(ua) {
        state.counters.download(id);
    }
    Ok(Redirect::to(&format!("/tep/{}", m.stored_name)).into_response())
}
