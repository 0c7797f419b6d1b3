//! The rounds a user runs or must report in, and a round's dashboard.

use askama::Template;
use axum::extract::Path;
use axum::response::Html;
use danchu_core::reporting::Status;
use danchu_core::roles::Action;
use danchu_db::reporting::{Round, UnitState};

use super::{managed_round, period_name};
use crate::error::{AppError, AppResult};
use crate::layout::Ctx;
use crate::layout::Signed;

/// A round in the list, with what the user can do in it.
struct RoundLine {
    round: Round,
    period: String,
    manages: bool,
    /// The user's own units that must report, with where each stands.
    mine: Vec<(i64, String, Option<Status>)>,
}

/// What both round pages show for a day and a report's status.
trait RoundNames {
    fn date(&self, d: &time::Date) -> String {
        crate::layout::show_day(&Some(*d))
    }
    fn status_name(&self, s: &Option<Status>) -> &'static str {
        s.map_or("Chưa nộp", Status::name_vi)
    }
}

#[derive(Template)]
#[template(path = "reporting/admin/reports.html")]
struct ListPage {
    ctx: Ctx,
    rounds: Vec<RoundLine>,
    can_manage: bool,
}

impl RoundNames for ListPage {}

pub(super) async fn list(Signed { state, ctx, auth }: Signed) -> AppResult<Html<String>> {
    if !auth.may_somewhere(Action::SubmitReports) && !auth.may_somewhere(Action::ManageReports) {
        return Err(AppError::Forbidden);
    }
    let all = danchu_db::reporting::rounds(&state.db).await?;
    let manage = auth.scope(&state, Action::ManageReports).await?;
    let submit = auth.scope(&state, Action::SubmitReports).await?;
    let ids: Vec<i64> = all.iter().map(|r| r.id).collect();
    let statuses = danchu_db::reporting::statuses(&state.db, &ids).await?;
    let mut wanted: Vec<i64> = all
        .iter()
        .filter(|r| !manage.permits(r.unit_id))
        .flat_map(|r| r.units.iter().copied().filter(|u| submit.permits(*u)))
        .collect();
    wanted.sort_unstable();
    wanted.dedup();
    let names = danchu_db::units::by_ids(&mut state.db.clone(), &wanted).await?;
    let mut rounds = Vec::new();
    for round in all {
        let manages = manage.permits(round.unit_id);
        let mine: Vec<(i64, String, Option<Status>)> = if manages {
            Vec::new()
        } else {
            round
                .units
                .iter()
                .filter(|u| submit.permits(**u))
                .map(|u| {
                    let name = names.get(u).map(|x| x.name.clone()).unwrap_or_default();
                    (*u, name, statuses.get(&(round.id, *u)).copied())
                })
                .collect()
        };
        if manages || !mine.is_empty() {
            rounds.push(RoundLine {
                period: period_name(&round),
                round,
                manages,
                mine,
            });
        }
    }
    let can_manage = auth.may_somewhere(Action::ManageReports);
    Ok(Html(
        ListPage {
            ctx,
            rounds,
            can_manage,
        }
        .render()?,
    ))
}

#[derive(Template)]
#[template(path = "reporting/admin/report_round.html")]
struct RoundPage {
    ctx: Ctx,
    round: Round,
    period: String,
    units: Vec<UnitState>,
    /// (label, count, colour class) for the chart.
    bars: Vec<(&'static str, usize, &'static str)>,
    max: usize,
}

impl RoundNames for RoundPage {}

impl RoundPage {
    fn bar_width(&self, n: &usize) -> usize {
        (n * 300).checked_div(self.max).unwrap_or(0)
    }
    fn to_remind(&self) -> Vec<&UnitState> {
        self.units
            .iter()
            .filter(|u| {
                matches!(
                    u.status,
                    None | Some(Status::Draft) | Some(Status::Returned)
                )
            })
            .collect()
    }
}

pub(super) async fn round_page(
    Signed { state, ctx, auth }: Signed,
    Path(id): Path<i64>,
) -> AppResult<Html<String>> {
    let (round, _) = managed_round(&state, &auth, id).await?;
    let units = danchu_db::reporting::dashboard(&state.db, id, danchu_db::today_vn_date()).await?;
    let count = |f: &dyn Fn(&UnitState) -> bool| units.iter().filter(|u| f(u)).count();
    let bars = vec![
        (
            "Đã tiếp nhận",
            count(&|u| u.status == Some(Status::Accepted)),
            "ok",
        ),
        (
            "Đã nộp",
            count(&|u| u.status == Some(Status::Submitted)),
            "info",
        ),
        (
            "Bị trả lại",
            count(&|u| u.status == Some(Status::Returned)),
            "warn",
        ),
        (
            "Chưa nộp",
            count(&|u| matches!(u.status, None | Some(Status::Draft))),
            "bad",
        ),
        ("Trễ hạn", count(&|u| u.late), "bad"),
    ];
    let max = bars.iter().map(|b| b.1).max().unwrap_or(0);
    Ok(Html(
        RoundPage {
            ctx,
            period: period_name(&round),
            round,
            units,
            bars,
            max,
        }
        .render()?,
    ))
}
