//! The text and helper the search tests share.

use super::{score, Query};

pub const SEED: &str = "Do đó, ngày 21/02/2023 Ủy ban nhân dân huyện Dầu Tiếng đã ban hành Kế hoạch số 22/KH-UBND để triển khai thực hiện Quy chế dân chủ ở cơ sở.";

pub fn found(text: &str, q: &str) -> bool {
    score(text, &Query::parse(q)).is_some()
}
