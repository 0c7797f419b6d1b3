//! The report-template editor's form (issue 5, point 2): a template is edited as rows of
//! plain fields, one row per indicator (section, code, label, kind, unit, required,
//! min/max, aggregation, choices, table columns, data source) and one per cross-field
//! rule, so it works in any browser without scripts. [`rows`] turns a template into rows
//! (and reads them from the posted form); [`build`] turns rows back into a template, with
//! errors tied to each field, in Vietnamese.

pub mod build;
pub mod rows;

#[cfg(test)]
mod fixtures;

pub use build::body_of;
pub use rows::{rows_from_form, rows_of, source_code, source_of};

use crate::reporting::Kind;

/// One indicator as edited.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    pub section: String,
    pub code: String,
    pub label: String,
    /// integer, decimal, yes_no, choice, text, table
    pub kind: String,
    pub unit: String,
    pub required: bool,
    pub min: String,
    pub max: String,
    /// sum, average, min, max, count_yes, list_texts, list_rows
    pub aggregation: String,
    /// For a single choice: one choice per line.
    pub choices: String,
    /// For a table: one column per line, `code; label; kind; unit; *` (`*` = required).
    pub columns: String,
    /// "" or "articles_published"
    pub source: String,
}

/// One cross-field rule as edited.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RuleRow {
    pub left: String,
    /// <=, <, >=, >, =
    pub op: String,
    pub right: String,
}

/// Kinds offered in the editor: (code, Vietnamese name).
pub const KINDS: &[(&str, &str)] = &[
    ("integer", "Số nguyên"),
    ("decimal", "Số thập phân"),
    ("yes_no", "Có / Không"),
    ("choice", "Chọn một"),
    ("text", "Văn bản"),
    ("table", "Bảng nhiều dòng"),
];

/// Aggregation rules offered: (code, Vietnamese name).
pub const AGGREGATIONS: &[(&str, &str)] = &[
    ("sum", "Cộng"),
    ("average", "Trung bình"),
    ("min", "Nhỏ nhất"),
    ("max", "Lớn nhất"),
    ("count_yes", "Đếm số “Có”"),
    ("list_texts", "Liệt kê nội dung"),
    ("list_rows", "Liệt kê các dòng (bảng)"),
];

/// Comparisons offered for cross-field rules: (code, Vietnamese words).
pub const COMPARES: &[(&str, &str)] = &[
    ("<=", "không lớn hơn"),
    ("<", "nhỏ hơn"),
    (">=", "không nhỏ hơn"),
    (">", "lớn hơn"),
    ("=", "bằng"),
];

/// Data sources offered in the editor: (code, Vietnamese name). A source limited to one
/// category is written `code:category` (`disclosures_posted:d11-02`).
pub const SOURCES: &[(&str, &str)] = &[
    ("articles_published", "Số bài viết đơn vị đăng trong kỳ"),
    (
        "disclosures_posted",
        "Số nội dung đơn vị công khai trong kỳ",
    ),
    (
        "disclosures_on_time",
        "Số nội dung đơn vị công khai đúng hạn trong kỳ",
    ),
];

fn code_of<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|j| j.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn from_code<T: serde::de::DeserializeOwned>(code: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(code.to_string())).ok()
}

fn kind_code(k: &Kind) -> &'static str {
    match k {
        Kind::Integer => "integer",
        Kind::Decimal => "decimal",
        Kind::YesNo => "yes_no",
        Kind::Choice { .. } => "choice",
        Kind::Text => "text",
        Kind::Table { .. } => "table",
    }
}
