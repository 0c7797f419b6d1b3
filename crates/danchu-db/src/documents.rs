//! The document library: documents, their files, relations between documents, the
//! articles that refer to them, and their download counts.

use danchu_core::documents::number_key;
use danchu_core::text::clean_line;
use serde::Serialize;

use crate::audit::{self, Actor};
use crate::exec::{q, Db, DbError, Exec, Result, Row, Tx};

mod cited;
pub use cited::{named_in_field, MAX_CITED};

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Document {
    pub id: i64,
    pub unit_id: i64,
    /// Number and symbol, exactly as issued (`22/KH-UBND`).
    pub number: String,
    pub kind: String,
    pub issuer: String,
    /// `yyyy-mm-dd`
    pub issued_on: String,
    pub effective_on: Option<String>,
    pub signer: String,
    pub field: String,
    /// Trích yếu.
    pub summary: String,
    pub status: String,
    pub downloads: i64,
}

/// What an editor submits (already checked).
#[derive(Debug, Clone)]
pub struct DocumentInput {
    pub unit_id: i64,
    pub number: String,
    pub kind: String,
    pub issuer: String,
    pub issued_on: String,
    pub effective_on: Option<String>,
    pub signer: String,
    pub field: String,
    pub summary: String,
    pub status: String,
}

const COLS: &str = "id, unit_id, number, kind, issuer, issued_on, effective_on, signer, field, summary, status, downloads";

/// A code of one of the (code, name) lists of `danchu_core::documents`, read from `at`.
fn known(at: &str, code: String, list: &[(&str, &str)]) -> Result<String> {
    if list.iter().any(|k| k.0 == code) {
        Ok(code)
    } else {
        Err(crate::decode::unknown(at, &code))
    }
}

pub(crate) fn doc(r: &Row) -> Result<Document> {
    Ok(Document {
        id: r.get("id")?,
        unit_id: r.get("unit_id")?,
        number: r.get("number")?,
        kind: known(
            "documents.kind",
            r.get("kind")?,
            danchu_core::documents::KINDS,
        )?,
        issuer: r.get("issuer")?,
        issued_on: r.get("issued_on")?,
        effective_on: r.get("effective_on")?,
        signer: r.get("signer")?,
        field: r.get("field")?,
        summary: r.get("summary")?,
        status: known(
            "documents.status",
            r.get("status")?,
            danchu_core::documents::STATUSES,
        )?,
        downloads: r.get("downloads")?,
    })
}

/// Writes a document's search index entry: its kind, number and summary as the title;
/// issuer, signer, field and the text of its files as the body.
pub async fn index_one(tx: &mut Tx, id: i64, terms: &mut crate::search_index::Terms) -> Result<()> {
    let Some(d) = get(tx, id).await? else {
        return crate::search_index::remove(tx, "van-ban", id).await;
    };
    let files = tx
        .fetch_all(
            q("SELECT m.text AS text FROM document_files f JOIN media m ON m.id = f.media_id WHERE f.document_id = $1 ORDER BY f.position")
                .bind(id),
        )
        .await?;
    let mut body = format!("{}\n{}\n{}", d.issuer, d.signer, d.field);
    for f in files {
        body.push('\n');
        body.push_str(&f.get::<String>("text")?);
    }
    let entry = crate::search_index::Entry {
        kind: "van-ban",
        ref_id: id,
        visible_from: Some(0),
        at: danchu_core::text::day_start_vn(&d.issued_on).unwrap_or(0),
        title: format!(
            "{} số {} {}",
            danchu_core::documents::kind_name(&d.kind),
            d.number,
            d.summary
        ),
        body,
    };
    crate::search_index::put_with(tx, &entry, terms).await
}

/// Puts every document into the search index (inside a rebuild's transaction).
pub async fn index_all(tx: &mut Tx, terms: &mut crate::search_index::Terms) -> Result<u64> {
    let ids: Vec<i64> = tx
        .fetch_all(q("SELECT id FROM documents ORDER BY id"))
        .await?
        .iter()
        .map(|r| r.get("id"))
        .collect::<Result<_>>()?;
    for id in &ids {
        index_one(tx, *id, terms).await?;
    }
    Ok(ids.len() as u64)
}

