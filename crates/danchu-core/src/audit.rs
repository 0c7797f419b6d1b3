//! The audit log's hash chain. Every entry's hash covers its own fields and the previous
//! entry's hash, so editing, deleting or reordering any stored row breaks the chain from
//! that row on, and [`ChainVerifier`] names the first bad entry.

use sha2::{Digest, Sha256};

/// Declares the action codes: one constant each, and [`action::ALL`] listing them.
macro_rules! action_codes {
    ($($name:ident = $code:literal;)*) => {
        /// The action codes of the audit log, written by every change (`audit::append` in
        /// danchu-db) and shown with [`action_label_vi`]. A code is stored in each entry
        /// and covered by its hash: never rename one, add a new one instead.
        pub mod action {
            $(pub const $name: &str = $code;)*
            /// Every action code.
            pub const ALL: &[&str] = &[$($name),*];
        }
    };
}

action_codes! {
    AUTH_SIGN_IN = "auth.sign_in";
    AUTH_SIGN_OUT = "auth.sign_out";
    UNIT_CREATE = "unit.create";
    UNIT_UPDATE = "unit.update";
    UNIT_MERGE = "unit.merge";
    USER_CREATE = "user.create";
    USER_UPDATE = "user.update";
    USER_PASSWORD = "user.password";
    ROLE_GRANT = "role.grant";
    ROLE_REVOKE = "role.revoke";
    ARTICLE_CREATE = "article.create";
    ARTICLE_UPDATE = "article.update";
    CATEGORY_CREATE = "category.create";
    CATEGORY_UPDATE = "category.update";
    LINKS_CREATE = "links.create";
    LINK_CREATE = "link.create";
    LINK_DELETE = "link.delete";
    BANNER_CREATE = "banner.create";
    BANNER_DELETE = "banner.delete";
    DOCUMENT_CREATE = "document.create";
    DOCUMENT_UPDATE = "document.update";
    DOCUMENT_FILES = "document.files";
    DOCUMENT_RELATE = "document.relate";
    ARTICLE_DOCUMENTS = "article.documents";
    ARTICLE_ATTACHMENTS = "article.attachments";
    MEDIA_CREATE = "media.create";
    BANNER_IMAGE = "banner.image";
    API_TOKEN_CREATE = "api_token.create";
    API_TOKEN_REVOKE = "api_token.revoke";
    REPORT_TEMPLATE_CREATE = "report_template.create";
    REPORT_TEMPLATE_VERSION = "report_template.version";
    REPORT_ROUND_CREATE = "report_round.create";
    REPORT_SAVE = "report.save";
    REPORT_SUBMIT = "report.submit";
    REPORT_ACCEPT = "report.accept";
    REPORT_RETURN = "report.return";
    REPORT_FILES = "report.files";
    PLAN_CREATE = "plan.create";
    PLAN_TASK_ADD = "plan.task.add";
    PLAN_TASK_REMOVE = "plan.task.remove";
    PLAN_PROGRESS = "plan.progress";
    DISCLOSURE_CREATE = "disclosure.create";
    DISCLOSURE_CHANNEL = "disclosure.channel";
    DISCLOSURE_CORRECT = "disclosure.correct";
    DISCLOSURE_TAKE_DOWN = "disclosure.take_down";
    DISCLOSURE_TAKE_DOWN_EARLY = "disclosure.take_down_early";
    DISCLOSURE_CATEGORY_UPDATE = "disclosure_category.update";
    UNIT_LOUDSPEAKERS = "unit.loudspeakers";
    JOB_RUN_NOW = "job.run_now";
    OUTBOX_RETRY = "outbox.retry";
}

