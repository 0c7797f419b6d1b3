//! How the answers of many units are combined (sum, average, min, max, count of yes,
//! list of texts, list of rows) and how answers are shown in tables and exports.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{format_value, Aggregation, Column, Kind, Value};

/// The combined answer of many units for one indicator.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Aggregate {
    Number(f64),
    Count(i64),
    /// (unit name, text) in the order given.
    Texts(Vec<(String, String)>),
    /// (unit name, row) in the order given.
    Rows(Vec<(String, BTreeMap<String, Value>)>),
    /// Nobody answered.
    Empty,
}

impl Aggregate {
    /// As shown in tables and exports.
    pub fn display(&self) -> String {
        match self {
            Aggregate::Number(x) => format_value(*x),
            Aggregate::Count(n) => crate::text::format_number(*n),
            Aggregate::Texts(t) => t
                .iter()
                .map(|(u, s)| format!("{u}: {s}"))
                .collect::<Vec<_>>()
                .join("\n"),
            Aggregate::Rows(r) => r
                .iter()
                .map(|(u, row)| format!("{u}: {}", display_row(row)))
                .collect::<Vec<_>>()
                .join("\n"),
            Aggregate::Empty => "—".to_string(),
        }
    }

    /// As [`Aggregate::display`], with a table's cells in the order of its columns.
    pub fn display_for(&self, kind: &Kind) -> String {
        match (self, kind) {
            (Aggregate::Rows(r), Kind::Table { columns }) => r
                .iter()
                .map(|(u, row)| format!("{u}: {}", row_in_order(columns, row)))
                .collect::<Vec<_>>()
                .join("\n"),
            _ => self.display(),
        }
    }
}

/// An answer as shown to people, with a table's cells in the order of its columns.
pub fn display_for(kind: &Kind, v: &Value) -> String {
    match (kind, v) {
        (Kind::Table { columns }, Value::Rows(rows)) => rows
            .iter()
            .map(|r| row_in_order(columns, r))
            .collect::<Vec<_>>()
            .join("\n"),
        _ => display_value(v),
    }
}

/// A table row's cells in column order (blank cells shown as "—"), joined by ` – `.
fn row_in_order(columns: &[Column], row: &BTreeMap<String, Value>) -> String {
    columns
        .iter()
        .map(|c| row.get(&c.code).map_or("—".to_string(), display_value))
        .collect::<Vec<_>>()
        .join(" – ")
}

/// An answer as shown in tables and exports: `1.414`, `12,5`, `Có`/`Không`, the text as
/// typed; a table's rows one per line, cells joined by ` – `.
pub fn display_value(v: &Value) -> String {
    match v {
        Value::Int(n) => crate::text::format_number(*n),
        Value::Dec(x) => format_value(*x),
        Value::Bool(true) => "Có".to_string(),
        Value::Bool(false) => "Không".to_string(),
        Value::Text(t) => t.clone(),
        Value::Rows(rows) => rows.iter().map(display_row).collect::<Vec<_>>().join("\n"),
    }
}

/// One table row's filled cells, in column-code order, joined by ` – `.
fn display_row(row: &BTreeMap<String, Value>) -> String {
    row.values()
        .map(display_value)
        .collect::<Vec<_>>()
        .join(" – ")
}

/// The total of each numeric (integer or decimal) column over `rows` (unit name, row),
/// by column code; a column with no number in any row has no total.
pub fn column_totals(
    columns: &[Column],
    rows: &[(String, BTreeMap<String, Value>)],
) -> BTreeMap<String, f64> {
    columns
        .iter()
        .filter(|c| matches!(c.kind, Kind::Integer | Kind::Decimal))
        .filter_map(|c| {
            let numbers: Vec<f64> = rows
                .iter()
                .filter_map(|(_, row)| row.get(&c.code).and_then(Value::as_f64))
                .collect();
            (!numbers.is_empty()).then(|| (c.code.clone(), numbers.iter().sum()))
        })
        .collect()
}

