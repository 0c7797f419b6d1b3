//! A reporter submits a report, fixing an error the page shows.

use crate::harness::{Backend, Fixture};

use super::Driver;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_reporter_submits_a_report_fixing_an_error() {
    let app = Fixture::units()
        .with_reporting()
        .with_users(&["baocao.anlap"])
        .start(Backend::Sqlite)
        .await;
    let d = Driver::start().await;
    // The reporter of Xã An Lập signs in and sees the report still to send.
    d.goto(&app.at("/dang-nhap?next=/quan-tri")).await;
    d.type_into("#username", "baocao.anlap").await;
    d.type_into("#password", danchu::demo::DEMO_PASSWORD).await;
    d.click("form.card button[type=submit]").await;
    d.wait_for_text("Báo cáo cần nộp").await;
    d.click("section.pending a").await;
    d.wait_for_text("I. Công khai thông tin").await;
    for (field, value) in [
        ("so_noi_dung_cong_khai", "9"),
        ("so_cuoc_hop", "6"),
        ("tong_so_ho", "1.320"),
        ("so_ho_tham_gia", "1.100"),
        ("so_ho_tan_thanh", "1.150"),
        ("ty_le_tan_thanh", "92,5"),
        ("so_cuoc_giam_sat", "2"),
        ("kien_nghi", "Cần thêm loa truyền thanh ở ấp Bàu Khai"),
    ] {
        d.type_into(&format!("#f-{field}"), value).await;
    }
    // Yes/no answers are chosen with the keyboard in their lists.
    for field in ["niem_yet_day_du", "co_ban_ttnd"] {
        d.type_into(&format!("#f-{field}"), "C").await;
    }
    d.click("button[value=nop]").await;
    // One mistake: named next to its field, in Vietnamese, and nothing typed is lost.
    let src = d.wait_for_text("không được lớn hơn").await;
    assert!(src.contains("“Số hộ tán thành” (1.150) không được lớn hơn “Số hộ tham gia” (1.100)."));
    assert!(src.contains("id=\"f-so_ho_tan_thanh\" name=\"so_ho_tan_thanh\" value=\"1.150\""));
    assert!(
        src.contains("value=\"Cần thêm loa truyền thanh ở ấp Bàu Khai\"")
            || src.contains(">Cần thêm loa truyền thanh ở ấp Bàu Khai</textarea>")
    );
    d.assert_accessible("on the report form with an error")
        .await;
    d.screenshot("report-form-error-360").await;
    d.clear("#f-so_ho_tan_thanh").await;
    d.type_into("#f-so_ho_tan_thanh", "1.050").await;
    d.click("button[value=nop]").await;
    let src = d.wait_for_text("Đã nộp báo cáo.").await;
    assert!(src.contains("<strong>Đã nộp</strong>"));
    let an_lap = app.unit_id("25789").await;
    let round = danchu_db::reporting::rounds(&app.db)
        .await
        .unwrap()
        .remove(0);
    let sub = danchu_db::reporting::submission(&app.db, round.id, an_lap)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        sub.answers["so_ho_tan_thanh"],
        danchu_core::reporting::Value::Int(1050)
    );
    assert_eq!(
        sub.answers["niem_yet_day_du"],
        danchu_core::reporting::Value::Bool(true)
    );
}
