//! Bad input: oversized bodies, invalid UTF-8, malformed forms, missing CSRF, hostile text.

use crate::both;
use crate::harness::{assert_page, assert_refused, Fixture, TestApp};

both!(
    oversized_body_is_413,
    Fixture::units().with_users(&["admin"]),
    |app: TestApp| async move {
        let c = app.sign_in("admin").await;
        let token = app.csrf(&c, "/quan-tri/don-vi").await;
        let big = "x".repeat(200 * 1024);
        let r = app
            .post_raw_form(&c, "/quan-tri/don-vi", format!("_csrf={token}&name={big}"))
            .await;
        assert_page(r, 413, "Dữ liệu quá lớn").await;
    }
);

both!(
    invalid_utf8_and_malformed_forms_are_400,
    Fixture::units().with_users(&["admin"]),
    |app: TestApp| async move {
        let c = app.sign_in("admin").await;
        let token = app.csrf(&c, "/quan-tri/don-vi").await;
        let mut body = format!("_csrf={token}&code=X1&kind=village&name=").into_bytes();
        body.extend_from_slice(&[0xC3, 0x28, 0xFF]);
        let r = app.post_raw_form(&c, "/quan-tri/don-vi", body).await;
        assert_page(r, 400, "UTF-8").await;
        // Percent-encoded invalid UTF-8 is refused too, not silently replaced.
        let r = app
            .post_raw_form(
                &c,
                "/quan-tri/don-vi",
                format!("_csrf={token}&code=X1&kind=village&name=%FF%FE"),
            )
            .await;
        assert_eq!(r.status(), 400);
        let r = app
            .post_raw_form(
                &c,
                "/quan-tri/don-vi",
                format!("_csrf={token}&code=X1&name=%ZZ"),
            )
            .await;
        assert_page(r, 400, "Biểu mẫu").await;
        assert!(danchu_db::units::by_code(&mut app.db.clone(), "X1")
            .await
            .unwrap()
            .is_none());
    }
);

both!(
    post_without_csrf_is_403,
    Fixture::units().with_users(&["admin"]),
    |app: TestApp| async move {
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
        assert_page(r, 403, "Phiên làm việc không hợp lệ").await;
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
    }
);

both!(
    form_errors_name_the_field_and_keep_input,
    Fixture::units().with_users(&["admin"]),
    |app: TestApp| async move {
        let c = app.sign_in("admin").await;
        let r = app
            .add_unit(&c, None, "../etc/passwd", "Ấp <b>Mới</b>", "")
            .await;
        let errors = [
            "Mã đơn vị chỉ gồm chữ không dấu",
            "Hãy chọn loại đơn vị.",
            "aria-invalid=\"true\"",
        ];
        let body = assert_refused(r, &errors).await;
        // The typed name comes back, escaped.
        assert!(
            body.contains("Ấp &#60;b&#62;Mới&#60;/b&#62;")
                || body.contains("Ấp &lt;b&gt;Mới&lt;/b&gt;"),
            "escaped input kept"
        );
        let r = app.add_user(&c, ["x", "", "ngan"], "editor", "25789").await;
        let errors = [
            "Tên đăng nhập gồm 3–64 ký tự",
            "Mật khẩu phải có từ 10 đến 256 ký tự.",
        ];
        assert_refused(r, &errors).await;
    }
);

