//! Integration tests: the real router over real HTTP, on SQLite and on PostgreSQL.
//! Each test gets its own SQLite file or PostgreSQL schema and removes it afterwards.
//! PostgreSQL is at DANCHU_TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/test).

mod harness;

mod api;
mod audit;
mod backup;
mod browser;
mod cli;
mod codes;
mod disclosures;
mod documents;
mod identity;
mod inputs;
mod limits;
mod logs;
mod openapi;
mod ops;
mod plans;
mod portal;
mod queries;
mod reporting;
mod search;
mod shutdown;
mod transactions;
mod units;
