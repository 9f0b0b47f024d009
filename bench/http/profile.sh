#!/usr/bin/env bash
# Where the time of one page goes: the release server under valgrind's callgrind (perf counters
# are not available on the standard machine), a short wrk load on `PATH`, then the functions
# with the most instructions, inclusive, counted during the load only (docs/benchmarks.md).
# PROFILE_OUT=file keeps callgrind's output (for callgrind_annotate --tree=caller, kcachegrind).
#   bash bench/http/profile.sh [PATH] [REQUESTS_SECONDS]     e.g. bash bench/http/profile.sh '/annuaire?commune=75010' 10
set -euo pipefail
cd "$(dirname "$0")/../.."
path=${1:-/}
seconds=${2:-10}
command -v valgrind >/dev/null || { echo "valgrind missing" >&2; exit 1; }
source bench/common.sh
bin=${PASSERELLE_BIN:-$(bench_release_binary)}
work=$(mktemp -d /tmp/passerelle-profile.XXXXXX)
port=$(free_port)
trap bench_cleanup EXIT
bench_demo_db "$bin" "sqlite:$work/p.db"
valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$work/callgrind.out" "$bin" serve --db "sqlite:$work/p.db" \
  --listen "127.0.0.1:$port" --data-dir "$work/data" --threads 2 --jobs-interval 0 2>"$work/valgrind.log" &
pids+=($!)
for _ in $(seq 600); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
curl -fs "http://127.0.0.1:$port$path" >/dev/null
# Only the requests are counted, not the start-up.
callgrind_control -i on "${pids[-1]}" >/dev/null
out=$(wrk -t1 -c4 -d"${seconds}s" "http://127.0.0.1:$port$path")
requests=$(awk '/requests in/ {print $1}' <<<"$out")
kill -TERM "${pids[-1]}"
wait "${pids[-1]}" || true
echo "$requests requests of $path under callgrind" >&2
[[ -n "${PROFILE_OUT:-}" ]] && cp "$work/callgrind.out" "$PROFILE_OUT"
callgrind_annotate --inclusive=yes --threshold=99 "$work/callgrind.out" 2>/dev/null | head -"${PROFILE_LINES:-60}"
