//! Plans in the admin area (issue 5, point 1): Phòng Nội vụ makes a library document
//! (22/KH-UBND) a plan it follows up, gives its tasks to a lead unit and supporting
//! units, and sees each unit's progress with overdue tasks flagged; each assigned unit
//! records its progress with a note and evidence files. Managing needs ManageReports on
//! the plan's unit; recording progress needs SubmitReports on the assigned unit.

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use danchu_core::plans::{Recurrence, TaskStatus};
use danchu_core::roles::Action;
use danchu_db::plans::{Board, NewProgress, NewTask, Plan, Progress, Task};
use serde::Deserialize;

use crate::auth::Auth;
use crate::error::{AppError, AppResult};
use crate::form::{FormAll, Query};
use crate::layout::Ctx;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/quan-tri/ke-hoach", get(list).post(create))
        .route("/quan-tri/ke-hoach/{plan}", get(plan_page))
        .route("/quan-tri/ke-hoach/{plan}/nhiem-vu", post(add_task))
        .route(
            "/quan-tri/ke-hoach/{plan}/nhiem-vu/{task}/xoa",
            post(remove_task),
        )
        .route(
            "/quan-tri/ke-hoach/{plan}/nhiem-vu/{task}/don-vi/{unit}",
            get(progress_page)
                .post(record_progress)
                .layer(axum::extract::DefaultBodyLimit::max(
                    crate::media::MAX_UPLOAD * 2 + 64 * 1024,
                )),
        )
}

fn show_date(d: &str) -> String {
    crate::portal::documents::show_date(d)
}

async fn may(state: &AppState, auth: &Auth, action: Action, unit: i64) -> bool {
    auth.may(state, action, unit).await.unwrap_or(false)
}

#[derive(Template)]
#[template(path = "admin/plans.html")]
struct ListPage {
    ctx: Ctx,
    plans: Vec<Plan>,
    /// Library documents that can become plans: (id, "22/KH-UBND — title").
    documents: Vec<(i64, String)>,
    /// Units the user may follow plans up for.
    offices: Vec<(i64, String)>,
    errors: Vec<super::FieldError>,
}

impl ListPage {
    fn date(&self, d: &str) -> String {
        show_date(d)
    }
    fn err(&self, f: &str) -> Option<&str> {
        super::error_for(&self.errors, f)
    }
}

async fn render_list(
    state: &AppState,
    ctx: Ctx,
    auth: &Auth,
    errors: Vec<super::FieldError>,
) -> AppResult<Response> {
    auth.require_somewhere(Action::ViewAdmin)?;
    let plans = danchu_db::plans::list(&state.db).await?;
    let mut documents = Vec::new();
    let mut offices = Vec::new();
    if auth.may_somewhere(Action::ManageReports) {
        let filter = danchu_db::documents::Filter::default();
        for d in danchu_db::documents::list(&state.db, &filter, 200, 0).await? {
            if !plans.iter().any(|p| p.document.id == d.id) {
                documents.push((d.id, format!("{} — {}", d.number, d.summary)));
            }
        }
        let roots = auth.scope_roots(Action::ManageReports);
        let mut found: Vec<_> = danchu_db::units::by_ids(&mut state.db.clone(), &roots)
            .await?
            .into_values()
            .collect();
        danchu_db::units::sort_vn(&mut found);
        offices.extend(found.into_iter().map(|u| (u.id, u.name)));
    }
    let status = super::form_status(&errors);
    let page = ListPage {
        ctx,
        plans,
        documents,
        offices,
        errors,
    };
    Ok((status, Html(page.render()?)).into_response())
}

async fn list(State(state): State<AppState>, ctx: Ctx, auth: Auth) -> AppResult<Response> {
    render_list(&state, ctx, &auth, Vec::new()).await
}

#[derive(Deserialize, Default, Clone)]
struct PlanForm {
    #[serde(default)]
    document_id: String,
    #[serde(default)]
    unit_id: String,
}

