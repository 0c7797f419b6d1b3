//! The disclosure categories (R6): reference data written once, then edited by
//! administrators.

use danchu_core::disclosures::Category;
use danchu_core::text::clean_line;

use crate::audit::{self, Actor};
use crate::decode::col;
use crate::exec::{q, row_struct, Db, DbError, Exec, Result};

/// Writes the default categories (R6) that are not there yet; returns how many.
pub async fn ensure_categories(db: &Db) -> Result<u64> {
    // Read first: once they are there (every start after the first), nothing is written
    // and no write lock is taken.
    let have: Vec<String> = db
        .fetch_scalars(q("SELECT code FROM disclosure_categories"))
        .await?;
    let mut n = 0;
    for (i, c) in danchu_core::disclosures::default_categories()
        .iter()
        .enumerate()
        .filter(|(_, c)| !have.contains(&c.code))
    {
        let body = serde_json::to_string(c).map_err(|e| DbError::Invalid(e.to_string()))?;
        n += db
            .execute(
                q("INSERT INTO disclosure_categories (code, body, position, updated_at) VALUES ($1, $2, $3, $4) ON CONFLICT (code) DO NOTHING")
                    .bind(&c.code)
                    .bind(body)
                    .bind(i as i64)
                    .bind(crate::now_s()),
            )
            .await?;
    }
    Ok(n)
}

row_struct! {
    /// A category as stored: its id and its JSON body.
    struct CategoryRow {
        id: i64,
        body: Category = col::json("disclosure_categories.body"),
    }
}

/// A category read back, checked: its forms and recurrences are enums (an unknown one
/// fails to parse); its list is a code kept as text, which would otherwise read as the
/// commune list.
fn checked(r: CategoryRow) -> Result<(i64, Category)> {
    crate::decode::one_of(
        "disclosure_categories.body.scope",
        r.body.scope.clone(),
        &[
            danchu_core::disclosures::COMMUNE,
            danchu_core::disclosures::AGENCY,
        ],
    )?;
    Ok((r.id, r.body))
}

/// Every category, in order.
pub async fn categories(db: &Db) -> Result<Vec<(i64, Category)>> {
    db.fetch_all_as::<CategoryRow>(q(
        "SELECT id, body FROM disclosure_categories ORDER BY position, id",
    ))
    .await?
    .into_iter()
    .map(checked)
    .collect()
}

pub async fn category(e: &mut impl Exec, id: i64) -> Result<Option<Category>> {
    e.fetch_optional_as::<CategoryRow>(
        q("SELECT id, body FROM disclosure_categories WHERE id = $1").bind(id),
    )
    .await?
    .map(|r| checked(r).map(|c| c.1))
    .transpose()
}

/// Changes a category (audited): durations, channels, recurrence, validity (R6, R10
/// unconfirmed figures are administrator-editable defaults).
pub async fn update_category(db: &Db, actor: &Actor, id: i64, c: &Category) -> Result<()> {
    if c.min_days < 0 || c.broadcast_days < 0 || c.post_within_days < 0 {
        return Err(DbError::Invalid("Số ngày không được âm.".into()));
    }
    if clean_line(&c.name).is_empty() {
        return Err(DbError::Invalid("Hãy nhập tên danh mục.".into()));
    }
    let mut tx = db.begin().await?;
    let before = category(&mut tx, id).await?.ok_or(DbError::NotFound)?;
    if before == *c {
        // Saved unchanged: nothing to write or audit.
        return Ok(());
    }
    let body = serde_json::to_string(c).map_err(|e| DbError::Invalid(e.to_string()))?;
    tx.execute(
        q("UPDATE disclosure_categories SET body = $1, updated_at = $2 WHERE id = $3")
            .bind(body)
            .bind(crate::now_s())
            .bind(id),
    )
    .await?;
    audit::record(
        audit::action::DISCLOSURE_CATEGORY_UPDATE,
        "disclosure_category",
        id,
    )
    .changed(&mut tx, actor, &before, c)
    .await?;
    tx.commit().await
}
