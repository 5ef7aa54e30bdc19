#!/bin/sh
# The layout of the HTML report (no browser needed; tests/e2e/html.sh renders it in one): a
# table of contents whose every link has its section, the per-hour chart right after the KPI
# tiles, finer buckets for a short window (5 minutes under 6 h, 15 under a day), one chart per
# day for a window of several days, each KPI tile's change against --baseline and its
# --fail-on target, and still no script or outside resource.
. tests/lib.sh
PY=python3

# gen FILE SECONDS-APART N: N INVITEs from one source, answered 200 and 486 in turn
gen() {
	$PY - "$@" <<'PYEOF'
import sys
path, step, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
t = 1795525200  # 2026-11-24T13:00:00Z
out = []
for i in range(n):
    ts = t + i * step
    out.append("====================\ntag: rcv\ntime: %d.0\nsrcip: 192.0.2.9\n~~~~~~~~~~~~~~~~~~~~\n"
               "INVITE sip:1@pbx.example.net SIP/2.0\nCall-ID: a%d\nCSeq: 1 INVITE\n\n"
               "||||||||||||||||||||\n" % (ts, i))
    out.append("====================\ntag: rcv\ntime: %d.5\nsrcip: 192.0.2.1\n~~~~~~~~~~~~~~~~~~~~\n"
               "SIP/2.0 %d X\nCall-ID: a%d\nCSeq: 1 INVITE\n\n||||||||||||||||||||\n"
               % (ts, (200, 486)[i % 2], i))
open(path, "w").write("".join(out))
PYEOF
}
gen "$T/2h.log" 60 120		# 2 hours
gen "$T/12h.log" 600 72		# 12 hours
gen "$T/2d.log" 1800 96		# 48 hours: 2026-11-24 13:00 to 2026-11-26 12:30

run -q -f html "$T/2h.log"
cp "$T/out" "$T/2h.html"
okc "a table of contents, every link to a section of the page" '
	grep -q "<nav class=\"toc\"" "$T/2h.html" && (
	for id in $(grep -o "<nav class=\"toc\".*</nav>" "$T/2h.html" | grep -o "href=\"#[a-z0-9-]*\"" | sed "s/href=\"#//; s/\"//"); do
		grep -q "<section id=\"$id\">" "$T/2h.html" || exit 1
	done)'
okc "the contents list the KPIs, the timeline, the problems and the input" '
	grep -o "<nav class=\"toc\".*</nav>" "$T/2h.html" | grep -q "#kpis.*#hours.*#problems.*#input"'
okc "the per-hour section comes right after the KPI tiles" '
	[ "$(grep -o "<section id=\"[a-z-]*\"" "$T/2h.html" | sed -n "1,2p" | tr -d "\n")" = "<section id=\"kpis\"<section id=\"hours\"" ]'
okc "a 2-hour window is drawn per 5 minutes (24 buckets)" '
	grep -q "<h3>Per 5 minutes</h3>" "$T/2h.html" &&
	[ "$(grep -c "^<g><title>2026-11-24 1[34]:[0-9][0-9] to [0-9:]* UTC: " "$T/2h.html")" -eq 24 ]'
run -q -f html "$T/12h.log"
okc "a 12-hour window is drawn per 15 minutes (48 buckets)" '
	grep -q "<h3>Per 15 minutes</h3>" "$T/out" &&
	[ "$(grep -c "^<g><title>2026-11-2[45] [0-9:]* to [0-9:]* UTC: " "$T/out")" -eq 48 ]'
run -q -f html "$T/2d.log"
okc "a window over 3 days: one chart per day, 24 hours each" '
	[ "$(grep -c "^<h3 id=\"day-2026-11-2[456]\">" "$T/out")" -eq 3 ] &&
	[ "$(grep -c "aria-label=\"calls, failed calls and challenges per hour\"" "$T/out")" -eq 3 ] &&
	[ "$(grep -c "^<g><title>2026-11-2[456] [0-9:]* UTC: " "$T/out")" -eq 72 ]'
okc "and the per-hour table has every hour with attempts" '
	[ "$(grep -c "^<tr><td class=\"mono\">2026-11-2[456]T[0-9]*:00</td>" "$T/out")" -eq 48 ]'
gen "$T/25h.log" 300 300		# 300 five-minute buckets: more than the model keeps (a day)
run -q -f html "$T/25h.log"
okc "more 5-minute buckets than a day holds: drawn per hour, per day" '
	[ "$(grep -c "^<h3 id=\"day-2026-11-2[45]\">" "$T/out")" -eq 2 ] && ! grep -q "<h3>Per [0-9]* minutes" "$T/out"'

# KPI tiles: change against the baseline, the --fail-on target
$BIN -q -f json -o "$T/base.json" "$T/12h.log" 2>/dev/null
run -q -f html --baseline "$T/base.json" --fail-on 'ser<95,change:kpi.asr<-50,isa>90' "$T/2d.log"
okc "with --baseline: the SER tile shows its change since the baseline" '
	grep -o "<div class=\"k\">SER</div>.*" "$T/out" | head -1 | grep -q "<div class=\"t[a-z ]*\">[-+][0-9.]* pp since the baseline</div>\|<div class=\"t\">no change since the baseline</div>"'
okc "the SER tile shows its --fail-on target, which holds" '
	grep -o "<div class=\"k\">SER</div>.*" "$T/out" | head -1 | grep -q "target ser&lt;95: <span class=\"badge s5\">holds</span>"'
okc "the ASR tile shows a change: rule on it, which does not hold" '
	grep -o "<div class=\"k\">ASR</div>.*" "$T/out" | head -1 | grep -q "target change:kpi.asr&lt;-50: ok"'
okc "a tile without a rule shows none" '
	! grep -o "<div class=\"k\">NER</div>.*" "$T/out" | head -1 | grep -q "target"'
okc "still no script, no outside resource" '
	! grep -qiE "<script|<img|<link|<iframe|https?://" "$T/out"'
run -q -f html "$T/2d.log"
okc "without --baseline or --fail-on: no change and no target in the tiles" '
	! grep -q "since the baseline\|target " "$T/out"'
finish
