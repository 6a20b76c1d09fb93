#!/usr/bin/env bash
# The test command: sets everything up and runs the whole suite.
# SQLite by default; CI sets DATABASE_URL to PostgreSQL (and REDIS_URL for the scale-out tests).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh

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
