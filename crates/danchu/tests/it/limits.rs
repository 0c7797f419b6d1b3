//! Bounded work (issue 13): a hostile document cannot take a node down, a slow client
//! cannot hold its sockets, one address cannot take every connection.

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

use crate::both;
use crate::harness::{Fixture, TestApp};

/// The peak resident memory of this process (the test binary, which hosts the server), kB.
fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

/// CPU time this process has used (user + system), in seconds (/proc counts in USER_HZ,
/// 100 a second on Linux).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    // After the name: state(0) ppid(1) … utime(11) stime(12).
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

/// The extraction children of this process still running whose `/proc/<pid>/limits`
/// passes `keep`.
fn extraction_children(keep: impl Fn(&str) -> bool) -> usize {
    let me = std::process::id().to_string();
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return 0;
    };
    dir.filter_map(Result::ok)
        .filter(|e| {
            let p = e.path();
            let stat = std::fs::read_to_string(p.join("stat")).unwrap_or_default();
            // pid (comm) state ppid …: the parent is the 4th field after the name.
            let ppid = stat
                .rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().nth(1))
                .unwrap_or("");
            let cmd = std::fs::read(p.join("cmdline")).unwrap_or_default();
            ppid == me
                && String::from_utf8_lossy(&cmd).contains(danchu_web::extract::CHILD_ARG)
                && keep(&std::fs::read_to_string(p.join("limits")).unwrap_or_default())
        })
        .count()
}

