//! The portal's admin lists: categories, link groups and banners.

use crate::both;
use crate::harness::TestApp;

use super::no_active_content;

/// The portal's admin page, whose forms these tests fill.
const PAGE: &str = "/quan-tri/cong-thong-tin";

/// Submits a form of [`PAGE`] as `c` to [`PAGE`] + `action`.
async fn submit(
    app: &TestApp,
    c: &reqwest::Client,
    action: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    app.post(c, PAGE, &format!("{PAGE}{action}"), fields).await
}

both!(
    categories_links_and_banners_admin,
    crate::harness::EDITOR_AND_AN_LAP,
    |app: TestApp| async move {
        let c = app.sign_in("bientap").await;
        let district = app.unit_id("721").await.to_string();
        let mark = app.audit_mark().await;
        let r = submit(
            &app,
            &c,
            "/chuyen-muc",
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
        let action = format!("/nhom-lien-ket/{group}/lien-ket");
        for bad in [
            "javascript:alert(1)",
            "//evil.example",
            "https://x\" onmouseover=\"alert(1)",
            "",
        ] {
            let r = submit(
                &app,
                &c,
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
        let r = submit(
            &app,
            &c,
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
        let r = submit(&app, &other, &format!("/lien-ket/{link}/xoa"), &[]).await;
        assert_eq!(r.status(), 403);
        let r = submit(&app, &c, &format!("/lien-ket/{link}/xoa"), &[]).await;
        assert_eq!(r.status(), 303);
        assert!(!app.page(&anon, "/").await.contains("baobinhduong.vn"));
        // Categories are renamed and reordered; link lists are added.
        let cat = danchu_db::portal::category_by_slug(&app.db, "quoc-phong-an-ninh")
            .await
            .unwrap()
            .unwrap();
        let r = submit(
            &app,
            &c,
            &format!("/chuyen-muc/{}", cat.id),
            &[("name", "Quốc phòng, An ninh"), ("position", "-1")],
        )
        .await;
        assert_eq!(r.status(), 303);
        let cats = danchu_db::portal::categories(&app.db).await.unwrap();
        assert_eq!(cats[0].name, "Quốc phòng, An ninh", "first in the menu");
        assert_eq!(cats[0].slug, "quoc-phong-an-ninh", "its address stays");
        let r = submit(
            &app,
            &c,
            "/nhom-lien-ket",
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
        let r = submit(
            &app,
            &c,
            "/bieu-ngu",
            &[
                ("title", "X"),
                ("link_url", "javascript:alert(1)"),
                ("unit_id", &district),
            ],
        )
        .await;
        assert_eq!(r.status(), 400);
        // Banners show only within their dates.
        let r = submit(
            &app,
            &c,
            "/bieu-ngu",
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
        let r = submit(
            &app,
            &c,
            "/bieu-ngu",
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
