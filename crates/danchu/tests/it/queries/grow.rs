//! What [`grow`] adds, step by step (the order matters: some rows land in what an earlier
//! step added).

use danchu_core::disclosures::Channel;
use danchu_db::audit::Actor;

use crate::harness::TestApp;

use super::{Grown, MORE};

/// Adds rows to every list: articles, documents, disclosures with forms, report rounds
/// (and 30 more reports in the demo round), plans and tasks, progress entries with files,
/// units, users, uploads, API tokens, portal categories, link lists and banners, grants,
/// corrections and forms of the demo disclosure, renames of a commune.
pub(super) async fn grow(app: &TestApp, g: &Grown) {
    let district = app.unit_id("721").await;
    let an_lap = g.an_lap;
    portal_chrome(app, district).await;
    new_units(app, district).await;
    generated(app);
    let documents = documents(app, district).await;
    let villages = villages(app, an_lap).await;
    history(app, an_lap).await;
    roles(app).await;
    api_tokens(app).await;
    let template_id = demo_round(app, g, &villages).await;
    more_rounds(app, template_id, &villages, an_lap).await;
    plans(app, g, &documents, &villages).await;
    progress(app, g).await;
    corrections(app, g).await;
    short_of_a_form(app, an_lap).await;
    // Writes outside the server (the CLI, these calls) do not reach its page cache.
    app.state.cache.invalidate();
}

/// Portal chrome, before the articles so some land in the new categories.
async fn portal_chrome(app: &TestApp, district: i64) {
    let db = &app.db;
    let actor = Actor("test".into());
    for i in 0..MORE as i64 {
        danchu_db::portal::add_category(db, &actor, district, &format!("Chuyên mục {i}"), 10 + i)
            .await
            .unwrap();
        let group = danchu_db::portal::add_link_group(
            db,
            &actor,
            district,
            &format!("Liên kết {i}"),
            10 + i,
        )
        .await
        .unwrap();
        for j in 0..3 {
            danchu_db::portal::add_link(
                db,
                &actor,
                group.id,
                &format!("Trang {i}.{j}"),
                &format!("https://example.gov.vn/{i}/{j}"),
                j,
            )
            .await
            .unwrap();
        }
        danchu_db::portal::add_banner(
            db,
            &actor,
            &danchu_db::portal::BannerInput {
                unit_id: district,
                title: format!("Biểu ngữ {i}"),
                link_url: format!("/tin-tuc?trang={}", i + 1),
                valid_from: None,
                valid_to: None,
                position: 10 + i,
            },
            None,
            Vec::new(),
        )
        .await
        .unwrap();
    }
}

/// More districts (a system administrator chooses among the top units and their
/// children) and communes, before the generated disclosures and reports.
async fn new_units(app: &TestApp, district: i64) {
    use danchu_core::units::UnitKind::{Commune, District};
    let province = app.unit_id("74").await;
    for i in 0..MORE {
        let (code, name) = (format!("73{i}"), format!("Huyện Mới Số {i}"));
        app.create_unit([&code, &name], District, Some(province))
            .await;
    }
    for i in 0..MORE {
        let (code, name) = (format!("2580{i}"), format!("Xã Mới Số {i}"));
        app.create_unit([&code, &name], Commune, Some(district))
            .await;
    }
}

/// Generated articles, disclosures and reports (the CLI).
fn generated(app: &TestApp) {
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
}

/// Library documents (some followed up by plans below).
async fn documents(app: &TestApp, district: i64) -> Vec<i64> {
    let db = &app.db;
    let actor = Actor("test".into());
    let mut documents = Vec::new();
    for i in 0..30 {
        let d = danchu_db::documents::create(
            db,
            &actor,
            &danchu_db::documents::DocumentInput {
                unit_id: district,
                number: format!("{}/QĐ-UBND", 100 + i),
                kind: "quyet-dinh".into(),
                issuer: "UBND huyện Dầu Tiếng".into(),
                issued_on: danchu_core::text::parse_date(&format!("2023-05-{:02}", 1 + i % 28)),
                effective_on: None,
                signer: "Nguyễn Văn A".into(),
                field: "Dân chủ cơ sở".into(),
                summary: format!("Quyết định số {} về việc thực hiện dân chủ", 100 + i),
                status: "in_force".into(),
            },
        )
        .await
        .unwrap();
        documents.push(d.id);
    }
    documents
}

