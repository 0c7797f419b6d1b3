//! The forms a disclosure is made public through (R7, R8, R46): each channel with its
//! dates, evidence files and, through the heads of thôn, the R8 rows; and the forms
//! summary the dashboards read.

use danchu_core::disclosures::validate::check_channel;
use danchu_core::disclosures::{Channel, HeadNotice, HouseholdMethod, NewChannel};
use danchu_core::text::{clean_line, parse_date};
use serde::Serialize;

use super::post::index;
use super::read::{get, unit_scope, Disclosure};
use crate::audit::{self, Actor};
use crate::decode::col;
use crate::exec::{link_all, q, row_struct, Db, DbError, Exec, Owned, Result, Tx};
use crate::media::Media;

/// Writes the forms summary of disclosures that have forms but no summary (data from
/// before the summary existed); returns how many. Cheap once done: one pass over the
/// disclosures without a summary.
pub async fn refresh_forms(db: &Db) -> Result<u64> {
    let ids: Vec<i64> = db
        .fetch_scalars(q(
            "SELECT d.id FROM disclosures d WHERE d.forms_mask = 0 AND EXISTS (SELECT 1 FROM disclosure_channels c WHERE c.disclosure_id = d.id)",
        )).await?;
    for id in &ids {
        let mut tx = db.begin().await?;
        let all = channels_in(&mut tx, *id).await?;
        write_forms(&mut tx, *id, &all).await?;
        tx.commit().await?;
    }
    Ok(ids.len() as u64)
}

/// Keeps the forms summary the dashboards read (R7/R46) with the disclosure (derived
/// data, like the search entry: written in the same transaction, not audited).
async fn write_forms(tx: &mut Tx, id: i64, channels: &[ChannelUse]) -> Result<()> {
    let forms = danchu_core::disclosures::FormsUsed::of(&used_channels(channels));
    tx.execute(
        q("UPDATE disclosures SET forms_mask = $1, broadcast_run = $2 WHERE id = $3")
            .bind(forms.mask)
            .bind(forms.broadcast_run)
            .bind(id),
    )
    .await
    .map(|_| ())
}

row_struct! {
    /// A channel used to disclose, with its dates and evidence.
    #[derive(Debug, Clone, Serialize, PartialEq)]
    pub struct ChannelUse {
        pub id: i64,
        pub channel: Channel = col::code("disclosure_channels.channel", Channel::parse),
        #[serde(serialize_with = "crate::decode::day_text::required")]
        pub starts_on: time::Date = col::required_day("starts_on"),
        /// None while a posting is still up.
        #[serde(serialize_with = "crate::decode::day_text::optional")]
        pub ends_on: Option<time::Date> = col::day("ends_on"),
        pub evidence: String,
        pub files: Vec<Media> = col::later,
        /// R8: the heads of thôn who received it (channel "through the heads of thôn").
        pub notices: Vec<HeadNotice> = col::later,
    }
}

row_struct! {
    impl HeadNotice {
        hamlet,
        head_name,
        notified_on = col::required_day("notified_on"),
        method = col::code("disclosure_head_notices.method", HouseholdMethod::parse),
        told_on,
    }
}

/// Records a channel (audited). The first posting channel (notice board or portal) sets
/// the day the disclosure counts as posted; the portal channel publishes it.
pub async fn add_channel(db: &Db, actor: &Actor, id: i64, c: &NewChannel) -> Result<ChannelUse> {
    add_channel_with(db, actor, id, c, &[]).await
}

/// [`add_channel`] with its uploaded evidence files, recorded in the same transaction.
/// Checked once, by [`check_channel`], before anything is written: a refusal is
/// [`DbError::Refused`] with the reasons by field.
pub async fn add_channel_with(
    db: &Db,
    actor: &Actor,
    id: i64,
    c: &NewChannel,
    uploads: &[crate::media::NewMedia],
) -> Result<ChannelUse> {
    let mut tx = db.begin().await?;
    let mut c = c.clone();
    c.files
        .extend(crate::media::insert_all(&mut tx, actor, uploads).await?);
    let used = add_channel_in(&mut tx, actor, id, &c, crate::now_s()).await?;
    index(&mut tx, id).await?;
    tx.commit().await?;
    Ok(used)
}

pub(super) async fn add_channel_in(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    c: &NewChannel,
    now: i64,
) -> Result<ChannelUse> {
    let before = get(&mut *tx, id).await?.ok_or(DbError::NotFound)?;
    if before.taken_down_on.is_some() {
        return Err(DbError::Invalid("Nội dung đã gỡ.".into()));
    }
    let scope = unit_scope(&mut *tx, before.unit_id).await?;
    let refused = check_channel(c, scope);
    if !refused.is_empty() {
        return Err(DbError::Refused(refused));
    }
    let start = c
        .starts_on
        .map(danchu_core::text::iso_date)
        .unwrap_or_default();
    let end = c
        .ends_on
        .map(danchu_core::text::iso_date)
        .unwrap_or_default();
    let cid = insert_channel(tx, actor, id, c, (&start, &end), now).await?;
    mark_disclosure(tx, &before, c.channel, scope, &start).await?;
    let all = channels_in(&mut *tx, id).await?;
    write_forms(tx, id, &all).await?;
    let used = all
        .into_iter()
        .find(|u| u.id == cid)
        .ok_or(DbError::NotFound)?;
    audit::record(audit::action::DISCLOSURE_CHANNEL, "disclosure", id)
        .after(tx, actor, &used)
        .await?;
    Ok(used)
}

