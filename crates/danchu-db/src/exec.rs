//! Connection pools, bound values, rows and transactions over both backends.

use std::future::Future;
use std::str::FromStr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions, PgRow};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow,
    SqliteSynchronous,
};
use sqlx::{Postgres, Sqlite};

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("{0}")]
    Config(String),
    #[error("lỗi cơ sở dữ liệu: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("{0}")]
    Invalid(String),
    /// Refused input, each reason with the field it is about (shown next to the field).
    #[error("{}", .0.iter().map(|(_, m)| m.as_str()).collect::<Vec<_>>().join(" "))]
    Refused(Vec<(&'static str, String)>),
    #[error("không tìm thấy")]
    NotFound,
    /// What our own database holds cannot be read: an unknown code, a damaged JSON body,
    /// a missing setting (see [`crate::decode`]). A fault of the data, never of the
    /// request: the request fails with a logged server error rather than showing a
    /// figure computed from a guess.
    #[error("dữ liệu trong cơ sở dữ liệu không đọc được: {0}")]
    Data(String),
}

impl DbError {
    /// Whether the error is a UNIQUE constraint violation (same on both backends).
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, DbError::Sqlx(sqlx::Error::Database(e)) if e.is_unique_violation())
    }
}

pub type Result<T, E = DbError> = std::result::Result<T, E>;

/// What one unit of work (a request) asked of the database: statements sent, transactions
/// begun, and changes made outside a transaction. Counted for the task that runs inside
/// [`measured`]; elsewhere nothing is counted. The web layer reads it per request, for
/// /metrics and for the tests that hold every request to one transaction per action and
/// no query per row.
#[derive(Debug, Default)]
pub struct Usage {
    queries: AtomicU32,
    transactions: AtomicU32,
    bare_writes: AtomicU32,
    bookkeeping: AtomicU32,
}

/// A reading of [`Usage`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UsageCounts {
    /// Statements sent (reads and writes, inside or outside transactions).
    pub queries: u32,
    /// Transactions begun.
    pub transactions: u32,
    /// Changing statements sent outside any transaction (each its own commit).
    pub bare_writes: u32,
    /// Bookkeeping writes outside a transaction that are not anyone's change (a session's
    /// last-seen time), sent through [`Db::execute_bookkeeping`].
    pub bookkeeping: u32,
}

impl Usage {
    pub fn counts(&self) -> UsageCounts {
        UsageCounts {
            queries: self.queries.load(Ordering::Relaxed),
            transactions: self.transactions.load(Ordering::Relaxed),
            bare_writes: self.bare_writes.load(Ordering::Relaxed),
            bookkeeping: self.bookkeeping.load(Ordering::Relaxed),
        }
    }
}

tokio::task_local! {
    static USAGE: std::sync::Arc<Usage>;
}

/// Runs `f` counting its database use into `usage`.
pub async fn measured<F: Future>(usage: std::sync::Arc<Usage>, f: F) -> F::Output {
    USAGE.scope(usage, f).await
}

fn note(f: impl FnOnce(&Usage)) {
    let _ = USAGE.try_with(|u| f(u));
}

fn note_query() {
    note(|u| {
        u.queries.fetch_add(1, Ordering::Relaxed);
    });
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A value bound to a `$n` placeholder. Each variant carries its type even when NULL,
/// because PostgreSQL checks parameter types.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    I64(Option<i64>),
    F64(Option<f64>),
    Text(Option<String>),
    Bool(Option<bool>),
    Bytes(Option<Vec<u8>>),
}

macro_rules! value_from {
    ($t:ty, $v:ident, $conv:expr) => {
        impl From<$t> for Value {
            fn from(x: $t) -> Value {
                let f = $conv;
                Value::$v(Some(f(x)))
            }
        }
        impl From<Option<$t>> for Value {
            fn from(x: Option<$t>) -> Value {
                let f = $conv;
                Value::$v(x.map(f))
            }
        }
    };
}
value_from!(i64, I64, |x| x);
value_from!(i32, I64, |x: i32| x as i64);
value_from!(f64, F64, |x| x);
value_from!(bool, Bool, |x| x);
value_from!(String, Text, no_nul);
value_from!(&str, Text, |x: &str| no_nul(x.to_string()));
value_from!(&String, Text, |x: &String| no_nul(x.clone()));

/// Text never carries NUL to the database: PostgreSQL refuses it in a text value while
/// SQLite would store it, so both backends behave alike (and a hostile `%00` in a
/// search or a form cannot turn into a server error).
fn no_nul(s: String) -> String {
    if s.contains('\0') {
        s.replace('\0', "")
    } else {
        s
    }
}
value_from!(Vec<u8>, Bytes, |x| x);

