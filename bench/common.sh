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
