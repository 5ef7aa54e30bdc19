#!/bin/sh
# The JSON outputs against their machine-readable schemas (docs/report.schema.json,
# docs/explain.schema.json) with tests/schema_check.py (python3-jsonschema, draft 2020-12):
# the report of every sample set and transition case, an empty input, missing and damaged
# inputs, --since/--until with --fail-on rules, a hostile log, and explain --format json.
# The schemas are closed (additionalProperties false), so a key the renderer writes and the
# schema does not describe fails here, and so do mutated reports (the test can fail).
. tests/lib.sh

RS=docs/report.schema.json
ES=docs/explain.schema.json

# python3 on PATH, else Debian's, whichever has the jsonschema module (the interpreter itself,
# not a wrapper script such as a pyenv shim: it runs some 30 times)
PY=$(python3 -c 'import jsonschema, sys; print(sys.executable)' 2>/dev/null)
[ -n "$PY" ] || PY=/usr/bin/python3
if ! "$PY" -c 'import jsonschema' 2>/dev/null; then
	ok "python3-jsonschema is installed (apt-get install -y python3-jsonschema)" false
	finish
fi

# valid SCHEMA FILE...: every file is valid (the validator's output is shown on failure);
# run with python $VPY, by default $PY
valid() {
	_out=$(mktemp "$T/check.XXXXXX")
	"${VPY:-$PY}" tests/schema_check.py "$@" >"$_out" 2>&1 && return 0
	grep -v ': valid (' "$_out" | head -40 | sed 's/^/# /'
	return 1
}

# report NAME ARGS...: the JSON report of ARGS into $T/NAME.json, exit status in $rc
report() {
	_name=$1
	shift
	"$BIN" -q -f json "$@" >"$T/$_name.json" 2>"$T/$_name.err"
	rc=$?
}

# the schemas themselves
ok "both schemas are valid draft 2020-12 schemas" "$PY" -c '
import json, sys
from jsonschema import Draft202012Validator
for f in sys.argv[1:]:
    Draft202012Validator.check_schema(json.load(open(f)))
' "$RS" "$ES"

# every sample set of samples/MANIFEST
set --
sfailed=0
while read -r name _expected files; do
	case "$name" in ''|'#'*) continue ;; esac
	# shellcheck disable=SC2086
	report "sample-$name" $files
	[ "$rc" -eq 0 ] || { sfailed=1; echo "# sample $name: exit status $rc"; sed 's/^/#   /' "$T/sample-$name.err"; }
	set -- "$@" "$T/sample-$name.json"
done < samples/MANIFEST
nsamples=$#
okc "samples/MANIFEST: every sample set ($nsamples) scanned, exit 0" '[ "$nsamples" -ge 10 ] && [ "$sfailed" -eq 0 ]'
ok "the report of every sample set is valid" valid "$RS" "$@"

