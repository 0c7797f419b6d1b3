//! Documents (văn bản): kinds, statuses, relations, and how a number and symbol such as
//! `22/KH-UBND` is kept exactly yet found however it is typed.

mod input;

pub use input::{refusals, DocumentInput};

/// Kinds of documents (code, Vietnamese name).
pub const KINDS: &[(&str, &str)] = &[
    ("luat", "Luật"),
    ("nghi-dinh", "Nghị định"),
    ("ke-hoach", "Kế hoạch"),
    ("quyet-dinh", "Quyết định"),
    ("cong-van", "Công văn"),
    ("bao-cao", "Báo cáo"),
    ("thong-bao", "Thông báo"),
    ("nghi-quyet", "Nghị quyết"),
    ("chi-thi", "Chỉ thị"),
    ("to-trinh", "Tờ trình"),
    ("huong-dan", "Hướng dẫn"),
    ("quy-che", "Quy chế"),
];

/// Statuses (code, Vietnamese name).
pub const STATUSES: &[(&str, &str)] = &[
    ("in_force", "Còn hiệu lực"),
    ("expired", "Hết hiệu lực"),
    ("replaced", "Bị thay thế"),
];

/// How one document relates to another (code, Vietnamese name, name seen from the other).
pub const RELATIONS: &[(&str, &str, &str)] = &[
    ("replaces", "Thay thế văn bản", "Bị thay thế bởi"),
    (
        "amends",
        "Sửa đổi, bổ sung văn bản",
        "Được sửa đổi, bổ sung bởi",
    ),
];

pub fn kind_name(code: &str) -> &'static str {
    KINDS
        .iter()
        .find(|k| k.0 == code)
        .map(|k| k.1)
        .unwrap_or("Văn bản")
}

pub fn status_name(code: &str) -> &'static str {
    STATUSES
        .iter()
        .find(|k| k.0 == code)
        .map(|k| k.1)
        .unwrap_or("")
}

/// The key a number and symbol is found by: folded, without spaces (`22/kh-ubnd`).
pub fn number_key(number: &str) -> String {
    crate::text::fold(number)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// Checks a number and symbol: 1–50 characters, a digit in it, no control characters.
pub fn valid_number(number: &str) -> bool {
    let n = number.trim();
    !n.is_empty()
        && n.chars().count() <= 50
        && n.chars().any(|c| c.is_ascii_digit())
        && !n.chars().any(|c| c.is_control())
}

/// Whether a query looks like a document number (a digit and a `/`).
pub fn looks_like_number(query: &str) -> bool {
    let q = query.trim();
    q.contains('/') && q.chars().any(|c| c.is_ascii_digit()) && !q.contains(' ')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_kept_and_found() {
        assert_eq!(number_key("22/KH-UBND"), "22/kh-ubnd");
        assert_eq!(number_key(" 22 / kh-ubnd "), "22/kh-ubnd");
        assert_eq!(number_key("05-CT/TW"), "05-ct/tw");
        assert_eq!(number_key("123/QĐ-UBND"), "123/qd-ubnd");
        assert!(valid_number("22/KH-UBND"));
        assert!(!valid_number("KH-UBND"));
        assert!(!valid_number(""));
        assert!(looks_like_number("22/kh-ubnd"));
        assert!(!looks_like_number("dân chủ"));
        assert_eq!(kind_name("ke-hoach"), "Kế hoạch");
        assert_eq!(status_name("replaced"), "Bị thay thế");
    }
}
