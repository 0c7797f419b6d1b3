//! The public disclosure register in the database (issue 7): categories (data, editable),
//! disclosures with every version, the channels used with dates and evidence files, early
//! take-down with a reason, the public listing, search entries and the obligations of
//! recurring categories. Rules (R6–R11, R46) are in `danchu_core::disclosures`; every
//! change is audited in its transaction.

use std::collections::HashMap;

use danchu_core::disclosures::{
    Category, Channel, Compliance, DuePeriod, HeadNotice, HouseholdMethod,
};
use danchu_core::text::{clean_line, parse_date};
use serde::Serialize;

use crate::audit::{self, Actor};
use crate::exec::{link_all, q, Db, DbError, Exec, Result, Row, Tx};
use crate::media::Media;

/// Writes the default categories (R6) that are not there yet; returns how many.
pub async fn ensure_categories(db: &Db) -> Result<u64> {
    let mut n = 0;
    for (i, c) in danchu_core::disclosures::default_categories()
        .iter()
        .enumerate()
    {
        let body = serde_json::to_string(c).map_err(|e| DbError::Invalid(e.to_string()))?;
        n += db
            .execute(
                q("INSERT INTO disclosure_categories (code, body, position, updated_at) VALUES ($1, $2, $3, $4) ON CONFLICT (code) DO NOTHING")
                    .bind(&c.code)
                    .bind(body)
                    .bind(i as i64)
                    .bind(crate::now_s()),
            )
            .await?;
    }
    Ok(n)
}

