//! Plans: a document of the library followed up by one unit.

use serde::Serialize;

use crate::audit::{self, Actor};
use crate::decode::col;
use crate::documents::Document;
use crate::exec::{q, row_struct, Db, DbError, Exec, Result};

row_struct! {
    #[derive(Debug, Clone, Serialize, PartialEq)]
    pub struct Plan {
        pub id: i64 = col::named("plan_id"),
        /// The plan's document: number and symbol, issue date, issuer, title, signer, files.
        pub document: Document = Document::from_row,
        /// The unit that follows the plan up (Phòng Nội vụ).
        pub unit_id: i64 = col::named("plan_unit"),
    }
}

const PLAN_COLS: &str = "p.id AS plan_id, p.unit_id AS plan_unit, d.id, d.unit_id, d.number, d.kind, d.issuer, d.issued_on, d.effective_on, d.signer, d.field, d.summary, d.status, d.downloads";

/// Makes a document of the library a plan followed up by `unit_id` (audited).
pub async fn create(db: &Db, actor: &Actor, document_id: i64, unit_id: i64) -> Result<Plan> {
    let mut tx = db.begin().await?;
    if crate::documents::get(&mut tx, document_id).await?.is_none() {
        return Err(DbError::Invalid("Không có văn bản này.".into()));
    }
    let exists = tx
        .fetch_optional(q("SELECT id FROM plans WHERE document_id = $1").bind(document_id))
        .await?;
    if exists.is_some() {
        return Err(DbError::Invalid(
            "Văn bản này đã được theo dõi như một kế hoạch.".into(),
        ));
    }
    let id: i64 = tx
        .fetch_scalar(
            q("INSERT INTO plans (document_id, unit_id, created_at) VALUES ($1, $2, $3) RETURNING id")
                .bind(document_id)
                .bind(unit_id)
                .bind(crate::now_s()),
        ).await?.ok_or(DbError::NotFound)?;
    let plan = get(&mut tx, id).await?.ok_or(DbError::NotFound)?;
    audit::record(audit::action::PLAN_CREATE, "plan", id)
        .after(&mut tx, actor, &plan)
        .await?;
    tx.commit().await?;
    Ok(plan)
}

pub async fn get(e: &mut impl Exec, id: i64) -> Result<Option<Plan>> {
    e.fetch_optional_as(
        q(format!(
            "SELECT {PLAN_COLS} FROM plans p JOIN documents d ON d.id = p.document_id WHERE p.id = $1"
        ))
        .bind(id),
    ).await
}

/// Every plan, newest document first.
pub async fn list(db: &Db) -> Result<Vec<Plan>> {
    db.fetch_all_as(q(format!(
        "SELECT {PLAN_COLS} FROM plans p JOIN documents d ON d.id = p.document_id ORDER BY d.issued_on DESC, p.id DESC"
    ))).await
}

/// The plan that follows a document up, if any (for the document's public page).
pub async fn by_document(db: &Db, document_id: i64) -> Result<Option<i64>> {
    db.fetch_scalar(q("SELECT id FROM plans WHERE document_id = $1").bind(document_id))
        .await
}
