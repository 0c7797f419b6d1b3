//! Codes read back from our own database that danchu does not know (issue 13, item 16):
//! every decoder refuses them as a data error, so the page or API that reads one answers
//! 500 instead of showing a figure computed from a guess. One case per decoder: the
//! untouched page is accepted first (200), then the code is changed with SQL behind the
//! program's back (500), then put back (200 again, so the next case starts clean).
//!
//! Which decoder a page's 500 came from is not visible over HTTP: the error page names
//! nothing (as it must), the server's log line goes to the in-process log, which the test
//! does not read (and both runs of this test, SQLite and PostgreSQL, would write the same
//! lines at once), and a data error names `table.column`, which two decoders can share
//! (`units.kind` is read by `units::get` and by `disclosures::unit_kind`, both on a
//! disclosure's page). So each case also calls its decoder's own db function on the
//! same changed rows: untouched it reads them, changed it refuses them with
//! [`danchu_db::DbError::Data`] naming `table.column` and the code. The page's 500 and
//! that refusal together show the case reaches a decoder that refuses this very row; they
//! do not rule out that another decoder on the page refused it first.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;

use crate::both;
use crate::harness::TestApp;

/// How a case makes a stored value unknown.
#[derive(Clone, Copy)]
enum Change {
    /// The code gets a prefix: `portal` becomes `zz-bogus:portal`.
    Prefix,
    /// A piece of a JSON body is replaced (the second text contains `zz-bogus`).
    Replace(&'static str, &'static str),
}

/// A call of the db function that runs a case's decoder, with the case's `a` and `b`.
type Reads = fn(
    danchu_db::Db,
    String,
    String,
) -> Pin<Box<dyn Future<Output = Result<(), danchu_db::DbError>> + Send>>;

struct Case {
    /// The decoder the case reaches (`file::function`).
    decoder: &'static str,
    /// The decoder called directly.
    reads: Option<Reads>,
    /// SQL that adds what the demo lacks (a file, a relation), or "".
    setup: &'static str,
    /// Who fetches the page (a demo account).
    user: &'static str,
    /// SQL naming what the case needs, as text columns `a` and `b`.
    find: &'static str,
    /// The page or API read, with `{a}` / `{b}`.
    path: &'static str,
    table: &'static str,
    column: &'static str,
    /// Which rows get the unknown code (an SQL condition, with `{a}` / `{b}`).
    rows: &'static str,
    change: Change,
}

const PREFIX: &str = "zz-bogus:";

const ONE: &str = "SELECT '' AS a, '' AS b";

