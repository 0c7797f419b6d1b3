//! The snippet shown with a result: the text around the best match, hits marked.

use super::query::find_term;
use super::{words_matching, Query, Word};

/// A piece of a snippet: text, and whether it is a matched word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    pub hit: bool,
}

/// About `max_chars` of the text around the first match, with matched words marked. The
/// original text is kept (diacritics as written).
pub fn snippet(text: &str, q: &Query, max_chars: usize) -> Vec<Piece> {
    snippet_words(text, &words_matching(text, &q.folded_words()), q, max_chars)
}

/// [`snippet`] from the matching words of `text` already found ([`words_matching`]).
pub fn snippet_words(text: &str, ws: &[Word], q: &Query, max_chars: usize) -> Vec<Piece> {
    let (hits, tagged) = matches(ws, q);
    let first = densest(&tagged, max_chars / 2);
    let (start, end) = window(text, first, max_chars);
    pieces(text, hits, start, end)
}

/// A hit as a byte range of the text: (start, end).
type Span = (usize, usize);
/// Where a hit starts, and the index of the query's term it matched: (start, term).
type Tagged = (usize, usize);

/// Where the query's terms matched: every hit, sorted, and each hit's start tagged with
/// its term, sorted.
fn matches(ws: &[Word], q: &Query) -> (Vec<Span>, Vec<Tagged>) {
    let mut hits: Vec<Span> = Vec::new();
    let mut tagged: Vec<Tagged> = Vec::new();
    for (ti, t) in q.terms.iter().enumerate() {
        for i in find_term(ws, t) {
            hits.push((ws[i].start, ws[i + t.folded.len() - 1].end));
            tagged.push((ws[i].start, ti));
        }
    }
    hits.sort_unstable();
    tagged.sort_unstable();
    (hits, tagged)
}

/// The place where most of the query's terms stand close together, within `reach` bytes
/// (the first such place), not merely the first word that matched; 0 without a hit.
fn densest(tagged: &[Tagged], reach: usize) -> usize {
    tagged
        .iter()
        .map(|&(s0, _)| {
            let mut terms: Vec<usize> = tagged
                .iter()
                .filter(|(s1, _)| *s1 >= s0 && *s1 <= s0 + reach)
                .map(|(_, t)| *t)
                .collect();
            terms.sort_unstable();
            terms.dedup();
            (terms.len(), s0)
        })
        .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)))
        .map(|(_, s0)| s0)
        .unwrap_or(0)
}

/// The byte range shown: from a little before `first` (on a char boundary), about
/// `max_chars` characters long.
fn window(text: &str, first: usize, max_chars: usize) -> (usize, usize) {
    // Start a little before the first hit, on a char boundary.
    let lead = text[..first].chars().rev().take(max_chars / 4).count();
    let start = text[..first]
        .char_indices()
        .rev()
        .nth(lead.saturating_sub(1))
        .map(|(i, _)| i)
        .unwrap_or(0);
    let start = if lead == 0 { first } else { start };
    let end = text[start..]
        .char_indices()
        .nth(max_chars)
        .map(|(i, _)| start + i)
        .unwrap_or(text.len());
    (start, end)
}

/// The pieces of `text[start..end]`: plain text and hits, with "…" where the text was
/// cut at either end.
fn pieces(text: &str, hits: Vec<Span>, start: usize, end: usize) -> Vec<Piece> {
    let mut pieces = Vec::new();
    if start > 0 {
        pieces.push(Piece {
            text: "…".into(),
            hit: false,
        });
    }
    let mut pos = start;
    for (s, e) in hits.into_iter().filter(|(s, e)| *s >= start && *e <= end) {
        if s < pos {
            continue;
        }
        if s > pos {
            pieces.push(Piece {
                text: text[pos..s].to_string(),
                hit: false,
            });
        }
        pieces.push(Piece {
            text: text[s..e].to_string(),
            hit: true,
        });
        pos = e;
    }
    if pos < end {
        pieces.push(Piece {
            text: text[pos..end].to_string(),
            hit: false,
        });
    }
    if end < text.len() {
        pieces.push(Piece {
            text: "…".into(),
            hit: false,
        });
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::fixtures::SEED;

    #[test]
    fn snippets_keep_diacritics_and_mark_hits() {
        let q = Query::parse("dau tieng");
        let s = snippet(SEED, &q, 60);
        let hits: Vec<&str> = s
            .iter()
            .filter(|p| p.hit)
            .map(|p| p.text.as_str())
            .collect();
        assert_eq!(hits, ["Dầu", "Tiếng"]);
        assert!(s.first().is_some_and(|p| p.text == "…"));
        let joined: String = s.iter().map(|p| p.text.as_str()).collect();
        assert!(joined.contains("huyện Dầu Tiếng"));
        // The place where the terms stand together wins over an earlier lone match.
        let s = snippet(
            "Người đứng đầu cơ quan. Huyện Dầu Tiếng tổ chức hội nghị.",
            &q,
            30,
        );
        let joined: String = s.iter().map(|p| p.text.as_str()).collect();
        assert!(joined.contains("Dầu Tiếng"), "{joined}");
        // No match: the start of the text.
        let s = snippet("Ngắn gọn", &Query::parse("xyz"), 60);
        assert_eq!(
            s,
            vec![Piece {
                text: "Ngắn gọn".into(),
                hit: false
            }]
        );
    }
}
