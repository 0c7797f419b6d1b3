//! Installation-wide settings kept in the database so every node shares them.

use crate::exec::{q, Db, Exec, Result};

/// Reads a setting.
pub async fn get(db: &Db, key: &str) -> Result<Option<String>> {
    db.fetch_scalar(q("SELECT value FROM settings WHERE key = $1").bind(key))
        .await
}

/// Writes a setting unless it is set already (a first value that later runs keep, such
/// as the marks the demo leaves once it has seeded).
pub async fn set_once(e: &mut impl Exec, key: &str, value: &str) -> Result<()> {
    e.execute(
        q("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING")
            .bind(key)
            .bind(value),
    )
    .await?;
    Ok(())
}

/// Returns the installation's secret key (used to sign CSRF tokens), creating it once.
/// With several nodes the first insert wins and everyone reads the same value.
pub async fn secret_key(db: &Db) -> Result<Vec<u8>> {
    use rand::RngCore;
    let mut fresh = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut fresh);
    db.execute(
        q("INSERT INTO settings (key, value) VALUES ('secret_key', $1) ON CONFLICT (key) DO NOTHING")
            .bind(hex::encode(fresh)),
    )
    .await?;
    // Never an empty key (tokens signed with it could be forged): a missing or damaged
    // value is a data error.
    let v = get(db, "secret_key")
        .await?
        .ok_or_else(|| crate::DbError::Data("settings.secret_key: không có".into()))?;
    match hex::decode(&v) {
        Ok(key) if key.len() >= 16 => Ok(key),
        Ok(_) => Err(crate::DbError::Data(
            "settings.secret_key: khóa quá ngắn".into(),
        )),
        Err(e) => Err(crate::DbError::Data(format!("settings.secret_key: {e}"))),
    }
}