/// Villages of An Lập, each with a reporter.
async fn villages(app: &TestApp, an_lap: i64) -> Vec<i64> {
    let db = &app.db;
    let actor = Actor("test".into());
    let mut villages = Vec::new();
    for i in 0..30 {
        let (code, name) = (format!("25789-T{i}"), format!("Tổ dân cư số {i}"));
        let village = danchu_core::units::UnitKind::Village;
        let v = app.create_unit([&code, &name], village, Some(an_lap)).await;
        villages.push(v.id);
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
    villages
}

/// An Lập's history: renames, back to its name at the end.
async fn history(app: &TestApp, an_lap: i64) {
    let db = &app.db;
    let actor = Actor("test".into());
    for i in 1..=MORE {
        let name = if i == MORE {
            "Xã An Lập".to_string()
        } else {
            format!("Xã An Lập ({i})")
        };
        danchu_db::units::rename(db, &actor, an_lap, &name)
            .await
            .unwrap();
    }
}

/// More roles for the dashboards' role lists (and Phòng Nội vụ's overdue postings).
async fn roles(app: &TestApp) {
    let db = &app.db;
    let actor = Actor("test".into());
    let user = |name: &'static str| async move {
        danchu_db::users::by_username(db, name)
            .await
            .unwrap()
            .unwrap()
            .0
            .id
    };
    use danchu_core::roles::Role::{Editor, UnitAdmin};
    for (username, role, codes) in [
        (
            "admin",
            Editor,
            ["25768", "25771", "25774", "25777", "25780"],
        ),
        (
            "noivu",
            UnitAdmin,
            ["721-TP", "721-TCKH", "721-VHTT", "721-TNMT", "721-TTVHTT"],
        ),
    ] {
        let user = user(username).await;
        for code in codes {
            let unit = app.unit_id(code).await;
            danchu_db::users::grant(db, &actor, user, role, Some(unit))
                .await
                .unwrap();
        }
    }
}

/// API tokens.
async fn api_tokens(app: &TestApp) {
    let db = &app.db;
    let actor = Actor("test".into());
    for (i, code) in ["25789", "25768", "25771", "721-NV", "721"]
        .iter()
        .enumerate()
    {
        let unit = app.unit_id(code).await;
        danchu_db::api_tokens::create(db, &actor, unit, &format!("Phần mềm số {i}"))
            .await
            .unwrap();
    }
}

/// The demo round gets the 30 new villages, each reporting and accepted; its template.
async fn demo_round(app: &TestApp, g: &Grown, villages: &[i64]) -> i64 {
    let db = &app.db;
    let actor = Actor("test".into());
    let (round, _) = danchu_db::reporting::round(db, g.round)
        .await
        .unwrap()
        .unwrap();
    let minh_hoa = app.unit_id("25768").await;
    let typed = danchu_db::reporting::submission(db, g.round, minh_hoa)
        .await
        .unwrap()
        .unwrap()
        .typed;
    for v in villages {
        db.execute(
            danchu_db::q("INSERT INTO report_round_units (round_id, unit_id) VALUES ($1, $2)")
                .bind(g.round)
                .bind(*v),
        )
        .await
        .unwrap();
        let danchu_db::reporting::Saved::Done(sub) = danchu_db::reporting::save(
            db,
            &actor,
            g.round,
            *v,
            &typed,
            danchu_core::reporting::Step::Submit,
        )
        .await
        .unwrap() else {
            panic!("report of village {v} not accepted by the template");
        };
        danchu_db::reporting::decide(db, &actor, sub.id, danchu_core::reporting::Step::Accept, "")
            .await
            .unwrap()
            .unwrap();
    }
    round.template_id
}

/// More rounds of Phòng Nội vụ for An Lập and its villages (still to report), and more
/// templates.
async fn more_rounds(app: &TestApp, template_id: i64, villages: &[i64], an_lap: i64) {
    let db = &app.db;
    let actor = Actor("test".into());
    let office = app.unit_id("721-NV").await;
    let mut units = villages.to_vec();
    units.push(an_lap);
    for i in 0..MORE {
        danchu_db::reporting::create_round(
            db,
            &actor,
            &danchu_db::reporting::NewRound {
                template: Some((template_id, office)),
                title: format!("Đợt bổ sung {i}"),
                period: danchu_core::reporting::Period::SecondHalf { year: 2026 }.code(),
                cutoff: None,
                deadline: Some(time::macros::date!(2026 - 12 - 20)),
                units: units.clone(),
            },
        )
        .await
        .unwrap();
    }
    let template = danchu_db::reporting::templates(db)
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.id == template_id)
        .unwrap();
    for i in 0..MORE {
        danchu_db::reporting::create_template(
            db,
            &actor,
            office,
            &format!("Mẫu bổ sung {i}"),
            &template.body,
        )
        .await
        .unwrap();
    }
}

/// Plans: more library documents followed up, each with tasks for An Lập; and more
/// tasks in the demo plan, with the villages supporting.
async fn plans(app: &TestApp, g: &Grown, documents: &[i64], villages: &[i64]) {
    let db = &app.db;
    let actor = Actor("test".into());
    let (an_lap, office) = (g.an_lap, app.unit_id("721-NV").await);
    let task = |content: String, supporters: Vec<i64>| danchu_db::plans::NewTask {
        content,
        expected_output: "Báo cáo".into(),
        lead_unit_id: an_lap,
        supporters,
        due_on: Some(time::macros::date!(2026 - 12 - 31)),
        recurrence: danchu_core::plans::Recurrence::Once,
        until_on: None,
    };
    for (i, d) in documents.iter().take(MORE).enumerate() {
        let plan = danchu_db::plans::create(db, &actor, *d, office)
            .await
            .unwrap();
        for (j, v) in villages.iter().take(2).enumerate() {
            danchu_db::plans::add_task(
                db,
                &actor,
                plan.id,
                &task(format!("Nhiệm vụ {j} của kế hoạch {i}"), vec![*v]),
            )
            .await
            .unwrap();
        }
    }
    for j in 0..MORE {
        danchu_db::plans::add_task(
            db,
            &actor,
            g.plan,
            &task(
                format!("Nhiệm vụ bổ sung {j}"),
                villages[j * 6..j * 6 + 6].to_vec(),
            ),
        )
        .await
        .unwrap();
    }
}

