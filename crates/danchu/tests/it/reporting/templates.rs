//! Phòng Nội vụ edits a template; rounds keep the version they were opened with.

use danchu_core::template_form::{Row, RuleRow};
use danchu_db::reporting::{self as rep};

use crate::both;
use crate::harness::{assert_page, Fixture, TestApp};

/// The editor's form fields for a template's rows (as the page would post them back).
fn editor_fields(rows: &[Row], rules: &[RuleRow]) -> Vec<(String, String)> {
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

/// Submits the template editor at `edit` as `c`: the `rows` and `rules`, the template's
/// `name`, then `more` fields.
async fn save(
    app: &TestApp,
    c: &reqwest::Client,
    edit: &str,
    (rows, rules): (&[Row], &[RuleRow]),
    name: &str,
    more: &[(&str, &str)],
) -> reqwest::Response {
    let fields = editor_fields(rows, rules);
    let mut pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    pairs.push(("name", name));
    pairs.extend_from_slice(more);
    app.post(c, edit, edit, &pairs).await
}

both!(
    noi_vu_edits_a_template_and_rounds_keep_their_version,
    Fixture::units()
        .with_reporting()
        .with_users(&["noivu", "baocao.anlap"]),
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
        let r = save(
            &app,
            &nv,
            &edit,
            (&rows, &rules),
            &t1.name,
            &[("_step", "them-dong")],
        )
        .await;
        assert_page(r, 200, &format!("name=\"i{}_code\"", n + 2)).await;
        assert_eq!(rep::templates(&app.db).await.unwrap().len(), 1);
        // A wrong code is shown by its field; nothing saved.
        rows.push(Row {
            section: "V. Bổ sung".into(),
            code: "Số hộ nghèo".into(),
            label: "Số hộ nghèo được bình xét công khai".into(),
            kind: "integer".into(),
            unit: "hộ".into(),
            aggregation: "sum".into(),
            ..Default::default()
        });
        let r = save(&app, &nv, &edit, (&rows, &rules), &t1.name, &[]).await;
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
        let r = save(&app, &nv, &edit, (&rows, &rules), &t1.name, &[]).await;
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
        assert_eq!(app.get(&c, "/quan-tri/bao-cao/mau").await.status(), 403);
        assert_eq!(app.get(&c, &edit).await.status(), 403);
    }
);
