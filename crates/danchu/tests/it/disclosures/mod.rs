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

/// Posts a multipart form with the CSRF token in the URL (as the page does).
pub(super) async fn multipart(
    app: &TestApp,
    c: &reqwest::Client,
    page: &str,
    action: &str,
    fields: &[(&str, &str)],
    files: Vec<(&str, &str, Vec<u8>)>,
) -> reqwest::Response {
    let token = app.csrf(c, page).await;
    let mut f = reqwest::multipart::Form::new();
    for (k, v) in fields {
        f = f.text(k.to_string(), v.to_string());
    }
    for (field, name, bytes) in files {
        f = f.part(
            field.to_string(),
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
        );
    }
    c.post(app.at(&format!("{action}?_csrf={token}")))
        .multipart(f)
        .send()
        .await
        .unwrap()
}

/// The first disclosure of a unit whose title starts with `prefix`.
pub(super) async fn find(
    app: &TestApp,
    unit: i64,
    prefix: &str,
) -> danchu_db::disclosures::Disclosure {
    danchu_db::disclosures::list(
        &app.db,
        &danchu_db::disclosures::Filter {
            unit_id: Some(unit),
            ..Default::default()
        },
        "2100-01-01",
        100,
        0,
    )
    .await
    .unwrap()
    .into_iter()
    .find(|d| d.title.starts_with(prefix))
    .unwrap_or_else(|| panic!("no disclosure “{prefix}”"))
}