/// Writes the forms summary of disclosures that have forms but no summary (data from
/// before the summary existed); returns how many. Cheap once done: one pass over the
/// disclosures without a summary.
pub async fn refresh_forms(db: &Db) -> Result<u64> {
    let ids: Vec<i64> = db
        .fetch_all(q(
            "SELECT d.id FROM disclosures d WHERE d.forms_mask = 0 AND EXISTS (SELECT 1 FROM disclosure_channels c WHERE c.disclosure_id = d.id)",
        ))
        .await?
        .iter()
        .map(|r| r.get("id"))
        .collect::<Result<_>>()?;
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

fn category_row(r: &Row) -> Result<(i64, Category)> {
    let body: String = r.get("body")?;
    // Its forms and recurrences are enums (an unknown one fails to parse); its list is a
    // code kept as text, which would otherwise read as the commune list.
    let c: Category = crate::decode::json("disclosure_categories.body", &body)?;
    crate::decode::one_of(
        "disclosure_categories.body.scope",
        c.scope.clone(),
        &[
            danchu_core::disclosures::COMMUNE,
            danchu_core::disclosures::AGENCY,
        ],
    )?;
    Ok((r.get("id")?, c))
}

/// Every category, in order.
pub async fn categories(db: &Db) -> Result<Vec<(i64, Category)>> {
    db.fetch_all(q(
        "SELECT id, body FROM disclosure_categories ORDER BY position, id",
    ))
    .await?
    .iter()
    .map(category_row)
    .collect()
}

pub async fn category(e: &mut impl Exec, id: i64) -> Result<Option<Category>> {
    e.fetch_optional(q("SELECT id, body FROM disclosure_categories WHERE id = $1").bind(id))
        .await?
        .as_ref()
        .map(|r| category_row(r).map(|c| c.1))
        .transpose()
}

/// Changes a category (audited): durations, channels, recurrence, validity (R6, R10
/// unconfirmed figures are administrator-editable defaults).
pub async fn update_category(db: &Db, actor: &Actor, id: i64, c: &Category) -> Result<()> {
    if c.min_days < 0 || c.broadcast_days < 0 || c.post_within_days < 0 {
        return Err(DbError::Invalid("Số ngày không được âm.".into()));
    }
    if clean_line(&c.name).is_empty() {
        return Err(DbError::Invalid("Hãy nhập tên danh mục.".into()));
    }
    let mut tx = db.begin().await?;
    let before = category(&mut tx, id).await?.ok_or(DbError::NotFound)?;
    if before == *c {
        // Saved unchanged: nothing to write or audit.
        return Ok(());
    }
    let body = serde_json::to_string(c).map_err(|e| DbError::Invalid(e.to_string()))?;
    tx.execute(
        q("UPDATE disclosure_categories SET body = $1, updated_at = $2 WHERE id = $3")
            .bind(body)
            .bind(crate::now_s())
            .bind(id),
    )
    .await?;
    audit::append(
        &mut tx,
        actor,
        "disclosure_category.update",
        "disclosure_category",
        &id.to_string(),
        Some(&before),
        Some(c),
    )
    .await?;
    tx.commit().await
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Disclosure {
    pub id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    pub category_id: i64,
    /// Period code (`2023-Q3`) of a recurring disclosure, or empty.
    pub period: String,
    pub title: String,
    pub version: i64,
    /// First day posted (notice board or portal), `yyyy-mm-dd`; empty before.
    pub posted_on: String,
    pub taken_down_on: String,
    pub takedown_reason: String,
    /// On the portal channel: published at /cong-khai.
    pub public: bool,
}

const COLS: &str = "d.id, d.unit_id, u.name AS unit_name, d.category_id, d.period, d.title, d.version, d.posted_on, d.taken_down_on, d.takedown_reason, d.public";

fn disclosure_row(r: &Row) -> Result<Disclosure> {
    Ok(Disclosure {
        id: r.get("id")?,
        unit_id: r.get("unit_id")?,
        unit_name: r.get("unit_name")?,
        category_id: r.get("category_id")?,
        period: {
            let period: String = r.get("period")?;
            crate::decode::optional("disclosures.period", &period, DuePeriod::parse)?;
            period
        },
        title: r.get("title")?,
        version: r.get("version")?,
        posted_on: r.get("posted_on")?,
        taken_down_on: r.get("taken_down_on")?,
        takedown_reason: r.get("takedown_reason")?,
        public: r.get::<i64>("public")? > 0,
    })
}

pub async fn get(e: &mut impl Exec, id: i64) -> Result<Option<Disclosure>> {
    e.fetch_optional(
        q(format!(
            "SELECT {COLS} FROM disclosures d JOIN units u ON u.id = d.unit_id WHERE d.id = $1"
        ))
        .bind(id),
    )
    .await?
    .as_ref()
    .map(disclosure_row)
    .transpose()
}

/// A disclosure as typed (title, sanitised body, links), checked by [`check`].
#[derive(Debug, Clone, Default)]
pub struct NewDisclosure {
    pub unit_id: i64,
    pub category_id: i64,
    pub period: String,
    pub title: String,
    pub body: String,
    pub files: Vec<i64>,
    pub documents: Vec<i64>,
}

/// Problems by field, in Vietnamese. `unit_kind` is the posting unit's kind (None when
/// there is no such unit): a commune posts under the commune list, an agency or public
/// unit under the agency list (R46), nobody else posts.
pub fn check(
    d: &NewDisclosure,
    category: Option<&Category>,
    unit_kind: Option<&str>,
) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    match unit_kind.map(danchu_core::disclosures::scope_of) {
        None => out.push(("unit_id", "Hãy chọn đơn vị.".to_string())),
        Some(None) => out.push((
            "unit_id",
            "Chỉ xã, phường, thị trấn và cơ quan, đơn vị mới lập sổ công khai.".to_string(),
        )),
        Some(Some(_)) => {}
    }
    let title = clean_line(&d.title);
    if title.is_empty() {
        out.push(("title", "Hãy nhập tiêu đề nội dung công khai.".to_string()));
    } else if title.chars().count() > 300 {
        out.push(("title", "Tiêu đề tối đa 300 ký tự.".to_string()));
    }
    match category {
        None => out.push(("category_id", "Hãy chọn danh mục công khai.".to_string())),
        Some(c) if unit_kind.is_some_and(|k| !c.applies_to(k)) => out.push((
            "category_id",
            if c.scope == danchu_core::disclosures::AGENCY {
                "Danh mục này dành cho cơ quan, đơn vị; hãy chọn danh mục của xã.".to_string()
            } else {
                "Danh mục này dành cho cấp xã; hãy chọn danh mục của cơ quan, đơn vị.".to_string()
            },
        )),
        Some(c) if !c.every.is_empty() => {
            let ok =
                DuePeriod::parse(&d.period).is_some_and(|p| c.due_periods(p.year()).contains(&p));
            if !ok {
                out.push((
                    "period",
                    "Danh mục này công khai định kỳ: hãy chọn kỳ (quý, 6 tháng hoặc năm)."
                        .to_string(),
                ));
            }
        }
        Some(_) if !d.period.is_empty() && DuePeriod::parse(&d.period).is_none() => {
            out.push(("period", "Kỳ không hợp lệ.".to_string()));
        }
        Some(_) => {}
    }
    if danchu_core::html::to_text(&d.body).trim().is_empty() && d.files.is_empty() {
        out.push((
            "body",
            "Hãy nhập nội dung hoặc đính kèm tệp nội dung công khai.".to_string(),
        ));
    }
    out
}

/// Writes the search entry of a disclosure: public (findable) once on the portal channel.
async fn index(tx: &mut Tx, id: i64) -> Result<()> {
    let Some(d) = get(tx, id).await? else {
        return crate::search_index::remove(tx, "cong-khai", id).await;
    };
    let body: String = tx
        .fetch_optional(
            q("SELECT body FROM disclosure_versions WHERE disclosure_id = $1 AND version = $2")
                .bind(id)
                .bind(d.version),
        )
        .await?
        .map(|r| r.get("body"))
        .transpose()?
        .unwrap_or_default();
    let at = danchu_core::text::day_start_vn(&d.posted_on).unwrap_or(0);
    let entry = crate::search_index::Entry {
        kind: "cong-khai",
        ref_id: id,
        visible_from: d.public.then_some(0),
        at,
        title: d.title.clone(),
        body: format!("{}\n{}", d.unit_name, danchu_core::html::to_text(&body)),
    };
    crate::search_index::put_with(tx, &entry, &mut Default::default()).await
}

/// Puts every disclosure into the search index (inside a rebuild).
pub async fn index_all(tx: &mut Tx) -> Result<u64> {
    let ids: Vec<i64> = tx
        .fetch_all(q("SELECT id FROM disclosures ORDER BY id"))
        .await?
        .iter()
        .map(|r| r.get("id"))
        .collect::<Result<_>>()?;
    for id in &ids {
        index(tx, *id).await?;
    }
    Ok(ids.len() as u64)
}

/// The kind code of a unit (None when there is no such unit).
pub async fn unit_kind(e: &mut impl Exec, unit_id: i64) -> Result<Option<String>> {
    e.fetch_optional(q("SELECT kind FROM units WHERE id = $1").bind(unit_id))
        .await?
        .map(|r| crate::units::known_kind("units.kind", r.get("kind")?))
        .transpose()
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
/// the start (notice board, portal). Nothing is left half-posted if any step fails.
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

async fn create_in(tx: &mut Tx, actor: &Actor, d: &NewDisclosure, now: i64) -> Result<Disclosure> {
    let cat = category(&mut *tx, d.category_id).await?;
    let kind = unit_kind(&mut *tx, d.unit_id).await?;
    if let Some((_, why)) = check(d, cat.as_ref(), kind.as_deref()).into_iter().next() {
        return Err(DbError::Invalid(why));
    }
    let title = clean_line(&d.title);
    let id: i64 = tx
        .fetch_optional(
            q("INSERT INTO disclosures (unit_id, category_id, period, title, version, posted_on, created_at, updated_at)
               VALUES ($1, $2, $3, $4, 1, '', $5, $5) RETURNING id")
            .bind(d.unit_id)
            .bind(d.category_id)
            .bind(d.period.trim())
            .bind(&title)
            .bind(now),
        )
        .await?
        .ok_or(DbError::NotFound)?
        .get("id")?;
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
    audit::append(
        tx,
        actor,
        "disclosure.create",
        "disclosure",
        &id.to_string(),
        None::<&()>,
        Some(&created),
    )
    .await?;
    Ok(created)
}

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
    let note = clean_line(note);
    if note.is_empty() {
        return Err(DbError::Invalid(
            "Hãy ghi rõ nội dung đính chính (điều gì thay đổi).".into(),
        ));
    }
    if note.chars().count() > 500 {
        return Err(DbError::Invalid(
            "Nội dung đính chính tối đa 500 ký tự.".into(),
        ));
    }
    let title = clean_line(title);
    if title.is_empty() {
        return Err(DbError::Invalid(
            "Hãy nhập tiêu đề nội dung công khai.".into(),
        ));
    }
    if title.chars().count() > 300 {
        return Err(DbError::Invalid("Tiêu đề tối đa 300 ký tự.".into()));
    }
    let mut tx = db.begin().await?;
    let before = get(&mut tx, id).await?.ok_or(DbError::NotFound)?;
    if !before.taken_down_on.is_empty() {
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
    audit::append(
        &mut tx,
        actor,
        "disclosure.correct",
        "disclosure",
        &id.to_string(),
        Some(&before),
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

/// Every version, newest first.
pub async fn versions(db: &Db, id: i64) -> Result<Vec<Version>> {
    db.fetch_all(
        q("SELECT version, title, body, change_note, created_by, created_at FROM disclosure_versions WHERE disclosure_id = $1 ORDER BY version DESC")
            .bind(id),
    )
    .await?
    .iter()
    .map(|r| {
        Ok(Version {
            version: r.get("version")?,
            title: r.get("title")?,
            body: r.get("body")?,
            change_note: r.get("change_note")?,
            created_by: r.get("created_by")?,
            created_at: r.get("created_at")?,
        })
    })
    .collect()
}

/// A channel used to disclose, with its dates and evidence.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ChannelUse {
    pub id: i64,
    pub channel: Channel,
    pub starts_on: String,
    /// Empty while a posting is still up.
    pub ends_on: String,
    pub evidence: String,
    pub files: Vec<Media>,
    /// R8: the heads of thôn who received it (channel "through the heads of thôn").
    pub notices: Vec<HeadNotice>,
}

/// A channel as recorded by the official.
#[derive(Debug, Clone)]
pub struct NewChannel {
    pub channel: Channel,
    pub starts_on: String,
    pub ends_on: String,
    pub evidence: String,
    pub files: Vec<i64>,
    /// R8 records (dates as typed, `dd/mm/yyyy` or `yyyy-mm-dd`); only for
    /// [`Channel::CommunityHeads`], where at least one is required.
    pub notices: Vec<HeadNotice>,
}

/// Problems with a channel record, by field; `scope` is the unit's list (R46: a commune
/// uses the forms of Law Đ12, an agency those of Luật PCTN Đ11).
pub fn check_channel(c: &NewChannel, scope: &str) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if !Channel::for_scope(scope).contains(&c.channel) {
        out.push((
            "channel",
            "Hình thức này không áp dụng cho đơn vị này.".to_string(),
        ));
    }
    let start = parse_date(&c.starts_on);
    if start.is_none() {
        out.push((
            "starts_on",
            "Hãy nhập ngày bắt đầu (dd/mm/yyyy).".to_string(),
        ));
    }
    if !c.ends_on.is_empty() {
        match (start, parse_date(&c.ends_on)) {
            (Some(s), Some(e)) if e >= s => {}
            _ => out.push((
                "ends_on",
                "Ngày kết thúc không hợp lệ hoặc trước ngày bắt đầu.".to_string(),
            )),
        }
    }
    if clean_line(&c.evidence).chars().count() > 2000 {
        out.push((
            "evidence",
            "Ghi chú minh chứng tối đa 2.000 ký tự.".to_string(),
        ));
    }
    if c.channel == Channel::CommunityHeads {
        if c.notices.is_empty() {
            out.push((
                "notices",
                "Ghi rõ thôn, ấp, tổ dân phố đã nhận và cách thông báo đến hộ gia đình (R8)."
                    .to_string(),
            ));
        }
        if c.notices.len() > 500 {
            out.push(("notices", "Tối đa 500 dòng.".to_string()));
        }
        for (i, n) in c.notices.iter().enumerate() {
            out.extend(
                check_notice(n, &format!("Dòng {}", i + 1))
                    .into_iter()
                    .map(|m| ("notices", m)),
            );
        }
    }
    out
}

/// Problems with one R8 row; `row` names it as the form shows it ("Dòng 3", or the
/// thôn's name).
pub fn check_notice(n: &HeadNotice, row: &str) -> Vec<String> {
    let mut out = Vec::new();
    let hamlet = clean_line(&n.hamlet);
    if hamlet.is_empty() || hamlet.chars().count() > 200 {
        out.push(format!(
            "{row}: hãy nhập tên thôn, ấp, tổ dân phố (tối đa 200 ký tự)."
        ));
    }
    if clean_line(&n.head_name).chars().count() > 200 {
        out.push(format!("{row}: họ tên tối đa 200 ký tự."));
    }
    let notified = parse_date(&n.notified_on);
    if notified.is_none() {
        out.push(format!(
            "{row}: ngày Trưởng thôn nhận không hợp lệ (dd/mm/yyyy)."
        ));
    }
    if !n.told_on.trim().is_empty() {
        match (notified, parse_date(&n.told_on)) {
            (Some(a), Some(b)) if b >= a => {}
            _ => out.push(format!(
                "{row}: ngày thông báo đến hộ không hợp lệ hoặc trước ngày nhận."
            )),
        }
    }
    out
}

/// Records a channel (audited). The first posting channel (notice board or portal) sets
/// the day the disclosure counts as posted; the portal channel publishes it.
pub async fn add_channel(db: &Db, actor: &Actor, id: i64, c: &NewChannel) -> Result<ChannelUse> {
    add_channel_with(db, actor, id, c, &[]).await
}

/// [`add_channel`] with its uploaded evidence files, recorded in the same transaction.
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

async fn add_channel_in(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    c: &NewChannel,
    now: i64,
) -> Result<ChannelUse> {
    let before = get(&mut *tx, id).await?.ok_or(DbError::NotFound)?;
    if !before.taken_down_on.is_empty() {
        return Err(DbError::Invalid("Nội dung đã gỡ.".into()));
    }
    let scope = unit_scope(&mut *tx, before.unit_id).await?;
    if let Some((_, why)) = check_channel(c, scope).into_iter().next() {
        return Err(DbError::Invalid(why));
    }
    let start = parse_date(&c.starts_on)
        .map(danchu_core::text::iso_date)
        .unwrap_or_default();
    let end = parse_date(&c.ends_on)
        .map(danchu_core::text::iso_date)
        .unwrap_or_default();
    let cid: i64 = tx
        .fetch_optional(
            q("INSERT INTO disclosure_channels (disclosure_id, channel, starts_on, ends_on, evidence, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
                .bind(id)
                .bind(c.channel.code())
                .bind(&start)
                .bind(&end)
                .bind(clean_line(&c.evidence))
                .bind(&actor.0)
                .bind(now),
        )
        .await?
        .ok_or(DbError::NotFound)?
        .get("id")?;
    link_all(
        tx,
        ("disclosure_channel_files", "channel_id", "media_id"),
        cid,
        &c.files,
    )
    .await?;
    if c.channel == Channel::CommunityHeads {
        let iso = |s: &str| {
            parse_date(s)
                .map(danchu_core::text::iso_date)
                .unwrap_or_default()
        };
        let rows = c
            .notices
            .iter()
            .map(|n| {
                vec![
                    cid.into(),
                    clean_line(&n.hamlet).into(),
                    clean_line(&n.head_name).into(),
                    iso(&n.notified_on).into(),
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
    }
    if c.channel == Channel::Portal && !before.public {
        tx.execute(q("UPDATE disclosures SET public = 1 WHERE id = $1").bind(id))
            .await?;
    }
    if c.channel.counts_as_posting(scope)
        && (before.posted_on.is_empty() || start < before.posted_on)
    {
        tx.execute(
            q("UPDATE disclosures SET posted_on = $1, updated_at = $2 WHERE id = $3")
                .bind(&start)
                .bind(crate::now_s())
                .bind(id),
        )
        .await?;
    }
    let all = channels_in(&mut *tx, id).await?;
    write_forms(tx, id, &all).await?;
    let used = all
        .into_iter()
        .find(|u| u.id == cid)
        .ok_or(DbError::NotFound)?;
    audit::append(
        tx,
        actor,
        "disclosure.channel",
        "disclosure",
        &id.to_string(),
        None::<&()>,
        Some(&used),
    )
    .await?;
    Ok(used)
}

async fn channels_in(e: &mut impl Exec, id: i64) -> Result<Vec<ChannelUse>> {
    let rows = e
        .fetch_all(
            q("SELECT id, channel, starts_on, ends_on, evidence FROM disclosure_channels WHERE disclosure_id = $1 ORDER BY starts_on, id")
                .bind(id),
        )
        .await?;
    // The evidence files and the R8 rows of every form of the disclosure: one query each,
    // however many forms it has.
    let cols = crate::media::joined_cols();
    let mut files: HashMap<i64, Vec<Media>> = HashMap::new();
    for r in e
        .fetch_all(
            q(format!("SELECT f.channel_id AS channel_id, {cols} FROM disclosure_channel_files f JOIN media m ON m.id = f.media_id
                       JOIN disclosure_channels c ON c.id = f.channel_id WHERE c.disclosure_id = $1 ORDER BY m.id"))
                .bind(id),
        )
        .await?
    {
        files
            .entry(r.get("channel_id")?)
            .or_default()
            .push(crate::media::media(&r)?);
    }
    let mut notices = head_notices(e, id).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let cid: i64 = r.get("id")?;
        let code: String = r.get("channel")?;
        let channel = crate::decode::code("disclosure_channels.channel", &code, Channel::parse)?;
        out.push(ChannelUse {
            id: cid,
            channel,
            starts_on: r.get("starts_on")?,
            ends_on: r.get("ends_on")?,
            evidence: r.get("evidence")?,
            files: files.remove(&cid).unwrap_or_default(),
            notices: notices.remove(&cid).unwrap_or_default(),
        });
    }
    Ok(out)
}

/// The R8 rows of every form of a disclosure, by form.
async fn head_notices(
    e: &mut impl Exec,
    disclosure_id: i64,
) -> Result<HashMap<i64, Vec<HeadNotice>>> {
    let mut out: HashMap<i64, Vec<HeadNotice>> = HashMap::new();
    for r in e
        .fetch_all(
            q("SELECT n.channel_id AS channel_id, n.hamlet, n.head_name, n.notified_on, n.method, n.told_on
               FROM disclosure_head_notices n JOIN disclosure_channels c ON c.id = n.channel_id
               WHERE c.disclosure_id = $1 ORDER BY n.id")
                .bind(disclosure_id),
        )
        .await?
    {
        let method: String = r.get("method")?;
        out.entry(r.get("channel_id")?).or_default().push(HeadNotice {
            hamlet: r.get("hamlet")?,
            head_name: r.get("head_name")?,
            notified_on: r.get("notified_on")?,
            method: crate::decode::code(
                "disclosure_head_notices.method",
                &method,
                HouseholdMethod::parse,
            )?,
            told_on: r.get("told_on")?,
        });
    }
    Ok(out)
}

/// The thôn / tổ dân phố (open units of kind village) under a commune, in Vietnamese
/// order: the places R8 wants reached.
pub async fn hamlets(db: &Db, unit_id: i64) -> Result<Vec<String>> {
    let mut names: Vec<String> = db
        .fetch_all(
            q("SELECT name FROM units WHERE parent_id = $1 AND kind = 'village' AND valid_to IS NULL")
                .bind(unit_id),
        )
        .await?
        .iter()
        .map(|r| r.get("name"))
        .collect::<Result<_>>()?;
    names.sort_by_cached_key(|n| danchu_core::text::vn_sort_key(n));
    Ok(names)
}

/// The channels of a disclosure, in date order, with their evidence files.
pub async fn channels(db: &Db, id: i64) -> Result<Vec<ChannelUse>> {
    channels_in(&mut db.clone(), id).await
}

/// The files of a disclosure (the content itself: estimates, lists, decisions).
pub async fn files(db: &Db, id: i64) -> Result<Vec<Media>> {
    let cols = crate::media::joined_cols();
    db.fetch_all(
        q(format!("SELECT {cols} FROM disclosure_files f JOIN media m ON m.id = f.media_id WHERE f.disclosure_id = $1 ORDER BY m.id"))
            .bind(id),
    )
    .await?
    .iter()
    .map(crate::media::media)
    .collect()
}

/// The library documents a disclosure links to.
pub async fn documents(db: &Db, id: i64) -> Result<Vec<crate::documents::Document>> {
    let ids: Vec<i64> = db
        .fetch_all(
            q("SELECT document_id FROM disclosure_documents WHERE disclosure_id = $1").bind(id),
        )
        .await?
        .iter()
        .map(|r| r.get("document_id"))
        .collect::<Result<_>>()?;
    crate::documents::by_ids(db, &ids).await
}

/// Takes a disclosure down on `today` (audited): its postings end that day. Before the
/// minimum posting period has run (R10) a reason is required (the caller checks that a
/// unit administrator asks).
pub async fn take_down(
    db: &Db,
    actor: &Actor,
    id: i64,
    reason: &str,
    today: &str,
) -> Result<Disclosure> {
    let mut tx = db.begin().await?;
    let before = get(&mut tx, id).await?.ok_or(DbError::NotFound)?;
    if !before.taken_down_on.is_empty() {
        return Err(DbError::Invalid("Nội dung đã được gỡ trước đó.".into()));
    }
    let reason = clean_line(reason);
    if reason.chars().count() > 500 {
        return Err(DbError::Invalid("Lý do gỡ tối đa 500 ký tự.".into()));
    }
    let early = early_takedown(&mut tx, &before, today).await?;
    if early && reason.is_empty() {
        return Err(DbError::Invalid(
            "Chưa đủ thời gian niêm yết tối thiểu: gỡ sớm cần ghi rõ lý do.".into(),
        ));
    }
    tx.execute(
        q("UPDATE disclosures SET taken_down_on = $1, takedown_reason = $2, updated_at = $3 WHERE id = $4")
            .bind(today)
            .bind(&reason)
            .bind(crate::now_s())
            .bind(id),
    )
    .await?;
    // The postings that were still up end today (for an agency, any of PCTN Đ11 b–g).
    let scope = unit_scope(&mut tx, before.unit_id).await?;
    let posting: Vec<&str> = Channel::for_scope(scope)
        .into_iter()
        .filter(|c| c.counts_as_posting(scope))
        .map(Channel::code)
        .collect();
    tx.execute(
        q("UPDATE disclosure_channels SET ends_on = $1 WHERE disclosure_id = $2 AND ends_on = '' AND channel IN ")
            .bind(today)
            .bind(id)
            .in_list(&posting),
    )
    .await?;
    index(&mut tx, id).await?;
    let after = get(&mut tx, id).await?.ok_or(DbError::NotFound)?;
    audit::append(
        &mut tx,
        actor,
        if early {
            "disclosure.take_down_early"
        } else {
            "disclosure.take_down"
        },
        "disclosure",
        &id.to_string(),
        Some(&before),
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

/// Whether taking a disclosure down on `today` would end it before its minimum (R10).
async fn early_takedown(e: &mut impl Exec, d: &Disclosure, today: &str) -> Result<bool> {
    let (Some(start), Some(today)) = (parse_date(&d.posted_on), parse_date(today)) else {
        return Ok(false);
    };
    let min = category(e, d.category_id).await?.map_or(30, |c| c.min_days);
    Ok(today < danchu_core::disclosures::earliest_takedown(start, min))
}

/// Whether taking it down today would be early (for the admin page).
pub async fn would_be_early(db: &Db, d: &Disclosure, today: &str) -> Result<bool> {
    early_takedown(&mut db.clone(), d, today).await
}

/// Filters of the public register.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub unit_id: Option<i64>,
    pub category_id: Option<i64>,
    pub year: Option<i32>,
    /// Only what is posted now.
    pub current: bool,
    /// Only what is on the portal (the public register).
    pub public_only: bool,
    /// Units of an official's scope (admin lists).
    pub units: Option<Vec<i64>>,
}

/// The filtered query, with only the conditions in use (so each can use its index on
/// both backends), and how many arguments it binds.
fn filtered(select: &str, f: &Filter, today: &str) -> (crate::Query, usize) {
    let mut sql = format!("{select} WHERE 1 = 1");
    let mut args: Vec<crate::Value> = Vec::new();
    let cond = |sql: &mut String, args: &mut Vec<crate::Value>, text: &str, v: crate::Value| {
        args.push(v);
        sql.push_str(&text.replace('?', &format!("${}", args.len())));
    };
    if f.public_only {
        sql.push_str(" AND d.public = 1");
    }
    if let Some(u) = f.unit_id {
        cond(&mut sql, &mut args, " AND d.unit_id = ?", u.into());
    }
    if let Some(c) = f.category_id {
        cond(&mut sql, &mut args, " AND d.category_id = ?", c.into());
    }
    if let Some(y) = f.year {
        cond(
            &mut sql,
            &mut args,
            " AND d.posted_on >= ?",
            format!("{y:04}-01-01").into(),
        );
        cond(
            &mut sql,
            &mut args,
            " AND d.posted_on <= ?",
            format!("{y:04}-12-31").into(),
        );
    }
    if f.current {
        sql.push_str(" AND d.posted_on <> '' AND d.taken_down_on = ''");
        cond(
            &mut sql,
            &mut args,
            " AND d.posted_on <= ?",
            today.to_string().into(),
        );
    }
    let mut query = q(sql);
    for v in args {
        query = query.bind(v);
    }
    let mut n = query_len(f);
    if let Some(units) = &f.units {
        if units.is_empty() {
            query = query.push(" AND 1 = 0");
        } else {
            query = query.push(" AND d.unit_id IN ").in_list(units);
            n += units.len();
        }
    }
    (query, n)
}

/// How many arguments the simple conditions of a filter bind.
fn query_len(f: &Filter) -> usize {
    usize::from(f.unit_id.is_some())
        + usize::from(f.category_id.is_some())
        + 2 * usize::from(f.year.is_some())
        + usize::from(f.current)
}

/// The register, newest posting first.
pub async fn list(
    db: &Db,
    f: &Filter,
    today: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<Disclosure>> {
    let (query, n) = filtered(
        &format!("SELECT {COLS} FROM disclosures d JOIN units u ON u.id = d.unit_id"),
        f,
        today,
    );
    db.fetch_all(
        query
            .push(&format!(
                " ORDER BY d.posted_on DESC, d.id DESC LIMIT ${} OFFSET ${}",
                n + 1,
                n + 2
            ))
            .bind(limit)
            .bind(offset),
    )
    .await?
    .iter()
    .map(disclosure_row)
    .collect()
}

/// Counts stop here: a listing says "more than" beyond it, so a broad filter over a
/// national register costs a bounded scan.
pub const COUNT_CAP: i64 = 10_000;

/// How many disclosures match, up to [`COUNT_CAP`] + 1.
pub async fn count(db: &Db, f: &Filter, today: &str) -> Result<i64> {
    let (query, _) = filtered("SELECT 1 AS one FROM disclosures d", f, today);
    db.fetch_optional(query.wrap(
        "SELECT COUNT(*) AS n FROM (",
        &format!(" LIMIT {}) t", COUNT_CAP + 1),
    ))
    .await?
    .map(|r| r.get("n"))
    .transpose()
    .map(|n| n.unwrap_or(0))
}

/// The units that have public disclosures (for the register's unit filter).
pub async fn units_with_public(db: &Db) -> Result<Vec<(i64, String)>> {
    db.fetch_all(q(
        "SELECT id, name FROM units WHERE id IN (SELECT DISTINCT unit_id FROM disclosures WHERE public = 1)",
    ))
    .await?
    .iter()
    .map(|r| Ok((r.get("id")?, r.get("name")?)))
    .collect()
}

/// Disclosures by id (search results).
pub async fn by_ids(db: &Db, ids: &[i64]) -> Result<Vec<Disclosure>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    db.fetch_all(
        q(format!(
            "SELECT {COLS} FROM disclosures d JOIN units u ON u.id = d.unit_id WHERE d.id IN "
        ))
        .in_list(ids),
    )
    .await?
    .iter()
    .map(disclosure_row)
    .collect()
}

/// One recurring obligation of a unit and where it stands (R11).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Obligation {
    pub unit_id: i64,
    pub unit_name: String,
    pub category_id: i64,
    pub category: String,
    pub period: String,
    pub period_name: String,
    pub due_on: String,
    pub posted_on: String,
    pub status: Compliance,
    pub disclosure_id: Option<i64>,
}

/// The obligations of recurring categories for `units` in `year`, on `today`.
/// A unit that keeps a register, with the unit above it (a commune's district), as the
/// compliance views list and group them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RegisterUnit {
    pub id: i64,
    pub name: String,
    /// `UnitKind` code; decides the list it discloses under (R46).
    pub kind: String,
    pub parent_id: Option<i64>,
    pub parent: String,
}

/// The units in the subtrees of `roots` that keep a register of `scope` (`commune`, or
/// `agency` for agencies and public units; None: both), ordered by the unit above (name,
/// then id: two districts may share a name) then by name in Vietnamese order. With
/// `year` the units open at any time that year (a commune merged since still answers for
/// its past); without, the units open now.
pub async fn register_units(
    db: &Db,
    roots: &[i64],
    scope: Option<&str>,
    year: Option<i32>,
) -> Result<Vec<RegisterUnit>> {
    let mut ids = crate::units::subtrees(&mut db.clone(), roots).await?;
    ids.sort_unstable();
    ids.dedup();
    let kinds: Vec<&str> = match scope {
        Some(s) => danchu_core::disclosures::kinds_of(s).to_vec(),
        None => [
            danchu_core::disclosures::COMMUNE,
            danchu_core::disclosures::AGENCY,
        ]
        .iter()
        .flat_map(|s| danchu_core::disclosures::kinds_of(s).iter().copied())
        .collect(),
    };
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        let mut query = q("SELECT u.id, u.name, u.kind, u.parent_id, COALESCE(p.name, '') AS parent FROM units u LEFT JOIN units p ON p.id = u.parent_id WHERE ");
        query = match year {
            Some(y) => query
                .push("(u.valid_to IS NULL OR u.valid_to >= $1) AND (u.valid_from IS NULL OR u.valid_from <= $2)")
                .bind(format!("{y:04}-01-01"))
                .bind(format!("{y:04}-12-31")),
            None => query.push("u.valid_to IS NULL"),
        };
        let rows = db
            .fetch_all(
                query
                    .push(" AND u.kind IN ")
                    .in_list(&kinds)
                    .push(" AND u.id IN ")
                    .in_list(chunk),
            )
            .await?;
        for r in rows {
            out.push(RegisterUnit {
                id: r.get("id")?,
                name: r.get("name")?,
                kind: r.get("kind")?,
                parent_id: r.get("parent_id")?,
                parent: r.get("parent")?,
            });
        }
    }
    out.sort_by_cached_key(|u| {
        (
            danchu_core::text::vn_sort_key(&u.parent),
            u.parent_id,
            danchu_core::text::vn_sort_key(&u.name),
        )
    });
    Ok(out)
}

pub async fn obligations(
    db: &Db,
    units: &[RegisterUnit],
    year: i32,
    category_id: Option<i64>,
    today: &str,
) -> Result<Vec<Obligation>> {
    let today_d = parse_date(today).ok_or_else(|| DbError::Invalid("ngày không hợp lệ".into()))?;
    let cats: Vec<(i64, Category)> = categories(db)
        .await?
        .into_iter()
        .filter(|(id, c)| !c.every.is_empty() && category_id.is_none_or(|x| x == *id))
        .collect();
    if cats.is_empty() || units.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = units.iter().map(|u| u.id).collect();
    let mut rows = Vec::new();
    for chunk in ids.chunks(500) {
        rows.extend(
            db.fetch_all(
                q("SELECT id, unit_id, category_id, period, posted_on FROM disclosures WHERE posted_on <> '' AND posted_on <= $1 AND period LIKE $2 AND unit_id IN ")
                    .bind(today.to_string())
                    .bind(format!("{year}%"))
                    .in_list(chunk),
            )
            .await?,
        );
    }
    let mut posted: std::collections::BTreeMap<(i64, i64, String), (String, i64)> =
        std::collections::BTreeMap::new();
    for r in &rows {
        let period: String = r.get("period")?;
        // A period that does not read would match no obligation: the unit would show as
        // having missed it.
        crate::decode::code("disclosures.period", &period, DuePeriod::parse)?;
        let key = (
            r.get::<i64>("unit_id")?,
            r.get::<i64>("category_id")?,
            period,
        );
        let on: String = r.get("posted_on")?;
        let id: i64 = r.get("id")?;
        let e = posted.entry(key).or_insert((on.clone(), id));
        if on < e.0 {
            *e = (on, id);
        }
    }
    let mut out = Vec::new();
    for u in units {
        let (uid, uname) = (&u.id, &u.name);
        // R46: a unit owes the recurring items of its own list only.
        for (cid, c) in cats.iter().filter(|(_, c)| c.applies_to(&u.kind)) {
            for p in c.due_periods(year) {
                let Some(due) = c.due_on(&p) else { continue };
                let due_s = danchu_core::text::iso_date(due);
                if !c.valid_on(&due_s) {
                    continue;
                }
                let hit = posted.get(&(*uid, *cid, p.code()));
                let first = hit.and_then(|h| parse_date(&h.0));
                out.push(Obligation {
                    unit_id: *uid,
                    unit_name: uname.clone(),
                    category_id: *cid,
                    category: c.name.clone(),
                    period: p.code(),
                    period_name: p.name_vi(),
                    due_on: due_s,
                    posted_on: hit.map(|h| h.0.clone()).unwrap_or_default(),
                    status: danchu_core::disclosures::compliance(due, first, today_d),
                    disclosure_id: hit.map(|h| h.1),
                });
            }
        }
    }
    Ok(out)
}

/// A disclosure posted without every form its category requires (R7, R46).
#[derive(Debug, Clone, PartialEq)]
pub struct Unmet {
    pub disclosure_id: i64,
    pub unit_id: i64,
    pub missing: Vec<Channel>,
}

/// The forms recorded for a disclosure, as the checks read them.
pub fn used_channels(channels: &[ChannelUse]) -> Vec<danchu_core::disclosures::UsedChannel> {
    channels
        .iter()
        .map(|u| (u.channel, parse_date(&u.starts_on), parse_date(&u.ends_on)))
        .collect()
}

/// The disclosures of `units` first posted in `year`, optionally of one category, that
/// lack a required form or a long-enough broadcast (R7, R46) once the category's days to
/// post have passed (a broadcast may still be running before that).
pub async fn unmet_forms(
    db: &Db,
    units: &[i64],
    year: i32,
    category_id: Option<i64>,
    today: &str,
) -> Result<Vec<Unmet>> {
    let today_d = parse_date(today).ok_or_else(|| DbError::Invalid("ngày không hợp lệ".into()))?;
    let cats: std::collections::BTreeMap<i64, Category> =
        categories(db).await?.into_iter().collect();
    let quiet = without_loudspeakers(db, units).await?;
    let mut out = Vec::new();
    for chunk in units.chunks(500) {
        let mut query = q("SELECT id, unit_id, category_id, posted_on, forms_mask, broadcast_run FROM disclosures WHERE posted_on >= $1 AND posted_on <= $2")
            .bind(format!("{year:04}-01-01"))
            .bind(today.to_string().min(format!("{year:04}-12-31")));
        if let Some(c) = category_id {
            query = query.push(" AND category_id = $3").bind(c);
        }
        let rows = db
            .fetch_all(query.push(" AND unit_id IN ").in_list(chunk))
            .await?;
        for r in rows {
            let Some(c) = cats.get(&r.get::<i64>("category_id")?) else {
                continue;
            };
            // Still within the days to complete the forms: not (yet) a failure.
            let Some(posted) = parse_date(&r.get::<String>("posted_on")?) else {
                continue;
            };
            if posted + time::Duration::days(c.post_within_days.max(c.broadcast_days).max(0))
                >= today_d
            {
                continue;
            }
            let unit_id: i64 = r.get("unit_id")?;
            let used = danchu_core::disclosures::FormsUsed {
                mask: r.get("forms_mask")?,
                broadcast_run: r.get("broadcast_run")?,
            };
            let missing =
                danchu_core::disclosures::unmet_forms(c, &used, !quiet.contains(&unit_id));
            if !missing.is_empty() {
                out.push(Unmet {
                    disclosure_id: r.get("id")?,
                    unit_id,
                    missing,
                });
            }
        }
    }
    out.sort_by_key(|u| u.disclosure_id);
    Ok(out)
}

/// The units among `units` recorded as having no loudspeaker system (R7 "nếu có").
pub async fn without_loudspeakers(
    db: &Db,
    units: &[i64],
) -> Result<std::collections::BTreeSet<i64>> {
    let mut out = std::collections::BTreeSet::new();
    for chunk in units.chunks(500) {
        for r in db
            .fetch_all(
                q("SELECT unit_id FROM disclosure_unit_options WHERE no_loudspeaker = 1 AND unit_id IN ")
                    .in_list(chunk),
            )
            .await?
        {
            out.insert(r.get("unit_id")?);
        }
    }
    Ok(out)
}

/// Whether a commune has a loudspeaker system (R7: broadcasting is required "nếu có").
pub async fn has_loudspeakers(db: &Db, unit_id: i64) -> Result<bool> {
    Ok(without_loudspeakers(db, &[unit_id]).await?.is_empty())
}

/// Records whether a commune has a loudspeaker system (audited).
pub async fn set_loudspeakers(db: &Db, actor: &Actor, unit_id: i64, has: bool) -> Result<()> {
    let mut tx = db.begin().await?;
    let before = tx
        .fetch_optional(
            q("SELECT no_loudspeaker FROM disclosure_unit_options WHERE unit_id = $1")
                .bind(unit_id),
        )
        .await?
        .map(|r| r.get::<i64>("no_loudspeaker"))
        .transpose()?
        .is_none_or(|n| n == 0);
    if before == has {
        // Saved as it was: nothing to record.
        return Ok(());
    }
    tx.execute(
        q("INSERT INTO disclosure_unit_options (unit_id, no_loudspeaker, updated_by, updated_at) VALUES ($1, $2, $3, $4) ON CONFLICT (unit_id) DO UPDATE SET no_loudspeaker = $2, updated_by = $3, updated_at = $4")
            .bind(unit_id)
            .bind(if has { 0i64 } else { 1 })
            .bind(&actor.0)
            .bind(crate::now_s()),
    )
    .await?;
    let code: String = tx
        .fetch_optional(q("SELECT code FROM units WHERE id = $1").bind(unit_id))
        .await?
        .ok_or(DbError::NotFound)?
        .get("code")?;
    audit::append(
        &mut tx,
        actor,
        "unit.loudspeakers",
        "unit",
        &code,
        Some(&serde_json::json!({ "loudspeakers": before })),
        Some(&serde_json::json!({ "loudspeakers": has })),
    )
    .await?;
    tx.commit().await
}

/// The list (`commune` or `agency`) a unit discloses under; a unit of another kind (or
/// none) reads as a commune, which the posting checks refuse separately.
pub async fn unit_scope(e: &mut impl Exec, unit_id: i64) -> Result<&'static str> {
    Ok(unit_kind(e, unit_id)
        .await?
        .and_then(|k| danchu_core::disclosures::scope_of(&k))
        .unwrap_or(danchu_core::disclosures::COMMUNE))
}

/// How many disclosures a unit posted from `from` to `to` (`yyyy-mm-dd`, inclusive),
/// optionally in one category (by code) and only on time: a recurring one by its due date
/// (R10/R11); one posted as things happen counts as on time. For report indicators.
pub async fn posted_count(
    db: &Db,
    unit_id: i64,
    from: &str,
    to: &str,
    category: Option<&str>,
    on_time: bool,
) -> Result<i64> {
    let cats = categories(db).await?;
    let rows = db
        .fetch_all(
            q("SELECT category_id, period, posted_on FROM disclosures WHERE unit_id = $1 AND posted_on <> '' AND posted_on >= $2 AND posted_on <= $3")
                .bind(unit_id)
                .bind(from)
                .bind(to),
        )
        .await?;
    let mut n = 0;
    for r in rows {
        let cid: i64 = r.get("category_id")?;
        let Some((_, c)) = cats.iter().find(|c| c.0 == cid) else {
            continue;
        };
        if category.is_some_and(|code| code != c.code) {
            continue;
        }
        if on_time {
            let period: String = r.get("period")?;
            let posted: String = r.get("posted_on")?;
            // Empty for a disclosure posted as things happen (on time by definition).
            let due = crate::decode::optional("disclosures.period", &period, DuePeriod::parse)?
                .and_then(|p| c.due_on(&p));
            if let (Some(due), Some(posted)) = (due, parse_date(&posted)) {
                if posted > due {
                    continue;
                }
            }
        }
        n += 1;
    }
    Ok(n)
}
