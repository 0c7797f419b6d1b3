//! The answers of an API call as the form fields a reporter would type, so the API and
//! the admin form share one reading and one validation (`danchu_core::reporting`). What
//! the API can send beyond what a form can is refused here, by field: a table of more than
//! [`MAX_ROWS`] rows, a column its table does not have, a text over [`MAX_TYPED`]
//! characters, an indicator the template does not have.

use std::collections::BTreeMap;

use danchu_core::reporting::{cell_key, Kind, TemplateBody, MAX_ROWS, MAX_TYPED};
use serde_json::Value as JsonValue;

use crate::api::ApiError;

/// One answer as the text a reporter would type: numbers the Vietnamese way (decimal
/// comma), yes/no as Có/Không.
fn as_typed(v: &JsonValue) -> Option<String> {
    match v {
        JsonValue::Null => Some(String::new()),
        JsonValue::String(s) => Some(s.clone()),
        JsonValue::Bool(b) => Some(if *b { "Có" } else { "Không" }.into()),
        JsonValue::Number(n) => Some(match n.as_i64() {
            Some(i) => i.to_string(),
            None => n.as_f64()?.to_string().replace('.', ","),
        }),
        _ => None,
    }
}

/// Reads one value into `typed` under `key`, or says why not.
fn put(
    typed: &mut BTreeMap<String, String>,
    errors: &mut Vec<(String, String)>,
    key: String,
    label: &str,
    v: &JsonValue,
) {
    match as_typed(v) {
        Some(t) if t.chars().count() > MAX_TYPED => errors.push((
            key,
            format!(
                "“{label}”: dài quá {} ký tự.",
                danchu_core::text::format_number(MAX_TYPED as i64)
            ),
        )),
        Some(t) => {
            typed.insert(key, t);
        }
        None => errors.push((key, format!("“{label}”: giá trị không hợp lệ."))),
    }
}

/// The answers as typed form fields; a table is a list of rows, each an object of column
/// codes. Errors name the indicator code, or the cell (`code.row.column`).
pub fn typed_of(
    template: &TemplateBody,
    answers: &serde_json::Map<String, JsonValue>,
) -> Result<BTreeMap<String, String>, ApiError> {
    let mut typed = BTreeMap::new();
    let mut errors = Vec::new();
    let indicators = template.indicators();
    for i in &indicators {
        let Some(v) = answers.get(&i.code) else {
            continue;
        };
        match (&i.kind, v) {
            (Kind::Table { .. }, JsonValue::Array(rows)) if rows.len() > MAX_ROWS => {
                errors.push((
                    i.code.clone(),
                    format!(
                        "“{}” có nhiều nhất {MAX_ROWS} dòng (đã gửi {}).",
                        i.label,
                        danchu_core::text::format_number(rows.len() as i64)
                    ),
                ));
            }
            (Kind::Table { columns }, JsonValue::Array(rows)) => {
                for (n, row) in rows.iter().enumerate() {
                    let JsonValue::Object(cells) = row else {
                        errors.push((
                            i.code.clone(),
                            format!("“{}”: mỗi dòng là một đối tượng JSON.", i.label),
                        ));
                        break;
                    };
                    for (col, cell) in cells {
                        let key = cell_key(&i.code, n, col);
                        if !columns.iter().any(|c| &c.code == col) {
                            errors.push((key, format!("Bảng “{}” không có cột “{col}”.", i.label)));
                            continue;
                        }
                        let label = format!("{}, dòng {}", i.label, n + 1);
                        put(&mut typed, &mut errors, key, &label, cell);
                    }
                }
            }
            (Kind::Table { .. }, _) => errors.push((
                i.code.clone(),
                format!("“{}” là bảng: hãy gửi danh sách các dòng.", i.label),
            )),
            (_, v) => put(&mut typed, &mut errors, i.code.clone(), &i.label, v),
        }
    }
    for k in answers.keys() {
        if !indicators.iter().any(|i| &i.code == k) {
            errors.push((k.clone(), format!("Mẫu báo cáo không có chỉ tiêu “{k}”.")));
        }
    }
    if errors.is_empty() {
        Ok(typed)
    } else {
        Err(ApiError::Invalid(errors))
    }
}
