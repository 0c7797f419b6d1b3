#!/usr/bin/env bash
# Times `danchu import units` on a national-sized list (34 provinces, 3,321 communes),
# first import and idempotent re-import, on SQLite and on PostgreSQL.
# Usage: bench/import-units.sh   (PostgreSQL at DANCHU_TEST_PG_URL, default below)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q
BIN=target/release/danchu
PG="${DANCHU_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/test}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 bench/gen_units.py > "$work/units.json"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr)"
run() {
  local label=$1 url=$2
  local TIMEFORMAT="%R s"
  for pass in first again; do
    printf '%-10s %-6s ' "$label" "$pass"
    { time DANCHU_DATABASE_URL="$url" RUST_LOG=warn "$BIN" import units "$work/units.json" >"$work/out.txt" 2>/dev/null; } 2>&1
    sed 's/^/           /' "$work/out.txt"
  done
}
run sqlite "sqlite://$work/bench.db"
schema="bench_$$"
psql -q "$PG" -c "CREATE SCHEMA $schema" >/dev/null
run postgres "$PG?schema=$schema"
psql -q "$PG" -c "SET client_min_messages=warning; DROP SCHEMA $schema CASCADE" >/dev/null