async fn metric(app: &TestApp, name: &str) -> u64 {
    let text = reqwest::get(app.at("/metrics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix(&format!("{name} ")))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("{name} in /metrics"))
}

both!(
    issue13_pdf_bomb_past_the_memory_limit_is_kept_without_text,
    Fixture::units()
        .with_users(&["bientap"])
        .configured(|web, _| {
            web.extract.memory = 384 * 1024 * 1024;
            web.extract.timeout = Duration::from_secs(60);
        }),
    |app: TestApp| async move {
        let c = app.sign_in("bientap").await;
        // Untouched: an ordinary PDF is read, and found by its words.
        let pdf = crate::harness::pdf_with_text("Quyet dinh dat dai", 0);
        let plain = app.uploaded(&c, "721", "thuong.pdf", pdf).await;
        assert_eq!(plain.name, "thuong.pdf");
        assert!(plain.text_note.is_empty());
        let text: String = app
            .string(
                danchu_db::q("SELECT text FROM media WHERE id = $1").bind(plain.id),
                "text",
            )
            .await;
        assert!(
            text.contains("Quyet dinh dat dai"),
            "the PDF's text was read and stored: {text:?}"
        );
        let before = peak_rss_kb();
        let started = Instant::now();
        let bomb = crate::harness::pdf_bomb();
        assert!(
            bomb.len() < 200 * 1024,
            "a small file: {} bytes",
            bomb.len()
        );
        let r = app.upload(&c, "721", "bom.pdf", bomb.clone()).await;
        let took = started.elapsed();
        assert_eq!(r.status(), 200);
        let page = r.text().await.unwrap();
        assert!(
            page.contains("không đọc được nội dung để tìm kiếm"),
            "{page}"
        );
        assert!(page.contains("quá giới hạn bộ nhớ"), "{page}");
        // Given up long before the 45 s the parser takes on it.
        assert!(took < Duration::from_secs(20), "took {took:?}");
        // The memory went to the child, not to the server.
        let grew_mb = peak_rss_kb().saturating_sub(before) / 1024;
        assert!(grew_mb < 1024, "the server grew by {grew_mb} MB");
        // The file is kept, without text, and served as uploaded.
        let m = danchu_db::media::recent(&app.db, None, 1)
            .await
            .unwrap()
            .remove(0);
        assert_eq!(m.name, "bom.pdf");
        assert_eq!(m.text_note, "quá giới hạn bộ nhớ");
        let served = app.get(&c, &format!("/tep/{}", m.stored_name)).await;
        assert_eq!(served.status(), 200);
        assert_eq!(served.bytes().await.unwrap().as_ref(), bomb.as_slice());
        let listed = app.page(&c, "/quan-tri/tep").await;
        assert!(listed.contains("Không đọc được nội dung để tìm kiếm"));
        assert_eq!(metric(&app, "danchu_extract_gave_up_total").await, 1);
    }
);

both!(
    issue13_pdf_bomb_past_the_time_limit_does_not_hold_up_sign_in,
    Fixture::units()
        .with_users(&["bientap", "quantri.anlap"])
        .configured(|web, _| {
            web.extract.memory = 6 * 1024 * 1024 * 1024;
            web.extract.timeout = Duration::from_secs(4);
            web.extract.workers = 1;
        }),
    |app: TestApp| async move {
        let c = app.sign_in("bientap").await;
        let app = std::sync::Arc::new(app);
        let bomb_app = app.clone();
        let started = Instant::now();
        let upload = tokio::spawn(async move {
            let r = bomb_app
                .upload(&c, "721", "bom.pdf", crate::harness::pdf_bomb())
                .await;
            (r.status(), r.text().await.unwrap(), started.elapsed())
        });
        tokio::time::sleep(Duration::from_millis(800)).await;
        // While the extraction runs, people still sign in: it has a pool of its own.
        let signing = Instant::now();
        let other = app.sign_in("quantri.anlap").await;
        let signed_in = signing.elapsed();
        assert!(!upload.is_finished(), "the extraction was still running");
        assert!(
            signed_in < Duration::from_secs(3),
            "sign-in took {signed_in:?}"
        );
        assert_eq!(app.get(&other, "/quan-tri").await.status(), 200);
        let (status, page, took) = upload.await.unwrap();
        assert_eq!(status, 200);
        assert!(page.contains("quá thời gian xử lý"), "{page}");
        assert!(took < Duration::from_secs(12), "took {took:?}");
        // The next document waits for nothing: the child is gone and its permit back.
        let r = app
            .upload(
                &app.sign_in("bientap").await,
                "721",
                "sau.pdf",
                crate::harness::pdf_with_text("Ke hoach", 0),
            )
            .await;
        assert_eq!(r.status(), 303);
    }
);

both!(
    issue13_an_abandoned_upload_stops_its_extraction,
    Fixture::units()
        .with_users(&["bientap"])
        .configured(|web, _| {
            web.upload_timeout = Duration::from_secs(2);
            web.extract.memory = 6 * 1024 * 1024 * 1024;
            web.extract.timeout = Duration::from_secs(60);
            web.extract.workers = 1;
        }),
    |app: TestApp| async move {
        // This test's children are told from the other tests' by their limits (60 s of
        // CPU, 6 GiB: no other test uses both), and its two runs (SQLite, PostgreSQL) take
        // turns, so each counts only its own child.
        static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
        let _turn = ONE_AT_A_TIME.lock().await;
        let ours = || {
            extraction_children(|limits| {
                let value = |name: &str| {
                    limits
                        .lines()
                        .find(|l| l.starts_with(name))
                        .and_then(|l| l[name.len()..].split_whitespace().next())
                        .map(str::to_string)
                };
                value("Max cpu time").as_deref() == Some("60")
                    && value("Max address space").as_deref() == Some("6442450944")
            })
        };
        let c = app.sign_in("bientap").await;
        let app = std::sync::Arc::new(app);
        let started = Instant::now();
        let upload = tokio::spawn({
            let (app, c) = (app.clone(), c.clone());
            async move {
                let r = app
                    .upload(&c, "721", "bom.pdf", crate::harness::pdf_bomb())
                    .await;
                (r.status(), started.elapsed())
            }
        });
        // While the upload is in flight its extraction child runs (else "none left" below
        // would prove nothing).
        let mut seen = false;
        while !seen && !upload.is_finished() && started.elapsed() < Duration::from_secs(5) {
            seen = ours() > 0;
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert!(
            seen,
            "no extraction child was seen while the upload was in flight"
        );
        let (status, took) = upload.await.unwrap();
        assert_eq!(status, 408);
        assert!(took < Duration::from_secs(6));
        // The request's end ended its work: no extraction child is left running.
        let mut left = ours();
        for _ in 0..30 {
            if left == 0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
            left = ours();
        }
        assert_eq!(left, 0, "extraction children still running");
        // And nothing of it goes on inside the server: over the next seconds it burns no
        // CPU parsing (in-process, the parser would keep a core busy for 45 s).
        let cpu = cpu_seconds();
        tokio::time::sleep(Duration::from_secs(4)).await;
        let burnt = cpu_seconds() - cpu;
        assert!(
            burnt < 2.0,
            "the server used {burnt:.1} s of CPU after the request ended"
        );
        // Nothing was recorded for the abandoned upload, and the pool is free again.
        assert!(danchu_db::media::recent(&app.db, None, 50)
            .await
            .unwrap()
            .iter()
            .all(|m| m.name != "bom.pdf"));
        let quick = Instant::now();
        let pdf = crate::harness::pdf_with_text("Ke hoach", 0);
        app.uploaded(&c, "721", "sau.pdf", pdf).await;
        assert!(quick.elapsed() < Duration::from_secs(2));
    }
);

/// Reads until the server closes the connection (or `within` passes): whether it closed.
async fn closed_within(s: &mut tokio::net::TcpStream, within: Duration) -> bool {
    let mut buf = [0u8; 4096];
    let deadline = Instant::now() + within;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, s.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => continue,
            Err(_) => return false,
        }
    }
}

fn addr(app: &TestApp) -> String {
    app.url.trim_start_matches("http://").to_string()
}

both!(
    issue13_slow_headers_and_idle_connections_are_cut_off,
    Fixture::units().configured(|_, conn| {
        conn.header_timeout = Duration::from_secs(1);
    }),
    |app: TestApp| async move {
        // Untouched: a whole request on a fresh connection is answered.
        let mut ok = tokio::net::TcpStream::connect(addr(&app)).await.unwrap();
        ok.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .unwrap();
        let mut buf = [0u8; 512];
        let n = ok.read(&mut buf).await.unwrap();
        assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
        // Kept alive but idle past the deadline: closed.
        assert!(
            closed_within(&mut ok, Duration::from_secs(4)).await,
            "idle connection kept"
        );
        // Slowloris: headers started, never finished.
        let mut slow = Vec::new();
        for _ in 0..20 {
            let mut s = tokio::net::TcpStream::connect(addr(&app)).await.unwrap();
            s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: 1\r\n")
                .await
                .unwrap();
            slow.push(s);
        }
        let started = Instant::now();
        for s in &mut slow {
            assert!(
                closed_within(s, Duration::from_secs(4)).await,
                "a slow client kept its socket"
            );
        }
        assert!(started.elapsed() < Duration::from_secs(4));
        // The node serves on.
        assert_eq!(
            reqwest::get(app.at("/healthz")).await.unwrap().status(),
            200
        );
    }
);

both!(
    issue13_one_address_cannot_take_every_connection,
    Fixture::units().configured(|_, conn| {
        conn.per_address = 8;
        conn.header_timeout = Duration::from_secs(20);
    }),
    |app: TestApp| async move {
        let mut held = Vec::new();
        for _ in 0..8 {
            held.push(tokio::net::TcpStream::connect(addr(&app)).await.unwrap());
        }
        // Untouched: the eighth connection is served.
        let last = held.last_mut().unwrap();
        last.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .unwrap();
        let mut buf = [0u8; 512];
        let n = last.read(&mut buf).await.unwrap();
        assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
        // The ninth from the same address is closed at once.
        let mut ninth = tokio::net::TcpStream::connect(addr(&app)).await.unwrap();
        let _ = ninth
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            .await;
        let mut buf = [0u8; 512];
        let answer = tokio::time::timeout(Duration::from_secs(2), ninth.read(&mut buf)).await;
        assert!(
            matches!(answer, Ok(Ok(0)) | Ok(Err(_))),
            "the ninth connection was served: {answer:?}"
        );
        // Given back when they close.
        drop(held);
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(
            reqwest::get(app.at("/healthz")).await.unwrap().status(),
            200
        );
    }
);
