//! Server-side sessions kept in the database (so several nodes share them) and the
//! sign-in throttle. The cookie holds a random token; the database keeps only its
//! SHA-256, so a copy of the database does not hand out live sessions.

use base64::Engine as _;
use sha2::{Digest, Sha256};

use crate::exec::{q, Db, Result};

/// Idle timeout: a session unused this long ends.
pub const IDLE_S: i64 = 8 * 3600;
/// Absolute lifetime.
pub const MAX_S: i64 = 7 * 24 * 3600;
/// `last_seen_at` is refreshed at most this often, so reading pages does not write.
pub const TOUCH_EVERY_S: i64 = 300;

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A fresh random token (256 bits, URL-safe base64).
pub fn new_token() -> String {
    use rand::RngCore;
    let mut b = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut b);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

/// Starts a session; returns the cookie token.
pub async fn create(db: &Db, user_id: i64, ip: &str, user_agent: &str) -> Result<String> {
    let token = new_token();
    let now = crate::now_s();
    let ua: String = user_agent.chars().take(300).collect();
    db.execute(
        q("INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at, ip, user_agent) VALUES ($1, $2, $3, $3, $4, $5, $6)")
            .bind(token_hash(&token))
            .bind(user_id)
            .bind(now)
            .bind(now + MAX_S)
            .bind(ip)
            .bind(ua),
    )
    .await?;
    Ok(token)
}

/// A live session's user.
#[derive(Debug, Clone)]
pub struct Live {
    pub user_id: i64,
    pub username: String,
    pub full_name: String,
    pub id_hash: String,
}

/// Looks a token up; expired, idle or deactivated sessions are not returned.
pub async fn lookup(db: &Db, token: &str) -> Result<Option<Live>> {
    let now = crate::now_s();
    let h = token_hash(token);
    let Some(r) = db
        .fetch_optional(
            q("SELECT s.user_id, s.last_seen_at, u.username, u.full_name FROM sessions s JOIN users u ON u.id = s.user_id
               WHERE s.id_hash = $1 AND s.expires_at > $2 AND s.last_seen_at > $3 AND u.active = $4")
                .bind(&h)
                .bind(now)
                .bind(now - IDLE_S)
                .bind(true),
        )
        .await?
    else {
        return Ok(None);
    };
    let last_seen: i64 = r.get("last_seen_at")?;
    if now - last_seen > TOUCH_EVERY_S {
        db.execute(
            q("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2")
                .bind(now)
                .bind(&h),
        )
        .await?;
    }
    Ok(Some(Live {
        user_id: r.get("user_id")?,
        username: r.get("username")?,
        full_name: r.get("full_name")?,
        id_hash: h,
    }))
}

pub async fn delete(db: &Db, id_hash: &str) -> Result<()> {
    db.execute(q("DELETE FROM sessions WHERE id_hash = $1").bind(id_hash))
        .await?;
    Ok(())
}

/// Removes expired sessions; returns how many.
pub async fn purge_expired(db: &Db) -> Result<u64> {
    let now = crate::now_s();
    db.execute(
        q("DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2")
            .bind(now)
            .bind(now - IDLE_S),
    )
    .await
}

/// Seconds a key (`user:NAME` or `ip:ADDR`) must still wait before trying again.
pub async fn throttle_wait(db: &Db, key: &str) -> Result<i64> {
    let now = crate::now_s();
    let r = db
        .fetch_optional(q("SELECT locked_until FROM login_throttle WHERE key = $1").bind(key))
        .await?;
    Ok(match r {
        Some(r) => (r.get::<i64>("locked_until")? - now).max(0),
        None => 0,
    })
}

/// Records a failed sign-in; returns the wait now imposed. Additive, so concurrent
/// failures on several nodes all count.
pub async fn throttle_fail(db: &Db, key: &str, free_failures: i64) -> Result<i64> {
    let now = crate::now_s();
    db.execute(
        q("INSERT INTO login_throttle (key, failures, last_failure_at, locked_until) VALUES ($1, 1, $2, 0)
           ON CONFLICT (key) DO UPDATE SET failures = login_throttle.failures + 1, last_failure_at = $2")
            .bind(key)
            .bind(now),
    )
    .await?;
    let failures: i64 = match db
        .fetch_optional(q("SELECT failures FROM login_throttle WHERE key = $1").bind(key))
        .await?
    {
        Some(r) => r.get("failures")?,
        None => 0,
    };
    // The per-address key allows more failures than the per-account one.
    let shifted = failures - (free_failures - danchu_core::throttle::FREE_FAILURES);
    let wait = danchu_core::throttle::backoff_secs(shifted);
    if wait > 0 {
        db.execute(
            q("UPDATE login_throttle SET locked_until = $1 WHERE key = $2")
                .bind(now + wait)
                .bind(key),
        )
        .await?;
    }
    Ok(wait)
}

/// Clears a key after a successful sign-in.
pub async fn throttle_clear(db: &Db, key: &str) -> Result<()> {
    db.execute(q("DELETE FROM login_throttle WHERE key = $1").bind(key))
        .await?;
    Ok(())
}
