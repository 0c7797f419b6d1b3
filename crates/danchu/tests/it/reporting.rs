//! Periodic reporting in the database, over both backends: versioned templates, a round
//! with the R30 cut-off, the submission workflow and its forbidden steps, every version
//! kept, the dashboard (late, missing) and the consolidation.

use std::collections::BTreeMap;

use time::macros::date;

use danchu_core::reporting::{
    Aggregate, Aggregation, Compare, CrossRule, Indicator, Kind, Period, Section, Status, Step,
    TemplateBody, Value,
};
use danchu_db::audit::Actor;
use danchu_db::reporting::{self as rep, NewRound, Saved};

use crate::both;
use crate::harness::{between, row_with, TestApp};

fn body() -> TemplateBody {
    let ind = |code: &str, label: &str, kind: Kind, aggregation: Aggregation| Indicator {
        code: code.into(),
        label: label.into(),
        kind,
        unit: "hộ".into(),
        required: true,
        min: Some(0.0),
        max: None,
        aggregation,
        source: None,
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
        let dash = rep::dashboard(&app.db, round.id, "2023-07-01")
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

both!(
    reporter_and_noi_vu_work_through_the_pages,
    |app: TestApp| async move {
        // The demo round: 6 tháng đầu năm 2023, run by Phòng Nội vụ.
        let rounds = rep::rounds(&app.db).await.unwrap();
        let round = &rounds[0];
        assert_eq!(
            (round.cutoff_from, round.cutoff_to),
            (date!(2022 - 12 - 15), date!(2023 - 06 - 14))
        );
        let an_lap = app.unit_id("25789").await;
        let long_hoa = app.unit_id("25780").await;
        let form = format!("/quan-tri/bao-cao/{}/don-vi/{an_lap}", round.id);
        // The reporter of An Lập sees the round pending and opens the form.
        let c = app.sign_in("baocao.anlap").await;
        let list = app.page(&c, "/quan-tri/bao-cao").await;
        assert!(
            list.contains("6 tháng đầu năm 2023") && list.contains("Chưa nộp"),
            "pending round listed"
        );
        // An article An Lập published in the cut-off range counts for "Số tin, bài".
        let category = danchu_db::portal::categories(&app.db).await.unwrap()[0].id;
        danchu_db::portal::create_article(
            &app.db,
            &Actor("quantri.anlap".into()),
            &danchu_db::portal::ArticleInput {
                unit_id: an_lap,
                category_id: category,
                title: "Xã An Lập họp dân bàn làm đường".into(),
                summary: String::new(),
                body: "<p>Họp dân.</p>".into(),
                author: "UBND xã An Lập".into(),
                status: "published".into(),
                featured: false,
                published_at: Some(1_677_650_400), // 01/03/2023
            },
        )
        .await
        .unwrap();
        let page = app.page(&c, &form).await;
        assert!(page.contains("Số hộ tán thành") && page.contains("15/12/2022"));
        assert!(
            page.contains("id=\"f-so_tin_bai\" name=\"so_tin_bai\" value=\"1\""),
            "filled from the portal's data"
        );
        assert!(page.contains(
            "Theo dữ liệu danchu (số bài viết đơn vị đã đăng trên cổng thông tin trong kỳ): 1"
        ));
        // Another commune's report is not theirs; nor is the dashboard.
        let other = format!("/quan-tri/bao-cao/{}/don-vi/{long_hoa}", round.id);
        assert_eq!(c.get(app.at(&other)).send().await.unwrap().status(), 403);
        assert_eq!(
            c.get(app.at(&format!("/quan-tri/bao-cao/{}", round.id)))
                .send()
                .await
                .unwrap()
                .status(),
            403
        );
        let r = app
            .post(
                &c,
                &form,
                &other,
                &[("tong_so_ho", "10"), ("_step", "nhap")],
            )
            .await;
        assert_eq!(r.status(), 403, "cannot write another unit's report");
        // Submitting with an error: 400, the field and the reason in Vietnamese, typed kept.
        let mut fields = vec![
            ("so_noi_dung_cong_khai", "9"),
            ("niem_yet_day_du", "Có"),
            ("so_cuoc_hop", "6"),
            ("tong_so_ho", "1.320"),
            ("so_ho_tham_gia", "1.100"),
            ("so_ho_tan_thanh", "1.150"),
            ("ty_le_tan_thanh", "92,5"),
            ("co_ban_ttnd", "Có"),
            ("so_cuoc_giam_sat", "2"),
            (
                "kien_nghi",
                "<script>alert(1)</script> Cần thêm loa truyền thanh ở ấp Bàu Khai",
            ),
            // The repeating table: row 1 has a wrong month, row 2 is blank (skipped),
            // row 3 is good.
            (
                "ds_giam_sat.0.noi_dung",
                "Thu chi quỹ làm đường ấp Bàu Khai",
            ),
            ("ds_giam_sat.0.thang", "ba"),
            ("ds_giam_sat.1.noi_dung", ""),
            ("ds_giam_sat.2.noi_dung", "Bình xét hộ nghèo"),
            ("ds_giam_sat.2.thang", "5"),
            ("ds_giam_sat.2.so_kien_nghi", "1.414"),
            ("_step", "nop"),
        ];
        let page = app.page(&c, &form).await;
        assert!(
            page.contains("name=\"ds_giam_sat.2.thang\"") && page.contains("Nội dung giám sát"),
            "the table has its columns and blank rows"
        );
        let r = app.post(&c, &form, &form, &fields).await;
        assert_eq!(r.status(), 400);
        let body = r.text().await.unwrap();
        assert!(
            body.contains("dòng 1, cột “Tháng” cần là số nguyên"),
            "a table cell's error names its row and column: {}",
            body.split("role=\"alert\"")
                .nth(1)
                .unwrap_or("")
                .chars()
                .take(1500)
                .collect::<String>()
        );
        assert!(body.contains("href=\"#f-ds_giam_sat.0.thang\""));
        assert!(
            body.contains("id=\"f-ds_giam_sat.0.thang\" name=\"ds_giam_sat.0.thang\" value=\"ba\"")
        );
        assert!(
            body.contains("“Số hộ tán thành” (1.150) không được lớn hơn “Số hộ tham gia” (1.100)."),
            "field error"
        );
        assert!(body.contains("value=\"1.150\""), "what was typed is kept");
        assert!(!body.contains("<script>alert"), "escaped");
        // Fixed and submitted.
        fields[5] = ("so_ho_tan_thanh", "1.050");
        fields[11] = ("ds_giam_sat.0.thang", "3");
        let r = app.post(&c, &form, &form, &fields).await;
        assert_eq!(r.status(), 303);
        // The redirect names the step done; the page shows the report's own status (the
        // notice "Đã nộp báo cáo." comes from the `?ok=` of the address alone).
        assert_eq!(r.headers()["location"], format!("{form}?ok=nop"));
        let page = app.page(&c, &format!("{form}?ok=nop")).await;
        assert!(page.contains("Đã nộp báo cáo."));
        assert!(
            page.contains("<p>Trạng thái: <strong>Đã nộp</strong></p>"),
            "the report's status"
        );
        // Phòng Nội vụ: the dashboard (late Thanh Tuyền, returned Long Tân), accepts An Lập.
        // "Trễ hạn" is also a column header and "Bị trả lại" a bar of the chart: each is
        // looked for in its unit's row.
        let nv = app.sign_in("noivu").await;
        let dash = app
            .page(&nv, &format!("/quan-tri/bao-cao/{}", round.id))
            .await;
        assert!(dash.contains("<svg"));
        let rows = between(&dash, "<tbody>", "</tbody>");
        let long_tan = row_with(rows, ">Xã Long Tân</a>");
        assert!(
            long_tan.contains("<td>Bị trả lại</td>"),
            "Long Tân returned: {long_tan}"
        );
        let thanh_tuyen = row_with(rows, ">Xã Thanh Tuyền</a>");
        assert!(
            thanh_tuyen.ends_with("</td><td>Trễ hạn</td>"),
            "Thanh Tuyền late: {thanh_tuyen}"
        );
        let tu_phap = row_with(rows, ">Phòng Tư pháp");
        assert!(
            tu_phap.ends_with("<td></td>"),
            "an office on time is not marked late: {tu_phap}"
        );
        let decide = format!("{form}/xu-ly");
        let r = app
            .post(&nv, &form, &decide, &[("step", "tra-lai"), ("reason", "")])
            .await;
        assert_eq!(r.status(), 400, "a return needs a reason");
        let r = app
            .post(&nv, &form, &decide, &[("step", "tiep-nhan")])
            .await;
        assert_eq!(r.status(), 303);
        let sub = rep::submission(&app.db, round.id, an_lap)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(sub.status, Status::Accepted);
        assert_eq!(sub.answers["tong_so_ho"], Value::Int(1320));
        let Value::Rows(rows) = &sub.answers["ds_giam_sat"] else {
            panic!("table answer");
        };
        assert_eq!(rows.len(), 2, "the blank row is not kept");
        assert_eq!(rows[1]["so_kien_nghi"], Value::Int(1414));
        // The reporter cannot accept their own report.
        let r = app.post(&c, &form, &decide, &[("step", "tiep-nhan")]).await;
        assert_eq!(r.status(), 403);
        // Consolidation: every accepted report, numbers the Vietnamese way.
        let cons = app
            .page(&nv, &format!("/quan-tri/bao-cao/{}/tong-hop", round.id))
            .await;
        let c_db = rep::consolidate(&app.db, round.id, false).await.unwrap();
        let th = c_db
            .indicators
            .iter()
            .position(|i| i.code == "tong_so_ho")
            .unwrap();
        let row = 5 + th; // the summary table starts on row 5
        assert_eq!(
            c_db.matrix.len(),
            13,
            "14 units, all accepted but Long Tân (returned)"
        );
        assert!(
            cons.contains(&c_db.totals[th].display()),
            "total households shown"
        );
        assert!(
            c_db.totals[th].display().contains('.'),
            "thousands with a dot"
        );
        assert!(cons.contains("Xã An Lập") && cons.contains("Cần thêm loa truyền thanh"));
        assert!(
            cons.contains("Xã An Lập: Bình xét hộ nghèo – 5 – 1.414"),
            "table rows listed with their unit, cells in column order"
        );
        // The XLSX export, read back cell by cell.
        let r = nv
            .get(app.at(&format!("/quan-tri/bao-cao/{}/tong-hop.xlsx", round.id)))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let bytes = r.bytes().await.unwrap().to_vec();
        let book = OfficeFile::open(&bytes);
        assert_eq!(book.sheet_names(), ["Tổng hợp", "Theo đơn vị"]);
        let summary = book.sheet(1);
        assert_eq!(summary[&format!("B{row}")], "Tổng số hộ");
        assert_eq!(summary[&format!("C{row}")], "hộ");
        let total = match c_db.totals[th] {
            Aggregate::Number(x) => x,
            _ => panic!("a number"),
        };
        assert_eq!(summary[&format!("D{row}")].parse::<f64>().unwrap(), total);
        let matrix = book.sheet(2);
        assert_eq!(matrix["A1"], "Đơn vị");
        assert_eq!(matrix["A2"], c_db.matrix[0].0, "units in Vietnamese order");
        assert!(book.frozen(1) && book.frozen(2), "header rows frozen");
        // The DOCX draft in the Decree 30/2020 layout, read back.
        let r = nv
            .get(app.at(&format!("/quan-tri/bao-cao/{}/bao-cao.docx", round.id)))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let docx = OfficeFile::open(&r.bytes().await.unwrap());
        let xml = &docx.files["word/document.xml"];
        roxmltree::Document::parse(xml).expect("well-formed WordprocessingML");
        for s in [
            "UBND HUYỆN DẦU TIẾNG",
            "PHÒNG NỘI VỤ",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Dầu Tiếng, ngày … tháng … năm …",
            "BÁO CÁO",
            "Nơi nhận:",
            "Tổng số hộ",
            &c_db.totals[th].display(),
        ] {
            assert!(xml.contains(s), "{s}");
        }
        assert!(docx.files["word/styles.xml"].contains("Times New Roman"));
        assert!(xml.contains("w:w=\"11906\" w:h=\"16838\""), "A4");
        // A reporter cannot download it.
        let r = c
            .get(app.at(&format!("/quan-tri/bao-cao/{}/tong-hop.xlsx", round.id)))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
    }
);

/// Just enough of an Office file reader (XLSX, DOCX: ZIP parts) to check cells, shared
/// strings, panes and document text.
pub(crate) struct OfficeFile {
    files: BTreeMap<String, String>,
}

impl OfficeFile {
    pub(crate) fn open(bytes: &[u8]) -> OfficeFile {
        use std::io::Read as _;
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
        let mut files = BTreeMap::new();
        for i in 0..zip.len() {
            let mut f = zip.by_index(i).unwrap();
            let mut s = String::new();
            if f.read_to_string(&mut s).is_ok() {
                files.insert(f.name().to_string(), s);
            }
        }
        OfficeFile { files }
    }

    pub(crate) fn sheet_names(&self) -> Vec<String> {
        let doc = roxmltree::Document::parse(&self.files["xl/workbook.xml"]).unwrap();
        doc.descendants()
            .filter(|n| n.has_tag_name("sheet"))
            .map(|n| n.attribute("name").unwrap().to_string())
            .collect()
    }

    fn shared(&self) -> Vec<String> {
        let Some(xml) = self.files.get("xl/sharedStrings.xml") else {
            return Vec::new();
        };
        let doc = roxmltree::Document::parse(xml).unwrap();
        doc.descendants()
            .filter(|n| n.has_tag_name("si"))
            .map(|si| {
                si.descendants()
                    .filter(|n| n.has_tag_name("t"))
                    .filter_map(|t| t.text())
                    .collect()
            })
            .collect()
    }

    pub(crate) fn sheet(&self, n: usize) -> BTreeMap<String, String> {
        let shared = self.shared();
        let doc = roxmltree::Document::parse(&self.files[&format!("xl/worksheets/sheet{n}.xml")])
            .unwrap();
        doc.descendants()
            .filter(|c| c.has_tag_name("c"))
            .filter_map(|c| {
                let v = c
                    .children()
                    .find(|v| v.has_tag_name("v"))?
                    .text()?
                    .to_string();
                let v = if c.attribute("t") == Some("s") {
                    shared[v.parse::<usize>().ok()?].clone()
                } else {
                    v
                };
                Some((c.attribute("r")?.to_string(), v))
            })
            .collect()
    }

    fn frozen(&self, n: usize) -> bool {
        self.files[&format!("xl/worksheets/sheet{n}.xml")].contains("state=\"frozen\"")
    }
}

both!(
    noi_vu_opens_a_round_from_the_form,
    |app: TestApp| async move {
        let template = rep::templates(&app.db).await.unwrap().remove(0);
        let tid = template.id.to_string();
        let an_lap = app.unit_id("25789").await.to_string();
        let minh_hoa = app.unit_id("25768").await.to_string();
        let nv = app.sign_in("noivu").await;
        let page = app.page(&nv, "/quan-tri/bao-cao/moi").await;
        assert!(page.contains("Quý I/") && page.contains("Xã An Lập"));
        // Errors name their fields, in Vietnamese; nothing is created.
        let r = app
            .post(
                &nv,
                "/quan-tri/bao-cao/moi",
                "/quan-tri/bao-cao/moi",
                &[
                    ("template_id", &tid),
                    ("title", ""),
                    ("period", "2024-Q9"),
                    ("deadline", "31/02/2024"),
                ],
            )
            .await;
        assert_eq!(r.status(), 400);
        let body = r.text().await.unwrap();
        for m in [
            "Hãy nhập tên đợt báo cáo.",
            "Kỳ báo cáo không hợp lệ.",
            "Hãy nhập hạn nộp",
            "Hãy chọn các đơn vị phải báo cáo.",
        ] {
            assert!(body.contains(m), "{m}");
        }
        assert_eq!(rep::rounds(&app.db).await.unwrap().len(), 1);
        // A quarter round: R30 cut-off 15/12/2023 → 14/03/2024.
        let r = app
            .post(
                &nv,
                "/quan-tri/bao-cao/moi",
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
        let r = app
            .post(
                &commune,
                "/quan-tri/bao-cao",
                "/quan-tri/bao-cao/moi",
                &[
                    ("template_id", &tid),
                    ("title", "X"),
                    ("period", "2024-Q2"),
                    ("deadline", "20/06/2024"),
                    ("unit", &an_lap),
                ],
            )
            .await;
        assert_eq!(r.status(), 400);
        assert!(r.text().await.unwrap().contains("Hãy chọn mẫu báo cáo."));
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

/// The editor's form fields for a template's rows (as the page would post them back).
fn editor_fields(
    rows: &[danchu_core::template_form::Row],
    rules: &[danchu_core::template_form::RuleRow],
) -> Vec<(String, String)> {
    let mut f = vec![
        ("rows".to_string(), rows.len().to_string()),
        ("rules".to_string(), rules.len().to_string()),
    ];
    for (n, r) in rows.iter().enumerate() {
        for (k, v) in [
            ("section", &r.section),
            ("code", &r.code),
            ("label", &r.label),
            ("kind", &r.kind),
            ("unit", &r.unit),
            ("min", &r.min),
            ("max", &r.max),
            ("aggregation", &r.aggregation),
            ("choices", &r.choices),
            ("columns", &r.columns),
            ("source", &r.source),
        ] {
            f.push((format!("i{n}_{k}"), v.clone()));
        }
        if r.required {
            f.push((format!("i{n}_required"), "1".into()));
        }
    }
    for (n, r) in rules.iter().enumerate() {
        f.push((format!("r{n}_left"), r.left.clone()));
        f.push((format!("r{n}_op"), r.op.clone()));
        f.push((format!("r{n}_right"), r.right.clone()));
    }
    f
}

both!(
    noi_vu_edits_a_template_and_rounds_keep_their_version,
    |app: TestApp| async move {
        let round = rep::rounds(&app.db).await.unwrap()[0].clone();
        let t1 = rep::templates(&app.db).await.unwrap()[0].clone();
        let nv = app.sign_in("noivu").await;
        let list = app.page(&nv, "/quan-tri/bao-cao/mau").await;
        assert!(list.contains("Báo cáo kết quả thực hiện dân chủ ở cơ sở"));
        let edit = format!("/quan-tri/bao-cao/mau/{}", t1.family_id);
        let page = app.page(&nv, &edit).await;
        assert!(page.contains("value=\"so_noi_dung_cong_khai\""));
        assert!(
            page.contains("noi_dung; Nội dung giám sát; text; ; *"),
            "table columns editable"
        );
        let (mut rows, rules) = danchu_core::template_form::rows_of(&t1.body);
        let n = rows.len();
        // "Thêm dòng trống" shows more rows and saves nothing.
        let mut fields = editor_fields(&rows, &rules);
        fields.push(("name".into(), t1.name.clone()));
        fields.push(("_step".into(), "them-dong".into()));
        let pairs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let r = app.post(&nv, &edit, &edit, &pairs).await;
        assert_eq!(r.status(), 200);
        assert!(r
            .text()
            .await
            .unwrap()
            .contains(&format!("name=\"i{}_code\"", n + 2)));
        assert_eq!(rep::templates(&app.db).await.unwrap().len(), 1);
        // A wrong code is shown by its field; nothing saved.
        rows.push(danchu_core::template_form::Row {
            section: "V. Bổ sung".into(),
            code: "Số hộ nghèo".into(),
            label: "Số hộ nghèo được bình xét công khai".into(),
            kind: "integer".into(),
            unit: "hộ".into(),
            aggregation: "sum".into(),
            ..Default::default()
        });
        let mut fields = editor_fields(&rows, &rules);
        fields.push(("name".into(), t1.name.clone()));
        let pairs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let r = app.post(&nv, &edit, &edit, &pairs).await;
        assert_eq!(r.status(), 400);
        let html = r.text().await.unwrap();
        assert!(html.contains(&format!("href=\"#i{n}_code\"")));
        assert!(html.contains("mã chỉ gồm chữ thường không dấu"));
        assert!(
            html.contains("value=\"Số hộ nghèo được bình xét công khai\""),
            "typed kept"
        );
        assert_eq!(rep::templates(&app.db).await.unwrap().len(), 1);
        // Fixed: saved as version 2; the open round keeps version 1.
        rows[n].code = "so_ho_ngheo".into();
        let mut fields = editor_fields(&rows, &rules);
        fields.push(("name".into(), t1.name.clone()));
        let pairs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let r = app.post(&nv, &edit, &edit, &pairs).await;
        assert_eq!(r.status(), 303);
        let all = rep::templates(&app.db).await.unwrap();
        assert_eq!(all.len(), 1, "the latest version of each template");
        let v2 = &all[0];
        assert_eq!(v2.version, 2);
        assert_eq!(v2.family_id, t1.family_id);
        assert!(v2.body.indicators().iter().any(|i| i.code == "so_ho_ngheo"));
        let (r1, used) = rep::round(&app.db, round.id).await.unwrap().unwrap();
        assert_eq!(r1.template_id, t1.id);
        assert_eq!(used.body, t1.body, "the round's template is unchanged");
        // Back on the editor, which shows the version now in use.
        assert_eq!(r.headers()["location"], format!("{edit}?ok=1"));
        let page = app.page(&nv, &format!("{edit}?ok=1")).await;
        assert!(page.contains("Đã lưu mẫu báo cáo."));
        assert!(page.contains("<p>Phiên bản 2. "), "version 2 shown");
        // A new template from scratch.
        let office = app.unit_id("721-NV").await.to_string();
        let r = app
            .post(
                &nv,
                "/quan-tri/bao-cao/mau/moi",
                "/quan-tri/bao-cao/mau/moi",
                &[
                    ("name", "Báo cáo công tác dân vận"),
                    ("unit_id", &office),
                    ("rows", "1"),
                    ("rules", "0"),
                    ("i0_code", "so_buoi"),
                    ("i0_label", "Số buổi tiếp xúc"),
                    ("i0_kind", "integer"),
                    ("i0_aggregation", "sum"),
                ],
            )
            .await;
        assert_eq!(r.status(), 303);
        assert_eq!(rep::templates(&app.db).await.unwrap().len(), 2);
        // Reporters cannot see or change templates.
        let c = app.sign_in("baocao.anlap").await;
        assert_eq!(
            c.get(app.at("/quan-tri/bao-cao/mau"))
                .send()
                .await
                .unwrap()
                .status(),
            403
        );
        assert_eq!(c.get(app.at(&edit)).send().await.unwrap().status(), 403);
    }
);

both!(
    reporters_attach_evidence_files_to_their_report,
    |app: TestApp| async move {
        let round = rep::rounds(&app.db).await.unwrap()[0].id;
        let an_lap = app.unit_id("25789").await;
        let form = format!("/quan-tri/bao-cao/{round}/don-vi/{an_lap}");
        let c = app.sign_in("baocao.anlap").await;
        let page = app.page(&c, &form).await;
        assert!(page.contains("enctype=\"multipart/form-data\""));
        let start = page.find("?_csrf=").unwrap() + 7;
        let token: String = page[start..].chars().take_while(|ch| *ch != '"').collect();
        let send = |fields: Vec<(&'static str, String)>, files: Vec<(&'static str, Vec<u8>)>| {
            let mut f = reqwest::multipart::Form::new();
            for (k, v) in fields {
                f = f.text(k, v);
            }
            for (name, bytes) in files {
                f = f.part(
                    "attachment",
                    reqwest::multipart::Part::bytes(bytes).file_name(name),
                );
            }
            c.post(app.at(&format!("{form}?_csrf={token}")))
                .multipart(f)
                .send()
        };
        // A draft with the minutes of a meeting attached.
        let pdf = crate::harness::pdf_with_text("Bien ban hop dan ap Bau Khai", 0);
        let r = send(
            vec![("tong_so_ho", "1.320".into()), ("_step", "nhap".into())],
            vec![("bien-ban-hop-dan.pdf", pdf)],
        )
        .await
        .unwrap();
        assert_eq!(r.status(), 303);
        let sub = rep::submission(&app.db, round, an_lap)
            .await
            .unwrap()
            .unwrap();
        let files = rep::files(&app.db, sub.id).await.unwrap();
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].name, "bien-ban-hop-dan.pdf");
        assert_eq!(sub.typed["tong_so_ho"], "1.320");
        let page = app.page(&c, &form).await;
        assert!(page.contains("bien-ban-hop-dan.pdf") && page.contains("name=\"remove_file\""));
        // A file that is not what it claims is refused; what was typed stays on the form.
        let r = send(
            vec![("tong_so_ho", "1.400".into()), ("_step", "nhap".into())],
            vec![("anh.jpg", b"MZ\x90\x00 not an image".to_vec())],
        )
        .await
        .unwrap();
        assert_eq!(r.status(), 400);
        let html = r.text().await.unwrap();
        assert!(html.contains("Loại tệp không được nhận"));
        assert!(html.contains("value=\"1.400\""));
        assert_eq!(
            rep::submission(&app.db, round, an_lap)
                .await
                .unwrap()
                .unwrap()
                .typed["tong_so_ho"],
            "1.320",
            "nothing saved"
        );
        // Removing the file.
        let r = send(
            vec![
                ("remove_file", files[0].id.to_string()),
                ("_step", "nhap".into()),
            ],
            vec![],
        )
        .await
        .unwrap();
        assert_eq!(r.status(), 303);
        assert!(rep::files(&app.db, sub.id).await.unwrap().is_empty());
        // Both changes are in the audit log.
        let n: i64 = app
            .db
            .fetch_optional(danchu_db::q(
                "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'report.files'",
            ))
            .await
            .unwrap()
            .unwrap()
            .get("n")
            .unwrap();
        assert_eq!(n, 2, "attaching and detaching are audited");
    }
);
