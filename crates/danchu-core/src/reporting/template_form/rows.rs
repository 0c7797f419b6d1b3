//! A template as the editor's rows, and the rows posted back by the form.

use std::collections::BTreeMap;

use super::{code_of, kind_code, Row, RuleRow};
use crate::reporting::{Column, Indicator, Kind, Source, TemplateBody};

/// A bound as the editor shows it: `1000000`, `12,5` (no thousands dots).
fn number(x: Option<f64>) -> String {
    x.map(|v| crate::reporting::format_value(v).replace('.', ""))
        .unwrap_or_default()
}

/// A table's columns as the editor writes them: one per line, `code; label; kind; unit`
/// and `; *` when required.
fn columns_text(columns: &[Column]) -> String {
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
        .join("\n")
}

/// The editor's row of one indicator of section `section`.
fn row_of(section: &str, i: &Indicator) -> Row {
    let (choices, columns) = match &i.kind {
        Kind::Choice { choices } => (choices.join("\n"), String::new()),
        Kind::Table { columns } => (String::new(), columns_text(columns)),
        _ => (String::new(), String::new()),
    };
    Row {
        section: section.to_string(),
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
    }
}

/// The editor's rows of a template.
pub fn rows_of(body: &TemplateBody) -> (Vec<Row>, Vec<RuleRow>) {
    let rows = body
        .sections
        .iter()
        .flat_map(|s| s.indicators.iter().map(|i| row_of(&s.title, i)))
        .collect();
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
    use crate::reporting::template_form::body_of;

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
