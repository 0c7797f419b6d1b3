//! Taking a disclosure down, early only with a reason (R10).

use danchu_core::disclosures::Channel;
use danchu_core::text::clean_line;
use time::Date;

use super::categories::category;
use super::post::index;
use super::read::{get, unit_scope, Disclosure};
use crate::audit::{self, Actor};
use crate::exec::{q, Db, DbError, Exec, Result, Tx};

/// Takes a disclosure down on `today` (audited): its postings end that day. Before the
/// minimum posting period has run (R10) a reason is required (the caller checks that a
/// unit administrator asks).
pub async fn take_down(
    db: &Db,
    actor: &Actor,
    id: i64,
    reason: &str,
    today: Date,
) -> Result<Disclosure> {
    let mut tx = db.begin().await?;
    let before = get(&mut tx, id).await?.ok_or(DbError::NotFound)?;
    if before.taken_down_on.is_some() {
        return Err(DbError::Invalid("Nội dung đã được gỡ trước đó.".into()));
    }
    let reason = clean_line(reason);
    if reason.chars().count() > 500 {
        return Err(DbError::Invalid("Lý do gỡ tối đa 500 ký tự.".into()));
    }
    let early = early_takedown(&mut tx, &before, today).await?;
    if early && reason.is_empty() {
        return Err(DbError::Invalid(
            "Chưa đủ thời gian niêm yết tối thiểu: gỡ sớm cần ghi rõ lý do.".into(),
        ));
    }
    tx.execute(
        q("UPDATE disclosures SET taken_down_on = $1, takedown_reason = $2, updated_at = $3 WHERE id = $4")
            .bind(today)
            .bind(&reason)
            .bind(crate::now_s())
            .bind(id),
    )
    .await?;
    end_postings(&mut tx, &before, today).await?;
    index(&mut tx, id).await?;
    let after = get(&mut tx, id).await?.ok_or(DbError::NotFound)?;
    audit::record(
        if early {
            audit::action::DISCLOSURE_TAKE_DOWN_EARLY
        } else {
            audit::action::DISCLOSURE_TAKE_DOWN
        },
        "disclosure",
        id,
    )
    .changed(&mut tx, actor, &before, &after)
    .await?;
    tx.commit().await?;
    Ok(after)
}

/// Ends on `today` the postings of `d` that were still up (for an agency, any of PCTN
/// Đ11 b–g).
async fn end_postings(tx: &mut Tx, d: &Disclosure, today: Date) -> Result<()> {
    let scope = unit_scope(&mut *tx, d.unit_id).await?;
    let posting: Vec<&str> = Channel::for_scope(scope)
        .into_iter()
        .filter(|c| c.counts_as_posting(scope))
        .map(Channel::code)
        .collect();
    tx.execute(
        q("UPDATE disclosure_channels SET ends_on = $1 WHERE disclosure_id = $2 AND ends_on = '' AND channel IN ")
            .bind(today)
            .bind(d.id)
            .in_list(&posting),
    )
    .await?;
    Ok(())
}

/// Whether taking a disclosure down on `today` would end it before its minimum (R10).
async fn early_takedown(e: &mut impl Exec, d: &Disclosure, today: Date) -> Result<bool> {
    let Some(start) = d.posted_on else {
        return Ok(false);
    };
    let min = category(e, d.category_id).await?.map_or(30, |c| c.min_days);
    Ok(today < danchu_core::disclosures::earliest_takedown(start, min))
}

/// Whether taking it down today would be early (for the admin page).
pub async fn would_be_early(db: &Db, d: &Disclosure, today: Date) -> Result<bool> {
    early_takedown(&mut db.clone(), d, today).await
}
