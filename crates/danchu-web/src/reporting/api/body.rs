//! What the reporting API sends and receives: its own structs, each field copied from the
//! data layer explicitly. Report templates (`TemplateBody`), answers (`Value`) and
//! statuses are the public formats of `danchu_core::reporting`, described from their
//! own serde definitions.

use std::collections::BTreeMap;

use danchu_core::reporting::{Aggregation, Status, TemplateBody, Value};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::paging::PageInfo;

/// A checked answer (the alias lets the document name the type: a bare `Value` would be
/// read as any JSON).
type Answer = Value;

/// Most units one round may ask to report.
pub const MAX_ROUND_UNITS: usize = 1000;

/// A version of a report template.
#[derive(Debug, Serialize, ToSchema)]
pub struct TemplateOut {
    pub id: i64,
    /// The template across its versions.
    pub family_id: i64,
    pub version: i64,
    pub name: String,
    pub body: TemplateBody,
    /// The unit that owns it (Phòng Nội vụ).
    pub unit_id: i64,
}

impl From<&danchu_db::reporting::Template> for TemplateOut {
    fn from(t: &danchu_db::reporting::Template) -> Self {
        TemplateOut {
            id: t.id,
            family_id: t.family_id,
            version: t.version,
            name: t.name.clone(),
            body: t.body.clone(),
            unit_id: t.unit_id,
        }
    }
}

/// A page of the templates the caller manages (latest versions, by name).
#[derive(Debug, Serialize, ToSchema)]
pub struct TemplateList {
    pub templates: Vec<TemplateOut>,
    #[serde(flatten)]
    pub page: PageInfo,
}

/// One template version created.
#[derive(Debug, Serialize, ToSchema)]
pub struct TemplateCreated {
    pub template: TemplateOut,
}

/// A report round: a template version, a period and its cut-off, a deadline.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoundOut {
    pub id: i64,
    pub template_id: i64,
    /// The unit that opened it.
    pub unit_id: i64,
    pub title: String,
    /// `monthly`, `quarterly`, `half_year`, `nine_months`, `annual` or `ad_hoc`.
    pub frequency: String,
    /// Period code (`2024-Q1`); empty for an ad hoc round.
    pub period: String,
    /// Data cut-off, `yyyy-mm-dd`.
    pub cutoff_from: String,
    pub cutoff_to: String,
    /// `yyyy-mm-dd`.
    pub deadline: String,
    /// How many units must report (the units themselves: the round's `dashboard`).
    pub unit_count: i64,
}

impl From<&danchu_db::reporting::Round> for RoundOut {
    fn from(r: &danchu_db::reporting::Round) -> Self {
        RoundOut {
            id: r.id,
            template_id: r.template_id,
            unit_id: r.unit_id,
            title: r.title.clone(),
            frequency: r.frequency.code().to_string(),
            period: r.period.clone(),
            cutoff_from: danchu_core::text::iso_date(r.cutoff_from),
            cutoff_to: danchu_core::text::iso_date(r.cutoff_to),
            deadline: danchu_core::text::iso_date(r.deadline),
            unit_count: r.units.len() as i64,
        }
    }
}

/// A unit the caller reports for in a round, and where its report stands.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyUnit {
    pub unit_id: i64,
    /// `null`: nothing saved yet.
    pub status: Option<Status>,
}

/// A round as the caller sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoundEntry {
    pub round: RoundOut,
    /// The caller manages the round (Phòng Nội vụ).
    pub manages: bool,
    /// The caller's own units in it (when it does not manage it).
    pub my_units: Vec<MyUnit>,
}

/// A page of the rounds the caller manages or reports in, latest deadline first.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoundList {
    pub rounds: Vec<RoundEntry>,
    #[serde(flatten)]
    pub page: PageInfo,
}

/// One round opened.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoundCreated {
    pub round: RoundOut,
}

/// Where one unit's report stands.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnitStateOut {
    pub unit_id: i64,
    pub unit_name: String,
    /// `null`: nothing saved yet.
    pub status: Option<Status>,
    /// Submitted after the deadline, or still missing after it.
    pub late: bool,
}

impl From<&danchu_db::reporting::UnitState> for UnitStateOut {
    fn from(u: &danchu_db::reporting::UnitState) -> Self {
        UnitStateOut {
            unit_id: u.unit_id,
            unit_name: u.unit_name.clone(),
            status: u.status,
            late: u.late,
        }
    }
}

/// A page of the round's units (Vietnamese name order) with where each report stands.
#[derive(Debug, Serialize, ToSchema)]
pub struct Dashboard {
    pub units: Vec<UnitStateOut>,
    #[serde(flatten)]
    pub page: PageInfo,
}

/// A round with its template, and for Phòng Nội vụ a page of its units.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoundDetail {
    pub round: RoundOut,
    pub template: TemplateOut,
    /// Only for the round's managers; `null` for a reporting unit.
    pub dashboard: Option<Dashboard>,
}

/// One unit's report for a round.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubmissionOut {
    pub id: i64,
    pub round_id: i64,
    pub unit_id: i64,
    pub status: Status,
    /// Each field as typed (a table cell as `code.row.column`).
    pub typed: BTreeMap<String, String>,
    /// The answers read from what was typed, by indicator code.
    pub answers: BTreeMap<String, Answer>,
    /// Submitted versions so far.
    pub version: i64,
    /// Unix seconds.
    pub submitted_at: Option<i64>,
    /// Why it was returned, if it was.
    pub reason: String,
}