# every transition case of tests/cases (tiny logs, each with its own options)
set --
for log in tests/cases/*.log; do
	name=$(basename "$log" .log)
	args=""
	[ -f "tests/cases/$name.args" ] && args=$(cat "tests/cases/$name.args")
	# shellcheck disable=SC2086
	report "case-$name" $args "$log"
	set -- "$@" "$T/case-$name.json"
done
ok "the report of every transition case is valid ($# cases)" valid "$RS" "$@"

# no input lines at all: every delay, time and percent null, every table empty
: >"$T/empty.log"
report empty "$T/empty.log"
ok "empty input: exit 2 (no SIP record), the report still written" [ "$rc" -eq 2 ]
ok "empty input: report valid" valid "$RS" "$T/empty.json"
ok "empty input: times, percents and acd_ms are null" "$PY" -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["input"]["first_time"] is None and r["kpi"]["acd_ms"] is None
assert r["kpi"]["ser"]["percent"] is None and r["kpi"]["srd_ms"]["p50"] is None
assert r["problems"] == [] and r["timeline"] == [] and r["totals"]["requests"] == {}
' "$T/empty.json"
"$BIN" -q -f json - <"$T/empty.log" >"$T/stdin.json" 2>/dev/null
ok "empty standard input: report valid" valid "$RS" "$T/stdin.json"

# a missing file and a damaged gzip: status error, the error said, exit 2
printf '\037\213\010\000\000\000\000\000\000\003\377\377' >"$T/damaged.log.gz"
report errors "$T/no-such-file.log" "$T/damaged.log.gz" samples/kamailio/kamailio-rfc3339.log
ok "missing and damaged input: exit 2" [ "$rc" -eq 2 ]
ok "missing and damaged input: report valid" valid "$RS" "$T/errors.json"
ok "missing and damaged input: two files with status error and a message" "$PY" -c '
import json, sys
f = json.load(open(sys.argv[1]))["input"]["files"]
assert [x["status"] for x in f].count("error") == 2, f
assert all(x["error"] for x in f if x["status"] == "error")
' "$T/errors.json"

# --since/--until and --fail-on: rules listed, one fired, one undefined (value null)
report rules --since 2026-11-24T15:54:45 --until 2026-11-24T15:54:50 \
	--fail-on 'stuck>0,ser<95,proxy-auth-not-retried>5%,calls>=1,errors>0,ira<=100' \
	samples/kamailio/syslog-bsd/kamailio.log*
ok "--since/--until/--fail-on: exit 1 (a rule fired)" [ "$rc" -eq 1 ]
ok "--since/--until/--fail-on: report valid" valid "$RS" "$T/rules.json"
ok "--since/--until/--fail-on: six rules, since and until set, events left out" "$PY" -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert len(r["rules"]) == 6 and r["rules_fired"] >= 1, r["rules"]
assert r["input"]["since"] and r["input"]["until"] and r["input"]["outside"] > 0, r["input"]
' "$T/rules.json"
# (without -q: with -q and --fail-on there is no report unless a rule fires)
"$BIN" -f json --fail-on 'ser<95,stuck>0' "$T/empty.log" >"$T/undefined.json" 2>/dev/null
ok "--fail-on on an empty input: value null, report valid" sh -c '
	grep -q "\"value\": null" "$1" && "$2" tests/schema_check.py "$3" "$1" >/dev/null' sh \
	"$T/undefined.json" "$PY" "$RS"
report options --examples 20 --top 1 --call-timeout 0.5 --slow-setup 0 --scanner-threshold 1 \
	-j 1 samples/kamailio/kamailio-rfc3339.log
ok "--examples 20 --top 1 and other options: report valid" valid "$RS" "$T/options.json"

# hostile log content (as in hostile.sh): long, control, bidi, NUL, markup, non-UTF-8 bytes
"$PY" - "$T/evil.log" <<'PY'
import sys
lines = []
def req(cid, ua, t):
    lines.append(f"Nov 24 13:00:{t} px kamailio[7]: NOTICE: <script>: siplog: req=INVITE cseq=1 INVITE callid={cid} src=udp:10.0.0.1:5060 auth=no ua={ua}")
def rpl(cid, code, t):
    lines.append(f"Nov 24 13:00:{t} px kamailio[7]: NOTICE: <script>: siplog: rpl={code} cseq=1 INVITE callid={cid} src=udp:10.0.0.9:5060 reason=x")
evil = ["A" * 10240 + "@evil", "\x1b[31mred\x1b]0;title\x07", "abc\u202edcba", "nul\x00byte",
        "<script>alert(1)</script>", "bad\xff\xfeutf8", '"quote\\back"']
for i, cid in enumerate(evil):
    req(cid, cid + " friendly-scanner", "%02d" % (i + 1))
    rpl(cid, [100, 407, 500, 603, 404, 486, 100][i], "%02d" % (i + 1))
with open(sys.argv[1], "wb") as f:
    for l in lines:
        f.write(l.encode("latin-1") if "\xff" in l else l.encode("utf-8", "surrogateescape"))
        f.write(b"\n")
PY
report hostile --examples 20 "$T/evil.log"
ok "hostile log: exit 0" [ "$rc" -eq 0 ]
ok "hostile log: report valid" valid "$RS" "$T/hostile.json"
head -c 200000 /dev/urandom >"$T/noise.bin"
report noise "$T/noise.bin"
ok "random bytes: report valid" valid "$RS" "$T/noise.json"

# explain --format json: a code, an unregistered code, a comparison, a pattern, a mix, --list,
# and every code of 100..699 compared with the first
"$BIN" explain -f json 407 >"$T/ex-code.json"
"$BIN" explain -f json 499 >"$T/ex-unregistered.json"
"$BIN" explain --format=json 100 407 486 >"$T/ex-compare.json"
"$BIN" explain -f json stuck-after-100 >"$T/ex-pattern.json"
"$BIN" explain -f json 603 auth-scanner 180 request-timeout >"$T/ex-mix.json"
"$BIN" explain -f json --list >"$T/ex-list.json"
# shellcheck disable=SC2046
"$BIN" explain -f json $(seq 100 699) >"$T/ex-all.json"
ok "explain JSON: a code, a pattern, a comparison, a mix, --list, all codes: valid" valid "$ES" \
	"$T/ex-code.json" "$T/ex-unregistered.json" "$T/ex-compare.json" "$T/ex-pattern.json" \
	"$T/ex-mix.json" "$T/ex-list.json" "$T/ex-all.json"
ok "explain --list: every pattern id is one the report schema knows" "$PY" -c '
import json, sys
ids = [p["id"] for p in json.load(open(sys.argv[1]))["patterns"]]
known = json.load(open(sys.argv[2]))["$defs"]["patternId"]["enum"]
assert sorted(ids) == sorted(known), (ids, known)
' "$T/ex-list.json" "$RS"

# --baseline: a report compared with another (ok), with a file that does not exist yet
# (missing) and with one that is not a report (error); without --baseline it is null
"$BIN" -q -f json --baseline "$T/sample-kamailio-syslog-bsd.json" samples/kamailio/sipdump/*.data \
	>"$T/base-ok.json" 2>/dev/null
"$BIN" -q -f json --baseline "$T/no-such-baseline.json" samples/kamailio/sipdump/*.data \
	>"$T/base-missing.json" 2>/dev/null
"$BIN" -q -f json --baseline "$RS" samples/kamailio/sipdump/*.data >"$T/base-error.json" 2>/dev/null
okc "baseline: the three statuses are written" '[ "$("$PY" -c "import json,sys; print(\" \".join(json.load(open(f))[\"baseline\"][\"status\"] for f in sys.argv[1:]))" "$T/base-ok.json" "$T/base-missing.json" "$T/base-error.json")" = "ok missing error" ]'
ok "baseline: ok, missing and error reports are valid" valid "$RS" "$T/base-ok.json" \
	"$T/base-missing.json" "$T/base-error.json"

# negative checks: each mutation of a valid report must be rejected, at the right path
"$PY" - "$T/sample-kamailio-syslog-bsd.json" "$T" >"$T/mutants" <<'PY'
import copy, json, sys
src, out = sys.argv[1], sys.argv[2]
base = json.load(open(src))
assert base["problems"] and base["breakdowns"]["by_source"]["rows"] and base["timeline"]
def mutant(name, path, f):
    r = copy.deepcopy(base)
    f(r)
    json.dump(r, open(f"{out}/mut-{name}.json", "w"))
    print(name, path)
def delete(keys):
    def f(r):
        for k in keys[:-1]:
            r = r[k]
        del r[keys[-1]]
    return f
def put(keys, v):
    def f(r):
        for k in keys[:-1]:
            r = r[k]
        r[keys[-1]] = v
    return f
mutant("no-calls", "$", delete(["calls"]))
mutant("no-status", "$.input.files[0]", delete(["input", "files", 0, "status"]))
mutant("no-acd", "$.kpi", delete(["kpi", "acd_ms"]))
mutant("unknown-top", "$", put(["surprise"], 1))
mutant("unknown-nested", "$.kpi.ser", put(["kpi", "ser", "ratio"], 0.5))
mutant("unknown-row-key", "$.breakdowns.by_source.rows[0]", put(["breakdowns", "by_source", "rows", 0, "share"], 1))
mutant("negative-count", "$.calls.total", put(["calls", "total"], -1))
mutant("float-count", "$.totals.records", put(["totals", "records"], 1.5))
mutant("string-percent", "$.kpi.ser.percent", put(["kpi", "ser", "percent"], "24.2424"))
mutant("percent-over-100", "$.kpi.asr.percent", put(["kpi", "asr", "percent"], 100.5))
mutant("null-percent", "$.kpi.ser.percent", put(["kpi", "ser", "percent"], None))
mutant("null-delay", "$.kpi.srd_ms.p50", put(["kpi", "srd_ms", "p50"], None))
mutant("bad-time", "$.input.first_time", put(["input", "first_time"], "2026-11-24 15:54:43"))
mutant("bad-hour", "$.timeline[0].hour", put(["timeline", 0, "hour"], "2026-11-24T15:30:00Z"))
mutant("bad-code", '$.totals.responses', put(["totals", "responses", "99"], 1))
mutant("bad-method", "$.totals.requests", put(["totals", "requests", "FOO"], 1))
mutant("bad-status", "$.input.files[0].status", put(["input", "files", 0, "status"], "fine"))
mutant("ok-with-error", "$.input.files[0].error", put(["input", "files", 0, "error"], "oops"))
mutant("bad-severity", "$.problems[0].severity", put(["problems", 0, "severity"], "urgent"))
mutant("bad-problem-id", "$.problems[0].id", put(["problems", 0, "id"], "made-up"))
mutant("bad-schema", "$.schema", put(["schema"], "siplogscan.report/3"))
mutant("short-histogram", "$.trying_to_final.delay_histogram", lambda r: r["trying_to_final"]["delay_histogram"].pop())
mutant("bad-baseline-trend", "$.baseline", put(["baseline"], {"path": "x", "status": "ok",
    "error": None, "schema": None, "first_time": None, "last_time": None, "figures": [
        {"id": "calls", "label": "Calls", "unit": "count", "previous": 1, "current": 2,
         "change": 1, "change_percent": 100.0, "trend": "up"}]}))
mutant("bad-baseline-status", "$.baseline", put(["baseline"], {"path": "x", "status": "gone",
    "error": None, "schema": None, "first_time": None, "last_time": None, "figures": []}))
PY
set --
while read -r name path; do set -- "$@" "$T/mut-$name.json"; done <"$T/mutants"
"$PY" tests/schema_check.py "$RS" "$@" >"$T/mut.out" 2>&1
mrc=$?
nmut=$#
okc "mutated reports: the validator exits 1 ($nmut mutants)" '[ "$mrc" -eq 1 ] && [ "$nmut" -ge 20 ]'
while read -r name path; do
	ok "mutant $name: rejected at $path" grep -qF "$T/mut-$name.json: $path: " "$T/mut.out"
done <"$T/mutants"
ok "no mutant is reported valid" sh -c '! grep -q ": valid (" "$1"' sh "$T/mut.out"
"$PY" -c '
import json, sys
r = json.load(open(sys.argv[1])); r["codes"][0]["action"] = "panic"; r["extra"] = 1
json.dump(r, open(sys.argv[2], "w"))' "$T/ex-code.json" "$T/ex-bad.json"
"$PY" tests/schema_check.py "$ES" "$T/ex-bad.json" >"$T/exbad.out" 2>&1
rc=$?
okc "explain JSON mutated: rejected (unknown key, unknown action)" '[ "$rc" -eq 1 ] &&
	grep -qF "\$: Additional properties" "$T/exbad.out" && grep -qF "\$.codes[0].action: " "$T/exbad.out"'

# tests/schema_check.py itself: usage, stdin, bad input, bad schema, missing module
"$PY" tests/schema_check.py "$RS" >/dev/null 2>&1
ok "schema_check.py without a file: exit 2" [ $? -eq 2 ]
"$PY" tests/schema_check.py "$RS" - <"$T/empty.json" >"$T/stdin.out" 2>&1
rc=$?
okc "schema_check.py reads '-' from stdin" '[ "$rc" -eq 0 ] && grep -q "^<stdin>: valid" "$T/stdin.out"'
echo '{"schema": ' >"$T/broken.json"
"$PY" tests/schema_check.py "$RS" "$T/broken.json" >/dev/null 2>&1
ok "schema_check.py on a file that is not JSON: exit 1" [ $? -eq 1 ]
echo '{"type": 5}' >"$T/bad.schema.json"
"$PY" tests/schema_check.py "$T/bad.schema.json" "$T/empty.json" >/dev/null 2>&1
ok "schema_check.py with an invalid schema: exit 2" [ $? -eq 2 ]
mkdir -p "$T/nojs"
echo 'raise ImportError("hidden for the test")' >"$T/nojs/jsonschema.py"
PYTHONPATH="$T/nojs" "$PY" tests/schema_check.py "$RS" "$T/empty.json" >"$T/nojs.out" 2>&1
rc=$?
okc "schema_check.py without jsonschema: exit 2 and names the package" '[ "$rc" -eq 2 ] &&
	grep -qF "python3-jsonschema is not installed: apt-get install python3-jsonschema" "$T/nojs.out"'

# Debian 12's python3-jsonschema (4.10.3) too, when python3 on PATH is another one
if [ "$PY" != /usr/bin/python3 ] && /usr/bin/python3 -c 'import jsonschema' 2>/dev/null; then
	set -- "$T"/sample-*.json "$T"/case-*.json "$T/empty.json" "$T/errors.json" "$T/rules.json" \
		"$T/hostile.json" "$T"/base-*.json
	VPY=/usr/bin/python3
	ok "with /usr/bin/python3's jsonschema too: every report valid" valid "$RS" "$@"
	VPY=
	/usr/bin/python3 tests/schema_check.py "$RS" "$T"/mut-*.json >/dev/null 2>&1
	ok "with /usr/bin/python3's jsonschema too: mutants rejected" [ $? -eq 1 ]
fi
finish
