#!/usr/bin/env bash
# Installs what the test suite needs on a fresh Debian machine: headless Chromium and its
# WebDriver (Debian packages; no browser download), the PostgreSQL client tools
# (pg_dump, pg_restore) that `danchu backup` and `danchu restore` run, nginx (in front of
# the nodes of the multi-node tests), and
# openapi-spec-validator and aiosmtpd (PyPI, pinned) in a venv under target/ for the
# tests that validate /api/openapi.json and deliver mail to a real SMTP server. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
{ command -v pg_dump && command -v pg_restore; } >/dev/null 2>&1 || need+=(postgresql-client)
# nginx in front of three nodes in the multi-node tests.
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" fonts-noto-core >/dev/null
fi
# axe-core (accessibility rules the browser tests run), pinned in e2e/package-lock.json.
if [ ! -f e2e/node_modules/axe-core/axe.min.js ]; then
  if ! command -v npm >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends npm >/dev/null
  fi
  (cd e2e && npm ci --no-audit --no-fund --silent)
fi
# Python tools, pinned, in target/test-venv: openapi-spec-validator (the openapi tests)
# and aiosmtpd (the real SMTP server the outbox tests deliver mail to).
PY_PINS="openapi-spec-validator==0.9.0 aiosmtpd==1.4.6"
venv=target/test-venv
pins_ok() {
  "$venv/bin/python" - "$@" <<'PY' >/dev/null 2>&1
import importlib.metadata as m, sys
sys.exit(any(m.version(n) != v for n, v in (p.split("==") for p in sys.argv[1:])))
PY
}
if ! pins_ok $PY_PINS; then
  if ! python3 -m venv --help >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
  fi
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check $PY_PINS
fi
"$venv/bin/python" -c "import importlib.metadata as m; print('openapi-spec-validator', m.version('openapi-spec-validator'), 'aiosmtpd', m.version('aiosmtpd'))"
chromium --version
chromedriver --version
pg_dump --version
/usr/sbin/nginx -v
