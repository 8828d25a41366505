#!/usr/bin/env bash
# README command 2: run every test against real PostgreSQL, Odoo, wkhtmltopdf
# and Chromium, then print "N passed, N failed[, N skipped]".
source "$(dirname "$0")/common.sh"
prepare
exec "$PYTHON" "$ROOT/setup/run_tests.py"
