//! Plans through the API: the plans and their progress (public, like `/ke-hoach`),
//! following a document up as a plan, adding and removing tasks, and a unit's progress.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use danchu_core::plans::TaskStatus;
use danchu_core::roles::Action;
use serde::Deserialize;
use serde_json::{json, Value as JsonValue};

use super::{ApiAuth, ApiError, ApiJson, ApiResult};
use crate::error::AppError;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/ke-hoach", get(list).post(create))
        .route("/api/v1/ke-hoach/{plan}", get(detail))
        .route("/api/v1/ke-hoach/{plan}/nhiem-vu", post(add_task))
        .route(
            "/api/v1/ke-hoach/{plan}/nhiem-vu/{task}",
            delete(remove_task),
        )
        .route(
            "/api/v1/ke-hoach/{plan}/nhiem-vu/{task}/don-vi/{unit}",
            get(history).post(record),
        )
}

async fn plan(state: &AppState, id: i64) -> ApiResult<danchu_db::plans::Plan> {
    danchu_db::plans::get(&mut state.db.clone(), id)
        .await?
        .ok_or(ApiError::App(AppError::NotFound))
}

async fn list(State(state): State<AppState>) -> ApiResult<Json<JsonValue>> {
    Ok(Json(
        json!({ "plans": danchu_db::plans::list(&state.db).await? }),
    ))
}

async fn detail(State(state): State<AppState>, Path(id): Path<i64>) -> ApiResult<Json<JsonValue>> {
    let p = plan(&state, id).await?;
    let board = danchu_db::plans::board(&state.db, id, &danchu_db::today_vn()).await?;
    let tasks: Vec<JsonValue> = board
        .tasks
        .iter()
        .map(|t| json!({"task": t.task, "due_dates": t.task.due_dates(), "units": t.units}))
        .collect();
    Ok(Json(
        json!({"plan": p, "tasks": tasks, "units": board.units}),
    ))
}

#[derive(Deserialize)]
struct NewPlan {
    document_id: i64,
    unit_id: i64,
}

