#!/usr/bin/env bash
# Installs the real VS Codes the tests and the demo run in: code-server releases from npm, each in
# .cache/code-server-<version>/, on the Node major its engines require (the machine's Node 20 for
# 4.100.3; Node 24 from the npm package node-linux-<arch>, in .cache/node-<version>/, for 4.139.1).
# The versions come from scripts/vscode-versions.json. Idempotent: a complete install is reused.
# Installs the Debian packages it needs first (scripts/system-packages.sh). Works offline except
# for the npm registry and apt (see /work/shared/vscode-offline-testing.md).
# Usage: bash scripts/install-code-server.sh [<code-server version>|all] [--force]
#        Prints, last, one line per version: <vscode version> <node binary> <entry.js>.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VERSIONS_JSON="$ROOT/scripts/vscode-versions.json"
WANT=all FORCE=
for a in "$@"; do case "$a" in --force) FORCE=1 ;; *) WANT=$a ;; esac; done

bash "$ROOT/scripts/system-packages.sh" codeserver

# "<vscode> <codeServer> <node> <nodeMajor>" per line, from the one table.
mapfile -t ROWS < <(node -e '
  const t = require(process.argv[1]); const want = process.argv[2];
  const rows = t.versions.filter((v) => want === "all" || v.codeServer === want || v.vscode === want);
  if (!rows.length) { console.error(`no such version ${want}: ${t.versions.map((v) => v.codeServer).join(", ")}`); process.exit(2); }
  for (const v of rows) console.log([v.vscode, v.codeServer, v.node, v.nodeMajor].join(" "));' "$VERSIONS_JSON" "$WANT")

case "$(uname -m)" in
  x86_64) ARCH=x64 RG_TARGET=x86_64-unknown-linux-musl ;;
  aarch64|arm64) ARCH=arm64 RG_TARGET=aarch64-unknown-linux-musl ;;
  *) echo "unsupported arch $(uname -m)" >&2; exit 1 ;;
esac

export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false

# A Node binary of the given version from npm (node-linux-<arch>: the binary and its headers).
install_node() {
  local version=$1 dir="$ROOT/.cache/node-$1"
  local pkg="$dir/node_modules/node-linux-$ARCH"
  if [[ ! -x "$pkg/bin/node" || ! -f "$pkg/include/node/node.h" ]]; then
    echo "Installing Node $version (npm package node-linux-$ARCH) into $dir…" >&2
    rm -rf "$dir"; mkdir -p "$dir"
    echo '{"name":"node-cache","private":true}' > "$dir/package.json"
    (cd "$dir" && npm install --no-save --loglevel=warn "node-linux-$ARCH@$version" >&2)
  fi
  [[ "$("$pkg/bin/node" -v)" == "v$version" ]] || { echo "Node $version in $pkg does not run" >&2; exit 1; }
  echo "$pkg"
}