/// Documents by id (for showing search results), in no particular order.
pub async fn by_ids(db: &Db, ids: &[i64]) -> Result<Vec<Document>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    db.fetch_all(q(format!("SELECT {COLS} FROM documents WHERE id IN ")).in_list(ids))
        .await?
        .iter()
        .map(doc)
        .collect()
}

pub async fn get(e: &mut impl Exec, id: i64) -> Result<Option<Document>> {
    e.fetch_optional(q(format!("SELECT {COLS} FROM documents WHERE id = $1")).bind(id))
        .await?
        .as_ref()
        .map(doc)
        .transpose()
}

/// Documents whose number and symbol is this one, however it is typed.
pub async fn by_number(db: &Db, number: &str) -> Result<Vec<Document>> {
    db.fetch_all(
        q(format!(
            "SELECT {COLS} FROM documents WHERE number_key = $1 ORDER BY issued_on DESC"
        ))
        .bind(number_key(number)),
    )
    .await?
    .iter()
    .map(doc)
    .collect()
}

/// The documents named in a list of numbers ("22/KH-UBND, 10/2022/QH15", however each is
/// typed), in the order named, each once, and the numbers not found. Where several
/// documents share a number, one in `prefer` (already linked) is taken, else the newest.
/// One query for the whole list.
pub async fn named(
    db: &Db,
    numbers: &[&str],
    prefer: &[i64],
) -> Result<(Vec<Document>, Vec<String>)> {
    let keys: Vec<String> = numbers.iter().map(|n| number_key(n)).collect();
    let mut found: Vec<Document> = Vec::new();
    for chunk in keys.chunks(crate::exec::IN_CHUNK) {
        for r in db
            .fetch_all(
                q(format!("SELECT {COLS} FROM documents WHERE number_key IN "))
                    .in_list(chunk)
                    .push(" ORDER BY issued_on DESC, id DESC"),
            )
            .await?
        {
            found.push(doc(&r)?);
        }
    }
    let mut out: Vec<Document> = Vec::new();
    let mut missing = Vec::new();
    for (n, key) in numbers.iter().zip(&keys) {
        let same: Vec<&Document> = found
            .iter()
            .filter(|d| number_key(&d.number) == *key)
            .collect();
        let pick = same
            .iter()
            .find(|d| prefer.contains(&d.id))
            .or(same.first());
        match pick {
            Some(d) if !out.iter().any(|o| o.id == d.id) => out.push((*d).clone()),
            Some(_) => {}
            None => missing.push(n.to_string()),
        }
    }
    Ok((out, missing))
}

/// Creates a document (audited).
pub async fn create(db: &Db, actor: &Actor, d: &DocumentInput) -> Result<Document> {
    let mut tx = db.begin().await?;
    let created = insert_in(&mut tx, actor, d).await?;
    tx.commit().await?;
    Ok(created)
}

/// What a document is linked to: its files (in order) and the documents it replaces and
/// amends (its own relations; those pointing at it belong to the other documents).
#[derive(Debug, Clone, Default)]
pub struct DocumentLinks {
    pub files: Vec<i64>,
    pub replaces: Vec<i64>,
    pub amends: Vec<i64>,
}

/// An editor's save, in one transaction: the document (new when `id` is `None`), its
/// files and its own relations, replaced by those given (all audited).
pub async fn save(
    db: &Db,
    actor: &Actor,
    id: Option<i64>,
    d: &DocumentInput,
    links: &DocumentLinks,
) -> Result<Document> {
    let mut tx = db.begin().await?;
    let saved = match id {
        None => insert_in(&mut tx, actor, d).await?,
        Some(id) => update_in(&mut tx, actor, id, d).await?,
    };
    set_files_in(&mut tx, actor, saved.id, &links.files).await?;
    set_relations_in(&mut tx, actor, saved.id, "replaces", &links.replaces).await?;
    set_relations_in(&mut tx, actor, saved.id, "amends", &links.amends).await?;
    tx.commit().await?;
    Ok(saved)
}

