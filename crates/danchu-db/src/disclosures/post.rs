//! Posting a disclosure (version 1 with its files and first forms) and correcting it
//! (a new version); both keep the search entry current.

use danchu_core::text::clean_line;

use super::categories::category;
use super::channels::add_channel_in;
use super::read::{get, unit_kind, unit_scope, Disclosure};
use crate::audit::{self, Actor};
use crate::exec::{link_all, q, Db, DbError, Exec, Result, Tx};
use danchu_core::disclosures::validate::{check, check_channel, check_correction};
use danchu_core::disclosures::{Channel, NewChannel, NewDisclosure};

/// Writes the search entry of a disclosure: public (findable) once on the portal channel.
pub(super) async fn index(tx: &mut Tx, id: i64) -> Result<()> {
    let Some(d) = get(tx, id).await? else {
        return crate::search::remove(tx, danchu_core::search::Kind::Disclosure, id).await;
    };
    let body: String = tx
        .fetch_scalar(
            q("SELECT body FROM disclosure_versions WHERE disclosure_id = $1 AND version = $2")
                .bind(id)
                .bind(d.version),
        )
        .await?
        .unwrap_or_default();
    let at = d
        .posted_on
        .and_then(|p| danchu_core::text::day_start_vn(&danchu_core::text::iso_date(p)))
        .unwrap_or(0);
    let entry = crate::search::Entry {
        kind: danchu_core::search::Kind::Disclosure,
        ref_id: id,
        visible_from: d.public.then_some(0),
        at,
        title: d.title.clone(),
        body: format!("{}\n{}", d.unit_name, danchu_core::html::to_text(&body)),
    };
    crate::search::put_with(tx, &entry, &mut Default::default()).await
}

/// Puts every disclosure into the search index (inside a rebuild).
pub async fn index_all(tx: &mut Tx) -> Result<u64> {
    let ids: Vec<i64> = tx
        .fetch_scalars(q("SELECT id FROM disclosures ORDER BY id"))
        .await?;
    for id in &ids {
        index(tx, *id).await?;
    }
    Ok(ids.len() as u64)
}

/// Creates a disclosure, version 1 (audited).
pub async fn create(db: &Db, actor: &Actor, d: &NewDisclosure) -> Result<Disclosure> {
    create_at(db, actor, d, crate::now_s()).await
}

/// [`create`] at a given time (for past data such as the demo).
pub async fn create_at(db: &Db, actor: &Actor, d: &NewDisclosure, now: i64) -> Result<Disclosure> {
    post(db, actor, d, &[], &[], now).await
}

/// What an official posts in one action, in one transaction: the disclosure with its
/// uploaded files (checked and written already, recorded here) and the forms used from
/// the start (notice board, portal). Validated once, here, by [`refusals`]: a refusal is
/// [`DbError::Refused`] with the reasons by field. Nothing is left half-posted if any
/// step fails.
pub async fn post(
    db: &Db,
    actor: &Actor,
    d: &NewDisclosure,
    uploads: &[crate::media::NewMedia],
    channels: &[NewChannel],
    now: i64,
) -> Result<Disclosure> {
    let mut tx = db.begin().await?;
    let mut d = d.clone();
    // A period only belongs to a recurring category.
    if category(&mut tx, d.category_id)
        .await?
        .is_some_and(|c| c.every.is_empty())
    {
        d.period.clear();
    }
    let refused = refusals(&mut tx, &d, !uploads.is_empty(), channels).await?;
    if !refused.is_empty() {
        return Err(DbError::Refused(refused));
    }
    d.files
        .extend(crate::media::insert_all(&mut tx, actor, uploads).await?);
    let created = create_in(&mut tx, actor, &d, now).await?;
    for c in channels {
        add_channel_in(&mut tx, actor, created.id, c, now).await?;
    }
    // The search entry once, as the disclosure stands after all of it.
    index(&mut tx, created.id).await?;
    let posted = get(&mut tx, created.id).await?.ok_or(DbError::NotFound)?;
    tx.commit().await?;
    Ok(posted)
}

