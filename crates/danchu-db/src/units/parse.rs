//! Reading an import file (the official list as JSON, or CSV) into rows, each error
//! naming where it is.

use super::edit::check;
use danchu_core::text::clean_line;
use danchu_core::units::{normal_code, UnitKind};

/// One unit read from an import file, with where it was found.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRow {
    pub code: String,
    pub name: String,
    pub kind: UnitKind,
    /// The parent's code as the file writes it; [`order_rows`](super::order_rows) replaces it with the
    /// parent's stored code (see `resolve_parent`).
    pub parent_code: Option<String>,
    /// "line 12" or "$[3].wards[7]".
    pub location: String,
}

/// A problem in an import file, naming where it is.
#[derive(Debug, thiserror::Error)]
#[error("{location}: {reason}")]
pub struct ImportError {
    pub location: String,
    pub reason: String,
}

pub(super) fn bad(location: impl Into<String>, reason: impl Into<String>) -> ImportError {
    ImportError {
        location: location.into(),
        reason: reason.into(),
    }
}

/// Parses the nested JSON of the national lists: an array of provinces (or an object with
/// such an array under `provinces`/`data`), each with `name`, `code`, `division_type`
/// and children under `wards` (and/or `districts`, which may hold `wards` themselves).
pub fn parse_json(text: &str) -> std::result::Result<Vec<ImportRow>, ImportError> {
    let v: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        bad(
            format!("dòng {}, cột {}", e.line(), e.column()),
            format!("JSON không hợp lệ: {e}"),
        )
    })?;
    let top = match &v {
        serde_json::Value::Array(a) => a,
        serde_json::Value::Object(o) => match o.get("provinces").or_else(|| o.get("data")) {
            Some(serde_json::Value::Array(a)) => a,
            _ => return Err(bad("$", "cần một mảng các tỉnh (hoặc khoá \"provinces\")")),
        },
        _ => return Err(bad("$", "cần một mảng các tỉnh")),
    };
    let mut out = Vec::new();
    for (i, p) in top.iter().enumerate() {
        walk_json(p, &format!("$[{i}]"), None, 0, &mut out)?;
    }
    Ok(out)
}

fn walk_json(
    v: &serde_json::Value,
    path: &str,
    parent: Option<&str>,
    level: usize,
    out: &mut Vec<ImportRow>,
) -> std::result::Result<(), ImportError> {
    if level > 4 {
        return Err(bad(path, "lồng quá sâu"));
    }
    let o = v
        .as_object()
        .ok_or_else(|| bad(path, "cần một đối tượng có name, code, division_type"))?;
    let text = |k: &str| -> std::result::Result<String, ImportError> {
        match o.get(k) {
            Some(serde_json::Value::String(s)) => Ok(s.clone()),
            Some(serde_json::Value::Number(n)) => Ok(n.to_string()),
            _ => Err(bad(format!("{path}.{k}"), format!("thiếu trường \"{k}\""))),
        }
    };
    let code = json_code(o.get("code"), path)?;
    let name = text("name")?;
    let dt = text("division_type")?;
    let kind = UnitKind::parse(&dt, level).ok_or_else(|| {
        bad(
            format!("{path}.division_type"),
            format!("loại đơn vị không rõ: {dt:?}"),
        )
    })?;
    if let Some((_, reason)) = check(&code, &name).into_iter().next() {
        return Err(bad(path, reason));
    }
    let code =
        normal_code(kind, &code).map_err(|e| bad(format!("{path}.code"), e.message_vi(&code)))?;
    out.push(ImportRow {
        code: code.clone(),
        name: clean_line(&name),
        kind,
        parent_code: parent.map(str::to_string),
        location: path.to_string(),
    });
    for key in ["districts", "wards"] {
        match o.get(key) {
            None | Some(serde_json::Value::Null) => {}
            Some(serde_json::Value::Array(children)) => {
                for (j, c) in children.iter().enumerate() {
                    walk_json(
                        c,
                        &format!("{path}.{key}[{j}]"),
                        Some(&code),
                        level + 1,
                        out,
                    )?;
                }
            }
            Some(_) => return Err(bad(format!("{path}.{key}"), "cần một mảng")),
        }
    }
    Ok(())
}

/// A unit's code as the file gives it. The official lists write codes as integers
/// (`4`), others as text (`"04"`): both are read as text, then padded to their level's
/// width (`normal_code`).
fn json_code(
    v: Option<&serde_json::Value>,
    path: &str,
) -> std::result::Result<String, ImportError> {
    Ok(match v {
        Some(serde_json::Value::String(s)) => s.trim().to_string(),
        Some(serde_json::Value::Number(n)) => match n.as_u64() {
            Some(n) => n.to_string(),
            None => {
                return Err(bad(
                    format!("{path}.code"),
                    format!("mã {n} không hợp lệ: cần một số nguyên không âm hoặc một chuỗi"),
                ))
            }
        },
        Some(_) => {
            return Err(bad(
                format!("{path}.code"),
                "mã cần là một số nguyên hoặc một chuỗi",
            ))
        }
        None => return Err(bad(format!("{path}.code"), "thiếu trường \"code\"")),
    })
}

/// Parses CSV with the header `code,name,kind,parent_code` (kind: our code or the
/// Vietnamese division type; parent_code may be empty). Codes are normalised per level
/// as in JSON; `parent_code` is kept as written and found by [`order_rows`](super::order_rows).
pub fn parse_csv(text: &str) -> std::result::Result<Vec<ImportRow>, ImportError> {
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = rdr
        .headers()
        .map_err(|e| bad("dòng 1", format!("CSV không hợp lệ: {e}")))?
        .clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}') == name)
    };
    let (Some(ci), Some(ni), Some(ki), Some(pi)) =
        (col("code"), col("name"), col("kind"), col("parent_code"))
    else {
        return Err(bad("dòng 1", "cần tiêu đề code,name,kind,parent_code"));
    };
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            bad(format!("dòng {line}"), format!("CSV không hợp lệ: {e}"))
        })?;
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        let loc = format!("dòng {line}");
        let get = |i: usize| rec.get(i).unwrap_or("").to_string();
        let (code, name, kind_s, parent) = (get(ci), get(ni), get(ki), get(pi));
        if let Some((_, reason)) = check(&code, &name).into_iter().next() {
            return Err(bad(loc, reason));
        }
        let level = if parent.is_empty() { 0 } else { 1 };
        let kind = UnitKind::parse(&kind_s, level)
            .ok_or_else(|| bad(&loc, format!("loại đơn vị không rõ: {kind_s:?}")))?;
        let code = normal_code(kind, &code).map_err(|e| bad(&loc, e.message_vi(&code)))?;
        out.push(ImportRow {
            code,
            name: clean_line(&name),
            kind,
            parent_code: (!parent.is_empty()).then_some(parent),
            location: loc,
        });
    }
    Ok(out)
}
