#!/usr/bin/env bash
# The developer entry point: the README's two commands and CI all come through here.
#
#   bash scripts/dev.sh site    set everything up, then build the knowledge base into build/site/
#   bash scripts/dev.sh test    set everything up, then lint and run the whole test suite
#   bash scripts/dev.sh setup   only set up: system packages, .venv, Python packages
#
# Setup is idempotent: a second run checks what is there and installs nothing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${OPSBOOK_VENV:-$ROOT/.venv}"
cd "$ROOT"

log() { printf '[dev] %s\n' "$*" >&2; }

setup() {
  bash scripts/install-system-packages.sh
  if [ ! -x "$VENV/bin/python" ]; then
    log "creating $VENV"
    python3 -m venv "$VENV"
  fi
  local stamp="$VENV/.opsbook-installed"
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    log "installing opsbook and its test tools into $VENV"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
    "$VENV/bin/python" -m pip install --quiet -e ".[test]"
    touch "$stamp"
  fi
}

site() {
  setup
  "$VENV/bin/opsbook" build
}

run_tests() {
  setup
  log "ruff"
  "$VENV/bin/ruff" check .
  "$VENV/bin/ruff" format --check .
  log "pytest"
  "$VENV/bin/python" -m pytest -n "${OPSBOOK_TEST_WORKERS:-2}" "$@"
}

case "${1:-}" in
  setup) setup ;;
  site) site ;;
  test) shift; run_tests "$@" ;;
  *) echo "usage: bash scripts/dev.sh {site|test|setup}" >&2; exit 2 ;;
esac
