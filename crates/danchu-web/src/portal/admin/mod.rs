//! The portal in the admin area: articles ([`articles`]) and the portal's frame
//! ([`site`]). Every change needs the right to edit content of the item's unit.

pub mod articles;
pub mod site;

use axum::Router;

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(articles::router())
        .merge(site::router())
}
