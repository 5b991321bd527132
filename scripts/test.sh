#!/usr/bin/env bash
# The whole test suite: unit tests, then the e2e tests on SQLite, then on PostgreSQL (and Redis).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund
eval "$(bash scripts/test-env.sh)"
export PG_ADMIN_URL REDIS_TEST_URL CHROMIUM_PATH="${CHROMIUM_PATH:-}"
npx tsc -p tsconfig.json --noEmit
npx jest --selectProjects unit "$@"
# SQLite is the single-instance embedded mode: the two-process test runs on PostgreSQL only.
DB=sqlite npx jest --selectProjects e2e --maxWorkers=2 --testPathIgnorePatterns several-instances "$@"
DB=postgres npx jest --selectProjects e2e --maxWorkers=2 "$@"
