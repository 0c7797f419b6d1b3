//! What the server logs (issue 13, item 17): ordinary views write no warning; a refused
//! request writes one line naming who, which action and which unit; a request timeout
//! and an upload cut off half-way are logged. The real binary serves the test's
//! database (`danchu serve`, RUST_LOG=info, JSON lines on stderr), so the lines read are
//! those an operator would read, and no other test's lines mix in.

use std::io::BufRead as _;
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value as Json;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

use crate::both;
use crate::harness::{
    cookie_line, csrf_in, sign_in_at, sign_in_at_with_jar, temp_dir, Fixture, TestApp,
};

/// `danchu serve` on a test app's database and data dir, with its log lines collected.
struct LoggedServer {
    child: Child,
    url: String,
    lines: Arc<Mutex<Vec<Json>>>,
    reader: Option<std::thread::JoinHandle<()>>,
    dir: std::path::PathBuf,
}

impl LoggedServer {
    /// Starts the server with these `danchu.toml` settings; returns once it listens.
    fn start(app: &TestApp, settings: &str) -> LoggedServer {
        let dir = temp_dir("danchu_logs");
        let config = dir.join("danchu.toml");
        std::fs::write(&config, settings).expect("config");
        let mut child = app
            .cli_command(&["serve"])
            .env("RUST_LOG", "info")
            .env("DANCHU_LOG_FORMAT", "json")
            .env("DANCHU_ADDR", "127.0.0.1:0")
            .env("DANCHU_CONFIG", &config)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start danchu serve");
        let stderr = child.stderr.take().expect("stderr");
        let lines: Arc<Mutex<Vec<Json>>> = Arc::default();
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let sink = lines.clone();
        let reader = std::thread::spawn(move || {
            for line in std::io::BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                let Ok(v) = serde_json::from_str::<Json>(&line) else {
                    continue; // not a log line (a panic message would show in the asserts)
                };
                if message(&v) == "danchu listening" {
                    let _ = addr_tx.send(field(&v, "addr").to_string());
                }
                sink.lock().expect("lines").push(v);
            }
        });
        let addr = addr_rx
            .recv_timeout(Duration::from_secs(60))
            .expect("danchu serve listens within a minute");
        LoggedServer {
            child,
            url: format!("http://{addr}"),
            lines,
            reader: Some(reader),
            dir,
        }
    }

    fn at(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }

    fn addr(&self) -> String {
        self.url.trim_start_matches("http://").to_string()
    }

    /// Waits (up to ten seconds) until a line with this message has been logged.
    async fn wait_for(&self, msg: &str) {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(10) {
            if self
                .lines
                .lock()
                .expect("lines")
                .iter()
                .any(|l| message(l) == msg)
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "no {msg:?} line in:\n{:#?}",
            self.lines.lock().expect("lines")
        );
    }

    /// Stops the server and returns the lines it logged while serving (after it said it
    /// listens): every line a request wrote is in, since each is written before its
    /// answer is sent.
    fn stop(mut self) -> Vec<Json> {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Some(r) = self.reader.take() {
            let _ = r.join();
        }
        let lines = self.lines.lock().expect("lines").clone();
        let _ = std::fs::remove_dir_all(&self.dir);
        lines
            .into_iter()
            .skip_while(|l| message(l) != "danchu listening")
            .skip(1)
            .collect()
    }
}

fn message(line: &Json) -> &str {
    field(line, "message")
}

fn field<'a>(line: &'a Json, name: &str) -> &'a str {
    line["fields"][name].as_str().unwrap_or("")
}

fn level(line: &Json) -> &str {
    line["level"].as_str().unwrap_or("")
}

/// The WARN and ERROR lines.
fn alarms(lines: &[Json]) -> Vec<&Json> {
    lines
        .iter()
        .filter(|l| matches!(level(l), "WARN" | "ERROR"))
        .collect()
}

