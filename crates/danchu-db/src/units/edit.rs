//! Creating, renaming and merging units (audited). Units are never deleted: a merge
//! closes the old units (valid_to) and points them at their successor.

use danchu_core::text::{clean_line, fold};
pub use danchu_core::units::refusals as check;
use danchu_core::units::{normal_code, UnitKind};
use time::Date;

use super::read::{by_code, get, Unit, COLS};
use crate::audit::{self, Actor};
use crate::exec::{q, Db, DbError, Result, Tx};

/// Fields of a new unit, already checked.
#[derive(Debug, Clone)]
pub struct NewUnit {
    pub code: String,
    pub name: String,
    pub kind: UnitKind,
    pub parent_id: Option<i64>,
    pub valid_from: Option<Date>,
}

/// A new unit as the admin typed it: the code as typed, the kind if one was chosen
/// (`None`: the form already says so).
#[derive(Debug, Clone)]
pub struct UnitDraft {
    pub code: String,
    pub name: String,
    pub kind: Option<UnitKind>,
    pub parent_id: Option<i64>,
    pub valid_from: Option<Date>,
}

/// An admin adds a unit: checked once (core's rules, the code stored as an import stores
/// it — `4` typed for a province is `04` — and free), then created (audited).
/// `unreadable` are the fields the form could not parse, refused with the rest.
pub async fn add(
    db: &Db,
    actor: &Actor,
    d: &UnitDraft,
    unreadable: Vec<(&'static str, String)>,
) -> Result<Unit> {
    let mut refused = unreadable;
    let mut refuse = |field: &'static str, message: String| {
        if !refused.iter().any(|(f, _)| *f == field) {
            refused.push((field, message));
        }
    };
    for (field, message) in check(&d.code, &d.name) {
        refuse(field, message);
    }
    if d.kind.is_none() {
        refuse("kind", "Hãy chọn loại đơn vị.".into());
    }
    let code = match d.kind.map(|k| normal_code(k, &d.code)) {
        Some(Ok(c)) => c,
        Some(Err(e)) => {
            refuse("code", e.message_vi(&d.code));
            d.code.clone()
        }
        None => d.code.clone(),
    };
    let kind = d.kind.filter(|_| refused.is_empty());
    let Some(kind) = kind else {
        return Err(DbError::Refused(refused));
    };
    if by_code(&mut db.clone(), &code).await?.is_some() {
        return Err(DbError::Refused(vec![(
            "code",
            format!("Mã {code} đã được dùng cho đơn vị khác."),
        )]));
    }
    let nu = NewUnit {
        code,
        name: d.name.clone(),
        kind,
        parent_id: d.parent_id,
        valid_from: d.valid_from,
    };
    match create(db, actor, &nu).await {
        Err(e) if e.is_unique_violation() => Err(DbError::Refused(vec![(
            "code",
            "Mã đã được dùng cho đơn vị khác.".into(),
        )])),
        created => created,
    }
}

async fn insert(tx: &mut Tx, actor: &Actor, u: &NewUnit) -> Result<Unit> {
    let now = crate::now_s();
    let name = clean_line(&u.name);
    let created: Unit = tx
        .fetch_optional_as(
            q(format!("INSERT INTO units (code, name, name_key, kind, parent_id, valid_from, created_at, updated_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING {COLS}"))
            .bind(&u.code)
            .bind(&name)
            .bind(fold(&name))
            .bind(u.kind.code())
            .bind(u.parent_id)
            .bind(u.valid_from)
            .bind(now),
        )
        .await?
        .ok_or(DbError::NotFound)?;
    audit::record(audit::action::UNIT_CREATE, "unit", &created.code)
        .after(tx, actor, &created)
        .await?;
    Ok(created)
}

/// Creates a unit (audited).
pub async fn create(db: &Db, actor: &Actor, u: &NewUnit) -> Result<Unit> {
    crate::in_tx(db, async |tx| insert(tx, actor, u).await).await
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
    let update = q("UPDATE units SET name = $1, name_key = $2, updated_at = $3 WHERE id = $4")
        .bind(&name)
        .bind(fold(&name))
        .bind(crate::now_s())
        .bind(id);
    let after = Unit {
        name,
        ..before.clone()
    };
    audit::record(audit::action::UNIT_UPDATE, "unit", &before.code)
        .update(&mut tx, actor, update, &before, &after)
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
        closed.push(close_one(&mut tx, actor, id, successor_id, closing).await?);
    }
    tx.commit().await?;
    Ok(closed)
}

/// Closes one unit on `closing`, pointing it at its successor (audited).
async fn close_one(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    successor_id: i64,
    closing: Date,
) -> Result<Unit> {
    let before = get(&mut *tx, id).await?.ok_or(DbError::NotFound)?;
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
                .bind(closing)
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
        valid_to: Some(closing),
        successor_id: Some(successor_id),
        ..before.clone()
    };
    audit::record(audit::action::UNIT_MERGE, "unit", &before.code)
        .changed(&mut *tx, actor, &before, &after)
        .await?;
    Ok(after)
}
