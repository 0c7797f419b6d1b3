#!/usr/bin/env bash
# Search at scale: generates COUNT realistic Vietnamese articles (default 100,000) into a
# fresh SQLite database with `danchu generate articles` (which prints the generation and
# indexing times), serves it, and measures /tim-kiem through HTTP with wrk over the query
# set in bench/search-queries.txt (1–3 words, with and without diacritics):
#   1. one connection, one request at a time: p50/p95/p99 latency of a single search;
#   2. 2 threads × 16 connections: throughput and latency under load.
# Usage: bench/search.sh [count] [seconds]   (installs wrk and sqlite3 from Debian if missing)
# DB=/path/bench.db bench/search.sh …  keeps the generated database there and reuses it on
# the next run (skipping generation and indexing). DANCHU_BENCH_BIN=path measures that
# binary instead of building target/release/danchu.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
COUNT="${1:-100000}"
DUR="${2:-20}"
if ! command -v wrk >/dev/null || ! command -v sqlite3 >/dev/null; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends wrk sqlite3 >/dev/null
fi
BIN="${DANCHU_BENCH_BIN:-}"
if [ -z "$BIN" ]; then cargo build --release -q; BIN=target/release/danchu; fi
work=$(mktemp -d)
PORT=18090
cleanup() {
  [ -n "${DPID:-}" ] && kill "$DPID" 2>/dev/null || true
  sleep 0.5; rm -rf "$work"
}
trap cleanup EXIT
DBFILE="${DB:-$work/bench.db}"
export DANCHU_DATABASE_URL="sqlite://$DBFILE" DANCHU_DATA_DIR="$work/data" RUST_LOG=warn
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB"
if [ ! -s "$DBFILE" ]; then
  "$BIN" generate articles --count "$COUNT" 2>/dev/null
fi
echo "database: $(du -m "$DBFILE" | cut -f1) MB; articles: $(sqlite3 "$DBFILE" 'SELECT COUNT(*) FROM articles'); postings: $(sqlite3 "$DBFILE" 'SELECT COUNT(*) FROM search_postings'); words: $(sqlite3 "$DBFILE" 'SELECT COUNT(*) FROM search_terms')"
"$BIN" serve --addr "127.0.0.1:$PORT" >/dev/null 2>&1 &
DPID=$!
for _ in $(seq 1 100); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 0.1; done
# The query set as URL paths, and a sanity pass: every query answers 200 with results.
python3 - "$work/paths.lua" <<'PY'
import sys, urllib.parse
qs = [l.strip() for l in open("bench/search-queries.txt", encoding="utf-8") if l.strip() and not l.startswith("#")]
with open(sys.argv[1], "w") as f:
    f.write("paths = {\n")
    for q in qs:
        f.write('  "/tim-kiem?q=%s",\n' % urllib.parse.quote_plus(q))
    f.write("}\n")
PY
N=$(grep -c '"/tim-kiem' "$work/paths.lua")
empty=0
while read -r p; do
  # Every query answers 200 with the search page; most find something.
  need_page "http://127.0.0.1:$PORT$p" "$work/page.html" 'id="q-main"'
  grep -q '<ol class="results">' "$work/page.html" || empty=$((empty + 1))
done < <(grep -o '"/tim-kiem[^"]*"' "$work/paths.lua" | tr -d '"')
echo "queries: $N; without results: $empty"
[ "$empty" -le $((N / 2)) ] || { echo "refusing to report: $empty of $N queries found nothing" >&2; exit 1; }
cat > "$work/bench.lua" <<LUA
dofile("$work/paths.lua")
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
$(wrk_result_lua)
LUA
# Warm the page cache and the statement caches, then measure.
wrk -t1 -c1 -d3s -s "$work/bench.lua" "http://127.0.0.1:$PORT" >/dev/null
printf '%-34s %10s %9s %9s %9s %7s\n' "run" "requests/s" "p50 ms" "p95 ms" "p99 ms" "errors"
for cfg in "1 1" "2 16"; do
  set -- $cfg
  read -r _ rps p50 p95 p99 err < <(wrk -t"$1" -c"$2" -d"${DUR}s" -s "$work/bench.lua" "http://127.0.0.1:$PORT" | grep '^RESULT')
  errors_ok "$err" "the search run ($1×$2)"
  printf '%-34s %10s %9s %9s %9s %7s\n' "$1 thread(s), $2 connection(s)" "$rps" "$p50" "$p95" "$p99" "$err"
done
echo "danchu memory (RSS) after load: $(( $(ps -o rss= -p "$DPID" | tr -d ' ') / 1024 )) MB"
