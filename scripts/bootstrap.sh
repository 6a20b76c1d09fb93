#!/usr/bin/env bash
# Creates .venv from the lock file (idempotent: reinstalls only when the lock changed).
set -euo pipefail
cd "$(dirname "$0")/.."

pick_python() {
  for candidate in "${PYTHON:-}" python3.11 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)'; then
      echo "$candidate"; return 0
    fi
  done
  echo "AdCreator needs Python 3.11 (set PYTHON=/path/to/python3.11)" >&2
  return 1
}

PY=$(pick_python)
if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv with $($PY --version)"
  "$PY" -m venv .venv
fi
stamp=.venv/.lock-installed
wanted=$(cat requirements.lock requirements-ocr-models.txt)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
  echo "==> installing pinned dependencies from requirements.lock (log: var/pip-install.log)"
  mkdir -p var
  if ! { .venv/bin/python -m pip install --upgrade pip \
         && .venv/bin/python -m pip install -r requirements.lock \
         && .venv/bin/python -m pip install --no-deps -r requirements-ocr-models.txt \
         && .venv/bin/python -m pip install --no-deps -e . ; } >var/pip-install.log 2>&1; then
    tail -30 var/pip-install.log >&2
    echo "dependency installation failed; see var/pip-install.log" >&2
    exit 1
  fi
  printf '%s' "$wanted" >"$stamp"
fi
