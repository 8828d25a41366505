#!/usr/bin/env bash
# README command 2: run every test against real PostgreSQL, Odoo, wkhtmltopdf
# and Chromium, then print "N passed, N failed[, N skipped]". A private
# PostgreSQL cluster started here is stopped at the end (one that was already
# running is left running).
source "$(dirname "$0")/common.sh"
trap stop_postgres_if_started EXIT
prepare
rc=0
"$PYTHON" "$ROOT/setup/run_tests.py" || rc=$?
exit "$rc"
