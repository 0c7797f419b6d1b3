//! The database half of `danchu backup` and `danchu restore` (the archive with the
//! uploaded files is the binary's): a consistent snapshot into a file, a look at what a
//! restore target holds, and putting a snapshot in place. The only code besides the
//! migrations that branches on the backend.
//!
//! - SQLite: `VACUUM INTO` (a transactionally consistent copy made while the server runs);
//!   restored by renaming the file into place.
//! - PostgreSQL: `pg_dump --format=custom --schema=S` of the one schema danchu uses (the
//!   `?schema=` one, otherwise the first of the search path); restored with
//!   `pg_restore --no-owner --no-acl --single-transaction` into that schema, which we
//!   create (or empty, with `--force`) first.

pub mod pgurl;
mod tools;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::str::FromStr as _;

use crate::exec::{q, Db, DbError};
use crate::Backend;
use pgurl::PgUrl;

/// Why a backup or restore stopped (Vietnamese, never with the password).
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("không tìm thấy {tool} trên máy này (trong PATH); không có gì được ghi. Cài PostgreSQL client cùng phiên bản chính với máy chủ, ví dụ trên Debian/Ubuntu: apt install postgresql-client")]
    ToolMissing { tool: &'static str },
    #[error("{tool} thất bại ({status}): {stderr}")]
    ToolFailed {
        tool: &'static str,
        status: String,
        stderr: String,
    },
    #[error("{0}")]
    Refused(String),
    #[error("{0}")]
    Io(String),
    #[error(transparent)]
    Db(#[from] DbError),
}

type Result<T> = std::result::Result<T, BackupError>;

/// What a snapshot holds.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub backend: Backend,
    /// PostgreSQL: the schema dumped.
    pub schema: Option<String>,
    /// The newest migration applied.
    pub version: i64,
}

/// Writes a consistent snapshot of the database into `dest`, which must not exist
/// (SQLite: a database file; PostgreSQL: pg_dump's custom format).
pub async fn snapshot(db: &Db, url: &str, dest: &Path) -> Result<Snapshot> {
    let version = crate::migrate::installed(db).await?.ok_or_else(|| {
        BackupError::Refused("cơ sở dữ liệu chưa có dữ liệu danchu; không có gì để sao lưu".into())
    })?;
    match db {
        Db::Sqlite { .. } => {
            let path = dest.to_str().ok_or_else(|| {
                BackupError::Refused(format!("đường dẫn {} không phải UTF-8", dest.display()))
            })?;
            db.execute(q("VACUUM INTO $1").bind(path)).await?;
            Ok(Snapshot {
                backend: Backend::Sqlite,
                schema: None,
                version,
            })
        }
        Db::Postgres(_) => {
            let pg = PgUrl::parse(url)?;
            let schema = current_schema(db).await?;
            tools::run(
                "pg_dump",
                Some((&pg, url)),
                vec![
                    "--format=custom".into(),
                    // A quoted pattern matches this one schema, literally.
                    format!("--schema={}", quote_ident(&schema)).into(),
                    os("--file=", dest),
                ],
            )
            .await?;
            if !dest.is_file() {
                return Err(BackupError::Io(format!(
                    "pg_dump kết thúc nhưng không ghi {}",
                    dest.display()
                )));
            }
            Ok(Snapshot {
                backend: Backend::Postgres,
                schema: Some(schema),
                version,
            })
        }
    }
}

/// `"name"`, as SQL and pg_dump's patterns quote a name (a `"` inside doubled).
fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn os(prefix: &str, path: &Path) -> OsString {
    let mut s = OsString::from(prefix);
    s.push(path.as_os_str());
    s
}

/// The schema tables are created in: the first schema of the search path that exists.
async fn current_schema(db: &Db) -> Result<String> {
    db.fetch_scalar::<Option<String>>(q("SELECT current_schema() AS s"))
        .await?
        .flatten()
        .ok_or_else(|| {
            BackupError::Refused(
                "PostgreSQL: không có schema nào trong search_path; thêm ?schema=TÊN vào DANCHU_DATABASE_URL"
                    .into(),
            )
        })
}

/// What a restore target holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Holds {
    /// Nothing: a new SQLite file, an empty schema.
    Nothing,
    /// danchu data, at this migration.
    Danchu(i64),
    /// This many tables, indexes, functions… that are not danchu's.
    Other(i64),
}

/// A restore target, looked at.
#[derive(Debug, Clone)]
pub struct Target {
    pub backend: Backend,
    pub holds: Holds,
    /// PostgreSQL: the schema the URL leads to (created if it was missing).
    pub schema: Option<String>,
    /// SQLite: another process (a running server) has the file open.
    pub in_use: bool,
}

