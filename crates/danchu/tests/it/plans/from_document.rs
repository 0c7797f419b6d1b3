//! Phòng Nội vụ makes a library document a plan.

use crate::both;
use crate::harness::{Fixture, TestApp};

both!(
    noi_vu_makes_a_library_document_a_plan,
    Fixture::units().with_plans().with_users(&["noivu"]),
    |app: TestApp| async move {
        let noivu = app.sign_in("noivu").await;
        let office = app.unit_id("721-NV").await.to_string();
        let law = danchu_db::documents::by_number(&app.db, "10/2022/QH15")
            .await
            .unwrap()[0]
            .id
            .to_string();
        let page = app.page(&noivu, "/quan-tri/ke-hoach").await;
        assert!(page.contains("10/2022/QH15"), "library documents offered");
        let r = app
            .post(
                &noivu,
                "/quan-tri/ke-hoach",
                "/quan-tri/ke-hoach",
                &[("document_id", ""), ("unit_id", &office)],
            )
            .await;
        assert_eq!(r.status(), 400);
        let r = app
            .post(
                &noivu,
                "/quan-tri/ke-hoach",
                "/quan-tri/ke-hoach",
                &[("document_id", &law), ("unit_id", &office)],
            )
            .await;
        assert_eq!(r.status(), 303);
        assert_eq!(danchu_db::plans::list(&app.db).await.unwrap().len(), 2);
        // The same document cannot become a second plan; another office cannot be chosen.
        let r = app
            .post(
                &noivu,
                "/quan-tri/ke-hoach",
                "/quan-tri/ke-hoach",
                &[("document_id", &law), ("unit_id", &office)],
            )
            .await;
        assert_eq!(r.status(), 400);
        let district = app.unit_id("721").await.to_string();
        let r = app
            .post(
                &noivu,
                "/quan-tri/ke-hoach",
                "/quan-tri/ke-hoach",
                &[("document_id", &law), ("unit_id", &district)],
            )
            .await;
        assert_eq!(r.status(), 403);
    }
);
