//! R6, R10: the system admin edits the disclosure categories (minimum days, channels).

use crate::both;
use crate::harness::{Fixture, TestApp};

use super::{find, post_item, public_page, today_shown};

both!(
    r6_r10_a_system_admin_edits_the_categories,
    Fixture::demo(),
    |app: TestApp| async move {
        let cats = danchu_db::disclosures::categories(&app.db).await.unwrap();
        let (id, c) = cats.iter().find(|c| c.1.code == "d11-04").unwrap().clone();
        let page = "/quan-tri/cong-khai/danh-muc";
        let action = format!("{page}/{id}");
        let admin = app.sign_in("admin").await;
        let html = app.page(&admin, page).await;
        assert!(html.contains(&c.name) && html.contains("chưa được đối chiếu"));
        let r = app
            .post(
                &admin,
                page,
                &action,
                &[
                    ("name", &c.name),
                    ("min_days", "ba mươi"),
                    ("broadcast_days", "0"),
                    ("post_within_days", "5"),
                ],
            )
            .await;
        assert_eq!(r.status(), 400);
        let r = app
            .post(
                &admin,
                page,
                &action,
                &[
                    ("name", &c.name),
                    ("min_days", "45"),
                    ("broadcast_days", "3"),
                    ("post_within_days", "5"),
                    ("valid_from", "01/07/2023"),
                    ("channel", "notice_board"),
                    ("channel", "portal"),
                    ("channel", "broadcast"),
                    ("every", "year"),
                ],
            )
            .await;
        assert_eq!(r.status(), 303);
        let after = danchu_db::disclosures::category(&mut app.db.clone(), id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((after.min_days, after.broadcast_days), (45, 3));
        assert_eq!(after.every, vec![danchu_core::disclosures::Every::Year]);
        assert_eq!(after.valid_from, "2023-07-01");
        // The countdown of the demo's procedures list now counts 45 days.
        let d = danchu_db::disclosures::list(
            &app.db,
            &danchu_db::disclosures::Filter {
                category_id: Some(id),
                ..Default::default()
            },
            time::macros::date!(2026 - 01 - 01),
            1,
            0,
        )
        .await
        .unwrap()
        .remove(0);
        let html = public_page(&app, d.id).await;
        assert!(
            html.contains("Đang niêm yết (đã đủ 45 ngày)"),
            "posted long ago"
        );
        // One posted today counts down the new minimum.
        let official = app.sign_in("quantri.anlap").await;
        let today = danchu_db::today_vn();
        let an_lap = app.unit_id("25789").await.to_string();
        let title = "Thủ tục hành chính cấp xã (danh mục mới)";
        let (category, shown) = (id.to_string(), today_shown());
        let typed = [&an_lap, &category, title, "<p>Danh mục thủ tục</p>"];
        let more = [("period", &today[..4]), ("portal_from", &shown)];
        let r = post_item(&app, &official, typed, &more).await;
        assert_eq!(r.status(), 303, "{:?}", r.text().await);
        let posted = find(
            &app,
            app.unit_id("25789").await,
            "Thủ tục hành chính cấp xã (danh mục mới)",
        )
        .await;
        let html = public_page(&app, posted.id).await;
        assert!(
            html.contains("Đang niêm yết — còn 45 ngày mới đủ thời hạn 45 ngày"),
            "the countdown of the new minimum"
        );
        // Only a system administrator edits them.
        let huyen = app.sign_in("quantri.huyen").await;
        assert_eq!(app.get(&huyen, page).await.status(), 403);
        let r = app
            .post(&huyen, "/quan-tri/mat-khau", &action, &[("min_days", "1")])
            .await;
        assert_eq!(r.status(), 403);
    }
);
