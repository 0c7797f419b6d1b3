//! The search index (docs/adr/0002-search.md): every searchable thing (an article, a
//! document; later a disclosure or an answered petition) is one row of `search_docs` with
//! its title and plain text, and one posting per distinct folded word. It is written in
//! the same transaction as the thing itself, so every node sees it as soon as the change
//! commits; `danchu reindex` rebuilds it from the source tables.
//!
//! A query looks its folded words up, walks the postings of the rarest word newest first
//! and keeps the documents that hold every other word too: the same SQL on both
//! backends. The Vietnamese rules in `danchu_core::search` then rank the candidates.

use std::collections::{BTreeMap, HashMap};

use crate::exec::{q, Db, Result, Tx};

/// The kinds of things the index holds: articles, documents, disclosures (the search
/// page shows a result of each from its own table).
pub const KINDS: [&str; 3] = ["bai-viet", "van-ban", "cong-khai"];

/// What the index holds for one searchable thing.
#[derive(Debug, Clone)]
pub struct Entry {
    /// `bai-viet`, `van-ban`, …
    pub kind: &'static str,
    pub ref_id: i64,
    /// Unix seconds from which the public may find it; `None` while it is not public.
    pub visible_from: Option<i64>,
    /// Its date (publication or issue), unix seconds.
    pub at: i64,
    pub title: String,
    /// Plain NFC text (no HTML).
    pub body: String,
}

/// Words longer than this (bytes) are not indexed: no one types them, and they are
/// usually encoded data.
const MAX_WORD: usize = 64;
/// Rows per multi-row statement.
const CHUNK: usize = 400;

/// The distinct folded words of a title and body, each with whether it is in the title.
pub fn word_set(title: &str, body: &str) -> BTreeMap<String, bool> {
    let mut out = BTreeMap::new();
    // A joined word (`22/kh-ubnd`) is also found by its parts (`22`, `kh`, `ubnd`).
    for (text, in_title) in [(title, true), (body, false)] {
        for w in danchu_core::search::words(text) {
            if w.folded.len() > MAX_WORD {
                continue;
            }
            for p in danchu_core::search::parts(&w.folded) {
                let e = out.entry(p.to_string()).or_insert(in_title);
                *e |= in_title;
            }
            let e = out.entry(w.folded).or_insert(in_title);
            *e |= in_title;
        }
    }
    out
}

/// Term ids already known in this run (a rebuild reuses them across entries).
#[derive(Default)]
pub struct Terms(HashMap<String, i64>);

impl Terms {
    /// The ids of `words` (sorted), creating the missing ones. Words are inserted in
    /// sorted order so that concurrent writers on PostgreSQL lock them in the same order.
    async fn ids(&mut self, tx: &mut Tx, words: &[&str]) -> Result<()> {
        let missing: Vec<&str> = words
            .iter()
            .copied()
            .filter(|w| !self.0.contains_key(*w))
            .collect();
        for chunk in missing.chunks(CHUNK) {
            let mut insert = q("INSERT INTO search_terms (word) VALUES ");
            for (i, w) in chunk.iter().enumerate() {
                insert = insert
                    .push(if i == 0 { "(" } else { ", (" })
                    .push(&format!("${})", i + 1))
                    .bind(*w);
            }
            tx.execute(insert.push(" ON CONFLICT (word) DO NOTHING"))
                .await?;
            let rows = tx
                .fetch_all(q("SELECT id, word FROM search_terms WHERE word IN ").in_list(chunk))
                .await?;
            for r in rows {
                self.0.insert(r.get("word")?, r.get("id")?);
            }
        }
        Ok(())
    }

    fn get(&self, w: &str) -> Option<i64> {
        self.0.get(w).copied()
    }
}

/// Adds or replaces the index entry of one thing, inside the caller's transaction.
pub async fn put(tx: &mut Tx, e: &Entry) -> Result<()> {
    put_with(tx, e, &mut Terms::default()).await
}

