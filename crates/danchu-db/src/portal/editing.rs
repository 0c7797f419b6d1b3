//! Writing articles: create and update with their links, documents and search entry,
//! in one transaction (audited).

use danchu_core::text::{clean_line, fold, slugify};

use super::articles::{article_by_id, Article, ART_COLS};
use crate::audit::{self, Actor};
use crate::exec::{q, Db, DbError, Result, Tx, Value};

pub use danchu_core::portal::ArticleInput;

/// What the search index holds for an article: findable from its publication time.
pub fn search_entry(a: &Article) -> crate::search::Entry {
    crate::search::Entry {
        kind: danchu_core::search::Kind::Article,
        ref_id: a.id,
        visible_from: a.published_at.filter(|_| a.status == "published"),
        at: a.published_at.unwrap_or(a.updated_at),
        title: a.title.clone(),
        body: format!("{}\n{}", a.summary, danchu_core::html::to_text(&a.body)),
    }
}

/// A slug from the title that no other article uses (`-2`, `-3`, … appended if needed).
async fn unique_slug(tx: &mut Tx, title: &str, except: Option<i64>) -> Result<String> {
    let base = match slugify(title) {
        s if s.is_empty() => "bai-viet".to_string(),
        s => s
            .chars()
            .take(120)
            .collect::<String>()
            .trim_end_matches('-')
            .to_string(),
    };
    let mut n = 1;
    loop {
        let candidate = if n == 1 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        let taken = tx
            .fetch_optional(
                q("SELECT id FROM articles WHERE slug = $1 AND ($2 IS NULL OR id <> $2)")
                    .bind(&candidate)
                    .bind(except),
            )
            .await?
            .is_some();
        if !taken {
            return Ok(candidate);
        }
        n += 1;
    }
}

/// Creates an article (audited); the slug comes from the title.
pub async fn create_article(db: &Db, actor: &Actor, a: &ArticleInput) -> Result<Article> {
    save_article(db, actor, None, a, None).await
}

/// What an article links to: its attachments (in order) and the documents it cites.
#[derive(Debug, Clone, Default)]
pub struct ArticleLinks {
    pub attachments: Vec<i64>,
    pub documents: Vec<i64>,
}

/// An editor's save, in one transaction: the article (new when `id` is `None`) and, when
/// given, its attachments and cited documents (all audited). Two editors saving the same
/// new title at once both succeed: the loser of the race takes the next free slug.
pub async fn save_article(
    db: &Db,
    actor: &Actor,
    id: Option<i64>,
    a: &ArticleInput,
    links: Option<&ArticleLinks>,
) -> Result<Article> {
    let mut attempt = 0;
    loop {
        let mut tx = db.begin().await?;
        let saved = match id {
            None => insert_article(&mut tx, actor, a, 0).await,
            Some(id) => update_in(&mut tx, actor, id, a).await,
        };
        let saved = match saved {
            Ok(s) => s,
            Err(e) if id.is_none() && e.is_unique_violation() && attempt < 5 => {
                attempt += 1;
                continue;
            }
            Err(e) => return Err(e),
        };
        if let Some(l) = links {
            crate::media::set_attachments_in(&mut tx, actor, saved.id, &l.attachments).await?;
            crate::documents::set_article_documents_in(&mut tx, actor, saved.id, &l.documents)
                .await?;
        }
        tx.commit().await?;
        return Ok(saved);
    }
}

/// Inserts inside a transaction (the demo uses it with a starting view count).
pub async fn insert_article(
    tx: &mut Tx,
    actor: &Actor,
    a: &ArticleInput,
    views: i64,
) -> Result<Article> {
    let slug = unique_slug(tx, &a.title, None).await?;
    let now = crate::now_s();
    let title = clean_line(&a.title);
    let created: Article = tx
        .fetch_optional_as(
            q(format!(
                "INSERT INTO articles (unit_id, category_id, slug, title, title_key, summary, body, author, status, featured, published_at, views, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING {ART_COLS}"
            ))
            .bind_all(fields(a, &slug, &title))
            .bind(views)
            .bind(now),
        )
        .await?
        .ok_or(DbError::NotFound)?;
    crate::search::put(tx, &search_entry(&created)).await?;
    audit::record(audit::action::ARTICLE_CREATE, "article", created.id)
        .after(tx, actor, &created)
        .await?;
    Ok(created)
}

