#!/bin/sh
# The Prometheus output as Prometheus tools read it (README "Prometheus and CSV"): every
# sample set, with --label, passes the client's parser, promtool check metrics and the
# conventions (tests/prom_check.py: gauges only, the labels on every series); no _total,
# summary or log string appears; a bad --label is a usage error that says what is allowed;
# Debian's node_exporter reads the file, and the README's staleness alerts match the file
# label it exports. The install step of the README installs promtool (package prometheus)
# and node_exporter (prometheus-node-exporter): missing, the checks fail, none is skipped.
. tests/lib.sh

# the Python that has the Prometheus client (Debian's /usr/bin/python3 when another python3
# comes first in PATH)
PY=$(python3 -c 'import prometheus_client, sys; print(sys.executable)' 2>/dev/null)
[ -n "$PY" ] || PY=/usr/bin/python3
ok "python3-prometheus-client is installed (apt-get install -y python3-prometheus-client)" \
	"$PY" -c 'import prometheus_client'
ok "promtool is installed (apt-get install -y prometheus)" sh -c "command -v promtool >/dev/null"

# a label value with every character the format escapes, and one beyond ASCII
site=$(printf 'Z\303\274rich "HQ" \\ 2')
while read -r name expected files; do
	case "$name" in ''|'#'*) continue ;; esac
	# shellcheck disable=SC2086
	"$BIN" -q --label proxy=sbc1 --label "site=$site" -o "$T/$name.prom" -o "$T/$name.json" \
		$files 2>"$T/err"
	lrc=$?
	okc "$name: --label runs (exit status 0)" '[ "$lrc" -eq 0 ] && [ -s "$T/$name.prom" ]'
	ok "$name: parser, promtool, gauges only, proxy and site on every series, figures as JSON" \
		"$PY" tests/prom_check.py --label proxy=sbc1 --label "site=$site" "$T/$name.prom" \
		"$T/$name.json"
	okc "$name: no _total, summary, histogram or counter" \
		'! grep -Eq "^[a-z_]+_total[{ ]|^# TYPE [a-z_]+ (counter|summary|histogram)$|_(sum|count|bucket)[{ ]" "$T/$name.prom"'
done < samples/MANIFEST

# the labels change the Prometheus output only: the JSON report is the same without them
f=samples/kamailio/sipdump/*.data
# shellcheck disable=SC2086
"$BIN" -q -o "$T/plain.prom" -o "$T/plain.json" $f
# shellcheck disable=SC2086
"$BIN" -q --label proxy=sbc1 -o "$T/lab.prom" -o "$T/lab.json" $f
ok "--label: the JSON report is the same as without it (the run section apart)" "$PY" -c '
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
for r in (a, b):
    r.pop("run")
sys.exit(a != b)' "$T/plain.json" "$T/lab.json"
ok "--label: each sample line is the plain one with proxy=\"sbc1\" last" \
	"$PY" - "$T/plain.prom" "$T/lab.prom" <<'EOF'
import re, sys
def samples(path):
    return [l for l in open(path, encoding="utf-8").read().split("\n")
            if l and not l.startswith("#") and not l.startswith("siplogscan_run_duration_seconds")]
def labelled(m):
    return "%s{%s} " % (m.group(1), (m.group(2) + "," if m.group(2) else "") + 'proxy="sbc1"')
plain, got = samples(sys.argv[1]), samples(sys.argv[2])
want = [re.sub(r"^([a-z_]+)(?:\{(.*)\})? ", labelled, l) for l in plain]
sys.exit(not got or want != got)
EOF
okc "no string from the log is a label value: every label is siplogscan's or --label's" '
	! grep -v "^#" "$T/lab.prom" | sed -n "s/^[a-z_]*{\(.*\)} .*/\1/p" | tr , "\n" |
		grep -Ev "^(status|method|code|kind|result|kpi|stat|id|severity|table|version|proxy)=\"[A-Za-z0-9_.-]*\"$"'

