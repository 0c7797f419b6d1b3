//! Portal data: categories, articles, link lists, banners and visitor statistics.

use danchu_core::text::{clean_line, fold, slugify};
use serde::Serialize;

use crate::audit::{self, Actor};
use crate::exec::{q, Db, DbError, Exec, Result, Row, Tx};

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Category {
    pub id: i64,
    pub unit_id: i64,
    pub slug: String,
    pub name: String,
    pub position: i64,
}

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
    pub status: String,
    pub featured: bool,
    pub published_at: Option<i64>,
    pub views: i64,
    pub updated_at: i64,
}

impl Article {
    /// Visible to the public at `now`.
    pub fn is_public(&self, now: i64) -> bool {
        self.status == "published" && self.published_at.is_some_and(|p| p <= now)
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Link {
    pub id: i64,
    pub group_id: i64,
    pub title: String,
    pub url: String,
    pub position: i64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LinkGroup {
    pub id: i64,
    pub unit_id: i64,
    pub name: String,
    pub position: i64,
    pub links: Vec<Link>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Banner {
    pub id: i64,
    pub unit_id: i64,
    pub title: String,
    pub link_url: String,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
    pub position: i64,
}

/// The statuses an article is stored with.
pub const ARTICLE_STATUSES: [&str; 2] = ["draft", "published"];

const ART_COLS: &str = "id, unit_id, category_id, slug, title, summary, body, author, status, featured, published_at, views, updated_at";
const ART_LIST_COLS: &str = "id, unit_id, category_id, slug, title, summary, '' AS body, author, status, featured, published_at, views, updated_at";

fn article_row(r: &Row) -> Result<Article> {
    Ok(Article {
        id: r.get("id")?,
        unit_id: r.get("unit_id")?,
        category_id: r.get("category_id")?,
        slug: r.get("slug")?,
        title: r.get("title")?,
        summary: r.get("summary")?,
        body: r.get("body")?,
        author: r.get("author")?,
        status: crate::decode::one_of("articles.status", r.get("status")?, &ARTICLE_STATUSES)?,
        featured: r.get("featured")?,
        published_at: r.get("published_at")?,
        views: r.get("views")?,
        updated_at: r.get("updated_at")?,
    })
}

fn category_row(r: &Row) -> Result<Category> {
    Ok(Category {
        id: r.get("id")?,
        unit_id: r.get("unit_id")?,
        slug: r.get("slug")?,
        name: r.get("name")?,
        position: r.get("position")?,
    })
}

pub async fn categories(db: &Db) -> Result<Vec<Category>> {
    db.fetch_all(q(
        "SELECT id, unit_id, slug, name, position FROM categories ORDER BY position, id",
    ))
    .await?
    .iter()
    .map(category_row)
    .collect()
}

pub async fn category_by_slug(db: &Db, slug: &str) -> Result<Option<Category>> {
    db.fetch_optional(
        q("SELECT id, unit_id, slug, name, position FROM categories WHERE slug = $1").bind(slug),
    )
    .await?
    .as_ref()
    .map(category_row)
    .transpose()
}

pub async fn category_by_id(e: &mut impl Exec, id: i64) -> Result<Option<Category>> {
    e.fetch_optional(
        q("SELECT id, unit_id, slug, name, position FROM categories WHERE id = $1").bind(id),
    )
    .await?
    .as_ref()
    .map(category_row)
    .transpose()
}

/// Published articles visible at `now`, newest first; optionally of one category.
pub async fn published(
    db: &Db,
    category_id: Option<i64>,
    now: i64,
    limit: i64,
    offset: i64,
) -> Result<Vec<Article>> {
    db.fetch_all(
        q(format!(
            "SELECT {ART_LIST_COLS} FROM articles WHERE status = 'published' AND published_at <= $1 AND ($2 IS NULL OR category_id = $2)
             ORDER BY published_at DESC, id DESC LIMIT $3 OFFSET $4"
        ))
        .bind(now)
        .bind(category_id)
        .bind(limit)
        .bind(offset),
    )
    .await?
    .iter()
    .map(article_row)
    .collect()
}

pub async fn count_published(db: &Db, category_id: Option<i64>, now: i64) -> Result<i64> {
    let r = db
        .fetch_optional(
            q("SELECT COUNT(*) AS n FROM articles WHERE status = 'published' AND published_at <= $1 AND ($2 IS NULL OR category_id = $2)")
                .bind(now)
                .bind(category_id),
        )
        .await?;
    r.map(|r| r.get("n")).transpose().map(|n| n.unwrap_or(0))
}

pub async fn featured(db: &Db, now: i64, limit: i64) -> Result<Vec<Article>> {
    db.fetch_all(
        q(format!(
            "SELECT {ART_LIST_COLS} FROM articles WHERE status = 'published' AND published_at <= $1 AND featured = $2
             ORDER BY published_at DESC, id DESC LIMIT $3"
        ))
        .bind(now)
        .bind(true)
        .bind(limit),
    )
    .await?
    .iter()
    .map(article_row)
    .collect()
}

pub async fn article_by_slug(db: &Db, slug: &str) -> Result<Option<Article>> {
    db.fetch_optional(q(format!("SELECT {ART_COLS} FROM articles WHERE slug = $1")).bind(slug))
        .await?
        .as_ref()
        .map(article_row)
        .transpose()
}

pub async fn article_by_id(e: &mut impl Exec, id: i64) -> Result<Option<Article>> {
    e.fetch_optional(q(format!("SELECT {ART_COLS} FROM articles WHERE id = $1")).bind(id))
        .await?
        .as_ref()
        .map(article_row)
        .transpose()
}

/// Other public articles of the same category, newest first.
pub async fn related(db: &Db, a: &Article, now: i64, limit: i64) -> Result<Vec<Article>> {
    db.fetch_all(
        q(format!(
            "SELECT {ART_LIST_COLS} FROM articles WHERE status = 'published' AND published_at <= $1 AND category_id = $2 AND id <> $3
             ORDER BY published_at DESC, id DESC LIMIT $4"
        ))
        .bind(now)
        .bind(a.category_id)
        .bind(a.id)
        .bind(limit),
    )
    .await?
    .iter()
    .map(article_row)
    .collect()
}

/// The public article published just before and just after this one.
pub async fn neighbours(
    db: &Db,
    a: &Article,
    now: i64,
) -> Result<(Option<Article>, Option<Article>)> {
    let at = a.published_at.unwrap_or(0);
    let prev = db
        .fetch_optional(
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
        .fetch_optional(
            q(format!(
                "SELECT {ART_LIST_COLS} FROM articles WHERE status = 'published' AND published_at <= $1
                 AND (published_at > $2 OR (published_at = $2 AND id > $3)) ORDER BY published_at ASC, id ASC LIMIT 1"
            ))
            .bind(now)
            .bind(at)
            .bind(a.id),
        )
        .await?;
    Ok((
        prev.as_ref().map(article_row).transpose()?,
        next.as_ref().map(article_row).transpose()?,
    ))
}

/// All articles for the admin list (newest change first), optionally within units
/// (filtered before the limit).
pub async fn all_articles(db: &Db, within: Option<&[i64]>) -> Result<Vec<Article>> {
    let (query, n) = match within {
        None => (q(format!("SELECT {ART_LIST_COLS} FROM articles")), 1),
        Some(units) => (
            q(format!(
                "SELECT {ART_LIST_COLS} FROM articles WHERE unit_id IN "
            ))
            .in_list(units),
            units.len() + 1,
        ),
    };
    db.fetch_all(
        query
            .push(&format!(" ORDER BY updated_at DESC, id DESC LIMIT ${n}"))
            .bind(500i64),
    )
    .await?
    .iter()
    .map(article_row)
    .collect()
}

/// What an editor submits for an article (already validated and sanitised).
#[derive(Debug, Clone)]
pub struct ArticleInput {
    pub unit_id: i64,
    pub category_id: i64,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub author: String,
    pub status: String,
    pub featured: bool,
    pub published_at: Option<i64>,
}

/// What the search index holds for an article: findable from its publication time.
pub fn search_entry(a: &Article) -> crate::search_index::Entry {
    crate::search_index::Entry {
        kind: "bai-viet",
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
    let r = tx
        .fetch_optional(
            q(format!(
                "INSERT INTO articles (unit_id, category_id, slug, title, title_key, summary, body, author, status, featured, published_at, views, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING {ART_COLS}"
            ))
            .bind(a.unit_id)
            .bind(a.category_id)
            .bind(slug)
            .bind(&title)
            .bind(fold(&title))
            .bind(clean_line(&a.summary))
            .bind(&a.body)
            .bind(clean_line(&a.author))
            .bind(&a.status)
            .bind(a.featured)
            .bind(a.published_at)
            .bind(views)
            .bind(now),
        )
        .await?
        .ok_or(DbError::NotFound)?;
    let created = article_row(&r)?;
    crate::search_index::put(tx, &search_entry(&created)).await?;
    audit::append(
        tx,
        actor,
        "article.create",
        "article",
        &created.id.to_string(),
        None::<&()>,
        Some(&created),
    )
    .await?;
    Ok(created)
}

/// Updates an article (audited with before and after). The slug follows a changed title
/// only while the article has never been published, so public links stay stable.
pub async fn update_article(db: &Db, actor: &Actor, id: i64, a: &ArticleInput) -> Result<Article> {
    save_article(db, actor, Some(id), a, None).await
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
    let same = Article {
        unit_id: a.unit_id,
        category_id: a.category_id,
        slug: slug.clone(),
        title: title.clone(),
        summary: clean_line(&a.summary),
        body: a.body.clone(),
        author: clean_line(&a.author),
        status: a.status.clone(),
        featured: a.featured,
        published_at: a.published_at,
        ..before.clone()
    } == before;
    if same {
        return Ok(before);
    }
    tx.execute(
        q("UPDATE articles SET unit_id = $1, category_id = $2, slug = $3, title = $4, title_key = $5, summary = $6, body = $7, author = $8,
           status = $9, featured = $10, published_at = $11, updated_at = $12 WHERE id = $13")
        .bind(a.unit_id)
        .bind(a.category_id)
        .bind(&slug)
        .bind(&title)
        .bind(fold(&title))
        .bind(clean_line(&a.summary))
        .bind(&a.body)
        .bind(clean_line(&a.author))
        .bind(&a.status)
        .bind(a.featured)
        .bind(a.published_at)
        .bind(crate::now_s())
        .bind(id),
    )
    .await?;
    let after = article_by_id(&mut *tx, id)
        .await?
        .ok_or(DbError::NotFound)?;
    crate::search_index::put(tx, &search_entry(&after)).await?;
    audit::append(
        tx,
        actor,
        "article.update",
        "article",
        &id.to_string(),
        Some(&before),
        Some(&after),
    )
    .await?;
    Ok(after)
}

/// Creates a category (audited).
pub async fn create_category(
    tx: &mut Tx,
    actor: &Actor,
    unit_id: i64,
    name: &str,
    position: i64,
) -> Result<Category> {
    let name = clean_line(name);
    let mut slug = slugify(&name);
    if slug.is_empty() {
        slug = "chuyen-muc".into();
    }
    let r = tx
        .fetch_optional(
            q("INSERT INTO categories (unit_id, slug, name, position, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5) RETURNING id, unit_id, slug, name, position")
                .bind(unit_id)
                .bind(slug)
                .bind(name)
                .bind(position)
                .bind(crate::now_s()),
        )
        .await?
        .ok_or(DbError::NotFound)?;
    let c = category_row(&r)?;
    audit::append(
        tx,
        actor,
        "category.create",
        "category",
        &c.slug,
        None::<&()>,
        Some(&c),
    )
    .await?;
    Ok(c)
}

/// Link groups with their links, in order.
pub async fn link_groups(db: &Db) -> Result<Vec<LinkGroup>> {
    let links: Vec<Link> = db
        .fetch_all(q(
            "SELECT id, group_id, title, url, position FROM links ORDER BY position, id",
        ))
        .await?
        .iter()
        .map(|r| {
            Ok(Link {
                id: r.get("id")?,
                group_id: r.get("group_id")?,
                title: r.get("title")?,
                url: r.get("url")?,
                position: r.get("position")?,
            })
        })
        .collect::<Result<_>>()?;
    let groups = db
        .fetch_all(q(
            "SELECT id, unit_id, name, position FROM link_groups ORDER BY position, id",
        ))
        .await?;
    groups
        .iter()
        .map(|r| {
            let id: i64 = r.get("id")?;
            Ok(LinkGroup {
                id,
                unit_id: r.get("unit_id")?,
                name: r.get("name")?,
                position: r.get("position")?,
                links: links.iter().filter(|l| l.group_id == id).cloned().collect(),
            })
        })
        .collect()
}

/// Creates a link group with its links (audited).
pub async fn create_link_group(
    tx: &mut Tx,
    actor: &Actor,
    unit_id: i64,
    name: &str,
    position: i64,
    links: &[(&str, &str)],
) -> Result<LinkGroup> {
    let now = crate::now_s();
    let r = tx
        .fetch_optional(
            q("INSERT INTO link_groups (unit_id, name, position, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING id")
                .bind(unit_id)
                .bind(clean_line(name))
                .bind(position)
                .bind(now),
        )
        .await?
        .ok_or(DbError::NotFound)?;
    let id: i64 = r.get("id")?;
    let mut out = LinkGroup {
        id,
        unit_id,
        name: clean_line(name),
        position,
        links: Vec::new(),
    };
    for (i, (title, url)) in links.iter().enumerate() {
        let r = tx
            .fetch_optional(
                q("INSERT INTO links (group_id, title, url, position, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5) RETURNING id")
                    .bind(id)
                    .bind(clean_line(title))
                    .bind(url.trim())
                    .bind(i as i64)
                    .bind(now),
            )
            .await?
            .ok_or(DbError::NotFound)?;
        out.links.push(Link {
            id: r.get("id")?,
            group_id: id,
            title: clean_line(title),
            url: url.trim().to_string(),
            position: i as i64,
        });
    }
    audit::append(
        tx,
        actor,
        "links.create",
        "link_group",
        &id.to_string(),
        None::<&()>,
        Some(&out),
    )
    .await?;
    Ok(out)
}

fn banner_row(r: &Row) -> Result<Banner> {
    Ok(Banner {
        id: r.get("id")?,
        unit_id: r.get("unit_id")?,
        title: r.get("title")?,
        link_url: r.get("link_url")?,
        valid_from: r.get("valid_from")?,
        valid_to: r.get("valid_to")?,
        position: r.get("position")?,
    })
}

/// Banners in force on `day` (`yyyy-mm-dd`), in order.
pub async fn banners(db: &Db, day: &str) -> Result<Vec<Banner>> {
    db.fetch_all(
        q("SELECT id, unit_id, title, link_url, valid_from, valid_to, position FROM banners
           WHERE (valid_from IS NULL OR valid_from <= $1) AND (valid_to IS NULL OR valid_to >= $1) ORDER BY position, id")
        .bind(day),
    )
    .await?
    .iter()
    .map(banner_row)
    .collect()
}

pub async fn create_banner(tx: &mut Tx, actor: &Actor, b: &Banner) -> Result<i64> {
    let now = crate::now_s();
    let r = tx
        .fetch_optional(
            q("INSERT INTO banners (unit_id, title, link_url, valid_from, valid_to, position, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id")
                .bind(b.unit_id)
                .bind(clean_line(&b.title))
                .bind(b.link_url.trim())
                .bind(b.valid_from.clone())
                .bind(b.valid_to.clone())
                .bind(b.position)
                .bind(now),
        )
        .await?
        .ok_or(DbError::NotFound)?;
    let id: i64 = r.get("id")?;
    audit::append(
        tx,
        actor,
        "banner.create",
        "banner",
        &id.to_string(),
        None::<&()>,
        Some(b),
    )
    .await?;
    Ok(id)
}

/// Visitor statistics: (today, this week, this month, all time).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct VisitStats {
    pub today: i64,
    pub week: i64,
    pub month: i64,
    pub total: i64,
}

/// Reads the statistics for `today` (Vietnam calendar) from the per-day table.
pub async fn visit_stats(db: &Db, today: time::Date) -> Result<VisitStats> {
    let iso = danchu_core::text::iso_date;
    let week = iso(danchu_core::portal::week_start(today));
    let month = iso(danchu_core::portal::month_start(today));
    let r = db
        .fetch_optional(
            q("SELECT
                 CAST(COALESCE(SUM(CASE WHEN day = $1 THEN visits ELSE 0 END), 0) AS BIGINT) AS today,
                 CAST(COALESCE(SUM(CASE WHEN day >= $2 AND day <= $1 THEN visits ELSE 0 END), 0) AS BIGINT) AS week,
                 CAST(COALESCE(SUM(CASE WHEN day >= $3 AND day <= $1 THEN visits ELSE 0 END), 0) AS BIGINT) AS month,
                 CAST(COALESCE(SUM(visits), 0) AS BIGINT) AS days_total,
                 (SELECT total FROM visit_base WHERE id = 1) AS base
               FROM visit_days")
            .bind(iso(today))
            .bind(week)
            .bind(month),
        )
        .await?
        .ok_or(DbError::NotFound)?;
    Ok(VisitStats {
        today: r.get("today")?,
        week: r.get("week")?,
        month: r.get("month")?,
        total: r.get::<i64>("days_total")? + r.get::<Option<i64>>("base")?.unwrap_or(0),
    })
}

/// Adds counted page views and article views in one transaction. The updates are
/// additive, so several nodes flushing to one database never lose each other's counts.
pub async fn add_counts(db: &Db, visits: &[(String, i64)], views: &[(i64, i64)]) -> Result<()> {
    if visits.is_empty() && views.is_empty() {
        return Ok(());
    }
    let mut tx = db.begin().await?;
    for (day, n) in visits {
        tx.execute(
            q("INSERT INTO visit_days (day, visits) VALUES ($1, $2) ON CONFLICT (day) DO UPDATE SET visits = visit_days.visits + $2").bind(day).bind(*n),
        )
        .await?;
    }
    for (id, n) in views {
        tx.execute(
            q("UPDATE articles SET views = views + $1 WHERE id = $2")
                .bind(*n)
                .bind(*id),
        )
        .await?;
    }
    tx.commit().await
}

/// Sets the visits carried over from the old portal.
pub async fn set_visit_base(tx: &mut Tx, total: i64) -> Result<()> {
    tx.execute(q("UPDATE visit_base SET total = $1 WHERE id = 1").bind(total))
        .await?;
    Ok(())
}

/// (slug, updated_at) of every public article, for the sitemap.
pub async fn sitemap(db: &Db, now: i64) -> Result<Vec<(String, i64)>> {
    db.fetch_all(q("SELECT slug, updated_at FROM articles WHERE status = 'published' AND published_at <= $1 ORDER BY published_at DESC LIMIT 50000").bind(now))
        .await?
        .iter()
        .map(|r| Ok((r.get("slug")?, r.get("updated_at")?)))
        .collect()
}

/// Renames a category or moves it in the menu (audited; its address stays).
pub async fn update_category(
    db: &Db,
    actor: &Actor,
    id: i64,
    name: &str,
    position: i64,
) -> Result<()> {
    let mut tx = db.begin().await?;
    let before = category_by_id(&mut tx, id)
        .await?
        .ok_or(DbError::NotFound)?;
    if before.name == clean_line(name) && before.position == position {
        // Saved unchanged: nothing to write or audit.
        return Ok(());
    }
    tx.execute(
        q("UPDATE categories SET name = $1, position = $2, updated_at = $3 WHERE id = $4")
            .bind(clean_line(name))
            .bind(position)
            .bind(crate::now_s())
            .bind(id),
    )
    .await?;
    let after = Category {
        name: clean_line(name),
        position,
        ..before.clone()
    };
    audit::append(
        &mut tx,
        actor,
        "category.update",
        "category",
        &before.slug,
        Some(&before),
        Some(&after),
    )
    .await?;
    tx.commit().await
}

/// Adds a category (audited) in its own transaction.
pub async fn add_category(
    db: &Db,
    actor: &Actor,
    unit_id: i64,
    name: &str,
    position: i64,
) -> Result<Category> {
    let mut tx = db.begin().await?;
    let c = create_category(&mut tx, actor, unit_id, name, position).await?;
    tx.commit().await?;
    Ok(c)
}

async fn link_group_unit(e: &mut impl Exec, group_id: i64) -> Result<Option<i64>> {
    e.fetch_optional(q("SELECT unit_id FROM link_groups WHERE id = $1").bind(group_id))
        .await?
        .map(|r| r.get("unit_id"))
        .transpose()
}

/// The unit a link group belongs to (for role checks).
pub async fn link_group_owner(db: &Db, group_id: i64) -> Result<Option<i64>> {
    link_group_unit(&mut db.clone(), group_id).await
}

/// The unit of the group a link is in (for role checks).
pub async fn link_owner(db: &Db, link_id: i64) -> Result<Option<i64>> {
    db.fetch_optional(
        q("SELECT g.unit_id FROM links l JOIN link_groups g ON g.id = l.group_id WHERE l.id = $1")
            .bind(link_id),
    )
    .await?
    .map(|r| r.get("unit_id"))
    .transpose()
}

/// Adds a link to a group (audited).
pub async fn add_link(
    db: &Db,
    actor: &Actor,
    group_id: i64,
    title: &str,
    url: &str,
    position: i64,
) -> Result<Link> {
    let mut tx = db.begin().await?;
    let now = crate::now_s();
    let r = tx
        .fetch_optional(
            q("INSERT INTO links (group_id, title, url, position, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5) RETURNING id")
                .bind(group_id)
                .bind(clean_line(title))
                .bind(url.trim())
                .bind(position)
                .bind(now),
        )
        .await?
        .ok_or(DbError::NotFound)?;
    let link = Link {
        id: r.get("id")?,
        group_id,
        title: clean_line(title),
        url: url.trim().to_string(),
        position,
    };
    audit::append(
        &mut tx,
        actor,
        "link.create",
        "link",
        &link.id.to_string(),
        None::<&()>,
        Some(&link),
    )
    .await?;
    tx.commit().await?;
    Ok(link)
}

/// Removes a link (audited with what it was).
pub async fn delete_link(db: &Db, actor: &Actor, id: i64) -> Result<()> {
    let mut tx = db.begin().await?;
    let r = tx
        .fetch_optional(
            q("SELECT id, group_id, title, url, position FROM links WHERE id = $1").bind(id),
        )
        .await?
        .ok_or(DbError::NotFound)?;
    let before = Link {
        id,
        group_id: r.get("group_id")?,
        title: r.get("title")?,
        url: r.get("url")?,
        position: r.get("position")?,
    };
    tx.execute(q("DELETE FROM links WHERE id = $1").bind(id))
        .await?;
    audit::append(
        &mut tx,
        actor,
        "link.delete",
        "link",
        &id.to_string(),
        Some(&before),
        None::<&()>,
    )
    .await?;
    tx.commit().await
}

/// Adds a link group (audited) in its own transaction.
pub async fn add_link_group(
    db: &Db,
    actor: &Actor,
    unit_id: i64,
    name: &str,
    position: i64,
) -> Result<LinkGroup> {
    let mut tx = db.begin().await?;
    let g = create_link_group(&mut tx, actor, unit_id, name, position, &[]).await?;
    tx.commit().await?;
    Ok(g)
}

/// Adds a banner (audited) in its own transaction.
pub async fn add_banner(db: &Db, actor: &Actor, b: &Banner, image: Option<i64>) -> Result<i64> {
    let mut tx = db.begin().await?;
    let id = create_banner(&mut tx, actor, b).await?;
    if image.is_some() {
        crate::media::set_banner_image_in(&mut tx, actor, id, image).await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// Every banner, in force or not, for the admin.
pub async fn all_banners(db: &Db) -> Result<Vec<Banner>> {
    db.fetch_all(q("SELECT id, unit_id, title, link_url, valid_from, valid_to, position FROM banners ORDER BY position, id"))
        .await?
        .iter()
        .map(banner_row)
        .collect()
}

/// Removes a banner (audited with what it was).
pub async fn delete_banner(db: &Db, actor: &Actor, id: i64) -> Result<()> {
    let before = all_banners(db)
        .await?
        .into_iter()
        .find(|b| b.id == id)
        .ok_or(DbError::NotFound)?;
    let mut tx = db.begin().await?;
    tx.execute(q("DELETE FROM banners WHERE id = $1").bind(id))
        .await?;
    audit::append(
        &mut tx,
        actor,
        "banner.delete",
        "banner",
        &id.to_string(),
        Some(&before),
        None::<&()>,
    )
    .await?;
    tx.commit().await
}

/// Puts every article into the search index (inside a rebuild's transaction); returns
/// how many.
pub async fn index_all(tx: &mut Tx, terms: &mut crate::search_index::Terms) -> Result<u64> {
    let mut n = 0;
    let mut after: i64 = 0;
    loop {
        let rows = tx
            .fetch_all(
                q(format!(
                    "SELECT {ART_COLS} FROM articles WHERE id > $1 ORDER BY id LIMIT 500"
                ))
                .bind(after),
            )
            .await?;
        let Some(last) = rows.last() else { break };
        after = last.get("id")?;
        for r in &rows {
            crate::search_index::put_with(tx, &search_entry(&article_row(r)?), terms).await?;
            n += 1;
        }
    }
    Ok(n)
}

/// Articles by id, without their body (for showing search results), in no particular
/// order.
pub async fn articles_by_ids(db: &Db, ids: &[i64]) -> Result<Vec<Article>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    db.fetch_all(
        q(format!(
            "SELECT {} FROM articles WHERE id IN ",
            ART_COLS.replace(" body,", " '' AS body,")
        ))
        .in_list(ids),
    )
    .await?
    .iter()
    .map(article_row)
    .collect()
}