/// [`put`] reusing known term ids (for rebuilding many entries).
pub async fn put_with(tx: &mut Tx, e: &Entry, terms: &mut Terms) -> Result<()> {
    let new = word_set(&e.title, &e.body);
    let existing = tx
        .fetch_optional(
            q("SELECT id, title, body FROM search_docs WHERE kind = $1 AND ref_id = $2")
                .bind(e.kind)
                .bind(e.ref_id),
        )
        .await?;
    let doc = match existing {
        Some(r) => {
            let id: i64 = r.get("id")?;
            let old = word_set(&r.get::<String>("title")?, &r.get::<String>("body")?);
            let gone: Vec<&str> = old
                .keys()
                .filter(|w| !new.contains_key(*w))
                .map(String::as_str)
                .collect();
            unpost(tx, id, &gone).await?;
            tx.execute(
                q("UPDATE search_docs SET visible_from = $1, at = $2, title = $3, body = $4 WHERE id = $5")
                    .bind(e.visible_from)
                    .bind(e.at)
                    .bind(&e.title)
                    .bind(&e.body)
                    .bind(id),
            )
            .await?;
            id
        }
        None => tx
            .fetch_optional(
                q("INSERT INTO search_docs (kind, ref_id, visible_from, at, title, body) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
                    .bind(e.kind)
                    .bind(e.ref_id)
                    .bind(e.visible_from)
                    .bind(e.at)
                    .bind(&e.title)
                    .bind(&e.body),
            )
            .await?
            .ok_or(crate::DbError::NotFound)?
            .get("id")?,
    };
    let words: Vec<&str> = new.keys().map(String::as_str).collect();
    terms.ids(tx, &words).await?;
    let postings: Vec<(i64, bool)> = new
        .iter()
        .filter_map(|(w, t)| terms.get(w).map(|id| (id, *t)))
        .collect();
    for chunk in postings.chunks(CHUNK) {
        // Only integers that come from the database itself: written as literals, because
        // binding hundreds of parameters costs more than the insert (sqlx looks each
        // `$n` up by name on SQLite).
        let mut sql = String::from("INSERT INTO search_postings (term, doc, title) VALUES ");
        for (i, (term, in_title)) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("({term}, {doc}, {})", i64::from(*in_title)));
        }
        sql.push_str(" ON CONFLICT (term, doc) DO UPDATE SET title = excluded.title");
        tx.execute(q(sql)).await?;
    }
    Ok(())
}

/// Deletes the postings of `words` for one indexed document.
async fn unpost(tx: &mut Tx, doc: i64, words: &[&str]) -> Result<()> {
    for chunk in words.chunks(CHUNK) {
        tx.execute(
            q("DELETE FROM search_postings WHERE doc = $1 AND term IN (SELECT id FROM search_terms WHERE word IN ")
                .bind(doc)
                .in_list(chunk)
                .push(")"),
        )
        .await?;
    }
    Ok(())
}

/// Removes one thing from the index (inside the caller's transaction).
pub async fn remove(tx: &mut Tx, kind: &str, ref_id: i64) -> Result<()> {
    let Some(r) = tx
        .fetch_optional(
            q("SELECT id, title, body FROM search_docs WHERE kind = $1 AND ref_id = $2")
                .bind(kind)
                .bind(ref_id),
        )
        .await?
    else {
        return Ok(());
    };
    let id: i64 = r.get("id")?;
    let old = word_set(&r.get::<String>("title")?, &r.get::<String>("body")?);
    let words: Vec<&str> = old.keys().map(String::as_str).collect();
    unpost(tx, id, &words).await?;
    tx.execute(q("DELETE FROM search_docs WHERE id = $1").bind(id))
        .await?;
    Ok(())
}

