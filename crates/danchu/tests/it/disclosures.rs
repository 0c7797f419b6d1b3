//! The public disclosure register over both databases and real HTTP (issue 7): the demo
//! register and its obligations (R11 late/missing), the public pages with versions,
//! channels and the countdown (R10), the broadcast minimum (R7), search without
//! diacritics, RSS, the compliance dashboard and its XLSX; an official posting with a
//! photo as evidence, unit scoping, hostile input, corrections, early take-down (R10).

use base64::Engine;
use danchu_core::disclosures::Compliance;

use crate::both;
use crate::harness::{between, TestApp};

both!(
    r11_demo_register_obligations_public_pages_and_search,
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
        let ob = danchu_db::disclosures::obligations(&app.db, &units, 2023, None, "2024-02-01")
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
        let early = danchu_db::disclosures::obligations(&app.db, &units, 2023, None, "2023-10-01")
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
        let fees = danchu_db::disclosures::list(
            &app.db,
            &danchu_db::disclosures::Filter {
                unit_id: Some(an_lap),
                ..Default::default()
            },
            "2026-01-01",
            50,
            0,
        )
        .await
        .unwrap()
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
        let rss = c
            .get(app.at(&format!("/cong-khai/rss.xml?don_vi={an_lap}")))
            .send()
            .await
            .unwrap();
        assert_eq!(rss.status(), 200);
        let xml = rss.text().await.unwrap();
        roxmltree::Document::parse(&xml).expect("well-formed RSS");
        assert!(xml.contains(&format!("/cong-khai/{}", fees.id)));
        assert_eq!(
            c.get(app.at("/cong-khai/999999"))
                .send()
                .await
                .unwrap()
                .status(),
            404
        );

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
        let r = huyen
            .get(app.at("/quan-tri/cong-khai/tuan-thu.xlsx?nam=2023"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let book = crate::reporting::OfficeFile::open(&r.bytes().await.unwrap());
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
            "2100-01-01",
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
            &danchu_db::today_vn(),
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

/// Posts a multipart form with the CSRF token in the URL (as the page does).
async fn multipart(
    app: &TestApp,
    c: &reqwest::Client,
    page: &str,
    action: &str,
    fields: &[(&str, &str)],
    files: Vec<(&str, &str, Vec<u8>)>,
) -> reqwest::Response {
    let token = app.csrf(c, page).await;
    let mut f = reqwest::multipart::Form::new();
    for (k, v) in fields {
        f = f.text(k.to_string(), v.to_string());
    }
    for (field, name, bytes) in files {
        f = f.part(
            field.to_string(),
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
        );
    }
    c.post(app.at(&format!("{action}?_csrf={token}")))
        .multipart(f)
        .send()
        .await
        .unwrap()
}

both!(
    r10_an_official_posts_with_evidence_corrects_and_takes_down,
    |app: TestApp| async move {
        let an_lap = app.unit_id("25789").await.to_string();
        let long_hoa = app.unit_id("25780").await.to_string();
        let cats = danchu_db::disclosures::categories(&app.db).await.unwrap();
        let item = |n: i64| {
            cats.iter()
                .find(|c| c.1.scope == "commune" && c.1.item == n)
                .unwrap()
                .0
                .to_string()
        };
        let official = app.sign_in("quantri.anlap").await;
        let mark = app.audit_mark().await;
        let new = "/quan-tri/cong-khai/moi";
        let pdf = crate::harness::pdf_with_text("Du toan ngan sach xa An Lap 2024", 0);
        // Errors per field, typed text kept; hostile input neutralised.
        let r = multipart(
            &app,
            &official,
            new,
            new,
            &[
                ("unit_id", &an_lap),
                ("category_id", &item(2)),
                ("period", ""),
                ("title", ""),
                ("body", "<p>Dự toán</p><script>alert(1)</script>"),
                ("documents", "99/KH-XYZ"),
            ],
            vec![],
        )
        .await;
        assert_eq!(r.status(), 400);
        let html = r.text().await.unwrap();
        for s in [
            "Hãy nhập tiêu đề nội dung công khai.",
            "hãy chọn kỳ",
            "Không có văn bản số 99/KH-XYZ",
        ] {
            assert!(html.contains(s), "form shows {s}");
        }
        assert!(
            html.contains("&#60;script&#62;alert(1)&#60;/script&#62;"),
            "typed kept, escaped"
        );
        // Another commune's disclosure cannot be posted.
        let r = multipart(
            &app,
            &official,
            new,
            new,
            &[
                ("unit_id", &long_hoa),
                ("category_id", &item(4)),
                ("title", "x"),
                ("body", "y"),
            ],
            vec![],
        )
        .await;
        assert_eq!(r.status(), 403);
        // Posted: the content as a PDF, on the portal today, linked to 22/KH-UBND.
        let today = danchu_core::text::format_date(
            danchu_core::text::parse_date(&danchu_db::today_vn()).unwrap(),
        );
        let r = multipart(
            &app,
            &official,
            new,
            new,
            &[
                ("unit_id", &an_lap),
                ("category_id", &item(4)),
                (
                    "title",
                    "<b>Thủ tục hành chính</b> cấp xã năm 2024 ' OR 1=1 --",
                ),
                (
                    "body",
                    "<p onclick=\"x()\">Danh mục thủ tục</p><script>alert(1)</script>",
                ),
                ("documents", "22/kh-ubnd"),
                ("portal_from", &today),
                ("board_from", &today),
                ("board_evidence", "Bảng tin trụ sở"),
            ],
            vec![("file", "../../etc/thu-tuc.pdf", pdf)],
        )
        .await;
        assert_eq!(r.status(), 303, "{:?}", r.text().await);
        let d = danchu_db::disclosures::list(
            &app.db,
            &danchu_db::disclosures::Filter::default(),
            "2100-01-01",
            1,
            0,
        )
        .await
        .unwrap()
        .remove(0);
        assert!(d.public && d.title.contains("Thủ tục hành chính"));
        let v = danchu_db::disclosures::versions(&app.db, d.id)
            .await
            .unwrap();
        assert!(
            !v[0].body.contains("<script") && !v[0].body.contains("onclick"),
            "sanitised"
        );
        let files = danchu_db::disclosures::files(&app.db, d.id).await.unwrap();
        assert!(
            !files[0].name.contains('/'),
            "file name neutralised: {}",
            files[0].name
        );
        assert_eq!(
            danchu_db::disclosures::documents(&app.db, d.id)
                .await
                .unwrap()[0]
                .number,
            "22/KH-UBND"
        );
        // Evidence: a photo of the notice board, and a broadcast too short for R7? (item 4
        // does not need one; recorded anyway).
        let admin_page = format!("/quan-tri/cong-khai/{}", d.id);
        let png = base64::engine::general_purpose::STANDARD
            .decode(crate::portal::PNG_1X1)
            .unwrap();
        let r = multipart(
            &app,
            &official,
            &admin_page,
            &format!("{admin_page}/hinh-thuc"),
            &[
                ("channel", "notice_board"),
                ("starts_on", &today),
                ("ends_on", ""),
                ("evidence", "Ảnh bảng tin"),
            ],
            vec![("evidence_file", "anh-bang-tin.png", png)],
        )
        .await;
        assert_eq!(r.status(), 303);
        let channels = danchu_db::disclosures::channels(&app.db, d.id)
            .await
            .unwrap();
        assert!(channels
            .iter()
            .any(|c| c.files.len() == 1 && c.evidence == "Ảnh bảng tin"));
        let r = multipart(
            &app,
            &official,
            &admin_page,
            &format!("{admin_page}/hinh-thuc"),
            &[("channel", "broadcast"), ("starts_on", "31/02/2024")],
            vec![],
        )
        .await;
        assert_eq!(r.status(), 400, "a wrong date is refused");
        // The public page: the countdown of R10 and the evidence photo.
        let public = app
            .page(&app.client(), &format!("/cong-khai/{}", d.id))
            .await;
        assert!(
            public.contains("còn 30 ngày mới đủ thời hạn 30 ngày"),
            "countdown"
        );
        assert!(public.contains("anh-bang-tin.png"));
        assert!(!public.contains("<script>alert") && !public.contains("<b>Thủ tục"));
        // A correction is a new version; a correction needs a note.
        let r = app
            .post(
                &official,
                &admin_page,
                &format!("{admin_page}/dinh-chinh"),
                &[
                    ("title", &d.title),
                    ("body", "<p>Danh mục mới</p>"),
                    ("note", ""),
                ],
            )
            .await;
        assert_eq!(r.status(), 400);
        let r = app
            .post(
                &official,
                &admin_page,
                &format!("{admin_page}/dinh-chinh"),
                &[
                    ("title", &d.title),
                    ("body", "<p>Danh mục mới</p>"),
                    ("note", "Thêm thủ tục chứng thực"),
                ],
            )
            .await;
        assert_eq!(r.status(), 303);
        assert_eq!(
            danchu_db::disclosures::versions(&app.db, d.id)
                .await
                .unwrap()
                .len(),
            2
        );
        // R10: an editor may not take it down before 30 days; the unit admin must say why.
        let editor = app.sign_in("bientap").await;
        let r = app
            .post(
                &editor,
                "/quan-tri/mat-khau",
                &format!("{admin_page}/go"),
                &[("reason", "x")],
            )
            .await;
        assert_eq!(r.status(), 403);
        // The refusal is R10's: the same editor takes down one of An Lập's posted more
        // than 30 days ago.
        let old = danchu_db::disclosures::list(
            &app.db,
            &danchu_db::disclosures::Filter {
                unit_id: Some(an_lap.parse().unwrap()),
                current: true,
                ..Default::default()
            },
            &danchu_db::today_vn(),
            100,
            0,
        )
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.id != d.id)
        .expect("an older disclosure of An Lập still posted");
        let posted = old.posted_on.unwrap();
        let now = danchu_core::text::parse_date(&danchu_db::today_vn()).unwrap();
        assert!((now - posted).whole_days() > 30, "posted on {posted}");
        assert!(
            !danchu_db::disclosures::would_be_early(&app.db, &old, &danchu_db::today_vn())
                .await
                .unwrap(),
            "its minimum has run"
        );
        let old_page = format!("/quan-tri/cong-khai/{}", old.id);
        let r = app
            .post(
                &editor,
                "/quan-tri/mat-khau",
                &format!("{old_page}/go"),
                &[("reason", "")],
            )
            .await;
        assert_eq!(
            r.status(),
            303,
            "an editor takes down what has run its time"
        );
        assert!(danchu_db::disclosures::get(&mut app.db.clone(), old.id)
            .await
            .unwrap()
            .unwrap()
            .taken_down_on
            .is_some());
        let r = app
            .post(
                &official,
                &admin_page,
                &format!("{admin_page}/go"),
                &[("reason", "")],
            )
            .await;
        assert_eq!(r.status(), 400);
        assert!(r.text().await.unwrap().contains("gỡ sớm cần ghi rõ lý do"));
        let r = app
            .post(
                &official,
                &admin_page,
                &format!("{admin_page}/go"),
                &[("reason", "Đăng nhầm năm")],
            )
            .await;
        assert_eq!(r.status(), 303);
        let after = danchu_db::disclosures::get(&mut app.db.clone(), d.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(after.takedown_reason, "Đăng nhầm năm");
        let public = app
            .page(&app.client(), &format!("/cong-khai/{}", d.id))
            .await;
        assert!(public.contains("Đã gỡ ngày") && public.contains("Đăng nhầm năm"));
        // Everything audited; the chain verifies.
        let id = d.id.to_string();
        app.assert_audited_since(
            mark,
            &[
                ("disclosure.create", id.clone()),
                ("disclosure.channel", id.clone()),
                ("disclosure.correct", id.clone()),
                ("disclosure.take_down_early", id),
            ],
        )
        .await;
    }
);

both!(
    r6_r10_a_system_admin_edits_the_categories,
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
            "2026-01-01",
            1,
            0,
        )
        .await
        .unwrap()
        .remove(0);
        let html = app
            .page(&app.client(), &format!("/cong-khai/{}", d.id))
            .await;
        assert!(
            html.contains("Đang niêm yết (đã đủ 45 ngày)"),
            "posted long ago"
        );
        // One posted today counts down the new minimum.
        let official = app.sign_in("quantri.anlap").await;
        let today = danchu_db::today_vn();
        let new = "/quan-tri/cong-khai/moi";
        let r = multipart(
            &app,
            &official,
            new,
            new,
            &[
                ("unit_id", &app.unit_id("25789").await.to_string()),
                ("category_id", &id.to_string()),
                ("period", &today[..4]),
                ("title", "Thủ tục hành chính cấp xã (danh mục mới)"),
                ("body", "<p>Danh mục thủ tục</p>"),
                (
                    "portal_from",
                    &danchu_core::text::format_date(danchu_core::text::parse_date(&today).unwrap()),
                ),
            ],
            vec![],
        )
        .await;
        assert_eq!(r.status(), 303, "{:?}", r.text().await);
        let posted = find(
            &app,
            app.unit_id("25789").await,
            "Thủ tục hành chính cấp xã (danh mục mới)",
        )
        .await;
        let html = app
            .page(&app.client(), &format!("/cong-khai/{}", posted.id))
            .await;
        assert!(
            html.contains("Đang niêm yết — còn 45 ngày mới đủ thời hạn 45 ngày"),
            "the countdown of the new minimum"
        );
        // Only a system administrator edits them.
        let huyen = app.sign_in("quantri.huyen").await;
        assert_eq!(huyen.get(app.at(page)).send().await.unwrap().status(), 403);
        let r = app
            .post(&huyen, "/quan-tri/mat-khau", &action, &[("min_days", "1")])
            .await;
        assert_eq!(r.status(), 403);
    }
);

/// The first disclosure of a unit whose title starts with `prefix`.
async fn find(app: &TestApp, unit: i64, prefix: &str) -> danchu_db::disclosures::Disclosure {
    danchu_db::disclosures::list(
        &app.db,
        &danchu_db::disclosures::Filter {
            unit_id: Some(unit),
            ..Default::default()
        },
        "2100-01-01",
        100,
        0,
    )
    .await
    .unwrap()
    .into_iter()
    .find(|d| d.title.starts_with(prefix))
    .unwrap_or_else(|| panic!("no disclosure “{prefix}”"))
}

both!(
    r8_heads_of_thon_notified_and_how_households_were_told,
    |app: TestApp| async move {
        let an_lap = app.unit_id("25789").await;
        let long_hoa = app.unit_id("25780").await;
        // The demo: Long Hòa's complaint results went through every ấp's head (R8), An
        // Lập's fee schedule missed Ấp Đồng Sến.
        let complaints = find(&app, long_hoa, "Kết quả giải quyết khiếu nại").await;
        let public = app
            .page(&app.client(), &format!("/cong-khai/{}", complaints.id))
            .await;
        for s in [
            "Ấp Long Thọ (Ngô Thị Mai)",
            "Tin nhắn đến người đại diện hộ gia đình",
            "Hội nghị cộng đồng dân cư",
            "03/10/2023",
        ] {
            assert!(public.contains(s), "public page shows {s}");
        }
        let official = app.sign_in("quantri.anlap").await;
        let mark = app.audit_mark().await;
        let fees = find(&app, an_lap, "Mức thu phí").await;
        let page = format!("/quan-tri/cong-khai/{}", fees.id);
        let html = app.page(&official, &page).await;
        assert!(
            html.contains("Chưa có ghi nhận thông báo:</strong> Ấp Đồng Sến"),
            "R8: the ấp not reached is named"
        );
        // The channel form offers one row per ấp of the commune.
        for h in [
            "Ấp Bến Tranh",
            "Ấp Cần Giăng",
            "Ấp Đồng Sến",
            "Ấp Hòa Cường",
        ] {
            assert!(html.contains(&format!("name=\"head_hamlet\" value=\"{h}\"")));
        }
        let action = format!("{page}/hinh-thuc");
        // Through the heads without saying which: refused, with the reason.
        let r = multipart(
            &app,
            &official,
            &page,
            &action,
            &[("channel", "community_heads"), ("starts_on", "20/08/2023")],
            vec![],
        )
        .await;
        assert_eq!(r.status(), 400);
        assert!(r
            .text()
            .await
            .unwrap()
            .contains("cách thông báo đến hộ gia đình (R8)"));
        // A wrong date names its row; a told-before-received date too.
        let rows = |on: &str, told: &str| {
            vec![
                ("channel", "community_heads".to_string()),
                ("starts_on", "20/08/2023".to_string()),
                ("head_hamlet", "Ấp Bến Tranh".to_string()),
                ("head_name", "".to_string()),
                ("head_on", "".to_string()),
                ("head_method", "sms".to_string()),
                ("head_told", "".to_string()),
                ("head_hamlet", "Ấp Đồng Sến".to_string()),
                ("head_name", "Phan Văn Lực".to_string()),
                ("head_on", on.to_string()),
                ("head_method", "social_network".to_string()),
                ("head_told", told.to_string()),
            ]
        };
        for (on, told, why) in [
            (
                "31/02/2023",
                "",
                "Ấp Đồng Sến: ngày Trưởng thôn nhận không hợp lệ",
            ),
            (
                "20/08/2023",
                "19/08/2023",
                "Ấp Đồng Sến: ngày thông báo đến hộ không hợp lệ",
            ),
        ] {
            let f = rows(on, told);
            let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let r = multipart(&app, &official, &page, &action, &f, vec![]).await;
            assert_eq!(r.status(), 400);
            let html = r.text().await.unwrap();
            assert!(html.contains(why), "{why}");
            // What was typed comes back with the reason, the thôn named as on the form.
            assert!(
                html.contains("value=\"Phan Văn Lực\"")
                    && html.contains(&format!("value=\"{on}\""))
            );
        }
        // A row with a name but no way of telling the households: refused, named.
        let r = multipart(
            &app,
            &official,
            &page,
            &action,
            &[
                ("channel", "community_heads"),
                ("starts_on", "20/08/2023"),
                ("head_hamlet", ""),
                ("head_name", "Lý Văn Tư"),
                ("head_on", "20/08/2023"),
                ("head_method", ""),
                ("head_told", ""),
            ],
            vec![],
        )
        .await;
        assert_eq!(r.status(), 400);
        assert!(r
            .text()
            .await
            .unwrap()
            .contains("Dòng 1: hãy chọn cách thông báo đến hộ gia đình (R8)."));
        let before = danchu_db::disclosures::channels(&app.db, fees.id)
            .await
            .unwrap()
            .len();
        let f = rows("20/08/2023", "21/08/2023");
        let mut f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        f.extend([
            ("head_hamlet", "<script>alert(1)</script>"),
            ("head_name", "' OR 1=1 --"),
            ("head_on", "20/08/2023"),
            ("head_method", "sms"),
            ("head_told", ""),
        ]);
        let r = multipart(&app, &official, &page, &action, &f, vec![]).await;
        assert_eq!(r.status(), 303);
        let channels = danchu_db::disclosures::channels(&app.db, fees.id)
            .await
            .unwrap();
        assert_eq!(channels.len(), before + 1);
        let last = channels
            .iter()
            .rfind(|c| danchu_core::text::iso_date(c.starts_on) == "2023-08-20")
            .unwrap();
        assert_eq!(last.notices.len(), 2, "the blank row is left out");
        assert_eq!(last.notices[0].hamlet, "Ấp Đồng Sến");
        assert_eq!(last.notices[0].notified_on, "2023-08-20");
        assert_eq!(last.notices[0].told_on, "2023-08-21");
        assert_eq!(
            last.notices[0].method,
            danchu_core::disclosures::HouseholdMethod::SocialNetwork
        );
        assert_eq!(last.notices[1].head_name, "' OR 1=1 --", "kept as text");
        let public = app
            .page(&app.client(), &format!("/cong-khai/{}", fees.id))
            .await;
        assert!(public.contains("Ấp Đồng Sến (Phan Văn Lực)"));
        assert!(!public.contains("<script>alert(1)"), "escaped");
        app.assert_audited_since(mark, &[("disclosure.channel", fees.id.to_string())])
            .await;
    }
);

both!(
    r46_agencies_keep_their_own_register_and_dashboard,
    |app: TestApp| async move {
        let cats = danchu_db::disclosures::categories(&app.db).await.unwrap();
        let code = |c: &str| cats.iter().find(|x| x.1.code == c).unwrap().0.to_string();
        let nv = app.unit_id("721-NV").await.to_string();
        let an_lap = app.unit_id("25789").await.to_string();
        let new = "/quan-tri/cong-khai/moi";
        let noivu = app.sign_in("noivu").await;
        let form = app.page(&noivu, new).await;
        assert!(form.contains("Cơ quan, đơn vị (Luật Phòng, chống tham nhũng 2018)"));
        // An agency under the commune list, a commune under the agency list: refused.
        let r = multipart(
            &app,
            &noivu,
            new,
            new,
            &[
                ("unit_id", &nv),
                ("category_id", &code("d11-04")),
                ("title", "Thủ tục"),
                ("body", "Nội dung"),
            ],
            vec![],
        )
        .await;
        assert_eq!(r.status(), 400);
        assert!(r
            .text()
            .await
            .unwrap()
            .contains("Danh mục này dành cho cấp xã"));
        let anlap = app.sign_in("quantri.anlap").await;
        let r = multipart(
            &app,
            &anlap,
            new,
            new,
            &[
                ("unit_id", &an_lap),
                ("category_id", &code("pctn-04")),
                ("title", "Tuyển dụng"),
                ("body", "Nội dung"),
            ],
            vec![],
        )
        .await;
        assert_eq!(r.status(), 400);
        assert!(r.text().await.unwrap().contains("dành cho cơ quan, đơn vị"));
        // Phòng Nội vụ posts its recruitment results and announces them at its meeting.
        let r = multipart(
            &app,
            &noivu,
            new,
            new,
            &[
                ("unit_id", &nv),
                ("category_id", &code("pctn-04")),
                ("title", "Kết quả tuyển dụng công chức cấp xã năm 2024"),
                ("body", "<p>Danh sách trúng tuyển</p>"),
                ("portal_from", "02/01/2024"),
            ],
            vec![],
        )
        .await;
        assert_eq!(r.status(), 303);
        let d = find(&app, app.unit_id("721-NV").await, "Kết quả tuyển dụng").await;
        let page = format!("/quan-tri/cong-khai/{}", d.id);
        let html = app.page(&noivu, &page).await;
        assert!(
            html.contains("Tổ chức họp báo") && !html.contains("Phát trên hệ thống truyền thanh")
        );
        assert!(!html.contains("head_hamlet"), "no thôn rows for an agency");
        let r = multipart(
            &app,
            &noivu,
            &page,
            &format!("{page}/hinh-thuc"),
            &[("channel", "broadcast"), ("starts_on", "02/01/2024")],
            vec![],
        )
        .await;
        assert_eq!(r.status(), 400, "a commune's form is not an agency's");
        let r = multipart(
            &app,
            &noivu,
            &page,
            &format!("{page}/hinh-thuc"),
            &[("channel", "meeting"), ("starts_on", "03/01/2024")],
            vec![],
        )
        .await;
        assert_eq!(r.status(), 303);
        assert!(app
            .page(&app.client(), &format!("/cong-khai/{}", d.id))
            .await
            .contains("Công bố tại cuộc họp của cơ quan, đơn vị"));
        // PCTN Đ11 k2: a meeting alone is not enough; mass media is, and counts as posted.
        let r = multipart(
            &app,
            &noivu,
            new,
            new,
            &[
                ("unit_id", &nv),
                ("category_id", &code("pctn-07")),
                ("title", "Kết luận thanh tra công vụ năm 2024"),
                ("body", "<p>Kết luận</p>"),
            ],
            vec![],
        )
        .await;
        assert_eq!(r.status(), 303);
        let d2 = find(&app, app.unit_id("721-NV").await, "Kết luận thanh tra").await;
        let page2 = format!("/quan-tri/cong-khai/{}", d2.id);
        for (channel, day) in [("meeting", "05/01/2024"), ("mass_media", "06/01/2024")] {
            let r = multipart(
                &app,
                &noivu,
                &page2,
                &format!("{page2}/hinh-thuc"),
                &[("channel", channel), ("starts_on", day)],
                vec![],
            )
            .await;
            assert_eq!(r.status(), 303);
            let html = app.page(&noivu, &page2).await;
            let posted = danchu_db::disclosures::get(&mut app.db.clone(), d2.id)
                .await
                .unwrap()
                .unwrap()
                .posted_on
                .map(danchu_core::text::iso_date)
                .unwrap_or_default();
            if channel == "meeting" {
                assert!(html.contains("cần ít nhất một trong"), "a meeting alone");
                assert_eq!(posted, "");
            } else {
                assert!(!html.contains("Chưa đủ hình thức bắt buộc"));
                assert_eq!(posted, "2024-01-06", "mass media counts as posted");
            }
        }
        // Taken down: the agency's posting form (mass media) ends that day too.
        let r = app
            .post(
                &noivu,
                &page2,
                &format!("{page2}/go"),
                &[("reason", "Đăng nhầm")],
            )
            .await;
        assert_eq!(r.status(), 303);
        let forms = danchu_db::disclosures::channels(&app.db, d2.id)
            .await
            .unwrap();
        let ended = |code: &str| {
            forms
                .iter()
                .find(|c| c.channel.code() == code)
                .map(|c| c.ends_on.is_some())
        };
        assert_eq!(ended("mass_media"), Some(true));

        // The agencies' dashboard: Phòng Tài chính - Kế hoạch missed the first half-year.
        let tckh = app.unit_id("721-TCKH").await;
        let district = app.unit_id("721").await;
        let agencies = danchu_db::disclosures::register_units(
            &app.db,
            &[district],
            Some("agency"),
            Some(2023),
        )
        .await
        .unwrap();
        assert_eq!(agencies.len(), 7, "six offices and the culture centre");
        let ob = danchu_db::disclosures::obligations(&app.db, &agencies, 2023, None, "2024-02-01")
            .await
            .unwrap();
        let of = |p: &str| {
            ob.iter()
                .find(|o| o.unit_id == tckh && o.period == p)
                .unwrap()
                .status
        };
        assert_eq!(of("2023-Q3"), Compliance::OnTime);
        assert_eq!(of("2023-H1"), Compliance::Missing);
        assert!(
            ob.iter().all(|o| o.category.contains("tài sản công")),
            "agency items only"
        );
        let huyen = app.sign_in("quantri.huyen").await;
        let dash = app
            .page(&huyen, "/quan-tri/cong-khai/tuan-thu?nam=2023&loai=co-quan")
            .await;
        assert!(dash.contains("Phòng Tài chính - Kế hoạch") && !dash.contains("Xã Thanh Tuyền"));
        assert!(
            dash.contains("loai=co-quan\" download"),
            "the XLSX keeps the filter"
        );

        // A province's dashboard groups communes by district, with subtotals.
        danchu_db::units::import(
            &app.db,
            &danchu_db::audit::Actor("test".into()),
            vec![
                danchu_db::units::ImportRow {
                    code: "718".into(),
                    name: "Huyện Bàu Bàng".into(),
                    kind: danchu_core::units::UnitKind::District,
                    parent_code: Some("74".into()),
                    location: "test".into(),
                },
                danchu_db::units::ImportRow {
                    code: "25800".into(),
                    name: "Xã Lai Uyên".into(),
                    kind: danchu_core::units::UnitKind::Commune,
                    parent_code: Some("718".into()),
                    location: "test".into(),
                },
            ],
            |_, _| {},
        )
        .await
        .unwrap();
        let admin = app.sign_in("admin").await;
        let dash = app
            .page(&admin, "/quan-tri/cong-khai/tuan-thu?nam=2023")
            .await;
        let bau_bang = dash
            .find("Cộng — Huyện Bàu Bàng")
            .expect("subtotal of Bàu Bàng");
        let dau_tieng = dash
            .find("Cộng — Huyện Dầu Tiếng")
            .expect("subtotal of Dầu Tiếng");
        let lai_uyen = dash.find("Xã Lai Uyên").unwrap();
        assert!(
            lai_uyen < bau_bang && bau_bang < dau_tieng,
            "grouped in order"
        );
    }
);

/// Whether a stored single-line value or file name holds a character that can change how
/// it reads: a control character (NUL, line breaks) or a bidirectional override or isolate
/// (U+202A–U+202E, U+2066–U+2069; "gnp.exe" shown as "exe.png"), which
/// `char::is_control` does not cover (they are format characters).
fn misleading(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A stored file name: no path, no control or bidi characters.
fn assert_safe_file_name(name: &str, what: &str) {
    assert!(
        !name.is_empty()
            && !name.contains('/')
            && !name.contains('\\')
            && !name.contains("..")
            && !name.chars().any(misleading),
        "{what}: stored file name {name:?}"
    );
}

/// The newest uploaded file: (id, name); (0, "") when there is none.
async fn newest_media(app: &TestApp) -> (i64, String) {
    app.db
        .fetch_optional(danchu_db::q(
            "SELECT id, name FROM media ORDER BY id DESC LIMIT 1",
        ))
        .await
        .unwrap()
        .map(|r| {
            (
                r.get::<i64>("id").unwrap(),
                r.get::<String>("name").unwrap(),
            )
        })
        .unwrap_or_default()
}

/// Hostile values tried in every field (issue 7 point 8): markup and script, an SQL
/// fragment, path traversal, control and bidi characters, a very long value, invalid
/// UTF-8.
fn hostile() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        (
            "script",
            b"<script>alert('x')</script><img src=x onerror=alert(1)>".to_vec(),
        ),
        ("sql", b"'); DROP TABLE disclosures; --".to_vec()),
        ("path", b"../../../etc/passwd".to_vec()),
        ("control", "A\u{0}B\u{202E}gnp.exe\r\n".as_bytes().to_vec()),
        // Bidi overrides and isolates alone (a name with a line break is refused whole).
        (
            "bidi",
            "Biên bản\u{2066}\u{202E}fdp.exe\u{2069}"
                .as_bytes()
                .to_vec(),
        ),
        // Long, yet within the body limit, so that it reaches the field's own check.
        (
            "long",
            format!("{}{}", "Ạ".repeat(2_000), "a".repeat(28_000)).into_bytes(),
        ),
        ("invalid utf-8", vec![0xC3, 0x28, 0xFF, 0xFE]),
    ]
}

