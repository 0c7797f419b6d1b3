//! Report templates, versioned: a new version never changes rounds already opened.

use danchu_core::reporting::TemplateBody;
use serde::Serialize;

use crate::audit::{self, Actor};
use crate::decode::col;
use crate::exec::{q, row_struct, Db, DbError, Exec, Result, Tx};

row_struct! {
    #[derive(Debug, Clone, Serialize, PartialEq)]
    pub struct Template {
        pub id: i64,
        pub family_id: i64,
        pub version: i64,
        pub name: String,
        pub body: TemplateBody = col::json("report_templates.body"),
        pub unit_id: i64,
    }
}

fn checked(body: &TemplateBody) -> Result<String> {
    let problems = body.problems();
    if !problems.is_empty() {
        return Err(DbError::Invalid(problems.join(" ")));
    }
    serde_json::to_string(body).map_err(|e| DbError::Invalid(e.to_string()))
}

/// Inserts version `version` of the template family `family_id` (0 for a new family,
/// which the caller then points at the row's own id) with its name and checked body;
/// returns the row's id.
async fn insert_version(
    tx: &mut Tx,
    actor: &Actor,
    (family_id, version): (i64, i64),
    (name, json): (&str, String),
    unit_id: i64,
) -> Result<i64> {
    tx.fetch_scalar(
        q("INSERT INTO report_templates (family_id, version, name, body, unit_id, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
            .bind(family_id)
            .bind(version)
            .bind(danchu_core::text::clean_line(name))
            .bind(json)
            .bind(unit_id)
            .bind(&actor.0)
            .bind(crate::now_s()),
    )
    .await?
    .ok_or(DbError::NotFound)
}

/// Creates version 1 of a template (audited).
pub async fn create_template(
    db: &Db,
    actor: &Actor,
    unit_id: i64,
    name: &str,
    body: &TemplateBody,
) -> Result<Template> {
    let json = checked(body)?;
    let mut tx = db.begin().await?;
    let id = insert_version(&mut tx, actor, (0, 1), (name, json), unit_id).await?;
    tx.execute(q("UPDATE report_templates SET family_id = id WHERE id = $1").bind(id))
        .await?;
    let t = template_in(&mut tx, id).await?;
    audit::record(audit::action::REPORT_TEMPLATE_CREATE, "report_template", id)
        .after(&mut tx, actor, &t)
        .await?;
    tx.commit().await?;
    Ok(t)
}

/// Saves a changed template as its next version; earlier versions, and every round and
/// submission made with them, stay as they were.
pub async fn new_template_version(
    db: &Db,
    actor: &Actor,
    family_id: i64,
    name: &str,
    body: &TemplateBody,
) -> Result<Template> {
    let json = checked(body)?;
    let mut tx = db.begin().await?;
    let last: Template = tx
        .fetch_optional_as(
            q("SELECT id, family_id, version, name, body, unit_id FROM report_templates WHERE family_id = $1 ORDER BY version DESC LIMIT 1")
                .bind(family_id),
        )
        .await?
        .ok_or(DbError::NotFound)?;
    let version = (family_id, last.version + 1);
    let id = insert_version(&mut tx, actor, version, (name, json), last.unit_id).await?;
    let t = template_in(&mut tx, id).await?;
    audit::record(
        audit::action::REPORT_TEMPLATE_VERSION,
        "report_template",
        id,
    )
    .changed(&mut tx, actor, &last, &t)
    .await?;
    tx.commit().await?;
    Ok(t)
}

pub(super) async fn template_in(tx: &mut impl Exec, id: i64) -> Result<Template> {
    tx.fetch_optional_as(
        q("SELECT id, family_id, version, name, body, unit_id FROM report_templates WHERE id = $1")
            .bind(id),
    )
    .await?
    .ok_or(DbError::NotFound)
}

/// The newest version of every template.
pub async fn templates(db: &Db) -> Result<Vec<Template>> {
    db.fetch_all_as(q(
        "SELECT id, family_id, version, name, body, unit_id FROM report_templates t
         WHERE version = (SELECT MAX(version) FROM report_templates v WHERE v.family_id = t.family_id)
         ORDER BY name",
    )).await
}
