#!/usr/bin/env bash
# A throwaway PostgreSQL for trying audarma on several workers: a cluster in ./.pg (UTF-8, C.UTF-8
# locale), listening only on a Unix socket there; prints the URL to use with --db / AUDARMA_DB.
#   scripts/pg-local.sh          start (initdb on first use)
#   scripts/pg-local.sh stop     stop it (the data stays in ./.pg; remove the directory to start over)
# PostgreSQL refuses to run as root: as root, the cluster belongs to the `postgres` user.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] || { echo "pg-local: no PostgreSQL server binaries (/usr/lib/postgresql/*/bin): apt-get install postgresql" >&2; exit 2; }
dir="$PWD/.pg"
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ "${1:-start}" = stop ]; then
  as_owner "$bin/pg_ctl" -D "$dir/data" -m fast stop
  exit 0
fi
if [ ! -d "$dir/data" ]; then
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir"
  as_owner "$bin/initdb" -D "$dir/data" -U audarma --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  as_owner "$bin/pg_ctl" -D "$dir/data" -o "-k $dir -c listen_addresses=''" -l "$dir/log" -w start >/dev/null
  as_owner "$bin/createdb" -h "$dir" -U audarma audarma
else
  as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1 \
    || as_owner "$bin/pg_ctl" -D "$dir/data" -o "-k $dir -c listen_addresses=''" -l "$dir/log" -w start >/dev/null
fi
echo "postgres://audarma@localhost/audarma?host=$dir"