fn cases() -> Vec<Case> {
    use Change::*;
    let case = |decoder, user, find, path, table, column, rows, change| Case {
        decoder,
        reads: None,
        setup: "",
        user,
        find,
        path,
        table,
        column,
        rows,
        change,
    };
    let disclosure_with_forms =
        "SELECT CAST(MIN(disclosure_id) AS TEXT) AS a, '' AS b FROM disclosure_channels";
    let round_with_reports = "SELECT CAST(MIN(round_id) AS TEXT) AS a, CAST(MIN(unit_id) AS TEXT) AS b FROM report_submissions WHERE round_id = (SELECT MIN(round_id) FROM report_submissions WHERE status = 'accepted') AND status = 'accepted'";
    let plan_with_progress = "SELECT CAST(MIN(t.plan_id) AS TEXT) AS a, '' AS b FROM plan_progress p JOIN plan_tasks t ON t.id = p.task_id";
    vec![
        case(
            "units.rs:unit",
            "admin",
            "SELECT CAST(MIN(id) AS TEXT) AS a, '' AS b FROM units WHERE kind = 'commune'",
            "/quan-tri/don-vi/{a}",
            "units",
            "kind",
            "id = {a}",
            Prefix,
        )
        .reads(|db, a, _| {
            Box::pin(async move {
                danchu_db::units::get(&mut db.clone(), id(&a))
                    .await
                    .map(drop)
            })
        }),
        case(
            "disclosures.rs:unit_kind",
            "admin",
            disclosure_with_forms,
            "/quan-tri/cong-khai/{a}",
            "units",
            "kind",
            "id = (SELECT unit_id FROM disclosures WHERE id = {a})",
            Prefix,
        )
        .reads(|db, a, _| {
            Box::pin(async move {
                let sql = format!("SELECT unit_id AS n FROM disclosures WHERE id = {a}");
                let unit = one(&db, &sql).await?;
                danchu_db::disclosures::unit_kind(&mut db.clone(), unit)
                    .await
                    .map(drop)
            })
        }),
        case(
            "users.rs:grants",
            "noivu",
            ONE,
            "/quan-tri",
            "user_roles",
            "role",
            "user_id = (SELECT id FROM users WHERE username = 'noivu')",
            Prefix,
        )
        .reads(|db, _, _| {
            Box::pin(async move {
                let noivu = one(&db, NOIVU).await?;
                danchu_db::users::grants(&mut db.clone(), noivu)
                    .await
                    .map(drop)
            })
        }),
        case(
            "users.rs:role_row_of",
            "admin",
            ONE,
            "/quan-tri/nguoi-dung",
            "user_roles",
            "role",
            "user_id = (SELECT id FROM users WHERE username = 'noivu')",
            Prefix,
        )
        .reads(|db, _, _| {
            Box::pin(async move {
                let noivu = one(&db, NOIVU).await?;
                danchu_db::users::roles_of(&db, noivu).await.map(drop)
            })
        }),
        case(
            "portal.rs:article_row",
            "admin",
            "SELECT CAST(MIN(id) AS TEXT) AS a, '' AS b FROM articles",
            "/quan-tri/bai-viet/{a}",
            "articles",
            "status",
            "id = {a}",
            Prefix,
        )
        .reads(|db, a, _| {
            Box::pin(async move {
                danchu_db::portal::article_by_id(&mut db.clone(), id(&a))
                    .await
                    .map(drop)
            })
        }),
        Case {
            setup: "INSERT INTO media (unit_id, kind, name, stored_name, mime, size, created_by, created_at)
                    SELECT MIN(id), 'file', 'bien-ban.pdf', '0123456789abcdef0123456789abcdef.pdf', 'application/pdf', 1000, 'test', 0 FROM units",
            ..case(
                "media.rs:media",
                "admin",
                "SELECT CAST(MIN(id) AS TEXT) AS a, '' AS b FROM media",
                "/quan-tri/tep",
                "media",
                "kind",
                "id = {a}",
                Prefix,
            )
            .reads(|db, a, _| {
                Box::pin(async move {
                    danchu_db::media::get(&db, id(&a)).await.map(drop)
                })
            })
        },
        case(
            "documents.rs:doc (kind)",
            "admin",
            "SELECT CAST(MIN(id) AS TEXT) AS a, '' AS b FROM documents",
            "/van-ban/{a}",
            "documents",
            "kind",
            "id = {a}",
            Prefix,
        )
        .reads(|db, a, _| {
            Box::pin(async move {
                danchu_db::documents::get(&mut db.clone(), id(&a))
                    .await
                    .map(drop)
            })
        }),
        case(
            "documents.rs:doc (status)",
            "admin",
            "SELECT CAST(MIN(id) AS TEXT) AS a, '' AS b FROM documents",
            "/van-ban/{a}",
            "documents",
            "status",
            "id = {a}",
            Prefix,
        )
        .reads(|db, a, _| {
            Box::pin(async move {
                danchu_db::documents::get(&mut db.clone(), id(&a))
                    .await
                    .map(drop)
            })
        }),
        Case {
            setup: "INSERT INTO document_relations (document_id, relation, other_id)
                    SELECT MIN(id), 'replaces', MAX(id) FROM documents",
            ..case(
                "documents.rs:relations",
                "admin",
                "SELECT CAST(MIN(document_id) AS TEXT) AS a, '' AS b FROM document_relations",
                "/van-ban/{a}",
                "document_relations",
                "relation",
                "document_id = {a}",
                Prefix,
            )
            .reads(|db, a, _| {
                Box::pin(async move {
                    danchu_db::documents::relations(&db, id(&a))
                        .await
                        .map(drop)
                })
            })
        },
        case(
            "documents.rs:facets",
            "admin",
            "SELECT CAST(MIN(id) AS TEXT) AS a, '' AS b FROM documents",
            "/van-ban",
            "documents",
            "issued_on",
            "id = {a}",
            Prefix,
        )
        .reads(|db, _, _| {
            Box::pin(async move {
                danchu_db::documents::facets(&db).await.map(drop)
            })
        }),
        case(
            "search_index.rs:search",
            "admin",
            ONE,
            "/tim-kiem?q=ke+hoach",
            "search_docs",
            "kind",
            "kind = 'van-ban'",
            Prefix,
        )
        .reads(|db, _, _| {
            Box::pin(async move {
                let filter = danchu_db::search_index::Filter::default();
                let now = danchu_db::now_s();
                danchu_db::search_index::candidates(&db, &["ke", "hoach"], &filter, now, 50)
                    .await
                    .map(drop)
            })
        }),
        case(
            "disclosures.rs:category_row (a form)",
            "admin",
            "SELECT CAST(MIN(id) AS TEXT) AS a, '' AS b FROM disclosure_categories WHERE body LIKE '%\"notice_board\"%'",
            "/quan-tri/cong-khai/danh-muc",
            "disclosure_categories",
            "body",
            "id = {a}",
            Replace("\"notice_board\"", "\"zz-bogus\""),
        )
        .reads(|db, _, _| {
            Box::pin(async move {
                danchu_db::disclosures::categories(&db).await.map(drop)
            })
        }),
        case(
            "disclosures.rs:category_row (its list)",
            "admin",
            "SELECT CAST(MIN(id) AS TEXT) AS a, '' AS b FROM disclosure_categories",
            "/cong-khai",
            "disclosure_categories",
            "body",
            "id = {a}",
            Replace("\"scope\":\"commune\"", "\"scope\":\"zz-bogus\""),
        )
        .reads(|db, _, _| {
            Box::pin(async move {
                danchu_db::disclosures::categories(&db).await.map(drop)
            })
        }),
        case(
            "disclosures.rs:disclosure_row",
            "admin",
            "SELECT CAST(MIN(id) AS TEXT) AS a, '' AS b FROM disclosures WHERE period <> '' AND public = 1",
            "/cong-khai/{a}",
            "disclosures",
            "period",
            "id = {a}",
            Prefix,
        )
        .reads(|db, a, _| {
            Box::pin(async move {
                danchu_db::disclosures::get(&mut db.clone(), id(&a))
                    .await
                    .map(drop)
            })
        }),
        case(
            "disclosures.rs:obligations",
            "admin",
            "SELECT MIN(period) AS a, '' AS b FROM disclosures WHERE period LIKE '2023-%'",
            "/quan-tri/cong-khai/tuan-thu?nam=2023",
            "disclosures",
            "period",
            "period = '{a}'",
            // Keeps the year, so the rows are still those of 2023.
            Replace("-", "-zz-bogus-"),
        )
        .reads(|db, _, _| {
            Box::pin(async move {
                let province = one(&db, PROVINCE).await?;
                let commune = Some(danchu_core::disclosures::COMMUNE);
                let units =
                    danchu_db::disclosures::register_units(&db, &[province], commune, Some(2023))
                        .await?;
                let today = danchu_db::today_vn();
                danchu_db::disclosures::obligations(&db, &units, 2023, None, &today)
                    .await
                    .map(drop)
            })
        }),
        case(
            "disclosures.rs:channels_in",
            "admin",
            disclosure_with_forms,
            "/quan-tri/cong-khai/{a}",
            "disclosure_channels",
            "channel",
            "disclosure_id = {a}",
            Prefix,
        )
        .reads(|db, a, _| {
            Box::pin(async move {
                danchu_db::disclosures::channels(&db, id(&a))
                    .await
                    .map(drop)
            })
        }),
        case(
            "disclosures.rs:head_notices",
            "admin",
            "SELECT CAST(MIN(c.disclosure_id) AS TEXT) AS a, '' AS b FROM disclosure_head_notices n JOIN disclosure_channels c ON c.id = n.channel_id",
            "/quan-tri/cong-khai/{a}",
            "disclosure_head_notices",
            "method",
            "channel_id IN (SELECT id FROM disclosure_channels WHERE disclosure_id = {a})",
            Prefix,
        )
        .reads(|db, a, _| {
            Box::pin(async move {
                danchu_db::disclosures::channels(&db, id(&a))
                    .await
                    .map(drop)
            })
        }),
        case(
            "reporting.rs:template_row",
            "admin",
            "SELECT CAST(MIN(id) AS TEXT) AS a, '' AS b FROM report_templates WHERE body LIKE '%\"type\":\"integer\"%'",
            "/quan-tri/bao-cao/mau",
            "report_templates",
            "body",
            "id = {a}",
            Replace("\"type\":\"integer\"", "\"type\":\"zz-bogus\""),
        )
        .reads(|db, _, _| {
            Box::pin(async move {
                danchu_db::reporting::templates(&db).await.map(drop)
            })
        }),
        case(
            "reporting.rs:template_row (aggregation)",
            "admin",
            "SELECT CAST(MIN(id) AS TEXT) AS a, '' AS b FROM report_templates WHERE body LIKE '%\"aggregation\":\"sum\"%'",
            "/quan-tri/bao-cao/mau",
            "report_templates",
            "body",
            "id = {a}",
            Replace("\"aggregation\":\"sum\"", "\"aggregation\":\"zz-bogus\""),
        )
        .reads(|db, _, _| {
            Box::pin(async move {
                danchu_db::reporting::templates(&db).await.map(drop)
            })
        }),
        case(
            "reporting.rs:round_row (frequency)",
            "admin",
            "SELECT CAST(MIN(id) AS TEXT) AS a, '' AS b FROM report_rounds",
            "/quan-tri/bao-cao",
            "report_rounds",
            "frequency",
            "id = {a}",
            Prefix,
        )
        .reads(|db, _, _| {
            Box::pin(async move {
                danchu_db::reporting::rounds(&db).await.map(drop)
            })
        }),
        case(
            "reporting.rs:round_row (period)",
            "admin",
            "SELECT CAST(MIN(id) AS TEXT) AS a, '' AS b FROM report_rounds WHERE period <> ''",
            "/quan-tri/bao-cao",
            "report_rounds",
            "period",
            "id = {a}",
            Prefix,
        )
        .reads(|db, _, _| {
            Box::pin(async move {
                danchu_db::reporting::rounds(&db).await.map(drop)
            })
        }),
        case(
            "reporting.rs:statuses",
            "admin",
            round_with_reports,
            "/quan-tri/bao-cao",
            "report_submissions",
            "status",
            "round_id = {a} AND unit_id = {b}",
            Prefix,
        )
        .reads(|db, a, _| {
            Box::pin(async move {
                danchu_db::reporting::statuses(&db, &[id(&a)])
                    .await
                    .map(drop)
            })
        }),
        case(
            "reporting.rs:dashboard",
            "admin",
            round_with_reports,
            "/quan-tri/bao-cao/{a}",
            "report_submissions",
            "status",
            "round_id = {a} AND unit_id = {b}",
            Prefix,
        )
        .reads(|db, a, _| {
            Box::pin(async move {
                let today = danchu_db::today_vn();
                danchu_db::reporting::dashboard(&db, id(&a), &today)
                    .await
                    .map(drop)
            })
        }),
        case(
            "reporting.rs:submission_row",
            "admin",
            round_with_reports,
            "/quan-tri/bao-cao/{a}/don-vi/{b}",
            "report_submissions",
            "status",
            "round_id = {a} AND unit_id = {b}",
            Prefix,
        )
        .reads(|db, a, b| {
            Box::pin(async move {
                danchu_db::reporting::submission(&db, id(&a), id(&b))
                    .await
                    .map(drop)
            })
        }),
        case(
            "reporting.rs:consolidate (status)",
            "admin",
            round_with_reports,
            "/quan-tri/bao-cao/{a}/tong-hop",
            "report_submissions",
            "status",
            "round_id = {a} AND unit_id = {b}",
            Prefix,
        )
        .reads(|db, a, _| {
            Box::pin(async move {
                danchu_db::reporting::consolidate(&db, id(&a), false)
                    .await
                    .map(drop)
            })
        }),
        case(
            "reporting.rs:consolidate (answers)",
            "admin",
            round_with_reports,
            "/quan-tri/bao-cao/{a}/tong-hop",
            "report_submissions",
            "answers",
            "round_id = {a} AND unit_id = {b}",
            Prefix,
        )
        .reads(|db, a, _| {
            Box::pin(async move {
                danchu_db::reporting::consolidate(&db, id(&a), false)
                    .await
                    .map(drop)
            })
        }),
        case(
            "reporting.rs:consolidate (API)",
            "admin",
            round_with_reports,
            "/api/v1/bao-cao/dot/{a}/tong-hop",
            "report_submissions",
            "status",
            "round_id = {a} AND unit_id = {b}",
            Prefix,
        )
        .reads(|db, a, _| {
            Box::pin(async move {
                danchu_db::reporting::consolidate(&db, id(&a), false)
                    .await
                    .map(drop)
            })
        }),
        case(
            "reporting.rs:versions (API)",
            "admin",
            round_with_reports,
            "/api/v1/bao-cao/dot/{a}/don-vi/{b}",
            "report_submission_versions",
            "answers",
            "submission_id = (SELECT id FROM report_submissions WHERE round_id = {a} AND unit_id = {b})",
            Prefix,
        )
        .reads(|db, a, b| {
            Box::pin(async move {
                let sql = format!(
                    "SELECT id AS n FROM report_submissions WHERE round_id = {a} AND unit_id = {b}"
                );
                let submission = one(&db, &sql).await?;
                danchu_db::reporting::versions(&db, submission)
                    .await
                    .map(drop)
            })
        }),
        case(
            "plans.rs:task_rows",
            "admin",
            plan_with_progress,
            "/quan-tri/ke-hoach/{a}",
            "plan_tasks",
            "recurrence",
            "plan_id = {a}",
            Prefix,
        )
        .reads(|db, a, _| {
            Box::pin(async move {
                danchu_db::plans::tasks(&db, id(&a)).await.map(drop)
            })
        }),
        case(
            "plans.rs:task_rows (API)",
            "admin",
            plan_with_progress,
            "/api/v1/ke-hoach/{a}",
            "plan_tasks",
            "recurrence",
            "plan_id = {a}",
            Prefix,
        )
        .reads(|db, a, _| {
            Box::pin(async move {
                danchu_db::plans::tasks(&db, id(&a)).await.map(drop)
            })
        }),
        case(
            "plans.rs:progress_row",
            "admin",
            plan_with_progress,
            "/quan-tri/ke-hoach/{a}",
            "plan_progress",
            "status",
            "task_id IN (SELECT id FROM plan_tasks WHERE plan_id = {a})",
            Prefix,
        )
        .reads(|db, a, _| {
            Box::pin(async move {
                let today = danchu_db::today_vn();
                danchu_db::plans::board(&db, id(&a), &today)
                    .await
                    .map(drop)
            })
        }),
        case(
            "disclosures.rs:channels_in (API)",
            "admin",
            "SELECT CAST(MIN(c.disclosure_id) AS TEXT) AS a, '' AS b FROM disclosure_channels c JOIN disclosures d ON d.id = c.disclosure_id WHERE d.public = 1",
            "/api/v1/cong-khai/{a}",
            "disclosure_channels",
            "channel",
            "disclosure_id = {a}",
            Prefix,
        )
        .reads(|db, a, _| {
            Box::pin(async move {
                danchu_db::disclosures::channels(&db, id(&a))
                    .await
                    .map(drop)
            })
        }),
    ]
}

