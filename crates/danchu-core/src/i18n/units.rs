//! Administrative units: the unit tree, merging, renaming, the unit's settings.

use super::Texts;

/// (key, Vietnamese, English)
pub const TEXTS: Texts = &[
    ("units", "Đơn vị hành chính", "Administrative units"),
    ("code", "Mã", "Code"),
    ("kind", "Loại", "Kind"),
    ("parent", "Trực thuộc", "Parent"),
    ("successor", "Đơn vị kế thừa", "Successor"),
    ("merge", "Sáp nhập", "Merge"),
    ("add_unit", "Thêm đơn vị", "Add unit"),
    ("in_force", "Đang hiệu lực", "In force"),
    ("closed", "Đã giải thể/sáp nhập", "Closed/merged"),
    ("yes", "Có", "Yes"),
    ("no", "Không", "No"),
    ("loudspeakers", "Hệ thống truyền thanh cấp xã", "Commune loudspeaker system"),
    ("loudspeakers_question", "Xã có hệ thống truyền thanh không?", "Does the commune have a loudspeaker system?"),
    ("loudspeakers_help", "Các nội dung mục 7–12 Điều 11 phải phát trên hệ thống truyền thanh ít nhất 3 ngày liên tục nếu xã có hệ thống này (Luật 10/2022, Điều 13). Chọn “Không” để không tính yêu cầu phát thanh.", "Items 7–12 of Article 11 must be broadcast for at least 3 consecutive days if the commune has loudspeakers (Law 10/2022, Art. 13). Choose “No” to drop the broadcast requirement."),
    ("merged_from", "Sáp nhập từ", "Merged from"),
    ("sub_units", "Đơn vị trực thuộc", "Units below"),
    ("rename", "Đổi tên", "Rename"),
    ("merge_help", "Đơn vị này sẽ hết hiệu lực từ ngày trước ngày hiệu lực và trỏ tới đơn vị kế thừa. Không dữ liệu nào bị xoá.", "This unit will close the day before the effective date and point to its successor. No data is deleted."),
    ("effective_date", "Ngày hiệu lực (dd/mm/yyyy)", "Effective date (dd/mm/yyyy)"),
    ("history", "Lịch sử thay đổi", "Change history"),
    ("details_lc", "chi tiết", "details"),
    ("no_units", "Chưa có đơn vị nào ở đây.", "No units here yet."),
    ("successor_code", "Mã đơn vị kế thừa", "Successor unit code"),
];
