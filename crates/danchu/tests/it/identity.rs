//! Sign-in, sessions, roles scoped to units, throttling.

use crate::both;
use crate::harness::TestApp;

both!(
    sign_in_and_out_with_server_side_session,
    |app: TestApp| async move {
        // Anonymous visitors are sent to the sign-in page.
        let anon = app.client();
        let r = anon.get(app.at("/quan-tri")).send().await.unwrap();
        assert_eq!(r.status(), 303);
        assert_eq!(r.headers()["location"], "/dang-nhap?next=/quan-tri");

        let c = app.sign_in("admin").await;
        let sessions: i64 = app
            .db
            .fetch_optional(danchu_db::q("SELECT COUNT(*) AS n FROM sessions"))
            .await
            .unwrap()
            .unwrap()
            .get("n")
            .unwrap();
        assert_eq!(sessions, 1, "the session lives in the database");
        let stored: String = app
            .db
            .fetch_optional(danchu_db::q(
                "SELECT password_hash FROM users WHERE username = 'admin'",
            ))
            .await
            .unwrap()
            .unwrap()
            .get("password_hash")
            .unwrap();
        assert!(stored.starts_with("$argon2id$"));
        let home = app.page(&c, "/quan-tri").await;
        assert!(home.contains("Quản trị hệ thống"));

        let r = app.post(&c, "/quan-tri", "/dang-xuat", &[]).await;
        assert_eq!(r.status(), 303);
        let r = c.get(app.at("/quan-tri")).send().await.unwrap();
        assert_eq!(r.status(), 303, "signed out");
        let sessions: i64 = app
            .db
            .fetch_optional(danchu_db::q("SELECT COUNT(*) AS n FROM sessions"))
            .await
            .unwrap()
            .unwrap()
            .get("n")
            .unwrap();
        assert_eq!(sessions, 0);
        let actions = danchu_db::audit::actions(&app.db).await.unwrap();
        assert!(
            actions.contains(&"auth.sign_in".to_string())
                && actions.contains(&"auth.sign_out".to_string())
        );
    }
);

both!(
    wrong_password_shows_vietnamese_error,
    |app: TestApp| async move {
        let c = app.client();
        let r = app
            .post(
                &c,
                "/dang-nhap",
                "/dang-nhap",
                &[("username", "admin"), ("password", "sai-mat-khau-123")],
            )
            .await;
        assert_eq!(r.status(), 401);
        let body = r.text().await.unwrap();
        assert!(body.contains("Tên đăng nhập hoặc mật khẩu không đúng."));
        assert!(
            body.contains("value=\"admin\""),
            "what the user typed is kept"
        );
    }
);

both!(
    repeated_wrong_passwords_are_throttled,
    |app: TestApp| async move {
        let c = app.client();
        for _ in 0..danchu_core::throttle::FREE_FAILURES {
            let r = app
                .post(
                    &c,
                    "/dang-nhap",
                    "/dang-nhap",
                    &[
                        ("username", "quantri.anlap"),
                        ("password", "doan-mo-mat-khau"),
                    ],
                )
                .await;
            assert_eq!(r.status(), 401);
        }
        // Even the right password now waits.
        let r = app
            .post(
                &c,
                "/dang-nhap",
                "/dang-nhap",
                &[
                    ("username", "quantri.anlap"),
                    ("password", danchu::demo::DEMO_PASSWORD),
                ],
            )
            .await;
        assert_eq!(r.status(), 429);
        assert!(r.headers().contains_key("retry-after"));
        assert!(r.text().await.unwrap().contains("Vui lòng thử lại sau"));
        // Another account from the same address is not locked by this one.
        let other = app.sign_in("admin").await;
        assert_eq!(
            other
                .get(app.at("/quan-tri"))
                .send()
                .await
                .unwrap()
                .status(),
            200
        );
    }
);

