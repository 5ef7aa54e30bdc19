#!/bin/sh
# Bounded memory, said out loud. The tables keyed by the log keep their heaviest keys: 2^20
# spoofed one-off source addresses, each with one INVITE challenged 407 and never retried,
# sent *first*, cannot keep a real scanner that comes after them out of the report, and every
# format says what was left out. --max-calls settles the least recently active calls early,
# the report counts them in every format, and the other figures stay those of a run without
# the cap. A bad --max-calls is a usage error. The report stays valid and the same for any -j.
. tests/lib.sh

# python3 on PATH, else Debian's, whichever has jsonschema and the Prometheus client
PY=$(python3 -c 'import jsonschema, prometheus_client, sys; print(sys.executable)' 2>/dev/null)
[ -n "$PY" ] || PY=/usr/bin/python3
if ! "$PY" -c 'import jsonschema, prometheus_client' 2>/dev/null; then
	ok "python3-jsonschema and python3-prometheus-client are installed" false
	finish
fi

# valid FILE: the JSON report is valid against docs/report.schema.json (errors shown)
valid() {
	"$PY" tests/schema_check.py docs/report.schema.json "$1" >"$T/valid.out" 2>&1 && return 0
	head -20 "$T/valid.out" | sed 's/^/# /'
	return 1
}

# flood N: N one-off sources 10.x.y.z (one INVITE each, challenged, never retried, 6.866 ms
# apart so that calls settle as they go), then 200 such INVITEs from 203.0.113.66
flood() {
	awk -v n="$1" 'BEGIN {
		for (i = 0; i < n + 200; i++) {
			us = i * 6866; s = int(us / 1000000); u = us % 1000000
			t = sprintf("2026-11-24T%02d:%02d:%02d.%06dZ", 13 + int(s / 3600), int(s / 60) % 60,
				    s % 60, u)
			if (i < n) {
				cid = "f" i
				src = sprintf("10.%d.%d.%d", int(i / 65536), int(i / 256) % 256, i % 256)
			} else {
				cid = "scan" (i - n)
				src = "203.0.113.66"
			}
			printf "%s siplog: req=INVITE cseq=1 INVITE callid=%s src=udp:%s:5060 auth=no ua=P\n", t, cid, src
			printf "%s siplog: rpl=407 cseq=1 INVITE callid=%s src=udp:192.0.2.1:5060\n", t, cid
		}
	}'
}