/// A Vietnamese label for an action code, for people reading the log.
pub fn action_label_vi(action: &str) -> &'static str {
    use action::*;
    match action {
        AUTH_SIGN_IN => "Đăng nhập",
        AUTH_SIGN_OUT => "Đăng xuất",
        UNIT_CREATE => "Tạo đơn vị",
        UNIT_UPDATE => "Sửa đơn vị",
        UNIT_MERGE => "Sáp nhập đơn vị",
        USER_CREATE => "Tạo người dùng",
        USER_UPDATE => "Sửa người dùng",
        USER_PASSWORD => "Đổi mật khẩu",
        ROLE_GRANT => "Giao vai trò",
        ROLE_REVOKE => "Bỏ vai trò",
        ARTICLE_CREATE => "Viết bài",
        ARTICLE_UPDATE => "Sửa bài viết",
        CATEGORY_CREATE => "Tạo chuyên mục",
        CATEGORY_UPDATE => "Sửa chuyên mục",
        LINKS_CREATE => "Tạo nhóm liên kết",
        LINK_CREATE => "Thêm liên kết",
        LINK_DELETE => "Xoá liên kết",
        BANNER_CREATE => "Thêm biểu ngữ",
        BANNER_DELETE => "Xoá biểu ngữ",
        DOCUMENT_CREATE => "Thêm văn bản",
        DOCUMENT_UPDATE => "Sửa văn bản",
        DOCUMENT_FILES => "Tệp của văn bản",
        DOCUMENT_RELATE => "Liên kết văn bản",
        ARTICLE_DOCUMENTS => "Văn bản của bài viết",
        ARTICLE_ATTACHMENTS => "Tệp đính kèm bài viết",
        MEDIA_CREATE => "Tải tệp lên",
        BANNER_IMAGE => "Ảnh biểu ngữ",
        API_TOKEN_CREATE => "Tạo khóa API",
        API_TOKEN_REVOKE => "Thu hồi khóa API",
        REPORT_TEMPLATE_CREATE => "Tạo mẫu báo cáo",
        REPORT_TEMPLATE_VERSION => "Phiên bản mẫu báo cáo",
        REPORT_ROUND_CREATE => "Mở đợt báo cáo",
        REPORT_SAVE => "Lưu báo cáo",
        REPORT_SUBMIT => "Nộp báo cáo",
        REPORT_ACCEPT => "Tiếp nhận báo cáo",
        REPORT_RETURN => "Trả lại báo cáo",
        REPORT_FILES => "Tệp của báo cáo",
        PLAN_CREATE => "Theo dõi kế hoạch",
        PLAN_TASK_ADD => "Thêm nhiệm vụ",
        PLAN_TASK_REMOVE => "Xóa nhiệm vụ",
        PLAN_PROGRESS => "Cập nhật tiến độ",
        DISCLOSURE_CREATE => "Lập nội dung công khai",
        DISCLOSURE_CHANNEL => "Ghi nhận hình thức công khai",
        DISCLOSURE_CORRECT => "Đính chính nội dung công khai",
        DISCLOSURE_TAKE_DOWN => "Gỡ nội dung công khai",
        DISCLOSURE_TAKE_DOWN_EARLY => "Gỡ sớm nội dung công khai",
        DISCLOSURE_CATEGORY_UPDATE => "Sửa danh mục công khai",
        UNIT_LOUDSPEAKERS => "Hệ thống truyền thanh của xã",
        JOB_RUN_NOW => "Chạy ngay việc nền",
        OUTBOX_RETRY => "Gửi lại thông báo",
        _ => "Thay đổi khác",
    }
}

/// The `prev_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One audit entry as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AuditRecord {
    pub seq: i64,
    /// Unix time in milliseconds.
    pub at_ms: i64,
    /// Username of the actor, or `system` for the CLI and background jobs.
    pub actor: String,
    pub action: String,
    pub entity_type: String,
    pub entity_id: String,
    /// JSON text of the entity before the change (`None` when created).
    pub before: Option<String>,
    /// JSON text after the change (`None` when removed or closed).
    pub after: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditRecord {
    /// An entry committed with its change but not chained yet (ADR 0008): it has no
    /// sequence number (0) and no hashes until the sequencer gives it them.
    pub fn is_waiting(&self) -> bool {
        self.hash.is_empty()
    }
}

fn field(h: &mut Sha256, v: Option<&str>) {
    match v {
        None => h.update(b"\x00"),
        Some(s) => {
            h.update(b"\x01");
            h.update((s.len() as u64).to_be_bytes());
            h.update(s.as_bytes());
        }
    }
}

/// The hash of an entry: SHA-256 over the previous hash and every field, each
/// length-prefixed so that no two different entries hash the same input.
#[allow(clippy::too_many_arguments)]
pub fn entry_hash(
    prev_hash: &str,
    seq: i64,
    at_ms: i64,
    actor: &str,
    action: &str,
    entity_type: &str,
    entity_id: &str,
    before: Option<&str>,
    after: Option<&str>,
) -> String {
    let mut h = Sha256::new();
    h.update(b"danchu-audit-v1");
    field(&mut h, Some(prev_hash));
    h.update(seq.to_be_bytes());
    h.update(at_ms.to_be_bytes());
    for f in [
        Some(actor),
        Some(action),
        Some(entity_type),
        Some(entity_id),
        before,
        after,
    ] {
        field(&mut h, f);
    }
    hex::encode(h.finalize())
}

impl AuditRecord {
    pub fn computed_hash(&self) -> String {
        entry_hash(
            &self.prev_hash,
            self.seq,
            self.at_ms,
            &self.actor,
            &self.action,
            &self.entity_type,
            &self.entity_id,
            self.before.as_deref(),
            self.after.as_deref(),
        )
    }
}

