//! Writing the index: one row per searchable thing, one posting per distinct folded
//! word, in the same transaction as the thing; rebuilding it from the source tables.

use std::collections::{BTreeMap, HashMap};

use danchu_core::search::Kind;

use crate::exec::{q, Db, Result, Tx};

/// The codes of the kinds of things the index holds ([`Kind`]: articles, documents,
/// disclosures; the search page shows a result of each from its own table).
pub const KINDS: [&str; 3] = [
    Kind::Article.code(),
    Kind::Document.code(),
    Kind::Disclosure.code(),
];

/// What the index holds for one searchable thing.
#[derive(Debug, Clone)]
pub struct Entry {
    /// What it is (a hook: a new kind must be handled wherever kinds are matched).
    pub kind: danchu_core::search::Kind,
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
                    .push(if i == 0 { "" } else { ", " })
                    .push_values([*w]);
            }
            tx.execute(insert.push(" ON CONFLICT (word) DO NOTHING"))
                .await?;
            let rows: Vec<(i64, String)> = tx
                .fetch_all_as(q("SELECT id, word FROM search_terms WHERE word IN ").in_list(chunk))
                .await?;
            self.0.extend(rows.into_iter().map(|(id, word)| (word, id)));
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
    let doc = write_doc(tx, e, &new).await?;
    let words: Vec<&str> = new.keys().map(String::as_str).collect();
    terms.ids(tx, &words).await?;
    let postings: Vec<(i64, bool)> = new
        .iter()
        .filter_map(|(w, t)| terms.get(w).map(|id| (id, *t)))
        .collect();
    post(tx, doc, &postings).await
}

/// Writes the entry's row (the words of an earlier version that are gone lose their
/// postings); returns its id.
async fn write_doc(tx: &mut Tx, e: &Entry, new: &BTreeMap<String, bool>) -> Result<i64> {
    let existing: Option<(i64, String, String)> = tx
        .fetch_optional_as(
            q("SELECT id, title, body FROM search_docs WHERE kind = $1 AND ref_id = $2")
                .bind(e.kind.code())
                .bind(e.ref_id),
        )
        .await?;
    Ok(match existing {
        Some((id, title, body)) => {
            let old = word_set(&title, &body);
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
            .fetch_scalar(
                q("INSERT INTO search_docs (kind, ref_id, visible_from, at, title, body) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
                    .bind(e.kind.code())
                    .bind(e.ref_id)
                    .bind(e.visible_from)
                    .bind(e.at)
                    .bind(&e.title)
                    .bind(&e.body),
            ).await?.ok_or(crate::DbError::NotFound)?,
    })
}

/// Writes the postings `(term, in title)` of one document.
async fn post(tx: &mut Tx, doc: i64, postings: &[(i64, bool)]) -> Result<()> {
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
pub async fn remove(tx: &mut Tx, kind: danchu_core::search::Kind, ref_id: i64) -> Result<()> {
    let Some((id, title, body)) = tx
        .fetch_optional_as::<(i64, String, String)>(
            q("SELECT id, title, body FROM search_docs WHERE kind = $1 AND ref_id = $2")
                .bind(kind.code())
                .bind(ref_id),
        )
        .await?
    else {
        return Ok(());
    };
    let old = word_set(&title, &body);
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
    db.fetch_scalar(q("SELECT COUNT(*) AS n FROM search_docs"))
        .await
        .map(|n| n.unwrap_or(0))
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
        .fetch_scalar(q(
            "SELECT (SELECT COUNT(*) FROM articles) + (SELECT COUNT(*) FROM documents) AS n",
        ))
        .await?
        .unwrap_or(0);
    if sources == 0 {
        return Ok(0);
    }
    rebuild(db).await
}
