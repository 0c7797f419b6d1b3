//! Starts danchu on a fresh database for one test and talks to it over HTTP.
//! `app` starts and stops the server, `client` is what a browser or a form does,
//! `store` looks at the database and the data dir, `html` cuts pages, `files` makes
//! real PDF/DOCX/PNG files, `html_form` reads a page's forms as a browser would, `admin`
//! fills the admin forms many tests share (a unit, an account).

mod admin;
mod app;
mod client;
mod files;
mod fixture;
mod html;
pub mod html_form;
mod office;
mod store;

pub use client::{
    assert_page, assert_refused, body_at, cookie_line, multipart_form, sign_in_at,
    sign_in_at_with_jar,
};
pub use files::{docx_with_text, pdf_bomb, pdf_with_text, PNG_1X1};
pub use fixture::{Fixture, EDITOR, EDITOR_AND_AN_LAP};
pub use html::{between, csrf_in, row_with};
pub use office::OfficeFile;
pub use store::one_row;

use std::path::PathBuf;

use danchu_db::Db;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub fn pg_url() -> String {
    std::env::var("DANCHU_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

/// Runs a test body once per backend on a fresh database seeded by a [`Fixture`]:
/// `both!(name, Fixture::units().with_users(&["admin"]), |app| async move { ... })`
/// (`Fixture::demo()` for the whole demo). After the body, [`check_usage`] checks every
/// request the test made.
#[macro_export]
macro_rules! both {
    ($name:ident, $fixture:expr, $body:expr) => {
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                $crate::harness::run($crate::harness::Backend::Sqlite, $fixture, $body).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                $crate::harness::run($crate::harness::Backend::Postgres, $fixture, $body).await;
            }
        }
    };
}

/// Starts a test app on `backend` with `fixture`, runs `body` on it, then checks the
/// database use of every request it made ([`check_usage`]).
pub async fn run<F, Fut>(backend: Backend, fixture: Fixture, body: F)
where
    F: FnOnce(TestApp) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let app = fixture.start(backend).await;
    let usage = app.usage.clone();
    body(app).await;
    check_usage(&usage);
}

/// Changes a test server's settings before it starts.
pub type Configure = fn(&mut danchu_web::WebConfig, &mut danchu_web::server::ConnLimits);

/// Most statements one read may send. A page that lists rows must not send one per row;
/// the scaling tests (tests/it/queries/) check that directly, this catches the rest.
pub const QUERY_BUDGET: u32 = 30;
/// Most statements one change may send (its audit entries and search entry included).
pub const WRITE_BUDGET: u32 = 60;

/// Holds every request a test made to the rules of the query layer: a request that changes
/// something does it in one transaction and writes nothing outside it (one user action =
/// one transaction, so a failure half-way leaves nothing half-done); a read writes nothing
/// and begins no transaction; no read sends more than [`QUERY_BUDGET`] statements, no change
/// more than [`WRITE_BUDGET`].
/// Sign-in records a failed attempt before checking the password (so parallel guesses
/// count), a second transaction by design.
pub fn check_usage(log: &danchu_web::UsageLog) {
    let log = log.lock().expect("usage log");
    let mut problems = Vec::new();
    for r in log.iter() {
        let read = matches!(r.method, "GET" | "HEAD");
        let allowed_tx = match (r.method, r.path.as_str()) {
            (_, _) if read => 0,
            ("POST", "/dang-nhap") => 2,
            _ => 1,
        };
        if r.db.transactions > allowed_tx || r.db.bare_writes > 0 {
            problems.push(format!(
                "{} {} ({}): {} transactions, {} writes outside a transaction",
                r.method, r.path, r.status, r.db.transactions, r.db.bare_writes
            ));
        }
        let budget = if read || r.db.transactions == 0 {
            QUERY_BUDGET
        } else {
            WRITE_BUDGET
        };
        if r.db.queries > budget {
            problems.push(format!(
                "{} {} ({}): {} statements (budget {budget})",
                r.method, r.path, r.status, r.db.queries
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "database use:\n{}",
        problems.join("\n")
    );
}

/// A running danchu with the demo data on its own database.
pub struct TestApp {
    pub backend: Backend,
    pub db: Db,
    pub url: String,
    pub database_url: String,
    /// The running app's state (for flushing counters in tests).
    pub state: danchu_web::AppState,
    /// Every request's database use.
    pub usage: danchu_web::UsageLog,
    cleanup: Cleanup,
    data_dir: std::path::PathBuf,
    server: tokio::task::JoinHandle<()>,
}

/// What a test app removes when it is dropped (besides its data dir).
pub enum Cleanup {
    /// A directory (the SQLite file's).
    Dir(PathBuf),
    /// A PostgreSQL schema.
    Schema(String),
}

/// A fresh, unique directory under the system temp dir.
pub fn temp_dir(prefix: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(unique(prefix));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// The `schema=` of a PostgreSQL URL.
pub fn schema_of(url: &str) -> Option<String> {
    url.split_once('?')?
        .1
        .split('&')
        .find_map(|p| p.strip_prefix("schema="))
        .map(str::to_string)
}

/// Asserts that a command run by a test succeeded, showing what it wrote when it did not.
pub fn assert_ran(out: &std::process::Output) {
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The danchu binary set up for a database and a data dir (not yet run).
pub fn danchu_cli(database_url: &str, data_dir: &std::path::Path) -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_danchu"));
    c.env("DANCHU_DATABASE_URL", database_url)
        .env("DANCHU_DATA_DIR", data_dir)
        .env("RUST_LOG", "warn");
    c
}

pub(crate) fn unique(prefix: &str) -> String {
    format!(
        "{prefix}_{}_{:x}",
        std::process::id(),
        rand::random::<u64>()
    )
}
