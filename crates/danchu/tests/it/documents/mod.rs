//! The document library over both databases: listing and filters, detail, relations,
//! articles citing documents, downloads, admin rights and errors.

mod admin;
mod files;
mod library;

use crate::harness::TestApp;

async fn upload_pdf(app: &TestApp, c: &reqwest::Client, name: &str) -> i64 {
    let r = app
        .upload(
            c,
            "721",
            name,
            crate::harness::pdf_with_text("Quyet dinh 15", 0),
        )
        .await;
    assert_eq!(r.status(), 303);
    danchu_db::media::recent(&app.db, None, 1).await.unwrap()[0].id
}
