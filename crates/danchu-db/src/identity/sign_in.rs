//! Signing in and out, each one transaction: the session, the throttle's counts and the
//! audit entry together. (The attempt itself is counted before, in its own transaction,
//! by [`super::sessions::throttle_attempt`], so parallel attempts cannot pass the limit.)

use super::sessions;
use crate::audit::{self, Actor};
use crate::exec::{Db, Result};

/// Who signs in, from where.
#[derive(Debug, Clone)]
pub struct SignIn<'a> {
    pub user_id: i64,
    pub username: &'a str,
    /// The throttle's keys of the account and of the address.
    pub user_key: &'a str,
    pub ip_key: &'a str,
    pub ip: &'a str,
    pub user_agent: &'a str,
    /// The session the browser already had (it ends: no two sessions share one cookie jar).
    pub replaces: Option<&'a str>,
}

/// A password accepted: clears the account's failures, ends the browser's old session,
/// opens a new one and audits the sign-in. Returns the new session's token.
pub async fn signed_in(db: &Db, s: &SignIn<'_>) -> Result<String> {
    let mut tx = db.begin().await?;
    sessions::throttle_success(&mut tx, s.user_key, s.ip_key).await?;
    if let Some(old) = s.replaces {
        sessions::delete(&mut tx, old).await?;
    }
    let token = sessions::create(&mut tx, s.user_id, s.ip, s.user_agent).await?;
    audit::record(danchu_core::audit::action::AUTH_SIGN_IN, "user", s.username)
        .after(
            &mut tx,
            &Actor(s.username.to_string()),
            &serde_json::json!({"ip": s.ip}),
        )
        .await?;
    tx.commit().await?;
    Ok(token)
}

/// Ends the session `id_hash` of `username` (audited).
pub async fn sign_out(db: &Db, username: &str, id_hash: &str) -> Result<()> {
    let mut tx = db.begin().await?;
    sessions::delete(&mut tx, id_hash).await?;
    audit::append(
        &mut tx,
        &Actor(username.to_string()),
        danchu_core::audit::action::AUTH_SIGN_OUT,
        "user",
        username,
        None::<&()>,
        None::<&()>,
    )
    .await?;
    tx.commit().await
}
