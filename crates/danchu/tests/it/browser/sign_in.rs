//! Signing in and out through the pages, with the keyboard and without JS.

use crate::harness::{Backend, Fixture};

use super::Driver;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_signs_in_and_out() {
    let app = Fixture::units()
        .with_users(&["quantri.anlap"])
        .start(Backend::Sqlite)
        .await;
    let d = Driver::start().await;
    d.goto(&app.at("/quan-tri")).await;
    // Sent to the sign-in page, which works with the keyboard and without JS.
    assert!(d
        .wait_for_url("/dang-nhap?next=/quan-tri")
        .await
        .contains("/dang-nhap"));
    d.type_into("#username", "quantri.anlap").await;
    d.type_into("#password", "sai-mat-khau-123").await;
    d.click("form.card button[type=submit]").await;
    let src = d
        .wait_for_text("Tên đăng nhập hoặc mật khẩu không đúng.")
        .await;
    assert!(
        src.contains("Tên đăng nhập hoặc mật khẩu không đúng."),
        "{src}"
    );
    d.type_into("#password", danchu::demo::DEMO_PASSWORD).await;
    d.click("form.card button[type=submit]").await;
    let u = d.wait_for_url("/quan-tri").await;
    assert!(u.ends_with("/quan-tri"), "{u}");
    let src = d.wait_for_text("Xã An Lập").await;
    assert!(
        src.contains("Quản trị đơn vị") && src.contains("Xã An Lập"),
        "dashboard shows the role and unit"
    );
    d.click("header form button[type=submit]").await;
    let src = d.wait_for_text("href=\"/dang-nhap\"").await;
    assert!(src.contains("href=\"/dang-nhap\""), "signed out");
    d.goto(&app.at("/quan-tri")).await;
    assert!(d
        .wait_for_url("/dang-nhap?next=/quan-tri")
        .await
        .contains("/dang-nhap"));
}
