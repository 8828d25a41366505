#!/usr/bin/env bash
# Loopback load test of the portal (tests/load_portal.py) on a database of its
# own (complaint_load, both addons, reused between runs). Arguments go to the
# script, e.g. `bash setup/load.sh --complaints 10000 --duration 60 --servers 2`.
source "$(dirname "$0")/common.sh"
prepare
DB="${LOAD_DB:-complaint_load}"
if ! psql -d postgres -tAc "select 1 from pg_database where datname='$DB'" | grep -q 1; then
    log "creating database $DB with both addons"
    odoo_cmd -d "$DB" -i complaint_management,complaint_management_reports \
        --stop-after-init --log-level=warn
    rm -f "$LOCAL/addons-$DB.sha"
    ensure_addons_current "$DB"
else
    ensure_addons_current "$DB" --always
fi
# --replica: a second PostgreSQL cluster on loopback in streaming replication;
# the servers send read-only routes (portal list and detail) to it.
EXTRA=()
for arg in "$@"; do
    if [ "$arg" = "--replica" ]; then
        start_replica
        EXTRA=(--replica-host "$REPLICA_SOCK" --replica-port "$REPLICA_PORT")
    fi
done
exec "$PYTHON" "$ROOT/tests/load_portal.py" --db "$DB" "${EXTRA[@]}" "$@"