# bad labels: usage errors (exit 2) that say what is allowed, before any scan or output
badlabel() { # badlabel DESCRIPTION ARG EXPECTED-TEXT
	rm -f "$T/bad.prom"
	run -q --label "$2" -o "$T/bad.prom" samples/kamailio/sipdump/*.data
	okc "--label $1: exit 2, says what is allowed, writes nothing" \
		'[ "$rc" -eq 2 ] && grep -qF -- "$3" "$T/err" && grep -q "^siplogscan: --label" "$T/err" && [ ! -e "$T/bad.prom" ] && [ ! -s "$T/out" ]'
}
badlabel "without =" proxy "expected KEY=VALUE"
badlabel "empty key" =x "KEY must match [a-zA-Z_][a-zA-Z0-9_]*"
badlabel "key starting with a digit" 1dc=x "KEY must match [a-zA-Z_][a-zA-Z0-9_]*"
badlabel "key with a dash" data-center=x "KEY must match [a-zA-Z_][a-zA-Z0-9_]*"
badlabel "key with a dot" a.b=x "KEY must match [a-zA-Z_][a-zA-Z0-9_]*"
badlabel "reserved __ key" __name__=x "KEY must not start with __"
badlabel "siplogscan's own label" kind=x "KEY must not be a label siplogscan writes"
badlabel "stat" stat=x "KEY must not be a label siplogscan writes"
badlabel "quantile" quantile=0.5 "nor quantile or le"
badlabel "le" le=1 "nor quantile or le"
badlabel "empty value" proxy= "VALUE must not be empty"
badlabel "value not UTF-8" "proxy=$(printf 'a\377b')" "VALUE must be UTF-8"
run -q --label proxy=a --label proxy=b -o "$T/bad.prom" samples/kamailio/sipdump/*.data
okc "--label: a key given twice: exit 2" '[ "$rc" -eq 2 ] && grep -q "KEY is given twice" "$T/err" && [ ! -e "$T/bad.prom" ]'
set --
for i in $(seq 17); do set -- "$@" --label "l$i=v"; done
run -q "$@" -o "$T/bad.prom" samples/kamailio/sipdump/*.data
okc "--label: 17 labels: exit 2, at most 16" '[ "$rc" -eq 2 ] && grep -q "at most 16" "$T/err"'
set --
for i in $(seq 16); do set -- "$@" --label "l$i=v$i"; done
run -q "$@" -o "$T/many.prom" samples/kamailio/sipdump/*.data
okc "--label: 16 labels are on every sample" '[ "$rc" -eq 0 ] &&
	[ "$(grep -c "l1=\"v1\",.*,l16=\"v16\"} " "$T/many.prom")" -gt 40 ] &&
	[ "$(grep -v "^#" "$T/many.prom" | grep -vc "l1=\"v1\",.*,l16=\"v16\"} ")" -eq 0 ]'
ok "--label: a value with = and } is kept whole" sh -c '
	"$1" -q --label "p=a=b}c" -f prom samples/kamailio/sipdump/*.data > "$2/eq.prom" &&
	grep -q "^siplogscan_records{p=\"a=b}c\"} 335$" "$2/eq.prom" &&
	"$3" tests/prom_check.py --label "p=a=b}c" "$2/eq.prom"' _ "$BIN" "$T" "$PY"

# ---- node_exporter reads the file as the README's cron jobs write it
NE=$(command -v prometheus-node-exporter || command -v node_exporter)
ok "node_exporter is installed (apt-get install -y prometheus-node-exporter)" [ -n "$NE" ]
[ -n "$NE" ] || finish
dir="$T/node-exporter"	# stands for /var/lib/prometheus/node-exporter
mkdir "$dir"
"$BIN" -q -o "$dir/siplogscan.prom" samples/kamailio/syslog-bsd/kamailio.log*
# shellcheck disable=SC2086
"$BIN" -q --label window=live -o "$dir/siplogscan-live.prom" $f
port=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$NE" --collector.disable-defaults --collector.textfile \
	--collector.textfile.directory="$dir" --web.listen-address="127.0.0.1:$port" \
	>"$T/ne.log" 2>&1 &
nepid=$!
trap 'kill "$nepid" 2>/dev/null; wait "$nepid" 2>/dev/null; rm -rf "$T"' EXIT
scrape() { # scrape FILE: node_exporter's /metrics, waiting up to 10 s for it to listen
	"$PY" - "http://127.0.0.1:$port/metrics" "$1" <<'EOF'
import sys, time, urllib.request
for _ in range(100):
    try:
        data = urllib.request.urlopen(sys.argv[1], timeout=5).read()
        break
    except OSError:
        time.sleep(0.1)
else:
    sys.exit("node_exporter did not answer")
open(sys.argv[2], "wb").write(data)
EOF
}
scrape "$T/m1"
okc "node_exporter answers and reads both files without an error" '[ -s "$T/m1" ] &&
	grep -qx "node_textfile_scrape_error 0" "$T/m1" &&
	! grep -q "collected before" "$T/ne.log"'
okc "node_exporter exports every series of the nightly file, the same values" '
	grep -v "^#" "$dir/siplogscan.prom" | sed "s/^\([a-z_]*\){\(.*\)} /\1 \2 /" | sort > "$T/want" &&
	grep "^siplogscan_" "$T/m1" | grep -v "window=" | sed "s/^\([a-z_]*\){\(.*\)} /\1 \2 /" |
		sort > "$T/got" &&
	[ "$(wc -l < "$T/want")" -gt 40 ] &&
	[ "$(wc -l < "$T/want")" -eq "$(wc -l < "$T/got")" ] &&
	grep -qx "siplogscan_records 260" "$T/m1"'
okc "node_exporter: the live file's series carry window=\"live\"" '
	grep -qx "siplogscan_records{window=\"live\"} 335" "$T/m1" &&
	[ "$(grep -c "^siplogscan_.*window=\"live\"" "$T/m1")" -eq "$(grep -vc "^#" "$dir/siplogscan-live.prom")" ]'
okc "node_exporter: every family a gauge there too" '
	[ "$(grep "^# TYPE siplogscan_" "$T/m1" | grep -vc " gauge$")" -eq 0 ]'

# the README's alerts on node_textfile_mtime_seconds: their file regexes (PromQL anchors them)
# match the label node_exporter exports, which is the full path in Debian 12's version
grep -o 'node_textfile_mtime_seconds{file=~"[^"]*"}' README.md | sed 's/.*=~"\(.*\)"}/\1/' > "$T/regexes"
okc "README: two staleness alerts on node_textfile_mtime_seconds{file=~...}" \
	'[ "$(wc -l < "$T/regexes")" -eq 2 ] && ! grep -q "node_textfile_mtime_seconds{file=\"" README.md'
ok "README's alerts match node_exporter's file labels, each its own file only, also a bare name" \
	"$PY" - "$T/regexes" "$T/m1" "$dir" <<'EOF'
import re, sys
regexes = open(sys.argv[1]).read().split("\n")[:2]
files = re.findall(r'^node_textfile_mtime_seconds\{file="([^"]*)"\} ', open(sys.argv[2]).read(), re.M)
d = sys.argv[3]
assert sorted(files) == [d + "/siplogscan-live.prom", d + "/siplogscan.prom"], files
nightly, live = regexes
for rx, mine in ((nightly, "siplogscan.prom"), (live, "siplogscan-live.prom")):
    hits = [f for f in files if re.fullmatch(rx, f)]
    assert hits == [d + "/" + mine], (rx, hits)
    # node_exporter before 1.3 wrote the bare file name
    assert re.fullmatch(rx, mine) and not re.fullmatch(rx, "other-" + mine), rx
EOF

# two files with the same series (the live job without its own label): node_exporter drops
# the second file's series, which is why the README gives that job window="live"
# shellcheck disable=SC2086
"$BIN" -q -o "$dir/siplogscan-live.prom" $f
scrape "$T/m2"
okc "the same series in two files: node_exporter reports them collected twice" \
	'grep -q "siplogscan_records.*was collected before with the same name and label values" "$T/ne.log"'
finish
