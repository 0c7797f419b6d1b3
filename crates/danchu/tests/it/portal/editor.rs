//! The article form: errors per field, hostile input neutralised, the body's lines kept
//! whatever arrives.

use crate::both;
use crate::harness::{assert_refused, TestApp};

use super::{no_active_content, Desk, EDITOR, XSS};

both!(
    article_form_errors_and_hostile_input,
    EDITOR,
    |app: TestApp| async move {
        let c = app.sign_in("bientap").await;
        let r = app
            .post(
                &c,
                "/quan-tri/bai-viet/moi",
                "/quan-tri/bai-viet",
                &[
                    ("title", ""),
                    ("status", "published"),
                    ("published_at", "hôm qua"),
                ],
            )
            .await;
        assert_refused(
            r,
            &[
                "Tiêu đề không được để trống.",
                "Hãy chọn chuyên mục.",
                "Hãy chọn đơn vị.",
                "Bài đăng cần có nội dung.",
                "Thời điểm đăng không hợp lệ",
            ],
        )
        .await;
        let desk = Desk::of(&app, "thong-bao", "721").await;
        for (i, p) in XSS.iter().enumerate() {
            let title = format!("Tin {i} {p}");
            let body = format!("<p>Nội dung {i}</p>{p}");
            let more = [("summary", *p), ("author", *p)];
            let r = desk
                .post(&app, &c, [&title, &body, "published"], &more)
                .await;
            assert_eq!(r.status(), 303, "{p}");
        }
        let anon = app.client();
        let home = app.page(&anon, "/").await;
        no_active_content(&home, "home");
        let rss = app.page(&anon, "/rss.xml").await;
        assert!(
            roxmltree::Document::parse(&rss).is_ok(),
            "feed stays well-formed"
        );
        for a in danchu_db::portal::all_articles(&app.db, None)
            .await
            .unwrap()
            .iter()
            .filter(|a| a.title.starts_with("Tin "))
        {
            let page = app.page(&anon, &format!("/bai-viet/{}", a.slug)).await;
            no_active_content(&page, &a.title);
            let print = app.page(&anon, &format!("/bai-viet/{}/in", a.slug)).await;
            no_active_content(&print, &a.title);
        }
    }
);

// Issue 13, item 2: whatever HTML the form sends (a browser's `<div>` per line, plain
// text from the box without JavaScript), each line stays a paragraph.
both!(
    article_body_keeps_its_lines_whatever_arrives,
    EDITOR,
    |app: TestApp| async move {
        let c = app.sign_in("bientap").await;
        let desk = Desk::of(&app, "tin-hoat-dong", "721").await;
        for (n, (body, stored)) in [
            (
                "Đoạn một<div>Đoạn hai</div><div><br></div><div>Đoạn ba</div>",
                "<p>Đoạn một</p><p>Đoạn hai</p><p>Đoạn ba</p>",
            ),
            (
                "Dòng một\r\nDòng hai\r\n\r\nĐoạn hai",
                "<p>Dòng một<br>Dòng hai</p><p>Đoạn hai</p>",
            ),
        ]
        .into_iter()
        .enumerate()
        {
            let title = format!("Các dòng của bài số {n}");
            let r = desk.post(&app, &c, [&title, body, "published"], &[]).await;
            assert_eq!(r.status(), 303, "{}", r.text().await.unwrap_or_default());
            let slug = format!("cac-dong-cua-bai-so-{n}");
            let a = danchu_db::portal::article_by_slug(&app.db, &slug)
                .await
                .unwrap()
                .expect("saved");
            assert_eq!(a.body, stored, "{body:?}");
            let page = app.page(&app.client(), &format!("/bai-viet/{slug}")).await;
            assert!(page.contains(&format!("<div class=\"body\">{stored}</div>")));
        }
    }
);
