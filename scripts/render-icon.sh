#!/usr/bin/env bash
# Renders docs/icon.svg (the source) to media/icon.png, the 128×128 Marketplace icon, with Chromium.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/system-packages.sh" browser
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
echo "<html><body style='margin:0'><img src='file://$ROOT/docs/icon.svg' width='128' height='128'></body></html>" > "$tmp/icon.html"
HOME="$tmp" "${CHROME_PATH:-chromium}" --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
  --default-background-color=00000000 --hide-scrollbars --window-size=128,128 --screenshot="$ROOT/media/icon.png" "$tmp/icon.html" 2>/dev/null
echo "media/icon.png written"
