//! The template the editor's tests share.

use crate::reporting::{
    Aggregation, Column, Compare, CrossRule, Indicator, Kind, Section, Source, TemplateBody,
};

pub fn sample() -> TemplateBody {
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
                    Indicator::new(
                        "muc_do",
                        "Mức độ",
                        Kind::Choice {
                            choices: vec!["Tốt".into(), "Khá".into()],
                        },
                        Aggregation::ListTexts,
                    ),
                    Indicator::new(
                        "ds",
                        "Danh sách",
                        Kind::Table {
                            columns: vec![Column {
                                unit: "người".into(),
                                required: true,
                                min: Some(0.0),
                                ..Column::new("so_nguoi", "Số người", Kind::Integer)
                            }],
                        },
                        Aggregation::ListRows,
                    ),
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
