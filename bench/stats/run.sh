#!/usr/bin/env bash
# Latency of the territory console's statistics page (issue 11 §4: "statistics pages for a
# territory with 3 years of daily counters for 100 communes render in under 50 ms p99"), release
# build, SQLite. The counters are generated at each run with a fixed seed (generate.mjs): every
# event kind every day for 3 years, and "no match" counters by need for 100 communes every day.
# A coordinator of the territory is signed in (sign-in.mjs) and wrk reads, with her cookie, the
# page for a month, a year and three years (custom dates), the CSV of the communes and the summary.
#   bash bench/stats/run.sh [DURATION_SECONDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${1:-10}
connections=${2:-4}
threads=2
territory=paris-10

command -v wrk >/dev/null || { echo "wrk missing: run scripts/install-deps.sh" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "sqlite3 missing" >&2; exit 1; }
[[ -f build/gazetteer/communes.csv ]] || { echo "build/gazetteer/communes.csv missing: run scripts/install-deps.sh" >&2; exit 1; }

source bench/common.sh
bin=${PASSERELLE_BIN:-$(bench_release_binary)}
work=$(mktemp -d /tmp/passerelle-bench.XXXXXX)
port=$(free_port)
trap bench_cleanup EXIT

db="sqlite:$work/p.db"
"$bin" demo --db "$db" --data-dir "$work/data" >/dev/null
demo_written=$(date +%s)
"$bin" gazetteer load --db "$db" >/dev/null
today=$(TZ=Europe/Paris date +%F)
sqlite3 "$work/p.db" "SELECT insee_code FROM commune ORDER BY insee_code LIMIT 100" >"$work/insee.txt"
node bench/stats/generate.mjs "$territory" "$today" "$work/insee.txt" >"$work/counters.sql"
sqlite3 "$work/p.db" <"$work/counters.sql"
rows=$(sqlite3 "$work/p.db" "SELECT COUNT(*) FROM stat_counter")

"$bin" serve --db "$db" --listen "127.0.0.1:$port" --data-dir "$work/data" --threads "$threads" \
  --jobs-interval 0 --public-url "http://127.0.0.1:$port" 2>"$work/passerelle.log" &
pids+=($!)
wait_healthy "http://127.0.0.1:$port"
cookie=$(node bench/stats/sign-in.mjs "http://127.0.0.1:$port" "$db" "$work/data" "$territory")
# The annuaire's index reads again, at each poll, the organizations written in the last minute
# (its margin for other servers' clocks), and each read invalidates the gap analysis's cached
# distances: measure the steady state, once the demo's organizations are a minute old.
settle=$((demo_written + 62 - $(date +%s)))
((settle <= 0)) || { echo "waiting ${settle}s for the directory's last writes to be a minute old" >&2; sleep "$settle"; }

base="http://127.0.0.1:$port/pro/territoires/$territory/statistiques"
three_years_ago=$(date -d "$today - 3 years + 1 day" +%F)
echo "stat_counter: $rows rows (3 years, 100 communes); wrk -t$threads -c$connections -d${duration}s; $(nproc) cores shared by server and load" >&2
for name_url in "hub|http://127.0.0.1:$port/pro/territoires/$territory" "month|$base?period=month" "year|$base?period=year" \
  "3-years|$base?period=custom&du=$three_years_ago&au=$today" \
  "csv-year|$base.csv?table=communes&period=year" "summary|$base/synthese?period=year"; do
  name=${name_url%%|*}
  url=${name_url#*|}
  status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$url")
  [[ "$status" == 200 ]] || { echo "$name: HTTP $status" >&2; exit 1; }
  out=$(wrk -t"$threads" -c"$connections" -d"${duration}s" --latency -H "Cookie: $cookie" "$url")
  printf '%-10s %8s req/s   p50 %-9s p99 %-9s %s\n' "$name" "$(awk '/^Requests\/sec/ {print $2}' <<<"$out")" \
    "$(awk '$1=="50%" {print $2}' <<<"$out")" "$(awk '$1=="99%" {print $2}' <<<"$out")" \
    "$(grep -o 'Non-2xx or 3xx responses: [0-9]*' <<<"$out" || true)" >&2
  # For bench/run-all.sh: row, page, reference, passerelle, ratio, p50, p99, RSS.
  printf 'row\tstatistics: %s\t—\t%s req/s\t—\t%s\t%s\t—\n' "$name" "$(awk '/^Requests\/sec/ {print $2}' <<<"$out")" \
    "$(awk '$1=="50%" {print $2}' <<<"$out")" "$(awk '$1=="99%" {print $2}' <<<"$out")"
done
