//! What the disclosure API sends: its own structs, each field copied from the data layer
//! explicitly. Staff accounts (who typed a version) are never part of the open data.

use danchu_core::disclosures::{Channel, Compliance, Every, HouseholdMethod};
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::common::FileBody;
use crate::api::paging::PageInfo;

/// A day as the open data always gave it: `yyyy-mm-dd`, or empty for none.
fn day_text(d: Option<time::Date>) -> String {
    d.map(danchu_core::text::iso_date).unwrap_or_default()
}

/// A disclosure of the public register.
#[derive(Debug, Serialize, ToSchema)]
pub struct DisclosureOut {
    pub id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    pub category_id: i64,
    /// Period code (`2023-Q3`) of a recurring disclosure, or empty.
    pub period: String,
    pub title: String,
    /// The current version, from 1.
    pub version: i64,
    /// First day posted, `yyyy-mm-dd`.
    pub posted_on: String,
    /// `yyyy-mm-dd`, empty while posted.
    pub taken_down_on: String,
    pub takedown_reason: String,
    /// Published on the portal (always true in the open data).
    pub public: bool,
    /// Relative address of its public page.
    pub url: String,
}

impl From<&danchu_db::disclosures::Disclosure> for DisclosureOut {
    fn from(d: &danchu_db::disclosures::Disclosure) -> Self {
        DisclosureOut {
            id: d.id,
            unit_id: d.unit_id,
            unit_name: d.unit_name.clone(),
            category_id: d.category_id,
            period: d.period.clone(),
            title: d.title.clone(),
            version: d.version,
            posted_on: day_text(d.posted_on),
            taken_down_on: day_text(d.taken_down_on),
            takedown_reason: d.takedown_reason.clone(),
            public: d.public,
            url: format!("/cong-khai/{}", d.id),
        }
    }
}

/// A page of the public register (50 a page).
#[derive(Debug, Serialize, ToSchema)]
pub struct DisclosureList {
    /// Counts stop at a cap: `true` means "more than `total`".
    pub total_capped: bool,
    pub items: Vec<DisclosureOut>,
    #[serde(flatten)]
    pub page: PageInfo,
}

/// A category of the register (an item of Law 10/2022 Đ11, or of an agency's list).
#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryOut {
    /// Stable code (`d11-02`).
    pub code: String,
    /// `commune` or `agency`.
    pub scope: String,
    /// Item number in its list.
    pub item: i64,
    pub name: String,
    /// Forms the law requires for it (R7/R46).
    pub channels: Vec<Channel>,
    /// Minimum posting duration in days (R10).
    pub min_days: i64,
    /// Minimum consecutive broadcast days (R7), 0 when not required.
    pub broadcast_days: i64,
    /// How often it recurs (R11); empty when disclosed as things happen.
    pub every: Vec<Every>,
    /// Days after a period ends by which it must be posted.
    pub post_within_days: i64,
    /// Validity, `yyyy-mm-dd` (empty: open).
    pub valid_from: String,
    pub valid_to: String,
}

impl From<&danchu_core::disclosures::Category> for CategoryOut {
    fn from(c: &danchu_core::disclosures::Category) -> Self {
        CategoryOut {
            code: c.code.clone(),
            scope: c.scope.clone(),
            item: c.item,
            name: c.name.clone(),
            channels: c.channels.clone(),
            min_days: c.min_days,
            broadcast_days: c.broadcast_days,
            every: c.every.clone(),
            post_within_days: c.post_within_days,
            valid_from: c.valid_from.clone(),
            valid_to: c.valid_to.clone(),
        }
    }
}

/// A category with its id.
#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryEntry {
    pub id: i64,
    pub category: CategoryOut,
}

/// Every category of both lists: fixed by law (14 items of Đ11 and 8 of the agencies'
/// list), so the list is short and not paged.
#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryList {
    pub categories: Vec<CategoryEntry>,
}

/// One version of a disclosure.
#[derive(Debug, Serialize, ToSchema)]
pub struct DisclosureVersion {
    pub version: i64,
    pub title: String,
    /// Sanitised HTML.
    pub body: String,
    /// What the correction changed (empty for version 1).
    pub change_note: String,
    /// Unix seconds.
    pub created_at: i64,
}

/// A head of thôn / tổ dân phố who received it and how the households were told (R8).
#[derive(Debug, Serialize, ToSchema)]
pub struct HeadNoticeOut {
    pub hamlet: String,
    pub head_name: String,
    /// `yyyy-mm-dd`.
    pub notified_on: String,
    pub method: HouseholdMethod,
    /// `yyyy-mm-dd`, empty until done.
    pub told_on: String,
}

impl From<&danchu_core::disclosures::HeadNotice> for HeadNoticeOut {
    fn from(n: &danchu_core::disclosures::HeadNotice) -> Self {
        HeadNoticeOut {
            hamlet: n.hamlet.clone(),
            head_name: n.head_name.clone(),
            notified_on: danchu_core::text::iso_date(n.notified_on),
            method: n.method,
            told_on: n.told_on.clone(),
        }
    }
}

