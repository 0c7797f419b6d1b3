//! User-interface language. Vietnamese is the default; English is available with
//! `?lang=en` (remembered in a cookie). Texts live in one table per page area so a
//! translator finds them in one place.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    pub fn from_code(s: &str) -> Option<Lang> {
        match s {
            "vi" => Some(Lang::Vi),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    /// Looks up a UI text; an unknown key returns the key itself so a gap is visible.
    pub fn t(self, key: &'static str) -> &'static str {
        for (k, vi, en) in TEXTS {
            if *k == key {
                return match self {
                    Lang::Vi => vi,
                    Lang::En => en,
                };
            }
        }
        key
    }
}

/// (key, Vietnamese, English)
pub const TEXTS: &[(&str, &str, &str)] = &[
    ("site_name", "Cổng thông tin điện tử", "Electronic portal"),
    ("skip", "Bỏ qua, đến nội dung chính", "Skip to main content"),
    ("home", "Trang chủ", "Home"),
    ("sign_in", "Đăng nhập", "Sign in"),
    ("sign_out", "Đăng xuất", "Sign out"),
    ("username", "Tên đăng nhập", "Username"),
    ("password", "Mật khẩu", "Password"),
    ("admin", "Quản trị", "Administration"),
    ("units", "Đơn vị hành chính", "Administrative units"),
    ("users", "Người dùng", "Users"),
    ("audit", "Nhật ký thay đổi", "Audit log"),
    ("language", "English", "Tiếng Việt"),
    ("language_code", "en", "vi"),
    ("contrast", "Độ tương phản", "Contrast"),
    ("text_size", "Cỡ chữ", "Text size"),
    ("save", "Lưu", "Save"),
    ("search", "Tìm", "Search"),
    ("filter", "Lọc", "Filter"),
    ("code", "Mã", "Code"),
    ("name", "Tên", "Name"),
    ("kind", "Loại", "Kind"),
    ("parent", "Trực thuộc", "Parent"),
    ("valid_from", "Hiệu lực từ", "Valid from"),
    ("valid_to", "Hiệu lực đến", "Valid to"),
    ("successor", "Đơn vị kế thừa", "Successor"),
    ("role", "Vai trò", "Role"),
    ("unit", "Đơn vị", "Unit"),
    ("full_name", "Họ và tên", "Full name"),
    ("time", "Thời gian", "Time"),
    ("actor", "Người thực hiện", "Actor"),
    ("action", "Hành động", "Action"),
    ("entity", "Đối tượng", "Entity"),
    ("entity_code", "Mã đối tượng", "Entity code"),
    ("before", "Trước", "Before"),
    ("after", "Sau", "After"),
    ("merge", "Sáp nhập", "Merge"),
    ("add_user", "Thêm người dùng", "Add user"),
    ("add_unit", "Thêm đơn vị", "Add unit"),
    ("grant_role", "Giao vai trò", "Grant role"),
    ("signed_in_as", "Đang đăng nhập:", "Signed in as:"),
    ("previous", "Trang trước", "Previous page"),
    ("next", "Trang sau", "Next page"),
    ("in_force", "Đang hiệu lực", "In force"),
    ("closed", "Đã giải thể/sáp nhập", "Closed/merged"),
    ("all", "Tất cả", "All"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_unique_and_translated() {
        for (i, (k, vi, en)) in TEXTS.iter().enumerate() {
            assert!(!vi.is_empty() && !en.is_empty(), "{k}");
            assert!(
                TEXTS[i + 1..].iter().all(|(k2, _, _)| k2 != k),
                "duplicate {k}"
            );
        }
        assert_eq!(Lang::Vi.t("sign_in"), "Đăng nhập");
        assert_eq!(Lang::En.t("sign_in"), "Sign in");
        assert_eq!(Lang::Vi.t("no_such_key"), "no_such_key");
    }
}
