//! PostgreSQL going away under load and coming back (issue 15, part 6). This is its own
//! test binary because it stops the PostgreSQL server every other test uses: cargo runs
//! test binaries one after another, so nothing else runs while it does. It needs the
//! local cluster's `pg_ctlcluster` (Debian's postgresql-common) and the right to use it
//! (root, as in CI); without them it fails, it does not skip.
//!
//! A real `danchu demo` node on PostgreSQL takes writes (plan progress through the API,
//! each with an `Idempotency-Key`, retried until answered) and page reads while the server
//! is stopped for five seconds and started again. Meanwhile `/healthz` answers 503 and pages
//! the Vietnamese 503 page (no panic, no storm of 500s); afterwards the node serves again
//! by itself, every acknowledged write is in the database exactly once, and the audit
//! chain verifies.

use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn pg_url() -> String {
    std::env::var("DANCHU_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

/// The local cluster (`15 main`), as `pg_ctlcluster` names it.
fn cluster() -> (String, String) {
    let out = Command::new("pg_lsclusters")
        .arg("-h")
        .output()
        .expect("pg_lsclusters (postgresql-common)");
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find(|l| l.split_whitespace().nth(2) == Some("5432"))
        .expect("a cluster on port 5432");
    let mut f = line.split_whitespace();
    (
        f.next().unwrap_or("15").to_string(),
        f.next().unwrap_or("main").to_string(),
    )
}

fn pg_ctl(action: &str) {
    let (version, name) = cluster();
    let status = Command::new("pg_ctlcluster")
        .args(["--skip-systemctl-redirect", &version, &name, action])
        .args(if action == "stop" {
            &["-m", "fast"][..]
        } else {
            &[][..]
        })
        .status()
        .expect("pg_ctlcluster");
    assert!(status.success(), "pg_ctlcluster {action} failed");
}

/// Starts PostgreSQL again when dropped, whatever happened in the test.
struct Restarter;

impl Drop for Restarter {
    fn drop(&mut self) {
        let (version, name) = cluster();
        let _ = Command::new("pg_ctlcluster")
            .args(["--skip-systemctl-redirect", &version, &name, "start"])
            .status();
    }
}

struct Node(Child);

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn csrf_in(html: &str) -> String {
    let at = html.find("name=\"_csrf\" value=\"").expect("a CSRF field") + 20;
    html[at..].split('"').next().unwrap_or("").to_string()
}

/// The body of a GET of `url`.
async fn text(c: &reqwest::Client, url: String) -> String {
    c.get(url).send().await.unwrap().text().await.unwrap()
}

/// The JSON of a GET of `url`.
async fn json(c: &reqwest::Client, url: String) -> serde_json::Value {
    c.get(url).send().await.unwrap().json().await.unwrap()
}

/// Signs the demo's An Lập reporter in; returns the client, its CSRF token and the path
/// of a task of the demo plan given to An Lập.
async fn reporter(base: &str) -> (reqwest::Client, String, String) {
    let c = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    let page = text(&c, format!("{base}/dang-nhap")).await;
    let r = c
        .post(format!("{base}/dang-nhap"))
        .form(&[
            ("_csrf", csrf_in(&page).as_str()),
            ("username", "baocao.anlap"),
            ("password", danchu::demo::DEMO_PASSWORD),
            ("next", "/quan-tri"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let page = text(&c, format!("{base}/quan-tri/mat-khau")).await;
    let csrf = csrf_in(&page);
    let plans = json(&c, format!("{base}/api/v1/ke-hoach")).await;
    let plan = plans["plans"][0]["id"].as_i64().expect("a demo plan");
    let d = json(&c, format!("{base}/api/v1/ke-hoach/{plan}")).await;
    let unit = d["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit_name"].as_str().unwrap_or("").contains("An Lập"))
        .and_then(|u| u["unit_id"].as_i64())
        .expect("An Lập in the plan");
    let task = d["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| {
            t["units"]
                .as_array()
                .is_some_and(|us| us.iter().any(|u| u["unit_id"] == unit))
        })
        .and_then(|t| t["task"]["id"].as_i64())
        .expect("a task of An Lập");
    (
        c,
        csrf,
        format!("/api/v1/ke-hoach/{plan}/nhiem-vu/{task}/don-vi/{unit}"),
    )
}

#[derive(Default)]
struct Seen {
    health: Vec<u16>,
    pages: Vec<u16>,
    unavailable_page: bool,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgresql_restart_under_load_loses_no_acknowledged_write() {
    let schema = format!("pgrestart_{}", std::process::id());
    let url = format!("{}?schema={schema}", pg_url());
    let data = std::env::temp_dir().join(format!("danchu-pgrestart-{}", std::process::id()));
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = format!("http://127.0.0.1:{port}");
    // A request waits at most 2 s for a connection (the outage below is longer).
    std::fs::create_dir_all(&data).unwrap();
    let config = data.join("danchu.toml");
    std::fs::write(&config, "db_wait_seconds = 2\n").unwrap();
    let node = Node(
        Command::new(env!("CARGO_BIN_EXE_danchu"))
            .args(["demo", "--addr", &format!("127.0.0.1:{port}")])
            .env("DANCHU_CONFIG", &config)
            .env("DANCHU_DATABASE_URL", &url)
            .env("DANCHU_DATA_DIR", &data)
            .env("RUST_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("danchu demo"),
    );
    let start = Instant::now();
    while reqwest::get(format!("{base}/healthz"))
        .await
        .map(|r| r.status() != 200)
        .unwrap_or(true)
    {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the node did not start"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (c, csrf, path) = reporter(&base).await;
    let stop = Arc::new(AtomicBool::new(false));
    let acked: Arc<Mutex<Vec<usize>>> = Arc::default();
    let writer = tokio::spawn({
        let (stop, acked, c, base, path) = (
            stop.clone(),
            acked.clone(),
            c.clone(),
            base.clone(),
            path.clone(),
        );
        async move {
            let mut i = 0;
            while !stop.load(Ordering::SeqCst) {
                let deadline = Instant::now() + Duration::from_secs(60);
                loop {
                    let r = c
                        .post(format!("{base}{path}"))
                        .header("x-csrf-token", &csrf)
                        .header("Idempotency-Key", format!("pgrestart-{i}"))
                        .json(&serde_json::json!({"status": "in_progress", "note": format!("ghi-{i}")}))
                        .send()
                        .await;
                    match r.map(|r| r.status().as_u16()) {
                        // 409: it committed before its answer was lost: done.
                        Ok(201) | Ok(409) => break,
                        _ => {}
                    }
                    assert!(Instant::now() < deadline, "write {i} never went through");
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                acked.lock().unwrap().push(i);
                i += 1;
            }
        }
    });
    let seen: Arc<Mutex<Seen>> = Arc::default();
    let watcher = tokio::spawn({
        let (stop, seen, base) = (stop.clone(), seen.clone(), base.clone());
        async move {
            let anon = reqwest::Client::builder()
                .timeout(Duration::from_secs(20))
                .build()
                .unwrap();
            while !stop.load(Ordering::SeqCst) {
                if let Ok(r) = anon.get(format!("{base}/healthz")).send().await {
                    seen.lock().unwrap().health.push(r.status().as_u16());
                }
                if let Ok(r) = anon.get(format!("{base}/tin-tuc?trang=2")).send().await {
                    let status = r.status().as_u16();
                    let body = r.text().await.unwrap_or_default();
                    let mut s = seen.lock().unwrap();
                    s.pages.push(status);
                    s.unavailable_page |=
                        status == 503 && body.contains("Hệ thống tạm thời gián đoạn");
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    });
    tokio::time::sleep(Duration::from_secs(2)).await;
    let before = acked.lock().unwrap().len();
    assert!(before > 0, "writes went through before the restart");
    let restarter = Restarter;
    pg_ctl("stop");
    tokio::time::sleep(Duration::from_secs(5)).await;
    pg_ctl("start");
    drop(restarter);
    let back = Instant::now();
    loop {
        let ok = reqwest::get(format!("{base}/healthz"))
            .await
            .map(|r| r.status() == 200)
            .unwrap_or(false);
        if ok {
            break;
        }
        assert!(
            back.elapsed() < Duration::from_secs(30),
            "the node did not come back by itself"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let came_back = back.elapsed();
    let at_restart = acked.lock().unwrap().len();
    tokio::time::sleep(Duration::from_secs(3)).await;
    stop.store(true, Ordering::SeqCst);
    writer.await.unwrap();
    watcher.await.unwrap();
    let mut node = node;
    assert!(
        node.0.try_wait().unwrap().is_none(),
        "the node is still running (no panic)"
    );
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() > at_restart,
        "writes go through again after the restart"
    );
    {
        let seen = seen.lock().unwrap();
        assert!(
            seen.health.contains(&503),
            "/healthz said 503 while the database was away"
        );
        assert!(
            seen.unavailable_page,
            "pages answered the Vietnamese 503 page meanwhile"
        );
        let errors = seen.pages.iter().filter(|s| **s == 500).count();
        assert!(
            errors <= 2,
            "no storm of 500s ({errors} of {} pages)",
            seen.pages.len()
        );
        eprintln!(
            "pg restart: {} writes acknowledged ({before} before the stop), {} health checks ({} said 503), \
             {} pages ({} said 503), node serving {} ms after PostgreSQL started, {errors} page 500s",
            acked.len(),
            seen.health.len(),
            seen.health.iter().filter(|s| **s == 503).count(),
            seen.pages.len(),
            seen.pages.iter().filter(|s| **s == 503).count(),
            came_back.as_millis()
        );
    }
    // Every acknowledged write is there exactly once, and the chain verifies.
    let db = danchu_db::Db::connect(&url, 2).await.unwrap();
    let rows = db
        .fetch_all(danchu_db::q(
            "SELECT note, COUNT(*) AS n FROM plan_progress WHERE note LIKE 'ghi-%' GROUP BY note",
        ))
        .await
        .unwrap();
    let mut counts = std::collections::HashMap::new();
    for r in &rows {
        counts.insert(r.get::<String>("note").unwrap(), r.get::<i64>("n").unwrap());
    }
    for i in &acked {
        assert_eq!(
            counts.get(&format!("ghi-{i}")),
            Some(&1),
            "write {i} is there once"
        );
    }
    let v = danchu_db::audit::verify(&db).await.unwrap();
    assert!(v.error.is_none(), "the audit chain verifies: {:?}", v.error);
    db.execute(danchu_db::q(format!("DROP SCHEMA {schema} CASCADE")))
        .await
        .unwrap();
    db.close().await;
    drop(node);
    let _ = std::fs::remove_dir_all(&data);
}
