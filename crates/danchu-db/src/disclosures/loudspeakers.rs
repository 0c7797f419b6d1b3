//! Whether a commune has a loudspeaker system (R7: broadcasting is required "nếu có").

use crate::audit::{self, Actor};
use crate::exec::{q, Db, DbError, Result};

/// The units among `units` recorded as having no loudspeaker system (R7 "nếu có").
pub async fn without_loudspeakers(
    db: &Db,
    units: &[i64],
) -> Result<std::collections::BTreeSet<i64>> {
    let mut out = std::collections::BTreeSet::new();
    for chunk in units.chunks(500) {
        out.extend(
            db.fetch_scalars::<i64>(
                q("SELECT unit_id FROM disclosure_unit_options WHERE no_loudspeaker = 1 AND unit_id IN ")
                    .in_list(chunk),
            )
            .await?,
        );
    }
    Ok(out)
}

/// Whether a commune has a loudspeaker system (R7: broadcasting is required "nếu có").
pub async fn has_loudspeakers(db: &Db, unit_id: i64) -> Result<bool> {
    Ok(without_loudspeakers(db, &[unit_id]).await?.is_empty())
}

/// Records whether a commune has a loudspeaker system (audited).
pub async fn set_loudspeakers(db: &Db, actor: &Actor, unit_id: i64, has: bool) -> Result<()> {
    let mut tx = db.begin().await?;
    let before = tx
        .fetch_scalar::<i64>(
            q("SELECT no_loudspeaker FROM disclosure_unit_options WHERE unit_id = $1")
                .bind(unit_id),
        )
        .await?
        .is_none_or(|n| n == 0);
    if before == has {
        // Saved as it was: nothing to record.
        return Ok(());
    }
    tx.execute(
        q("INSERT INTO disclosure_unit_options (unit_id, no_loudspeaker, updated_by, updated_at) VALUES ($1, $2, $3, $4) ON CONFLICT (unit_id) DO UPDATE SET no_loudspeaker = $2, updated_by = $3, updated_at = $4")
            .bind(unit_id)
            .bind(if has { 0i64 } else { 1 })
            .bind(&actor.0)
            .bind(crate::now_s()),
    )
    .await?;
    let code: String = tx
        .fetch_scalar(q("SELECT code FROM units WHERE id = $1").bind(unit_id))
        .await?
        .ok_or(DbError::NotFound)?;
    audit::record(audit::action::UNIT_LOUDSPEAKERS, "unit", &code)
        .changed(
            &mut tx,
            actor,
            &serde_json::json!({ "loudspeakers": before }),
            &serde_json::json!({ "loudspeakers": has }),
        )
        .await?;
    tx.commit().await
}
