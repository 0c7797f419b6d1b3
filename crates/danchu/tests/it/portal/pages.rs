//! The reader's pages: the print view, contrast and text size remembered without JS.

use crate::both;
use crate::harness::{Fixture, TestApp};

use super::SEED_SLUG;

both!(
    print_view,
    Fixture::units().with_portal(),
    |app: TestApp| async move {
        let c = app.client();
        let page = app.page(&c, &format!("/bai-viet/{SEED_SLUG}/in")).await;
        assert!(page.contains("class=\"print-view\""));
        assert!(page.contains("Cổng thông tin điện tử huyện Dầu Tiếng"));
        assert!(
            page.contains(&format!("{}/bai-viet/{SEED_SLUG}", app.url)),
            "the article URL"
        );
        assert!(page.contains("Ngày in:"));
        assert!(
            !page.contains("class=\"cats\"") && !page.contains("Thống kê truy cập"),
            "no navigation"
        );
        let css = app.page(&c, "/static/style.css").await;
        assert!(css.contains("@page { size: A4") && css.contains("@media print"));
    }
);

both!(
    contrast_and_text_size_are_remembered_without_js,
    Fixture::units().with_portal(),
    |app: TestApp| async move {
        let c = app.client();
        let r = app.get(&c, "/tuy-chon?doi=contrast&back=/tin-tuc").await;
        assert_eq!(r.status(), 303);
        assert_eq!(r.headers()["location"], "/tin-tuc");
        let page = app.page(&c, "/").await;
        assert!(page.contains("<html lang=\"vi\" class=\"contrast\">"));
        app.get(&c, "/tuy-chon?doi=large&back=/").await;
        let page = app.page(&c, &format!("/bai-viet/{SEED_SLUG}")).await;
        assert!(page.contains("<html lang=\"vi\" class=\"contrast large\">"));
        app.get(&c, "/tuy-chon?doi=contrast&back=/").await;
        assert!(app
            .page(&c, "/")
            .await
            .contains("<html lang=\"vi\" class=\"large\">"));
        // Going back elsewhere is refused.
        let r = app.get(&c, "/tuy-chon?doi=large&back=//evil.example").await;
        assert_eq!(r.headers()["location"], "/");
    }
);
