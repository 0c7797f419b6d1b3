//! How a typed answer is read and checked against its template: Vietnamese number
//! formats, required, min/max, choices, table rows and cross-field rules such as
//! "số hộ tán thành ≤ tổng số hộ". Errors are tied to their field, in Vietnamese.

use std::collections::BTreeMap;

use super::typed::typed_cells;
use super::{
    cell_key, format_value, parse_decimal, parse_integer, typed_rows, Column, CrossRule,
    FieldError, Indicator, Kind, Value, MAX_ROWS, MAX_TYPED,
};

/// Reads one typed answer — a plain indicator or a table cell — of `kind` and checks it
/// against `min`/`max`. `name` is how messages name the field (`“Tỷ lệ”`, or
/// `“Bảng hội nghị”, dòng 2, cột “Số người dự”`). `Ok(None)` when left blank and not
/// required; `Err` is the Vietnamese message.
fn read_field(
    kind: &Kind,
    required: bool,
    min: Option<f64>,
    max: Option<f64>,
    name: &str,
    raw: &str,
) -> Result<Option<Value>, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return if required {
            Err(format!("{name} là bắt buộc."))
        } else {
            Ok(None)
        };
    }
    if raw.chars().count() > MAX_TYPED {
        return Err(format!(
            "{name}: tối đa {} ký tự.",
            crate::text::format_number(MAX_TYPED as i64)
        ));
    }
    let value = match kind {
        Kind::Integer => Value::Int(parse_integer(raw).ok_or_else(|| {
            format!("{name} cần là số nguyên (ví dụ 1.414), không phải “{raw}”.")
        })?),
        Kind::Decimal => Value::Dec(
            parse_decimal(raw)
                .ok_or_else(|| format!("{name} cần là số (ví dụ 12,5), không phải “{raw}”."))?,
        ),
        Kind::YesNo => match crate::text::fold(raw).as_str() {
            "co" | "1" | "true" | "yes" => Value::Bool(true),
            "khong" | "0" | "false" | "no" => Value::Bool(false),
            _ => return Err(format!("{name}: hãy chọn Có hoặc Không.")),
        },
        Kind::Choice { choices } => match choices.iter().find(|c| c.as_str() == raw) {
            Some(c) => Value::Text(c.clone()),
            None => return Err(format!("{name}: hãy chọn một trong các phương án đã cho.")),
        },
        Kind::Text => Value::Text(crate::text::nfc(raw)),
        // Only a table inside a table gets here, which `TemplateBody::problems` refuses.
        Kind::Table { .. } => return Err(format!("{name}: không nhập được bảng trong bảng.")),
    };
    if let Some(x) = value.as_f64() {
        if let Some(min) = min.filter(|m| x < *m) {
            return Err(format!("{name} không được nhỏ hơn {}.", format_value(min)));
        }
        if let Some(max) = max.filter(|m| x > *m) {
            return Err(format!("{name} không được lớn hơn {}.", format_value(max)));
        }
    }
    Ok(Some(value))
}

