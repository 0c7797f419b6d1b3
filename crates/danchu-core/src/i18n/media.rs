//! Files and images: the media library and attachments on every form.

use super::Texts;

/// (key, Vietnamese, English)
pub const TEXTS: Texts = &[
    (
        "text_not_read",
        "Không đọc được nội dung để tìm kiếm; tìm theo thông tin văn bản",
        "Text not read for search; found by the document's details",
    ),
    ("remove_file", "Bỏ tệp này", "Remove this file"),
    (
        "add_attachments",
        "Đính kèm tệp (biên bản, hình ảnh, bảng số liệu)",
        "Attach files (minutes, photos, spreadsheets)",
    ),
    ("files", "Tệp và ảnh", "Files and images"),
    ("choose_file", "Chọn tệp", "Choose a file"),
    (
        "file_help",
        "Ảnh JPEG, PNG, GIF, WebP hoặc tài liệu PDF, DOCX, XLSX; tối đa 10 MB.",
        "JPEG, PNG, GIF, WebP images or PDF, DOCX, XLSX documents; at most 10 MB.",
    ),
    ("upload", "Tải lên", "Upload"),
    ("no_files", "Chưa có tệp nào.", "No files yet."),
    (
        "upload_new_tab",
        "Tải tệp lên (mở trong thẻ mới)",
        "Upload a file (opens in a new tab)",
    ),
    (
        "upload_new_tab_help",
        "Những gì đang nhập vẫn ở thẻ này; tệp mới tải lên có trong danh sách sau khi lưu.",
        "What you are writing stays in this tab; a new upload is listed here once you save.",
    ),
    ("attachments", "Tệp đính kèm", "Attachments"),
];
