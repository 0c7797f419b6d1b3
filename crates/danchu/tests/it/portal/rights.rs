//! Article rights follow units.

use crate::both;
use crate::harness::{Fixture, TestApp};

use super::Desk;

both!(
    article_rights_follow_units,
    Fixture::units()
        .with_portal()
        .with_users(&["quantri.anlap", "xem"]),
    |app: TestApp| async move {
        let district = Desk::of(&app, "thong-bao", "721").await;
        // A commune's admin cannot publish as the district.
        let c = app.sign_in("quantri.anlap").await;
        let r = district
            .post(&app, &c, ["Giả danh huyện", "<p>x</p>", "published"], &[])
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
        let an_lap = Desk::of(&app, "thong-bao", "25789").await;
        let r = an_lap
            .post(&app, &c, ["Tin xã An Lập", "<p>x</p>", "published"], &[])
            .await;
        assert_eq!(r.status(), 303);
        // A viewer cannot write at all.
        let v = app.sign_in("xem").await;
        assert_eq!(app.get(&v, "/quan-tri/bai-viet").await.status(), 403);
    }
);
