//! Versioned migrations, one SQL file per version and backend (the only place where the
//! two backends have different SQL). They run on start and with `danchu migrate`.

use crate::exec::{q, Db, Result};
use crate::Backend;

struct Migration {
    version: i64,
    name: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "foundation",
        sqlite: include_str!("../migrations/sqlite/0001_foundation.sql"),
        postgres: include_str!("../migrations/postgres/0001_foundation.sql"),
    },
    Migration {
        version: 2,
        name: "portal",
        sqlite: include_str!("../migrations/sqlite/0002_portal.sql"),
        postgres: include_str!("../migrations/postgres/0002_portal.sql"),
    },
    Migration {
        version: 3,
        name: "media",
        sqlite: include_str!("../migrations/sqlite/0003_media.sql"),
        postgres: include_str!("../migrations/postgres/0003_media.sql"),
    },
    Migration {
        version: 4,
        name: "search",
        sqlite: include_str!("../migrations/sqlite/0004_search.sql"),
        postgres: include_str!("../migrations/postgres/0004_search.sql"),
    },
    Migration {
        version: 5,
        name: "documents",
        sqlite: include_str!("../migrations/sqlite/0005_documents.sql"),
        postgres: include_str!("../migrations/postgres/0005_documents.sql"),
    },
    Migration {
        version: 6,
        name: "search_index",
        sqlite: include_str!("../migrations/sqlite/0006_search_index.sql"),
        postgres: include_str!("../migrations/postgres/0006_search_index.sql"),
    },
    Migration {
        version: 7,
        name: "reporting",
        sqlite: include_str!("../migrations/sqlite/0007_reporting.sql"),
        postgres: include_str!("../migrations/postgres/0007_reporting.sql"),
    },
    Migration {
        version: 8,
        name: "plans",
        sqlite: include_str!("../migrations/sqlite/0008_plans.sql"),
        postgres: include_str!("../migrations/postgres/0008_plans.sql"),
    },
    Migration {
        version: 9,
        name: "api_tokens",
        sqlite: include_str!("../migrations/sqlite/0009_api_tokens.sql"),
        postgres: include_str!("../migrations/postgres/0009_api_tokens.sql"),
    },
    Migration {
        version: 10,
        name: "disclosures",
        sqlite: include_str!("../migrations/sqlite/0010_disclosures.sql"),
        postgres: include_str!("../migrations/postgres/0010_disclosures.sql"),
    },
    Migration {
        version: 11,
        name: "head_notices",
        sqlite: include_str!("../migrations/sqlite/0011_head_notices.sql"),
        postgres: include_str!("../migrations/postgres/0011_head_notices.sql"),
    },
    Migration {
        version: 12,
        name: "bounded_work",
        sqlite: include_str!("../migrations/sqlite/0012_bounded_work.sql"),
        postgres: include_str!("../migrations/postgres/0012_bounded_work.sql"),
    },
];

/// Applies every migration not yet applied; returns how many ran. Safe to call from
/// several nodes at once: on PostgreSQL each migration takes a transaction-scoped
/// advisory lock, on SQLite the single write connection serialises them.
pub async fn run(db: &Db) -> Result<usize> {
    db.execute(q(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
    ))
    .await?;
    let mut applied = 0;
    for m in MIGRATIONS {
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
        let sql = match tx.backend() {
            Backend::Sqlite => m.sqlite,
            Backend::Postgres => m.postgres,
        };
        Db::raw_in(&mut tx, sql).await?;
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
