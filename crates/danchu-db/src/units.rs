//! Administrative units: read, create, rename, merge and import. Units are never deleted:
//! a merge closes the old units (valid_to) and points them at their successor.

use std::collections::{HashMap, HashSet};

use danchu_core::text::{clean_line, fold};
use danchu_core::units::{normal_code, valid_code, UnitKind};
use serde::Serialize;

use crate::audit::{self, Actor};
use crate::exec::{q, Db, DbError, Exec, Result, Row, Tx};

mod beside;
pub use beside::beside;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Unit {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub parent_id: Option<i64>,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
    pub successor_id: Option<i64>,
}

impl Unit {
    pub fn kind(&self) -> Option<UnitKind> {
        UnitKind::from_code(&self.kind)
    }
    pub fn is_closed(&self) -> bool {
        self.valid_to.is_some()
    }
}

const COLS: &str = "id, code, name, kind, parent_id, valid_from, valid_to, successor_id";

fn unit(r: &Row) -> Result<Unit> {
    Ok(Unit {
        id: r.get("id")?,
        code: r.get("code")?,
        name: r.get("name")?,
        kind: known_kind("units.kind", r.get("kind")?)?,
        parent_id: r.get("parent_id")?,
        valid_from: r.get("valid_from")?,
        valid_to: r.get("valid_to")?,
        successor_id: r.get("successor_id")?,
    })
}

/// A unit kind read from `at` (`table.column`), kept as its code: an unknown kind is a
/// data error (it would decide which register list, code width and menus a unit gets).
pub(crate) fn known_kind(at: &str, kind: String) -> Result<String> {
    crate::decode::code(at, &kind, UnitKind::from_code)?;
    Ok(kind)
}

pub async fn get(e: &mut impl Exec, id: i64) -> Result<Option<Unit>> {
    e.fetch_optional(q(format!("SELECT {COLS} FROM units WHERE id = $1")).bind(id))
        .await?
        .as_ref()
        .map(unit)
        .transpose()
}

pub async fn by_code(e: &mut impl Exec, code: &str) -> Result<Option<Unit>> {
    e.fetch_optional(q(format!("SELECT {COLS} FROM units WHERE code = $1")).bind(code))
        .await?
        .as_ref()
        .map(unit)
        .transpose()
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
    let rows = db
        .fetch_all(
            q(format!(
                "SELECT {COLS} FROM units WHERE (($1 IS NULL AND parent_id IS NULL) OR parent_id = $1)"
            ))
            .bind(parent),
        )
        .await?;
    let mut v: Vec<Unit> = rows.iter().map(unit).collect::<Result<_>>()?;
    sort_vn(&mut v);
    Ok(v)
}