/// An id found by a case's `find`.
fn id(s: &str) -> i64 {
    s.parse().expect("an id")
}

/// The `n` of a one-row query.
async fn one(db: &danchu_db::Db, sql: &str) -> Result<i64, danchu_db::DbError> {
    db.fetch_optional(danchu_db::q(sql.to_string()))
        .await?
        .ok_or(danchu_db::DbError::NotFound)?
        .get("n")
}

const NOIVU: &str = "SELECT id AS n FROM users WHERE username = 'noivu'";
const PROVINCE: &str = "SELECT MIN(id) AS n FROM units WHERE kind = 'province'";

/// Shown in a data error when the unknown code is: its first letters at least (the
/// documents' years are read as the first four characters of `issued_on`).
const SHOWN: &str = "zz-b";

fn fill(s: &str, a: &str, b: &str) -> String {
    s.replace("{a}", a).replace("{b}", b)
}

impl Case {
    fn reads(self, reads: Reads) -> Case {
        Case {
            reads: Some(reads),
            ..self
        }
    }

    /// Whether the change leaves a JSON column that no longer parses at all (a damaged
    /// body, rather than an unknown code inside it): its error cannot name the code.
    fn breaks_json(&self) -> bool {
        matches!(self.change, Change::Prefix) && self.column == "answers"
    }

