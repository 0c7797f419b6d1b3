//! The audit log's hash chain. Every entry's hash covers its own fields and the previous
//! entry's hash, so editing, deleting or reordering any stored row breaks the chain from
//! that row on, and [`ChainVerifier`] names the first bad entry.

use sha2::{Digest, Sha256};

/// A Vietnamese label for an action code, for people reading the log.
pub fn action_label_vi(action: &str) -> &'static str {
    match action {
        "auth.sign_in" => "Đăng nhập",
        "auth.sign_out" => "Đăng xuất",
        "unit.create" => "Tạo đơn vị",
        "unit.update" => "Sửa đơn vị",
        "unit.merge" => "Sáp nhập đơn vị",
        "user.create" => "Tạo người dùng",
        "user.update" => "Sửa người dùng",
        "user.password" => "Đổi mật khẩu",
        "role.grant" => "Giao vai trò",
        "role.revoke" => "Bỏ vai trò",
        "article.create" => "Viết bài",
        "article.update" => "Sửa bài viết",
        "category.create" => "Tạo chuyên mục",
        "category.update" => "Sửa chuyên mục",
        "links.create" => "Tạo nhóm liên kết",
        "link.create" => "Thêm liên kết",
        "link.delete" => "Xoá liên kết",
        "banner.create" => "Thêm biểu ngữ",
        "banner.delete" => "Xoá biểu ngữ",
        "document.create" => "Thêm văn bản",
        "document.update" => "Sửa văn bản",
        "document.files" => "Tệp của văn bản",
        "document.relate" => "Liên kết văn bản",
        "article.documents" => "Văn bản của bài viết",
        "article.attachments" => "Tệp đính kèm bài viết",
        "media.create" => "Tải tệp lên",
        "banner.image" => "Ảnh biểu ngữ",
        "api_token.create" => "Tạo khóa API",
        "api_token.revoke" => "Thu hồi khóa API",
        "report_template.create" => "Tạo mẫu báo cáo",
        "report_template.version" => "Phiên bản mẫu báo cáo",
        "report_round.create" => "Mở đợt báo cáo",
        "report.save" => "Lưu báo cáo",
        "report.submit" => "Nộp báo cáo",
        "report.accept" => "Tiếp nhận báo cáo",
        "report.return" => "Trả lại báo cáo",
        "report.files" => "Tệp của báo cáo",
        "plan.create" => "Theo dõi kế hoạch",
        "plan.task.add" => "Thêm nhiệm vụ",
        "plan.task.remove" => "Xóa nhiệm vụ",
        "plan.progress" => "Cập nhật tiến độ",
        "disclosure.create" => "Lập nội dung công khai",
        "disclosure.channel" => "Ghi nhận hình thức công khai",
        "disclosure.correct" => "Đính chính nội dung công khai",
        "disclosure.take_down" => "Gỡ nội dung công khai",
        "disclosure.take_down_early" => "Gỡ sớm nội dung công khai",
        "disclosure_category.update" => "Sửa danh mục công khai",
        "unit.loudspeakers" => "Hệ thống truyền thanh của xã",
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
    fn none_and_empty_hash_differently() {
        let a = entry_hash(GENESIS, 1, 0, "a", "b", "c", "d", None, Some(""));
        let b = entry_hash(GENESIS, 1, 0, "a", "b", "c", "d", Some(""), None);
        assert_ne!(a, b);
    }
}
