//! A round from its template to the consolidation, in the database: versioned templates,
//! the R30 cut-off, the submission workflow and its forbidden steps, every version kept,
//! the dashboard (late, missing) and the consolidation.

use std::collections::BTreeMap;

use time::macros::date;

use danchu_core::reporting::{
    Aggregate, Aggregation, Compare, CrossRule, Indicator, Kind, Period, Section, Status, Step,
    TemplateBody, Value,
};
use danchu_db::audit::Actor;
use danchu_db::reporting::{self as rep, NewRound, Saved};

use crate::both;
use crate::harness::{Fixture, TestApp};

fn body() -> TemplateBody {
    let ind = |code: &str, label: &str, kind: Kind, aggregation: Aggregation| Indicator {
        unit: "hộ".into(),
        required: true,
        min: Some(0.0),
        ..Indicator::new(code, label, kind, aggregation)
    };
    TemplateBody {
        sections: vec![Section {
            title: "I. Nhân dân bàn và quyết định".into(),
            indicators: vec![
                ind("tong_so_ho", "Tổng số hộ", Kind::Integer, Aggregation::Sum),
                ind(
                    "so_ho_tan_thanh",
                    "Số hộ tán thành",
                    Kind::Integer,
                    Aggregation::Sum,
                ),
                ind(
                    "co_ban_ttnd",
                    "Có Ban TTND",
                    Kind::YesNo,
                    Aggregation::CountYes,
                ),
            ],
        }],
        rules: vec![CrossRule {
            left: "so_ho_tan_thanh".into(),
            op: Compare::Le,
            right: "tong_so_ho".into(),
        }],
    }
}

