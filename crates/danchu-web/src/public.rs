//! Public pages of the foundation: the home page. The portal issue builds on it.

use askama::Template;
use axum::extract::State;
use axum::response::Html;
use axum::routing::get;
use axum::Router;
use danchu_db::units::Unit;

use crate::error::AppResult;
use crate::layout::Ctx;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(home))
}

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    ctx: Ctx,
    /// The top units in force and their communes, for the directory on the home page.
    tops: Vec<(Unit, Vec<Unit>)>,
}

async fn home(State(state): State<AppState>, ctx: Ctx) -> AppResult<Html<String>> {
    let mut tops = Vec::new();
    for top in danchu_db::units::children(&state.db, None)
        .await?
        .into_iter()
        .filter(|u| !u.is_closed())
        .take(3)
    {
        let mut kids = Vec::new();
        for k in danchu_db::units::children(&state.db, Some(top.id))
            .await?
            .into_iter()
            .filter(|u| !u.is_closed())
            .take(3)
        {
            let grandkids = danchu_db::units::children(&state.db, Some(k.id)).await?;
            kids.push(k);
            kids.extend(grandkids.into_iter().filter(|u| !u.is_closed()));
        }
        tops.push((top, kids));
    }
    Ok(Html(Home { ctx, tops }.render()?))
}
