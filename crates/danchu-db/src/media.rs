//! Uploaded files (their bytes live in DANCHU_DATA_DIR/media; the database keeps what
//! they are) and the attachments of articles.

use serde::Serialize;

use crate::audit::{self, Actor};
use crate::decode::col;
use crate::exec::{q, row_struct, Db, DbError, Result, Tx};

row_struct! {
    #[derive(Debug, Clone, Serialize, PartialEq)]
    pub struct Media {
        pub id: i64,
        pub unit_id: i64,
        /// `image` or `file`.
        pub kind: String = col::one_of("media.kind", &KINDS),
        /// The name shown to people (neutralised).
        pub name: String,
        /// Our name on disk: random hex and the real extension.
        pub stored_name: String,
        pub mime: String,
        pub size: i64,
        pub width: Option<i64>,
        pub height: Option<i64>,
        pub thumb_name: Option<String>,
        /// Why the file's text could not be read for search ("" when it was, or it has none).
        pub text_note: String,
    }
}

/// The kinds a file is stored with.
pub const KINDS: [&str; 2] = ["image", "file"];

pub(crate) const COLS: &str =
    "id, unit_id, kind, name, stored_name, mime, size, width, height, thumb_name, text_note";

/// A file checked and written to disk under its final name, not yet recorded: the
/// use-case function that records it does so in its own transaction.
#[derive(Debug, Clone)]
pub struct NewMedia {
    /// `id` is ignored.
    pub media: Media,
    /// The text extracted for search ("" for images and files without text).
    pub text: String,
}