# 2^20 sources, as many as the old first-come table held; under the sanitizers (tests/run.sh
# sets ASAN_OPTIONS for them) 2^17, still twice the 65,536 a table keeps, to bound the time
n=1048576
[ -n "${ASAN_OPTIONS:-}" ] && n=131072
flood "$n" >"$T/flood.log"
# one run, every format; its exit status and peak RSS (KiB)
set -- $("$PY" -c 'import resource, subprocess, sys
rc = subprocess.run(sys.argv[1:]).returncode
print(rc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$BIN" -q -j2 \
	-o "$T/flood.json" -o "$T/flood.txt" -o "$T/flood.html" -o "$T/flood.prom" \
	-o "$T/flood.csv" "$T/flood.log")
rc=${1:-1}
kib=${2:-0}
ok "$n spoofed sources, then a scanner: exit 0" [ "$rc" -eq 0 ]
# (the first-come table held all 2^20 sources: about 900 MB; peak RSS under AddressSanitizer
# measures the sanitizer, not the program)
okc "flood: peak RSS $((kib / 1024)) MiB < 128 MiB" '[ -n "${ASAN_OPTIONS:-}" ] || [ "$kib" -lt 131072 ]'
ok "flood: the JSON report is valid" valid "$T/flood.json"
ok "flood: the scanner after $n one-off sources is listed under auth-scanner, 200 of 200" \
	"$PY" -c '
import json, sys
r = json.load(open(sys.argv[1]))
s = r["scanners"]
assert len(s) == 1 and s[0]["address"] == "203.0.113.66", s
assert s[0]["calls"] == 200 and s[0]["unanswered_challenges"] == 200, s
p = [x for x in r["problems"] if x["id"] == "auth-scanner"]
assert p and p[0]["count"] == 200 and p[0]["examples"][0]["call_id"] == "scan0", p
' "$T/flood.json"
ok "flood: the left-out counts add up (sources table full, calls of evicted sources said)" \
	"$PY" -c '
import json, sys
r, n = json.load(open(sys.argv[1])), int(sys.argv[2])
assert r["calls"]["total"] == n + 200, r["calls"]
src = r["scanner_sources"]
assert src["keys"] == 65536 and n - 65536 <= src["unlisted"] <= n, src
b = r["breakdowns"]["by_source"]
assert b["keys"] == 16384 and b["unlisted"] >= n - 16384, (b["keys"], b["unlisted"])
assert b["rows"][0]["key"] == "203.0.113.66" and b["rows"][0]["attempts"] == 200, b["rows"][0]
ua = r["breakdowns"]["by_user_agent"]
assert ua["unlisted"] == 0 and ua["rows"][0]["attempts"] == n + 200, ua
assert r["timeline_unlisted"] == 0 and sum(h["calls"] for h in r["timeline"]) == n + 200
' "$T/flood.json" "$n"
unlisted=$(jq_get "$T/flood.json" 'r["scanner_sources"]["unlisted"]')
shown=$(jq_get "$T/flood.json" '"{:,}".format(r["scanner_sources"]["unlisted"])')
okc "flood text: a Limits line with the calls of evicted sources, within 100 columns" '
	grep -Eq "^  auth-scanner sources +$shown  calls of evicted sources \(65,536 kept\)$" "$T/flood.txt" &&
	grep -q "source 203.0.113.66: 200 calls, 200 unanswered challenges" "$T/flood.txt" &&
	[ "$(awk "{ if (length > m) m = length } END { print m }" "$T/flood.txt")" -le 100 ]'
okc "flood HTML: a Limits section and the scanner" 'grep -q "<section id=\"limits\">" "$T/flood.html" &&
	grep -q "auth-scanner sources" "$T/flood.html" && grep -q "203.0.113.66" "$T/flood.html"'
ok "flood Prometheus: valid, named well, and agrees with the JSON report" "$PY" \
	tests/prom_check.py "$T/flood.prom" "$T/flood.json"
okc "flood Prometheus and CSV: the left-out calls" '
	grep -qx "siplogscan_unlisted{table=\"scanner_sources\"} $unlisted" "$T/flood.prom" &&
	grep -q "^\"limits\",\"scanner_sources\",\"unlisted\",\"$unlisted\"" "$T/flood.csv"'

# the same report for any -j and block size (2^17 sources: the tables still overflow; under
# the sanitizers that is the flood above, whose -j2 report is at hand)
small="$T/flood.log"
if [ "$n" -eq 131072 ]; then
	grep -v '^  "run": ' "$T/flood.json" >"$T/j2.json"
else
	small="$T/small.log"
	flood 131072 >"$small"
	"$BIN" -q -f json -j2 "$small" | grep -v '^  "run": ' >"$T/j2.json"
fi
"$BIN" -q -f json -j1 --block-size 64K "$small" | grep -v '^  "run": ' >"$T/j1.json"
okc "overflowing tables: the same report with -j2 and -j1 --block-size 64K" '
	cmp -s "$T/j1.json" "$T/j2.json" && grep -q "\"unlisted\": [1-9]" "$T/j1.json"'

# --max-calls: 5000 calls at once (an INVITE and its 407 each, all within 10 s)
awk 'BEGIN {
	for (i = 0; i < 5000; i++) {
		us = i * 2000; t = sprintf("2026-11-24T13:00:%02d.%06dZ", int(us / 1000000), us % 1000000)
		printf "%s siplog: req=INVITE cseq=1 INVITE callid=c%d src=udp:10.0.%d.%d:5060 auth=no ua=P\n", t, i, int(i / 256), i % 256
		printf "%s siplog: rpl=407 cseq=1 INVITE callid=c%d src=udp:192.0.2.1:5060\n", t, i
	}
}' >"$T/conc.log"
run -q -f json "$T/conc.log"
cp "$T/out" "$T/free.json"
run -q --max-calls 1000 -o "$T/cap.json" -o "$T/cap.txt" -o "$T/cap.prom" -o "$T/cap.csv" \
	--calls-csv "$T/cap-calls.csv" "$T/conc.log"
ok "--max-calls 1000 on 5000 calls at once: exit 0" [ "$rc" -eq 0 ]
ok "--max-calls: the JSON report is valid" valid "$T/cap.json"
ok "--max-calls: 4000 settled early, 500 open at most, the rest as without the cap" \
	"$PY" -c '
import json, sys
cap, free = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
c = cap["call_ids"]
# 500 calls a second, each open for an instant: the peak counts open calls, not held ones
assert c["settled_early"] == 4000 and c["peak_in_flight"] == 500, c
assert c["settled_idle"] + c["settled_early"] + c["open_at_end"] == c["total"], c
assert free["call_ids"]["settled_early"] == 0 and free["options"]["max_calls"] == 1000000
assert cap["options"]["max_calls"] == 1000, cap["options"]
for k in ("totals", "trying_to_final", "proxy_auth", "www_auth", "kpi", "problems",
          "scanners", "breakdowns", "timeline"):
    assert cap[k] == free[k], k
for k in ("calls", "registrations", "options_pings", "other_transactions"):
    assert cap[k] == free[k], k
assert cap["call_ids"]["total"] == free["call_ids"]["total"]
' "$T/cap.json" "$T/free.json"
okc "--max-calls text, Prometheus, CSV: the Call-IDs settled early" '
	grep -Eq "^  settled early +4,000  least recently active Call-IDs \(--max-calls 1,000\)$" "$T/cap.txt" &&
	grep -qx "siplogscan_calls_settled_early 4000" "$T/cap.prom" &&
	grep -q "^\"totals\",\"call_ids\",\"settled_early\",\"4000\"" "$T/cap.csv"'
ok "--max-calls Prometheus: valid, named well" "$PY" tests/prom_check.py "$T/cap.prom" "$T/cap.json"
okc "--calls-csv: 4000 rows settled \"limit\", 1000 \"end\"" '
	[ "$(grep -c ",\"limit\"" "$T/cap-calls.csv")" -eq 4000 ] &&
	[ "$(grep -c ",\"end\"" "$T/cap-calls.csv")" -eq 1000 ]'
# a Call-ID settled early that comes back is a new record: 2000 INVITEs first, then their
# 407s, with room for 1000: every Call-ID is counted twice, and the report says why
awk 'BEGIN {
	for (i = 0; i < 4000; i++) {
		k = i % 2000; us = i * 1000
		t = sprintf("2026-11-24T13:00:%02d.%06dZ", int(us / 1000000), us % 1000000)
		if (i < 2000)
			printf "%s siplog: req=INVITE cseq=1 INVITE callid=c%d src=udp:10.0.0.1:5060 auth=no ua=P\n", t, k
		else
			printf "%s siplog: rpl=407 cseq=1 INVITE callid=c%d src=udp:192.0.2.1:5060\n", t, k
	}
}' >"$T/split.log"
run -q -f json --max-calls 1000 "$T/split.log"
ok "--max-calls: a Call-ID that comes back after it was settled early is a new record" "$PY" -c '
import json, sys
c = json.load(open(sys.argv[1]))["call_ids"]
assert c["total"] == 4000 and c["settled_early"] == 3000 and c["open_at_end"] == 1000, c
' "$T/out"

# bad values: usage errors, exit 2, the accepted range said
for v in 999 100000001 abc -5 1e6 ""; do
	run --max-calls "$v" "$T/conc.log"
	okc "--max-calls '$v': exit 2, the accepted range said" '[ "$rc" -eq 2 ] &&
		grep -q "^siplogscan: --max-calls: expected 1000..100000000, got '"'$v'"'" "$T/err" &&
		[ ! -s "$T/out" ]'
done
run -q -f json --max-calls 1000 --max-calls 100000000 "$T/conc.log"
ok "--max-calls 100000000 (the last one given): accepted" [ "$rc" -eq 0 ]
finish
