//! Search: the search page and its results.

use super::Texts;

/// (key, Vietnamese, English)
pub const TEXTS: Texts = &[
    ("results_more", "hơn", "more than"),
    ("results_more_tip", "Có nhiều kết quả: trang này xếp hạng trong số những kết quả mới nhất. Hãy thêm từ, đặt cụm từ trong dấu ngoặc kép, hoặc chọn loại và thời gian để thu hẹp.", "Many results: this page ranks the newest of them. Add words, put a phrase in double quotes, or choose a kind and dates to narrow it."),
    ("result_kind", "Loại kết quả", "Kind of result"),
    ("search_title", "Tìm kiếm", "Search"),
    ("search_label", "Tìm trên cổng thông tin", "Search the portal"),
    ("search_placeholder", "Tìm bài viết, văn bản… (gõ không dấu cũng được)", "Search articles, documents…"),
    ("no_results", "Không tìm thấy kết quả cho", "No results for"),
    ("no_results_tip1", "Kiểm tra lại chính tả, hoặc gõ không dấu (ví dụ: dau tieng).", "Check the spelling, or type without diacritics."),
    ("no_results_tip2", "Dùng ít từ hơn hoặc từ khác nghĩa tương tự.", "Use fewer or different words."),
    ("no_results_tip3", "Tìm văn bản theo số ký hiệu, ví dụ 22/KH-UBND.", "Look a document up by its number, e.g. 22/KH-UBND."),
    ("browse_categories", "Hoặc xem theo chuyên mục", "Or browse the categories"),
    ("results_found", "Số kết quả", "Results"),
    ("results_showing", "Đang xem", "Showing"),
];
