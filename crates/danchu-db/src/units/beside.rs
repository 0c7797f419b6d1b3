//! The units beside an office: the communes and offices of its parent unit (those a
//! district office collects reports from and gives plan tasks to).

use crate::exec::{Db, Result};

/// The units beside any of these offices (the children of their parents), as (id, name)
/// in Vietnamese order, each once: two queries for any number of offices.
pub async fn beside(db: &Db, offices: &[i64]) -> Result<Vec<(i64, String)>> {
    let mut db = db.clone();
    let mut parents: Vec<i64> = super::by_ids(&mut db, offices)
        .await?
        .values()
        .filter_map(|o| o.parent_id)
        .collect();
    parents.sort_unstable();
    parents.dedup();
    let mut units: Vec<(i64, String)> = super::children_of(&mut db, &parents)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    units.sort_by_cached_key(|u| danchu_core::text::vn_sort_key(&u.1));
    Ok(units)
}
