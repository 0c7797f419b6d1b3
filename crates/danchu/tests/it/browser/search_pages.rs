//! Search results by page in a real browser (issue 13, item 12): the pager is reached and
//! followed with the keyboard, fits a phone, and passes axe.

use super::Driver;
use crate::harness::{check_usage, Backend, Fixture};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_search_pages_are_followed_with_the_keyboard() {
    let app = Fixture::units().with_portal().start(Backend::Sqlite).await;
    for n in 1..=27 {
        crate::search::add(
            &app,
            &format!("Bản tin phân trang Zêta số {n}"),
            &format!("Nội dung tin Zêta thứ {n}."),
        )
        .await;
    }
    let d = Driver::start().await;
    for (w, h) in [(360, 800), (1280, 900)] {
        d.resize(w, h).await;
        d.goto(&app.at("/tim-kiem?q=z%C3%AAta+ph%C3%A2n+trang&loai=bai-viet"))
            .await;
        d.wait_for_text("Trang 1/2").await;
        // The "next page" link, focused and followed with Enter.
        d.exec("document.querySelector('nav.pager a[rel=next]').focus();")
            .await;
        d.type_into("nav.pager a[rel=next]", "\u{E007}").await;
        let src = d.wait_for_text("Trang 2/2").await;
        assert!(src.contains("Đang xem 21–27"), "page 2 of the same search");
        assert!(d.url().await.contains("loai=bai-viet&trang=2"));
        let start = d
            .exec("return document.querySelector('ol.results').start;")
            .await;
        assert_eq!(start, 21, "results numbered on from page 1");
        d.exec("document.querySelector('nav.pager').scrollIntoView({block: 'center'});")
            .await;
        let width = d.exec("return document.documentElement.scrollWidth").await;
        assert!(
            width.as_i64().is_some_and(|sw| sw <= i64::from(w)),
            "fits {w} px: {width}"
        );
        d.assert_accessible(&format!("on page 2 of a search at {w} px"))
            .await;
        d.screenshot(&format!("search-page-2-{w}")).await;
    }
    check_usage(&app.usage);
}
