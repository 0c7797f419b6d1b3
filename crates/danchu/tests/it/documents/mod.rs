//! The document library over both databases: listing and filters, detail, relations,
//! articles citing documents, downloads, admin rights and errors.

mod admin;
mod files;
mod library;

use crate::harness::TestApp;

async fn upload_file(
    app: &TestApp,
    c: &reqwest::Client,
    name: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    let token = app.csrf(c, "/quan-tri/tep").await;
    let district = app.unit_id("721").await.to_string();
    let form = reqwest::multipart::Form::new()
        .text("unit_id", district)
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
        );
    c.post(app.at(&format!("/quan-tri/tep?_csrf={token}")))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn upload_pdf(app: &TestApp, c: &reqwest::Client, name: &str) -> i64 {
    let r = upload_file(
        app,
        c,
        name,
        crate::harness::pdf_with_text("Quyet dinh 15", 0),
    )
    .await;
    assert_eq!(r.status(), 303);
    danchu_db::media::recent(&app.db, None, 1).await.unwrap()[0].id
}
