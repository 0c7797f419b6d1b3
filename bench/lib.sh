# Shared by the benchmark scripts: nothing is reported unless every server measured
# answers 200 with the expected page, before and during the run.

# fetch URL OUT [curl args…]: GETs URL into OUT and prints the HTTP status.
fetch() {
  local url=$1 out=$2; shift 2
  curl -s -o "$out" -w '%{http_code}' "$@" "$url" || echo 000
}

# need_page URL OUT PATTERN [curl args…]: the URL answers 200 and its body contains
# PATTERN (a fixed string), or the benchmark stops without reporting.
need_page() {
  local url=$1 out=$2 pattern=$3; shift 3
  local code
  code=$(fetch "$url" "$out" "$@")
  if [ "$code" != 200 ]; then
    echo "refusing to report: $url answered $code, not 200" >&2; exit 1
  fi
  if ! grep -qF -- "$pattern" "$out"; then
    echo "refusing to report: $url did not serve the expected page (no \"$pattern\")" >&2; exit 1
  fi
}

# same_page A B: the two files hold the same page, numbers aside (live counters differ
# from one request to the next), or the benchmark stops.
same_page() {
  if ! cmp -s <(sed -E 's/[0-9]+/0/g' "$1") <(sed -E 's/[0-9]+/0/g' "$2"); then
    echo "refusing to report: the servers compared do not serve the same page ($(wc -c < "$1") vs $(wc -c < "$2") bytes)" >&2
    diff <(sed -E 's/[0-9]+/0/g' "$1") <(sed -E 's/[0-9]+/0/g' "$2") | head -5 >&2
    exit 1
  fi
}

# wrk_ok OUTPUT: a wrk run answered nothing but 2xx/3xx and had no socket errors.
wrk_ok() {
  if grep -q "Non-2xx or 3xx responses" <<<"$1"; then
    echo "refusing to report: $(grep "Non-2xx or 3xx responses" <<<"$1")" >&2; exit 1
  fi
  if grep -q "Socket errors" <<<"$1"; then
    echo "refusing to report: $(grep "Socket errors" <<<"$1")" >&2; exit 1
  fi
}

# errors_ok COUNT WHAT: the error count printed by a wrk Lua `done` is zero.
errors_ok() {
  if [ "$1" != 0 ]; then
    echo "refusing to report: $2 had $1 errors (non-2xx answers or socket errors)" >&2; exit 1
  fi
}

# wrk_result_lua: the Lua `done` function that prints one line
# `RESULT requests/s p50 p95 p99 errors` (milliseconds; errors = non-2xx + socket errors),
# read back with `read -r _ rps p50 p95 p99 err` and checked with errors_ok.
wrk_result_lua() {
  cat <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.0f %.2f %.2f %.2f %d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout))
end
LUA
}
