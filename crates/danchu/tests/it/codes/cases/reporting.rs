//! The cases of reporting and plans (and the register's API).

use super::super::{id, one, Case, Change::*};
use super::{case, PLAN_WITH_PROGRESS, ROUND_WITH_REPORTS};

/// A case on the accepted reports of [`ROUND_WITH_REPORTS`], whose `column` gets the
/// unknown code, read by the admin at `path`.
fn on_reports(decoder: &'static str, path: &'static str, column: &'static str) -> Case {
    let rows = "round_id = {a} AND unit_id = {b}";
    let table = "report_submissions";
    case(
        decoder,
        "admin",
        ROUND_WITH_REPORTS,
        path,
        table,
        column,
        rows,
        Prefix,
    )
}

/// A case on the recurrence of the tasks of [`PLAN_WITH_PROGRESS`], read by the admin at
/// `path`.
fn on_tasks(decoder: &'static str, path: &'static str) -> Case {
    let (table, column, rows) = ("plan_tasks", "recurrence", "plan_id = {a}");
    case(
        decoder,
        "admin",
        PLAN_WITH_PROGRESS,
        path,
        table,
        column,
        rows,
        Prefix,
    )
}

/// Report templates, rounds and their statuses.
pub(super) fn reporting_templates_and_rounds() -> Vec<Case> {
    vec![
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
        .reads(reads!(|db, _, _| danchu_db::reporting::templates(&db))),
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
        .reads(reads!(|db, _, _| danchu_db::reporting::templates(&db))),
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
        .reads(reads!(|db, _, _| danchu_db::reporting::rounds(&db))),
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
        .reads(reads!(|db, _, _| danchu_db::reporting::rounds(&db))),
        on_reports("reporting.rs:statuses", "/quan-tri/bao-cao", "status")
        .reads(reads!(|db, a, _| danchu_db::reporting::statuses(&db, &[id(&a)]))),
    ]
}

/// Reports, the dashboard and the consolidation.
pub(super) fn reporting_reports() -> Vec<Case> {
    vec![
        on_reports("reporting.rs:dashboard", "/quan-tri/bao-cao/{a}", "status")
        .reads(reads!(|db, a, _| danchu_db::reporting::dashboard(&db, id(&a), danchu_db::today_vn_date()))),
        on_reports("reporting.rs:submission_row", "/quan-tri/bao-cao/{a}/don-vi/{b}", "status")
        .reads(reads!(|db, a, b| danchu_db::reporting::submission(&db, id(&a), id(&b)))),
        on_reports("reporting.rs:consolidate (status)", "/quan-tri/bao-cao/{a}/tong-hop", "status")
        .reads(reads!(|db, a, _| danchu_db::reporting::consolidate(&db, id(&a), false))),
        on_reports("reporting.rs:consolidate (answers)", "/quan-tri/bao-cao/{a}/tong-hop", "answers")
        .reads(reads!(|db, a, _| danchu_db::reporting::consolidate(&db, id(&a), false))),
        on_reports("reporting.rs:consolidate (API)", "/api/v1/bao-cao/dot/{a}/tong-hop", "status")
        .reads(reads!(|db, a, _| danchu_db::reporting::consolidate(&db, id(&a), false))),
        case(
            "reporting.rs:versions (API)",
            "admin",
            ROUND_WITH_REPORTS,
            "/api/v1/bao-cao/dot/{a}/don-vi/{b}",
            "report_submission_versions",
            "answers",
            "submission_id = (SELECT id FROM report_submissions WHERE round_id = {a} AND unit_id = {b})",
            Prefix,
        )
        .reads(reads!(|db, a, b| submission = format!("SELECT id AS n FROM report_submissions WHERE round_id = {a} AND unit_id = {b}")
            => danchu_db::reporting::versions(&db, submission))),
    ]
}

/// Plans, and the API of the register.
pub(super) fn plans_and_api() -> Vec<Case> {
    vec![
        on_tasks("plans.rs:task_rows", "/quan-tri/ke-hoach/{a}")
        .reads(reads!(|db, a, _| danchu_db::plans::tasks(&db, id(&a)))),
        on_tasks("plans.rs:task_rows (API)", "/api/v1/ke-hoach/{a}")
        .reads(reads!(|db, a, _| danchu_db::plans::tasks(&db, id(&a)))),
        case(
            "plans.rs:progress_row",
            "admin",
            PLAN_WITH_PROGRESS,
            "/quan-tri/ke-hoach/{a}",
            "plan_progress",
            "status",
            "task_id IN (SELECT id FROM plan_tasks WHERE plan_id = {a})",
            Prefix,
        )
        .reads(reads!(|db, a, _| danchu_db::plans::board(&db, id(&a), danchu_db::today_vn_date()))),
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
        .reads(reads!(|db, a, _| danchu_db::disclosures::channels(&db, id(&a)))),
    ]
}