install_one() {
  local vscode=$1 version=$2 nodeVersion=$3 nodeMajor=$4
  local dir="$ROOT/.cache/code-server-$version"
  local marker="$dir/.installed-$version" cs="$dir/node_modules/code-server"
  local start=$SECONDS nodeBin nodeDir=
  if [[ "$nodeVersion" == system ]]; then
    nodeBin=$(command -v node)
    local major; major=$("$nodeBin" -p 'process.versions.node.split(".")[0]')
    [[ "$major" == "$nodeMajor" ]] || { echo "code-server $version needs Node $nodeMajor on PATH, found $("$nodeBin" -v)" >&2; exit 1; }
    local prefix; prefix="$(dirname "$(dirname "$nodeBin")")"
    [[ -f "$prefix/include/node/node.h" ]] && nodeDir=$prefix
  else
    nodeDir=$(install_node "$nodeVersion")
    nodeBin="$nodeDir/bin/node"
  fi
  # node-pty is the native module a terminal needs; 4.139 ships it prebuilt, 4.100 builds it.
  complete() { [[ -f "$marker" && -f "$cs/out/node/entry.js" ]] && find "$cs/lib/vscode/node_modules/node-pty" -name pty.node 2>/dev/null | grep -q .; }

  mkdir -p "$dir"
  # Two concurrent runs (npm test + demo) must not install into the same folder at once.
  exec 9>"$dir.lock"
  flock 9
  if [[ -z "$FORCE" ]] && complete; then
    echo "code-server $version (VS Code $vscode) already installed in $dir" >&2
    echo "$vscode $nodeBin $cs/out/node/entry.js"
    exec 9>&-
    return
  fi

  echo "Installing code-server $version (VS Code $vscode, Node $("$nodeBin" -v)) into $dir (1-3 minutes)…" >&2
  rm -rf "$dir/node_modules" "$dir/package.json" "$dir/package-lock.json" "$marker"
  local work="$dir/.tmp"; rm -rf "$work"; mkdir -p "$work/home"
  (
    # Under `npm test` the outer npm's npm_* variables (npm_config_user_agent naming Node 20,
    # npm_execpath, npm_node_execpath…) would override this install's own: code-server's
    # postinstall reads the Node version from npm_config_user_agent and refuses.
    while read -r v; do unset "$v"; done < <(compgen -e | grep -i '^npm_')
    export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
    export TMPDIR="$work"
    # @vscode/ripgrep's postinstall (4.100) downloads rg from GitHub (unreachable). It first looks in
    # $TMPDIR/vscode-ripgrep-cache-<ver>/, so seed that with Debian's rg (the same 13.0.0 release).
    # 4.139 uses @vscode/ripgrep-universal, which carries its binaries.
    mkdir -p "$work/rgseed" "$work/vscode-ripgrep-cache-1.15.11"
    cp "$(command -v rg)" "$work/rgseed/rg"
    tar czf "$work/vscode-ripgrep-cache-1.15.11/ripgrep-v13.0.0-10-$RG_TARGET.tar.gz" -C "$work/rgseed" rg
    # npm and every postinstall run under this release's Node, and native modules compile against
    # its headers (nodejs.org is unreachable for a header download; ~/.npmrc's nodedir is Node 20's).
    export PATH="$(dirname "$nodeBin"):$PATH"
    [[ -n "$nodeDir" ]] && export npm_config_nodedir="$nodeDir"
    export npm_config_unsafe_perm=true                   # root: code-server's postinstall checks this env var
    export npm_config_yes=true                           # postinstall runs `npx node-gyp`; ~/.npmrc may say yes=false
    export npm_config_dangerously_allow_all_scripts=true # npm 11 blocks dependency install scripts otherwise
    cd "$dir"
    echo '{"name":"code-server-cache","private":true}' > package.json
    npm install --no-save --foreground-scripts --loglevel=warn "code-server@$version" > "$dir/install.log" 2>&1 || {
      tail -n 60 "$dir/install.log" >&2; echo "npm install failed, full log: $dir/install.log" >&2; exit 1; }
  )
  complete_build() { find "$cs/lib/vscode/node_modules/node-pty" -name pty.node 2>/dev/null | grep -q .; }
  complete_build || { tail -n 60 "$dir/install.log" >&2
    echo "node-pty native module missing under $cs/lib/vscode/node_modules/node-pty: check libkrb5-dev/build-essential and install scripts" >&2; exit 1; }
  # Smoke test; a throwaway HOME because even --version writes ~/.config/code-server/config.yaml.
  local v
  v=$(env HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share" \
    "$nodeBin" "$cs/out/node/entry.js" --version 2>&1) || { echo "code-server --version failed: $v" >&2; exit 1; }
  echo "code-server --version: ${v##*$'\n'}" >&2
  rm -rf "$work"
  date -u +%FT%TZ > "$marker"
  echo "code-server $version installed in $((SECONDS - start)) s" >&2
  echo "$vscode $nodeBin $cs/out/node/entry.js"
  exec 9>&-
}

for row in "${ROWS[@]}"; do
  # shellcheck disable=SC2086
  install_one $row
done
