//! Plans through the API: the plans and their progress (public, like `/ke-hoach`),
//! following a document up as a plan, adding and removing tasks, and a unit's progress.

pub mod body;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use danchu_core::plans::TaskStatus;
use danchu_core::roles::Action;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use self::body::*;
use crate::api::paging::{PageInfo, PageQuery};
use crate::api::{ApiAuth, ApiError, ApiJson, ApiResult};
use crate::form::Query;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(detail))
        .routes(routes!(add_task))
        .routes(routes!(remove_task))
        .routes(routes!(history, record))
}

/// Plans on a page.
const PLANS_PER_PAGE: i64 = 50;
/// Entries of a progress history per page (newest first).
const HISTORY_PER_PAGE: i64 = 50;

async fn plan(state: &AppState, id: i64) -> ApiResult<danchu_db::plans::Plan> {
    danchu_db::plans::get(&mut state.db.clone(), id)
        .await?
        .ok_or_else(ApiError::not_found)
}

/// The plan, checked to be the caller's to manage.
async fn managed(state: &AppState, auth: &ApiAuth, id: i64) -> ApiResult<danchu_db::plans::Plan> {
    let found = danchu_db::plans::get(&mut state.db.clone(), id).await?;
    Ok(auth
        .0
        .require_found(state, Action::ManageReports, found, |p| p.unit_id)
        .await?)
}

/// Danh sách kế hoạch
///
/// Một trang kế hoạch (50 một trang), văn bản mới nhất trước. Ai cũng gọi được.
#[utoipa::path(
    get,
    path = "/api/v1/ke-hoach",
    operation_id = "list_plans",
    tag = "ke-hoach",
    params(PageQuery),
    responses((status = 200, description = "Một trang kế hoạch", body = PlanList))
)]
async fn list(
    State(state): State<AppState>,
    Query(q): Query<PageQuery>,
) -> ApiResult<Json<PlanList>> {
    let (total, plans) = q.slice(danchu_db::plans::list(&state.db).await?, PLANS_PER_PAGE);
    Ok(Json(PlanList {
        plans: plans.iter().map(PlanBody::from).collect(),
        page: PageInfo::new(&q, total, PLANS_PER_PAGE),
    }))
}

/// Kế hoạch, nhiệm vụ và tiến độ từng đơn vị
///
/// Ai cũng gọi được.
#[utoipa::path(
    get,
    path = "/api/v1/ke-hoach/{plan}",
    operation_id = "get_plan",
    tag = "ke-hoach",
    params(("plan" = i64, Path, description = "Mã kế hoạch")),
    responses(
        (status = 200, description = "Kế hoạch với các nhiệm vụ", body = PlanDetail),
        (status = 404, response = crate::api::error::NotFound),
    )
)]
async fn detail(State(state): State<AppState>, Path(id): Path<i64>) -> ApiResult<Json<PlanDetail>> {
    let p = plan(&state, id).await?;
    let board = danchu_db::plans::board(&state.db, id, danchu_db::today_vn_date()).await?;
    Ok(Json(PlanDetail {
        plan: (&p).into(),
        tasks: board
            .tasks
            .iter()
            .map(|t| TaskBoardBody {
                task: (&t.task).into(),
                due_dates: t.task.due_dates(),
                units: t.units.iter().map(UnitStandingBody::from).collect(),
            })
            .collect(),
        units: board.units.iter().map(UnitSummaryBody::from).collect(),
    }))
}

/// Theo dõi một văn bản làm kế hoạch
///
/// Phòng Nội vụ (quản lý báo cáo của đơn vị `unit_id`).
#[utoipa::path(
    post,
    path = "/api/v1/ke-hoach",
    operation_id = "create_plan",
    tag = "ke-hoach",
    request_body = NewPlan,
    security(("unitToken" = []), ("session" = [], "csrfHeader" = [])),
    responses(
        (status = 201, description = "Đã tạo kế hoạch", body = PlanCreated),
        crate::api::error::Guarded,
        crate::api::error::BadBody,
    )
)]
async fn create(
    State(state): State<AppState>,
    auth: ApiAuth,
    ApiJson(n): ApiJson<NewPlan>,
) -> ApiResult<(StatusCode, Json<PlanCreated>)> {
    auth.0
        .require(&state, Action::ManageReports, Some(n.unit_id))
        .await?;
    match danchu_db::plans::create(&state.db, &auth.0.actor(), n.document_id, n.unit_id).await {
        Ok(p) => Ok((StatusCode::CREATED, Json(PlanCreated { plan: (&p).into() }))),
        Err(danchu_db::DbError::Invalid(m)) => Err(ApiError::field("document_id", m)),
        Err(e) => Err(e.into()),
    }
}

