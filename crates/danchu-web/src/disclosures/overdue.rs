//! A unit official's overdue obligations (a widget of the admin home page).

use danchu_core::roles::Action;

use crate::auth::Auth;
use crate::error::AppResult;
use crate::AppState;

/// A unit official's overdue obligations (shown on the admin home page after sign-in).
pub struct Overdue {
    pub unit: String,
    pub category: String,
    pub period: String,
    pub due: String,
}

pub async fn overdue(state: &AppState, auth: &Auth) -> AppResult<Vec<Overdue>> {
    if !auth.may_somewhere(Action::EditContent) || auth.is_system_admin() {
        return Ok(Vec::new());
    }
    // The communes and agencies the user posts for directly (not a whole district's).
    let roots = auth.scope_roots(Action::EditContent);
    let mut found = danchu_db::units::by_ids(&mut state.db.clone(), &roots).await?;
    let units: Vec<_> = roots
        .iter()
        .filter_map(|r| found.remove(r))
        .filter(|u| danchu_core::disclosures::scope_of(&u.kind).is_some())
        .map(|u| danchu_db::disclosures::RegisterUnit {
            id: u.id,
            name: u.name,
            kind: u.kind,
            parent_id: u.parent_id,
            parent: String::new(),
        })
        .collect();
    let today = danchu_db::today_vn_date();
    let year = today.year();
    let mut out = Vec::new();
    for y in [year - 1, year] {
        for o in danchu_db::disclosures::obligations(&state.db, &units, y, None, today).await? {
            if o.status == danchu_core::disclosures::Compliance::Missing {
                out.push(Overdue {
                    unit: o.unit_name,
                    category: o.category,
                    period: o.period_name,
                    due: danchu_core::text::format_date(o.due_on),
                });
            }
        }
    }
    Ok(out)
}