both!(
    unit_admin_cannot_act_on_another_commune,
    |app: TestApp| async move {
        let c = app.sign_in("quantri.anlap").await;
        let an_lap = app.unit_id("25789").await;
        let dinh_an = app.unit_id("25777").await;

        // Adding a hamlet under another commune: 403, and nothing is created.
        let r = app
            .post(
                &c,
                "/quan-tri/don-vi",
                "/quan-tri/don-vi",
                &[
                    ("parent_id", &dinh_an.to_string()),
                    ("code", "25777-A1"),
                    ("name", "Ấp 1"),
                    ("kind", "village"),
                ],
            )
            .await;
        assert_eq!(r.status(), 403);
        assert!(danchu_db::units::by_code(&mut app.db.clone(), "25777-A1")
            .await
            .unwrap()
            .is_none());
        // Renaming another commune: 403.
        let r = app
            .post(
                &c,
                "/quan-tri/don-vi",
                &format!("/quan-tri/don-vi/{dinh_an}/doi-ten"),
                &[("name", "Xã Giả")],
            )
            .await;
        assert_eq!(r.status(), 403);
        // Giving someone a role in another commune: 403.
        let r = app
            .post(
                &c,
                "/quan-tri/nguoi-dung",
                "/quan-tri/nguoi-dung",
                &[
                    ("username", "ke.gian"),
                    ("full_name", "Kẻ Gian"),
                    ("password", "mat-khau-dai-du"),
                    ("role", "editor"),
                    ("unit_code", "25777"),
                ],
            )
            .await;
        assert_eq!(r.status(), 403);
        // Nor can a unit admin make a system admin.
        let r = app
            .post(
                &c,
                "/quan-tri/nguoi-dung",
                "/quan-tri/nguoi-dung",
                &[
                    ("username", "ke.gian"),
                    ("full_name", "Kẻ Gian"),
                    ("password", "mat-khau-dai-du"),
                    ("role", "system_admin"),
                    ("unit_code", ""),
                ],
            )
            .await;
        assert_eq!(r.status(), 403);
        // The audit log is for system admins.
        assert_eq!(
            c.get(app.at("/quan-tri/nhat-ky"))
                .send()
                .await
                .unwrap()
                .status(),
            403
        );

        // In their own commune it works.
        let r = app
            .post(
                &c,
                "/quan-tri/don-vi",
                "/quan-tri/don-vi",
                &[
                    ("parent_id", &an_lap.to_string()),
                    ("code", "25789-A1"),
                    ("name", "Ấp Lò Gạch"),
                    ("kind", "village"),
                ],
            )
            .await;
        assert_eq!(r.status(), 303);
        let r = app
            .post(
                &c,
                "/quan-tri/nguoi-dung",
                "/quan-tri/nguoi-dung",
                &[
                    ("username", "bientap.anlap"),
                    ("full_name", "Trần Thị Bích"),
                    ("password", "mat-khau-dai-du"),
                    ("role", "editor"),
                    ("unit_code", "25789"),
                ],
            )
            .await;
        assert_eq!(r.status(), 303);
        // The new editor can sign in with that password.
        let e = app.client();
        let r = app
            .post(
                &e,
                "/dang-nhap",
                "/dang-nhap",
                &[
                    ("username", "bientap.anlap"),
                    ("password", "mat-khau-dai-du"),
                ],
            )
            .await;
        assert_eq!(r.status(), 303);
        // The unit admin's user list shows only people of An Lập.
        let list = app.page(&c, "/quan-tri/nguoi-dung").await;
        assert!(list.contains("bientap.anlap") && list.contains("baocao.anlap"));
        assert!(!list.contains("quantri.huyen"));
    }
);