/// Thêm nhiệm vụ
///
/// Phòng Nội vụ của kế hoạch. `recurrence`: once, monthly, quarterly, half_year, annual.
#[utoipa::path(
    post,
    path = "/api/v1/ke-hoach/{plan}/nhiem-vu",
    operation_id = "add_task",
    tag = "ke-hoach",
    params(("plan" = i64, Path, description = "Mã kế hoạch")),
    request_body = NewTask,
    security(("unitToken" = []), ("session" = [], "csrfHeader" = [])),
    responses(
        (status = 201, description = "Đã thêm nhiệm vụ", body = TaskCreated),
        (status = 404, response = crate::api::error::NotFound),
        crate::api::error::Guarded,
        crate::api::error::BadBody,
    )
)]
async fn add_task(
    State(state): State<AppState>,
    auth: ApiAuth,
    Path(id): Path<i64>,
    ApiJson(t): ApiJson<NewTask>,
) -> ApiResult<(StatusCode, Json<TaskCreated>)> {
    let p = managed(&state, &auth, id).await?;
    if t.supporters.len() > MAX_SUPPORTERS {
        return Err(ApiError::field(
            "supporters",
            format!("Một nhiệm vụ có nhiều nhất {MAX_SUPPORTERS} đơn vị phối hợp."),
        ));
    }
    let mut supporters = t.supporters;
    let mut seen = std::collections::BTreeSet::new();
    supporters.retain(|u| seen.insert(*u));
    let form = crate::plans::tasks::TaskForm {
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
    let task = crate::plans::tasks::task_of(&state, &p, &form, &supporters).await?;
    let created = danchu_db::plans::add_task(&state.db, &auth.0.actor(), id, &task).await?;
    Ok((
        StatusCode::CREATED,
        Json(TaskCreated {
            task: (&created).into(),
        }),
    ))
}

async fn task_of_plan(
    state: &AppState,
    plan_id: i64,
    task: i64,
) -> ApiResult<danchu_db::plans::Task> {
    danchu_db::plans::task(&mut state.db.clone(), task)
        .await?
        .filter(|t| t.plan_id == plan_id)
        .ok_or_else(ApiError::not_found)
}

/// Xóa nhiệm vụ chưa có tiến độ
///
/// Phòng Nội vụ của kế hoạch; một nhiệm vụ đã có tiến độ không xóa được (409).
#[utoipa::path(
    delete,
    path = "/api/v1/ke-hoach/{plan}/nhiem-vu/{task}",
    operation_id = "remove_task",
    tag = "ke-hoach",
    params(
        ("plan" = i64, Path, description = "Mã kế hoạch"),
        ("task" = i64, Path, description = "Mã nhiệm vụ"),
    ),
    security(("unitToken" = []), ("session" = [], "csrfHeader" = [])),
    responses(
        (status = 204, description = "Đã xóa"),
        (status = 404, response = crate::api::error::NotFound),
        (status = 409, response = crate::api::error::Conflict),
        crate::api::error::Guarded,
    )
)]
async fn remove_task(
    State(state): State<AppState>,
    auth: ApiAuth,
    Path((id, task)): Path<(i64, i64)>,
) -> ApiResult<StatusCode> {
    managed(&state, &auth, id).await?;
    let t = task_of_plan(&state, id, task).await?;
    match danchu_db::plans::remove_task(&state.db, &auth.0.actor(), t.id).await {
        Ok(()) => Ok(StatusCode::NO_CONTENT),
        Err(danchu_db::DbError::Invalid(m)) => Err(ApiError::Conflict(m)),
        Err(e) => Err(e.into()),
    }
}

