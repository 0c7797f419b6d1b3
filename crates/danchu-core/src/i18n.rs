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
    ("reports", "Báo cáo định kỳ", "Periodic reports"),
    ("reports_to_send", "Báo cáo cần nộp", "Reports to send"),
    ("download_xlsx", "Tải bảng tổng hợp (XLSX)", "Download the consolidation (XLSX)"),
    ("no_rounds", "Chưa có đợt báo cáo nào liên quan đến bạn.", "No report rounds concern you yet."),
    ("deadline", "Hạn nộp", "Deadline"),
    ("data_from", "Số liệu từ", "Data from"),
    ("to", "đến", "to"),
    ("consolidation", "Tổng hợp", "Consolidation"),
    ("round_chart", "Tình hình nộp báo cáo của các đơn vị", "Where the units' reports stand"),
    ("units_of_round", "Các đơn vị phải báo cáo", "Units that must report"),
    ("late", "Trễ hạn", "Late"),
    ("to_remind", "Cần nhắc nộp", "To remind"),
    ("returned_because", "Báo cáo bị trả lại vì", "Returned because"),
    ("save_draft", "Lưu nháp", "Save draft"),
    ("submit_report", "Nộp báo cáo", "Submit report"),
    ("decide_report", "Xử lý báo cáo", "Decide on the report"),
    ("return_reason", "Lý do trả lại (bắt buộc khi trả lại)", "Reason for returning (required to return)"),
    ("accept_report", "Tiếp nhận", "Accept"),
    ("return_report", "Trả lại", "Return"),
    ("units_counted", "đơn vị được tổng hợp", "units consolidated"),
    ("with_submitted", "gồm cả báo cáo đã nộp chưa tiếp nhận", "including submitted, not yet accepted"),
    ("accepted_only", "chỉ báo cáo đã tiếp nhận", "accepted reports only"),
    ("totals", "Kết quả tổng hợp", "Totals"),
    ("indicator", "Chỉ tiêu", "Indicator"),
    ("result", "Kết quả", "Result"),
    ("matrix", "Số liệu từng đơn vị", "Each unit's figures"),
    ("results_more", "hơn", "more than"),
    ("results_more_tip", "Có nhiều kết quả: trang này xếp hạng trong số những kết quả mới nhất. Hãy thêm từ, đặt cụm từ trong dấu ngoặc kép, hoặc chọn loại và thời gian để thu hẹp.", "Many results: this page ranks the newest of them. Add words, put a phrase in double quotes, or choose a kind and dates to narrow it."),
    ("result_kind", "Loại kết quả", "Kind of result"),
    ("article_documents", "Văn bản liên quan (số ký hiệu, cách nhau dấu phẩy)", "Related documents (numbers, comma-separated)"),
    ("new_document", "Thêm văn bản", "Add a document"),
    ("edit_document", "Sửa văn bản", "Edit document"),
    ("no_documents", "Chưa có văn bản nào.", "No documents yet."),
    ("doc_replaces", "Thay thế văn bản số (cách nhau dấu phẩy)", "Replaces documents (comma-separated numbers)"),
    ("doc_amends", "Sửa đổi, bổ sung văn bản số", "Amends documents"),
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
    ("doc_articles", "Bài viết nhắc đến văn bản này", "Articles citing this document"),
    ("search_title", "Tìm kiếm", "Search"),
    ("search_label", "Tìm trên cổng thông tin", "Search the portal"),
    ("search_placeholder", "Tìm bài viết, văn bản… (gõ không dấu cũng được)", "Search articles, documents…"),
    ("no_results", "Không tìm thấy kết quả cho", "No results for"),
    ("no_results_tip1", "Kiểm tra lại chính tả, hoặc gõ không dấu (ví dụ: dau tieng).", "Check the spelling, or type without diacritics."),
    ("no_results_tip2", "Dùng ít từ hơn hoặc từ khác nghĩa tương tự.", "Use fewer or different words."),
    ("no_results_tip3", "Tìm văn bản theo số ký hiệu, ví dụ 22/KH-UBND.", "Look a document up by its number, e.g. 22/KH-UBND."),
    ("browse_categories", "Hoặc xem theo chuyên mục", "Or browse the categories"),
    ("results_found", "Số kết quả", "Results"),
    ("tools", "Công cụ", "Tools"),
    ("files", "Tệp và ảnh", "Files and images"),
    ("choose_file", "Chọn tệp", "Choose a file"),
    ("file_help", "Ảnh JPEG, PNG, GIF, WebP hoặc tài liệu PDF, DOCX, XLSX; tối đa 10 MB.", "JPEG, PNG, GIF, WebP images or PDF, DOCX, XLSX documents; at most 10 MB."),
    ("upload", "Tải lên", "Upload"),
    ("no_files", "Chưa có tệp nào.", "No files yet."),
    ("attachments", "Tệp đính kèm", "Attachments"),
    ("banner_image", "Ảnh biểu ngữ", "Banner image"),
    ("none", "Không có", "None"),
    ("on", "đang bật", "on"),
    ("off", "đang tắt", "off"),
    ("larger", "chữ lớn", "large text"),
    ("normal", "chữ thường", "normal text"),
    ("site_admin", "Cổng thông tin", "Portal"),
    ("order", "Thứ tự", "Order"),
    ("new_category", "Chuyên mục mới", "New category"),
    ("add", "Thêm", "Add"),
    ("link_lists", "Danh sách liên kết", "Link lists"),
    ("delete", "Xoá", "Delete"),
    ("add_link", "Thêm liên kết", "Add link"),
    ("new_link_list", "Nhóm liên kết mới", "New link list"),
    ("banners", "Biểu ngữ", "Banners"),
    ("link_to", "Liên kết tới", "Links to"),
    ("articles", "Bài viết", "Articles"),
    ("new_article", "Viết bài mới", "New article"),
    ("edit_article", "Sửa bài viết", "Edit article"),
    ("title", "Tiêu đề", "Title"),
    ("summary", "Tóm tắt", "Summary"),
    ("body", "Nội dung", "Body"),
    ("author", "Tác giả", "Author"),
    ("draft", "Bản nháp", "Draft"),
    ("scheduled", "Hẹn giờ đăng", "Scheduled"),
    ("published", "Đã đăng", "Published"),
    ("publish", "Đăng", "Publish"),
    ("publish_at", "Thời điểm đăng", "Publish at"),
    ("publish_at_help", "Để trống để đăng ngay; chọn một thời điểm sau này để hẹn giờ.", "Leave empty to publish now; pick a later time to schedule."),
    ("body_help", "Có thể dán từ Word; định dạng thừa, mã và liên kết nguy hiểm được loại bỏ khi lưu.", "You may paste from Word; stray formatting, scripts and dangerous links are removed on saving."),
    ("public_address", "Địa chỉ công khai", "Public address"),
    ("back_to_list", "Về danh sách", "Back to the list"),
    ("categories", "Chuyên mục", "Categories"),
    ("sidebar", "Liên kết và thống kê", "Links and statistics"),
    ("visit_stats", "Thống kê truy cập", "Visitor statistics"),
    ("today", "Hôm nay", "Today"),
    ("this_week", "Tuần này", "This week"),
    ("this_month", "Tháng này", "This month"),
    ("total_visits", "Tổng truy cập", "All visits"),
    ("featured", "Tin nổi bật", "Featured"),
    ("latest", "Tin mới", "Latest news"),
    ("all_news", "Tất cả tin tức", "All news"),
    ("news", "Tin tức", "News"),
    ("no_articles", "Chưa có bài viết nào.", "No articles yet."),
    ("pages", "Phân trang", "Pages"),
    ("page", "Trang", "Page"),
    ("views", "Lượt xem", "Views"),
    ("print", "In bài viết", "Print"),
    ("other_articles", "Bài khác", "Other articles"),
    ("older", "Bài trước", "Older"),
    ("newer", "Bài sau", "Newer"),
    ("related", "Tin liên quan", "Related articles"),
    ("source", "Nguồn", "Source"),
    ("printed_on", "Ngày in", "Printed on"),
    ("back_to_article", "Về bài viết", "Back to the article"),
    ("change_password", "Đổi mật khẩu", "Change password"),
    ("change_password_help", "Sau khi đổi, mọi phiên đăng nhập của bạn sẽ kết thúc; hãy đăng nhập lại bằng mật khẩu mới.", "After the change every session of yours ends; sign in again with the new password."),
    ("current_password", "Mật khẩu hiện tại", "Current password"),
    ("confirm_password", "Nhập lại mật khẩu mới", "Repeat the new password"),
    ("error_code", "Mã lỗi", "Error code"),
    ("footer", "danchu · Luật Thực hiện dân chủ ở cơ sở (Luật số 10/2022/QH15)", "danchu · Law on Implementing Democracy at the Grassroots (Law No. 10/2022/QH15)"),
    ("home_lead", "Cổng thông tin và thực hiện dân chủ ở cơ sở: công khai thông tin, bàn và quyết định, góp ý, phản ánh, kiến nghị và kiểm tra, giám sát.", "Portal for grassroots democracy: public disclosure, discussion and decisions, comments, feedback and petitions, and inspection."),
    ("verify_chain", "Kiểm tra tính toàn vẹn của chuỗi nhật ký", "Verify the integrity of the audit chain"),
    ("from_date", "Từ ngày (dd/mm/yyyy)", "From (dd/mm/yyyy)"),
    ("to_date", "Đến ngày (dd/mm/yyyy)", "To (dd/mm/yyyy)"),
    ("details", "Chi tiết", "Details"),
    ("no_match", "Không có mục nào khớp bộ lọc.", "No entry matches the filter."),
    ("verify_title", "Kiểm tra chuỗi nhật ký", "Audit chain check"),
    ("merged_from", "Sáp nhập từ", "Merged from"),
    ("sub_units", "Đơn vị trực thuộc", "Units below"),
    ("fix_errors", "Vui lòng sửa các lỗi sau:", "Please correct the following:"),
    ("rename", "Đổi tên", "Rename"),
    ("merge_help", "Đơn vị này sẽ hết hiệu lực từ ngày trước ngày hiệu lực và trỏ tới đơn vị kế thừa. Không dữ liệu nào bị xoá.", "This unit will close the day before the effective date and point to its successor. No data is deleted."),
    ("effective_date", "Ngày hiệu lực (dd/mm/yyyy)", "Effective date (dd/mm/yyyy)"),
    ("history", "Lịch sử thay đổi", "Change history"),
    ("details_lc", "chi tiết", "details"),
    ("no_units", "Chưa có đơn vị nào ở đây.", "No units here yet."),
    ("status", "Trạng thái", "Status"),
    ("remove", "bỏ", "remove"),
    ("lock", "Khoá", "Lock"),
    ("unlock", "Mở khoá", "Unlock"),
    ("active_state", "(đang hoạt động)", "(active)"),
    ("locked_state", "(đã khoá)", "(locked)"),
    ("unit_code", "Mã đơn vị", "Unit code"),
    ("successor_code", "Mã đơn vị kế thừa", "Successor unit code"),
    ("password_min", "Mật khẩu (ít nhất 10 ký tự)", "Password (at least 10 characters)"),
    ("checked_entries", "Số mục đã kiểm tra:", "Entries checked:"),
    ("view", "xem", "view"),
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
