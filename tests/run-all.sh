#!/usr/bin/env bash
# Runs every test suite; fails if any fails. Called by `make test` after the build.
# `tests/run-all.sh SUITE` runs one suite alone (`make test-unit`, `make test-integration`…):
# layers, format, unit, integration, integration-pg, e2e, asan, fuzz, crash, upgrade.
set -uo pipefail
cd "$(dirname "$0")/.."
suites=(layers format unit integration integration-pg e2e asan fuzz crash upgrade)
only=${1:-}
if [[ -n $only && ! " ${suites[*]} " =~ " $only " ]]; then
  echo "usage: tests/run-all.sh [SUITE], SUITE one of: ${suites[*]}" >&2
  exit 2
fi
export PASSERELLE_ASSETS_DIR=$PWD
export PASSERELLE_BIN=$PWD/build/passerelle
failed=()
# build/ is the release preset (-O2, NDEBUG): every suite below runs with asserts off, so that no
# behaviour depends on one; asserts are on in the sanitizer tree (docs/adr/0013).
if [[ $only != layers && $only != format ]] && ! grep -q '^CMAKE_BUILD_TYPE:STRING=RelWithDebInfo$' build/CMakeCache.txt 2>/dev/null; then
  echo "tests: build/ is not the release preset's tree; remove it (make clean) and run make test" >&2
  exit 2
fi
export CCACHE_BASEDIR=$PWD CCACHE_NOHASHDIR=true

# run SUITE NAME COMMAND...: runs the command unless another suite was asked for.
run() {
  local suite=$1 name=$2 start=$SECONDS
  shift 2
  [[ -z $only || $only == "$suite" ]] || return 0
  echo "=== $name"
  if "$@"; then
    echo "=== $name: ok ($((SECONDS - start)) s)"
  else
    echo "=== $name: FAILED ($((SECONDS - start)) s)"
    failed+=("$name")
  fi
}

# The include graph against src/LAYERS (docs/architecture.md): seconds, so first.
run layers "layers" scripts/check-layers.sh
# C++ formatting against .clang-format (`make format` fixes it): seconds.
run format "format" scripts/check-format.sh
# Unit tests and the storage suite, release build; PostgreSQL cases must run, not skip.
run unit "unit + storage, release (SQLite, PostgreSQL)" \
  tests/pg/with-postgres.sh env PASSERELLE_REQUIRE_PG=1 ctest --test-dir build --output-on-failure -j2
# The real binary over HTTP, on SQLite then on PostgreSQL.
run integration "integration (SQLite)" node --test --test-concurrency=1 tests/integration/
run integration-pg "integration (PostgreSQL)" \
  tests/pg/with-postgres.sh env PASSERELLE_TEST_DB=postgresql node --test --test-concurrency=1 tests/integration/
# Browser suite: Chromium, axe-core, Nu Html Checker.
run e2e "browser" node --test --test-concurrency=1 tests/e2e/
# Sanitizers and fuzzing (docs/security-evidence.md).
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
run asan "unit + storage, ASan+UBSan (SQLite, PostgreSQL)" asan_unit_tests
# libFuzzer targets (fuzz/) from the same tree, 120 s of fuzzing in all.
run fuzz "fuzz (120 s)" fuzz/run.sh 120

# Crash safety and upgrades (tests/crash/, tests/upgrade/, docs/crash-safety.md).
# 20 kill -9 cycles on each database; every acknowledged referral and message read back.
run crash "kill -9 loop (SQLite)" node tests/crash/kill-loop.mjs --cycles 20 --max-seconds 900
run crash "kill -9 loop (PostgreSQL)" \
  tests/pg/with-postgres.sh env PASSERELLE_TEST_DB=postgresql node tests/crash/kill-loop.mjs --cycles 20 --max-seconds 900
# A previous release's database (tests/upgrade/v*.sql) migrated, served and read.
run upgrade "upgrade (SQLite)" node --test --test-concurrency=1 tests/upgrade/
run upgrade "upgrade (PostgreSQL)" \
  tests/pg/with-postgres.sh env PASSERELLE_TEST_DB=postgresql node --test --test-concurrency=1 tests/upgrade/

if ((${#failed[@]})); then
  echo "FAILED suites: ${failed[*]}"
  exit 1
fi
if [[ -n $only ]]; then echo "suite $only passed"; else echo "all suites passed"; fi
