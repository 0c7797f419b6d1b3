//! The article editor in a real browser (issue 13, items 2 and 4): lines typed with Enter
//! and paragraphs pasted from Word stay paragraphs; leaving a changed form warns, saving
//! it does not, and the upload link does not lose what was typed.

use std::time::Duration;

use serde_json::json;

use super::{Driver, EDITOR};
use crate::harness::{check_usage, Backend, TestApp};

/// The WebDriver key for Enter.
const ENTER: &str = "\u{E007}";

/// An editor signed in, on a new article with a title, a category and a unit chosen.
async fn new_article(d: &Driver, app: &TestApp, title: &str) {
    d.sign_in(app, "bientap", "/quan-tri/bai-viet/moi").await;
    d.wait_for_text("Viết bài mới").await;
    d.type_into("#title", title).await;
    d.exec("document.getElementById('category_id').selectedIndex = 1; document.getElementById('unit_id').selectedIndex = 1;").await;
}

/// Publishes the form and returns the stored body of the article at `slug`.
async fn publish(d: &Driver, app: &TestApp, slug: &str) -> String {
    d.click("input[name=status][value=published]").await;
    d.click("form.card button[type=submit]").await;
    d.wait_for_text(&format!("/bai-viet/{slug}")).await;
    danchu_db::portal::article_by_slug(&app.db, slug)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("article {slug} saved"))
        .body
}

