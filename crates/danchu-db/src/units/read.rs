//! Reading units: one by id or code, children, subtrees, search, counts.

use std::collections::HashMap;

use danchu_core::text::fold;
use danchu_core::units::{normal_code, UnitKind};
use serde::Serialize;

use crate::decode::col;
use crate::exec::{q, row_struct, Db, Exec, Result};

row_struct! {
    #[derive(Debug, Clone, Serialize, PartialEq)]
    pub struct Unit {
        pub id: i64,
        pub code: String,
        pub name: String,
        pub kind: String = col::known_code("units.kind", UnitKind::from_code),
        pub parent_id: Option<i64>,
        #[serde(serialize_with = "crate::decode::day_text::nullable")]
        pub valid_from: Option<time::Date> = col::day("valid_from"),
        /// The last day in force (a merge closes a unit the day before it takes effect).
        #[serde(serialize_with = "crate::decode::day_text::nullable")]
        pub valid_to: Option<time::Date> = col::day("valid_to"),
        pub successor_id: Option<i64>,
    }
}

impl Unit {
    pub fn kind(&self) -> Option<UnitKind> {
        UnitKind::from_code(&self.kind)
    }
    pub fn is_closed(&self) -> bool {
        self.valid_to.is_some()
    }
}

pub(super) const COLS: &str = "id, code, name, kind, parent_id, valid_from, valid_to, successor_id";

/// A unit kind read from `at` (`table.column`), kept as its code: an unknown kind is a
/// data error (it would decide which register list, code width and menus a unit gets).
pub(crate) fn known_kind(at: &str, kind: String) -> Result<String> {
    crate::decode::code(at, &kind, UnitKind::from_code)?;
    Ok(kind)
}

pub async fn get(e: &mut impl Exec, id: i64) -> Result<Option<Unit>> {
    e.fetch_optional_as(q(format!("SELECT {COLS} FROM units WHERE id = $1")).bind(id))
        .await
}

pub async fn by_code(e: &mut impl Exec, code: &str) -> Result<Option<Unit>> {
    e.fetch_optional_as(q(format!("SELECT {COLS} FROM units WHERE code = $1")).bind(code))
        .await
}

/// The unit with a code as a person typed it for a unit of `kind`: the code as written,
/// else the code normalised at that kind's level (`4` for a province is `04`).
pub async fn by_code_at(e: &mut impl Exec, code: &str, kind: UnitKind) -> Result<Option<Unit>> {
    let code = code.trim();
    if let Some(u) = by_code(e, code).await? {
        return Ok(Some(u));
    }
    match normal_code(kind, code) {
        Ok(c) if c != code => by_code(e, &c).await,
        _ => Ok(None),
    }
}

/// The ways a typed code may be stored: as written and, for a number, padded at each
/// GSO level (`4`, `04`, `004`, `00004`).
fn code_variants(code: &str) -> Vec<String> {
    let code = code.trim();
    let mut v = vec![code.to_string()];
    for k in UnitKind::GSO_LEVELS {
        if let Ok(c) = normal_code(k, code) {
            if !v.contains(&c) {
                v.push(c);
            }
        }
    }
    v
}

/// Children of a unit (or the top-level units for `None`), in Vietnamese order.
pub async fn children(db: &Db, parent: Option<i64>) -> Result<Vec<Unit>> {
    let mut v: Vec<Unit> = db
        .fetch_all_as(
            q(format!(
                "SELECT {COLS} FROM units WHERE (($1 IS NULL AND parent_id IS NULL) OR parent_id = $1)"
            ))
            .bind(parent),
        )
        .await?;
    sort_vn(&mut v);
    Ok(v)
}

/// The children of any of these units, in Vietnamese order.
pub async fn children_of(e: &mut impl Exec, parents: &[i64]) -> Result<Vec<Unit>> {
    let mut v = Vec::new();
    for chunk in parents.chunks(crate::exec::IN_CHUNK) {
        v.extend(
            e.fetch_all_as::<Unit>(
                q(format!("SELECT {COLS} FROM units WHERE parent_id IN ")).in_list(chunk),
            )
            .await?,
        );
    }
    sort_vn(&mut v);
    Ok(v)
}