/// Writes the channel row with its evidence files and R8 rows; returns its id.
async fn insert_channel(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    c: &NewChannel,
    (start, end): (&str, &str),
    now: i64,
) -> Result<i64> {
    let cid: i64 = tx
        .fetch_scalar(
            q("INSERT INTO disclosure_channels (disclosure_id, channel, starts_on, ends_on, evidence, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
                .bind(id)
                .bind(c.channel.code())
                .bind(start)
                .bind(end)
                .bind(clean_line(&c.evidence))
                .bind(&actor.0)
                .bind(now),
        ).await?.ok_or(DbError::NotFound)?;
    link_all(
        tx,
        ("disclosure_channel_files", "channel_id", "media_id"),
        cid,
        &c.files,
    )
    .await?;
    if c.channel == Channel::CommunityHeads {
        insert_head_notices(tx, cid, &c.notices).await?;
    }
    Ok(cid)
}

/// The R8 rows of a channel through the heads of thôn, dates stored as `yyyy-mm-dd`.
async fn insert_head_notices(tx: &mut Tx, cid: i64, notices: &[HeadNotice]) -> Result<()> {
    let iso = |s: &str| {
        parse_date(s)
            .map(danchu_core::text::iso_date)
            .unwrap_or_default()
    };
    let rows = notices
        .iter()
        .map(|n| {
            vec![
                cid.into(),
                clean_line(&n.hamlet).into(),
                clean_line(&n.head_name).into(),
                n.notified_on.into(),
                n.method.code().into(),
                iso(&n.told_on).into(),
            ]
        })
        .collect();
    crate::exec::insert_rows(
        tx,
        "disclosure_head_notices",
        &[
            "channel_id",
            "hamlet",
            "head_name",
            "notified_on",
            "method",
            "told_on",
        ],
        rows,
        "",
    )
    .await?;
    Ok(())
}

/// What a new channel changes on the disclosure: the portal publishes it; the first
/// posting channel sets the day it counts as posted.
async fn mark_disclosure(
    tx: &mut Tx,
    before: &Disclosure,
    channel: Channel,
    scope: &str,
    start: &str,
) -> Result<()> {
    let id = before.id;
    if channel == Channel::Portal && !before.public {
        tx.execute(q("UPDATE disclosures SET public = 1 WHERE id = $1").bind(id))
            .await?;
    }
    if channel.counts_as_posting(scope)
        && before
            .posted_on
            .is_none_or(|p| start < danchu_core::text::iso_date(p).as_str())
    {
        tx.execute(
            q("UPDATE disclosures SET posted_on = $1, updated_at = $2 WHERE id = $3")
                .bind(start)
                .bind(crate::now_s())
                .bind(id),
        )
        .await?;
    }
    Ok(())
}

async fn channels_in(e: &mut impl Exec, id: i64) -> Result<Vec<ChannelUse>> {
    let mut channels: Vec<ChannelUse> = e
        .fetch_all_as(
            q("SELECT id, channel, starts_on, ends_on, evidence FROM disclosure_channels WHERE disclosure_id = $1 ORDER BY starts_on, id")
                .bind(id),
        )
        .await?;
    // The evidence files and the R8 rows of every form of the disclosure: one query each,
    // however many forms it has.
    let cols = crate::media::joined_cols();
    let mut files = Owned::grouped(
        e.fetch_all_as(
            q(format!("SELECT f.channel_id AS owner, {cols} FROM disclosure_channel_files f JOIN media m ON m.id = f.media_id
                       JOIN disclosure_channels c ON c.id = f.channel_id WHERE c.disclosure_id = $1 ORDER BY m.id"))
                .bind(id),
        )
        .await?,
    );
    let mut notices = Owned::grouped(
        e.fetch_all_as(
            q("SELECT n.channel_id AS owner, n.hamlet, n.head_name, n.notified_on, n.method, n.told_on
               FROM disclosure_head_notices n JOIN disclosure_channels c ON c.id = n.channel_id
               WHERE c.disclosure_id = $1 ORDER BY n.id")
                .bind(id),
        )
        .await?,
    );
    for c in &mut channels {
        c.files = files.remove(&c.id).unwrap_or_default();
        c.notices = notices.remove(&c.id).unwrap_or_default();
    }
    Ok(channels)
}

/// The channels of a disclosure, in date order, with their evidence files.
pub async fn channels(db: &Db, id: i64) -> Result<Vec<ChannelUse>> {
    channels_in(&mut db.clone(), id).await
}

/// The forms recorded for a disclosure, as the checks read them.
pub fn used_channels(channels: &[ChannelUse]) -> Vec<danchu_core::disclosures::UsedChannel> {
    channels
        .iter()
        .map(|u| (u.channel, Some(u.starts_on), u.ends_on))
        .collect()
}
