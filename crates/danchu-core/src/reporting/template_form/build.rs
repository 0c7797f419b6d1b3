//! The editor's rows back into a template, with errors keyed `i{n}_{field}` / `r{n}`.

use super::rows::source_of;
use super::{from_code, Row, RuleRow};
use crate::reporting::{
    parse_decimal, Aggregation, Column, Compare, CrossRule, Indicator, Kind, Section, TemplateBody,
};

/// A code is lower-case letters, digits and `_`, starting with a letter.
fn valid_code(c: &str) -> bool {
    c.chars().next().is_some_and(|f| f.is_ascii_lowercase())
        && c.len() <= 40
        && c.chars()
            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_')
}

fn simple_kind(code: &str) -> Option<Kind> {
    match code.trim() {
        "integer" => Some(Kind::Integer),
        "decimal" => Some(Kind::Decimal),
        "yes_no" => Some(Kind::YesNo),
        "text" => Some(Kind::Text),
        _ => None,
    }
}

fn parse_columns(text: &str) -> Result<Vec<Column>, String> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let parts: Vec<&str> = line.split(';').map(str::trim).collect();
        let code = parts.first().copied().unwrap_or("");
        let label = parts.get(1).copied().unwrap_or("");
        if !valid_code(code) || label.is_empty() {
            return Err(format!(
                "Cột dòng {}: cần “mã; tên; kiểu; đơn vị”, mã chỉ gồm chữ thường không dấu, số và “_”.",
                n + 1
            ));
        }
        let kind = simple_kind(parts.get(2).copied().unwrap_or("text"))
            .ok_or_else(|| format!("Cột “{label}”: kiểu là integer, decimal, yes_no hoặc text."))?;
        let numeric = matches!(kind, Kind::Integer | Kind::Decimal);
        out.push(Column {
            code: code.into(),
            label: crate::text::clean_line(label),
            kind,
            unit: crate::text::clean_line(parts.get(3).copied().unwrap_or("")),
            required: parts.get(4).is_some_and(|p| *p == "*"),
            min: numeric.then_some(0.0),
            max: None,
        });
    }
    Ok(out)
}

/// Errors of the editor's form: (field key, Vietnamese message).
type Errors = Vec<(String, String)>;

/// Builds a template from the editor's rows. Rows with neither code nor label are
/// ignored (that is how an indicator is removed); rows with the same section title next
/// to each other form one section. Errors are keyed `i{n}_{field}` / `r{n}` (0-based).
pub fn body_of(rows: &[Row], rules: &[RuleRow]) -> Result<TemplateBody, Errors> {
    let mut errors = Vec::new();
    let sections = sections_of(rows, &mut errors);
    let cross = rules_of(rules, &mut errors);
    if sections.is_empty() {
        errors.push(("i0_code".into(), "Mẫu cần ít nhất một chỉ tiêu.".into()));
    }
    let body = TemplateBody {
        sections,
        rules: cross,
    };
    if errors.is_empty() {
        // Whole-template problems (duplicate codes, rules on unknown or non-numeric
        // indicators, table aggregation) are reported at the top.
        errors.extend(body.problems().into_iter().map(|m| (String::new(), m)));
    }
    if errors.is_empty() {
        Ok(body)
    } else {
        Err(errors)
    }
}

/// The indicators of the rows, neighbours with the same section title in one section.
fn sections_of(rows: &[Row], errors: &mut Errors) -> Vec<Section> {
    let mut sections: Vec<Section> = Vec::new();
    for (n, r) in rows.iter().enumerate() {
        let Some(indicator) = indicator_of(n, r, errors) else {
            continue;
        };
        let title = crate::text::clean_line(&r.section);
        match sections.last_mut() {
            Some(s) if s.title == title => s.indicators.push(indicator),
            _ => sections.push(Section {
                title,
                indicators: vec![indicator],
            }),
        }
    }
    sections
}

/// The indicator of row `n`; `None` for a row with neither code nor label. Each field's
/// mistake is added to `errors`, keyed `i{n}_{field}`.
fn indicator_of(n: usize, r: &Row, errors: &mut Errors) -> Option<Indicator> {
    let code = r.code.trim();
    let label = crate::text::clean_line(&r.label);
    if code.is_empty() && label.is_empty() {
        return None;
    }
    let mut err = |field: &str, m: String| errors.push((format!("i{n}_{field}"), m));
    if !valid_code(code) {
        err(
            "code",
            format!(
                "Chỉ tiêu {}: mã chỉ gồm chữ thường không dấu, số và “_”, bắt đầu bằng chữ (ví dụ so_cuoc_hop).",
                n + 1
            ),
        );
    }
    if label.is_empty() {
        err(
            "label",
            format!("Chỉ tiêu {}: hãy nhập tên chỉ tiêu.", n + 1),
        );
    }
    let kind = kind_of(r, &label, &mut err);
    let min = bound(&r.min, &label).unwrap_or_else(|m| {
        err("min", m);
        None
    });
    let max = bound(&r.max, &label).unwrap_or_else(|m| {
        err("max", m);
        None
    });
    let aggregation = from_code::<Aggregation>(&r.aggregation).unwrap_or_else(|| {
        err("aggregation", format!("“{label}”: hãy chọn cách tổng hợp."));
        Aggregation::Sum
    });
    Some(Indicator {
        code: code.to_string(),
        label,
        kind,
        unit: crate::text::clean_line(&r.unit),
        required: r.required,
        min,
        max,
        aggregation,
        source: source_of(&r.source),
    })
}

