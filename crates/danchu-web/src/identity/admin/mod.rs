//! Identity in the admin area: users and their roles ([`users`]), the user's own account
//! ([`account`]), units' API tokens ([`api_tokens`]), and the audit log of who did what
//! ([`audit`]).

pub mod account;
pub mod api_tokens;
pub mod audit;
pub mod users;

use axum::Router;

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(account::router())
        .merge(api_tokens::router())
        .merge(users::router())
        .merge(audit::router())
}
