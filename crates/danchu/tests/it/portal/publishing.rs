//! Publishing: drafts and scheduled articles are not public; an editor publishes and the
//! article shows everywhere; scheduled publication.

use crate::both;
use crate::harness::{Fixture, TestApp};

use super::{Desk, EDITOR};

both!(
    drafts_and_scheduled_articles_are_not_public,
    Fixture::units().with_portal(),
    |app: TestApp| async move {
        let district = app.unit_id("721").await;
        let cat = danchu_db::portal::category_by_slug(&app.db, "thong-bao")
            .await
            .unwrap()
            .unwrap();
        let actor = danchu_db::audit::Actor("test".into());
        let mut input = danchu_db::portal::ArticleInput {
            unit_id: district,
            category_id: cat.id,
            title: "Thông báo sắp đăng".into(),
            summary: String::new(),
            body: "<p>x</p>".into(),
            author: String::new(),
            status: "published".into(),
            featured: false,
            published_at: Some(danchu_db::now_s() + 3600),
        };
        let scheduled = danchu_db::portal::create_article(&app.db, &actor, &input)
            .await
            .unwrap();
        input.title = "Bản nháp".into();
        input.status = "draft".into();
        input.published_at = None;
        let draft = danchu_db::portal::create_article(&app.db, &actor, &input)
            .await
            .unwrap();
        let c = app.client();
        for a in [&scheduled, &draft] {
            assert_eq!(
                app.get(&c, &format!("/bai-viet/{}", a.slug)).await.status(),
                404
            );
            assert_eq!(
                app.get(&c, &format!("/bai-viet/{}/in", a.slug))
                    .await
                    .status(),
                404
            );
        }
        let rss = app.page(&c, "/rss.xml").await;
        assert!(!rss.contains(&scheduled.slug) && !rss.contains(&draft.slug));
        // Its time comes: it appears.
        app.db
            .execute(
                danchu_db::q("UPDATE articles SET published_at = $1 WHERE id = $2")
                    .bind(danchu_db::now_s() - 1)
                    .bind(scheduled.id),
            )
            .await
            .unwrap();
        app.state.cache.invalidate();
        assert_eq!(
            app.get(&c, &format!("/bai-viet/{}", scheduled.slug))
                .await
                .status(),
            200
        );
    }
);

both!(
    editor_publishes_and_it_shows_everywhere,
    EDITOR,
    |app: TestApp| async move {
        let c = app.sign_in("bientap").await;
        let desk = Desk::of(&app, "tin-hoat-dong", "721").await;
        // The home page is cached before the change.
        let anon = app.client();
        app.page(&anon, "/").await;
        let word = r#"<p class="MsoNormal" style="font-family:Times"><b>Hội nghị</b> tổng kết<o:p></o:p></p><script>alert(1)</script>"#;
        let title = "Kế hoạch thực hiện Quy chế dân chủ";
        let more = [
            ("summary", "Tóm tắt ngắn."),
            ("author", "Phòng Nội vụ"),
            ("published_at", ""),
        ];
        let r = desk.post(&app, &c, [title, word, "published"], &more).await;
        assert_eq!(r.status(), 303, "{}", r.text().await.unwrap_or_default());
        let a = danchu_db::portal::article_by_slug(&app.db, "ke-hoach-thuc-hien-quy-che-dan-chu")
            .await
            .unwrap()
            .expect("slug from the Vietnamese title");
        assert_eq!(
            a.body, "<p><b>Hội nghị</b> tổng kết</p>",
            "Word paste cleaned, script gone"
        );
        // Immediately on the home page (cache cleared), in the RSS feed and the category.
        let home = app.page(&anon, "/").await;
        assert!(home.contains("Kế hoạch thực hiện Quy chế dân chủ</a>"));
        assert!(app
            .page(&anon, "/rss.xml")
            .await
            .contains("/bai-viet/ke-hoach-thuc-hien-quy-che-dan-chu</link>"));
        assert!(app
            .page(&anon, "/tin-tuc/tin-hoat-dong")
            .await
            .contains("ke-hoach-thuc-hien-quy-che-dan-chu"));
        // Same title again: a unique slug.
        let r = desk
            .post(&app, &c, [title, "<p>Lần hai</p>", "draft"], &[])
            .await;
        assert_eq!(r.status(), 303);
        assert!(danchu_db::portal::article_by_slug(
            &app.db,
            "ke-hoach-thuc-hien-quy-che-dan-chu-2"
        )
        .await
        .unwrap()
        .is_some());
        // Edit: unpublish; it leaves the site; audited with before and after.
        let edit = format!("/quan-tri/bai-viet/{}", a.id);
        let fields = desk.fields(title, "<p>Sửa</p>", "draft");
        let r = app.post(&c, &edit, &edit, &fields).await;
        assert_eq!(r.status(), 303);
        assert_eq!(
            app.get(&anon, "/bai-viet/ke-hoach-thuc-hien-quy-che-dan-chu")
                .await
                .status(),
            404
        );
        let f = danchu_db::audit::Filter {
            action: Some("article.update".into()),
            ..Default::default()
        };
        let e = &danchu_db::audit::list(&app.db, &f, 1).await.unwrap()[0];
        assert!(
            e.before.as_deref().unwrap().contains("published")
                && e.after.as_deref().unwrap().contains("draft")
        );
        assert_eq!(e.actor, "bientap");
    }
);

both!(scheduled_publication, EDITOR, |app: TestApp| async move {
    let c = app.sign_in("bientap").await;
    let desk = Desk::of(&app, "thong-bao", "721").await;
    let title = "Thông báo hẹn giờ";
    let more = [("published_at", "01/01/2099 07:00")];
    let r = desk
        .post(&app, &c, [title, "<p>Sắp đăng</p>", "published"], &more)
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        app.get(&app.client(), "/bai-viet/thong-bao-hen-gio")
            .await
            .status(),
        404
    );
    let list = app.page(&c, "/quan-tri/bai-viet").await;
    assert!(list.contains("Hẹn giờ đăng") && list.contains("01/01/2099 07:00"));
});
