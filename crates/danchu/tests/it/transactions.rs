//! One user action = one transaction (issue 13): an edit form saved unchanged changes
//! nothing, and a failure half-way through an action leaves nothing half-done — no row,
//! no audit entry, no file.

use std::collections::BTreeMap;

use crate::both;
use crate::harness::html_form::{forms, HtmlForm};
use crate::harness::{multipart_form, Backend, Fixture, TestApp};

/// Tables that change with every request by design (a save that changes nothing writes
/// no audit entry either, so the audit log is not among them).
const VOLATILE: &[&str] = &["sessions", "login_throttle"];

/// Submits a form as the browser would when its save button is pressed (with the page's
/// CSRF token).
async fn submit(app: &TestApp, c: &reqwest::Client, page: &str, f: &HtmlForm) -> reqwest::Response {
    let token = crate::harness::csrf_in(page);
    let save = ["luu", "nhap"]
        .into_iter()
        .find(|v| f.buttons.iter().any(|(_, b)| b == v))
        .unwrap_or("");
    let mut fields = f.pressing(save);
    if !fields.iter().any(|(k, _)| k == "_csrf") {
        fields.push(("_csrf".into(), token));
    }
    let req = c.post(app.at(&f.action));
    let req = if f.multipart {
        let mut form = reqwest::multipart::Form::new();
        for (k, v) in fields {
            form = form.text(k, v);
        }
        req.multipart(form)
    } else {
        req.form(&fields)
    };
    req.send().await.expect("submit")
}

/// What differs between two snapshots, table by table (for the failure message).
fn diff(a: &BTreeMap<String, Vec<String>>, b: &BTreeMap<String, Vec<String>>) -> String {
    let mut out = String::new();
    for (t, rows) in b {
        let before = a.get(t).cloned().unwrap_or_default();
        if &before != rows {
            let gone: Vec<_> = before.iter().filter(|r| !rows.contains(r)).collect();
            let new: Vec<_> = rows.iter().filter(|r| !before.contains(r)).collect();
            out.push_str(&format!("{t}:\n  before {gone:?}\n  after  {new:?}\n"));
        }
    }
    out
}

/// The (action, entity id) of the audit entries written after `mark`.
async fn audited_since(app: &TestApp, mark: i64) -> Vec<(String, String)> {
    app.chain_audit().await;
    app.db
        .fetch_all(
            danchu_db::q("SELECT action, entity_id FROM audit_log WHERE seq > $1 ORDER BY seq")
                .bind(mark),
        )
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get("action").unwrap(), r.get("entity_id").unwrap()))
        .collect()
}

/// The rows of a table now.
async fn rows_in(app: &TestApp, table: &str) -> i64 {
    app.int(
        danchu_db::q(format!("SELECT COUNT(*) AS n FROM {table}")),
        "n",
    )
    .await
}

async fn id_of(app: &TestApp, sql: &str) -> i64 {
    app.db
        .fetch_optional(danchu_db::q(sql))
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("demo row for {sql}"))
        .get::<i64>("id")
        .unwrap()
}

