//! Report rounds: a template version, a period, a deadline and the units that report.

use danchu_core::reporting::Period;
use serde::Serialize;

use super::templates::{template_in, Template};
use crate::audit::{self, Actor};
use crate::decode::col;
use crate::exec::{q, row_struct, Db, DbError, Exec, Result};

row_struct! {
    /// A report round: a template version, a period and its cut-off, a deadline, the units.
    #[derive(Debug, Clone, Serialize, PartialEq)]
    pub struct Round {
        pub id: i64,
        pub template_id: i64,
        pub unit_id: i64,
        pub title: String,
        pub frequency: danchu_core::reporting::Frequency = col::code("report_rounds.frequency", danchu_core::reporting::Frequency::parse),
        /// Period code; empty for an ad hoc round.
        pub period: String = col::optional_code("report_rounds.period", Period::parse),
        #[serde(serialize_with = "crate::decode::day_text::required")]
        pub cutoff_from: time::Date = col::required_day("cutoff_from"),
        #[serde(serialize_with = "crate::decode::day_text::required")]
        pub cutoff_to: time::Date = col::required_day("cutoff_to"),
        #[serde(serialize_with = "crate::decode::day_text::required")]
        pub deadline: time::Date = col::required_day("deadline"),
        pub units: Vec<i64> = col::later,
    }
}

/// A round as typed (see [`danchu_core::reporting::RoundDraft`]); it is checked once, by
/// [`create_round`].
pub use danchu_core::reporting::RoundDraft as NewRound;

/// Opens a round (audited), after the one check of what was typed (R29, R30): refused
/// with the errors by field.
pub async fn create_round(db: &Db, actor: &Actor, n: &NewRound) -> Result<Round> {
    let n = danchu_core::reporting::check_round(n).map_err(DbError::Refused)?;
    let (from, to) = n.cutoff;
    let mut tx = db.begin().await?;
    let id: i64 = tx
        .fetch_scalar(
            q("INSERT INTO report_rounds (template_id, unit_id, title, frequency, period, cutoff_from, cutoff_to, deadline, created_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id")
                .bind(n.template_id)
                .bind(n.unit_id)
                .bind(&n.title)
                .bind(n.frequency.code())
                .bind(n.period.map(|p| p.code()).unwrap_or_default())
                .bind(from)
                .bind(to)
                .bind(n.deadline)
                .bind(crate::now_s()),
        ).await?.ok_or(DbError::NotFound)?;
    crate::exec::link_all(
        &mut tx,
        ("report_round_units", "round_id", "unit_id"),
        id,
        &n.units,
    )
    .await?;
    let r = round_in(&mut tx, id).await?;
    audit::record(audit::action::REPORT_ROUND_CREATE, "report_round", id)
        .after(&mut tx, actor, &r)
        .await?;
    tx.commit().await?;
    Ok(r)
}

const ROUND_COLS: &str =
    "id, template_id, unit_id, title, frequency, period, cutoff_from, cutoff_to, deadline";

pub(super) async fn round_in(e: &mut impl Exec, id: i64) -> Result<Round> {
    let mut round: Round = e
        .fetch_optional_as(
            q(format!(
                "SELECT {ROUND_COLS} FROM report_rounds WHERE id = $1"
            ))
            .bind(id),
        )
        .await?
        .ok_or(DbError::NotFound)?;
    round.units = e
        .fetch_scalars(
            q("SELECT unit_id FROM report_round_units WHERE round_id = $1 ORDER BY unit_id")
                .bind(id),
        )
        .await?;
    Ok(round)
}

/// Every round, newest first.
pub async fn rounds(db: &Db) -> Result<Vec<Round>> {
    let mut rounds: Vec<Round> = db
        .fetch_all_as(q(format!(
            "SELECT {ROUND_COLS} FROM report_rounds ORDER BY deadline DESC, id DESC"
        )))
        .await?;
    let pairs: Vec<(i64, i64)> = db
        .fetch_all_as(q(
            "SELECT round_id, unit_id FROM report_round_units ORDER BY round_id, unit_id",
        ))
        .await?;
    let mut units: std::collections::HashMap<i64, Vec<i64>> = std::collections::HashMap::new();
    for (round, unit) in pairs {
        units.entry(round).or_default().push(unit);
    }
    for r in &mut rounds {
        r.units = units.remove(&r.id).unwrap_or_default();
    }
    Ok(rounds)
}

/// One round with its template version.
pub async fn round(db: &Db, id: i64) -> Result<Option<(Round, Template)>> {
    let mut e = db.clone();
    let r = match round_in(&mut e, id).await {
        Ok(r) => r,
        Err(DbError::NotFound) => return Ok(None),
        Err(e) => return Err(e),
    };
    let t = template_in(&mut e, r.template_id).await?;
    Ok(Some((r, t)))
}

/// The round of the same template (any version) and office for the same period one year
/// earlier ("cùng kỳ năm trước"), if there is one.
pub async fn same_period_last_year(db: &Db, round: &Round) -> Result<Option<i64>> {
    let Some(period) = Period::parse(&round.period) else {
        return Ok(None);
    };
    db.fetch_scalar(
        q(
            "SELECT r.id AS id FROM report_rounds r JOIN report_templates t ON t.id = r.template_id
           WHERE t.family_id = (SELECT family_id FROM report_templates WHERE id = $1)
             AND r.period = $2 AND r.unit_id = $3
           ORDER BY r.id DESC LIMIT 1",
        )
        .bind(round.template_id)
        .bind(period.a_year_before().code())
        .bind(round.unit_id),
    )
    .await
}
