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

/// How many results a page shows (`?trang=N` for the others).
pub const SHOWN: usize = 20;
/// How many candidates the index gives at most (newest first): the ranked window that
/// the pages go through.
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
    pager: crate::pager::Pager,
}

impl SearchPage {
    /// "21–40": the results this page shows, numbered from 1.
    fn range(&self) -> String {
        let first = self.pager.offset() + 1;
        format!("{first}–{}", self.pager.offset() + self.hits.len() as i64)
    }
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

/// What a search found: how many, whether there are more than were looked at, the page
/// shown and its results, best first.
pub struct Found {
    pub total: usize,
    pub more: bool,
    /// The page shown (the one asked for, kept within the pages there are), from 1.
    pub page: i64,
    pub hits: Vec<Hit>,
}

/// Runs a search and returns page `page` (of [`SHOWN`] results; past the end, the last).
/// The index gives the newest [`CANDIDATES`] things holding every word, those with most
/// of the query's words in their title first. The ranked window that the pages go
/// through: the first [`RESCORED`] of them (all for a phrase) and documents whose number
/// is the query, ranked by the Vietnamese rules (exact diacritics, phrases, title) on
/// their text, then the others in the index's order (ADR 0002).
pub async fn run_search(
    state: &AppState,
    q: &str,
    f: &SearchFilter,
    categories: &[danchu_db::portal::Category],
    page: Option<i64>,
) -> AppResult<Found> {
    let query = SearchQuery::parse(q);
    if query.is_empty() {
        return Ok(Found {
            total: 0,
            more: false,
            page: 1,
            hits: Vec::new(),
        });
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
    let window = danchu_db::search_index::candidates(
        &state.db,
        &words,
        &filter,
        danchu_db::now_s(),
        CANDIDATES,
    )
    .await?
    .list;
    let more = window.len() as i64 >= CANDIDATES;
    let numbered = numbered_documents(state, q, &filter).await?;
    let best = if has_phrase { CANDIDATES } else { RESCORED } as usize;
    let (ranked, rest) = rank(state, window, best, &numbered, &query, &words).await?;
    let total = ranked.len() + rest.len();
    let (page, _) = crate::pager::Pager::page_of(page, total as i64, SHOWN as i64);
    let (head, tail) = page_slices(page, ranked.len(), rest.len());
    let tail = with_text(state, rest.get(tail).unwrap_or_default(), &query, &words).await?;
    let shown: Vec<&Ranked> = ranked
        .get(head)
        .unwrap_or_default()
        .iter()
        .chain(tail.iter())
        .collect();
    let hits = render_hits(state, &query, &shown, categories).await?;
    Ok(Found {
        total,
        more,
        page,
        hits,
    })
}

/// Which of the ranked and which of the rest page `page` shows: the window is the ranked
/// first, then the rest in the index's order.
fn page_slices(
    page: i64,
    ranked: usize,
    rest: usize,
) -> (std::ops::Range<usize>, std::ops::Range<usize>) {
    let start = usize::try_from(page.saturating_sub(1))
        .unwrap_or(0)
        .saturating_mul(SHOWN)
        .min(ranked + rest);
    let end = (start + SHOWN).min(ranked + rest);
    (
        start.min(ranked)..end.min(ranked),
        start.saturating_sub(ranked)..end.saturating_sub(ranked),
    )
}

/// Documents whose number is the query (typed however), within the filter: they lead.
async fn numbered_documents(
    state: &AppState,
    q: &str,
    filter: &danchu_db::search_index::Filter,
) -> AppResult<Vec<i64>> {
    let documents_wanted = filter.kind.as_deref().is_none_or(|k| k == "van-ban");
    if !documents_wanted || !danchu_core::documents::looks_like_number(q) {
        return Ok(Vec::new());
    }
    Ok(danchu_db::documents::by_number(&state.db, q)
        .await?
        .into_iter()
        .filter(|d| {
            let at = danchu_core::text::day_start_vn(&d.issued_on).unwrap_or(0);
            filter.from.is_none_or(|t| at >= t) && filter.until.is_none_or(|t| at < t)
        })
        .map(|d| d.id)
        .collect())
}

/// Splits the window into the ranked (the first `best`, and the numbered documents
/// wherever they are), best first, and the rest in the index's order.
async fn rank(
    state: &AppState,
    window: Vec<danchu_db::search_index::Candidate>,
    best: usize,
    numbered: &[i64],
    query: &SearchQuery,
    words: &[&str],
) -> AppResult<(Vec<Ranked>, Vec<danchu_db::search_index::Candidate>)> {
    let is_numbered = |c: &danchu_db::search_index::Candidate| {
        c.kind == "van-ban" && numbered.contains(&c.ref_id)
    };
    let mut fetched = Vec::with_capacity(best.min(window.len()));
    let mut rest = Vec::with_capacity(window.len().saturating_sub(best));
    for (i, c) in window.into_iter().enumerate() {
        if i < best || is_numbered(&c) {
            fetched.push(c);
        } else {
            rest.push(c);
        }
    }
    let docs: Vec<i64> = fetched.iter().map(|c| c.doc).collect();
    let mut texts = danchu_db::search_index::texts(&state.db, &docs).await?;
    for c in &mut fetched {
        c.text = texts.remove(&c.doc);
    }
    // Numbered documents not in the window: fetched whole.
    let missing: Vec<i64> = numbered
        .iter()
        .copied()
        .filter(|id| {
            !fetched
                .iter()
                .any(|c| c.kind == "van-ban" && c.ref_id == *id)
        })
        .collect();
    fetched.extend(danchu_db::search_index::find(&state.db, "van-ban", &missing).await?);
    let mut ranked: Vec<Ranked> = fetched
        .iter()
        .filter_map(|c| Ranked::new(c, query, words, is_numbered(c)))
        .filter(|r| r.score.is_some()) // a phrase that is not there
        .collect();
    ranked.sort_by(|x, y| {
        y.score
            .cmp(&x.score)
            .then(y.leads.cmp(&x.leads))
            .then(y.at.cmp(&x.at))
    });
    Ok((ranked, rest))
}

/// Candidates past the ranked ones, with their text fetched (for their snippets).
async fn with_text(
    state: &AppState,
    cands: &[danchu_db::search_index::Candidate],
    query: &SearchQuery,
    words: &[&str],
) -> AppResult<Vec<Ranked>> {
    let docs: Vec<i64> = cands.iter().map(|c| c.doc).collect();
    let mut texts = danchu_db::search_index::texts(&state.db, &docs).await?;
    Ok(cands
        .iter()
        .filter_map(|c| {
            let mut c = c.clone();
            c.text = texts.remove(&c.doc);
            Ranked::new(&c, query, words, false)
        })
        .collect())
}

/// A candidate scored by the Vietnamese rules, with the words that matched (found once,
/// used again for the snippet).
struct Ranked {
    /// `None` when some term is not there (a phrase not found in the text).
    score: Option<u32>,
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
        let text = c.text.as_ref()?;
        let all = format!("{}\n{}", text.title, text.body);
        let words = words_matching(&all, wanted);
        let score = score_words(&all, &words, query).or(numbered.then_some(0));
        // A match in the title counts more.
        let title_len = text.title.len();
        let in_title: Vec<_> = words
            .iter()
            .filter(|w| w.end <= title_len)
            .cloned()
            .collect();
        let leads = in_title.iter().any(|w| w.index == 0);
        let in_title = score_words(&text.title, &in_title, query).map_or(0, |t| t * 2);
        Some(Ranked {
            score: score.map(|s| s + in_title + if numbered { 1000 } else { 0 }),
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
    ranked: &[&Ranked],
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

/// The page a query string asks for (`trang=`).
fn page_of(raw: Option<&str>) -> Option<i64> {
    crate::pager::Pager::requested(&lenient(raw, "trang"))
}

/// The search's address without its page, URL-encoded, for the pager's links: the
/// query, the kind and the dates as the page shows them.
fn search_base(q: &str, f: &SearchFilter) -> String {
    let day = |d: &Option<String>| {
        d.as_deref()
            .map(super::documents::show_date)
            .unwrap_or_default()
    };
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
        pager,
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
    let Found {
        total,
        more,
        page,
        hits,
    } = run_search(&state, &q, &f, &categories, page_of(raw.as_deref())).await?;
    let (_, pages) = crate::pager::Pager::page_of(Some(page), total as i64, SHOWN as i64);
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
        page,
        per_page: SHOWN as i64,
        pages,
        results,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_go_through_the_ranked_then_the_rest() {
        // 25 ranked, 22 others: 20 | 5 + 15 | 7.
        assert_eq!(page_slices(1, 25, 22), (0..20, 0..0));
        assert_eq!(page_slices(2, 25, 22), (20..25, 0..15));
        assert_eq!(page_slices(3, 25, 22), (25..25, 15..22));
        assert_eq!(page_slices(1, 0, 0), (0..0, 0..0));
        // Past the end (the caller keeps pages within range; still nothing out of bounds).
        assert_eq!(page_slices(9, 25, 22), (25..25, 22..22));
        assert_eq!(page_slices(i64::MAX, 3, 0), (3..3, 0..0));
    }

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
