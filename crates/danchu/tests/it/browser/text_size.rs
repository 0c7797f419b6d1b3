//! "Cỡ chữ" in a real browser (issue 13, item 11): every text of an article grows, on
//! admin pages too, and a phone still shows the page without sideways scrolling.

use serde_json::Value;

use super::{Driver, EDITOR};
use crate::harness::{check_usage, Backend, Fixture};

/// Computed font sizes (px) of the first element matching each selector.
async fn sizes(d: &Driver, selectors: &[&str]) -> Vec<f64> {
    let script = format!(
        "return {}.map(function (s) {{ var e = document.querySelector(s); return e ? parseFloat(getComputedStyle(e).fontSize) : 0; }});",
        serde_json::to_string(selectors).unwrap_or_default()
    );
    match d.exec(&script).await {
        Value::Array(v) => v.iter().map(|x| x.as_f64().unwrap_or(0.0)).collect(),
        _ => Vec::new(),
    }
}

/// Switches "Cỡ chữ" with its link in the header, as a reader does, and waits for the
/// page that comes back.
async fn toggle_large(d: &Driver, on: bool) {
    d.click("header a.pref[href*=large]").await;
    for _ in 0..50 {
        let class = d.exec("return document.documentElement.className;").await;
        if class.as_str().is_some_and(|c| c.contains("large") == on) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

fn assert_grown(what: &[&str], normal: &[f64], large: &[f64], at: &str) {
    for ((s, n), l) in what.iter().zip(normal).zip(large) {
        assert!(*n > 0.0, "{s} found at {at}");
        assert!(
            *l >= n * 1.15,
            "{s} at {at}: {n} px normal, {l} px large (want at least 1.15×)"
        );
    }
}

const ARTICLE_TEXTS: &[&str] = &[
    ".article .body p",
    ".article h1",
    ".article .meta",
    ".article .crumbs",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_text_size_enlarges_every_text_of_an_article() {
    let app = Fixture::units().with_portal().start(Backend::Sqlite).await;
    let d = Driver::start().await;
    let seed = format!("/bai-viet/{}", crate::portal::SEED_SLUG);
    for (w, h) in [(1280, 900), (360, 800)] {
        d.resize(w, h).await;
        d.goto(&app.at(&seed)).await;
        d.wait_for_text("Anh Xê Ka").await;
        let normal = sizes(&d, ARTICLE_TEXTS).await;
        toggle_large(&d, true).await;
        let large = sizes(&d, ARTICLE_TEXTS).await;
        assert_grown(ARTICLE_TEXTS, &normal, &large, &format!("{w} px"));
        let width = d.exec("return document.documentElement.scrollWidth").await;
        assert!(
            width.as_i64().is_some_and(|sw| sw <= i64::from(w)),
            "large text fits {w} px: {width}"
        );
        d.assert_accessible(&format!("with large text at {w} px"))
            .await;
        d.screenshot(&format!("article-large-{w}")).await;
        toggle_large(&d, false).await;
        assert_eq!(sizes(&d, ARTICLE_TEXTS).await, normal, "back to normal");
    }
    check_usage(&app.usage);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_text_size_enlarges_admin_pages_too() {
    let app = EDITOR.start(Backend::Sqlite).await;
    let d = Driver::start().await;
    d.resize(360, 800).await;
    d.sign_in(&app, "bientap", "/quan-tri/bai-viet/moi").await;
    d.wait_for_text("Viết bài mới").await;
    let texts = ["main h1", "main label", "main input#title", ".adminnav a"];
    let normal = sizes(&d, &texts).await;
    toggle_large(&d, true).await;
    let large = sizes(&d, &texts).await;
    assert_grown(&texts, &normal, &large, "the article form, 360 px");
    let width = d.exec("return document.documentElement.scrollWidth").await;
    assert!(
        width.as_i64().is_some_and(|w| w <= 360),
        "the admin form fits 360 px with large text: {width}"
    );
    d.screenshot("article-form-large-360").await;
    check_usage(&app.usage);
}
