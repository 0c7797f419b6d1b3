//! Several real `danchu serve` processes on one PostgreSQL database (SQLite is one
//! process by design): a session made on one node holds on another, a change on one node
//! shows on another's cached pages within a second, the outbox is delivered once by three
//! nodes, every due time of a job runs once, and a job whose node died is taken over when
//! its lease lapses.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use danchu_core::jobs::Job;
use danchu_core::outbox::Channel;
use danchu_db::outbox::{self, NewMessage};

use crate::harness::{csrf_in, danchu_cli, sign_in_at, temp_dir, Backend, Fixture, TestApp};
use crate::mail::{free_port, Smtpd};

/// A `danchu serve` process; killed (SIGKILL) when dropped.
struct Node {
    child: Child,
    url: String,
}

impl Node {
    async fn start(app: &TestApp, name: &str, smtp_port: Option<u16>) -> Node {
        let port = free_port();
        let data = temp_dir("node");
        let mut cmd: Command = danchu_cli(&app.database_url, &data);
        cmd.args(["serve", "--addr", &format!("127.0.0.1:{port}")])
            .env("DANCHU_NODE", name)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if let Some(p) = smtp_port {
            cmd.env("DANCHU_SMTP_URL", format!("smtp://127.0.0.1:{p}"))
                .env(
                    "DANCHU_MAIL_FROM",
                    "UBND huyện Dầu Tiếng <ubnd@dautieng.gov.vn>",
                );
        }
        let child = cmd.spawn().expect("danchu serve");
        let node = Node {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        let start = Instant::now();
        loop {
            if let Ok(r) = reqwest::get(format!("{}/healthz", node.url)).await {
                if r.status() == 200 {
                    break;
                }
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "{name} did not start"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        node
    }

    /// kill -9.
    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        self.kill();
    }
}

async fn start_pg(fixture: Fixture) -> TestApp {
    fixture.start(Backend::Postgres).await
}

/// Asks `pending` every 10 ms until it says nothing is left (`None`) and returns how long
/// that took; fails with what it last said if that takes a second or more.
async fn within_a_second<F, Fut>(mut pending: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<String>>,
{
    let start = Instant::now();
    while let Some(why) = pending().await {
        assert!(start.elapsed() < Duration::from_secs(1), "{why}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    start.elapsed()
}

/// The ids an article form needs: the "tin-hoat-dong" category and the district.
async fn article_ids(app: &TestApp) -> (String, String) {
    let district = app.unit_id("721").await.to_string();
    let cat = danchu_db::portal::category_by_slug(&app.db, "tin-hoat-dong")
        .await
        .unwrap()
        .unwrap()
        .id
        .to_string();
    (cat, district)
}

async fn text(c: &reqwest::Client, url: &str) -> String {
    let r = c.get(url).send().await.expect("GET");
    assert_eq!(r.status(), 200, "GET {url}");
    r.text().await.expect("body")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_holds_across_nodes_and_a_change_shows_on_every_node_within_a_second() {
    let app = start_pg(crate::harness::EDITOR).await;
    let a = Node::start(&app, "node-a", None).await;
    let b = Node::start(&app, "node-b", None).await;
    let anon = reqwest::Client::new();
    // node-b has its home page cached before the change.
    let before = text(&anon, &format!("{}/", b.url)).await;
    assert!(!before.contains("Lịch tiếp công dân tháng 12"));
    let editor = sign_in_at(&a.url, "bientap", None).await;
    // The session made on node-a is good on node-b (sessions live in the database).
    let r = editor
        .get(format!("{}/quan-tri/bai-viet", b.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "signed in on node-b too");
    let (cat, district) = article_ids(&app).await;
    let form = text(&editor, &format!("{}/quan-tri/bai-viet/moi", a.url)).await;
    let r = editor
        .post(format!("{}/quan-tri/bai-viet", a.url))
        .form(&[
            ("_csrf", csrf_in(&form).as_str()),
            ("title", "Lịch tiếp công dân tháng 12"),
            ("category_id", &cat),
            ("unit_id", &district),
            (
                "body",
                "<p>Chủ tịch UBND huyện tiếp công dân ngày 15/12/2026.</p>",
            ),
            ("status", "published"),
            ("published_at", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let took = within_a_second(|| async {
        let home = text(&anon, &format!("{}/", b.url)).await;
        (!home.contains("Lịch tiếp công dân tháng 12"))
            .then(|| "node-b still shows the old page".to_string())
    })
    .await;
    eprintln!(
        "invalidation bound: seen on node-b {} ms after the save on node-a",
        took.as_millis()
    );
}

/// Posts `n` published articles as `bientap`, signed in on `url`.
async fn post_articles(url: String, tag: usize, n: usize, (cat, district): (String, String)) {
    let editor = sign_in_at(&url, "bientap", None).await;
    let form = text(&editor, &format!("{url}/quan-tri/bai-viet/moi")).await;
    let csrf = csrf_in(&form);
    for k in 0..n {
        let r = editor
            .post(format!("{url}/quan-tri/bai-viet"))
            .form(&[
                ("_csrf", csrf.as_str()),
                ("title", &format!("Tin số {tag}-{k}")),
                ("category_id", &cat),
                ("unit_id", &district),
                ("body", "<p>Nội dung.</p>"),
                ("status", "published"),
                ("published_at", ""),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "article {tag}-{k} on {url}");
    }
}

/// ADR 0008: changes on three nodes write their audit entries without a shared lock, and
/// the nodes' sequencers chain every one of them once, within a second, with nobody
/// reading the log (the count is read straight from the table, which chains nothing).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_nodes_chain_every_audit_entry_once_within_a_second() {
    let app = start_pg(Fixture::units().with_portal().with_users(&["bientap"])).await;
    let nodes = [
        Node::start(&app, "node-a", None).await,
        Node::start(&app, "node-b", None).await,
        Node::start(&app, "node-c", None).await,
    ];
    let (cat, district) = article_ids(&app).await;
    let created = || {
        app.int(
            danchu_db::q("SELECT COUNT(*) AS n FROM audit_log WHERE action = $1")
                .bind(danchu_core::audit::action::ARTICLE_CREATE),
            "n",
        )
    };
    let before = created().await;
    let writers: Vec<_> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            tokio::spawn(post_articles(
                n.url.clone(),
                i,
                10,
                (cat.clone(), district.clone()),
            ))
        })
        .collect();
    for w in writers {
        w.await.unwrap();
    }
    let took = within_a_second(|| async {
        let n = app
            .int(danchu_db::q("SELECT COUNT(*) AS n FROM audit_pending"), "n")
            .await;
        (n > 0).then(|| format!("{n} audit entries still waiting to be chained"))
    })
    .await;
    eprintln!(
        "audit entries chained {} ms after the last write",
        took.as_millis()
    );
    assert_eq!(
        created().await - before,
        30,
        "each article's entry is chained once"
    );
    let v = danchu_db::audit::verify(&app.db).await.unwrap();
    assert!(
        v.error.is_none() && v.truncated.is_none() && v.waiting == 0,
        "{v:?}"
    );
}

async fn enqueue(app: &TestApp, n: usize) {
    let mut tx = app.db.begin().await.unwrap();
    for i in 0..n {
        let to = format!("xa{i}@dautieng.gov.vn");
        let subject = format!("Thông báo số {i}");
        let m = NewMessage {
            channel: Channel::Email,
            recipient: &to,
            subject: &subject,
            body: "Kính gửi các xã, thị trấn.",
            topic: "report_round.create",
            entity_type: "report_round",
            entity_id: "1",
        };
        outbox::enqueue(&mut tx, &m, danchu_db::now_ms())
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
}

async fn wait_until_sent(app: &TestApp, n: i64, within: Duration) {
    let start = Instant::now();
    loop {
        let sent = app
            .int(
                danchu_db::q("SELECT COUNT(*) AS n FROM outbox WHERE state = 'sent'"),
                "n",
            )
            .await;
        if sent == n {
            return;
        }
        assert!(
            start.elapsed() < within,
            "{sent} of {n} sent after {within:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// No due time of any job finished twice.
async fn assert_each_due_time_ran_once(app: &TestApp) {
    let twice = app
        .int(
            danchu_db::q(
                "SELECT COUNT(*) AS n FROM (SELECT name, due_ms FROM job_runs \
                 WHERE finished_ms IS NOT NULL GROUP BY name, due_ms HAVING COUNT(*) > 1) t",
            ),
            "n",
        )
        .await;
    assert_eq!(twice, 0, "a due time ran twice");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_nodes_deliver_the_outbox_once_and_run_each_due_time_once() {
    let app = start_pg(Fixture::units()).await;
    let dir = temp_dir("smtpd");
    let smtpd = Smtpd::start(free_port(), &dir.join("Maildir"));
    let _nodes = [
        Node::start(&app, "node-a", Some(smtpd.port)).await,
        Node::start(&app, "node-b", Some(smtpd.port)).await,
        Node::start(&app, "node-c", Some(smtpd.port)).await,
    ];
    enqueue(&app, 60).await;
    wait_until_sent(&app, 60, Duration::from_secs(20)).await;
    let got = smtpd.received();
    assert_eq!(got.len(), 60, "every message once, none twice");
    let mut ids: Vec<&str> = got.iter().map(|m| m.3.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 60);
    // Let the jobs run a few due times on three nodes.
    tokio::time::sleep(Duration::from_secs(5)).await;
    // Idle runs are counted on the job's row, not kept as runs.
    let outbox_runs = app
        .int(
            danchu_db::q("SELECT runs AS n FROM jobs WHERE name = 'outbox'"),
            "n",
        )
        .await;
    assert!(
        outbox_runs >= 3,
        "the outbox job kept running ({outbox_runs} runs)"
    );
    assert_each_due_time_ran_once(&app).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_whose_node_died_is_taken_over_when_its_lease_lapses() {
    let app = start_pg(Fixture::units()).await;
    let dir = temp_dir("smtpd");
    let smtpd = Smtpd::start(free_port(), &dir.join("Maildir"));
    let mut a = Node::start(&app, "node-a", Some(smtpd.port)).await;
    let b = Node::start(&app, "node-b", Some(smtpd.port)).await;
    enqueue(&app, 5).await;
    wait_until_sent(&app, 5, Duration::from_secs(10)).await;
    // node-a dies with kill -9 while holding the outbox job's lease (the lease row as a
    // claim leaves it, lapsing 3 s from now).
    a.kill();
    let lapse = danchu_db::now_ms() + 3_000;
    app.db
        .execute(
            danchu_db::q(
                "UPDATE jobs SET lease_token = 'dead', lease_node = 'node-a', lease_until_ms = $1, \
                 next_due_ms = 0 WHERE name = $2",
            )
            .bind(lapse)
            .bind(Job::Outbox.code()),
        )
        .await
        .unwrap();
    enqueue(&app, 5).await;
    // While the lease lasts nobody sends.
    tokio::time::sleep(Duration::from_millis(2_000)).await;
    let sent = app
        .int(
            danchu_db::q("SELECT COUNT(*) AS n FROM outbox WHERE state = 'sent'"),
            "n",
        )
        .await;
    assert_eq!(sent, 5, "the dead node's lease holds the job");
    // Then node-b takes it over: within the lease plus one poll.
    wait_until_sent(&app, 10, Duration::from_secs(4)).await;
    let taken = danchu_db::now_ms() - lapse;
    eprintln!("takeover: messages sent {taken} ms after the dead node's lease lapsed");
    assert!(taken < 2_500, "taken over {taken} ms after the lapse");
    let last = app
        .string(
            danchu_db::q("SELECT node FROM job_runs WHERE name = 'outbox' AND finished_ms IS NOT NULL ORDER BY id DESC LIMIT 1"),
            "node",
        )
        .await;
    assert_eq!(last, "node-b");
    assert_eq!(smtpd.received().len(), 10);
    assert_each_due_time_ran_once(&app).await;
    drop(b);
}

/// nginx in front of `nodes`, round robin, as a province would run them.
struct Nginx {
    child: Child,
    url: String,
}

impl Nginx {
    async fn start(nodes: &[&Node]) -> Nginx {
        let dir = temp_dir("nginx");
        let port = free_port();
        let upstreams: String = nodes
            .iter()
            .map(|n| {
                format!(
                    "    server {} max_fails=1 fail_timeout=30s;\n",
                    n.url.trim_start_matches("http://")
                )
            })
            .collect();
        // As root the workers would run as nobody and could not write the temp folders.
        let user = if is_root() { "user root;" } else { "" };
        let d = dir.display();
        let conf = format!(
            "{user}\nworker_processes 1;\npid {d}/nginx.pid;\nerror_log {d}/error.log;\n\
             events {{ worker_connections 256; }}\n\
             http {{\n  access_log off;\n  client_body_temp_path {d}/body;\n  proxy_temp_path {d}/proxy;\n\
             fastcgi_temp_path {d}/fcgi;\n  uwsgi_temp_path {d}/uwsgi;\n  scgi_temp_path {d}/scgi;\n\
             upstream danchu {{\n{upstreams}  }}\n\
             server {{\n    listen 127.0.0.1:{port};\n    location / {{\n      proxy_pass http://danchu;\n\
             proxy_set_header Host $host:$server_port;\n      proxy_set_header X-Forwarded-For $remote_addr;\n\
             proxy_connect_timeout 2s;\n    }}\n  }}\n}}\n"
        );
        std::fs::write(dir.join("nginx.conf"), conf).unwrap();
        let child = Command::new("/usr/sbin/nginx")
            .args(["-e", "stderr", "-g", "daemon off;", "-p"])
            .arg(&dir)
            .arg("-c")
            .arg(dir.join("nginx.conf"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("nginx (scripts/install-test-deps.sh installs it)");
        let url = format!("http://127.0.0.1:{port}");
        let start = Instant::now();
        while reqwest::get(format!("{url}/healthz"))
            .await
            .map(|r| r.status() != 200)
            .unwrap_or(true)
        {
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "nginx did not start"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Nginx { child, url }
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .map(|l| l.split_whitespace().nth(1) == Some("0"))
        })
        .unwrap_or(false)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_nginx_three_nodes_share_sessions_answer_retries_once_and_survive_a_kill() {
    let app = start_pg(Fixture::units().with_users(&["noivu"])).await;
    let mut a = Node::start(&app, "node-a", None).await;
    let b = Node::start(&app, "node-b", None).await;
    let c = Node::start(&app, "node-c", None).await;
    let lb = Nginx::start(&[&a, &b, &c]).await;
    // Signed in through the load balancer: every node knows the session.
    let nv = sign_in_at(&lb.url, "noivu", None).await;
    for _ in 0..9 {
        let r = nv.get(format!("{}/quan-tri", lb.url)).send().await.unwrap();
        assert_eq!(
            r.status(),
            200,
            "the session holds on whichever node answers"
        );
    }
    let form = text(&nv, &format!("{}/quan-tri/mat-khau", lb.url)).await;
    let csrf = csrf_in(&form);
    let office = app.unit_id("721-NV").await;
    let body = serde_json::json!({"unit_id": office, "name": "Mẫu qua nginx", "body": {"sections": [{"title": "I",
        "indicators": [{"code": "so_hop", "label": "Số cuộc họp", "kind": {"type": "integer"}, "unit": "cuộc",
        "required": true, "aggregation": "sum"}]}], "rules": []}});
    let post = || {
        nv.post(format!("{}/api/v1/bao-cao/mau", lb.url))
            .header("x-csrf-token", &csrf)
            .header("Idempotency-Key", "nginx-retry-1")
            .json(&body)
            .send()
    };
    let first = post().await.unwrap();
    assert_eq!(first.status(), 201);
    let first: serde_json::Value = first.json().await.unwrap();
    // The client retries (as after a 502): another node answers with the first answer.
    for _ in 0..3 {
        let again = post().await.unwrap();
        assert_eq!(again.status(), 201);
        assert_eq!(again.headers()["idempotency-replayed"], "true");
        assert_eq!(again.json::<serde_json::Value>().await.unwrap(), first);
    }
    let n = app
        .int(
            danchu_db::q("SELECT COUNT(*) AS n FROM report_templates WHERE name = 'Mẫu qua nginx'"),
            "n",
        )
        .await;
    assert_eq!(n, 1, "written once");
    // node-a dies: nginx sends the readers to the others.
    a.kill();
    for _ in 0..12 {
        let r = nv.get(format!("{}/quan-tri", lb.url)).send().await.unwrap();
        assert_eq!(r.status(), 200);
    }
    drop((b, c));
}
