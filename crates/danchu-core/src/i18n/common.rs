//! The page frame and words every capability uses: the layout, the admin menu, the pager,
//! error pages, and buttons and labels shared by more than one capability.

use super::Texts;

/// (key, Vietnamese, English)
pub const TEXTS: Texts = &[
    ("site_name", "Cổng thông tin điện tử", "Electronic portal"),
    ("skip", "Bỏ qua, đến nội dung chính", "Skip to main content"),
    ("home", "Trang chủ", "Home"),
    ("admin", "Quản trị", "Administration"),
    ("language", "English", "Tiếng Việt"),
    ("language_code", "en", "vi"),
    ("save", "Lưu", "Save"),
    ("search", "Tìm", "Search"),
    ("name", "Tên", "Name"),
    ("valid_from", "Hiệu lực từ", "Valid from"),
    ("valid_to", "Hiệu lực đến", "Valid to"),
    ("unit", "Đơn vị", "Unit"),
    ("previous", "Trang trước", "Previous page"),
    ("next", "Trang sau", "Next page"),
    ("all", "Tất cả", "All"),
    ("filter", "Lọc", "Filter"),
    ("version_label", "Phiên bản", "Version"),
    ("public_page", "Trang công khai", "Public page"),
    ("due", "Thời hạn", "Due"),
    (
        "download_xlsx",
        "Tải bảng tổng hợp (XLSX)",
        "Download the consolidation (XLSX)",
    ),
    ("totals", "Kết quả tổng hợp", "Totals"),
    ("title", "Tiêu đề", "Title"),
    ("back_to_list", "Về danh sách", "Back to the list"),
    ("pages", "Phân trang", "Pages"),
    ("page", "Trang", "Page"),
    ("error_code", "Mã lỗi", "Error code"),
    (
        "footer",
        "danchu · Luật Thực hiện dân chủ ở cơ sở (Luật số 10/2022/QH15)",
        "danchu · Law on Implementing Democracy at the Grassroots (Law No. 10/2022/QH15)",
    ),
    ("from_date", "Từ ngày (dd/mm/yyyy)", "From (dd/mm/yyyy)"),
    ("to_date", "Đến ngày (dd/mm/yyyy)", "To (dd/mm/yyyy)"),
    (
        "fix_errors",
        "Vui lòng sửa các lỗi sau:",
        "Please correct the following:",
    ),
    ("status", "Trạng thái", "Status"),
];
