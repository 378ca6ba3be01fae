#!/bin/bash
# The replica's start: on an empty data directory, copy the primary with pg_basebackup -R (which writes
# standby.signal and primary_conninfo), then run PostgreSQL as a hot standby. Later starts just resume streaming.
set -euo pipefail
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_isready -h "$PRIMARY_HOST" -p 5432 -q; do sleep 1; done
  export PGPASSWORD="$REPLICATION_PASSWORD"
  pg_basebackup -h "$PRIMARY_HOST" -p 5432 -U replicator -D "$PGDATA" -R -X stream --checkpoint=fast
  unset PGPASSWORD
  chmod 700 "$PGDATA"
fi
exec postgres -c hot_standby=on