/// Updates an article (audited with before and after). The slug follows a changed title
/// only while the article has never been published, so public links stay stable.
pub async fn update_article(db: &Db, actor: &Actor, id: i64, a: &ArticleInput) -> Result<Article> {
    save_article(db, actor, Some(id), a, None).await
}

/// The values of an article's own columns, in the order both the INSERT and the UPDATE
/// number them ($1 to $11): unit, category, slug, title, title key, summary, body,
/// author, status, featured, published.
fn fields(a: &ArticleInput, slug: &str, title: &str) -> [Value; 11] {
    [
        a.unit_id.into(),
        a.category_id.into(),
        slug.into(),
        title.into(),
        fold(title).into(),
        clean_line(&a.summary).into(),
        a.body.as_str().into(),
        clean_line(&a.author).into(),
        a.status.as_str().into(),
        a.featured.into(),
        a.published_at.into(),
    ]
}

/// `before` as the input would leave it (to tell a save that changes nothing).
fn as_saved(before: &Article, a: &ArticleInput, slug: &str, title: &str) -> Article {
    Article {
        unit_id: a.unit_id,
        category_id: a.category_id,
        slug: slug.to_string(),
        title: title.to_string(),
        summary: clean_line(&a.summary),
        body: a.body.clone(),
        author: clean_line(&a.author),
        status: a.status.clone(),
        featured: a.featured,
        published_at: a.published_at,
        ..before.clone()
    }
}

async fn update_in(tx: &mut Tx, actor: &Actor, id: i64, a: &ArticleInput) -> Result<Article> {
    let before = article_by_id(&mut *tx, id)
        .await?
        .ok_or(DbError::NotFound)?;
    let slug = if before.published_at.is_none() && before.title != clean_line(&a.title) {
        unique_slug(tx, &a.title, Some(id)).await?
    } else {
        before.slug.clone()
    };
    let title = clean_line(&a.title);
    // Saved unchanged: nothing is written, nothing is audited.
    let same = as_saved(&before, a, &slug, &title) == before;
    if same {
        return Ok(before);
    }
    tx.execute(
        q("UPDATE articles SET unit_id = $1, category_id = $2, slug = $3, title = $4, title_key = $5, summary = $6, body = $7, author = $8,
           status = $9, featured = $10, published_at = $11, updated_at = $12 WHERE id = $13")
        .bind_all(fields(a, &slug, &title))
        .bind(crate::now_s())
        .bind(id),
    )
    .await?;
    let after = article_by_id(&mut *tx, id)
        .await?
        .ok_or(DbError::NotFound)?;
    crate::search::put(tx, &search_entry(&after)).await?;
    audit::record(audit::action::ARTICLE_UPDATE, "article", id)
        .changed(tx, actor, &before, &after)
        .await?;
    Ok(after)
}

/// Puts every article into the search index (inside a rebuild's transaction); returns
/// how many.
pub async fn index_all(tx: &mut Tx, terms: &mut crate::search::Terms) -> Result<u64> {
    let mut n = 0;
    let mut after: i64 = 0;
    loop {
        let rows: Vec<Article> = tx
            .fetch_all_as(
                q(format!(
                    "SELECT {ART_COLS} FROM articles WHERE id > $1 ORDER BY id LIMIT 500"
                ))
                .bind(after),
            )
            .await?;
        let Some(last) = rows.last() else { break };
        after = last.id;
        for a in &rows {
            crate::search::put_with(tx, &search_entry(a), terms).await?;
            n += 1;
        }
    }
    Ok(n)
}
