//! Versioned migrations. They run on start and with `danchu migrate`; this is the only
//! place where the two backends may have different SQL.
//!
//! **One source per change.** From migration 0013 on, a change is one file,
//! `migrations/shared/NNNN_name.sql`, written once for both backends with these
//! substitutions where their DDL differs (see [`render`]):
//!
//! | placeholder         | SQLite                | PostgreSQL              |
//! |---------------------|-----------------------|-------------------------|
//! | `{{id}}`            | `INTEGER PRIMARY KEY` | `BIGSERIAL PRIMARY KEY` |
//! | `{{without_rowid}}` | ` WITHOUT ROWID`      | (nothing)               |
//! | `{{true}}`          | `1`                   | `TRUE`                  |
//! | `{{false}}`         | `0`                   | `FALSE`                 |
//!
//! `id {{id}}` is the auto-numbered key (the SQLite rowid, a PostgreSQL sequence: the
//! same forms 0001–0012 use); `{{without_rowid}}` follows a table's closing parenthesis
//! (`){{without_rowid}};`). Every other column is written as both accept it: `BIGINT`
//! for integers and times, `TEXT`, `BOOLEAN`. An unknown `{{…}}` fails the migration.
//! Where the DDL really differs (triggers, functions), the change keeps two files,
//! `migrations/sqlite/NNNN_name.sql` and `migrations/postgres/NNNN_name.sql`
//! ([`Source::PerBackend`]). The applied migrations 0001–0012 are two files each and
//! stay as they were.

use crate::exec::{q, Db, DbError, Result};
use crate::Backend;

/// The SQL of one migration.
enum Source {
    /// One file for both backends, rendered with [`render`] (0013 on).
    Shared(&'static str),
    /// A file per backend, where the DDL differs.
    PerBackend {
        sqlite: &'static str,
        postgres: &'static str,
    },
}

struct Migration {
    version: i64,
    name: &'static str,
    source: Source,
}

impl Migration {
    /// The SQL to run on `backend`.
    fn sql(&self, backend: Backend) -> Result<String> {
        match (&self.source, backend) {
            (Source::Shared(sql), _) => render(sql, backend),
            (Source::PerBackend { sqlite, .. }, Backend::Sqlite) => Ok(sqlite.to_string()),
            (Source::PerBackend { postgres, .. }, Backend::Postgres) => Ok(postgres.to_string()),
        }
    }
}

/// The placeholders of a shared migration and what each becomes on (SQLite, PostgreSQL).
const SUBSTITUTIONS: &[(&str, &str, &str)] = &[
    ("id", "INTEGER PRIMARY KEY", "BIGSERIAL PRIMARY KEY"),
    ("without_rowid", " WITHOUT ROWID", ""),
    ("true", "1", "TRUE"),
    ("false", "0", "FALSE"),
];

/// A shared migration's SQL for `backend`: each `{{name}}` replaced by its form on that
/// backend. An unknown or unclosed placeholder is refused (a typo would otherwise reach
/// the database as SQL).
pub fn render(sql: &str, backend: Backend) -> Result<String> {
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find("}}").ok_or_else(|| {
            DbError::Config(format!("migration: {{{{ without }}}} in {after:.40}"))
        })?;
        let name = after[..end].trim();
        let (_, sqlite, postgres) = SUBSTITUTIONS
            .iter()
            .find(|(n, _, _)| *n == name)
            .ok_or_else(|| {
                DbError::Config(format!("migration: unknown placeholder {{{{{name}}}}}"))
            })?;
        out.push_str(match backend {
            Backend::Sqlite => sqlite,
            Backend::Postgres => postgres,
        });
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "foundation",
        source: Source::PerBackend {
            sqlite: include_str!("../migrations/sqlite/0001_foundation.sql"),
            postgres: include_str!("../migrations/postgres/0001_foundation.sql"),
        },
    },
    Migration {
        version: 2,
        name: "portal",
        source: Source::PerBackend {
            sqlite: include_str!("../migrations/sqlite/0002_portal.sql"),
            postgres: include_str!("../migrations/postgres/0002_portal.sql"),
        },
    },
    Migration {
        version: 3,
        name: "media",
        source: Source::PerBackend {
            sqlite: include_str!("../migrations/sqlite/0003_media.sql"),
            postgres: include_str!("../migrations/postgres/0003_media.sql"),
        },
    },
    Migration {
        version: 4,
        name: "search",
        source: Source::PerBackend {
            sqlite: include_str!("../migrations/sqlite/0004_search.sql"),
            postgres: include_str!("../migrations/postgres/0004_search.sql"),
        },
    },
    Migration {
        version: 5,
        name: "documents",
        source: Source::PerBackend {
            sqlite: include_str!("../migrations/sqlite/0005_documents.sql"),
            postgres: include_str!("../migrations/postgres/0005_documents.sql"),
        },
    },
    Migration {
        version: 6,
        name: "search_index",
        source: Source::PerBackend {
            sqlite: include_str!("../migrations/sqlite/0006_search_index.sql"),
            postgres: include_str!("../migrations/postgres/0006_search_index.sql"),
        },
    },
    Migration {
        version: 7,
        name: "reporting",
        source: Source::PerBackend {
            sqlite: include_str!("../migrations/sqlite/0007_reporting.sql"),
            postgres: include_str!("../migrations/postgres/0007_reporting.sql"),
        },
    },
    Migration {
        version: 8,
        name: "plans",
        source: Source::PerBackend {
            sqlite: include_str!("../migrations/sqlite/0008_plans.sql"),
            postgres: include_str!("../migrations/postgres/0008_plans.sql"),
        },
    },
    Migration {
        version: 9,
        name: "api_tokens",
        source: Source::PerBackend {
            sqlite: include_str!("../migrations/sqlite/0009_api_tokens.sql"),
            postgres: include_str!("../migrations/postgres/0009_api_tokens.sql"),
        },
    },
    Migration {
        version: 10,
        name: "disclosures",
        source: Source::PerBackend {
            sqlite: include_str!("../migrations/sqlite/0010_disclosures.sql"),
            postgres: include_str!("../migrations/postgres/0010_disclosures.sql"),
        },
    },
    Migration {
        version: 11,
        name: "head_notices",
        source: Source::PerBackend {
            sqlite: include_str!("../migrations/sqlite/0011_head_notices.sql"),
            postgres: include_str!("../migrations/postgres/0011_head_notices.sql"),
        },
    },
    Migration {
        version: 12,
        name: "bounded_work",
        source: Source::PerBackend {
            sqlite: include_str!("../migrations/sqlite/0012_bounded_work.sql"),
            postgres: include_str!("../migrations/postgres/0012_bounded_work.sql"),
        },
    },
    Migration {
        version: 13,
        name: "jobs_outbox",
        source: Source::Shared(include_str!("../migrations/shared/0013_jobs_outbox.sql")),
    },
    Migration {
        version: 14,
        name: "idempotency",
        source: Source::Shared(include_str!("../migrations/shared/0014_idempotency.sql")),
    },
    Migration {
        version: 15,
        name: "audit_pending",
        source: Source::Shared(include_str!("../migrations/shared/0015_audit_pending.sql")),
    },
];

