//! Link lists (liên kết) shown on the portal.

use danchu_core::text::clean_line;
use serde::Serialize;

use crate::audit::{self, Actor};
use crate::decode::col;
use crate::exec::{q, row_struct, Db, DbError, Exec, Result, Tx};

row_struct! {
    #[derive(Debug, Clone, Serialize, PartialEq)]
    pub struct Link {
        pub id: i64,
        pub group_id: i64,
        pub title: String,
        pub url: String,
        pub position: i64,
    }
}

row_struct! {
    #[derive(Debug, Clone, Serialize, PartialEq)]
    pub struct LinkGroup {
        pub id: i64,
        pub unit_id: i64,
        pub name: String,
        pub position: i64,
        pub links: Vec<Link> = col::later,
    }
}

/// Link groups with their links, in order.
pub async fn link_groups(db: &Db) -> Result<Vec<LinkGroup>> {
    let links: Vec<Link> = db
        .fetch_all_as(q(
            "SELECT id, group_id, title, url, position FROM links ORDER BY position, id",
        ))
        .await?;
    let mut groups: Vec<LinkGroup> = db
        .fetch_all_as(q(
            "SELECT id, unit_id, name, position FROM link_groups ORDER BY position, id",
        ))
        .await?;
    for g in &mut groups {
        g.links = links
            .iter()
            .filter(|l| l.group_id == g.id)
            .cloned()
            .collect();
    }
    Ok(groups)
}

/// Creates a link group with its links (audited).
pub async fn create_link_group(
    tx: &mut Tx,
    actor: &Actor,
    unit_id: i64,
    name: &str,
    position: i64,
    links: &[(&str, &str)],
) -> Result<LinkGroup> {
    let now = crate::now_s();
    let id: i64 = tx
        .fetch_scalar(
            q("INSERT INTO link_groups (unit_id, name, position, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING id")
                .bind(unit_id)
                .bind(clean_line(name))
                .bind(position)
                .bind(now),
        )
        .await?
        .ok_or(DbError::NotFound)?;
    let mut out = LinkGroup {
        id,
        unit_id,
        name: clean_line(name),
        position,
        links: Vec::new(),
    };
    for (i, (title, url)) in links.iter().copied().enumerate() {
        out.links
            .push(insert_link(tx, id, (title, url), i as i64, now).await?);
    }
    audit::record(audit::action::LINKS_CREATE, "link_group", id)
        .after(tx, actor, &out)
        .await?;
    Ok(out)
}

/// Inserts one link of a group (its title cleaned, its address trimmed); not audited
/// here, the caller audits the link or the group it made.
async fn insert_link(
    tx: &mut Tx,
    group_id: i64,
    (title, url): (&str, &str),
    position: i64,
    now: i64,
) -> Result<Link> {
    let link = Link {
        id: 0,
        group_id,
        title: clean_line(title),
        url: url.trim().to_string(),
        position,
    };
    let id: i64 = tx
        .fetch_scalar(
            q("INSERT INTO links (group_id, title, url, position, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5) RETURNING id")
                .bind(group_id)
                .bind(&link.title)
                .bind(&link.url)
                .bind(position)
                .bind(now),
        )
        .await?
        .ok_or(DbError::NotFound)?;
    Ok(Link { id, ..link })
}

async fn link_group_unit(e: &mut impl Exec, group_id: i64) -> Result<Option<i64>> {
    e.fetch_scalar(q("SELECT unit_id FROM link_groups WHERE id = $1").bind(group_id))
        .await
}

/// The unit a link group belongs to (for role checks).
pub async fn link_group_owner(db: &Db, group_id: i64) -> Result<Option<i64>> {
    link_group_unit(&mut db.clone(), group_id).await
}

/// The unit of the group a link is in (for role checks).
pub async fn link_owner(db: &Db, link_id: i64) -> Result<Option<i64>> {
    db.fetch_scalar(
        q("SELECT g.unit_id FROM links l JOIN link_groups g ON g.id = l.group_id WHERE l.id = $1")
            .bind(link_id),
    )
    .await
}

/// Adds a link to a group (audited).
pub async fn add_link(
    db: &Db,
    actor: &Actor,
    group_id: i64,
    title: &str,
    url: &str,
    position: i64,
) -> Result<Link> {
    let mut tx = db.begin().await?;
    let link = insert_link(&mut tx, group_id, (title, url), position, crate::now_s()).await?;
    audit::record(audit::action::LINK_CREATE, "link", link.id)
        .after(&mut tx, actor, &link)
        .await?;
    tx.commit().await?;
    Ok(link)
}

/// Removes a link (audited with what it was).
pub async fn delete_link(db: &Db, actor: &Actor, id: i64) -> Result<()> {
    let mut tx = db.begin().await?;
    let before: Link = tx
        .fetch_optional_as(
            q("SELECT id, group_id, title, url, position FROM links WHERE id = $1").bind(id),
        )
        .await?
        .ok_or(DbError::NotFound)?;
    tx.execute(q("DELETE FROM links WHERE id = $1").bind(id))
        .await?;
    audit::record(audit::action::LINK_DELETE, "link", id)
        .before(&mut tx, actor, &before)
        .await?;
    tx.commit().await
}

/// Adds a link group (audited) in its own transaction.
pub async fn add_link_group(
    db: &Db,
    actor: &Actor,
    unit_id: i64,
    name: &str,
    position: i64,
) -> Result<LinkGroup> {
    crate::in_tx(db, async |tx| {
        create_link_group(tx, actor, unit_id, name, position, &[]).await
    })
    .await
}
