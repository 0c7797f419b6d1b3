#!/usr/bin/env bash
# Installs what the test suite needs on a fresh Debian machine: headless Chromium and its
# WebDriver (Debian packages; no browser download), and the PostgreSQL client tools
# (pg_dump, pg_restore) that `danchu backup` and `danchu restore` run. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
{ command -v pg_dump && command -v pg_restore; } >/dev/null 2>&1 || need+=(postgresql-client)
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
chromium --version
chromedriver --version
pg_dump --version