/// Signs `user` in on `server`, GETs `path` (which answers `status`), stops the server
/// and returns the one alarm (warning or error) line it wrote, and the request's id.
async fn one_alarm(server: LoggedServer, user: &str, path: &str, status: u16) -> (Json, String) {
    let c = sign_in_at(&server.url, user, None).await;
    let r = c.get(server.at(path)).send().await.expect("GET");
    assert_eq!(r.status(), status);
    let request_id = r.headers()["x-request-id"]
        .to_str()
        .expect("id")
        .to_string();
    (only_alarm(server), request_id)
}

/// Stops `server` and returns the one alarm (warning or error) line it wrote.
fn only_alarm(server: LoggedServer) -> Json {
    let lines = server.stop();
    let alarms = alarms(&lines);
    assert_eq!(alarms.len(), 1, "{alarms:#?}");
    alarms[0].clone()
}

/// The admin pages linked from the dashboard (what a person opens next).
fn admin_links(html: &str) -> Vec<String> {
    let mut out: Vec<String> = html
        .split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter(|h| h.starts_with("/quan-tri") && !h.ends_with(".xlsx") && !h.ends_with(".docx"))
        .map(|h| h.split('#').next().unwrap_or(h).replace("&amp;", "&"))
        .collect();
    out.sort();
    out.dedup();
    out
}

both!(
    dashboard_views_by_admin_and_noivu_write_no_warning,
    Fixture::demo(),
    |app: TestApp| async move {
        let server = LoggedServer::start(&app, "");
        let mut seen = 0;
        for user in ["admin", "noivu"] {
            let c = sign_in_at(&server.url, user, None).await;
            let r = c.get(server.at("/quan-tri")).send().await.expect("GET");
            assert_eq!(r.status(), 200, "{user}: /quan-tri");
            let html = r.text().await.expect("body");
            // And the pages the dashboard links to, as a visit goes on.
            for path in admin_links(&html) {
                let r = c.get(server.at(&path)).send().await.expect("GET");
                assert!(
                    r.status().is_success(),
                    "{user}: {path} answered {}",
                    r.status()
                );
                seen += 1;
            }
        }
        assert!(seen > 10, "the dashboards link to pages ({seen})");
        let lines = server.stop();
        let alarms = alarms(&lines);
        assert!(alarms.is_empty(), "{alarms:#?}");
    }
);

both!(
    a_refused_request_writes_one_line_naming_user_action_and_unit,
    Fixture::demo(),
    |app: TestApp| async move {
        // A reporter of An Lập opens a disclosure of Long Tân.
        let long_tan = app.unit_id("25792").await;
        let id: i64 = app
            .int(
                danchu_db::q("SELECT MIN(id) AS id FROM disclosures WHERE unit_id = $1")
                    .bind(long_tan),
                "id",
            )
            .await;
        let server = LoggedServer::start(&app, "");
        let path = format!("/quan-tri/cong-khai/{id}");
        let (l, request_id) = one_alarm(server, "baocao.anlap", &path, 403).await;
        let l = &l;
        assert_eq!(
            (level(l), message(l), field(l, "request_id")),
            ("WARN", "request refused", request_id.as_str()),
            "{l:#}"
        );
        assert_eq!(
            (
                field(l, "user"),
                field(l, "action"),
                l["fields"]["unit"].as_i64()
            ),
            ("baocao.anlap", "ViewAdmin", Some(long_tan)),
            "{l:#}"
        );
        assert_eq!(l["fields"]["status"].as_u64(), Some(403), "{l:#}");
        assert_eq!(
            field(l, "path"),
            format!("/quan-tri/cong-khai/{id}"),
            "{l:#}"
        );
    }
);