async fn insert_in(tx: &mut Tx, actor: &Actor, d: &DocumentInput) -> Result<Document> {
    let now = crate::now_s();
    let r = tx
        .fetch_optional(
            q(format!(
                "INSERT INTO documents (unit_id, number, number_key, kind, issuer, issued_on, effective_on, signer, field, summary, status, downloads, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 0, $12, $12) RETURNING {COLS}"
            ))
            .bind(d.unit_id)
            .bind(d.number.trim())
            .bind(number_key(&d.number))
            .bind(&d.kind)
            .bind(clean_line(&d.issuer))
            .bind(&d.issued_on)
            .bind(d.effective_on.clone())
            .bind(clean_line(&d.signer))
            .bind(clean_line(&d.field))
            .bind(clean_line(&d.summary))
            .bind(&d.status)
            .bind(now),
        )
        .await?
        .ok_or(DbError::NotFound)?;
    let created = doc(&r)?;
    index_one(tx, created.id, &mut Default::default()).await?;
    audit::append(
        tx,
        actor,
        "document.create",
        "document",
        &created.id.to_string(),
        None::<&()>,
        Some(&created),
    )
    .await?;
    Ok(created)
}

/// Updates a document (audited with before and after).
pub async fn update(db: &Db, actor: &Actor, id: i64, d: &DocumentInput) -> Result<Document> {
    let mut tx = db.begin().await?;
    let after = update_in(&mut tx, actor, id, d).await?;
    tx.commit().await?;
    Ok(after)
}

async fn update_in(tx: &mut Tx, actor: &Actor, id: i64, d: &DocumentInput) -> Result<Document> {
    let before = get(&mut *tx, id).await?.ok_or(DbError::NotFound)?;
    // Saved unchanged: nothing is written, nothing is audited.
    let same = Document {
        unit_id: d.unit_id,
        number: d.number.trim().to_string(),
        kind: d.kind.clone(),
        issuer: clean_line(&d.issuer),
        issued_on: d.issued_on.clone(),
        effective_on: d.effective_on.clone(),
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
        .bind(d.unit_id)
        .bind(d.number.trim())
        .bind(number_key(&d.number))
        .bind(&d.kind)
        .bind(clean_line(&d.issuer))
        .bind(&d.issued_on)
        .bind(d.effective_on.clone())
        .bind(clean_line(&d.signer))
        .bind(clean_line(&d.field))
        .bind(clean_line(&d.summary))
        .bind(&d.status)
        .bind(crate::now_s())
        .bind(id),
    )
    .await?;
    let after = get(&mut *tx, id).await?.ok_or(DbError::NotFound)?;
    index_one(tx, id, &mut Default::default()).await?;
    audit::append(
        tx,
        actor,
        "document.update",
        "document",
        &id.to_string(),
        Some(&before),
        Some(&after),
    )
    .await?;
    Ok(after)
}

/// Filters of the public listing.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub kind: Option<String>,
    pub issuer: Option<String>,
    pub year: Option<i64>,
    pub field: Option<String>,
    pub status: Option<String>,
    /// `newest` (default), `oldest` or `number`.
    pub sort: String,
}

fn filtered(select: &str, f: &Filter) -> crate::Query {
    let year = f
        .year
        .map(|y| (format!("{y:04}-01-01"), format!("{y:04}-12-31")));
    q(format!(
        "{select} FROM documents WHERE ($1 IS NULL OR kind = $1) AND ($2 IS NULL OR issuer = $2) AND ($3 IS NULL OR issued_on >= $3)
         AND ($4 IS NULL OR issued_on <= $4) AND ($5 IS NULL OR field = $5) AND ($6 IS NULL OR status = $6)"
    ))
    .bind(f.kind.clone())
    .bind(f.issuer.clone())
    .bind(year.as_ref().map(|y| y.0.clone()))
    .bind(year.map(|y| y.1))
    .bind(f.field.clone())
    .bind(f.status.clone())
}

