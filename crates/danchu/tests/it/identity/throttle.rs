//! Wrong passwords: a Vietnamese error, throttled, and parallel guessing cannot pass the
//! limit.

use crate::both;
use crate::harness::{Fixture, TestApp};

both!(
    wrong_password_shows_vietnamese_error,
    Fixture::units().with_users(&["admin"]),
    |app: TestApp| async move {
        let c = app.client();
        let r = app
            .submit_sign_in(&c, "admin", "sai-mat-khau-123", &[])
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
    Fixture::units().with_users(&["admin", "quantri.anlap"]),
    |app: TestApp| async move {
        let c = app.client();
        for _ in 0..danchu_core::throttle::FREE_FAILURES {
            let r = app
                .submit_sign_in(&c, "quantri.anlap", "doan-mo-mat-khau", &[])
                .await;
            assert_eq!(r.status(), 401);
        }
        // Even the right password now waits.
        let r = app
            .submit_sign_in(&c, "quantri.anlap", danchu::demo::DEMO_PASSWORD, &[])
            .await;
        assert_eq!(r.status(), 429);
        assert!(r.headers().contains_key("retry-after"));
        assert!(r.text().await.unwrap().contains("Vui lòng thử lại sau"));
        // Another account from the same address is not locked by this one.
        let other = app.sign_in("admin").await;
        assert_eq!(app.get(&other, "/quan-tri").await.status(), 200);
    }
);

both!(
    parallel_guessing_cannot_pass_the_limit,
    Fixture::units().with_users(&["noivu"]),
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
