//! The uploads a form offers (check boxes), and those it keeps when sent.

use crate::auth::{editable_units, Auth};
use crate::error::AppResult;
use crate::AppState;

/// The uploads a form offers: the newest of the user's units (of `kind` if given), plus
/// those already attached, however old or whose they are.
pub async fn offered_media(
    state: &AppState,
    within: Option<&[i64]>,
    attached: Vec<danchu_db::media::Media>,
    kind: Option<&str>,
) -> AppResult<Vec<danchu_db::media::Media>> {
    let mut files: Vec<danchu_db::media::Media> = danchu_db::media::recent(&state.db, within, 100)
        .await?
        .into_iter()
        .filter(|m| kind.is_none_or(|k| m.kind == k))
        .collect();
    for m in attached {
        if !files.iter().any(|f| f.id == m.id) {
            files.push(m);
        }
    }
    Ok(files)
}

/// Uploaded files chosen in a form (check boxes named `field`): those of the user's units
/// (of `kind` if given), and those already attached, which an editor never silently loses.
pub async fn chosen_media(
    state: &AppState,
    auth: &Auth,
    values: Vec<&str>,
    current: &[i64],
    kind: Option<&str>,
) -> AppResult<Vec<i64>> {
    let within = editable_units(state, auth).await?;
    let mut wanted: Vec<i64> = Vec::new();
    for id in values.iter().filter_map(|v| v.parse::<i64>().ok()) {
        if !wanted.contains(&id) {
            wanted.push(id);
        }
    }
    wanted.truncate(super::MAX_FILES * 10);
    let found = danchu_db::media::by_ids(&state.db, &wanted).await?;
    Ok(wanted
        .into_iter()
        .filter(|id| {
            current.contains(id)
                || found.iter().any(|m| {
                    m.id == *id
                        && kind.is_none_or(|k| m.kind == k)
                        && within.as_ref().is_none_or(|w| w.contains(&m.unit_id))
                })
        })
        .collect())
}