pub async fn list(db: &Db, f: &Filter, limit: i64, offset: i64) -> Result<Vec<Document>> {
    let order = match f.sort.as_str() {
        "oldest" => "issued_on ASC, id ASC",
        "number" => "number_key ASC, id ASC",
        _ => "issued_on DESC, id DESC",
    };
    db.fetch_all(
        filtered(&format!("SELECT {COLS}"), f)
            .push(&format!(" ORDER BY {order} LIMIT $7 OFFSET $8"))
            .bind(limit)
            .bind(offset),
    )
    .await?
    .iter()
    .map(doc)
    .collect()
}

pub async fn count(db: &Db, f: &Filter) -> Result<i64> {
    db.fetch_optional(filtered("SELECT COUNT(*) AS n", f))
        .await?
        .map(|r| r.get("n"))
        .transpose()
        .map(|n| n.unwrap_or(0))
}

/// Values for the filter lists: issuers, fields and years in use.
pub async fn facets(db: &Db) -> Result<(Vec<String>, Vec<String>, Vec<i64>)> {
    let issuers = db
        .fetch_all(q("SELECT DISTINCT issuer FROM documents ORDER BY issuer"))
        .await?
        .iter()
        .map(|r| r.get("issuer"))
        .collect::<Result<_>>()?;
    let fields = db
        .fetch_all(q(
            "SELECT DISTINCT field FROM documents WHERE field <> '' ORDER BY field",
        ))
        .await?
        .iter()
        .map(|r| r.get("field"))
        .collect::<Result<_>>()?;
    let mut years: Vec<i64> = db
        .fetch_all(q(
            "SELECT DISTINCT substr(issued_on, 1, 4) AS y FROM documents",
        ))
        .await?
        .iter()
        .map(|r| {
            let y: String = r.get("y")?;
            crate::decode::code("documents.issued_on", &y, |y| y.parse().ok())
        })
        .collect::<Result<_>>()?;
    years.sort_unstable_by(|a, b| b.cmp(a));
    Ok((issuers, fields, years))
}

/// Replaces the files of a document (audited).
pub async fn set_files(db: &Db, actor: &Actor, id: i64, media: &[i64]) -> Result<()> {
    let mut tx = db.begin().await?;
    set_files_in(&mut tx, actor, id, media).await?;
    tx.commit().await
}

/// [`set_files`] inside the caller's transaction; nothing is written when they are the
/// same files in the same order.
async fn set_files_in(tx: &mut Tx, actor: &Actor, id: i64, media: &[i64]) -> Result<()> {
    let before: Vec<i64> = tx
        .fetch_all(
            q("SELECT media_id FROM document_files WHERE document_id = $1 ORDER BY position")
                .bind(id),
        )
        .await?
        .iter()
        .map(|r| r.get("media_id"))
        .collect::<Result<_>>()?;
    if before == media {
        return Ok(());
    }
    tx.execute(q("DELETE FROM document_files WHERE document_id = $1").bind(id))
        .await?;
    let rows = media
        .iter()
        .enumerate()
        .map(|(i, m)| vec![id.into(), (*m).into(), (i as i64).into()])
        .collect();
    crate::exec::insert_rows(
        tx,
        "document_files",
        &["document_id", "media_id", "position"],
        rows,
        "ON CONFLICT DO NOTHING",
    )
    .await?;
    audit::append(
        tx,
        actor,
        "document.files",
        "document",
        &id.to_string(),
        Some(&before),
        Some(&media),
    )
    .await?;
    index_one(tx, id, &mut Default::default()).await
}

/// Sets the documents this one replaces (or amends), adding and removing relations so
/// that exactly `others` remain (audited when anything changed; itself is never related).
async fn set_relations_in(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    relation: &'static str,
    others: &[i64],
) -> Result<()> {
    let mut before: Vec<i64> = tx
        .fetch_all(
            q("SELECT other_id FROM document_relations WHERE document_id = $1 AND relation = $2")
                .bind(id)
                .bind(relation),
        )
        .await?
        .iter()
        .map(|r| r.get("other_id"))
        .collect::<Result<_>>()?;
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
    audit::append(
        tx,
        actor,
        "document.relate",
        "document",
        &id.to_string(),
        Some(&serde_json::json!({"relation": relation, "others": before})),
        Some(&serde_json::json!({"relation": relation, "others": after})),
    )
    .await?;
    Ok(())
}

