//! The public disclosure register over both databases and real HTTP (issue 7): the demo
//! register and its obligations (R11 late/missing), the public pages with versions,
//! channels and the countdown (R10), the broadcast minimum (R7), search without
//! diacritics, RSS, the compliance dashboard and its XLSX; an official posting with a
//! photo as evidence, unit scoping, hostile input, corrections, early take-down (R10).

use base64::Engine;
use danchu_core::disclosure::Compliance;

use crate::both;
use crate::harness::TestApp;

both!(
    r11_demo_register_obligations_public_pages_and_search,
    |app: TestApp| async move {
        let long_tan = app.unit_id("25792").await;
        let thanh_tuyen = app.unit_id("25798").await;
        let an_lap = app.unit_id("25789").await;
        let units = vec![
            (long_tan, "Xã Long Tân".to_string()),
            (thanh_tuyen, "Xã Thanh Tuyền".to_string()),
            (an_lap, "Xã An Lập".to_string()),
        ];
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
        let current = app.page(&c, "/cong-khai?dang_niem_yet=1&nam=2023").await;
        assert!(current.contains("Đang niêm yết"));
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
        assert!(found.contains("/cong-khai/"));
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
        assert!(
            dash.contains("<svg")
                && dash.contains("Xã Thanh Tuyền")
                && dash.contains("Chưa công khai")
        );
        let r = huyen
            .get(app.at("/quan-tri/cong-khai/tuan-thu.xlsx?nam=2023"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let book = crate::reporting::OfficeFile::open(&r.bytes().await.unwrap());
        assert_eq!(book.sheet_names(), ["Theo đơn vị", "Nghĩa vụ 2023"]);
        let sheet = book.sheet(1);
        assert_eq!(sheet["A1"], "Đơn vị");
        let row = (2..20)
            .find(|r| sheet.get(&format!("A{r}")).map(String::as_str) == Some("Xã Long Tân"))
            .expect("Long Tân row");
        assert_eq!(sheet[&format!("D{row}")], "1", "one late");
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
        let item = |n: i64| cats.iter().find(|c| c.1.item == n).unwrap().0.to_string();
        let official = app.sign_in("quantri.anlap").await;
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
            "Không có văn bản số “99/KH-XYZ”",
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
        app.assert_audited(&[
            "disclosure.create",
            "disclosure.channel",
            "disclosure.correct",
            "disclosure.take_down_early",
        ])
        .await;
    }
);

both!(
    r6_r10_a_system_admin_edits_the_categories,
    |app: TestApp| async move {
        let cats = danchu_db::disclosures::categories(&app.db).await.unwrap();
        let (id, c) = cats.iter().find(|c| c.1.item == 4).unwrap().clone();
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
        assert_eq!(after.every, vec![danchu_core::disclosure::Every::Year]);
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
        assert!(html.contains("45 ngày"));
        // Only a system administrator edits them.
        let huyen = app.sign_in("quantri.huyen").await;
        assert_eq!(huyen.get(app.at(page)).send().await.unwrap().status(), 403);
        let r = app
            .post(&huyen, "/quan-tri/mat-khau", &action, &[("min_days", "1")])
            .await;
        assert_eq!(r.status(), 403);
    }
);
