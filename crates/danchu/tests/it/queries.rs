//! No query per row (issue 13): every list page and list API sends as many statements
//! with ten times the rows as with the demo's. A page that read one more row per row
//! (an N+1) would send dozens more.

use danchu_db::audit::Actor;

use crate::both;
use crate::harness::TestApp;

/// Adds rows to every list: articles, documents, disclosures with forms, a report round
/// for every commune, progress entries with files, units, users, uploads.
async fn grow(app: &TestApp, task: (i64, i64)) {
    for args in [
        &["generate", "articles", "--count", "40"][..],
        &["generate", "disclosures", "--per-unit", "3"][..],
        &["generate", "reports", "--indicators", "4"][..],
    ] {
        let out = app.cli(args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let db = &app.db;
    let actor = Actor("test".into());
    let district = app.unit_id("721").await;
    for i in 0..30 {
        danchu_db::documents::create(
            db,
            &actor,
            &danchu_db::documents::DocumentInput {
                unit_id: district,
                number: format!("{}/QĐ-UBND", 100 + i),
                kind: "quyet-dinh".into(),
                issuer: "UBND huyện Dầu Tiếng".into(),
                issued_on: format!("2023-05-{:02}", 1 + i % 28),
                effective_on: None,
                signer: "Nguyễn Văn A".into(),
                field: "Dân chủ cơ sở".into(),
                summary: format!("Quyết định số {} về việc thực hiện dân chủ", 100 + i),
                status: "in_force".into(),
            },
        )
        .await
        .unwrap();
    }
    let an_lap = app.unit_id("25789").await;
    for i in 0..30 {
        danchu_db::units::create(
            db,
            &actor,
            &danchu_db::units::NewUnit {
                code: format!("25789-T{i}"),
                name: format!("Tổ dân cư số {i}"),
                kind: danchu_core::units::UnitKind::Village,
                parent_id: Some(an_lap),
                valid_from: None,
            },
        )
        .await
        .unwrap();
        danchu_db::users::create_with_grant(
            db,
            &actor,
            &format!("canbo{i}"),
            &format!("Cán bộ {i}"),
            danchu_db::users::dummy_hash(),
            danchu_core::roles::Role::Reporter,
            Some(an_lap),
        )
        .await
        .unwrap();
    }
    // Progress entries, each with two evidence files.
    let (task_id, unit) = task;
    let t = danchu_db::plans::task(&mut db.clone(), task_id)
        .await
        .unwrap()
        .unwrap();
    let due = t.due_dates();
    for i in 0..40 {
        let mut files = Vec::new();
        for j in 0..2 {
            let m = danchu_db::media::create(
                db,
                &actor,
                &danchu_db::media::Media {
                    id: 0,
                    unit_id: unit,
                    kind: "file".into(),
                    name: format!("bien-ban-{i}-{j}.pdf"),
                    stored_name: format!("{:032x}.pdf", (i * 2 + j) as u128 + 1),
                    mime: "application/pdf".into(),
                    size: 1000,
                    width: None,
                    height: None,
                    thumb_name: None,
                    text_note: String::new(),
                },
                "",
            )
            .await
            .unwrap();
            files.push(m.id);
        }
        danchu_db::plans::record_at(
            db,
            &actor,
            (task_id, unit),
            &danchu_db::plans::NewProgress {
                occurrence: due[i % due.len()].clone(),
                status: danchu_core::plans::TaskStatus::InProgress,
                note: format!("Lần cập nhật {i}"),
                files,
            },
            &[],
            1_690_000_000 + i as i64,
        )
        .await
        .unwrap();
    }
}

both!(
    issue13_list_pages_send_no_query_per_row,
    |app: TestApp| async move {
        let admin = app.sign_in("admin").await;
        let noivu = app.sign_in("noivu").await;
        let reporter = app.sign_in("baocao.anlap").await;
        let public = app.client();
        let an_lap = app.unit_id("25789").await;
        let row = app
            .db
            .fetch_optional(danchu_db::q(format!(
                "SELECT t.plan_id AS plan_id, t.id AS id FROM plan_tasks t WHERE t.lead_unit_id = {an_lap} OR EXISTS (SELECT 1 FROM plan_task_supporters s WHERE s.task_id = t.id AND s.unit_id = {an_lap}) ORDER BY t.id"
            )))
            .await
            .unwrap()
            .expect("a task of An Lập");
        let (plan, task): (i64, i64) = (row.get("plan_id").unwrap(), row.get("id").unwrap());
        let round: i64 = app
            .db
            .fetch_optional(danchu_db::q("SELECT MIN(id) AS id FROM report_rounds"))
            .await
            .unwrap()
            .unwrap()
            .get("id")
            .unwrap();
        let disclosure: i64 = app
            .db
            .fetch_optional(danchu_db::q(
                "SELECT MIN(id) AS id FROM disclosures WHERE public = 1",
            ))
            .await
            .unwrap()
            .unwrap()
            .get("id")
            .unwrap();
        let pages: Vec<(&reqwest::Client, String)> = vec![
            (&admin, "/quan-tri".into()),
            (&noivu, "/quan-tri".into()),
            (&reporter, "/quan-tri".into()),
            (&admin, "/quan-tri/bai-viet".into()),
            (&admin, "/quan-tri/bai-viet/moi".into()),
            (&admin, "/quan-tri/van-ban".into()),
            (&admin, "/quan-tri/van-ban/moi".into()),
            (&admin, "/quan-tri/tep".into()),
            (&admin, "/quan-tri/cong-khai".into()),
            (&admin, "/quan-tri/cong-khai/tuan-thu".into()),
            (&admin, "/quan-tri/cong-khai/danh-muc".into()),
            (&admin, format!("/quan-tri/cong-khai/{disclosure}")),
            (&noivu, "/quan-tri/bao-cao".into()),
            (&reporter, "/quan-tri/bao-cao".into()),
            (&noivu, format!("/quan-tri/bao-cao/{round}")),
            (&noivu, format!("/quan-tri/bao-cao/{round}/tong-hop")),
            (&noivu, "/quan-tri/bao-cao/moi".into()),
            (&noivu, "/quan-tri/ke-hoach".into()),
            (&noivu, format!("/quan-tri/ke-hoach/{plan}")),
            (
                &reporter,
                format!("/quan-tri/ke-hoach/{plan}/nhiem-vu/{task}/don-vi/{an_lap}"),
            ),
            (&admin, "/quan-tri/don-vi".into()),
            (&admin, format!("/quan-tri/don-vi/{an_lap}")),
            (&admin, "/quan-tri/nguoi-dung".into()),
            (&admin, "/quan-tri/nhat-ky".into()),
            (&admin, "/quan-tri/khoa-api".into()),
            (&admin, "/quan-tri/cong-thong-tin".into()),
            (&public, "/".into()),
            (&public, "/tin-tuc".into()),
            (&public, "/van-ban".into()),
            (&public, "/cong-khai".into()),
            (&public, format!("/cong-khai/{disclosure}")),
            (&public, "/ke-hoach".into()),
            (&public, format!("/ke-hoach/{plan}")),
            (&public, "/tim-kiem?q=dan+chu".into()),
            (&public, "/api/v1/tim-kiem?q=dan+chu".into()),
            (&public, "/api/v1/ke-hoach".into()),
            (&public, format!("/api/v1/ke-hoach/{plan}")),
            (&public, "/api/v1/cong-khai".into()),
            (&public, format!("/api/v1/cong-khai/{disclosure}")),
            (&noivu, "/api/v1/bao-cao/dot".into()),
            (&noivu, format!("/api/v1/bao-cao/dot/{round}")),
            (&noivu, format!("/api/v1/bao-cao/dot/{round}/tong-hop")),
            (
                &reporter,
                format!("/api/v1/ke-hoach/{plan}/nhiem-vu/{task}/don-vi/{an_lap}"),
            ),
            (&admin, "/api/v1/cong-khai/tuan-thu".into()),
        ];
        let mut small = Vec::new();
        for (c, p) in &pages {
            small.push(app.queries_of(c, p).await);
        }
        grow(&app, (task, an_lap)).await;
        let mut problems = Vec::new();
        for ((c, p), before) in pages.iter().zip(&small) {
            let after = app.queries_of(c, p).await;
            // A branch taken only once there are rows may add a statement or two; a query
            // per row would add tens.
            if after > before + 2 {
                problems.push(format!("{p}: {before} → {after} statements"));
            }
        }
        assert!(
            problems.is_empty(),
            "statements grew with the rows:\n{}",
            problems.join("\n")
        );
    }
);