/// A query: SQL written once for both backends, plus its bound values.
#[derive(Debug, Clone)]
pub struct Query {
    sql: String,
    args: Vec<Value>,
}

/// Starts a query. Placeholders are `$1`, `$2`, … on both backends.
pub fn q(sql: impl Into<String>) -> Query {
    Query {
        sql: sql.into(),
        args: Vec::new(),
    }
}

impl Query {
    pub fn bind(mut self, v: impl Into<Value>) -> Self {
        self.args.push(v.into());
        self
    }

    /// Appends `(${n}, ${n+1}, …)` for `values` (numbered after the values bound so far)
    /// and binds them: `IN` lists written once for both backends.
    pub fn in_list<V: Into<Value> + Clone>(mut self, values: &[V]) -> Self {
        let start = self.args.len();
        let list: Vec<String> = (0..values.len())
            .map(|i| format!("${}", start + i + 1))
            .collect();
        self.sql.push_str(&format!(
            "({})",
            if list.is_empty() {
                "NULL".to_string()
            } else {
                list.join(", ")
            }
        ));
        for v in values {
            self.args.push(v.clone().into());
        }
        self
    }

    /// Puts SQL text around the query (to select from it as a subquery), keeping its
    /// arguments.
    pub fn wrap(mut self, before: &str, after: &str) -> Self {
        self.sql = format!("{before}{}{after}", self.sql);
        self
    }

    /// Appends SQL text.
    pub fn push(mut self, sql: &str) -> Self {
        self.sql.push_str(sql);
        self
    }

    pub fn sql(&self) -> &str {
        &self.sql
    }
}

macro_rules! bound {
    ($query:expr, $args:expr) => {{
        let mut qq = sqlx::query($query);
        for a in $args {
            qq = match a {
                Value::I64(v) => qq.bind(v),
                Value::F64(v) => qq.bind(v),
                Value::Text(v) => qq.bind(v),
                Value::Bool(v) => qq.bind(v),
                Value::Bytes(v) => qq.bind(v),
            };
        }
        qq
    }};
}

/// A result row from either backend.
pub enum Row {
    Sqlite(SqliteRow),
    Postgres(PgRow),
}

/// A Rust type that both backends can decode.
pub trait Decodable:
    for<'r> sqlx::Decode<'r, Sqlite>
    + sqlx::Type<Sqlite>
    + for<'r> sqlx::Decode<'r, Postgres>
    + sqlx::Type<Postgres>
{
}
impl<T> Decodable for T where
    T: for<'r> sqlx::Decode<'r, Sqlite>
        + sqlx::Type<Sqlite>
        + for<'r> sqlx::Decode<'r, Postgres>
        + sqlx::Type<Postgres>
{
}

impl Row {
    /// Reads a column by name.
    pub fn get<T: Decodable>(&self, col: &str) -> Result<T> {
        use sqlx::Row as _;
        Ok(match self {
            Row::Sqlite(r) => r.try_get(col)?,
            Row::Postgres(r) => r.try_get(col)?,
        })
    }
}

/// The database: a SQLite file (a read pool and a single-connection write pool, so writers
/// queue in-process instead of failing with SQLITE_BUSY) or a PostgreSQL pool.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite { read: SqlitePool, write: SqlitePool },
    Postgres(PgPool),
}