async fn create(
    State(state): State<AppState>,
    auth: ApiAuth,
    ApiJson(n): ApiJson<NewPlan>,
) -> ApiResult<Response> {
    auth.0
        .require(&state, Action::ManageReports, Some(n.unit_id))
        .await?;
    match danchu_db::plans::create(&state.db, &auth.0.actor(), n.document_id, n.unit_id).await {
        Ok(p) => Ok((StatusCode::CREATED, Json(json!({ "plan": p }))).into_response()),
        Err(danchu_db::DbError::Invalid(m)) => {
            Err(ApiError::Invalid(vec![("document_id".into(), m)]))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct NewTask {
    #[serde(default)]
    content: String,
    #[serde(default)]
    expected_output: String,
    #[serde(default)]
    lead_unit_id: i64,
    #[serde(default)]
    supporters: Vec<i64>,
    #[serde(default)]
    due_on: String,
    #[serde(default)]
    recurrence: String,
    #[serde(default)]
    until_on: String,
}

async fn add_task(
    State(state): State<AppState>,
    auth: ApiAuth,
    Path(id): Path<i64>,
    ApiJson(t): ApiJson<NewTask>,
) -> ApiResult<Response> {
    let p = plan(&state, id).await?;
    auth.0
        .require(&state, Action::ManageReports, Some(p.unit_id))
        .await?;
    let form = crate::admin::plans::TaskForm {
        content: t.content,
        expected_output: t.expected_output,
        lead_unit_id: t.lead_unit_id.to_string(),
        due_on: t.due_on,
        recurrence: if t.recurrence.is_empty() {
            "once".into()
        } else {
            t.recurrence
        },
        until_on: t.until_on,
    };
    let task = crate::admin::plans::task_of(&state, &p, &form, &t.supporters).await?;
    let errors = danchu_db::plans::check_task(&task);
    if !errors.is_empty() {
        return Err(ApiError::Invalid(
            errors
                .into_iter()
                .map(|(f, m)| (f.to_string(), m))
                .collect(),
        ));
    }
    let created = danchu_db::plans::add_task(&state.db, &auth.0.actor(), id, &task).await?;
    Ok((StatusCode::CREATED, Json(json!({ "task": created }))).into_response())
}

async fn task_of_plan(
    state: &AppState,
    plan_id: i64,
    task: i64,
) -> ApiResult<danchu_db::plans::Task> {
    danchu_db::plans::task(&mut state.db.clone(), task)
        .await?
        .filter(|t| t.plan_id == plan_id)
        .ok_or(ApiError::App(AppError::NotFound))
}

async fn remove_task(
    State(state): State<AppState>,
    auth: ApiAuth,
    Path((id, task)): Path<(i64, i64)>,
) -> ApiResult<Response> {
    let p = plan(&state, id).await?;
    auth.0
        .require(&state, Action::ManageReports, Some(p.unit_id))
        .await?;
    let t = task_of_plan(&state, id, task).await?;
    match danchu_db::plans::remove_task(&state.db, &auth.0.actor(), t.id).await {
        Ok(()) => Ok(StatusCode::NO_CONTENT.into_response()),
        Err(danchu_db::DbError::Invalid(m)) => Err(ApiError::Conflict(m)),
        Err(e) => Err(e.into()),
    }
}

/// Entries of a progress history per page (newest first).
const PER_PAGE: i64 = 50;

#[derive(Deserialize, Default)]
struct PageQuery {
    #[serde(default)]
    trang: Option<i64>,
}

async fn history(
    State(state): State<AppState>,
    auth: ApiAuth,
    Path((id, task, unit)): Path<(i64, i64, i64)>,
    crate::form::Query(q): crate::form::Query<PageQuery>,
) -> ApiResult<Json<JsonValue>> {
    let p = plan(&state, id).await?;
    let t = task_of_plan(&state, id, task).await?;
    if !t.units().contains(&unit) {
        return Err(ApiError::App(AppError::NotFound));
    }
    if !auth.0.may(&state, Action::SubmitReports, unit).await? {
        auth.0
            .require(&state, Action::ManageReports, Some(p.unit_id))
            .await?;
    }
    let page = q.trang.unwrap_or(1).clamp(1, 100_000);
    let (total, entries) =
        danchu_db::plans::history(&state.db, task, unit, PER_PAGE, (page - 1) * PER_PAGE).await?;
    Ok(Json(json!({
        "task": t,
        "due_dates": t.due_dates(),
        "total": total,
        "page": page,
        "per_page": PER_PAGE,
        "progress": entries,
    })))
}

#[derive(Deserialize)]
struct NewProgress {
    /// The due date answered (`yyyy-mm-dd` or `dd/mm/yyyy`); the earliest one not done
    /// when left out.
    #[serde(default)]
    occurrence: String,
    status: String,
    #[serde(default)]
    note: String,
}

async fn record(
    State(state): State<AppState>,
    auth: ApiAuth,
    Path((id, task, unit)): Path<(i64, i64, i64)>,
    ApiJson(n): ApiJson<NewProgress>,
) -> ApiResult<Response> {
    auth.0
        .require(&state, Action::SubmitReports, Some(unit))
        .await?;
    let t = task_of_plan(&state, id, task).await?;
    if !t.units().contains(&unit) {
        return Err(ApiError::App(AppError::NotFound));
    }
    let Some(status) = TaskStatus::parse(&n.status) else {
        return Err(ApiError::Invalid(vec![(
            "status".into(),
            "Tình trạng là not_started, in_progress hoặc done.".into(),
        )]));
    };
    let occurrence = if n.occurrence.trim().is_empty() {
        danchu_db::plans::open_dates_of(&state.db, &t, unit)
            .await?
            .into_iter()
            .next()
            .unwrap_or_else(|| t.due_dates().last().cloned().unwrap_or_default())
    } else {
        danchu_core::text::parse_date(&n.occurrence)
            .map(danchu_core::text::iso_date)
            .unwrap_or_default()
    };
    let entry = danchu_db::plans::NewProgress {
        occurrence,
        status,
        note: n.note,
        files: Vec::new(),
    };
    match danchu_db::plans::record(&state.db, &auth.0.actor(), (task, unit), &entry, &[]).await {
        Ok(p) => Ok((StatusCode::CREATED, Json(json!({ "progress": p }))).into_response()),
        Err(e) => Err(e.into()),
    }
}
