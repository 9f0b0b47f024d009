#!/usr/bin/env bash
# Throughput of the live public pages (`passerelle serve`, release build, SQLite, demo data and the
# gazetteer) against nginx serving a static copy of the same bytes, under the same wrk load, in
# one run (docs/benchmarks.md, issue 14):
#   bash bench/http/run.sh [DURATION_SECONDS] [CONNECTIONS]
# For each page: nginx's rate on its copy, then Passerelle's, and the ratio. Then one answer of the
# help questions without JavaScript (POST /aide/questions: the flow token opened, her sealed draft
# read and written, 303), a write path with no static equivalent: its ratio is against nginx's
# rate for the copy of the page the answer leads to (the next question).
# Besides the human summary on stderr, prints one line per measure on stdout for bench/run-all.sh:
#   row<TAB>page<TAB>reference<TAB>passerelle<TAB>ratio<TAB>p50<TAB>p99<TAB>server RSS
# PASSERELLE_BIN: the binary to measure (default: the release build, built if needed).
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${1:-10}
connections=${2:-32}
threads=2

command -v wrk >/dev/null || { echo "wrk missing: run scripts/install-deps.sh" >&2; exit 1; }
command -v nginx >/dev/null || { echo "nginx missing: run scripts/install-deps.sh" >&2; exit 1; }

source bench/common.sh
bin=${PASSERELLE_BIN:-$(bench_release_binary)}

work=$(mktemp -d /tmp/passerelle-bench.XXXXXX)
chmod 755 "$work"
p_port=$(free_port)
n_port=$(free_port)
trap bench_cleanup EXIT

bench_demo_db "$bin" "sqlite:$work/p.db"
"$bin" serve --db "sqlite:$work/p.db" --listen "127.0.0.1:$p_port" --data-dir "$work/data" \
  --threads "$threads" --help-post-limit 1000000 --jobs-interval 0 2>"$work/passerelle.log" &
server_pid=$!
pids+=($server_pid)
base="http://127.0.0.1:$p_port"
wait_healthy "$base"

# name → path of each page measured; nginx serves a copy of each at /<name>.html.
names=(home sheet aide annuaire)
declare -A paths=([home]=/ [sheet]=/fiches/porter-plainte [aide]=/aide [annuaire]="/annuaire?commune=75010")
mkdir -p "$work/www"
for name in "${names[@]}"; do curl -fs "$base${paths[$name]}" -o "$work/www/$name.html"; done
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
    default_type text/html;
  }
}
CONF
nginx -c "$work/nginx.conf" -p "$work" &
pids+=($!)
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$n_port/home.html" >/dev/null && break; sleep 0.1; done

rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$server_pid/status"; }
# wrk's summary: "rps p50 p99 non2xx"; extra arguments go to wrk (a script).
measure() {  # url [wrk args…]
  local url=$1 out
  shift
  out=$(wrk -t"$threads" -c"$connections" -d"${duration}s" --latency "$@" "$url")
  echo "$(awk '/^Requests\/sec/ {print $2}' <<<"$out") $(awk '$1=="50%" {print $2}' <<<"$out")" \
    "$(awk '$1=="99%" {print $2}' <<<"$out") $(awk '/Non-2xx or 3xx responses/ {print $5}' <<<"$out")"
}
ratio() { python3 -c "print(f'{float($1)/float($2):.2f}')"; }

echo "wrk -t$threads -c$connections -d${duration}s; $(nproc) cores shared by server and load; server --threads $threads" >&2
declare -A nginx_rps
for name in "${names[@]}"; do
  size=$(stat -c %s "$work/www/$name.html")
  read -r n_rps n_p50 n_p99 _ < <(measure "http://127.0.0.1:$n_port/$name.html")
  read -r p_rps p_p50 p_p99 p_bad < <(measure "$base${paths[$name]}")
  nginx_rps[$name]=$n_rps
  r=$(ratio "$p_rps" "$n_rps")
  printf '%-9s %-26s %6s B  nginx %9s req/s (p99 %-8s)  passerelle %9s req/s (p50 %-8s p99 %-8s)%s  ratio %s\n' \
    "$name" "${paths[$name]}" "$size" "$n_rps" "$n_p99" "$p_rps" "$p_p50" "$p_p99" \
    "${p_bad:+ NON-2xx: $p_bad}" "$r" >&2
  printf 'row\tGET %s (%s B)\tnginx %s req/s\t%s req/s\t%s\t%s\t%s\t%s MB\n' "${paths[$name]}" "$size" "$n_rps" \
    "$p_rps" "$r" "$p_p50" "$p_p99" "$(($(rss_kb) / 1024))"
