//! The round dashboard, the consolidation, and the values danchu's own data gives
//! indicators.

use std::collections::BTreeMap;

use danchu_core::reporting::{aggregate, Aggregate, Indicator, Status, Value};
use serde::Serialize;

use super::rounds::round_in;
use super::templates::template_in;
use crate::decode::col;
use crate::exec::{q, row_struct, Db, Result};

/// One line of a round's dashboard.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct UnitState {
    pub unit_id: i64,
    pub unit_name: String,
    /// `None`: nothing submitted or saved yet.
    pub status: Option<Status>,
    /// Submitted after the deadline, or still missing after it.
    pub late: bool,
}

row_struct! {
    /// A unit of a round and its report, if any ([`dashboard`]).
    struct Line {
        unit_id: i64,
        name: String,
        /// No row: nothing saved yet. A row with an unknown status is not "nothing yet".
        status: Option<Status> = col::nullable_code("report_submissions.status", Status::parse),
        submitted_at: Option<i64>,
    }
}

/// Every unit of a round with where its report stands, in Vietnamese name order. `today`
/// is in Vietnam time.
pub async fn dashboard(db: &Db, round_id: i64, today: time::Date) -> Result<Vec<UnitState>> {
    let round = round_in(&mut db.clone(), round_id).await?;
    let rows: Vec<Line> = db
        .fetch_all_as(
            q("SELECT u.id AS unit_id, u.name AS name, s.status AS status, s.submitted_at AS submitted_at
               FROM report_round_units ru JOIN units u ON u.id = ru.unit_id
               LEFT JOIN report_submissions s ON s.round_id = ru.round_id AND s.unit_id = ru.unit_id
               WHERE ru.round_id = $1")
                .bind(round_id),
        )
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let sent_on = match (r.status, r.submitted_at) {
            (Some(Status::Submitted | Status::Accepted | Status::Returned), Some(at)) => {
                danchu_core::text::parse_date(&danchu_core::text::iso_date_vn(at))
            }
            _ => None,
        };
        let late = danchu_core::reporting::is_late(sent_on, round.deadline, today);
        out.push(UnitState {
            unit_id: r.unit_id,
            unit_name: r.name,
            status: r.status,
            late,
        });
    }
    out.sort_by_cached_key(|u| danchu_core::text::vn_sort_key(&u.unit_name));
    Ok(out)
}

/// A round consolidated: each indicator aggregated by its rule, and the unit-by-indicator
/// matrix (units in Vietnamese name order).
#[derive(Debug, Clone, Serialize)]
pub struct Consolidation {
    pub indicators: Vec<Indicator>,
    pub totals: Vec<Aggregate>,
    /// (unit name, its answer per indicator).
    pub matrix: Vec<(String, Vec<Option<Value>>)>,
}

row_struct! {
    /// A unit's report as the consolidation reads it.
    struct Report {
        name: String,
        status: Status = col::code("report_submissions.status", Status::parse),
        /// Read only for the reports counted.
        answers: String,
    }
}

/// Consolidates the accepted reports of a round (and the submitted ones too when
/// `include_submitted`).
pub async fn consolidate(db: &Db, round_id: i64, include_submitted: bool) -> Result<Consolidation> {
    let mut e = db.clone();
    let round = round_in(&mut e, round_id).await?;
    let template = template_in(&mut e, round.template_id).await?;
    // Every report of the round, its status read here rather than filtered in SQL: a
    // report whose status is unknown must not silently drop out of the totals.
    let rows: Vec<Report> = db
        .fetch_all_as(
            q("SELECT u.name AS name, s.status AS status, s.answers AS answers FROM report_submissions s JOIN units u ON u.id = s.unit_id
               WHERE s.round_id = $1")
                .bind(round_id),
        )
        .await?;
    let mut units: Vec<(String, BTreeMap<String, Value>)> = Vec::with_capacity(rows.len());
    for r in rows {
        let counted = match r.status {
            Status::Accepted => true,
            Status::Submitted => include_submitted,
            Status::Draft | Status::Returned => false,
        };
        if counted {
            let answers = crate::decode::json("report_submissions.answers", &r.answers)?;
            units.push((r.name, answers));
        }
    }
    units.sort_by_cached_key(|(n, _)| danchu_core::text::vn_sort_key(n));
    let indicators = template.body.indicators();
    let totals = indicators
        .iter()
        .map(|i| {
            let answers: Vec<(String, Value)> = units
                .iter()
                .filter_map(|(n, a)| a.get(&i.code).map(|v| (n.clone(), v.clone())))
                .collect();
            aggregate(i.aggregation, &answers)
        })
        .collect();
    let matrix = units
        .iter()
        .map(|(n, a)| {
            (
                n.clone(),
                indicators.iter().map(|i| a.get(&i.code).cloned()).collect(),
            )
        })
        .collect();
    Ok(Consolidation {
        indicators,
        totals,
        matrix,
    })
}

/// The value danchu's own data gives an indicator for a unit and a cut-off range
/// (`yyyy-mm-dd`, both days included, Vietnam time).
pub async fn source_value(
    db: &Db,
    source: &danchu_core::reporting::Source,
    unit_id: i64,
    from: &str,
    to: &str,
) -> Result<i64> {
    let start = danchu_core::text::day_start_vn;
    let (Some(from), Some(to)) = (start(from), start(to)) else {
        return Ok(0);
    };
    match source {
        danchu_core::reporting::Source::ArticlesPublished { category } => db
            .fetch_scalar(
                q("SELECT COUNT(*) AS n FROM articles a LEFT JOIN categories c ON c.id = a.category_id
                   WHERE a.unit_id = $1 AND a.status = 'published' AND a.published_at >= $2 AND a.published_at < $3
                     AND ($4 IS NULL OR c.slug = $4)")
                    .bind(unit_id)
                    .bind(from)
                    .bind(to + 86_400)
                    .bind(category.clone()),
            ).await
            .map(|n| n.unwrap_or(0)),
        danchu_core::reporting::Source::DisclosuresPosted { category, on_time } => {
            let (from, to) = (
                danchu_core::text::iso_date_vn(from),
                danchu_core::text::iso_date_vn(to),
            );
            crate::disclosures::posted_count(db, unit_id, &from, &to, category.as_deref(), *on_time)
                .await
        }
    }
}
