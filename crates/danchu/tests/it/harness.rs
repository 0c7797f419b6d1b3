//! Starts danchu on a fresh database for one test and talks to it over HTTP.

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

/// Runs a test body once per backend: `both!(name, |app| async move { ... })`.
#[macro_export]
macro_rules! both {
    ($name:ident, $body:expr) => {
        $crate::both_with!($name, |_, _| {}, $body);
    };
}

/// [`both!`] with the server's settings changed first:
/// `both_with!(name, |web, conn| { web.upload_timeout = … }, |app| async move { … })`.
#[macro_export]
macro_rules! both_with {
    ($name:ident, $configure:expr, $body:expr) => {
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = $crate::harness::TestApp::start_configured(
                    $crate::harness::Backend::Sqlite,
                    $configure,
                )
                .await;
                let usage = app.usage.clone();
                ($body)(app).await;
                $crate::harness::check_usage(&usage);
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let app = $crate::harness::TestApp::start_configured(
                    $crate::harness::Backend::Postgres,
                    $configure,
                )
                .await;
                let usage = app.usage.clone();
                ($body)(app).await;
                $crate::harness::check_usage(&usage);
            }
        }
    };
}

/// Changes a test server's settings before it starts.
pub type Configure = fn(&mut danchu_web::WebConfig, &mut danchu_web::server::ConnLimits);

/// Most statements one read may send. A page that lists rows must not send one per row;
/// the scaling tests (tests/it/queries.rs) check that directly, this catches the rest.
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

/// The danchu binary set up for a database and a data dir (not yet run).
pub fn danchu_cli(database_url: &str, data_dir: &std::path::Path) -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_danchu"));
    c.env("DANCHU_DATABASE_URL", database_url)
        .env("DANCHU_DATA_DIR", data_dir)
        .env("RUST_LOG", "warn");
    c
}

fn unique(prefix: &str) -> String {
    format!(
        "{prefix}_{}_{:x}",
        std::process::id(),
        rand::random::<u64>()
    )
}

impl TestApp {
    pub async fn start(backend: Backend) -> TestApp {
        TestApp::start_configured(backend, |_, _| {}).await
    }

    /// Starts with the demo data and the server's settings changed by `configure`.
    pub async fn start_configured(backend: Backend, configure: Configure) -> TestApp {
        let (database_url, cleanup) = match backend {
            Backend::Sqlite => {
                let dir = std::env::temp_dir().join(unique("danchu_test"));
                std::fs::create_dir_all(&dir).expect("temp dir");
                (
                    format!("sqlite://{}", dir.join("t.db").display()),
                    Cleanup::Dir(dir),
                )
            }
            Backend::Postgres => {
                let schema = unique("t");
                let admin = Db::connect(&pg_url(), 2)
                    .await
                    .expect("PostgreSQL must be reachable at DANCHU_TEST_PG_URL");
                admin
                    .execute(danchu_db::q(format!("CREATE SCHEMA {schema}")))
                    .await
                    .expect("create schema");
                admin.close().await;
                (
                    format!("{}?schema={schema}", pg_url()),
                    Cleanup::Schema(schema),
                )
            }
        };
        let db = Db::connect(&database_url, 4).await.expect("connect");
        danchu_db::migrate::run(&db).await.expect("migrate");
        danchu::demo::seed(&db).await.expect("demo seed");
        let data_dir = std::env::temp_dir().join(unique("danchu_data"));
        TestApp::serve(backend, db, database_url, data_dir, cleanup, configure).await
    }

    /// Starts a server on a database and data dir that already exist (migrated, as
    /// `danchu restore` leaves them), without seeding; `cleanup` is removed on drop, with
    /// the data dir.
    pub async fn on_existing(
        backend: Backend,
        database_url: String,
        data_dir: PathBuf,
        cleanup: Cleanup,
    ) -> TestApp {
        let db = Db::connect(&database_url, 4).await.expect("connect");
        TestApp::serve(backend, db, database_url, data_dir, cleanup, |_, _| {}).await
    }

    async fn serve(
        backend: Backend,
        db: Db,
        database_url: String,
        data_dir: PathBuf,
        cleanup: Cleanup,
        configure: Configure,
    ) -> TestApp {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let url = format!("http://{addr}");
        let usage = danchu_web::UsageLog::default();
        let mut config = danchu_web::WebConfig {
            data_dir: data_dir.clone(),
            base_url: url.clone(),
            body_limit: 64 * 1024,
            usage_log: Some(usage.clone()),
            // The server runs inside the test binary: the extraction child is the real
            // danchu binary.
            extract: danchu_web::extract::Limits {
                program: Some(env!("CARGO_BIN_EXE_danchu").into()),
                ..Default::default()
            },
            ..Default::default()
        };
        let mut limits = danchu_web::server::ConnLimits::default();
        configure(&mut config, &mut limits);
        let state = danchu_web::AppState::new(db.clone(), config)
            .await
            .expect("state");
        let app = danchu_web::router(state.clone());
        let server = tokio::spawn(danchu_web::server::serve(
            listener,
            app,
            limits,
            std::future::pending(),
        ));
        TestApp {
            backend,
            db,
            url,
            database_url,
            state,
            usage,
            cleanup,
            data_dir,
            server,
        }
    }

