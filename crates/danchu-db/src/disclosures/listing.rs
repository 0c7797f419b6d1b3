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
/// both backends), and how many arguments it binds.
fn filtered(select: &str, f: &Filter, today: &str) -> (crate::Query, usize) {
    let mut sql = format!("{select} WHERE 1 = 1");
    let mut args: Vec<crate::Value> = Vec::new();
    let cond = |sql: &mut String, args: &mut Vec<crate::Value>, text: &str, v: crate::Value| {
        args.push(v);
        sql.push_str(&text.replace('?', &format!("${}", args.len())));
    };
    if f.public_only {
        sql.push_str(" AND d.public = 1");
    }
    if let Some(u) = f.unit_id {
        cond(&mut sql, &mut args, " AND d.unit_id = ?", u.into());
    }
    if let Some(c) = f.category_id {
        cond(&mut sql, &mut args, " AND d.category_id = ?", c.into());
    }
    if let Some(y) = f.year {
        cond(
            &mut sql,
            &mut args,
            " AND d.posted_on >= ?",
            format!("{y:04}-01-01").into(),
        );
        cond(
            &mut sql,
            &mut args,
            " AND d.posted_on <= ?",
            format!("{y:04}-12-31").into(),
        );
    }
    if f.current {
        sql.push_str(" AND d.posted_on <> '' AND d.taken_down_on = ''");
        cond(
            &mut sql,
            &mut args,
            " AND d.posted_on <= ?",
            today.to_string().into(),
        );
    }
    let mut query = q(sql);
    for v in args {
        query = query.bind(v);
    }
    let mut n = query_len(f);
    if let Some(units) = &f.units {
        if units.is_empty() {
            query = query.push(" AND 1 = 0");
        } else {
            query = query.push(" AND d.unit_id IN ").in_list(units);
            n += units.len();
        }
    }
    (query, n)
}

/// How many arguments the simple conditions of a filter bind.
fn query_len(f: &Filter) -> usize {
    usize::from(f.unit_id.is_some())
        + usize::from(f.category_id.is_some())
        + 2 * usize::from(f.year.is_some())
        + usize::from(f.current)
}

/// The register, newest posting first.
pub async fn list(
    db: &Db,
    f: &Filter,
    today: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<Disclosure>> {
    let (query, n) = filtered(
        &format!("SELECT {COLS} FROM disclosures d JOIN units u ON u.id = d.unit_id"),
        f,
        today,
    );
    db.fetch_all_as(
        query
            .push(&format!(
                " ORDER BY d.posted_on DESC, d.id DESC LIMIT ${} OFFSET ${}",
                n + 1,
                n + 2
            ))
            .bind(limit)
            .bind(offset),
    )
    .await
}

/// Counts stop here: a listing says "more than" beyond it, so a broad filter over a
/// national register costs a bounded scan.
pub const COUNT_CAP: i64 = 10_000;

/// How many disclosures match, up to [`COUNT_CAP`] + 1.
pub async fn count(db: &Db, f: &Filter, today: &str) -> Result<i64> {
    let (query, _) = filtered("SELECT 1 AS one FROM disclosures d", f, today);
    db.fetch_scalar(query.wrap(
        "SELECT COUNT(*) AS n FROM (",
        &format!(" LIMIT {}) t", COUNT_CAP + 1),
    ))
    .await
    .map(|n| n.unwrap_or(0))
}
