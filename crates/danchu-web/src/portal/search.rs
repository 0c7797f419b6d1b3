//! Site search (`/tim-kiem?q=`): Vietnamese matching rules from `danchu_core::search`
//! over the public articles; later capabilities add their content to the same results.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use danchu_core::search::{snippet, Piece, Query as SearchQuery};

use super::pages::Chrome;
use crate::error::AppResult;
use crate::layout::Ctx;
use crate::AppState;

/// How many results a page shows.
const SHOWN: usize = 20;
/// How many candidates the index gives at most (newest first).
const CANDIDATES: i64 = 200;
/// How many of them (those with most query words in their title, then the newest) are
/// ranked on their full text by the Vietnamese rules; all of them for a phrase.
const RESCORED: i64 = 25;

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
    more: bool,
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

pub fn lenient_param(raw: Option<&str>, name: &str) -> String {
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

/// What a search found: how many, whether there are more than were looked at, and the
/// first ones, best first.
#[derive(Default)]
pub struct Found {
    pub total: usize,
    pub more: bool,
    pub hits: Vec<Hit>,
}

/// Runs a search. The index gives the newest [`CANDIDATES`] things holding every word;
/// those with the query's words in their title come first, and the first [`RESCORED`]
/// are ranked by the Vietnamese rules (exact diacritics, phrases, title) on their text.
/// A query that is a document's number puts that document first.
pub async fn run_search(
    state: &AppState,
    q: &str,
    f: &SearchFilter,
    categories: &[danchu_db::portal::Category],
) -> AppResult<Found> {
    let query = SearchQuery::parse(q);
    if query.is_empty() {
        return Ok(Found::default());
    }
    let filter = danchu_db::search_index::Filter {
        kind: matches!(f.kind.as_str(), "bai-viet" | "van-ban" | "cong-khai")
            .then(|| f.kind.clone()),
        from: f.from.as_deref().and_then(danchu_core::text::day_start_vn),
        until: f
            .to
            .as_deref()
            .and_then(danchu_core::text::day_start_vn)
            .map(|t| t + 86_400),
    };
    let words = query.folded_words();
    // A phrase is checked on the text, so more candidates are ranked for it.
    let has_phrase = query.terms.iter().any(|t| t.folded.len() > 1);
    let found = danchu_db::search_index::candidates(
        &state.db,
        &words,
        &filter,
        danchu_db::now_s(),
        CANDIDATES,
        if has_phrase { CANDIDATES } else { RESCORED },
    )
    .await?;
    let more = found.total >= CANDIDATES;
    let mut cands = found.list;
    // Documents whose number is the query come first, even when typed differently.
    let numbered: Vec<i64> = if danchu_core::documents::looks_like_number(q) && f.kind != "bai-viet"
    {
        danchu_db::documents::by_number(&state.db, q)
            .await?
            .into_iter()
            .filter(|d| {
                let at = danchu_core::text::day_start_vn(&d.issued_on).unwrap_or(0);
                filter.from.is_none_or(|t| at >= t) && filter.until.is_none_or(|t| at < t)
            })
            .map(|d| d.id)
            .collect()
    } else {
        Vec::new()
    };
    let missing: Vec<i64> = numbered
        .iter()
        .copied()
        .filter(|id| !cands.iter().any(|c| c.kind == "van-ban" && c.ref_id == *id))
        .collect();
    cands.extend(danchu_db::search_index::find(&state.db, "van-ban", &missing).await?);
    let is_numbered = |c: &danchu_db::search_index::Candidate| {
        c.kind == "van-ban" && numbered.contains(&c.ref_id)
    };
    let mut ranked = Vec::with_capacity(cands.len());
    let mut dropped = 0;
    for c in &cands {
        let r = Ranked::new(c, &query, &words, is_numbered(c));
        match r {
            Some(r) => ranked.push(r),
            None => dropped += 1, // a phrase that is not there
        }
    }
    ranked.sort_by(|x, y| {
        y.score
            .cmp(&x.score)
            .then(y.leads.cmp(&x.leads))
            .then(y.at.cmp(&x.at))
    });
    ranked.truncate(SHOWN);
    let total = (found.total as usize + missing.len()).saturating_sub(dropped);
    let hits = render_hits(state, &query, &ranked, categories).await?;
    Ok(Found { total, more, hits })
}

/// A candidate scored by the Vietnamese rules, with the words that matched (found once,
/// used again for the snippet).
struct Ranked {
    score: u32,
    /// Whether the title begins with a searched word: between equal scores such a title
    /// is about what was searched (the plan "Kế hoạch số 22/KH-UBND …" before "Kết quả
    /// thực hiện Kế hoạch số 22/KH-UBND …").
    leads: bool,
    at: i64,
    kind: String,
    ref_id: i64,
    /// Title, a line break, then the body.
    all: String,
    /// Where the body starts in `all`.
    body_at: usize,
    words: Vec<danchu_core::search::Word>,
}

impl Ranked {
    fn new(
        c: &danchu_db::search_index::Candidate,
        query: &SearchQuery,
        wanted: &[&str],
        numbered: bool,
    ) -> Option<Ranked> {
        use danchu_core::search::{score_words, words_matching};
        let all = format!("{}\n{}", c.title, c.body);
        let words = words_matching(&all, wanted);
        let score = score_words(&all, &words, query).or(numbered.then_some(0))?;
        // A match in the title counts more.
        let title_len = c.title.len();
        let in_title: Vec<_> = words
            .iter()
            .filter(|w| w.end <= title_len)
            .cloned()
            .collect();
        let leads = in_title.iter().any(|w| w.index == 0);
        let in_title = score_words(&c.title, &in_title, query).map_or(0, |t| t * 2);
        Some(Ranked {
            score: score + in_title + if numbered { 1000 } else { 0 },
            leads,
            at: c.at,
            kind: c.kind.clone(),
            ref_id: c.ref_id,
            body_at: title_len + 1,
            all,
            words,
        })
    }

    /// The body, and its matched words with positions relative to it.
    fn body(&self) -> (&str, Vec<danchu_core::search::Word>) {
        let raw = self.all.get(self.body_at..).unwrap_or_default();
        let body = raw.trim_start();
        let shift = self.body_at + raw.len() - body.len();
        let words = self
            .words
            .iter()
            .filter(|w| w.start >= shift)
            .map(|w| danchu_core::search::Word {
                start: w.start - shift,
                end: w.end - shift,
                ..w.clone()
            })
            .collect();
        (body.trim_end(), words)
    }

    /// A snippet of the body around the matched words.
    fn snippet(&self, query: &SearchQuery, max_chars: usize) -> Vec<Piece> {
        let (body, words) = self.body();
        danchu_core::search::snippet_words(body, &words, query, max_chars)
    }
}

/// Turns ranked index entries into results to show, from their source rows.
async fn render_hits(
    state: &AppState,
    query: &SearchQuery,
    ranked: &[Ranked],
    categories: &[danchu_db::portal::Category],
) -> AppResult<Vec<Hit>> {
    let of_kind = |k: &str| -> Vec<i64> {
        ranked
            .iter()
            .filter(|r| r.kind == k)
            .map(|r| r.ref_id)
            .collect()
    };
    let articles = danchu_db::portal::articles_by_ids(&state.db, &of_kind("bai-viet")).await?;
    let documents = danchu_db::documents::by_ids(&state.db, &of_kind("van-ban")).await?;
    let disclosures = danchu_db::disclosures::by_ids(&state.db, &of_kind("cong-khai")).await?;
    let category_name = |id: i64| {
        categories
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.name.clone())
            .unwrap_or_default()
    };
    let mut hits = Vec::with_capacity(ranked.len());
    for c in ranked {
        match c.kind.as_str() {
            "bai-viet" => {
                let Some(a) = articles.iter().find(|a| a.id == c.ref_id) else {
                    continue;
                };
                hits.push(Hit {
                    url: format!("/bai-viet/{}", a.slug),
                    label: category_name(a.category_id),
                    date: super::pages::date(a),
                    title: snippet(&a.title, query, 300),
                    snippet: c.snippet(query, 220),
                });
            }
            "van-ban" => {
                let Some(d) = documents.iter().find(|d| d.id == c.ref_id) else {
                    continue;
                };
                let title = format!(
                    "{} số {}",
                    danchu_core::documents::kind_name(&d.kind),
                    d.number
                );
                // The summary, unless the words were found only in the body (signer,
                // field, the text of the files).
                let summary = snippet(&d.summary, query, 220);
                let text = if summary.iter().any(|p| p.hit) {
                    summary
                } else {
                    c.snippet(query, 220)
                };
                hits.push(Hit {
                    url: format!("/van-ban/{}", d.id),
                    label: format!("{} · {}", "Văn bản", d.issuer),
                    date: super::documents::show_date(&d.issued_on),
                    title: snippet(&title, query, 300),
                    snippet: text,
                });
            }
            "cong-khai" => {
                let Some(d) = disclosures.iter().find(|d| d.id == c.ref_id) else {
                    continue;
                };
                hits.push(Hit {
                    url: format!("/cong-khai/{}", d.id),
                    label: format!("Công khai · {}", d.unit_name),
                    date: super::documents::show_date(&d.posted_on),
                    title: snippet(&d.title, query, 300),
                    snippet: c.snippet(query, 220),
                });
            }
            _ => {}
        }
    }
    Ok(hits)
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
    method: axum::http::Method,
    headers: axum::http::HeaderMap,
    RawQuery(raw): RawQuery,
) -> AppResult<Response> {
    let p = SearchParams {
        q: lenient_q(raw.as_deref()),
    };
    let f = filter_of(raw.as_deref());
    let chrome = Chrome::load(&state).await?;
    let found = run_search(&state, &p.q, &f, &chrome.categories).await?;
    let page = SearchPage {
        ctx,
        chrome,
        q: p.q
            .chars()
            .take(danchu_core::search::MAX_QUERY_CHARS)
            .collect(),
        hits: found.hits,
        total: found.total,
        more: found.more,
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
    Ok(super::pages::live_page(
        &state,
        &method,
        &headers,
        &page.render()?,
    ))
}

/// Tìm kiếm bài viết, văn bản và nội dung công khai
///
/// Cùng cách tìm và xếp hạng như trang `/tim-kiem`. Ai cũng gọi được.
#[utoipa::path(
    get,
    path = "/api/v1/tim-kiem",
    operation_id = "search",
    tag = "tim-kiem",
    params(crate::api::search::SearchQuery),
    responses((status = 200, description = "Kết quả tìm kiếm", body = crate::api::search::SearchResults))
)]
pub async fn api(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> AppResult<axum::Json<crate::api::search::SearchResults>> {
    let q = lenient_q(raw.as_deref());
    let f = filter_of(raw.as_deref());
    let categories = danchu_db::portal::categories(&state.db).await?;
    let Found { total, more, hits } = run_search(&state, &q, &f, &categories).await?;
    let text = |ps: &[Piece]| ps.iter().map(|p| p.text.as_str()).collect::<String>();
    let results: Vec<crate::api::search::SearchHit> = hits
        .iter()
        .map(|h| crate::api::search::SearchHit {
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
    Ok(axum::Json(crate::api::search::SearchResults {
        query: q,
        total: total as i64,
        more,
        results,
    }))
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
