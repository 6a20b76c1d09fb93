#!/usr/bin/env bash
# The quickstart: install, migrate (SQLite under var/), seed the demo, start a worker, run a
# real generation job with the offline local providers, print the summary and a contact sheet,
# then three simulated weeks of the learning loop (the simulated Meta market, offline).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
PY=.venv/bin/python

echo "==> database (${DATABASE_URL:-SQLite at var/adcreator.sqlite3})"
$PY manage.py migrate --noinput -v0
echo "==> demo data"
$PY manage.py seed_demo

echo "==> starting a worker (log: var/worker.log)"
mkdir -p var
# run_worker stops cleanly on the trap's SIGTERM (its workers with it); `migrate` made the schedules.
ADCREATOR_WORKERS=${ADCREATOR_WORKERS:-1} $PY manage.py run_worker >var/worker.log 2>&1 &
worker=$!
trap 'kill $worker 2>/dev/null || true; wait $worker 2>/dev/null || true' EXIT

echo "==> submitting a job: smart select 2 templates × 3 sizes × 2 colour modes, for a persona and an offer"
$PY manage.py create_ads --brand demo --product night-repair-serum \
  --select smart_select --count 2 --sizes 1:1,4:5,9:16 --colors original,brand \
  --persona "Busy professional" --offer-variant "First order" \
  --wait --timeout 600 --contact-sheet var/contact-sheet.png
echo
echo "==> the learning loop, on the SIMULATED Meta market (offline): 3 weeks of generate → launch → sync → genome update"
$PY manage.py learning_demo --weeks 3 --templates 2 --variations 1 --chart var/learning-demo.png
echo
echo "Open the contact sheet: $(pwd)/var/contact-sheet.png"
echo "Open the learning chart: $(pwd)/var/learning-demo.png"
echo "Browse it all: .venv/bin/python manage.py runserver, then http://127.0.0.1:8000/ (demo / demo; admin / admin at /admin/)"