/// Reads the rows of a table indicator: rows left entirely blank are skipped, every other
/// row's cells are read like indicators of their column's kind. `Ok(None)` when no row
/// is filled (and the table is optional); any cell error means no value at all.
fn read_table(
    ind: &Indicator,
    columns: &[Column],
    typed: &BTreeMap<String, String>,
) -> Result<Option<Vec<BTreeMap<String, Value>>>, Vec<FieldError>> {
    let mut errors = Vec::new();
    if typed_cells(typed, &ind.code)
        .iter()
        .any(|(row, v)| *row >= MAX_ROWS && !v.trim().is_empty())
    {
        errors.push(FieldError {
            code: ind.code.clone(),
            message: format!("“{}” có nhiều nhất {MAX_ROWS} dòng.", ind.label),
        });
    }
    let mut rows = Vec::new();
    for row in 0..typed_rows(typed, &ind.code) {
        let cells: Vec<(&Column, String, &str)> = columns
            .iter()
            .map(|c| {
                let key = cell_key(&ind.code, row, &c.code);
                let raw = typed.get(&key).map(String::as_str).unwrap_or("");
                (c, key, raw)
            })
            .collect();
        if cells.iter().all(|(_, _, raw)| raw.trim().is_empty()) {
            continue;
        }
        let mut cells_read = BTreeMap::new();
        for (col, key, raw) in cells {
            let name = format!("“{}”, dòng {}, cột “{}”", ind.label, row + 1, col.label);
            match read_field(&col.kind, col.required, col.min, col.max, &name, raw) {
                Ok(Some(v)) => {
                    cells_read.insert(col.code.clone(), v);
                }
                Ok(None) => {}
                Err(message) => errors.push(FieldError { code: key, message }),
            }
        }
        rows.push(cells_read);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if rows.is_empty() && ind.required {
        return Err(vec![FieldError {
            code: ind.code.clone(),
            message: format!("“{}” là bắt buộc: hãy nhập ít nhất một dòng.", ind.label),
        }]);
    }
    Ok((!rows.is_empty()).then_some(rows))
}

/// Checks what a reporter typed against the template. Returns the values read (only for
/// indicators that passed) and every error, each tied to its indicator (or, for a table,
/// to the cell's [`cell_key`]), in Vietnamese. Nothing typed is thrown away by the
/// caller: errors are shown next to the typed text.
pub fn validate(
    indicators: &[Indicator],
    rules: &[CrossRule],
    typed: &BTreeMap<String, String>,
) -> (BTreeMap<String, Value>, Vec<FieldError>) {
    let mut values = BTreeMap::new();
    let mut errors = Vec::new();
    for ind in indicators {
        match read_indicator(ind, typed) {
            Ok(Some(value)) => {
                values.insert(ind.code.clone(), value);
            }
            Ok(None) => {}
            Err(errs) => errors.extend(errs),
        }
    }
    check_rules(indicators, rules, &mut values, &mut errors);
    (values, errors)
}

/// Reads one indicator's answer: a table's rows, or a plain field. `Ok(None)` when left
/// blank and not required.
fn read_indicator(
    ind: &Indicator,
    typed: &BTreeMap<String, String>,
) -> Result<Option<Value>, Vec<FieldError>> {
    match &ind.kind {
        Kind::Table { columns } => Ok(read_table(ind, columns, typed)?.map(Value::Rows)),
        kind => {
            let raw = typed.get(&ind.code).map(String::as_str).unwrap_or("");
            let name = format!("“{}”", ind.label);
            read_field(kind, ind.required, ind.min, ind.max, &name, raw).map_err(|message| {
                vec![FieldError {
                    code: ind.code.clone(),
                    message,
                }]
            })
        }
    }
}

/// Checks the cross-field rules on the values read: a rule that does not hold is an
/// error on its left indicator, whose value is then dropped. A rule naming a missing or
/// wrong value is skipped (that value already has its own error).
fn check_rules(
    indicators: &[Indicator],
    rules: &[CrossRule],
    values: &mut BTreeMap<String, Value>,
    errors: &mut Vec<FieldError>,
) {
    let label = |code: &str| {
        indicators
            .iter()
            .find(|i| i.code == code)
            .map(|i| i.label.clone())
            .unwrap_or_else(|| code.to_string())
    };
    for r in rules {
        let (Some(a), Some(b)) = (
            values.get(&r.left).and_then(Value::as_f64),
            values.get(&r.right).and_then(Value::as_f64),
        ) else {
            continue; // a missing or wrong value already has its own error
        };
        if !r.op.holds(a, b) {
            errors.push(FieldError {
                code: r.left.clone(),
                message: format!(
                    "“{}” ({}) {} “{}” ({}).",
                    label(&r.left),
                    format_value(a),
                    r.op.words_vi(),
                    label(&r.right),
                    format_value(b)
                ),
            });
            values.remove(&r.left);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reporting::fixtures::{hoi_nghi, template, typed};

    #[test]
    fn answers_are_checked_per_field_in_vietnamese() {
        let (inds, rules) = template();
        let (values, errors) = validate(
            &inds,
            &rules,
            &typed(&[
                ("tong_so_ho", "1.200"),
                ("so_ho_tan_thanh", "1.050"),
                ("ty_le", "87,5"),
                ("co_ban_ttnd", "Có"),
            ]),
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(values["tong_so_ho"], Value::Int(1200));
        assert_eq!(values["ty_le"], Value::Dec(87.5));
        assert_eq!(values["co_ban_ttnd"], Value::Bool(true));
        // Every kind of mistake names its field.
        let (_, errors) = validate(
            &inds,
            &rules,
            &typed(&[
                ("tong_so_ho", "mười"),
                ("ty_le", "120"),
                ("co_ban_ttnd", "có lẽ"),
            ]),
        );
        let by_code: BTreeMap<&str, &str> = errors
            .iter()
            .map(|e| (e.code.as_str(), e.message.as_str()))
            .collect();
        assert!(by_code["tong_so_ho"].contains("cần là số nguyên"));
        assert!(by_code["so_ho_tan_thanh"].contains("bắt buộc"));
        assert!(by_code["ty_le"].contains("không được lớn hơn 100"));
        assert!(by_code["co_ban_ttnd"].contains("Có hoặc Không"));
        assert!(!by_code.contains_key("ghi_chu"), "optional");
    }

    #[test]
    fn cross_field_rule_tan_thanh_at_most_tong_so_ho() {
        let (inds, rules) = template();
        let (values, errors) = validate(
            &inds,
            &rules,
            &typed(&[
                ("tong_so_ho", "100"),
                ("so_ho_tan_thanh", "120"),
                ("ty_le", "50"),
                ("co_ban_ttnd", "Không"),
            ]),
        );
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].code, "so_ho_tan_thanh");
        assert_eq!(
            errors[0].message,
            "“Số hộ tán thành” (120) không được lớn hơn “Tổng số hộ” (100)."
        );
        assert!(!values.contains_key("so_ho_tan_thanh"));
    }

    #[test]
    fn table_rows_are_read_and_blank_rows_skipped() {
        let ind = hoi_nghi();
        let (values, errors) = validate(
            std::slice::from_ref(&ind),
            &[],
            &typed(&[
                ("ds_hoi_nghi.0.ngay", "05/03/2024"),
                ("ds_hoi_nghi.0.so_nguoi", "1.414"),
                ("ds_hoi_nghi.0.ty_le", "87,5"),
                ("ds_hoi_nghi.0.truc_tuyen", "Có"),
                // Row 2 left blank (the form sends its empty inputs).
                ("ds_hoi_nghi.1.ngay", " "),
                ("ds_hoi_nghi.1.so_nguoi", ""),
                ("ds_hoi_nghi.2.ngay", "12/03/2024"),
                ("ds_hoi_nghi.2.so_nguoi", "30"),
            ]),
        );
        assert!(errors.is_empty(), "{errors:?}");
        let row = |cells: &[(&str, Value)]| -> BTreeMap<String, Value> {
            cells
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect()
        };
        assert_eq!(
            values["ds_hoi_nghi"],
            Value::Rows(vec![
                row(&[
                    ("ngay", Value::Text("05/03/2024".into())),
                    ("so_nguoi", Value::Int(1414)),
                    ("ty_le", Value::Dec(87.5)),
                    ("truc_tuyen", Value::Bool(true)),
                ]),
                row(&[
                    ("ngay", Value::Text("12/03/2024".into())),
                    ("so_nguoi", Value::Int(30)),
                ]),
            ])
        );
    }

    #[test]
    fn table_cell_errors_name_row_and_column() {
        let ind = hoi_nghi();
        let (values, errors) = validate(
            std::slice::from_ref(&ind),
            &[],
            &typed(&[
                ("ds_hoi_nghi.0.ngay", "05/03/2024"),
                ("ds_hoi_nghi.0.so_nguoi", "40"),
                ("ds_hoi_nghi.1.ngay", "12/03/2024"),
                ("ds_hoi_nghi.1.so_nguoi", "abc"),
                ("ds_hoi_nghi.1.ty_le", "120"),
                // Required "Ngày" missing in a row that is not blank.
                ("ds_hoi_nghi.2.so_nguoi", "12"),
            ]),
        );
        assert!(!values.contains_key("ds_hoi_nghi"), "no value with errors");
        let by_code: BTreeMap<&str, &str> = errors
            .iter()
            .map(|e| (e.code.as_str(), e.message.as_str()))
            .collect();
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert_eq!(
            by_code[cell_key("ds_hoi_nghi", 1, "so_nguoi").as_str()],
            "“Bảng hội nghị”, dòng 2, cột “Số người dự” cần là số nguyên (ví dụ 1.414), \
             không phải “abc”."
        );
        assert_eq!(
            by_code["ds_hoi_nghi.1.ty_le"],
            "“Bảng hội nghị”, dòng 2, cột “Tỷ lệ” không được lớn hơn 100."
        );
        assert_eq!(
            by_code["ds_hoi_nghi.2.ngay"],
            "“Bảng hội nghị”, dòng 3, cột “Ngày” là bắt buộc."
        );
    }

    #[test]
    fn a_required_table_needs_a_row_and_rows_are_capped() {
        let ind = hoi_nghi();
        let inds = std::slice::from_ref(&ind);
        let (values, errors) = validate(inds, &[], &typed(&[("ds_hoi_nghi.0.ngay", "")]));
        assert!(values.is_empty());
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].code, "ds_hoi_nghi");
        assert!(errors[0].message.contains("ít nhất một dòng"), "{errors:?}");
        // Optional and empty: neither value nor error.
        let optional = Indicator {
            required: false,
            ..hoi_nghi()
        };
        let (values, errors) = validate(std::slice::from_ref(&optional), &[], &typed(&[]));
        assert!(values.is_empty() && errors.is_empty());
        // At most MAX_ROWS rows are read; a filled row beyond them is an error, not lost.
        let far = cell_key("ds_hoi_nghi", 100_000, "ngay");
        let blank_far = typed(&[(far.as_str(), "")]);
        assert_eq!(typed_rows(&blank_far, "ds_hoi_nghi"), MAX_ROWS);
        let mut many: BTreeMap<String, String> = (0..MAX_ROWS)
            .flat_map(|r| {
                [
                    (
                        cell_key("ds_hoi_nghi", r, "ngay"),
                        format!("{}/3", r % 28 + 1),
                    ),
                    (cell_key("ds_hoi_nghi", r, "so_nguoi"), r.to_string()),
                ]
            })
            .collect();
        let (values, errors) = validate(inds, &[], &many);
        assert!(errors.is_empty(), "{errors:?}");
        assert!(matches!(&values["ds_hoi_nghi"], Value::Rows(r) if r.len() == MAX_ROWS));
        many.insert(cell_key("ds_hoi_nghi", MAX_ROWS, "ngay"), "1/4".into());
        let (values, errors) = validate(inds, &[], &many);
        assert!(values.is_empty());
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].code, "ds_hoi_nghi");
        assert!(
            errors[0].message.contains("nhiều nhất 200 dòng"),
            "{errors:?}"
        );
    }
}
