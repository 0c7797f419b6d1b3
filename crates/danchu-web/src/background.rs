//! The background work in the admin area, for the system administrator: the jobs (when
//! each runs next, who holds it, how its last runs ended; "run now") at
//! `/quan-tri/viec-nen`, and the outbox (how many messages wait, were sent or were parked;
//! a parked message can be sent again) at `/quan-tri/thong-bao-gui`. Recipients are shown
//! masked and bodies not at all: this page is for operating the delivery, not for reading
//! what citizens were told.

use askama::Template;
use axum::extract::Path;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use danchu_core::jobs::Job;
use danchu_core::outbox::State as MessageState;
use danchu_core::roles::Action;
use danchu_db::jobs::{JobRow, RunRow};
use danchu_db::outbox::Message;
use serde::Deserialize;

use crate::error::{AppError, AppResult};
use crate::form::Query;
use crate::layout::Ctx;
use crate::layout::Signed;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/quan-tri/viec-nen", get(jobs_page))
        .route("/quan-tri/viec-nen/{job}/chay-ngay", post(run_now))
        .route("/quan-tri/thong-bao-gui", get(outbox_page))
        .route("/quan-tri/thong-bao-gui/{id}/gui-lai", post(retry))
}

#[derive(Template)]
#[template(path = "kit/jobs.html")]
struct JobsPage {
    ctx: Ctx,
    jobs: Vec<JobRow>,
    runs: Vec<RunRow>,
}

/// Unix milliseconds as `dd/mm/yyyy hh:mm:ss` in Vietnam.
fn when_ms(ms: i64) -> String {
    let s = danchu_core::text::format_datetime(ms / 1000);
    let secs = (ms / 1000).rem_euclid(60);
    format!("{s}:{secs:02}")
}

impl JobsPage {
    fn label(&self, name: &str) -> &'static str {
        Job::parse(name).map_or("", |j| j.label_vi())
    }
    fn when(&self, ms: &i64) -> String {
        when_ms(*ms)
    }
    fn maybe(&self, ms: &Option<i64>) -> String {
        ms.map_or_else(|| "—".into(), when_ms)
    }
    fn took(&self, r: &RunRow) -> String {
        r.finished_ms
            .map_or_else(|| "—".into(), |f| format!("{} ms", f - r.started_ms))
    }
    fn outcome(&self, r: &RunRow) -> &'static str {
        match r.outcome.as_deref() {
            Some("done") => "Xong",
            Some("failed") => "Lỗi",
            _ => "Đang chạy hoặc nút đã dừng",
        }
    }
}

async fn jobs_page(Signed { state, ctx, auth }: Signed) -> AppResult<Html<String>> {
    auth.require(&state, Action::ManageSystem, None).await?;
    let jobs = danchu_db::jobs::list(&state.db).await?;
    let runs = danchu_db::jobs::runs(&state.db, None, 30).await?;
    Ok(Html(JobsPage { ctx, jobs, runs }.render()?))
}

async fn run_now(
    Signed { state, auth, .. }: Signed,
    Path(job): Path<String>,
) -> AppResult<Response> {
    auth.require(&state, Action::ManageSystem, None).await?;
    let job = Job::parse(&job).ok_or(AppError::NotFound)?;
    danchu_db::jobs::run_now(&state.db, &auth.actor(), job, danchu_db::now_ms()).await?;
    Ok(Redirect::to("/quan-tri/viec-nen").into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct OutboxQuery {
    state: String,
    trang: Option<i64>,
}

const PAGE: i64 = 50;

#[derive(Template)]
#[template(path = "kit/outbox.html")]
struct OutboxPage {
    ctx: Ctx,
    counts: Vec<(MessageState, i64)>,
    chosen: Option<MessageState>,
    messages: Vec<Message>,
    page: i64,
    more: bool,
    channels: String,
}

impl OutboxPage {
    fn when(&self, ms: &i64) -> String {
        when_ms(*ms)
    }
    fn masked(&self, m: &Message) -> String {
        mask(&m.recipient)
    }
    fn is(&self, s: &MessageState) -> bool {
        self.chosen == Some(*s)
    }
}

/// `chi.tran@dautieng.gov.vn` → `ch•••@dautieng.gov.vn`; `+84912345678` → `+84•••••678`.
fn mask(recipient: &str) -> String {
    match recipient.split_once('@') {
        Some((local, domain)) => {
            let keep: String = local.chars().take(2).collect();
            format!("{keep}•••@{domain}")
        }
        None => {
            let chars: Vec<char> = recipient.chars().collect();
            let n = chars.len();
            chars
                .iter()
                .enumerate()
                .map(|(i, c)| if i >= 3 && i + 3 < n { '•' } else { *c })
                .collect()
        }
    }
}

async fn outbox_page(
    Signed { state, ctx, auth }: Signed,
    Query(q): Query<OutboxQuery>,
) -> AppResult<Html<String>> {
    auth.require(&state, Action::ManageSystem, None).await?;
    let chosen = MessageState::parse(&q.state);
    let page = q.trang.unwrap_or(1).clamp(1, 10_000);
    let mut messages =
        danchu_db::outbox::list(&state.db, chosen, PAGE + 1, (page - 1) * PAGE).await?;
    let more = messages.len() as i64 > PAGE;
    messages.truncate(PAGE as usize);
    let counts = danchu_db::outbox::counts(&state.db).await?;
    let channels = state.config.channels.clone();
    Ok(Html(
        OutboxPage {
            ctx,
            counts,
            chosen,
            messages,
            page,
            more,
            channels,
        }
        .render()?,
    ))
}

async fn retry(Signed { state, auth, .. }: Signed, Path(id): Path<i64>) -> AppResult<Response> {
    auth.require(&state, Action::ManageSystem, None).await?;
    if !danchu_db::outbox::retry(&state.db, &auth.actor(), id, danchu_db::now_ms()).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to("/quan-tri/thong-bao-gui?state=pending").into_response())
}

#[cfg(test)]
mod tests {
    use super::mask;

    #[test]
    fn recipients_are_masked() {
        assert_eq!(mask("chi.tran@dautieng.gov.vn"), "ch•••@dautieng.gov.vn");
        assert_eq!(mask("+84912345678"), "+84••••••678");
        assert_eq!(mask("a@b.vn"), "a•••@b.vn");
    }
}
