#!/usr/bin/env bash
# Runs every test: unit tests, integration tests on SQLite and PostgreSQL, the real-browser
# test, formatting and lints. PostgreSQL: DANCHU_TEST_PG_URL (default
# postgres://postgres@127.0.0.1:5432/test).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-test-deps.sh
export DANCHU_TEST_PG_URL="${DANCHU_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/test}"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings
cargo test --workspace
