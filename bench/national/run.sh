#!/usr/bin/env bash
# National scale (issue 14): a data set the size of France, generated at each run with a fixed
# seed (bench/national/generate.mjs: every commune of the gazetteer, 100 territories, 40,000
# organisations, about 100,000 services and places spread like the population), release build,
# SQLite. Measures, in one run:
#  - the time to create the 100 territories and import their files (progress printed per file);
#  - the server's start-up (spawn to /healthz answering) and RSS after start, against the demo
#    data's server in the same run;
#  - /annuaire?commune=75010 p99 on the national data against the demo data (same query);
#  - RSS after SEARCHES searches of the JSON API at random communes and categories.
#   bash bench/national/run.sh [ORGANISATIONS] [SEARCHES]     (default 40000 and 1000000)
# Goals: RSS ≤ 150 MB after start and after 1 million searches, start-up ≤ 3 s, search p99
# unchanged from the demo data within noise.
set -euo pipefail
cd "$(dirname "$0")/../.."
organisations=${1:-40000}
searches=${2:-1000000}
command -v wrk >/dev/null || { echo "wrk missing: run scripts/install-deps.sh" >&2; exit 1; }
[[ -f build/gazetteer/communes.csv ]] || { echo "build/gazetteer/communes.csv missing: run scripts/install-deps.sh" >&2; exit 1; }
source bench/common.sh
bin=${PASSERELLE_BIN:-$(bench_release_binary)}
work=$(mktemp -d /tmp/passerelle-bench.XXXXXX)
trap bench_cleanup EXIT
now_ms() { date +%s%3N; }

node bench/national/generate.mjs build/gazetteer/communes.csv "$work/set" 20261207 "$organisations" >&2
db="sqlite:$work/n.db"
"$bin" migrate --db "$db" >/dev/null
"$bin" gazetteer load --db "$db" >/dev/null

started=$(now_ms)
count=$(wc -l <"$work/set/territories.tsv")
while IFS=$'\t' read -r slug name centre radius insee; do
  args=()
  for code in $insee; do args+=(--commune "$code"); done
  "$bin" territory add --db "$db" --slug "$slug" --name "$name" --exit-url https://meteofrance.com --centre "$centre" \
    --radius "$radius" "${args[@]}" >/dev/null
done <"$work/set/territories.tsv"
territories_s=$(python3 -c "print(f'{($(now_ms) - $started) / 1000:.1f}')")
echo "$count territories created in $territories_s s" >&2

started=$(now_ms)
n=0
while IFS=$'\t' read -r slug _; do
  n=$((n + 1))
  summary=$("$bin" import --db "$db" --format csv --territory "$slug" "$work/set/$slug.csv" 2>"$work/import.err") \
    || { echo "import of $slug failed:" >&2; head -5 "$work/import.err" >&2; exit 1; }
  printf '\rimport %3d/%d  %-8s %6.1f s  %s' "$n" "$count" "$slug" \
    "$(python3 -c "print(($(now_ms) - $started) / 1000)")" "${summary%%;*}" >&2
done <"$work/set/territories.tsv"
echo >&2
import_s=$(python3 -c "print(f'{($(now_ms) - $started) / 1000:.1f}')")
echo "import of $organisations organisations: $import_s s" >&2

