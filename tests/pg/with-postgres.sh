#!/usr/bin/env bash
# Runs a command with a throw-away PostgreSQL 15 server: initdb + pg_ctl as the postgres user
# in a temporary directory, listening on 127.0.0.1 only, on a free port. Exports
# PASSERELLE_TEST_PG_URL for the command, then stops the server and removes everything.
#   tests/pg/with-postgres.sh COMMAND [ARGS...]
set -euo pipefail

PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [[ -z "$PG_BIN" || ! -x "$PG_BIN/initdb" ]]; then
  echo "with-postgres: no PostgreSQL server binaries under /usr/lib/postgresql (run scripts/install-deps.sh)" >&2
  exit 1
fi

as_postgres() {
  if [[ $(id -un) == postgres ]]; then "$@"; else runuser -u postgres -- "$@"; fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

workdir=$(mktemp -d /tmp/passerelle-pg.XXXXXX)
chown postgres:postgres "$workdir" 2>/dev/null || true
port=$(free_port)
cleanup() {
  as_postgres "$PG_BIN/pg_ctl" -D "$workdir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$workdir"
}
trap cleanup EXIT

as_postgres "$PG_BIN/initdb" -D "$workdir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$workdir/initdb.log" 2>&1 \
  || { cat "$workdir/initdb.log" >&2; exit 1; }
as_postgres "$PG_BIN/pg_ctl" -D "$workdir/data" -l "$workdir/server.log" -w -t 30 \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $workdir -c fsync=on -c synchronous_commit=on" start >/dev/null \
  || { cat "$workdir/server.log" >&2; exit 1; }
as_postgres "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres passerelle_test

export PASSERELLE_TEST_PG_URL="postgresql://postgres@127.0.0.1:$port/passerelle_test"
echo "with-postgres: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
set +e
"$@"
status=$?
set -e
exit $status
