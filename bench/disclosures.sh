#!/usr/bin/env bash
# The disclosure register at national scale (issue 7): imports the national-sized unit
# list (34 provinces, 3,321 communes) into a fresh SQLite file, writes 50 disclosures per
# commune for 2025 with versions and channels (`danchu generate disclosures`), serves it,
# and measures through HTTP with wrk, one request at a time and under load:
#   1. the compliance dashboard of a whole province (signed in as its administrator);
#   2. the filtered public listing /cong-khai (by unit and year, by category and
#      "đang niêm yết", by year only).
# Goal: p95 under 50 ms on SQLite.
# Usage: bench/disclosures.sh [per-unit] [seconds]   (installs wrk from Debian if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
PER="${1:-50}"
DUR="${2:-15}"
if ! command -v wrk >/dev/null; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends wrk >/dev/null
fi
cargo build --release -q
work=$(mktemp -d)
PORT=18091
cleanup() {
  [ -n "${DPID:-}" ] && kill "$DPID" 2>/dev/null || true
  sleep 0.5; rm -rf "$work"
}
trap cleanup EXIT
export DANCHU_DATABASE_URL="sqlite://$work/bench.db" DANCHU_DATA_DIR="$work/data" RUST_LOG=warn
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -sr)"
python3 bench/gen_units.py > "$work/units.json"
target/release/danchu import units "$work/units.json" >/dev/null
target/release/danchu generate disclosures --per-unit "$PER"
echo "database: $(du -m "$work/bench.db" | cut -f1) MB"
target/release/danchu serve --addr "127.0.0.1:$PORT" >/dev/null 2>&1 &
DPID=$!
B="http://127.0.0.1:$PORT"
for _ in $(seq 1 100); do curl -fs -o /dev/null "$B/healthz" && break; sleep 0.1; done
# Sign in as the province administrator; keep the session cookie for wrk.
J="$work/jar"
T=$(curl -s -c "$J" -b "$J" "$B/dang-nhap" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"//')
curl -s -c "$J" -b "$J" -o /dev/null -d "_csrf=$T&username=bench.tinh&password=danchu-bench-2025&next=/quan-tri" "$B/dang-nhap"
COOKIE=$(awk '$6 ~ /^danchu_/ {printf "%s=%s; ", $6, $7}' "$J")
# (Read into a file: `grep -q` on a pipe would stop curl early and fail under pipefail.)
need_page "$B/quan-tri/cong-khai/tuan-thu?nam=2025" "$work/dash.html" "Chưa công khai" -b "$J"
UNITS=$(grep -o 'cong-khai?don_vi=[0-9]*' "$work/dash.html" | sort -u | wc -l)
echo "province dashboard: $UNITS communes, $(grep -c 'class="subtotal"' "$work/dash.html") district subtotals"
UNIT=$(grep -o 'cong-khai?don_vi=[0-9]*' "$work/dash.html" | head -1 | cut -d= -f2)
run() { # lua paths, cookie (NAME names the run)
  cat > "$work/bench.lua" <<LUA
paths = { $1 }
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i], { ["Cookie"] = "$2" })
end
$(wrk_result_lua)
LUA
  wrk -t1 -c1 -d2s -s "$work/bench.lua" "$B" >/dev/null
  for cfg in "1 1" "2 8"; do
    set -- $cfg
    read -r _ rps p50 p95 p99 err < <(wrk -t"$1" -c"$2" -d"${DUR}s" -s "$work/bench.lua" "$B" | grep '^RESULT')
    errors_ok "$err" "$NAME ($1×$2)"
    printf '%-44s %10s %9s %9s %9s %7s\n' "$NAME ($1×$2)" "$rps" "$p50" "$p95" "$p99" "$err"
  done
}
printf '%-44s %10s %9s %9s %9s %7s\n' "run" "requests/s" "p50 ms" "p95 ms" "p99 ms" "errors"
NAME="province compliance dashboard" run '"/quan-tri/cong-khai/tuan-thu?nam=2025"' "$COOKIE"
for p in "/cong-khai?don_vi=$UNIT&nam=2025" "/cong-khai?danh_muc=2&dang_niem_yet=1" "/cong-khai?nam=2025&trang=3"; do
  need_page "$B$p" "$work/list.html" 'class="pager"'
done
NAME="public listing, filtered" run "\"/cong-khai?don_vi=$UNIT&nam=2025\", \"/cong-khai?danh_muc=2&dang_niem_yet=1\", \"/cong-khai?nam=2025&trang=3\"" ""