serve() {  # db → starts a server, sets base, server and startup_ms
  local port
  port=$(free_port)
  base="http://127.0.0.1:$port"
  local t0
  t0=$(now_ms)
  "$bin" serve --db "$1" --listen "127.0.0.1:$port" --data-dir "$work/data" --threads 2 --jobs-interval 0 \
    --api-limit 1000000 --public-url "$base" 2>>"$work/passerelle.log" &
  server=$!
  pids+=("$server")
  until curl -fs "$base/healthz" >/dev/null 2>&1; do
    kill -0 "$server" 2>/dev/null || { echo "the server stopped; its log:" >&2; tail -5 "$work/passerelle.log" >&2; exit 1; }
    sleep 0.02
  done
  startup_ms=$(($(now_ms) - t0))
}
rss_mb() { awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
p99() {  # url → "p50 p99" of wrk -c4 for 10 s
  local out
  out=$(wrk -t1 -c4 -d10s --latency "$1")
  echo "$(awk '$1=="50%" {print $2}' <<<"$out") $(awk '$1=="99%" {print $2}' <<<"$out")"
}

# The demo data, the reference of the same run.
bench_demo_db "$bin" "sqlite:$work/demo.db"
serve "sqlite:$work/demo.db"
demo_startup=$startup_ms
demo_rss=$(rss_mb "$server")
read -r demo_p50 demo_p99 < <(p99 "$base/annuaire?commune=75010")
kill "$server"
wait "$server" 2>/dev/null || true
echo "demo data: start-up $demo_startup ms, RSS $demo_rss MB, /annuaire?commune=75010 p50 $demo_p50 p99 $demo_p99" >&2

serve "$db"
national_startup=$startup_ms
national_rss=$(rss_mb "$server")
read -r national_p50 national_p99 < <(p99 "$base/annuaire?commune=75010")
echo "national data: start-up $national_startup ms, RSS $national_rss MB, /annuaire?commune=75010 p50 $national_p50 p99 $national_p99" >&2

# SEARCHES searches of the JSON API, at communes drawn from the gazetteer and random categories.
python3 - "$work/search.lua" <<'PY'
import csv, random, sys
random.seed(14)
rows = [r for r in csv.DictReader(open("build/gazetteer/communes.csv", encoding="utf-8")) if r["lat"] and r["lon"]]
points = random.sample(rows, 2000)
cats = ["legal-advice", "lawyer", "victim-support-association", "psychologist", "shelter", "social-worker", "police"]
with open(sys.argv[1], "w") as out:
    out.write("local points = {" + ",".join(f"{{{float(r['lat']):.4f},{float(r['lon']):.4f}}}" for r in points) + "}\n")
    out.write("local cats = {" + ",".join(f'"{c}"' for c in cats) + "}\n")
    out.write("""
local counter = 0
request = function()
  counter = counter + 1
  local p = points[(counter * 7919) % #points + 1]
  local c = cats[counter % #cats + 1]
  return wrk.format("GET", string.format("/api/v1/services?lat=%.4f&lon=%.4f&category=%s&per_page=10", p[1], p[2], c))
end
""")
PY
done_searches=0
search_started=$(now_ms)
while ((done_searches < searches)); do
  out=$(wrk -t2 -c8 -d30s -s "$work/search.lua" "$base")
  done_searches=$((done_searches + $(awk '/requests in/ {print $1}' <<<"$out")))
  non2xx=$(awk '/Non-2xx or 3xx responses/ {print $5}' <<<"$out")
  [[ -z "$non2xx" ]] || { echo "searches answered non-2xx: $non2xx" >&2; exit 1; }
  printf '\rsearches %d/%d, RSS %s MB' "$done_searches" "$searches" "$(rss_mb "$server")" >&2
done
echo >&2
search_s=$(python3 -c "print(f'{($(now_ms) - $search_started) / 1000:.0f}')")
after_rss=$(rss_mb "$server")
echo "after $done_searches searches in $search_s s: RSS $after_rss MB" >&2

printf 'row\tnational: start-up (%s organisations, 100 territories)\tdemo %s ms\t%s ms\tgoal ≤ 3000 ms\t—\t—\t%s MB\n' \
  "$organisations" "$demo_startup" "$national_startup" "$national_rss"
printf 'row\tnational: RSS after %s searches\tdemo %s MB at start\t%s MB\tgoal ≤ 150 MB\t—\t—\t%s MB\n' \
  "$done_searches" "$demo_rss" "$after_rss" "$after_rss"
printf 'row\tnational: /annuaire?commune=75010 vs demo data\tdemo p99 %s\tp99 %s\t×%s\t%s\t%s\t—\n' \
  "$demo_p99" "$national_p99" "$(python3 -c "print(f'{$(ms "$national_p99") / $(ms "$demo_p99"):.2f}')")" \
  "$national_p50" "$national_p99"
printf 'row\tnational: create 100 territories, import %s organisations\t—\t%s s + %s s\t—\t—\t—\t—\n' \
  "$organisations" "$territories_s" "$import_s"
