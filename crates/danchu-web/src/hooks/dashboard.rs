//! The admin home page (`/quan-tri`): each capability's widgets (what the user still has
//! to do there) and tiles (shortcuts), asked of every capability in [`Capability::ALL`]
//! order by an exhaustive `match`.

use askama::Template;
use axum::response::Html;
use axum::routing::get;
use axum::Router;
use danchu_core::roles::Action;

use super::Capability;
use crate::auth::Auth;
use crate::error::AppResult;
use crate::layout::Ctx;
use crate::layout::Signed;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/quan-tri", get(dashboard))
}

/// A widget of the admin home page, given by one capability.
pub enum Widget {
    /// Reporting: the reports the user's units have not sent yet.
    ReportsToSend(Vec<crate::reporting::Pending>),
    /// Plans: the tasks the user's units still have to carry out.
    TasksToDo(Vec<crate::plans::PendingTask>),
    /// Disclosures: the obligations the user's units are late with.
    OverdueDisclosures(Vec<crate::disclosures::Overdue>),
    /// Identity: the user's roles.
    Roles(Vec<crate::identity::RoleLine>),
}

/// A shortcut on the admin home page, shown in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tile {
    Units,
    Users,
    Reports,
    Plans,
    Audit,
}

impl Tile {
    pub fn href(&self) -> &'static str {
        match self {
            Tile::Units => "/quan-tri/don-vi",
            Tile::Users => "/quan-tri/nguoi-dung",
            Tile::Reports => "/quan-tri/bao-cao",
            Tile::Plans => "/quan-tri/ke-hoach",
            Tile::Audit => "/quan-tri/nhat-ky",
        }
    }

    /// Its UI text key.
    /// Its name in the page's language (literal keys, so the UI-texts test sees them).
    pub fn label(&self, ctx: &Ctx) -> &'static str {
        match self {
            Tile::Units => ctx.t("units"),
            Tile::Users => ctx.t("users"),
            Tile::Reports => ctx.t("reports"),
            Tile::Plans => ctx.t("plans"),
            Tile::Audit => ctx.t("audit"),
        }
    }
}

/// Whether the user takes part in periodic reporting (reports and plans tiles).
fn in_reporting(auth: &Auth) -> bool {
    auth.may_somewhere(Action::SubmitReports) || auth.may_somewhere(Action::ManageReports)
}

impl Capability {
    /// What the capability shows on the user's admin home page.
    pub async fn widgets(self, state: &AppState, ctx: &Ctx, auth: &Auth) -> AppResult<Vec<Widget>> {
        let widget = match self {
            Capability::Portal | Capability::Documents | Capability::Search => None,
            Capability::Units => None,
            Capability::Reporting => {
                let pending = crate::reporting::pending(state, auth).await?;
                (!pending.is_empty()).then_some(Widget::ReportsToSend(pending))
            }
            Capability::Plans => {
                let tasks = crate::plans::pending(state, auth).await?;
                (!tasks.is_empty()).then_some(Widget::TasksToDo(tasks))
            }
            Capability::Disclosures => {
                let late = crate::disclosures::overdue(state, auth).await?;
                (!late.is_empty()).then_some(Widget::OverdueDisclosures(late))
            }
            Capability::Identity => Some(Widget::Roles(
                crate::identity::roles(state, ctx, auth).await?,
            )),
        };
        Ok(widget.into_iter().collect())
    }

    /// The capability's shortcuts for this user.
    pub fn tiles(self, auth: &Auth) -> Vec<Tile> {
        let shown = |on: bool, t: Tile| if on { vec![t] } else { Vec::new() };
        match self {
            Capability::Portal | Capability::Documents | Capability::Search => Vec::new(),
            Capability::Disclosures => Vec::new(),
            Capability::Units => shown(
                auth.may_somewhere(Action::ManageUnits) || auth.may_somewhere(Action::ViewAdmin),
                Tile::Units,
            ),
            Capability::Identity => [
                shown(crate::identity::manages_users(auth), Tile::Users),
                shown(crate::identity::reads_audit(auth), Tile::Audit),
            ]
            .concat(),
            Capability::Reporting => shown(in_reporting(auth), Tile::Reports),
            Capability::Plans => shown(in_reporting(auth), Tile::Plans),
        }
    }
}

#[derive(Template)]
#[template(path = "kit/dashboard.html")]
struct Dashboard {
    ctx: Ctx,
    widgets: Vec<Widget>,
    tiles: Vec<Tile>,
}

async fn dashboard(Signed { state, ctx, auth }: Signed) -> AppResult<Html<String>> {
    auth.require_somewhere(Action::ViewAdmin)?;
    let mut widgets = Vec::new();
    let mut tiles = Vec::new();
    for c in Capability::ALL {
        widgets.extend(c.widgets(&state, &ctx, &auth).await?);
        tiles.extend(c.tiles(&auth));
    }
    tiles.sort();
    Ok(Html(
        Dashboard {
            ctx,
            widgets,
            tiles,
        }
        .render()?,
    ))
}