/// Progress entries, each with two evidence files.
async fn progress(app: &TestApp, g: &Grown) {
    let db = &app.db;
    let actor = Actor("test".into());
    let an_lap = g.an_lap;
    let (task_id, unit) = (g.task, an_lap);
    let t = danchu_db::plans::task(&mut db.clone(), task_id)
        .await
        .unwrap()
        .unwrap();
    let due = t.due_days();

    for i in 0..40 {
        let mut files = Vec::new();
        for j in 0..2 {
            let name = format!("bien-ban-{i}-{j}.pdf");
            files.push(evidence(app, unit, name, (i * 2 + j) as u128 + 1).await);
        }
        danchu_db::plans::record_at(
            db,
            &actor,
            (t.plan_id, task_id, unit),
            &danchu_db::plans::NewProgress {
                occurrence: danchu_db::plans::Due::On(Some(due[i % due.len()])),
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

/// Records an evidence file of `unit` (PDF, 1,000 bytes) named `n`, whose stored name is
/// made of `stored`; its id.
async fn evidence(app: &TestApp, unit: i64, n: String, stored: u128) -> i64 {
    let m = danchu_db::media::Media {
        id: 0,
        unit_id: unit,
        kind: "file".into(),
        name: n,
        stored_name: format!("{stored:032x}.pdf"),
        mime: "application/pdf".into(),
        size: 1000,
        width: None,
        height: None,
        thumb_name: None,
        text_note: String::new(),
    };
    danchu_db::media::create(&app.db, &Actor("test".into()), &m, "")
        .await
        .unwrap()
        .id
}

/// The demo disclosure: corrections, and more notice-board postings, each with two
/// evidence files.
async fn corrections(app: &TestApp, g: &Grown) {
    let db = &app.db;
    let actor = Actor("test".into());
    let d = danchu_db::disclosures::get(&mut db.clone(), g.disclosure)
        .await
        .unwrap()
        .unwrap();
    for i in 0..MORE as u128 {
        danchu_db::disclosures::correct(
            db,
            &actor,
            d.id,
            &format!("{} (đính chính {i})", d.title),
            "<p>Nội dung đã đính chính.</p>",
            "Đính chính số liệu",
        )
        .await
        .unwrap();
        let mut files = Vec::new();
        for j in 0..2 {
            let name = format!("anh-niem-yet-{i}-{j}.pdf");
            files.push(evidence(app, d.unit_id, name, 1000 + i * 2 + j).await);
        }
        let evidence = format!("Niêm yết lại lần {i}");
        add_channel(
            app,
            d.id,
            Channel::NoticeBoard,
            "2026-11-30",
            evidence,
            files,
        )
        .await;
    }
}

/// Postings of An Lập in 2025 on the notice board and the portal only, of a category
/// that requires another form too: short of a required form.
async fn short_of_a_form(app: &TestApp, an_lap: i64) {
    let db = &app.db;
    let actor = Actor("test".into());
    let (category, _) = danchu_db::disclosures::categories(db)
        .await
        .unwrap()
        .into_iter()
        .find(|(_, c)| {
            c.scope == danchu_core::disclosures::COMMUNE
                && c.every.is_empty()
                && c.channels.iter().any(|ch| {
                    !matches!(
                        ch,
                        Channel::NoticeBoard | Channel::Portal | Channel::Broadcast
                    )
                })
        })
        .unwrap();
    for i in 0..MORE {
        let posted = danchu_db::disclosures::create(
            db,
            &actor,
            &danchu_db::disclosures::NewDisclosure {
                unit_id: an_lap,
                category_id: category,
                title: format!("Niêm yết chưa đủ hình thức {i}"),
                body: "<p>Nội dung.</p>".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        for channel in [Channel::NoticeBoard, Channel::Portal] {
            let day = format!("2025-03-0{}", i + 1);
            add_channel(app, posted.id, channel, &day, String::new(), Vec::new()).await;
        }
    }
}

/// Records the posting form `channel` of the disclosure `id` from the day `starts_on`
/// (open-ended), with `evidence` and the evidence `files`.
async fn add_channel(
    app: &TestApp,
    id: i64,
    channel: Channel,
    starts_on: &str,
    evidence: String,
    files: Vec<i64>,
) {
    danchu_db::disclosures::add_channel(
        &app.db,
        &Actor("test".into()),
        id,
        &danchu_db::disclosures::NewChannel {
            channel,
            starts_on: danchu_core::text::parse_date(starts_on),
            ends_on: None,
            evidence,
            files,
            notices: Vec::new(),
        },
    )
    .await
    .unwrap();
}
