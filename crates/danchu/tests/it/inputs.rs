//! Bad input: oversized bodies, invalid UTF-8, malformed forms, missing CSRF, hostile text.

use crate::both;
use crate::harness::TestApp;

both!(oversized_body_is_413, |app: TestApp| async move {
    let c = app.sign_in("admin").await;
    let token = app.csrf(&c, "/quan-tri/don-vi").await;
    let big = "x".repeat(200 * 1024);
    let r = c
        .post(app.at("/quan-tri/don-vi"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("_csrf={token}&name={big}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    assert!(r.text().await.unwrap().contains("Dữ liệu quá lớn"));
});

both!(
    invalid_utf8_and_malformed_forms_are_400,
    |app: TestApp| async move {
        let c = app.sign_in("admin").await;
        let token = app.csrf(&c, "/quan-tri/don-vi").await;
        let mut body = format!("_csrf={token}&code=X1&kind=village&name=").into_bytes();
        body.extend_from_slice(&[0xC3, 0x28, 0xFF]);
        let r = c
            .post(app.at("/quan-tri/don-vi"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400);
        assert!(r.text().await.unwrap().contains("UTF-8"));
        // Percent-encoded invalid UTF-8 is refused too, not silently replaced.
        let r = c
            .post(app.at("/quan-tri/don-vi"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("_csrf={token}&code=X1&kind=village&name=%FF%FE"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400);
        let r = c
            .post(app.at("/quan-tri/don-vi"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("_csrf={token}&code=X1&name=%ZZ"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400);
        assert!(r.text().await.unwrap().contains("Biểu mẫu"));
        assert!(danchu_db::units::by_code(&mut app.db.clone(), "X1")
            .await
            .unwrap()
            .is_none());
    }
);

both!(post_without_csrf_is_403, |app: TestApp| async move {
    let c = app.sign_in("admin").await;
    let before = danchu_db::units::count(&app.db).await.unwrap();
    let r = c
        .post(app.at("/quan-tri/don-vi"))
        .form(&[("code", "X2"), ("name", "Ấp X"), ("kind", "village")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = c
        .post(app.at("/quan-tri/don-vi"))
        .form(&[
            ("_csrf", "forged"),
            ("code", "X2"),
            ("name", "Ấp X"),
            ("kind", "village"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("Phiên làm việc không hợp lệ"));
    // Sign-in itself is protected: a cross-site login form without the token fails.
    let anon = app.client();
    let r = anon
        .post(app.at("/dang-nhap"))
        .form(&[
            ("username", "admin"),
            ("password", danchu::demo::DEMO_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(danchu_db::units::count(&app.db).await.unwrap(), before);
});

both!(
    form_errors_name_the_field_and_keep_input,
    |app: TestApp| async move {
        let c = app.sign_in("admin").await;
        let r = app
            .post(
                &c,
                "/quan-tri/don-vi",
                "/quan-tri/don-vi",
                &[
                    ("code", "../etc/passwd"),
                    ("name", "Ấp <b>Mới</b>"),
                    ("kind", ""),
                ],
            )
            .await;
        assert_eq!(r.status(), 400);
        let body = r.text().await.unwrap();
        assert!(body.contains("Mã đơn vị chỉ gồm chữ không dấu"));
        assert!(body.contains("Hãy chọn loại đơn vị."));
        assert!(body.contains("aria-invalid=\"true\""));
        // The typed name comes back, escaped.
        assert!(
            body.contains("Ấp &#60;b&#62;Mới&#60;/b&#62;")
                || body.contains("Ấp &lt;b&gt;Mới&lt;/b&gt;"),
            "escaped input kept"
        );
        let r = app
            .post(
                &c,
                "/quan-tri/nguoi-dung",
                "/quan-tri/nguoi-dung",
                &[
                    ("username", "x"),
                    ("full_name", ""),
                    ("password", "ngan"),
                    ("role", "editor"),
                    ("unit_code", "25789"),
                ],
            )
            .await;
        assert_eq!(r.status(), 400);
        let body = r.text().await.unwrap();
        assert!(body.contains("Tên đăng nhập gồm 3–64 ký tự"));
        assert!(body.contains("Mật khẩu phải có từ 10 đến 256 ký tự."));
    }
);

both!(
    hostile_text_is_stored_as_text_and_escaped,
    |app: TestApp| async move {
        let c = app.sign_in("admin").await;
        let district = app.unit_id("721").await;
        let name = "Xã '; DROP TABLE units; -- <script>alert(1)</script>";
        let r = app
            .post(
                &c,
                "/quan-tri/don-vi",
                "/quan-tri/don-vi",
                &[
                    ("parent_id", &district.to_string()),
                    ("code", "X3"),
                    ("name", name),
                    ("kind", "commune"),
                ],
            )
            .await;
        assert_eq!(r.status(), 303);
        let u = danchu_db::units::by_code(&mut app.db.clone(), "X3")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(u.name, name);
        let page = app
            .page(&c, &format!("/quan-tri/don-vi?parent={district}"))
            .await;
        assert!(!page.contains("<script>alert(1)</script>"));
        assert!(
            danchu_db::units::count(&app.db).await.unwrap() > 10,
            "units table still there"
        );
        // NFD input is stored as NFC.
        let r = app
            .post(
                &c,
                "/quan-tri/don-vi",
                "/quan-tri/don-vi",
                &[
                    ("parent_id", &district.to_string()),
                    ("code", "X4"),
                    ("name", "Xã Hoa\u{300}"),
                    ("kind", "commune"),
                ],
            )
            .await;
        assert_eq!(r.status(), 303);
        assert_eq!(
            danchu_db::units::by_code(&mut app.db.clone(), "X4")
                .await
                .unwrap()
                .unwrap()
                .name,
            "Xã Hoà"
        );
    }
);

both!(bad_urls_get_vietnamese_400, |app: TestApp| async move {
    let c = app.sign_in("admin").await;
    for path in [
        "/quan-tri/don-vi/abc",
        "/quan-tri/don-vi?q=%00",
        "/quan-tri/don-vi?parent=x",
        "/quan-tri/nhat-ky?q=%FF",
    ] {
        let r = c.get(app.at(path)).send().await.unwrap();
        assert_eq!(r.status(), 400, "{path}");
        let body = r.text().await.unwrap();
        assert!(body.contains("Yêu cầu không hợp lệ"), "{path}: {body}");
    }
});
