//! Static assets, compiled into the binary and served with long cache lifetimes
//! (their URLs carry a version, so a new release changes them).

use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;

use crate::AppState;

pub const CSS: &str = include_str!("../static/style.css");
pub const JS: &str = include_str!("../static/app.js");
/// Bumped with the assets so browsers fetch the new files.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/static/style.css",
            get(|| async { asset("text/css; charset=utf-8", CSS) }),
        )
        .route(
            "/static/app.js",
            get(|| async { asset("text/javascript; charset=utf-8", JS) }),
        )
}

fn asset(ct: &'static str, body: &'static str) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, ct),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        body,
    )
}
