#!/usr/bin/env bash
# Installs code-server 4.100.3 (VS Code 1.100.3, runs on Node 20) into .cache/code-server-4.100.3/
# for the offline VS Code tests. Idempotent: reused when the marker file and node-pty's native build
# exist. Works offline except for the npm registry (see /work/shared/vscode-offline-testing.md).
# Usage: bash scripts/install-code-server.sh [--force]     Prints the entry point path last.
set -euo pipefail

VERSION=4.100.3
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${CODE_SERVER_DIR:-$ROOT/.cache/code-server-$VERSION}"
MARKER="$DIR/.installed-$VERSION"
CS="$DIR/node_modules/code-server"
PTY="$CS/lib/vscode/node_modules/node-pty/build/Release/pty.node"
START=$(date +%s)

complete() { [[ -f "$MARKER" && -f "$PTY" && -f "$CS/out/node/entry.js" ]]; }

mkdir -p "$DIR"
# Two concurrent runs (test-all + demo) must not install into the same folder at once.
exec 9>"$DIR.lock"
flock 9

if [[ "${1:-}" != "--force" ]] && complete; then
  echo "code-server $VERSION already installed in $DIR ($(( $(date +%s) - START )) s)"
  echo "$CS/out/node/entry.js"
  exit 0
fi

node_major=$(node -p 'process.versions.node.split(".")[0]')
[[ "$node_major" == 20 ]] || { echo "code-server $VERSION needs Node 20, found $(node -v)" >&2; exit 1; }
command -v rg >/dev/null || { echo "ripgrep (rg) missing: apt-get install ripgrep" >&2; exit 1; }

echo "Installing code-server $VERSION into $DIR (about 1-2 minutes)…"
rm -rf "$DIR/node_modules" "$DIR/package.json" "$DIR/package-lock.json" "$MARKER"
WORK="$DIR/.tmp"; rm -rf "$WORK"; mkdir -p "$WORK"

# @vscode/ripgrep's postinstall downloads rg from GitHub (unreachable). It first looks in
# $TMPDIR/vscode-ripgrep-cache-<ver>/, so seed that with Debian's rg (same 13.0.0 release).
case "$(uname -m)" in
  x86_64) RG_TARGET=x86_64-unknown-linux-musl ;;
  aarch64|arm64) RG_TARGET=aarch64-unknown-linux-musl ;;
  *) echo "unsupported arch $(uname -m)" >&2; exit 1 ;;
esac
export TMPDIR="$WORK"
mkdir -p "$WORK/rgseed" "$WORK/vscode-ripgrep-cache-1.15.11"
cp "$(command -v rg)" "$WORK/rgseed/rg"
tar czf "$WORK/vscode-ripgrep-cache-1.15.11/ripgrep-v13.0.0-10-$RG_TARGET.tar.gz" -C "$WORK/rgseed" rg

# Native modules compile against local Node headers: nodejs.org is unreachable for a header download.
NODE_PREFIX="$(dirname "$(dirname "$(command -v node)")")"
if [[ -f "$NODE_PREFIX/include/node/node.h" ]]; then export npm_config_nodedir="$NODE_PREFIX"; fi

export npm_config_unsafe_perm=true                   # root: code-server's postinstall checks this env var
export npm_config_yes=true                           # postinstall runs `npx node-gyp`; ~/.npmrc may say yes=false
export npm_config_dangerously_allow_all_scripts=true # npm 11 blocks dependency install scripts otherwise
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false

cd "$DIR"
echo '{"name":"code-server-cache","private":true}' > package.json
npm install --no-save --foreground-scripts --loglevel=warn "code-server@$VERSION" > "$DIR/install.log" 2>&1 || {
  tail -n 60 "$DIR/install.log" >&2; echo "npm install failed, full log: $DIR/install.log" >&2; exit 1; }

[[ -f "$PTY" ]] || { tail -n 60 "$DIR/install.log" >&2
  echo "node-pty native build missing ($PTY): check libkrb5-dev/build-essential and install scripts" >&2; exit 1; }
# Smoke test; a throwaway HOME because even --version writes ~/.config/code-server/config.yaml.
v=$(env HOME="$WORK/home" XDG_CONFIG_HOME="$WORK/home/.config" XDG_DATA_HOME="$WORK/home/.local/share" \
  node "$CS/out/node/entry.js" --version 2>&1) || { echo "code-server --version failed: $v" >&2; exit 1; }
echo "code-server --version: ${v##*$'\n'}"
rm -rf "$WORK"
date -u +%FT%TZ > "$MARKER"
echo "code-server $VERSION installed in $(( $(date +%s) - START )) s"
echo "$CS/out/node/entry.js"
