//! Starting a test server on a fresh database, and removing it all when the test ends.

use std::path::PathBuf;

use danchu_db::Db;

use super::{pg_url, unique, Backend, Cleanup, Configure, Fixture, TestApp};

impl TestApp {
    /// Starts on the full demo ([`Fixture::demo`]).
    pub async fn start(backend: Backend) -> TestApp {
        Fixture::demo().start(backend).await
    }

    /// Starts on a fresh database holding what `fixture` seeds.
    pub async fn start_with(backend: Backend, fixture: Fixture) -> TestApp {
        let (database_url, cleanup) = fresh_database(backend).await;
        let db = Db::connect(&database_url, 4).await.expect("connect");
        danchu_db::migrate::run(&db).await.expect("migrate");
        fixture.seed(&db).await;
        // What the fixture did is in the chain, as a running node's sequencer leaves it.
        danchu_db::audit::chain_pending(&db)
            .await
            .expect("chain the fixture's entries");
        let data_dir = std::env::temp_dir().join(unique("danchu_data"));
        TestApp::serve(
            backend,
            db,
            database_url,
            data_dir,
            cleanup,
            fixture.configure,
        )
        .await
    }

    /// Starts a server on a database and data dir that already exist (migrated, as
    /// `danchu restore` leaves them), without seeding; `cleanup` is removed on drop, with
    /// the data dir.
    pub async fn on_existing(
        backend: Backend,
        database_url: String,
        data_dir: PathBuf,
        cleanup: Cleanup,
    ) -> TestApp {
        let db = Db::connect(&database_url, 4).await.expect("connect");
        TestApp::serve(backend, db, database_url, data_dir, cleanup, |_, _| {}).await
    }

    async fn serve(
        backend: Backend,
        db: Db,
        database_url: String,
        data_dir: PathBuf,
        cleanup: Cleanup,
        configure: Configure,
    ) -> TestApp {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let url = format!("http://{addr}");
        let usage = danchu_web::UsageLog::default();
        let mut config = danchu_web::WebConfig {
            data_dir: data_dir.clone(),
            base_url: url.clone(),
            body_limit: 64 * 1024,
            usage_log: Some(usage.clone()),
            // The server runs inside the test binary: the extraction child is the real
            // danchu binary.
            extract: danchu_web::extract::Limits {
                program: Some(env!("CARGO_BIN_EXE_danchu").into()),
                ..Default::default()
            },
            ..Default::default()
        };
        let mut limits = danchu_web::server::ConnLimits::default();
        configure(&mut config, &mut limits);
        let state = danchu_web::AppState::new(db.clone(), config)
            .await
            .expect("state");
        let app = danchu_web::router(state.clone());
        let server = tokio::spawn(danchu_web::server::serve(
            listener,
            app,
            limits,
            std::future::pending(),
        ));
        TestApp {
            backend,
            db,
            url,
            database_url,
            state,
            usage,
            cleanup,
            data_dir,
            server,
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
        if let Ok(path) = std::env::var("DANCHU_TEST_USAGE_DUMP") {
            use std::io::Write as _;
            let name = std::thread::current().name().unwrap_or("?").to_string();
            if let (Ok(mut f), Ok(log)) = (
                std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(path),
                self.usage.lock(),
            ) {
                for r in log.iter() {
                    let _ = writeln!(
                        f,
                        "{name}\t{}\t{}\t{}\t{}\t{}\t{}",
                        r.method,
                        r.path,
                        r.status,
                        r.db.queries,
                        r.db.transactions,
                        r.db.bare_writes
                    );
                }
            }
        }
        let _ = std::fs::remove_dir_all(&self.data_dir);
        match &self.cleanup {
            Cleanup::Dir(d) => {
                let _ = std::fs::remove_dir_all(d);
            }
            Cleanup::Schema(s) => {
                let s = s.clone();
                // Drop runs outside async; use a small runtime on a plain thread.
                let _ = std::thread::spawn(move || {
                    if let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                    {
                        rt.block_on(async {
                            if let Ok(db) = Db::connect(&pg_url(), 2).await {
                                let _ = db
                                    .execute(danchu_db::q(format!(
                                        "DROP SCHEMA IF EXISTS {s} CASCADE"
                                    )))
                                    .await;
                                db.close().await;
                            }
                        });
                    }
                })
                .join();
            }
        }
    }
}

/// A new, empty database: a SQLite file in a directory of its own, or a PostgreSQL schema.
async fn fresh_database(backend: Backend) -> (String, Cleanup) {
    match backend {
        Backend::Sqlite => {
            let dir = std::env::temp_dir().join(unique("danchu_test"));
            std::fs::create_dir_all(&dir).expect("temp dir");
            (
                format!("sqlite://{}", dir.join("t.db").display()),
                Cleanup::Dir(dir),
            )
        }
        Backend::Postgres => {
            let schema = unique("t");
            let admin = Db::connect(&pg_url(), 2)
                .await
                .expect("PostgreSQL must be reachable at DANCHU_TEST_PG_URL");
            admin
                .execute(danchu_db::q(format!("CREATE SCHEMA {schema}")))
                .await
                .expect("create schema");
            admin.close().await;
            (
                format!("{}?schema={schema}", pg_url()),
                Cleanup::Schema(schema),
            )
        }
    }
}
