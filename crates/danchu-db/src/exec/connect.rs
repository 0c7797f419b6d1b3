//! Connecting to SQLite or PostgreSQL from a database URL.

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use super::{Db, DbError, Result};

/// Splits our own `schema=` parameter off a PostgreSQL URL (used by tests and by
/// deployments that keep danchu in its own schema).
fn split_schema(url: &str) -> (String, Option<String>) {
    let Some((base, query)) = url.split_once('?') else {
        return (url.to_string(), None);
    };
    let mut schema = None;
    let rest: Vec<&str> = query
        .split('&')
        .filter(|p| match p.strip_prefix("schema=") {
            Some(s) => {
                schema = Some(s.to_string());
                false
            }
            None => true,
        })
        .collect();
    if rest.is_empty() {
        (base.to_string(), schema)
    } else {
        (format!("{base}?{}", rest.join("&")), schema)
    }
}

/// The name PostgreSQL gives the schema of `search_path=NAME` (unquoted names fold to
/// lower case). `name` is already checked by [`danchu_core::units::valid_code`].
pub(crate) fn pg_schema_name(name: &str) -> String {
    name.to_lowercase()
}

/// Creates the schema of `?schema=NAME` when it does not exist yet, so that `migrate`,
/// `serve` and `demo` work on a new schema. Looked up first: `CREATE SCHEMA IF NOT EXISTS`
/// needs the CREATE privilege on the database even when the schema is there.
async fn ensure_schema(pool: &PgPool, name: &str) -> Result<()> {
    let name = pg_schema_name(name);
    let found = sqlx::query("SELECT 1 FROM pg_namespace WHERE nspname = $1")
        .bind(&name)
        .fetch_optional(pool)
        .await?
        .is_some();
    if found {
        return Ok(());
    }
    // The name has only letters, digits, '-', '_' and '.', so quoting it is safe.
    match sqlx::query(&format!("CREATE SCHEMA IF NOT EXISTS \"{name}\""))
        .execute(pool)
        .await
    {
        Ok(_) => {
            tracing::info!(schema = %name, "schema created");
            Ok(())
        }
        // Another process created it at the same moment.
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Ok(()),
        Err(e) => Err(DbError::Config(format!(
            "DANCHU_DATABASE_URL: schema {name} chưa có và không tạo được: {e}"
        ))),
    }
}

/// The `synchronous=normal|full` parameter of a SQLite URL (ours, taken out before sqlx
/// reads the rest). `normal` (the default) survives a crash of the process but may lose
/// the last commits on power loss; `full` makes every commit durable at the cost of an
/// fsync per commit (RELIABILITY.md measures both).
fn sqlite_synchronous(url: &str) -> Result<(String, SqliteSynchronous)> {
    let Some((base, query)) = url.split_once('?') else {
        return Ok((url.to_string(), SqliteSynchronous::Normal));
    };
    let mut mode = SqliteSynchronous::Normal;
    let mut rest = Vec::new();
    for pair in query.split('&') {
        match pair.split_once('=') {
            Some(("synchronous", v)) => {
                mode = match v.to_ascii_lowercase().as_str() {
                    "normal" => SqliteSynchronous::Normal,
                    "full" => SqliteSynchronous::Full,
                    other => {
                        return Err(DbError::Config(format!(
                    "DANCHU_DATABASE_URL: synchronous phải là normal hoặc full (đang là {other:?})"
                )))
                    }
                }
            }
            _ => rest.push(pair),
        }
    }
    let url = if rest.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", rest.join("&"))
    };
    Ok((url, mode))
}

impl Db {
    /// Connects to `sqlite://PATH` (created if missing) or `postgres://…`.
    /// A PostgreSQL URL may carry `schema=NAME` to use that schema (created if missing).
    pub async fn connect(url: &str, max_connections: u32) -> Result<Db> {
        Db::connect_with(url, max_connections, Duration::from_secs(10)).await
    }

