//! Looking at what the server keeps: the audit log, the tables, the uploads folder; and
//! running the danchu binary against the same database.

use super::{danchu_cli, Backend, TestApp};

/// The first row `query` reads from `db` (panics when there is none).
pub async fn one_row(db: &danchu_db::Db, query: danchu_db::Query) -> danchu_db::Row {
    db.fetch_optional(query)
        .await
        .expect("query")
        .expect("a row")
}

impl TestApp {
    /// The integer `column` of the one row `query` reads (panics when there is no row).
    pub async fn int(&self, query: danchu_db::Query, column: &str) -> i64 {
        one_row(&self.db, query)
            .await
            .get(column)
            .expect("an integer")
    }

    /// The text `column` of the one row `query` reads (panics when there is no row).
    pub async fn string(&self, query: danchu_db::Query, column: &str) -> String {
        one_row(&self.db, query).await.get(column).expect("a text")
    }

    /// The id of the account `username`.
    pub async fn user_id(&self, username: &str) -> i64 {
        self.int(
            danchu_db::q("SELECT id FROM users WHERE username = $1").bind(username),
            "id",
        )
        .await
    }

    /// Chains the audit entries still waiting, as a node's sequencer does within a
    /// second (a test reading `audit_log` itself calls this first).
    pub async fn chain_audit(&self) {
        danchu_db::audit::chain_pending(&self.db)
            .await
            .expect("chain the waiting audit entries");
    }

    /// The newest audit entry now: a check after a step looks only at what came after.
    pub async fn audit_mark(&self) -> i64 {
        self.chain_audit().await;
        self.db
            .fetch_optional(danchu_db::q(
                "SELECT COALESCE(MAX(seq), 0) AS n FROM audit_log",
            ))
            .await
            .expect("audit log")
            .map(|r| r.get::<i64>("n").expect("seq"))
            .unwrap_or(0)
    }

    /// Asserts that after `mark` each (action, entity id) was written to the audit log —
    /// not satisfied by the demo's own entries or by another entity's — and that the
    /// chain verifies.
    pub async fn assert_audited_since(&self, mark: i64, expected: &[(&str, String)]) {
        self.chain_audit().await;
        let seen: Vec<(String, String)> = self
            .db
            .fetch_all(
                danchu_db::q("SELECT action, entity_id FROM audit_log WHERE seq > $1").bind(mark),
            )
            .await
            .expect("audit log")
            .iter()
            .map(|r| {
                (
                    r.get::<String>("action").expect("action"),
                    r.get::<String>("entity_id").expect("entity"),
                )
            })
            .collect();
        for (action, entity) in expected {
            assert!(
                seen.iter().any(|(a, e)| a == action && e == entity),
                "{action} of {entity} audited after the mark (seen: {seen:?})"
            );
        }
        let v = danchu_db::audit::verify(&self.db).await.expect("verify");
        assert!(
            v.error.is_none() && v.truncated.is_none(),
            "audit chain verifies"
        );
    }

    /// The names of this database's tables.
    pub async fn tables(&self) -> Vec<String> {
        let sql = match self.backend {
            Backend::Sqlite => "SELECT name AS t FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
            Backend::Postgres => "SELECT table_name::text AS t FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name",
        };
        self.db
            .fetch_all(danchu_db::q(sql))
            .await
            .expect("tables")
            .iter()
            .map(|r| r.get::<String>("t").expect("name"))
            .collect()
    }

    /// Every row of every table, as JSON text, sorted: for checking that an action changed
    /// nothing (`skip` tables and columns named `updated_at` are left out).
    pub async fn snapshot(&self, skip: &[&str]) -> std::collections::BTreeMap<String, Vec<String>> {
        // The state as a node's sequencer leaves it (waiting audit entries chained).
        self.chain_audit().await;
        let mut out = std::collections::BTreeMap::new();
        for t in self.tables().await {
            if skip.contains(&t.as_str()) {
                continue;
            }
            let sql = match self.backend {
                Backend::Sqlite => {
                    let cols: Vec<String> = self
                        .db
                        .fetch_all(danchu_db::q(format!(
                            "SELECT name FROM pragma_table_info('{t}')"
                        )))
                        .await
                        .expect("columns")
                        .iter()
                        .map(|r| r.get::<String>("name").expect("column"))
                        .filter(|c| c != "updated_at")
                        .collect();
                    let pairs: Vec<String> =
                        cols.iter().map(|c| format!("'{c}', \"{c}\"")).collect();
                    format!("SELECT json_object({}) AS j FROM \"{t}\"", pairs.join(", "))
                }
                Backend::Postgres => {
                    format!("SELECT (to_jsonb(x) - 'updated_at')::text AS j FROM \"{t}\" x")
                }
            };
            let mut rows: Vec<String> = self
                .db
                .fetch_all(danchu_db::q(sql))
                .await
                .expect("rows")
                .iter()
                .map(|r| r.get::<String>("j").expect("json"))
                .collect();
            rows.sort();
            out.insert(t, rows);
        }
        out
    }

    /// The files in the uploads folder.
    pub fn media_files(&self) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(self.data_dir.join("media"))
            .map(|d| {
                d.filter_map(Result::ok)
                    .map(|e| e.file_name().to_string_lossy().to_string())
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    }

    /// Creates a unit straight in the database, as the actor `test` (no valid-from day):
    /// `code` and `name` of the `kind`, under `parent`.
    pub async fn create_unit(
        &self,
        [code, name]: [&str; 2],
        kind: danchu_core::units::UnitKind,
        parent: Option<i64>,
    ) -> danchu_db::units::Unit {
        danchu_db::units::create(
            &self.db,
            &danchu_db::audit::Actor("test".into()),
            &danchu_db::units::NewUnit {
                code: code.into(),
                name: name.into(),
                kind,
                parent_id: parent,
                valid_from: None,
            },
        )
        .await
        .expect("create unit")
    }

    /// The first plan task (by id) that the unit `unit` leads or supports: (plan, task).
    pub async fn task_of(&self, unit: i64) -> (i64, i64) {
        let row = self
            .db
            .fetch_optional(
                danchu_db::q(
                    "SELECT t.plan_id AS plan_id, t.id AS id FROM plan_tasks t WHERE t.lead_unit_id = $1 OR EXISTS (SELECT 1 FROM plan_task_supporters s WHERE s.task_id = t.id AND s.unit_id = $1) ORDER BY t.id",
                )
                .bind(unit),
            )
            .await
            .expect("query")
            .unwrap_or_else(|| panic!("a plan task of unit {unit}"));
        (
            row.get("plan_id").expect("plan_id"),
            row.get("id").expect("id"),
        )
    }

    pub async fn unit_id(&self, code: &str) -> i64 {
        danchu_db::units::by_code(&mut self.db.clone(), code)
            .await
            .expect("db")
            .expect("unit")
            .id
    }

    /// Runs the danchu binary against this test's database.
    pub fn cli(&self, args: &[&str]) -> std::process::Output {
        self.cli_command(args).output().expect("run danchu")
    }

    /// The danchu binary set up for this test's database and data dir, to add to.
    pub fn cli_command(&self, args: &[&str]) -> std::process::Command {
        let mut c = danchu_cli(&self.database_url, &self.data_dir);
        c.args(args);
        c
    }

    /// Where this app keeps uploaded files (its DANCHU_DATA_DIR).
    pub fn data_dir(&self) -> &std::path::Path {
        &self.data_dir
    }
}