    fn corrupt(&self, rows: &str) -> String {
        let (t, c) = (self.table, self.column);
        match self.change {
            Change::Prefix => format!("UPDATE {t} SET {c} = '{PREFIX}' || {c} WHERE {rows}"),
            Change::Replace(from, to) => {
                format!("UPDATE {t} SET {c} = REPLACE({c}, '{from}', '{to}') WHERE {rows}")
            }
        }
    }

    fn restore(&self) -> String {
        let (t, c) = (self.table, self.column);
        match self.change {
            Change::Prefix => format!(
                "UPDATE {t} SET {c} = SUBSTR({c}, {}) WHERE {c} LIKE '{PREFIX}%'",
                PREFIX.len() + 1
            ),
            Change::Replace(from, to) => format!(
                "UPDATE {t} SET {c} = REPLACE({c}, '{to}', '{from}') WHERE {c} LIKE '%{to}%'"
            ),
        }
    }

    /// How many rows hold the unknown code now.
    fn changed(&self) -> String {
        let (t, c) = (self.table, self.column);
        let marker = match self.change {
            Change::Prefix => format!("{PREFIX}%"),
            Change::Replace(_, to) => format!("%{to}%"),
        };
        format!("SELECT COUNT(*) AS n FROM {t} WHERE {c} LIKE '{marker}'")
    }
}

