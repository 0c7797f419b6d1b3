//! Site search (`/tim-kiem?q=`): Vietnamese matching rules from `danchu_core::search`
//! over the public articles; later capabilities add their content to the same results.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::response::{Html, IntoResponse, Response};
use danchu_core::search::{snippet, Piece, Query as SearchQuery};
use danchu_db::portal::Article;

use super::pages::Chrome;
use crate::error::AppResult;
use crate::layout::Ctx;
use crate::AppState;

/// How many results a page shows.
const SHOWN: usize = 20;
/// How many candidates are ranked at most.
const CANDIDATES: i64 = 500;

#[derive(Default)]
pub struct SearchParams {
    q: String,
}

pub struct Hit {
    pub article: Article,
    pub title: Vec<Piece>,
    pub snippet: Vec<Piece>,
}

#[derive(Template)]
#[template(path = "portal/search.html")]
struct SearchPage {
    ctx: Ctx,
    chrome: Chrome,
    q: String,
    hits: Vec<Hit>,
    total: usize,
    searched: bool,
}

/// The `q` of a query string, read leniently: a search box must answer whatever a phone
/// sends (bad percent-encoding or invalid UTF-8 become replacement characters, never an
/// error page).
fn lenient_q(raw: Option<&str>) -> String {
    let Some(raw) = raw else { return String::new() };
    for pair in raw.split('&') {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        if k == "q" {
            let v = v.replace('+', " ");
            let bytes = v.as_bytes();
            let mut out = Vec::with_capacity(bytes.len());
            let mut i = 0;
            while i < bytes.len() {
                let hex = (bytes[i] == b'%')
                    .then(|| bytes.get(i + 1..i + 3))
                    .flatten()
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(b) => {
                        out.push(b);
                        i += 3;
                    }
                    None => {
                        out.push(bytes[i]);
                        i += 1;
                    }
                }
            }
            let text = String::from_utf8_lossy(&out);
            return danchu_core::text::nfc(&text)
                .chars()
                .filter(|c| !c.is_control())
                .collect();
        }
    }
    String::new()
}

pub async fn search(
    State(state): State<AppState>,
    ctx: Ctx,
    RawQuery(raw): RawQuery,
) -> AppResult<Response> {
    let p = SearchParams {
        q: lenient_q(raw.as_deref()),
    };
    let query = SearchQuery::parse(&p.q);
    let mut hits = Vec::new();
    let mut total = 0;
    if !query.is_empty() {
        let words = query.folded_words();
        let now = danchu_db::now_s();
        let candidates =
            danchu_db::portal::search_candidates(&state.db, &words, now, CANDIDATES).await?;
        let mut ranked: Vec<(u32, Article)> = candidates
            .into_iter()
            .filter_map(|(a, _)| {
                let text = format!(
                    "{} {} {}",
                    a.title,
                    a.summary,
                    danchu_core::html::to_text(&a.body)
                );
                let s = danchu_core::search::score(&text, &query)?;
                // A match in the title counts more.
                let in_title = danchu_core::search::score(&a.title, &query)
                    .map(|t| t * 2)
                    .unwrap_or(0);
                Some((s + in_title, a))
            })
            .collect();
        ranked.sort_by(|x, y| y.0.cmp(&x.0).then(y.1.published_at.cmp(&x.1.published_at)));
        total = ranked.len();
        for (_, a) in ranked.into_iter().take(SHOWN) {
            let text = format!("{} {}", a.summary, danchu_core::html::to_text(&a.body));
            hits.push(Hit {
                title: snippet(&a.title, &query, 300),
                snippet: snippet(text.trim(), &query, 220),
                article: a,
            });
        }
    }
    let chrome = Chrome::load(&state).await?;
    let page = SearchPage {
        ctx,
        chrome,
        q: p.q
            .chars()
            .take(danchu_core::search::MAX_QUERY_CHARS)
            .collect(),
        hits,
        total,
        searched: !p.q.trim().is_empty(),
    };
    Ok(Html(page.render()?).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_strings_are_read_leniently() {
        assert_eq!(lenient_q(Some("q=dau+tieng")), "dau tieng");
        assert_eq!(lenient_q(Some("x=1&q=D%E1%BA%A7u")), "Dầu");
        assert_eq!(lenient_q(Some("q=%FF%FEabc")), "\u{FFFD}\u{FFFD}abc");
        assert_eq!(lenient_q(Some("q=%ZZ%")), "%ZZ%");
        assert_eq!(lenient_q(Some("q=a%00b")), "ab");
        assert_eq!(lenient_q(None), "");
    }
}
