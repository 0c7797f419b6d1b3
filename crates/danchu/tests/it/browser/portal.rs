//! A citizen reads the portal (accessibility checked with axe at phone and desktop width,
//! contrast and text size, search, the print view) and an editor publishes.

use crate::harness::Backend;

use super::{Driver, EDITOR};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_reads_the_portal_and_publishes() {
    let app = EDITOR.start(Backend::Sqlite).await;
    let d = Driver::start().await;
    let seed = format!("/bai-viet/{}", crate::portal::SEED_SLUG);
    // Accessibility (WCAG 2.1 AA) of the home and article pages, at phone and desktop width.
    for (w, h) in [(1280, 900), (360, 800)] {
        d.resize(w, h).await;
        for (name, path) in [("home", "/"), ("article", seed.as_str())] {
            d.goto(&app.at(path)).await;
            d.wait_for_text("Thống kê truy cập").await;
            d.assert_accessible(&format!("on {path} at {w}px")).await;
            d.screenshot(&format!("{name}-{w}")).await;
        }
    }
    d.resize(1280, 900).await;
    // The seed article as the district published it.
    d.goto(&app.at(&seed)).await;
    let src = d.wait_for_text("Anh Xê Ka").await;
    assert!(src.contains("10/03/2023") && src.contains("Lượt xem: 1.4"));
    // Contrast and text size: switched with plain links, remembered on the next page.
    d.click("header a.pref[href*=contrast]").await;
    d.wait_for_text("class=\"contrast\"").await;
    d.click("header a.pref[href*=large]").await;
    d.wait_for_text("class=\"contrast large\"").await;
    d.click("nav.cats a[href=\"/tin-tuc/dan-chu-o-co-so\"]")
        .await;
    let src = d.wait_for_text("<h1>Dân chủ ở cơ sở</h1>").await;
    // On the category page itself (the wait gives up after 5 s with whatever page it has).
    assert!(
        src.contains("<h1>Dân chủ ở cơ sở</h1>"),
        "the category page loaded"
    );
    assert!(
        src.contains("<html lang=\"vi\" class=\"contrast large\">"),
        "choices persist across pages"
    );
    d.assert_accessible("in high contrast").await;
    d.screenshot("category-contrast-large-1280").await;
    // Search from the home page, typed without diacritics.
    d.goto(&app.at("/")).await;
    d.type_into("#q-site", "quy che dan chu dau tieng").await;
    d.click("form.site-search button[type=submit]").await;
    let src = d.wait_for_text("<mark>").await;
    assert!(
        src.contains(&format!("href=\"/bai-viet/{}\"", crate::portal::SEED_SLUG)),
        "the seed article is found"
    );
    assert!(
        src.contains("<mark>Dầu</mark>"),
        "highlighted with its diacritics"
    );
    // Back to normal; the print view.
    d.goto(&app.at("/tuy-chon?doi=contrast&back=/")).await;
    d.goto(&app.at("/tuy-chon?doi=large&back=/")).await;
    d.goto(&app.at(&format!("{seed}/in"))).await;
    let src = d.wait_for_text("Ngày in").await;
    assert!(src.contains("print-view") && src.contains(&app.at(&seed)));
    d.screenshot("print-1280").await;
    // An editor signs in and publishes; the article is on the home page and in the feed.
    d.goto(&app.at("/dang-nhap?next=/quan-tri/bai-viet/moi"))
        .await;
    d.type_into("#username", "bientap").await;
    d.type_into("#password", danchu::demo::DEMO_PASSWORD).await;
    d.click("form.card button[type=submit]").await;
    d.wait_for_text("Viết bài mới").await;
    d.type_into("#title", "Hội nghị nhân dân ấp Đồng Sặc").await;
    d.exec("var c = document.getElementById('category_id'); c.selectedIndex = 1; var u = document.getElementById('unit_id'); u.selectedIndex = 1;").await;
    // The rich-text editor replaced the textarea (JavaScript on).
    d.type_into(".editor", "Bà con bàn và quyết định làm đường.")
        .await;
    d.click("input[name=status][value=published]").await;
    d.click("form.card button[type=submit]").await;
    d.wait_for_text("/bai-viet/hoi-nghi-nhan-dan-ap-dong-sac")
        .await;
    d.goto(&app.at("/")).await;
    let src = d.wait_for_text("Hội nghị nhân dân ấp Đồng Sặc").await;
    assert!(src.contains("href=\"/bai-viet/hoi-nghi-nhan-dan-ap-dong-sac\""));
    let a = danchu_db::portal::article_by_slug(&app.db, "hoi-nghi-nhan-dan-ap-dong-sac")
        .await
        .unwrap()
        .unwrap();
    assert!(
        a.body.contains("Bà con bàn và quyết định làm đường."),
        "{}",
        a.body
    );
    let rss = app.page(&app.client(), "/rss.xml").await;
    assert!(rss.contains("/bai-viet/hoi-nghi-nhan-dan-ap-dong-sac</link>"));
}
