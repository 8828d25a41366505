#!/usr/bin/env bash
# Benchmarks (scripts that print figures; not tests) on the private cluster:
#   bash setup/bench.sh sla --sizes 1000,10000,100000
#   bash setup/bench.sh reports
#   bash setup/bench.sh regulatory --count 1000
#   bash setup/bench.sh retention --count 10000
#   bash setup/bench.sh letters --count 1000
source "$(dirname "$0")/common.sh"
prepare
name="${1:?usage: bash setup/bench.sh sla|reports|regulatory|retention|letters [options]}"
shift
exec "$PYTHON" "$ROOT/tests/bench_$name.py" "$@"
