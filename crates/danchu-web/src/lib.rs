//! The HTTP side of danchu: one router, server-rendered pages in Vietnamese (English on
//! request), the admin area, and the middleware every request passes through
//! (request id, metrics, body limit, timeout, security headers, CSRF, language).

pub mod admin;
pub mod auth;
pub mod csrf;
pub mod error;
pub mod form;
pub mod layout;
pub mod metrics;
pub mod middleware;
pub mod ops;
pub mod public;
pub mod statics;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use danchu_db::Db;

/// Settings the web layer needs.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Absolute base URL for links in feeds and e-mails, e.g. `https://dautieng.binhduong.gov.vn`.
    pub base_url: String,
    /// Largest accepted request body, in bytes.
    pub body_limit: usize,
    /// Longest time a request may take.
    pub request_timeout: Duration,
    /// Take the client address from the last `X-Forwarded-For` entry (set only behind a
    /// load balancer that writes that header).
    pub trust_proxy: bool,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            base_url: "http://127.0.0.1:8080".into(),
            body_limit: 2 * 1024 * 1024,
            request_timeout: Duration::from_secs(30),
            trust_proxy: false,
        }
    }
}

impl WebConfig {
    /// Cookies get `Secure` when the site is served over HTTPS.
    pub fn secure_cookies(&self) -> bool {
        self.base_url.starts_with("https://")
    }
}

/// Shared state of every handler.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<WebConfig>,
    /// Installation secret (shared by all nodes through the database) for signing tokens.
    pub secret: Arc<Vec<u8>>,
    pub metrics: Arc<metrics::Metrics>,
    /// Bounds concurrent argon2 work (19 MiB and tens of milliseconds each), so a flood
    /// of sign-in attempts queues instead of exhausting memory.
    pub hash_permits: Arc<tokio::sync::Semaphore>,
}

impl AppState {
    pub async fn new(db: Db, config: WebConfig) -> Result<AppState, danchu_db::DbError> {
        let secret = danchu_db::settings::secret_key(&db).await?;
        Ok(AppState {
            db,
            config: Arc::new(config),
            secret: Arc::new(secret),
            metrics: Arc::new(metrics::Metrics::default()),
            hash_permits: Arc::new(tokio::sync::Semaphore::new(4)),
        })
    }

    /// Runs a password hash or check off the async threads, at most 4 at a time.
    pub async fn hashing<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, error::AppError> {
        let _permit = self
            .hash_permits
            .acquire()
            .await
            .map_err(|e| error::AppError::Internal(e.to_string()))?;
        tokio::task::spawn_blocking(f)
            .await
            .map_err(|e| error::AppError::Internal(e.to_string()))
    }
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    let routes = Router::new()
        .merge(public::router())
        .merge(auth::router())
        .merge(admin::router())
        .merge(ops::router())
        .merge(statics::router())
        .fallback(error::not_found);
    middleware::wrap(routes, state)
}
