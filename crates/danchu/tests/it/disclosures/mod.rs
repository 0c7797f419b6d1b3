//! The public disclosure register over both databases and real HTTP (issue 7): the demo
//! register and its obligations (R11 late/missing), the public pages with versions,
//! channels and the countdown (R10), the broadcast minimum (R7), search without
//! diacritics, RSS, the compliance dashboard and its XLSX; an official posting with a
//! photo as evidence, unit scoping, hostile input, corrections, early take-down (R10).

mod agencies;
mod api;
mod categories;
mod channels;
mod demo_story;
mod hostile;
mod notices;
mod posting;

use crate::harness::TestApp;

/// The first disclosure of a unit whose title starts with `prefix`.
pub(super) async fn find(
    app: &TestApp,
    unit: i64,
    prefix: &str,
) -> danchu_db::disclosures::Disclosure {
    of_unit(app, unit, "2100-01-01", 100)
        .await
        .into_iter()
        .find(|d| d.title.starts_with(prefix))
        .unwrap_or_else(|| panic!("no disclosure “{prefix}”"))
}

/// The first `n` disclosures of the unit `unit`, as the register lists them on the day
/// `on` (ISO).
pub(super) async fn of_unit(
    app: &TestApp,
    unit: i64,
    on: &str,
    n: i64,
) -> Vec<danchu_db::disclosures::Disclosure> {
    let filter = danchu_db::disclosures::Filter {
        unit_id: Some(unit),
        ..Default::default()
    };
    let on = danchu_core::text::parse_date(on).unwrap_or_else(|| panic!("{on}"));
    danchu_db::disclosures::list(&app.db, &filter, on, n, 0)
        .await
        .unwrap()
}

/// The new-disclosure form.
pub(super) const NEW: &str = "/quan-tri/cong-khai/moi";

/// Submits the new-disclosure form (multipart, as the page does) as `c`.
pub(super) async fn post_new(
    app: &TestApp,
    c: &reqwest::Client,
    fields: &[(&str, &str)],
    files: Vec<(&str, &str, Vec<u8>)>,
) -> reqwest::Response {
    app.post_multipart(c, NEW, NEW, fields, files).await
}

/// Submits the new-disclosure form without files as `c`: the unit, the category, the
/// title and the body (`unit_id`, `category_id`, `title`, `body`), then `more` fields.
pub(super) async fn post_item(
    app: &TestApp,
    c: &reqwest::Client,
    [unit, category, title, body]: [&str; 4],
    more: &[(&str, &str)],
) -> reqwest::Response {
    let mut fields = vec![
        ("unit_id", unit),
        ("category_id", category),
        ("title", title),
        ("body", body),
    ];
    fields.extend_from_slice(more);
    post_new(app, c, &fields, vec![]).await
}

/// Records the posting form `channel` of the disclosure `id` from the day `starts_on`
/// (dd/mm/yyyy), with no evidence file.
pub(super) async fn add_form(
    app: &TestApp,
    c: &reqwest::Client,
    id: i64,
    channel: &str,
    starts_on: &str,
) -> reqwest::Response {
    let fields = [("channel", channel), ("starts_on", starts_on)];
    add_channel(app, c, id, &fields, vec![]).await
}

/// Today in Việt Nam as the forms show and take a day (dd/mm/yyyy).
pub(super) fn today_shown() -> String {
    let today = danchu_db::today_vn();
    let day = danchu_core::text::parse_date(&today).unwrap_or_else(|| panic!("{today}"));
    danchu_core::text::format_date(day)
}

/// The public page of the disclosure `id`, as a visitor sees it (asserting 200).
pub(super) async fn public_page(app: &TestApp, id: i64) -> String {
    app.page(&app.client(), &format!("/cong-khai/{id}")).await
}

/// The admin page of the disclosure `id`.
pub(super) fn admin_page(id: i64) -> String {
    format!("/quan-tri/cong-khai/{id}")
}

/// Records a posting form (channel) of the disclosure `id` through its page's form.
pub(super) async fn add_channel(
    app: &TestApp,
    c: &reqwest::Client,
    id: i64,
    fields: &[(&str, &str)],
    files: Vec<(&str, &str, Vec<u8>)>,
) -> reqwest::Response {
    let page = admin_page(id);
    let action = format!("{page}/hinh-thuc");
    app.post_multipart(c, &page, &action, fields, files).await
}

/// Takes the disclosure `id` down for `reason`, with the CSRF token of `form_page`.
pub(super) async fn take_down(
    app: &TestApp,
    c: &reqwest::Client,
    form_page: &str,
    id: i64,
    reason: &str,
) -> reqwest::Response {
    let action = format!("{}/go", admin_page(id));
    app.post(c, form_page, &action, &[("reason", reason)]).await
}
