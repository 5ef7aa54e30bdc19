#!/bin/sh
# --baseline (a nightly report beside last night's) and several -o outputs in one run.
. tests/lib.sh

K=samples/kamailio
old="$K/sipdump/"*.data		# "last night": the sipdump view (more messages)
new="$K/syslog-bsd/kamailio.log.2.gz $K/syslog-bsd/kamailio.log.1 $K/syslog-bsd/kamailio.log"

# shellcheck disable=SC2086
run -q -o "$T/prev.json" $old
okc "the baseline report is written" '[ "$rc" -eq 0 ] && [ -s "$T/prev.json" ] && [ ! -s "$T/out" ]'

# one run, four outputs: JSON and HTML files, CSV file, text on stdout
# shellcheck disable=SC2086
run -q --baseline "$T/prev.json" -o "$T/now.json" -o "$T/now.html" -o "$T/now.csv" -o - $new
ok "a run with four outputs succeeds" [ "$rc" -eq 0 ]
ok "stdout carries the text report" grep -q "^siplogscan .* report" "$T/out"
ok "the .json output is JSON" python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/now.json"
ok "the .html output is HTML" grep -q "<!DOCTYPE html>" "$T/now.html"
ok "the .csv output is the summary CSV" grep -q '^"table","key","field","value"' "$T/now.csv"
okc "no temporary file is left beside the outputs" '[ -z "$(ls "$T" | grep tmp)" ]'

# every figure, read independently from the two JSON reports by the paths documented in
# docs/json-schema.md, must equal what the comparison shows
cat >"$T/check.py" <<'EOF'
import json, sys
prev = json.load(open(sys.argv[1]))
now = json.load(open(sys.argv[2]))
b = now["baseline"]
assert b["status"] == "ok" and b["error"] is None, b
assert b["schema"] == "siplogscan.report/2"
assert b["first_time"] == prev["input"]["first_time"] and b["last_time"] == prev["input"]["last_time"]
def dig(r, path):
    for k in path.split("."):
        if not isinstance(r, dict) or k not in r:
            return None
        r = r[k]
    return r
paths = {"records": "totals.records", "calls": "calls.total", "kpi.invite_attempts": "kpi.invite_attempts",
         "kpi.register_attempts": "kpi.register_attempts", "kpi.no_final": "kpi.no_final",
         "kpi.srd.p50": "kpi.srd_ms.p50", "kpi.srd.p90": "kpi.srd_ms.p90", "kpi.rrd.p50": "kpi.rrd_ms.p50",
         "kpi.acd": "kpi.acd_ms", "trying": "trying_to_final.trying", "stuck": "trying_to_final.stuck",
         "trying.delay.p50": "trying_to_final.delay_ms.p50", "trying.delay.p90": "trying_to_final.delay_ms.p90",
         "registrations": "registrations.total", "options_pings": "options_pings.total",
         "other_transactions": "other_transactions.total", "setup.pdd.p50": "setup.pdd_ms.p50",
         "setup.pdd.p90": "setup.pdd_ms.p90", "setup.ring.p50": "setup.ring_ms.p50"}
for k in ("ser", "seer", "isa", "scr", "asr", "ner", "ira"):
    paths["kpi." + k] = "kpi.%s.percent" % k
for a in ("proxy_auth", "www_auth"):
    for f in ("challenged", "not_retried", "rechallenged"):
        paths[a + "." + f] = a + "." + f
def value(r, fid):
    if fid in paths:
        return dig(r, paths[fid])
    if fid.startswith("responses."):
        return sum(v for c, v in r["totals"]["responses"].items() if c[0] == fid[10])
    if fid == "input.errors":
        return sum(f["status"] == "error" for f in r["input"]["files"])
    if fid == "scanners":
        return len(r["scanners"])
    if fid.startswith("problem."):
        return sum(p["count"] for p in r["problems"] if p["id"] == fid[8:])
    if fid.startswith("kpi.") and fid[4:].isalpha():
        return dig(r, fid + ".percent")     # a KPI ratio added to the table since
    raise SystemExit("unknown figure id " + fid)
ids = [f["id"] for f in b["figures"]]
assert len(ids) == len(set(ids)), "duplicate ids"
for fid in list(paths) + ["responses.4xx", "responses.5xx", "responses.6xx", "input.errors", "scanners"]:
    assert fid in ids, "figure missing: " + fid
for p in prev["problems"] + now["problems"]:
    assert "problem." + p["id"] in ids, "problem missing: " + p["id"]
