//! How a text is cut into words, and when a word of a text matches a query word.

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

/// The parts of a joined word (`22/kh-ubnd` → `22`, `kh`, `ubnd`); none for a plain word.
pub fn parts(word: &str) -> impl Iterator<Item = &str> {
    let joined = word.contains(['/', '-', '.']);
    word.split(['/', '-', '.'])
        .filter(move |p| joined && !p.is_empty())
}

/// Whether a word of a text matches a query word: the same word, or one of its parts
/// (`22` matches `22/KH-UBND`; `22/kh-ubnd` matches only the whole).
pub(super) fn word_matches(text_word: &str, query_word: &str) -> bool {
    text_word == query_word || parts(text_word).any(|p| p == query_word)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::fixtures::{found, SEED};

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
}
