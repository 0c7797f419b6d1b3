//! The demo tells its story (on the full demo on purpose): the seed article of the
//! Dầu Tiếng portal exactly as published, and the home page and lists around it.

use crate::both;
use crate::harness::{assert_page, Fixture, TestApp};

use super::{views, SEED_SLUG};

both!(
    seed_article_page_is_complete,
    Fixture::demo(),
    |app: TestApp| async move {
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
        let page = app
            .get(&bot, &format!("/bai-viet/{SEED_SLUG}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains("Lượt xem: 1.415"));
        app.state.counters.flush(&app.db).await.unwrap();
        assert_eq!(views(&app, SEED_SLUG).await, 1415);
    }
);

both!(home_and_lists, Fixture::demo(), |app: TestApp| async move {
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
    assert_eq!(app.get(&c, "/tin-tuc?trang=3").await.status(), 404);
    let cat = app.page(&c, "/tin-tuc/dan-chu-o-co-so").await;
    assert!(cat.contains("<h1>Dân chủ ở cơ sở</h1>") && cat.contains(SEED_SLUG));
    assert!(
        !cat.contains("ho-dau-tieng-diem-den-du-lich-sinh-thai"),
        "only its own category"
    );
    let r = app.get(&c, "/tin-tuc/khong-co").await;
    assert_page(r, 404, "Không tìm thấy trang").await;
    let r = app.get(&c, "/bai-viet/khong-co-bai-nay").await;
    assert_eq!(r.status(), 404);
});