/// Combines the answers of many units (unit name, value) by the indicator's rule.
pub fn aggregate(rule: Aggregation, answers: &[(String, Value)]) -> Aggregate {
    let numbers: Vec<f64> = answers.iter().filter_map(|(_, v)| v.as_f64()).collect();
    match rule {
        Aggregation::Sum if !numbers.is_empty() => Aggregate::Number(numbers.iter().sum()),
        Aggregation::Average if !numbers.is_empty() => {
            Aggregate::Number(numbers.iter().sum::<f64>() / numbers.len() as f64)
        }
        Aggregation::Min if !numbers.is_empty() => {
            Aggregate::Number(numbers.iter().copied().fold(f64::INFINITY, f64::min))
        }
        Aggregation::Max if !numbers.is_empty() => {
            Aggregate::Number(numbers.iter().copied().fold(f64::NEG_INFINITY, f64::max))
        }
        Aggregation::CountYes => Aggregate::Count(
            answers
                .iter()
                .filter(|(_, v)| *v == Value::Bool(true))
                .count() as i64,
        ),
        Aggregation::ListTexts => {
            let texts: Vec<(String, String)> = answers
                .iter()
                .filter_map(|(u, v)| match v {
                    Value::Text(t) if !t.is_empty() => Some((u.clone(), t.clone())),
                    _ => None,
                })
                .collect();
            if texts.is_empty() {
                Aggregate::Empty
            } else {
                Aggregate::Texts(texts)
            }
        }
        Aggregation::ListRows => {
            let rows: Vec<(String, BTreeMap<String, Value>)> = answers
                .iter()
                .flat_map(|(u, v)| match v {
                    Value::Rows(rows) => rows.iter().map(|r| (u.clone(), r.clone())).collect(),
                    _ => Vec::new(),
                })
                .collect();
            if rows.is_empty() {
                Aggregate::Empty
            } else {
                Aggregate::Rows(rows)
            }
        }
        _ => Aggregate::Empty,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reporting::fixtures::{columns, hoi_nghi};

    #[test]
    fn tables_show_their_cells_in_column_order() {
        let col = |code: &str, kind: Kind| Column {
            code: code.into(),
            label: code.into(),
            kind,
            unit: String::new(),
            required: false,
            min: None,
            max: None,
        };
        let kind = Kind::Table {
            columns: vec![col("z_ten", Kind::Text), col("a_so", Kind::Integer)],
        };
        let row: BTreeMap<String, Value> = [
            ("z_ten".to_string(), Value::Text("Ấp Bàu Khai".into())),
            ("a_so".to_string(), Value::Int(1414)),
        ]
        .into_iter()
        .collect();
        let half: BTreeMap<String, Value> =
            [("a_so".to_string(), Value::Int(3))].into_iter().collect();
        let v = Value::Rows(vec![row.clone(), half]);
        assert_eq!(display_for(&kind, &v), "Ấp Bàu Khai – 1.414\n— – 3");
        assert_eq!(display_for(&Kind::Integer, &Value::Int(1414)), "1.414");
        let agg = Aggregate::Rows(vec![("Xã An Lập".into(), row)]);
        assert_eq!(agg.display_for(&kind), "Xã An Lập: Ấp Bàu Khai – 1.414");
    }

    #[test]
    fn answers_of_many_units_are_aggregated_by_rule() {
        let v = |u: &str, v: Value| (u.to_string(), v);
        let nums = [
            v("Xã An Lập", Value::Int(10)),
            v("Xã Long Hòa", Value::Int(30)),
            v("Xã Minh Hòa", Value::Dec(5.0)),
        ];
        assert_eq!(aggregate(Aggregation::Sum, &nums), Aggregate::Number(45.0));
        assert_eq!(
            aggregate(Aggregation::Average, &nums),
            Aggregate::Number(15.0)
        );
        assert_eq!(aggregate(Aggregation::Min, &nums), Aggregate::Number(5.0));
        assert_eq!(aggregate(Aggregation::Max, &nums), Aggregate::Number(30.0));
        assert_eq!(aggregate(Aggregation::Sum, &[]), Aggregate::Empty);
        let yes = [
            v("A", Value::Bool(true)),
            v("B", Value::Bool(false)),
            v("C", Value::Bool(true)),
        ];
        assert_eq!(aggregate(Aggregation::CountYes, &yes), Aggregate::Count(2));
        let texts = [
            v("Xã An Lập", Value::Text("Đã họp dân".into())),
            v("Xã Long Hòa", Value::Text(String::new())),
        ];
        let t = aggregate(Aggregation::ListTexts, &texts);
        assert_eq!(t.display(), "Xã An Lập: Đã họp dân");
        assert_eq!(Aggregate::Number(1414.0).display(), "1.414");
    }

    #[test]
    fn table_rows_of_many_units_are_listed_and_totalled() {
        let r = |n: i64, x: f64, online: bool| -> BTreeMap<String, Value> {
            [
                ("so_nguoi".to_string(), Value::Int(n)),
                ("truc_tuyen".to_string(), Value::Bool(online)),
                ("ty_le".to_string(), Value::Dec(x)),
            ]
            .into_iter()
            .collect()
        };
        let answers = [
            (
                "Xã An Lập".to_string(),
                Value::Rows(vec![r(1414, 12.5, true), r(30, 50.0, false)]),
            ),
            ("Xã Long Hòa".to_string(), Value::Int(3)),
            (
                "Xã Minh Hòa".to_string(),
                Value::Rows(vec![r(6, 0.25, false)]),
            ),
        ];
        let agg = aggregate(Aggregation::ListRows, &answers);
        let Aggregate::Rows(rows) = &agg else {
            panic!("{agg:?}");
        };
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[2].0, "Xã Minh Hòa");
        assert_eq!(
            agg.display(),
            "Xã An Lập: 1.414 – Có – 12,5\nXã An Lập: 30 – Không – 50\nXã Minh Hòa: 6 – Không – 0,25"
        );
        assert_eq!(aggregate(Aggregation::ListRows, &[]), Aggregate::Empty);
        assert_eq!(
            aggregate(Aggregation::ListRows, &answers[1..2]),
            Aggregate::Empty
        );
        let totals = column_totals(&columns(&hoi_nghi()), rows);
        assert_eq!(totals.len(), 2, "only numeric columns with numbers");
        assert_eq!(totals["so_nguoi"], 1450.0);
        assert!((totals["ty_le"] - 62.75).abs() < 1e-9);
        assert_eq!(
            display_value(&Value::Rows(vec![r(2, 1.0, true)])),
            "2 – Có – 1"
        );
        assert_eq!(display_value(&Value::Int(1414)), "1.414");
        assert_eq!(display_value(&Value::Dec(12.5)), "12,5");
        assert_eq!(display_value(&Value::Bool(false)), "Không");
        assert_eq!(display_value(&Value::Text("Đã họp".into())), "Đã họp");
        assert_eq!(Value::Rows(Vec::new()).as_f64(), None);
    }
}
