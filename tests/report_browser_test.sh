#!/usr/bin/env bash
# Opens the HTML report in headless Chromium: the page must load, render to a
# screenshot, and its DOM must carry the title, the tables and inline SVG
# charts. Skips (exit 77) where Chromium is not installed.
set -euo pipefail
cli=$1
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "SKIP: chromium is not installed"
  exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$cli" report zoo:alexnet zoo:mobilenet-v1 zoo:densenet121 --hw p100 -o "$work/report.html"
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --user-data-dir="$work/profile" --window-size=1280,2400)
timeout 120 "$browser" "${flags[@]}" --screenshot="$work/shot.png" "file://$work/report.html" >/dev/null 2>&1 || true
timeout 120 "$browser" "${flags[@]}" --dump-dom "file://$work/report.html" >"$work/dom.html" 2>/dev/null || true
fail() { echo "FAIL: $1"; exit 1; }
[ -s "$work/shot.png" ] || fail "no screenshot"
size=$(stat -c %s "$work/shot.png")
[ "$size" -gt 20000 ] || fail "screenshot is only $size bytes (blank page?)"
grep -q "<title>reuselens report: 3 networks on p100 (fp32)</title>" "$work/dom.html" || fail "title missing from DOM"
grep -q 'id="summary"' "$work/dom.html" || fail "summary table missing from DOM"
[ "$(grep -o '<table' "$work/dom.html" | wc -l)" -eq 4 ] || fail "expected 4 tables (summary + 3 networks)"
[ "$(grep -o '<svg' "$work/dom.html" | wc -l)" -eq 5 ] || fail "expected 5 inline SVG charts"
grep -q 'id="conventions"' "$work/dom.html" || fail "conventions missing"
[ -n "${REUSELENS_KEEP_SCREENSHOT:-}" ] && cp "$work/shot.png" "$REUSELENS_KEEP_SCREENSHOT"
echo "PASS: report rendered ($size-byte screenshot), DOM has title, 4 tables, 5 charts"