pub async fn files(db: &Db, id: i64) -> Result<Vec<crate::media::Media>> {
    let cols = crate::media::joined_cols();
    db.fetch_all(
        q(format!("SELECT {cols} FROM document_files f JOIN media m ON m.id = f.media_id WHERE f.document_id = $1 ORDER BY f.position, m.id"))
            .bind(id),
    )
    .await?
    .iter()
    .map(crate::media::media)
    .collect()
}

/// Records that `id` replaces or amends `other` (audited).
pub async fn relate(db: &Db, actor: &Actor, id: i64, relation: &str, other: i64) -> Result<()> {
    let mut tx = db.begin().await?;
    let added = tx
        .execute(q("INSERT INTO document_relations (document_id, relation, other_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING").bind(id).bind(relation).bind(other))
        .await?;
    if added > 0 {
        audit::append(
            &mut tx,
            actor,
            "document.relate",
            "document",
            &id.to_string(),
            None::<&()>,
            Some(&serde_json::json!({"relation": relation, "other": other})),
        )
        .await?;
    }
    tx.commit().await
}

/// Relations of a document in both directions: (relation, is it this document's own, other).
pub async fn relations(db: &Db, id: i64) -> Result<Vec<(String, bool, Document)>> {
    let cols = COLS
        .split(", ")
        .map(|c| format!("d.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    db.fetch_all(
        q(format!(
            "SELECT r.relation AS relation, CAST(1 AS BIGINT) AS own, {cols} FROM document_relations r JOIN documents d ON d.id = r.other_id WHERE r.document_id = $1
             UNION ALL
             SELECT r.relation AS relation, CAST(0 AS BIGINT) AS own, {cols} FROM document_relations r JOIN documents d ON d.id = r.document_id WHERE r.other_id = $1"
        ))
        .bind(id),
    )
    .await?
    .iter()
    .map(|r| {
        let relation: String = r.get("relation")?;
        if !danchu_core::documents::RELATIONS
            .iter()
            .any(|x| x.0 == relation)
        {
            return Err(crate::decode::unknown(
                "document_relations.relation",
                &relation,
            ));
        }
        Ok((relation, r.get::<i64>("own")? == 1, doc(r)?))
    })
    .collect()
}

/// Links an article to documents (replacing its links; audited).
pub async fn set_article_documents(
    db: &Db,
    actor: &Actor,
    article_id: i64,
    docs: &[i64],
) -> Result<()> {
    let mut tx = db.begin().await?;
    set_article_documents_in(&mut tx, actor, article_id, docs).await?;
    tx.commit().await
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
        .fetch_all(
            q("SELECT document_id FROM article_documents WHERE article_id = $1").bind(article_id),
        )
        .await?
        .iter()
        .map(|r| r.get("document_id"))
        .collect::<Result<_>>()?;
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
    audit::append(
        tx,
        actor,
        "article.documents",
        "article",
        &article_id.to_string(),
        Some(&before),
        Some(&after),
    )
    .await?;
    Ok(())
}

pub async fn of_article(db: &Db, article_id: i64) -> Result<Vec<Document>> {
    let cols = COLS
        .split(", ")
        .map(|c| format!("d.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    db.fetch_all(q(format!("SELECT {cols} FROM article_documents a JOIN documents d ON d.id = a.document_id WHERE a.article_id = $1 ORDER BY d.issued_on DESC")).bind(article_id))
        .await?
        .iter()
        .map(doc)
        .collect()
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

/// Articles that refer to a document.
pub async fn articles_citing(db: &Db, document_id: i64) -> Result<Vec<i64>> {
    db.fetch_all(q("SELECT article_id FROM article_documents WHERE document_id = $1 ORDER BY article_id DESC").bind(document_id))
        .await?
        .iter()
        .map(|r| r.get("article_id"))
        .collect()
}
