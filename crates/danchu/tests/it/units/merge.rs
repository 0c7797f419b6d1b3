//! Merging units: the merged unit closes and keeps its history; a successor typed
//! unpadded is found at its level.

use crate::both;
use crate::harness::{assert_page, Fixture, TestApp};

use super::{import_ok, unit, write_temp, OVERLAPPING_JSON};

both!(
    merge_closes_units_and_keeps_history,
    Fixture::units().with_users(&["quantri.huyen"]),
    |app: TestApp| async move {
        let c = app.sign_in("quantri.huyen").await;
        let dinh_an = app.unit_id("25777").await;
        let town = app.unit_id("25765").await;
        let r = merge(&app, &c, "/quan-tri", dinh_an, ["25765", "01/07/2025"]).await;
        assert_eq!(r.status(), 303);
        let u = danchu_db::units::get(&mut app.db.clone(), dinh_an)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            u.valid_to.map(danchu_core::text::iso_date).as_deref(),
            Some("2025-06-30")
        );
        assert_eq!(u.successor_id, Some(town));
        // Still there and readable, with its history and the successor named.
        let page = app.page(&c, &format!("/quan-tri/don-vi/{dinh_an}")).await;
        assert!(
            page.contains("Xã Định An")
                && page.contains("30/06/2025")
                && page.contains("Thị trấn Dầu Tiếng")
        );
        assert!(page.contains("Sáp nhập đơn vị"), "history names the merge");
        let page = app.page(&c, &format!("/quan-tri/don-vi/{town}")).await;
        assert!(page.contains("Sáp nhập từ") && page.contains("Xã Định An"));
        // Merging again is refused with a reason.
        let r = merge(&app, &c, "/quan-tri", dinh_an, ["25765", "01/07/2025"]).await;
        assert_page(r, 400, "đã giải thể/sáp nhập").await;
        // A bad date names the field.
        let an_lap = app.unit_id("25789").await;
        let r = merge(&app, &c, "/quan-tri", an_lap, ["25765", "31/02/2025"]).await;
        assert_page(r, 400, "Ngày hiệu lực không hợp lệ").await;
    }
);

both!(
    merge_successor_typed_unpadded_is_found_at_the_units_level,
    Fixture::units().with_users(&["admin"]),
    |app: TestApp| async move {
        let file = write_temp("units.json", OVERLAPPING_JSON);
        import_ok(&app, &file);
        let c = app.sign_in("admin").await;
        let bo_de = unit(&app, "00124").await;
        // "4" for a ward's successor is ward 00004, not province 04 or district 004.
        let r = merge(&app, &c, "/quan-tri/don-vi", bo_de.id, ["4", "01/07/2025"]).await;
        assert_eq!(r.status(), 303);
        let merged = unit(&app, "00124").await;
        assert_eq!(merged.successor_id, Some(unit(&app, "00004").await.id));
        let _ = std::fs::remove_dir_all(file.parent().unwrap());
    }
);

/// Submits the merge form of the unit `unit` (with the CSRF token of `form_page`): merged
/// into the unit coded `successor` from the day `effective`.
async fn merge(
    app: &TestApp,
    c: &reqwest::Client,
    form_page: &str,
    unit: i64,
    [successor, effective]: [&str; 2],
) -> reqwest::Response {
    let action = format!("/quan-tri/don-vi/{unit}/sap-nhap");
    let fields = [("successor_code", successor), ("effective", effective)];
    app.post(c, form_page, &action, &fields).await
}
