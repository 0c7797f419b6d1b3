//! The audit log in the admin area: browse with filters, and verify the chain.

use askama::Template;
use axum::response::Html;
use axum::routing::get;
use axum::Router;
use danchu_core::roles::Action;
use danchu_db::audit::{AuditRecord, Filter};
use serde::Deserialize;

use crate::error::AppResult;
use crate::form::Query;
use crate::layout::Ctx;
use crate::layout::Signed;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/quan-tri/nhat-ky", get(list))
        .route("/quan-tri/nhat-ky/kiem-tra", get(verify))
}

const PAGE: i64 = 50;

#[derive(Deserialize, Default, Clone)]
struct AuditQuery {
    #[serde(default)]
    actor: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    entity_type: String,
    #[serde(default)]
    entity_id: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    before: Option<i64>,
}

#[derive(Template)]
#[template(path = "identity/admin/audit.html")]
struct ListPage {
    ctx: Ctx,
    q: AuditQuery,
    entries: Vec<AuditRecord>,
    actions: Vec<String>,
    next_before: Option<i64>,
    next_query: String,
}

impl ListPage {
    fn label(&self, action: &str) -> &'static str {
        danchu_core::audit::action_label_vi(action)
    }
    fn when(&self, ms: &i64) -> String {
        danchu_core::text::format_datetime(*ms / 1000)
    }
}

fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// Start of a Vietnamese day in unix milliseconds.
fn day_ms(s: &str, end: bool) -> Option<i64> {
    let d = danchu_core::text::parse_date(s)?;
    let t = d
        .with_hms(0, 0, 0)
        .ok()?
        .assume_offset(danchu_core::text::VN_OFFSET)
        .unix_timestamp()
        * 1000;
    Some(if end { t + 86_400_000 - 1 } else { t })
}

async fn list(
    Signed { state, ctx, auth }: Signed,
    Query(q): Query<AuditQuery>,
) -> AppResult<Html<String>> {
    auth.require(&state, Action::ViewAudit, None).await?;
    let filter = Filter {
        actor: opt(&q.actor),
        action: opt(&q.action),
        entity_type: opt(&q.entity_type),
        entity_id: opt(&q.entity_id),
        from_ms: day_ms(&q.from, false),
        to_ms: day_ms(&q.to, true),
        before_seq: q.before,
    };
    let entries = danchu_db::audit::list(&state.db, &filter, PAGE).await?;
    // Waiting entries (first page only) come first; the next page starts before the
    // last chained one.
    let chained = entries.iter().filter(|e| !e.is_waiting()).count() as i64;
    let next_before = (chained == PAGE)
        .then(|| entries.last().map(|e| e.seq))
        .flatten();
    let next_query = serde_urlencoded::to_string([
        ("actor", &q.actor),
        ("action", &q.action),
        ("entity_type", &q.entity_type),
        ("entity_id", &q.entity_id),
        ("from", &q.from),
        ("to", &q.to),
    ])
    .unwrap_or_default();
    let actions = danchu_db::audit::actions(&state.db).await?;
    Ok(Html(
        ListPage {
            ctx,
            q,
            entries,
            actions,
            next_before,
            next_query,
        }
        .render()?,
    ))
}

#[derive(Template)]
#[template(path = "identity/admin/audit_verify.html")]
struct VerifyPage {
    ctx: Ctx,
    checked: u64,
    waiting: i64,
    ok: bool,
    message: String,
}

async fn verify(Signed { state, ctx, auth }: Signed) -> AppResult<Html<String>> {
    auth.require(&state, Action::ViewAudit, None).await?;
    let v = danchu_db::audit::verify(&state.db).await?;
    let (ok, message) = match (&v.error, v.truncated) {
        (Some(e), _) => (false, e.to_string()),
        (None, Some((head, last))) => (
            false,
            format!("Chuỗi bị cắt: đầu chuỗi ghi mục #{head} nhưng mục cuối còn lại là #{last}."),
        ),
        (None, None) => (true, "Chuỗi nhật ký toàn vẹn.".to_string()),
    };
    Ok(Html(
        VerifyPage {
            ctx,
            checked: v.checked,
            waiting: v.waiting,
            ok,
            message,
        }
        .render()?,
    ))
}
