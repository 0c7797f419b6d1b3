//! Counting: article views counted in memory and flushed additively; the visitor
//! numbers on every public page.

use crate::both;
use crate::harness::{Fixture, TestApp};

use super::{views, SEED_SLUG};

both!(
    views_are_counted_in_memory_and_flushed_additively,
    Fixture::units().with_portal(),
    |app: TestApp| async move {
        let c = app.client();
        let before = views(&app, SEED_SLUG).await;
        let stats0 = app.state.counters.stats();
        for _ in 0..7 {
            app.page(&c, &format!("/bai-viet/{SEED_SLUG}")).await;
        }
        // Not written yet: no database write per view.
        assert_eq!(views(&app, SEED_SLUG).await, before);
        let shown = app.state.counters.stats();
        assert_eq!(shown.total, stats0.total + 7);
        app.state.counters.flush(&app.db).await.unwrap();
        assert_eq!(views(&app, SEED_SLUG).await, before + 7);
        // Another node writing to the same database adds, never overwrites.
        danchu_db::portal::add_counts(&app.db, &[(danchu_db::today_vn(), 5)], &[])
            .await
            .unwrap();
        app.state.counters.flush(&app.db).await.unwrap();
        let after = app.state.counters.stats();
        assert_eq!(after.total, stats0.total + 12);
        assert_eq!(after.today, stats0.today + 12);
        // The cached page shows the live count.
        let page = app.page(&c, &format!("/bai-viet/{SEED_SLUG}")).await;
        assert!(page.contains(&format!(
            "Lượt xem: {}",
            danchu_core::text::format_number(before + 8)
        )));
    }
);

both!(
    every_public_page_shows_live_visitor_numbers,
    Fixture::units().with_portal(),
    |app: TestApp| async move {
        // Cached or not, no page may show the placeholders of the live numbers; each shows
        // the demo's visitor total (3.848.496 before this test's own visits).
        let c = app.client();
        for path in [
            "/".to_string(),
            "/tin-tuc".to_string(),
            format!("/bai-viet/{SEED_SLUG}"),
            "/van-ban".to_string(),
            "/van-ban/1".to_string(),
            "/tim-kiem?q=dau+tieng".to_string(),
            "/tim-kiem".to_string(),
        ] {
            let page = app.page(&c, &path).await;
            assert!(!page.contains('\u{2063}'), "{path}: placeholder left");
            assert!(page.contains("3.848."), "{path}: visitor total");
        }
    }
);
