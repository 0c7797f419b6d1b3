//! Pure rules of danchu. Nothing in this crate does I/O: every function here can be
//! unit-tested with plain values, and the database and web crates call into it.

pub mod audit;
pub mod disclosure;
pub mod documents;
pub mod files;
pub mod html;
pub mod i18n;
pub mod plans;
pub mod portal;
pub mod reporting;
pub mod roles;
pub mod search;
pub mod template_form;
pub mod text;
pub mod throttle;
pub mod units;
