//! Public plan pages (issue 5): `/ke-hoach` lists the plans followed up in danchu and
//! `/ke-hoach/{id}` shows a plan (its document and files), its tasks with the lead and
//! supporting units and due dates, and each unit's progress with overdue tasks flagged.

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use danchu_db::media::Media;
use danchu_db::plans::{Board, Plan, Task, UnitSummary};

use crate::error::{AppError, AppResult};
use crate::layout::Ctx;
use crate::public::Chrome;
use crate::public::Reader;

#[derive(Template)]
#[template(path = "plans/plans.html")]
struct ListPage {
    ctx: Ctx,
    chrome: Chrome,
    plans: Vec<Plan>,
}

impl ListPage {
    fn date(&self, d: &(impl crate::layout::Day + ?Sized)) -> String {
        d.show()
    }
}

pub async fn list(Reader { state, ctx, visit }: Reader) -> AppResult<Response> {
    let plans = danchu_db::plans::list(&state.db).await?;
    let chrome = Chrome::load(&state).await?;
    let html = ListPage { ctx, chrome, plans }.render()?;
    Ok(crate::public::live_page(&state, visit, &html))
}

#[derive(Template)]
#[template(path = "plans/plan.html")]
struct DetailPage {
    ctx: Ctx,
    chrome: Chrome,
    plan: Plan,
    files: Vec<Media>,
    board: Board,
}

impl DetailPage {
    fn date(&self, d: &(impl crate::layout::Day + ?Sized)) -> String {
        d.show()
    }
    fn due(&self, t: &Task) -> String {
        super::plan_due(t)
    }
    fn size(&self, m: &Media) -> String {
        crate::media::human_size(m.size)
    }
    /// A bar of the chart labelled with the share done.
    fn bar_label(&self, u: &UnitSummary) -> String {
        format!("{}%", (u.done * 100).checked_div(u.assigned).unwrap_or(0))
    }
    fn bar(&self, n: &usize, of: &usize) -> usize {
        (n * 200).checked_div(*of).unwrap_or(0)
    }
}

pub async fn detail(
    Reader { state, ctx, visit }: Reader,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let plan = danchu_db::plans::get(&mut state.db.clone(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let files = danchu_db::documents::files(&state.db, plan.document.id).await?;
    let board = danchu_db::plans::board(&state.db, id, danchu_db::today_vn_date()).await?;
    let chrome = Chrome::load(&state).await?;
    let html = DetailPage {
        ctx,
        chrome,
        plan,
        files,
        board,
    }
    .render()?;
    Ok(crate::public::live_page(&state, visit, &html))
}
