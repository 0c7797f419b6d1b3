//! Per-unit API tokens (issue 5): a unit's own system sends its reports and plan progress
//! through `/api/v1` with `Authorization: Bearer <token>`. A token acts as a reporter of
//! its unit and nothing more. Only the SHA-256 of a token is stored; it is shown once.

use serde::Serialize;

use crate::audit::{self, Actor};
use crate::exec::{q, row_struct, Db, DbError, Result};

/// Tokens start with this, so a leaked one is easy to recognise in logs and code.
pub const PREFIX: &str = "danchu_";

row_struct! {
    #[derive(Debug, Clone, Serialize, PartialEq)]
    pub struct ApiToken {
        pub id: i64,
        pub unit_id: i64,
        pub name: String,
        pub created_by: String,
        pub created_at: i64,
        pub last_used_at: Option<i64>,
        pub revoked_at: Option<i64>,
    }
}

impl ApiToken {
    /// Who acts when this token is used (written in the audit log).
    pub fn actor_name(&self) -> String {
        format!("api-token#{}", self.id)
    }
}

const COLS: &str = "id, unit_id, name, created_by, created_at, last_used_at, revoked_at";

/// Creates a token for a unit (audited, without the secret). Returns it with the secret,
/// which is never shown again.
pub async fn create(
    db: &Db,
    actor: &Actor,
    unit_id: i64,
    name: &str,
) -> Result<(ApiToken, String)> {
    let name = danchu_core::text::clean_line(name);
    if name.is_empty() || name.chars().count() > 100 {
        return Err(DbError::Invalid(
            "Hãy đặt tên cho khóa (tối đa 100 ký tự), ví dụ “Phần mềm một cửa xã”.".into(),
        ));
    }
    let secret = format!("{PREFIX}{}", crate::sessions::new_token());
    let mut tx = db.begin().await?;
    let t: ApiToken = tx
        .fetch_optional_as(
            q(format!("INSERT INTO api_tokens (unit_id, name, token_hash, created_by, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING {COLS}"))
                .bind(unit_id)
                .bind(name)
                .bind(crate::sessions::token_hash(&secret))
                .bind(&actor.0)
                .bind(crate::now_s()),
        )
        .await?
        .ok_or(DbError::NotFound)?;
    audit::record(audit::action::API_TOKEN_CREATE, "api_token", t.id)
        .after(&mut tx, actor, &t)
        .await?;
    tx.commit().await?;
    Ok((t, secret))
}

/// Revokes a token (audited); it stops working at once on every node.
pub async fn revoke(db: &Db, actor: &Actor, id: i64) -> Result<ApiToken> {
    let mut tx = db.begin().await?;
    let before: ApiToken = tx
        .fetch_optional_as(q(format!("SELECT {COLS} FROM api_tokens WHERE id = $1")).bind(id))
        .await?
        .ok_or(DbError::NotFound)?;
    tx.execute(
        q("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(crate::now_s())
            .bind(id),
    )
    .await?;
    let after: ApiToken = tx
        .fetch_optional_as(q(format!("SELECT {COLS} FROM api_tokens WHERE id = $1")).bind(id))
        .await?
        .ok_or(DbError::NotFound)?;
    audit::record(audit::action::API_TOKEN_REVOKE, "api_token", id)
        .changed(&mut tx, actor, &before, &after)
        .await?;
    tx.commit().await?;
    Ok(after)
}

pub async fn get(db: &Db, id: i64) -> Result<Option<ApiToken>> {
    db.fetch_optional_as(q(format!("SELECT {COLS} FROM api_tokens WHERE id = $1")).bind(id))
        .await
}

/// The tokens of some units (all units for `None`), newest first.
pub async fn list(db: &Db, units: Option<&[i64]>) -> Result<Vec<ApiToken>> {
    let query = match units {
        None => q(format!("SELECT {COLS} FROM api_tokens ORDER BY id DESC")),
        Some([]) => return Ok(Vec::new()),
        Some(u) => q(format!("SELECT {COLS} FROM api_tokens WHERE unit_id IN "))
            .in_list(u)
            .push(" ORDER BY id DESC"),
    };
    db.fetch_all_as(query).await
}

/// The live token with this secret, if any. Its last use is written at most once a
/// minute, so busy integrations do not turn every read into a write.
pub async fn lookup(db: &Db, secret: &str) -> Result<Option<ApiToken>> {
    if !secret.starts_with(PREFIX) || secret.len() > 200 {
        return Ok(None);
    }
    let Some(t) = db
        .fetch_optional_as::<ApiToken>(
            q(format!(
                "SELECT {COLS} FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL"
            ))
            .bind(crate::sessions::token_hash(secret)),
        )
        .await?
    else {
        return Ok(None);
    };
    let now = crate::now_s();
    if t.last_used_at.is_none_or(|at| at < now - 60) {
        db.execute_bookkeeping(
            q("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
                .bind(now)
                .bind(t.id),
        )
        .await?;
    }
    Ok(Some(t))
}
