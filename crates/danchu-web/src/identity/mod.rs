//! Identity: users, roles, API tokens, the user's account, and the audit log view
//! ([`admin`]). Sessions and sign-in are the shared kit's ([`crate::auth`]).
//!
//! The audit log view sits here, not in a folder of its own: the log is a shared kit of
//! core and db (every capability writes to it), and its page is one more thing a role
//! permits (ViewAudit, a system administrator's): who did what, beside who may do what.

pub mod admin;

use axum::Router;
use danchu_core::roles::Action;

use crate::auth::Auth;
use crate::error::AppResult;
use crate::layout::{role_label, Ctx};
use crate::AppState;

pub fn router() -> Router<AppState> {
    admin::router()
}

/// One of the user's roles, for display.
pub struct RoleLine {
    pub role: String,
    pub unit: String,
}

/// The user's roles, each with its unit (a widget of the admin home page).
pub async fn roles(state: &AppState, ctx: &Ctx, auth: &Auth) -> AppResult<Vec<RoleLine>> {
    let ids: Vec<i64> = auth.0.grants.iter().filter_map(|g| g.unit_id).collect();
    let names = danchu_db::units::by_ids(&mut state.db.clone(), &ids).await?;
    Ok(auth
        .0
        .grants
        .iter()
        .map(|g| RoleLine {
            role: role_label(ctx, g.role).to_string(),
            unit: match g.unit_id {
                Some(id) => names.get(&id).map(|u| u.name.clone()).unwrap_or_default(),
                None => ctx.t("all").to_string(),
            },
        })
        .collect())
}

/// Whether the user manages people somewhere (the users tile).
pub fn manages_users(auth: &Auth) -> bool {
    auth.may_somewhere(Action::ManageUsers)
}

/// Whether the user reads the audit log (the audit tile).
pub fn reads_audit(auth: &Auth) -> bool {
    auth.is_system_admin()
}
