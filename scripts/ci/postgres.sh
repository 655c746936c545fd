#!/usr/bin/env bash
# Installs (when missing) and starts PostgreSQL 15 from Debian's packages, then creates the test
# role and database. Prints the connection URL on stdout. Used by .ci/run; safe to run again.
set -euo pipefail
PGVER=15
DB=${GARMINSYNC_PG_DB:-garminsync_test}
ROLE=${GARMINSYNC_PG_ROLE:-garminsync}
PASS=${GARMINSYNC_PG_PASSWORD:-garminsync-test}
PORT=${GARMINSYNC_PG_PORT:-5432}

if ! [ -x "/usr/lib/postgresql/$PGVER/bin/postgres" ]; then
  echo "installing postgresql-$PGVER from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq "postgresql-$PGVER" >&2
fi

if ! pg_lsclusters -h | grep -q "^$PGVER main"; then
  pg_createcluster "$PGVER" main --port "$PORT" >&2
fi
pg_ctlcluster "$PGVER" main start >&2 2>/dev/null || true
for _ in $(seq 1 60); do
  if su postgres -c "pg_isready -q -h 127.0.0.1 -p $PORT"; then break; fi
  sleep 0.5
done
su postgres -c "pg_isready -q -h 127.0.0.1 -p $PORT" || { echo "PostgreSQL did not start" >&2; exit 1; }

psql_admin() { su postgres -c "psql -v ON_ERROR_STOP=1 -q -p $PORT -d postgres $*" >&2; }
if ! su postgres -c "psql -p $PORT -d postgres -tAc \"select 1 from pg_roles where rolname='$ROLE'\"" | grep -q 1; then
  psql_admin "-c \"create role $ROLE login password '$PASS' createdb\""
fi
if ! su postgres -c "psql -p $PORT -d postgres -tAc \"select 1 from pg_database where datname='$DB'\"" | grep -q 1; then
  psql_admin "-c \"create database $DB owner $ROLE\""
fi
echo "postgres://$ROLE:$PASS@127.0.0.1:$PORT/$DB"
