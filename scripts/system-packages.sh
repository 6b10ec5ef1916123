#!/usr/bin/env bash
# Makes sure the Debian packages a documented command needs are installed, so `npm test`,
# `npm run demo` and `npm run bench` work on a bare Debian 12 machine. As root it installs what is
# missing (one line says which and why); otherwise it stops with the exact command to run.
# Usage: bash scripts/system-packages.sh <need>...   needs: codeserver (what code-server's install
# builds with), browser (the Chromium the tests drive), peers (the AWS CLI v2, boto3, the Go and
# Ruby SDKs, curl and openssl of the interop tests), proxy (the squid forward proxy of the network tests). No need given: all of them. Nothing is done when all are present.
set -euo pipefail

declare -A WHY=(
  [codeserver]="code-server's native modules (node-pty, kerberos, spdlog) and its ripgrep"
  [browser]="the Chromium that drives VS Code in the tests"
  [peers]="the AWS CLI v2, boto3, the Go SDK v2, the Ruby SDK, curl and openssl used as real peers in the interop tests"
  [proxy]="the squid forward proxy every AWS call goes through in the network tests"
)
# build-essential/pkg-config/python3 and the -dev headers: code-server's native modules (libkrb5-dev
# for kerberos, which fails without gssapi.h). ripgrep seeds @vscode/ripgrep for code-server
# 4.100.3 (its GitHub download is unreachable). chromium: what Playwright drives.
declare -A PKGS=(
  [codeserver]="build-essential pkg-config python3 libx11-dev libxkbfile-dev libsecret-1-dev libkrb5-dev ripgrep"
  [browser]="chromium"
  [peers]="awscli openssl curl python3-boto3 golang-go golang-github-aws-aws-sdk-go-v2-dev ruby ruby-aws-sdk-core"
  [proxy]="squid"
)

(($#)) || set -- codeserver browser peers proxy
wanted=() reasons=()
for need in "$@"; do
  [[ -n "${PKGS[$need]:-}" ]] || { echo "system-packages: unknown need '$need' (known: ${!PKGS[*]})" >&2; exit 2; }
  for p in ${PKGS[$need]}; do
    # A browser given by CHROME_PATH (Chrome on a laptop) replaces Debian's chromium.
    [[ "$p" == chromium && -n "${CHROME_PATH:-}" && -x "${CHROME_PATH}" ]] && continue
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || wanted+=("$p")
  done
  reasons+=("${WHY[$need]}")
done
((${#wanted[@]})) || exit 0
# Packages may repeat across needs.
mapfile -t missing < <(printf '%s\n' "${wanted[@]}" | awk '!seen[$0]++')

why=$(IFS=';'; echo "${reasons[*]}" | sed 's/;/; /g')
cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y ${missing[*]}"
if ! command -v apt-get >/dev/null; then
  echo "system-packages: missing ${missing[*]} ($why). This machine has no apt-get: install the equivalents, then run again." >&2
  exit 1
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "system-packages: missing ${missing[*]} ($why). Install them as root with:" >&2
  echo "  sudo sh -c '$cmd'" >&2
  echo "then run this command again." >&2
  exit 1
fi

echo "=== Installing Debian packages (as root, with apt-get) for $why: ${missing[*]}"
t=$SECONDS
# One installer at a time: a demo started next to `npm test` must not fight over dpkg's lock.
exec 8>/tmp/awsidc-system-packages.lock
flock 8
log=$(mktemp -t awsidc-apt.XXXXXX)
if ! { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"; } >"$log" 2>&1; then
  tail -n 30 "$log" >&2
  echo "system-packages: apt-get failed (full log $log). Command was: $cmd" >&2
  exit 1
fi
rm -f "$log"
echo "=== Debian packages installed in $((SECONDS - t)) s"