/// Posts a multipart form whose text fields are raw bytes; the status and the page.
async fn multipart_raw(
    app: &TestApp,
    c: &reqwest::Client,
    page: &str,
    action: &str,
    fields: &[(String, Vec<u8>)],
    files: Vec<(&str, String, Vec<u8>)>,
) -> (reqwest::StatusCode, String) {
    let token = app.csrf(c, page).await;
    let mut f = reqwest::multipart::Form::new();
    for (k, v) in fields {
        f = f.part(k.clone(), reqwest::multipart::Part::bytes(v.clone()));
    }
    for (field, name, bytes) in files {
        f = f.part(
            field.to_string(),
            reqwest::multipart::Part::bytes(bytes).file_name(name),
        );
    }
    // Not reused: a refusal may come before the server has read the whole body.
    let r = c
        .post(app.at(&format!("{action}?_csrf={token}")))
        .header("connection", "close")
        .multipart(f)
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap_or_default())
}

/// Posts an urlencoded form whose values are raw bytes (every byte but letters and digits
/// percent-encoded); the status and the page.
async fn form_raw(
    app: &TestApp,
    c: &reqwest::Client,
    page: &str,
    action: &str,
    fields: &[(String, Vec<u8>)],
) -> (reqwest::StatusCode, String) {
    let token = app.csrf(c, page).await;
    let mut body = format!("_csrf={token}");
    for (k, v) in fields {
        body.push_str(&format!("&{k}="));
        for b in v {
            if b.is_ascii_alphanumeric() {
                body.push(*b as char);
            } else {
                body.push_str(&format!("%{b:02X}"));
            }
        }
    }
    let r = c
        .post(app.at(action))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("connection", "close")
        .body(body)
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap_or_default())
}

