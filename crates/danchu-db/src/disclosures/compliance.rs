//! Compliance over the register: the units that keep one, the obligations of recurring
//! categories (R10, R11), the forms left unmet (R7, R46) and counts for report
//! indicators.

use danchu_core::disclosures::{Category, Channel, Compliance, DuePeriod};
use serde::Serialize;

use super::categories::categories;
use super::loudspeakers::without_loudspeakers;
use crate::decode::col;
use crate::exec::{q, row_struct, Db, Result};
use time::Date;

/// One recurring obligation of a unit and where it stands (R11).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Obligation {
    pub unit_id: i64,
    pub unit_name: String,
    pub category_id: i64,
    pub category: String,
    pub period: String,
    pub period_name: String,
    #[serde(serialize_with = "crate::decode::day_text::required")]
    pub due_on: Date,
    /// The first day posted; none when not posted.
    #[serde(serialize_with = "crate::decode::day_text::optional")]
    pub posted_on: Option<Date>,
    pub status: Compliance,
    pub disclosure_id: Option<i64>,
}

row_struct! {
    /// A unit that keeps a register, with the unit above it (a commune's district), as the
    /// compliance views list and group them.
    #[derive(Debug, Clone, Default, PartialEq)]
    pub struct RegisterUnit {
        pub id: i64,
        pub name: String,
        /// `UnitKind` code; decides the list it discloses under (R46).
        pub kind: String,
        pub parent_id: Option<i64>,
        pub parent: String,
    }
}

row_struct! {
    /// What the compliance checks read of a disclosure ([`POSTING_COLS`]).
    pub(super) struct Posting {
        pub(super) id: i64,
        pub(super) unit_id: i64,
        pub(super) category_id: i64,
        /// Period code, or empty for a disclosure posted as things happen.
        pub(super) period: String,
        pub(super) posted_on: Option<Date> = col::day("posted_on"),
        pub(super) taken_down_on: Option<Date> = col::day("taken_down_on"),
        pub(super) forms_mask: i64,
        pub(super) broadcast_run: i64,
    }
}

pub(super) const POSTING_COLS: &str =
    "id, unit_id, category_id, period, posted_on, taken_down_on, forms_mask, broadcast_run";

/// The units in the subtrees of `roots` that keep a register of `scope` (`commune`, or
/// `agency` for agencies and public units; None: both), ordered by the unit above (name,
/// then id: two districts may share a name) then by name in Vietnamese order. With
/// `year` the units open at any time that year (a commune merged since still answers for
/// its past); without, the units open now.
pub async fn register_units(
    db: &Db,
    roots: &[i64],
    scope: Option<&str>,
    year: Option<i32>,
) -> Result<Vec<RegisterUnit>> {
    let mut ids = crate::units::subtrees(&mut db.clone(), roots).await?;
    ids.sort_unstable();
    ids.dedup();
    let kinds: Vec<&str> = match scope {
        Some(s) => danchu_core::disclosures::kinds_of(s).to_vec(),
        None => [
            danchu_core::disclosures::COMMUNE,
            danchu_core::disclosures::AGENCY,
        ]
        .iter()
        .flat_map(|s| danchu_core::disclosures::kinds_of(s).iter().copied())
        .collect(),
    };
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        let mut query = q("SELECT u.id, u.name, u.kind, u.parent_id, COALESCE(p.name, '') AS parent FROM units u LEFT JOIN units p ON p.id = u.parent_id WHERE ");
        query = match year {
            Some(y) => query
                .push("(u.valid_to IS NULL OR u.valid_to >= ")
                .push_bind(format!("{y:04}-01-01"))
                .push(") AND (u.valid_from IS NULL OR u.valid_from <= ")
                .push_bind(format!("{y:04}-12-31"))
                .push(")"),
            None => query.push("u.valid_to IS NULL"),
        };
        out.extend(
            db.fetch_all_as::<RegisterUnit>(
                query
                    .push(" AND u.kind IN ")
                    .in_list(&kinds)
                    .push(" AND u.id IN ")
                    .in_list(chunk),
            )
            .await?,
        );
    }
    out.sort_by_cached_key(|u| {
        (
            danchu_core::text::vn_sort_key(&u.parent),
            u.parent_id,
            danchu_core::text::vn_sort_key(&u.name),
        )
    });
    Ok(out)
}

/// (unit, category, period) → (first day posted, disclosure id).
type FirstPosted = std::collections::BTreeMap<(i64, i64, String), (Date, i64)>;

/// The first posting of each recurring period in `year` by the units `ids`, up to `today`.
async fn first_postings(db: &Db, ids: &[i64], year: i32, today: Date) -> Result<FirstPosted> {
    let mut rows: Vec<Posting> = Vec::new();
    for chunk in ids.chunks(500) {
        rows.extend(
            db.fetch_all_as::<Posting>(
                q(format!("SELECT {POSTING_COLS} FROM disclosures WHERE posted_on <> '' AND posted_on <= $1 AND period LIKE $2 AND unit_id IN "))
                    .bind(today)
                    .bind(format!("{year}%"))
                    .in_list(chunk),
            )
            .await?,
        );
    }
    let mut posted = FirstPosted::new();
    for r in rows {
        // A period that does not read would match no obligation: the unit would show as
        // having missed it.
        crate::decode::code("disclosures.period", &r.period, DuePeriod::parse)?;
        let Some(on) = r.posted_on else { continue };
        let e = posted
            .entry((r.unit_id, r.category_id, r.period))
            .or_insert((on, r.id));
        if on < e.0 {
            *e = (on, r.id);
        }
    }
    Ok(posted)
}

