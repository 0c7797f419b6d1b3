//! Phòng Nội vụ opens a round from the form.

use std::collections::BTreeMap;
use time::macros::date;

use danchu_core::reporting::{Aggregate, Kind, Period, Step};
use danchu_db::audit::Actor;
use danchu_db::reporting::{self as rep, NewRound, Saved};

use crate::both;
use crate::harness::{assert_page, assert_refused, Fixture, TestApp};

both!(
    noi_vu_opens_a_round_from_the_form,
    Fixture::units()
        .with_reporting()
        .with_users(&["noivu", "quantri.anlap"]),
    |app: TestApp| async move {
        let template = rep::templates(&app.db).await.unwrap().remove(0);
        let tid = template.id.to_string();
        let an_lap = app.unit_id("25789").await.to_string();
        let minh_hoa = app.unit_id("25768").await.to_string();
        let nv = app.sign_in("noivu").await;
        let page = app.page(&nv, "/quan-tri/bao-cao/moi").await;
        assert!(page.contains("Quý I/") && page.contains("Xã An Lập"));
        // Errors name their fields, in Vietnamese; nothing is created.
        let r = open_round(
            &app,
            &nv,
            "/quan-tri/bao-cao/moi",
            &[
                ("template_id", &tid),
                ("title", ""),
                ("period", "2024-Q9"),
                ("deadline", "31/02/2024"),
            ],
        )
        .await;
        assert_refused(
            r,
            &[
                "Hãy nhập tên đợt báo cáo.",
                "Kỳ báo cáo không hợp lệ.",
                "Hãy nhập hạn nộp",
                "Hãy chọn các đơn vị phải báo cáo.",
            ],
        )
        .await;
        assert_eq!(rep::rounds(&app.db).await.unwrap().len(), 1);
        // A quarter round: R30 cut-off 15/12/2023 → 14/03/2024.
        let r = open_round(
            &app,
            &nv,
            "/quan-tri/bao-cao/moi",
            &[
                ("template_id", &tid),
                ("title", "Báo cáo quý I/2024"),
                ("period", "2024-Q1"),
                ("deadline", "20/03/2024"),
                ("unit", &an_lap),
                ("unit", &minh_hoa),
            ],
        )
        .await;
        assert_eq!(r.status(), 303);
        let rounds = rep::rounds(&app.db).await.unwrap();
        let q1 = rounds
            .iter()
            .find(|r| r.title == "Báo cáo quý I/2024")
            .unwrap();
        assert_eq!(
            (q1.cutoff_from, q1.cutoff_to, q1.deadline),
            (
                date!(2023 - 12 - 15),
                date!(2024 - 03 - 14),
                date!(2024 - 03 - 20)
            )
        );
        assert_eq!(q1.units.len(), 2);
        // A commune's admin cannot open rounds with Phòng Nội vụ's template.
        let commune = app.sign_in("quantri.anlap").await;
        let r = open_round(
            &app,
            &commune,
            "/quan-tri/bao-cao",
            &[
                ("template_id", &tid),
                ("title", "X"),
                ("period", "2024-Q2"),
                ("deadline", "20/06/2024"),
                ("unit", &an_lap),
            ],
        )
        .await;
        assert_page(r, 400, "Hãy chọn mẫu báo cáo.").await;
        assert_eq!(rep::rounds(&app.db).await.unwrap().len(), 2);

        // "Cùng kỳ năm trước": a 2022 round of the same template shows beside 2023's totals.
        let demo = rep::rounds(&app.db)
            .await
            .unwrap()
            .into_iter()
            .find(|r| r.period == "2023-H1")
            .unwrap();
        let long_hoa = app.unit_id("25780").await;
        let noivu = Actor("noivu".into());
        let old = rep::create_round(
            &app.db,
            &noivu,
            &NewRound {
                template: Some((template.id, demo.unit_id)),
                title: "Báo cáo 6 tháng đầu năm 2022".into(),
                period: Period::FirstHalf { year: 2022 }.code(),
                cutoff: None,
                deadline: Some(date!(2022 - 06 - 20)),
                units: vec![long_hoa],
            },
        )
        .await
        .unwrap();
        let mut typed_2022 = BTreeMap::new();
        for i in template.body.indicators() {
            let v = match i.kind {
                Kind::YesNo => "Có",
                Kind::Text => "",
                Kind::Decimal => "90",
                _ => "900",
            };
            typed_2022.insert(i.code.clone(), v.to_string());
        }
        let Saved::Done(s22) =
            rep::save(&app.db, &noivu, old.id, long_hoa, &typed_2022, Step::Submit)
                .await
                .unwrap()
        else {
            panic!("2022 report");
        };
        rep::decide(&app.db, &noivu, s22.id, Step::Accept, "")
            .await
            .unwrap()
            .unwrap();
        let page = app
            .page(&nv, &format!("/quan-tri/bao-cao/{}/tong-hop", demo.id))
            .await;
        assert!(
            page.contains("Cùng kỳ năm trước (6 tháng đầu năm 2022)"),
            "column named"
        );
        assert!(
            page.contains("<td class=\"num\">900</td>"),
            "last year's total shown"
        );
        let now = rep::consolidate(&app.db, demo.id, false).await.unwrap();
        let th = now
            .indicators
            .iter()
            .position(|i| i.code == "tong_so_ho")
            .unwrap();
        let hop = match now.totals[th] {
            Aggregate::Number(x) => x,
            _ => panic!("number"),
        };
        assert!(
            page.contains(&format!(
                "+{}",
                danchu_core::reporting::format_value(hop - 900.0)
            )),
            "the change is shown"
        );
    }
);

/// Submits the new-round form (`/quan-tri/bao-cao/moi`) as `c`, with the CSRF token of
/// `form_page`.
async fn open_round(
    app: &TestApp,
    c: &reqwest::Client,
    form_page: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    app.post(c, form_page, "/quan-tri/bao-cao/moi", fields)
        .await
}