/// What a sweep saw: payloads accepted (and neutralised), payloads refused by the
/// field's own check (the form came back with the reason).
#[derive(Debug, Default)]
struct Sweep {
    accepted: usize,
    refused: usize,
}

/// Sends the untouched form first — it must be accepted, or the sweep proves nothing —
/// then each field of `base` in turn replaced by each hostile value. Every answer must be
/// a redirect (accepted, neutralised) or the form given back with a 400 (`form_marker`,
/// e.g. its action, is on the page): the payload got past the CSRF and permission checks
/// to the field's own validation. Invalid UTF-8 is refused, as any form's, when decoded.
async fn try_every_field<F, Fut>(base: &[(&str, &str)], form_marker: &str, mut send: F) -> Sweep
where
    F: FnMut(Vec<(String, Vec<u8>)>) -> Fut,
    Fut: std::future::Future<Output = (reqwest::StatusCode, String)>,
{
    let untouched: Vec<(String, Vec<u8>)> = base
        .iter()
        .map(|(k, v)| (k.to_string(), v.as_bytes().to_vec()))
        .collect();
    let (status, page) = send(untouched).await;
    assert_eq!(
        status,
        303,
        "the untouched form is accepted: {}",
        &page[..page.len().min(500)]
    );
    let mut sweep = Sweep::default();
    for (field, _) in base {
        for (what, value) in hostile() {
            let fields: Vec<(String, Vec<u8>)> = base
                .iter()
                .map(|(k, v)| {
                    let v = if k == field {
                        value.clone()
                    } else {
                        v.as_bytes().to_vec()
                    };
                    (k.to_string(), v)
                })
                .collect();
            let (status, page) = send(fields).await;
            if what == "invalid utf-8" {
                assert_eq!(status, 400, "{field}: invalid UTF-8 is refused");
                assert!(page.contains("UTF-8"), "{field}: refused for its encoding");
                continue;
            }
            if status == 303 {
                sweep.accepted += 1;
                continue;
            }
            assert_eq!(status, 400, "{field} = {what}: {status}");
            assert!(
                page.contains(form_marker),
                "{field} = {what}: refused before its field's check (no form on the page): {}",
                page.split("<main")
                    .nth(1)
                    .unwrap_or("")
                    .chars()
                    .take(600)
                    .collect::<String>()
            );
            sweep.refused += 1;
        }
    }
    let payloads = (hostile().len() - 1) * base.len();
    assert_eq!(
        sweep.accepted + sweep.refused,
        payloads,
        "every payload reached its field"
    );
    sweep
}

