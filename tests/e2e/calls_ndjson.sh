#!/bin/sh
# --calls-ndjson: one JSON object per line per Call-ID, schema 1 as docs/calls-ndjson.md
# documents it; the rows add up to the report's headline figures; hostile strings stay valid
# JSON; .gz output; the same bytes for any -j; the doc's jq lines give the report's figures.
. tests/lib.sh

DOC=docs/calls-ndjson.md

# Every row: valid JSON on one line, exactly the documented fields in the documented order,
# each of its documented type; then the report's figures from the rows (as the doc's SQL
# computes them) against the JSON report of the same run.
cat > "$T/check.py" <<'EOF'
import json, re, sys
rows_path, report_path, doc_path = sys.argv[1:4]
doc = open(doc_path, encoding="utf-8").read()
table = doc.split("## Fields (version 1)")[1].split("\n### ")[0]
names = []
for line in table.splitlines():
    if line.startswith("| `"):
        names += re.findall(r"`([a-z0-9_]+)`", line.split("|")[1])
want = ["v"] + [n for n in names if n != "v"]
S, I, F, B, N, A = str, int, float, bool, type(None), list
types = {
    "v": (I,), "call_id": (S,), "kind": (S,), "method": (S,), "host": (N,), "file": (S, N),
    "line": (I,), "source": (S, N), "user_agent": (S, N), "destination": (S, N),
    "responders": (A,), "attempt": (B,), "outcome": (I, N), "final_code": (I, N),
    "answered": (B,), "trying": (B, N), "final_after_100": (I, N),
    "proxy_auth": (S, N), "www_auth": (S, N), "settled": (S,), "problems": (A,),
    "from_user": (S, N), "to_user": (S, N),
}
for n in want:
    if n.endswith("_time"):
        types[n] = (S, N)
    elif n.endswith("_us") or n.endswith("_challenges") or n.endswith("_retries"):
        types[n] = (I, N)
    elif n.endswith("_ms"):
        types[n] = (F, N)
assert set(types) == set(want), set(types) ^ set(want)
time_re = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
raw = open(rows_path, "rb").read()
raw.decode("utf-8")			# valid UTF-8 throughout
assert raw.endswith(b"\n") or raw == b"", "ends in a newline"
rows = []
for line in raw.split(b"\n")[:-1]:
    o = json.loads(line)		# strict: no raw control character in a string
    assert list(o) == want, (list(o), want)
    for k, v in o.items():
        # bool is an int in Python: check it apart
        ok = any(type(v) is t for t in types[k])
        assert ok, (k, v, o["call_id"])
    assert o["v"] == 1
    assert o["kind"] in ("call", "registration", "options", "other")
    assert o["settled"] in ("end", "idle", "limit")
    for a in ("proxy_auth", "www_auth"):
        assert o[a] in (None, "none", "not_retried", "accepted", "rechallenged"), o[a]
    for t in ("first", "last", "trying", "ringing", "final"):
        ts, us = o[t + "_time"], o[t + "_us"]
        assert (ts is None) == (us is None), (t, ts, us)
        assert ts is None or time_re.match(ts), ts
    assert len(o["responders"]) <= 2 and all(type(x) is str for x in o["responders"])
    rows.append(o)
r = json.load(open(report_path))
def n(f):
    return sum(1 for o in rows if f(o))
two = lambda o: o["outcome"] is not None and 200 <= o["outcome"] < 300
got = {
    "call_ids.total": len(rows),
    "calls.total": n(lambda o: o["kind"] == "call"),
    "registrations.total": n(lambda o: o["kind"] == "registration"),
    "options_pings.total": n(lambda o: o["kind"] == "options"),
    "other_transactions.total": n(lambda o: o["kind"] == "other"),
    "call_ids.settled_idle": n(lambda o: o["settled"] == "idle"),
    "call_ids.settled_early": n(lambda o: o["settled"] == "limit"),
    "call_ids.open_at_end": n(lambda o: o["settled"] == "end"),
    "trying_to_final.trying": n(lambda o: o["trying"] is True),
    "trying_to_final.stuck": n(lambda o: o["trying"] is True and o["final_after_100"] is None),
    "kpi.invite_attempts": n(lambda o: o["attempt"]),
    "kpi.asr.num": n(lambda o: o["attempt"] and two(o)),
    "kpi.no_final": n(lambda o: o["attempt"] and o["outcome"] is None),
}
for a in ("proxy_auth", "www_auth"):
    got[a + ".challenged"] = n(lambda o: o[a] not in (None, "none"))
    for w in ("not_retried", "accepted", "rechallenged"):
        got[a + "." + w] = n(lambda o: o[a] == w)
def fig(path):
    # a figure the log cannot give is null in the report (not_in_log: an accounting log
    # has no 100 Trying or challenges, an authentication log no calls): no row counts in it
    v = r
    for p in path.split("."):
        if v is None:
            return 0
        v = v[p]
    return 0 if v is None else v
bad = {k: (v, fig(k)) for k, v in got.items() if v != fig(k)}
assert not bad, bad
per = {}
for o in rows:
    for p in o["problems"]:
        per[p] = per.get(p, 0) + 1