both!(
    hostile_text_is_stored_as_text_and_escaped,
    Fixture::units().with_users(&["admin"]),
    |app: TestApp| async move {
        let c = app.sign_in("admin").await;
        let district = app.unit_id("721").await;
        let name = "Xã '; DROP TABLE units; -- <script>alert(1)</script>";
        let r = app
            .add_unit(&c, Some(district), "X3", name, "commune")
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
        // Listed, as text: escaped in the link to it, and read back as typed.
        let escaped = "Xã &#39;; DROP TABLE units; -- &#60;script&#62;alert(1)&#60;/script&#62;";
        let rows = crate::harness::between(&page, "<tbody>", "</tbody>");
        assert!(
            rows.contains(&format!("\">{escaped}</a>")),
            "the unit is listed, escaped"
        );
        assert_eq!(crate::harness::html_form::unescape(escaped), name);
        assert!(
            danchu_db::units::count(&app.db).await.unwrap() > 10,
            "units table still there"
        );
        // NFD input is stored as NFC.
        let r = app
            .add_unit(&c, Some(district), "X4", "Xã Hoa\u{300}", "commune")
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

both!(
    bad_urls_get_vietnamese_400,
    Fixture::units().with_users(&["admin"]),
    |app: TestApp| async move {
        let c = app.sign_in("admin").await;
        for path in [
            "/quan-tri/don-vi/abc",
            "/quan-tri/don-vi?q=%00",
            "/quan-tri/don-vi?parent=x",
            "/quan-tri/nhat-ky?q=%FF",
        ] {
            let r = app.get(&c, path).await;
            assert_eq!(r.status(), 400, "{path}");
            let body = r.text().await.unwrap();
            assert!(body.contains("Yêu cầu không hợp lệ"), "{path}: {body}");
        }
    }
);

/// Sends a raw HTTP/1.1 request (head as given, then `body` in chunks of 64 KiB with
/// `Transfer-Encoding: chunked` when `chunked`) and returns the status and the body.
async fn raw(app: &TestApp, head: &str, body: &[u8], chunked: bool) -> (u16, String) {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let addr = app.url.trim_start_matches("http://").to_string();
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let mut req = head.replace('\n', "\r\n");
    if chunked {
        req.push_str("Transfer-Encoding: chunked\r\n\r\n");
    } else {
        req.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    }
    s.write_all(req.as_bytes()).await.unwrap();
    // The server may answer before the whole body is sent: stop writing then.
    for part in body.chunks(64 * 1024) {
        let w = if chunked {
            let mut c = format!("{:x}\r\n", part.len()).into_bytes();
            c.extend_from_slice(part);
            c.extend_from_slice(b"\r\n");
            s.write_all(&c).await
        } else {
            s.write_all(part).await
        };
        if w.is_err() {
            break;
        }
    }
    if chunked {
        let _ = s.write_all(b"0\r\n\r\n").await;
    }
    let mut out = Vec::new();
    let _ = tokio::time::timeout(std::time::Duration::from_secs(10), s.read_to_end(&mut out)).await;
    let text = String::from_utf8_lossy(&out).to_string();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, text)
}

/// A signed-in user's cookies as a `Cookie` header line, and a CSRF token for them.
async fn cookie_line(app: &TestApp, user: &str) -> (String, String) {
    let (c, jar) = app.sign_in_with_jar(user).await;
    let token = app.csrf(&c, "/quan-tri/tep").await;
    (crate::harness::cookie_line(&jar, &app.url), token)
}

both!(
    issue13_refusals_name_the_real_reason,
    Fixture::units().with_users(&["bientap"]),
    |app: TestApp| async move {
        let (cookies, token) = cookie_line(&app, "bientap").await;
        let unit = app.unit_id("721").await;
        let boundary = "XyZ123";
        let part = |name: &str, file: Option<&str>, body: &[u8]| {
            let mut p = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"");
            if let Some(f) = file {
                p.push_str(&format!(
                    "; filename=\"{f}\"\r\nContent-Type: application/pdf"
                ));
            }
            p.push_str("\r\n\r\n");
            let mut b = p.into_bytes();
            b.extend_from_slice(body);
            b.extend_from_slice(b"\r\n");
            b
        };
        let upload = |file: &str, bytes: &[u8]| {
            let mut b = part("unit_id", None, unit.to_string().as_bytes());
            b.extend(part("file", Some(file), bytes));
            b.extend(format!("--{boundary}--\r\n").into_bytes());
            b
        };
        let head = format!(
            "POST /quan-tri/tep?_csrf={token} HTTP/1.1\nHost: x\nCookie: {cookies}\nContent-Type: multipart/form-data; boundary={boundary}\nConnection: close\n"
        );
        // Untouched: a small upload is accepted (a redirect to the library).
        let pdf = crate::harness::pdf_with_text("Hop dan", 0);
        let (status, _) = raw(&app, &head, &upload("bien-ban.pdf", &pdf), false).await;
        assert_eq!(status, 303);
        let (status, _) = raw(&app, &head, &upload("bien-ban-2.pdf", &pdf), true).await;
        assert_eq!(status, 303, "chunked and small: accepted");
        // Too big, with a length or chunked: 413 and the limit named.
        let big = crate::harness::pdf_with_text("Hop dan", 11 * 1024 * 1024);
        for chunked in [false, true] {
            let (status, text) = raw(&app, &head, &upload("lon.pdf", &big), chunked).await;
            assert_eq!(
                status,
                413,
                "chunked {chunked}: {}",
                &text[..text.len().min(300)]
            );
            assert!(text.contains("10 MB"), "chunked {chunked}");
        }
        // A file name with NUL: refused for its name, not as "too big".
        let (status, text) = raw(&app, &head, &upload("bien\0ban.pdf", &pdf), false).await;
        assert_eq!(status, 400);
        assert!(
            text.contains("Tên tệp"),
            "{}",
            text.rsplit("\r\n\r\n").next().unwrap_or("")
        );
        assert!(!text.contains("quá lớn"));
        // A form body over the limit, chunked: 413.
        let form_head = format!(
            "POST /quan-tri/don-vi HTTP/1.1\nHost: x\nCookie: {cookies}\nContent-Type: application/x-www-form-urlencoded\nConnection: close\n"
        );
        let body = format!("_csrf={token}&name={}", "x".repeat(200 * 1024));
        let (status, text) = raw(&app, &form_head, body.as_bytes(), true).await;
        assert_eq!(status, 413, "{}", &text[..text.len().min(300)]);
        assert!(text.contains("Dữ liệu quá lớn"));
    }
);