/// The kind of a row's indicator, with its choices or table columns.
fn kind_of(r: &Row, label: &str, err: &mut impl FnMut(&str, String)) -> Kind {
    match r.kind.as_str() {
        "choice" => {
            let choices: Vec<String> = r
                .choices
                .split(['\n', ';'])
                .map(crate::text::clean_line)
                .filter(|c| !c.is_empty())
                .collect();
            if choices.len() < 2 {
                err(
                    "choices",
                    format!("“{label}”: hãy nhập ít nhất hai phương án, mỗi phương án một dòng."),
                );
            }
            Kind::Choice { choices }
        }
        "table" => match parse_columns(&r.columns) {
            Ok(columns) => Kind::Table { columns },
            Err(m) => {
                err("columns", m);
                Kind::Table {
                    columns: Vec::new(),
                }
            }
        },
        other => simple_kind(other).unwrap_or_else(|| {
            err("kind", format!("“{label}”: hãy chọn kiểu chỉ tiêu."));
            Kind::Text
        }),
    }
}

/// A minimum or maximum as typed: none when blank, the message when it is not a number.
fn bound(s: &str, label: &str) -> Result<Option<f64>, String> {
    if s.trim().is_empty() {
        return Ok(None);
    }
    parse_decimal(s)
        .map(Some)
        .ok_or_else(|| format!("“{label}”: giới hạn “{s}” không phải là số."))
}

/// The cross-field rules of the rows; a rule row left blank is ignored, one without a
/// comparison is an error keyed `r{n}`.
fn rules_of(rules: &[RuleRow], errors: &mut Errors) -> Vec<CrossRule> {
    let mut cross = Vec::new();
    for (n, r) in rules.iter().enumerate() {
        if r.left.trim().is_empty() && r.right.trim().is_empty() {
            continue;
        }
        match from_code::<Compare>(&r.op) {
            Some(op) => cross.push(CrossRule {
                left: r.left.trim().to_string(),
                op,
                right: r.right.trim().to_string(),
            }),
            None => errors.push((
                format!("r{n}"),
                format!("Quy tắc {}: hãy chọn phép so sánh.", n + 1),
            )),
        }
    }
    cross
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reporting::template_form::fixtures::sample;
    use crate::reporting::template_form::rows_of;

    #[test]
    fn a_template_survives_the_editor_unchanged() {
        let body = sample();
        let (rows, rules) = rows_of(&body);
        assert_eq!(rows.len(), 4);
        assert_eq!(rows[0].max, "1000000");
        assert_eq!(rows[3].columns, "so_nguoi; Số người; integer; người; *");
        assert_eq!(rules[0].op, "<=");
        assert_eq!(body_of(&rows, &rules), Ok(body));
    }

    #[test]
    fn editor_errors_name_the_row_and_field() {
        let (mut rows, rules) = rows_of(&sample());
        rows[0].code = "Tổng số hộ".into();
        rows[1].min = "nhiều".into();
        rows[2].choices = "Tốt".into();
        rows[3].columns = "so nguoi; Số người".into();
        let errs = body_of(&rows, &rules).unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.0.as_str()).collect();
        assert_eq!(fields, ["i0_code", "i1_min", "i2_choices", "i3_columns"]);
        assert!(errs[1].1.contains("không phải là số"));
        // A blank row removes an indicator; then the rule names an unknown one.
        let (mut rows, rules) = rows_of(&sample());
        rows[0].code.clear();
        rows[0].label.clear();
        let errs = body_of(&rows, &rules).unwrap_err();
        assert_eq!(errs[0].0, "");
        assert!(errs[0].1.contains("tong_so_ho"), "{errs:?}");
        // Duplicate codes are reported; an empty template too.
        let (mut rows, _) = rows_of(&sample());
        rows[1].code = "tong_so_ho".into();
        assert!(body_of(&rows, &[]).unwrap_err()[0].1.contains("bị trùng"));
        assert!(body_of(&[Row::default()], &[]).is_err());
    }
}
