//! Templates and typed forms the reporting tests share.

use std::collections::BTreeMap;

use super::{Aggregation, Column, Compare, CrossRule, Indicator, Kind};

pub fn template() -> (Vec<Indicator>, Vec<CrossRule>) {
    let ind = |code: &str, label: &str, kind: Kind, agg: Aggregation| Indicator {
        required: true,
        min: Some(0.0),
        ..Indicator::new(code, label, kind, agg)
    };
    (
        vec![
            ind("tong_so_ho", "Tổng số hộ", Kind::Integer, Aggregation::Sum),
            ind(
                "so_ho_tan_thanh",
                "Số hộ tán thành",
                Kind::Integer,
                Aggregation::Sum,
            ),
            Indicator {
                max: Some(100.0),
                ..ind("ty_le", "Tỷ lệ", Kind::Decimal, Aggregation::Average)
            },
            ind(
                "co_ban_ttnd",
                "Có Ban TTND",
                Kind::YesNo,
                Aggregation::CountYes,
            ),
            Indicator {
                required: false,
                ..ind("ghi_chu", "Ghi chú", Kind::Text, Aggregation::ListTexts)
            },
        ],
        vec![CrossRule {
            left: "so_ho_tan_thanh".into(),
            op: Compare::Le,
            right: "tong_so_ho".into(),
        }],
    )
}

pub fn typed(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

pub fn col(code: &str, label: &str, kind: Kind, required: bool) -> Column {
    Column {
        code: code.into(),
        label: label.into(),
        kind,
        unit: String::new(),
        required,
        min: None,
        max: None,
    }
}

pub fn hoi_nghi() -> Indicator {
    Indicator {
        code: "ds_hoi_nghi".into(),
        label: "Bảng hội nghị".into(),
        kind: Kind::Table {
            columns: vec![
                col("ngay", "Ngày", Kind::Text, true),
                Column {
                    unit: "người".into(),
                    min: Some(0.0),
                    ..col("so_nguoi", "Số người dự", Kind::Integer, true)
                },
                Column {
                    max: Some(100.0),
                    ..col("ty_le", "Tỷ lệ", Kind::Decimal, false)
                },
                col("truc_tuyen", "Trực tuyến", Kind::YesNo, false),
            ],
        },
        unit: String::new(),
        required: true,
        min: None,
        max: None,
        aggregation: Aggregation::ListRows,
        source: None,
    }
}

pub fn columns(ind: &Indicator) -> Vec<Column> {
    match &ind.kind {
        Kind::Table { columns } => columns.clone(),
        _ => Vec::new(),
    }
}
