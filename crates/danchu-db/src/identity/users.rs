//! Users, their argon2id password hashes and their roles on units.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use danchu_core::roles::{Grant, Role};
use danchu_core::text::clean_line;
use serde::Serialize;

use crate::audit::{self, Actor};
use crate::decode::col;
use crate::exec::{q, row_struct, Db, DbError, Exec, Result, Tx, Value};

row_struct! {
    #[derive(Debug, Clone, Serialize)]
    pub struct User {
        pub id: i64,
        pub username: String,
        pub full_name: String,
        pub active: bool,
    }
}

row_struct! {
    /// A user's role with the unit's name, for display.
    #[derive(Debug, Clone, Serialize)]
    pub struct RoleRow {
        pub id: i64,
        pub user_id: i64,
        pub role: String = col::known_code("user_roles.role", Role::from_code),
        pub unit_id: Option<i64>,
        pub unit_name: Option<String>,
    }
}

/// Hashes a password with argon2id (the crate's defaults: 19 MiB, 2 passes) and a
/// random salt. CPU-heavy: call it off the async executor.
pub fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| DbError::Invalid(format!("argon2: {e}")))
}

/// Checks a password against a stored hash.
pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A valid hash of a random password, verified against when the username is unknown so
/// that a wrong username takes as long as a wrong password.
pub fn dummy_hash() -> &'static str {
    static H: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    H.get_or_init(|| hash_password("dummy-password-never-used").unwrap_or_default())
}

/// Checks a new user's fields; returns (field, Vietnamese reason) for each problem.
pub fn check_new(username: &str, full_name: &str, password: &str) -> Vec<(&'static str, String)> {
    let mut errs = Vec::new();
    let u = username.trim();
    if u.len() < 3
        || u.len() > 64
        || !u
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    {
        errs.push((
            "username",
            "Tên đăng nhập gồm 3–64 ký tự: chữ không dấu, số, dấu chấm, gạch dưới hoặc gạch ngang."
                .to_string(),
        ));
    }
    let f = clean_line(full_name);
    if f.is_empty() || f.chars().count() > 120 {
        errs.push((
            "full_name",
            "Họ và tên không được để trống và không quá 120 ký tự.".to_string(),
        ));
    }
    errs.extend(check_password(password));
    errs
}

/// Password policy: 10–256 characters.
pub fn check_password(password: &str) -> Option<(&'static str, String)> {
    let n = password.chars().count();
    (!(10..=256).contains(&n)).then(|| {
        (
            "password",
            "Mật khẩu phải có từ 10 đến 256 ký tự.".to_string(),
        )
    })
}

pub async fn by_username(db: &Db, username: &str) -> Result<Option<(User, String)>> {
    Ok(db
        .fetch_optional_as::<WithHash>(q("SELECT id, username, full_name, active, password_hash FROM users WHERE username = $1").bind(username.trim().to_lowercase()))
        .await?
        .map(|r| (r.user, r.password_hash)))
}

row_struct! {
    /// A user with their password hash (for signing in only).
    struct WithHash {
        user: User = User::from_row,
        password_hash: String,
    }
}

pub async fn get(e: &mut impl Exec, id: i64) -> Result<Option<User>> {
    e.fetch_optional_as(
        q("SELECT id, username, full_name, active FROM users WHERE id = $1").bind(id),
    )
    .await
}

async fn insert_user(
    tx: &mut Tx,
    actor: &Actor,
    username: &str,
    full_name: &str,
    password_hash: &str,
) -> Result<User> {
    let now = crate::now_s();
    let u: User = tx
        .fetch_optional_as(
            q("INSERT INTO users (username, full_name, password_hash, active, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5) RETURNING id, username, full_name, active")
                .bind(username.trim().to_lowercase())
                .bind(clean_line(full_name))
                .bind(password_hash)
                .bind(true)
                .bind(now),
        )
        .await?
        .ok_or(DbError::NotFound)?;
    audit::record(audit::action::USER_CREATE, "user", &u.username)
        .after(tx, actor, &u)
        .await?;
    Ok(u)
}