better = {"kpi.ser": 1, "kpi.seer": 1, "kpi.scr": 1, "kpi.asr": 1, "kpi.ner": 1, "kpi.isa": -1,
          "kpi.ira": -1, "kpi.no_final": -1, "kpi.srd.p50": -1, "kpi.srd.p90": -1, "kpi.rrd.p50": -1,
          "stuck": -1, "trying.delay.p50": -1, "trying.delay.p90": -1, "proxy_auth.not_retried": -1,
          "proxy_auth.rechallenged": -1, "www_auth.not_retried": -1, "www_auth.rechallenged": -1,
          "responses.5xx": -1, "scanners": -1, "input.errors": -1, "setup.pdd.p50": -1,
          "setup.pdd.p90": -1}
n = 0
for f in b["figures"]:
    p, c = value(prev, f["id"]), value(now, f["id"])
    assert f["previous"] == p and f["current"] == c, (f, p, c)
    if p is None or c is None:
        assert f["change"] is None and f["trend"] is None, f
        continue
    assert abs(f["change"] - (c - p)) < 1e-9, f
    if f["unit"] == "percent" or p == 0:
        assert f["change_percent"] is None, f
    else:
        assert abs(f["change_percent"] - round((c - p) / p * 100, 2)) < 0.006, f
    d = better.get(f["id"], -1 if f["id"].startswith("problem.") else 0)
    want = "same" if c == p else "changed" if d == 0 else "better" if (c > p) == (d > 0) else "worse"
    assert f["trend"] == want, (f, want)
    n += 1
print(n)
EOF
n=$(python3 "$T/check.py" "$T/prev.json" "$T/now.json" 2>"$T/py.err")
okc "every figure equals the two reports' own values, with its change and trend ($n compared)" '[ "${n:-0}" -ge 30 ]'
[ -s "$T/py.err" ] && sed 's/^/# /' "$T/py.err"
ok "the sample pair shows a change: 335 -> 260 SIP messages" \
	grep -q "  SIP messages  *335  *260   -75 (-22.4%)$" "$T/out"
ok "text: a worse figure is named" grep -q "SRD p90 .* +28 ms (+1.4%)  worse$" "$T/out"
ok "text: the section fits an email (width <= 100, no trailing blanks)" python3 -c '
import sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
sys.exit(any(len(l) > 100 or l != l.rstrip() for l in lines if l))' "$T/out"
ok "HTML: the comparison table is there" grep -q '<section id="baseline">' "$T/now.html"
ok "HTML: a worse figure is marked" grep -q '<td class="worse">worse</td>' "$T/now.html"
ok "CSV: a negative change stays a number" grep -q '^"baseline","records","change","-75"' "$T/now.csv"
ok "CSV: the baseline file's status" grep -q '^"baseline_file","1","status","ok"' "$T/now.csv"

# the same input against its own report: nothing changed
# shellcheck disable=SC2086
run -q -f json --baseline "$T/now.json" $new
ok "a report against itself: every figure the same or unknown" python3 -c '
import json, sys
b = json.load(open(sys.argv[1]))["baseline"]
sys.exit(not all(f["trend"] in ("same", None) for f in b["figures"]))' "$T/out"

# nightly: the baseline is the file this run replaces
cp "$T/prev.json" "$T/nightly.json"
# shellcheck disable=SC2086
run -q --baseline "$T/nightly.json" -o "$T/nightly.json" $new
okc "baseline and output may be the same file" '[ "$rc" -eq 0 ] && [ "$(jq_get "$T/nightly.json" '\''r["baseline"]["figures"][0]["previous"]'\'')" = 335 ]'
run -q --baseline "$T/nightly.json" -o "$T/nightly.json" $new
ok "and the next night compares with it" [ "$(jq_get "$T/nightly.json" 'r["baseline"]["figures"][0]["previous"]')" = 260 ]

# the first night: no baseline yet
run -f json --baseline "$T/none.json" $new
okc "a baseline that does not exist yet: exit 0, status missing" '[ "$rc" -eq 0 ] && [ "$(jq_get "$T/out" '\''r["baseline"]["status"]'\'')" = missing ]'
ok "and a note on stderr" grep -q "note: --baseline: '.*none.json' does not exist (yet)" "$T/err"
run -q -f json --baseline "$T/none.json" $new
ok "--quiet keeps the note off stderr" [ ! -s "$T/err" ]
run -f json $new
ok "without --baseline the JSON has baseline: null" [ "$(jq_get "$T/out" 'r["baseline"]')" = None ]

# a file that is not a baseline: exit 2, the report is still written and says why
printf '{"schema": "siplogscan.explain/1"}' >"$T/explain.json"
printf '{"calls": 3' >"$T/broken.json"
printf '{"schema": "siplogscan.report/3"}' >"$T/v3.json"
for f in explain broken v3; do
	run -q --baseline "$T/$f.json" -o "$T/bad-$f.json" $new
	okc "baseline $f.json: exit 2, named on stderr" '[ "$rc" -eq 2 ] && grep -q "^siplogscan: --baseline: '\''.*$f.json'\'' is " "$T/err"'
	ok "baseline $f.json: the report is still written, status error" \
		[ "$(jq_get "$T/bad-$f.json" 'r["baseline"]["status"]')" = error ]
	[ $f = broken ] && ok "a broken file: the place of the damage" grep -q "line 1, column 12" "$T/err"