async fn status_of(app: &TestApp, c: &reqwest::Client, path: &str) -> (u16, String) {
    let r = c.get(app.at(path)).send().await.expect("GET");
    let status = r.status().as_u16();
    (status, r.text().await.unwrap_or_default())
}

both!(
    unknown_codes_read_from_the_database_are_data_errors_not_guesses,
    |app: TestApp| async move {
        let mut clients: HashMap<&str, reqwest::Client> = HashMap::new();
        let mut problems = Vec::new();
        let cases = cases();
        for case in &cases {
            if !case.setup.is_empty() {
                app.db
                    .execute(danchu_db::q(case.setup))
                    .await
                    .expect("setup");
            }
            let row = app
                .db
                .fetch_optional(danchu_db::q(case.find))
                .await
                .expect("find")
                .expect("a row");
            let a: Option<String> = row.get("a").expect("a");
            let b: Option<String> = row.get("b").expect("b");
            let (Some(a), Some(b)) = (a, b) else {
                problems.push(format!("{}: the demo has nothing to change", case.decoder));
                continue;
            };
            let path = fill(case.path, &a, &b);
            let Some(reads) = case.reads else {
                problems.push(format!("{}: no direct call of its decoder", case.decoder));
                continue;
            };
            if let Err(e) = reads(app.db.clone(), a.clone(), b.clone()).await {
                problems.push(format!(
                    "{}: untouched, its decoder refused: {e}",
                    case.decoder
                ));
                continue;
            }
            if !clients.contains_key(case.user) {
                clients.insert(case.user, app.sign_in(case.user).await);
            }
            let c = &clients[case.user];
            // The untouched request is accepted.
            let (before, _) = status_of(&app, c, &path).await;
            if before != 200 {
                problems.push(format!(
                    "{}: GET {path} untouched answered {before}",
                    case.decoder
                ));
                continue;
            }
            app.db
                .execute(danchu_db::q(case.corrupt(&fill(case.rows, &a, &b))))
                .await
                .expect("corrupt");
            let n: i64 = app
                .db
                .fetch_optional(danchu_db::q(case.changed()))
                .await
                .expect("count")
                .expect("row")
                .get("n")
                .expect("n");
            assert!(n > 0, "{}: the SQL changed no row", case.decoder);
            // The decoder itself refuses the changed rows, naming where and what.
            let at = format!("{}.{}", case.table, case.column);
            match reads(app.db.clone(), a.clone(), b.clone()).await {
                Err(danchu_db::DbError::Data(m))
                    if m.contains(&at) && (case.breaks_json() || m.contains(SHOWN)) => {}
                other => problems.push(format!(
                    "{}: with {at} unknown, its decoder answered {other:?}, not a data error naming {at} and the code",
                    case.decoder
                )),
            }
            app.state.cache.invalidate();
            let (after, body) = status_of(&app, c, &path).await;
            let clean = if path.starts_with("/api/") {
                body.contains("Lỗi hệ thống")
                    && !body.contains(PREFIX)
                    && !body.contains("zz-bogus")
            } else {
                body.contains("Lỗi hệ thống") && !body.contains("zz-bogus")
            };
            if after != 500 || !clean {
                problems.push(format!(
                    "{}: GET {path} with {}.{} unknown answered {after}{}",
                    case.decoder,
                    case.table,
                    case.column,
                    if clean {
                        ""
                    } else {
                        " without the plain error page"
                    }
                ));
            }
            app.db
                .execute(danchu_db::q(case.restore()))
                .await
                .expect("restore");
            app.state.cache.invalidate();
            let (again, _) = status_of(&app, c, &path).await;
            assert_eq!(again, 200, "{}: GET {path} after restoring", case.decoder);
        }
        assert!(
            problems.is_empty(),
            "{} of {} decoders:\n{}",
            problems.len(),
            cases.len(),
            problems.join("\n")
        );
    }
);

