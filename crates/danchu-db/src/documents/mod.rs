//! The document library: documents, their files, relations between documents, the
//! articles that refer to them, and their download counts.
//!
//! - `read`: one document, lists, facets, relations.
//! - `check`: an editor's save checked once (core's rules, the numbers it names).
//! - `edit`: create and update (audited), search entry, download counts.
//! - `links`: files, relations and citing articles (audited).

mod check;
mod cited;
mod edit;
mod links;
mod read;

pub use check::{check, Checked, Named};
pub use cited::{named_in_field, MAX_CITED};
pub use danchu_core::documents::DocumentInput;
pub use edit::{add_downloads, create, index_all, index_one, save, update};
pub use links::{relate, set_article_documents, set_article_documents_in, set_files};
pub use read::{
    articles_citing, by_ids, by_number, count, facets, files, get, list, named, of_article,
    relations, Document, Filter,
};
