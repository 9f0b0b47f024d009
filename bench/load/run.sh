#!/usr/bin/env bash
# Priorities under load (DESIGN §9, docs/load-shedding.md): the latency of the help path
# (GET /aide, class "help") alone, then while a flood of directory searches (GET /annuaire,
# class "search") far beyond what the server can take runs at the same time; and the same for
# the home page (class "public"). Prints the latencies, the ratios flood / alone, and how many
# searches were answered 503.
# Then the /aide run in the flood again with the scheduler in FIFO mode (`--scheduler-fifo`,
# benchmark only), the baseline that the gain of the priorities is a ratio of.
#   bash bench/load/run.sh [DURATION_SECONDS] [FLOOD_CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${1:-10}
flood=${2:-256}
workers=2
max_queued=64

command -v wrk >/dev/null || { echo "wrk missing: run scripts/install-deps.sh" >&2; exit 1; }

source bench/common.sh
bin=${PASSERELLE_BIN:-$(bench_release_binary)}

work=$(mktemp -d /tmp/passerelle-load.XXXXXX)
port=$(free_port)
trap bench_cleanup EXIT

bench_demo_db "$bin" "sqlite:$work/p.db"
# The API limit and the POST limit would answer 429 before the queue fills: out of the way.
"$bin" serve --db "sqlite:$work/p.db" --listen "127.0.0.1:$port" --data-dir "$work/data" --threads "$workers" \
  --max-queued "$max_queued" --api-limit 1000000 --post-limit 100000 --jobs-interval 0 2>"$work/passerelle.log" &
pids+=($!)
wait_healthy "http://127.0.0.1:$port"
base="http://127.0.0.1:$port"
search="$base/annuaire?commune=75010&categorie=legal-advice"
curl -fs "$search" >/dev/null

# wrk's summary of `url` with `connections` for the duration: "p50 p99 rps non2xx".
probe() {
  local out
  out=$(wrk -t1 -c"$2" -d"${duration}s" --latency "$1")
  local p50 p99 rps non2xx
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx or 3xx responses/ {print $5}' <<<"$out")
  echo "$p50 $p99 $rps ${non2xx:-0}"
}

echo "workers $workers, queue $max_queued, $(nproc) cores shared by server and load; ${duration}s per run" >&2
read -r help_p50 help_p99 _ _ < <(probe "$base/aide" 4)
read -r home_p50 home_p99 _ _ < <(probe "$base/" 4)
printf 'alone        /aide  p50 %-9s p99 %-9s   /  p50 %-9s p99 %-9s\n' "$help_p50" "$help_p99" "$home_p50" "$home_p99" >&2

run_with_flood() {  # url name → probe of url while the search flood runs, in $work/name.probe
  wrk -t1 -c"$flood" -d"$((duration + 2))s" "$search" >"$work/$2.flood" &
  local flood_pid=$!
  sleep 1
  probe "$1" 4 >"$work/$2.probe"
  wait "$flood_pid"
}
run_with_flood "$base/aide" help
read -r fhelp_p50 fhelp_p99 _ _ <"$work/help.probe"
flood_rps=$(awk '/^Requests\/sec/ {print $2}' "$work/help.flood")
flood_total=$(awk '/requests in/ {print $1}' "$work/help.flood")
flood_503=$(awk '/Non-2xx or 3xx responses/ {print $5}' "$work/help.flood")
run_with_flood "$base/" home
read -r fhome_p50 fhome_p99 _ _ <"$work/home.probe"
printf 'search flood /aide  p50 %-9s p99 %-9s   /  p50 %-9s p99 %-9s\n' "$fhelp_p50" "$fhelp_p99" "$fhome_p50" "$fhome_p99" >&2
echo "flood during the /aide run ($flood connections on /annuaire): $flood_total requests, ${flood_503:-0} answered 503, $flood_rps req/s" >&2
# Visitors' requests are counted, not logged one by one, and written at shutdown (docs/security.md).
kill -TERM "${pids[-1]}" && wait "${pids[-1]}" || true
sum_503() {  # class → requests answered 503 in the hourly counts
  awk -v c="class=$1 " '/event=visitor_requests/ && index($0, c) && match($0, /statuses=[^ ]*/) {
    n = split(substr($0, RSTART + 9, RLENGTH - 9), pairs, ",")
    for (i = 1; i <= n; i++) { split(pairs[i], kv, ":"); if (kv[1] == "503") s += kv[2] }
  } END { print s + 0 }' "$work/passerelle.log"
}
shed_lines=$(( $(sum_503 help) + $(sum_503 public) + $(sum_503 search) ))
help_shed=$(sum_503 help)
echo "server log: $shed_lines requests shed, $help_shed of them in the help class" >&2
python3 - <<PY
a, b = $(ms "$help_p99"), $(ms "$fhelp_p99")
c, d = $(ms "$home_p99"), $(ms "$fhome_p99")
print(f"ratio flood/alone, p99: /aide {b / a:.1f}, / {d / c:.1f}")
PY

# The baseline: the same server and flood with the scheduler in plain FIFO mode (one queue for
# every class, no reserved worker: `--scheduler-fifo`, a benchmark-only flag).
port=$(free_port)
base="http://127.0.0.1:$port"
search="$base/annuaire?commune=75010&categorie=legal-advice"
"$bin" serve --db "sqlite:$work/p.db" --listen "127.0.0.1:$port" --data-dir "$work/data" --threads "$workers" \
  --max-queued "$max_queued" --api-limit 1000000 --post-limit 100000 --jobs-interval 0 --scheduler-fifo \
  2>"$work/passerelle-fifo.log" &
pids+=($!)
wait_healthy "$base"
run_with_flood "$base/aide" help-fifo
read -r fifo_p50 fifo_p99 _ _ <"$work/help-fifo.probe"
fifo_503=$(awk '/Non-2xx or 3xx responses/ {print $5}' "$work/help-fifo.flood")
printf 'FIFO baseline, search flood: /aide p50 %-9s p99 %-9s (flood: %s answered 503)\n' "$fifo_p50" "$fifo_p99" "${fifo_503:-0}" >&2
python3 - <<PY
p, f = $(ms "$fhelp_p99"), $(ms "$fifo_p99")
print(f"/aide p99 in the flood: priorities {p:.2f} ms, FIFO {f:.2f} ms: FIFO / priorities = {f / p:.1f}")
PY
printf 'row\t/aide in a search flood (%s conn.), priorities vs FIFO\tFIFO p99 %s\tp99 %s\t%s\t%s\t%s\t—\n' \
  "$flood" "$fifo_p99" "$fhelp_p99" \
  "$(python3 -c "print(f'{$(ms "$fifo_p99") / $(ms "$fhelp_p99"):.1f}× better')")" "$fhelp_p50" "$fhelp_p99"
printf 'row\t/aide alone vs in the flood (priorities)\tp99 alone %s\tp99 %s\t%s\t%s\t%s\t—\n' "$help_p99" "$fhelp_p99" \
  "$(python3 -c "print(f'×{$(ms "$fhelp_p99") / $(ms "$help_p99"):.1f} slower')")" "$fhelp_p50" "$fhelp_p99"