both!(
    hostile_input_in_every_disclosure_field_and_file_name,
    |app: TestApp| async move {
        let an_lap = app.unit_id("25789").await;
        let cats = danchu_db::disclosures::categories(&app.db).await.unwrap();
        let id_of = |code: &str| cats.iter().find(|c| c.1.code == code).unwrap().0;
        let official = app.sign_in("quantri.anlap").await;
        let mark = app.audit_mark().await;
        let today = danchu_core::text::format_date(
            danchu_core::text::parse_date(&danchu_db::today_vn()).unwrap(),
        );
        let (unit, cat) = (an_lap.to_string(), id_of("d11-08").to_string());
        let new = "/quan-tri/cong-khai/moi";
        // The new-disclosure form, every field.
        let base = [
            ("unit_id", unit.as_str()),
            ("category_id", cat.as_str()),
            ("period", ""),
            ("title", "Kết quả giải quyết phản ánh"),
            ("body", "<p>Nội dung</p>"),
            ("documents", ""),
            ("portal_from", today.as_str()),
            ("board_from", today.as_str()),
            ("board_evidence", "Bảng tin"),
        ];
        let sweep = try_every_field(&base, "action=\"/quan-tri/cong-khai/moi", |f| {
            let (app, c) = (&app, &official);
            async move { multipart_raw(app, c, new, new, &f, vec![]).await }
        })
        .await;
        assert!(
            sweep.accepted > 0 && sweep.refused > 0,
            "harmless-looking values are accepted, neutralised; others refused: {sweep:?}"
        );
        // File names: stored under a neutralised name, or refused for the name.
        let pdf = crate::harness::pdf_with_text("Bien ban", 0);
        let mut stored = 0;
        for (what, name) in hostile() {
            let name = String::from_utf8_lossy(&name).to_string();
            let fields: Vec<(String, Vec<u8>)> = base
                .iter()
                .map(|(k, v)| (k.to_string(), v.as_bytes().to_vec()))
                .collect();
            let (before, _) = newest_media(&app).await;
            let (status, page) = multipart_raw(
                &app,
                &official,
                new,
                new,
                &fields,
                vec![("file", name, pdf.clone())],
            )
            .await;
            if status == 303 {
                let (id, kept) = newest_media(&app).await;
                assert!(id > before, "file name {what}: the file was stored");
                let d = find(&app, an_lap, "Kết quả giải quyết phản ánh").await;
                let files = danchu_db::disclosures::files(&app.db, d.id).await.unwrap();
                assert!(
                    files.iter().any(|f| f.id == id),
                    "file name {what}: attached to the disclosure just posted"
                );
                assert_safe_file_name(&kept, &format!("file name {what}"));
                stored += 1;
            } else {
                assert!(
                    status == 400 && page.contains("Tên tệp"),
                    "file name {what}: {status}"
                );
            }
        }
        assert!(stored > 0, "some hostile names are stored, neutralised");
        // The channel form of one disclosure, every field including the R8 rows.
        let d = find(&app, an_lap, "Kết quả giải quyết phản ánh").await;
        let page = format!("/quan-tri/cong-khai/{}", d.id);
        let action = format!("{page}/hinh-thuc");
        let base = [
            ("channel", "community_heads"),
            ("starts_on", today.as_str()),
            ("ends_on", ""),
            ("evidence", "Sổ giao nhận"),
            ("head_hamlet", "Ấp Bến Tranh"),
            ("head_name", "Nguyễn Văn Hùng"),
            ("head_on", today.as_str()),
            ("head_method", "sms"),
            ("head_told", ""),
        ];
        let sweep = try_every_field(&base, &format!("action=\"{action}"), |f| {
            let (app, c, page, action) = (&app, &official, &page, &action);
            async move { multipart_raw(app, c, page, action, &f, vec![]).await }
        })
        .await;
        assert!(sweep.refused > 0, "the R8 rows are checked: {sweep:?}");
        let png = base64::engine::general_purpose::STANDARD
            .decode(crate::portal::PNG_1X1)
            .unwrap();
        let mut stored = 0;
        for (what, name) in hostile() {
            let name = String::from_utf8_lossy(&name).to_string();
            let fields = vec![
                ("channel".to_string(), b"notice_board".to_vec()),
                ("starts_on".to_string(), today.as_bytes().to_vec()),
            ];
            let (before, _) = newest_media(&app).await;
            let (status, body) = multipart_raw(
                &app,
                &official,
                &page,
                &action,
                &fields,
                vec![("evidence_file", name, png.clone())],
            )
            .await;
            if status == 303 {
                let (id, kept) = newest_media(&app).await;
                assert!(id > before, "evidence file {what}: the file was stored");
                let channels = danchu_db::disclosures::channels(&app.db, d.id)
                    .await
                    .unwrap();
                assert!(
                    channels.iter().any(|c| c.files.iter().any(|f| f.id == id)),
                    "evidence file {what}: attached to the channel"
                );
                assert_safe_file_name(&kept, &format!("evidence file {what}"));
                stored += 1;
            } else {
                assert!(
                    status == 400 && body.contains("Tên tệp"),
                    "evidence file {what}: {status}"
                );
            }
        }
        assert!(stored > 0, "some hostile names are stored, neutralised");
        // The correction form.
        let base = [
            ("title", "Kết quả giải quyết phản ánh"),
            ("body", "<p>Nội dung đã sửa</p>"),
            ("note", "Sửa số liệu"),
        ];
        let sweep = try_every_field(&base, &format!("action=\"{page}/dinh-chinh"), |f| {
            let (app, c, page) = (&app, &official, &page);
            let action = format!("{page}/dinh-chinh");
            async move { form_raw(app, c, page, &action, &f).await }
        })
        .await;
        assert!(sweep.accepted > 0, "{sweep:?}");
        // The category editor (system administrator), every field.
        let admin = app.sign_in("admin").await;
        let cat_page = "/quan-tri/cong-khai/danh-muc";
        let cat_action = format!("{cat_page}/{}", id_of("pctn-08"));
        let base = [
            ("name", "Các nội dung khác theo quy định của pháp luật"),
            ("min_days", "30"),
            ("broadcast_days", "0"),
            ("post_within_days", "5"),
            ("valid_from", "01/07/2023"),
            ("valid_to", ""),
            ("channel", "notice_board"),
            ("every", ""),
        ];
        let sweep = try_every_field(&base, &format!("action=\"{cat_action}"), |f| {
            let (app, c, action) = (&app, &admin, &cat_action);
            async move { form_raw(app, c, cat_page, action, &f).await }
        })
        .await;
        assert!(
            sweep.refused > 0,
            "the numbers and dates are checked: {sweep:?}"
        );
        // The take-down reason: each attempt on a disclosure of its own (a take-down ends
        // it), posted as the untouched one was.
        let fresh = || async {
            let (status, _) = multipart_raw(
                &app,
                &official,
                new,
                new,
                &[
                    ("unit_id".to_string(), unit.as_bytes().to_vec()),
                    ("category_id".to_string(), cat.as_bytes().to_vec()),
                    ("title".to_string(), "Bài để gỡ".as_bytes().to_vec()),
                    ("body".to_string(), b"<p>x</p>".to_vec()),
                    ("portal_from".to_string(), today.as_bytes().to_vec()),
                ],
                vec![],
            )
            .await;
            assert_eq!(status, 303);
            danchu_db::disclosures::list(
                &app.db,
                &danchu_db::disclosures::Filter {
                    unit_id: Some(an_lap),
                    ..Default::default()
                },
                "2100-01-01",
                1,
                0,
            )
            .await
            .unwrap()
            .remove(0)
            .id
        };
        let mut ids = Vec::new();
        for _ in 0..hostile().len() + 1 {
            ids.push(fresh().await);
        }
        let ids = std::sync::Mutex::new(ids);
        let sweep = try_every_field(&[("reason", "Đăng nhầm")], "/go\"", |f| {
            let (app, c) = (&app, &official);
            let id = ids.lock().unwrap().pop().unwrap();
            let page = format!("/quan-tri/cong-khai/{id}");
            async move {
                let action = format!("{page}/go");
                form_raw(app, c, &page, &action, &f).await
            }
        })
        .await;
        assert!(sweep.accepted > 0, "{sweep:?}");

        // Nothing harmful was kept: rich text sanitised, single lines without control
        // characters, file names without paths, categories still readable, the audit
        // chain whole, the pages escape what they show.
        let count = |sql: &'static str| {
            let db = app.db.clone();
            async move {
                db.fetch_optional(danchu_db::q(sql))
                    .await
                    .unwrap()
                    .unwrap()
                    .get::<i64>("n")
                    .unwrap()
            }
        };
        assert_eq!(
            count("SELECT COUNT(*) AS n FROM disclosure_versions WHERE body LIKE '%<script%' OR body LIKE '%onerror%'").await,
            0
        );
        for (sql, cols) in [
            (
                "SELECT title, takedown_reason FROM disclosures",
                &["title", "takedown_reason"][..],
            ),
            (
                "SELECT evidence FROM disclosure_channels",
                &["evidence"][..],
            ),
            (
                "SELECT hamlet, head_name FROM disclosure_head_notices",
                &["hamlet", "head_name"][..],
            ),
            (
                "SELECT change_note FROM disclosure_versions",
                &["change_note"][..],
            ),
        ] {
            let rows = app.db.fetch_all(danchu_db::q(sql)).await.unwrap();
            assert!(!rows.is_empty(), "{sql}: rows to check");
            for r in rows {
                for c in cols {
                    let v: String = r.get(c).unwrap();
                    assert!(
                        !v.chars().any(misleading),
                        "{sql}: control or bidi character kept in {v:?}"
                    );
                    assert!(v.chars().count() <= 2000, "{sql}: oversized value kept");
                }
            }
        }
        let media = app
            .db
            .fetch_all(danchu_db::q("SELECT name FROM media"))
            .await
            .unwrap();
        assert!(!media.is_empty(), "files were stored to check");
        for r in media {
            let name: String = r.get("name").unwrap();
            assert_safe_file_name(&name, "media");
        }
        assert!(
            count("SELECT COUNT(*) AS n FROM disclosures").await > 30,
            "tables intact"
        );
        let cats = danchu_db::disclosures::categories(&app.db).await.unwrap();
        let other = cats.iter().find(|c| c.1.code == "pctn-08").unwrap();
        assert!(!other.1.name.contains('\0') && (0..=3650).contains(&other.1.min_days));
        let id = d.id.to_string();
        app.assert_audited_since(
            mark,
            &[
                ("disclosure.create", id.clone()),
                ("disclosure.channel", id.clone()),
                ("disclosure.correct", id.clone()),
                ("disclosure_category.update", id_of("pctn-08").to_string()),
            ],
        )
        .await;
        for d in danchu_db::disclosures::list(
            &app.db,
            &danchu_db::disclosures::Filter {
                unit_id: Some(an_lap),
                ..Default::default()
            },
            "2100-01-01",
            200,
            0,
        )
        .await
        .unwrap()
        {
            for url in [
                format!("/quan-tri/cong-khai/{}", d.id),
                format!("/cong-khai/{}", d.id),
            ] {
                let r = official.get(app.at(&url)).send().await.unwrap();
                if url.starts_with("/cong-khai") && !d.public {
                    assert_eq!(r.status(), 404);
                    continue;
                }
                assert_eq!(r.status(), 200, "{url}");
                let html = r.text().await.unwrap();
                let bad = html
                    .find("<script>alert")
                    .or_else(|| html.find("<img src=x onerror"));
                assert!(
                    bad.is_none(),
                    "{url}: {}",
                    bad.map(|i| &html[i.saturating_sub(200)..(i + 100).min(html.len())])
                        .unwrap_or("")
                );
            }
        }
    }
);