    /// A browser-like client: keeps cookies, does not follow redirects.
    pub fn client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .user_agent("Mozilla/5.0 (Linux; Android 10; SM-A105F) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36")
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
    }

    pub fn at(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }

    /// GETs a page and returns its body, asserting 200.
    pub async fn page(&self, c: &reqwest::Client, path: &str) -> String {
        let r = c.get(self.at(path)).send().await.expect("GET");
        assert_eq!(r.status(), 200, "GET {path}");
        r.text().await.expect("body")
    }

    /// The CSRF token of a page's form (fetching the page sets the cookie).
    pub async fn csrf(&self, c: &reqwest::Client, path: &str) -> String {
        csrf_in(&self.page(c, path).await)
    }

    /// POSTs a form with the CSRF token taken from `form_page`.
    pub async fn post(
        &self,
        c: &reqwest::Client,
        form_page: &str,
        action: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let token = self.csrf(c, form_page).await;
        let mut all: Vec<(&str, &str)> = vec![("_csrf", token.as_str())];
        all.extend_from_slice(fields);
        c.post(self.at(action))
            .form(&all)
            .send()
            .await
            .expect("POST")
    }

    /// [`TestApp::sign_in`], with the client's cookie jar (to read its cookies).
    pub async fn sign_in_with_jar(
        &self,
        username: &str,
    ) -> (reqwest::Client, std::sync::Arc<reqwest::cookie::Jar>) {
        let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
        let c = reqwest::Client::builder()
            .user_agent("Mozilla/5.0 (X11; Linux x86_64) Chrome/120 Safari/537.36")
            .cookie_provider(jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        let r = self
            .post(
                &c,
                "/dang-nhap",
                "/dang-nhap",
                &[
                    ("username", username),
                    ("password", danchu::demo::DEMO_PASSWORD),
                    ("next", "/quan-tri"),
                ],
            )
            .await;
        assert_eq!(r.status(), 303, "sign-in of {username}");
        (c, jar)
    }

    /// Signs in with the demo password; returns the client.
    pub async fn sign_in(&self, username: &str) -> reqwest::Client {
        let c = self.client();
        let r = self
            .post(
                &c,
                "/dang-nhap",
                "/dang-nhap",
                &[
                    ("username", username),
                    ("password", danchu::demo::DEMO_PASSWORD),
                    ("next", "/quan-tri"),
                ],
            )
            .await;
        assert_eq!(r.status(), 303, "sign-in of {username}");
        c
    }

    /// The newest audit entry now: a check after a step looks only at what came after.
    pub async fn audit_mark(&self) -> i64 {
        self.db
            .fetch_optional(danchu_db::q(
                "SELECT COALESCE(MAX(seq), 0) AS n FROM audit_log",
            ))
            .await
            .expect("audit log")
            .map(|r| r.get::<i64>("n").expect("seq"))
            .unwrap_or(0)
    }

    /// Asserts that after `mark` each (action, entity id) was written to the audit log —
    /// not satisfied by the demo's own entries or by another entity's — and that the
    /// chain verifies.
    pub async fn assert_audited_since(&self, mark: i64, expected: &[(&str, String)]) {
        let seen: Vec<(String, String)> = self
            .db
            .fetch_all(
                danchu_db::q("SELECT action, entity_id FROM audit_log WHERE seq > $1").bind(mark),
            )
            .await
            .expect("audit log")
            .iter()
            .map(|r| {
                (
                    r.get::<String>("action").expect("action"),
                    r.get::<String>("entity_id").expect("entity"),
                )
            })
            .collect();
        for (action, entity) in expected {
            assert!(
                seen.iter().any(|(a, e)| a == action && e == entity),
                "{action} of {entity} audited after the mark (seen: {seen:?})"
            );
        }
        let v = danchu_db::audit::verify(&self.db).await.expect("verify");
        assert!(
            v.error.is_none() && v.truncated.is_none(),
            "audit chain verifies"
        );
    }

    /// Uploads one file to the media library (`/quan-tri/tep`) for the unit `unit_code`.
    pub async fn upload(
        &self,
        c: &reqwest::Client,
        unit_code: &str,
        name: &str,
        bytes: Vec<u8>,
    ) -> reqwest::Response {
        let token = self.csrf(c, "/quan-tri/tep").await;
        let unit = self.unit_id(unit_code).await.to_string();
        let form = reqwest::multipart::Form::new().text("unit_id", unit).part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
        );
        c.post(self.at(&format!("/quan-tri/tep?_csrf={token}")))
            .multipart(form)
            .send()
            .await
            .expect("upload")
    }

    /// How many statements a GET of `path` sends to the database (asserting 200).
    pub async fn queries_of(&self, c: &reqwest::Client, path: &str) -> u32 {
        let r = c.get(self.at(path)).send().await.expect("GET");
        assert_eq!(r.status(), 200, "GET {path}");
        let _ = r.bytes().await;
        let log = self.usage.lock().expect("usage log");
        let plain = path.split('?').next().unwrap_or(path);
        log.iter()
            .rev()
            .find(|u| u.method == "GET" && u.path == plain)
            .map(|u| u.db.queries)
            .unwrap_or_else(|| panic!("no usage recorded for {path}"))
    }

    /// The names of this database's tables.
    pub async fn tables(&self) -> Vec<String> {
        let sql = match self.backend {
            Backend::Sqlite => "SELECT name AS t FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
            Backend::Postgres => "SELECT table_name::text AS t FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name",
        };
        self.db
            .fetch_all(danchu_db::q(sql))
            .await
            .expect("tables")
            .iter()
            .map(|r| r.get::<String>("t").expect("name"))
            .collect()
    }

    /// Every row of every table, as JSON text, sorted: for checking that an action changed
    /// nothing (`skip` tables and columns named `updated_at` are left out).
    pub async fn snapshot(&self, skip: &[&str]) -> std::collections::BTreeMap<String, Vec<String>> {
        let mut out = std::collections::BTreeMap::new();
        for t in self.tables().await {
            if skip.contains(&t.as_str()) {
                continue;
            }
            let sql = match self.backend {
                Backend::Sqlite => {
                    let cols: Vec<String> = self
                        .db
                        .fetch_all(danchu_db::q(format!(
                            "SELECT name FROM pragma_table_info('{t}')"
                        )))
                        .await
                        .expect("columns")
                        .iter()
                        .map(|r| r.get::<String>("name").expect("column"))
                        .filter(|c| c != "updated_at")
                        .collect();
                    let pairs: Vec<String> =
                        cols.iter().map(|c| format!("'{c}', \"{c}\"")).collect();
                    format!("SELECT json_object({}) AS j FROM \"{t}\"", pairs.join(", "))
                }
                Backend::Postgres => {
                    format!("SELECT (to_jsonb(x) - 'updated_at')::text AS j FROM \"{t}\" x")
                }
            };
            let mut rows: Vec<String> = self
                .db
                .fetch_all(danchu_db::q(sql))
                .await
                .expect("rows")
                .iter()
                .map(|r| r.get::<String>("j").expect("json"))
                .collect();
            rows.sort();
            out.insert(t, rows);
        }
        out
    }

    /// The files in the uploads folder.
    pub fn media_files(&self) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(self.data_dir.join("media"))
            .map(|d| {
                d.filter_map(Result::ok)
                    .map(|e| e.file_name().to_string_lossy().to_string())
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    }

    pub async fn unit_id(&self, code: &str) -> i64 {
        danchu_db::units::by_code(&mut self.db.clone(), code)
            .await
            .expect("db")
            .expect("unit")
            .id
    }

    /// Runs the danchu binary against this test's database.
    pub fn cli(&self, args: &[&str]) -> std::process::Output {
        self.cli_command(args).output().expect("run danchu")
    }

    /// The danchu binary set up for this test's database and data dir, to add to.
    pub fn cli_command(&self, args: &[&str]) -> std::process::Command {
        let mut c = danchu_cli(&self.database_url, &self.data_dir);
        c.args(args);
        c
    }

    /// Where this app keeps uploaded files (its DANCHU_DATA_DIR).
    pub fn data_dir(&self) -> &std::path::Path {
        &self.data_dir
    }
}

