#!/bin/sh
# The bundled PostgreSQL's init container, on every start of the pod, before the server:
#  1. initdb when the data directory is empty (a new volume);
#  2. a server on the socket only (no network), the roles, databases and passwords of
#     bootstrap.sql (idempotent), then a clean stop.
# So the server never accepts a connection before every API's user and database exist, and a
# crash half-way is repaired by the next start. Needs initdb, pg_ctl and psql on PATH; runs as
# any non-root uid. Environment: PGDATA, PG_SOCKET_DIR, PG_CONFIG_DIR, PG_SECRET_DIR.
set -eu

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  echo "init: empty data directory, running initdb"
  initdb --pgdata="$PGDATA" --username=postgres --pwfile="$PG_SECRET_DIR/postgres-password" \
    --auth-local=trust --auth-host=scram-sha-256 --encoding=UTF8 --locale=C
fi

# PostgreSQL refuses a data directory that is group-writable (a volume plugin that applies
# fsGroup at every mount makes it so); it is this uid's own directory.
chmod 0700 "$PGDATA"

# A stale postmaster.pid from a killed server is PostgreSQL's to judge; pg_ctl start handles it.
pg_ctl --pgdata="$PGDATA" --wait --timeout=120 --log=/tmp/bootstrap.log \
  -o "-c listen_addresses='' -c unix_socket_directories=$PG_SOCKET_DIR -c hba_file=$PG_CONFIG_DIR/pg_hba.conf" \
  start || { cat /tmp/bootstrap.log; exit 1; }
trap 'pg_ctl --pgdata="$PGDATA" --mode=fast --wait stop >/dev/null 2>&1 || true' EXIT

# Each file of the Secret becomes a psql variable: postgres-password -> :'postgres_password'.
set --
for f in "$PG_SECRET_DIR"/*; do
  set -- "$@" --set="$(basename "$f" | tr '-' '_')=$(cat "$f")"
done
psql --no-psqlrc --set=ON_ERROR_STOP=1 --host="$PG_SOCKET_DIR" --username=postgres --dbname=postgres \
  "$@" --file="$PG_CONFIG_DIR/bootstrap.sql"

pg_ctl --pgdata="$PGDATA" --mode=fast --wait stop
trap - EXIT
echo "init: roles and databases are in place"
