//! The reports a user's units still have to send (a widget of the admin home page).

use danchu_core::reporting::Status;
use danchu_core::roles::Action;
use danchu_db::reporting::Round;

use crate::auth::Auth;
use crate::error::AppResult;
use crate::AppState;

/// A report the user still has to send (shown on the admin home page after sign-in).
pub struct Pending {
    pub url: String,
    pub title: String,
    pub unit: String,
    pub status: &'static str,
    pub deadline: String,
    pub overdue: bool,
}

/// The reports the user's units have not sent yet (nothing, a draft, or returned).
pub async fn pending(state: &AppState, auth: &Auth) -> AppResult<Vec<Pending>> {
    let mut out = Vec::new();
    if !auth.may_somewhere(Action::SubmitReports) {
        return Ok(out);
    }
    let today = danchu_db::today_vn_date();
    let all = danchu_db::reporting::rounds(&state.db).await?;
    let manage = auth.scope(state, Action::ManageReports).await?;
    let submit = auth.scope(state, Action::SubmitReports).await?;
    // Office admins cover every unit below them: list only their own unit's and those of
    // units they report for directly.
    let open: Vec<&Round> = all.iter().filter(|r| !manage.permits(r.unit_id)).collect();
    let ids: Vec<i64> = open.iter().map(|r| r.id).collect();
    let statuses = danchu_db::reporting::statuses(&state.db, &ids).await?;
    let mut todo = Vec::new();
    for round in &open {
        for u in round.units.iter().filter(|u| submit.permits(**u)) {
            let status = statuses.get(&(round.id, *u)).copied();
            if matches!(status, None | Some(Status::Draft | Status::Returned)) {
                todo.push((*round, *u, status));
            }
        }
    }
    let unit_ids: Vec<i64> = todo.iter().map(|t| t.1).collect();
    let names = danchu_db::units::by_ids(&mut state.db.clone(), &unit_ids).await?;
    for (round, u, status) in todo {
        out.push(Pending {
            url: format!("/quan-tri/bao-cao/{}/don-vi/{u}", round.id),
            title: round.title.clone(),
            unit: names.get(&u).map(|x| x.name.clone()).unwrap_or_default(),
            status: status.map_or("Chưa nộp", Status::name_vi),
            deadline: crate::layout::show_day(&Some(round.deadline)),
            overdue: danchu_core::reporting::is_late(None, round.deadline, today),
        });
    }
    Ok(out)
}