/// Applies every migration not yet applied; returns how many ran. Safe to call from
/// several nodes at once: on PostgreSQL each migration takes a transaction-scoped
/// advisory lock, on SQLite the single write connection serialises them.
pub async fn run(db: &Db) -> Result<usize> {
    let applied = apply(db, MIGRATIONS).await?;
    // Reference data the schema needs: the disclosure categories (R6), written once and
    // then edited by administrators (never overwritten here).
    crate::disclosures::ensure_categories(db).await?;
    crate::disclosures::refresh_forms(db).await?;
    // Codes per level (issue 13, item 10): provinces, districts and communes stored by an
    // older danchu as `4` become `04`. Done in Rust rather than in a SQL migration so that
    // each change is audited and a clash is skipped with a warning instead of failing the
    // start; a no-op once done.
    crate::units::pad_codes(db).await?;
    Ok(applied)
}

/// Applies the migrations of `set` not yet applied, in order; returns how many ran.
async fn apply(db: &Db, set: &[Migration]) -> Result<usize> {
    // Read first: a database that is up to date is opened without taking the write lock
    // (every node's start and every command opens it, often while a server is writing;
    // on SQLite a writer that is never idle could keep them waiting).
    let done: Vec<i64> = db
        .fetch_scalars(q("SELECT version FROM schema_migrations"))
        .await
        .unwrap_or_default();
    if set.iter().all(|m| done.contains(&m.version)) {
        return Ok(0);
    }
    db.execute(q(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
    ))
    .await?;
    let mut applied = 0;
    for m in set {
        let mut tx = db.begin().await?;
        if tx.backend() == Backend::Postgres {
            tx.execute(q("SELECT pg_advisory_xact_lock(7426001)"))
                .await?;
        }
        let done = tx
            .fetch_optional(
                q("SELECT version FROM schema_migrations WHERE version = $1").bind(m.version),
            )
            .await?
            .is_some();
        if done {
            continue;
        }
        let sql = m.sql(tx.backend())?;
        Db::raw_in(&mut tx, &sql).await?;
        tx.execute(
            q("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)")
                .bind(m.version)
                .bind(m.name)
                .bind(crate::now_s()),
        )
        .await?;
        tx.commit().await?;
        tracing::info!(version = m.version, name = m.name, "migration applied");
        applied += 1;
    }
    Ok(applied)
}

/// The newest migration applied to this database, or None when it holds no danchu data
/// (no `schema_migrations` table, or an empty one).
pub async fn installed(db: &Db) -> Result<Option<i64>> {
    let exists = match db.backend() {
        Backend::Sqlite => q(
            "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'",
        ),
        // In the schema tables are created in (the first of the search path).
        Backend::Postgres => q(
            "SELECT COUNT(*) AS n FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'schema_migrations'",
        ),
    };
    let n: i64 = db.fetch_scalar(exists).await?.unwrap_or(0);
    if n == 0 {
        return Ok(None);
    }
    Ok(db
        .fetch_scalar::<Option<i64>>(q("SELECT MAX(version) AS v FROM schema_migrations"))
        .await?
        .flatten())
}

