//! Reading the index: the candidates of a query (the rarest word's postings, newest
//! first, kept when they hold every other word), their texts, entries by reference.

use std::collections::HashMap;

use danchu_core::search::Kind;

use crate::decode::col;
use crate::exec::{q, row_struct, Db, Owned, Query, Result};

/// What narrows a search.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Only this kind.
    pub kind: Option<Kind>,
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
        pub kind: Kind = col::code("search_docs.kind", Kind::parse),
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
        kind: Kind = col::code("search_docs.kind", Kind::parse),
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
    let Some(terms) = rarest_first(db, words).await? else {
        return Ok(Candidates::default()); // some word is in no document
    };
    let list = db.fetch_all_as(holding_all(&terms, f, now, limit)).await?;
    Ok(Candidates { list })
}

/// Each word's term id, the rarest word first (how many documents hold it, counted up to
/// a cap, in one query): the walk starts from it. None when some word is in no document.
async fn rarest_first(db: &Db, words: &[&str]) -> Result<Option<Vec<i64>>> {
    let mut lookup = q("");
    for (i, w) in words.iter().enumerate() {
        lookup = lookup
            .push(if i == 0 { "" } else { " UNION ALL " })
            .push(&format!(
                "SELECT t.id AS id, (SELECT COUNT(*) FROM (SELECT 1 FROM search_postings p WHERE p.term = t.id LIMIT {ESTIMATE_CAP}) c) AS n FROM search_terms t WHERE t.word = "
            ))
            .push_bind(*w);
    }
    let rows: Vec<(i64, i64)> = db.fetch_all_as(lookup).await?;
    if rows.len() < words.len() {
        return Ok(None);
    }
    let mut terms: Vec<(i64, i64)> = rows.into_iter().map(|(id, n)| (n, id)).collect();
    terms.sort_unstable();
    Ok(Some(terms.into_iter().map(|(_, id)| id).collect()))
}

/// The documents holding every term (the first the rarest), public at `now`, within the
/// filter: the newest `limit` matches (the walk stops there), most query words in the
/// title first. Their text is fetched apart, by id, for the few that need it: cheaper
/// than joining it here (ADR 0002, point 6).
fn holding_all(terms: &[i64], f: &Filter, now: i64, limit: i64) -> Query {
    let mut from = String::from("search_postings p0");
    let mut title = String::from("p0.title");
    for i in 1..terms.len() {
        from.push_str(&format!(" CROSS JOIN search_postings p{i}"));
        title.push_str(&format!(" + p{i}.title"));
    }
    let mut query = q(format!(
        "SELECT doc, kind, ref_id, at, title_words FROM (
         SELECT p0.doc AS doc, d.kind AS kind, d.ref_id AS ref_id, d.at AS at, {title} AS title_words
         FROM {from} CROSS JOIN search_docs d
         WHERE "
    ));
    for (i, id) in terms.iter().enumerate() {
        query = if i == 0 {
            query.push("p0.term = ").push_bind(*id)
        } else {
            query
                .push(&format!(" AND p{i}.term = "))
                .push_bind(*id)
                .push(&format!(" AND p{i}.doc = p0.doc"))
        };
    }
    query = query
        .push(" AND d.id = p0.doc AND d.visible_from <= ")
        .push_bind(now);
    if let Some(k) = &f.kind {
        query = query.push(" AND d.kind = ").push_bind(k.code());
    }
    if let Some(t) = f.from {
        query = query.push(" AND d.at >= ").push_bind(t);
    }
    if let Some(t) = f.until {
        query = query.push(" AND d.at < ").push_bind(t);
    }
    query
        .push(" ORDER BY p0.doc DESC LIMIT ")
        .push_bind(limit)
        .push(") m ORDER BY title_words DESC, doc DESC")
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
pub async fn find(db: &Db, kind: Kind, ref_ids: &[i64]) -> Result<Vec<Candidate>> {
    if ref_ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<Found> = db
        .fetch_all_as(
            q("SELECT id, kind, ref_id, at, title, body FROM search_docs WHERE kind = $1 AND ref_id IN ")
                .bind(kind.code())
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
