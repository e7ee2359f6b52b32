#!/usr/bin/env bash
# Starts a private, throw-away PostgreSQL cluster for the tests and prints its URL.
# Usage: scripts/pg-test-cluster.sh DIR [start|crash|stop]
#   start (the default) is idempotent: it reuses a running cluster in DIR, and a stopped
#   one starts again on the port it had, so a server holding its URL reconnects.
#   crash stops it as a power cut would (immediate: no checkpoint, recovery from the WAL
#   at the next start); stop shuts it down cleanly.
# The cluster trades durability for speed (fsync off) unless TRAPPA_TEST_PG_DURABLE=1,
# which the crash tests set: there, an acknowledged commit must survive a crash.
set -euo pipefail
dir=$(realpath -m "${1:?data directory}")
what=${2:-start}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bin" ] || { echo "PostgreSQL server binaries not found" >&2; exit 1; }
run() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
mkdir -p "$dir"
[ "$(id -u)" = 0 ] && chown postgres "$dir"
if [ ! -f "$dir/PG_VERSION" ]; then
  run "$bin/initdb" -D "$dir" -U trappa --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir.initdb.log" 2>&1 \
    || { cat "$dir.initdb.log" >&2; exit 1; }
fi
case "$what" in
  crash) run "$bin/pg_ctl" -D "$dir" -m immediate -w stop >/dev/null; exit 0 ;;
  stop) run "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null; exit 0 ;;
  start) ;;
  *) echo "unknown action: $what" >&2; exit 2 ;;
esac
if [ "${TRAPPA_TEST_PG_DURABLE:-0}" = 1 ]; then
  durability="-c fsync=on -c synchronous_commit=on -c full_page_writes=on"
else
  durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
fi
if run "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
  port=$(sed -n 4p "$dir/postmaster.pid")
else
  port=${TRAPPA_TEST_PG_PORT:-$(cat "$dir/trappa-port" 2>/dev/null || free_port)}
  echo "$port" >"$dir/trappa-port"
  run "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 $durability -c max_connections=200" \
    start >/dev/null
fi
echo "postgres://trappa@127.0.0.1:$port/postgres"
