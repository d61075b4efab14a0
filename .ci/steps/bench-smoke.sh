#!/usr/bin/env bash
# The benchmark harness end to end on tiny data (about a minute): prepare, gunicorn, wrk, table, JSON.
set -euo pipefail
cd "$(dirname "$0")/../.."
env -u DATABASE_URL -u BENCH_DATABASE_URL .venv/bin/python -m bench run --tag smoke --fresh \
    --organizations 20 --contacts 100 --events 40 --agreements 10 --duration 1 --rounds 1 --workers 2 --only contacts
