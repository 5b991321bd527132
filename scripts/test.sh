#!/usr/bin/env bash
# The whole test suite: type check, ESLint, dependency rules, unit tests, then the e2e tests on SQLite, then on PostgreSQL (and Redis).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund
eval "$(bash scripts/test-env.sh)"
export PG_ADMIN_URL REDIS_TEST_URL CHROMIUM_PATH="${CHROMIUM_PATH:-}"
npx tsc -p tsconfig.json --noEmit
# Lint at zero warnings (typed rules) and the layers on the real import graph (.dependency-cruiser.js), before any test runs.
npm run --silent lint
npm run --silent lint:deps
mkdir -p test-artifacts
# The OpenAPI document as /api/docs-json serves it (app on an in-memory SQLite, demo off), linted at zero errors (redocly.yaml).
node scripts/openapi-document.js test-artifacts/openapi.json
npx @redocly/cli lint test-artifacts/openapi.json --format=summary
npx jest --selectProjects unit --json --outputFile=test-artifacts/jest-unit.json "$@"
# SQLite is the single-instance embedded mode: the two-process test runs on PostgreSQL only.
DB=sqlite npx jest --selectProjects e2e --maxWorkers=2 --testPathIgnorePatterns several-instances --json --outputFile=test-artifacts/jest-e2e-sqlite.json "$@"
DB=postgres npx jest --selectProjects e2e --maxWorkers=2 --json --outputFile=test-artifacts/jest-e2e-postgres.json "$@"
# Every benchmark once at a small size, only to prove it runs (the figures that count are at full size: README, `npm run bench`).
BENCH_MEDICINES=5 BENCH_ESTABLISHMENTS=50 BENCH_SECONDS=1 BENCH_CONNECTIONS=4 BENCH_RATE=20 BENCH_CENTRES=500 BENCH_POOL=2000 \
  BENCH_LINES=2000 BENCH_TREATED=2000 BENCH_REQUESTS=300 BENCH_FORMS=3000 BENCH_TREATMENTS=500 \
  npm run --silent bench > test-artifacts/bench-small.txt
tail -n 15 test-artifacts/bench-small.txt
node -e '
let passed = 0, failed = 0;
for (const run of ["unit", "e2e-sqlite", "e2e-postgres"]) {
  const r = require(`./test-artifacts/jest-${run}.json`);
  passed += r.numPassedTests; failed += r.numFailedTests;
}
console.log(`tests: ${passed} passed, ${failed} failed`);
'
