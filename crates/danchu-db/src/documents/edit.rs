//! Writing a document with its files and relations in one transaction (audited), its
//! search entry and its download counts.

use danchu_core::documents::{number_key, DocumentInput};
use danchu_core::search::Kind;
use danchu_core::text::clean_line;
use time::Date;

use super::check::{checked_fields, Checked};
use super::links::{set_files_in, set_relations_in};
use super::read::{get, Document, COLS};
use crate::audit::{self, Actor};
use crate::exec::{q, Db, DbError, Result, Tx, Value};

/// Writes a document's search index entry: its kind, number and summary as the title;
/// issuer, signer, field and the text of its files as the body.
pub async fn index_one(tx: &mut Tx, id: i64, terms: &mut crate::search::Terms) -> Result<()> {
    let Some(d) = get(tx, id).await? else {
        return crate::search::remove(tx, Kind::Document, id).await;
    };
    let files: Vec<String> = tx
        .fetch_scalars(
            q("SELECT m.text AS text FROM document_files f JOIN media m ON m.id = f.media_id WHERE f.document_id = $1 ORDER BY f.position")
                .bind(id),
        )
        .await?;
    let mut body = format!("{}\n{}\n{}", d.issuer, d.signer, d.field);
    for text in files {
        body.push('\n');
        body.push_str(&text);
    }
    let entry = crate::search::Entry {
        kind: Kind::Document,
        ref_id: id,
        visible_from: Some(0),
        at: d
            .issued_on
            .midnight()
            .assume_offset(danchu_core::text::VN_OFFSET)
            .unix_timestamp(),
        title: format!(
            "{} số {} {}",
            danchu_core::documents::kind_name(&d.kind),
            d.number,
            d.summary
        ),
        body,
    };
    crate::search::put_with(tx, &entry, terms).await
}

/// Puts every document into the search index (inside a rebuild's transaction).
pub async fn index_all(tx: &mut Tx, terms: &mut crate::search::Terms) -> Result<u64> {
    let ids: Vec<i64> = tx
        .fetch_scalars(q("SELECT id FROM documents ORDER BY id"))
        .await?;
    for id in &ids {
        index_one(tx, *id, terms).await?;
    }
    Ok(ids.len() as u64)
}

/// Creates a document given whole (audited); refused by field as an editor's save is.
pub async fn create(db: &Db, actor: &Actor, d: &DocumentInput) -> Result<Document> {
    let issued_on = checked_fields(d)?;
    crate::in_tx(db, async |tx| insert_in(tx, actor, d, issued_on).await).await
}

/// An editor's save, in one transaction: the document (new when `id` is `None`), its
/// files (in order) and its own relations, replaced by those checked (all audited).
pub async fn save(
    db: &Db,
    actor: &Actor,
    id: Option<i64>,
    c: &Checked,
    files: &[i64],
) -> Result<Document> {
    let mut tx = db.begin().await?;
    let saved = match id {
        None => insert_in(&mut tx, actor, &c.input, c.issued_on).await?,
        Some(id) => update_in(&mut tx, actor, id, &c.input, c.issued_on).await?,
    };
    set_files_in(&mut tx, actor, saved.id, files).await?;
    set_relations_in(&mut tx, actor, saved.id, "replaces", &c.replaces).await?;
    set_relations_in(&mut tx, actor, saved.id, "amends", &c.amends).await?;
    tx.commit().await?;
    Ok(saved)
}

async fn insert_in(
    tx: &mut Tx,
    actor: &Actor,
    d: &DocumentInput,
    issued_on: Date,
) -> Result<Document> {
    let now = crate::now_s();
    let created: Document = tx
        .fetch_optional_as(
            q(format!(
                "INSERT INTO documents (unit_id, number, number_key, kind, issuer, issued_on, effective_on, signer, field, summary, status, downloads, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 0, $12, $12) RETURNING {COLS}"
            ))
            .bind_all(fields(d, issued_on))
            .bind(now),
        )
        .await?
        .ok_or(DbError::NotFound)?;
    index_one(tx, created.id, &mut Default::default()).await?;
    audit::record(audit::action::DOCUMENT_CREATE, "document", created.id)
        .after(tx, actor, &created)
        .await?;
    Ok(created)
}

/// The values of a document's own columns, in the order both the INSERT and the UPDATE
/// number them ($1 to $11): unit, number, number key, kind, issuer, issued, effective,
/// signer, field, summary, status.
fn fields(d: &DocumentInput, issued_on: Date) -> [Value; 11] {
    [
        d.unit_id.into(),
        d.number.trim().into(),
        number_key(&d.number).into(),
        d.kind.as_str().into(),
        clean_line(&d.issuer).into(),
        issued_on.into(),
        d.effective_on.into(),
        clean_line(&d.signer).into(),
        clean_line(&d.field).into(),
        clean_line(&d.summary).into(),
        d.status.as_str().into(),
    ]
}

/// Updates a document given whole (audited with before and after).
pub async fn update(db: &Db, actor: &Actor, id: i64, d: &DocumentInput) -> Result<Document> {
    let issued_on = checked_fields(d)?;
    crate::in_tx(db, async |tx| update_in(tx, actor, id, d, issued_on).await).await
}

async fn update_in(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    d: &DocumentInput,
    issued_on: Date,
) -> Result<Document> {
    let before = get(&mut *tx, id).await?.ok_or(DbError::NotFound)?;
    // Saved unchanged: nothing is written, nothing is audited.
    let same = Document {
        unit_id: d.unit_id,
        number: d.number.trim().to_string(),
        kind: d.kind.clone(),
        issuer: clean_line(&d.issuer),
        issued_on,
        effective_on: d.effective_on,
        signer: clean_line(&d.signer),
        field: clean_line(&d.field),
        summary: clean_line(&d.summary),
        status: d.status.clone(),
        ..before.clone()
    } == before;
    if same {
        return Ok(before);
    }
    tx.execute(
        q("UPDATE documents SET unit_id = $1, number = $2, number_key = $3, kind = $4, issuer = $5, issued_on = $6, effective_on = $7, signer = $8,
           field = $9, summary = $10, status = $11, updated_at = $12 WHERE id = $13")
        .bind_all(fields(d, issued_on))
        .bind(crate::now_s())
        .bind(id),
    )
    .await?;
    let after = get(&mut *tx, id).await?.ok_or(DbError::NotFound)?;
    index_one(tx, id, &mut Default::default()).await?;
    audit::record(audit::action::DOCUMENT_UPDATE, "document", id)
        .changed(tx, actor, &before, &after)
        .await?;
    Ok(after)
}

/// Adds counted downloads (additive, for several nodes).
pub async fn add_downloads(db: &Db, counts: &[(i64, i64)]) -> Result<()> {
    if counts.is_empty() {
        return Ok(());
    }
    let mut tx = db.begin().await?;
    for (id, n) in counts {
        tx.execute(
            q("UPDATE documents SET downloads = downloads + $1 WHERE id = $2")
                .bind(*n)
                .bind(*id),
        )
        .await?;
    }
    tx.commit().await
}
