//! What a test's database holds before the test starts. Most tests need the unit tree and
//! the accounts they sign in as, not the whole demo: seeding the demo's disclosure
//! register alone takes about 1.3 s on SQLite and 3.3 s on PostgreSQL, per test. So a
//! test names what it reads: `Fixture::units().with_users(&["quantri.anlap"])`, plus
//! `.with_portal()`, `.with_reporting()` or `.with_plans()` for a capability's demo
//! content. The "demo tells its story" tests, and those that read the register, keep
//! [`Fixture::demo`].

use danchu_db::Db;

use super::{Backend, Configure, TestApp};

/// The portal's demo content and its editor `bientap`, who signs in: what most portal,
/// document and upload tests need.
pub const EDITOR: Fixture = Fixture::units().with_portal().with_users(&["bientap"]);

/// [`EDITOR`], and An Lập's unit administrator (`quantri.anlap`) for what is not the
/// district's.
pub const EDITOR_AND_AN_LAP: Fixture = Fixture::units()
    .with_portal()
    .with_users(&["bientap", "quantri.anlap"]);

/// The seed of one test's database, and the server's settings (a builder).
#[derive(Clone, Copy)]
pub struct Fixture {
    /// The whole demo (`danchu::demo::seed`); the other parts are then in it.
    demo: bool,
    /// The demo's unit tree (`danchu::demo::UNITS`).
    units: bool,
    /// Demo accounts (`danchu::demo::ACCOUNTS`).
    users: &'static [&'static str],
    /// The portal's demo content (`danchu::demo::portal::seed`).
    portal: bool,
    /// The reporting demo (`danchu::demo::reporting::seed`).
    reporting: bool,
    /// The plans demo (`danchu::demo::plans::seed`).
    plans: bool,
    pub(super) configure: Configure,
}

impl Fixture {
    /// The whole demo: every unit and account, and the content of every capability (the
    /// disclosure register included); the `with_…` parts are in it already.
    pub const fn demo() -> Fixture {
        Fixture {
            demo: true,
            ..Fixture::empty()
        }
    }

    /// A migrated database and nothing else.
    pub const fn empty() -> Fixture {
        Fixture {
            demo: false,
            units: false,
            users: &[],
            portal: false,
            reporting: false,
            plans: false,
            configure: |_, _| {},
        }
    }

    /// The demo's unit tree (province, district, communes, ấp, offices), no accounts, no
    /// content.
    pub const fn units() -> Fixture {
        Fixture::empty().with_units()
    }

    /// Adds the unit tree.
    pub const fn with_units(self) -> Fixture {
        Fixture {
            units: true,
            ..self
        }
    }

    /// Adds these demo accounts (each with its role and unit as in
    /// `danchu::demo::ACCOUNTS`, and the demo password), and the unit tree they need.
    pub const fn with_users(self, users: &'static [&'static str]) -> Fixture {
        Fixture {
            users,
            ..self.with_units()
        }
    }

    /// Adds the portal's demo content: categories, the seed article and the district's
    /// news, the banner, the link lists, the library's documents (and the unit tree).
    pub const fn with_portal(self) -> Fixture {
        Fixture {
            portal: true,
            ..self.with_units()
        }
    }

    /// Adds the reporting demo: Phòng Nội vụ's template and its round of 2023, reported
    /// by most units (and the unit tree).
    pub const fn with_reporting(self) -> Fixture {
        Fixture {
            reporting: true,
            ..self.with_units()
        }
    }

    /// Adds the plans demo: Plan 22/KH-UBND with its tasks and progress (and the portal's
    /// documents it follows up).
    pub const fn with_plans(self) -> Fixture {
        Fixture {
            plans: true,
            ..self.with_portal()
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

    /// Seeds `db` (migrated) in the demo's own order: units, accounts, portal, reporting,
    /// plans.
    pub(super) async fn seed(&self, db: &Db) {
        use danchu::demo;
        if self.demo {
            // Every other part is in it (and seeding one again would add to it).
            demo::seed(db).await.expect("demo seed");
            return;
        }
        if self.units {
            demo::seed_units(db).await.expect("demo units");
        }
        if !self.users.is_empty() {
            demo::seed_accounts(db, self.users)
                .await
                .expect("demo accounts");
        }
        if self.portal {
            demo::portal::seed(db).await.expect("portal demo");
        }
        if self.reporting {
            demo::reporting::seed(db).await.expect("reporting demo");
        }
        if self.plans {
            demo::plans::seed(db).await.expect("plans demo");
        }
    }
}
