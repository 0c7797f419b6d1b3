//! Search through the API (`/api/v1/tim-kiem`): the same query and ranking as the search
//! page ([`super::run::run_search`]), with its description and response body.

use axum::extract::{RawQuery, State};
use danchu_core::search::Piece;
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::run::{filter_of, page_of, query_of, run_search, Found, SHOWN};
use crate::error::AppResult;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(search))
}

/// The query string of a search (read leniently: a bad value is ignored, never an error).
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct SearchQuery {
    /// Các từ cần tìm, có hoặc không dấu; cụm từ trong ngoặc kép.
    q: Option<String>,
    /// Chỉ một loại: `bai-viet`, `van-ban` hoặc `cong-khai`.
    loai: Option<String>,
    /// Từ ngày (`dd/mm/yyyy` hoặc `yyyy-mm-dd`).
    tu: Option<String>,
    /// Đến ngày (`dd/mm/yyyy` hoặc `yyyy-mm-dd`).
    den: Option<String>,
    /// Trang kết quả, từ 1 (20 kết quả một trang); quá trang cuối thì là trang cuối.
    trang: Option<i64>,
}

/// The results of a search.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchResults {
    /// The query as read.
    pub query: String,
    /// How many things match.
    pub total: i64,
    /// Whether more match than are ranked (the window of ADR 0002).
    pub more: bool,
    /// The page shown, from 1.
    pub page: i64,
    /// Results per page.
    pub per_page: i64,
    /// How many pages there are.
    pub pages: i64,
    /// This page's results, the best first.
    pub results: Vec<SearchHit>,
}

/// One result: an article, a document or a disclosure.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchHit {
    /// Absolute address of the result.
    pub url: String,
    pub title: String,
    /// `dd/mm/yyyy`.
    pub date: String,
    /// What it is and where from (`Văn bản · UBND huyện …`).
    pub label: String,
    /// Text around the words found.
    pub snippet: String,
    /// The words of the title and snippet that matched, as written there.
    pub matched: Vec<String>,
}

/// Tìm kiếm bài viết, văn bản và nội dung công khai
///
/// Cùng cách tìm và xếp hạng như trang `/tim-kiem`. Ai cũng gọi được.
#[utoipa::path(
    get,
    path = "/api/v1/tim-kiem",
    operation_id = "search",
    tag = "tim-kiem",
    params(SearchQuery),
    responses((status = 200, description = "Kết quả tìm kiếm", body = SearchResults))
)]
async fn search(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> AppResult<axum::Json<SearchResults>> {
    let q = query_of(raw.as_deref());
    let f = filter_of(raw.as_deref());
    let categories = danchu_db::portal::categories(&state.db).await?;
    let Found {
        total,
        more,
        page,
        hits,
    } = run_search(&state, &q, &f, &categories, page_of(raw.as_deref())).await?;
    let (_, pages) = crate::pager::Pager::page_of(Some(page), total as i64, SHOWN as i64);
    let text = |ps: &[Piece]| ps.iter().map(|p| p.text.as_str()).collect::<String>();
    let results: Vec<SearchHit> = hits
        .iter()
        .map(|h| SearchHit {
            url: format!("{}{}", state.config.base_url, h.url),
            title: text(&h.title),
            date: h.date.clone(),
            label: h.label.clone(),
            snippet: text(&h.snippet),
            matched: h
                .title
                .iter()
                .chain(h.snippet.iter())
                .filter(|p| p.hit)
                .map(|p| p.text.clone())
                .collect(),
        })
        .collect();
    Ok(axum::Json(SearchResults {
        query: q,
        total: total as i64,
        more,
        page,
        per_page: SHOWN as i64,
        pages,
        results,
    }))
}
