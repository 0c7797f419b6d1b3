//! A report template's content and the problems that make it unusable.

use serde::{Deserialize, Serialize};

use super::{Aggregation, Column, CrossRule, Indicator, Kind};

/// A report template's content: its sections of indicators and its cross-field rules.
/// Stored as JSON with each template version; a version is never changed once used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TemplateBody {
    pub sections: Vec<Section>,
    #[serde(default)]
    pub rules: Vec<CrossRule>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Section {
    pub title: String,
    pub indicators: Vec<Indicator>,
}

impl TemplateBody {
    /// Every indicator, in order.
    pub fn indicators(&self) -> Vec<Indicator> {
        self.sections
            .iter()
            .flat_map(|s| s.indicators.iter().cloned())
            .collect()
    }

    /// Problems that make the template unusable (duplicate or empty codes, rules naming
    /// unknown or non-numeric indicators — a table is not numeric —, tables without
    /// proper columns, a table not listed row by row or rows listed for a non-table), in
    /// Vietnamese.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let inds = self.indicators();
        let mut seen = std::collections::BTreeSet::new();
        for i in &inds {
            if i.code.trim().is_empty() || i.label.trim().is_empty() {
                out.push("Mỗi chỉ tiêu cần có mã và tên.".to_string());
            } else if !seen.insert(i.code.as_str()) {
                out.push(format!("Mã chỉ tiêu “{}” bị trùng.", i.code));
            }
            match &i.kind {
                Kind::Table { columns } => {
                    table_problems(i, columns, &mut out);
                    if i.aggregation != Aggregation::ListRows {
                        out.push(format!(
                            "Chỉ tiêu dạng bảng “{}” chỉ tổng hợp được bằng cách liệt kê các dòng.",
                            i.label
                        ));
                    }
                }
                _ if i.aggregation == Aggregation::ListRows => out.push(format!(
                    "Chỉ tiêu “{}”: liệt kê các dòng chỉ dùng cho chỉ tiêu dạng bảng.",
                    i.label
                )),
                _ => {}
            }
        }
        let numeric = |code: &str| {
            inds.iter()
                .any(|i| i.code == code && matches!(i.kind, Kind::Integer | Kind::Decimal))
        };
        for r in &self.rules {
            for code in [&r.left, &r.right] {
                if !numeric(code) {
                    out.push(format!(
                        "Quy tắc so sánh dùng “{code}”, không phải chỉ tiêu dạng số của mẫu."
                    ));
                }
            }
        }
        out
    }
}

