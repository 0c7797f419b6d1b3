//! Site search over both databases: every Vietnamese matching rule, hostile queries,
//! filters and the API, paging.

mod filters;
mod paging;
mod rules;

use crate::harness::TestApp;

/// Publishes an article of the district (a minute ago); returns its slug.
pub(crate) async fn add(app: &TestApp, title: &str, body: &str) -> String {
    let district = app.unit_id("721").await;
    let cat = danchu_db::portal::category_by_slug(&app.db, "tin-hoat-dong")
        .await
        .unwrap()
        .unwrap();
    let input = danchu_db::portal::ArticleInput {
        unit_id: district,
        category_id: cat.id,
        title: title.into(),
        summary: String::new(),
        body: format!("<p>{body}</p>"),
        author: String::new(),
        status: "published".into(),
        featured: false,
        published_at: Some(danchu_db::now_s() - 60),
    };
    danchu_db::portal::create_article(&app.db, &danchu_db::audit::Actor("test".into()), &input)
        .await
        .unwrap()
        .slug
}

/// The slug of the first result for a query (None when nothing is found).
pub(super) async fn first(app: &TestApp, c: &reqwest::Client, q: &str) -> Option<String> {
    first_of(app, c, q, false).await
}

/// The first result's address; `disclosures` false skips the demo's disclosure register
/// (many entries name the same communes; the register's own search is tested in
/// disclosures/).
pub(super) async fn first_of(
    app: &TestApp,
    c: &reqwest::Client,
    q: &str,
    disclosures: bool,
) -> Option<String> {
    let url = reqwest::Url::parse_with_params(&app.at("/tim-kiem"), &[("q", q)]).unwrap();
    let r = c.get(url).send().await.unwrap();
    assert_eq!(r.status(), 200, "{q}");
    let page = r.text().await.unwrap();
    let results = page.split("<ol class=\"results\">").nth(1)?;
    results
        .split("href=\"/")
        .skip(1)
        .filter_map(|r| r.split('"').next())
        .find(|href| disclosures || !href.starts_with("cong-khai/"))
        .map(|href| href.strip_prefix("bai-viet/").unwrap_or(href).to_string())
}

/// How many articles there are (the table a hostile query tries to drop).
pub(super) async fn articles(app: &TestApp) -> i64 {
    app.int(danchu_db::q("SELECT COUNT(*) AS n FROM articles"), "n")
        .await
}