impl From<&danchu_db::reporting::Submission> for SubmissionOut {
    fn from(s: &danchu_db::reporting::Submission) -> Self {
        SubmissionOut {
            id: s.id,
            round_id: s.round_id,
            unit_id: s.unit_id,
            status: s.status,
            typed: s.typed.clone(),
            answers: s.answers.clone(),
            version: s.version,
            submitted_at: s.submitted_at,
            reason: s.reason.clone(),
        }
    }
}

/// A submitted version of a report.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportVersion {
    pub version: i64,
    pub answers: BTreeMap<String, Answer>,
}

/// A unit's report with every version it submitted (each new version follows a return by
/// Phòng Nội vụ, so they are few).
#[derive(Debug, Serialize, ToSchema)]
pub struct SubmissionDetail {
    /// `null`: nothing saved yet.
    pub submission: Option<SubmissionOut>,
    pub versions: Vec<ReportVersion>,
}

/// A report saved or submitted.
#[derive(Debug, Serialize, ToSchema)]
pub struct Saved {
    pub submission: SubmissionOut,
    /// What would stop a draft from being submitted (by field), empty when nothing.
    pub problems: Vec<crate::api::error::FieldErrorBody>,
}

/// A report accepted or returned.
#[derive(Debug, Serialize, ToSchema)]
pub struct Decided {
    pub submission: SubmissionOut,
}

/// The combined answer of the units for one indicator.
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum TotalOut {
    Number(f64),
    Count(i64),
    /// (unit name, text) pairs.
    Texts(Vec<(String, String)>),
    /// (unit name, row by column code) pairs.
    Rows(Vec<(String, BTreeMap<String, Answer>)>),
    /// Nobody answered.
    Empty,
}

impl From<&danchu_core::reporting::Aggregate> for TotalOut {
    fn from(a: &danchu_core::reporting::Aggregate) -> Self {
        use danchu_core::reporting::Aggregate as A;
        match a {
            A::Number(x) => TotalOut::Number(*x),
            A::Count(n) => TotalOut::Count(*n),
            A::Texts(t) => TotalOut::Texts(t.clone()),
            A::Rows(r) => TotalOut::Rows(r.clone()),
            A::Empty => TotalOut::Empty,
        }
    }
}

/// One indicator consolidated.
#[derive(Debug, Serialize, ToSchema)]
pub struct TotalLine {
    pub code: String,
    pub label: String,
    /// Unit of measure.
    pub unit: String,
    pub aggregation: Aggregation,
    pub total: TotalOut,
    /// As shown in tables and exports (`1.414`, `12,5`).
    pub shown: String,
}

/// One unit's answers in the consolidation.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnitAnswers {
    /// The unit's name.
    pub unit: String,
    /// By indicator code: each a `Value`, or `null` where it did not answer.
    #[schema(value_type = Object)]
    pub answers: BTreeMap<String, Option<Answer>>,
}

/// A round consolidated: every indicator's total over the reports taken in, and a page of
/// the units' answers.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsolidationOut {
    pub round: RoundOut,
    pub totals: Vec<TotalLine>,
    pub units: Vec<UnitAnswers>,
    #[serde(flatten)]
    pub page: PageInfo,
}

/// A new report template (version 1).
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewTemplate {
    /// The unit that will own it (the caller must manage reports there).
    pub unit_id: i64,
    pub name: String,
    pub body: TemplateBody,
}

/// The next version of a template.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewVersion {
    pub name: String,
    pub body: TemplateBody,
}

/// A round to open.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewRound {
    /// The template version (its id, as a number or as text).
    #[serde(default, deserialize_with = "id_or_text")]
    #[schema(value_type = i64)]
    pub template_id: String,
    #[serde(default)]
    pub title: String,
    /// Period code (`2024-03`, `2024-Q1`, `2024-H1`, `2024-H2`, `2024-9M`, `2024`); empty
    /// for an ad hoc round, which then needs its cut-off dates.
    #[serde(default)]
    pub period: String,
    /// Data cut-off (`dd/mm/yyyy` or `yyyy-mm-dd`); the period's default (R30) when left out.
    #[serde(default)]
    pub cutoff_from: String,
    #[serde(default)]
    pub cutoff_to: String,
    /// `dd/mm/yyyy` or `yyyy-mm-dd`.
    #[serde(default)]
    pub deadline: String,
    /// The units that must report (at most 1000).
    #[serde(default)]
    #[schema(max_items = 1000)]
    pub units: Vec<i64>,
}

/// A report to save as a draft or submit.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SaveBody {
    /// Indicator code → a number, a text, `true`/`false`, or for a table a list of rows
    /// (at most 200), each an object of column codes. A text is at most 4.000 characters.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub answers: serde_json::Map<String, serde_json::Value>,
    /// Submit (true) or only save a draft (false).
    #[serde(default)]
    pub submit: bool,
}

/// Accept or return a submitted report.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DecideBody {
    /// `accept` or `return`.
    #[schema(pattern = "^(accept|return)$")]
    pub step: String,
    /// Why it is returned (required to return; at most 2.000 characters).
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub reason: String,
}

/// An id sent as a number or as text (forms send text), read as text.
fn id_or_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum IdOrText {
        Id(i64),
        Text(String),
    }
    Ok(match IdOrText::deserialize(d)? {
        IdOrText::Id(n) => n.to_string(),
        IdOrText::Text(s) => s,
    })
}
