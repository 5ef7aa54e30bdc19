#!/bin/sh
# Every report format for every sample set: text fits 100 columns, JSON parses and has the
# schema's sections, CSV parses (RFC 4180), the Prometheus text passes the Prometheus client's
# parser and the naming conventions (tests/prom_check.py), HTML is one page.
. tests/lib.sh

# the Python that has the Prometheus client (Debian's /usr/bin/python3 when another python3
# comes first in PATH)
PY=$(python3 -c 'import prometheus_client, sys; print(sys.executable)' 2>/dev/null)
[ -n "$PY" ] || PY=/usr/bin/python3
if ! "$PY" -c 'import prometheus_client' 2>/dev/null; then
	ok "python3-prometheus-client is installed (apt-get install -y python3-prometheus-client)" false
	finish
fi

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
for k in ("schema", "input", "totals", "calls", "registrations", "options_pings",
          "other_transactions", "call_ids", "trying_to_final", "proxy_auth", "www_auth", "kpi",
          "breakdowns", "timeline", "problems", "scanners", "rules", "options", "run"):
    assert k in r, k
assert "by_next_hop" in r["breakdowns"]
assert r["schema"] == "siplogscan.report/2"
' "$T/$name.json"
	ok "$name: CSV parses, four columns, counts agree with JSON" python3 -c '
import csv, json, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
assert rows[0] == ["table", "key", "field", "value"], rows[0]
assert all(len(r) == 4 for r in rows)
r = json.load(open(sys.argv[2]))
calls = [x for x in rows if x[:3] == ["totals", "calls", "total"]]
if r["calls"] is None:  # not in the log: the row is there, empty
    assert calls and calls[0][3] == "", calls
else:
    assert calls and int(calls[0][3]) == r["calls"]["total"], calls
' "$T/$name.csv" "$T/$name.json"
	ok "$name: Prometheus text passes the client parser and the naming conventions, figures agree with JSON" \
		"$PY" tests/prom_check.py "$T/$name.prom" "$T/$name.json"
	okc "$name: HTML is one whole page, nothing external" 'grep -q "</html>" "$T/$name.html" && ! grep -qE "https?://|<script" "$T/$name.html"'
done < samples/MANIFEST

# the Prometheus checker itself rejects what breaks the format or its conventions
"$BIN" -q -f prom samples/kamailio/sipdump/*.data > "$T/good.prom"
ok "prom_check: a real report passes" "$PY" tests/prom_check.py "$T/good.prom"
mutate() { # mutate NAME SED-SCRIPT: a broken copy of good.prom must be rejected
	sed "$2" "$T/good.prom" > "$T/bad-$1.prom"
	"$PY" tests/prom_check.py "$T/bad-$1.prom" > "$T/bad-$1.out" 2>&1
	mrc=$? mout="$T/bad-$1.out"
	okc "prom_check rejects: $1" '[ "$mrc" -eq 1 ] && [ -s "$mout" ]'
}
# every figure is of one run's input: a gauge, never a counter or a summary (README)
mutate "a counter" '/TYPE siplogscan_calls /s/gauge/counter/'
mutate "a gauge named _total" 's/siplogscan_calls /siplogscan_calls_total /'
mutate "a summary" '/TYPE siplogscan_trying_final_delay_seconds /s/gauge/summary/'
mutate "a quantile label on a gauge" 's/stat="p50"/quantile="0.5"/'
mutate "percentiles not increasing" 's/^\(siplogscan_trying_final_delay_seconds{stat="p50"}\) .*/\1 999/'
mutate "a label that is not siplogscan's" 's/^siplogscan_calls /siplogscan_calls{src="10.0.0.1"} /'
mutate "a repeated sample" '/^siplogscan_calls /p'
mutate "a sample before its TYPE" '/TYPE siplogscan_records /d'
mutate "milliseconds" 's/siplogscan_acd_seconds/siplogscan_acd_ms/g'
mutate "a malformed line" 's/^siplogscan_calls \(.*\)/siplogscan_calls{x="1"} \1 extra/'
mutate "a ratio above 1" 's/^\(siplogscan_kpi_ratio{kpi="ser"}\) .*/\1 1.5/'
mutate "no HELP (promtool)" '/HELP siplogscan_records /d'
finish