/// The children of any of these units, in Vietnamese order.
pub async fn children_of(e: &mut impl Exec, parents: &[i64]) -> Result<Vec<Unit>> {
    let mut v = Vec::new();
    for chunk in parents.chunks(crate::exec::IN_CHUNK) {
        for r in e
            .fetch_all(q(format!("SELECT {COLS} FROM units WHERE parent_id IN ")).in_list(chunk))
            .await?
        {
            v.push(unit(&r)?);
        }
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
    let rows = db
        .fetch_all(
            q(format!("SELECT {COLS} FROM units WHERE name_key LIKE $1 OR code IN ($2, $3, $4, $5) ORDER BY name_key LIMIT $6"))
                .bind(key)
                .bind(&codes[0])
                .bind(&codes[1])
                .bind(&codes[2])
                .bind(&codes[3])
                .bind(limit),
        )
        .await?;
    let mut v: Vec<Unit> = rows.iter().map(unit).collect::<Result<_>>()?;
    sort_vn(&mut v);
    Ok(v)
}

/// The unit and its ancestors, nearest first (the scope chain that role checks use).
pub async fn chain(e: &mut impl Exec, id: i64) -> Result<Vec<i64>> {
    let rows = e
        .fetch_all(
            q("WITH RECURSIVE up(id, parent_id, depth) AS (
                 SELECT id, parent_id, 0 FROM units WHERE id = $1
                 UNION ALL
                 SELECT u.id, u.parent_id, up.depth + 1 FROM units u JOIN up ON u.id = up.parent_id
                 WHERE up.depth < 32
               ) SELECT id FROM up ORDER BY depth")
            .bind(id),
        )
        .await?;
    rows.iter().map(|r| r.get("id")).collect()
}

/// The ids of a unit and every unit below it.
pub async fn subtree(e: &mut impl Exec, id: i64) -> Result<Vec<i64>> {
    let rows = e
        .fetch_all(
            q("WITH RECURSIVE down(id, depth) AS (
                 SELECT id, 0 FROM units WHERE id = $1
                 UNION ALL
                 SELECT u.id, down.depth + 1 FROM units u JOIN down ON u.parent_id = down.id
                 WHERE down.depth < 32
               ) SELECT id FROM down")
            .bind(id),
        )
        .await?;
    rows.iter().map(|r| r.get("id")).collect()
}

/// The ids of the given units and every unit below them, in one query (the scope of a
/// user's grants).
pub async fn subtrees(e: &mut impl Exec, roots: &[i64]) -> Result<Vec<i64>> {
    if roots.is_empty() {
        return Ok(Vec::new());
    }
    let rows = e
        .fetch_all(
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
        .await?;
    rows.iter().map(|r| r.get("id")).collect()
}

/// The units with these ids (in chunks, so any number of ids takes a few queries, not one
/// per unit).
pub async fn by_ids(e: &mut impl Exec, ids: &[i64]) -> Result<HashMap<i64, Unit>> {
    let mut out = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(crate::exec::IN_CHUNK) {
        for r in e
            .fetch_all(q(format!("SELECT {COLS} FROM units WHERE id IN ")).in_list(chunk))
            .await?
        {
            let u = unit(&r)?;
            out.insert(u.id, u);
        }
    }
    Ok(out)
}

/// Units that were merged into this one.
pub async fn predecessors(db: &Db, id: i64) -> Result<Vec<Unit>> {
    let rows = db
        .fetch_all(q(format!("SELECT {COLS} FROM units WHERE successor_id = $1")).bind(id))
        .await?;
    let mut v: Vec<Unit> = rows.iter().map(unit).collect::<Result<_>>()?;
    sort_vn(&mut v);
    Ok(v)
}

/// How many units there are.
pub async fn count(db: &Db) -> Result<i64> {
    let r = db
        .fetch_optional(q("SELECT COUNT(*) AS n FROM units"))
        .await?;
    match r {
        Some(r) => r.get("n"),
        None => Ok(0),
    }
}

/// Fields of a new or edited unit, already checked.
#[derive(Debug, Clone)]
pub struct NewUnit {
    pub code: String,
    pub name: String,
    pub kind: UnitKind,
    pub parent_id: Option<i64>,
    pub valid_from: Option<String>,
}

/// Checks a unit's fields; returns (field, Vietnamese reason) for each problem.
pub fn check(code: &str, name: &str) -> Vec<(&'static str, String)> {
    let mut errs = Vec::new();
    if !valid_code(code) {
        errs.push((
            "code",
            "Mã đơn vị chỉ gồm chữ không dấu, số, '-', '_' hoặc '.', tối đa 32 ký tự.".to_string(),
        ));
    }
    let n = clean_line(name);
    if n.is_empty() {
        errs.push(("name", "Tên đơn vị không được để trống.".to_string()));
    } else if n.chars().count() > 200 {
        errs.push(("name", "Tên đơn vị dài quá 200 ký tự.".to_string()));
    }
    errs
}

async fn insert(tx: &mut Tx, actor: &Actor, u: &NewUnit) -> Result<Unit> {
    let now = crate::now_s();
    let name = clean_line(&u.name);
    let row = tx
        .fetch_optional(
            q(format!("INSERT INTO units (code, name, name_key, kind, parent_id, valid_from, created_at, updated_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING {COLS}"))
            .bind(&u.code)
            .bind(&name)
            .bind(fold(&name))
            .bind(u.kind.code())
            .bind(u.parent_id)
            .bind(u.valid_from.clone())
            .bind(now),
        )
        .await?
        .ok_or(DbError::NotFound)?;
    let created = unit(&row)?;
    audit::append(
        tx,
        actor,
        "unit.create",
        "unit",
        &created.code,
        None::<&()>,
        Some(&created),
    )
    .await?;
    Ok(created)
}

/// Creates a unit (audited).
pub async fn create(db: &Db, actor: &Actor, u: &NewUnit) -> Result<Unit> {
    let mut tx = db.begin().await?;
    let created = insert(&mut tx, actor, u).await?;
    tx.commit().await?;
    Ok(created)
}

/// Renames a unit (audited).
pub async fn rename(db: &Db, actor: &Actor, id: i64, name: &str) -> Result<Unit> {
    let mut tx = db.begin().await?;
    let before = get(&mut tx, id).await?.ok_or(DbError::NotFound)?;
    let name = clean_line(name);
    if name == before.name {
        // Saved unchanged: nothing to write or audit.
        return Ok(before);
    }
    tx.execute(
        q("UPDATE units SET name = $1, name_key = $2, updated_at = $3 WHERE id = $4")
            .bind(&name)
            .bind(fold(&name))
            .bind(crate::now_s())
            .bind(id),
    )
    .await?;
    let after = Unit {
        name,
        ..before.clone()
    };
    audit::append(
        &mut tx,
        actor,
        "unit.update",
        "unit",
        &before.code,
        Some(&before),
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

/// Merges units into a successor: each old unit gets `valid_to` = the day before
/// `effective` and `successor_id`; nothing is deleted and the old units stay readable.
pub async fn merge(
    db: &Db,
    actor: &Actor,
    old_ids: &[i64],
    successor_id: i64,
    effective: time::Date,
) -> Result<Vec<Unit>> {
    let closing = effective
        .previous_day()
        .map(danchu_core::text::iso_date)
        .ok_or_else(|| DbError::Invalid("ngày hiệu lực không hợp lệ".into()))?;
    let mut tx = db.begin().await?;
    let successor = get(&mut tx, successor_id).await?.ok_or(DbError::NotFound)?;
    if successor.is_closed() {
        return Err(DbError::Invalid(format!(
            "Đơn vị kế thừa {} đã giải thể.",
            successor.name
        )));
    }
    let mut closed = Vec::new();
    for &id in old_ids {
        if id == successor_id {
            return Err(DbError::Invalid(
                "Không thể sáp nhập một đơn vị vào chính nó.".into(),
            ));
        }
        let before = get(&mut tx, id).await?.ok_or(DbError::NotFound)?;
        if before.is_closed() {
            return Err(DbError::Invalid(format!(
                "Đơn vị {} đã giải thể/sáp nhập trước đó.",
                before.name
            )));
        }
        // `valid_to IS NULL` makes two concurrent merges of one unit close it only once.
        let changed = tx
            .execute(
                q("UPDATE units SET valid_to = $1, successor_id = $2, updated_at = $3 WHERE id = $4 AND valid_to IS NULL")
                    .bind(&closing)
                    .bind(successor_id)
                    .bind(crate::now_s())
                    .bind(id),
            )
            .await?;
        if changed != 1 {
            return Err(DbError::Invalid(format!(
                "Đơn vị {} đã giải thể/sáp nhập trước đó.",
                before.name
            )));
        }
        let after = Unit {
            valid_to: Some(closing.clone()),
            successor_id: Some(successor_id),
            ..before.clone()
        };
        audit::append(
            &mut tx,
            actor,
            "unit.merge",
            "unit",
            &before.code,
            Some(&before),
            Some(&after),
        )
        .await?;
        closed.push(after);
    }
    tx.commit().await?;
    Ok(closed)
}

/// One unit read from an import file, with where it was found.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRow {
    pub code: String,
    pub name: String,
    pub kind: UnitKind,
    /// The parent's code as the file writes it; [`order_rows`] replaces it with the
    /// parent's stored code (see `resolve_parent`).
    pub parent_code: Option<String>,
    /// "line 12" or "$[3].wards[7]".
    pub location: String,
}

/// What an import did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ImportCounts {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
}

/// A problem in an import file, naming where it is.
#[derive(Debug, thiserror::Error)]
#[error("{location}: {reason}")]
pub struct ImportError {
    pub location: String,
    pub reason: String,
}

fn bad(location: impl Into<String>, reason: impl Into<String>) -> ImportError {
    ImportError {
        location: location.into(),
        reason: reason.into(),
    }
}

/// Parses the nested JSON of the national lists: an array of provinces (or an object with
/// such an array under `provinces`/`data`), each with `name`, `code`, `division_type`
/// and children under `wards` (and/or `districts`, which may hold `wards` themselves).
pub fn parse_json(text: &str) -> std::result::Result<Vec<ImportRow>, ImportError> {
    let v: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        bad(
            format!("dòng {}, cột {}", e.line(), e.column()),
            format!("JSON không hợp lệ: {e}"),
        )
    })?;
    let top = match &v {
        serde_json::Value::Array(a) => a,
        serde_json::Value::Object(o) => match o.get("provinces").or_else(|| o.get("data")) {
            Some(serde_json::Value::Array(a)) => a,
            _ => return Err(bad("$", "cần một mảng các tỉnh (hoặc khoá \"provinces\")")),
        },
        _ => return Err(bad("$", "cần một mảng các tỉnh")),
    };
    let mut out = Vec::new();
    for (i, p) in top.iter().enumerate() {
        walk_json(p, &format!("$[{i}]"), None, 0, &mut out)?;
    }
    Ok(out)
}

