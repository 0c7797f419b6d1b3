//! The compliance dashboard (R10, R11, R7): per unit, a year's obligations and where they
//! stand, what is posted now, what was taken down before its minimum, and the forms left
//! unmet. Read by the admin dashboard, its XLSX export and the API.

use std::collections::BTreeMap;

use danchu_core::disclosures::{Category, Compliance};
use time::Date;

use super::categories::categories;
use super::compliance::{
    obligations, unmet_forms, Obligation, Posting, RegisterUnit, Unmet, POSTING_COLS,
};
use crate::exec::{q, Db, Result};

/// Per unit over a year's obligations (R10/R11), for the compliance dashboard.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UnitCompliance {
    pub unit_id: i64,
    pub unit_name: String,
    /// The unit above (a commune's district), for grouping.
    pub parent: String,
    pub parent_id: Option<i64>,
    pub due: usize,
    pub on_time: usize,
    pub late: usize,
    pub missing: usize,
    pub upcoming: usize,
    /// Disclosures posted now.
    pub current: usize,
    /// Taken down before their minimum period (R10).
    pub short: usize,
    /// Posted this year without every required form or a long-enough broadcast (R7).
    pub unmet: usize,
}

/// What the dashboard shows: each unit's figures (in the order of the units asked for:
/// by the unit above, then by name), with the obligations and the unmet forms behind
/// them.
pub type Dashboard = (Vec<UnitCompliance>, Vec<Obligation>, Vec<Unmet>);

/// The year's compliance of each of `units`: obligations of recurring categories, what
/// is posted now, and what was taken down before its minimum; optionally of one
/// category. A category of the other list (left in the query after switching lists) is
/// ignored.
pub async fn unit_compliance(
    db: &Db,
    units: &[RegisterUnit],
    year: i32,
    category: Option<i64>,
    today: Date,
) -> Result<Dashboard> {
    let cats = categories(db).await?;
    let category = category.filter(|id| {
        cats.iter()
            .any(|(cid, c)| cid == id && units.iter().any(|u| c.applies_to(&u.kind)))
    });
    let obligations = obligations(db, units, year, category, today).await?;
    let mut by_unit: BTreeMap<i64, UnitCompliance> = units
        .iter()
        .map(|u| {
            (
                u.id,
                UnitCompliance {
                    unit_id: u.id,
                    unit_name: u.name.clone(),
                    parent: u.parent.clone(),
                    parent_id: u.parent_id,
                    ..Default::default()
                },
            )
        })
        .collect();
    count_obligations(&mut by_unit, &obligations);
    let ids: Vec<i64> = units.iter().map(|u| u.id).collect();
    let posted = postings_of_year(db, &ids, year, today).await?;
    count_postings(&mut by_unit, &posted, category, &cats, today);
    let unmet = unmet_forms(db, &ids, year, category, today).await?;
    for u in &unmet {
        if let Some(c) = by_unit.get_mut(&u.unit_id) {
            c.unmet += 1;
        }
    }
    // In the order of `units`: by the unit above, then by name.
    let list = units.iter().filter_map(|u| by_unit.remove(&u.id)).collect();
    Ok((list, obligations, unmet))
}

/// Adds each obligation to its unit's figures by where it stands.
fn count_obligations(by_unit: &mut BTreeMap<i64, UnitCompliance>, obligations: &[Obligation]) {
    for o in obligations {
        if let Some(u) = by_unit.get_mut(&o.unit_id) {
            match o.status {
                Compliance::OnTime => u.on_time += 1,
                Compliance::Late => u.late += 1,
                Compliance::Missing => u.missing += 1,
                Compliance::Upcoming => u.upcoming += 1,
            }
            if o.status != Compliance::Upcoming {
                u.due += 1;
            }
        }
    }
}

/// The disclosures of `ids` posted by `today` and still up at some time in `year`.
async fn postings_of_year(db: &Db, ids: &[i64], year: i32, today: Date) -> Result<Vec<Posting>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        out.extend(
            db.fetch_all_as::<Posting>(
                q(format!("SELECT {POSTING_COLS} FROM disclosures WHERE posted_on <> '' AND posted_on <= $1 AND (taken_down_on = '' OR taken_down_on >= $2) AND unit_id IN "))
                    .bind(today)
                    .bind(format!("{year}-01-01"))
                    .in_list(chunk),
            )
            .await?,
        );
    }
    Ok(out)
}

/// Counts what is posted now, and what was taken down before its category's minimum
/// (R10; 30 days for a category not found).
fn count_postings(
    by_unit: &mut BTreeMap<i64, UnitCompliance>,
    posted: &[Posting],
    category: Option<i64>,
    cats: &[(i64, Category)],
    today: Date,
) {
    for p in posted {
        let Some(u) = by_unit.get_mut(&p.unit_id) else {
            continue;
        };
        if category.is_some_and(|c| c != p.category_id) {
            continue;
        }
        if p.taken_down_on.is_none() {
            u.current += 1;
            continue;
        }
        let min = cats
            .iter()
            .find(|c| c.0 == p.category_id)
            .map_or(30, |c| c.1.min_days);
        if let Some(start) = p.posted_on {
            let end = p.taken_down_on;
            if !danchu_core::disclosures::posted_long_enough(start, end, min, today) {
                u.short += 1;
            }
        }
    }
}