/// Records an uploaded file (audited) with the text extracted from it for search.
/// `m.id` is ignored.
pub async fn create(db: &Db, actor: &Actor, m: &Media, text: &str) -> Result<Media> {
    let mut tx = db.begin().await?;
    let created = insert_in(
        &mut tx,
        actor,
        &NewMedia {
            media: m.clone(),
            text: text.to_string(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(created)
}

/// Records uploaded files in their own transaction (the media library's upload).
pub async fn record(db: &Db, actor: &Actor, files: &[NewMedia]) -> Result<Vec<i64>> {
    crate::in_tx(db, async |tx| insert_all(tx, actor, files).await).await
}

/// Records uploaded files inside the caller's transaction (audited); their ids in order.
pub async fn insert_all(tx: &mut Tx, actor: &Actor, files: &[NewMedia]) -> Result<Vec<i64>> {
    let mut ids = Vec::with_capacity(files.len());
    for f in files {
        ids.push(insert_in(tx, actor, f).await?.id);
    }
    Ok(ids)
}

/// Records one uploaded file inside the caller's transaction (audited).
pub async fn insert_in(tx: &mut Tx, actor: &Actor, n: &NewMedia) -> Result<Media> {
    let (m, text) = (&n.media, n.text.as_str());
    let created: Media = tx
        .fetch_optional_as(
            q(format!(
                "INSERT INTO media (unit_id, kind, name, stored_name, mime, size, width, height, thumb_name, created_by, created_at, text, text_note)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING {COLS}"
            ))
            .bind(m.unit_id)
            .bind(&m.kind)
            .bind(&m.name)
            .bind(&m.stored_name)
            .bind(&m.mime)
            .bind(m.size)
            .bind(m.width)
            .bind(m.height)
            .bind(m.thumb_name.clone())
            .bind(&actor.0)
            .bind(crate::now_s())
            .bind(text)
            .bind(&m.text_note),
        )
        .await?
        .ok_or(DbError::NotFound)?;
    audit::record(audit::action::MEDIA_CREATE, "media", created.id)
        .after(tx, actor, &created)
        .await?;
    Ok(created)
}

pub async fn by_stored_name(db: &Db, name: &str) -> Result<Option<Media>> {
    db.fetch_optional_as(
        q(format!(
            "SELECT {COLS} FROM media WHERE stored_name = $1 OR thumb_name = $1"
        ))
        .bind(name),
    )
    .await
}

/// The files with these ids (a few queries for any number of ids).
pub async fn by_ids(db: &Db, ids: &[i64]) -> Result<Vec<Media>> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(crate::exec::IN_CHUNK) {
        out.extend(
            db.fetch_all_as::<Media>(
                q(format!("SELECT {COLS} FROM media WHERE id IN ")).in_list(chunk),
            )
            .await?,
        );
    }
    Ok(out)
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Media>> {
    db.fetch_optional_as(q(format!("SELECT {COLS} FROM media WHERE id = $1")).bind(id))
        .await
}

/// The newest uploads, optionally of some units only (filtered before the limit).
pub async fn recent(db: &Db, within: Option<&[i64]>, limit: i64) -> Result<Vec<Media>> {
    let query = match within {
        None => q(format!("SELECT {COLS} FROM media")),
        Some(units) => q(format!("SELECT {COLS} FROM media WHERE unit_id IN ")).in_list(units),
    };
    db.fetch_all_as(
        query
            .push(" ORDER BY created_at DESC, id DESC LIMIT ")
            .push_bind(limit),
    )
    .await
}

/// The media columns prefixed with `m.` (for joins).
pub(crate) fn joined_cols() -> String {
    COLS.split(", ")
        .map(|c| format!("m.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The files attached to an article, in order.
pub async fn attachments(db: &Db, article_id: i64) -> Result<Vec<Media>> {
    let cols = joined_cols();
    db.fetch_all_as(q(format!("SELECT {cols} FROM article_attachments a JOIN media m ON m.id = a.media_id WHERE a.article_id = $1 ORDER BY a.position, m.id")).bind(article_id)).await
}

/// Replaces an article's attachments (audited).
pub async fn set_attachments(
    db: &Db,
    actor: &Actor,
    article_id: i64,
    media_ids: &[i64],
) -> Result<()> {
    crate::in_tx(db, async |tx| {
        set_attachments_in(tx, actor, article_id, media_ids).await
    })
    .await
}

/// [`set_attachments`] inside the caller's transaction.
pub async fn set_attachments_in(
    tx: &mut Tx,
    actor: &Actor,
    article_id: i64,
    media_ids: &[i64],
) -> Result<()> {
    let Some(before) = crate::exec::set_ordered(
        tx,
        ("article_attachments", "article_id", "media_id"),
        article_id,
        media_ids,
    )
    .await?
    else {
        return Ok(());
    };
    audit::record(audit::action::ARTICLE_ATTACHMENTS, "article", article_id)
        .changed(tx, actor, &before, &media_ids)
        .await?;
    Ok(())
}

/// Sets the image of a banner (audited).
pub async fn set_banner_image(
    db: &Db,
    actor: &Actor,
    banner_id: i64,
    media_id: Option<i64>,
) -> Result<()> {
    crate::in_tx(db, async |tx| {
        set_banner_image_in(tx, actor, banner_id, media_id).await
    })
    .await
}

/// [`set_banner_image`] inside the caller's transaction.
pub async fn set_banner_image_in(
    tx: &mut Tx,
    actor: &Actor,
    banner_id: i64,
    media_id: Option<i64>,
) -> Result<()> {
    tx.execute(
        q("UPDATE banners SET image_id = $1 WHERE id = $2")
            .bind(media_id)
            .bind(banner_id),
    )
    .await?;
    audit::record(audit::action::BANNER_IMAGE, "banner", banner_id)
        .after(tx, actor, &media_id)
        .await?;
    Ok(())
}

/// Stored names of banner images, by banner id.
pub async fn banner_images(db: &Db) -> Result<Vec<(i64, String)>> {
    db.fetch_all_as(q("SELECT b.id, COALESCE(m.thumb_name, m.stored_name) AS img FROM banners b JOIN media m ON m.id = b.image_id"))
        .await
}

/// Documents (not images) whose text has not been extracted: (id, stored name, mime).
pub async fn without_text(db: &Db) -> Result<Vec<(i64, String, String)>> {
    db.fetch_all_as(q(
        "SELECT id, stored_name, mime FROM media WHERE kind = 'file' AND text = '' ORDER BY id",
    ))
    .await
}

/// Stores the text extracted from a file (derived data: not audited).
pub async fn set_text(db: &Db, id: i64, text: &str) -> Result<()> {
    db.execute(
        q("UPDATE media SET text = $1 WHERE id = $2")
            .bind(text)
            .bind(id),
    )
    .await?;
    Ok(())
}
