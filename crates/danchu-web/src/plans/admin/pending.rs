//! The tasks a user's units still have to carry out (a widget of the admin home page).

use danchu_core::roles::Action;

use crate::auth::Auth;
use crate::error::AppResult;
use crate::layout::show_date;
use crate::AppState;

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
    let today = danchu_db::today_vn_date();
    let manage = auth.scope(state, Action::ManageReports).await?;
    let submit = auth.scope(state, Action::SubmitReports).await?;
    // The office that follows a plan up sees it on the plan's page instead.
    let plans: Vec<_> = danchu_db::plans::list(&state.db)
        .await?
        .into_iter()
        .filter(|p| !manage.permits(p.unit_id))
        .collect();
    let ids: Vec<i64> = plans.iter().map(|p| p.id).collect();
    let mut boards = danchu_db::plans::boards(&state.db, &ids, today).await?;
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
