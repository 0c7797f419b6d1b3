//! Search through the API (`/api/v1/tim-kiem`): the handler lives with the search page
//! (`crate::portal::search::api`), which shares its query and ranking; its description and
//! response body are here.

use serde::Serialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(crate::portal::search::api))
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
