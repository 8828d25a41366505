#!/usr/bin/env bash
# Build one wheel per addon into dist/ (git-ignored), OCA style: each addon has
# a pyproject.toml using the `whool` build backend, which takes the package
# name (odoo-addon-<addon>), version and dependencies from __manifest__.py.
#
#   bash setup/build_wheels.sh            # every addon
#   bash setup/build_wheels.sh ADDON...   # some of them
#   pip install dist/*.whl                # then: odoo -i complaint_management,...
#
# whool packages the files git knows about (tracked or staged): commit or
# `git add` new files first, or they are left out of the wheel. The version is
# the manifest's, plus ".N" when there are commits (or uncommitted changes)
# in the addon since the manifest version last changed.
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
DIST="${DIST:-$ROOT/dist}"
cd "$ROOT"

log() { printf '[wheels] %s\n' "$*" >&2; }

if [ "$#" -gt 0 ]; then
    addons=("$@")
else
    addons=()
    for manifest in */__manifest__.py; do
        addon="${manifest%/__manifest__.py}"
        [ -f "$addon/pyproject.toml" ] && addons+=("$addon")
    done
fi
if [ "${#addons[@]}" -eq 0 ]; then
    log "no addon with a pyproject.toml found"
    exit 1
fi

# Build in this Python (no isolated build env to download): whool and wheel.
if ! "$PYTHON" -c 'import whool.buildapi, wheel' 2>/dev/null; then
    log "installing whool (build backend)"
    "$PYTHON" -m pip install -q "whool>=1.3" wheel
fi

if ! git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    log "not a git checkout: whool needs git to list the addon files"
    exit 1
fi

mkdir -p "$DIST"
status=0
for addon in "${addons[@]}"; do
    addon="${addon%/}"
    untracked="$(git ls-files --others --exclude-standard -- "$addon")"
    if [ -n "$untracked" ]; then
        log "WARNING: $addon: files unknown to git are NOT in the wheel:"
        printf '    %s\n' $untracked >&2
    fi
    # drop older wheels of this addon so that dist/*.whl has one per addon
    rm -f "$DIST"/odoo_addon_"${addon}"-*.whl
    log "building $addon"
    if ! "$PYTHON" -m pip wheel -q --no-deps --no-build-isolation \
        --wheel-dir "$DIST" "./$addon"; then
        log "FAILED: $addon"
        status=1
    fi
done
ls -1 "$DIST"/*.whl 2>/dev/null || true
exit "$status"
