//! Vietnamese search rules, pure: how text is cut into words, how a query is read, what
//! matches, how results rank, and the snippet shown with matched words highlighted.
//!
//! - NFC and NFD input are the same; case and diacritics are ignored; `đ` matches `d`;
//!   old and new tone placement (`hoà`/`hòa`, `thuỷ`/`thủy`) are the same word.
//! - A result whose words carry the query's exact diacritics ranks above one that only
//!   matches once folded.
//! - `"quoted words"` must appear together, in order.
//! - Document numbers such as `22/KH-UBND` are one word (`22/kh-ubnd` finds it).

use unicode_normalization::UnicodeNormalization;

/// A word of a text: its folded form and where it stands in the original text (byte
/// range). Its exact form is computed only when needed ([`Word::exact`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub folded: String,
    /// Its position among all the words of the text.
    pub index: usize,
    pub start: usize,
    pub end: usize,
}

impl Word {
    /// The exact (lower-case, tone-normalised) form of this word of `text`.
    pub fn exact(&self, text: &str) -> String {
        normalise_tones(text.get(self.start..self.end).unwrap_or_default())
    }
}

/// Writes old-style tone placement the new way (`hoà` → `hòa`, `thuỷ` → `thủy`), so
/// both spellings compare equal with their diacritics.
pub fn normalise_tones(s: &str) -> String {
    const PAIRS: &[(&str, &str)] = &[
        ("oà", "òa"),
        ("oá", "óa"),
        ("oả", "ỏa"),
        ("oã", "õa"),
        ("oạ", "ọa"),
        ("oè", "òe"),
        ("oé", "óe"),
        ("oẻ", "ỏe"),
        ("oẽ", "õe"),
        ("oẹ", "ọe"),
        ("uỳ", "ùy"),
        ("uý", "úy"),
        ("uỷ", "ủy"),
        ("uỹ", "ũy"),
        ("uỵ", "ụy"),
    ];
    let mut out: String = if unicode_normalization::is_nfc_quick(s.chars())
        == unicode_normalization::IsNormalized::Yes
    {
        s.to_lowercase()
    } else {
        s.nfc().collect::<String>().to_lowercase()
    };
    // Only a toned vowel after `o` or `u` can be written the old way.
    if !out.contains(['o', 'u']) || !out.contains(|c| "àáảãạèéẻẽẹỳýỷỹỵ".contains(c))
    {
        return out;
    }
    for (old, new) in PAIRS {
        if out.contains(old) {
            out = out.replace(old, new);
        }
    }
    out
}

fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        crate::text::is_latin_letter(c) || c.is_alphanumeric()
    }
}

/// Cuts NFC text into words. `/`, `-` and `.` between letters or digits join them, so
/// `22/KH-UBND` and `05-CT/TW` are single words.
pub fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    each_word(text, None, |_, start, end, folded| {
        out.push(Word {
            folded: folded.to_string(),
            index: out.len(),
            start,
            end,
        });
    });
    out
}

/// Only the words of `text` whose folded form is one of `wanted`, keeping their place in
/// the text: far cheaper than [`words`] on a long text with a short query (a word whose
/// first letter starts none of `wanted` is not even folded).
pub fn words_matching(text: &str, wanted: &[&str]) -> Vec<Word> {
    let firsts: Vec<char> = wanted.iter().filter_map(|w| w.chars().next()).collect();
    let mut out = Vec::new();
    each_word(text, Some(&firsts), |index, start, end, folded| {
        if wanted.iter().any(|w| word_matches(folded, w)) {
            out.push(Word {
                folded: folded.to_string(),
                index,
                start,
                end,
            });
        }
    });
    out
}

