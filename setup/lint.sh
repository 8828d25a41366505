#!/usr/bin/env bash
# Lint and format everything as the pre-commit hooks do (.pre-commit-config.yaml):
# ruff, prettier (+ XML plugin), pylint-odoo, OCA module checks, whitespace.
# Installs what is missing first: the Python tools with pip into .local/venv
# (or ODOO_PYTHON's environment), prettier and its XML plugin with npm into node_modules/.
#
#   bash setup/lint.sh                 # every hook on every tracked file
#   bash setup/lint.sh ruff            # one hook (any `pre-commit run` args)
#
# Hooks that can fix files (ruff, prettier, whitespace, README.rst) rewrite
# them and report a failure: review the changes and run again.
# Note: pre-commit only sees files known to git (tracked or staged).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Tools go into the project's virtualenv (.local/venv, the one setup/common.sh
# installs Odoo into), or into ODOO_PYTHON's environment; never into the system
# Python (Debian refuses it anyway, PEP 668).
PYTHON="${ODOO_PYTHON:-$ROOT/.local/venv/bin/python}"
if [ ! -x "$PYTHON" ]; then
    mkdir -p "$ROOT/.local"
    python3 -m venv "$ROOT/.local/venv"
fi
cd "$ROOT"

log() { printf '[lint] %s\n' "$*" >&2; }

# Versions used to write and check the code (ruff and prettier output depends
# on them). Change them here and in package.json together with a reformat.
PY_TOOLS=(
    "pre-commit>=3.5"
    "ruff==0.17.6"
    "pylint-odoo==10.0.12"
    "pre-commit-hooks==6.0.0"
    "oca-odoo-pre-commit-hooks==0.2.27"
)

missing="$("$PYTHON" - "${PY_TOOLS[@]}" <<'PY'
import sys
from importlib.metadata import PackageNotFoundError, version

from packaging.requirements import Requirement

for spec in sys.argv[1:]:
    req = Requirement(spec)
    try:
        ok = req.specifier.contains(version(req.name), prereleases=True)
    except PackageNotFoundError:
        ok = False
    if not ok:
        print(spec)
PY
)" || missing="${PY_TOOLS[*]}"  # no `packaging`: let pip sort it out
if [ -n "$missing" ]; then
    log "installing: $(echo $missing)"
    # shellcheck disable=SC2086
    "$PYTHON" -m pip install -q $missing
fi

if ! command -v npm >/dev/null; then
    log "npm not found: install Node.js (e.g. apt-get install nodejs npm)"
    exit 1
fi
if [ ! -x node_modules/.bin/prettier ] \
    || [ ! -d node_modules/@prettier/plugin-xml ] \
    || [ package.json -nt node_modules/.package-lock.json ]; then
    log "installing prettier and @prettier/plugin-xml (npm)"
    if [ -f package-lock.json ]; then
        npm ci --no-audit --no-fund --loglevel=error
    else
        npm install --no-audit --no-fund --loglevel=error
    fi
fi

# Hooks call ruff, pylint, ... by name: find them next to $PYTHON first.
SCRIPTS="$("$PYTHON" -c 'import sysconfig; print(sysconfig.get_path("scripts"))')"
export PATH="$SCRIPTS:$PATH"

if [ "$#" -eq 0 ]; then
    set -- --all-files
elif [[ "$1" != -* ]]; then
    hook="$1"
    shift
    set -- "$hook" --all-files "$@"
fi
exec "$PYTHON" -m pre_commit run --show-diff-on-failure --color=auto "$@"