    /// [`Db::connect`], with how long a request waits for a PostgreSQL connection before
    /// it fails (answered 503: the pool is bounded, the wait is too).
    pub async fn connect_with(url: &str, max_connections: u32, wait: Duration) -> Result<Db> {
        if url.starts_with("sqlite:") {
            let (url, synchronous) = sqlite_synchronous(url)?;
            let url = url.as_str();
            let opts = SqliteConnectOptions::from_str(url)
                .map_err(|e| {
                    DbError::Config(format!("DANCHU_DATABASE_URL không hợp lệ ({url}): {e}"))
                })?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(synchronous)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                .pragma("temp_store", "memory");
            // The writer keeps a large page cache (index rebuilds and imports touch many
            // pages); readers map the file, sharing the OS page cache. An embedded file
            // does not drop connections, so a connection is not pinged before each use
            // (sqlx's default: a round trip to the connection's thread each time, a
            // third of a write's cost in `bench/writes.sh`).
            let write = SqlitePoolOptions::new()
                .max_connections(1)
                .test_before_acquire(false)
                .connect_with(opts.clone().pragma("cache_size", "-65536"))
                .await?;
            let read = SqlitePoolOptions::new()
                .max_connections(max_connections.max(1))
                .test_before_acquire(false)
                .connect_with(opts.pragma("mmap_size", "268435456"))
                .await?;
            Ok(Db::Sqlite { read, write })
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let (base, schema) = split_schema(url);
            let mut opts = PgConnectOptions::from_str(&base)
                .map_err(|e| DbError::Config(format!("DANCHU_DATABASE_URL không hợp lệ: {e}")))?;
            if let Some(s) = &schema {
                if !danchu_core::units::valid_code(s) {
                    return Err(DbError::Config(format!(
                        "DANCHU_DATABASE_URL: schema không hợp lệ: {s}"
                    )));
                }
                opts = opts.options([("search_path", s.as_str())]);
            }
            // No ping before each use either (a round trip per statement): a connection
            // that PostgreSQL closed (a restart) fails its next statement, which answers
            // 503 like any outage and is dropped from the pool, and the next one is new.
            let pool = PgPoolOptions::new()
                .max_connections(max_connections.max(2))
                .test_before_acquire(false)
                .acquire_timeout(wait)
                .connect_with(opts)
                .await?;
            if let Some(s) = &schema {
                ensure_schema(&pool, s).await?;
            }
            Ok(Db::Postgres(pool))
        } else {
            Err(DbError::Config(format!(
                "DANCHU_DATABASE_URL phải bắt đầu bằng sqlite:// hoặc postgres:// (đang là {url:?})"
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_synchronous_parameter_is_ours() {
        let (url, mode) = sqlite_synchronous("sqlite://d.db?synchronous=full").unwrap();
        assert_eq!(
            (url.as_str(), matches!(mode, SqliteSynchronous::Full)),
            ("sqlite://d.db", true)
        );
        let (url, mode) = sqlite_synchronous("sqlite://d.db?mode=rwc&synchronous=NORMAL").unwrap();
        assert_eq!(
            (url.as_str(), matches!(mode, SqliteSynchronous::Normal)),
            ("sqlite://d.db?mode=rwc", true)
        );
        let (url, mode) = sqlite_synchronous("sqlite://d.db").unwrap();
        assert_eq!(
            (url.as_str(), matches!(mode, SqliteSynchronous::Normal)),
            ("sqlite://d.db", true)
        );
        assert!(sqlite_synchronous("sqlite://d.db?synchronous=off").is_err());
    }

    #[tokio::test]
    async fn a_full_database_commits_with_synchronous_full() {
        let dir = std::env::temp_dir().join(format!("danchu-sync-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let url = format!("sqlite://{}/s.db?synchronous=full", dir.display());
        let db = Db::connect(&url, 1).await.unwrap();
        let Db::Sqlite { write, .. } = &db else {
            panic!("sqlite")
        };
        let (n,): (i64,) = sqlx::query_as("PRAGMA synchronous")
            .fetch_one(write)
            .await
            .unwrap();
        assert_eq!(n, 2, "FULL");
        db.close().await;
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn schema_parameter_is_split_off() {
        assert_eq!(
            split_schema("postgres://u@h/db?schema=t1"),
            ("postgres://u@h/db".into(), Some("t1".into()))
        );
        assert_eq!(
            split_schema("postgres://u@h/db?sslmode=disable&schema=t1"),
            (
                "postgres://u@h/db?sslmode=disable".into(),
                Some("t1".into())
            )
        );
        assert_eq!(
            split_schema("postgres://u@h/db"),
            ("postgres://u@h/db".into(), None)
        );
    }
}
