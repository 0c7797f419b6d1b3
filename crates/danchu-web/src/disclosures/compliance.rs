//! The compliance of the units in a user's scope (R10/R11, R7): what the admin dashboard,
//! its XLSX and the API show for the same filters.

use danchu_core::roles::Action;

use crate::auth::Auth;
use crate::error::AppResult;
use crate::AppState;

/// Per unit over a year's obligations (R10/R11), for the compliance dashboard.
#[derive(Debug, Clone, Default)]
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

/// The roots of the units where the user may do `action` (every top unit for a system
/// administrator).
pub async fn scope_roots(state: &AppState, auth: &Auth, action: Action) -> AppResult<Vec<i64>> {
    Ok(if auth.is_system_admin() {
        danchu_db::units::children(&state.db, None)
            .await?
            .iter()
            .map(|u| u.id)
            .collect()
    } else {
        auth.scope_roots(action)
    })
}

/// The units in the user's scope that kept a register of `scope` during `year`, grouped
/// by the unit above them.
pub async fn scope_units(
    state: &AppState,
    auth: &Auth,
    scope: &str,
    year: i32,
) -> AppResult<Vec<danchu_db::disclosures::RegisterUnit>> {
    let roots = scope_roots(state, auth, Action::ViewAdmin).await?;
    Ok(danchu_db::disclosures::register_units(&state.db, &roots, Some(scope), Some(year)).await?)
}

/// What the dashboard, its XLSX and the API show for the filters: the units in the
/// user's scope, each one's figures, every obligation, the disclosures lacking a form.
pub type ComplianceView = (
    Vec<danchu_db::disclosures::RegisterUnit>,
    Vec<UnitCompliance>,
    Vec<danchu_db::disclosures::Obligation>,
    Vec<danchu_db::disclosures::Unmet>,
);

/// [`compliance`] of the units in the user's scope, for officials only.
pub async fn compliance_of(
    state: &AppState,
    auth: &Auth,
    q: &ComplianceQuery,
) -> AppResult<ComplianceView> {
    auth.require_somewhere(Action::ViewAdmin)?;
    let units = scope_units(state, auth, q.scope(), q.year()).await?;
    let (list, obligations, unmet) = compliance(
        state,
        &units,
        q.year(),
        q.category(),
        &danchu_db::today_vn(),
    )
    .await?;
    Ok((units, list, obligations, unmet))
}

/// The year's compliance of each unit: obligations of recurring categories, what is
/// posted now, and what was taken down before its minimum.
pub async fn compliance(
    state: &AppState,
    units: &[danchu_db::disclosures::RegisterUnit],
    year: i32,
    category: Option<i64>,
    today: &str,
) -> AppResult<(
    Vec<UnitCompliance>,
    Vec<danchu_db::disclosures::Obligation>,
    Vec<danchu_db::disclosures::Unmet>,
)> {
    // A category of the other list (left in the query after switching lists) is ignored.
    let cats = danchu_db::disclosures::categories(&state.db).await?;
    let category = category.filter(|id| {
        cats.iter()
            .any(|(cid, c)| cid == id && units.iter().any(|u| c.applies_to(&u.kind)))
    });
    let obligations =
        danchu_db::disclosures::obligations(&state.db, units, year, category, today).await?;
    let mut by_unit: std::collections::BTreeMap<i64, UnitCompliance> = units
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
    for o in &obligations {
        if let Some(u) = by_unit.get_mut(&o.unit_id) {
            use danchu_core::disclosures::Compliance::*;
            match o.status {
                OnTime => u.on_time += 1,
                Late => u.late += 1,
                Missing => u.missing += 1,
                Upcoming => u.upcoming += 1,
            }
            if o.status != Upcoming {
                u.due += 1;
            }
        }
    }
    let ids: Vec<i64> = units.iter().map(|u| u.id).collect();
    for chunk in ids.chunks(500) {
        let rows = state
            .db
            .fetch_all(
                danchu_db::q("SELECT unit_id, category_id, posted_on, taken_down_on FROM disclosures WHERE posted_on <> '' AND posted_on <= $1 AND (taken_down_on = '' OR taken_down_on >= $2) AND unit_id IN ")
                    .bind(today.to_string())
                    .bind(format!("{year}-01-01"))
                    .in_list(chunk),
            )
            .await?;
        for r in rows {
            let unit: i64 = r.get("unit_id")?;
            let cid: i64 = r.get("category_id")?;
            let posted: String = r.get("posted_on")?;
            let down: String = r.get("taken_down_on")?;
            let Some(u) = by_unit.get_mut(&unit) else {
                continue;
            };
            if category.is_some_and(|c| c != cid) {
                continue;
            }
            if down.is_empty() {
                u.current += 1;
            } else {
                let min = cats
                    .iter()
                    .find(|c| c.0 == cid)
                    .map_or(30, |c| c.1.min_days);
                if let Some(start) = danchu_core::text::parse_date(&posted) {
                    let end = danchu_core::text::parse_date(&down);
                    let today_d = danchu_core::text::parse_date(today).unwrap_or(start);
                    if !danchu_core::disclosures::posted_long_enough(start, end, min, today_d) {
                        u.short += 1;
                    }
                }
            }
        }
    }
    let unmet = danchu_db::disclosures::unmet_forms(&state.db, &ids, year, category, today).await?;
    for u in &unmet {
        if let Some(c) = by_unit.get_mut(&u.unit_id) {
            c.unmet += 1;
        }
    }
    // In the order of `units`: by the unit above, then by name.
    let list = units.iter().filter_map(|u| by_unit.remove(&u.id)).collect();
    Ok((list, obligations, unmet))
}

/// The dashboard's filters (also read by the API).
#[derive(serde::Deserialize, Default)]
pub struct ComplianceQuery {
    #[serde(default)]
    pub nam: String,
    #[serde(default)]
    pub danh_muc: String,
    /// `co-quan` for agencies and public units; communes otherwise.
    #[serde(default)]
    pub loai: String,
}

impl ComplianceQuery {
    pub fn scope(&self) -> &'static str {
        if self.loai == "co-quan" {
            danchu_core::disclosures::AGENCY
        } else {
            danchu_core::disclosures::COMMUNE
        }
    }
    /// The query string of the current filters (for the XLSX link).
    pub fn query(&self, year: i32) -> String {
        let mut q = format!("nam={year}");
        if let Some(c) = self.category() {
            q.push_str(&format!("&danh_muc={c}"));
        }
        if self.scope() == danchu_core::disclosures::AGENCY {
            q.push_str("&loai=co-quan");
        }
        q
    }
    pub fn year(&self) -> i32 {
        self.nam
            .parse()
            .ok()
            .filter(|y| (2000..=2200).contains(y))
            .unwrap_or_else(|| {
                danchu_db::today_vn()
                    .get(..4)
                    .and_then(|y| y.parse().ok())
                    .unwrap_or(2026)
            })
    }
    pub fn category(&self) -> Option<i64> {
        self.danh_muc.parse().ok()
    }
}