/// The part of `html` after the first `start` up to the next `end` (neither included):
/// for checking one region of a page (a results list, a table body) rather than the whole
/// page with its menus. Panics when either marker is missing.
pub fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("page has {start:?}"))
        + start.len();
    let len = html[from..]
        .find(end)
        .unwrap_or_else(|| panic!("page has {end:?} after {start:?}"));
    &html[from..from + len]
}

/// The table row (`<tr…>…</tr>`) that holds `needle`. Panics when no row holds it.
pub fn row_with<'a>(html: &'a str, needle: &str) -> &'a str {
    let at = html
        .find(needle)
        .unwrap_or_else(|| panic!("page has {needle:?}"));
    let start = html[..at]
        .rfind("<tr")
        .unwrap_or_else(|| panic!("{needle:?} is in a table row"));
    let end = at
        + html[at..]
            .find("</tr>")
            .unwrap_or_else(|| panic!("the row of {needle:?} ends"));
    &html[start..end]
}

pub fn csrf_in(html: &str) -> String {
    let marker = "name=\"_csrf\" value=\"";
    let start = html.find(marker).expect("page has a CSRF field") + marker.len();
    html[start..]
        .split('"')
        .next()
        .unwrap_or_default()
        .to_string()
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
        if let Ok(path) = std::env::var("DANCHU_TEST_USAGE_DUMP") {
            use std::io::Write as _;
            let name = std::thread::current().name().unwrap_or("?").to_string();
            if let (Ok(mut f), Ok(log)) = (
                std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(path),
                self.usage.lock(),
            ) {
                for r in log.iter() {
                    let _ = writeln!(
                        f,
                        "{name}\t{}\t{}\t{}\t{}\t{}\t{}",
                        r.method,
                        r.path,
                        r.status,
                        r.db.queries,
                        r.db.transactions,
                        r.db.bare_writes
                    );
                }
            }
        }
        let _ = std::fs::remove_dir_all(&self.data_dir);
        match &self.cleanup {
            Cleanup::Dir(d) => {
                let _ = std::fs::remove_dir_all(d);
            }
            Cleanup::Schema(s) => {
                let s = s.clone();
                // Drop runs outside async; use a small runtime on a plain thread.
                let _ = std::thread::spawn(move || {
                    if let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                    {
                        rt.block_on(async {
                            if let Ok(db) = Db::connect(&pg_url(), 2).await {
                                let _ = db
                                    .execute(danchu_db::q(format!(
                                        "DROP SCHEMA IF EXISTS {s} CASCADE"
                                    )))
                                    .await;
                                db.close().await;
                            }
                        });
                    }
                })
                .join();
            }
        }
    }
}

