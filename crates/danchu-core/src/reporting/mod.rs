//! Periodic reporting rules, pure (issue 5): report periods and their data cut-off
//! windows (R30, Decree 09/2019/NĐ-CP), indicators with their types, how a typed answer
//! is read and checked (Vietnamese number formats, required, min/max, choices,
//! cross-field rules such as "số hộ tán thành ≤ tổng số hộ"), repeating tables (rows of
//! typed columns), and how answers of many units are aggregated (sum, average, min, max,
//! count of yes, list of texts, list of rows).
//!
//! - [`period`]: frequencies, periods and their cut-off windows (R29, R30, R32);
//! - [`indicator`]: what a template is made of, and the values answers take;
//! - [`numbers`]: Vietnamese number formats;
//! - [`typed`] and [`validate`]: the typed form, what is kept of it and how it is checked;
//! - [`aggregate`]: many units' answers combined, and answers as shown;
//! - [`round`]: a round as typed and the check it passes before it opens;
//! - [`workflow`]: a submission's statuses and steps;
//! - [`template`] and [`template_form`]: a template's content and its editor's form.

pub mod aggregate;
pub mod indicator;
pub mod numbers;
pub mod period;
pub mod round;
pub mod template;
pub mod template_form;
pub mod typed;
pub mod validate;
pub mod workflow;

#[cfg(test)]
mod fixtures;

pub use aggregate::{aggregate, column_totals, display_for, display_value, Aggregate};
pub use indicator::{
    Aggregation, Column, Compare, CrossRule, FieldError, Indicator, Kind, Source, Value, MAX_ROWS,
};
pub use numbers::{format_value, parse_decimal, parse_integer};
pub use period::{Frequency, Period};
pub use round::{check_round, CheckedRound, RoundDraft};
pub use template::{Section, TemplateBody};
pub use typed::{cell_key, keep_fields, typed_rows, MAX_TYPED};
pub use validate::validate;
pub use workflow::{is_late, next_status, Status, Step};
