//! The audit log and the check of its chain.

use super::Texts;

/// (key, Vietnamese, English)
pub const TEXTS: Texts = &[
    ("audit", "Nhật ký thay đổi", "Audit log"),
    ("time", "Thời gian", "Time"),
    ("actor", "Người thực hiện", "Actor"),
    ("action", "Hành động", "Action"),
    ("entity", "Đối tượng", "Entity"),
    ("entity_code", "Mã đối tượng", "Entity code"),
    ("before", "Trước", "Before"),
    ("after", "Sau", "After"),
    (
        "verify_chain",
        "Kiểm tra tính toàn vẹn của chuỗi nhật ký",
        "Verify the integrity of the audit chain",
    ),
    ("details", "Chi tiết", "Details"),
    (
        "no_match",
        "Không có mục nào khớp bộ lọc.",
        "No entry matches the filter.",
    ),
    (
        "verify_title",
        "Kiểm tra chuỗi nhật ký",
        "Audit chain check",
    ),
    ("checked_entries", "Số mục đã kiểm tra:", "Entries checked:"),
    ("view", "xem", "view"),
];
