#!/usr/bin/env bash
# Shared preparation for the README's commands: find Odoo 19, install what is
# missing, start a private PostgreSQL cluster in the git-ignored .local/ folder.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="$ROOT/.local"
mkdir -p "$LOCAL"
# The cluster lives in .local/ unless the server's user (postgres, as root)
# cannot reach it, or the socket path would be too long for a Unix socket:
# then in a folder of its own under /tmp, named after this checkout.
CLUSTER_DIR="$LOCAL"
PG_OWNER=postgres
id "$PG_OWNER" >/dev/null 2>&1 || PG_OWNER=nobody
if [ ${#LOCAL} -gt 80 ] || { [ "$(id -u)" = 0 ] && ! runuser -u "$PG_OWNER" -- test -x "$LOCAL" 2>/dev/null; }; then
    CLUSTER_DIR="/tmp/complaint-pg-$(printf '%s' "$ROOT" | sha1sum | cut -c1-12)"
    mkdir -p "$CLUSTER_DIR"
    chmod 755 "$CLUSTER_DIR"
fi
PGDATA="$CLUSTER_DIR/pgdata"
PGSOCK="$CLUSTER_DIR/pgsock"
# The port: COMPLAINT_PGPORT; else the one this cluster was created with;
# else 55432, or the next free one when another server (say, the cluster of
# another checkout) holds it.
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if [ -n "${COMPLAINT_PGPORT:-}" ]; then
    PGPORT="$COMPLAINT_PGPORT"
elif [ -f "$PGDATA/postgresql.conf" ] && grep -q '^port = ' "$PGDATA/postgresql.conf"; then
    PGPORT="$(grep '^port = ' "$PGDATA/postgresql.conf" | tail -1 | cut -d' ' -f3)"
else
    PGPORT=55432
    while port_busy "$PGPORT"; do PGPORT=$((PGPORT + 1)); done
fi
PYTHON="${PYTHON:-python3}"
export PGHOST="$PGSOCK" PGPORT PGUSER="${PGUSER:-odoo}"

log() { printf '[setup] %s\n' "$*" >&2; }

require_odoo() {
    if ! "$PYTHON" -c 'import odoo.release as r, sys; sys.exit(r.version_info[0] != 19)' 2>/dev/null; then
        cat >&2 <<MSG
Odoo 19 is not importable from '$PYTHON'.
Install Odoo 19.0 into this Python first, for example from a checkout of the
Odoo 19.0 sources:
    $PYTHON -m pip install -r <odoo-19.0>/requirements.txt
    $PYTHON -m pip install --no-deps -e <odoo-19.0>
(or set PYTHON=/path/to/python that has it), then run this command again.
MSG
        exit 1
    fi
}

install_requirements() {
    local stamp="$LOCAL/.requirements.sha"
    local want
    want="$(cat "$ROOT/requirements.txt" | sha1sum | cut -d' ' -f1)"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        return 0
    fi
    if ! "$PYTHON" -m pip install -q -r "$ROOT/requirements.txt" >"$LOCAL/pip.log" 2>&1; then
        log "pip install -r requirements.txt failed; see $LOCAL/pip.log"
        tail -5 "$LOCAL/pip.log" >&2
        exit 1
    fi
    echo "$want" >"$stamp"
}

# Prefork's websocket worker runs gevent, which resolves its dependencies with
# pkg_resources. An old setuptools cannot find wheels that name their metadata
# the new way (zope_interface-8.x.dist-info): the worker then dies at start and
# is respawned for ever, eating a core. A newer pkg_resources reads both.
fix_gevent_entry_points() {
    if ! "$PYTHON" -W ignore -c 'import pkg_resources; pkg_resources.require("gevent")' >/dev/null 2>&1; then
        log "upgrading setuptools: its pkg_resources cannot resolve gevent's dependencies"
        "$PYTHON" -m pip install -q 'setuptools>=75,<81' >>"$LOCAL/pip.log" 2>&1 ||
            log "setuptools upgrade failed (see $LOCAL/pip.log): prefork's gevent worker will crash-loop"
    fi
}

install_system_tools() {
    local missing=()
    command -v wkhtmltopdf >/dev/null || missing+=(wkhtmltopdf)
    command -v chromium >/dev/null || missing+=(chromium)
    command -v pdftotext >/dev/null || missing+=(poppler-utils)
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        log "installing ${missing[*]} from Debian"
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}") \
            >"$LOCAL/apt.log" 2>&1 || log "apt-get failed (see $LOCAL/apt.log); reports or browser tests may not run"
    else
        log "missing ${missing[*]}: install them with your package manager"
    fi
}

pg_bin() {
    local bin
    for bin in "$(command -v pg_ctl 2>/dev/null || true)" /usr/lib/postgresql/*/bin/pg_ctl; do
        if [ -x "$bin" ] && "$bin" --version >/dev/null 2>&1; then
            dirname "$(readlink -f "$bin")"
            return 0
        fi
    done
    log "PostgreSQL server binaries (pg_ctl, initdb) not found: install postgresql"
    exit 1
}

# PostgreSQL refuses to run as root: as root, the private clusters run as
# 'postgres' (or nobody). Sets PG_RUN_AS (a command prefix) and hands the
# given data folder (mode 700), socket folder and log file to that user.
pg_prepare_dirs() {
    local data="$1" sock="$2" logfile="$3"
    PG_RUN_AS=()
    mkdir -p "$data" "$sock"
    touch "$logfile"
    if [ "$(id -u)" = 0 ]; then
        PG_RUN_AS=(runuser -u "$PG_OWNER" --)
        chown "$PG_OWNER" "$data" "$sock" "$logfile"
        chmod 700 "$data"
    fi
}

start_postgres() {
    local bin
    bin="$(pg_bin)"
    pg_prepare_dirs "$PGDATA" "$PGSOCK" "$CLUSTER_DIR/postgres.log"
    if [ ! -f "$PGDATA/PG_VERSION" ]; then
        log "creating a private PostgreSQL cluster in $PGDATA"
        "${PG_RUN_AS[@]}" "$bin/initdb" -D "$PGDATA" -U "$PGUSER" --auth=trust -E UTF8 --locale=C.UTF-8 >"$LOCAL/initdb.log" 2>&1
        cat >>"$PGDATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PGPORT
unix_socket_directories = '$PGSOCK'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
shared_buffers = 512MB
work_mem = 16MB
wal_level = replica
max_wal_senders = 4
CONF
    fi
    if ! "${PG_RUN_AS[@]}" "$bin/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
        log "starting PostgreSQL on port $PGPORT"
        "${PG_RUN_AS[@]}" "$bin/pg_ctl" -D "$PGDATA" -l "$CLUSTER_DIR/postgres.log" -w -t 60 start >/dev/null
    fi
}

REPLICA_DATA="$CLUSTER_DIR/pgreplica"
REPLICA_SOCK="$CLUSTER_DIR/pgsock-replica"
REPLICA_PORT="${COMPLAINT_REPLICA_PORT:-$((PGPORT + 100))}"

# A hot standby of the private cluster, in streaming replication, for the
# load test's "servers + replica" run (Odoo's --db_replica_host).
start_replica() {
    local bin
    bin="$(pg_bin)"
    pg_prepare_dirs "$REPLICA_DATA" "$REPLICA_SOCK" "$CLUSTER_DIR/replica.log"
    if [ ! -f "$REPLICA_DATA/PG_VERSION" ]; then
        log "creating a streaming replica in $REPLICA_DATA (port $REPLICA_PORT)"
        "${PG_RUN_AS[@]}" "$bin/pg_basebackup" -h "$PGSOCK" -p "$PGPORT" -U "$PGUSER" \
            -D "$REPLICA_DATA" -R -X stream >"$LOCAL/basebackup.log" 2>&1
        cat >>"$REPLICA_DATA/postgresql.auto.conf" <<CONF
port = $REPLICA_PORT
unix_socket_directories = '$REPLICA_SOCK'
hot_standby = on
CONF
    fi
    if ! "${PG_RUN_AS[@]}" "$bin/pg_ctl" -D "$REPLICA_DATA" status >/dev/null 2>&1; then
        "${PG_RUN_AS[@]}" "$bin/pg_ctl" -D "$REPLICA_DATA" -l "$CLUSTER_DIR/replica.log" -w -t 60 start >/dev/null
    fi
}

# npm tools of package.json: rtlcss (Odoo mirrors right-to-left CSS with it),
# axe-core (accessibility checks), prettier (lint).
install_node_tools() {
    if [ ! -x "$ROOT/node_modules/.bin/rtlcss" ] || [ ! -d "$ROOT/node_modules/axe-core" ]; then
        if command -v npm >/dev/null; then
            (cd "$ROOT" && npm ci --no-audit --no-fund >"$LOCAL/npm.log" 2>&1) ||
                log "npm ci failed (see $LOCAL/npm.log): RTL styles and accessibility checks need it"
        else
            log "npm not found: install Node.js for RTL styles and accessibility checks"
        fi
    fi
    export PATH="$ROOT/node_modules/.bin:$PATH"
}

prepare() {
    require_odoo
    install_requirements
    fix_gevent_entry_points
    install_system_tools
    install_node_tools
    start_postgres
}

# A database kept between runs (demo, load test) is upgraded when the addons'
# code or data changed since it was last installed or upgraded here.
ensure_addons_current() {
    local db="$1" stamp want
    stamp="$LOCAL/addons-$db.sha"
    want="$(cd "$ROOT" && find complaint_management complaint_management_reports -type f \
        \( -name '*.py' -o -name '*.xml' -o -name '*.csv' -o -name '*.po' \) -print0 |
        sort -z | xargs -0 sha1sum | sha1sum | cut -d' ' -f1)"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        return 0
    fi
    if [ -f "$stamp" ] || [ "${2:-}" = "--always" ]; then
        log "upgrading both addons in database $db (their code changed)"
        odoo_cmd -d "$db" -u complaint_management,complaint_management_reports \
            --stop-after-init --log-level=warn
    fi
    echo "$want" >"$stamp"
}

# Run Odoo with our addons and the database of this cluster. Odoo adds its own
# addons and those installed from PyPI (odoo/addons namespace) by itself.
odoo_cmd() {
    "$PYTHON" "$ROOT/setup/odoo_run.py" --addons-path="$ROOT" \
        --db_host="$PGSOCK" --db_port="$PGPORT" --db_user="$PGUSER" "$@"
}
