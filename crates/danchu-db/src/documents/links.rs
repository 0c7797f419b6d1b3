//! What a document is linked to: its files, other documents, the articles citing it
//! (audited).

use super::edit::index_one;
use crate::audit::{self, Actor};
use crate::exec::{q, Db, Result, Tx};

/// Replaces the files of a document (audited).
pub async fn set_files(db: &Db, actor: &Actor, id: i64, media: &[i64]) -> Result<()> {
    crate::in_tx(db, async |tx| set_files_in(tx, actor, id, media).await).await
}

/// [`set_files`] inside the caller's transaction; nothing is written when they are the
/// same files in the same order.
pub(super) async fn set_files_in(tx: &mut Tx, actor: &Actor, id: i64, media: &[i64]) -> Result<()> {
    let Some(before) =
        crate::exec::set_ordered(tx, ("document_files", "document_id", "media_id"), id, media)
            .await?
    else {
        return Ok(());
    };
    audit::record(audit::action::DOCUMENT_FILES, "document", id)
        .changed(tx, actor, &before, &media)
        .await?;
    index_one(tx, id, &mut Default::default()).await
}

/// Sets the documents this one replaces (or amends), adding and removing relations so
/// that exactly `others` remain (audited when anything changed; itself is never related).
pub(super) async fn set_relations_in(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    relation: &'static str,
    others: &[i64],
) -> Result<()> {
    let mut before: Vec<i64> = tx
        .fetch_scalars(
            q("SELECT other_id FROM document_relations WHERE document_id = $1 AND relation = $2")
                .bind(id)
                .bind(relation),
        )
        .await?;
    before.sort_unstable();
    let mut after: Vec<i64> = others.iter().copied().filter(|o| *o != id).collect();
    after.sort_unstable();
    after.dedup();
    if before == after {
        return Ok(());
    }
    tx.execute(
        q("DELETE FROM document_relations WHERE document_id = $1 AND relation = $2")
            .bind(id)
            .bind(relation),
    )
    .await?;
    let rows = after
        .iter()
        .map(|o| vec![id.into(), relation.into(), (*o).into()])
        .collect();
    crate::exec::insert_rows(
        tx,
        "document_relations",
        &["document_id", "relation", "other_id"],
        rows,
        "ON CONFLICT DO NOTHING",
    )
    .await?;
    audit::record(audit::action::DOCUMENT_RELATE, "document", id)
        .changed(
            tx,
            actor,
            &serde_json::json!({"relation": relation, "others": before}),
            &serde_json::json!({"relation": relation, "others": after}),
        )
        .await?;
    Ok(())
}

/// Records that `id` replaces or amends `other` (audited).
pub async fn relate(db: &Db, actor: &Actor, id: i64, relation: &str, other: i64) -> Result<()> {
    let mut tx = db.begin().await?;
    let added = tx
        .execute(q("INSERT INTO document_relations (document_id, relation, other_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING").bind(id).bind(relation).bind(other))
        .await?;
    if added > 0 {
        audit::record(audit::action::DOCUMENT_RELATE, "document", id)
            .after(
                &mut tx,
                actor,
                &serde_json::json!({"relation": relation, "other": other}),
            )
            .await?;
    }
    tx.commit().await
}

/// Links an article to documents (replacing its links; audited).
pub async fn set_article_documents(
    db: &Db,
    actor: &Actor,
    article_id: i64,
    docs: &[i64],
) -> Result<()> {
    crate::in_tx(db, async |tx| {
        set_article_documents_in(tx, actor, article_id, docs).await
    })
    .await
}

/// [`set_article_documents`] inside the caller's transaction; nothing is written (or
/// audited) when the links are already these.
pub async fn set_article_documents_in(
    tx: &mut Tx,
    actor: &Actor,
    article_id: i64,
    docs: &[i64],
) -> Result<()> {
    let mut before: Vec<i64> = tx
        .fetch_scalars(
            q("SELECT document_id FROM article_documents WHERE article_id = $1").bind(article_id),
        )
        .await?;
    before.sort_unstable();
    let mut after = docs.to_vec();
    after.sort_unstable();
    after.dedup();
    if before == after {
        return Ok(());
    }
    tx.execute(q("DELETE FROM article_documents WHERE article_id = $1").bind(article_id))
        .await?;
    crate::exec::link_all(
        tx,
        ("article_documents", "article_id", "document_id"),
        article_id,
        &after,
    )
    .await?;
    audit::record(audit::action::ARTICLE_DOCUMENTS, "article", article_id)
        .changed(tx, actor, &before, &after)
        .await?;
    Ok(())
}