/// Creates a user with an already computed hash (audited; the hash is never logged).
pub async fn create(
    db: &Db,
    actor: &Actor,
    username: &str,
    full_name: &str,
    password_hash: &str,
) -> Result<User> {
    crate::in_tx(db, async |tx| {
        insert_user(tx, actor, username, full_name, password_hash).await
    })
    .await
}

/// Creates a user and gives their first role in one transaction: either both or neither.
pub async fn create_with_grant(
    db: &Db,
    actor: &Actor,
    username: &str,
    full_name: &str,
    password_hash: &str,
    role: Role,
    unit_id: Option<i64>,
) -> Result<User> {
    let mut tx = db.begin().await?;
    let u = insert_user(&mut tx, actor, username, full_name, password_hash).await?;
    insert_grant(&mut tx, actor, &u, role, unit_id).await?;
    tx.commit().await?;
    Ok(u)
}

/// Sets one column of user `id` (a name written here, never input) and its
/// `updated_at`; with `end_sessions`, the user's sessions end too.
async fn set_column(
    tx: &mut Tx,
    id: i64,
    (column, value): (&str, Value),
    end_sessions: bool,
) -> Result<()> {
    tx.execute(
        q(format!(
            "UPDATE users SET {column} = $1, updated_at = $2 WHERE id = $3"
        ))
        .bind(value)
        .bind(crate::now_s())
        .bind(id),
    )
    .await?;
    if end_sessions {
        tx.execute(q("DELETE FROM sessions WHERE user_id = $1").bind(id))
            .await?;
    }
    Ok(())
}

/// Sets a new password (audited without the hash) and ends the user's sessions.
pub async fn set_password(db: &Db, actor: &Actor, id: i64, password_hash: &str) -> Result<()> {
    let mut tx = db.begin().await?;
    let u = get(&mut tx, id).await?.ok_or(DbError::NotFound)?;
    set_column(&mut tx, id, ("password_hash", password_hash.into()), true).await?;
    audit::record(audit::action::USER_PASSWORD, "user", &u.username)
        .after(&mut tx, actor, &serde_json::json!({"password": "changed"}))
        .await?;
    tx.commit().await
}

/// Activates or deactivates a user (deactivation also ends their sessions).
pub async fn set_active(db: &Db, actor: &Actor, id: i64, active: bool) -> Result<()> {
    let mut tx = db.begin().await?;
    let before = get(&mut tx, id).await?.ok_or(DbError::NotFound)?;
    set_column(&mut tx, id, ("active", active.into()), !active).await?;
    let after = User {
        active,
        ..before.clone()
    };
    audit::record(audit::action::USER_UPDATE, "user", &before.username)
        .changed(&mut tx, actor, &before, &after)
        .await?;
    tx.commit().await
}

/// The grants a user holds.
pub async fn grants(e: &mut impl Exec, user_id: i64) -> Result<Vec<Grant>> {
    e.fetch_all_as(q("SELECT role, unit_id FROM user_roles WHERE user_id = $1").bind(user_id))
        .await
}

row_struct! {
    impl Grant {
        role = col::code("user_roles.role", Role::from_code),
        unit_id,
    }
}

async fn insert_grant(
    tx: &mut Tx,
    actor: &Actor,
    u: &User,
    role: Role,
    unit_id: Option<i64>,
) -> Result<()> {
    // The unique index on (user, role, unit) makes a repeated grant a no-op.
    let added = tx
        .execute(
            q("INSERT INTO user_roles (user_id, role, unit_id, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING")
                .bind(u.id)
                .bind(role.code())
                .bind(unit_id)
                .bind(crate::now_s()),
        )
        .await?;
    if added > 0 {
        let after =
            serde_json::json!({"user": u.username, "role": role.code(), "unit_id": unit_id});
        audit::record(audit::action::ROLE_GRANT, "user", &u.username)
            .after(tx, actor, &after)
            .await?;
    }
    Ok(())
}

