//! The typed form: what a reporter typed, keyed by indicator code or, for a table's
//! cells, by [`cell_key`]; and what of it is kept.

use std::collections::BTreeMap;
use std::ops::Bound;

use super::{Indicator, Kind, MAX_ROWS};

/// The typed-form key of one table cell: `{code}.{row}.{col}` with `row` counted from 0
/// (`ds_hoi_nghi.0.ngay`).
pub fn cell_key(code: &str, row: usize, col: &str) -> String {
    format!("{code}.{row}.{col}")
}

/// Every typed cell of table `code`: (row, text). Only keys written as [`cell_key`]
/// writes them count (`t.01.x`, `t.+1.x` and `t.1` do not).
pub(super) fn typed_cells<'a>(
    typed: &'a BTreeMap<String, String>,
    code: &str,
) -> Vec<(usize, &'a str)> {
    let prefix = format!("{code}.");
    typed
        .range::<str, _>((Bound::Included(prefix.as_str()), Bound::Unbounded))
        .take_while(|(k, _)| k.starts_with(&prefix))
        .filter_map(|(k, v)| {
            let (row, col) = k.get(prefix.len()..)?.split_once('.')?;
            let n: usize = row.parse().ok()?;
            (!col.is_empty() && n.to_string() == row).then_some((n, v.as_str()))
        })
        .collect()
}

/// How many rows of table `code` the form holds: one more than the highest row index
/// typed (blank or not), at most [`MAX_ROWS`].
pub fn typed_rows(typed: &BTreeMap<String, String>, code: &str) -> usize {
    typed_cells(typed, code)
        .iter()
        .map(|(row, _)| row + 1)
        .max()
        .unwrap_or(0)
        .min(MAX_ROWS)
}

/// Longest text kept for one typed answer.
pub const MAX_TYPED: usize = 4000;

/// What is kept of a typed form: only the template's own fields (each indicator's code,
/// and for a table the cells of its columns in its first [`MAX_ROWS`] rows, plus one row
/// more so that an over-long table is still reported — blank rows at the end are
/// dropped), as NFC text of bounded length.
pub fn keep_fields(
    indicators: &[Indicator],
    typed: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    // One character more than allowed is kept, so the check refuses it by name instead
    // of the text being cut silently.
    let clean = |v: &String| {
        crate::text::nfc(v)
            .chars()
            .take(MAX_TYPED + 1)
            .collect::<String>()
    };
    let mut out = BTreeMap::new();
    for i in indicators {
        match &i.kind {
            Kind::Table { columns } => {
                // Blank rows after the last one with anything in it are the rows the form
                // offers for adding: not kept, so saving a form as it is changes nothing.
                let filled = typed_cells(typed, &i.code)
                    .iter()
                    .filter(|(_, v)| !v.trim().is_empty())
                    .map(|(row, _)| row + 1)
                    .max()
                    .unwrap_or(0);
                for row in 0..filled.min(MAX_ROWS + 1) {
                    for c in columns {
                        let key = cell_key(&i.code, row, &c.code);
                        if let Some(v) = typed.get(&key) {
                            out.insert(key, clean(v));
                        }
                    }
                }
            }
            _ => {
                if let Some(v) = typed.get(&i.code) {
                    out.insert(i.code.clone(), clean(v));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reporting::fixtures::typed;
    use crate::reporting::{Aggregation, Column};

    #[test]
    fn only_the_templates_fields_are_kept() {
        let col = Column::new("so", "Số", Kind::Integer);
        let table = Kind::Table { columns: vec![col] };
        let inds = vec![
            Indicator::new("t", "Bảng", table, Aggregation::ListRows),
            Indicator::new("x", "X", Kind::Text, Aggregation::ListTexts),
        ];
        let typed: BTreeMap<String, String> = [
            ("t.0.so", "1"),
            ("t.1.khac", "2"),
            ("t.2.so", "3"),
            ("x", "Hoa\u{300}"),
            ("_csrf", "abc"),
            ("y", "4"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let kept = keep_fields(&inds, &typed);
        assert_eq!(
            kept.keys().collect::<Vec<_>>(),
            ["t.0.so", "t.2.so", "x"],
            "unknown fields and columns dropped"
        );
        assert_eq!(kept["x"], "Hoà", "NFC");
        // Over-long text is not cut: one character more is kept, and the check refuses it.
        let long: BTreeMap<String, String> = [("x".to_string(), "a".repeat(5000))].into();
        assert_eq!(keep_fields(&inds, &long)["x"].len(), MAX_TYPED + 1);
    }

    #[test]
    fn table_cells_are_keyed_by_row_and_column() {
        assert_eq!(cell_key("ds_hoi_nghi", 0, "ngay"), "ds_hoi_nghi.0.ngay");
        let t = typed(&[
            ("ds_hoi_nghi.0.ngay", "x"),
            ("ds_hoi_nghi.3.so_nguoi", ""),
            ("ds_hoi_nghi.07.ngay", "not canonical"),
            ("ds_hoi_nghi.9", "no column"),
            ("ds_hoi_nghi_khac.12.ngay", "another table"),
        ]);
        assert_eq!(typed_rows(&t, "ds_hoi_nghi"), 4, "blank cells count too");
        assert_eq!(typed_rows(&t, "khong_co"), 0);
    }
}