/// The obligations of recurring categories for `units` in `year`, on `today`.
pub async fn obligations(
    db: &Db,
    units: &[RegisterUnit],
    year: i32,
    category_id: Option<i64>,
    today: Date,
) -> Result<Vec<Obligation>> {
    let cats: Vec<(i64, Category)> = categories(db)
        .await?
        .into_iter()
        .filter(|(id, c)| !c.every.is_empty() && category_id.is_none_or(|x| x == *id))
        .collect();
    if cats.is_empty() || units.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = units.iter().map(|u| u.id).collect();
    let posted = first_postings(db, &ids, year, today).await?;
    let mut out = Vec::new();
    for u in units {
        let (uid, uname) = (&u.id, &u.name);
        // R46: a unit owes the recurring items of its own list only.
        for (cid, c) in cats.iter().filter(|(_, c)| c.applies_to(&u.kind)) {
            for p in c.due_periods(year) {
                let Some(due) = c.due_on(&p) else { continue };
                let due_s = danchu_core::text::iso_date(due);
                if !c.valid_on(&due_s) {
                    continue;
                }
                let hit = posted.get(&(*uid, *cid, p.code()));
                let first = hit.map(|h| h.0);
                out.push(Obligation {
                    unit_id: *uid,
                    unit_name: uname.clone(),
                    category_id: *cid,
                    category: c.name.clone(),
                    period: p.code(),
                    period_name: p.name_vi(),
                    due_on: due,
                    posted_on: first,
                    status: danchu_core::disclosures::compliance(due, first, today),
                    disclosure_id: hit.map(|h| h.1),
                });
            }
        }
    }
    Ok(out)
}

/// A disclosure posted without every form its category requires (R7, R46).
#[derive(Debug, Clone, PartialEq)]
pub struct Unmet {
    pub disclosure_id: i64,
    pub unit_id: i64,
    pub missing: Vec<Channel>,
}

/// The disclosures of `units` first posted in `year`, optionally of one category, that
/// lack a required form or a long-enough broadcast (R7, R46) once the category's days to
/// post have passed (a broadcast may still be running before that).
pub async fn unmet_forms(
    db: &Db,
    units: &[i64],
    year: i32,
    category_id: Option<i64>,
    today: Date,
) -> Result<Vec<Unmet>> {
    let cats: std::collections::BTreeMap<i64, Category> =
        categories(db).await?.into_iter().collect();
    let quiet = without_loudspeakers(db, units).await?;
    let mut out = Vec::new();
    for chunk in units.chunks(500) {
        let mut query = q(format!(
            "SELECT {POSTING_COLS} FROM disclosures WHERE posted_on >= $1 AND posted_on <= $2"
        ))
        .bind(format!("{year:04}-01-01"))
        .bind(danchu_core::text::iso_date(today).min(format!("{year:04}-12-31")));
        if let Some(c) = category_id {
            query = query.push(" AND category_id = ").push_bind(c);
        }
        let rows: Vec<Posting> = db
            .fetch_all_as(query.push(" AND unit_id IN ").in_list(chunk))
            .await?;
        for r in rows {
            let Some(c) = cats.get(&r.category_id) else {
                continue;
            };
            // Still within the days to complete the forms: not (yet) a failure.
            let Some(posted) = r.posted_on else {
                continue;
            };
            if posted + time::Duration::days(c.post_within_days.max(c.broadcast_days).max(0))
                >= today
            {
                continue;
            }
            let used = danchu_core::disclosures::FormsUsed {
                mask: r.forms_mask,
                broadcast_run: r.broadcast_run,
            };
            let missing =
                danchu_core::disclosures::unmet_forms(c, &used, !quiet.contains(&r.unit_id));
            if !missing.is_empty() {
                out.push(Unmet {
                    disclosure_id: r.id,
                    unit_id: r.unit_id,
                    missing,
                });
            }
        }
    }
    out.sort_by_key(|u| u.disclosure_id);
    Ok(out)
}

/// How many disclosures a unit posted from `from` to `to` (`yyyy-mm-dd`, inclusive),
/// optionally in one category (by code) and only on time: a recurring one by its due date
/// (R10/R11); one posted as things happen counts as on time. For report indicators.
pub async fn posted_count(
    db: &Db,
    unit_id: i64,
    from: &str,
    to: &str,
    category: Option<&str>,
    on_time: bool,
) -> Result<i64> {
    let cats = categories(db).await?;
    let rows: Vec<Posting> = db
        .fetch_all_as(
            q(format!("SELECT {POSTING_COLS} FROM disclosures WHERE unit_id = $1 AND posted_on <> '' AND posted_on >= $2 AND posted_on <= $3"))
                .bind(unit_id)
                .bind(from)
                .bind(to),
        )
        .await?;
    let mut n = 0;
    for r in rows {
        let Some((_, c)) = cats.iter().find(|c| c.0 == r.category_id) else {
            continue;
        };
        if category.is_some_and(|code| code != c.code) {
            continue;
        }
        if on_time {
            // Empty for a disclosure posted as things happen (on time by definition).
            let due = crate::decode::optional("disclosures.period", &r.period, DuePeriod::parse)?
                .and_then(|p| c.due_on(&p));
            if let (Some(due), Some(posted)) = (due, r.posted_on) {
                if posted > due {
                    continue;
                }
            }
        }
        n += 1;
    }
    Ok(n)
}