fn walk_json(
    v: &serde_json::Value,
    path: &str,
    parent: Option<&str>,
    level: usize,
    out: &mut Vec<ImportRow>,
) -> std::result::Result<(), ImportError> {
    if level > 4 {
        return Err(bad(path, "lồng quá sâu"));
    }
    let o = v
        .as_object()
        .ok_or_else(|| bad(path, "cần một đối tượng có name, code, division_type"))?;
    let text = |k: &str| -> std::result::Result<String, ImportError> {
        match o.get(k) {
            Some(serde_json::Value::String(s)) => Ok(s.clone()),
            Some(serde_json::Value::Number(n)) => Ok(n.to_string()),
            _ => Err(bad(format!("{path}.{k}"), format!("thiếu trường \"{k}\""))),
        }
    };
    // The official lists write codes as integers (`4`), others as text (`"04"`): both
    // are read as text, then padded to their level's width (`normal_code`).
    let code = match o.get("code") {
        Some(serde_json::Value::String(s)) => s.trim().to_string(),
        Some(serde_json::Value::Number(n)) => match n.as_u64() {
            Some(n) => n.to_string(),
            None => {
                return Err(bad(
                    format!("{path}.code"),
                    format!("mã {n} không hợp lệ: cần một số nguyên không âm hoặc một chuỗi"),
                ))
            }
        },
        Some(_) => {
            return Err(bad(
                format!("{path}.code"),
                "mã cần là một số nguyên hoặc một chuỗi",
            ))
        }
        None => return Err(bad(format!("{path}.code"), "thiếu trường \"code\"")),
    };
    let name = text("name")?;
    let dt = text("division_type")?;
    let kind = UnitKind::parse(&dt, level).ok_or_else(|| {
        bad(
            format!("{path}.division_type"),
            format!("loại đơn vị không rõ: {dt:?}"),
        )
    })?;
    if let Some((_, reason)) = check(&code, &name).into_iter().next() {
        return Err(bad(path, reason));
    }
    let code =
        normal_code(kind, &code).map_err(|e| bad(format!("{path}.code"), e.message_vi(&code)))?;
    out.push(ImportRow {
        code: code.clone(),
        name: clean_line(&name),
        kind,
        parent_code: parent.map(str::to_string),
        location: path.to_string(),
    });
    for key in ["districts", "wards"] {
        match o.get(key) {
            None | Some(serde_json::Value::Null) => {}
            Some(serde_json::Value::Array(children)) => {
                for (j, c) in children.iter().enumerate() {
                    walk_json(
                        c,
                        &format!("{path}.{key}[{j}]"),
                        Some(&code),
                        level + 1,
                        out,
                    )?;
                }
            }
            Some(_) => return Err(bad(format!("{path}.{key}"), "cần một mảng")),
        }
    }
    Ok(())
}

