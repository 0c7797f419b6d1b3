//! Identity: signing in and out, users and their roles, passwords, the unit's API tokens.

use super::Texts;

/// (key, Vietnamese, English)
pub const TEXTS: Texts = &[
    ("sign_in", "Đăng nhập", "Sign in"),
    ("sign_out", "Đăng xuất", "Sign out"),
    ("username", "Tên đăng nhập", "Username"),
    ("password", "Mật khẩu", "Password"),
    ("users", "Người dùng", "Users"),
    ("role", "Vai trò", "Role"),
    ("full_name", "Họ và tên", "Full name"),
    ("add_user", "Thêm người dùng", "Add user"),
    ("grant_role", "Giao vai trò", "Grant role"),
    ("signed_in_as", "Đang đăng nhập:", "Signed in as:"),
    ("api_tokens", "Khóa API của đơn vị", "Unit API tokens"),
    ("api_tokens_help", "Phần mềm của đơn vị (ví dụ phần mềm một cửa) gửi báo cáo và tiến độ nhiệm vụ qua /api/v1 với tiêu đề Authorization: Bearer <khóa>. Khóa chỉ có quyền của cán bộ báo cáo đơn vị đó.", "Your unit's software sends reports and task progress through /api/v1 with the header Authorization: Bearer <token>. A token only has the rights of the unit's reporter."),
    ("api_token_created", "Đã tạo khóa API.", "API token created."),
    ("api_token_once", "Hãy sao chép và cất giữ khóa này ngay: hệ thống chỉ lưu mã băm nên sẽ không hiển thị lại.", "Copy and keep this token now: only its hash is stored, so it will not be shown again."),
    ("api_token_name", "Tên khóa", "Token name"),
    ("api_token_create", "Tạo khóa", "Create token"),
    ("created_at", "Ngày tạo", "Created"),
    ("last_used", "Dùng lần cuối", "Last used"),
    ("revoked", "Đã thu hồi", "Revoked"),
    ("revoke", "Thu hồi", "Revoke"),
    ("no_api_tokens", "Chưa có khóa API nào.", "No API tokens yet."),
    ("change_password", "Đổi mật khẩu", "Change password"),
    ("change_password_help", "Sau khi đổi, mọi phiên đăng nhập của bạn sẽ kết thúc; hãy đăng nhập lại bằng mật khẩu mới.", "After the change every session of yours ends; sign in again with the new password."),
    ("current_password", "Mật khẩu hiện tại", "Current password"),
    ("confirm_password", "Nhập lại mật khẩu mới", "Repeat the new password"),
    ("remove", "bỏ", "remove"),
    ("lock", "Khoá", "Lock"),
    ("unlock", "Mở khoá", "Unlock"),
    ("active_state", "(đang hoạt động)", "(active)"),
    ("locked_state", "(đã khoá)", "(locked)"),
    ("unit_code", "Mã đơn vị", "Unit code"),
    ("password_min", "Mật khẩu (ít nhất 10 ký tự)", "Password (at least 10 characters)"),
];
