#!/usr/bin/env bash
# Serves the seed article from `danchu demo` (SQLite, view counting on) and the same
# rendered HTML as a static file from nginx, checks that both answer 200 with the same
# page, loads both with wrk in one run (a phone browser's User-Agent, so danchu counts
# every request as a view), and prints requests/s, p50, p99, the ratio, danchu's memory
# under load and the views it recorded. Refuses to report if a server answered anything
# but the page.
# Usage: bench/portal.sh [seconds]      (installs nginx and wrk from Debian if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
DUR="${1:-10}"
if ! command -v nginx >/dev/null || ! command -v wrk >/dev/null || ! command -v sqlite3 >/dev/null; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nginx-light wrk sqlite3 >/dev/null
fi
cargo build --release -q
work=$(mktemp -d)
# nginx's worker runs as another user: it must be able to read the page (mktemp -d is 0700;
# without this nginx answered 404 and the old figures compared danchu with a 404).
chmod 755 "$work"
DPORT=18080; NPORT=18081
UA="Mozilla/5.0 (Linux; Android 10; SM-A105F) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36"
SLUG="ke-hoach-thuc-hien-quy-che-dan-chu-o-co-so-nam-2023-tren-dia-ban-huyen-dau-tieng"
cleanup() {
  [ -n "${DPID:-}" ] && kill "$DPID" 2>/dev/null || true
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  sleep 0.5; rm -rf "$work"
}
trap cleanup EXIT
DANCHU_DATABASE_URL="sqlite://$work/bench.db" DANCHU_DATA_DIR="$work/data" RUST_LOG=warn \
  target/release/danchu demo --addr "127.0.0.1:$DPORT" >/dev/null 2>&1 &
DPID=$!
for _ in $(seq 1 100); do curl -fs -o /dev/null "http://127.0.0.1:$DPORT/healthz" && break; sleep 0.1; done
mkdir -p "$work/www/bai-viet"
need_page "http://127.0.0.1:$DPORT/bai-viet/$SLUG" "$work/www/bai-viet/$SLUG.html" "Kế hoạch thực hiện Quy chế dân chủ" -A "$UA"
chmod -R a+rX "$work/www"
cat > "$work/nginx.conf" <<NGINX
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  default_type text/html;
  server {
    listen 127.0.0.1:$NPORT;
    root $work/www;
    location / { try_files \$uri.html =404; }
  }
}
NGINX
nginx -c "$work/nginx.conf"
sleep 0.3
# Both servers answer 200 with the same page (numbers aside: the view counter moves).
need_page "http://127.0.0.1:$NPORT/bai-viet/$SLUG" "$work/nginx.html" "Kế hoạch thực hiện Quy chế dân chủ"
need_page "http://127.0.0.1:$DPORT/bai-viet/$SLUG" "$work/danchu.html" "Kế hoạch thực hiện Quy chế dân chủ" -A "$UA"
same_page "$work/nginx.html" "$work/danchu.html"
VIEWS_BEFORE=$(grep -o 'Lượt xem[^0-9]*[0-9.]*' "$work/danchu.html" | grep -o '[0-9.]*$' | tr -d .)
run() { wrk -t2 -c32 -d"${DUR}s" --latency -H "User-Agent: $UA" "$1"; }
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; page: $(wc -c < "$work/www/bai-viet/$SLUG.html") bytes"
N_OUT=$(run "http://127.0.0.1:$NPORT/bai-viet/$SLUG"); wrk_ok "$N_OUT"
D_OUT=$(run "http://127.0.0.1:$DPORT/bai-viet/$SLUG"); wrk_ok "$D_OUT"
RSS_KB=$(ps -o rss= -p "$DPID" | tr -d ' ')
parse() { # rps p50 p99
  local rps p50 p99
  rps=$(echo "$1" | awk '/Requests\/sec/{print $2}')
  p50=$(echo "$1" | awk '$1=="50%"{print $2}')
  p99=$(echo "$1" | awk '$1=="99%"{print $2}')
  echo "$rps $p50 $p99"
}
read -r NR N50 N99 <<<"$(parse "$N_OUT")"
read -r DR D50 D99 <<<"$(parse "$D_OUT")"
printf '%-28s %12s %10s %10s\n' "server" "requests/s" "p50" "p99"
printf '%-28s %12s %10s %10s\n' "nginx (static file)" "$NR" "$N50" "$N99"
printf '%-28s %12s %10s %10s\n' "danchu (views counted)" "$DR" "$D50" "$D99"
echo "ratio danchu/nginx: $(awk -v a="$DR" -v b="$NR" 'BEGIN{printf "%.2f", a/b}')"
echo "danchu memory (RSS) after load: $((RSS_KB / 1024)) MB"
D_REQ=$(echo "$D_OUT" | awk '/requests in/{print $1}')
kill -TERM "$DPID"; wait "$DPID" 2>/dev/null || true; DPID=""
VIEWS_AFTER=$(sqlite3 "$work/bench.db" "SELECT views FROM articles WHERE slug='$SLUG'" 2>/dev/null || echo '?')
echo "views: $VIEWS_BEFORE before the run, $VIEWS_AFTER after shutdown; danchu served $D_REQ requests in the run"
