//! How a query is read, and how well a text matches it.

use unicode_normalization::UnicodeNormalization;

use super::words::word_matches;
use super::{words, words_matching, Word};

/// One part of a query: a word, or a quoted phrase of several words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// Folded words (one for a plain word).
    pub folded: Vec<String>,
    /// The same words, exact (for ranking).
    pub exact: Vec<String>,
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    pub terms: Vec<Term>,
}

/// The longest query read (longer input is cut, never an error).
pub const MAX_QUERY_CHARS: usize = 200;
/// The most terms used.
pub const MAX_TERMS: usize = 12;

impl Query {
    /// Reads what a person typed. Punctuation and search-engine syntax (`* : ( ) AND OR
    /// NEAR -`) are just separators; only double quotes mean something (a phrase).
    pub fn parse(raw: &str) -> Query {
        let raw: String = raw.nfc().take(MAX_QUERY_CHARS).collect();
        let mut terms = Vec::new();
        for (n, part) in raw.split('"').enumerate() {
            let ws = words(part);
            if ws.is_empty() {
                continue;
            }
            if n % 2 == 1 && ws.len() > 1 {
                terms.push(Term {
                    folded: ws.iter().map(|w| w.folded.clone()).collect(),
                    exact: ws.iter().map(|w| w.exact(part)).collect(),
                });
            } else {
                for w in ws {
                    terms.push(Term {
                        exact: vec![w.exact(part)],
                        folded: vec![w.folded],
                    });
                }
            }
        }
        let mut seen = Vec::new();
        terms.retain(|t| {
            let keep = !seen.contains(&t.folded);
            seen.push(t.folded.clone());
            keep
        });
        terms.truncate(MAX_TERMS);
        Query { terms }
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Every folded word of the query (for looking candidates up in an index).
    pub fn folded_words(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self
            .terms
            .iter()
            .flat_map(|t| t.folded.iter().map(String::as_str))
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }
}

/// Where a term matched: positions in `ws` (all the words of a text, or only those
/// matching the query, in text order) where its words stand one after another.
pub(super) fn find_term(ws: &[Word], t: &Term) -> Vec<usize> {
    let n = t.folded.len();
    if n == 0 {
        return Vec::new();
    }
    (0..ws.len())
        .filter(|&i| {
            (0..n).all(|k| {
                ws.get(i + k).is_some_and(|w| {
                    w.index == ws[i].index + k && word_matches(&w.folded, &t.folded[k])
                })
            })
        })
        .collect()
}

/// How well a text matches a query: `None` if some term is missing; otherwise a score
/// where exact-diacritic matches count more than folded ones.
pub fn score(text: &str, q: &Query) -> Option<u32> {
    score_words(text, &words_matching(text, &q.folded_words()), q)
}

/// [`score`] over the words of `text` already cut.
pub fn score_words(text: &str, ws: &[Word], q: &Query) -> Option<u32> {
    if q.is_empty() {
        return None;
    }
    let mut total = 0;
    for t in &q.terms {
        let hits = find_term(ws, t);
        if hits.is_empty() {
            return None;
        }
        let exact = hits.iter().any(|&i| {
            (0..t.exact.len()).all(|k| word_matches(&ws[i + k].exact(text), &t.exact[k]))
        });
        total += if exact { 3 } else { 1 } + (hits.len().min(5) as u32 - 1);
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::fixtures::{found, SEED};

    #[test]
    fn every_spelling_finds_dau_tieng() {
        for q in [
            "dau tieng",
            "DẦU TIẾNG",
            "Dầu Tiếng",
            &"Dầu Tiếng".nfd().collect::<String>(),
            "dâu tiêng",
            "DAU TIENG",
        ] {
            assert!(found(SEED, q), "{q}");
        }
        assert!(!found(SEED, "dau tien"), "whole words only");
    }

    #[test]
    fn d_and_tone_placement() {
        assert!(found("Xã Định An", "dinh an"));
        assert!(found("Xã Long Hòa", "hoà"));
        assert!(found("Xã Long Hoà", "hòa"));
        assert!(found("Thủy lợi", "thuỷ"));
        assert!(found("khoẻ mạnh", "khỏe"));
        // With diacritics, old and new placement are the same exact word.
        assert_eq!(
            score("Xã Long Hoà", &Query::parse("hòa")),
            score("Xã Long Hòa", &Query::parse("hòa"))
        );
    }

    #[test]
    fn exact_diacritics_rank_higher() {
        let q = Query::parse("hoa");
        let plain = score("Hội hoa xuân", &q).unwrap();
        let toned = score("Xã Long Hòa", &q).unwrap();
        assert!(plain > toned, "'hoa' typed plain prefers 'hoa'");
        let q = Query::parse("hòa");
        assert!(score("Xã Long Hòa", &q).unwrap() > score("Hội hoa xuân", &q).unwrap());
    }

    #[test]
    fn quoted_phrases() {
        assert!(found(SEED, "\"quy che dan chu\""));
        assert!(
            !found(SEED, "\"dan chu quy che\""),
            "order matters in a phrase"
        );
        assert!(
            found(SEED, "dan chu quy che"),
            "unquoted words may be anywhere"
        );
    }

    #[test]
    fn hostile_queries_are_plain_text() {
        for q in [
            "\" * : ( ) - NEAR AND OR",
            "'; DROP TABLE articles; --",
            "((((",
            "",
            "   ",
            "\"",
            "***",
        ] {
            let p = Query::parse(q);
            assert!(
                p.terms.iter().all(|t| t
                    .folded
                    .iter()
                    .all(|w| w.chars().all(|c| c.is_alphanumeric() || "/-.".contains(c)))),
                "{q}"
            );
        }
        assert!(Query::parse("((((").is_empty());
        assert_eq!(
            Query::parse(&"dân chủ ".repeat(500)).terms.len(),
            2,
            "long input cut, repeats merged"
        );
        assert!(Query::parse(&"x".repeat(10_000)).terms.len() <= MAX_TERMS);
    }
}