want_p = {p["id"]: p["count"] for p in r["problems"] if p["id"] not in
          ("auth-scanner", "auth-break-in", "auth-guessing", "auth-spread-guessing")}
assert per == want_p, (per, want_p)
print(len(rows), "rows,", sum(per.values()), "problem memberships")
EOF

check() { # check LABEL ROWS REPORT
	_rows=$2
	_rep=$3
	okc "$1: every row valid JSON with the documented fields and types; figures add up" \
		'python3 "$T/check.py" "$_rows" "$_rep" "$DOC" > "$T/check.out" 2>&1 ||
		 { sed "s/^/# /" "$T/check.out"; false; }'
}

for f in samples/kamailio/kamailio-rfc3339.log samples/kamailio/acc/kamailio-acc.log \
	 samples/other/asterisk-pjsip.log samples/other/auth/asterisk-security.log \
	 tests/cases/kpis.log tests/cases/breakdowns.log; do
	name=$(basename "$f")
	run -q --calls-ndjson "$T/$name.ndjson" -o "$T/$name.json" "$f"
	ok "$name: exit 0" [ "$rc" -eq 0 ]
	check "$name" "$T/$name.ndjson" "$T/$name.json"
done
okc "the samples have stuck calls, challenges and a timeout to count" \
	'grep -q "\"stuck-after-100\"" "$T/kamailio-rfc3339.log.ndjson" &&
	 grep -q "\"proxy_auth\":\"rechallenged\"" "$T/kamailio-rfc3339.log.ndjson" &&
	 grep -q "\"request-timeout\"" "$T/kamailio-rfc3339.log.ndjson"'
