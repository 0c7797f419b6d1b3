//! R46: agencies keep their own register and their own compliance dashboard.

use danchu_core::disclosures::Compliance;

use crate::both;
use crate::harness::{assert_page, Fixture, TestApp};

use super::{add_form, admin_page, find, post_item, public_page, take_down, NEW};

both!(
    r46_agencies_keep_their_own_register_and_dashboard,
    Fixture::demo(),
    |app: TestApp| async move {
        let cats = danchu_db::disclosures::categories(&app.db).await.unwrap();
        let code = |c: &str| cats.iter().find(|x| x.1.code == c).unwrap().0.to_string();
        let nv = app.unit_id("721-NV").await.to_string();
        let an_lap = app.unit_id("25789").await.to_string();
        let noivu = app.sign_in("noivu").await;
        let form = app.page(&noivu, NEW).await;
        assert!(form.contains("Cơ quan, đơn vị (Luật Phòng, chống tham nhũng 2018)"));
        // An agency under the commune list, a commune under the agency list: refused.
        let r = post_item(
            &app,
            &noivu,
            [&nv, &code("d11-04"), "Thủ tục", "Nội dung"],
            &[],
        )
        .await;
        assert_page(r, 400, "Danh mục này dành cho cấp xã").await;
        let anlap = app.sign_in("quantri.anlap").await;
        let r = post_item(
            &app,
            &anlap,
            [&an_lap, &code("pctn-04"), "Tuyển dụng", "Nội dung"],
            &[],
        )
        .await;
        assert_page(r, 400, "dành cho cơ quan, đơn vị").await;
        // Phòng Nội vụ posts its recruitment results and announces them at its meeting.
        let r = post_item(
            &app,
            &noivu,
            [
                &nv,
                &code("pctn-04"),
                "Kết quả tuyển dụng công chức cấp xã năm 2024",
                "<p>Danh sách trúng tuyển</p>",
            ],
            &[("portal_from", "02/01/2024")],
        )
        .await;
        assert_eq!(r.status(), 303);
        let d = find(&app, app.unit_id("721-NV").await, "Kết quả tuyển dụng").await;
        let page = admin_page(d.id);
        let html = app.page(&noivu, &page).await;
        assert!(
            html.contains("Tổ chức họp báo") && !html.contains("Phát trên hệ thống truyền thanh")
        );
        assert!(!html.contains("head_hamlet"), "no thôn rows for an agency");
        let r = add_form(&app, &noivu, d.id, "broadcast", "02/01/2024").await;
        assert_eq!(r.status(), 400, "a commune's form is not an agency's");
        let r = add_form(&app, &noivu, d.id, "meeting", "03/01/2024").await;
        assert_eq!(r.status(), 303);
        assert!(public_page(&app, d.id)
            .await
            .contains("Công bố tại cuộc họp của cơ quan, đơn vị"));
        // PCTN Đ11 k2: a meeting alone is not enough; mass media is, and counts as posted.
        let r = post_item(
            &app,
            &noivu,
            [
                &nv,
                &code("pctn-07"),
                "Kết luận thanh tra công vụ năm 2024",
                "<p>Kết luận</p>",
            ],
            &[],
        )
        .await;
        assert_eq!(r.status(), 303);
        let d2 = find(&app, app.unit_id("721-NV").await, "Kết luận thanh tra").await;
        let page2 = admin_page(d2.id);
        for (channel, day) in [("meeting", "05/01/2024"), ("mass_media", "06/01/2024")] {
            let r = add_form(&app, &noivu, d2.id, channel, day).await;
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
        let r = take_down(&app, &noivu, &page2, d2.id, "Đăng nhầm").await;
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
        let ob = danchu_db::disclosures::obligations(
            &app.db,
            &agencies,
            2023,
            None,
            time::macros::date!(2024 - 02 - 01),
        )
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
