//! R8: the heads of thôn notified, and how households were told.

use crate::both;
use crate::harness::{assert_page, assert_refused, Fixture, TestApp};

use super::{find, public_page};

both!(
    r8_heads_of_thon_notified_and_how_households_were_told,
    Fixture::demo(),
    |app: TestApp| async move {
        let an_lap = app.unit_id("25789").await;
        let long_hoa = app.unit_id("25780").await;
        // The demo: Long Hòa's complaint results went through every ấp's head (R8), An
        // Lập's fee schedule missed Ấp Đồng Sến.
        let complaints = find(&app, long_hoa, "Kết quả giải quyết khiếu nại").await;
        let public = public_page(&app, complaints.id).await;
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
        let r = app
            .post_multipart(
                &official,
                &page,
                &action,
                &[("channel", "community_heads"), ("starts_on", "20/08/2023")],
                vec![],
            )
            .await;
        assert_page(r, 400, "cách thông báo đến hộ gia đình (R8)").await;
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
            let r = app
                .post_multipart(&official, &page, &action, &f, vec![])
                .await;
            let html = assert_refused(r, &[why]).await;
            // What was typed comes back with the reason, the thôn named as on the form.
            assert!(
                html.contains("value=\"Phan Văn Lực\"")
                    && html.contains(&format!("value=\"{on}\""))
            );
        }
        // A row with a name but no way of telling the households: refused, named.
        let r = app
            .post_multipart(
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
        assert_page(
            r,
            400,
            "Dòng 1: hãy chọn cách thông báo đến hộ gia đình (R8).",
        )
        .await;
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
        let r = app
            .post_multipart(&official, &page, &action, &f, vec![])
            .await;
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
        assert_eq!(
            danchu_core::text::iso_date(last.notices[0].notified_on),
            "2023-08-20"
        );
        assert_eq!(last.notices[0].told_on, "2023-08-21");
        assert_eq!(
            last.notices[0].method,
            danchu_core::disclosures::HouseholdMethod::SocialNetwork
        );
        assert_eq!(last.notices[1].head_name, "' OR 1=1 --", "kept as text");
        let public = public_page(&app, fees.id).await;
        assert!(public.contains("Ấp Đồng Sến (Phan Văn Lực)"));
        assert!(!public.contains("<script>alert(1)"), "escaped");
        app.assert_audited_since(mark, &[("disclosure.channel", fees.id.to_string())])
            .await;
    }
);
