//! The reporter and Phòng Nội vụ work through the pages: the form, errors, submission,
//! return, acceptance, the dashboard and the exports.

use danchu_core::reporting::{Aggregate, Status, Value};
use danchu_db::audit::Actor;
use danchu_db::reporting::{self as rep};
use time::macros::date;

use crate::both;
use crate::harness::{between, row_with, OfficeFile, TestApp};

both!(
    reporter_and_noi_vu_work_through_the_pages,
    crate::reporting::NOI_VU_AND_AN_LAP,
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
        assert_eq!(app.get(&c, &other).await.status(), 403);
        assert_eq!(
            app.get(&c, &format!("/quan-tri/bao-cao/{}", round.id))
                .await
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
        let r = app
            .get(
                &nv,
                &format!("/quan-tri/bao-cao/{}/tong-hop.xlsx", round.id),
            )
            .await;
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
        let r = app
            .get(&nv, &format!("/quan-tri/bao-cao/{}/bao-cao.docx", round.id))
            .await;
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
        let r = app
            .get(&c, &format!("/quan-tri/bao-cao/{}/tong-hop.xlsx", round.id))
            .await;
        assert_eq!(r.status(), 403);
    }
);