/// A real one-page PDF whose page shows `text` (ASCII, Helvetica), with `pad` bytes of
/// comment after the header (to make big files that are still valid).
pub fn pdf_with_text(text: &str, pad: usize) -> Vec<u8> {
    let content = format!(
        "BT /F1 12 Tf 72 720 Td ({}) Tj ET",
        text.replace('\\', "\\\\")
            .replace('(', "\\(")
            .replace(')', "\\)")
    );
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_string(),
        format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_string(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    if pad > 0 {
        out.push(b'%');
        out.extend(std::iter::repeat_n(b' ', pad));
        out.push(b'\n');
    }
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n{o}\nendobj\n", i + 1).bytes());
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
    for off in offsets {
        out.extend(format!("{off:010} 00000 n \n").bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .bytes(),
    );
    out
}

/// A real PDF whose one content stream is a Flate bomb: ~64 KiB on disk, 32 MiB of
/// drawing operators inflated. Read in-process, `pdf-extract` takes about 45 s and 2.3 GiB
/// on it (measured on a debug build, issue 13).
pub fn pdf_bomb() -> Vec<u8> {
    use std::io::Write as _;
    let mut content = b"BT /F1 12 Tf 72 720 Td (Bom) Tj ET\n".to_vec();
    let op = b"1 0 0 1 0 0 cm\n";
    for _ in 0..(32 * 1024 * 1024 / op.len()) {
        content.extend_from_slice(op);
    }
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(&content).expect("deflate");
    let stream = z.finish().expect("deflate");
    let mut objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_vec(),
    ];
    let mut s = format!(
        "<< /Length {} /Filter /FlateDecode >>\nstream\n",
        stream.len()
    )
    .into_bytes();
    s.extend_from_slice(&stream);
    s.extend_from_slice(b"\nendstream");
    objects.push(s);
    objects.push(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_vec(),
    );
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n", i + 1).bytes());
        out.extend_from_slice(o);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
    for off in offsets {
        out.extend(format!("{off:010} 00000 n \n").bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .bytes(),
    );
    out
}

/// A real DOCX whose body has these paragraphs.
pub fn docx_with_text(paragraphs: &[&str]) -> Vec<u8> {
    use std::io::Write as _;
    let body: String = paragraphs
        .iter()
        .map(|p| format!("<w:p><w:r><w:t xml:space=\"preserve\">{p}</w:t></w:r></w:p>"))
        .collect();
    let parts = [
        ("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#.to_string()),
        ("_rels/.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#.to_string()),
        ("word/document.xml", format!(r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#)),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, text) in parts {
        zip.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}
