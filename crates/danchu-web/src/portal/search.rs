//! Site search (`/tim-kiem?q=`): Vietnamese matching rules from `danchu_core::search`
//! over the public articles; later capabilities add their content to the same results.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::response::{Html, IntoResponse, Response};
use danchu_core::search::{snippet, Piece, Query as SearchQuery};

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

/// One result: an article or a document.
pub struct Hit {
    pub url: String,
    pub label: String,
    pub date: String,
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
        // (score, published/issued time for ties, hit)
        let mut ranked: Vec<(u32, String, Hit)> = Vec::new();
        let number_query = danchu_core::documents::looks_like_number(&p.q)
            .then(|| danchu_core::documents::number_key(&p.q));
        for d in
            danchu_db::documents::search_candidates(&state.db, &words, &p.q, CANDIDATES).await?
        {
            let text = format!(
                "{} {} {} {}",
                d.number,
                danchu_core::documents::kind_name(&d.kind),
                d.summary,
                d.issuer
            );
            let exact_number = number_query.as_deref()
                == Some(danchu_core::documents::number_key(&d.number).as_str());
            let Some(s) = danchu_core::search::score(&text, &query).or(exact_number.then_some(0))
            else {
                continue;
            };
            // A query that is this document's number puts it first.
            let s = if exact_number { s + 1000 } else { s };
            let title = format!(
                "{} số {}",
                danchu_core::documents::kind_name(&d.kind),
                d.number
            );
            ranked.push((
                s,
                d.issued_on.clone(),
                Hit {
                    url: format!("/van-ban/{}", d.id),
                    label: format!("{} · {}", "Văn bản", d.issuer),
                    date: super::documents::show_date(&d.issued_on),
                    title: snippet(&title, &query, 300),
                    snippet: snippet(&d.summary, &query, 220),
                },
            ));
        }
        let candidates =
            danchu_db::portal::search_candidates(&state.db, &words, now, CANDIDATES).await?;
        let chrome = Chrome::load(&state).await?;
        for (a, _) in candidates {
            let text = format!(
                "{} {} {}",
                a.title,
                a.summary,
                danchu_core::html::to_text(&a.body)
            );
            let Some(s) = danchu_core::search::score(&text, &query) else {
                continue;
            };
            // A match in the title counts more.
            let in_title = danchu_core::search::score(&a.title, &query)
                .map(|t| t * 2)
                .unwrap_or(0);
            let body = format!("{} {}", a.summary, danchu_core::html::to_text(&a.body));
            ranked.push((
                s + in_title,
                a.published_at
                    .map(danchu_core::text::format_rfc3339)
                    .unwrap_or_default(),
                Hit {
                    url: format!("/bai-viet/{}", a.slug),
                    label: chrome.category_name(&a.category_id).to_string(),
                    date: super::pages::date(&a),
                    title: snippet(&a.title, &query, 300),
                    snippet: snippet(body.trim(), &query, 220),
                },
            ));
        }
        ranked.sort_by(|x, y| y.0.cmp(&x.0).then(y.1.cmp(&x.1)));
        total = ranked.len();
        hits = ranked.into_iter().take(SHOWN).map(|r| r.2).collect();
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
