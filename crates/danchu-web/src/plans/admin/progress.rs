//! A unit's progress on a task: its history, a page at a time, and recording progress
//! with a note and evidence files.

use askama::Template;
use axum::extract::{Multipart, Path};
use axum::response::{Html, IntoResponse, Redirect, Response};
use danchu_core::plans::TaskStatus;
use danchu_core::roles::Action;
use danchu_db::plans::{NewProgress, Plan, Progress, Task};
use serde::Deserialize;

use crate::auth::Auth;
use crate::error::{AppError, AppResult};
use crate::form::Query;
use crate::layout::Ctx;
use crate::layout::Signed;
use crate::plans::plan_due;
use crate::AppState;

#[derive(Template)]
#[template(path = "plans/admin/plan_progress.html")]
struct ProgressPage {
    ctx: Ctx,
    plan: Plan,
    task: Task,
    unit_id: i64,
    unit_name: String,
    /// A page of the entries, newest first.
    history: Vec<Progress>,
    pager: crate::pager::Pager,
    /// Due dates not done yet, the earliest first (chosen by default).
    open: Vec<time::Date>,
    can_record: bool,
    status: String,
    note: String,
    error: Option<String>,
    notice: bool,
}

impl ProgressPage {
    fn date(&self, d: &time::Date) -> String {
        danchu_core::text::format_date(*d)
    }
    /// A due date as the form sends it back (`yyyy-mm-dd`).
    fn value(&self, d: &time::Date) -> String {
        danchu_core::text::iso_date(*d)
    }
    fn due(&self) -> String {
        plan_due(&self.task)
    }
    fn when(&self, t: &i64) -> String {
        danchu_core::text::format_datetime(*t)
    }
    fn statuses(&self) -> Vec<(&'static str, &'static str)> {
        TaskStatus::ALL
            .iter()
            .map(|s| (s.code(), s.name_vi()))
            .collect()
    }
    fn size(&self, m: &danchu_db::media::Media) -> String {
        crate::media::human_size(m.size)
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct ProgressQuery {
    ok: String,
    trang: Option<i64>,
}

/// Entries of a progress history per page.
const HISTORY_PAGE: i64 = 20;

#[allow(clippy::too_many_arguments)]
async fn render_progress(
    state: &AppState,
    ctx: Ctx,
    auth: &Auth,
    (plan_id, task_id, unit_id): (i64, i64, i64),
    status: String,
    note: String,
    error: Option<(String, axum::http::StatusCode)>,
    (notice, page): (bool, Option<i64>),
) -> AppResult<Response> {
    let plan = danchu_db::plans::get(&mut state.db.clone(), plan_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let task = danchu_db::plans::task(&mut state.db.clone(), task_id)
        .await?
        .filter(|t| t.plan_id == plan_id && t.units().contains(&unit_id))
        .ok_or(AppError::NotFound)?;
    let can_record = auth.may(state, Action::SubmitReports, unit_id).await?;
    if !can_record {
        auth.require(state, Action::ManageReports, Some(plan.unit_id))
            .await?;
    }
    let unit_name = danchu_db::units::get(&mut state.db.clone(), unit_id)
        .await?
        .map(|u| u.name)
        .unwrap_or_default();
    let base = format!("/quan-tri/ke-hoach/{plan_id}/nhiem-vu/{task_id}/don-vi/{unit_id}");
    let wanted = page.unwrap_or(1).clamp(1, 100_000);
    let (total, history) = danchu_db::plans::history(
        &state.db,
        task_id,
        unit_id,
        HISTORY_PAGE,
        (wanted - 1) * HISTORY_PAGE,
    )
    .await?;
    let pager = crate::pager::Pager::new(page, total, HISTORY_PAGE, &base);
    let open = danchu_db::plans::open_dates_of(&state.db, &task, unit_id).await?;
    let (error, http) = match error {
        Some((m, s)) => (Some(m), s),
        None => (None, axum::http::StatusCode::OK),
    };
    let page = ProgressPage {
        ctx,
        plan,
        task,
        unit_id,
        unit_name,
        history,
        pager,
        open,
        can_record,
        status,
        note,
        error,
        notice,
    };
    Ok((http, Html(page.render()?)).into_response())
}

pub(super) async fn progress_page(
    Signed { state, ctx, auth }: Signed,
    Path(ids): Path<(i64, i64, i64)>,
    Query(q): Query<ProgressQuery>,
) -> AppResult<Response> {
    render_progress(
        &state,
        ctx,
        &auth,
        ids,
        "in_progress".into(),
        String::new(),
        None,
        (q.ok == "1", q.trang),
    )
    .await
}

pub(super) async fn record_progress(
    Signed { state, ctx, auth }: Signed,
    Path((plan_id, task_id, unit_id)): Path<(i64, i64, i64)>,
    form: Multipart,
) -> AppResult<Response> {
    auth.require(&state, Action::SubmitReports, Some(unit_id))
        .await?;
    let ids = (plan_id, task_id, unit_id);
    let upload = match crate::media::read_form(form, "evidence").await {
        Ok(u) => u,
        Err(r) => {
            let typed = (String::new(), String::new());
            return refused(&state, ctx, &auth, ids, typed, (r.message, r.status)).await;
        }
    };
    let status = upload.field("status").to_string();
    let note = upload.field("note").to_string();
    let occurrence = danchu_core::text::parse_date(upload.field("occurrence"));
    let bad = axum::http::StatusCode::BAD_REQUEST;
    let Some(st) = TaskStatus::parse(&status) else {
        let why = ("Hãy chọn tình trạng thực hiện.".into(), bad);
        return refused(&state, ctx, &auth, ids, (status, note), why).await;
    };
    let p = NewProgress {
        occurrence: danchu_db::plans::Due::On(occurrence),
        status: st,
        note: note.clone(),
        files: Vec::new(),
    };
    match record(&state, &auth, ids, &p, upload.files).await? {
        Ok(()) => Ok(Redirect::to(&format!(
            "/quan-tri/ke-hoach/{plan_id}/nhiem-vu/{task_id}/don-vi/{unit_id}?ok=1"
        ))
        .into_response()),
        Err(why) => refused(&state, ctx, &auth, ids, (status, note), why).await,
    }
}

/// Records the progress with its evidence files, each checked by content before anything
/// is recorded (a refused file loses nothing typed); or why it was refused.
async fn record(
    state: &AppState,
    auth: &Auth,
    ids: (i64, i64, i64),
    p: &NewProgress,
    files: Vec<(String, Vec<u8>)>,
) -> AppResult<Result<(), (String, axum::http::StatusCode)>> {
    let staged = match crate::media::stage_all(state, ids.2, files).await {
        Ok(s) => s,
        Err(r) => return Ok(Err((format!("Minh chứng — {}", r.message), r.status))),
    };
    let saved = danchu_db::plans::record(&state.db, &auth.actor(), ids, p, &staged.files).await;
    match saved {
        Ok(_) => {
            staged.keep();
            Ok(Ok(()))
        }
        Err(e @ danchu_db::DbError::Refused(_)) => {
            Ok(Err((e.to_string(), axum::http::StatusCode::BAD_REQUEST)))
        }
        Err(e) => Err(e.into()),
    }
}

/// The page again with what was typed (status, note) and why it was refused.
async fn refused(
    state: &AppState,
    ctx: Ctx,
    auth: &Auth,
    ids: (i64, i64, i64),
    (status, note): (String, String),
    why: (String, axum::http::StatusCode),
) -> AppResult<Response> {
    render_progress(
        state,
        ctx,
        auth,
        ids,
        status,
        note,
        Some(why),
        (false, None),
    )
    .await
}
