//! The search itself (ADR 0002): the index gives candidates holding every word; the first
//! of them are ranked by the Vietnamese rules from `danchu_core::search` on their text;
//! the page asked for is turned into results ([`super::hits`]). The page and the API
//! answer from the same [`run_search`].

use danchu_core::search::{Piece, Query as SearchQuery};

use super::hits::{render_hits, Hit, Kind};
use crate::error::AppResult;
use crate::form::lenient_param;
use crate::AppState;

/// How many results a page shows (`?trang=N` for the others).
pub const SHOWN: usize = 20;
/// How many candidates the index gives at most (newest first): the ranked window that
/// the pages go through.
const CANDIDATES: i64 = 200;
/// How many of them (those with most query words in their title, then the newest) are
/// ranked on their full text by the Vietnamese rules; all of them for a phrase.
const RESCORED: i64 = 25;

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
        kind: Kind::parse(&f.kind),
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
    let documents_wanted = filter.kind.is_none_or(|k| k == Kind::Document);
    if !documents_wanted || !danchu_core::documents::looks_like_number(q) {
        return Ok(Vec::new());
    }
    Ok(danchu_db::documents::by_number(&state.db, q)
        .await?
        .into_iter()
        .filter(|d| {
            let at = d
                .issued_on
                .midnight()
                .assume_offset(danchu_core::text::VN_OFFSET)
                .unix_timestamp();
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
        c.kind == Kind::Document && numbered.contains(&c.ref_id)
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
                .any(|c| c.kind == Kind::Document && c.ref_id == *id)
        })
        .collect();
    fetched.extend(danchu_db::search_index::find(&state.db, Kind::Document, &missing).await?);
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
pub(super) struct Ranked {
    /// `None` when some term is not there (a phrase not found in the text).
    score: Option<u32>,
    /// Whether the title begins with a searched word: between equal scores such a title
    /// is about what was searched (the plan "Kế hoạch số 22/KH-UBND …" before "Kết quả
    /// thực hiện Kế hoạch số 22/KH-UBND …").
    leads: bool,
    at: i64,
    pub(super) kind: Kind,
    pub(super) ref_id: i64,
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
            kind: c.kind,
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
    pub(super) fn snippet(&self, query: &SearchQuery, max_chars: usize) -> Vec<Piece> {
        let (body, words) = self.body();
        danchu_core::search::snippet_words(body, &words, query, max_chars)
    }
}

/// The `q` of a query string, read leniently (see [`lenient_param`]).
pub fn query_of(raw: Option<&str>) -> String {
    lenient_param(raw, "q")
}

/// The kind and dates of a query string, read leniently.
pub fn filter_of(raw: Option<&str>) -> SearchFilter {
    let day = |s: String| danchu_core::text::parse_date(&s).map(danchu_core::text::iso_date);
    SearchFilter {
        kind: lenient_param(raw, "loai"),
        from: day(lenient_param(raw, "tu")),
        to: day(lenient_param(raw, "den")),
    }
}

/// The page a query string asks for (`trang=`).
pub fn page_of(raw: Option<&str>) -> Option<i64> {
    crate::pager::Pager::requested(&lenient_param(raw, "trang"))
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
        assert_eq!(query_of(Some("q=dau+tieng")), "dau tieng");
        assert_eq!(query_of(Some("x=1&q=D%E1%BA%A7u")), "Dầu");
        assert_eq!(query_of(Some("q=%FF%FEabc")), "\u{FFFD}\u{FFFD}abc");
        assert_eq!(query_of(Some("q=%ZZ%")), "%ZZ%");
        assert_eq!(query_of(Some("q=a%00b")), "ab");
        assert_eq!(query_of(None), "");
    }
}
