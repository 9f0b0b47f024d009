#!/usr/bin/env bash
# Throughput of the live home page (`passerelle serve`, release build, SQLite) against nginx
# serving a static copy of the same page, under the same wrk load, in one run.
#   bash bench/http/run.sh [DURATION_SECONDS] [CONNECTIONS]
# Prints requests/s and latencies of both and the ratio passerelle / nginx; then the same for one
# answer of the help questions without JavaScript (POST /aide/questions: the flow token opened,
# her sealed draft read and written, 303), a dynamic write path with no static equivalent, so its
# ratio is against the same nginx run.
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
  --threads "$threads" --help-post-limit 1000000 2>"$work/passerelle.log" &
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

# One answer without JavaScript, replayed with her draft cookie (each request re-saves the page);
# the per-address budget of the help class (--help-post-limit) is lifted to its maximum above (a
# million a minute), or wrk's single address would get 429s after 1,200 POSTs.
base="http://127.0.0.1:$p_port"
csrf=$(curl -fs "$base/aide" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -n 1)
cookie=$(curl -s -o /dev/null -D - -H 'Sec-Fetch-Site: same-origin' \
  --data-urlencode "_csrf=$csrf" --data "action=start" "$base/aide/questions" \
  | sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\).*/\1/p' | head -n 1)
first=$(curl -fs -H "Cookie: $cookie" "$base/aide/questions")
token=$(sed -n 's/.*name="token" value="\([^"]*\)".*/\1/p' <<<"$first" | head -n 1)
field=$(python3 -c 'import re, sys
radio = re.search(r"<input[^>]*type=\"radio\"[^>]*>", sys.stdin.read())
attrs = dict(re.findall(r"([a-z]+)=\"([^\"]*)\"", radio.group(0))) if radio else {}
print(attrs.get("name", "") + "=" + attrs.get("value", "") if "name" in attrs and "value" in attrs else "")' <<<"$first")
[[ -n "$cookie" && -n "$token" && -n "$field" ]] || { echo "could not start the questions (cookie, token, field)" >&2; exit 1; }
body=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.urlencode([("_csrf", sys.argv[1]), ("token", sys.argv[2]), tuple(sys.argv[3].split("=", 1)), ("action", "continue")]))' "$csrf" "$token" "$field")
status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" -H 'Sec-Fetch-Site: same-origin' --data "$body" "$base/aide/questions")
[[ "$status" == 303 ]] || { echo "the answer ($field) was not accepted: HTTP $status" >&2; exit 1; }
cat >"$work/answer.lua" <<LUA
wrk.method = "POST"
wrk.body = "$body"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "$cookie"
wrk.headers["Sec-Fetch-Site"] = "same-origin"
LUA
answer_out=$(wrk -t"$threads" -c"$connections" -d"${duration}s" --latency -s "$work/answer.lua" "$base/aide/questions")
answer_rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$answer_out")
printf '%-12s %10s req/s   p50 %-9s p99 %-9s %s\n' "answer" "$answer_rps" \
  "$(awk '$1=="50%" {print $2}' <<<"$answer_out")" "$(awk '$1=="99%" {print $2}' <<<"$answer_out")" \
  "$(grep -o 'Non-2xx or 3xx responses: [0-9]*' <<<"$answer_out" || echo 'all 303')" >&2
python3 -c "print(f'ratio answer (no JavaScript)/nginx: {float($answer_rps)/float($nginx_rps):.3f}')"
