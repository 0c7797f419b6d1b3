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
