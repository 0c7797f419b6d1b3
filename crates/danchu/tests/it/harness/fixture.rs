//! What a test's database holds before the test starts. Most tests need the unit tree and
//! the accounts they sign in as, not the demo's articles, reports, plans and register
//! (seeding those takes about 1 s on SQLite and 3–4 s on PostgreSQL, per test):
//! `Fixture::units().with_users(&["quantri.anlap"])`. The tests that read demo content,
//! and the "demo tells its story" tests, keep [`Fixture::demo`].

use danchu_db::Db;

use super::{Backend, Configure, TestApp};

/// The seed of one test's database, and the server's settings (a builder).
#[derive(Clone, Copy)]
pub struct Fixture {
    seed: Seed,
    users: &'static [&'static str],
    pub(super) configure: Configure,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Seed {
    /// Migrated, nothing else.
    Empty,
    /// The demo's unit tree (`danchu::demo::UNITS`).
    Units,
    /// The whole demo (`danchu::demo::seed`): units, every account, every capability's
    /// content.
    Demo,
}

impl Fixture {
    /// The whole demo: every unit and account, and the content of every capability.
    pub const fn demo() -> Fixture {
        Fixture::of(Seed::Demo)
    }

    /// A migrated database and nothing else.
    pub const fn empty() -> Fixture {
        Fixture::of(Seed::Empty)
    }

    /// The demo's unit tree (province, district, communes, ấp, offices), no accounts, no
    /// content.
    pub const fn units() -> Fixture {
        Fixture::of(Seed::Units)
    }

    const fn of(seed: Seed) -> Fixture {
        Fixture {
            seed,
            users: &[],
            configure: |_, _| {},
        }
    }

    /// Adds the unit tree (to [`Fixture::empty`]).
    pub const fn with_units(self) -> Fixture {
        match self.seed {
            Seed::Empty => Fixture {
                seed: Seed::Units,
                ..self
            },
            _ => self,
        }
    }

    /// Adds these demo accounts (`danchu::demo::ACCOUNTS`: each with its role and unit,
    /// and the demo password); they need the unit tree, which comes with them.
    pub const fn with_users(self, users: &'static [&'static str]) -> Fixture {
        Fixture {
            users,
            ..self.with_units()
        }
    }

    /// Changes the server's settings before it starts.
    pub const fn configured(self, configure: Configure) -> Fixture {
        Fixture { configure, ..self }
    }

    /// Starts a test server on a fresh database seeded with this.
    pub async fn start(self, backend: Backend) -> TestApp {
        TestApp::start_with(backend, self).await
    }

    pub(super) async fn seed(&self, db: &Db) {
        match self.seed {
            Seed::Empty => {}
            Seed::Units => danchu::demo::seed_units(db).await.expect("demo units"),
            Seed::Demo => {
                danchu::demo::seed(db).await.expect("demo seed");
            }
        }
        if !self.users.is_empty() {
            danchu::demo::seed_accounts(db, self.users)
                .await
                .expect("demo accounts");
        }
    }
}
