#!/usr/bin/env bash
# Install the system packages opsbook needs on Debian 12 (bookworm).
#
#   fonts-noto-cjk   Noto Sans/Serif CJK, Regular + Bold (matplotlib, Chromium, Typst)
#   fonts-liberation Latin fallback fonts Chromium normally pulls in as a Recommends
#   fontconfig       fc-list / fc-cache
#   chromium         headless browser for Playwright (executable_path=/usr/bin/chromium)
#   poppler-utils    pdftotext, pdffonts, pdfinfo, pdftoppm
#   postgresql       server (+ client) for DB tests
#   git
#   ShellCheck       actionlint uses it to check the shell in workflow run: steps
#   nodejs, npm      only if `node` / `npm` are not already on PATH
#
# Then: drops stale matplotlib font caches (those that predate the CJK fonts) and
# installs yaml-language-server and axe-core (the accessibility checker the browser tests
# inject into Chromium) project-locally into .tools/node (see below).
#
# Idempotent: when everything is present it makes no network calls and takes ~1 s.
#
# Environment knobs:
#   OPSBOOK_YLS=local|global|skip   how to install yaml-language-server (default: local)
#   OPSBOOK_NODE_PREFIX=DIR         npm --prefix for local mode (default: <repo>/.tools/node)
#   OPSBOOK_YLS_VERSION=X.Y.Z       pinned version (default below; 2.x needs Node >= 22.13)
#   OPSBOOK_AXE_VERSION=X.Y.Z       pinned axe-core version (always installed into .tools/node)
#   OPSBOOK_FORCE_APT_UPDATE=1      run apt-get update even if nothing is missing
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
YLS_MODE="${OPSBOOK_YLS:-local}"
YLS_VERSION="${OPSBOOK_YLS_VERSION:-1.25.0}"
NODE_PREFIX="${OPSBOOK_NODE_PREFIX:-$REPO_ROOT/.tools/node}"
AXE_VERSION="${OPSBOOK_AXE_VERSION:-4.11.0}"
AXE_PREFIX="$REPO_ROOT/.tools/node"

log() { printf '[install-system-packages] %s\n' "$*" >&2; }

# npm_local NAME VERSION PREFIX: the exact version of an npm package under PREFIX (npm
# --prefix: no root needed, nothing written to /usr), unless it is there already.
npm_local() {
  local name="$1" version="$2" prefix="$3" have=""
  local manifest="$prefix/node_modules/$name/package.json"
  [ -f "$manifest" ] && have="$(node -p "require(process.argv[1]).version" "$manifest" 2>/dev/null || true)"
  if [ "$have" = "$version" ]; then
    log "$name $have already in $prefix"
    return
  fi
  log "npm install --prefix $prefix $name@$version"
  mkdir -p "$prefix"
  npm install --prefix "$prefix" --save-exact --no-audit --no-fund --loglevel=error "$name@$version"
}

# --- privilege ---------------------------------------------------------------
SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
  else
    log "not root and sudo is not available"; exit 1
  fi
fi
as_root() { "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive "$@"; }

# --- apt packages ------------------------------------------------------------
PKGS=(fonts-noto-cjk fonts-liberation fontconfig chromium poppler-utils postgresql git shellcheck)
command -v node >/dev/null 2>&1 || PKGS+=(nodejs)
command -v npm  >/dev/null 2>&1 || PKGS+=(npm)

is_installed() {
  [ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null || true)" = "ii " ]
}

MISSING=()
for p in "${PKGS[@]}"; do
  is_installed "$p" || MISSING+=("$p")
done

if [ "${#MISSING[@]}" -gt 0 ] || [ "${OPSBOOK_FORCE_APT_UPDATE:-0}" = 1 ]; then
  log "apt-get update"
  as_root apt-get -q -o Acquire::Retries=3 update
fi
if [ "${#MISSING[@]}" -gt 0 ]; then
  log "apt-get install: ${MISSING[*]}"
  # --no-install-recommends is fine for all of these: Chromium's useful
  # Recommends (fonts-liberation) are listed explicitly above; headless
  # rendering with --disable-gpu needs no mesa/udev/upower.
  as_root apt-get -q -y -o Acquire::Retries=3 -o Dpkg::Options::=--force-confold \
    install --no-install-recommends "${MISSING[@]}"
else
  log "apt packages already installed: ${PKGS[*]}"
fi

# --- fonts: fontconfig + matplotlib caches -----------------------------------
# (no `fc-list | grep -q` here: with pipefail, grep -q closing early makes the pipe fail)
if [ -z "$(fc-list 'Noto Sans CJK SC' family 2>/dev/null)" ]; then
  log "refreshing fontconfig cache"
  as_root fc-cache -f >/dev/null
fi

# matplotlib caches its font list in fontlist-vNNN.json and never rescans on its
# own. Delete every cache that does not know the CJK fonts yet; matplotlib
# rebuilds it (a few seconds) on next import. Once rebuilt, it is left alone.
mpl_dirs=()
[ -n "${MPLCONFIGDIR:-}" ] && mpl_dirs+=("$MPLCONFIGDIR")
mpl_dirs+=("${XDG_CACHE_HOME:-$HOME/.cache}/matplotlib" "$HOME/.matplotlib")
if [ -n "${SUDO_USER:-}" ] && [ "$SUDO_USER" != root ]; then
  user_home="$(getent passwd "$SUDO_USER" | cut -d: -f6 || true)"
  [ -n "$user_home" ] && mpl_dirs+=("$user_home/.cache/matplotlib")
fi
for d in "${mpl_dirs[@]}"; do
  for f in "$d"/fontlist-*.json; do
    [ -e "$f" ] || continue
    if ! grep -q 'Noto Sans CJK' "$f"; then
      log "removing stale matplotlib font cache $f"
      rm -f -- "$f"
    fi
  done
done

# --- yaml-language-server ----------------------------------------------------
# Default is a project-local install (npm --prefix): no root/sudo needed for npm,
# nothing written to /usr, exact version pinned, and it can't clash with another
# project's global copy. Binary: $NODE_PREFIX/node_modules/.bin/yaml-language-server
case "$YLS_MODE" in
  local)
    npm_local yaml-language-server "$YLS_VERSION" "$NODE_PREFIX"
    ;;
  global)
    if command -v yaml-language-server >/dev/null 2>&1; then
      log "yaml-language-server already on PATH: $(command -v yaml-language-server)"
    else
      log "npm install -g yaml-language-server@$YLS_VERSION"
      "${SUDO[@]}" npm install -g --no-audit --no-fund --loglevel=error \
        "yaml-language-server@$YLS_VERSION"
    fi
    ;;
  skip) ;;
  *) log "OPSBOOK_YLS must be local, global or skip"; exit 2 ;;
esac

# --- axe-core ------------------------------------------------------------------
# The browser tests read $AXE_PREFIX/node_modules/axe-core/axe.min.js and inject it into the
# pages (no CDN); a plain JS file, so it does not depend on the Node version.
npm_local axe-core "$AXE_VERSION" "$AXE_PREFIX"

log "done"
