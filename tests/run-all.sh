#!/usr/bin/env bash
# Runs every test suite; fails if any fails. Called by `make test` after the build.
set -uo pipefail
cd "$(dirname "$0")/.."
export PASSERELLE_ASSETS_DIR=$PWD
export PASSERELLE_BIN=$PWD/build/passerelle
failed=()
# build/ is the release preset (-O2, NDEBUG): every suite below runs with asserts off, so that no
# behaviour depends on one; asserts are on in the sanitizer tree (docs/adr/0013).
if ! grep -q '^CMAKE_BUILD_TYPE:STRING=RelWithDebInfo$' build/CMakeCache.txt 2>/dev/null; then
  echo "tests: build/ is not the release preset's tree; remove it (make clean) and run make test" >&2
  exit 2
fi
export CCACHE_BASEDIR=$PWD CCACHE_NOHASHDIR=true

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

# Unit tests and the storage suite, release build; PostgreSQL cases must run, not skip.
run "unit + storage, release (SQLite, PostgreSQL)" \
  tests/pg/with-postgres.sh env PASSERELLE_REQUIRE_PG=1 ctest --test-dir build --output-on-failure -j2
# The real binary over HTTP, on SQLite then on PostgreSQL.
run "integration (SQLite)" node --test --test-concurrency=1 tests/integration/
run "integration (PostgreSQL)" \
  tests/pg/with-postgres.sh env PASSERELLE_TEST_DB=postgresql node --test --test-concurrency=1 tests/integration/
# Browser suite: Chromium, axe-core, Nu Html Checker.
run "browser" node --test --test-concurrency=1 tests/e2e/
# --- evidence: sanitizers and fuzzing (docs/security-evidence.md) ---
# One clang tree, build-asan/ (preset asan: Debug with asserts, -O1, AddressSanitizer,
# UndefinedBehaviorSanitizer, libFuzzer coverage): the GoogleTest executables and the libFuzzer
# targets, not the server binary.
build_asan_tree() {
  local launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  [[ -f build-asan/CMakeCache.txt ]] || cmake --preset asan -G "Unix Makefiles" "${launcher[@]}" >/dev/null || return 1
  local targets
  targets=$(cmake --build build-asan --target help | sed -n 's/^\.\.\. \(.*_test\|fuzz_.*\)$/\1/p')
  cmake --build build-asan -j"$(nproc)" --target passerelle_catalogs $targets >/dev/null \
    || { echo "build of build-asan failed: cmake --build build-asan"; return 1; }
}
asan_unit_tests() {
  build_asan_tree || return 1
  tests/pg/with-postgres.sh env PASSERELLE_REQUIRE_PG=1 \
    ASAN_OPTIONS=halt_on_error=1:abort_on_error=1:detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    ctest --test-dir build-asan --output-on-failure -j2
}
# The first sanitizer error stops the test.
run "unit + storage, ASan+UBSan (SQLite, PostgreSQL)" asan_unit_tests
# libFuzzer targets (fuzz/) from the same tree, 120 s of fuzzing in all.
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
