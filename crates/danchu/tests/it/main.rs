//! Integration tests: the real router over real HTTP, on SQLite and on PostgreSQL.
//! Each test gets its own SQLite file or PostgreSQL schema and removes it afterwards.
//! PostgreSQL is at DANCHU_TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/test).
//!
//! One folder per capability (as in src), one file per flow; then the checks that cut
//! across capabilities, and the real browser. Each test names what its database holds
//! ([`harness::Fixture`]): the unit tree and the accounts it signs in as, a capability's
//! demo content, or the whole demo. The `demo_story.rs` files (portal, plans,
//! disclosures) tell the demo's story on the whole demo on purpose.

mod harness;

// Capabilities.
mod disclosures;
mod documents;
mod identity;
mod plans;
mod portal;
mod reporting;
mod search;
mod units;

// Across capabilities.
mod api;
mod audit;
mod background;
mod backup;
mod cli;
mod codes;
mod inputs;
mod jobs;
mod limits;
mod logs;
mod mail;
mod nodes;
mod ops;
mod outbox;
mod queries;
mod shutdown;
mod transactions;

// A real browser (headless Chromium).
mod browser;