/// What is wrong with a disclosure about to be posted, by field: its content first
/// ([`check`]; files about to be uploaded count as content; a period typed for a
/// category that is not recurring is ignored), then, only if the content
/// is right, its first forms ([`check_channel`]) under the fields of the posting form
/// (`board_from`, `board_evidence`, `portal_from`).
pub async fn refusals(
    e: &mut impl Exec,
    d: &NewDisclosure,
    uploading: bool,
    channels: &[NewChannel],
) -> Result<Vec<(&'static str, String)>> {
    let cat = category(&mut *e, d.category_id).await?;
    let kind = unit_kind(&mut *e, d.unit_id).await?;
    let mut probe = d.clone();
    if cat.as_ref().is_some_and(|c| c.every.is_empty()) {
        probe.period.clear();
    }
    if uploading {
        probe.files.push(0);
    }
    let content = check(&probe, cat.as_ref(), kind.as_deref());
    if !content.is_empty() {
        return Ok(content);
    }
    let scope = unit_scope(&mut *e, d.unit_id).await?;
    let mut out = Vec::new();
    for c in channels {
        let board = c.channel == Channel::NoticeBoard;
        for (field, why) in check_channel(c, scope) {
            let field = match (board, field) {
                (true, "evidence") => "board_evidence",
                (true, _) => "board_from",
                (false, _) => "portal_from",
            };
            out.push((field, why));
        }
    }
    Ok(out)
}

async fn create_in(tx: &mut Tx, actor: &Actor, d: &NewDisclosure, now: i64) -> Result<Disclosure> {
    let title = clean_line(&d.title);
    let id: i64 = tx
        .fetch_scalar(
            q("INSERT INTO disclosures (unit_id, category_id, period, title, version, posted_on, created_at, updated_at)
               VALUES ($1, $2, $3, $4, 1, '', $5, $5) RETURNING id")
            .bind(d.unit_id)
            .bind(d.category_id)
            .bind(d.period.trim())
            .bind(&title)
            .bind(now),
        ).await?.ok_or(DbError::NotFound)?;
    tx.execute(
        q("INSERT INTO disclosure_versions (disclosure_id, version, title, body, change_note, created_by, created_at) VALUES ($1, 1, $2, $3, '', $4, $5)")
            .bind(id)
            .bind(&title)
            .bind(danchu_core::html::sanitize(&d.body))
            .bind(&actor.0)
            .bind(now),
    )
    .await?;
    link_all(
        tx,
        ("disclosure_files", "disclosure_id", "media_id"),
        id,
        &d.files,
    )
    .await?;
    link_all(
        tx,
        ("disclosure_documents", "disclosure_id", "document_id"),
        id,
        &d.documents,
    )
    .await?;
    let created = get(&mut *tx, id).await?.ok_or(DbError::NotFound)?;
    audit::record(audit::action::DISCLOSURE_CREATE, "disclosure", id)
        .after(tx, actor, &created)
        .await?;
    Ok(created)
}

/// Corrects a disclosure: a new version with what changed; every earlier version stays
/// readable (audited).
pub async fn correct(
    db: &Db,
    actor: &Actor,
    id: i64,
    title: &str,
    body: &str,
    note: &str,
) -> Result<Disclosure> {
    let (title, note) = check_correction(title, note).map_err(DbError::Invalid)?;
    let mut tx = db.begin().await?;
    let before = get(&mut tx, id).await?.ok_or(DbError::NotFound)?;
    if before.taken_down_on.is_some() {
        return Err(DbError::Invalid(
            "Nội dung đã gỡ: không đính chính được.".into(),
        ));
    }
    let version = before.version + 1;
    let now = crate::now_s();
    tx.execute(
        q("INSERT INTO disclosure_versions (disclosure_id, version, title, body, change_note, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(id)
            .bind(version)
            .bind(&title)
            .bind(danchu_core::html::sanitize(body))
            .bind(note)
            .bind(&actor.0)
            .bind(now),
    )
    .await?;
    tx.execute(
        q("UPDATE disclosures SET title = $1, version = $2, updated_at = $3 WHERE id = $4")
            .bind(&title)
            .bind(version)
            .bind(now)
            .bind(id),
    )
    .await?;
    index(&mut tx, id).await?;
    let after = get(&mut tx, id).await?.ok_or(DbError::NotFound)?;
    audit::record(audit::action::DISCLOSURE_CORRECT, "disclosure", id)
        .changed(&mut tx, actor, &before, &after)
        .await?;
    tx.commit().await?;
    Ok(after)
}
