# Shared by the benchmark scripts (sourced): the release binary, a work folder removed at exit
# with every process started in `pids`, free ports and the wait for a server.
#   source bench/common.sh; work=$(bench_workdir); trap bench_cleanup EXIT
bench_release_binary() {
  cmake --preset release -G "Unix Makefiles" >/dev/null
  cmake --build build -j"$(nproc)" --target passerelle >/dev/null
  echo "$PWD/build/passerelle"
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
pids=()
bench_cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
wait_healthy() {  # base URL
  for _ in $(seq 100); do curl -fs "$1/healthz" >/dev/null && return 0; sleep 0.1; done
  echo "the server did not start" >&2
  return 1
}
bench_demo_db() {  # binary db-url: the schema, the gazetteer and the demo data
  "$1" migrate --db "$2" >/dev/null
  "$1" gazetteer load --db "$2" >/dev/null
  "$1" demo --db "$2" >/dev/null
}
probe() {  # url seconds (wrk reads it for that long) → "p50 p99" of wrk -c2
  local out
  out=$(wrk -t1 -c2 -d"${2}s" --latency "$1")
  echo "$(awk '$1=="50%" {print $2}' <<<"$out") $(awk '$1=="99%" {print $2}' <<<"$out")"
}
ms() {  # wrk's "1.23ms" / "456.00us" / "1.20s" → milliseconds
  python3 -c "import re,sys; v,u=re.match(r'([0-9.]+)(us|ms|s)','$1').groups(); print(float(v)*{'us':0.001,'ms':1,'s':1000}[u])"
}
