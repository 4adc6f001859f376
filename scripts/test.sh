#!/usr/bin/env bash
# Set up (idempotently) and run every check: ruff, mypy, import-linter, pytest on
# SQLite (everything, browser tests in Debian's Chromium included), then the
# platform's database-facing tests again on a throw-away PostgreSQL server.
# Usage: bash scripts/test.sh [pytest args...]
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
SECONDS=0
part() { echo "== $1 (at ${SECONDS}s)"; }
part "setup"
bash scripts/system-deps.sh
if [ ! -x .venv/bin/python ]; then
    "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[all]'
export PARECON_DATA_DIR=${PARECON_DATA_DIR:-$(mktemp -d /tmp/parecon-checks.XXXXXX)}
# pytest-xdist: one test process per core (PARECON_TEST_WORKERS=0 runs them in this one)
workers=${PARECON_TEST_WORKERS:-auto}
part "ruff"; .venv/bin/ruff check src tests benchmarks examples
part "ruff format"; .venv/bin/ruff format --check src tests benchmarks examples
part "mypy"; .venv/bin/mypy
part "import-linter"; .venv/bin/lint-imports
part "pytest on SQLite"; .venv/bin/python -m pytest -n "$workers" "$@"
if [ "$#" -eq 0 ]; then
    part "pytest of the platform on PostgreSQL"
    pgdir=$(bash scripts/postgres.sh start)
    trap 'bash scripts/postgres.sh stop "$pgdir"' EXIT
    DATABASE_URL="postgres://postgres@/parecon?host=$pgdir" \
        .venv/bin/python -m pytest -n "$workers" tests/web -m "not browser"
fi
part "done"