/// A transaction on either backend. Dropped without `commit` it rolls back.
pub enum Tx {
    Sqlite(sqlx::Transaction<'static, Sqlite>),
    Postgres(sqlx::Transaction<'static, Postgres>),
}

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

impl Db {
    /// Connects to `sqlite://PATH` (created if missing) or `postgres://…`.
    /// A PostgreSQL URL may carry `schema=NAME` to use that schema (created if missing).
    pub async fn connect(url: &str, max_connections: u32) -> Result<Db> {
        if url.starts_with("sqlite:") {
            let opts = SqliteConnectOptions::from_str(url)
                .map_err(|e| {
                    DbError::Config(format!("DANCHU_DATABASE_URL không hợp lệ ({url}): {e}"))
                })?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                .pragma("temp_store", "memory");
            // The writer keeps a large page cache (index rebuilds and imports touch many
            // pages); readers map the file, sharing the OS page cache.
            let write = SqlitePoolOptions::new()
                .max_connections(1)
                .connect_with(opts.clone().pragma("cache_size", "-65536"))
                .await?;
            let read = SqlitePoolOptions::new()
                .max_connections(max_connections.max(1))
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
            let pool = PgPoolOptions::new()
                .max_connections(max_connections.max(2))
                .acquire_timeout(Duration::from_secs(10))
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

    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite { .. } => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// (connections open, idle) for /metrics.
    pub fn pool_stats(&self) -> (u32, usize) {
        match self {
            Db::Sqlite { read, write } => (
                read.size() + write.size(),
                read.num_idle() + write.num_idle(),
            ),
            Db::Postgres(p) => (p.size(), p.num_idle()),
        }
    }

    pub async fn close(&self) {
        match self {
            Db::Sqlite { read, write } => {
                read.close().await;
                write.close().await;
            }
            Db::Postgres(p) => p.close().await,
        }
    }

    pub async fn begin(&self) -> Result<Tx> {
        note(|u| {
            u.transactions.fetch_add(1, Ordering::Relaxed);
        });
        Ok(match self {
            // IMMEDIATE takes the write lock at BEGIN, so a transaction that reads before it
            // writes cannot fail with SQLITE_BUSY_SNAPSHOT when another process (the CLI)
            // writes at the same time; busy_timeout makes it wait instead.
            Db::Sqlite { write, .. } => Tx::Sqlite(write.begin_with("BEGIN IMMEDIATE").await?),
            Db::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }

    pub async fn fetch_all(&self, query: Query) -> Result<Vec<Row>> {
        note_query();
        Ok(match self {
            Db::Sqlite { read, .. } => bound!(&query.sql, query.args)
                .fetch_all(read)
                .await?
                .into_iter()
                .map(Row::Sqlite)
                .collect(),
            Db::Postgres(p) => bound!(&query.sql, query.args)
                .fetch_all(p)
                .await?
                .into_iter()
                .map(Row::Postgres)
                .collect(),
        })
    }

    pub async fn fetch_optional(&self, query: Query) -> Result<Option<Row>> {
        note_query();
        Ok(match self {
            Db::Sqlite { read, .. } => bound!(&query.sql, query.args)
                .fetch_optional(read)
                .await?
                .map(Row::Sqlite),
            Db::Postgres(p) => bound!(&query.sql, query.args)
                .fetch_optional(p)
                .await?
                .map(Row::Postgres),
        })
    }

    /// Runs a statement that changes data (on SQLite through the write connection).
    pub async fn execute(&self, query: Query) -> Result<u64> {
        note(|u| {
            u.queries.fetch_add(1, Ordering::Relaxed);
            u.bare_writes.fetch_add(1, Ordering::Relaxed);
        });
        Ok(match self {
            Db::Sqlite { write, .. } => bound!(&query.sql, query.args)
                .execute(write)
                .await?
                .rows_affected(),
            Db::Postgres(p) => bound!(&query.sql, query.args)
                .execute(p)
                .await?
                .rows_affected(),
        })
    }

    /// Runs a bookkeeping write that is nobody's change (a session's last-seen time):
    /// counted apart from [`Db::execute`], so the rule "a read writes nothing" stays
    /// checkable.
    pub async fn execute_bookkeeping(&self, query: Query) -> Result<u64> {
        note(|u| {
            u.queries.fetch_add(1, Ordering::Relaxed);
            u.bookkeeping.fetch_add(1, Ordering::Relaxed);
        });
        Ok(match self {
            Db::Sqlite { write, .. } => bound!(&query.sql, query.args)
                .execute(write)
                .await?
                .rows_affected(),
            Db::Postgres(p) => bound!(&query.sql, query.args)
                .execute(p)
                .await?
                .rows_affected(),
        })
    }

    /// Runs several statements of a migration file.
    pub(crate) async fn raw_in(tx: &mut Tx, sql: &str) -> Result<()> {
        match tx {
            Tx::Sqlite(t) => {
                sqlx::raw_sql(sql).execute(&mut **t).await?;
            }
            Tx::Postgres(t) => {
                sqlx::raw_sql(sql).execute(&mut **t).await?;
            }
        }
        Ok(())
    }
}

impl Tx {
    pub fn backend(&self) -> Backend {
        match self {
            Tx::Sqlite(_) => Backend::Sqlite,
            Tx::Postgres(_) => Backend::Postgres,
        }
    }

    pub async fn commit(self) -> Result<()> {
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }

    pub async fn fetch_all(&mut self, query: Query) -> Result<Vec<Row>> {
        note_query();
        Ok(match self {
            Tx::Sqlite(t) => bound!(&query.sql, query.args)
                .fetch_all(&mut **t)
                .await?
                .into_iter()
                .map(Row::Sqlite)
                .collect(),
            Tx::Postgres(t) => bound!(&query.sql, query.args)
                .fetch_all(&mut **t)
                .await?
                .into_iter()
                .map(Row::Postgres)
                .collect(),
        })
    }

    pub async fn fetch_optional(&mut self, query: Query) -> Result<Option<Row>> {
        note_query();
        Ok(match self {
            Tx::Sqlite(t) => bound!(&query.sql, query.args)
                .fetch_optional(&mut **t)
                .await?
                .map(Row::Sqlite),
            Tx::Postgres(t) => bound!(&query.sql, query.args)
                .fetch_optional(&mut **t)
                .await?
                .map(Row::Postgres),
        })
    }

    pub async fn execute(&mut self, query: Query) -> Result<u64> {
        note_query();
        Ok(match self {
            Tx::Sqlite(t) => bound!(&query.sql, query.args)
                .execute(&mut **t)
                .await?
                .rows_affected(),
            Tx::Postgres(t) => bound!(&query.sql, query.args)
                .execute(&mut **t)
                .await?
                .rows_affected(),
        })
    }
}

/// Either the database or a transaction: functions that read and write through `Exec`
/// work inside a caller's transaction or on their own.
pub trait Exec: Send {
    fn fetch_all(&mut self, query: Query) -> impl Future<Output = Result<Vec<Row>>> + Send;
    fn fetch_optional(&mut self, query: Query) -> impl Future<Output = Result<Option<Row>>> + Send;
    fn execute(&mut self, query: Query) -> impl Future<Output = Result<u64>> + Send;
}

impl Exec for Db {
    fn fetch_all(&mut self, query: Query) -> impl Future<Output = Result<Vec<Row>>> + Send {
        Db::fetch_all(self, query)
    }
    fn fetch_optional(&mut self, query: Query) -> impl Future<Output = Result<Option<Row>>> + Send {
        Db::fetch_optional(self, query)
    }
    fn execute(&mut self, query: Query) -> impl Future<Output = Result<u64>> + Send {
        Db::execute(self, query)
    }
}

impl Exec for Tx {
    fn fetch_all(&mut self, query: Query) -> impl Future<Output = Result<Vec<Row>>> + Send {
        Tx::fetch_all(self, query)
    }
    fn fetch_optional(&mut self, query: Query) -> impl Future<Output = Result<Option<Row>>> + Send {
        Tx::fetch_optional(self, query)
    }
    fn execute(&mut self, query: Query) -> impl Future<Output = Result<u64>> + Send {
        Tx::execute(self, query)
    }
}

/// Most values in one `IN (…)` list or one multi-row insert: well under the placeholder
/// limits of both backends (SQLite 32,766, PostgreSQL 65,535).
pub const IN_CHUNK: usize = 1000;

/// Inserts rows into `table(columns…)` with multi-row `VALUES` statements (a few statements
/// for any number of rows, never one per row). `suffix` follows each statement (e.g.
/// `ON CONFLICT DO NOTHING`). The names are the caller's constants, never input.
pub async fn insert_rows(
    tx: &mut Tx,
    table: &'static str,
    columns: &[&'static str],
    rows: Vec<Vec<Value>>,
    suffix: &'static str,
) -> Result<()> {
    let width = columns.len().max(1);
    let per_statement = (IN_CHUNK * 4 / width).max(1);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
        let mut args = Vec::new();
        for (i, row) in rows.by_ref().take(per_statement).enumerate() {
            if row.len() != columns.len() {
                return Err(DbError::Invalid(format!(
                    "insert_rows({table}): {} values for {} columns",
                    row.len(),
                    columns.len()
                )));
            }
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push('(');
            for j in 0..row.len() {
                if j > 0 {
                    sql.push_str(", ");
                }
                sql.push_str(&format!("${}", args.len() + j + 1));
            }
            sql.push(')');
            args.extend(row);
        }
        sql.push(' ');
        sql.push_str(suffix);
        tx.execute(Query { sql, args }).await?;
    }
    Ok(())
}

/// Inserts the rows linking `owner` to each of `items` in a two-column link table
/// (`table(owner_col, item_col)`), ignoring links already there. The names are the
/// caller's constants, never input.
pub async fn link_all(
    tx: &mut Tx,
    (table, owner_col, item_col): (&'static str, &'static str, &'static str),
    owner: i64,
    items: &[i64],
) -> Result<()> {
    let rows = items
        .iter()
        .map(|i| vec![Value::from(owner), Value::from(*i)])
        .collect();
    insert_rows(
        tx,
        table,
        &[owner_col, item_col],
        rows,
        "ON CONFLICT DO NOTHING",
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

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
