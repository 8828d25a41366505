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
export PGHOST="$PGSOCK" PGPORT PGUSER="${PGUSER:-odoo}"

log() { printf '[setup] %s\n' "$*" >&2; }

# The Python that runs Odoo. ODOO_PYTHON: one that already has Odoo 19 (and
# nothing is installed into it but our requirements). Otherwise the project's
# own virtualenv in .local/venv, with Odoo 19.0 from ODOO_SRC: a source
# folder, a .tar.gz/.tar.xz archive of the sources, or a git URL (default:
# the official repository, branch ODOO_BRANCH=19.0, shallow clone). Nothing
# is ever installed into the system Python.
VENV="$LOCAL/venv"
ODOO_GIT_DEFAULT="https://github.com/odoo/odoo.git"
ODOO_BRANCH="${ODOO_BRANCH:-19.0}"
if [ -n "${ODOO_PYTHON:-}" ]; then
    PYTHON="$ODOO_PYTHON"
else
    PYTHON="$VENV/bin/python"
fi

odoo_importable() {
    [ -x "$PYTHON" ] || command -v "$PYTHON" >/dev/null || return 1
    "$PYTHON" -c 'import odoo.release as r, sys; sys.exit(r.version_info[0] != 19)' 2>/dev/null
}

# One line that changes when the Odoo source changes.
odoo_source_id() {
    local src="$1"
    if [ -d "$src" ]; then
        echo "folder:$(cd "$src" && pwd)"
    elif [ -f "$src" ]; then
        echo "archive:$(sha256sum <"$src" | cut -c1-64)"
    else
        echo "git:$src#$ODOO_BRANCH"
    fi
}

# Puts the Odoo sources of ODOO_SRC where pip can install them (editable) and
# prints that folder: a folder is used where it is; an archive is unpacked,
# a git URL cloned, into .local/odoo-src.
odoo_source_dir() {
    local src="$1" tmp dir
    if [ -d "$src" ]; then
        (cd "$src" && pwd)
        return 0
    fi
    tmp="$LOCAL/odoo-src.new"
    rm -rf "$tmp"
    mkdir -p "$tmp"
    if [ -f "$src" ]; then
        log "unpacking the Odoo sources from $src"
        tar -xf "$src" -C "$tmp"
    else
        log "cloning Odoo $ODOO_BRANCH from $src (shallow)"
        git clone -q --depth 1 --branch "$ODOO_BRANCH" "$src" "$tmp/odoo" >&2
    fi
    dir="$(dirname "$(find "$tmp" -maxdepth 3 -name odoo-bin -type f | head -1)")"
    if [ ! -f "$dir/setup.py" ] || [ ! -d "$dir/odoo" ]; then
        log "no Odoo source tree (odoo-bin, setup.py, odoo/) found in $src"
        exit 1
    fi
    rm -rf "$LOCAL/odoo-src"
    mv "$dir" "$LOCAL/odoo-src"
    rm -rf "$tmp"
    echo "$LOCAL/odoo-src"
}

# Creates .local/venv and installs Odoo into it when it has none, or when
# ODOO_SRC names another source than the one installed.
ensure_odoo() {
    if [ -n "${ODOO_PYTHON:-}" ]; then
        if ! odoo_importable; then
            log "ODOO_PYTHON=$ODOO_PYTHON cannot import Odoo 19"
            exit 1
        fi
        return 0
    fi
    local stamp="$VENV/.odoo-source" want="" dir
    [ -n "${ODOO_SRC:-}" ] && want="$(odoo_source_id "$ODOO_SRC")"
    if odoo_importable && { [ -z "$want" ] || [ "$want" = "$(cat "$stamp" 2>/dev/null)" ]; }; then
        return 0
    fi
    if [ ! -x "$PYTHON" ]; then
        local base="${BASE_PYTHON:-python3}"
        log "creating a virtualenv in $VENV (with $base)"
        if ! "$base" -m venv "$VENV" >"$LOCAL/venv.log" 2>&1; then
            log "'$base -m venv' failed (see $LOCAL/venv.log): install the venv module (Debian: python3-venv)"
            exit 1
        fi
    fi
    local src="${ODOO_SRC:-$ODOO_GIT_DEFAULT}"
    want="$(odoo_source_id "$src")"
    dir="$(odoo_source_dir "$src")"
    log "installing Odoo from $dir into $VENV (a few minutes the first time)"
    # pip >= 25.3 for --build-constraint (see install_requirements)
    if ! { "$PYTHON" -m pip install -q 'pip>=25.3' &&
        "$PYTHON" -m pip install -q --no-deps -e "$dir"; } >"$LOCAL/pip.log" 2>&1; then
        log "installing Odoo failed; see $LOCAL/pip.log"
        tail -5 "$LOCAL/pip.log" >&2
        exit 1
    fi
    echo "$want" >"$stamp"
    rm -f "$VENV/.requirements"
}

