//! Operations endpoints: /healthz (checks the database) and /metrics.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
}

/// How long the health check waits for the database: a load balancer asks often and
/// must hear "unavailable" quickly, not after the pool's whole wait.
const HEALTH_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    match tokio::time::timeout(HEALTH_WAIT, state.db.ping()).await {
        Ok(Ok(())) => (StatusCode::OK, "ok\n"),
        Ok(Err(_)) | Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n"),
    }
}

async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    let mut text = state.metrics.render(state.db.pool_stats());
    text.push_str("# HELP danchu_extract_gave_up_total Uploaded documents kept without text: reading them passed the limits.\n# TYPE danchu_extract_gave_up_total counter\n");
    text.push_str(&format!(
        "danchu_extract_gave_up_total {}\n",
        state
            .extractor
            .gave_up
            .load(std::sync::atomic::Ordering::Relaxed)
    ));
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        text,
    )
}