done
run -q --baseline "$T" $new
okc "a directory: exit 2" '[ "$rc" -eq 2 ] && grep -q "is a directory" "$T/err"'

# outputs
run -f json -o "$T/x.html" $new
okc "--format taken by no output: usage error that says what to do" '[ "$rc" -eq 2 ] && grep -q "add '\''-o -'\''" "$T/err"'
run -f json -o "$T/x.html" -o - $new
okc "--format json with -o - writes JSON on stdout and HTML in the file" '[ "$rc" -eq 0 ] && head -c1 "$T/out" | grep -q "{" && grep -q "<!DOCTYPE html>" "$T/x.html"'
run -o "$T/y.json" -o "$T/y.json" $new
okc "the same -o twice: usage error" '[ "$rc" -eq 2 ] && grep -q "named twice" "$T/err"'
run -o - -o - $new
ok "-o - twice: usage error" [ "$rc" -eq 2 ]
run -o "$T/no/such/dir/r.json" $new
okc "an output that cannot be written: exit 2, named" '[ "$rc" -eq 2 ] && grep -q "cannot write '\''.*r.json'\''" "$T/err"'
run -o "$T/plain.log" $new
ok "an unknown extension: --format (text)" grep -q "^siplogscan .* report" "$T/plain.log"
umask 027
run -q -o "$T/mode.json" $new
okc "a new report file gets the umask's mode (not mkstemp's 0600)" '[ "$(stat -c %a "$T/mode.json")" = 640 ]'
umask 022
cp "$T/mode.json" "$T/target.json"
ln -s target.json "$T/link.json"
run -q -f json -o "$T/link.json" --baseline "$T/prev.json" $new
okc "a symbolic link stays a link; its target gets the report" '[ -L "$T/link.json" ] && [ "$(jq_get "$T/target.json" '\''r["baseline"]["status"]'\'')" = ok ]'
run -o /dev/null $new
ok "a device is written in place (/dev/null)" [ "$rc" -eq 0 ]

# --fail-on on a change since the baseline (prev: 335 messages, now 260: -22.39%)
run -q -f json --baseline "$T/prev.json" --fail-on 'change:records<-20%,change:calls>0,change:kpi.srd.p90>0,change:kpi.ser<0,change:problem.slow-setup>0' $new
okc "change rules: two of five hold, exit 1" '[ "$rc" -eq 1 ] && [ "$(jq_get "$T/out" '\''r["rules_fired"]'\'')" = 2 ]'
ok "change rules: the values are the changes (relative with %, absolute without)" \
	[ "$(jq_get "$T/out" '[x["value"] for x in r["rules"]]')" = "[-22.3881, 0.0, 27.572, 0.0, 0.0]" ]
ok "change rules: named on stderr" grep -q "change:records<-20%' holds (value -22.38" "$T/err"
run -q -o "$T/nobase.json" --baseline "$T/none.json" --fail-on 'change:calls<0' $new
okc "a change rule without a usable baseline never holds (value null)" '[ "$rc" -eq 0 ] && [ "$(jq_get "$T/nobase.json" '\''r["rules"][0]["value"]'\'')" = None ]'
run -q --fail-on 'change:calls<0' $new
okc "a change rule without --baseline: usage error that says what to give" '[ "$rc" -eq 2 ] && grep -q "give --baseline FILE" "$T/err"'
run -q --baseline "$T/prev.json" --fail-on 'change:bogus>0' $new
okc "an unknown figure id: exit 2, naming change:ID" '[ "$rc" -eq 2 ] && grep -q "change:ID" "$T/err"'

# cron: --quiet --fail-on keeps stdout empty unless a rule holds; files are always written
run -q --fail-on 'stuck>100' --baseline "$T/prev.json" -o "$T/cron.json" -o - $new
okc "cron, no rule holds: nothing on stdout or stderr, the JSON file written" '[ "$rc" -eq 0 ] && [ ! -s "$T/out" ] && [ ! -s "$T/err" ] && [ -s "$T/cron.json" ]'
run -q --fail-on 'stuck>0' --baseline "$T/prev.json" -o "$T/cron.json" -o - $new
okc "cron, a rule holds: the text report with the comparison on stdout" '[ "$rc" -eq 1 ] && grep -q "HOLDS stuck>0" "$T/out" && grep -q "^Change since the baseline" "$T/out"'
finish
