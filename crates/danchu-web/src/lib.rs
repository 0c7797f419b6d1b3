//! The HTTP side of danchu: one router, server-rendered pages in Vietnamese (English on
//! request), the admin area, and the middleware every request passes through
//! (request id, metrics, body limit, timeout, security headers, CSRF, language).

// The shared kit: what every capability uses; it uses no capability.
pub mod api;
pub mod auth;
pub mod background;
pub mod csrf;
pub mod error;
pub mod extract;
pub mod form;
pub mod layout;
pub mod media;
pub mod metrics;
pub mod middleware;
pub mod ops;
pub mod pager;
pub mod public;
pub mod server;
pub mod statics;

// The capabilities: each a folder with its `router()` and its faces (portal, admin, API),
// using the kit and never another capability.
pub mod disclosures;
pub mod documents;
pub mod identity;
pub mod plans;
pub mod portal;
pub mod reporting;
pub mod search;
pub mod units;

// Where the capabilities meet: every cross-capability hook, one `match` each.
pub mod hooks;

#[cfg(test)]
mod tests;

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
    /// Longest time a request with uploaded files may take (slow phone connections).
    pub upload_timeout: Duration,
    /// Take the client address from the last `X-Forwarded-For` entry (set only behind a
    /// load balancer that writes that header).
    pub trust_proxy: bool,
    /// Where uploaded files are kept (DANCHU_DATA_DIR).
    pub data_dir: std::path::PathBuf,
    /// Limits of the text-extraction child process.
    pub extract: extract::Limits,
    /// How each notification channel is delivered, for the outbox page.
    pub channels: String,
    /// This node's name (DANCHU_NODE): the other nodes skip the change notices it sends.
    pub node: String,
    /// When set, every request's database use is appended here (the tests read it to hold
    /// each action to one transaction and each page to a fixed number of queries).
    pub usage_log: Option<UsageLog>,
}

/// What one request asked of the database.
#[derive(Debug, Clone)]
pub struct RequestUsage {
    pub method: &'static str,
    pub path: String,
    pub status: u16,
    pub db: danchu_db::UsageCounts,
}

/// The requests' database use, in the order they finished.
pub type UsageLog = Arc<std::sync::Mutex<Vec<RequestUsage>>>;

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            base_url: "http://127.0.0.1:8080".into(),
            body_limit: 2 * 1024 * 1024,
            request_timeout: Duration::from_secs(30),
            upload_timeout: Duration::from_secs(300),
            trust_proxy: false,
            node: "danchu".into(),
            channels: "chưa cấu hình".into(),
            data_dir: std::path::PathBuf::from("data"),
            extract: extract::Limits::default(),
            usage_log: None,
        }
    }
}

impl WebConfig {
    /// Cookies get `Secure` when the site is served over HTTPS.
    pub fn secure_cookies(&self) -> bool {
        self.base_url.starts_with("https://")
    }
}

/// Shared state of every handler: one pointer, so handing it to each middleware and
/// handler costs a single reference-count update.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// What every handler shares (reached through [`AppState`]).
pub struct Shared {
    pub db: Db,
    pub config: Arc<WebConfig>,
    /// Installation secret (shared by all nodes through the database) for signing tokens.
    pub secret: Arc<Vec<u8>>,
    pub metrics: Arc<metrics::Metrics>,
    /// Bounds concurrent argon2 work (19 MiB and tens of milliseconds each), so a flood
    /// of sign-in attempts queues instead of exhausting memory.
    pub hash_permits: Arc<tokio::sync::Semaphore>,
    /// Bounds concurrent image decoding (thumbnails), apart from password hashing.
    pub image_permits: Arc<tokio::sync::Semaphore>,
    /// Reads the text of uploaded documents in child processes under limits.
    pub extractor: Arc<extract::Extractor>,
    /// View counts and visitor statistics, flushed to the database every second.
    pub counters: Arc<public::counters::Counters>,
    /// Rendered public pages for anonymous visitors.
    pub cache: Arc<public::cache::PageCache>,
    /// Tells the other nodes that content changed (their caches empty within a second).
    pub announcer: danchu_db::changes::Announcer,
    /// The portal chrome (menu, banners, link lists), kept like the pages.
    pub chrome: Arc<public::cache::Memo<public::Chrome>>,
    /// The units offered in the public register's filter (a few seconds old at most).
    pub disclosure_units: Arc<public::cache::Memo<Vec<(i64, String)>>>,
    /// The portal's name (setting `site_name`).
    pub site_name: Arc<String>,
}

