#!/usr/bin/env bash
# Set up parecon and run its main job: draw a DEP-like economy and plan it.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[all]'
mkdir -p out
.venv/bin/parecon generate out/economy.json.gz --consumers 3000 --workers 3000 --seed 1
.venv/bin/parecon plan out/economy.json.gz --chart out/gaps.svg --json out/plan.json
echo "Plan written to out/plan.json, chart of the largest gap per round to out/gaps.svg"
