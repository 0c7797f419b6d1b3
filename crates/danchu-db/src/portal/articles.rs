//! Reading articles: the public lists, one article, its neighbours, the sitemap.

use serde::Serialize;

use crate::decode::col;
use crate::exec::{q, row_struct, Db, Exec, Result};

row_struct! {
    #[derive(Debug, Clone, Serialize, PartialEq)]
    pub struct Article {
        pub id: i64,
        pub unit_id: i64,
        pub category_id: i64,
        pub slug: String,
        pub title: String,
        pub summary: String,
        /// Sanitised HTML (empty in lists).
        pub body: String,
        pub author: String,
        /// `draft` or `published` (published with a future date = scheduled).
        pub status: String = col::one_of("articles.status", &ARTICLE_STATUSES),
        pub featured: bool,
        pub published_at: Option<i64>,
        pub views: i64,
        pub updated_at: i64,
    }
}

impl Article {
    /// Visible to the public at `now`.
    pub fn is_public(&self, now: i64) -> bool {
        self.status == "published" && self.published_at.is_some_and(|p| p <= now)
    }
}

/// The statuses an article is stored with.
pub const ARTICLE_STATUSES: [&str; 2] = ["draft", "published"];

pub(super) const ART_COLS: &str = "id, unit_id, category_id, slug, title, summary, body, author, status, featured, published_at, views, updated_at";
const ART_LIST_COLS: &str = "id, unit_id, category_id, slug, title, summary, '' AS body, author, status, featured, published_at, views, updated_at";

/// Published articles visible at `now`, newest first; optionally of one category.
pub async fn published(
    db: &Db,
    category_id: Option<i64>,
    now: i64,
    limit: i64,
    offset: i64,
) -> Result<Vec<Article>> {
    db.fetch_all_as(
        q(format!(
            "SELECT {ART_LIST_COLS} FROM articles WHERE status = 'published' AND published_at <= $1 AND ($2 IS NULL OR category_id = $2)
             ORDER BY published_at DESC, id DESC LIMIT $3 OFFSET $4"
        ))
        .bind(now)
        .bind(category_id)
        .bind(limit)
        .bind(offset),
    ).await
}

pub async fn count_published(db: &Db, category_id: Option<i64>, now: i64) -> Result<i64> {
    Ok(db
        .fetch_scalar(
            q("SELECT COUNT(*) AS n FROM articles WHERE status = 'published' AND published_at <= $1 AND ($2 IS NULL OR category_id = $2)")
                .bind(now)
                .bind(category_id),
        )
        .await?
        .unwrap_or(0))
}

pub async fn featured(db: &Db, now: i64, limit: i64) -> Result<Vec<Article>> {
    db.fetch_all_as(
        q(format!(
            "SELECT {ART_LIST_COLS} FROM articles WHERE status = 'published' AND published_at <= $1 AND featured = $2
             ORDER BY published_at DESC, id DESC LIMIT $3"
        ))
        .bind(now)
        .bind(true)
        .bind(limit),
    ).await
}

pub async fn article_by_slug(db: &Db, slug: &str) -> Result<Option<Article>> {
    db.fetch_optional_as(q(format!("SELECT {ART_COLS} FROM articles WHERE slug = $1")).bind(slug))
        .await
}

pub async fn article_by_id(e: &mut impl Exec, id: i64) -> Result<Option<Article>> {
    e.fetch_optional_as(q(format!("SELECT {ART_COLS} FROM articles WHERE id = $1")).bind(id))
        .await
}

/// Other public articles of the same category, newest first.
pub async fn related(db: &Db, a: &Article, now: i64, limit: i64) -> Result<Vec<Article>> {
    db.fetch_all_as(
        q(format!(
            "SELECT {ART_LIST_COLS} FROM articles WHERE status = 'published' AND published_at <= $1 AND category_id = $2 AND id <> $3
             ORDER BY published_at DESC, id DESC LIMIT $4"
        ))
        .bind(now)
        .bind(a.category_id)
        .bind(a.id)
        .bind(limit),
    ).await
}

/// The public article published just before and just after this one.
pub async fn neighbours(
    db: &Db,
    a: &Article,
    now: i64,
) -> Result<(Option<Article>, Option<Article>)> {
    let at = a.published_at.unwrap_or(0);
    let prev = db
        .fetch_optional_as(
            q(format!(
                "SELECT {ART_LIST_COLS} FROM articles WHERE status = 'published' AND published_at <= $1
                 AND (published_at < $2 OR (published_at = $2 AND id < $3)) ORDER BY published_at DESC, id DESC LIMIT 1"
            ))
            .bind(now)
            .bind(at)
            .bind(a.id),
        )
        .await?;
    let next = db
        .fetch_optional_as(
            q(format!(
                "SELECT {ART_LIST_COLS} FROM articles WHERE status = 'published' AND published_at <= $1
                 AND (published_at > $2 OR (published_at = $2 AND id > $3)) ORDER BY published_at ASC, id ASC LIMIT 1"
            ))
            .bind(now)
            .bind(at)
            .bind(a.id),
        )
        .await?;
    Ok((prev, next))
}

/// All articles for the admin list (newest change first), optionally within units
/// (filtered before the limit).
pub async fn all_articles(db: &Db, within: Option<&[i64]>) -> Result<Vec<Article>> {
    let query = match within {
        None => q(format!("SELECT {ART_LIST_COLS} FROM articles")),
        Some(units) => q(format!(
            "SELECT {ART_LIST_COLS} FROM articles WHERE unit_id IN "
        ))
        .in_list(units),
    };
    db.fetch_all_as(
        query
            .push(" ORDER BY updated_at DESC, id DESC LIMIT ")
            .push_bind(500i64),
    )
    .await
}

/// How many articles saved ahead of their publication time became visible in
/// (`after`, `until`] (unix seconds): the scheduled-publishing job empties the page caches
/// when there are any.
pub async fn became_visible(db: &Db, after: i64, until: i64) -> Result<i64> {
    Ok(db
        .fetch_scalar(
            q("SELECT COUNT(*) FROM articles WHERE status = 'published' \
               AND published_at > $1 AND published_at <= $2 AND updated_at < published_at")
            .bind(after)
            .bind(until),
        )
        .await?
        .unwrap_or(0))
}

/// (slug, updated_at) of every public article, for the sitemap.
pub async fn sitemap(db: &Db, now: i64) -> Result<Vec<(String, i64)>> {
    db.fetch_all_as(q("SELECT slug, updated_at FROM articles WHERE status = 'published' AND published_at <= $1 ORDER BY published_at DESC LIMIT 50000").bind(now))
        .await
}

/// Articles by id, without their body (for showing search results), in no particular
/// order.
pub async fn articles_by_ids(db: &Db, ids: &[i64]) -> Result<Vec<Article>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    db.fetch_all_as(
        q(format!(
            "SELECT {} FROM articles WHERE id IN ",
            ART_COLS.replace(" body,", " '' AS body,")
        ))
        .in_list(ids),
    )
    .await
}
