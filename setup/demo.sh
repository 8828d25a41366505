#!/usr/bin/env bash
# README command 1: a demo instance with both addons and demo data on
# http://localhost:8069. Run twice, it reuses the cluster and the database.
source "$(dirname "$0")/common.sh"
# Ctrl+C stops the server, then the private cluster if this run started it.
trap stop_postgres_if_started EXIT
trap 'exit 130' INT TERM
prepare
DB="${DEMO_DB:-complaint_demo}"
PORT="${DEMO_PORT:-8069}"
if ! psql -d postgres -tAc "select 1 from pg_database where datname='$DB'" | grep -q 1; then
    log "creating database $DB with both addons and demo data (a few minutes)"
    odoo_cmd -d "$DB" -i complaint_management,complaint_management_reports \
        --with-demo --stop-after-init --log-level=warn
    rm -f "$LOCAL/addons-$DB.sha"
    ensure_addons_current "$DB"
else
    ensure_addons_current "$DB" --always
fi
cat <<MSG

  Complaint Management demo: http://localhost:$PORT/web/login
  Manager login:  admin / admin
  Portal login:   portal / portal   (customer view: http://localhost:$PORT/my/complaints)
  Stop with Ctrl+C.

MSG
"$PYTHON" "$ROOT/setup/odoo_run.py" --addons-path="$ROOT" --db_host="$PGSOCK" --db_port="$PGPORT" \
    --db_user="$PGUSER" -d "$DB" --db-filter="^$DB\$" --http-port="$PORT" --log-level=warn
