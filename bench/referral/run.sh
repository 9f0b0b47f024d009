#!/usr/bin/env bash
# Referral throughput (issue 14): many visitors run the help flow to its end and send a referral
# (/aide/envoi: a sealed report, three Argon2id derivations for the follow-up code, one durable
# commit) for a fixed time, release build, SQLite, 2 server threads; then every acknowledged
# follow-up code is checked at /suivi (0 lost). The goal is a sustained rate of at least 80 % of
# the machine's Argon2id bound (cores ÷ the time of the three derivations, measured here first by
# argon2_time.cpp with the server's own costs), while /aide keeps its p99 under 50 ms (wrk on
# /aide during the load, against /aide alone before it).
#   bash bench/referral/run.sh [SECONDS] [VISITORS]        (default 60 s, 8 visitors)
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${1:-60}
visitors=${2:-8}
command -v wrk >/dev/null || { echo "wrk missing: run scripts/install-deps.sh" >&2; exit 1; }
source bench/common.sh
bin=${PASSERELLE_BIN:-$(bench_release_binary)}
work=$(mktemp -d /tmp/passerelle-bench.XXXXXX)
trap bench_cleanup EXIT

# The machine's bound, with the server's own Argon2id costs (src/referral/argon2_cost.h).
g++ -std=c++20 -O2 -Isrc bench/referral/argon2_time.cpp -lsodium -pthread -o "$work/argon2_time"
"$work/argon2_time" 15 >"$work/argon2.txt"
pair_ms=$(awk '$1=="referral_ms_median" {print $2}' "$work/argon2.txt")
bound=$(awk '$1=="bound_per_s" {print $2}' "$work/argon2.txt")
parallel=$(awk '$1=="parallel_per_s" {print $2}' "$work/argon2.txt")
echo "Argon2id, three derivations per referral: ${pair_ms} ms on one thread; bound $(nproc) cores ÷ that = ${bound}/s (measured with every core at once: ${parallel}/s)" >&2

port=$(free_port)
base="http://127.0.0.1:$port"
bench_demo_db "$bin" "sqlite:$work/p.db"
"$bin" serve --db "sqlite:$work/p.db" --listen "127.0.0.1:$port" --data-dir "$work/data" --threads 2 \
  --post-limit 100000 --help-post-limit 1000000 --jobs-interval 0 --public-url "$base" 2>"$work/passerelle.log" &
pids+=($!)
server=$!
wait_healthy "$base"

read -r alone_p50 alone_p99 < <(probe "$base/aide" 10)
echo "/aide alone: p50 $alone_p50 p99 $alone_p99" >&2

# The load, and /aide measured while it runs (from its 5th second to 5 s before its end).
node bench/referral/visitors.mjs "$base" "$duration" "$visitors" >"$work/visitors.json" &
load=$!
sleep 5
read -r load_p50 load_p99 < <(probe "$base/aide" $((duration > 15 ? duration - 10 : 5)))
wait "$load"
rss_kb=$(awk '/^VmRSS/ {print $2}' "/proc/$server/status")
cat "$work/visitors.json" >&2
echo "/aide during the load: p50 $load_p50 p99 $load_p99; server RSS $((rss_kb / 1024)) MB" >&2

python3 - "$work/visitors.json" "$bound" "$(ms "$alone_p99")" "$(ms "$load_p99")" "$load_p50" "$load_p99" \
  "$((rss_kb / 1024))" "$visitors" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
bound, alone, during = float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
share = r["rate"] / bound
print(f"referrals: {r['sent']} sent in {r['seconds']:.0f} s = {r['rate']:.2f}/s, {share:.0%} of the bound {bound:.1f}/s "
      f"(goal ≥ 80 %); {r['failed']} failed, {r['lost']} lost; /aide p99 {alone:.1f} ms alone, {during:.1f} ms during "
      f"(goal < 50 ms)", file=sys.stderr)
print(f"row\treferrals sent ({sys.argv[8]} visitors), {r['lost']} lost, {r['failed']} failed\tbound {bound:.1f}/s"
      f"\t{r['rate']:.1f}/s\t{share:.0%} of bound\t{r['p50']:.0f} ms\t{r['p99']:.0f} ms\t{sys.argv[7]} MB")
print(f"row\t/aide during the referral load\tp99 alone {alone:.1f} ms\tp99 {during:.1f} ms"
      f"\t×{during / alone:.1f}\t{sys.argv[5]}\t{sys.argv[6]}\t—")
PY