/// Problems of one table indicator's columns (and of its code, which prefixes its
/// cells' typed keys), in Vietnamese.
fn table_problems(ind: &Indicator, columns: &[Column], out: &mut Vec<String>) {
    let table = &ind.label;
    if ind.code.contains('.') {
        out.push(format!(
            "Mã chỉ tiêu dạng bảng “{}” không được chứa dấu chấm.",
            ind.code
        ));
    }
    if ind.source.is_some() {
        out.push(format!(
            "Chỉ tiêu dạng bảng “{table}” không lấy được số liệu có sẵn."
        ));
    }
    if columns.is_empty() {
        out.push(format!("Bảng “{table}” cần có ít nhất một cột."));
    }
    let mut codes = std::collections::BTreeSet::new();
    let mut labels = std::collections::BTreeSet::new();
    for c in columns {
        let (code, label) = (c.code.trim(), c.label.trim());
        if code.is_empty() || label.is_empty() {
            out.push(format!("Mỗi cột của bảng “{table}” cần có mã và tên."));
        } else {
            if !codes.insert(code) {
                out.push(format!("Mã cột “{code}” của bảng “{table}” bị trùng."));
            }
            if !labels.insert(label) {
                out.push(format!("Tên cột “{label}” của bảng “{table}” bị trùng."));
            }
        }
        if c.code.contains('.') {
            out.push(format!(
                "Mã cột “{}” của bảng “{table}” không được chứa dấu chấm.",
                c.code
            ));
        }
        if matches!(c.kind, Kind::Table { .. }) {
            out.push(format!(
                "Cột “{}” của bảng “{table}” không được là một bảng.",
                c.label
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reporting::fixtures::{col, hoi_nghi, template};
    use crate::reporting::{Compare, Source};

    #[test]
    fn templates_are_checked_before_use() {
        let (inds, rules) = template();
        let ok = TemplateBody {
            sections: vec![Section {
                title: "I. Kết quả".into(),
                indicators: inds.clone(),
            }],
            rules: rules.clone(),
        };
        assert!(ok.problems().is_empty(), "{:?}", ok.problems());
        let json = serde_json::to_string(&ok).unwrap();
        assert_eq!(serde_json::from_str::<TemplateBody>(&json).unwrap(), ok);
        let mut dup = ok.clone();
        dup.sections[0].indicators.push(inds[0].clone());
        dup.rules.push(CrossRule {
            left: "ghi_chu".into(),
            op: Compare::Le,
            right: "khong_co".into(),
        });
        let p = dup.problems();
        assert!(p.iter().any(|m| m.contains("bị trùng")), "{p:?}");
        assert!(p.iter().any(|m| m.contains("ghi_chu")), "{p:?}");
        assert!(p.iter().any(|m| m.contains("khong_co")), "{p:?}");
    }

    #[test]
    fn table_templates_are_checked_before_use() {
        let (inds, rules) = template();
        let body = |extra: Vec<Indicator>, rules: Vec<CrossRule>| TemplateBody {
            sections: vec![Section {
                title: "I. Kết quả".into(),
                indicators: inds.iter().cloned().chain(extra).collect(),
            }],
            rules,
        };
        let ok = body(vec![hoi_nghi()], rules.clone());
        assert!(ok.problems().is_empty(), "{:?}", ok.problems());
        let json = serde_json::to_string(&ok).unwrap();
        assert!(json.contains(r#""kind":{"type":"table","columns":[{"code":"ngay""#));
        assert_eq!(serde_json::from_str::<TemplateBody>(&json).unwrap(), ok);
        let table = |columns: Vec<Column>, aggregation: Aggregation| Indicator {
            kind: Kind::Table { columns },
            aggregation,
            ..hoi_nghi()
        };
        let problems = |extra: Vec<Indicator>, rules: Vec<CrossRule>| body(extra, rules).problems();
        let p = problems(vec![table(Vec::new(), Aggregation::ListRows)], Vec::new());
        assert_eq!(p, ["Bảng “Bảng hội nghị” cần có ít nhất một cột."]);
        let p = problems(
            vec![table(
                vec![
                    col("ngay", "Ngày", Kind::Text, true),
                    col("ngay", "Ngày họp", Kind::Text, false),
                    col("so", "Ngày", Kind::Integer, false),
                    col("", "Không mã", Kind::Text, false),
                    col("a.b", "Có chấm", Kind::Text, false),
                    col(
                        "con",
                        "Bảng con",
                        Kind::Table {
                            columns: Vec::new(),
                        },
                        false,
                    ),
                ],
                Aggregation::ListTexts,
            )],
            Vec::new(),
        );
        for want in [
            "Mã cột “ngay” của bảng “Bảng hội nghị” bị trùng.",
            "Tên cột “Ngày” của bảng “Bảng hội nghị” bị trùng.",
            "Mỗi cột của bảng “Bảng hội nghị” cần có mã và tên.",
            "Mã cột “a.b” của bảng “Bảng hội nghị” không được chứa dấu chấm.",
            "Cột “Bảng con” của bảng “Bảng hội nghị” không được là một bảng.",
            "Chỉ tiêu dạng bảng “Bảng hội nghị” chỉ tổng hợp được bằng cách liệt kê các dòng.",
        ] {
            assert!(p.iter().any(|m| m == want), "{want}: {p:?}");
        }
        assert_eq!(p.len(), 6, "{p:?}");
        // A table's code prefixes its cells' keys; danchu's own data cannot fill a table.
        let p = problems(
            vec![Indicator {
                code: "ds.hoi_nghi".into(),
                source: Some(Source::ArticlesPublished { category: None }),
                ..hoi_nghi()
            }],
            Vec::new(),
        );
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(p[0].contains("không được chứa dấu chấm"), "{p:?}");
        assert!(p[1].contains("không lấy được số liệu có sẵn"), "{p:?}");
        // Rows are listed only for tables, and a table is not a number to compare.
        let mut listed_text = inds[4].clone();
        listed_text.code = "ghi_chu_2".into();
        listed_text.aggregation = Aggregation::ListRows;
        let p = problems(
            vec![hoi_nghi(), listed_text],
            vec![CrossRule {
                left: "ds_hoi_nghi".into(),
                op: Compare::Le,
                right: "tong_so_ho".into(),
            }],
        );
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(p[0].contains("chỉ dùng cho chỉ tiêu dạng bảng"), "{p:?}");
        assert!(p[1].contains("“ds_hoi_nghi”, không phải chỉ tiêu dạng số"));
    }
}