acc="$T/kamailio-acc.log.ndjson"
okc "accounting log: 100 Trying and challenges are null (not logged), outcomes are there" \
	'python3 -c "
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
calls = [o for o in rows if o[\"kind\"] == \"call\"]
assert calls and all(o[\"trying\"] is None and o[\"proxy_auth\"] is None and
                     o[\"proxy_challenges\"] is None for o in calls), calls[:1]
assert any(o[\"outcome\"] for o in calls)
" "$acc"'

# one call, checked field by field (tests/cases/kpis.log, a1: README "Exact meanings")
okc "kpis.log a1: 407 then its retry, 100, 180, 200, BYE: times, delays, counts" 'python3 -c "
import json, sys
o = {r[\"call_id\"]: r for r in map(json.loads, open(sys.argv[1]))}[\"a1\"]
assert o[\"kind\"] == \"call\" and o[\"method\"] == \"INVITE\" and o[\"host\"] is None, o
assert o[\"outcome\"] == 200 and o[\"final_code\"] == 200 and o[\"answered\"] and o[\"attempt\"], o
assert o[\"proxy_auth\"] == \"accepted\" and o[\"proxy_challenges\"] == 1 and o[\"proxy_retries\"] == 1, o
assert o[\"www_auth\"] == \"none\" and o[\"www_challenges\"] == 0, o
assert o[\"srd_ms\"] == 1500.0 and o[\"pdd_ms\"] == 1400.0 and o[\"ring_ms\"] == 1500.0, o
assert o[\"duration_ms\"] == 10000.0 and o[\"problems\"] == [], o
assert o[\"ringing_us\"] - o[\"first_us\"] == 1500000 and o[\"final_us\"] - o[\"ringing_us\"] == 1500000, o
assert o[\"file\"] == \"tests/cases/kpis.log\" and o[\"line\"] >= 1, o
" "$T/kpis.log.ndjson"'

# hostile strings: quote, backslashes, ESC, a byte that is not UTF-8, U+2028, a control byte
printf 'Nov 24 13:00:01 px kamailio[7]: NOTICE: <script>: siplog: req=INVITE cseq=1 INVITE callid=q"b\\\\c\033[31m\377\342\200\250z src=udp:10.0.0.1:5060 auth=no ua=Evil"UA\001\nNov 24 13:00:02 px kamailio[7]: NOTICE: <script>: siplog: rpl=100 cseq=1 INVITE callid=q"b\\\\c\033[31m\377\342\200\250z src=udp:10.0.0.9:5060 reason=R\n' > "$T/h.log"
run -q --calls-ndjson "$T/h.ndjson" -o "$T/h.json" "$T/h.log"
check "hostile Call-ID" "$T/h.ndjson" "$T/h.json"
okc "hostile Call-ID: escaped (\\\" \\\\ \\u001b \\u00ff \\u2028), no raw control byte, one line" \
	'[ "$(wc -l < "$T/h.ndjson")" -eq 1 ] &&
	 grep -qF "\"call_id\":\"q\\\"b\\\\\\\\c\\u001b[31m\\u00ff\\u2028z\"" "$T/h.ndjson" &&
	 grep -qF "\"user_agent\":\"Evil\\\"UA\\u0001\"" "$T/h.ndjson" &&
	 ! LC_ALL=C grep -q "[[:cntrl:]]" "$T/h.ndjson"'

# .gz: gzip, the same rows; -j1 and -j2 with small blocks: the same bytes
python3 bench/gen.py --format xlog --size 8 --seed 7 "$T/g.log"	# several ticks, calls settled idle
"$BIN" -q -j1 --calls-ndjson "$T/g1.ndjson" -o "$T/g.json" "$T/g.log"
"$BIN" -q -j2 --block-size 16K --calls-ndjson "$T/g2.ndjson" -o /dev/null "$T/g.log"
"$BIN" -q -j2 --calls-ndjson "$T/g.ndjson.gz" --calls-csv "$T/g.csv" -o /dev/null "$T/g.log"
check "generated 8 MB" "$T/g1.ndjson" "$T/g.json"
ok "identical rows for -j1 and -j2 --block-size 16K" cmp -s "$T/g1.ndjson" "$T/g2.ndjson"
okc "FILE.gz is gzip and holds the same rows" \
	'gzip -t "$T/g.ndjson.gz" && gzip -dc "$T/g.ndjson.gz" | cmp -s - "$T/g1.ndjson"'
okc "with --calls-csv at once: the same calls in the same order" 'python3 -c "
import csv, json, sys
a = [json.loads(l)[\"call_id\"] for l in open(sys.argv[1])]
b = [r[0] for r in list(csv.reader(open(sys.argv[2], newline=\"\")))[1:]]
assert a == b and len(a) > 100, (len(a), len(b))
" "$T/g1.ndjson" "$T/g.csv"'

# the doc's jq lines, verbatim, against the report
if command -v jq >/dev/null 2>&1; then
	cp "$T/kamailio-rfc3339.log.ndjson" "$T/calls.ndjson"
	gzip -c "$T/calls.ndjson" > "$T/calls.ndjson.gz"
	R="$T/kamailio-rfc3339.log.json"
	jqdoc() { # jqdoc COMMAND: the command is in the doc, and its output
		grep -qxF "$1" "$DOC" || { echo "# not in $DOC: $1"; return 1; }
		(cd "$T" && sh -c "$1")
	}
	okc "jq (doc): calls.total" \
		'[ "$(jqdoc "jq -s '\''map(select(.kind == \"call\")) | length'\'' calls.ndjson")" = "$(jq_get "$R" "r[\"calls\"][\"total\"]")" ]'
	okc "jq (doc): kpi.asr.num" \
		'[ "$(jqdoc "jq -s '\''map(select(.attempt and .outcome >= 200 and .outcome < 300)) | length'\'' calls.ndjson")" = "$(jq_get "$R" "r[\"kpi\"][\"asr\"][\"num\"]")" ]'
	okc "jq (doc): problems by id" \
		'jqdoc "jq -s '\''[.[].problems[]] | group_by(.) | map({(.[0]): length}) | add'\'' calls.ndjson" > "$T/jqp.json" &&
		 python3 -c "
import json, sys
got = json.load(open(sys.argv[1]))
r = json.load(open(sys.argv[2]))
want = {p[\"id\"]: p[\"count\"] for p in r[\"problems\"] if p[\"id\"] != \"auth-scanner\"}
assert got == want, (got, want)
" "$T/jqp.json" "$R"'
	okc "jq (doc): the stuck calls, tab-separated" \
		'jqdoc "jq -r '\''select(.problems | index(\"stuck-after-100\")) | [.call_id, .file, .line] | @tsv'\'' calls.ndjson" > "$T/stuck.tsv" &&
		 [ "$(wc -l < "$T/stuck.tsv")" = "$(jq_get "$R" "r[\"trying_to_final\"][\"stuck\"]")" ] &&
		 [ "$(cut -f2 "$T/stuck.tsv" | sort -u)" = "samples/kamailio/kamailio-rfc3339.log" ]'
	okc "jq (doc): a gzip file" \
		'[ "$(jqdoc "zcat calls.ndjson.gz | jq -s '\''map(select(.kind == \"call\")) | length'\''")" = "$(jq_get "$R" "r[\"calls\"][\"total\"]")" ]'
else
	echo "# jq is not installed (apt-get install jq): the doc's jq lines are not run"
	ok "jq is installed (the README's test command installs it)" false
fi

# errors
run -q --calls-ndjson /nonexistent-dir/c.ndjson "$T/g.log"
okc "unwritable file: exit 2 with a message" '[ "$rc" -eq 2 ] && grep -q "calls-ndjson: cannot write" "$T/err"'
run -q --calls-ndjson "$T/same" -o "$T/same" "$T/g.log"
okc "the same file as -o: usage error, nothing written" '[ "$rc" -eq 2 ] && grep -q "also an -o file" "$T/err" && [ ! -e "$T/same" ]'
run -q --calls-ndjson "$T/same" --calls-csv "$T/same" "$T/g.log"
okc "the same file as --calls-csv: usage error" '[ "$rc" -eq 2 ] && grep -q "also the --calls-csv file" "$T/err"'
run -q --calls-ndjson /dev/full "$T/g.log"
okc "a full disk (/dev/full): exit 2, said" '[ "$rc" -eq 2 ] && grep -q "calls-ndjson: cannot write" "$T/err"'
finish
