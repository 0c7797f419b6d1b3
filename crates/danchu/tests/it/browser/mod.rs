//! A real browser: headless Chromium driven over WebDriver (chromium-driver), signing in
//! and out through the pages, without any test-only shortcut. Install the browser with
//! scripts/install-test-deps.sh. Without it the tests fail: they never pass by skipping.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{json, Value};

use crate::harness::TestApp;

use crate::harness::EDITOR;

mod disclosures;
mod editor;
mod portal;
mod reporting;
mod search_pages;
mod sign_in;
mod text_size;

struct Driver {
    child: Child,
    /// Chromium's profile directory (removed when done).
    profile: std::path::PathBuf,
    base: String,
    session: String,
    http: reqwest::Client,
}

impl Driver {
    async fn start() -> Driver {
        Driver::start_with(json!({})).await
    }

    /// A session with more capabilities (e.g. `unhandledPromptBehavior`).
    async fn start_with(extra: Value) -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port for chromedriver")
            .port();
        // Killed and waited for in `Drop`; every step after the spawn panics rather than returns.
        #[allow(clippy::zombie_processes)]
        let child = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver not found: run scripts/install-test-deps.sh");
        let base = format!("http://127.0.0.1:{port}");
        let http = reqwest::Client::new();
        for _ in 0..100 {
            if http.get(format!("{base}/status")).send().await.is_ok() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let profile =
            std::env::temp_dir().join(format!("danchu_chrome_{:x}", rand::random::<u64>()));
        let mut always = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         "--window-size=360,800", format!("--user-data-dir={}", profile.display())]
            }
        });
        if let (Some(a), Some(e)) = (always.as_object_mut(), extra.as_object()) {
            a.extend(e.clone());
        }
        let caps = json!({"capabilities": {"alwaysMatch": always}});
        let r: Value = http
            .post(format!("{base}/session"))
            .json(&caps)
            .send()
            .await
            .expect("chromedriver answers")
            .json()
            .await
            .expect("json");
        let session = r["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no WebDriver session: {r}"))
            .to_string();
        Driver {
            child,
            profile,
            base,
            session,
            http,
        }
    }

    async fn cmd(&self, method: reqwest::Method, path: &str, body: Value) -> Value {
        match self.try_cmd(method, path, body).await {
            Ok(v) => v,
            Err(e) => panic!("{path}: {e}"),
        }
    }

    /// A command whose WebDriver error is an answer (e.g. "no such alert").
    async fn try_cmd(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Value,
    ) -> Result<Value, Value> {
        let url = format!("{}/session/{}{path}", self.base, self.session);
        let req = self.http.request(method.clone(), &url);
        let req = if method == reqwest::Method::GET {
            req
        } else {
            req.json(&body)
        };
        let v: Value = req
            .send()
            .await
            .expect("webdriver")
            .json()
            .await
            .expect("json");
        if v["value"].get("error").is_some() {
            Err(v["value"].clone())
        } else {
            Ok(v["value"].clone())
        }
    }

    /// Signs in through the sign-in page and lands on `next`.
    async fn sign_in(&self, app: &TestApp, username: &str, next: &str) {
        self.goto(&app.at(&format!("/dang-nhap?next={next}"))).await;
        self.type_into("#username", username).await;
        self.type_into("#password", danchu::demo::DEMO_PASSWORD)
            .await;
        self.click("form.card button[type=submit]").await;
        self.wait_for_url(next).await;
    }

    async fn goto(&self, url: &str) {
        self.cmd(reqwest::Method::POST, "/url", json!({"url": url}))
            .await;
    }

    async fn find(&self, css: &str) -> String {
        let v = self
            .cmd(
                reqwest::Method::POST,
                "/element",
                json!({"using": "css selector", "value": css}),
            )
            .await;
        v.as_object()
            .and_then(|o| o.values().next())
            .and_then(|v| v.as_str())
            .expect("element id")
            .to_string()
    }

    /// Does `action` (`value`, `clear`, `click`) with `body` on the element `css` finds.
    async fn on_element(&self, css: &str, action: &str, body: Value) {
        let id = self.find(css).await;
        let path = format!("/element/{id}/{action}");
        self.cmd(reqwest::Method::POST, &path, body).await;
    }

    async fn type_into(&self, css: &str, text: &str) {
        self.on_element(css, "value", json!({"text": text})).await;
    }

    async fn clear(&self, css: &str) {
        self.on_element(css, "clear", json!({})).await;
    }

    async fn click(&self, css: &str) {
        self.on_element(css, "click", json!({})).await;
    }

    async fn url(&self) -> String {
        self.cmd(reqwest::Method::GET, "/url", json!({}))
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    async fn source(&self) -> String {
        self.cmd(reqwest::Method::GET, "/source", json!({}))
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// The page source once it contains `text` (a click returns before the next page loads).
    async fn wait_for_text(&self, text: &str) -> String {
        for _ in 0..50 {
            let s = self.source().await;
            if s.contains(text) {
                return s;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        self.source().await
    }

    /// Runs a script in the page and returns its value.
    async fn exec(&self, script: &str) -> Value {
        self.cmd(
            reqwest::Method::POST,
            "/execute/sync",
            json!({"script": script, "args": []}),
        )
        .await
    }

    async fn resize(&self, width: u32, height: u32) {
        self.cmd(
            reqwest::Method::POST,
            "/window/rect",
            json!({"width": width, "height": height}),
        )
        .await;
    }

    /// Saves a screenshot of the viewport under target/screenshots/.
    async fn screenshot(&self, name: &str) {
        use base64::Engine as _;
        let png = self
            .cmd(reqwest::Method::GET, "/screenshot", json!({}))
            .await;
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
        let _ = std::fs::create_dir_all(&dir);
        if let Some(b) = png
            .as_str()
            .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
        {
            let _ = std::fs::write(dir.join(format!("{name}.png")), b);
        }
    }

    /// Runs axe-core (WCAG 2.1 A and AA rules) on the current page; returns the violations.
    async fn axe(&self) -> Vec<Value> {
        let axe_js = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../e2e/node_modules/axe-core/axe.min.js");
        let src = std::fs::read_to_string(&axe_js)
            .expect("axe-core missing: run scripts/install-test-deps.sh");
        self.exec(&format!("{src}\nreturn typeof axe;")).await;
        let script = "var done = arguments[arguments.length - 1];\
            axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})\
              .then(function (r) { done(JSON.stringify(r.violations.map(function (v) {\
                return {id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(function (n) { return n.target.join(' '); })}; }))); })\
              .catch(function (e) { done('[{\"id\": \"axe-error\", \"help\": \"' + e + '\"}]'); });";
        let v = self
            .cmd(
                reqwest::Method::POST,
                "/execute/async",
                json!({"script": script, "args": []}),
            )
            .await;
        serde_json::from_str(v.as_str().unwrap_or("[]")).unwrap_or_default()
    }

    /// Asserts that axe finds no WCAG 2.1 A/AA violation on the page now (`what` names
    /// the page in the failure).
    async fn assert_accessible(&self, what: &str) {
        let violations = self.axe().await;
        assert!(
            violations.is_empty(),
            "axe {what}: {}",
            serde_json::to_string_pretty(&violations).unwrap_or_default()
        );
    }

    async fn wait_for_url(&self, suffix: &str) -> String {
        for _ in 0..50 {
            let u = self.url().await;
            if u.ends_with(suffix) {
                return u;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        self.url().await
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // Ask chromedriver to close the browser (it starts Chromium in a process group
        // of its own), then make sure: every process using our profile directory goes.
        let addr = self.base.trim_start_matches("http://").to_string();
        if let Ok(mut s) = std::net::TcpStream::connect(&addr) {
            use std::io::{Read as _, Write as _};
            let _ = s.set_read_timeout(Some(Duration::from_secs(10)));
            let _ = write!(
                s,
                "DELETE /session/{} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n",
                self.session
            );
            let _ = s.read_to_end(&mut Vec::new());
        }
        let _ = Command::new("pkill")
            .arg("-KILL")
            .arg("-f")
            .arg(self.profile.display().to_string())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}