both!(
    issue13_every_edit_form_saved_unchanged_changes_nothing,
    Fixture::demo(),
    |app: TestApp| async move {
        let admin = app.sign_in("admin").await;
        let article = id_of(&app, "SELECT id FROM articles WHERE slug = 'ke-hoach-thuc-hien-quy-che-dan-chu-o-co-so-nam-2023-tren-dia-ban-huyen-dau-tieng'").await;
        let document = id_of(&app, "SELECT id FROM documents WHERE number = '22/KH-UBND'").await;
        let family = id_of(&app, "SELECT MIN(family_id) AS id FROM report_templates").await;
        let unit = app.unit_id("25792").await;
        // A report draft, saved once through its form (a change), then again unchanged.
        let round = id_of(&app, "SELECT MIN(id) AS id FROM report_rounds").await;
        let an_lap = app.unit_id("25789").await;
        let reporter = app.sign_in("baocao.anlap").await;
        let report = format!("/quan-tri/bao-cao/{round}/don-vi/{an_lap}");
        let page = app.page(&reporter, &report).await;
        let draft = forms(&page)
            .into_iter()
            .find(|f| f.action.starts_with(&report) && f.multipart)
            .expect("report form");
        let first = submit(&app, &reporter, &page, &draft).await;
        assert_eq!(first.status(), 303, "the draft is accepted");
        // (page, the actions of its edit forms, who edits)
        let cases: Vec<(String, String, &reqwest::Client)> = vec![
            (
                format!("/quan-tri/bai-viet/{article}"),
                format!("/quan-tri/bai-viet/{article}"),
                &admin,
            ),
            (
                format!("/quan-tri/van-ban/{document}"),
                format!("/quan-tri/van-ban/{document}"),
                &admin,
            ),
            (
                format!("/quan-tri/bao-cao/mau/{family}"),
                format!("/quan-tri/bao-cao/mau/{family}"),
                &admin,
            ),
            (
                "/quan-tri/cong-khai/danh-muc".into(),
                "/quan-tri/cong-khai/danh-muc/".into(),
                &admin,
            ),
            (
                "/quan-tri/cong-thong-tin".into(),
                "/quan-tri/cong-thong-tin/chuyen-muc/".into(),
                &admin,
            ),
            (
                format!("/quan-tri/don-vi/{unit}"),
                format!("/quan-tri/don-vi/{unit}/doi-ten"),
                &admin,
            ),
            (
                format!("/quan-tri/don-vi/{unit}"),
                format!("/quan-tri/don-vi/{unit}/truyen-thanh"),
                &admin,
            ),
            (report.clone(), report.clone(), &reporter),
        ];
        let mut saved = 0;
        let mut problems = String::new();
        for (page_url, action, who) in &cases {
            let page = app.page(who, page_url).await;
            let edit_forms: Vec<HtmlForm> = forms(&page)
                .into_iter()
                .filter(|f| {
                    f.method == "post"
                        && f.action.split('?').next().is_some_and(|a| {
                            a.starts_with(action.as_str()) && !a.ends_with("/xu-ly")
                        })
                })
                .collect();
            assert!(
                !edit_forms.is_empty(),
                "{page_url} has an edit form for {action}"
            );
            for f in edit_forms {
                let before = app.snapshot(VOLATILE).await;
                let files = app.media_files();
                let mark = app.audit_mark().await;
                let r = submit(&app, who, &page, &f).await;
                // Accepted (a redirect after saving), not refused: the check is reached.
                if r.status() != 303 {
                    problems.push_str(&format!("{page_url} → {}: {}\n", f.action, r.status()));
                    continue;
                }
                saved += 1;
                // Nothing changed, so nothing is audited as a change.
                let audited = audited_since(&app, mark).await;
                if !audited.is_empty() {
                    problems.push_str(&format!("{page_url} → {} audited {audited:?}\n", f.action));
                }
                let after = app.snapshot(VOLATILE).await;
                if before != after {
                    problems.push_str(&format!(
                        "{page_url} → {} changed:\n{}",
                        f.action,
                        diff(&before, &after)
                    ));
                }
                assert_eq!(files, app.media_files());
            }
        }
        assert!(problems.is_empty(), "saving unchanged:\n{problems}");
        assert!(saved >= cases.len(), "{saved} forms saved");
    }
);

/// A trigger that makes inserting into `table` fail when `condition` holds (a stand-in
/// for a crash or a lost connection half-way through an action).
async fn inject_failure(app: &TestApp, table: &str, condition: &str) {
    let sql = match app.backend {
        Backend::Sqlite => vec![format!(
            "CREATE TRIGGER injected_failure BEFORE INSERT ON {table} WHEN {condition} BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
        )],
        Backend::Postgres => vec![
            format!("CREATE FUNCTION injected_failure() RETURNS trigger AS $$ BEGIN IF {} THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql", condition),
            format!("CREATE TRIGGER injected_failure BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION injected_failure()"),
        ],
    };
    for s in sql {
        app.db
            .execute(danchu_db::q(s))
            .await
            .expect("inject failure");
    }
}

async fn remove_failure(app: &TestApp, table: &str) {
    let sql = match app.backend {
        Backend::Sqlite => vec!["DROP TRIGGER injected_failure".to_string()],
        Backend::Postgres => vec![
            format!("DROP TRIGGER injected_failure ON {table}"),
            "DROP FUNCTION injected_failure()".to_string(),
        ],
    };
    for s in sql {
        app.db
            .execute(danchu_db::q(s))
            .await
            .expect("remove failure");
    }
}

