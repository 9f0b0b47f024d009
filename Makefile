# Passerelle — the two commands: `make run` and `make test`.
# The release preset (-O2, asserts off) in build/ is what `make run` serves and `make test` tests;
# `make build PRESET=debug` builds build-debug/ (docs/adr/0013-one-release-tree-for-tests.md).
PRESET ?= release
BUILD_DIR := $(if $(filter release,$(PRESET)),build,build-$(PRESET))
# ccache, when present, keyed on paths relative to the checkout (a clean clone reuses the cache).
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := true
LAUNCHER := $(if $(shell command -v ccache),-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
DB ?= sqlite:data/passerelle.db
JOBS ?= $(shell nproc)

.PHONY: all deps build run layers format format-check lint test test-unit test-pg test-integration test-e2e bench soak clean

all: build

# Debian packages and npm tools the project needs (idempotent, quick when all is present).
deps:
	@bash scripts/install-deps.sh

$(BUILD_DIR)/CMakeCache.txt:
	cmake --preset $(PRESET) -G "Unix Makefiles" $(LAUNCHER)

build: deps $(BUILD_DIR)/CMakeCache.txt
	@start=$$(date +%s); cmake --build $(BUILD_DIR) -j$(JOBS) && echo "=== build of $(BUILD_DIR): $$(($$(date +%s) - start)) s"

run: build
	$(BUILD_DIR)/passerelle migrate --db $(DB)
	$(BUILD_DIR)/passerelle gazetteer load --db $(DB)
	$(BUILD_DIR)/passerelle demo --if-empty --db $(DB)
	$(BUILD_DIR)/passerelle serve --db $(DB) --listen 127.0.0.1:8080 --data-dir data

# The include graph against the layers of src/LAYERS (docs/architecture.md); no build, seconds.
layers:
	@bash scripts/check-layers.sh

# C++ formatting (.clang-format): `format` rewrites the sources, `format-check` (run by make test)
# fails naming each file it would change. `lint` runs clang-tidy (.clang-tidy: naming and the
# bug-prone checks) on every source of the compile database; slow (minutes), not run by make test.
FORMATTED = $(shell git ls-files 'src/*.cpp' 'src/*.h' 'fuzz/*.cpp' 'fuzz/*.h' 'bench/*.cpp' 'bench/*.h')
format:
	@clang-format -i $(FORMATTED)
format-check:
	@bash scripts/check-format.sh
lint: build
	@run-clang-tidy -quiet -p build -j$(JOBS) -extra-arg=-Wno-unknown-warning-option '$(CURDIR)/(src|fuzz|bench)/'

# Every suite: the layers, unit and storage tests (SQLite and a throw-away PostgreSQL), integration
# tests against the real binary (SQLite, then PostgreSQL), the browser suite in Chromium,
# sanitizers, fuzzing, crash and upgrade tests.
test: build
	bash tests/run-all.sh

# One suite of tests/run-all.sh alone.
test-unit: build
	bash tests/run-all.sh unit
test-integration: build
	bash tests/run-all.sh integration
test-pg: build
	bash tests/run-all.sh integration-pg
test-e2e: build
	bash tests/run-all.sh e2e

# Every benchmark, one table appended to docs/benchmarks.md (bench/run-all.sh: ~10 minutes; not
# part of `make test`). BENCH_SKIP="geo stats" leaves suites out.
bench: build
	bash bench/run-all.sh

# Every libFuzzer target for FUZZ_SECONDS in all (default: 10 minutes each); CI runs a short
# budget from tests/run-all.sh. See docs/security-evidence.md.
FUZZ_SECONDS ?= 6000
.PHONY: fuzz
fuzz: deps
	bash fuzz/run.sh $(FUZZ_SECONDS)

# The kill -9 loop, long (docs/crash-safety.md): SOAK_CYCLES cycles on SQLite, then on PostgreSQL.
SOAK_CYCLES ?= 1000
soak: build
	node tests/crash/kill-loop.mjs --cycles $(SOAK_CYCLES) --max-seconds 36000
	tests/pg/with-postgres.sh env PASSERELLE_TEST_DB=postgresql node tests/crash/kill-loop.mjs --cycles $(SOAK_CYCLES) --max-seconds 36000

clean:
	rm -rf build build-debug build-asan build-release build-fuzz