/// Calls `f(index, start, end, folded)` for every word (or only those whose folded first
/// letter is in `firsts`), folding into one reused buffer.
fn each_word(text: &str, firsts: Option<&[char]>, mut f: impl FnMut(usize, usize, usize, &str)) {
    let mut folded = String::new();
    let mut it = text.char_indices().peekable();
    let mut index = 0;
    while let Some((start, c)) = it.next() {
        if !is_word_char(c) {
            continue;
        }
        folded.clear();
        crate::text::fold_char(c, &mut folded);
        let mut keep = match (firsts, folded.chars().next()) {
            (Some(fs), Some(first)) => fs.contains(&first),
            _ => true,
        };
        let mut joined = false;
        let mut end = start + c.len_utf8();
        loop {
            match it.peek().copied() {
                Some((i, c)) if is_word_char(c) || c.is_mark() => {
                    if keep {
                        crate::text::fold_char(c, &mut folded);
                    }
                    end = i + c.len_utf8();
                    it.next();
                }
                // A joiner followed by another word character continues the word.
                Some((i, j)) if matches!(j, '/' | '-' | '.') => {
                    match text[i + 1..].chars().next() {
                        Some(n) if is_word_char(n) => {
                            if keep {
                                folded.push(j);
                            }
                            joined = true;
                            end = i + 1;
                            it.next();
                        }
                        _ => break,
                    }
                }
                _ => break,
            }
        }
        // A joined word (`22/KH-UBND`) can match by any of its parts.
        if !keep && joined {
            folded = crate::text::fold(&text[start..end]);
            keep = true;
        }
        if keep {
            f(index, start, end, &folded);
        }
        index += 1;
    }
}

trait IsMark {
    fn is_mark(&self) -> bool;
}
impl IsMark for char {
    fn is_mark(&self) -> bool {
        unicode_normalization::char::is_combining_mark(*self)
    }
}

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

/// The parts of a joined word (`22/kh-ubnd` → `22`, `kh`, `ubnd`); none for a plain word.
pub fn parts(word: &str) -> impl Iterator<Item = &str> {
    let joined = word.contains(['/', '-', '.']);
    word.split(['/', '-', '.'])
        .filter(move |p| joined && !p.is_empty())
}

/// Whether a word of a text matches a query word: the same word, or one of its parts
/// (`22` matches `22/KH-UBND`; `22/kh-ubnd` matches only the whole).
fn word_matches(text_word: &str, query_word: &str) -> bool {
    text_word == query_word || parts(text_word).any(|p| p == query_word)
}

/// Where a term matched: positions in `ws` (all the words of a text, or only those
/// matching the query, in text order) where its words stand one after another.
fn find_term(ws: &[Word], t: &Term) -> Vec<usize> {
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
    let mut hits: Vec<(usize, usize)> = Vec::new();
    let mut tagged: Vec<(usize, usize)> = Vec::new(); // (start, term index)
    for (ti, t) in q.terms.iter().enumerate() {
        for i in find_term(ws, t) {
            hits.push((ws[i].start, ws[i + t.folded.len() - 1].end));
            tagged.push((ws[i].start, ti));
        }
    }
    hits.sort_unstable();
    tagged.sort_unstable();
    // Show the place where most of the query's terms stand close together (the first
    // such place), not merely the first word that matched.
    let reach = max_chars / 2;
    let first = tagged
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
        .unwrap_or(0);
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

    const SEED: &str = "Do đó, ngày 21/02/2023 Ủy ban nhân dân huyện Dầu Tiếng đã ban hành Kế hoạch số 22/KH-UBND để triển khai thực hiện Quy chế dân chủ ở cơ sở.";

    fn found(text: &str, q: &str) -> bool {
        score(text, &Query::parse(q)).is_some()
    }

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
    fn document_numbers_are_one_word() {
        let ws = words(SEED);
        assert!(ws.iter().any(|w| w.folded == "22/kh-ubnd"));
        assert!(ws.iter().any(|w| w.folded == "21/02/2023"));
        assert!(found(SEED, "22/KH-UBND"));
        assert!(found(SEED, "22/kh-ubnd"));
        assert!(!found(SEED, "23/KH-UBND"));
        assert!(found("Chỉ thị số 05-CT/TW", "05-ct/tw"));
        // A part of a number finds it too: "kế hoạch 22" finds 22/KH-UBND.
        assert!(found(SEED, "ke hoach 22"));
        assert!(found(SEED, "UBND 22"));
        assert!(!found(SEED, "ke hoach 23"));
        assert!(
            words("Tài chính - Kế hoạch").len() == 4,
            "a spaced dash separates"
        );
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
