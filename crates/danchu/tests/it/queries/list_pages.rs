//! Every list page and list API: as many statements after [`super::grow`] as before.

use crate::both;
use crate::harness::{Fixture, TestApp};

use super::{grow::grow, html, measure, Grown, Rows, SLACK};

both!(
    issue13_list_pages_send_no_query_per_row,
    Fixture::demo(),
    |app: TestApp| async move {
        let admin = app.sign_in("admin").await;
        let noivu = app.sign_in("noivu").await;
        let reporter = app.sign_in("baocao.anlap").await;
        let public = app.client();
        let an_lap = app.unit_id("25789").await;
        let (plan, task) = app.task_of(an_lap).await;
        let min_id = |sql: &'static str| app.int(danchu_db::q(sql), "id");
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
