//! The command line: configuration errors, user add, migrate, graceful shutdown (backup
//! and restore: backup.rs).

use std::process::Command;
use std::time::Duration;

use crate::both;
use crate::harness::{one_row, Fixture, TestApp};

fn danchu() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_danchu"));
    c.env("RUST_LOG", "warn")
        .env_remove("DANCHU_DATABASE_URL")
        .env_remove("DANCHU_ADDR");
    c
}

#[test]
fn wrong_configuration_names_the_setting() {
    let out = danchu()
        .args(["migrate"])
        .env("DANCHU_DATABASE_URL", "mysql://x")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("DANCHU_DATABASE_URL"));
    let out = danchu()
        .args(["serve", "--addr", "localhost"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("DANCHU_ADDR"));
    let out = danchu().args(["--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for cmd in [
        "serve", "demo", "migrate", "user", "import", "backup", "restore", "audit",
    ] {
        assert!(help.contains(cmd), "{cmd} in help");
    }
    assert!(help.contains("Sao lưu") && help.contains("Khôi phục"));
    let out = danchu().args(["restore", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(
        help.contains("--force") && help.contains("Khôi phục"),
        "{help}"
    );
}

both!(
    user_add_then_sign_in,
    Fixture::units(),
    |app: TestApp| async move {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_danchu"))
            .args([
                "user",
                "add",
                "--username",
                "canbo.longhoa",
                "--role",
                "reporter",
                "--unit",
                "25780",
                "--full-name",
                "Lê Văn Cường",
            ])
            .env("DANCHU_DATABASE_URL", &app.database_url)
            .env("DANCHU_PASSWORD", "mat-khau-long-hoa")
            .output()
            .unwrap();
        crate::harness::assert_ran(&out);
        // The command chained the audit entries it wrote before it exited (ADR 0008):
        // nothing is left waiting, read straight from the tables.
        let waiting = app
            .int(danchu_db::q("SELECT COUNT(*) AS n FROM audit_pending"), "n")
            .await;
        assert_eq!(waiting, 0, "the command left audit entries waiting");
        let chained = app
            .int(
                danchu_db::q("SELECT COUNT(*) AS n FROM audit_log WHERE entity_type = 'user' AND entity_id = 'canbo.longhoa'"),
                "n",
            )
            .await;
        assert!(chained >= 1, "the new user's entry is in the chain");
        let c = app.client();
        let r = app
            .submit_sign_in(&c, "canbo.longhoa", "mat-khau-long-hoa", &[])
            .await;
        assert_eq!(r.status(), 303);
        // With the role and unit asked for, and nothing else.
        let (user, _) = danchu_db::users::by_username(&app.db, "canbo.longhoa")
            .await
            .unwrap()
            .expect("user created");
        assert_eq!(user.full_name, "Lê Văn Cường");
        let grants = danchu_db::users::grants(&mut app.db.clone(), user.id)
            .await
            .unwrap();
        let long_hoa = app.unit_id("25780").await;
        assert_eq!(
            grants
                .iter()
                .map(|g| (g.role, g.unit_id))
                .collect::<Vec<_>>(),
            [(danchu_core::roles::Role::Reporter, Some(long_hoa))]
        );
        // A role without a unit, or an unknown unit, is refused, and no user is made.
        for (args, reason) in [
            (&[][..], "--unit: vai trò editor cần mã đơn vị"),
            (&["--unit", "99999"][..], "--unit: không có đơn vị mã 99999"),
        ] {
            let out = app
                .cli_command(&["user", "add", "--username", "x.y.z", "--role", "editor"])
                .args(args)
                .env("DANCHU_PASSWORD", "mat-khau-x-y-z")
                .output()
                .unwrap();
            assert!(!out.status.success(), "{args:?}");
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(err.contains(reason), "{args:?}: {err}");
            assert!(danchu_db::users::by_username(&app.db, "x.y.z")
                .await
                .unwrap()
                .is_none());
        }
    }
);

#[test]
fn serve_shuts_down_gracefully_on_sigterm() {
    let dir = std::env::temp_dir().join(format!("danchu_srv_{:x}", rand::random::<u64>()));
    std::fs::create_dir_all(&dir).unwrap();
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let mut child = danchu()
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .env(
            "DANCHU_DATABASE_URL",
            format!("sqlite://{}", dir.join("s.db").display()),
        )
        .spawn()
        .unwrap();
    let mut up = false;
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            up = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(up, "server came up");
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let mut code = None;
    for _ in 0..100 {
        if let Some(s) = child.try_wait().unwrap() {
            code = Some(s);
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let status = code.unwrap_or_else(|| {
        let _ = child.kill();
        panic!("did not stop on SIGTERM")
    });
    assert!(status.success(), "{status}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn views_before_graceful_shutdown_are_all_counted() {
    let dir = std::env::temp_dir().join(format!("danchu_views_{:x}", rand::random::<u64>()));
    std::fs::create_dir_all(&dir).unwrap();
    let db_url = format!("sqlite://{}", dir.join("v.db").display());
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = danchu()
        .args(["demo", "--addr", &format!("127.0.0.1:{port}")])
        .env("DANCHU_DATABASE_URL", &db_url)
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    const N: i64 = 40;
    rt.block_on(async {
        let c = reqwest::Client::builder()
            .user_agent("Mozilla/5.0 (Android 10) Chrome/120 Mobile")
            .build()
            .unwrap();
        let url = format!(
            "http://127.0.0.1:{port}/bai-viet/{}",
            crate::portal::SEED_SLUG
        );
        let mut up = false;
        for _ in 0..100 {
            if c.get(&url).send().await.is_ok_and(|r| r.status() == 200) {
                up = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(up, "demo came up");
        for _ in 1..N {
            assert_eq!(c.get(&url).send().await.unwrap().status(), 200);
        }
    });
    // Stop at once: most of these views are still only in memory.
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let status = child.wait().unwrap();
    assert!(status.success(), "{status}");
    rt.block_on(async {
        let db = danchu_db::Db::connect(&db_url, 1).await.unwrap();
        let views: i64 = one_row(
            &db,
            danchu_db::q("SELECT views FROM articles WHERE slug = $1")
                .bind(crate::portal::SEED_SLUG),
        )
        .await
        .get("views")
        .unwrap();
        assert_eq!(views, danchu::demo::portal::SEED_VIEWS + N);
        let today: i64 = one_row(
            &db,
            danchu_db::q("SELECT visits FROM visit_days WHERE day = $1")
                .bind(danchu_db::today_vn()),
        )
        .await
        .get("visits")
        .unwrap();
        assert_eq!(today, danchu::demo::portal::SEED_TODAY + N);
        db.close().await;
    });
    let _ = std::fs::remove_dir_all(dir);
}

both!(
    reindex_recomputes_search_text,
    Fixture::demo(),
    |app: TestApp| async move {
        // A document file uploaded before text extraction existed has no text yet.
        let editor = app.sign_in("bientap").await;
        let docx = crate::harness::docx_with_text(&["Danh sách hộ dân ấp Hố Đá"]);
        let r = app.upload(&editor, "721", "ds.docx", docx).await;
        assert_eq!(r.status(), 303);
        app.db
            .execute(danchu_db::q("UPDATE media SET text = ''"))
            .await
            .unwrap();
        // Empty the search index, as a lost or damaged index would leave it.
        for t in ["search_postings", "search_docs", "search_terms"] {
            app.db
                .execute(danchu_db::q(format!("DELETE FROM {t}")))
                .await
                .unwrap();
        }
        let url = reqwest::Url::parse_with_params(
            &app.at("/tim-kiem"),
            &[("q", "dau tieng"), ("loai", "bai-viet")],
        )
        .unwrap();
        let anon = app.client();
        assert!(crate::harness::body_at(&anon, url.clone())
            .await
            .contains("Không tìm thấy kết quả cho"));
        let out = app.cli(&["reindex"]);
        crate::harness::assert_ran(&out);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.contains("Đã trích chữ của 1 tệp tài liệu."),
            "{stdout}"
        );
        // Every article, document and disclosure of the demo is in the index.
        let things: i64 = app.int(danchu_db::q(
            "SELECT (SELECT COUNT(*) FROM articles) + (SELECT COUNT(*) FROM documents) + (SELECT COUNT(*) FROM disclosures) AS n",
        ), "n").await;
        assert!(
            stdout.contains(&format!("Đã dựng lại chỉ mục tìm kiếm: {things} mục")),
            "{stdout}"
        );
        assert_eq!(
            danchu_db::media::without_text(&app.db).await.unwrap(),
            Vec::new(),
            "the file has its text again"
        );
        assert!(crate::harness::body_at(&anon, url)
            .await
            .contains("<mark>Dầu</mark>"));
    }
);
