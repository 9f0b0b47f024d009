#!/usr/bin/env bash
# Runs every test suite; fails if any fails. Called by `make test` after the build.
set -uo pipefail
cd "$(dirname "$0")/.."
export PASSERELLE_ASSETS_DIR=$PWD
export PASSERELLE_BIN=$PWD/build/passerelle
failed=()

run() {
  local name=$1 start=$SECONDS
  shift
  echo "=== $name"
  if "$@"; then
    echo "=== $name: ok ($((SECONDS - start)) s)"
  else
    echo "=== $name: FAILED ($((SECONDS - start)) s)"
    failed+=("$name")
  fi
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
# --- evidence: sanitizers, release semantics, fuzzing (docs/security-evidence.md) ---
# Builds only the GoogleTest executables (and the message catalogs) of a preset's tree, not the
# server binary: the sanitizer and release trees exist for the unit and storage suites.
build_unit_tests() {
  local preset=$1 dir=$2 launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  [[ -f $dir/CMakeCache.txt ]] || cmake --preset "$preset" -G "Unix Makefiles" "${launcher[@]}" >/dev/null || return 1
  local targets
  targets=$(cmake --build "$dir" --target help | sed -n 's/^\.\.\. \(.*_test\)$/\1/p')
  cmake --build "$dir" -j"$(nproc)" --target passerelle_catalogs $targets >/dev/null
}
unit_tests_in() {
  local preset=$1 dir=$2
  shift 2
  build_unit_tests "$preset" "$dir" || { echo "build of $dir failed: cmake --build $dir"; return 1; }
  tests/pg/with-postgres.sh env PASSERELLE_REQUIRE_PG=1 "$@" ctest --test-dir "$dir" --output-on-failure -j2
}
# AddressSanitizer + UndefinedBehaviorSanitizer (preset asan): the first error stops the test.
run "unit + storage, ASan+UBSan (SQLite, PostgreSQL)" unit_tests_in asan build-asan \
  ASAN_OPTIONS=halt_on_error=1:abort_on_error=1:detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
# The release preset (-O2, NDEBUG: asserts off), so that no behaviour depends on an assert.
run "unit + storage, release (SQLite, PostgreSQL)" unit_tests_in release build-release
# libFuzzer targets (fuzz/), 120 s of fuzzing in all plus the clang build.
run "fuzz (120 s)" fuzz/run.sh 120
# --- end evidence ---

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
