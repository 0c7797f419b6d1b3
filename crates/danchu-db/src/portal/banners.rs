//! Banners (biểu ngữ) with their validity and image.

use danchu_core::portal::{banner_refusals, BannerInput};
use danchu_core::text::clean_line;
use serde::Serialize;
use time::Date;

use crate::audit::{self, Actor};
use crate::decode::col;
use crate::exec::{q, row_struct, Db, DbError, Result, Tx};

row_struct! {
    #[derive(Debug, Clone, Serialize, PartialEq)]
    pub struct Banner {
        pub id: i64,
        pub unit_id: i64,
        pub title: String,
        pub link_url: String,
        #[serde(serialize_with = "crate::decode::day_text::nullable")]
        pub valid_from: Option<Date> = col::day("valid_from"),
        #[serde(serialize_with = "crate::decode::day_text::nullable")]
        pub valid_to: Option<Date> = col::day("valid_to"),
        pub position: i64,
    }
}

/// Banners in force on `day`, in order.
pub async fn banners(db: &Db, day: Date) -> Result<Vec<Banner>> {
    db.fetch_all_as(
        q("SELECT id, unit_id, title, link_url, valid_from, valid_to, position FROM banners
           WHERE (valid_from IS NULL OR valid_from <= $1) AND (valid_to IS NULL OR valid_to >= $1) ORDER BY position, id")
        .bind(day),
    ).await
}

pub async fn create_banner(tx: &mut Tx, actor: &Actor, b: &Banner) -> Result<i64> {
    let now = crate::now_s();
    let id: i64 = tx
        .fetch_scalar(
            q("INSERT INTO banners (unit_id, title, link_url, valid_from, valid_to, position, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id")
                .bind(b.unit_id)
                .bind(clean_line(&b.title))
                .bind(b.link_url.trim())
                .bind(b.valid_from)
                .bind(b.valid_to)
                .bind(b.position)
                .bind(now),
        )
        .await?
        .ok_or(DbError::NotFound)?;
    audit::record(audit::action::BANNER_CREATE, "banner", id)
        .after(tx, actor, b)
        .await?;
    Ok(id)
}

/// An editor adds a banner, in one transaction (audited), with its image if one is
/// chosen. `unreadable` are the fields the form could not parse; they are refused together
/// with core's reasons, each field once.
pub async fn add_banner(
    db: &Db,
    actor: &Actor,
    b: &BannerInput,
    image: Option<i64>,
    unreadable: Vec<(&'static str, String)>,
) -> Result<i64> {
    let mut refused = unreadable;
    for (field, message) in banner_refusals(b) {
        if !refused.iter().any(|(f, _)| *f == field) {
            refused.push((field, message));
        }
    }
    if !refused.is_empty() {
        return Err(DbError::Refused(refused));
    }
    let banner = Banner {
        id: 0,
        unit_id: b.unit_id,
        title: b.title.clone(),
        link_url: b.link_url.trim().to_string(),
        valid_from: b.valid_from,
        valid_to: b.valid_to,
        position: b.position,
    };
    let mut tx = db.begin().await?;
    let id = create_banner(&mut tx, actor, &banner).await?;
    if image.is_some() {
        crate::media::set_banner_image_in(&mut tx, actor, id, image).await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// Every banner, in force or not, for the admin.
pub async fn all_banners(db: &Db) -> Result<Vec<Banner>> {
    db.fetch_all_as(q("SELECT id, unit_id, title, link_url, valid_from, valid_to, position FROM banners ORDER BY position, id")).await
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
    audit::record(audit::action::BANNER_DELETE, "banner", id)
        .before(&mut tx, actor, &before)
        .await?;
    tx.commit().await
}