/// The latest version the code knows.
pub fn latest() -> i64 {
    MIGRATIONS.last().map(|m| m.version).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exec::TempSqlite;

    const SAMPLE: &str = "CREATE TABLE notes (
    id {{id}},
    unit_id BIGINT NOT NULL,
    pinned BOOLEAN NOT NULL DEFAULT {{false}},
    shown BOOLEAN NOT NULL DEFAULT {{ true }}
);
CREATE TABLE note_words (word TEXT NOT NULL, note BIGINT NOT NULL, PRIMARY KEY (word, note)){{without_rowid}};";

    #[test]
    fn a_shared_migration_renders_for_each_backend() {
        assert_eq!(
            render(SAMPLE, Backend::Sqlite).unwrap(),
            "CREATE TABLE notes (
    id INTEGER PRIMARY KEY,
    unit_id BIGINT NOT NULL,
    pinned BOOLEAN NOT NULL DEFAULT 0,
    shown BOOLEAN NOT NULL DEFAULT 1
);
CREATE TABLE note_words (word TEXT NOT NULL, note BIGINT NOT NULL, PRIMARY KEY (word, note)) WITHOUT ROWID;"
        );
        assert_eq!(
            render(SAMPLE, Backend::Postgres).unwrap(),
            "CREATE TABLE notes (
    id BIGSERIAL PRIMARY KEY,
    unit_id BIGINT NOT NULL,
    pinned BOOLEAN NOT NULL DEFAULT FALSE,
    shown BOOLEAN NOT NULL DEFAULT TRUE
);
CREATE TABLE note_words (word TEXT NOT NULL, note BIGINT NOT NULL, PRIMARY KEY (word, note));"
        );
        // Without placeholders the SQL is the same on both.
        let plain = "ALTER TABLE media ADD COLUMN text_note TEXT NOT NULL DEFAULT '';";
        assert_eq!(render(plain, Backend::Sqlite).unwrap(), plain);
        assert_eq!(render(plain, Backend::Postgres).unwrap(), plain);
    }

    #[test]
    fn an_unknown_or_unclosed_placeholder_is_refused() {
        let e = render("CREATE TABLE t ({{serial}})", Backend::Sqlite).unwrap_err();
        assert!(
            matches!(&e, DbError::Config(m) if m.contains("serial")),
            "{e}"
        );
        assert!(render("CREATE TABLE t ({{id)", Backend::Postgres).is_err());
    }

    /// The applied migrations 0006–0012 differ between the backends only where the
    /// substitutions do: each written once with them renders both files exactly.
    #[test]
    fn the_substitutions_cover_what_0006_to_0012_differ_in() {
        for m in MIGRATIONS.iter().filter(|m| (6..=12).contains(&m.version)) {
            let Source::PerBackend { sqlite, postgres } = &m.source else {
                panic!("{} is not kept per backend", m.name);
            };
            let shared = sqlite
                .replace("INTEGER PRIMARY KEY", "{{id}}")
                .replace(" WITHOUT ROWID", "{{without_rowid}}");
            assert_eq!(
                render(&shared, Backend::Sqlite).unwrap(),
                *sqlite,
                "{}",
                m.name
            );
            assert_eq!(
                render(&shared, Backend::Postgres).unwrap(),
                *postgres,
                "{}",
                m.name
            );
        }
    }

    #[tokio::test]
    async fn a_shared_migration_applies_on_sqlite_once() {
        let t = TempSqlite::new("migrate").await;
        let set = [
            Migration {
                version: 1,
                name: "notes",
                source: Source::Shared(SAMPLE),
            },
            Migration {
                version: 2,
                name: "notes_index",
                source: Source::PerBackend {
                    sqlite: "CREATE INDEX notes_unit ON notes(unit_id);",
                    postgres: "CREATE INDEX notes_unit ON notes USING btree (unit_id);",
                },
            },
        ];
        assert_eq!(apply(&t.db, &set).await.unwrap(), 2);
        for unit in [4i64, 5] {
            t.db.execute(q("INSERT INTO notes (unit_id) VALUES ($1)").bind(unit))
                .await
                .unwrap();
        }
        let rows: Vec<(i64, bool, bool)> =
            t.db.fetch_all_as(q("SELECT id, pinned, shown FROM notes ORDER BY id"))
                .await
                .unwrap();
        assert_eq!(rows, [(1, false, true), (2, false, true)]);
        t.db.execute(q("INSERT INTO note_words (word, note) VALUES ('xa', 1)"))
            .await
            .unwrap();
        // Applied once: a second run finds nothing to do.
        assert_eq!(apply(&t.db, &set).await.unwrap(), 0);
        let versions: Vec<i64> =
            t.db.fetch_scalars(q("SELECT version FROM schema_migrations ORDER BY version"))
                .await
                .unwrap();
        assert_eq!(versions, [1, 2]);
    }
}
