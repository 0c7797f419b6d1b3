//! Vietnamese search rules, pure: how text is cut into words, how a query is read, what
//! matches, how results rank, and the snippet shown with matched words highlighted.
//!
//! - NFC and NFD input are the same; case and diacritics are ignored; `đ` matches `d`;
//!   old and new tone placement (`hoà`/`hòa`, `thuỷ`/`thủy`) are the same word.
//! - A result whose words carry the query's exact diacritics ranks above one that only
//!   matches once folded.
//! - `"quoted words"` must appear together, in order.
//! - Document numbers such as `22/KH-UBND` are one word (`22/kh-ubnd` finds it).
//!
//! [`Kind`] is what the index holds (a cross-capability hook). [`words`] cuts a text into words, [`query`] reads a query and scores a text against
//! it, [`snippet`] shows where it matched.

pub mod kind;
pub mod query;
pub mod snippet;
pub mod words;

#[cfg(test)]
mod fixtures;

pub use kind::Kind;
pub use query::{score, score_words, Query, Term, MAX_QUERY_CHARS, MAX_TERMS};
pub use snippet::{snippet, snippet_words, Piece};
pub use words::{normalise_tones, parts, words, words_matching, Word};
