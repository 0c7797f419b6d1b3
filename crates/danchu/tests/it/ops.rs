//! Health, metrics, security headers, language, error pages.

use crate::both;
use crate::harness::{assert_page, Fixture, TestApp};

both!(
    healthz_and_metrics,
    Fixture::units(),
    |app: TestApp| async move {
        let c = app.client();
        let r = app.get(&c, "/healthz").await;
        assert_eq!(r.status(), 200);
        assert!(r.headers().contains_key("x-request-id"));
        app.get(&c, "/").await;
        app.get(&c, "/khong-co").await;
        let m = app.get(&c, "/metrics").await.text().await.unwrap();
        assert!(
            m.contains("danchu_http_requests_total{method=\"GET\",route=\"/\",status=\"200\"} 1"),
            "{m}"
        );
        assert!(m.contains("status=\"404\""));
        assert!(m.contains("danchu_http_request_duration_seconds_bucket{le=\"+Inf\"}"));
        assert!(m.contains("danchu_db_pool_connections"));
        // With the database gone, health says so.
        app.db.close().await;
        let r = app.get(&c, "/healthz").await;
        assert_eq!(r.status(), 503);
        // A page that needs the database now answers with the Vietnamese 503 page, to be
        // tried again (the database is away, nothing is wrong with the request).
        let r = app.get(&c, "/tin-tuc?trang=1").await;
        assert_eq!(r.headers()["retry-after"], "5");
        assert_page(r, 503, "Hệ thống tạm thời gián đoạn").await;
    }
);

both!(
    security_headers_on_every_page,
    Fixture::units(),
    |app: TestApp| async move {
        let c = app.client();
        for path in [
            "/",
            "/dang-nhap",
            "/khong-co-trang-nay",
            "/static/style.css",
        ] {
            let r = app.get(&c, path).await;
            let h = r.headers();
            let csp = h["content-security-policy"].to_str().unwrap();
            assert!(
                csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"),
                "{path}"
            );
            assert_eq!(h["x-content-type-options"], "nosniff");
            assert!(h.contains_key("referrer-policy"));
        }
        // Session and CSRF cookies are HttpOnly and SameSite.
        let r = app.get(&app.client(), "/dang-nhap").await;
        let cookie = r.headers()["set-cookie"].to_str().unwrap().to_string();
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
            "{cookie}"
        );
        // Pages without forms set no cookie (so they stay cacheable).
        let r = app.get(&app.client(), "/").await;
        assert!(!r.headers().contains_key("set-cookie"));
    }
);

both!(
    vietnamese_404_and_english_on_request,
    Fixture::units(),
    |app: TestApp| async move {
        let c = app.client();
        let r = app.get(&c, "/khong-co-trang-nay").await;
        assert_page(r, 404, "Không tìm thấy trang").await;
        let page = app.page(&c, "/dang-nhap?lang=en").await;
        assert!(page.contains("<html lang=\"en\">") && page.contains("Sign in"));
        // Remembered.
        let page = app.page(&c, "/dang-nhap").await;
        assert!(page.contains("Username"));
        let page = app.page(&c, "/dang-nhap?lang=vi").await;
        assert!(page.contains("Tên đăng nhập"));
    }
);
