//! A plan's page: its tasks and each unit's progress; giving and removing tasks.

use askama::Template;
use axum::extract::Path;
use axum::response::{Html, IntoResponse, Redirect, Response};
use danchu_core::plans::{Recurrence, TaskStatus};
use danchu_core::roles::Action;
use danchu_db::plans::{Board, Plan, Task, UnitSummary};

use super::may;
use crate::auth::Auth;
use crate::error::{AppError, AppResult};
use crate::form::FormAll;
use crate::layout::Ctx;
use crate::layout::Signed;
use crate::plans::plan_due;
use crate::plans::tasks::{assignable, task_of, TaskForm};
use crate::AppState;

#[derive(Template)]
#[template(path = "plans/admin/plan.html")]
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
    errors: Vec<crate::form::FieldError>,
}

impl PlanPage {
    fn date(&self, d: &(impl crate::layout::Day + ?Sized)) -> String {
        d.show()
    }
    fn err(&self, f: &str) -> Option<&str> {
        crate::form::error_for(&self.errors, f)
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
    /// A bar of the chart labelled with the tasks done of those assigned.
    fn bar_label(&self, u: &UnitSummary) -> String {
        format!("{}/{}", u.done, u.assigned)
    }
}

#[allow(clippy::too_many_arguments)]
async fn render_plan(
    state: &AppState,
    ctx: Ctx,
    auth: &Auth,
    id: i64,
    f: TaskForm,
    supporters: Vec<i64>,
    errors: Vec<crate::form::FieldError>,
) -> AppResult<Response> {
    auth.require_somewhere(Action::ViewAdmin)?;
    let plan = danchu_db::plans::get(&mut state.db.clone(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let board = danchu_db::plans::board(&state.db, id, danchu_db::today_vn_date()).await?;
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
    let status = crate::form::form_status(&errors);
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

pub(super) async fn plan_page(
    Signed { state, ctx, auth }: Signed,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let f = TaskForm {
        recurrence: "once".into(),
        ..Default::default()
    };
    render_plan(&state, ctx, &auth, id, f, Vec::new(), Vec::new()).await
}

/// The plan, checked to be the user's to manage.
async fn managed(state: &AppState, auth: &Auth, id: i64) -> AppResult<Plan> {
    let found = danchu_db::plans::get(&mut state.db.clone(), id).await?;
    auth.require_found(state, Action::ManageReports, found, |p| p.unit_id)
        .await
}

pub(super) async fn add_task(
    Signed { state, ctx, auth }: Signed,
    Path(id): Path<i64>,
    form: FormAll<TaskForm>,
) -> AppResult<Response> {
    let plan = managed(&state, &auth, id).await?;
    let f = form.value.clone();
    let supporters: Vec<i64> = form
        .all("supporter")
        .iter()
        .filter_map(|u| u.parse().ok())
        .collect();
    let task = task_of(&state, &plan, &f, &supporters).await?;
    match danchu_db::plans::add_task(&state.db, &auth.actor(), id, &task).await {
        Ok(_) => Ok(Redirect::to(&format!("/quan-tri/ke-hoach/{id}#nhiem-vu")).into_response()),
        Err(danchu_db::DbError::Refused(refused)) => {
            let errors = crate::form::field_errors(refused);
            render_plan(&state, ctx, &auth, id, f, supporters, errors).await
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn remove_task(
    Signed { state, ctx, auth }: Signed,
    Path((id, task)): Path<(i64, i64)>,
) -> AppResult<Response> {
    managed(&state, &auth, id).await?;
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
            let errors = crate::form::field_errors(vec![("remove", m)]);
            render_plan(&state, ctx, &auth, id, f, Vec::new(), errors).await
        }
        Err(e) => Err(e.into()),
    }
}
