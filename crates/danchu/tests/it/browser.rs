//! A real browser: headless Chromium driven over WebDriver (chromium-driver), signing in
//! and out through the pages, without any test-only shortcut. Install the browser with
//! scripts/install-test-deps.sh. Set DANCHU_SKIP_BROWSER=1 to skip on a machine without it.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{json, Value};

use crate::harness::{Backend, TestApp};

struct Driver {
    child: Child,
    base: String,
    session: String,
    http: reqwest::Client,
}

impl Driver {
    async fn start() -> Option<Driver> {
        if std::env::var("DANCHU_SKIP_BROWSER").is_ok_and(|v| v == "1") {
            return None;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .ok()?
            .local_addr()
            .ok()?
            .port();
        // Killed and waited for in `Drop`; every step after the spawn panics rather than returns.
        #[allow(clippy::zombie_processes)]
        let child = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver not found: run scripts/install-test-deps.sh (or set DANCHU_SKIP_BROWSER=1)");
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
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         "--window-size=360,800", format!("--user-data-dir={}", profile.display())]
            }
        }}});
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
        Some(Driver {
            child,
            base,
            session,
            http,
        })
    }

    async fn cmd(&self, method: reqwest::Method, path: &str, body: Value) -> Value {
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
        assert!(v["value"].get("error").is_none(), "{path}: {v}");
        v["value"].clone()
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

    async fn type_into(&self, css: &str, text: &str) {
        let id = self.find(css).await;
        self.cmd(
            reqwest::Method::POST,
            &format!("/element/{id}/value"),
            json!({"text": text}),
        )
        .await;
    }

    async fn click(&self, css: &str) {
        let id = self.find(css).await;
        self.cmd(
            reqwest::Method::POST,
            &format!("/element/{id}/click"),
            json!({}),
        )
        .await;
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
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_signs_in_and_out() {
    let app = TestApp::start(Backend::Sqlite).await;
    let Some(d) = Driver::start().await else {
        eprintln!("browser test skipped (DANCHU_SKIP_BROWSER=1)");
        return;
    };
    d.goto(&app.at("/quan-tri")).await;
    // Sent to the sign-in page, which works with the keyboard and without JS.
    assert!(d
        .wait_for_url("/dang-nhap?next=/quan-tri")
        .await
        .contains("/dang-nhap"));
    d.type_into("#username", "quantri.anlap").await;
    d.type_into("#password", "sai-mat-khau-123").await;
    d.click("form.card button[type=submit]").await;
    let src = d
        .wait_for_text("Tên đăng nhập hoặc mật khẩu không đúng.")
        .await;
    assert!(
        src.contains("Tên đăng nhập hoặc mật khẩu không đúng."),
        "{src}"
    );
    d.type_into("#password", danchu::demo::DEMO_PASSWORD).await;
    d.click("form.card button[type=submit]").await;
    let u = d.wait_for_url("/quan-tri").await;
    assert!(u.ends_with("/quan-tri"), "{u}");
    let src = d.wait_for_text("Xã An Lập").await;
    assert!(
        src.contains("Quản trị đơn vị") && src.contains("Xã An Lập"),
        "dashboard shows the role and unit"
    );
    d.click("header form button[type=submit]").await;
    let src = d.wait_for_text("href=\"/dang-nhap\"").await;
    assert!(src.contains("href=\"/dang-nhap\""), "signed out");
    d.goto(&app.at("/quan-tri")).await;
    assert!(d
        .wait_for_url("/dang-nhap?next=/quan-tri")
        .await
        .contains("/dang-nhap"));
}
