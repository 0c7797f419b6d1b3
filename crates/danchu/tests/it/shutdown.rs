//! Graceful shutdown of the real binary (issue 13): a document being read when SIGTERM
//! comes does not hold the node up — its extraction is bounded and dies with the server.

use std::time::{Duration, Instant};

use crate::both;
use crate::harness::{multipart_form, sign_in_at, Fixture, TestApp};

/// A signed-in client of a server at `base` (the demo's `bientap`).
async fn editor(base: &str) -> (reqwest::Client, String) {
    let c = sign_in_at(base, "bientap", Some("Mozilla/5.0 Chrome/120")).await;
    let page = crate::harness::body_at(&c, format!("{base}/quan-tri/tep")).await;
    (c, crate::harness::csrf_in(&page))
}

both!(
    issue13_sigterm_during_a_costly_extraction_stops_the_node_promptly,
    Fixture::units().with_users(&["bientap"]),
    |app: TestApp| async move {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let dir = crate::harness::temp_dir("danchu_shutdown");
        let config = dir.join("danchu.toml");
        // Generous memory, a short time: the bomb is stopped by the clock.
        std::fs::write(
            &config,
            "extract_timeout_seconds = 3\nextract_memory_mb = 8192\n",
        )
        .unwrap();
        let mut child = app
            .cli_command(&["serve", "--addr", &format!("127.0.0.1:{port}")])
            .env("DANCHU_CONFIG", &config)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let base = format!("http://127.0.0.1:{port}");
        let mut up = false;
        for _ in 0..100 {
            if reqwest::get(format!("{base}/healthz"))
                .await
                .is_ok_and(|r| r.status() == 200)
            {
                up = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(up, "the server started");
        let (c, token) = editor(&base).await;
        let unit = app.unit_id("721").await.to_string();
        let bomb = crate::harness::pdf_bomb();
        let upload = tokio::spawn(async move {
            let form = multipart_form(&[("unit_id", &unit)], vec![("file", "bom.pdf", bomb)]);
            c.post(format!("{base}/quan-tri/tep?_csrf={token}"))
                .multipart(form)
                .send()
                .await
                .map(|r| r.status())
        });
        // The extraction is under way (its child process runs) when the signal comes.
        let pid = child.id().to_string();
        let extracting = || {
            let out = std::process::Command::new("ps")
                .args(["--ppid", &pid, "-o", "args="])
                .output()
                .unwrap();
            String::from_utf8_lossy(&out.stdout).contains(danchu_web::extract::CHILD_ARG)
        };
        let mut seen = false;
        for _ in 0..100 {
            if extracting() {
                seen = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert!(seen, "the server was reading the document");
        assert!(!upload.is_finished(), "the upload was still being read");
        let signalled = Instant::now();
        assert!(std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success());
        let mut exited = None;
        for _ in 0..200 {
            if let Some(status) = child.try_wait().unwrap() {
                exited = Some(status);
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let took = signalled.elapsed();
        let Some(status) = exited else {
            let _ = child.kill();
            panic!("the server did not stop within 20 s of SIGTERM");
        };
        assert!(status.success(), "a graceful stop: {status:?}");
        // Bounded by the extraction's own limit (3 s here), not by the parser (45 s).
        assert!(
            took < Duration::from_secs(10),
            "stopped {took:?} after SIGTERM"
        );
        // The request in flight was answered before the node went.
        let answered = upload.await.unwrap();
        assert!(
            matches!(answered, Ok(s) if s == reqwest::StatusCode::OK),
            "{answered:?}"
        );
        let _ = std::fs::remove_dir_all(dir);
    }
);