async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    auth: Auth,
    form: FormAll<PlanForm>,
) -> AppResult<Response> {
    let f = form.value;
    let (Ok(document), Ok(unit)) = (f.document_id.parse::<i64>(), f.unit_id.parse::<i64>()) else {
        let errors = super::field_errors(vec![(
            "document_id",
            "Hãy chọn văn bản kế hoạch và đơn vị theo dõi.".to_string(),
        )]);
        return render_list(&state, ctx, &auth, errors).await;
    };
    auth.require(&state, Action::ManageReports, Some(unit))
        .await?;
    match danchu_db::plans::create(&state.db, &auth.actor(), document, unit).await {
        Ok(p) => Ok(Redirect::to(&format!("/quan-tri/ke-hoach/{}", p.id)).into_response()),
        Err(danchu_db::DbError::Invalid(m)) => {
            render_list(
                &state,
                ctx,
                &auth,
                super::field_errors(vec![("document_id", m)]),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default, Clone)]
pub(crate) struct TaskForm {
    #[serde(default)]
    pub content: String,
    #[serde(default)]
    pub expected_output: String,
    #[serde(default)]
    pub lead_unit_id: String,
    #[serde(default)]
    pub due_on: String,
    #[serde(default)]
    pub recurrence: String,
    #[serde(default)]
    pub until_on: String,
}

#[derive(Template)]
#[template(path = "admin/plan.html")]
struct PlanPage {
    ctx: Ctx,
    plan: Plan,
    board: Board,
    manages: bool,
    /// Units the user records progress for.
    mine: Vec<i64>,
    /// Units tasks can be given to: (id, name, chosen as supporter).
    units: Vec<(i64, String, bool)>,
    f: TaskForm,
    errors: Vec<super::FieldError>,
}

impl PlanPage {
    fn date(&self, d: &str) -> String {
        show_date(d)
    }
    fn err(&self, f: &str) -> Option<&str> {
        super::error_for(&self.errors, f)
    }
    fn recurrences(&self) -> Vec<(&'static str, &'static str)> {
        Recurrence::ALL
            .iter()
            .map(|r| (r.code(), r.name_vi()))
            .collect()
    }
    fn due(&self, t: &Task) -> String {
        plan_due(t)
    }
    fn status_name(&self, s: &TaskStatus) -> &'static str {
        s.name_vi()
    }
    fn is_mine(&self, u: &i64) -> bool {
        self.mine.contains(u)
    }
    fn overdue_total(&self) -> usize {
        self.board.units.iter().map(|u| u.overdue).sum()
    }
    fn bar(&self, n: &usize, of: &usize) -> usize {
        (n * 200).checked_div(*of).unwrap_or(0)
    }
}

/// "15/06/2023" or "Hằng quý, từ 31/03/2023 đến 31/12/2023".
pub fn plan_due(t: &Task) -> String {
    if t.recurrence == Recurrence::Once {
        show_date(&t.due_on)
    } else {
        format!(
            "{}, từ {} đến {}",
            t.recurrence.name_vi(),
            show_date(&t.due_on),
            show_date(&t.until_on)
        )
    }
}

/// The units a plan's tasks can go to: the units beside the office that follows it up
/// (the communes and offices of its parent), in Vietnamese order.
async fn assignable(state: &AppState, plan: &Plan) -> AppResult<Vec<(i64, String)>> {
    super::units_beside(state, plan.unit_id).await
}

#[allow(clippy::too_many_arguments)]
async fn render_plan(
    state: &AppState,
    ctx: Ctx,
    auth: &Auth,
    id: i64,
    f: TaskForm,
    supporters: Vec<i64>,
    errors: Vec<super::FieldError>,
) -> AppResult<Response> {
    auth.require_somewhere(Action::ViewAdmin)?;
    let plan = danchu_db::plans::get(&mut state.db.clone(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let board = danchu_db::plans::board(&state.db, id, &danchu_db::today_vn()).await?;
    let manages = may(state, auth, Action::ManageReports, plan.unit_id).await;
    let submit = auth.scope(state, Action::SubmitReports).await?;
    let mine: Vec<i64> = board
        .units
        .iter()
        .map(|s| s.unit_id)
        .filter(|u| submit.permits(*u))
        .collect();
    let units = if manages {
        assignable(state, &plan)
            .await?
            .into_iter()
            .map(|(id, name)| (id, name, supporters.contains(&id)))
            .collect()
    } else {
        Vec::new()
    };
    let status = super::form_status(&errors);
    let page = PlanPage {
        ctx,
        plan,
        board,
        manages,
        mine,
        units,
        f,
        errors,
    };
    Ok((status, Html(page.render()?)).into_response())
}

async fn plan_page(
    State(state): State<AppState>,
    ctx: Ctx,
    auth: Auth,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let f = TaskForm {
        recurrence: "once".into(),
        ..Default::default()
    };
    render_plan(&state, ctx, &auth, id, f, Vec::new(), Vec::new()).await
}

async fn add_task(
    State(state): State<AppState>,
    ctx: Ctx,
    auth: Auth,
    Path(id): Path<i64>,
    form: FormAll<TaskForm>,
) -> AppResult<Response> {
    let plan = danchu_db::plans::get(&mut state.db.clone(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    auth.require(&state, Action::ManageReports, Some(plan.unit_id))
        .await?;
    let f = form.value.clone();
    let supporters: Vec<i64> = form
        .all("supporter")
        .iter()
        .filter_map(|u| u.parse().ok())
        .collect();
    let task = task_of(&state, &plan, &f, &supporters).await?;
    let errors = super::field_errors(danchu_db::plans::check_task(&task));
    if !errors.is_empty() {
        return render_plan(&state, ctx, &auth, id, f, supporters, errors).await;
    }
    danchu_db::plans::add_task(&state.db, &auth.actor(), id, &task).await?;
    Ok(Redirect::to(&format!("/quan-tri/ke-hoach/{id}#nhiem-vu")).into_response())
}

/// A task as typed (in the form or through the API): units outside those the plan can
/// give tasks to are dropped (and then reported missing by `check_task`).
pub(crate) async fn task_of(
    state: &AppState,
    plan: &Plan,
    f: &TaskForm,
    supporters: &[i64],
) -> AppResult<NewTask> {
    let allowed = assignable(state, plan).await?;
    let day = |s: &str| {
        danchu_core::text::parse_date(s)
            .map(danchu_core::text::iso_date)
            .unwrap_or_default()
    };
    Ok(NewTask {
        content: f.content.clone(),
        expected_output: f.expected_output.clone(),
        lead_unit_id: f
            .lead_unit_id
            .parse()
            .ok()
            .filter(|u| allowed.iter().any(|a| a.0 == *u))
            .unwrap_or(0),
        supporters: supporters
            .iter()
            .copied()
            .filter(|u| allowed.iter().any(|a| a.0 == *u))
            .collect(),
        due_on: day(&f.due_on),
        recurrence: Recurrence::parse(&f.recurrence).unwrap_or_default(),
        until_on: day(&f.until_on),
    })
}

async fn remove_task(
    State(state): State<AppState>,
    ctx: Ctx,
    auth: Auth,
    Path((id, task)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let plan = danchu_db::plans::get(&mut state.db.clone(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    auth.require(&state, Action::ManageReports, Some(plan.unit_id))
        .await?;
    let t = danchu_db::plans::task(&mut state.db.clone(), task)
        .await?
        .filter(|t| t.plan_id == id)
        .ok_or(AppError::NotFound)?;
    match danchu_db::plans::remove_task(&state.db, &auth.actor(), t.id).await {
        Ok(()) => Ok(Redirect::to(&format!("/quan-tri/ke-hoach/{id}#nhiem-vu")).into_response()),
        Err(danchu_db::DbError::Invalid(m)) => {
            let f = TaskForm {
                recurrence: "once".into(),
                ..Default::default()
            };
            let errors = super::field_errors(vec![("remove", m)]);
            render_plan(&state, ctx, &auth, id, f, Vec::new(), errors).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "admin/plan_progress.html")]
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
    open: Vec<String>,
    can_record: bool,
    status: String,
    note: String,
    error: Option<String>,
    notice: bool,
}

impl ProgressPage {
    fn date(&self, d: &str) -> String {
        show_date(d)
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
struct ProgressQuery {
    #[serde(default)]
    ok: String,
    #[serde(default)]
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

async fn progress_page(
    State(state): State<AppState>,
    ctx: Ctx,
    auth: Auth,
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

async fn record_progress(
    State(state): State<AppState>,
    ctx: Ctx,
    auth: Auth,
    Path((plan_id, task_id, unit_id)): Path<(i64, i64, i64)>,
    form: Multipart,
) -> AppResult<Response> {
    auth.require(&state, Action::SubmitReports, Some(unit_id))
        .await?;
    let ids = (plan_id, task_id, unit_id);
    let upload = match crate::media::read_form(form, "evidence").await {
        Ok(u) => u,
        Err(r) => {
            return render_progress(
                &state,
                ctx,
                &auth,
                ids,
                String::new(),
                String::new(),
                Some((r.message, r.status)),
                (false, None),
            )
            .await
        }
    };
    let status = upload.field("status").to_string();
    let note = upload.field("note").to_string();
    let occurrence = upload.field("occurrence").to_string();
    let fail = |m: String, s| Some((m, s));
    let bad = axum::http::StatusCode::BAD_REQUEST;
    let Some(st) = TaskStatus::parse(&status) else {
        let e = fail("Hãy chọn tình trạng thực hiện.".into(), bad);
        return render_progress(&state, ctx, &auth, ids, status, note, e, (false, None)).await;
    };
    // The task must belong to the plan and be given to the unit.
    danchu_db::plans::task(&mut state.db.clone(), task_id)
        .await?
        .filter(|t| t.plan_id == plan_id && t.units().contains(&unit_id))
        .ok_or(AppError::NotFound)?;
    // Every file is checked before anything is recorded; a refused file loses nothing typed.
    let staged = match crate::media::stage_all(&state, unit_id, upload.files).await {
        Ok(s) => s,
        Err(r) => {
            let e = fail(format!("Minh chứng — {}", r.message), r.status);
            return render_progress(&state, ctx, &auth, ids, status, note, e, (false, None)).await;
        }
    };
    let p = NewProgress {
        occurrence,
        status: st,
        note: note.clone(),
        files: Vec::new(),
    };
    let saved = danchu_db::plans::record(
        &state.db,
        &auth.actor(),
        (task_id, unit_id),
        &p,
        &staged.files,
    )
    .await;
    match saved {
        Ok(_) => {
            staged.keep();
            Ok(Redirect::to(&format!(
                "/quan-tri/ke-hoach/{plan_id}/nhiem-vu/{task_id}/don-vi/{unit_id}?ok=1"
            ))
            .into_response())
        }
        Err(e @ danchu_db::DbError::Refused(_)) => {
            let e = fail(e.to_string(), bad);
            render_progress(&state, ctx, &auth, ids, status, note, e, (false, None)).await
        }
        Err(e) => Err(e.into()),
    }
}

/// A task the user's units still have to carry out (shown on the admin home page).
pub struct PendingTask {
    pub url: String,
    pub plan: String,
    pub content: String,
    pub unit: String,
    pub next_due: String,
    pub overdue: bool,
}

/// The unfinished tasks of the units the user records progress for (overdue first).
pub async fn pending(state: &AppState, auth: &Auth) -> AppResult<Vec<PendingTask>> {
    let mut out = Vec::new();
    if !auth.may_somewhere(Action::SubmitReports) {
        return Ok(out);
    }
    let today = danchu_db::today_vn();
    let manage = auth.scope(state, Action::ManageReports).await?;
    let submit = auth.scope(state, Action::SubmitReports).await?;
    // The office that follows a plan up sees it on the plan's page instead.
    let plans: Vec<_> = danchu_db::plans::list(&state.db)
        .await?
        .into_iter()
        .filter(|p| !manage.permits(p.unit_id))
        .collect();
    let ids: Vec<i64> = plans.iter().map(|p| p.id).collect();
    let mut boards = danchu_db::plans::boards(&state.db, &ids, &today).await?;
    for plan in &plans {
        let Some(board) = boards.remove(&plan.id) else {
            continue;
        };
        for t in &board.tasks {
            for u in &t.units {
                let Some(due) = &u.next_due else { continue };
                if !submit.permits(u.unit_id) {
                    continue;
                }
                out.push(PendingTask {
                    url: format!(
                        "/quan-tri/ke-hoach/{}/nhiem-vu/{}/don-vi/{}",
                        plan.id, t.task.id, u.unit_id
                    ),
                    plan: plan.document.number.clone(),
                    content: t.task.content.clone(),
                    unit: u.unit_name.clone(),
                    next_due: show_date(due),
                    overdue: u.overdue,
                });
            }
        }
    }
    out.sort_by_key(|p| !p.overdue);
    Ok(out)
}
