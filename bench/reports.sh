#!/usr/bin/env bash
# Periodic reporting at national scale: imports the national-sized unit list (34
# provinces, 3,321 communes) into a fresh SQLite file, opens a round with a 60-indicator
# template for every commune, has every report submitted and accepted through the normal
# code path (`danchu generate reports`), then times the consolidation and the XLSX
# export three times. Goal: under 2 seconds together.
# Usage: bench/reports.sh [indicators]
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-60}"
cargo build --release -q
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 bench/gen_units.py > "$work/units.json"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr)"
export DANCHU_DATABASE_URL="sqlite://$work/bench.db" RUST_LOG=warn
target/release/danchu import units "$work/units.json" >/dev/null
target/release/danchu generate reports --indicators "$N"