/// Looks at what `url` holds, without changing it (beyond creating the `?schema=` schema,
/// as every connection does).
pub async fn inspect(url: &str) -> Result<Target> {
    if url.starts_with("sqlite:") {
        let file = sqlite_file(url)?;
        if !file.exists() {
            return Ok(Target {
                backend: Backend::Sqlite,
                holds: Holds::Nothing,
                schema: None,
                in_use: false,
            });
        }
        // First, before a connection of ours could be the one seen.
        let in_use = sqlite_in_use(url).await?;
        let db = Db::connect(url, 1).await?;
        let holds = holds(&db, q("SELECT COUNT(*) AS n FROM sqlite_master")).await;
        db.close().await;
        Ok(Target {
            backend: Backend::Sqlite,
            holds: holds?,
            schema: None,
            in_use,
        })
    } else {
        let db = Db::connect(url, 2).await?;
        let found = async {
            let schema = current_schema(&db).await?;
            let objects = q(
                "SELECT (SELECT COUNT(*) FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = $1) \
                 + (SELECT COUNT(*) FROM pg_proc p JOIN pg_namespace s ON s.oid = p.pronamespace WHERE s.nspname = $1) \
                 + (SELECT COUNT(*) FROM pg_type t JOIN pg_namespace s ON s.oid = t.typnamespace WHERE s.nspname = $1 AND t.typtype IN ('e', 'd', 'r')) AS n",
            )
            .bind(schema.as_str());
            Ok::<_, BackupError>((holds(&db, objects).await?, schema))
        }
        .await;
        db.close().await;
        let (holds, schema) = found?;
        Ok(Target {
            backend: Backend::Postgres,
            holds,
            schema: Some(schema),
            in_use: false,
        })
    }
}

/// Whether another connection (a running server) has the SQLite database open: an
/// exclusive lock is refused while any other connection, even an idle one, has a WAL
/// database open. Asked a few times, since a pool that has just closed lets its
/// connections go a moment later. A server whose idle pool holds no connection at all is
/// not seen.
async fn sqlite_in_use(url: &str) -> Result<bool> {
    use sqlx::sqlite::{SqliteConnectOptions, SqliteLockingMode};
    use sqlx::{ConnectOptions as _, Connection as _, Executor as _};
    let opts = SqliteConnectOptions::from_str(url)
        .map_err(|e| BackupError::Refused(format!("DANCHU_DATABASE_URL không hợp lệ: {e}")))?
        .create_if_missing(false)
        .locking_mode(SqliteLockingMode::Exclusive)
        .busy_timeout(std::time::Duration::ZERO);
    for attempt in 0..10 {
        if attempt > 0 {
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        let probe = async {
            let mut c = opts.connect().await?;
            let r = async {
                c.execute("BEGIN EXCLUSIVE").await?;
                c.execute("SELECT COUNT(*) FROM sqlite_master").await?;
                c.execute("COMMIT").await
            }
            .await;
            c.close().await?;
            r.map(|_| ())
        };
        match probe.await {
            Ok(()) => return Ok(false),
            // SQLITE_BUSY or SQLITE_LOCKED, in any of their extended forms.
            Err(sqlx::Error::Database(e))
                if e.code()
                    .and_then(|c| c.parse::<i32>().ok())
                    .is_some_and(|c| matches!(c & 0xff, 5 | 6)) => {}
            Err(e) => return Err(DbError::Sqlx(e).into()),
        }
    }
    Ok(true)
}

async fn holds(db: &Db, count_objects: crate::Query) -> Result<Holds> {
    if let Some(v) = crate::migrate::installed(db).await? {
        return Ok(Holds::Danchu(v));
    }
    let n: i64 = db.fetch_scalar(count_objects).await?.unwrap_or(0);
    Ok(if n == 0 {
        Holds::Nothing
    } else {
        Holds::Other(n)
    })
}

/// A SQLite target that another process has open.
pub fn in_use_error() -> BackupError {
    BackupError::Refused(
        "tệp cơ sở dữ liệu đang được một tiến trình khác mở (máy chủ danchu còn chạy?): hãy dừng máy chủ trước khi khôi phục"
            .into(),
    )
}

/// Checks that the client tools a restore needs are installed, before anything is changed.
pub fn restore_tools(backend: Backend) -> Result<()> {
    match backend {
        Backend::Sqlite => Ok(()),
        Backend::Postgres => tools::find("pg_restore").map(|_| ()),
    }
}

/// The file of a `sqlite://` URL.
pub fn sqlite_file(url: &str) -> Result<PathBuf> {
    if url.contains(":memory:") || url.contains("mode=memory") {
        return Err(BackupError::Refused(
            "DANCHU_DATABASE_URL: cơ sở dữ liệu trong bộ nhớ không khôi phục vào được".into(),
        ));
    }
    let opts = sqlx::sqlite::SqliteConnectOptions::from_str(url).map_err(|e| {
        BackupError::Refused(format!("DANCHU_DATABASE_URL không hợp lệ ({url}): {e}"))
    })?;
    Ok(opts.get_filename().to_path_buf())
}

/// Puts a snapshot in place as the database of `url` (the server stopped). `staged` is the
/// snapshot; for SQLite it must be beside the target file (it is renamed onto it).
/// Without `replace` the target must hold nothing (see [`inspect`]); with it, what the
/// target holds is dropped. PostgreSQL: the snapshot must be of `schema`, the target's.
pub async fn restore(url: &str, staged: &Path, target: &Target, replace: bool) -> Result<()> {
    if target.holds != Holds::Nothing && !replace {
        return Err(BackupError::Refused(
            "nơi khôi phục đã có dữ liệu; dùng --force để thay".into(),
        ));
    }
    if target.in_use {
        return Err(in_use_error());
    }
    match target.backend {
        Backend::Sqlite => restore_sqlite(url, staged),
        Backend::Postgres => {
            let schema = target
                .schema
                .as_deref()
                .ok_or_else(|| BackupError::Refused("PostgreSQL: không biết schema đích".into()))?;
            restore_postgres(url, staged, schema, target.holds != Holds::Nothing).await
        }
    }
}

fn restore_sqlite(url: &str, staged: &Path) -> Result<()> {
    let file = sqlite_file(url)?;
    let io = |what: &str, e: std::io::Error| BackupError::Io(format!("{what}: {e}"));
    // An old write-ahead log applied to the new file would damage it.
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut side = file.clone().into_os_string();
        side.push(suffix);
        match std::fs::remove_file(&side) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io(&PathBuf::from(side).display().to_string(), e)),
        }
    }
    std::fs::rename(staged, &file).map_err(|e| io(&file.display().to_string(), e))?;
    if let Some(dir) = file.parent() {
        // Makes the rename durable (best effort: not every system opens directories).
        if let Ok(d) = std::fs::File::open(if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        }) {
            let _ = d.sync_all();
        }
    }
    Ok(())
}

