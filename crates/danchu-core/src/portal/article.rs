//! What an editor submits for an article, and the one check of it: every reason an
//! article is refused, tagged by the field it is about (shown beside the field).

/// An article as submitted, parsed at the edge (ids and the publication time read). Its
/// body is HTML, sanitised by the use case before it is checked and saved.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ArticleInput {
    pub unit_id: i64,
    pub category_id: i64,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub author: String,
    /// `published` or `draft`.
    pub status: String,
    pub featured: bool,
    /// Unix seconds; `None` for a draft, or "now" for an article published without one.
    pub published_at: Option<i64>,
}

/// Why a title is refused, if it is.
pub fn title_error(title: &str) -> Option<&'static str> {
    match crate::text::clean_line(title).chars().count() {
        0 => Some("Tiêu đề không được để trống."),
        n if n > 300 => Some("Tiêu đề dài quá 300 ký tự."),
        _ => None,
    }
}

/// Why an article cannot be saved, field by field (empty when it can). `body` is
/// checked as given (sanitise it first).
pub fn refusals(a: &ArticleInput) -> Vec<(&'static str, String)> {
    let mut refused = Vec::new();
    if let Some(message) = title_error(&a.title) {
        refused.push(("title", message.to_string()));
    }
    if a.summary.chars().count() > 1000 {
        refused.push(("summary", "Tóm tắt dài quá 1.000 ký tự.".to_string()));
    }
    if a.status == "published" && crate::html::to_text(&a.body).is_empty() {
        refused.push(("body", "Bài đăng cần có nội dung.".to_string()));
    }
    refused
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn articles_are_refused_field_by_field() {
        let a = ArticleInput {
            status: "published".into(),
            body: "<p> </p>".into(),
            summary: "x".repeat(1001),
            ..Default::default()
        };
        let fields: Vec<_> = refusals(&a).into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["title", "summary", "body"]);
        let draft = ArticleInput {
            title: "Tin mới".into(),
            status: "draft".into(),
            ..Default::default()
        };
        assert!(refusals(&draft).is_empty(), "a draft may be empty");
        assert_eq!(
            title_error(&"a".repeat(301)),
            Some("Tiêu đề dài quá 300 ký tự.")
        );
    }
}
