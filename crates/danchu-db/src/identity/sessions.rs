//! Server-side sessions kept in the database (so several nodes share them) and the
//! sign-in throttle. The cookie holds a random token; the database keeps only its
//! SHA-256, so a copy of the database does not hand out live sessions.

use base64::Engine as _;
use sha2::{Digest, Sha256};

use danchu_core::roles::{Grant, Role};

use crate::decode::col;
use crate::exec::{q, row_struct, Db, Exec, Result, Tx};

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

/// Starts a session inside the caller's transaction (so it commits with its audit
/// entry); returns the cookie token.
pub async fn create(e: &mut impl Exec, user_id: i64, ip: &str, user_agent: &str) -> Result<String> {
    let token = new_token();
    let now = crate::now_s();
    let ua: String = user_agent
        .chars()
        .filter(|c| !c.is_control())
        .take(300)
        .collect();
    e.execute(
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

row_struct! {
    /// A live session as [`lookup`] reads it: one row per grant of its user (one row
    /// with no role when the user holds none).
    struct Seen {
        user_id: i64,
        last_seen_at: i64,
        username: String,
        full_name: String,
        role: Option<Role> = col::nullable_code("user_roles.role", Role::from_code),
        unit_id: Option<i64>,
    }
}

/// Looks a token up with the grants of its user, in one statement (every signed-in
/// request asks this); expired, idle or deactivated sessions are not returned.
pub async fn lookup(db: &Db, token: &str) -> Result<Option<(Live, Vec<Grant>)>> {
    let now = crate::now_s();
    let h = token_hash(token);
    let rows: Vec<Seen> = db
        .clone()
        .fetch_all_as(
            q("SELECT s.user_id, s.last_seen_at, u.username, u.full_name, r.role, r.unit_id
               FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN user_roles r ON r.user_id = u.id
               WHERE s.id_hash = $1 AND s.expires_at > $2 AND s.last_seen_at > $3 AND u.active = $4")
                .bind(&h)
                .bind(now)
                .bind(now - IDLE_S)
                .bind(true),
        )
        .await?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    if now - first.last_seen_at > TOUCH_EVERY_S {
        // Bookkeeping, not a user's change: at most once per TOUCH_EVERY_S a session.
        db.execute_bookkeeping(
            q("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2")
                .bind(now)
                .bind(&h),
        )
        .await?;
    }
    let grants = rows
        .iter()
        .filter_map(|r| {
            r.role.map(|role| Grant {
                role,
                unit_id: r.unit_id,
            })
        })
        .collect();
    let live = Live {
        user_id: first.user_id,
        username: first.username.clone(),
        full_name: first.full_name.clone(),
        id_hash: h,
    };
    Ok(Some((live, grants)))
}

pub async fn delete(e: &mut impl Exec, id_hash: &str) -> Result<()> {
    e.execute(q("DELETE FROM sessions WHERE id_hash = $1").bind(id_hash))
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

/// Failures older than this are forgotten.
pub const THROTTLE_WINDOW_S: i64 = 15 * 60;

/// The throttle key of an account: a hash, so any input fits the primary key.
pub fn user_key(username: &str) -> String {
    format!(
        "user:{}",
        &token_hash(&username.trim().to_lowercase())[..32]
    )
}

/// The throttle key of an address: IPv4 as is, IPv6 by its /64 (one subscriber).
pub fn ip_key(ip: &std::net::IpAddr) -> String {
    match ip {
        std::net::IpAddr::V4(v4) => format!("ip:{v4}"),
        std::net::IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => format!("ip:{v4}"),
            None => {
                let s = v6.segments();
                format!("ip6:{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

/// Counts one sign-in attempt against each `(key, free)` *before* the password is
/// checked, atomically and in one transaction, so a burst of parallel attempts cannot slip
/// past the limit. Returns `Err(wait)` when a key is locked (the attempt must be refused),
/// `Ok(())` when it may go on. After `free` attempts within the window a key is locked for
/// the backoff time.
pub async fn throttle_attempt(
    db: &Db,
    keys: &[(&str, i64)],
) -> Result<std::result::Result<(), i64>> {
    let now = crate::now_s();
    let mut tx = db.begin().await?;
    let mut outcome = Ok(());
    for (key, free) in keys {
        let (attempts, locked_until): (i64, i64) = tx
            .fetch_optional_as(
                q("INSERT INTO login_throttle (key, failures, last_failure_at, locked_until) VALUES ($1, 1, $2, 0)
                   ON CONFLICT (key) DO UPDATE SET
                     failures = CASE WHEN login_throttle.last_failure_at < $3 THEN 1 ELSE login_throttle.failures + 1 END,
                     last_failure_at = $2
                   RETURNING failures, locked_until")
                    .bind(*key)
                    .bind(now)
                    .bind(now - THROTTLE_WINDOW_S),
            )
            .await?
            .ok_or(crate::DbError::NotFound)?;
        if locked_until > now {
            outcome = Err(locked_until - now);
            break;
        }
        // Map onto the core rule, whose first wait comes after FREE_FAILURES failures.
        let wait = danchu_core::throttle::backoff_secs(
            attempts - free + danchu_core::throttle::FREE_FAILURES,
        );
        if wait > 0 {
            tx.execute(
                q("UPDATE login_throttle SET locked_until = $1 WHERE key = $2")
                    .bind(now + wait)
                    .bind(*key),
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(outcome)
}

/// After a successful sign-in, inside its transaction: the account's count is cleared,
/// and the address's count gives back the attempt it took.
pub async fn throttle_success(tx: &mut Tx, user_key: &str, ip_key: &str) -> Result<()> {
    tx.execute(q("DELETE FROM login_throttle WHERE key = $1").bind(user_key))
        .await?;
    tx.execute(
        q("UPDATE login_throttle SET failures = failures - 1 WHERE key = $1 AND failures > 0")
            .bind(ip_key),
    )
    .await?;
    Ok(())
}

/// Removes throttle rows that no longer matter; returns how many.
pub async fn purge_throttle(db: &Db) -> Result<u64> {
    let now = crate::now_s();
    db.execute(
        q("DELETE FROM login_throttle WHERE last_failure_at < $1 AND locked_until < $2")
            .bind(now - THROTTLE_WINDOW_S)
            .bind(now),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttle_keys() {
        assert_eq!(ip_key(&"10.0.0.1".parse().unwrap()), "ip:10.0.0.1");
        assert_eq!(
            ip_key(&"2001:db8:1:2:aaaa::1".parse().unwrap()),
            ip_key(&"2001:db8:1:2:bbbb::9".parse().unwrap())
        );
        assert_ne!(
            ip_key(&"2001:db8:1:2::1".parse().unwrap()),
            ip_key(&"2001:db8:1:3::1".parse().unwrap())
        );
        assert_eq!(ip_key(&"::ffff:10.0.0.1".parse().unwrap()), "ip:10.0.0.1");
        assert_eq!(user_key("Admin"), user_key(" admin "));
        assert_eq!(user_key(&"x".repeat(1_000_000)).len(), 37);
    }
}