both!(viewer_cannot_change_anything, |app: TestApp| async move {
    let c = app.sign_in("xem").await;
    let district = app.unit_id("721").await;
    let r = app
        .post(
            &c,
            "/quan-tri",
            &format!("/quan-tri/don-vi/{district}/doi-ten"),
            &[("name", "Huyện Khác")],
        )
        .await;
    assert_eq!(r.status(), 403);
    assert_eq!(
        c.get(app.at("/quan-tri/nguoi-dung"))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    // But can read the units.
    assert_eq!(
        c.get(app.at("/quan-tri/don-vi"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
});

both!(deactivated_user_loses_session, |app: TestApp| async move {
    let victim = app.sign_in("baocao.anlap").await;
    assert_eq!(
        victim
            .get(app.at("/quan-tri"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let admin = app.sign_in("quantri.anlap").await;
    let uid: i64 = app
        .db
        .fetch_optional(danchu_db::q(
            "SELECT id FROM users WHERE username = 'baocao.anlap'",
        ))
        .await
        .unwrap()
        .unwrap()
        .get("id")
        .unwrap();
    let r = app
        .post(
            &admin,
            "/quan-tri/nguoi-dung",
            &format!("/quan-tri/nguoi-dung/{uid}/trang-thai"),
            &[("active", "0")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        victim
            .get(app.at("/quan-tri"))
            .send()
            .await
            .unwrap()
            .status(),
        303
    );
});

both!(
    change_own_password_ends_sessions,
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
        assert_eq!(r.status(), 400);
        let body = r.text().await.unwrap();
        assert!(
            body.contains("Mật khẩu hiện tại không đúng.")
                && body.contains("Mật khẩu phải có từ 10 đến 256 ký tự.")
        );
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
            c.get(app.at("/quan-tri")).send().await.unwrap().status(),
            303,
            "session ended"
        );
        let n = app.client();
        let r = app
            .post(
                &n,
                "/dang-nhap",
                "/dang-nhap",
                &[("username", "bientap"), ("password", "mat-khau-moi-2024")],
            )
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

both!(english_interface_on_request, |app: TestApp| async move {
    let c = app.sign_in("admin").await;
    let page = app.page(&c, "/quan-tri/nhat-ky?lang=en").await;
    assert!(page.contains("Verify the integrity of the audit chain"));
    let page = app.page(&c, "/quan-tri/don-vi").await;
    assert!(page.contains("Administrative units") && !page.contains("Đơn vị hành chính<"));
});

both!(
    parallel_guessing_cannot_pass_the_limit,
    |app: TestApp| async move {
        let c = app.client();
        let token = app.csrf(&c, "/dang-nhap").await;
        let mut tasks = Vec::new();
        for _ in 0..20 {
            let c = c.clone();
            let url = app.at("/dang-nhap");
            let token = token.clone();
            tasks.push(tokio::spawn(async move {
                c.post(url)
                    .form(&[
                        ("_csrf", token.as_str()),
                        ("username", "noivu"),
                        ("password", "doan-bua-123"),
                    ])
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            }));
        }
        let mut statuses = Vec::new();
        for t in tasks {
            statuses.push(t.await.unwrap());
        }
        // Each guess reached the password check (401) or was stopped by the limit (429).
        assert!(
            statuses.iter().all(|s| matches!(s, 401 | 429)),
            "{statuses:?}"
        );
        let checked = statuses.iter().filter(|s| **s == 401).count();
        assert!(checked > 0, "some guesses were checked: {statuses:?}");
        assert!(
            checked <= danchu_core::throttle::FREE_FAILURES as usize,
            "{checked} passwords were tried"
        );
    }
);

both!(
    unit_admin_cannot_grant_roles_to_people_outside_scope,
    |app: TestApp| async move {
        let c = app.sign_in("quantri.anlap").await;
        let uid: i64 = app
            .db
            .fetch_optional(danchu_db::q(
                "SELECT id FROM users WHERE username = 'quantri.huyen'",
            ))
            .await
            .unwrap()
            .unwrap()
            .get("id")
            .unwrap();
        let r = app
            .post(
                &c,
                "/quan-tri/nguoi-dung",
                &format!("/quan-tri/nguoi-dung/{uid}/vai-tro"),
                &[("role", "viewer"), ("unit_code", "25789")],
            )
            .await;
        assert_eq!(r.status(), 403);
        // Someone of An Lập can be given another An Lập role.
        let own: i64 = app
            .db
            .fetch_optional(danchu_db::q(
                "SELECT id FROM users WHERE username = 'baocao.anlap'",
            ))
            .await
            .unwrap()
            .unwrap()
            .get("id")
            .unwrap();
        let r = app
            .post(
                &c,
                "/quan-tri/nguoi-dung",
                &format!("/quan-tri/nguoi-dung/{own}/vai-tro"),
                &[("role", "viewer"), ("unit_code", "25789")],
            )
            .await;
        assert_eq!(r.status(), 303);
        // Twice is a no-op, not a duplicate.
        let r = app
            .post(
                &c,
                "/quan-tri/nguoi-dung",
                &format!("/quan-tri/nguoi-dung/{own}/vai-tro"),
                &[("role", "viewer"), ("unit_code", "25789")],
            )
            .await;
        assert_eq!(r.status(), 303);
        let n: i64 = app
            .db
            .fetch_optional(
                danchu_db::q("SELECT COUNT(*) AS n FROM user_roles WHERE user_id = $1").bind(own),
            )
            .await
            .unwrap()
            .unwrap()
            .get("n")
            .unwrap();
        assert_eq!(n, 2);
    }
);