# Odoo's own requirements.txt and ours, again whenever either changes. cbor2
# 5.4.2 (Odoo's pin for Python 3.11) builds only with setuptools < 81.
install_requirements() {
    local stamp="$VENV/.requirements" odoo_reqs want
    [ -n "${ODOO_PYTHON:-}" ] && stamp="$LOCAL/.requirements-$(printf '%s' "$PYTHON" | sha1sum | cut -c1-12)"
    odoo_reqs="$("$PYTHON" -c 'import odoo.release as r, os; print(os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(r.__file__))), "requirements.txt"))')"
    local reqs=(-r "$ROOT/requirements.txt")
    # Whoever brings their own Odoo (ODOO_PYTHON) installed its requirements.
    [ -z "${ODOO_PYTHON:-}" ] && [ -f "$odoo_reqs" ] && reqs=(-r "$odoo_reqs" "${reqs[@]}")
    want="$(cat "$ROOT/requirements.txt" "${reqs[1]}" | sha1sum | cut -d' ' -f1)"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        return 0
    fi
    log "installing Python requirements into $("$PYTHON" -c 'import sys; print(sys.prefix)')"
    printf 'setuptools<81\n' >"$LOCAL/build-constraints.txt"
    local bc=(--build-constraint "$LOCAL/build-constraints.txt")
    "$PYTHON" -m pip install --help 2>/dev/null | grep -q -- --build-constraint || bc=()
    if ! PIP_CONSTRAINT="" "$PYTHON" -m pip install -q "${bc[@]}" "${reqs[@]}" >"$LOCAL/pip.log" 2>&1; then
        log "pip install of the requirements failed; see $LOCAL/pip.log"
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

# System packages, by their Debian names: the PostgreSQL server, wkhtmltopdf
# (PDF reports), chromium (browser tests), poppler-utils (PDF text in tests),
# and the headers that Odoo's requirements compile against. As root on
# Debian they are installed with apt-get; otherwise the script names the
# missing ones and stops.
missing_system_packages() {
    local missing=() bin
    pg_bin_dir >/dev/null 2>&1 || missing+=(postgresql)
    command -v wkhtmltopdf >/dev/null || missing+=(wkhtmltopdf)
    command -v chromium >/dev/null || missing+=(chromium)
    command -v pdftotext >/dev/null || missing+=(poppler-utils)
    command -v xz >/dev/null || missing+=(xz-utils)
    case "${ODOO_SRC:-git}" in
    *://* | git@* | git) [ -n "${ODOO_PYTHON:-}" ] || command -v git >/dev/null || missing+=(git) ;;
    esac
    if [ -z "${ODOO_PYTHON:-}" ] && command -v dpkg-query >/dev/null; then
        for bin in libldap2-dev libsasl2-dev libpq-dev; do
            dpkg-query -W -f='${Status}' "$bin" 2>/dev/null | grep -q 'install ok installed' || missing+=("$bin")
        done
    fi
    echo "${missing[@]}"
}

install_system_tools() {
    local missing
    read -r -a missing <<<"$(missing_system_packages)"
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        log "installing ${missing[*]} from Debian"
        if ! (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}") \
            >"$LOCAL/apt.log" 2>&1; then
            log "apt-get failed; see $LOCAL/apt.log"
            exit 1
        fi
        return 0
    fi
    log "missing system packages (Debian names): ${missing[*]}"
    log "install them (as root: apt-get install ${missing[*]}), then run this command again"
    exit 1
}

pg_bin_dir() {
    local bin
    for bin in "$(command -v pg_ctl 2>/dev/null || true)" /usr/lib/postgresql/*/bin/pg_ctl; do
        if [ -x "$bin" ] && "$bin" --version >/dev/null 2>&1; then
            dirname "$(readlink -f "$bin")"
            return 0
        fi
    done
    return 1
}

pg_bin() {
    pg_bin_dir || {
        log "PostgreSQL server binaries (pg_ctl, initdb) not found: install postgresql"
        exit 1
    }
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
    if "${PG_RUN_AS[@]}" "$bin/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
        return 0
    fi
    local tries=0
    while :; do
        # Another checkout's cluster may have taken the port since it was
        # chosen (two first runs at once): move to the next free one.
        if [ -z "${COMPLAINT_PGPORT:-}" ] && port_busy "$PGPORT"; then
            while port_busy "$PGPORT"; do PGPORT=$((PGPORT + 1)); done
            echo "port = $PGPORT" >>"$PGDATA/postgresql.conf"
            export PGPORT
            REPLICA_PORT="${COMPLAINT_REPLICA_PORT:-$((PGPORT + 100))}"
        fi
        log "starting PostgreSQL on port $PGPORT"
        if "${PG_RUN_AS[@]}" "$bin/pg_ctl" -D "$PGDATA" -l "$CLUSTER_DIR/postgres.log" -w -t 60 start >/dev/null; then
            PG_STARTED_HERE=1
            return 0
        fi
        tries=$((tries + 1))
        if [ "$tries" -ge 5 ]; then
            log "PostgreSQL did not start; see $CLUSTER_DIR/postgres.log"
            exit 1
        fi
    done
}

# Stops the private cluster (and its replica) if this run started it; one
# that was already running is left as it was found. Prints nothing: the test
# summary must stay the last line.
PG_STARTED_HERE=0
stop_postgres_if_started() {
    [ "$PG_STARTED_HERE" = 1 ] || return 0
    local bin data
    bin="$(pg_bin_dir)" || return 0
    for data in "$REPLICA_DATA" "$PGDATA"; do
        [ -f "$data/PG_VERSION" ] || continue
        "${PG_RUN_AS[@]}" "$bin/pg_ctl" -D "$data" -m fast -w -t 60 stop >>"$CLUSTER_DIR/postgres.log" 2>&1 || true
    done
    PG_STARTED_HERE=0
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
    install_system_tools
    ensure_odoo
    install_requirements
    fix_gevent_entry_points
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