/// Why the chain is broken at an entry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainError {
    #[error("mục #{seq}: nội dung đã bị sửa (hash không khớp)")]
    HashMismatch { seq: i64 },
    #[error("mục #{seq}: không nối với mục trước (prev_hash sai: bị xoá, chèn hoặc đổi thứ tự)")]
    BrokenLink { seq: i64 },
    #[error("mục #{seq}: số thứ tự không liên tục, thiếu mục #{expected}")]
    Gap { seq: i64, expected: i64 },
}

impl ChainError {
    pub fn seq(&self) -> i64 {
        match self {
            ChainError::HashMismatch { seq }
            | ChainError::BrokenLink { seq }
            | ChainError::Gap { seq, .. } => *seq,
        }
    }
}

/// Walks entries in `seq` order, one at a time, so a long log never has to be in memory.
pub struct ChainVerifier {
    prev_hash: String,
    next_seq: i64,
    pub checked: u64,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        ChainVerifier {
            prev_hash: GENESIS.to_string(),
            next_seq: 1,
            checked: 0,
        }
    }
}

impl ChainVerifier {
    pub fn push(&mut self, r: &AuditRecord) -> Result<(), ChainError> {
        if r.seq != self.next_seq {
            return Err(ChainError::Gap {
                seq: r.seq,
                expected: self.next_seq,
            });
        }
        if r.prev_hash != self.prev_hash {
            return Err(ChainError::BrokenLink { seq: r.seq });
        }
        if r.computed_hash() != r.hash {
            return Err(ChainError::HashMismatch { seq: r.seq });
        }
        self.prev_hash = r.hash.clone();
        self.next_seq += 1;
        self.checked += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<AuditRecord> {
        let mut prev = GENESIS.to_string();
        (1..=n)
            .map(|seq| {
                let mut r = AuditRecord {
                    seq,
                    at_ms: 1_700_000_000_000 + seq,
                    actor: "admin".into(),
                    action: "unit.update".into(),
                    entity_type: "unit".into(),
                    entity_id: seq.to_string(),
                    before: Some(format!("{{\"name\":\"Xã {seq}\"}}")),
                    after: Some("{\"name\":\"Xã Định An\"}".into()),
                    prev_hash: prev.clone(),
                    hash: String::new(),
                };
                r.hash = r.computed_hash();
                prev = r.hash.clone();
                r
            })
            .collect()
    }

    fn verify(rs: &[AuditRecord]) -> Result<u64, ChainError> {
        let mut v = ChainVerifier::default();
        for r in rs {
            v.push(r)?;
        }
        Ok(v.checked)
    }

    #[test]
    fn intact_chain_verifies() {
        assert_eq!(verify(&chain(5)), Ok(5));
        assert_eq!(verify(&[]), Ok(0));
    }

    #[test]
    fn edited_row_is_named() {
        let mut c = chain(5);
        c[2].after = Some("{\"name\":\"giả mạo\"}".into());
        assert_eq!(verify(&c), Err(ChainError::HashMismatch { seq: 3 }));
    }

    #[test]
    fn deleted_row_is_named() {
        let mut c = chain(5);
        c.remove(1);
        assert_eq!(
            verify(&c),
            Err(ChainError::Gap {
                seq: 3,
                expected: 2
            })
        );
    }

    #[test]
    fn reordered_rows_are_named() {
        let mut c = chain(5);
        // Swap contents but renumber, as someone re-sequencing rows would.
        c.swap(1, 2);
        c[1].seq = 2;
        c[2].seq = 3;
        assert_eq!(verify(&c), Err(ChainError::BrokenLink { seq: 2 }));
    }

    #[test]
    fn rehashed_forgery_breaks_the_next_link() {
        let mut c = chain(4);
        c[1].actor = "mallory".into();
        c[1].hash = c[1].computed_hash();
        assert_eq!(verify(&c), Err(ChainError::BrokenLink { seq: 3 }));
    }

    #[test]
    fn every_action_code_has_its_own_label() {
        let mut seen = std::collections::BTreeSet::new();
        for code in action::ALL {
            assert!(seen.insert(*code), "{code} is declared twice");
            assert_ne!(
                action_label_vi(code),
                "Thay đổi khác",
                "{code} has no label"
            );
        }
        assert_eq!(action_label_vi("something.else"), "Thay đổi khác");
    }

    #[test]
    fn none_and_empty_hash_differently() {
        let a = entry_hash(GENESIS, 1, 0, "a", "b", "c", "d", None, Some(""));
        let b = entry_hash(GENESIS, 1, 0, "a", "b", "c", "d", Some(""), None);
        assert_ne!(a, b);
    }
}
