//! Reading the library: one document, lists and facets, files, relations, citing
//! articles.

use danchu_core::documents::number_key;
use serde::Serialize;

use crate::decode::col;
use crate::exec::{q, row_struct, Db, Exec, Result};

row_struct! {
    #[derive(Debug, Clone, Serialize, PartialEq)]
    pub struct Document {
        pub id: i64,
        pub unit_id: i64,
        /// Number and symbol, exactly as issued (`22/KH-UBND`).
        pub number: String,
        pub kind: String = col::listed("documents.kind", danchu_core::documents::KINDS),
        pub issuer: String,
        #[serde(serialize_with = "crate::decode::day_text::required")]
        pub issued_on: time::Date = col::required_day("issued_on"),
        #[serde(serialize_with = "crate::decode::day_text::nullable")]
        pub effective_on: Option<time::Date> = col::day("effective_on"),
        pub signer: String,
        pub field: String,
        /// Trích yếu.
        pub summary: String,
        pub status: String = col::listed("documents.status", danchu_core::documents::STATUSES),
        pub downloads: i64,
    }
}

pub(super) const COLS: &str = "id, unit_id, number, kind, issuer, issued_on, effective_on, signer, field, summary, status, downloads";

/// Documents by id (for showing search results), in no particular order.
pub async fn by_ids(db: &Db, ids: &[i64]) -> Result<Vec<Document>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    db.fetch_all_as(q(format!("SELECT {COLS} FROM documents WHERE id IN ")).in_list(ids))
        .await
}

pub async fn get(e: &mut impl Exec, id: i64) -> Result<Option<Document>> {
    e.fetch_optional_as(q(format!("SELECT {COLS} FROM documents WHERE id = $1")).bind(id))
        .await
}

/// Documents whose number and symbol is this one, however it is typed.
pub async fn by_number(db: &Db, number: &str) -> Result<Vec<Document>> {
    db.fetch_all_as(
        q(format!(
            "SELECT {COLS} FROM documents WHERE number_key = $1 ORDER BY issued_on DESC"
        ))
        .bind(number_key(number)),
    )
    .await
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
        found.extend(
            db.fetch_all_as::<Document>(
                q(format!("SELECT {COLS} FROM documents WHERE number_key IN "))
                    .in_list(chunk)
                    .push(" ORDER BY issued_on DESC, id DESC"),
            )
            .await?,
        );
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
    db.fetch_all_as(
        filtered(&format!("SELECT {COLS}"), f)
            .push(&format!(" ORDER BY {order} LIMIT $7 OFFSET $8"))
            .bind(limit)
            .bind(offset),
    )
    .await
}

pub async fn count(db: &Db, f: &Filter) -> Result<i64> {
    db.fetch_scalar(filtered("SELECT COUNT(*) AS n", f))
        .await
        .map(|n| n.unwrap_or(0))
}

/// Values for the filter lists: issuers, fields and years in use.
pub async fn facets(db: &Db) -> Result<(Vec<String>, Vec<String>, Vec<i64>)> {
    let issuers = db
        .fetch_scalars(q("SELECT DISTINCT issuer FROM documents ORDER BY issuer"))
        .await?;
    let fields = db
        .fetch_scalars(q(
            "SELECT DISTINCT field FROM documents WHERE field <> '' ORDER BY field",
        ))
        .await?;
    let mut years: Vec<i64> = db
        .fetch_scalars::<String>(q(
            "SELECT DISTINCT substr(issued_on, 1, 4) AS y FROM documents",
        ))
        .await?
        .iter()
        .map(|y| crate::decode::code("documents.issued_on", y, |y| y.parse().ok()))
        .collect::<Result<_>>()?;
    years.sort_unstable_by(|a, b| b.cmp(a));
    Ok((issuers, fields, years))
}

pub async fn files(db: &Db, id: i64) -> Result<Vec<crate::media::Media>> {
    let cols = crate::media::joined_cols();
    db.fetch_all_as(
        q(format!("SELECT {cols} FROM document_files f JOIN media m ON m.id = f.media_id WHERE f.document_id = $1 ORDER BY f.position, m.id"))
            .bind(id),
    ).await
}

/// Relations of a document in both directions: (relation, is it this document's own, other).
pub async fn relations(db: &Db, id: i64) -> Result<Vec<(String, bool, Document)>> {
    let cols = COLS
        .split(", ")
        .map(|c| format!("d.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let rows: Vec<Related> = db
        .fetch_all_as(
            q(format!(
                "SELECT r.relation AS relation, CAST(1 AS BIGINT) AS own, {cols} FROM document_relations r JOIN documents d ON d.id = r.other_id WHERE r.document_id = $1
                 UNION ALL
                 SELECT r.relation AS relation, CAST(0 AS BIGINT) AS own, {cols} FROM document_relations r JOIN documents d ON d.id = r.document_id WHERE r.other_id = $1"
            ))
            .bind(id),
        )
        .await?;
    rows.into_iter()
        .map(|r| {
            if !danchu_core::documents::RELATIONS
                .iter()
                .any(|x| x.0 == r.relation)
            {
                return Err(crate::decode::unknown(
                    "document_relations.relation",
                    &r.relation,
                ));
            }
            Ok((r.relation, r.own, r.document))
        })
        .collect()
}

row_struct! {
    /// A relation of a document as [`relations`] reads it.
    struct Related {
        relation: String,
        own: bool = col::flag("own"),
        document: Document = Document::from_row,
    }
}

pub async fn of_article(db: &Db, article_id: i64) -> Result<Vec<Document>> {
    let cols = COLS
        .split(", ")
        .map(|c| format!("d.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    db.fetch_all_as(q(format!("SELECT {cols} FROM article_documents a JOIN documents d ON d.id = a.document_id WHERE a.article_id = $1 ORDER BY d.issued_on DESC")).bind(article_id)).await
}

/// Articles that refer to a document.
pub async fn articles_citing(db: &Db, document_id: i64) -> Result<Vec<i64>> {
    db.fetch_scalars(q("SELECT article_id FROM article_documents WHERE document_id = $1 ORDER BY article_id DESC").bind(document_id)).await
}
