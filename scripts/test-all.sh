#!/usr/bin/env bash
# `npm test`: every test layer in order, fail fast, with the time per layer and a summary that says
# which layer failed. Artifacts (screenshots, logs, results JSON) land in test-results/.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

SUMMARY=()
START=$SECONDS
summary() {
  echo; echo "=== npm test summary ($((SECONDS - START)) s)"
  printf '  %s\n' "${SUMMARY[@]}"
}
layer() {
  local name=$1; shift
  local t0=$SECONDS
  echo; echo "=== [$name] $*"
  "$@"
  local rc=$?
  if [[ $rc -ne 0 ]]; then
    SUMMARY+=("FAIL  $name  ($((SECONDS - t0)) s, exit $rc)")
    summary
    echo "npm test: FAILED at layer '$name' (later layers not run)"
    exit 1
  fi
  SUMMARY+=("ok    $name  ($((SECONDS - t0)) s)")
}

# tsc never deletes outputs: a test whose .ts was removed or renamed would still run from out/.
prune_stale_out() {
  local f
  while IFS= read -r f; do
    local src="${f#out/}"
    [[ -f "${src%.js}.ts" ]] || rm -f "$f" "$f.map"
  done < <(find out -name '*.js' 2>/dev/null)
}

# Every Debian package a layer needs, installed up front (as root; otherwise the exact command is
# printed): a bare machine fails here, in one place, rather than halfway through.
layer system-packages bash scripts/system-packages.sh
layer build          npm run --silent build
layer compile        npm run --silent compile
prune_stale_out
layer lint           npm run --silent lint
layer layers         node scripts/check-layers.mjs
layer format         npm run --silent format:check
# `timeout` signals its whole process group, so node --test's per-file children go too.
layer unit           env AWSIDC_REQUIRE_PEERS=1 timeout -k 10 "${UNIT_TIMEOUT:-600}" node --test --test-concurrency=1 out/test/unit/
layer code-server    bash scripts/install-code-server.sh all
layer package        npm run --silent package
# Every layer that drives VS Code runs on each supported release (scripts/vscode-versions.json):
# the oldest (engines.vscode) and the newest. AWSIDC_VSCODE=1.139 npm test runs one only.
mapfile -t VERSIONS < <(node -p 'require("./scripts/vscode-versions.json").versions.map((v) => v.vscode).join("\n")')
for v in "${VERSIONS[@]}"; do
  [[ -n "${AWSIDC_VSCODE:-}" && "$v" != "$AWSIDC_VSCODE"* ]] && continue
  layer "vscode-tests $v" env AWSIDC_VSCODE="$v" node out/test/harness/runVscodeTests.js
  layer "e2e $v"          env AWSIDC_VSCODE="$v" node out/test/e2e/run.js
done
summary
echo "npm test: all layers passed"
