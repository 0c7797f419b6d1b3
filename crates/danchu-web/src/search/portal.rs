//! The search page (`/tim-kiem?q=`): the query, its filters, a page of results.

use askama::Template;
use axum::extract::RawQuery;
use axum::response::Response;

use super::hits::Hit;
use super::run::{filter_of, page_of, query_of, run_search, SearchFilter, SHOWN};
use crate::error::AppResult;
use crate::layout::{show_date, Ctx};
use crate::public::Chrome;
use crate::public::Reader;

#[derive(Default)]
struct SearchParams {
    q: String,
}

#[derive(Template)]
#[template(path = "search/search.html")]
struct SearchPage {
    ctx: Ctx,
    chrome: Chrome,
    q: String,
    hits: Vec<Hit>,
    total: usize,
    more: bool,
    searched: bool,
    kind: String,
    from: String,
    to: String,
    pager: crate::pager::Pager,
}

impl SearchPage {
    /// "21–40": the results this page shows, numbered from 1.
    fn range(&self) -> String {
        let first = self.pager.offset() + 1;
        format!("{first}–{}", self.pager.offset() + self.hits.len() as i64)
    }
}

/// The search's address without its page, URL-encoded, for the pager's links: the
/// query, the kind and the dates as the page shows them.
fn search_base(q: &str, f: &SearchFilter) -> String {
    let day = |d: &Option<String>| d.as_deref().map(show_date).unwrap_or_default();
    let (from, to) = (day(&f.from), day(&f.to));
    let params: Vec<(&str, &str)> = [
        ("q", q),
        ("loai", f.kind.as_str()),
        ("tu", from.as_str()),
        ("den", to.as_str()),
    ]
    .into_iter()
    .filter(|(k, v)| *k == "q" || !v.is_empty())
    .collect();
    format!(
        "/tim-kiem?{}",
        serde_urlencoded::to_string(params).unwrap_or_default()
    )
}

pub async fn search(
    Reader { state, ctx, visit }: Reader,
    RawQuery(raw): RawQuery,
) -> AppResult<Response> {
    let p = SearchParams {
        q: query_of(raw.as_deref()),
    };
    let f = filter_of(raw.as_deref());
    let chrome = Chrome::load(&state).await?;
    let found = run_search(
        &state,
        &p.q,
        &f,
        &chrome.categories,
        page_of(raw.as_deref()),
    )
    .await?;
    let q: String =
        p.q.chars()
            .take(danchu_core::search::MAX_QUERY_CHARS)
            .collect();
    let pager = crate::pager::Pager::new(
        Some(found.page),
        found.total as i64,
        SHOWN as i64,
        &search_base(&q, &f),
    );
    let page = SearchPage {
        ctx,
        chrome,
        q,
        hits: found.hits,
        total: found.total,
        more: found.more,
        searched: !p.q.trim().is_empty(),
        kind: f.kind.clone(),
        from: f.from.as_deref().map(show_date).unwrap_or_default(),
        to: f.to.as_deref().map(show_date).unwrap_or_default(),
        pager,
    };
    Ok(crate::public::live_page(&state, visit, &page.render()?))
}
