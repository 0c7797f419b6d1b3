//! The disclosure register in the admin area (issue 7): a commune official posts a
//! disclosure (category, period, title, content, files, linked documents) ([`post`]) and
//! records each channel used with its dates and evidence (photo of the notice board,
//! broadcast log, the heads of thôn notified) ([`channel`]); corrects it (a new version
//! with what changed) and takes it down (before the minimum period only a unit
//! administrator, with a reason) ([`detail`]). The compliance dashboard ([`compliance`])
//! and the categories ([`categories`]) are here too. Posting needs EditContent on the
//! unit; early take-down needs TakeDownEarly.

pub mod categories;
pub mod channel;
pub mod compliance;
pub mod detail;
pub mod list;
pub mod post;

use axum::routing::{get, post};
use axum::Router;

use crate::AppState;

pub fn router() -> Router<AppState> {
    let upload = || axum::extract::DefaultBodyLimit::max(crate::media::MAX_UPLOAD * 3 + 256 * 1024);
    Router::new()
        .route("/quan-tri/cong-khai", get(list::list))
        .route(
            "/quan-tri/cong-khai/moi",
            get(post::new).post(post::create).layer(upload()),
        )
        .route(
            "/quan-tri/cong-khai/tuan-thu",
            get(compliance::compliance_page),
        )
        .route(
            "/quan-tri/cong-khai/danh-muc",
            get(categories::categories_page),
        )
        .route(
            "/quan-tri/cong-khai/danh-muc/{id}",
            post(categories::save_category),
        )
        .route(
            "/quan-tri/cong-khai/tuan-thu.xlsx",
            get(compliance::compliance_xlsx),
        )
        .route("/quan-tri/cong-khai/{id}", get(detail::detail))
        .route("/quan-tri/cong-khai/{id}/dinh-chinh", post(detail::correct))
        .route(
            "/quan-tri/cong-khai/{id}/hinh-thuc",
            post(channel::add_channel).layer(upload()),
        )
        .route("/quan-tri/cong-khai/{id}/go", post(detail::take_down))
}

/// A date for display, a dash when there is none.
pub(crate) fn show_date(d: &str) -> String {
    if d.is_empty() {
        "—".into()
    } else {
        crate::layout::show_date(d)
    }
}

/// A day for display, a dash when there is none.
pub(crate) fn show_day(d: &Option<time::Date>) -> String {
    d.map_or_else(|| "—".into(), danchu_core::text::format_date)
}

#[derive(serde::Deserialize, Default)]
pub(super) struct DetailQuery {
    #[serde(default)]
    ok: String,
}