impl AppState {
    pub async fn new(db: Db, config: WebConfig) -> Result<AppState, danchu_db::DbError> {
        let secret = danchu_db::settings::secret_key(&db).await?;
        let counters: Arc<public::counters::Counters> = Arc::default();
        // Reads the visitor statistics before the first page is served.
        counters.flush(&db).await?;
        let image_permits = Arc::new(tokio::sync::Semaphore::new(config.extract.workers.max(1)));
        let extractor = Arc::new(extract::Extractor::new(config.extract.clone()));
        let announcer = danchu_db::changes::Announcer::spawn(&db, config.node.clone());
        Ok(AppState(Arc::new(Shared {
            config: Arc::new(config),
            secret: Arc::new(secret),
            metrics: Arc::new(metrics::Metrics::default()),
            hash_permits: Arc::new(tokio::sync::Semaphore::new(4)),
            image_permits,
            extractor,
            counters,
            cache: Arc::default(),
            announcer,
            chrome: Arc::default(),
            disclosure_units: Arc::default(),
            site_name: Arc::new(
                danchu_db::settings::get(&db, "site_name")
                    .await?
                    .unwrap_or_else(|| "Cổng thông tin điện tử".to_string()),
            ),
            db,
        })))
    }

    /// Runs a password hash or check off the async threads, at most 4 at a time.
    pub async fn hashing<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, error::AppError> {
        blocking(&self.hash_permits, f).await
    }

    /// Decodes an image (thumbnails) off the async threads, a few at a time.
    pub async fn decoding<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, error::AppError> {
        blocking(&self.image_permits, f).await
    }
}

/// Runs `f` on a blocking thread once a permit of `pool` is free. The permit moves into
/// the work, so it is held for as long as the work runs, even if the request that asked
/// for it is abandoned (the work cannot be stopped half-way, so it must still count).
async fn blocking<T: Send + 'static>(
    pool: &Arc<tokio::sync::Semaphore>,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, error::AppError> {
    let permit = pool
        .clone()
        .acquire_owned()
        .await
        .map_err(|e| error::AppError::Internal(e.to_string()))?;
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        f()
    })
    .await
    .map_err(|e| error::AppError::Internal(e.to_string()))
}

/// Starts the background work of a node: flushing view counts every second. Call
/// `stop().await` on the result at shutdown to write the last counts.
pub fn spawn_background(state: &AppState) -> public::counters::Flusher {
    public::counters::spawn_flusher(state.clone())
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    // The API and its description come from one place; a JSON body is read up to the
    // configured limit (413 past it).
    let (api_routes, mut doc) = hooks::api().split_for_parts();
    api::openapi::with_idempotency_key(&mut doc);
    let api_routes = api_routes
        .route(
            "/api/openapi.json",
            axum::routing::get(api::openapi::serve(&doc)),
        )
        .layer(axum::extract::DefaultBodyLimit::max(
            state.config.body_limit,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            api::idempotency::layer,
        ));
    let routes = Router::new()
        .merge(hooks::pages())
        .merge(media::router())
        .merge(auth::router())
        .merge(api_routes)
        .merge(ops::router())
        .merge(background::router())
        .merge(statics::router())
        .fallback(error::not_found);
    middleware::wrap(routes, state)
}