/// Gives a role on a unit (audited). Giving the same role twice is a no-op.
pub async fn grant(
    db: &Db,
    actor: &Actor,
    user_id: i64,
    role: Role,
    unit_id: Option<i64>,
) -> Result<()> {
    let mut tx = db.begin().await?;
    let u = get(&mut tx, user_id).await?.ok_or(DbError::NotFound)?;
    insert_grant(&mut tx, actor, &u, role, unit_id).await?;
    tx.commit().await
}

/// Removes one role row (audited).
pub async fn revoke(db: &Db, actor: &Actor, role_id: i64) -> Result<()> {
    let mut tx = db.begin().await?;
    let (username, role, unit_id): (String, String, Option<i64>) = tx
        .fetch_optional_as(q("SELECT u.username, r.role, r.unit_id FROM user_roles r JOIN users u ON u.id = r.user_id WHERE r.id = $1").bind(role_id))
        .await?
        .ok_or(DbError::NotFound)?;
    let before = serde_json::json!({"user": username, "role": role, "unit_id": unit_id});
    tx.execute(q("DELETE FROM user_roles WHERE id = $1").bind(role_id))
        .await?;
    audit::record(audit::action::ROLE_REVOKE, "user", &username)
        .before(&mut tx, actor, &before)
        .await?;
    tx.commit().await
}

pub async fn role_row(db: &Db, role_id: i64) -> Result<Option<RoleRow>> {
    db.fetch_optional_as(
        q("SELECT r.id, r.user_id, r.role, r.unit_id, n.name AS unit_name FROM user_roles r LEFT JOIN units n ON n.id = r.unit_id WHERE r.id = $1").bind(role_id),
    ).await
}

/// The roles one user holds.
pub async fn roles_of(db: &Db, user_id: i64) -> Result<Vec<RoleRow>> {
    db.fetch_all_as(
        q("SELECT r.id, r.user_id, r.role, r.unit_id, n.name AS unit_name FROM user_roles r LEFT JOIN units n ON n.id = r.unit_id WHERE r.user_id = $1 ORDER BY r.id").bind(user_id),
    ).await
}

/// Users and their roles. With `within` (unit ids), only users holding a role on one of
/// those units are listed, and only those roles: a unit admin sees their own people.
pub async fn list(db: &Db, within: Option<&[i64]>) -> Result<Vec<(User, Vec<RoleRow>)>> {
    let users: Vec<User> = db
        .fetch_all_as(q(
            "SELECT id, username, full_name, active FROM users ORDER BY username",
        ))
        .await?;
    let roles: Vec<RoleRow> = db
        .fetch_all_as(q("SELECT r.id, r.user_id, r.role, r.unit_id, n.name AS unit_name FROM user_roles r LEFT JOIN units n ON n.id = r.unit_id ORDER BY r.id")).await?;
    let mut out = Vec::new();
    for u in users {
        let mine: Vec<RoleRow> = roles
            .iter()
            .filter(|r| r.user_id == u.id)
            .filter(|r| within.is_none_or(|w| r.unit_id.is_some_and(|id| w.contains(&id))))
            .cloned()
            .collect();
        if within.is_none() || !mine.is_empty() {
            out.push((u, mine));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argon2id_hashes_verify() {
        let h = hash_password("mật khẩu dài đủ").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password(&h, "mật khẩu dài đủ"));
        assert!(!verify_password(&h, "sai mật khẩu"));
        assert!(!verify_password("not a hash", "x"));
    }

    #[test]
    fn new_user_checks() {
        assert!(check_new("editor.anlap", "Nguyễn Văn A", "mat-khau-dai").is_empty());
        let e = check_new("a b", "", "short");
        let fields: Vec<_> = e.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["username", "full_name", "password"]);
        assert!(!check_new("<script>", "X", "mat-khau-dai").is_empty());
    }
}