fn typed(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

both!(
    reporting_round_from_template_to_consolidation,
    Fixture::units().with_users(&["noivu", "baocao.anlap"]),
    |app: TestApp| async move {
        let noivu = Actor("noivu".into());
        let district = app.unit_id("721").await;
        let an_lap = app.unit_id("25789").await;
        let long_hoa = app.unit_id("25780").await;
        let minh_hoa = app.unit_id("25768").await;
        // A template with a broken rule is refused; a good one is version 1.
        let mut broken = body();
        broken.rules[0].right = "khong_co".into();
        assert!(
            rep::create_template(&app.db, &noivu, district, "Mẫu", &broken)
                .await
                .is_err()
        );
        let mark = app.audit_mark().await;
        let t1 = rep::create_template(
            &app.db,
            &noivu,
            district,
            "Báo cáo kết quả thực hiện dân chủ ở cơ sở",
            &body(),
        )
        .await
        .unwrap();
        assert_eq!((t1.version, t1.family_id), (1, t1.id));
        // R30: the first-6-months round of 2023 takes data from 15/12/2022 to 14/06/2023.
        let round = rep::create_round(
            &app.db,
            &noivu,
            &NewRound {
                template: Some((t1.id, district)),
                title: "Báo cáo 6 tháng đầu năm 2023".into(),
                period: Period::FirstHalf { year: 2023 }.code(),
                cutoff: None,
                deadline: Some(date!(2023 - 06 - 20)),
                units: vec![an_lap, long_hoa, minh_hoa],
            },
        )
        .await
        .unwrap();
        assert_eq!(
            (round.cutoff_from, round.cutoff_to),
            (date!(2022 - 12 - 15), date!(2023 - 06 - 14))
        );
        // A new template version does not change the round made with version 1.
        let mut b2 = body();
        b2.sections[0].indicators.pop();
        let t2 = rep::new_template_version(&app.db, &noivu, t1.family_id, "Mẫu mới", &b2)
            .await
            .unwrap();
        assert_eq!((t2.version, t2.family_id), (2, t1.id));

        let reporter = Actor("baocao.anlap".into());
        // Submitting with an error keeps what was typed, as a draft, and names the field.
        let bad = typed(&[
            ("tong_so_ho", "100"),
            ("so_ho_tan_thanh", "120"),
            ("co_ban_ttnd", "Có"),
        ]);
        let Saved::Invalid(draft, errors) =
            rep::save(&app.db, &reporter, round.id, an_lap, &bad, Step::Submit)
                .await
                .unwrap()
        else {
            panic!("errors expected");
        };
        assert_eq!(draft.status, Status::Draft);
        assert_eq!(
            draft.typed["so_ho_tan_thanh"], "120",
            "nothing typed is lost"
        );
        assert_eq!(errors[0].code, "so_ho_tan_thanh");
        assert!(errors[0].message.contains("không được lớn hơn"));
        // Fixed and submitted.
        let good = typed(&[
            ("tong_so_ho", "1.200"),
            ("so_ho_tan_thanh", "1.050"),
            ("co_ban_ttnd", "Có"),
        ]);
        let Saved::Done(sub) = rep::save(&app.db, &reporter, round.id, an_lap, &good, Step::Submit)
            .await
            .unwrap()
        else {
            panic!("submitted");
        };
        assert_eq!((sub.status, sub.version), (Status::Submitted, 1));
        assert_eq!(sub.answers["tong_so_ho"], Value::Int(1200));
        // While submitted it cannot be edited; a return needs a reason.
        assert!(matches!(
            rep::save(&app.db, &reporter, round.id, an_lap, &good, Step::SaveDraft)
                .await
                .unwrap(),
            Saved::Refused(_)
        ));
        assert!(rep::decide(&app.db, &noivu, sub.id, Step::Return, " ")
            .await
            .unwrap()
            .is_err());
        let returned = rep::decide(
            &app.db,
            &noivu,
            sub.id,
            Step::Return,
            "Thiếu số liệu ấp Bàu Khai",
        )
        .await
        .unwrap()
        .unwrap();
        assert_eq!(returned.status, Status::Returned);
        // A returned report cannot be accepted without resubmission.
        assert!(rep::decide(&app.db, &noivu, sub.id, Step::Accept, "")
            .await
            .unwrap()
            .unwrap_err()
            .contains("nộp lại"));
        let fixed = typed(&[
            ("tong_so_ho", "1.250"),
            ("so_ho_tan_thanh", "1.100"),
            ("co_ban_ttnd", "Có"),
        ]);
        let Saved::Done(again) =
            rep::save(&app.db, &reporter, round.id, an_lap, &fixed, Step::Submit)
                .await
                .unwrap()
        else {
            panic!("resubmitted");
        };
        assert_eq!((again.status, again.version), (Status::Submitted, 2));
        let accepted = rep::decide(&app.db, &noivu, sub.id, Step::Accept, "")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(accepted.status, Status::Accepted);
        // Every submitted version is kept.
        let versions = rep::versions(&app.db, sub.id).await.unwrap();
        assert_eq!(versions.len(), 2);
        assert_eq!(versions[0].1["tong_so_ho"], Value::Int(1200));
        assert_eq!(versions[1].1["tong_so_ho"], Value::Int(1250));
        // A unit outside the round cannot report in it.
        assert!(rep::save(
            &app.db,
            &reporter,
            round.id,
            district,
            &good,
            Step::SaveDraft
        )
        .await
        .is_err());
        // Long Hòa submits (not yet accepted); Minh Hòa sends nothing.
        let lh = typed(&[
            ("tong_so_ho", "800"),
            ("so_ho_tan_thanh", "700"),
            ("co_ban_ttnd", "Không"),
        ]);
        assert!(matches!(
            rep::save(
                &app.db,
                &Actor("x".into()),
                round.id,
                long_hoa,
                &lh,
                Step::Submit
            )
            .await
            .unwrap(),
            Saved::Done(_)
        ));
        // Dashboard after the deadline: Vietnamese order, Minh Hòa missing and late.
        let dash = rep::dashboard(&app.db, round.id, time::macros::date!(2023 - 07 - 01))
            .await
            .unwrap();
        let names: Vec<&str> = dash.iter().map(|u| u.unit_name.as_str()).collect();
        assert_eq!(names, ["Xã An Lập", "Xã Long Hòa", "Xã Minh Hòa"]);
        assert_eq!(dash[0].status, Some(Status::Accepted));
        assert_eq!(dash[1].status, Some(Status::Submitted));
        assert_eq!((dash[2].status, dash[2].late), (None, true));
        assert!(dash[0].late, "submitted today, after the 2023 deadline");
        // Consolidation: accepted only, or with the submitted ones.
        let c = rep::consolidate(&app.db, round.id, false).await.unwrap();
        assert_eq!(c.matrix.len(), 1);
        assert_eq!(c.totals[0], Aggregate::Number(1250.0));
        let c = rep::consolidate(&app.db, round.id, true).await.unwrap();
        assert_eq!(
            c.matrix.iter().map(|m| m.0.as_str()).collect::<Vec<_>>(),
            ["Xã An Lập", "Xã Long Hòa"]
        );
        assert_eq!(c.totals[0], Aggregate::Number(2050.0));
        assert_eq!(c.totals[1].display(), "1.800");
        assert_eq!(c.totals[2], Aggregate::Count(1));
        // Each step is in the audit log, for what it acted on, and the chain verifies.
        let s = sub.id.to_string();
        app.assert_audited_since(
            mark,
            &[
                ("report_template.create", t1.id.to_string()),
                ("report_template.version", t2.id.to_string()),
                ("report_round.create", round.id.to_string()),
                ("report.save", draft.id.to_string()),
                ("report.submit", s.clone()),
                ("report.return", s.clone()),
                ("report.accept", s),
            ],
        )
        .await;
    }
);