both!(
    an_unknown_period_is_not_counted_as_posted_on_time,
    |app: TestApp| async move {
        // posted_count feeds report indicators (R10/R11); no demo page reads it.
        let unit = app.unit_id("25792").await;
        let count = || {
            danchu_db::disclosures::posted_count(
                &app.db,
                unit,
                "2023-01-01",
                "2023-12-31",
                Some("d11-02"),
                true,
            )
        };
        assert!(count().await.expect("untouched") > 0);
        app.db
            .execute(danchu_db::q(format!(
                "UPDATE disclosures SET period = '{PREFIX}' || period WHERE unit_id = {unit} AND period <> ''"
            )))
            .await
            .expect("corrupt");
        match count().await {
            Err(danchu_db::DbError::Data(m)) => {
                assert!(
                    m.contains("disclosures.period") && m.contains(PREFIX),
                    "{m}"
                )
            }
            other => panic!("expected a data error, got {other:?}"),
        }
    }
);

both!(
    a_missing_or_empty_secret_key_is_a_data_error,
    |app: TestApp| async move {
        assert!(danchu_db::settings::secret_key(&app.db).await.is_ok());
        app.db
            .execute(danchu_db::q(
                "UPDATE settings SET value = '' WHERE key = 'secret_key'",
            ))
            .await
            .expect("empty the key");
        assert!(matches!(
            danchu_db::settings::secret_key(&app.db).await,
            Err(danchu_db::DbError::Data(_))
        ));
    }
);