/// Administrative units first (by level), then agencies and public units, each group in
/// Vietnamese alphabetical order.
pub fn sort_vn(v: &mut [Unit]) {
    v.sort_by_cached_key(|u| {
        let group = UnitKind::ALL
            .iter()
            .position(|k| k.code() == u.kind)
            .unwrap_or(99);
        (group, danchu_core::text::vn_sort_key(&u.name))
    });
}

/// Units whose name or code matches a query, ignoring case and diacritics; a number
/// finds the unit with that code at any level (`4` finds `04`, `004` and `00004`).
pub async fn search(db: &Db, query: &str, limit: i64) -> Result<Vec<Unit>> {
    let key = format!("%{}%", fold(query).replace(['%', '_'], ""));
    let mut codes = code_variants(query);
    codes.resize(4, String::new());
    let mut v: Vec<Unit> = db
        .fetch_all_as(
            q(format!("SELECT {COLS} FROM units WHERE name_key LIKE $1 OR code IN ($2, $3, $4, $5) ORDER BY name_key LIMIT $6"))
                .bind(key)
                .bind(&codes[0])
                .bind(&codes[1])
                .bind(&codes[2])
                .bind(&codes[3])
                .bind(limit),
        )
        .await?;
    sort_vn(&mut v);
    Ok(v)
}

/// The unit and its ancestors, nearest first (the scope chain that role checks use).
pub async fn chain(e: &mut impl Exec, id: i64) -> Result<Vec<i64>> {
    e.fetch_scalars(
        q("WITH RECURSIVE up(id, parent_id, depth) AS (
                 SELECT id, parent_id, 0 FROM units WHERE id = $1
                 UNION ALL
                 SELECT u.id, u.parent_id, up.depth + 1 FROM units u JOIN up ON u.id = up.parent_id
                 WHERE up.depth < 32
               ) SELECT id FROM up ORDER BY depth")
        .bind(id),
    )
    .await
}

/// The ids of a unit and every unit below it.
pub async fn subtree(e: &mut impl Exec, id: i64) -> Result<Vec<i64>> {
    e.fetch_scalars(
        q("WITH RECURSIVE down(id, depth) AS (
                 SELECT id, 0 FROM units WHERE id = $1
                 UNION ALL
                 SELECT u.id, down.depth + 1 FROM units u JOIN down ON u.parent_id = down.id
                 WHERE down.depth < 32
               ) SELECT id FROM down")
        .bind(id),
    )
    .await
}

/// The ids of the given units and every unit below them, in one query (the scope of a
/// user's grants).
pub async fn subtrees(e: &mut impl Exec, roots: &[i64]) -> Result<Vec<i64>> {
    if roots.is_empty() {
        return Ok(Vec::new());
    }
    e.fetch_scalars(
        q("WITH RECURSIVE down(id, depth) AS (
                 SELECT id, 0 FROM units WHERE id IN ")
        .in_list(roots)
        .push(
            "
                 UNION ALL
                 SELECT u.id, down.depth + 1 FROM units u JOIN down ON u.parent_id = down.id
                 WHERE down.depth < 32
               ) SELECT DISTINCT id FROM down",
        ),
    )
    .await
}

/// The units with these ids (in chunks, so any number of ids takes a few queries, not one
/// per unit).
pub async fn by_ids(e: &mut impl Exec, ids: &[i64]) -> Result<HashMap<i64, Unit>> {
    let mut out = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(crate::exec::IN_CHUNK) {
        let units: Vec<Unit> = e
            .fetch_all_as(q(format!("SELECT {COLS} FROM units WHERE id IN ")).in_list(chunk))
            .await?;
        out.extend(units.into_iter().map(|u| (u.id, u)));
    }
    Ok(out)
}

/// Units that were merged into this one.
pub async fn predecessors(db: &Db, id: i64) -> Result<Vec<Unit>> {
    let mut v: Vec<Unit> = db
        .fetch_all_as(q(format!("SELECT {COLS} FROM units WHERE successor_id = $1")).bind(id))
        .await?;
    sort_vn(&mut v);
    Ok(v)
}

/// How many units there are.
pub async fn count(db: &Db) -> Result<i64> {
    Ok(db
        .fetch_scalar(q("SELECT COUNT(*) AS n FROM units"))
        .await?
        .unwrap_or(0))
}
