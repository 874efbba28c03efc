#!/usr/bin/env bash
# Renders the built benchmark page in headless Chromium and checks that every plot loaded (naturalWidth > 0).
# Needs: apt-get install -y chromium; the site built first (see README, "Documentation site").
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
page="$root/site/target/site/benchmarks.html"
[ -f "$page" ] || { echo "build the site first: mvn -q -B -pl site package" >&2; exit 2; }
browser="$(command -v chromium || command -v chromium-browser || true)"
[ -n "$browser" ] || { echo "needs chromium (apt-get install -y chromium)" >&2; exit 2; }
# Same directory as the page, so img/ resolves; the script writes the count of loaded plots into the DOM.
probe="$root/site/target/site/.probe.html"
sed 's#</main>#</main><script>window.onload=function(){var i=[].slice.call(document.images);document.title="plots:"+i.filter(function(x){return x.complete\&\&x.naturalWidth>0}).length+"/"+i.length;}</script>#' "$page" > "$probe"
dom="$("$browser" --headless --no-sandbox --disable-gpu --virtual-time-budget=5000 --dump-dom "file://$probe" 2>/dev/null)"
rm -f "$probe"
title="$(echo "$dom" | grep -o '<title>plots:[0-9]*/[0-9]*</title>' | sed 's/<[^>]*>//g')"
echo "benchmark page: $title"
loaded="${title#plots:}"; ok="${loaded%/*}"; all="${loaded#*/}"
[ -n "$all" ] && [ "$all" -gt 0 ] && [ "$ok" = "$all" ]