/// Các lần cập nhật tiến độ của đơn vị
///
/// Mới nhất trước, 50 một trang. Đơn vị được giao (khóa API của đơn vị hoặc cán bộ báo
/// cáo), hoặc Phòng Nội vụ của kế hoạch.
#[utoipa::path(
    get,
    path = "/api/v1/ke-hoach/{plan}/nhiem-vu/{task}/don-vi/{unit}",
    operation_id = "list_progress",
    tag = "ke-hoach",
    params(
        ("plan" = i64, Path, description = "Mã kế hoạch"),
        ("task" = i64, Path, description = "Mã nhiệm vụ"),
        ("unit" = i64, Path, description = "Mã đơn vị được giao"),
        PageQuery,
    ),
    security(("unitToken" = []), ("session" = [])),
    responses(
        (status = 200, description = "Một trang tiến độ", body = ProgressHistory),
        (status = 404, response = crate::api::error::NotFound),
        crate::api::error::Guarded,
    )
)]
async fn history(
    State(state): State<AppState>,
    auth: ApiAuth,
    Path((id, task, unit)): Path<(i64, i64, i64)>,
    Query(q): Query<PageQuery>,
) -> ApiResult<Json<ProgressHistory>> {
    let p = plan(&state, id).await?;
    let t = task_of_plan(&state, id, task).await?;
    if !t.units().contains(&unit) {
        return Err(ApiError::not_found());
    }
    // The unit's reporters, or the office that follows the plan up.
    if !auth.0.may(&state, Action::SubmitReports, unit).await? {
        auth.0
            .require(&state, Action::ManageReports, Some(p.unit_id))
            .await?;
    }
    let (total, entries) = danchu_db::plans::history(
        &state.db,
        task,
        unit,
        HISTORY_PER_PAGE,
        q.offset(HISTORY_PER_PAGE),
    )
    .await?;
    Ok(Json(ProgressHistory {
        task: (&t).into(),
        due_dates: t.due_dates(),
        progress: entries.iter().map(ProgressBody::from).collect(),
        page: PageInfo::new(&q, total, HISTORY_PER_PAGE),
    }))
}

/// Cập nhật tiến độ
///
/// Đơn vị được giao (khóa API của đơn vị hoặc cán bộ báo cáo). `status`: not_started,
/// in_progress, done; thời hạn mặc định là thời hạn sớm nhất chưa xong.
#[utoipa::path(
    post,
    path = "/api/v1/ke-hoach/{plan}/nhiem-vu/{task}/don-vi/{unit}",
    operation_id = "record_progress",
    tag = "ke-hoach",
    params(
        ("plan" = i64, Path, description = "Mã kế hoạch"),
        ("task" = i64, Path, description = "Mã nhiệm vụ"),
        ("unit" = i64, Path, description = "Mã đơn vị được giao"),
    ),
    request_body = NewProgress,
    security(("unitToken" = []), ("session" = [], "csrfHeader" = [])),
    responses(
        (status = 201, description = "Đã ghi tiến độ", body = ProgressCreated),
        (status = 404, response = crate::api::error::NotFound),
        crate::api::error::Guarded,
        crate::api::error::BadBody,
    )
)]
async fn record(
    State(state): State<AppState>,
    auth: ApiAuth,
    Path((id, task, unit)): Path<(i64, i64, i64)>,
    ApiJson(n): ApiJson<NewProgress>,
) -> ApiResult<(StatusCode, Json<ProgressCreated>)> {
    auth.0
        .require(&state, Action::SubmitReports, Some(unit))
        .await?;
    let Some(status) = TaskStatus::parse(&n.status) else {
        return Err(ApiError::field(
            "status",
            "Tình trạng là not_started, in_progress hoặc done.",
        ));
    };
    let occurrence = if n.occurrence.trim().is_empty() {
        danchu_db::plans::Due::EarliestOpen
    } else {
        danchu_db::plans::Due::On(danchu_core::text::parse_date(&n.occurrence))
    };
    let entry = danchu_db::plans::NewProgress {
        occurrence,
        status,
        note: n.note,
        files: Vec::new(),
    };
    let p =
        danchu_db::plans::record(&state.db, &auth.0.actor(), (id, task, unit), &entry, &[]).await?;
    Ok((
        StatusCode::CREATED,
        Json(ProgressCreated {
            progress: (&p).into(),
        }),
    ))
}
