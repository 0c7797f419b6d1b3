//! What an editor submits for a document, and the one check of it: every reason a
//! document is refused, tagged by the field it is about (shown beside the field).

use time::Date;

use super::{valid_number, KINDS, STATUSES};
use crate::text::clean_line;

/// A document as submitted, parsed at the edge (dates read, the unit chosen).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocumentInput {
    pub unit_id: i64,
    pub number: String,
    pub kind: String,
    pub issuer: String,
    pub issued_on: Option<Date>,
    pub effective_on: Option<Date>,
    pub signer: String,
    pub field: String,
    pub summary: String,
    pub status: String,
}

/// Why a document cannot be saved, field by field (empty when it can).
pub fn refusals(d: &DocumentInput) -> Vec<(&'static str, String)> {
    let mut refused = Vec::new();
    if !valid_number(&d.number) {
        refused.push((
            "number",
            "Số ký hiệu cần có số, tối đa 50 ký tự (ví dụ 22/KH-UBND).".into(),
        ));
    }
    if !KINDS.iter().any(|k| k.0 == d.kind) {
        refused.push(("kind", "Hãy chọn loại văn bản.".into()));
    }
    if clean_line(&d.issuer).is_empty() {
        refused.push(("issuer", "Hãy nhập cơ quan ban hành.".into()));
    }
    if d.issued_on.is_none() {
        refused.push(("issued_on", "Hãy nhập ngày (dd/mm/yyyy).".into()));
    }
    let summary = clean_line(&d.summary);
    if summary.is_empty() || summary.chars().count() > 2000 {
        refused.push((
            "summary",
            "Trích yếu không được để trống và không quá 2.000 ký tự.".into(),
        ));
    }
    if !STATUSES.iter().any(|s| s.0 == d.status) {
        refused.push(("status", "Hãy chọn tình trạng.".into()));
    }
    refused
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_refused_field_by_field() {
        let fields: Vec<_> = refusals(&DocumentInput::default())
            .into_iter()
            .map(|(f, _)| f)
            .collect();
        assert_eq!(
            fields,
            ["number", "kind", "issuer", "issued_on", "summary", "status"]
        );
        let ok = DocumentInput {
            unit_id: 1,
            number: "22/KH-UBND".into(),
            kind: "ke-hoach".into(),
            issuer: "UBND xã".into(),
            issued_on: Date::from_calendar_date(2024, time::Month::January, 10).ok(),
            summary: "Kế hoạch".into(),
            status: "in_force".into(),
            ..Default::default()
        };
        assert!(refusals(&ok).is_empty());
    }
}
