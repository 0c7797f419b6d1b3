//! Importing parsed rows: parents first, parents found at their level, in one
//! transaction (audited).

use std::collections::HashMap;

use danchu_core::text::fold;
use danchu_core::units::{normal_code, UnitKind};

use super::parse::{bad, ImportError, ImportRow};
use super::read::{Unit, COLS};
use crate::audit::{self, Actor};
use crate::exec::{q, Db, DbError, Result, Tx};

/// What an import did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ImportCounts {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
}

/// The units already in the database: code → kind (`None` for a kind this version does
/// not know).
pub type KnownUnits = HashMap<String, Option<UnitKind>>;

/// Finds the unit a `parent_code` names. The rule (issue 13, item 10):
/// 1. a code written as stored (`04`, `00004`, `721-NV`) names that unit, in the file or
///    the database;
/// 2. otherwise a number is normalised at each GSO level above the child (any level for
///    a thôn/ấp, agency or public unit), and names the unit of that level with that code;
///    when two levels have one (province 4 and district 4 under a ward), the file is
///    refused and must write the parent in full.
///
/// A code named by neither rule is returned as written, for the caller to report.
fn resolve_parent(
    written: &str,
    child: UnitKind,
    file: &HashMap<String, UnitKind>,
    known: &KnownUnits,
) -> std::result::Result<String, String> {
    let p = written.trim();
    if file.contains_key(p) || known.contains_key(p) {
        return Ok(p.to_string());
    }
    let child_level = UnitKind::GSO_LEVELS.iter().position(|k| *k == child);
    let found: Vec<(String, UnitKind)> = UnitKind::GSO_LEVELS
        .iter()
        .enumerate()
        .filter(|(i, _)| child_level.is_none_or(|c| *i < c))
        .filter_map(|(_, &k)| {
            let c = normal_code(k, p).ok()?;
            let there = match file.get(&c) {
                Some(k) => Some(*k),
                None => known.get(&c).copied().flatten(),
            };
            (there == Some(k)).then_some((c, k))
        })
        .collect();
    match found.as_slice() {
        [] => Ok(p.to_string()),
        [(c, _)] => Ok(c.clone()),
        many => Err(format!(
            "mã cấp trên {p} có thể là {}; hãy ghi mã cấp trên đủ chữ số",
            many.iter()
                .map(|(c, k)| format!("{c} (cấp {})", k.level_vi()))
                .collect::<Vec<_>>()
                .join(" hoặc ")
        )),
    }
}

/// Checks rows against each other and the database and orders parents before children.
/// Normalises each code at its level (a guard for rows not read by the parsers), finds
/// each parent (see [`resolve_parent`]), and fails on duplicate codes with different
/// data, ambiguous or unknown parents and cycles.
pub fn order_rows(
    rows: Vec<ImportRow>,
    known_codes: &KnownUnits,
) -> std::result::Result<Vec<ImportRow>, ImportError> {
    let mut rows = rows;
    let mut file: HashMap<String, UnitKind> = HashMap::with_capacity(rows.len());
    for r in &mut rows {
        r.code =
            normal_code(r.kind, &r.code).map_err(|e| bad(&r.location, e.message_vi(&r.code)))?;
        file.entry(r.code.clone()).or_insert(r.kind);
    }
    let mut by_code: HashMap<String, ImportRow> = HashMap::with_capacity(rows.len());
    let mut order: Vec<String> = Vec::with_capacity(rows.len());
    for mut r in rows {
        if let Some(p) = &r.parent_code {
            let resolved = resolve_parent(p, r.kind, &file, known_codes)
                .map_err(|reason| bad(&r.location, reason))?;
            r.parent_code = Some(resolved);
        }
        if let Some(prev) = by_code.get(&r.code) {
            if prev.name != r.name || prev.kind != r.kind || prev.parent_code != r.parent_code {
                return Err(bad(
                    &r.location,
                    format!(
                        "mã {} trùng với {} nhưng khác nội dung",
                        r.code, prev.location
                    ),
                ));
            }
            continue;
        }
        order.push(r.code.clone());
        by_code.insert(r.code.clone(), r);
    }
    let depth = depths(&order, &by_code, known_codes)?;
    let mut out: Vec<ImportRow> = order
        .into_iter()
        .filter_map(|c| by_code.remove(&c))
        .collect();
    out.sort_by_key(|r| depth.get(&r.code).copied().unwrap_or(0));
    Ok(out)
}

