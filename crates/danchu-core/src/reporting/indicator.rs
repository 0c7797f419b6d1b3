//! What a report template is made of: indicators and their kinds, table columns, data
//! sources, cross-field rules, and the values a checked answer takes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// What kind of answer an indicator takes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Kind {
    /// A whole number ("1.414" is read as 1414).
    Integer,
    /// A decimal number ("12,5" is read as 12.5).
    Decimal,
    /// Có / Không.
    YesNo,
    /// One of the listed choices.
    Choice { choices: Vec<String> },
    /// Free text.
    Text,
    /// A repeating table: any number of rows (up to [`MAX_ROWS`]) of typed columns. A
    /// column may be of any kind except another table.
    Table { columns: Vec<Column> },
}

/// One column of a [`Kind::Table`] indicator; its cells are read and checked like an
/// indicator of the same kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Column {
    /// Short stable code (`so_nguoi`), unique within its table.
    pub code: String,
    pub label: String,
    #[cfg_attr(feature = "openapi", schema(no_recursion))]
    pub kind: Kind,
    #[serde(default)]
    pub unit: String,
    /// Must be filled in every row that is not left entirely blank.
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
}

/// The most rows a table indicator takes in one answer.
pub const MAX_ROWS: usize = 200;

/// How the answers of many units are combined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Aggregation {
    Sum,
    Average,
    Min,
    Max,
    /// How many answered "Có".
    CountYes,
    /// Every text answer, with its unit.
    ListTexts,
    /// Every row of a table, with its unit.
    ListRows,
}

/// One indicator (chỉ tiêu) of a report template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Indicator {
    /// Short stable code (`so_hoi_nghi`), unique within a template.
    pub code: String,
    pub label: String,
    pub kind: Kind,
    /// Unit of measure: "cuộc", "người", "hộ", "%".
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
    pub aggregation: Aggregation,
    /// Where danchu can fill the answer from its own data (the reporter can still
    /// change it).
    #[serde(default)]
    pub source: Option<Source>,
}

impl Column {
    /// A column with no unit, not required, unbounded; the rest by struct update:
    /// `Column { required: true, ..Column::new("so_nguoi", "Số người", Kind::Integer) }`.
    pub fn new(code: &str, label: &str, kind: Kind) -> Column {
        Column {
            code: code.into(),
            label: label.into(),
            kind,
            unit: String::new(),
            required: false,
            min: None,
            max: None,
        }
    }
}

impl Indicator {
    /// An indicator with no unit, not required, unbounded, filled in by hand; the rest by
    /// struct update: `Indicator { required: true, ..Indicator::new(…) }`.
    pub fn new(code: &str, label: &str, kind: Kind, aggregation: Aggregation) -> Indicator {
        let Column {
            code,
            label,
            kind,
            unit,
            required,
            min,
            max,
        } = Column::new(code, label, kind);
        Indicator {
            code,
            label,
            kind,
            unit,
            required,
            min,
            max,
            aggregation,
            source: None,
        }
    }
}

/// Data danchu already holds that can answer an indicator. Later capabilities (public
/// disclosures, consultations, feedback) add their own sources here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Source {
    /// How many articles the unit published on the portal within the data cut-off,
    /// optionally only in one category (by its slug).
    ArticlesPublished {
        #[serde(default)]
        category: Option<String>,
    },
    /// How many disclosures the unit posted within the data cut-off (issue 7), optionally
    /// only in one register category (by its code, `d11-02`) and only those posted on
    /// time (a recurring one by its due date, R10/R11).
    DisclosuresPosted {
        #[serde(default)]
        category: Option<String>,
        #[serde(default)]
        on_time: bool,
    },
}

impl Source {
    /// A short Vietnamese description for the form.
    pub fn describe_vi(&self) -> String {
        match self {
            Source::ArticlesPublished { category: None } => {
                "số bài viết đơn vị đã đăng trên cổng thông tin trong kỳ".into()
            }
            Source::ArticlesPublished { category: Some(c) } => {
                format!("số bài viết đơn vị đã đăng trong chuyên mục “{c}” trong kỳ")
            }
            Source::DisclosuresPosted { category, on_time } => format!(
                "số nội dung đơn vị đã công khai{}{} trong kỳ",
                category
                    .as_ref()
                    .map(|c| format!(" thuộc danh mục {c}"))
                    .unwrap_or_default(),
                if *on_time { " đúng hạn" } else { "" }
            ),
        }
    }
}

/// A comparison between two numeric indicators that every answer must satisfy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Compare {
    #[serde(rename = "<=")]
    Le,
    #[serde(rename = "<")]
    Lt,
    #[serde(rename = ">=")]
    Ge,
    #[serde(rename = ">")]
    Gt,
    #[serde(rename = "=")]
    Eq,
}

impl Compare {
    pub(super) fn holds(self, a: f64, b: f64) -> bool {
        match self {
            Compare::Le => a <= b,
            Compare::Lt => a < b,
            Compare::Ge => a >= b,
            Compare::Gt => a > b,
            Compare::Eq => (a - b).abs() < 1e-9,
        }
    }

    pub(super) fn words_vi(self) -> &'static str {
        match self {
            Compare::Le => "không được lớn hơn",
            Compare::Lt => "phải nhỏ hơn",
            Compare::Ge => "không được nhỏ hơn",
            Compare::Gt => "phải lớn hơn",
            Compare::Eq => "phải bằng",
        }
    }
}

/// A cross-field rule: `left op right` (e.g. `so_ho_tan_thanh <= tong_so_ho`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CrossRule {
    pub left: String,
    pub op: Compare,
    pub right: String,
}

/// A checked answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Value {
    Int(i64),
    Dec(f64),
    Bool(bool),
    Text(String),
    /// The filled rows of a table, each by column code (blank cells are left out).
    #[cfg_attr(feature = "openapi", schema(no_recursion))]
    Rows(Vec<BTreeMap<String, Value>>),
}

impl Value {
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Int(n) => Some(*n as f64),
            Value::Dec(x) => Some(*x),
            _ => None,
        }
    }
}

/// An error tied to one indicator, in Vietnamese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub code: String,
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_round_trips_through_json() {
        let row: BTreeMap<String, Value> = [
            ("a".to_string(), Value::Int(7)),
            ("b".to_string(), Value::Dec(2.5)),
            ("c".to_string(), Value::Bool(true)),
            ("d".to_string(), Value::Text("12".into())),
        ]
        .into_iter()
        .collect();
        for v in [
            Value::Int(-1414),
            Value::Dec(12.5),
            Value::Dec(3.0),
            Value::Bool(false),
            Value::Text("Đã họp dân".into()),
            Value::Text("12".into()),
            Value::Rows(Vec::new()),
            Value::Rows(vec![row.clone(), BTreeMap::new()]),
        ] {
            let json = serde_json::to_string(&v).unwrap();
            assert_eq!(serde_json::from_str::<Value>(&json).unwrap(), v, "{json}");
        }
        let stored: BTreeMap<String, Value> =
            serde_json::from_str(r#"{"t":[{"a":7,"b":2.5,"c":true,"d":"12"}],"n":3}"#).unwrap();
        assert_eq!(stored["t"], Value::Rows(vec![row]));
        assert_eq!(stored["n"], Value::Int(3));
    }
}
