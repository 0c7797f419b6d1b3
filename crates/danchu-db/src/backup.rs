//! `danchu backup FILE`.

use crate::exec::{q, Db, DbError, Result};

/// What a backup did.
pub enum BackupOutcome {
    /// SQLite: a consistent copy was written while the database stayed online.
    Written,
    /// PostgreSQL: run this command (pg_dump is the right tool for a server database).
    Command(String),
}

/// Backs up a SQLite database online with `VACUUM INTO` (a transactionally consistent
/// copy that readers and writers do not block on). For PostgreSQL returns the pg_dump
/// command to run.
pub async fn backup(db: &Db, database_url: &str, file: &str) -> Result<BackupOutcome> {
    match db {
        Db::Sqlite { .. } => {
            if std::path::Path::new(file).exists() {
                return Err(DbError::Invalid(format!(
                    "tệp {file} đã tồn tại; hãy chọn tên khác"
                )));
            }
            db.execute(q("VACUUM INTO $1").bind(file)).await?;
            Ok(BackupOutcome::Written)
        }
        Db::Postgres(_) => {
            let url = database_url.split('?').next().unwrap_or(database_url);
            Ok(BackupOutcome::Command(format!(
                "pg_dump --format=custom --file={} '{}'",
                shell_quote(file),
                url.replace('\'', "")
            )))
        }
    }
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}