both!(
    issue13_a_failure_half_way_through_an_action_leaves_nothing_half_done,
    Fixture::demo(),
    |app: TestApp| async move {
        let official = app.sign_in("quantri.anlap").await;
        let editor = app.sign_in("bientap").await;
        let reporter = app.sign_in("baocao.anlap").await;
        let an_lap = app.unit_id("25789").await.to_string();
        let district = app.unit_id("721").await.to_string();
        let category = id_of(&app, "SELECT MIN(id) AS id FROM disclosure_categories WHERE code LIKE 'dd-%' OR code NOT LIKE 'pctn-%'").await.to_string();
        let disclosure = id_of(&app, &format!("SELECT MIN(id) AS id FROM disclosures WHERE unit_id = {an_lap} AND taken_down_on = ''")).await;
        let pdf = || crate::harness::pdf_with_text("Bien ban hop dan", 0);
        let (plan, task) = app.task_of(app.unit_id("25789").await).await;
        let round = id_of(&app, "SELECT MIN(id) AS id FROM report_rounds").await;
        // (what, who, form page, action, fields, files, table whose insert fails, condition)
        type Case<'a> = (
            &'a str,
            &'a reqwest::Client,
            String,
            String,
            Vec<(&'a str, String)>,
            Vec<(&'a str, &'a str, Vec<u8>)>,
            &'a str,
            &'a str,
        );
        let cases: Vec<Case> = vec![
            (
                "posting a disclosure with a file and two forms",
                &official,
                "/quan-tri/cong-khai/moi".into(),
                "/quan-tri/cong-khai/moi".into(),
                vec![
                    ("unit_id", an_lap.clone()),
                    ("category_id", category.clone()),
                    ("title", "Dự toán ngân sách xã năm 2026".into()),
                    ("body", "<p>Công khai dự toán.</p>".into()),
                    ("board_from", "01/12/2026".into()),
                    ("portal_from", "01/12/2026".into()),
                ],
                vec![("file", "du-toan.pdf", pdf())],
                "disclosure_channels",
                "NEW.channel = 'portal'",
            ),
            (
                "recording a form of a disclosure with evidence",
                &official,
                format!("/quan-tri/cong-khai/{disclosure}"),
                format!("/quan-tri/cong-khai/{disclosure}/hinh-thuc"),
                vec![
                    ("channel", "broadcast".into()),
                    ("starts_on", "01/12/2026".into()),
                    ("ends_on", "03/12/2026".into()),
                    ("evidence", "Đài truyền thanh xã".into()),
                ],
                vec![("evidence_file", "nhat-ky.pdf", pdf())],
                "disclosure_channel_files",
                "1 = 1",
            ),
            (
                "an article with its cited documents",
                &editor,
                "/quan-tri/bai-viet/moi".into(),
                "/quan-tri/bai-viet".into(),
                vec![
                    ("title", "Hội nghị triển khai Kế hoạch 22".into()),
                    (
                        "category_id",
                        id_of(&app, "SELECT MIN(id) AS id FROM categories")
                            .await
                            .to_string(),
                    ),
                    ("unit_id", district.clone()),
                    ("body", "<p>Nội dung.</p>".into()),
                    ("status", "published".into()),
                    ("documents", "22/KH-UBND".into()),
                ],
                vec![],
                "article_documents",
                "1 = 1",
            ),
            (
                "progress on a task with evidence",
                &reporter,
                format!("/quan-tri/ke-hoach/{plan}/nhiem-vu/{task}/don-vi/{an_lap}"),
                format!("/quan-tri/ke-hoach/{plan}/nhiem-vu/{task}/don-vi/{an_lap}"),
                vec![
                    ("status", "in_progress".into()),
                    ("note", "Đã họp dân ở 3 ấp.".into()),
                ],
                vec![("evidence", "bien-ban.pdf", pdf())],
                "plan_progress_files",
                "1 = 1",
            ),
            (
                "a report draft with an attachment",
                &reporter,
                format!("/quan-tri/bao-cao/{round}/don-vi/{an_lap}"),
                format!("/quan-tri/bao-cao/{round}/don-vi/{an_lap}"),
                vec![("_step", "nhap".into())],
                vec![("attachment", "minh-chung.pdf", pdf())],
                "report_submission_files",
                "1 = 1",
            ),
        ];
        for (what, who, page_url, action, fields, files, table, condition) in cases {
            let page = app.page(who, &page_url).await;
            let token = crate::harness::csrf_in(&page);
            let mut fields = fields;
            if action.contains("/ke-hoach/") {
                // The first due date offered.
                let f = forms(&page)
                    .into_iter()
                    .find(|f| f.action.starts_with(&action))
                    .expect("progress form");
                let occ = f
                    .fields
                    .iter()
                    .find(|(k, _)| k == "occurrence")
                    .map(|(_, v)| v.clone())
                    .expect("occurrence");
                fields.push(("occurrence", occ));
            }
            // Forms with files are multipart, the others urlencoded, as their pages send them.
            let send = |fields: &Vec<(&str, String)>| {
                let req = who.post(app.at(&format!("{action}?_csrf={token}")));
                if files.is_empty() {
                    let mut all = fields.clone();
                    all.push(("_csrf", token.clone()));
                    req.form(&all).send()
                } else {
                    let fields: Vec<(&str, &str)> =
                        fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                    req.multipart(multipart_form(&fields, files.clone())).send()
                }
            };
            inject_failure(&app, table, condition).await;
            let before = app.snapshot(&["sessions", "login_throttle"]).await;
            let files_before = app.media_files();
            let r = send(&fields).await.unwrap();
            assert_eq!(r.status(), 500, "{what}: the injected failure is reached");
            let after = app.snapshot(&["sessions", "login_throttle"]).await;
            assert!(
                before == after,
                "{what} left something behind:\n{}",
                diff(&before, &after)
            );
            assert_eq!(files_before, app.media_files(), "{what} left a file behind");
            remove_failure(&app, table).await;
            // Untouched, the same action goes through and writes all of it: the step that
            // failed above too (not only the rest, or its audit entry).
            let rows = rows_in(&app, table).await;
            let r = send(&fields).await.unwrap();
            assert_eq!(r.status(), 303, "{what} is accepted without the failure");
            let done = app.snapshot(&["sessions", "login_throttle"]).await;
            assert!(done != after, "{what} wrote something");
            assert!(
                rows_in(&app, table).await > rows,
                "{what} wrote its row of {table}"
            );
            if !files.is_empty() {
                assert!(
                    app.media_files().len() > files_before.len(),
                    "{what} stored its file"
                );
            }
        }
    }
);