async fn restore_postgres(url: &str, dump: &Path, schema: &str, wipe: bool) -> Result<()> {
    let pg = PgUrl::parse(url)?;
    // Checked before anything is dropped.
    restore_tools(Backend::Postgres)?;
    // The schema entries come off the dump's list: the schema is ours to create (for
    // `public`, which every database has, pg_restore's CREATE SCHEMA would fail).
    let list = tools::run("pg_restore", None, vec!["--list".into(), dump.into()]).await?;
    let list = String::from_utf8_lossy(&list);
    let kept = without_schema_entries(&list, schema);
    let list_file = dump.with_extension("list");
    std::fs::write(&list_file, kept)
        .map_err(|e| BackupError::Io(format!("{}: {e}", list_file.display())))?;
    if wipe {
        let db = Db::connect(url, 2).await?;
        let dropped = async {
            db.execute(q(format!("DROP SCHEMA {} CASCADE", quote_ident(schema))))
                .await?;
            db.execute(q(format!("CREATE SCHEMA {}", quote_ident(schema))))
                .await
        }
        .await;
        db.close().await;
        dropped?;
    }
    let restored = tools::run(
        "pg_restore",
        Some((&pg, url)),
        vec![
            "--no-owner".into(),
            "--no-acl".into(),
            "--single-transaction".into(),
            os("--use-list=", &list_file),
            dump.into(),
        ],
    )
    .await;
    let _ = std::fs::remove_file(&list_file);
    restored.map(|_| ())
}

/// A `pg_restore --list` without the entries that create `schema` or comment on it.
fn without_schema_entries(list: &str, schema: &str) -> String {
    let own = [
        format!(" SCHEMA - {schema} "),
        format!(" COMMENT - SCHEMA {schema} "),
        format!(" ACL - SCHEMA {schema} "),
    ];
    list.lines()
        .filter(|l| {
            let l = format!("{l} ");
            l.starts_with(';') || !own.iter().any(|o| l.contains(o.as_str()))
        })
        .map(|l| format!("{l}\n"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_entries_come_off_the_list() {
        let list = "; Archive created at 2025-01-01\n\
                    4; 2615 2200 SCHEMA - public pg_database_owner\n\
                    3345; 0 0 COMMENT - SCHEMA public pg_database_owner\n\
                    214; 1259 215717 TABLE public articles postgres\n\
                    6; 2615 2201 SCHEMA - public2 postgres\n";
        assert_eq!(
            without_schema_entries(list, "public"),
            "; Archive created at 2025-01-01\n\
             214; 1259 215717 TABLE public articles postgres\n\
             6; 2615 2201 SCHEMA - public2 postgres\n"
        );
    }
}
