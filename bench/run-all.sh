#!/usr/bin/env bash
# Every benchmark of bench/ in one go (issue 14; `make bench`): the public pages against nginx
# (bench/http), priorities under a search flood against the FIFO baseline (bench/load), the
# statistics pages (bench/stats), referral throughput against the Argon2id bound
# (bench/referral), 500 live conversations (bench/conversation), a data set the size of France
# (bench/national), the directory index against PostGIS (bench/geo). Prints one table
# (page/operation, reference, Passerelle, ratio, p50, p99, server RSS) and appends it, dated, to
# docs/benchmarks.md ("Runs of make bench").
#   bash bench/run-all.sh [DURATION_SECONDS]          (default 10 s per wrk run)
#   BENCH_SKIP="geo stats" bash bench/run-all.sh 10    (leave suites out)
# Takes about 7 minutes with the default duration, plus the national data set (its import and
# 1 million searches: measured below, in docs/benchmarks.md) and ~4 minutes for geo (which builds its own
# release tree build-geo-bench/ the first time: much longer then). Not part of `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
skip=" ${BENCH_SKIP:-} "
source bench/common.sh
export PASSERELLE_BIN=${PASSERELLE_BIN:-$(bench_release_binary)}

rows=$(mktemp /tmp/passerelle-bench-rows.XXXXXX)
trap 'rm -f "$rows"' EXIT
started=$(date +%s)
run() {  # suite command…
  local suite=$1
  shift
  if [[ "$skip" == *" $suite "* ]]; then
    echo "=== $suite: skipped (BENCH_SKIP)" >&2
    return
  fi
  echo "=== $suite: $*" >&2
  "$@" | tee -a "$rows" | { grep -v $'^row\t' >&2 || true; } \
    || echo -e "row\t$suite FAILED\t—\t—\t—\t—\t—\t—" >>"$rows"
}
run http bash bench/http/run.sh "$duration" 32
run load bash bench/load/run.sh "$duration" 256
run stats bash bench/stats/run.sh "$(((duration + 1) / 2))" 4
# Referrals sent for 6 × the duration (60 s by default), then every follow-up code checked.
run referral bash bench/referral/run.sh "$((duration * 6))" 8
# Live conversations: 500 at once (half talking), message delivery over the event streams.
run conversation bash bench/conversation/run.sh "$((duration * 3))" 500
# The national data set: generated, imported, served; then 1 million searches (NATIONAL_SEARCHES).
run national bash bench/national/run.sh 40000 "${NATIONAL_SEARCHES:-1000000}"
# The geo benchmark prints one summary line; turned into a row here.
if [[ "$skip" != *" geo "* ]]; then
  echo "=== geo: bash bench/geo/run.sh" >&2
  geo=$(bash bench/geo/run.sh 2>/dev/null | grep '^filtered 10-nearest' || true)
  if [[ -n "$geo" ]]; then
    python3 - "$geo" >>"$rows" <<'PY'
import re, sys
v = [float(x) for x in re.findall(r"([0-9.]+) us", sys.argv[1])]
print(f"row\tfiltered 10-nearest, 1M locations (index vs PostGIS)\tPostGIS p99 {v[3]:.0f} µs\tindex p99 {v[1]:.1f} µs"
      f"\t×{v[3] / v[1]:.0f} (p99)\t{v[0]:.1f} µs\t{v[1]:.1f} µs\t—")
PY
  else
    echo -e "row\tgeo FAILED\t—\t—\t—\t—\t—\t—" >>"$rows"
  fi
else
  echo "=== geo: skipped (BENCH_SKIP)" >&2
fi
elapsed=$(($(date +%s) - started))

table=$(
  echo "| page / operation | reference | Passerelle | ratio | p50 | p99 | RSS |"
  echo "|---|---|---|---|---|---|---|"
  awk -F'\t' '$1 == "row" { printf "| %s | %s | %s | %s | %s | %s | %s |\n", $2, $3, $4, $5, $6, $7, $8 }' "$rows"
)
echo
echo "$table"
echo "($elapsed s; $(nproc) cores shared by the servers and the load generators)"
{
  echo
  echo "### $(date -u +'%Y-%m-%d %H:%M UTC'): \`bash bench/run-all.sh $duration\`${BENCH_SKIP:+ (BENCH_SKIP=\"$BENCH_SKIP\")}, $elapsed s, commit $(git rev-parse --short HEAD)"
  echo
  echo "$table"
} >>docs/benchmarks.md
echo "appended to docs/benchmarks.md" >&2
