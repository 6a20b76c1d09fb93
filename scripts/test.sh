#!/usr/bin/env bash
# The test command: sets everything up and runs the whole suite.
# SQLite by default; CI sets DATABASE_URL to PostgreSQL (and REDIS_URL for the scale-out tests).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh

# The browser tests drive Debian's Chromium through Playwright (never `playwright install`,
# which downloads a browser). Install it when missing and we are allowed to.
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "==> installing chromium (Debian package) for the browser tests"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "!! /usr/bin/chromium is missing: the browser tests will be skipped (apt-get install chromium)" >&2
  fi
fi

echo "==> checks"
.venv/bin/python manage.py check
.venv/bin/python manage.py makemigrations --check --dry-run

echo "==> pytest (${DATABASE_URL:+PostgreSQL}${DATABASE_URL:-SQLite})"
set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: that is a failure" >&2
  exit 1
fi
exit "$status"
