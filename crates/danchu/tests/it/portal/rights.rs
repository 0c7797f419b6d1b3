//! Article rights follow units.

use crate::both;
use crate::harness::{Fixture, TestApp};

both!(
    article_rights_follow_units,
    Fixture::units()
        .with_portal()
        .with_users(&["quantri.anlap", "xem"]),
    |app: TestApp| async move {
        let district = app.unit_id("721").await.to_string();
        let cat = danchu_db::portal::category_by_slug(&app.db, "thong-bao")
            .await
            .unwrap()
            .unwrap()
            .id
            .to_string();
        // A commune's admin cannot publish as the district.
        let c = app.sign_in("quantri.anlap").await;
        let r = app
            .post(
                &c,
                "/quan-tri/bai-viet/moi",
                "/quan-tri/bai-viet",
                &[
                    ("title", "Giả danh huyện"),
                    ("category_id", &cat),
                    ("unit_id", &district),
                    ("body", "<p>x</p>"),
                    ("status", "published"),
                ],
            )
            .await;
        assert_eq!(r.status(), 403);
        // Nor edit the district's articles.
        let seed = danchu_db::portal::article_by_slug(&app.db, crate::portal::SEED_SLUG)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            app.get(&c, &format!("/quan-tri/bai-viet/{}", seed.id))
                .await
                .status(),
            403
        );
        // But can publish for An Lập.
        let an_lap = app.unit_id("25789").await.to_string();
        let r = app
            .post(
                &c,
                "/quan-tri/bai-viet/moi",
                "/quan-tri/bai-viet",
                &[
                    ("title", "Tin xã An Lập"),
                    ("category_id", &cat),
                    ("unit_id", &an_lap),
                    ("body", "<p>x</p>"),
                    ("status", "published"),
                ],
            )
            .await;
        assert_eq!(r.status(), 303);
        // A viewer cannot write at all.
        let v = app.sign_in("xem").await;
        assert_eq!(app.get(&v, "/quan-tri/bai-viet").await.status(), 403);
    }
);
