//! Reading the index: the candidates of a query (the rarest word's postings, newest
//! first, kept when they hold every other word), their texts, entries by reference.

use std::collections::HashMap;

use super::index::KINDS;
use crate::decode::col;
use crate::exec::{q, row_struct, Db, Owned, Result};

/// What narrows a search.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Only this kind (`bai-viet`, `van-ban`, …).
    pub kind: Option<String>,
    /// Dated at or after (unix seconds).
    pub from: Option<i64>,
    /// Dated before (unix seconds).
    pub until: Option<i64>,
}

row_struct! {
    /// A document holding every word of a query.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Candidate {
        pub doc: i64,
        pub kind: String = col::one_of("search_docs.kind", &KINDS),
        pub ref_id: i64,
        pub at: i64,
        /// How many of the query's words are in its title.
        pub title_words: i64,
        /// Its indexed title and text, once fetched ([`candidates`] leaves them out: the
        /// caller fetches with [`texts`] only those it ranks or shows).
        pub text: Option<Text> = col::later,
    }
}

row_struct! {
    /// The indexed title and text of a document.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Text {
        pub title: String,
        pub body: String,
    }
}

row_struct! {
    /// An index entry as [`find`] reads it.
    struct Found {
        id: i64,
        kind: String = col::one_of("search_docs.kind", &KINDS),
        ref_id: i64,
        at: i64,
        text: Text = Text::from_row,
    }
}

/// Postings counted at most when estimating which word is rarest.
const ESTIMATE_CAP: i64 = 1000;

/// Public documents (at `now`) holding every folded word: the `limit` newest, ordered by
/// how many query words their title holds, then newest first, without their text.
pub async fn candidates(
    db: &Db,
    words: &[&str],
    f: &Filter,
    now: i64,
    limit: i64,
) -> Result<Candidates> {
    if words.is_empty() {
        return Ok(Candidates::default());
    }
    // Each word's id and how many documents hold it (counted up to a cap), in one query:
    // the walk starts from the rarest word.
    let mut lookup = q("");
    for (i, w) in words.iter().enumerate() {
        let n = i + 1;
        lookup = lookup
            .push(&format!(
                "{}SELECT t.id AS id, (SELECT COUNT(*) FROM (SELECT 1 FROM search_postings p WHERE p.term = t.id LIMIT {ESTIMATE_CAP}) c) AS n FROM search_terms t WHERE t.word = ${n}",
                if i == 0 { "" } else { " UNION ALL " }
            ))
            .bind(*w);
    }
    let rows = db.fetch_all(lookup).await?;
    if rows.len() < words.len() {
        return Ok(Candidates::default()); // some word is in no document
    }
    let mut terms: Vec<(i64, i64)> = Vec::with_capacity(rows.len()); // (estimate, id)
    for r in &rows {
        terms.push((r.get("n")?, r.get("id")?));
    }
    terms.sort_unstable();
    let mut from = String::from("search_postings p0");
    let mut cond = String::from("p0.term = $1");
    let mut title = String::from("p0.title");
    let mut query_terms = q("");
    for (i, (_, id)) in terms.iter().enumerate() {
        query_terms = query_terms.bind(*id);
        if i > 0 {
            from.push_str(&format!(" CROSS JOIN search_postings p{i}"));
            cond.push_str(&format!(
                " AND p{i}.term = ${} AND p{i}.doc = p0.doc",
                i + 1
            ));
            title.push_str(&format!(" + p{i}.title"));
        }
    }
    let mut n = terms.len();
    let mut next = || {
        n += 1;
        format!("${n}")
    };
    let sql = format!(
        "SELECT doc, kind, ref_id, at, title_words FROM (
         SELECT p0.doc AS doc, d.kind AS kind, d.ref_id AS ref_id, d.at AS at, {title} AS title_words
         FROM {from} CROSS JOIN search_docs d
         WHERE {cond} AND d.id = p0.doc AND d.visible_from <= {}",
        next()
    );
    let mut query = query_terms.push(&sql).bind(now);
    if let Some(k) = &f.kind {
        query = query.push(&format!(" AND d.kind = {}", next())).bind(k);
    }
    if let Some(t) = f.from {
        query = query.push(&format!(" AND d.at >= {}", next())).bind(t);
    }
    if let Some(t) = f.until {
        query = query.push(&format!(" AND d.at < {}", next())).bind(t);
    }
    // The newest `limit` matches (the walk stops there), most query words in the title
    // first. Their text is fetched apart, by id, for the few that need it: cheaper than
    // joining it here (ADR 0002, point 6).
    query = query
        .push(&format!(
            " ORDER BY p0.doc DESC LIMIT {}) m ORDER BY title_words DESC, doc DESC",
            next()
        ))
        .bind(limit);
    let list = db.fetch_all_as(query).await?;
    Ok(Candidates { list })
}

/// What [`candidates`] found.
#[derive(Debug, Default)]
pub struct Candidates {
    /// Every match (at most the `limit` newest), most query words in the title first,
    /// then newest.
    pub list: Vec<Candidate>,
}

/// The indexed text of some documents (index ids), by id.
pub async fn texts(db: &Db, docs: &[i64]) -> Result<HashMap<i64, Text>> {
    if docs.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<Owned<Text>> = db
        .fetch_all_as(
            q("SELECT id AS owner, title, body FROM search_docs WHERE id IN ").in_list(docs),
        )
        .await?;
    Ok(rows.into_iter().map(|o| (o.owner, o.item)).collect())
}

/// The index entries of some things of one kind (e.g. documents matched by number).
pub async fn find(db: &Db, kind: &str, ref_ids: &[i64]) -> Result<Vec<Candidate>> {
    if ref_ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<Found> = db
        .fetch_all_as(
            q("SELECT id, kind, ref_id, at, title, body FROM search_docs WHERE kind = $1 AND ref_id IN ")
                .bind(kind)
                .in_list(ref_ids),
        )
        .await?;
    Ok(rows
        .into_iter()
        .map(|f| Candidate {
            doc: f.id,
            kind: f.kind,
            ref_id: f.ref_id,
            at: f.at,
            title_words: 0,
            text: Some(f.text),
        })
        .collect())
}
