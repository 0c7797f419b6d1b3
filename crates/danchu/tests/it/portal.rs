//! The public portal: the seed article, home, lists, feeds, display choices, counting.

use crate::both;
use crate::harness::TestApp;

pub const SEED_SLUG: &str =
    "ke-hoach-thuc-hien-quy-che-dan-chu-o-co-so-nam-2023-tren-dia-ban-huyen-dau-tieng";

async fn views(app: &TestApp, slug: &str) -> i64 {
    app.db
        .fetch_optional(danchu_db::q("SELECT views FROM articles WHERE slug = $1").bind(slug))
        .await
        .unwrap()
        .unwrap()
        .get("views")
        .unwrap()
}

both!(seed_article_page_is_complete, |app: TestApp| async move {
    let c = app.client();
    let page = app.page(&c, &format!("/bai-viet/{SEED_SLUG}")).await;
    assert!(page.contains(
        "<h1>Kế hoạch thực hiện Quy chế dân chủ ở cơ sở năm 2023 trên địa bàn huyện Dầu Tiếng</h1>"
    ));
    assert!(page.contains(">10/03/2023</time>"));
    assert!(
        page.contains("Lượt xem: 1.415"),
        "1414 before, this view included"
    );
    for p in danchu::demo::portal::SEED_PARAGRAPHS {
        assert!(page.contains(p), "paragraph {p}");
    }
    assert!(
        page.contains("Kế hoạch số 22/KH-UBND"),
        "document number kept exact"
    );
    assert!(page.contains("<p class=\"author\">Anh Xê Ka</p>"));
    assert!(page.contains(&format!(
        "href=\"/bai-viet/{SEED_SLUG}/in\">In bài viết</a>"
    )));
    assert!(page.contains("Độ tương phản") && page.contains("Cỡ chữ"));
    assert!(page.contains(&format!(
        "<link rel=\"canonical\" href=\"{}/bai-viet/{SEED_SLUG}\">",
        app.url
    )));
    assert!(page.contains("<meta property=\"og:title\" content=\"Kế hoạch thực hiện"));
    assert!(
        page.contains("rel=\"prev\"") && page.contains("rel=\"next\""),
        "previous/next"
    );
    assert!(page.contains("Tin liên quan"));
    // The sidebar of the seed page.
    for s in [
        "Du lịch Núi Cậu - Dầu Tiếng",
        "Liên kết website",
        "Các Sở, Ban ngành",
        "Các Trang khác",
        "Hôm nay",
        "Tuần này",
        "Tháng này",
        "Tổng truy cập",
        "3.848.49",
    ] {
        assert!(page.contains(s), "{s}");
    }
    // A HEAD request is not a view.
    assert_eq!(
        c.head(app.at(&format!("/bai-viet/{SEED_SLUG}")))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    // A robot's view is not counted.
    let bot = reqwest::Client::builder()
        .user_agent("Googlebot/2.1")
        .build()
        .unwrap();
    let page = bot
        .get(app.at(&format!("/bai-viet/{SEED_SLUG}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Lượt xem: 1.415"));
    app.state.counters.flush(&app.db).await.unwrap();
    assert_eq!(views(&app, SEED_SLUG).await, 1415);
});

both!(
    views_are_counted_in_memory_and_flushed_additively,
    |app: TestApp| async move {
        let c = app.client();
        let before = views(&app, SEED_SLUG).await;
        let stats0 = app.state.counters.stats();
        for _ in 0..7 {
            app.page(&c, &format!("/bai-viet/{SEED_SLUG}")).await;
        }
        // Not written yet: no database write per view.
        assert_eq!(views(&app, SEED_SLUG).await, before);
        let shown = app.state.counters.stats();
        assert_eq!(shown.total, stats0.total + 7);
        app.state.counters.flush(&app.db).await.unwrap();
        assert_eq!(views(&app, SEED_SLUG).await, before + 7);
        // Another node writing to the same database adds, never overwrites.
        danchu_db::portal::add_counts(&app.db, &[(danchu_db::today_vn(), 5)], &[])
            .await
            .unwrap();
        app.state.counters.flush(&app.db).await.unwrap();
        let after = app.state.counters.stats();
        assert_eq!(after.total, stats0.total + 12);
        assert_eq!(after.today, stats0.today + 12);
        // The cached page shows the live count.
        let page = app.page(&c, &format!("/bai-viet/{SEED_SLUG}")).await;
        assert!(page.contains(&format!(
            "Lượt xem: {}",
            danchu_core::text::format_number(before + 8)
        )));
    }
);

both!(home_and_lists, |app: TestApp| async move {
    let c = app.client();
    let home = app.page(&c, "/").await;
    for s in [
        "Du lịch Núi Cậu - Dầu Tiếng",
        "Thống kê truy cập",
        "Tổng truy cập",
    ] {
        assert!(home.contains(s), "{s}");
    }
    // The home page's own sections, by their headings (the category names are also in the
    // menu of every page).
    assert!(home.contains("<h2 id=\"featured-h\">Tin nổi bật</h2>"));
    assert!(home.contains("<h2 id=\"latest-h\">Tin mới</h2>"));
    for (slug, name) in [
        ("dan-chu-o-co-so", "Dân chủ ở cơ sở"),
        ("van-hoa-du-lich", "Văn hóa - Du lịch"),
    ] {
        let cat = danchu_db::portal::category_by_slug(&app.db, slug)
            .await
            .unwrap()
            .unwrap();
        assert!(
            home.contains(&format!(
                "<h2 id=\"cat-{}\"><a href=\"/tin-tuc/{slug}\">{name}</a></h2>",
                cat.id
            )),
            "section {name}"
        );
    }
    assert!(home.contains("<title>Trang chủ · Cổng thông tin điện tử huyện Dầu Tiếng</title>"));
    // 14 articles, 10 a page.
    let p1 = app.page(&c, "/tin-tuc").await;
    assert!(p1.contains("Trang 1/2") && p1.contains("?trang=2"));
    let p2 = app.page(&c, "/tin-tuc?trang=2").await;
    assert!(p2.contains("Trang 2/2"));
    assert_eq!(
        c.get(app.at("/tin-tuc?trang=3"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let cat = app.page(&c, "/tin-tuc/dan-chu-o-co-so").await;
    assert!(cat.contains("<h1>Dân chủ ở cơ sở</h1>") && cat.contains(SEED_SLUG));
    assert!(
        !cat.contains("ho-dau-tieng-diem-den-du-lich-sinh-thai"),
        "only its own category"
    );
    let r = c.get(app.at("/tin-tuc/khong-co")).send().await.unwrap();
    assert_eq!(r.status(), 404);
    assert!(r.text().await.unwrap().contains("Không tìm thấy trang"));
    let r = c
        .get(app.at("/bai-viet/khong-co-bai-nay"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
});

both!(
    drafts_and_scheduled_articles_are_not_public,
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
                c.get(app.at(&format!("/bai-viet/{}", a.slug)))
                    .send()
                    .await
                    .unwrap()
                    .status(),
                404
            );
            assert_eq!(
                c.get(app.at(&format!("/bai-viet/{}/in", a.slug)))
                    .send()
                    .await
                    .unwrap()
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
            c.get(app.at(&format!("/bai-viet/{}", scheduled.slug)))
                .send()
                .await
                .unwrap()
                .status(),
            200
        );
    }
);

both!(print_view, |app: TestApp| async move {
    let c = app.client();
    let page = app.page(&c, &format!("/bai-viet/{SEED_SLUG}/in")).await;
    assert!(page.contains("class=\"print-view\""));
    assert!(page.contains("Cổng thông tin điện tử huyện Dầu Tiếng"));
    assert!(
        page.contains(&format!("{}/bai-viet/{SEED_SLUG}", app.url)),
        "the article URL"
    );
    assert!(page.contains("Ngày in:"));
    assert!(
        !page.contains("class=\"cats\"") && !page.contains("Thống kê truy cập"),
        "no navigation"
    );
    let css = app.page(&c, "/static/style.css").await;
    assert!(css.contains("@page { size: A4") && css.contains("@media print"));
});

both!(feeds_sitemap_robots, |app: TestApp| async move {
    let c = app.client();
    let r = c.get(app.at("/rss.xml")).send().await.unwrap();
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/rss+xml"));
    let rss = r.text().await.unwrap();
    let doc = roxmltree::Document::parse(&rss).expect("well-formed RSS");
    let channel = doc
        .descendants()
        .find(|n| n.has_tag_name("channel"))
        .unwrap();
    let items: Vec<_> = channel
        .children()
        .filter(|n| n.has_tag_name("item"))
        .collect();
    assert_eq!(items.len(), 14);
    for item in &items {
        let link = item
            .children()
            .find(|n| n.has_tag_name("link"))
            .unwrap()
            .text()
            .unwrap();
        assert!(
            link.starts_with(&format!("{}/bai-viet/", app.url)),
            "absolute link {link}"
        );
        let date = item
            .children()
            .find(|n| n.has_tag_name("pubDate"))
            .unwrap()
            .text()
            .unwrap();
        assert!(date.ends_with("+0700"), "{date}");
    }
    let cat = app.page(&c, "/tin-tuc/dan-chu-o-co-so/rss.xml").await;
    let doc = roxmltree::Document::parse(&cat).expect("well-formed category RSS");
    // Exactly the category's published articles (the whole feed has 14).
    let own: i64 = app
        .db
        .fetch_optional(danchu_db::q(
            "SELECT COUNT(*) AS n FROM articles a JOIN categories c ON c.id = a.category_id WHERE c.slug = 'dan-chu-o-co-so' AND a.status = 'published'",
        ))
        .await
        .unwrap()
        .unwrap()
        .get("n")
        .unwrap();
    assert!(own >= 5, "{own}");
    assert_eq!(
        doc.descendants().filter(|n| n.has_tag_name("item")).count() as i64,
        own
    );
    assert!(cat.contains(SEED_SLUG));
    assert!(
        !cat.contains("ho-dau-tieng-diem-den-du-lich-sinh-thai"),
        "not another category's article"
    );
    let sm = app.page(&c, "/sitemap.xml").await;
    let doc = roxmltree::Document::parse(&sm).expect("well-formed sitemap");
    assert!(doc.descendants().filter(|n| n.has_tag_name("loc")).count() >= 14 + 2 + 5);
    let robots = app.page(&c, "/robots.txt").await;
    assert!(
        robots.contains("Disallow: /quan-tri")
            && robots.contains(&format!("Sitemap: {}/sitemap.xml", app.url))
    );
});

both!(
    contrast_and_text_size_are_remembered_without_js,
    |app: TestApp| async move {
        let c = app.client();
        let r = c
            .get(app.at("/tuy-chon?doi=contrast&back=/tin-tuc"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
        assert_eq!(r.headers()["location"], "/tin-tuc");
        let page = app.page(&c, "/").await;
        assert!(page.contains("<html lang=\"vi\" class=\"contrast\">"));
        c.get(app.at("/tuy-chon?doi=large&back=/"))
            .send()
            .await
            .unwrap();
        let page = app.page(&c, &format!("/bai-viet/{SEED_SLUG}")).await;
        assert!(page.contains("<html lang=\"vi\" class=\"contrast large\">"));
        c.get(app.at("/tuy-chon?doi=contrast&back=/"))
            .send()
            .await
            .unwrap();
        assert!(app
            .page(&c, "/")
            .await
            .contains("<html lang=\"vi\" class=\"large\">"));
        // Going back elsewhere is refused.
        let r = c
            .get(app.at("/tuy-chon?doi=large&back=//evil.example"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.headers()["location"], "/");
    }
);

pub const XSS: &[&str] = &[
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<svg onload=alert(1)>",
    "<iframe src=\"https://evil.example\"></iframe>",
    "<p style=\"background:url(javascript:alert(1))\">x</p>",
    "\"><script>alert(1)</script>",
    "<div onclick=\"alert(1)\">x</div>",
];

fn no_active_content(html: &str, what: &str) {
    let lower = html.to_lowercase();
    // Tags must come out escaped (`&#60;img …` is harmless text).
    for bad in [
        "<script>alert",
        "<img src=x",
        "<svg",
        "<iframe",
        "<div onclick",
        "href=\"javascript",
        "style=\"background",
    ] {
        assert!(!lower.contains(bad), "{what}: {bad} survived");
    }
}

both!(
    editor_publishes_and_it_shows_everywhere,
    |app: TestApp| async move {
        let c = app.sign_in("bientap").await;
        let district = app.unit_id("721").await.to_string();
        let cat = danchu_db::portal::category_by_slug(&app.db, "tin-hoat-dong")
            .await
            .unwrap()
            .unwrap()
            .id
            .to_string();
        // The home page is cached before the change.
        let anon = app.client();
        app.page(&anon, "/").await;
        let word = r#"<p class="MsoNormal" style="font-family:Times"><b>Hội nghị</b> tổng kết<o:p></o:p></p><script>alert(1)</script>"#;
        let r = app
            .post(
                &c,
                "/quan-tri/bai-viet/moi",
                "/quan-tri/bai-viet",
                &[
                    ("title", "Kế hoạch thực hiện Quy chế dân chủ"),
                    ("category_id", &cat),
                    ("unit_id", &district),
                    ("summary", "Tóm tắt ngắn."),
                    ("body", word),
                    ("author", "Phòng Nội vụ"),
                    ("status", "published"),
                    ("published_at", ""),
                ],
            )
            .await;
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
        let r = app
            .post(
                &c,
                "/quan-tri/bai-viet/moi",
                "/quan-tri/bai-viet",
                &[
                    ("title", "Kế hoạch thực hiện Quy chế dân chủ"),
                    ("category_id", &cat),
                    ("unit_id", &district),
                    ("body", "<p>Lần hai</p>"),
                    ("status", "draft"),
                ],
            )
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
        let r = app
            .post(
                &c,
                &format!("/quan-tri/bai-viet/{}", a.id),
                &format!("/quan-tri/bai-viet/{}", a.id),
                &[
                    ("title", "Kế hoạch thực hiện Quy chế dân chủ"),
                    ("category_id", &cat),
                    ("unit_id", &district),
                    ("body", "<p>Sửa</p>"),
                    ("status", "draft"),
                ],
            )
            .await;
        assert_eq!(r.status(), 303);
        assert_eq!(
            anon.get(app.at("/bai-viet/ke-hoach-thuc-hien-quy-che-dan-chu"))
                .send()
                .await
                .unwrap()
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

both!(scheduled_publication, |app: TestApp| async move {
    let c = app.sign_in("bientap").await;
    let district = app.unit_id("721").await.to_string();
    let cat = danchu_db::portal::category_by_slug(&app.db, "thong-bao")
        .await
        .unwrap()
        .unwrap()
        .id
        .to_string();
    let r = app
        .post(
            &c,
            "/quan-tri/bai-viet/moi",
            "/quan-tri/bai-viet",
            &[
                ("title", "Thông báo hẹn giờ"),
                ("category_id", &cat),
                ("unit_id", &district),
                ("body", "<p>Sắp đăng</p>"),
                ("status", "published"),
                ("published_at", "01/01/2099 07:00"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        app.client()
            .get(app.at("/bai-viet/thong-bao-hen-gio"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let list = app.page(&c, "/quan-tri/bai-viet").await;
    assert!(list.contains("Hẹn giờ đăng") && list.contains("01/01/2099 07:00"));
});

both!(
    article_form_errors_and_hostile_input,
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
        assert_eq!(r.status(), 400);
        let body = r.text().await.unwrap();
        for m in [
            "Tiêu đề không được để trống.",
            "Hãy chọn chuyên mục.",
            "Hãy chọn đơn vị.",
            "Bài đăng cần có nội dung.",
            "Thời điểm đăng không hợp lệ",
        ] {
            assert!(body.contains(m), "{m}");
        }
        let district = app.unit_id("721").await.to_string();
        let cat = danchu_db::portal::category_by_slug(&app.db, "thong-bao")
            .await
            .unwrap()
            .unwrap()
            .id
            .to_string();
        for (i, p) in XSS.iter().enumerate() {
            let title = format!("Tin {i} {p}");
            let r = app
                .post(
                    &c,
                    "/quan-tri/bai-viet/moi",
                    "/quan-tri/bai-viet",
                    &[
                        ("title", &title),
                        ("category_id", &cat),
                        ("unit_id", &district),
                        ("summary", p),
                        ("body", &format!("<p>Nội dung {i}</p>{p}")),
                        ("author", p),
                        ("status", "published"),
                    ],
                )
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

both!(article_rights_follow_units, |app: TestApp| async move {
    let district = app.unit_id("721").await.to_string();
    let cat = danchu_db::portal::category_by_slug(&app.db, "thong-bao")
        .await
        .unwrap()
        .unwrap()
        .id
        .to_string();
    // A commune's admin cannot publish as the district.
    let c = app.sign_in("quantri.anlap").await;
    let r = app
        .post(
            &c,
            "/quan-tri/bai-viet/moi",
            "/quan-tri/bai-viet",
            &[
                ("title", "Giả danh huyện"),
                ("category_id", &cat),
                ("unit_id", &district),
                ("body", "<p>x</p>"),
                ("status", "published"),
            ],
        )
        .await;
    assert_eq!(r.status(), 403);
    // Nor edit the district's articles.
    let seed = danchu_db::portal::article_by_slug(&app.db, crate::portal::SEED_SLUG)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        c.get(app.at(&format!("/quan-tri/bai-viet/{}", seed.id)))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    // But can publish for An Lập.
    let an_lap = app.unit_id("25789").await.to_string();
    let r = app
        .post(
            &c,
            "/quan-tri/bai-viet/moi",
            "/quan-tri/bai-viet",
            &[
                ("title", "Tin xã An Lập"),
                ("category_id", &cat),
                ("unit_id", &an_lap),
                ("body", "<p>x</p>"),
                ("status", "published"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    // A viewer cannot write at all.
    let v = app.sign_in("xem").await;
    assert_eq!(
        v.get(app.at("/quan-tri/bai-viet"))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
});

both!(
    categories_links_and_banners_admin,
    |app: TestApp| async move {
        let c = app.sign_in("bientap").await;
        let district = app.unit_id("721").await.to_string();
        let page = "/quan-tri/cong-thong-tin";
        let mark = app.audit_mark().await;
        let r = app
            .post(
                &c,
                page,
                "/quan-tri/cong-thong-tin/chuyen-muc",
                &[
                    ("name", "Quốc phòng - An ninh"),
                    ("position", "9"),
                    ("unit_id", &district),
                ],
            )
            .await;
        assert_eq!(r.status(), 303);
        let anon = app.client();
        assert!(app
            .page(&anon, "/")
            .await
            .contains("href=\"/tin-tuc/quoc-phong-an-ninh\""));
        // Links: a dangerous URL is refused with the field named; a good one shows at once.
        let group = danchu_db::portal::link_groups(&app.db).await.unwrap()[0].id;
        let action = format!("/quan-tri/cong-thong-tin/nhom-lien-ket/{group}/lien-ket");
        for bad in [
            "javascript:alert(1)",
            "//evil.example",
            "https://x\" onmouseover=\"alert(1)",
            "",
        ] {
            let r = app
                .post(
                    &c,
                    page,
                    &action,
                    &[("title", "Xấu"), ("url", bad), ("position", "5")],
                )
                .await;
            assert_eq!(r.status(), 400, "{bad}");
            assert!(r
                .text()
                .await
                .unwrap()
                .contains("Địa chỉ liên kết phải bắt đầu bằng"));
        }
        let r = app
            .post(
                &c,
                page,
                &action,
                &[
                    ("title", "Báo Bình Dương <script>alert(1)</script>"),
                    ("url", "https://baobinhduong.vn"),
                    ("position", "5"),
                ],
            )
            .await;
        assert_eq!(r.status(), 303);
        let home = app.page(&anon, "/").await;
        assert!(home.contains("href=\"https://baobinhduong.vn\""));
        no_active_content(&home, "link title");
        let link = danchu_db::portal::link_groups(&app.db).await.unwrap()[0]
            .links
            .iter()
            .find(|l| l.url == "https://baobinhduong.vn")
            .unwrap()
            .id;
        // A commune's admin cannot remove the district's links.
        let other = app.sign_in("quantri.anlap").await;
        let r = app
            .post(
                &other,
                "/quan-tri/cong-thong-tin",
                &format!("/quan-tri/cong-thong-tin/lien-ket/{link}/xoa"),
                &[],
            )
            .await;
        assert_eq!(r.status(), 403);
        let r = app
            .post(
                &c,
                page,
                &format!("/quan-tri/cong-thong-tin/lien-ket/{link}/xoa"),
                &[],
            )
            .await;
        assert_eq!(r.status(), 303);
        assert!(!app.page(&anon, "/").await.contains("baobinhduong.vn"));
        // Categories are renamed and reordered; link lists are added.
        let cat = danchu_db::portal::category_by_slug(&app.db, "quoc-phong-an-ninh")
            .await
            .unwrap()
            .unwrap();
        let r = app
            .post(
                &c,
                page,
                &format!("/quan-tri/cong-thong-tin/chuyen-muc/{}", cat.id),
                &[("name", "Quốc phòng, An ninh"), ("position", "-1")],
            )
            .await;
        assert_eq!(r.status(), 303);
        let cats = danchu_db::portal::categories(&app.db).await.unwrap();
        assert_eq!(cats[0].name, "Quốc phòng, An ninh", "first in the menu");
        assert_eq!(cats[0].slug, "quoc-phong-an-ninh", "its address stays");
        let r = app
            .post(
                &c,
                page,
                "/quan-tri/cong-thong-tin/nhom-lien-ket",
                &[
                    ("name", "Liên kết xã"),
                    ("position", "3"),
                    ("unit_id", &district),
                ],
            )
            .await;
        assert_eq!(r.status(), 303);
        assert!(app.page(&anon, "/").await.contains("<h2>Liên kết xã</h2>"));
        // A banner's link must be safe too.
        let r = app
            .post(
                &c,
                page,
                "/quan-tri/cong-thong-tin/bieu-ngu",
                &[
                    ("title", "X"),
                    ("link_url", "javascript:alert(1)"),
                    ("unit_id", &district),
                ],
            )
            .await;
        assert_eq!(r.status(), 400);
        // Banners show only within their dates.
        let r = app
            .post(
                &c,
                page,
                "/quan-tri/cong-thong-tin/bieu-ngu",
                &[
                    ("title", "Hội chợ 2020"),
                    ("link_url", "/tin-tuc"),
                    ("valid_from", "01/01/2020"),
                    ("valid_to", "31/12/2020"),
                    ("position", "1"),
                    ("unit_id", &district),
                ],
            )
            .await;
        assert_eq!(r.status(), 303);
        let r = app
            .post(
                &c,
                page,
                "/quan-tri/cong-thong-tin/bieu-ngu",
                &[
                    ("title", "Sai ngày"),
                    ("link_url", "/tin-tuc"),
                    ("valid_from", "31/12/2020"),
                    ("valid_to", "01/01/2020"),
                    ("unit_id", &district),
                ],
            )
            .await;
        assert_eq!(r.status(), 400);
        let home = app.page(&anon, "/").await;
        assert!(!home.contains("Hội chợ 2020") && home.contains("Du lịch Núi Cậu - Dầu Tiếng"));
        // Each change audited after the mark, for what it changed (a category by its slug).
        let banner = danchu_db::portal::all_banners(&app.db)
            .await
            .unwrap()
            .into_iter()
            .find(|b| b.title == "Hội chợ 2020")
            .expect("the 2020 banner stored")
            .id;
        app.assert_audited_since(
            mark,
            &[
                ("category.create", cat.slug.clone()),
                ("category.update", cat.slug.clone()),
                ("link.create", link.to_string()),
                ("link.delete", link.to_string()),
                ("banner.create", banner.to_string()),
            ],
        )
        .await;
    }
);

pub(crate) const PNG_1X1: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

async fn upload(
    app: &TestApp,
    c: &reqwest::Client,
    name: &str,
    bytes: Vec<u8>,
    unit: &str,
) -> reqwest::Response {
    let token = app.csrf(c, "/quan-tri/tep").await;
    let form = reqwest::multipart::Form::new()
        .text("unit_id", unit.to_string())
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

both!(uploads_are_checked_by_content, |app: TestApp| async move {
    use base64::Engine as _;
    let c = app.sign_in("bientap").await;
    let district = app.unit_id("721").await.to_string();
    let png = base64::engine::general_purpose::STANDARD
        .decode(PNG_1X1)
        .unwrap();
    // A PHP or HTML file named .jpg is refused, whatever its name says.
    for (name, body) in [
        ("anh.jpg", b"<?php system($_GET['c']); ?>".to_vec()),
        (
            "trang.jpg",
            b"<html><script>alert(1)</script></html>".to_vec(),
        ),
    ] {
        let r = upload(&app, &c, name, body, &district).await;
        assert_eq!(r.status(), 415, "{name}");
        assert!(r.text().await.unwrap().contains("Loại tệp không được nhận"));
    }
    // Too big: a clear error.
    let mut big = png.clone();
    big.resize(10 * 1024 * 1024 + 1024, 0);
    let r = upload(&app, &c, "lon.png", big, &district).await;
    assert_eq!(r.status(), 413);
    assert!(r.text().await.unwrap().contains("tối đa 10 MB"));
    // A normal 5 MB document goes through (over the 2 MB form limit, under the 10 MB one).
    let doc = crate::harness::pdf_with_text("Bao cao", 5 * 1024 * 1024);
    let r = upload(&app, &c, "bao-cao.pdf", doc, &district).await;
    assert_eq!(r.status(), 303, "5 MB accepted");
    // Without the CSRF token: 403.
    let form = reqwest::multipart::Form::new()
        .text("unit_id", district.clone())
        .part(
            "file",
            reqwest::multipart::Part::bytes(png.clone()).file_name("x.png"),
        );
    assert_eq!(
        c.post(app.at("/quan-tri/tep"))
            .multipart(form)
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    // A real image with a hostile name: accepted, the name neutralised, stored under ours.
    let r = upload(
        &app,
        &c,
        "../../etc/<script>passwd.png",
        png.clone(),
        &district,
    )
    .await;
    assert_eq!(r.status(), 303);
    let m = danchu_db::media::recent(&app.db, None, 1)
        .await
        .unwrap()
        .remove(0);
    assert_eq!(m.name, "scriptpasswd.png");
    assert!(danchu_core::files::valid_stored_name(&m.stored_name));
    assert_eq!((m.width, m.height), (Some(1), Some(1)));
    let anon = app.client();
    let r = anon
        .get(app.at(&format!("/tep/{}", m.stored_name)))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/png");
    assert_eq!(r.bytes().await.unwrap().to_vec(), png);
    let thumb = m.thumb_name.clone().unwrap();
    let r = anon
        .get(app.at(&format!("/tep/{thumb}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-type"], "image/jpeg");
    for bad in [
        "/tep/..%2F..%2Fetc%2Fpasswd",
        "/tep/passwd",
        "/tep/00000000000000000000000000000000.jpg",
    ] {
        assert_eq!(
            anon.get(app.at(bad)).send().await.unwrap().status(),
            404,
            "{bad}"
        );
    }
    // A PDF attached to an article is listed and downloads as an attachment.
    let pdf = crate::harness::pdf_with_text("Ke hoach 22/KH-UBND", 0);
    let r = upload(&app, &c, "Kế hoạch 22-KH-UBND.pdf", pdf, &district).await;
    assert_eq!(r.status(), 303);
    let pdf_media = danchu_db::media::recent(&app.db, None, 1)
        .await
        .unwrap()
        .remove(0);
    assert_eq!(pdf_media.name, "Kế hoạch 22-KH-UBND.pdf");
    let seed = danchu_db::portal::article_by_slug(&app.db, SEED_SLUG)
        .await
        .unwrap()
        .unwrap();
    let cat = seed.category_id.to_string();
    let id = pdf_media.id.to_string();
    let r = app
        .post(
            &c,
            &format!("/quan-tri/bai-viet/{}", seed.id),
            &format!("/quan-tri/bai-viet/{}", seed.id),
            &[
                ("title", &seed.title),
                ("category_id", &cat),
                ("unit_id", &district),
                ("body", &seed.body),
                ("author", &seed.author),
                ("status", "published"),
                ("published_at", "10/03/2023 08:00"),
                ("featured", "1"),
                ("attachment", &id),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let page = app.page(&anon, &format!("/bai-viet/{SEED_SLUG}")).await;
    assert!(
        page.contains("Tệp đính kèm")
            && page.contains(&format!("/tep/{}", pdf_media.stored_name))
            && page.contains("Kế hoạch 22-KH-UBND.pdf")
    );
    assert!(page.contains(">10/03/2023</time>"), "date unchanged");
    let r = anon
        .get(app.at(&format!("/tep/{}", pdf_media.stored_name)))
        .send()
        .await
        .unwrap();
    assert!(r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment; filename*=UTF-8''"));
    // A banner with the uploaded image.
    let r = app
        .post(
            &c,
            "/quan-tri/cong-thong-tin",
            "/quan-tri/cong-thong-tin/bieu-ngu",
            &[
                ("title", "Ảnh hồ Dầu Tiếng"),
                ("link_url", "/"),
                ("unit_id", &district),
                ("image_id", &m.id.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert!(app
        .page(&anon, "/")
        .await
        .contains(&format!("<img src=\"/tep/{thumb}\" alt=\"\">")));
});

both!(
    every_public_page_shows_live_visitor_numbers,
    |app: TestApp| async move {
        // Cached or not, no page may show the placeholders of the live numbers; each shows
        // the demo's visitor total (3.848.496 before this test's own visits).
        let c = app.client();
        for path in [
            "/".to_string(),
            "/tin-tuc".to_string(),
            format!("/bai-viet/{SEED_SLUG}"),
            "/van-ban".to_string(),
            "/van-ban/1".to_string(),
            "/tim-kiem?q=dau+tieng".to_string(),
            "/tim-kiem".to_string(),
        ] {
            let page = app.page(&c, &path).await;
            assert!(!page.contains('\u{2063}'), "{path}: placeholder left");
            assert!(page.contains("3.848."), "{path}: visitor total");
        }
    }
);

// Issue 13, item 2: whatever HTML the form sends (a browser's `<div>` per line, plain
// text from the box without JavaScript), each line stays a paragraph.
both!(
    article_body_keeps_its_lines_whatever_arrives,
    |app: TestApp| async move {
        let c = app.sign_in("bientap").await;
        let district = app.unit_id("721").await.to_string();
        let cat = danchu_db::portal::category_by_slug(&app.db, "tin-hoat-dong")
            .await
            .unwrap()
            .unwrap()
            .id
            .to_string();
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
            let r = app
                .post(
                    &c,
                    "/quan-tri/bai-viet/moi",
                    "/quan-tri/bai-viet",
                    &[
                        ("title", title.as_str()),
                        ("category_id", &cat),
                        ("unit_id", &district),
                        ("body", body),
                        ("status", "published"),
                    ],
                )
                .await;
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
