//! Legal documents (văn bản): the library, a document's page and its relations.

use super::Texts;

/// (key, Vietnamese, English)
pub const TEXTS: Texts = &[
    ("new_document", "Thêm văn bản", "Add a document"),
    ("edit_document", "Sửa văn bản", "Edit document"),
    ("no_documents", "Chưa có văn bản nào.", "No documents yet."),
    (
        "doc_replaces",
        "Thay thế văn bản số (cách nhau dấu phẩy)",
        "Replaces documents (comma-separated numbers)",
    ),
    (
        "doc_amends",
        "Sửa đổi, bổ sung văn bản số",
        "Amends documents",
    ),
    ("documents", "Văn bản", "Documents"),
    ("doc_kind", "Loại văn bản", "Kind"),
    ("doc_issuer", "Cơ quan ban hành", "Issued by"),
    ("doc_year", "Năm", "Year"),
    ("doc_field", "Lĩnh vực", "Field"),
    ("sort", "Sắp xếp", "Sort"),
    ("newest", "Mới nhất", "Newest"),
    ("oldest", "Cũ nhất", "Oldest"),
    ("by_number", "Theo số ký hiệu", "By number"),
    ("doc_number", "Số ký hiệu", "Number"),
    ("doc_date", "Ngày ban hành", "Issued on"),
    ("doc_summary", "Trích yếu", "Summary"),
    ("doc_effective", "Ngày hiệu lực", "In force from"),
    ("doc_signer", "Người ký", "Signed by"),
    ("downloads", "Lượt tải", "Downloads"),
    ("doc_relations", "Văn bản liên quan", "Related documents"),
    (
        "doc_articles",
        "Bài viết nhắc đến văn bản này",
        "Articles citing this document",
    ),
];
