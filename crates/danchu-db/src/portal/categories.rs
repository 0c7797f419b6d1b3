//! The portal's categories (chuyên mục).

use danchu_core::text::{clean_line, slugify};
use serde::Serialize;

use crate::audit::{self, Actor};
use crate::exec::{q, row_struct, Db, DbError, Exec, Result, Tx};

row_struct! {
    #[derive(Debug, Clone, Serialize, PartialEq)]
    pub struct Category {
        pub id: i64,
        pub unit_id: i64,
        pub slug: String,
        pub name: String,
        pub position: i64,
    }
}

pub async fn categories(db: &Db) -> Result<Vec<Category>> {
    db.fetch_all_as(q(
        "SELECT id, unit_id, slug, name, position FROM categories ORDER BY position, id",
    ))
    .await
}

pub async fn category_by_slug(db: &Db, slug: &str) -> Result<Option<Category>> {
    db.fetch_optional_as(
        q("SELECT id, unit_id, slug, name, position FROM categories WHERE slug = $1").bind(slug),
    )
    .await
}

pub async fn category_by_id(e: &mut impl Exec, id: i64) -> Result<Option<Category>> {
    e.fetch_optional_as(
        q("SELECT id, unit_id, slug, name, position FROM categories WHERE id = $1").bind(id),
    )
    .await
}

/// Creates a category (audited).
pub async fn create_category(
    tx: &mut Tx,
    actor: &Actor,
    unit_id: i64,
    name: &str,
    position: i64,
) -> Result<Category> {
    let name = clean_line(name);
    let mut slug = slugify(&name);
    if slug.is_empty() {
        slug = "chuyen-muc".into();
    }
    let c: Category = tx
        .fetch_optional_as(
            q("INSERT INTO categories (unit_id, slug, name, position, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5) RETURNING id, unit_id, slug, name, position")
                .bind(unit_id)
                .bind(slug)
                .bind(name)
                .bind(position)
                .bind(crate::now_s()),
        )
        .await?
        .ok_or(DbError::NotFound)?;
    audit::record(audit::action::CATEGORY_CREATE, "category", &c.slug)
        .after(tx, actor, &c)
        .await?;
    Ok(c)
}

/// Renames a category or moves it in the menu (audited; its address stays).
pub async fn update_category(
    db: &Db,
    actor: &Actor,
    id: i64,
    name: &str,
    position: i64,
) -> Result<()> {
    let mut tx = db.begin().await?;
    let before = category_by_id(&mut tx, id)
        .await?
        .ok_or(DbError::NotFound)?;
    if before.name == clean_line(name) && before.position == position {
        // Saved unchanged: nothing to write or audit.
        return Ok(());
    }
    let update = q("UPDATE categories SET name = $1, position = $2, updated_at = $3 WHERE id = $4")
        .bind(clean_line(name))
        .bind(position)
        .bind(crate::now_s())
        .bind(id);
    let after = Category {
        name: clean_line(name),
        position,
        ..before.clone()
    };
    audit::record(audit::action::CATEGORY_UPDATE, "category", &before.slug)
        .update(&mut tx, actor, update, &before, &after)
        .await?;
    tx.commit().await
}

/// Adds a category (audited) in its own transaction.
pub async fn add_category(
    db: &Db,
    actor: &Actor,
    unit_id: i64,
    name: &str,
    position: i64,
) -> Result<Category> {
    crate::in_tx(db, async |tx| {
        create_category(tx, actor, unit_id, name, position).await
    })
    .await
}