both!(
    a_request_timeout_is_logged,
    Fixture::units(),
    |app: TestApp| async move {
        let server = LoggedServer::start(&app, "request_timeout_seconds = 1\n");
        // A form whose body never comes.
        let mut s = tokio::net::TcpStream::connect(server.addr())
            .await
            .expect("connect");
        s.write_all(
        b"POST /dang-nhap HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nusername=",
    )
    .await
    .expect("write");
        let mut answer = vec![0u8; 64];
        let n = tokio::time::timeout(Duration::from_secs(10), s.read(&mut answer))
            .await
            .expect("an answer within 10 s")
            .expect("read");
        let answer = String::from_utf8_lossy(&answer[..n]).to_string();
        assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
        let l = &only_alarm(server);
        assert_eq!(
            (level(l), message(l), field(l, "path")),
            ("WARN", "request timed out", "/dang-nhap"),
            "{l:#}"
        );
        assert_eq!(l["fields"]["status"].as_u64(), Some(408), "{l:#}");
        assert!(field(l, "reason").contains("1 s"), "{l:#}");
    }
);

both!(
    an_upload_cut_off_half_way_is_logged,
    Fixture::units().with_users(&["admin"]),
    |app: TestApp| async move {
        let server = LoggedServer::start(&app, "");
        let (c, jar) = sign_in_at_with_jar(&server.url, "admin").await;
        let media = crate::harness::body_at(&c, server.at("/quan-tri/tep")).await;
        let token = csrf_in(&media);
        // The cookies as they are now, the media page's included.
        let cookies = cookie_line(&jar, &server.url);
        assert!(!cookies.is_empty(), "signed in with a cookie");
        // A 200 kB upload of which half is sent before the connection drops.
        let boundary = "danchu-test-boundary";
        let head = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"unit_id\"\r\n\r\n1\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"bien-ban.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n"
    );
        let request = format!(
        "POST /quan-tri/tep?_csrf={token} HTTP/1.1\r\nHost: {}\r\nCookie: {cookies}\r\nContent-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: 200000\r\n\r\n{head}",
        server.addr()
    );
        let mut s = tokio::net::TcpStream::connect(server.addr())
            .await
            .expect("connect");
        s.write_all(request.as_bytes()).await.expect("write");
        s.write_all(&vec![b'x'; 100_000]).await.expect("write");
        s.flush().await.expect("flush");
        tokio::time::sleep(Duration::from_millis(200)).await;
        drop(s);
        server.wait_for("upload abandoned").await;
        let l = &only_alarm(server);
        assert_eq!(
            (level(l), message(l), field(l, "path")),
            ("WARN", "upload abandoned", "/quan-tri/tep"),
            "{l:#}"
        );
        assert!(!field(l, "request_id").is_empty(), "{l:#}");
        assert!(
            l["fields"]["received_bytes"].as_u64().unwrap_or(0) > 0,
            "{l:#}"
        );
    }
);

both!(
    a_data_error_writes_one_line_naming_table_column_and_code,
    Fixture::demo(),
    |app: TestApp| async move {
        let id: i64 = app
            .int(
                danchu_db::q("SELECT MIN(disclosure_id) AS id FROM disclosure_channels"),
                "id",
            )
            .await;
        app.db
            .execute(
                danchu_db::q(
                    "UPDATE disclosure_channels SET channel = 'zz-bogus' WHERE disclosure_id = $1",
                )
                .bind(id),
            )
            .await
            .expect("corrupt");
        let server = LoggedServer::start(&app, "");
        let path = format!("/quan-tri/cong-khai/{id}");
        let (l, request_id) = one_alarm(server, "admin", &path, 500).await;
        let l = &l;
        assert_eq!(
            (
                level(l),
                message(l),
                field(l, "request_id"),
                field(l, "user")
            ),
            ("ERROR", "request failed", request_id.as_str(), "admin"),
            "{l:#}"
        );
        let error = field(l, "error");
        assert!(
            error.contains("disclosure_channels.channel") && error.contains("zz-bogus"),
            "{l:#}"
        );
    }
);
