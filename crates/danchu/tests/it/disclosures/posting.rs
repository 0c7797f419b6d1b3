//! R10: an official posts a disclosure with a photo as evidence, errors per field, unit
//! scoping, a correction as a new version, early take-down.

use base64::Engine;

use crate::both;
use crate::harness::{assert_page, assert_refused, Fixture, TestApp};

use super::{
    add_channel, add_form, admin_page, post_item, post_new, public_page, take_down, today_shown,
};

both!(
    r10_an_official_posts_with_evidence_corrects_and_takes_down,
    Fixture::demo(),
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
        let pdf = crate::harness::pdf_with_text("Du toan ngan sach xa An Lap 2024", 0);
        // Errors per field, typed text kept; hostile input neutralised.
        let typed = [
            &an_lap,
            &item(2),
            "",
            "<p>Dự toán</p><script>alert(1)</script>",
        ];
        let more = [("period", ""), ("documents", "99/KH-XYZ")];
        let r = post_item(&app, &official, typed, &more).await;
        let html = assert_refused(
            r,
            &[
                "Hãy nhập tiêu đề nội dung công khai.",
                "hãy chọn kỳ",
                "Không có văn bản số 99/KH-XYZ",
            ],
        )
        .await;
        assert!(
            html.contains("&#60;script&#62;alert(1)&#60;/script&#62;"),
            "typed kept, escaped"
        );
        // Another commune's disclosure cannot be posted.
        let r = post_item(&app, &official, [&long_hoa, &item(4), "x", "y"], &[]).await;
        assert_eq!(r.status(), 403);
        // Posted: the content as a PDF, on the portal today, linked to 22/KH-UBND.
        let today = today_shown();
        let r = post_new(
            &app,
            &official,
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
            time::macros::date!(2100 - 01 - 01),
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
        let admin_page = admin_page(d.id);
        let png = base64::engine::general_purpose::STANDARD
            .decode(crate::harness::PNG_1X1)
            .unwrap();
        let r = add_channel(
            &app,
            &official,
            d.id,
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
        let r = add_form(&app, &official, d.id, "broadcast", "31/02/2024").await;
        assert_eq!(r.status(), 400, "a wrong date is refused");
        // The public page: the countdown of R10 and the evidence photo.
        let public = public_page(&app, d.id).await;
        assert!(
            public.contains("còn 30 ngày mới đủ thời hạn 30 ngày"),
            "countdown"
        );
        assert!(public.contains("anh-bang-tin.png"));
        assert!(!public.contains("<script>alert") && !public.contains("<b>Thủ tục"));
        // A correction is a new version; a correction needs a note.
        for (note, status) in [("", 400), ("Thêm thủ tục chứng thực", 303)] {
            let fields = [
                ("title", d.title.as_str()),
                ("body", "<p>Danh mục mới</p>"),
                ("note", note),
            ];
            let action = format!("{admin_page}/dinh-chinh");
            let r = app.post(&official, &admin_page, &action, &fields).await;
            assert_eq!(r.status(), status, "note {note:?}");
        }
        assert_eq!(
            danchu_db::disclosures::versions(&app.db, d.id)
                .await
                .unwrap()
                .len(),
            2
        );
        // R10: an editor may not take it down before 30 days; the unit admin must say why.
        let editor = app.sign_in("bientap").await;
        let r = take_down(&app, &editor, "/quan-tri/mat-khau", d.id, "x").await;
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
            danchu_db::today_vn_date(),
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
            !danchu_db::disclosures::would_be_early(&app.db, &old, danchu_db::today_vn_date())
                .await
                .unwrap(),
            "its minimum has run"
        );
        let r = take_down(&app, &editor, "/quan-tri/mat-khau", old.id, "").await;
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
        let r = take_down(&app, &official, &admin_page, d.id, "").await;
        assert_page(r, 400, "gỡ sớm cần ghi rõ lý do").await;
        let r = take_down(&app, &official, &admin_page, d.id, "Đăng nhầm năm").await;
        assert_eq!(r.status(), 303);
        let after = danchu_db::disclosures::get(&mut app.db.clone(), d.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(after.takedown_reason, "Đăng nhầm năm");
        let public = public_page(&app, d.id).await;
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