/// A form used to disclose, with its dates and evidence.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChannelOut {
    pub channel: Channel,
    /// The form's Vietnamese name.
    pub name: String,
    /// `yyyy-mm-dd`.
    pub starts_on: String,
    /// `yyyy-mm-dd`, empty while still posted.
    pub ends_on: String,
    pub evidence: String,
    pub files: Vec<FileBody>,
    /// R8, for the form "through the heads of thôn".
    pub heads_notified: Vec<HeadNoticeOut>,
}

/// A document the disclosure refers to.
#[derive(Debug, Serialize, ToSchema)]
pub struct LinkedDocument {
    pub id: i64,
    pub number: String,
    pub summary: String,
    pub url: String,
}

/// A disclosure with all its versions, forms, evidence and documents.
#[derive(Debug, Serialize, ToSchema)]
pub struct DisclosureDetail {
    pub disclosure: DisclosureOut,
    pub category: Option<CategoryOut>,
    /// R10: days of the minimum posting period still to run (`null` once taken down).
    pub posting_days_remaining: Option<i64>,
    pub versions: Vec<DisclosureVersion>,
    pub channels: Vec<ChannelOut>,
    pub files: Vec<FileBody>,
    pub documents: Vec<LinkedDocument>,
}

/// A unit's compliance with its disclosure obligations in the year.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnitComplianceOut {
    pub unit_id: i64,
    pub unit_name: String,
    /// The unit above (a commune's district).
    pub parent: String,
    /// Obligations due so far, and how each went.
    pub due: i64,
    pub on_time: i64,
    pub late: i64,
    pub missing: i64,
    pub upcoming: i64,
    /// Disclosures posted now.
    pub current: i64,
    /// Taken down before their minimum period (R10).
    pub short: i64,
    /// Posted this year without every required form (R7).
    pub unmet_forms: i64,
}

/// One recurring obligation of a unit and where it stands (R11).
#[derive(Debug, Serialize, ToSchema)]
pub struct ObligationOut {
    pub unit_id: i64,
    pub category_id: i64,
    /// `2023-Q3`, `2023-H1`, `2023`.
    pub period: String,
    pub period_name: String,
    /// `yyyy-mm-dd`.
    pub due_on: String,
    /// `yyyy-mm-dd`, empty when not posted.
    pub posted_on: String,
    pub status: Compliance,
    pub disclosure_id: Option<i64>,
}

impl From<&danchu_db::disclosures::Obligation> for ObligationOut {
    fn from(o: &danchu_db::disclosures::Obligation) -> Self {
        ObligationOut {
            unit_id: o.unit_id,
            category_id: o.category_id,
            period: o.period.clone(),
            period_name: o.period_name.clone(),
            due_on: danchu_core::text::iso_date(o.due_on),
            posted_on: day_text(o.posted_on),
            status: o.status,
            disclosure_id: o.disclosure_id,
        }
    }
}

/// A disclosure posted without every required form (R7, R46).
#[derive(Debug, Serialize, ToSchema)]
pub struct UnmetOut {
    pub disclosure_id: i64,
    pub unit_id: i64,
    /// The forms missing.
    pub missing: Vec<Channel>,
}

/// The compliance of a page of the units in the caller's scope (100 a page), with the
/// obligations and the disclosures lacking a form of those units.
#[derive(Debug, Serialize, ToSchema)]
pub struct ComplianceOut {
    pub year: i32,
    /// `commune` or `agency`.
    pub scope: String,
    pub units: Vec<UnitComplianceOut>,
    pub obligations: Vec<ObligationOut>,
    pub unmet_forms: Vec<UnmetOut>,
    #[serde(flatten)]
    pub page: PageInfo,
}

impl From<&danchu_db::disclosures::ChannelUse> for ChannelOut {
    fn from(c: &danchu_db::disclosures::ChannelUse) -> Self {
        ChannelOut {
            channel: c.channel,
            name: c.channel.name_vi().to_string(),
            starts_on: danchu_core::text::iso_date(c.starts_on),
            ends_on: day_text(c.ends_on),
            evidence: c.evidence.clone(),
            files: c.files.iter().map(FileBody::from).collect(),
            heads_notified: c.notices.iter().map(HeadNoticeOut::from).collect(),
        }
    }
}

impl From<&danchu_db::documents::Document> for LinkedDocument {
    fn from(doc: &danchu_db::documents::Document) -> Self {
        LinkedDocument {
            id: doc.id,
            number: doc.number.clone(),
            summary: doc.summary.clone(),
            url: format!("/van-ban/{}", doc.id),
        }
    }
}

/// Without who typed each version: the public page does not show staff accounts either.
impl From<&danchu_db::disclosures::Version> for DisclosureVersion {
    fn from(v: &danchu_db::disclosures::Version) -> Self {
        DisclosureVersion {
            version: v.version,
            title: v.title.clone(),
            body: v.body.clone(),
            change_note: v.change_note.clone(),
            created_at: v.created_at,
        }
    }
}
