#!/bin/bash
# First start of the primary (docker-entrypoint-initdb.d): a role that may only stream WAL, and the pg_hba line that
# lets the replica's pg_basebackup and walreceiver in with its password.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v pw="$REPLICATION_PASSWORD" <<'SQL'
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD :'pw';
SQL
echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
