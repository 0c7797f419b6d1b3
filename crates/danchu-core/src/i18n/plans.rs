//! Plans, their tasks and the units' progress.

use super::Texts;

/// (key, Vietnamese, English)
pub const TEXTS: Texts = &[
    ("plans", "Kế hoạch", "Plans"),
    (
        "no_plans",
        "Chưa có kế hoạch nào được theo dõi.",
        "No plans are followed up yet.",
    ),
    ("plan_no", "Kế hoạch số", "Plan no."),
    ("dated", "ngày", "dated"),
    ("document_page", "Văn bản", "Document"),
    ("new_plan", "Theo dõi kế hoạch mới", "Follow up a new plan"),
    (
        "plan_document",
        "Văn bản kế hoạch (trong thư viện văn bản)",
        "Plan document (from the document library)",
    ),
    (
        "plan_document_help",
        "Thêm văn bản vào thư viện trước (số, ký hiệu, ngày ban hành, người ký, tệp đính kèm).",
        "Add the document to the library first (number, date, signer, attached file).",
    ),
    (
        "plan_follow_up",
        "Đơn vị theo dõi",
        "Unit that follows it up",
    ),
    (
        "progress_by_unit",
        "Tiến độ theo đơn vị",
        "Progress by unit",
    ),
    (
        "no_tasks",
        "Kế hoạch chưa có nhiệm vụ.",
        "The plan has no tasks yet.",
    ),
    ("overdue_tasks", "Số nhiệm vụ quá hạn", "Overdue tasks"),
    (
        "plan_chart",
        "Nhiệm vụ hoàn thành trên nhiệm vụ được giao, theo đơn vị",
        "Tasks done out of tasks given, by unit",
    ),
    ("tasks_assigned", "Được giao", "Assigned"),
    ("task_done", "Hoàn thành", "Done"),
    ("task_in_progress", "Đang thực hiện", "In progress"),
    ("overdue", "Quá hạn", "Overdue"),
    ("tasks", "Nhiệm vụ", "Tasks"),
    ("expected_output", "Sản phẩm", "Expected output"),
    ("next_due", "Hạn kế tiếp", "Next due"),
    ("note", "Ghi chú", "Note"),
    ("lead", "chủ trì", "lead"),
    ("support", "phối hợp", "supporting"),
    ("record_progress", "Cập nhật tiến độ", "Record progress"),
    ("remove_task", "Xóa nhiệm vụ", "Remove task"),
    ("add_task", "Thêm nhiệm vụ", "Add a task"),
    ("task_content", "Nội dung nhiệm vụ", "Task"),
    ("lead_unit", "Đơn vị chủ trì", "Lead unit"),
    ("supporting_units", "Đơn vị phối hợp", "Supporting units"),
    ("recurrence", "Lặp lại", "Recurrence"),
    ("recur_until", "Lặp lại đến ngày", "Repeat until"),
    (
        "recur_until_help",
        "Chỉ cho nhiệm vụ định kỳ (dd/mm/yyyy).",
        "Only for recurring tasks (dd/mm/yyyy).",
    ),
    (
        "progress_saved",
        "Đã ghi nhận tiến độ.",
        "Progress recorded.",
    ),
    (
        "task_all_done",
        "Đơn vị đã hoàn thành mọi kỳ của nhiệm vụ này.",
        "The unit has done every period of this task.",
    ),
    ("occurrence", "Kỳ", "Period due"),
    ("evidence", "Tệp minh chứng", "Evidence files"),
    ("progress_history", "Các lần cập nhật", "Progress entries"),
    (
        "no_progress",
        "Chưa có cập nhật nào.",
        "No progress recorded yet.",
    ),
    (
        "tasks_to_do",
        "Nhiệm vụ kế hoạch của đơn vị",
        "Your units' plan tasks",
    ),
    ("plan_progress_public", "Tiến độ thực hiện", "Progress"),
];