/// Parses CSV with the header `code,name,kind,parent_code` (kind: our code or the
/// Vietnamese division type; parent_code may be empty). Codes are normalised per level
/// as in JSON; `parent_code` is kept as written and found by [`order_rows`].
pub fn parse_csv(text: &str) -> std::result::Result<Vec<ImportRow>, ImportError> {
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = rdr
        .headers()
        .map_err(|e| bad("dòng 1", format!("CSV không hợp lệ: {e}")))?
        .clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}') == name)
    };
    let (Some(ci), Some(ni), Some(ki), Some(pi)) =
        (col("code"), col("name"), col("kind"), col("parent_code"))
    else {
        return Err(bad("dòng 1", "cần tiêu đề code,name,kind,parent_code"));
    };
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            bad(format!("dòng {line}"), format!("CSV không hợp lệ: {e}"))
        })?;
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        let loc = format!("dòng {line}");
        let get = |i: usize| rec.get(i).unwrap_or("").to_string();
        let (code, name, kind_s, parent) = (get(ci), get(ni), get(ki), get(pi));
        if let Some((_, reason)) = check(&code, &name).into_iter().next() {
            return Err(bad(loc, reason));
        }
        let level = if parent.is_empty() { 0 } else { 1 };
        let kind = UnitKind::parse(&kind_s, level)
            .ok_or_else(|| bad(&loc, format!("loại đơn vị không rõ: {kind_s:?}")))?;
        let code = normal_code(kind, &code).map_err(|e| bad(&loc, e.message_vi(&code)))?;
        out.push(ImportRow {
            code,
            name: clean_line(&name),
            kind,
            parent_code: (!parent.is_empty()).then_some(parent),
            location: loc,
        });
    }
    Ok(out)
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
    // Depth of each row within the file; parents outside the file must exist already.
    let mut depth: HashMap<String, usize> = HashMap::with_capacity(order.len());
    for code in &order {
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
    let mut out: Vec<ImportRow> = order
        .into_iter()
        .filter_map(|c| by_code.remove(&c))
        .collect();
    out.sort_by_key(|r| depth.get(&r.code).copied().unwrap_or(0));
    Ok(out)
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
    let existing: HashMap<String, Unit> = tx
        .fetch_all(q(format!("SELECT {COLS} FROM units")))
        .await?
        .iter()
        .map(|r| unit(r).map(|u| (u.code.clone(), u)))
        .collect::<Result<_>>()?;
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
        let parent_id = match &r.parent_code {
            Some(p) => Some(*ids.get(p).ok_or_else(|| {
                bad(
                    &r.location,
                    format!("không tìm thấy đơn vị cấp trên mã {p}"),
                )
            })?),
            None => None,
        };
        match existing.get(&r.code) {
            Some(u) if u.name == r.name && u.kind == r.kind.code() && u.parent_id == parent_id => {
                counts.unchanged += 1;
            }
            Some(u) => {
                if u.parent_id != parent_id && would_cycle(&parents, u.id, parent_id) {
                    return Err(bad(
                        &r.location,
                        format!(
                            "đặt {} dưới {} sẽ tạo vòng lặp cấp trên",
                            r.code,
                            r.parent_code.as_deref().unwrap_or("")
                        ),
                    )
                    .into());
                }
                parents.insert(u.id, parent_id);
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
                entries.push(audit::Entry::new(
                    "unit.update",
                    "unit",
                    &r.code,
                    Some(u),
                    Some(&after),
                ));
                counts.updated += 1;
            }
            None => {
                let row = tx
                    .fetch_optional(
                        q(format!("INSERT INTO units (code, name, name_key, kind, parent_id, created_at, updated_at)
                           VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING {COLS}"))
                        .bind(&r.code)
                        .bind(&r.name)
                        .bind(fold(&r.name))
                        .bind(r.kind.code())
                        .bind(parent_id)
                        .bind(now),
                    )
                    .await?
                    .ok_or(DbError::NotFound)?;
                let created = unit(&row)?;
                ids.insert(created.code.clone(), created.id);
                parents.insert(created.id, created.parent_id);
                entries.push(audit::Entry::new(
                    "unit.create",
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

/// Pads the numeric codes of provinces, districts and communes that an older danchu
/// stored as given (`4` → `04`, `731` → `00731`), so that they match what imports and the
/// admin store now. Runs at start (with the migrations); one transaction, each change
/// audited as `unit.update` by the system; a no-op once done. A code is left as it is,
/// with a warning in the log, when its padded form is already some unit's code or is
/// wanted by two units, or when it is longer than its level: an administrator decides.
/// Returns how many codes changed.
pub async fn pad_codes(db: &Db) -> Result<u64> {
    let mut tx = db.begin().await?;
    if tx.backend() == crate::Backend::Postgres {
        // Several nodes may start at once: one pads, the others then find nothing to do.
        tx.execute(q("SELECT pg_advisory_xact_lock(7426001)"))
            .await?;
    }
    let all: Vec<Unit> = tx
        .fetch_all(q(format!("SELECT {COLS} FROM units")))
        .await?
        .iter()
        .map(unit)
        .collect::<Result<_>>()?;
    let taken: HashSet<&str> = all.iter().map(|u| u.code.as_str()).collect();
    let mut moves: Vec<(&Unit, String)> = Vec::new();
    for u in &all {
        let Some(kind) = u.kind().filter(|k| k.code_width().is_some()) else {
            continue;
        };
        match normal_code(kind, &u.code) {
            Ok(c) if c != u.code => moves.push((u, c)),
            Ok(_) => {}
            Err(e) => {
                tracing::warn!(code = %u.code, "mã đơn vị giữ nguyên: {}", e.message_vi(&u.code))
            }
        }
    }
    let mut wanted: HashMap<&str, usize> = HashMap::new();
    for (_, c) in &moves {
        *wanted.entry(c.as_str()).or_default() += 1;
    }
    let now = crate::now_s();
    let mut entries = Vec::new();
    for (u, c) in &moves {
        if taken.contains(c.as_str()) || wanted.get(c.as_str()).copied().unwrap_or(0) > 1 {
            tracing::warn!(code = %u.code, padded = %c, "mã đơn vị giữ nguyên: mã {c} đã có đơn vị khác dùng");
            continue;
        }
        let changed = tx
            .execute(
                q("UPDATE units SET code = $1, updated_at = $2 WHERE id = $3 AND code = $4")
                    .bind(c)
                    .bind(now)
                    .bind(u.id)
                    .bind(&u.code),
            )
            .await?;
        if changed == 1 {
            let after = Unit {
                code: c.clone(),
                ..(*u).clone()
            };
            entries.push(audit::Entry::new(
                "unit.update",
                "unit",
                c,
                Some(*u),
                Some(&after),
            ));
        }
    }
    let n = entries.len() as u64;
    audit::append_many(&mut tx, &Actor::system(), entries).await?;
    tx.commit().await?;
    if n > 0 {
        tracing::info!(n, "mã tỉnh/huyện/xã đã được thêm số 0 cho đủ chữ số");
    }
    Ok(n)
}

/// Whether putting `id` under `new_parent` would make `id` its own ancestor.
fn would_cycle(parents: &HashMap<i64, Option<i64>>, id: i64, new_parent: Option<i64>) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_nested_provinces_and_wards() {
        let rows = parse_json(r#"[{"name":"Tỉnh Bình Dương","code":74,"division_type":"tỉnh","wards":[{"name":"Xã An Lập","code":25792,"division_type":"xã"}]}]"#).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].kind, UnitKind::Province);
        assert_eq!(rows[1].parent_code.as_deref(), Some("74"));
        assert_eq!(rows[1].kind, UnitKind::Commune);
    }

    #[test]
    fn json_errors_name_the_path() {
        let e = parse_json(r#"[{"name":"A","code":"1","division_type":"tỉnh","wards":[{"code":"2","division_type":"xã"}]}]"#).unwrap_err();
        assert_eq!(e.location, "$[0].wards[0].name");
        let e = parse_json("[{\"name\": }]").unwrap_err();
        assert!(e.location.starts_with("dòng 1"), "{e}");
        let e = parse_json(r#"[{"name":"A","code":"../x","division_type":"tỉnh"}]"#).unwrap_err();
        assert_eq!(e.location, "$[0]");
    }

    #[test]
    fn csv_rows_and_errors_name_the_line() {
        let rows = parse_csv(
            "code,name,kind,parent_code\n74,Tỉnh Bình Dương,tỉnh,\n25792,Xã An Lập,xã,74\n",
        )
        .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].kind, UnitKind::Commune);
        let e = parse_csv("code,name,kind,parent_code\n74,Tỉnh Bình Dương,tỉnh,\n25792,,xã,74\n")
            .unwrap_err();
        assert_eq!(e.location, "dòng 3");
        let e = parse_csv("ma,ten\n1,2\n").unwrap_err();
        assert_eq!(e.location, "dòng 1");
        let e = parse_csv("code,name,kind,parent_code\n1,A,planet,\n").unwrap_err();
        assert_eq!(e.location, "dòng 2");
    }

    #[test]
    fn reparenting_under_a_descendant_is_a_cycle() {
        let parents = HashMap::from([(1, None), (2, Some(1)), (3, Some(2))]);
        assert!(would_cycle(&parents, 1, Some(3)));
        assert!(would_cycle(&parents, 2, Some(2)));
        assert!(!would_cycle(&parents, 3, Some(1)));
        assert!(!would_cycle(&parents, 3, None));
    }

    #[test]
    fn rows_are_ordered_parents_first_and_checked() {
        let rows = parse_csv("code,name,kind,parent_code\n25792,Xã An Lập,xã,721\n721,Huyện Dầu Tiếng,huyện,74\n74,Tỉnh Bình Dương,tỉnh,\n").unwrap();
        let ordered = order_rows(rows, &HashMap::new()).unwrap();
        let codes: Vec<_> = ordered.iter().map(|r| r.code.as_str()).collect();
        assert_eq!(codes, ["74", "721", "25792"]);

        let rows = parse_csv("code,name,kind,parent_code\n1,A,xã,99\n").unwrap();
        assert!(order_rows(rows.clone(), &HashMap::new()).is_err());
        let known = HashMap::from([("99".to_string(), Some(UnitKind::District))]);
        assert!(order_rows(rows, &known).is_ok());

        let cyc = parse_csv("code,name,kind,parent_code\nA1,A,ấp,A2\nA2,B,ấp,A1\n").unwrap();
        let e = order_rows(cyc, &HashMap::new()).unwrap_err();
        assert!(e.reason.contains("vòng lặp"), "{e}");

        let dup = parse_csv("code,name,kind,parent_code\n1,A,tỉnh,\n1,B,tỉnh,\n").unwrap();
        assert!(order_rows(dup, &HashMap::new()).is_err());
    }

    /// Province 4 (Cao Bằng), district 4 and ward 4 (Phường Ba Đình) of the official list.
    const OVERLAP: &str = r#"[
      {"name":"Thành phố Hà Nội","code":1,"division_type":"thành phố trung ương",
       "districts":[{"name":"Quận Long Biên","code":4,"division_type":"quận"}],
       "wards":[{"name":"Phường Ba Đình","code":4,"division_type":"phường"}]},
      {"name":"Tỉnh Cao Bằng","code":4,"division_type":"tỉnh"}]"#;

    #[test]
    fn json_codes_are_zero_padded_per_level() {
        let rows = parse_json(OVERLAP).unwrap();
        let codes: Vec<_> = rows.iter().map(|r| r.code.as_str()).collect();
        assert_eq!(codes, ["01", "004", "00004", "04"]);
        assert_eq!(rows[1].parent_code.as_deref(), Some("01"));
        assert_eq!(rows[2].parent_code.as_deref(), Some("01"));
    }

    #[test]
    fn province_4_and_ward_4_are_different_units() {
        let rows = order_rows(parse_json(OVERLAP).unwrap(), &HashMap::new()).unwrap();
        assert_eq!(rows.len(), 4);
    }

    #[test]
    fn integer_and_string_codes_mean_the_same_unit() {
        let one = |code: &str| {
            let json = format!(
                r#"[{{"name":"Tỉnh Cao Bằng","code":{code},"division_type":"tỉnh","wards":[{{"name":"Phường Thục Phán","code":{code},"division_type":"phường"}}]}}]"#
            );
            let rows = parse_json(&json).unwrap();
            (
                rows[0].code.clone(),
                rows[1].code.clone(),
                rows[1].parent_code.clone(),
            )
        };
        let want = (
            "04".to_string(),
            "00004".to_string(),
            Some("04".to_string()),
        );
        for code in ["4", r#""4""#, r#""04""#, r#"" 4 ""#] {
            assert_eq!(one(code), want, "code {code}");
        }
        // The duplicate check compares normalised codes: 4 and "04" are one province.
        let rows = parse_json(r#"[{"name":"Tỉnh Cao Bằng","code":4,"division_type":"tỉnh"},{"name":"Tỉnh Cao Bằng","code":"04","division_type":"tỉnh"}]"#).unwrap();
        assert_eq!(order_rows(rows, &HashMap::new()).unwrap().len(), 1);
    }

    #[test]
    fn json_code_must_be_a_whole_number_or_text() {
        for code in ["4.5", "-4", "true"] {
            let json = format!(r#"[{{"name":"Tỉnh A","code":{code},"division_type":"tỉnh"}}]"#);
            let e = parse_json(&json).unwrap_err();
            assert_eq!(e.location, "$[0].code", "code {code}: {e}");
        }
    }

    #[test]
    fn true_duplicate_at_one_level_is_refused_with_location() {
        let rows = parse_json(r#"[{"name":"Tỉnh Cao Bằng","code":4,"division_type":"tỉnh"},{"name":"Tỉnh Khác","code":"04","division_type":"tỉnh"}]"#).unwrap();
        let e = order_rows(rows, &HashMap::new()).unwrap_err();
        assert_eq!(e.location, "$[1]");
        assert!(e.reason.contains("mã 04 trùng với $[0]"), "{e}");
    }

    #[test]
    fn code_longer_than_its_level_is_refused_with_location() {
        let e = parse_json(r#"[{"name":"Tỉnh A","code":100,"division_type":"tỉnh"}]"#).unwrap_err();
        assert_eq!(e.location, "$[0].code");
        assert!(
            e.reason.contains("100") && e.reason.contains("2 chữ số"),
            "{e}"
        );
        let e = parse_json(r#"[{"name":"Tỉnh A","code":4,"division_type":"tỉnh","wards":[{"name":"Xã B","code":"123456","division_type":"xã"}]}]"#).unwrap_err();
        assert_eq!(e.location, "$[0].wards[0].code");
        assert!(e.reason.contains("5 chữ số"), "{e}");
        let e = parse_csv("code,name,kind,parent_code\n4,Tỉnh A,tỉnh,\n1234,Huyện B,huyện,4\n")
            .unwrap_err();
        assert_eq!(e.location, "dòng 3");
        assert!(
            e.reason.contains("1234") && e.reason.contains("3 chữ số"),
            "{e}"
        );
        // Leading zeros do not count: "004" is province 4.
        let rows =
            parse_json(r#"[{"name":"Tỉnh A","code":"004","division_type":"tỉnh"}]"#).unwrap();
        assert_eq!(rows[0].code, "04");
    }

    #[test]
    fn free_form_codes_are_kept_as_given() {
        let rows = parse_csv("code,name,kind,parent_code\n4,Ấp Bốn,ấp,25789\n721-NV,Phòng Nội vụ,agency,721\n0012,Đơn vị X,public_unit,721\n").unwrap();
        let codes: Vec<_> = rows.iter().map(|r| r.code.as_str()).collect();
        assert_eq!(codes, ["4", "721-NV", "0012"]);
    }

    #[test]
    fn csv_codes_are_padded_and_parents_found_at_their_level() {
        let rows = parse_csv("code,name,kind,parent_code\n8,Tỉnh Tuyên Quang,tỉnh,\n8,Phường Minh Xuân,phường,8\n8-1,Tổ dân phố 1,tổ dân phố,00008\n").unwrap();
        let rows = order_rows(rows, &HashMap::new()).unwrap();
        let got: Vec<_> = rows
            .iter()
            .map(|r| (r.code.as_str(), r.parent_code.as_deref()))
            .collect();
        assert_eq!(
            got,
            [("08", None), ("00008", Some("08")), ("8-1", Some("00008"))]
        );
    }

    #[test]
    fn csv_parent_with_two_possible_levels_is_refused_with_location() {
        let rows = parse_csv(
            "code,name,kind,parent_code\n4,Tỉnh A,tỉnh,\n4,Huyện B,huyện,4\n4,Xã C,xã,4\n",
        )
        .unwrap();
        let e = order_rows(rows, &HashMap::new()).unwrap_err();
        assert_eq!(e.location, "dòng 4");
        assert!(
            e.reason.contains("04 (cấp tỉnh) hoặc 004 (cấp huyện)"),
            "{e}"
        );
        // Written in full, the parent is clear.
        let rows = parse_csv(
            "code,name,kind,parent_code\n4,Tỉnh A,tỉnh,\n4,Huyện B,huyện,4\n4,Xã C,xã,004\n",
        )
        .unwrap();
        let rows = order_rows(rows, &HashMap::new()).unwrap();
        assert_eq!(rows[2].code, "00004");
        assert_eq!(rows[2].parent_code.as_deref(), Some("004"));
        // The district's parent "4" can only be the province: a district is below it.
        assert_eq!(rows[1].parent_code.as_deref(), Some("04"));
    }

    #[test]
    fn csv_parent_in_the_database_is_found_at_its_level() {
        let known: KnownUnits = HashMap::from([
            ("04".to_string(), Some(UnitKind::Province)),
            ("00004".to_string(), Some(UnitKind::Commune)),
        ]);
        let rows = parse_csv("code,name,kind,parent_code\n1273,Phường Thục Phán,phường,4\nA-1,Tổ 1,tổ dân phố,00004\n").unwrap();
        let rows = order_rows(rows, &known).unwrap();
        let got: Vec<_> = rows
            .iter()
            .map(|r| (r.code.as_str(), r.parent_code.as_deref()))
            .collect();
        assert_eq!(got, [("01273", Some("04")), ("A-1", Some("00004"))]);
        // A number naming no unit at a level above is reported as written.
        let rows = parse_csv("code,name,kind,parent_code\n99,Tỉnh X,tỉnh,4\n").unwrap();
        let e = order_rows(rows, &known).unwrap_err();
        assert!(
            e.reason.contains("không tìm thấy đơn vị cấp trên mã 4"),
            "{e}"
        );
    }
}
