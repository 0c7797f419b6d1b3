//! Administrative units in the admin area: browse the tree, search, add, rename, merge,
//! record loudspeakers ([`admin`]).

pub mod admin;

use axum::Router;

use crate::AppState;

pub fn router() -> Router<AppState> {
    admin::router()
}
