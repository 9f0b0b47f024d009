#!/usr/bin/env bash
# Filtered 10-nearest query over 1,000,000 locations spread like the French population: the
# in-memory SpatialIndex and PostGIS (geography, GiST KNN) over the same data in the same run,
# on a throw-away PostgreSQL 15 (tests/pg/with-postgres.sh). Release build in build-geo-bench/.
#   bash bench/geo/run.sh [LOCATIONS] [-- GOOGLE_BENCHMARK_FLAGS...]
# Needs postgresql-15-postgis-3 and the default gazetteer (node scripts/build-gazetteer.mjs),
# which it builds when missing. Prints p50/p99 of each and the ratio; see docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
locations=${1:-1000000}
shift || true
[[ "${1:-}" == "--" ]] && shift

[[ -f /usr/share/postgresql/15/extension/postgis.control ]] \
  || { echo "PostGIS missing: apt-get install postgresql-15-postgis-3 (scripts/install-deps.sh)" >&2; exit 1; }
[[ -f build/gazetteer/communes.csv ]] || node scripts/build-gazetteer.mjs

cmake --preset release -B build-geo-bench -G "Unix Makefiles" -DPASSERELLE_BENCH=ON >/dev/null
cmake --build build-geo-bench -j"${JOBS:-2}" --target geo_bench >/dev/null

PASSERELLE_BENCH_LOCATIONS=$locations PASSERELLE_GAZETTEER_CSV=$PWD/build/gazetteer/communes.csv \
  tests/pg/with-postgres.sh build-geo-bench/bench/geo/geo_bench --benchmark_counters_tabular=true "$@"