done

# One answer without JavaScript, replayed with her draft cookie (each request re-saves the page);
# the per-address budget of the help class (--help-post-limit) is lifted to its maximum above (a
# million a minute), or wrk's single address would get 429s after 1,200 POSTs.
csrf=$(curl -fs "$base/aide" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -n 1)
cookie=$(curl -s -o /dev/null -D - -H 'Sec-Fetch-Site: same-origin' \
  --data-urlencode "_csrf=$csrf" --data "action=start" "$base/aide/questions" \
  | sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\).*/\1/p' | head -n 1)
first=$(curl -fs -H "Cookie: $cookie" "$base/aide/questions")
token=$(sed -n 's/.*name="token" value="\([^"]*\)".*/\1/p' <<<"$first" | head -n 1)
# The step most women take: "18 ans ou plus" (the first radio, "Moins de 18 ans", ends the
# questions at once on the youth page, whose arrival writes a statistic at every replay).
field=$(python3 -c 'import re, sys
radios = [dict(re.findall(r"([a-z]+)=\"([^\"]*)\"", r)) for r in re.findall(r"<input[^>]*type=\"radio\"[^>]*>", sys.stdin.read())]
radio = next((a for a in radios if a.get("value") == "adult"), None)
print(radio["name"] + "=adult" if radio and "name" in radio else "")' <<<"$first")
[[ -n "$cookie" && -n "$token" && -n "$field" ]] || { echo "could not start the questions (cookie, token, field)" >&2; exit 1; }
body=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.urlencode([("_csrf", sys.argv[1]), ("token", sys.argv[2]), tuple(sys.argv[3].split("=", 1)), ("action", "continue")]))' "$csrf" "$token" "$field")
status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" -H 'Sec-Fetch-Site: same-origin' --data "$body" "$base/aide/questions")
[[ "$status" == 303 ]] || { echo "the answer ($field) was not accepted: HTTP $status" >&2; exit 1; }
# The page the answer leads to, served by nginx as the reference of the same bytes.
curl -fs -H "Cookie: $cookie" "$base/aide/questions" -o "$work/www/next.html"
chmod a+r "$work/www/next.html"
cat >"$work/answer.lua" <<LUA
wrk.method = "POST"
wrk.body = "$body"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "$cookie"
wrk.headers["Sec-Fetch-Site"] = "same-origin"
LUA
read -r n_rps _ n_p99 _ < <(measure "http://127.0.0.1:$n_port/next.html")
read -r a_rps a_p50 a_p99 a_bad < <(measure "$base/aide/questions" -s "$work/answer.lua")
r=$(ratio "$a_rps" "$n_rps")
printf '%-9s %-26s %6s B  nginx %9s req/s (p99 %-8s)  passerelle %9s req/s (p50 %-8s p99 %-8s) %s  ratio %s\n' \
  answer "POST /aide/questions" "$(stat -c %s "$work/www/next.html")" "$n_rps" "$n_p99" "$a_rps" "$a_p50" "$a_p99" \
  "${a_bad:+NON-3xx: $a_bad}" "$r" >&2
printf 'row\tPOST /aide/questions, one answer (303; reference: the next page, %s B)\tnginx %s req/s\t%s req/s\t%s\t%s\t%s\t%s MB\n' \
  "$(stat -c %s "$work/www/next.html")" "$n_rps" "$a_rps" "$r" "$a_p50" "$a_p99" "$(($(rss_kb) / 1024))"
