//! One case per decoder, in the order the test runs them (each restores what it changed).

mod disclosures;
mod reporting;

use super::{id, one, Case, Change, Change::*, NOIVU, ONE};
use disclosures::disclosures;
use reporting::{plans_and_api, reporting_reports, reporting_templates_and_rounds};

/// A disclosure that has channels (forms) recorded.
pub(super) const DISCLOSURE_WITH_FORMS: &str =
    "SELECT CAST(MIN(disclosure_id) AS TEXT) AS a, '' AS b FROM disclosure_channels";
/// A round with accepted reports, and one of its units.
pub(super) const ROUND_WITH_REPORTS: &str = "SELECT CAST(MIN(round_id) AS TEXT) AS a, CAST(MIN(unit_id) AS TEXT) AS b FROM report_submissions WHERE round_id = (SELECT MIN(round_id) FROM report_submissions WHERE status = 'accepted') AND status = 'accepted'";
/// A plan with recorded progress.
pub(super) const PLAN_WITH_PROGRESS: &str = "SELECT CAST(MIN(t.plan_id) AS TEXT) AS a, '' AS b FROM plan_progress p JOIN plan_tasks t ON t.id = p.task_id";

/// Every case.
pub(super) fn cases() -> Vec<Case> {
    let mut all = Vec::new();
    all.extend(units_and_identity());
    all.extend(portal_documents_search());
    all.extend(disclosures());
    all.extend(reporting_templates_and_rounds());
    all.extend(reporting_reports());
    all.extend(plans_and_api());
    all
}

/// A case without setup whose decoder is not called directly yet (see [`Case::reads`]).
#[allow(clippy::too_many_arguments)] // one argument per field of the case's table row
pub(super) fn case(
    decoder: &'static str,
    user: &'static str,
    find: &'static str,
    path: &'static str,
    table: &'static str,
    column: &'static str,
    rows: &'static str,
    change: Change,
) -> Case {
    Case {
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
    }
}

/// The units tree and the accounts.
fn units_and_identity() -> Vec<Case> {
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
        .reads(reads!(|db, a, _| danchu_db::units::get(
            &mut db.clone(),
            id(&a)
        ))),
        case(
            "disclosures.rs:unit_kind",
            "admin",
            DISCLOSURE_WITH_FORMS,
            "/quan-tri/cong-khai/{a}",
            "units",
            "kind",
            "id = (SELECT unit_id FROM disclosures WHERE id = {a})",
            Prefix,
        )
        .reads(
            reads!(|db, a, _| unit = format!("SELECT unit_id AS n FROM disclosures WHERE id = {a}")
            => danchu_db::disclosures::unit_kind(&mut db.clone(), unit)),
        ),
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
        .reads(
            reads!(|db, _, _| noivu = NOIVU => danchu_db::users::grants(&mut db.clone(), noivu)),
        ),
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
        .reads(reads!(|db, _, _| noivu = NOIVU => danchu_db::users::roles_of(&db, noivu))),
    ]
}

/// A case on the first document, whose `column` gets the unknown code, read by the admin
/// at `path`.
fn on_document(decoder: &'static str, path: &'static str, column: &'static str) -> Case {
    let find = "SELECT CAST(MIN(id) AS TEXT) AS a, '' AS b FROM documents";
    case(
        decoder,
        "admin",
        find,
        path,
        "documents",
        column,
        "id = {a}",
        Prefix,
    )
}

/// Articles, media, documents and the search index.
fn portal_documents_search() -> Vec<Case> {
    vec![
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
        .reads(reads!(|db, a, _| danchu_db::portal::article_by_id(&mut db.clone(), id(&a)))),
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
            .reads(reads!(|db, a, _| danchu_db::media::get(&db, id(&a))))
        },
        on_document("documents.rs:doc (kind)", "/van-ban/{a}", "kind")
        .reads(reads!(|db, a, _| danchu_db::documents::get(&mut db.clone(), id(&a)))),
        on_document("documents.rs:doc (status)", "/van-ban/{a}", "status")
        .reads(reads!(|db, a, _| danchu_db::documents::get(&mut db.clone(), id(&a)))),
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
            .reads(reads!(|db, a, _| danchu_db::documents::relations(&db, id(&a))))
        },
        on_document("documents.rs:facets", "/van-ban", "issued_on")
        .reads(reads!(|db, _, _| danchu_db::documents::facets(&db))),
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
    ]
}
