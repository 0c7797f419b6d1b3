//! The demo tells its story (on the full demo on purpose): the district's register, its
//! obligations (R11 late and missing), the public pages with versions and channels (R7),
//! search without diacritics, RSS, the compliance dashboard and its XLSX, and "posted now".

use danchu_core::disclosures::Compliance;

use crate::both;
use crate::harness::{between, Fixture, TestApp};

use super::of_unit;

both!(
    r11_demo_register_obligations_public_pages_and_search,
    Fixture::demo(),
    |app: TestApp| async move {
        let long_tan = app.unit_id("25792").await;
        let thanh_tuyen = app.unit_id("25798").await;
        let an_lap = app.unit_id("25789").await;
        let district = app.unit_id("721").await;
        let units = danchu_db::disclosures::register_units(
            &app.db,
            &[district],
            Some("commune"),
            Some(2023),
        )
        .await
        .unwrap();
        assert_eq!(
            units.len(),
            12,
            "the district's communes, not its offices or ấp"
        );
        assert!(units.iter().all(|u| u.parent == "Huyện Dầu Tiếng"));
        // R11: the budget's execution is due every quarter, half-year and year.
        let ob = danchu_db::disclosures::obligations(
            &app.db,
            &units,
            2023,
            None,
            time::macros::date!(2024 - 02 - 01),
        )
        .await
        .unwrap();
        let of = |u: i64, p: &str| {
            ob.iter()
                .find(|o| o.unit_id == u && o.period == p)
                .unwrap()
                .status
        };
        assert_eq!(of(long_tan, "2023-Q2"), Compliance::Late);
        assert_eq!(of(long_tan, "2023-Q3"), Compliance::OnTime);
        assert_eq!(of(thanh_tuyen, "2023-Q3"), Compliance::Missing);
        assert_eq!(of(an_lap, "2023-H1"), Compliance::OnTime);
        // Q1 fell due before the Law took effect (01/07/2023): no obligation.
        assert!(!ob.iter().any(|o| o.period == "2023-Q1"));
        let early = danchu_db::disclosures::obligations(
            &app.db,
            &units,
            2023,
            None,
            time::macros::date!(2023 - 10 - 01),
        )
        .await
        .unwrap();
        assert!(early
            .iter()
            .any(|o| o.period == "2023-Q4" && o.status == Compliance::Upcoming));

        // Point 5: report indicators filled from the register.
        let source = |on_time| danchu_core::reporting::Source::DisclosuresPosted {
            category: Some("d11-02".into()),
            on_time,
        };
        let count = |on_time| {
            let s = source(on_time);
            let db = app.db.clone();
            async move {
                danchu_db::reporting::source_value(&db, &s, long_tan, "2023-06-15", "2023-12-14")
                    .await
                    .unwrap()
            }
        };
        assert_eq!(count(false).await, 3, "Q2, H1 and Q3 posted in the range");
        assert_eq!(count(true).await, 2, "Q2 was late");

        // The public register, without an account.
        let c = app.client();
        let page = app.page(&c, "/cong-khai").await;
        assert!(page.contains("Công khai tình hình thực hiện dự toán ngân sách"));
        let page = app.page(&c, &format!("/cong-khai?don_vi={an_lap}")).await;
        assert!(page.contains("Mức thu phí, lệ phí do Xã An Lập trực tiếp thu năm 2023"));
        assert!(
            !page.contains("quý II/2023 — Xã Long Tân"),
            "filtered by unit"
        );
        // The corrected fee schedule: both versions, the change, the channels, R7 met.
        let fees = of_unit(&app, an_lap, "2026-01-01", 50)
            .await
            .into_iter()
            .find(|d| d.title.starts_with("Mức thu phí"))
            .unwrap();
        assert_eq!(fees.version, 2);
        let html = app.page(&c, &format!("/cong-khai/{}", fees.id)).await;
        for s in [
            "Phiên bản 2",
            "Phiên bản 1",
            "Bổ sung mức thu từ trang thứ ba",
            "từ trang thứ ba: 1.000 đồng/trang",
            "Phát trên hệ thống truyền thanh",
            "10/08/2023",
            "Đã phát trên hệ thống truyền thanh ít nhất 3 ngày liên tục.",
            "Thông qua Trưởng thôn, Tổ trưởng tổ dân phố",
        ] {
            assert!(html.contains(s), "detail shows {s}");
        }
        // Search finds it without diacritics.
        let found = app.page(&c, "/tim-kiem?q=muc+thu+phi+le+phi+an+lap").await;
        assert!(
            found.contains(&format!("/cong-khai/{}", fees.id)),
            "found by search"
        );
        let found = app
            .page(&c, "/tim-kiem?q=du+toan+ngan+sach&loai=cong-khai")
            .await;
        // The results list only (the sidebar's banner links to an article).
        let results = between(&found, "<ol class=\"results\"", "</ol>");
        assert!(results.contains("href=\"/cong-khai/"), "disclosures found");
        assert!(
            !results.contains("href=\"/bai-viet/") && !results.contains("href=\"/van-ban/"),
            "only disclosures: {results}"
        );
        let articles = app
            .page(&c, "/tim-kiem?q=du+toan+ngan+sach&loai=bai-viet")
            .await;
        assert!(
            between(&articles, "<ol class=\"results\"", "</ol>").contains("href=\"/bai-viet/"),
            "an article matches the words too"
        );
        // RSS per unit.
        let rss = app
            .get(&c, &format!("/cong-khai/rss.xml?don_vi={an_lap}"))
            .await;
        assert_eq!(rss.status(), 200);
        let xml = rss.text().await.unwrap();
        roxmltree::Document::parse(&xml).expect("well-formed RSS");
        assert!(xml.contains(&format!("/cong-khai/{}", fees.id)));
        assert_eq!(app.get(&c, "/cong-khai/999999").await.status(), 404);

        // The district's compliance dashboard and its XLSX.
        let huyen = app.sign_in("quantri.huyen").await;
        let dash = app
            .page(&huyen, "/quan-tri/cong-khai/tuan-thu?nam=2023")
            .await;
        assert!(dash.contains("<svg"));
        // In the list of unmet obligations ("Chưa công khai" is also a column header and a
        // bar of the chart).
        assert!(
            dash.contains("<li><strong>Chưa công khai</strong>: Xã Thanh Tuyền — "),
            "Thanh Tuyền's missing disclosure listed"
        );
        // R7: the town's fee schedule was broadcast two days only.
        assert!(dash.contains(
            "— Thị trấn Dầu Tiếng: Chưa đủ hình thức bắt buộc: Phát trên hệ thống truyền thanh"
        ));
        assert_eq!(
            dash.matches("Chưa đủ hình thức bắt buộc:").count(),
            1,
            "only that one"
        );
        let r = app
            .get(&huyen, "/quan-tri/cong-khai/tuan-thu.xlsx?nam=2023")
            .await;
        assert_eq!(r.status(), 200);
        let book = crate::harness::OfficeFile::open(&r.bytes().await.unwrap());
        assert_eq!(
            book.sheet_names(),
            ["Theo đơn vị", "Nghĩa vụ 2023", "Thiếu hình thức"]
        );
        let unmet = book.sheet(3);
        assert_eq!(unmet["A2"], "Thị trấn Dầu Tiếng");
        assert!(unmet["C2"].contains("Phát trên hệ thống truyền thanh"));
        let sheet = book.sheet(1);
        assert_eq!(sheet["A1"], "Đơn vị");
        let row = (2..20)
            .find(|r| sheet.get(&format!("A{r}")).map(String::as_str) == Some("Xã Long Tân"))
            .expect("Long Tân row");
        assert_eq!(sheet[&format!("B{row}")], "Huyện Dầu Tiếng");
        assert_eq!(sheet[&format!("E{row}")], "1", "one late");

        // Only what is posted now: a disclosure taken down is listed without the filter and
        // not with it.
        let gone = danchu_db::disclosures::list(
            &app.db,
            &danchu_db::disclosures::Filter {
                unit_id: Some(an_lap),
                public_only: true,
                ..Default::default()
            },
            time::macros::date!(2100 - 01 - 01),
            1,
            0,
        )
        .await
        .unwrap()
        .remove(0);
        danchu_db::disclosures::take_down(
            &app.db,
            &danchu_db::audit::Actor("quantri.anlap".into()),
            gone.id,
            "Hết hiệu lực",
            danchu_db::today_vn_date(),
        )
        .await
        .unwrap();
        let link = format!("<a href=\"/cong-khai/{}\">", gone.id);
        let list = |q: &'static str| {
            let c = c.clone();
            let app = &app;
            async move {
                let page = app
                    .page(&c, &format!("/cong-khai?don_vi={an_lap}{q}"))
                    .await;
                between(&page, "<ul class=\"plain rows\">", "</ul>").to_string()
            }
        };
        let every = list("").await;
        assert!(every.contains(&link), "listed without the filter");
        assert!(every.contains("Đã gỡ ngày"));
        let current = list("&dang_niem_yet=1").await;
        assert!(!current.contains(&link), "taken down: not posted now");
        assert!(
            current.contains("<a href=\"/cong-khai/") && !current.contains("Đã gỡ ngày"),
            "the others still are"
        );
    }
);