/// The paragraphs of the public article's body.
async fn public_paragraphs(d: &Driver, app: &TestApp, slug: &str) -> Vec<String> {
    d.goto(&app.at(&format!("/bai-viet/{slug}"))).await;
    d.wait_for_text("Lượt xem").await;
    let v = d
        .exec("return Array.from(document.querySelectorAll('.article .body > p')).map(function (p) { return p.textContent; });")
        .await;
    serde_json::from_value(v).unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_editor_keeps_lines_typed_with_enter_as_paragraphs() {
    let app = EDITOR.start(Backend::Sqlite).await;
    let d = Driver::start().await;
    d.resize(1280, 900).await;
    new_article(&d, &app, "Ba đoạn gõ trong trình soạn thảo").await;
    d.type_into(".editor", &format!("Đoạn một{ENTER}Đoạn hai{ENTER}Đoạn ba"))
        .await;
    // The editor itself writes a paragraph per line (not Chromium's default `<div>`).
    let html = d
        .exec("return document.querySelector('.editor').innerHTML;")
        .await;
    let html = html.as_str().unwrap_or_default().to_string();
    assert_eq!(html.matches("<p>").count(), 3, "{html}");
    assert!(!html.contains("<div"), "{html}");
    d.screenshot("editor-paragraphs-1280").await;
    let body = publish(&d, &app, "ba-doan-go-trong-trinh-soan-thao").await;
    assert_eq!(body, "<p>Đoạn một</p><p>Đoạn hai</p><p>Đoạn ba</p>");
    assert_eq!(
        public_paragraphs(&d, &app, "ba-doan-go-trong-trinh-soan-thao").await,
        ["Đoạn một", "Đoạn hai", "Đoạn ba"]
    );
    check_usage(&app.usage);
}

/// What Word puts on the clipboard, pasted into the editor (`insertHTML` is the command a
/// paste runs on the clipboard's HTML).
const WORD: &str = "<html xmlns:o=\"urn:schemas-microsoft-com:office:office\"><head><style>p.MsoNormal{margin:0cm}</style></head><body lang=VI><!--StartFragment--><p class=MsoNormal style='margin:0cm'><b><span style='font-size:14.0pt'>KẾ HOẠCH</span></b><o:p></o:p></p><p class=MsoNormal><o:p>&nbsp;</o:p></p><p class=MsoNormal style='text-align:justify'><span lang=VI>Thực hiện Quy chế dân chủ ở cơ sở.</span><o:p></o:p></p><p class=MsoNormal>Đoạn ba<o:p></o:p></p><!--EndFragment--></body></html>";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_editor_keeps_paragraphs_pasted_from_word() {
    let app = EDITOR.start(Backend::Sqlite).await;
    let d = Driver::start().await;
    new_article(&d, &app, "Dán từ Word").await;
    // A key typed first, as a person clicks into the box before pasting.
    d.type_into(".editor", "x").await;
    d.exec(&format!(
        "var e = document.querySelector('.editor'); e.focus(); document.execCommand('selectAll', false, null); document.execCommand('insertHTML', false, {});",
        json!(WORD)
    ))
    .await;
    let body = publish(&d, &app, "dan-tu-word").await;
    assert_eq!(
        body.matches("<p>").count(),
        3,
        "three paragraphs, no empty one: {body}"
    );
    assert!(
        !body.contains("Mso") && !body.contains("style") && !body.contains("o:p"),
        "{body}"
    );
    assert_eq!(
        public_paragraphs(&d, &app, "dan-tu-word").await,
        ["KẾ HOẠCH", "Thực hiện Quy chế dân chủ ở cơ sở.", "Đoạn ba"]
    );
    check_usage(&app.usage);
}

/// The text of an open user prompt (a `beforeunload` one), waiting a little for it.
async fn prompt(d: &Driver) -> Option<String> {
    for _ in 0..20 {
        if let Ok(v) = d
            .try_cmd(reqwest::Method::GET, "/alert/text", json!({}))
            .await
        {
            return Some(v.as_str().unwrap_or_default().to_string());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    None
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_leaving_a_changed_form_warns_and_saving_does_not() {
    let app = EDITOR.start(Backend::Sqlite).await;
    // Prompts stay open for the test to see them. A classic WebDriver session accepts
    // `beforeunload` prompts by itself (chromedriver does, as the spec says); in a BiDi
    // session (`webSocketUrl`) they go to the prompt handler, here "ignore".
    let caps = json!({
        "webSocketUrl": true,
        "unhandledPromptBehavior": {"beforeUnload": "ignore", "default": "ignore"}
    });
    let d = Driver::start_with(caps).await;
    d.resize(1280, 900).await;
    d.sign_in(&app, "bientap", "/quan-tri/bai-viet/moi").await;
    d.wait_for_text("Viết bài mới").await;
    // Unchanged, the form can be left without a question.
    d.click("form.card a[href=\"/quan-tri/bai-viet\"]").await;
    d.wait_for_url("/quan-tri/bai-viet").await;
    assert_eq!(prompt(&d).await, None, "an unchanged form leaves quietly");
    d.goto(&app.at("/quan-tri/bai-viet/moi")).await;
    d.wait_for_text("Viết bài mới").await;
    d.type_into("#title", "Bài chưa lưu").await;
    d.type_into(".editor", "Nội dung đang viết dở.").await;
    for w in [360, 1280] {
        d.resize(w, 900).await;
        d.exec("document.querySelector('form.card a[href=\"/quan-tri/tep\"]').scrollIntoView({block: 'center'});")
            .await;
        d.screenshot(&format!("article-form-upload-{w}")).await;
    }
    // The upload link opens the media library in a new tab: nothing typed is lost.
    let upload = d.find("form.card a[href=\"/quan-tri/tep\"]").await;
    let attrs = d
        .exec("var a = document.querySelector('form.card a[href=\"/quan-tri/tep\"]'); return [a.target, a.rel, a.textContent];")
        .await;
    assert_eq!(attrs[0], "_blank", "{attrs}");
    assert!(attrs[1].as_str().unwrap_or_default().contains("noopener"));
    assert!(
        attrs[2].as_str().unwrap_or_default().contains("thẻ mới"),
        "the link says where it opens: {attrs}"
    );
    d.cmd(
        reqwest::Method::POST,
        &format!("/element/{upload}/click"),
        json!({}),
    )
    .await;
    let handles = d
        .cmd(reqwest::Method::GET, "/window/handles", json!({}))
        .await;
    assert_eq!(handles.as_array().map(Vec::len), Some(2), "a new tab");
    assert_eq!(prompt(&d).await, None, "no prompt: the form stays open");
    assert!(d.url().await.ends_with("/quan-tri/bai-viet/moi"));
    // Going back to the list with a changed form asks first; staying keeps the text.
    d.click("form.card a[href=\"/quan-tri/bai-viet\"]").await;
    assert!(prompt(&d).await.is_some(), "leaving a changed form warns");
    d.cmd(reqwest::Method::POST, "/alert/dismiss", json!({}))
        .await;
    assert!(d.url().await.ends_with("/quan-tri/bai-viet/moi"));
    let title = d
        .exec("return document.getElementById('title').value;")
        .await;
    assert_eq!(title, "Bài chưa lưu");
    // So does going elsewhere by address.
    d.exec("setTimeout(function () { location.href = '/'; }, 0);")
        .await;
    assert!(prompt(&d).await.is_some(), "navigating away warns");
    d.cmd(reqwest::Method::POST, "/alert/dismiss", json!({}))
        .await;
    // Saving does not ask.
    d.exec("document.getElementById('category_id').selectedIndex = 1; document.getElementById('unit_id').selectedIndex = 1;").await;
    d.click("form.card button[type=submit]").await;
    assert_eq!(prompt(&d).await, None, "saving leaves without a prompt");
    let src = d.wait_for_text("/bai-viet/bai-chua-luu").await;
    assert!(src.contains("Sửa bài viết"), "saved, on the edit page");
    // The saved form, unchanged, leaves quietly again.
    d.click("form.card a[href=\"/quan-tri/bai-viet\"]").await;
    assert_eq!(prompt(&d).await, None);
    d.wait_for_url("/quan-tri/bai-viet").await;
    check_usage(&app.usage);
}
