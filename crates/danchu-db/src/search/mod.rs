//! The search index (docs/adr/0002-search.md): every searchable thing (an article, a
//! document; later a disclosure or an answered petition) is one row of `search_docs` with
//! its title and plain text, and one posting per distinct folded word. It is written in
//! the same transaction as the thing itself, so every node sees it as soon as the change
//! commits; `danchu reindex` rebuilds it from the source tables.
//!
//! A query looks its folded words up, walks the postings of the rarest word newest first
//! and keeps the documents that hold every other word too: the same SQL on both
//! backends. The Vietnamese rules in `danchu_core::search` then rank the candidates.
//!
//! - `index`: writing and rebuilding the index.
//! - `query`: the candidates of a query.

mod index;
mod query;

pub use index::{
    clear, ensure, put, put_with, rebuild, remove, size, word_set, Entry, Terms, KINDS,
};
pub use query::{candidates, find, texts, Candidate, Candidates, Filter, Text};
