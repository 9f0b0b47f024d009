#!/usr/bin/env bash
# Throughput of the live home page (`passerelle serve`, release build, SQLite) against nginx
# serving a static copy of the same page, under the same wrk load, in one run.
#   bash bench/http/run.sh [DURATION_SECONDS] [CONNECTIONS]
# Prints requests/s and latencies of both and the ratio passerelle / nginx.
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${1:-10}
connections=${2:-32}
threads=2

command -v wrk >/dev/null || { echo "wrk missing: run scripts/install-deps.sh" >&2; exit 1; }
command -v nginx >/dev/null || { echo "nginx missing: run scripts/install-deps.sh" >&2; exit 1; }

source bench/common.sh
bin=$(bench_release_binary)

work=$(mktemp -d /tmp/passerelle-bench.XXXXXX)
chmod 755 "$work"
p_port=$(free_port)
n_port=$(free_port)
trap bench_cleanup EXIT

"$bin" demo --db "sqlite:$work/p.db" >/dev/null
"$bin" serve --db "sqlite:$work/p.db" --listen "127.0.0.1:$p_port" --data-dir "$work/data" \
  --threads "$threads" 2>"$work/passerelle.log" &
pids+=($!)
wait_healthy "http://127.0.0.1:$p_port"

mkdir -p "$work/www"
curl -fs "http://127.0.0.1:$p_port/" -o "$work/www/index.html"
chmod -R a+rX "$work/www"
cat >"$work/nginx.conf" <<CONF
worker_processes $threads;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
daemon off;
events { worker_connections 1024; }
http {
  access_log off;
  server {
    listen 127.0.0.1:$n_port;
    root $work/www;
    location / { default_type text/html; try_files /index.html =404; }
  }
}
CONF
nginx -c "$work/nginx.conf" -p "$work" &
pids+=($!)
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$n_port/" >/dev/null && break; sleep 0.1; done

size=$(stat -c %s "$work/www/index.html")
measure() {  # name url
  local out
  out=$(wrk -t"$threads" -c"$connections" -d"${duration}s" --latency "$2")
  local rps p50 p99
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  printf '%-12s %10s req/s   p50 %-9s p99 %-9s\n' "$1" "$rps" "$p50" "$p99" >&2
  echo "$rps"
}
echo "home page: $size bytes; wrk -t$threads -c$connections -d${duration}s; $(nproc) cores shared by server and load" >&2
nginx_rps=$(measure nginx "http://127.0.0.1:$n_port/")
passerelle_rps=$(measure passerelle "http://127.0.0.1:$p_port/")
python3 -c "print(f'ratio passerelle/nginx: {float($passerelle_rps)/float($nginx_rps):.2f}')"