/// The depth of each row within the file; parents outside the file must exist already.
fn depths(
    order: &[String],
    by_code: &HashMap<String, ImportRow>,
    known_codes: &KnownUnits,
) -> std::result::Result<HashMap<String, usize>, ImportError> {
    let mut depth: HashMap<String, usize> = HashMap::with_capacity(order.len());
    for code in order {
        let mut d = 0usize;
        let mut cur = code.clone();
        loop {
            let r = &by_code[&cur];
            match &r.parent_code {
                None => break,
                Some(p) if by_code.contains_key(p) => {
                    d += 1;
                    if d > by_code.len() {
                        return Err(bad(
                            &by_code[code].location,
                            format!("vòng lặp cấp trên tại mã {code}"),
                        ));
                    }
                    cur = p.clone();
                }
                Some(p) if known_codes.contains_key(p) => break,
                Some(p) => {
                    return Err(bad(
                        &r.location,
                        format!("không tìm thấy đơn vị cấp trên mã {p}"),
                    ))
                }
            }
        }
        depth.insert(code.clone(), d);
    }
    Ok(depth)
}

/// Imports units in one transaction: creates new codes, updates changed ones, leaves the
/// rest; every change is audited. Re-running the same file changes nothing. `progress`
/// is called with (done, total) every few hundred rows.
pub async fn import(
    db: &Db,
    actor: &Actor,
    rows: Vec<ImportRow>,
    mut progress: impl FnMut(usize, usize) + Send,
) -> std::result::Result<ImportCounts, ImportFailure> {
    let mut tx = db.begin().await?;
    let existing = all_by_code(&mut tx).await?;
    let mut ids: HashMap<String, i64> = existing.iter().map(|(c, u)| (c.clone(), u.id)).collect();
    // The tree as it will be, to refuse a re-parenting that would make a cycle.
    let mut parents: HashMap<i64, Option<i64>> =
        existing.values().map(|u| (u.id, u.parent_id)).collect();
    let known: KnownUnits = existing
        .iter()
        .map(|(c, u)| (c.clone(), u.kind()))
        .collect();
    let rows = order_rows(rows, &known)?;
    let total = rows.len();
    let mut counts = ImportCounts::default();
    let mut entries: Vec<audit::Entry> = Vec::new();
    let now = crate::now_s();
    for (i, r) in rows.iter().enumerate() {
        let parent_id = parent_of(r, &ids)?;
        match existing.get(&r.code) {
            Some(u) if u.name == r.name && u.kind == r.kind.code() && u.parent_id == parent_id => {
                counts.unchanged += 1;
            }
            Some(u) => {
                refuse_cycle(r, u, parent_id, &parents)?;
                parents.insert(u.id, parent_id);
                entries.push(update_one(&mut tx, u, r, parent_id, now).await?);
                counts.updated += 1;
            }
            None => {
                let created = insert_one(&mut tx, r, parent_id, now).await?;
                ids.insert(created.code.clone(), created.id);
                parents.insert(created.id, created.parent_id);
                entries.push(audit::Entry::new(
                    audit::action::UNIT_CREATE,
                    "unit",
                    &r.code,
                    None::<&Unit>,
                    Some(&created),
                ));
                counts.created += 1;
            }
        }
        if (i + 1) % 500 == 0 || i + 1 == total {
            progress(i + 1, total);
        }
    }
    audit::append_many(&mut tx, actor, entries).await?;
    tx.commit().await?;
    Ok(counts)
}

