//! Plans and tasks over both databases and real HTTP (issue 5, point 1): the demo Plan
//! 22/KH-UBND with its overdue tasks, Phòng Nội vụ adding and removing tasks (errors per
//! field), a commune recording progress with an evidence file (checked by content), unit
//! scoping, the public page, and the audit log.

mod demo_story;
mod from_document;
mod tasks;

use crate::harness::{multipart_form, TestApp};

async fn plan_id(app: &TestApp) -> i64 {
    danchu_db::plans::list(&app.db).await.unwrap()[0].id
}

/// Posts a progress form (multipart, token in the URL) with optional evidence files.
pub(super) async fn record(
    app: &TestApp,
    c: &reqwest::Client,
    path: &str,
    fields: &[(&str, &str)],
    files: Vec<(&str, Vec<u8>)>,
) -> reqwest::Response {
    let page = app.page(c, path).await;
    let marker = "?_csrf=";
    let start = page.find(marker).expect("form with token") + marker.len();
    let token: String = page[start..].chars().take_while(|ch| *ch != '"').collect();
    let files = files
        .into_iter()
        .map(|(name, bytes)| ("evidence", name, bytes))
        .collect();
    c.post(app.at(&format!("{path}?_csrf={token}")))
        .multipart(multipart_form(fields, files))
        .send()
        .await
        .unwrap()
}
