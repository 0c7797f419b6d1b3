//! Codes per level (issue 13, item 10): codes stored by an older danchu unpadded.

use std::collections::{HashMap, HashSet};

use danchu_core::units::normal_code;

use super::read::{Unit, COLS};
use crate::audit::{self, Actor};
use crate::exec::{q, Db, Result};

/// Pads the numeric codes of provinces, districts and communes that an older danchu
/// stored as given (`4` → `04`, `731` → `00731`), so that they match what imports and the
/// admin store now. Runs at start (with the migrations); one transaction, each change
/// audited as `unit.update` by the system; a no-op once done. A code is left as it is,
/// with a warning in the log, when its padded form is already some unit's code or is
/// wanted by two units, or when it is longer than its level: an administrator decides.
/// Returns how many codes changed.
pub async fn pad_codes(db: &Db) -> Result<u64> {
    // Read first: once done (every start after the first), no write lock is taken.
    let all: Vec<Unit> = db
        .clone()
        .fetch_all_as(q(format!("SELECT {COLS} FROM units")))
        .await?;
    if padded(&all).is_empty() {
        return Ok(0);
    }
    let mut tx = db.begin().await?;
    if tx.backend() == crate::Backend::Postgres {
        // Several nodes may start at once: one pads, the others then find nothing to do.
        tx.execute(q("SELECT pg_advisory_xact_lock(7426001)"))
            .await?;
    }
    let all: Vec<Unit> = tx
        .fetch_all_as(q(format!("SELECT {COLS} FROM units")))
        .await?;
    let moves = padded(&all);
    let now = crate::now_s();
    let mut entries = Vec::new();
    for (u, c) in &moves {
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
                audit::action::UNIT_UPDATE,
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

/// The units whose code pads to a free code no other unit wants, with that code; the
/// others are left as they are, with a warning in the log.
fn padded(all: &[Unit]) -> Vec<(&Unit, String)> {
    let taken: HashSet<&str> = all.iter().map(|u| u.code.as_str()).collect();
    let mut moves: Vec<(&Unit, String)> = Vec::new();
    for u in all {
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
    let mut wanted: HashMap<String, usize> = HashMap::new();
    for (_, c) in &moves {
        *wanted.entry(c.clone()).or_default() += 1;
    }
    moves
        .into_iter()
        .filter(|(u, c)| {
            let free = !taken.contains(c.as_str()) && wanted.get(c).copied().unwrap_or(0) <= 1;
            if !free {
                tracing::warn!(code = %u.code, padded = %c, "mã đơn vị giữ nguyên: mã {c} đã có đơn vị khác dùng");
            }
            free
        })
        .collect()
}
