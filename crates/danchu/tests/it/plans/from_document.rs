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
        assert_eq!(make_plan(&app, &noivu, "", &office).await, 400);
        assert_eq!(make_plan(&app, &noivu, &law, &office).await, 303);
        assert_eq!(danchu_db::plans::list(&app.db).await.unwrap().len(), 2);
        // The same document cannot become a second plan; another office cannot be chosen.
        assert_eq!(make_plan(&app, &noivu, &law, &office).await, 400);
        let district = app.unit_id("721").await.to_string();
        assert_eq!(make_plan(&app, &noivu, &law, &district).await, 403);
    }
);

/// Submits the new-plan form of `/quan-tri/ke-hoach`, making the document `document` (an
/// id, or "" for none) a plan of the unit `unit`; the status.
async fn make_plan(app: &TestApp, c: &reqwest::Client, document: &str, unit: &str) -> u16 {
    let page = "/quan-tri/ke-hoach";
    let fields = [("document_id", document), ("unit_id", unit)];
    app.post(c, page, page, &fields).await.status().as_u16()
}
