//! Pure rules of danchu. Nothing in this crate does I/O: every function here can be
//! unit-tested with plain values, and the database and web crates call into it.
//!
//! One folder per capability (`portal`, `documents`, `search`, `plans`, `reporting`,
//! `disclosures`, `units`, `identity`); the shared kits (`audit`, `html`, `text`,
//! `files`, `i18n`, `jobs`, `outbox`, `throttle`) stay flat.

// Shared kits.
pub mod audit;
pub mod files;
pub mod html;
pub mod i18n;
pub mod idempotency;
pub mod jobs;
pub mod outbox;
pub mod text;
pub mod throttle;

// Capabilities.
pub mod disclosures;
pub mod documents;
pub mod identity;
pub mod plans;
pub mod portal;
pub mod reporting;
pub mod search;
pub mod units;

/// For the unit tests of the enums stored as codes: each of `all` parses back from its
/// code, and `unknown` is no code at all.
#[cfg(test)]
pub(crate) fn assert_codes<T: Copy + PartialEq + std::fmt::Debug>(
    all: &[T],
    code: fn(T) -> &'static str,
    parse: fn(&str) -> Option<T>,
    unknown: &str,
) {
    for &c in all {
        assert_eq!(parse(code(c)), Some(c), "{c:?}");
    }
    assert_eq!(parse(unknown), None, "{unknown:?}");
}

/// The authorisation rule keeps its short path, `danchu_core::roles::permits`.
pub use identity::roles;
/// The report-template editor keeps its path, `danchu_core::template_form`.
pub use reporting::template_form;
