#!/usr/bin/env bash
# Write throughput: concurrent acknowledged writes through the real API write path (a
# commune reporter records plan progress: one transaction with the progress row and its
# audit entry each), while another client reads the public home page (a steady 200 a
# second at most, READ_PAUSE_MS below); writes/s, p50 and p99 on SQLite (synchronous=normal and =full), and on PostgreSQL with 1 and 3 nodes.
# Every write must answer 201 (wrk's error count must be zero) and `danchu audit verify`
# must pass after each run, or nothing is reported.
# Usage: bench/writes.sh [seconds] [connections]   (installs wrk from Debian if missing)
# DANCHU_BENCH_BIN=path: measure that binary instead of building target/release/danchu.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
DUR="${1:-10}"
CONNS="${2:-16}"
PG="${DANCHU_BENCH_PG:-postgres://postgres@127.0.0.1:5432/test}"
if ! command -v wrk >/dev/null || ! command -v psql >/dev/null; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends wrk postgresql-client >/dev/null
fi
BIN="${DANCHU_BENCH_BIN:-}"
if [ -z "$BIN" ]; then cargo build --release -q; BIN=target/release/danchu; fi
work=$(mktemp -d)
pids=()
schema="bench_writes_$$"
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 0.5
  psql -q "$PG" -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr); $DUR s per run, $CONNS write connections"

# start NAME URL PORT [demo]: a node on URL, waits for /healthz.
start() {
  local cmd=serve
  [ "${4:-}" = demo ] && cmd=demo
  DANCHU_DATABASE_URL="$2" DANCHU_DATA_DIR="$work/data-$1" DANCHU_NODE="$1" RUST_LOG=error \
    "$BIN" "$cmd" --addr "127.0.0.1:$3" >/dev/null 2>&1 &
  pids+=($!)
  for _ in $(seq 1 300); do curl -fs -o /dev/null "http://127.0.0.1:$3/healthz" && return; sleep 0.1; done
  echo "refusing to report: node $1 did not start" >&2; exit 1
}

write_lua() { # PATH COOKIE CSRF
  cat <<LUA
local n = 0
local tag = tostring(math.random(1000000))
request = function()
  n = n + 1
  local body = '{"status":"in_progress","note":"Tiến độ ' .. tag .. '-' .. n .. '"}'
  return wrk.format("POST", "$1", { ["Cookie"] = "$2", ["X-CSRF-Token"] = "$3",
    ["Content-Type"] = "application/json" }, body)
end
$(wrk_result_lua)
LUA
}

# Readers: 4 connections, each waiting READ_PAUSE_MS between its requests (default 20:
# at most 200 home pages a second, a busy district portal's peak many times over), so
# the readers are a steady load beside the writes instead of taking every spare cycle
# (READ_PAUSE_MS=0 makes them as greedy as wrk can be).
read_lua() {
  cat <<LUA
request = function() return wrk.format("GET", "/") end
delay = function() return ${READ_PAUSE_MS:-20} end
$(wrk_result_lua)
LUA
}

# run NAME URL PORT...: one wrk of writes per node (the connections shared out) and one
# wrk of home-page reads on the first node, at the same time.
run() {
  local name=$1 url=$2; shift 2
  local ports=("$@") n=$# i=0
  need_page "http://127.0.0.1:${ports[0]}/" "$work/home.html" "Dầu Tiếng"
  mapfile -t setup < <(python3 bench/writes_setup.py "http://127.0.0.1:${ports[0]}")
  write_lua "${setup[0]}" "${setup[1]}" "${setup[2]}" > "$work/write.lua"
  read_lua > "$work/read.lua"
  # The write path answers 201 before the run counts anything.
  code=$(curl -s -o "$work/w.json" -w '%{http_code}' -X POST "http://127.0.0.1:${ports[0]}${setup[0]}" \
    -H "Cookie: ${setup[1]}" -H "X-CSRF-Token: ${setup[2]}" -H 'Content-Type: application/json' \
    -d '{"status":"in_progress","note":"kiểm tra"}')
  if [ "$code" != 201 ]; then echo "refusing to report: the write answered $code: $(cat "$work/w.json")" >&2; exit 1; fi
  local wpids=()
  for p in "${ports[@]}"; do
    wrk -t1 -c$((CONNS / n)) -d"${DUR}s" -s "$work/write.lua" "http://127.0.0.1:$p" > "$work/w-$i.out" &
    wpids+=($!)
    i=$((i + 1))
  done
  wrk -t1 -c4 -d"${DUR}s" -s "$work/read.lua" "http://127.0.0.1:${ports[0]}" > "$work/r.out" &
  wpids+=($!)
  wait "${wpids[@]}"
  local total=0 p50=0 p99=0
  for f in "$work"/w-*.out; do
    read -r _ rps a50 _ a99 err < <(grep '^RESULT' "$f")
    errors_ok "$err" "$name writes"
    total=$((total + rps))
    p50=$(python3 -c "print(max($p50, $a50))"); p99=$(python3 -c "print(max($p99, $a99))")
  done
  read -r _ rrps _ _ r99 rerr < <(grep '^RESULT' "$work/r.out")
  errors_ok "$rerr" "$name reads"
  rm -f "$work"/w-*.out
  if ! DANCHU_DATABASE_URL="$url" "$BIN" audit verify > "$work/verify.out" 2>&1; then
    echo "refusing to report: audit verify failed after $name: $(cat "$work/verify.out")" >&2; exit 1
  fi
  printf '%-34s %10s %9s %9s %12s %9s   %s\n' "$name" "$total" "$p50" "$p99" "$rrps" "$r99" "$(tail -1 "$work/verify.out")"
}

printf '%-34s %10s %9s %9s %12s %9s   %s\n' "run" "writes/s" "p50 ms" "p99 ms" "reads/s" "p99 ms" "audit verify"
start s1 "sqlite://$work/normal.db" 18090 demo
run "SQLite, synchronous=normal" "sqlite://$work/normal.db" 18090
kill "${pids[-1]}"; sleep 1
start s2 "sqlite://$work/full.db?synchronous=full" 18091 demo
run "SQLite, synchronous=full" "sqlite://$work/full.db?synchronous=full" 18091
kill "${pids[-1]}"; sleep 1
PGURL="$PG?schema=$schema"
start p1 "$PGURL" 18092 demo
run "PostgreSQL, 1 node" "$PGURL" 18092
start p2 "$PGURL" 18093
start p3 "$PGURL" 18094
run "PostgreSQL, 3 nodes" "$PGURL" 18092 18093 18094
