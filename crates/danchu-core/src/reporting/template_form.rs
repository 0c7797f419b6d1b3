//! The report-template editor's form (issue 5, point 2): a template is edited as rows of
//! plain fields, one row per indicator (section, code, label, kind, unit, required,
//! min/max, aggregation, choices, table columns, data source) and one per cross-field
//! rule, so it works in any browser without scripts. These functions turn a template
//! into rows and rows back into a template, with errors tied to each field, in
//! Vietnamese.

use std::collections::BTreeMap;

use crate::reporting::{
    parse_decimal, Aggregation, Column, Compare, CrossRule, Indicator, Kind, Section, Source,
    TemplateBody,
};

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

fn number(x: Option<f64>) -> String {
    x.map(|v| crate::reporting::format_value(v).replace('.', ""))
        .unwrap_or_default()
}

/// The editor's rows of a template.
pub fn rows_of(body: &TemplateBody) -> (Vec<Row>, Vec<RuleRow>) {
    let mut rows = Vec::new();
    for s in &body.sections {
        for i in &s.indicators {
            let (choices, columns) = match &i.kind {
                Kind::Choice { choices } => (choices.join("\n"), String::new()),
                Kind::Table { columns } => (
                    String::new(),
                    columns
                        .iter()
                        .map(|c| {
                            format!(
                                "{}; {}; {}; {}{}",
                                c.code,
                                c.label,
                                kind_code(&c.kind),
                                c.unit,
                                if c.required { "; *" } else { "" }
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("\n"),
                ),
                _ => (String::new(), String::new()),
            };
            rows.push(Row {
                section: s.title.clone(),
                code: i.code.clone(),
                label: i.label.clone(),
                kind: kind_code(&i.kind).to_string(),
                unit: i.unit.clone(),
                required: i.required,
                min: number(i.min),
                max: number(i.max),
                aggregation: code_of(&i.aggregation),
                choices,
                columns,
                source: source_code(&i.source),
            });
        }
    }
    let rules = body
        .rules
        .iter()
        .map(|r| RuleRow {
            left: r.left.clone(),
            op: code_of(&r.op),
            right: r.right.clone(),
        })
        .collect();
    (rows, rules)
}

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

/// The editor's code of a data source.
pub fn source_code(s: &Option<Source>) -> String {
    let with = |code: &str, c: &Option<String>| match c {
        Some(c) => format!("{code}:{c}"),
        None => code.to_string(),
    };
    match s {
        None => String::new(),
        Some(Source::ArticlesPublished { category }) => with("articles_published", category),
        Some(Source::DisclosuresPosted {
            category,
            on_time: false,
        }) => with("disclosures_posted", category),
        Some(Source::DisclosuresPosted {
            category,
            on_time: true,
        }) => with("disclosures_on_time", category),
    }
}

/// The data source of an editor code (unknown codes: none).
pub fn source_of(code: &str) -> Option<Source> {
    let (kind, category) = match code.trim().split_once(':') {
        Some((k, c)) if !c.trim().is_empty() => (k, Some(c.trim().to_string())),
        Some((k, _)) => (k, None),
        None => (code.trim(), None),
    };
    match kind {
        "articles_published" => Some(Source::ArticlesPublished { category }),
        "disclosures_posted" => Some(Source::DisclosuresPosted {
            category,
            on_time: false,
        }),
        "disclosures_on_time" => Some(Source::DisclosuresPosted {
            category,
            on_time: true,
        }),
        _ => None,
    }
}

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

/// Builds a template from the editor's rows. Rows with neither code nor label are
/// ignored (that is how an indicator is removed); rows with the same section title next
/// to each other form one section. Errors are keyed `i{n}_{field}` / `r{n}` (0-based).
pub fn body_of(rows: &[Row], rules: &[RuleRow]) -> Result<TemplateBody, Vec<(String, String)>> {
    let mut errors = Vec::new();
    let mut sections: Vec<Section> = Vec::new();
    for (n, r) in rows.iter().enumerate() {
        let code = r.code.trim();
        let label = crate::text::clean_line(&r.label);
        if code.is_empty() && label.is_empty() {
            continue;
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
        let kind = match r.kind.as_str() {
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
                        format!(
                            "“{label}”: hãy nhập ít nhất hai phương án, mỗi phương án một dòng."
                        ),
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
        };
        let mut bound = |field: &str, s: &str| -> Option<f64> {
            if s.trim().is_empty() {
                return None;
            }
            let v = parse_decimal(s);
            if v.is_none() {
                err(
                    field,
                    format!("“{label}”: giới hạn “{s}” không phải là số."),
                );
            }
            v
        };
        let min = bound("min", &r.min);
        let max = bound("max", &r.max);
        let aggregation = from_code::<Aggregation>(&r.aggregation).unwrap_or_else(|| {
            errors.push((
                format!("i{n}_aggregation"),
                format!("“{label}”: hãy chọn cách tổng hợp."),
            ));
            Aggregation::Sum
        });
        let source = source_of(&r.source);
        let indicator = Indicator {
            code: code.to_string(),
            label,
            kind,
            unit: crate::text::clean_line(&r.unit),
            required: r.required,
            min,
            max,
            aggregation,
            source,
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

/// Reads the editor's rows from the posted form (`i{n}_{field}`, `r{n}_{field}`).
pub fn rows_from_form(
    form: &BTreeMap<String, String>,
    rows: usize,
    rules: usize,
) -> (Vec<Row>, Vec<RuleRow>) {
    let get = |k: String| form.get(&k).cloned().unwrap_or_default();
    let r = (0..rows)
        .map(|n| Row {
            section: get(format!("i{n}_section")),
            code: get(format!("i{n}_code")),
            label: get(format!("i{n}_label")),
            kind: get(format!("i{n}_kind")),
            unit: get(format!("i{n}_unit")),
            required: form.contains_key(&format!("i{n}_required")),
            min: get(format!("i{n}_min")),
            max: get(format!("i{n}_max")),
            aggregation: get(format!("i{n}_aggregation")),
            choices: get(format!("i{n}_choices")),
            columns: get(format!("i{n}_columns")),
            source: get(format!("i{n}_source")),
        })
        .collect();
    let q = (0..rules)
        .map(|n| RuleRow {
            left: get(format!("r{n}_left")),
            op: get(format!("r{n}_op")),
            right: get(format!("r{n}_right")),
        })
        .collect();
    (r, q)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> TemplateBody {
        TemplateBody {
            sections: vec![
                Section {
                    title: "I. Họp".into(),
                    indicators: vec![
                        Indicator {
                            code: "tong_so_ho".into(),
                            label: "Tổng số hộ".into(),
                            kind: Kind::Integer,
                            unit: "hộ".into(),
                            required: true,
                            min: Some(0.0),
                            max: Some(1_000_000.0),
                            aggregation: Aggregation::Sum,
                            source: None,
                        },
                        Indicator {
                            code: "so_ho_tan_thanh".into(),
                            label: "Số hộ tán thành".into(),
                            kind: Kind::Integer,
                            unit: "hộ".into(),
                            required: true,
                            min: None,
                            max: None,
                            aggregation: Aggregation::Sum,
                            source: Some(Source::ArticlesPublished { category: None }),
                        },
                    ],
                },
                Section {
                    title: "II. Khác".into(),
                    indicators: vec![
                        Indicator {
                            code: "muc_do".into(),
                            label: "Mức độ".into(),
                            kind: Kind::Choice {
                                choices: vec!["Tốt".into(), "Khá".into()],
                            },
                            unit: String::new(),
                            required: false,
                            min: None,
                            max: None,
                            aggregation: Aggregation::ListTexts,
                            source: None,
                        },
                        Indicator {
                            code: "ds".into(),
                            label: "Danh sách".into(),
                            kind: Kind::Table {
                                columns: vec![Column {
                                    code: "so_nguoi".into(),
                                    label: "Số người".into(),
                                    kind: Kind::Integer,
                                    unit: "người".into(),
                                    required: true,
                                    min: Some(0.0),
                                    max: None,
                                }],
                            },
                            unit: String::new(),
                            required: false,
                            min: None,
                            max: None,
                            aggregation: Aggregation::ListRows,
                            source: None,
                        },
                    ],
                },
            ],
            rules: vec![CrossRule {
                left: "so_ho_tan_thanh".into(),
                op: Compare::Le,
                right: "tong_so_ho".into(),
            }],
        }
    }

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

    #[test]
    fn data_sources_survive_the_editor() {
        for s in [
            None,
            Some(Source::ArticlesPublished { category: None }),
            Some(Source::ArticlesPublished {
                category: Some("tin-hoat-dong".into()),
            }),
            Some(Source::DisclosuresPosted {
                category: Some("d11-02".into()),
                on_time: true,
            }),
            Some(Source::DisclosuresPosted {
                category: None,
                on_time: false,
            }),
        ] {
            assert_eq!(source_of(&source_code(&s)), s);
        }
        assert_eq!(source_of("khong_co"), None);
    }

    #[test]
    fn form_fields_become_rows() {
        let form: BTreeMap<String, String> = [
            ("i0_code", "so_cuoc_hop"),
            ("i0_label", "Số cuộc họp"),
            ("i0_kind", "integer"),
            ("i0_aggregation", "sum"),
            ("i0_required", "1"),
            ("r0_left", "a"),
            ("r0_op", "<"),
            ("r0_right", "b"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let (rows, rules) = rows_from_form(&form, 2, 1);
        assert!(rows[0].required && !rows[1].required);
        assert_eq!(rows[0].code, "so_cuoc_hop");
        assert_eq!(rules[0].op, "<");
        let body = body_of(&rows[..1], &[]).unwrap();
        assert_eq!(body.sections[0].indicators[0].kind, Kind::Integer);
    }
}
