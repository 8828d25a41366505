#!/usr/bin/env bash
# Benchmarks (scripts that print figures; not tests) on the private cluster:
#   bash setup/bench.sh sla --sizes 1000,10000,100000
#   bash setup/bench.sh reports
#   bash setup/bench.sh regulatory --count 1000
#   bash setup/bench.sh retention --count 10000
#   bash setup/bench.sh letters --count 1000
#   bash setup/bench.sh insight --count 100000
source "$(dirname "$0")/common.sh"
prepare
name="${1:?usage: bash setup/bench.sh sla|reports|regulatory|retention|letters|insight [options]}"
shift
# The SLA benchmark compares with OCA helpdesk_mgmt_sla: a benchmark-only
# dependency, installed into the project's environment when missing.
if [ "$name" = sla ] && ! "$PYTHON" -c 'import odoo.addons.helpdesk_mgmt_sla' 2>/dev/null; then
    log "installing odoo-addon-helpdesk-mgmt-sla (for this benchmark only)"
    "$PYTHON" -m pip install -q 'odoo-addon-helpdesk-mgmt-sla==19.0.*' >>"$LOCAL/pip.log" 2>&1
fi
exec "$PYTHON" "$ROOT/tests/bench_$name.py" "$@"
