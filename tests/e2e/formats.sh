#!/bin/sh
# Every report format for every sample set: text fits 100 columns, JSON parses and has the
# schema's sections, CSV parses (RFC 4180), the Prometheus text parses, HTML is one page.
. tests/lib.sh

while read -r name expected files; do
	case "$name" in ''|'#'*) continue ;; esac
	for fmt in text json csv html prom; do
		# shellcheck disable=SC2086
		"$BIN" -q -f $fmt $files > "$T/$name.$fmt" 2>"$T/err"
		[ $? -eq 0 ] || { echo "not ok - $name: -f $fmt failed"; cat "$T/err"; _failed=1; }
	done
	ok "$name: text <= 100 columns" python3 -c 'import sys; sys.exit(max(map(len, open(sys.argv[1], encoding="utf-8").read().split("\n"))) > 100)' "$T/$name.text"
	ok "$name: JSON has the schema's sections" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
for k in ("schema", "input", "totals", "calls", "trying_to_final", "proxy_auth", "www_auth", "kpi",
          "breakdowns", "timeline", "problems", "scanners", "rules", "options", "run"):
    assert k in r, k
assert r["schema"] == "siplogscan.report/1"
' "$T/$name.json"
	ok "$name: CSV parses, four columns, counts agree with JSON" python3 -c '
import csv, json, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
assert rows[0] == ["table", "key", "field", "value"], rows[0]
assert all(len(r) == 4 for r in rows)
r = json.load(open(sys.argv[2]))
calls = [x for x in rows if x[:3] == ["totals", "calls", "total"]]
assert calls and int(calls[0][3]) == r["calls"]["total"], calls
' "$T/$name.csv" "$T/$name.json"
	ok "$name: Prometheus text parses, calls total agrees with JSON" python3 -c '
import json, re, sys
r = json.load(open(sys.argv[2]))
line = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (-?[0-9.eE+]+|NaN|[+-]Inf)$")
seen = {}
for l in open(sys.argv[1]):
    l = l.rstrip("\n")
    if not l or l.startswith("# HELP ") or l.startswith("# TYPE "):
        continue
    m = line.match(l)
    assert m, l
    seen[m.group(1) + (m.group(2) or "")] = float(m.group(3))
assert seen.get("siplogscan_calls_total") == r["calls"]["total"], seen.get("siplogscan_calls_total")
' "$T/$name.prom" "$T/$name.json"
	okc "$name: HTML is one whole page, nothing external" 'grep -q "</html>" "$T/$name.html" && ! grep -qE "https?://|<script" "$T/$name.html"'
done < samples/MANIFEST
finish
