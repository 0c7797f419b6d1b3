//! Reading one disclosure: the record, its versions, files, linked documents, and the
//! unit it belongs to.

use danchu_core::disclosures::DuePeriod;
use serde::Serialize;
use time::Date;

use crate::decode::col;
use crate::exec::{q, row_struct, Db, Exec, Result};
use crate::media::Media;

row_struct! {
    #[derive(Debug, Clone, Serialize, PartialEq)]
    pub struct Disclosure {
        pub id: i64,
        pub unit_id: i64,
        pub unit_name: String,
        pub category_id: i64,
        /// Period code (`2023-Q3`) of a recurring disclosure, or empty.
        pub period: String = col::optional_code("disclosures.period", DuePeriod::parse),
        pub title: String,
        pub version: i64,
        /// First day posted (notice board or portal); none before.
        #[serde(serialize_with = "crate::decode::day_text::optional")]
        pub posted_on: Option<Date> = col::day("posted_on"),
        /// The day it was taken down; none while it is up.
        #[serde(serialize_with = "crate::decode::day_text::optional")]
        pub taken_down_on: Option<Date> = col::day("taken_down_on"),
        pub takedown_reason: String,
        /// On the portal channel: published at /cong-khai.
        pub public: bool = col::flag("public"),
    }
}

pub(super) const COLS: &str = "d.id, d.unit_id, u.name AS unit_name, d.category_id, d.period, d.title, d.version, d.posted_on, d.taken_down_on, d.takedown_reason, d.public";

pub async fn get(e: &mut impl Exec, id: i64) -> Result<Option<Disclosure>> {
    e.fetch_optional_as(
        q(format!(
            "SELECT {COLS} FROM disclosures d JOIN units u ON u.id = d.unit_id WHERE d.id = $1"
        ))
        .bind(id),
    )
    .await
}

/// The kind code of a unit (None when there is no such unit).
pub async fn unit_kind(e: &mut impl Exec, unit_id: i64) -> Result<Option<String>> {
    e.fetch_scalar(q("SELECT kind FROM units WHERE id = $1").bind(unit_id))
        .await?
        .map(|kind| crate::units::known_kind("units.kind", kind))
        .transpose()
}

row_struct! {
    /// One version of a disclosure.
    #[derive(Debug, Clone, Serialize, PartialEq)]
    pub struct Version {
        pub version: i64,
        pub title: String,
        pub body: String,
        pub change_note: String,
        pub created_by: String,
        pub created_at: i64,
    }
}

/// Every version, newest first.
pub async fn versions(db: &Db, id: i64) -> Result<Vec<Version>> {
    db.fetch_all_as(
        q("SELECT version, title, body, change_note, created_by, created_at FROM disclosure_versions WHERE disclosure_id = $1 ORDER BY version DESC")
            .bind(id),
    )
    .await
}

/// The thôn / tổ dân phố (open units of kind village) under a commune, in Vietnamese
/// order: the places R8 wants reached.
pub async fn hamlets(db: &Db, unit_id: i64) -> Result<Vec<String>> {
    let mut names: Vec<String> = db
        .fetch_scalars(
            q("SELECT name FROM units WHERE parent_id = $1 AND kind = 'village' AND valid_to IS NULL")
                .bind(unit_id),
        )
        .await?;
    names.sort_by_cached_key(|n| danchu_core::text::vn_sort_key(n));
    Ok(names)
}

/// The files of a disclosure (the content itself: estimates, lists, decisions).
pub async fn files(db: &Db, id: i64) -> Result<Vec<Media>> {
    let cols = crate::media::joined_cols();
    db.fetch_all_as(
        q(format!("SELECT {cols} FROM disclosure_files f JOIN media m ON m.id = f.media_id WHERE f.disclosure_id = $1 ORDER BY m.id"))
            .bind(id),
    )
    .await
}

/// The library documents a disclosure links to.
pub async fn documents(db: &Db, id: i64) -> Result<Vec<crate::documents::Document>> {
    let ids: Vec<i64> = db
        .fetch_scalars(
            q("SELECT document_id FROM disclosure_documents WHERE disclosure_id = $1").bind(id),
        )
        .await?;
    crate::documents::by_ids(db, &ids).await
}

/// The units that have public disclosures (for the register's unit filter).
pub async fn units_with_public(db: &Db) -> Result<Vec<(i64, String)>> {
    db.fetch_all_as(q(
        "SELECT id, name FROM units WHERE id IN (SELECT DISTINCT unit_id FROM disclosures WHERE public = 1)",
    ))
    .await
}

/// Disclosures by id (search results).
pub async fn by_ids(db: &Db, ids: &[i64]) -> Result<Vec<Disclosure>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    db.fetch_all_as(
        q(format!(
            "SELECT {COLS} FROM disclosures d JOIN units u ON u.id = d.unit_id WHERE d.id IN "
        ))
        .in_list(ids),
    )
    .await
}

/// The list (`commune` or `agency`) a unit discloses under; a unit of another kind (or
/// none) reads as a commune, which the posting checks refuse separately.
pub async fn unit_scope(e: &mut impl Exec, unit_id: i64) -> Result<&'static str> {
    Ok(unit_kind(e, unit_id)
        .await?
        .and_then(|k| danchu_core::disclosures::scope_of(&k))
        .unwrap_or(danchu_core::disclosures::COMMUNE))
}