/// Empties the index (inside the caller's transaction, before a rebuild).
pub async fn clear(tx: &mut Tx) -> Result<()> {
    tx.execute(q("DELETE FROM search_postings")).await?;
    tx.execute(q("DELETE FROM search_docs")).await?;
    tx.execute(q("DELETE FROM search_terms")).await?;
    Ok(())
}

/// How many things the index holds.
pub async fn size(db: &Db) -> Result<i64> {
    db.fetch_optional(q("SELECT COUNT(*) AS n FROM search_docs"))
        .await?
        .map(|r| r.get("n"))
        .transpose()
        .map(|n| n.unwrap_or(0))
}

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

/// A document holding every word of a query.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub doc: i64,
    pub kind: String,
    pub ref_id: i64,
    pub at: i64,
    /// How many of the query's words are in its title.
    pub title_words: i64,
    /// Its indexed title and text, once fetched ([`candidates`] leaves them out: the
    /// caller fetches with [`texts`] only those it ranks or shows).
    pub text: Option<Text>,
}

/// The indexed title and text of a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    pub title: String,
    pub body: String,
}

impl Text {
    fn of(r: &crate::Row) -> Result<Text> {
        Ok(Text {
            title: r.get("title")?,
            body: r.get("body")?,
        })
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
    let rows = db.fetch_all(query).await?;
    let list = rows
        .iter()
        .map(|r| {
            Ok(Candidate {
                doc: r.get("doc")?,
                kind: crate::decode::one_of("search_docs.kind", r.get("kind")?, &KINDS)?,
                ref_id: r.get("ref_id")?,
                at: r.get("at")?,
                title_words: r.get("title_words")?,
                text: None,
            })
        })
        .collect::<Result<_>>()?;
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
    db.fetch_all(q("SELECT id, title, body FROM search_docs WHERE id IN ").in_list(docs))
        .await?
        .iter()
        .map(|r| Ok((r.get("id")?, Text::of(r)?)))
        .collect()
}

/// The index entries of some things of one kind (e.g. documents matched by number).
pub async fn find(db: &Db, kind: &str, ref_ids: &[i64]) -> Result<Vec<Candidate>> {
    if ref_ids.is_empty() {
        return Ok(Vec::new());
    }
    db.fetch_all(
        q("SELECT id, kind, ref_id, at, title, body FROM search_docs WHERE kind = $1 AND ref_id IN ")
            .bind(kind)
            .in_list(ref_ids),
    )
    .await?
    .iter()
    .map(|r| {
        Ok(Candidate {
            doc: r.get("id")?,
            kind: crate::decode::one_of("search_docs.kind", r.get("kind")?, &KINDS)?,
            ref_id: r.get("ref_id")?,
            at: r.get("at")?,
            title_words: 0,
            text: Some(Text::of(r)?),
        })
    })
    .collect()
}

/// Rebuilds the whole index from the source tables in one transaction (searches keep
/// answering from the old index until it commits). Returns how many things it holds.
pub async fn rebuild(db: &Db) -> Result<u64> {
    let mut tx = db.begin().await?;
    clear(&mut tx).await?;
    let mut terms = Terms::default();
    let mut n = crate::portal::index_all(&mut tx, &mut terms).await?;
    n += crate::documents::index_all(&mut tx, &mut terms).await?;
    n += crate::disclosures::index_all(&mut tx).await?;
    tx.commit().await?;
    Ok(n)
}

/// Builds the index when it is empty but there is something to find (a database made
/// before the index existed). Returns how many things were indexed.
pub async fn ensure(db: &Db) -> Result<u64> {
    if size(db).await? > 0 {
        return Ok(0);
    }
    let sources: i64 = db
        .fetch_optional(q(
            "SELECT (SELECT COUNT(*) FROM articles) + (SELECT COUNT(*) FROM documents) AS n",
        ))
        .await?
        .map(|r| r.get("n"))
        .transpose()?
        .unwrap_or(0);
    if sources == 0 {
        return Ok(0);
    }
    rebuild(db).await
}
