//! The document library over both databases: listing and filters, detail, relations,
//! articles citing documents, downloads, admin rights and errors.

mod admin;
mod files;
mod library;

use crate::harness::TestApp;

async fn upload_pdf(app: &TestApp, c: &reqwest::Client, name: &str) -> i64 {
    let pdf = crate::harness::pdf_with_text("Quyet dinh 15", 0);
    app.uploaded(c, "721", name, pdf).await.id
}
