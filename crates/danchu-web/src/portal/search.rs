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
    kind: String,
    from: String,
    to: String,
}

/// The `q` of a query string, read leniently: a search box must answer whatever a phone
/// sends (bad percent-encoding or invalid UTF-8 become replacement characters, never an
/// error page).
fn lenient_q(raw: Option<&str>) -> String {
    lenient_param(raw, "q")
}

fn lenient_param(raw: Option<&str>, name: &str) -> String {
    let Some(raw) = raw else { return String::new() };
    for pair in raw.split('&') {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        if k == name {
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

/// What can narrow a search: the kind of result and a date range (`yyyy-mm-dd`).
#[derive(Debug, Default, Clone)]
pub struct SearchFilter {
    /// `bai-viet` (articles), `van-ban` (documents) or empty for both.
    pub kind: String,
    pub from: Option<String>,
    pub to: Option<String>,
}

impl SearchFilter {
    fn in_range(&self, day: &str) -> bool {
        self.from.as_deref().is_none_or(|f| day >= f) && self.to.as_deref().is_none_or(|t| day <= t)
    }
}

fn vn_day(unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .map(|t| danchu_core::text::iso_date(t.to_offset(danchu_core::text::VN_OFFSET).date()))
        .unwrap_or_default()
}

/// Runs a search: (number of results, the first ones, best first).
pub async fn run_search(
    state: &AppState,
    q: &str,
    f: &SearchFilter,
) -> AppResult<(usize, Vec<Hit>)> {
    let query = SearchQuery::parse(q);
    let mut hits = Vec::new();
    let mut total = 0;
    if !query.is_empty() {
        let words = query.folded_words();
        let now = danchu_db::now_s();
        // (score, published/issued time for ties, hit)
        let mut ranked: Vec<(u32, String, Hit)> = Vec::new();
        let number_query = danchu_core::documents::looks_like_number(q)
            .then(|| danchu_core::documents::number_key(q));
        let documents = if f.kind != "bai-viet" {
            danchu_db::documents::search_candidates(&state.db, &words, q, CANDIDATES).await?
        } else {
            Vec::new()
        };
        for d in documents.into_iter().filter(|d| f.in_range(&d.issued_on)) {
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
        let candidates = if f.kind != "van-ban" {
            danchu_db::portal::search_candidates(&state.db, &words, now, CANDIDATES).await?
        } else {
            Vec::new()
        };
        let chrome = Chrome::load(state).await?;
        for (a, _) in candidates
            .into_iter()
            .filter(|(a, _)| f.in_range(&a.published_at.map(vn_day).unwrap_or_default()))
        {
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
    Ok((total, hits))
}

/// Reads one parameter of a query string leniently.
fn lenient(raw: Option<&str>, name: &str) -> String {
    lenient_param(raw, name)
}

fn filter_of(raw: Option<&str>) -> SearchFilter {
    let day = |s: String| danchu_core::text::parse_date(&s).map(danchu_core::text::iso_date);
    SearchFilter {
        kind: lenient(raw, "loai"),
        from: day(lenient(raw, "tu")),
        to: day(lenient(raw, "den")),
    }
}

pub async fn search(
    State(state): State<AppState>,
    ctx: Ctx,
    RawQuery(raw): RawQuery,
) -> AppResult<Response> {
    let p = SearchParams {
        q: lenient_q(raw.as_deref()),
    };
    let f = filter_of(raw.as_deref());
    let (total, hits) = run_search(&state, &p.q, &f).await?;
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
        kind: f.kind.clone(),
        from: f
            .from
            .as_deref()
            .map(super::documents::show_date)
            .unwrap_or_default(),
        to: f
            .to
            .as_deref()
            .map(super::documents::show_date)
            .unwrap_or_default(),
    };
    Ok(Html(page.render()?).into_response())
}

/// The JSON API: `/api/v1/tim-kiem?q=&loai=&tu=&den=`.
pub async fn api(State(state): State<AppState>, RawQuery(raw): RawQuery) -> AppResult<Response> {
    let q = lenient_q(raw.as_deref());
    let f = filter_of(raw.as_deref());
    let (total, hits) = run_search(&state, &q, &f).await?;
    let text = |ps: &[Piece]| ps.iter().map(|p| p.text.as_str()).collect::<String>();
    let results: Vec<serde_json::Value> = hits
        .iter()
        .map(|h| {
            serde_json::json!({
                "url": format!("{}{}", state.config.base_url, h.url),
                "title": text(&h.title),
                "date": h.date,
                "label": h.label,
                "snippet": text(&h.snippet),
                "matched": h.title.iter().chain(h.snippet.iter()).filter(|p| p.hit).map(|p| p.text.clone()).collect::<Vec<_>>(),
            })
        })
        .collect();
    Ok(
        axum::Json(serde_json::json!({"query": q, "total": total, "results": results}))
            .into_response(),
    )
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
