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

use crate::harness::EDITOR;

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

/// Where the article form files an article: its category and its unit, as the form sends
/// them (ids as text).
pub(super) struct Desk {
    pub(super) cat: String,
    pub(super) unit: String,
}

impl Desk {
    /// The category `slug` and the unit `unit_code`.
    pub(super) async fn of(app: &TestApp, slug: &str, unit_code: &str) -> Desk {
        let cat = danchu_db::portal::category_by_slug(&app.db, slug)
            .await
            .expect("db")
            .unwrap_or_else(|| panic!("category {slug}"));
        Desk {
            cat: cat.id.to_string(),
            unit: app.unit_id(unit_code).await.to_string(),
        }
    }

    /// The article form's fields: `title`, `body` and `status`, filed here.
    pub(super) fn fields<'a>(
        &'a self,
        title: &'a str,
        body: &'a str,
        status: &'a str,
    ) -> Vec<(&'a str, &'a str)> {
        vec![
            ("title", title),
            ("category_id", &self.cat),
            ("unit_id", &self.unit),
            ("body", body),
            ("status", status),
        ]
    }

    /// Submits the new-article form as `c`: [`Desk::fields`], then `more` fields.
    pub(super) async fn post(
        &self,
        app: &TestApp,
        c: &reqwest::Client,
        [title, body, status]: [&str; 3],
        more: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut fields = self.fields(title, body, status);
        fields.extend_from_slice(more);
        app.post(c, "/quan-tri/bai-viet/moi", "/quan-tri/bai-viet", &fields)
            .await
    }
}
