#!/usr/bin/env bash
# Set up parecon and run its main job: the platform, with the demo community loaded,
# served on http://127.0.0.1:8000/ (log-in details are printed). Ctrl-C stops it.
# Usage: bash scripts/quickstart.sh [--port N] [--data-dir DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[all]'
exec .venv/bin/parecon demo "$@"
