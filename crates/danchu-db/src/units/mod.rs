//! Administrative units: read, create, rename, merge and import. Units are never deleted:
//! a merge closes the old units (valid_to) and points them at their successor.
//!
//! - `read`: one unit, children, subtrees, search.
//! - `edit`: an admin's new unit checked once (`add`), create, rename, merge (audited).
//! - `parse`: reading an import file (JSON or CSV).
//! - `import`: ordering and writing imported rows.
//! - `codes`: padding codes stored by an older danchu.

mod beside;
mod codes;
mod edit;
mod import;
#[cfg(test)]
mod import_tests;
mod parse;
mod read;

pub use beside::beside;
pub use codes::pad_codes;
pub use edit::{add, check, create, merge, rename, NewUnit, UnitDraft};
pub use import::{import, order_rows, ImportCounts, ImportFailure, KnownUnits};
pub use parse::{parse_csv, parse_json, ImportError, ImportRow};
pub(crate) use read::known_kind;
pub use read::{
    by_code, by_code_at, by_ids, chain, children, children_of, count, get, predecessors, search,
    sort_vn, subtree, subtrees, Unit,
};
