//! Sessions: kept server-side and ended on sign-out, when the account is deactivated or
//! its password changed; the interface language chosen per request.

use crate::both;
use crate::harness::{assert_refused, Fixture, TestApp};

both!(
    sign_in_and_out_with_server_side_session,
    Fixture::units().with_users(&["admin"]),
    |app: TestApp| async move {
        // Anonymous visitors are sent to the sign-in page.
        let anon = app.client();
        let r = app.get(&anon, "/quan-tri").await;
        assert_eq!(r.status(), 303);
        assert_eq!(r.headers()["location"], "/dang-nhap?next=/quan-tri");

        let c = app.sign_in("admin").await;
        let sessions: i64 = app
            .int(danchu_db::q("SELECT COUNT(*) AS n FROM sessions"), "n")
            .await;
        assert_eq!(sessions, 1, "the session lives in the database");
        let stored: String = app
            .string(
                danchu_db::q("SELECT password_hash FROM users WHERE username = 'admin'"),
                "password_hash",
            )
            .await;
        assert!(stored.starts_with("$argon2id$"));
        let home = app.page(&c, "/quan-tri").await;
        assert!(home.contains("Quản trị hệ thống"));

        let r = app.post(&c, "/quan-tri", "/dang-xuat", &[]).await;
        assert_eq!(r.status(), 303);
        let r = app.get(&c, "/quan-tri").await;
        assert_eq!(r.status(), 303, "signed out");
        let sessions: i64 = app
            .int(danchu_db::q("SELECT COUNT(*) AS n FROM sessions"), "n")
            .await;
        assert_eq!(sessions, 0);
        let actions = danchu_db::audit::actions(&app.db).await.unwrap();
        assert!(
            actions.contains(&"auth.sign_in".to_string())
                && actions.contains(&"auth.sign_out".to_string())
        );
    }
);

both!(
    deactivated_user_loses_session,
    Fixture::units().with_users(&["quantri.anlap", "baocao.anlap"]),
    |app: TestApp| async move {
        let victim = app.sign_in("baocao.anlap").await;
        assert_eq!(app.get(&victim, "/quan-tri").await.status(), 200);
        let admin = app.sign_in("quantri.anlap").await;
        let uid: i64 = app.user_id("baocao.anlap").await;
        let r = app
            .post(
                &admin,
                "/quan-tri/nguoi-dung",
                &format!("/quan-tri/nguoi-dung/{uid}/trang-thai"),
                &[("active", "0")],
            )
            .await;
        assert_eq!(r.status(), 303);
        assert_eq!(app.get(&victim, "/quan-tri").await.status(), 303);
    }
);

both!(
    change_own_password_ends_sessions,
    Fixture::units().with_users(&["bientap"]),
    |app: TestApp| async move {
        let c = app.sign_in("bientap").await;
        let r = app
            .post(
                &c,
                "/quan-tri/mat-khau",
                "/quan-tri/mat-khau",
                &[
                    ("current", "sai"),
                    ("new_password", "ngan"),
                    ("confirm", "x"),
                ],
            )
            .await;
        assert_refused(
            r,
            &[
                "Mật khẩu hiện tại không đúng.",
                "Mật khẩu phải có từ 10 đến 256 ký tự.",
            ],
        )
        .await;
        let r = app
            .post(
                &c,
                "/quan-tri/mat-khau",
                "/quan-tri/mat-khau",
                &[
                    ("current", danchu::demo::DEMO_PASSWORD),
                    ("new_password", "mat-khau-moi-2024"),
                    ("confirm", "mat-khau-moi-2024"),
                ],
            )
            .await;
        assert_eq!(r.status(), 303);
        assert_eq!(
            app.get(&c, "/quan-tri").await.status(),
            303,
            "session ended"
        );
        let n = app.client();
        let r = app
            .submit_sign_in(&n, "bientap", "mat-khau-moi-2024", &[])
            .await;
        assert_eq!(r.status(), 303);
        let f = danchu_db::audit::Filter {
            action: Some("user.password".into()),
            ..Default::default()
        };
        let e = &danchu_db::audit::list(&app.db, &f, 1).await.unwrap()[0];
        assert!(
            !e.after.as_deref().unwrap_or("").contains("argon2"),
            "no hash in the log"
        );
    }
);

both!(
    english_interface_on_request,
    Fixture::units().with_users(&["admin"]),
    |app: TestApp| async move {
        let c = app.sign_in("admin").await;
        let page = app.page(&c, "/quan-tri/nhat-ky?lang=en").await;
        assert!(page.contains("Verify the integrity of the audit chain"));
        let page = app.page(&c, "/quan-tri/don-vi").await;
        assert!(page.contains("Administrative units") && !page.contains("Đơn vị hành chính<"));
    }
);
