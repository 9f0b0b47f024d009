#!/usr/bin/env bash
# Live conversations (issue 12, docs/conversation.md): CONVERSATIONS women waiting or talking at
# once (half taken by the one on-duty professional, half waiting) against the release server, 2
# server threads, SQLite (bench/conversation/load.mjs). Reported: message delivery p50/p99 (from
# the POST on one side to its `changed` event on the other side's stream; goal p99 < 100 ms), the
# server's RSS with every conversation and stream open, and /aide's p99 alone, then during the
# load (wrk), with their ratio.
#   bash bench/conversation/run.sh [SECONDS] [CONVERSATIONS]     (default 30 s, 500)
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${1:-30}
conversations=${2:-500}
command -v wrk >/dev/null || { echo "wrk missing: run scripts/install-deps.sh" >&2; exit 1; }
source bench/common.sh
bin=${PASSERELLE_BIN:-$(bench_release_binary)}
export PASSERELLE_BIN=$bin  # `passerelle user add`, run by load.mjs
work=$(mktemp -d /tmp/passerelle-bench.XXXXXX)
trap bench_cleanup EXIT

port=$(free_port)
base="http://127.0.0.1:$port"
bench_demo_db "$bin" "sqlite:$work/p.db"
"$bin" serve --db "sqlite:$work/p.db" --listen "127.0.0.1:$port" --data-dir "$work/data" --threads 2 \
  --max-connections 4096 --post-limit 100000 --help-post-limit 1000000 --jobs-interval 0 --public-url "$base" 2>"$work/passerelle.log" &
pids+=($!)
server=$!
wait_healthy "$base"

read -r alone_p50 alone_p99 < <(probe "$base/aide" 10)
rss_before_kb=$(awk '/^VmRSS/ {print $2}' "/proc/$server/status")
echo "/aide alone: p50 $alone_p50 p99 $alone_p99; server RSS $((rss_before_kb / 1024)) MB" >&2

# The conversations open (the help flow for each, then streams), then the measured phase; /aide is
# measured from 2 s into it to 3 s before its end.
node bench/conversation/load.mjs "$base" "$work" "$conversations" "$duration" "$work/ready" >"$work/load.json" &
load=$!
pids+=($load)
while [[ ! -e "$work/ready" ]]; do
  kill -0 "$load" 2>/dev/null || { echo "the load generator stopped before the measured phase" >&2; exit 1; }
  sleep 0.5
done
sleep 2
read -r load_p50 load_p99 < <(probe "$base/aide" $((duration > 10 ? duration - 5 : 5)))
rss_kb=$(awk '/^VmRSS/ {print $2}' "/proc/$server/status")
wait "$load"
# A server that held event streams must still stop on SIGTERM (it once hung for ever: the hub
# wrote to its streams after the HTTP server was gone; docs/conversation.md).
kill "$server" 2>/dev/null || true
for _ in $(seq 100); do kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$server" 2>/dev/null; then
  echo "the server did not stop within 10 s of SIGTERM" >&2
  kill -9 "$server" 2>/dev/null || true
fi
cat "$work/load.json" >&2
echo "/aide during the load: p50 $load_p50 p99 $load_p99; server RSS $((rss_kb / 1024)) MB" >&2

python3 - "$work/load.json" "$(ms "$alone_p99")" "$(ms "$load_p99")" "$load_p50" "$load_p99" "$((rss_kb / 1024))" \
  "$((rss_before_kb / 1024))" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
alone, during = float(sys.argv[2]), float(sys.argv[3])
failed = sum(r["failed"].values())
print(f"conversations: {r['conversations']} open ({r['talking']} talking, {r['waiting']} waiting, "
      f"{r['streams_open']} event streams), {r['delivered']} of {r['sent']} messages delivered, {failed} failed "
      f"{r['failed'] or ''}; delivery p50 {r['p50']:.1f} ms, p99 {r['p99']:.1f} ms (goal < 100 ms), max {r['max']:.1f} ms "
      f"(to her p99 {r['to_her_p99']:.1f}, to the desk p99 {r['to_desk_p99']:.1f}); opened in {r['open_seconds']:.0f} s; "
      f"server RSS {sys.argv[6]} MB ({sys.argv[7]} MB before); /aide p99 {alone:.1f} ms alone, {during:.1f} ms during", file=sys.stderr)
print(f"row\tmessage delivery, {r['conversations']} conversations ({r['talking']} talking), {failed} failed"
      f"\tgoal p99 < 100 ms\t{r['delivered']} delivered\t{'met' if r['p99'] < 100 else 'MISSED'}"
      f"\t{r['p50']:.1f} ms\t{r['p99']:.1f} ms\t{sys.argv[6]} MB")
print(f"row\t/aide during {r['conversations']} conversations\tp99 alone {alone:.1f} ms\tp99 {during:.1f} ms"
      f"\t×{during / alone:.2f}\t{sys.argv[4]}\t{sys.argv[5]}\t—")
PY