/// Every unit, by code.
async fn all_by_code(tx: &mut Tx) -> Result<HashMap<String, Unit>> {
    let all: Vec<Unit> = tx
        .fetch_all_as(q(format!("SELECT {COLS} FROM units")))
        .await?;
    Ok(all.into_iter().map(|u| (u.code.clone(), u)).collect())
}

/// Refuses to put `u` under `parent_id` when that would make it its own ancestor.
fn refuse_cycle(
    r: &ImportRow,
    u: &Unit,
    parent_id: Option<i64>,
    parents: &HashMap<i64, Option<i64>>,
) -> std::result::Result<(), ImportError> {
    if u.parent_id != parent_id && would_cycle(parents, u.id, parent_id) {
        return Err(bad(
            &r.location,
            format!(
                "đặt {} dưới {} sẽ tạo vòng lặp cấp trên",
                r.code,
                r.parent_code.as_deref().unwrap_or("")
            ),
        ));
    }
    Ok(())
}

/// The id of a row's parent, created earlier in the import or there before.
fn parent_of(
    r: &ImportRow,
    ids: &HashMap<String, i64>,
) -> std::result::Result<Option<i64>, ImportError> {
    match &r.parent_code {
        Some(p) => Ok(Some(*ids.get(p).ok_or_else(|| {
            bad(
                &r.location,
                format!("không tìm thấy đơn vị cấp trên mã {p}"),
            )
        })?)),
        None => Ok(None),
    }
}

/// Updates a unit from its row; returns the audit entry.
async fn update_one(
    tx: &mut Tx,
    u: &Unit,
    r: &ImportRow,
    parent_id: Option<i64>,
    now: i64,
) -> Result<audit::Entry> {
    tx.execute(
        q("UPDATE units SET name = $1, name_key = $2, kind = $3, parent_id = $4, updated_at = $5 WHERE id = $6")
            .bind(&r.name)
            .bind(fold(&r.name))
            .bind(r.kind.code())
            .bind(parent_id)
            .bind(now)
            .bind(u.id),
    )
    .await?;
    let after = Unit {
        name: r.name.clone(),
        kind: r.kind.code().into(),
        parent_id,
        ..u.clone()
    };
    Ok(audit::Entry::new(
        audit::action::UNIT_UPDATE,
        "unit",
        &r.code,
        Some(u),
        Some(&after),
    ))
}

/// Creates a unit from its row.
async fn insert_one(tx: &mut Tx, r: &ImportRow, parent_id: Option<i64>, now: i64) -> Result<Unit> {
    tx.fetch_optional_as(
        q(format!(
            "INSERT INTO units (code, name, name_key, kind, parent_id, created_at, updated_at)
               VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING {COLS}"
        ))
        .bind(&r.code)
        .bind(&r.name)
        .bind(fold(&r.name))
        .bind(r.kind.code())
        .bind(parent_id)
        .bind(now),
    )
    .await?
    .ok_or(DbError::NotFound)
}

/// Whether putting `id` under `new_parent` would make `id` its own ancestor.
pub(super) fn would_cycle(
    parents: &HashMap<i64, Option<i64>>,
    id: i64,
    new_parent: Option<i64>,
) -> bool {
    let mut cur = new_parent;
    let mut steps = 0;
    while let Some(p) = cur {
        if p == id || steps > parents.len() {
            return true;
        }
        cur = parents.get(&p).copied().flatten();
        steps += 1;
    }
    false
}

/// An import either fails on the file (with its location) or on the database.
#[derive(Debug, thiserror::Error)]
pub enum ImportFailure {
    #[error("{0}")]
    File(#[from] ImportError),
    #[error("{0}")]
    Db(#[from] DbError),
}

impl From<sqlx::Error> for ImportFailure {
    fn from(e: sqlx::Error) -> Self {
        ImportFailure::Db(DbError::Sqlx(e))
    }
}
