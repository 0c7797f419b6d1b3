//! The public library: listing, filters, and the links between documents and articles.

use crate::both;
use crate::harness::{Fixture, TestApp};

both!(
    library_lists_filters_and_links,
    Fixture::units().with_portal(),
    |app: TestApp| async move {
        let c = app.client();
        let all = app.page(&c, "/van-ban").await;
        for n in ["22/KH-UBND", "10/2022/QH15", "05-CT/TW"] {
            assert!(all.contains(n), "{n}");
        }
        let laws = app.page(&c, "/van-ban?loai=luat").await;
        assert!(laws.contains("10/2022/QH15") && !laws.contains("22/KH-UBND"));
        let y2023 = app.page(&c, "/van-ban?nam=2023").await;
        assert!(y2023.contains("22/KH-UBND") && !y2023.contains("05-CT/TW"));
        let by_number = app.page(&c, "/van-ban?sap_xep=number").await;
        assert!(by_number.find("05-CT/TW").unwrap() < by_number.find("22/KH-UBND").unwrap());
        // The plan and the seed article point at each other.
        let plan = danchu_db::documents::by_number(&app.db, "22/kh-ubnd")
            .await
            .unwrap()
            .remove(0);
        let page = app.page(&c, &format!("/van-ban/{}", plan.id)).await;
        assert!(
            page.contains("Bài viết nhắc đến văn bản này")
                && page.contains(crate::portal::SEED_SLUG)
        );
        assert!(page.contains("21/02/2023"));
        let article = app
            .page(&c, &format!("/bai-viet/{}", crate::portal::SEED_SLUG))
            .await;
        assert!(article.contains(&format!("href=\"/van-ban/{}\"", plan.id)));
        assert_eq!(app.get(&c, "/van-ban/999999").await.status(), 404);
        assert_eq!(app.get(&c, "/van-ban?trang=abc").await.status(), 400);
    }
);
