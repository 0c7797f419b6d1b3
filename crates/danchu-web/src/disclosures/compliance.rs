//! The compliance of the units in a user's scope (R10/R11, R7): what the admin dashboard,
//! its XLSX and the API show for the same filters.

use danchu_core::roles::Action;

use crate::auth::Auth;
use crate::error::AppResult;
use crate::AppState;

/// Per unit over a year's obligations (R10/R11), for the compliance dashboard.
pub use danchu_db::disclosures::UnitCompliance;

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
        danchu_db::today_vn_date(),
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
    today: time::Date,
) -> AppResult<danchu_db::disclosures::Dashboard> {
    Ok(danchu_db::disclosures::unit_compliance(&state.db, units, year, category, today).await?)
}

/// The dashboard's filters (also read by the API).
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ComplianceQuery {
    pub nam: String,
    pub danh_muc: String,
    /// `co-quan` for agencies and public units; communes otherwise.
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
            .unwrap_or_else(|| danchu_db::today_vn_date().year())
    }
    pub fn category(&self) -> Option<i64> {
        self.danh_muc.parse().ok()
    }
}
