//! No query per row (issue 13): every list page and list API sends as many statements
//! with many more rows as with the demo's. A page that read one more row per row
//! (an N+1) would send dozens more. Each page also proves that its rows did grow between
//! the two measurements (a page showing the same rows twice would hide a query per row):
//! its rows are counted in the HTML by a marker read from its template, or in the JSON
//! by the length of its arrays.

use danchu_core::disclosures::Channel;
use danchu_db::audit::Actor;

use crate::both;
use crate::harness::TestApp;

/// How many more of each thing [`grow`] adds at least, above the statements' slack
/// ([`SLACK`]): a statement per row would show.
const MORE: usize = 5;
/// Statements a page may send more once it has more rows (a branch taken only once there
/// are rows); a query per row would add at least [`MORE`].
const SLACK: u32 = 2;

/// Adds rows to every list: articles, documents, disclosures with forms, report rounds
/// (and 30 more reports in the demo round), plans and tasks, progress entries with files,
/// units, users, uploads, API tokens, portal categories, link lists and banners, grants,
/// corrections and forms of the demo disclosure, renames of a commune.
async fn grow(app: &TestApp, g: &Grown) {
    let db = &app.db;
    let actor = Actor("test".into());
    let district = app.unit_id("721").await;
    let an_lap = g.an_lap;
    // Portal chrome, before the articles so some land in the new categories.
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
    // More districts (a system administrator chooses among the top units and their
    // children) and communes, before the generated disclosures and reports.
    let province = app.unit_id("74").await;
    for i in 0..MORE {
        danchu_db::units::create(
            db,
            &actor,
            &danchu_db::units::NewUnit {
                code: format!("73{i}"),
                name: format!("Huyện Mới Số {i}"),
                kind: danchu_core::units::UnitKind::District,
                parent_id: Some(province),
                valid_from: None,
            },
        )
        .await
        .unwrap();
    }
    for i in 0..MORE {
        danchu_db::units::create(
            db,
            &actor,
            &danchu_db::units::NewUnit {
                code: format!("2580{i}"),
                name: format!("Xã Mới Số {i}"),
                kind: danchu_core::units::UnitKind::Commune,
                parent_id: Some(district),
                valid_from: None,
            },
        )
        .await
        .unwrap();
    }
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
    let mut villages = Vec::new();
    for i in 0..30 {
        let v = danchu_db::units::create(
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
    // An Lập's history: renames, back to its name at the end.
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
    // More roles for the dashboards' role lists (and Phòng Nội vụ's overdue postings).
    let user = |name: &'static str| async move {
        danchu_db::users::by_username(db, name)
            .await
            .unwrap()
            .unwrap()
            .0
            .id
    };
    let (admin, noivu) = (user("admin").await, user("noivu").await);
    for code in ["25768", "25771", "25774", "25777", "25780"] {
        let unit = app.unit_id(code).await;
        danchu_db::users::grant(
            db,
            &actor,
            admin,
            danchu_core::roles::Role::Editor,
            Some(unit),
        )
        .await
        .unwrap();
    }
    for code in ["721-TP", "721-TCKH", "721-VHTT", "721-TNMT", "721-TTVHTT"] {
        let unit = app.unit_id(code).await;
        danchu_db::users::grant(
            db,
            &actor,
            noivu,
            danchu_core::roles::Role::UnitAdmin,
            Some(unit),
        )
        .await
        .unwrap();
    }
    // API tokens.
    for (i, code) in ["25789", "25768", "25771", "721-NV", "721"]
        .iter()
        .enumerate()
    {
        let unit = app.unit_id(code).await;
        danchu_db::api_tokens::create(db, &actor, unit, &format!("Phần mềm số {i}"))
            .await
            .unwrap();
    }
    // The demo round gets the 30 new villages, each reporting and accepted.
    let office = app.unit_id("721-NV").await;
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
    for v in &villages {
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
    // More rounds of Phòng Nội vụ for An Lập and its villages (still to report), and more
    // templates.
    let mut units = villages.clone();
    units.push(an_lap);
    for i in 0..MORE {
        danchu_db::reporting::create_round(
            db,
            &actor,
            &danchu_db::reporting::NewRound {
                template: Some((round.template_id, office)),
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
        .find(|t| t.id == round.template_id)
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
    // Plans: more library documents followed up, each with tasks for An Lập; and more
    // tasks in the demo plan, with the villages supporting.
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
    // Progress entries, each with two evidence files.
    let (task_id, unit) = (g.task, an_lap);
    let t = danchu_db::plans::task(&mut db.clone(), task_id)
        .await
        .unwrap()
        .unwrap();
    let due = t.due_dates();
    let file = |n: String, stored: u128| danchu_db::media::Media {
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
    for i in 0..40 {
        let mut files = Vec::new();
        for j in 0..2 {
            let m = danchu_db::media::create(
                db,
                &actor,
                &file(format!("bien-ban-{i}-{j}.pdf"), (i * 2 + j) as u128 + 1),
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
    // The demo disclosure: corrections, and more notice-board postings, each with two
    // evidence files.
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
            let m = danchu_db::media::create(
                db,
                &actor,
                &danchu_db::media::Media {
                    unit_id: d.unit_id,
                    ..file(format!("anh-niem-yet-{i}-{j}.pdf"), 1000 + i * 2 + j)
                },
                "",
            )
            .await
            .unwrap();
            files.push(m.id);
        }
        danchu_db::disclosures::add_channel(
            db,
            &actor,
            d.id,
            &danchu_db::disclosures::NewChannel {
                channel: Channel::NoticeBoard,
                starts_on: danchu_core::text::parse_date("2026-11-30"),
                ends_on: None,
                evidence: format!("Niêm yết lại lần {i}"),
                files,
                notices: Vec::new(),
            },
        )
        .await
        .unwrap();
    }
    // Postings of An Lập in 2025 on the notice board and the portal only, of a category
    // that requires another form too: short of a required form.
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
            danchu_db::disclosures::add_channel(
                db,
                &actor,
                posted.id,
                &danchu_db::disclosures::NewChannel {
                    channel,
                    starts_on: danchu_core::text::parse_date(&format!("2025-03-0{}", i + 1)),
                    ends_on: None,
                    evidence: String::new(),
                    files: Vec::new(),
                    notices: Vec::new(),
                },
            )
            .await
            .unwrap();
        }
    }
    // Writes outside the server (the CLI, these calls) do not reach its page cache.
    app.state.cache.invalidate();
}

/// The demo rows the pages are measured on.
struct Grown {
    an_lap: i64,
    plan: i64,
    task: i64,
    round: i64,
    disclosure: i64,
}

/// How a page's rows are counted.
enum Rows {
    /// Occurrences of each marker in the HTML, one marker per list on the page (each
    /// chosen from the page's template); every list must gain more than [`SLACK`] rows.
    Html(Vec<String>),
    /// The lengths of the arrays at these paths of the JSON (`*` steps into every
    /// element of an array); every one must gain more than [`SLACK`] rows.
    Json(Vec<&'static str>),
    /// Rows that cannot grow (why, marker): counted to show they are there and the same.
    Fixed(&'static str, &'static str),
}

fn html(markers: &[&str]) -> Rows {
    Rows::Html(markers.iter().map(|m| m.to_string()).collect())
}

/// The number of elements of the arrays at `path` (`a/*/b`) under `v`.
fn json_len(v: &serde_json::Value, path: &[&str]) -> usize {
    match path.split_first() {
        None => v.as_array().map_or(0, Vec::len),
        Some((&"*", rest)) => v
            .as_array()
            .map_or(0, |a| a.iter().map(|x| json_len(x, rest)).sum()),
        Some((key, rest)) => v.get(key).map_or(0, |x| json_len(x, rest)),
    }
}

/// The statements a GET of a page sends (asserting 200), and its rows, per list. The rows
/// are read from a second GET: the same page (an anonymous visitor's from the page cache
/// the first one filled, anyone else's rendered again from the same data).
async fn measure(app: &TestApp, c: &reqwest::Client, path: &str, rows: &Rows) -> (u32, Vec<usize>) {
    let queries = app.queries_of(c, path).await;
    let body = app.page(c, path).await;
    let counts = match rows {
        Rows::Html(markers) => markers
            .iter()
            .map(|m| body.matches(m.as_str()).count())
            .collect(),
        Rows::Fixed(_, marker) => vec![body.matches(marker).count()],
        Rows::Json(paths) => {
            let v: serde_json::Value =
                serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}"));
            paths
                .iter()
                .map(|p| {
                    let steps: Vec<&str> = p.trim_start_matches('/').split('/').collect();
                    json_len(&v, &steps)
                })
                .collect()
        }
    };
    (queries, counts)
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
        let min_id = |sql: &'static str| {
            let db = app.db.clone();
            async move {
                db.fetch_optional(danchu_db::q(sql))
                    .await
                    .unwrap()
                    .unwrap()
                    .get::<i64>("id")
                    .unwrap()
            }
        };
        let round = min_id("SELECT MIN(id) AS id FROM report_rounds").await;
        let disclosure = min_id("SELECT MIN(id) AS id FROM disclosures WHERE public = 1").await;
        let g = Grown {
            an_lap,
            plan,
            task,
            round,
            disclosure,
        };
        let json = |paths: &[&'static str]| Rows::Json(paths.to_vec());
        let pages: Vec<(&reqwest::Client, String, Rows)> = vec![
            // Role lines.
            (&admin, "/quan-tri".into(), html(&["</strong> — "])),
            // Role lines, overdue postings.
            (
                &noivu,
                "/quan-tri".into(),
                html(&["</strong> — ", "<li><strong class=\"overdue\">"]),
            ),
            // Reports to send, plan tasks.
            (
                &reporter,
                "/quan-tri".into(),
                html(&["href=\"/quan-tri/bao-cao/", "href=\"/quan-tri/ke-hoach/"]),
            ),
            (
                &admin,
                "/quan-tri/bai-viet".into(),
                html(&["\"><a href=\"/quan-tri/bai-viet/"]),
            ),
            // Categories and units to choose, files to attach.
            (
                &admin,
                "/quan-tri/bai-viet/moi".into(),
                html(&["<option value=\"", "name=\"attachment\" value=\""]),
            ),
            (&admin, "/quan-tri/van-ban".into(), html(&["\" class=\"docno\">"])),
            (
                &admin,
                "/quan-tri/van-ban/moi".into(),
                html(&["<option value=\"", "name=\"file\" value=\""]),
            ),
            (&admin, "/quan-tri/tep".into(), html(&["<a href=\"/tep/"])),
            (
                &admin,
                "/quan-tri/cong-khai".into(),
                html(&["<li><a href=\"/quan-tri/cong-khai/"]),
            ),
            // `generate disclosures` posts in 2025 (the default year is today's): units of
            // the register, disclosures short of a required form. (Its list of unmet
            // obligations shrinks as the generated postings meet them; the API's
            // obligations are counted below.)
            (
                &admin,
                "/quan-tri/cong-khai/tuan-thu?nam=2025".into(),
                html(&[
                    "<th scope=\"row\"><a href=\"/cong-khai?don_vi=",
                    "<li><a href=\"/quan-tri/cong-khai/",
                ]),
            ),
            (
                &admin,
                "/quan-tri/cong-khai/danh-muc".into(),
                Rows::Fixed(
                    "the categories of Law 10/2022/QH15 Art. 11 and of Luật PCTN Art. 10 are set by law",
                    "<form method=\"post\" action=\"/quan-tri/cong-khai/danh-muc/",
                ),
            ),
            // Forms used, their evidence files, versions.
            (
                &admin,
                format!("/quan-tri/cong-khai/{disclosure}"),
                html(&[
                    "<tr><th scope=\"row\">",
                    "<a href=\"/tep/",
                    "</summary><div class=\"body\">",
                ]),
            ),
            (&noivu, "/quan-tri/bao-cao".into(), html(&["href=\"/quan-tri/bao-cao/"])),
            (
                &reporter,
                "/quan-tri/bao-cao".into(),
                html(&["href=\"/quan-tri/bao-cao/"]),
            ),
            (
                &noivu,
                format!("/quan-tri/bao-cao/{round}"),
                html(&["<tr><th scope=\"row\"><a href=\"/quan-tri/bao-cao/"]),
            ),
            // The indicators (fixed) and one row per accepted report.
            (
                &noivu,
                format!("/quan-tri/bao-cao/{round}/tong-hop"),
                html(&["<tr><th scope=\"row\">"]),
            ),
            // Templates and periods to choose, units to ask.
            (
                &noivu,
                "/quan-tri/bao-cao/moi".into(),
                html(&["<option value=\"", "name=\"unit\" value=\""]),
            ),
            // Plans; documents and offices to choose.
            (
                &noivu,
                "/quan-tri/ke-hoach".into(),
                html(&["<strong><a href=\"/quan-tri/ke-hoach/", "<option value=\""]),
            ),
            // A row per task and unit, the chart's units, units to choose.
            (
                &noivu,
                format!("/quan-tri/ke-hoach/{plan}"),
                html(&[
                    &format!("href=\"/quan-tri/ke-hoach/{plan}/nhiem-vu/"),
                    "<rect class=\"bar-ok\"",
                    "name=\"supporter\" value=\"",
                ]),
            ),
            // Progress entries, their files.
            (
                &reporter,
                format!("/quan-tri/ke-hoach/{plan}/nhiem-vu/{task}/don-vi/{an_lap}"),
                html(&["<li><strong>", "<li><a href=\"/tep/"]),
            ),
            // The new villages are under An Lập.
            (
                &admin,
                format!("/quan-tri/don-vi?parent={an_lap}"),
                html(&["<a class=\"small\" href=\"/quan-tri/don-vi/"]),
            ),
            // Its history (only that list has items on a GET).
            (&admin, format!("/quan-tri/don-vi/{an_lap}"), html(&["<li>"])),
            // Users, their roles.
            (
                &admin,
                "/quan-tri/nguoi-dung".into(),
                html(&["<td data-label=\"Tên đăng nhập\">", "action=\"/quan-tri/vai-tro/"]),
            ),
            // A page of 50: the units' entries (fewer than 50 in the demo).
            (
                &admin,
                "/quan-tri/nhat-ky?entity_type=unit".into(),
                html(&["<tr><td>"]),
            ),
            (&admin, "/quan-tri/khoa-api".into(), html(&["<tr><th scope=\"row\">"])),
            // Categories, link lists, links, banners.
            (
                &admin,
                "/quan-tri/cong-thong-tin".into(),
                html(&[
                    "action=\"/quan-tri/cong-thong-tin/chuyen-muc/",
                    "action=\"/quan-tri/cong-thong-tin/nhom-lien-ket/",
                    "action=\"/quan-tri/cong-thong-tin/lien-ket/",
                    "action=\"/quan-tri/cong-thong-tin/bieu-ngu/",
                ]),
            ),
            // Articles; the chrome's banners and link lists.
            (
                &public,
                "/".into(),
                html(&["<li class=\"card\">", "<a class=\"banner", "<section class=\"links\">"]),
            ),
            // Ten a page: the demo's second page is not full.
            (&public, "/tin-tuc?trang=2".into(), html(&["<li class=\"card\">"])),
            (&public, "/van-ban".into(), html(&["\" class=\"docno\">"])),
            // Twenty a page: one commune's.
            (
                &public,
                format!("/cong-khai?don_vi={an_lap}"),
                html(&["<li><a href=\"/cong-khai/"]),
            ),
            (
                &public,
                format!("/cong-khai/{disclosure}"),
                html(&["<tr><th scope=\"row\">", "<a href=\"/tep/", "<li><strong>"]),
            ),
            (&public, "/ke-hoach".into(), html(&["<li><a href=\"/ke-hoach/"])),
            // The chart's units; a line per task and unit.
            (
                &public,
                format!("/ke-hoach/{plan}"),
                html(&["<rect class=\"bar-ok\"", " (phối hợp): ", " (chủ trì): "]),
            ),
            (&public, "/tim-kiem?q=dan+chu".into(), html(&["<h2><a href="])),
            (&public, "/api/v1/tim-kiem?q=dan+chu".into(), json(&["results"])),
            (&public, "/api/v1/ke-hoach".into(), json(&["plans"])),
            (
                &public,
                format!("/api/v1/ke-hoach/{plan}"),
                json(&["tasks", "tasks/*/units", "units"]),
            ),
            // Fifty a page: one commune's.
            (
                &public,
                format!("/api/v1/cong-khai?don_vi={an_lap}"),
                json(&["items"]),
            ),
            (
                &public,
                format!("/api/v1/cong-khai/{disclosure}"),
                json(&["versions", "channels", "channels/*/files"]),
            ),
            (&noivu, "/api/v1/bao-cao/dot".into(), json(&["rounds"])),
            (
                &noivu,
                format!("/api/v1/bao-cao/dot/{round}"),
                json(&["dashboard/units"]),
            ),
            (
                &noivu,
                format!("/api/v1/bao-cao/dot/{round}/tong-hop"),
                json(&["units"]),
            ),
            (
                &reporter,
                format!("/api/v1/ke-hoach/{plan}/nhiem-vu/{task}/don-vi/{an_lap}"),
                json(&["progress", "progress/*/files"]),
            ),
            (
                &admin,
                "/api/v1/cong-khai/tuan-thu?nam=2025".into(),
                json(&["units", "obligations", "unmet_forms"]),
            ),
        ];
        let mut small = Vec::new();
        for (c, p, rows) in &pages {
            small.push(measure(&app, c, p, rows).await);
        }
        grow(&app, &g).await;
        let mut problems = Vec::new();
        let mut table = Vec::new();
        for ((c, p, rows), (before, rows_before)) in pages.iter().zip(&small) {
            let (after, rows_after) = measure(&app, c, p, rows).await;
            table.push(format!(
                "{p}: {before} → {after} statements, rows {rows_before:?} → {rows_after:?}"
            ));
            if after > before + SLACK {
                problems.push(format!("{p}: {before} → {after} statements"));
            }
            match rows {
                Rows::Fixed(why, _) => {
                    if rows_before != &rows_after || rows_after[0] == 0 {
                        problems.push(format!(
                            "{p}: rows fixed ({why}) yet {rows_before:?} → {rows_after:?}"
                        ));
                    }
                }
                // Each list gains more rows than the slack, so a statement per row shows.
                _ => {
                    for (i, (b, a)) in rows_before.iter().zip(&rows_after).enumerate() {
                        if *a <= b + SLACK as usize {
                            problems.push(format!(
                                "{p}: list {i} did not grow enough to show a query per row ({b} → {a} rows)"
                            ));
                        }
                    }
                }
            }
        }
        assert!(
            problems.is_empty(),
            "{}\n\nall pages:\n{}",
            problems.join("\n"),
            table.join("\n")
        );
    }
);