both!(
    api_serves_the_register_as_open_data_and_compliance_to_officials,
    |app: TestApp| async move {
        let an_lap = app.unit_id("25789").await;
        let c = app.client();
        let json = |url: String| {
            let c = c.clone();
            async move {
                let r = c.get(url).send().await.unwrap();
                let status = r.status();
                (status, r.json::<serde_json::Value>().await.unwrap())
            }
        };
        let (s, list) = json(app.at(&format!("/api/v1/cong-khai?don_vi={an_lap}&nam=2023"))).await;
        assert_eq!(s, 200);
        let items = list["items"].as_array().unwrap();
        assert!(
            !items.is_empty()
                && items
                    .iter()
                    .all(|d| d["unit_id"] == an_lap && d["public"] == true)
        );
        assert_eq!(list["total"].as_i64().unwrap() as usize, items.len());
        let fees = items
            .iter()
            .find(|d| d["title"].as_str().unwrap().starts_with("Mức thu phí"))
            .unwrap();
        let (s, d) = json(app.at(&format!("/api/v1/cong-khai/{}", fees["id"]))).await;
        assert_eq!(s, 200);
        assert_eq!(d["versions"].as_array().unwrap().len(), 2, "both versions");
        assert!(
            d["versions"][0].get("created_by").is_none() && !d.to_string().contains("congkhai."),
            "no staff account in the open data"
        );
        assert_eq!(d["posting_days_remaining"], 0, "R10 period has run");
        let heads = d["channels"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["channel"] == "community_heads")
            .unwrap();
        assert_eq!(
            heads["heads_notified"].as_array().unwrap().len(),
            3,
            "R8 rows"
        );
        assert_eq!(heads["heads_notified"][1]["method"], "sms");
        let (s, cats) = json(app.at("/api/v1/cong-khai/danh-muc")).await;
        assert_eq!(s, 200);
        assert_eq!(cats["categories"].as_array().unwrap().len(), 14 + 8);
        // Not on the portal: not in the open data.
        let hidden = danchu_db::disclosures::create(
            &app.db,
            &danchu_db::audit::Actor("test".into()),
            &danchu_db::disclosures::NewDisclosure {
                unit_id: an_lap,
                category_id: cats["categories"][3]["id"].as_i64().unwrap(),
                title: "Bản nháp chưa đăng".into(),
                body: "<p>x</p>".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let (s, e) = json(app.at(&format!("/api/v1/cong-khai/{}", hidden.id))).await;
        assert_eq!(s, 404);
        assert!(e["error"].is_string());
        // Compliance: officials only, within their scope.
        let (s, _) = json(app.at("/api/v1/cong-khai/tuan-thu?nam=2023")).await;
        assert_eq!(s, 401);
        let huyen = app.sign_in("quantri.huyen").await;
        let get = |url: &str| {
            let (huyen, url) = (huyen.clone(), app.at(url));
            async move {
                let r = huyen.get(url).send().await.unwrap();
                assert_eq!(r.status(), 200);
                r.json::<serde_json::Value>().await.unwrap()
            }
        };
        let comp = get("/api/v1/cong-khai/tuan-thu?nam=2023").await;
        let units = comp["units"].as_array().unwrap();
        assert_eq!(units.len(), 12);
        let thanh_tuyen = units
            .iter()
            .find(|u| u["unit_name"] == "Xã Thanh Tuyền")
            .unwrap();
        assert_eq!(thanh_tuyen["missing"], 1, "quarter III");
        let long_tan = units
            .iter()
            .find(|u| u["unit_name"] == "Xã Long Tân")
            .unwrap();
        assert_eq!(
            (long_tan["missing"].as_i64(), long_tan["late"].as_i64()),
            (Some(0), Some(1))
        );
        assert!(comp["obligations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["status"] == "missing" && o["period"] == "2023-Q3"));
        let agencies = get("/api/v1/cong-khai/tuan-thu?nam=2023&loai=co-quan").await;
        assert_eq!(agencies["scope"], "agency");
        assert_eq!(agencies["units"].as_array().unwrap().len(), 7);
        // An official of one commune sees only that commune.
        let anlap = app.sign_in("quantri.anlap").await;
        let r = anlap
            .get(app.at("/api/v1/cong-khai/tuan-thu?nam=2023"))
            .send()
            .await
            .unwrap();
        let own: serde_json::Value = r.json().await.unwrap();
        assert_eq!(own["units"].as_array().unwrap().len(), 1);
    }
);

both!(
    r7_a_commune_without_loudspeakers_and_a_merged_commune_in_history,
    |app: TestApp| async move {
        let town = app.unit_id("25765").await;
        let mark = app.audit_mark().await;
        let huyen = app.sign_in("quantri.huyen").await;
        let dash = "/quan-tri/cong-khai/tuan-thu?nam=2023";
        assert!(app
            .page(&huyen, dash)
            .await
            .contains("— Thị trấn Dầu Tiếng: Chưa đủ hình thức bắt buộc"));
        // R7 "nếu có": the town records it has no loudspeaker system.
        let unit_page = format!("/quan-tri/don-vi/{town}");
        assert!(app
            .page(&huyen, &unit_page)
            .await
            .contains("Xã có hệ thống truyền thanh không?"));
        // A commune official may not change another commune's record.
        let anlap = app.sign_in("quantri.anlap").await;
        let r = app
            .post(
                &anlap,
                "/quan-tri/mat-khau",
                &format!("{unit_page}/truyen-thanh"),
                &[("has", "0")],
            )
            .await;
        assert_eq!(r.status(), 403);
        let r = app
            .post(
                &huyen,
                &unit_page,
                &format!("{unit_page}/truyen-thanh"),
                &[("has", "0")],
            )
            .await;
        assert_eq!(r.status(), 303);
        assert!(!danchu_db::disclosures::has_loudspeakers(&app.db, town)
            .await
            .unwrap());
        assert!(!app
            .page(&huyen, dash)
            .await
            .contains("Chưa đủ hình thức bắt buộc"));
        let fees = find(&app, town, "Mức thu phí").await;
        assert!(app
            .page(&app.client(), &format!("/cong-khai/{}", fees.id))
            .await
            .contains("Xã chưa có hệ thống truyền thanh"));
        app.assert_audited_since(mark, &[("unit.loudspeakers", "25765".to_string())])
            .await;
        assert!(app
            .page(&huyen, &unit_page)
            .await
            .contains("Hệ thống truyền thanh của xã"));

        // A commune merged in 2025 still answers for its 2023 obligations; it is gone from
        // 2026 and from the posting form.
        let long_tan = app.unit_id("25792").await;
        let thanh_an = app.unit_id("25795").await;
        danchu_db::units::merge(
            &app.db,
            &danchu_db::audit::Actor("test".into()),
            &[long_tan],
            thanh_an,
            time::macros::date!(2025 - 07 - 01),
        )
        .await
        .unwrap();
        let district = app.unit_id("721").await;
        let in_year = |y| {
            let db = app.db.clone();
            async move {
                danchu_db::disclosures::register_units(&db, &[district], Some("commune"), Some(y))
                    .await
                    .unwrap()
                    .iter()
                    .any(|u| u.id == long_tan)
            }
        };
        assert!(in_year(2023).await && in_year(2025).await && !in_year(2026).await);
        assert!(app.page(&huyen, dash).await.contains("Xã Long Tân"));
        let form = app.page(&huyen, "/quan-tri/cong-khai/moi").await;
        assert!(
            !form.contains("Xã Long Tân") && form.contains("<optgroup label=\"Huyện Dầu Tiếng\">")
        );
        // A category of the other list left in the query is ignored, not a page of zeros.
        let cats = danchu_db::disclosures::categories(&app.db).await.unwrap();
        let agency_budget = cats.iter().find(|c| c.1.code == "pctn-02").unwrap().0;
        let page = app
            .page(&huyen, &format!("{dash}&danh_muc={agency_budget}"))
            .await;
        assert!(
            page.contains("<strong class=\"overdue\">1</strong>"),
            "the communes' figures, unfiltered"
        );
        let r = huyen
            .get(app.at("/api/v1/cong-khai?trang=99999999999999999"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "a huge page number is bounded");
    }
);

both!(
    r7_forms_summary_is_backfilled_for_older_data,
    |app: TestApp| async move {
        // Data from before the summary existed (the column's default) is filled in at start.
        let town = app.unit_id("25765").await;
        let fees = find(&app, town, "Mức thu phí").await;
        let read = || {
            let db = app.db.clone();
            async move {
                let r = db
                    .fetch_optional(
                        danchu_db::q(
                            "SELECT forms_mask, broadcast_run FROM disclosures WHERE id = $1",
                        )
                        .bind(fees.id),
                    )
                    .await
                    .unwrap()
                    .unwrap();
                (
                    r.get::<i64>("forms_mask").unwrap(),
                    r.get::<i64>("broadcast_run").unwrap(),
                )
            }
        };
        let written = read().await;
        assert_eq!(written.1, 2, "the town's broadcast ran two days");
        app.db
            .execute(
                danchu_db::q(
                    "UPDATE disclosures SET forms_mask = 0, broadcast_run = 0 WHERE id = $1",
                )
                .bind(fees.id),
            )
            .await
            .unwrap();
        assert_eq!(
            danchu_db::disclosures::refresh_forms(&app.db)
                .await
                .unwrap(),
            1
        );
        assert_eq!(read().await, written);
        assert_eq!(
            danchu_db::disclosures::refresh_forms(&app.db)
                .await
                .unwrap(),
            0,
            "once"
        );
    }
);
