//! An official posts a disclosure with a photo as evidence and a citizen finds it.

use crate::harness::{Backend, TestApp};

use super::Driver;

/// Issue 7: an official posts a disclosure with a photo of the notice board as evidence,
/// records on a phone which heads of ấp received it (R8), and a citizen finds it by
/// searching without diacritics.
#[tokio::test]
async fn browser_official_posts_a_disclosure_and_a_citizen_finds_it() {
    use base64::Engine;
    let app = TestApp::start(Backend::Sqlite).await;
    let d = Driver::start().await;
    d.goto(&app.at("/dang-nhap?next=/quan-tri")).await;
    d.type_into("#username", "quantri.anlap").await;
    d.type_into("#password", danchu::demo::DEMO_PASSWORD).await;
    d.click("form.card button[type=submit]").await;
    d.wait_for_text("Vai trò").await;
    d.goto(&app.at("/quan-tri/cong-khai/moi")).await;
    d.wait_for_text("Đăng nội dung công khai").await;
    // Item 4 of Article 11 (administrative procedures), chosen with the keyboard.
    d.type_into("#category_id", "4").await;
    d.type_into(
        "#title",
        "Quy trình tiếp nhận hồ sơ đất đai trực tuyến năm 2024",
    )
    .await;
    d.type_into(
        "#body",
        "Người dân nộp hồ sơ đất đai qua Cổng dịch vụ công; bộ phận một cửa xã An Lập hướng dẫn.",
    )
    .await;
    d.click("form[enctype] button[type=submit]").await;
    d.wait_for_text("Đã lưu.").await;
    // The photo of the notice board as evidence.
    let photo = std::env::temp_dir().join(format!("bang-tin-{}.png", std::process::id()));
    let png = base64::engine::general_purpose::STANDARD
        .decode(crate::harness::PNG_1X1)
        .unwrap();
    std::fs::write(&photo, png).unwrap();
    let today = danchu_core::text::format_date(
        danchu_core::text::parse_date(&danchu_db::today_vn()).unwrap(),
    );
    d.type_into("#starts_on", &today).await;
    d.type_into("#evidence", "Ảnh chụp bảng tin trụ sở UBND xã")
        .await;
    d.type_into("#evidence_file", &photo.display().to_string())
        .await;
    d.click("#hinh-thuc button[type=submit]").await;
    let src = d.wait_for_text("Ảnh chụp bảng tin trụ sở UBND xã").await;
    let _ = std::fs::remove_file(&photo);
    // A link to the stored file, under the photo's name (".png" alone is in the file
    // input's `accept=` on the same page).
    let photo_name = photo.file_name().unwrap().to_string_lossy().to_string();
    let link_end = format!("\">{photo_name}</a>");
    let at = src
        .find(&link_end)
        .unwrap_or_else(|| panic!("the photo {photo_name} is listed as evidence"));
    assert!(
        src[..at]
            .rfind("<a ")
            .is_some_and(|a| src[a..at].starts_with("<a href=\"/tep/")),
        "linked to its stored file"
    );
    // R8 on a phone: sent through the heads of ấp; the form offers a box per ấp of the
    // commune, chosen and filled with the keyboard.
    d.resize(360, 800).await;
    d.type_into("#channel", "Thông qua").await;
    d.type_into("#starts_on", &today).await;
    d.click("details.r8 summary").await;
    d.type_into("#hn-1", "Nguyễn Văn Hùng").await;
    d.type_into("#ho-1", &today).await;
    d.type_into("#hm-1", "Tin").await;
    d.click("#hinh-thuc button[type=submit]").await;
    let src = d.wait_for_text("Ấp Bến Tranh (Nguyễn Văn Hùng)").await;
    // The recorded notice (the method's name alone is in every row's list of methods).
    assert!(
        src.contains(&format!(
            "<li>Ấp Bến Tranh (Nguyễn Văn Hùng): Ngày nhận {today}; Tin nhắn đến người đại diện hộ gia đình</li>"
        )),
        "the notice recorded with its method"
    );
    assert!(
        src.contains(
            "Chưa có ghi nhận thông báo:</strong> Ấp Cần Giăng, Ấp Đồng Sến, Ấp Hòa Cường"
        ),
        "the ấp not reached are named"
    );
    let width = d.exec("return document.documentElement.scrollWidth").await;
    assert!(
        width.as_i64().is_some_and(|w| w <= 360),
        "fits a phone: {width}"
    );
    d.screenshot("disclosure-admin-360").await;
    d.resize(1280, 900).await;
    d.assert_accessible("on the disclosure admin page").await;
    // A citizen searches without diacritics, on a phone.
    d.click("form[action='/dang-xuat'] button").await;
    d.resize(360, 800).await;
    d.goto(&app.at("/tim-kiem?q=quy+trinh+tiep+nhan+ho+so+dat+dai"))
        .await;
    d.wait_for_text("Quy trình tiếp nhận hồ sơ đất đai trực tuyến năm 2024")
        .await;
    d.click("ol.results a").await;
    let src = d.wait_for_text("Hình thức công khai").await;
    assert!(src.contains("Niêm yết tại trụ sở") && src.contains("Ảnh chụp bảng tin"));
    assert!(src.contains("còn 30 ngày"), "the countdown of R10");
    d.assert_accessible("on the public disclosure").await;
    d.screenshot("disclosure-360").await;
}
