//! The register as a list: filters, pages and counts.

use super::read::{Disclosure, COLS};
use crate::exec::{q, Db, Result};

/// Filters of the public register.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub unit_id: Option<i64>,
    pub category_id: Option<i64>,
    pub year: Option<i32>,
    /// Only what is posted now.
    pub current: bool,
    /// Only what is on the portal (the public register).
    pub public_only: bool,
    /// Units of an official's scope (admin lists).
    pub units: Option<Vec<i64>>,
}

/// The filtered query, with only the conditions in use (so each can use its index on
/// both backends).
fn filtered(select: &str, f: &Filter, today: time::Date) -> crate::Query {
    let mut query = q(format!("{select} WHERE 1 = 1"));
    if f.public_only {
        query = query.push(" AND d.public = 1");
    }
    if let Some(u) = f.unit_id {
        query = query.push(" AND d.unit_id = ").push_bind(u);
    }
    if let Some(c) = f.category_id {
        query = query.push(" AND d.category_id = ").push_bind(c);
    }
    if let Some(y) = f.year {
        query = query
            .push(" AND d.posted_on >= ")
            .push_bind(format!("{y:04}-01-01"))
            .push(" AND d.posted_on <= ")
            .push_bind(format!("{y:04}-12-31"));
    }
    if f.current {
        query = query
            .push(" AND d.posted_on <> '' AND d.taken_down_on = '' AND d.posted_on <= ")
            .push_bind(today);
    }
    match &f.units {
        Some(units) if units.is_empty() => query.push(" AND 1 = 0"),
        Some(units) => query.push(" AND d.unit_id IN ").in_list(units),
        None => query,
    }
}

/// The register, newest posting first.
pub async fn list(
    db: &Db,
    f: &Filter,
    today: time::Date,
    limit: i64,
    offset: i64,
) -> Result<Vec<Disclosure>> {
    let query = filtered(
        &format!("SELECT {COLS} FROM disclosures d JOIN units u ON u.id = d.unit_id"),
        f,
        today,
    );
    db.fetch_all_as(
        query
            .push(" ORDER BY d.posted_on DESC, d.id DESC LIMIT ")
            .push_bind(limit)
            .push(" OFFSET ")
            .push_bind(offset),
    )
    .await
}

/// Counts stop here: a listing says "more than" beyond it, so a broad filter over a
/// national register costs a bounded scan.
pub const COUNT_CAP: i64 = 10_000;

/// How many disclosures match, up to [`COUNT_CAP`] + 1.
pub async fn count(db: &Db, f: &Filter, today: time::Date) -> Result<i64> {
    let query = filtered("SELECT 1 AS one FROM disclosures d", f, today);
    db.fetch_scalar(query.wrap(
        "SELECT COUNT(*) AS n FROM (",
        &format!(" LIMIT {}) t", COUNT_CAP + 1),
    ))
    .await
    .map(|n| n.unwrap_or(0))
}
