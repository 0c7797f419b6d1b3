//! What an editor submits for a banner, and the one check of it, by field.

use time::Date;

/// A banner as submitted, parsed at the edge (its days read).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BannerInput {
    pub unit_id: i64,
    pub title: String,
    pub link_url: String,
    /// First and last days it is shown (none: from always, until always).
    pub valid_from: Option<Date>,
    pub valid_to: Option<Date>,
    pub position: i64,
}

/// Why a name (of a category, a link, a banner) is refused, if it is.
pub fn name_error(name: &str) -> Option<&'static str> {
    let n = crate::text::clean_line(name).chars().count();
    (n == 0 || n > 200).then_some("Tên không được để trống và không quá 200 ký tự.")
}

/// Why a link address is refused.
pub const URL_ERROR: &str =
    "Địa chỉ liên kết phải bắt đầu bằng https://, http:// hoặc / và không chứa khoảng trắng.";

/// Why a banner cannot be saved, field by field (empty when it can).
pub fn refusals(b: &BannerInput) -> Vec<(&'static str, String)> {
    let mut refused = Vec::new();
    if let Some(m) = name_error(&b.title) {
        refused.push(("banner_title", m.to_string()));
    }
    if !crate::html::safe_url(&b.link_url) {
        refused.push(("banner_url", URL_ERROR.to_string()));
    }
    if let (Some(from), Some(to)) = (b.valid_from, b.valid_to) {
        if from > to {
            refused.push((
                "valid_to",
                "Ngày kết thúc phải sau ngày bắt đầu.".to_string(),
            ));
        }
    }
    refused
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn banners_are_refused_field_by_field() {
        let b = BannerInput {
            link_url: "javascript:alert(1)".into(),
            valid_from: Some(date!(2024 - 05 - 02)),
            valid_to: Some(date!(2024 - 05 - 01)),
            ..Default::default()
        };
        let fields: Vec<_> = refusals(&b).into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["banner_title", "banner_url", "valid_to"]);
        let ok = BannerInput {
            title: "Tuyên truyền".into(),
            link_url: "/bai-viet/x".into(),
            ..Default::default()
        };
        assert!(refusals(&ok).is_empty());
    }
}
