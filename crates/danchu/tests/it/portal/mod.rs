//! The public portal: the seed article, home, lists, feeds, display choices, counting;
//! the editor, article rights, the portal's admin lists and uploads.

mod admin;
mod counters;
mod demo_story;
mod editor;
mod feeds;
mod pages;
mod publishing;
mod rights;
mod uploads;

use crate::harness::TestApp;

pub const SEED_SLUG: &str =
    "ke-hoach-thuc-hien-quy-che-dan-chu-o-co-so-nam-2023-tren-dia-ban-huyen-dau-tieng";

pub(super) async fn views(app: &TestApp, slug: &str) -> i64 {
    app.int(
        danchu_db::q("SELECT views FROM articles WHERE slug = $1").bind(slug),
        "views",
    )
    .await
}

pub(super) const XSS: &[&str] = &[
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<svg onload=alert(1)>",
    "<iframe src=\"https://evil.example\"></iframe>",
    "<p style=\"background:url(javascript:alert(1))\">x</p>",
    "\"><script>alert(1)</script>",
    "<div onclick=\"alert(1)\">x</div>",
];

pub(super) fn no_active_content(html: &str, what: &str) {
    let lower = html.to_lowercase();
    // Tags must come out escaped (`&#60;img …` is harmless text).
    for bad in [
        "<script>alert",
        "<img src=x",
        "<svg",
        "<iframe",
        "<div onclick",
        "href=\"javascript",
        "style=\"background",
    ] {
        assert!(!lower.contains(bad), "{what}: {bad} survived");
    }
}
