#!/usr/bin/env bash
# Runs every test suite; fails if any fails. Called by `make test` after the build.
set -uo pipefail
cd "$(dirname "$0")/.."
export PASSERELLE_ASSETS_DIR=$PWD
export PASSERELLE_BIN=$PWD/build/passerelle
failed=()

run() {
  local name=$1
  shift
  echo "=== $name"
  if "$@"; then echo "=== $name: ok"; else echo "=== $name: FAILED"; failed+=("$name"); fi
}

# Unit tests and the storage suite; PostgreSQL cases must run, not skip.
run "unit + storage (SQLite, PostgreSQL)" \
  tests/pg/with-postgres.sh env PASSERELLE_REQUIRE_PG=1 ctest --test-dir build --output-on-failure -j2
# The real binary over HTTP, on SQLite then on PostgreSQL.
run "integration (SQLite)" node --test --test-concurrency=1 tests/integration/
run "integration (PostgreSQL)" \
  tests/pg/with-postgres.sh env PASSERELLE_TEST_DB=postgresql node --test --test-concurrency=1 tests/integration/
# Browser suite: Chromium, axe-core, Nu Html Checker.
run "browser" node --test --test-concurrency=1 tests/e2e/

# --- crash (tests/crash/, tests/upgrade/, docs/crash-safety.md) ---
# 20 kill -9 cycles on each database; every acknowledged referral and message read back.
run "kill -9 loop (SQLite)" node tests/crash/kill-loop.mjs --cycles 20 --max-seconds 900
run "kill -9 loop (PostgreSQL)" \
  tests/pg/with-postgres.sh env PASSERELLE_TEST_DB=postgresql node tests/crash/kill-loop.mjs --cycles 20 --max-seconds 900
# A previous release's database (tests/upgrade/v*.sql) migrated, served and read.
run "upgrade (SQLite)" node --test --test-concurrency=1 tests/upgrade/
run "upgrade (PostgreSQL)" \
  tests/pg/with-postgres.sh env PASSERELLE_TEST_DB=postgresql node --test --test-concurrency=1 tests/upgrade/
# --- end crash ---

if ((${#failed[@]})); then
  echo "FAILED suites: ${failed[*]}"
  exit 1
fi
echo "all suites passed"
