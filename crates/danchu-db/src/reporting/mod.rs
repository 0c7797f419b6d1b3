//! Periodic reporting (issue 5) in the database: versioned templates, rounds and the units
//! that must report, submissions with every submitted version, the round dashboard and
//! the consolidation. The rules themselves (periods, validation, workflow, aggregation)
//! are in `danchu_core::reporting`; every change here is audited in its transaction.
//!
//! - `templates`: versioned templates.
//! - `rounds`: rounds and their units.
//! - `submissions`: a unit's report: save, submit, decide.
//! - `consolidation`: the dashboard, the consolidation, indicator sources.

mod consolidation;
mod rounds;
mod save;
mod submissions;
mod templates;

pub use consolidation::{consolidate, dashboard, source_value, Consolidation, UnitState};
pub use rounds::{create_round, round, rounds, same_period_last_year, NewRound, Round};
pub use save::{save, save_at, save_with_files, Files, Saved};
pub use submissions::{decide, decide_at, files, statuses, submission, versions, Submission};
pub use templates::{create_template, new_template_version, templates, Template};
