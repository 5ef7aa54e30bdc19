#!/bin/sh
# Sources an authentication log flags (--scanner-threshold failures or more) are problems in
# every format: auth-guessing, auth-break-in when the source also authenticated, and
# auth-spread-guessing for one account failed from several sources below the threshold.
# Hand counts are in tests/cases/asterisk-guessing.expect and asterisk-below-threshold.expect.
. tests/lib.sh
# tests/prom_check.py needs prometheus_client (as in formats.sh)
PY=$(python3 -c 'import prometheus_client, sys; print(sys.executable)' 2>/dev/null)
[ -n "$PY" ] || PY=/usr/bin/python3

GUESS=tests/cases/asterisk-guessing.log
BELOW=tests/cases/asterisk-below-threshold.log
SEC=samples/other/auth/asterisk-security.log
SIP=samples/kamailio/sipdump/*.data

# asterisk-guessing.log, --scanner-threshold 3: 203.0.113.9 failed 3 times and then
# authenticated (break-in), 198.51.100.50 failed 3 times (guessing), account 200 failed once
# from each of 3 sources (spread guessing)
run --scanner-threshold 3 "$GUESS"
okc "text: exit 0 without --fail-on" '[ $rc -eq 0 ]'
okc "text: problems listed, not 'none found'" '! grep -q "none found" "$T/out"'
okc "text: the break-in first, CRITICAL, with its source" \
	'grep -A4 "^  1\. \[CRITICAL\] auth-break-in" "$T/out" | grep -q "asterisk-guessing.log:2  203.0.113.9"'
okc "text: guessing HIGH with its source" \
	'grep -A4 "\[HIGH\] auth-guessing" "$T/out" | grep -q "asterisk-guessing.log:7  198.51.100.50"'
okc "text: spread guessing with its account" \
	'grep -A4 "\[HIGH\] auth-spread-guessing" "$T/out" | grep -q "asterisk-guessing.log:11  200$"'
okc "text: records, not SIP messages" \
	'grep -q "18 authentication records" "$T/out" && grep -q "  18 records$" "$T/out" && ! grep -q "SIP messages" "$T/out"'

"$BIN" -q -f json --scanner-threshold 3 "$GUESS" >"$T/g.json"
ok "json: valid against docs/report.schema.json" python3 tests/schema_check.py docs/report.schema.json "$T/g.json"
ok "json: three problems, severities and examples" python3 -c '
import json, sys
p = {x["id"]: x for x in json.load(open(sys.argv[1]))["problems"]}
assert sorted(p) == ["auth-break-in", "auth-guessing", "auth-spread-guessing"], sorted(p)
assert p["auth-break-in"]["severity"] == "critical" and p["auth-break-in"]["count"] == 1
assert p["auth-guessing"]["severity"] == "high" and p["auth-guessing"]["count"] == 1
assert p["auth-break-in"]["examples"] == [{"source": "203.0.113.9", "file": "tests/cases/asterisk-guessing.log", "line": 2}]
assert p["auth-spread-guessing"]["examples"][0]["account"] == "200"
' "$T/g.json"

"$BIN" -q -f prom --scanner-threshold 3 "$GUESS" >"$T/g.prom"
ok "prom: valid exposition, figures as in the JSON report" "$PY" tests/prom_check.py "$T/g.prom" "$T/g.json"
okc "prom: the auth patterns counted" \
	'grep -q "^siplogscan_problem_calls{id=\"auth-break-in\",severity=\"critical\"} 1$" "$T/g.prom" && grep -q "^siplogscan_problem_calls{id=\"auth-guessing\",severity=\"high\"} 1$" "$T/g.prom" && grep -q "^siplogscan_problem_calls{id=\"auth-spread-guessing\",severity=\"high\"} 1$" "$T/g.prom"'
okc "prom: patterns of calls absent, not 0 (the log shows no calls)" \
	'[ $(grep -c "^siplogscan_problem_calls{" "$T/g.prom") -eq 3 ]'

"$BIN" -q -f csv --scanner-threshold 3 "$GUESS" >"$T/g.csv"
okc "csv: examples keyed source and account" \
	'grep -q "^\"problem_examples\",\"auth-break-in/1\",\"source\",\"203.0.113.9\"" "$T/g.csv" && grep -q "^\"problem_examples\",\"auth-spread-guessing/1\",\"account\",\"200\"" "$T/g.csv"'
"$BIN" -q -f html --scanner-threshold 3 "$GUESS" >"$T/g.html"
okc "html: the problems and their sources" \
	'grep -q "id=\"p-auth-break-in\"" "$T/g.html" && grep -q "1 example source (first record, address)" "$T/g.html" && grep -q ">Authentication records</th>" "$T/g.html"'

# --fail-on reads the problems: exit 1 when a rule holds (README "Exit status")
run -q --scanner-threshold 3 --fail-on "auth-break-in>0" "$GUESS"
okc "--fail-on auth-break-in>0: holds, exit 1" '[ $rc -eq 1 ]'
run -q --fail-on "auth-guessing>0" "$SEC"
okc "sample security log, --fail-on auth-guessing>0: holds, exit 1" '[ $rc -eq 1 ]'
run -q --fail-on "auth-break-in>0" "$SEC"
okc "sample security log, --fail-on auth-break-in>0: no break-in, exit 0" '[ $rc -eq 0 ]'
run --fail-on "stuck-after-100>=0" "$SEC"
okc "--fail-on a call pattern on an auth log: undefined, exit 0" \
	'[ $rc -eq 0 ] && grep -q "stuck-after-100>=0  (undefined" "$T/out"'
# shellcheck disable=SC2086
run -q --fail-on "auth-guessing>=0" $SIP
okc "--fail-on an auth pattern on a SIP log: undefined, exit 0" '[ $rc -eq 0 ]'

# below the threshold: counted in the auth section, no problem
run --scanner-threshold 4 "$BELOW"
okc "below --scanner-threshold: no problem" \
	'sed -n "/^Problems/,\$p" "$T/out" | grep -q "^  none found"'
"$BIN" -q -f prom --scanner-threshold 4 "$BELOW" >"$T/b.prom"
okc "below: prom counts 0 for the auth patterns" \
	'[ $(grep -c "^siplogscan_problem_calls{id=\"auth-[a-z-]*\",severity=\"[a-z]*\"} 0$" "$T/b.prom") -eq 3 ]'

# a SIP log shows no authentication records: the auth patterns are absent from its prom
# file; with a security log beside it, every pattern is there
# shellcheck disable=SC2086
"$BIN" -q -f prom $SIP >"$T/sip.prom"
okc "SIP log prom: call patterns only" \
	'grep -q "id=\"stuck-after-100\"" "$T/sip.prom" && ! grep -q "id=\"auth-guessing\"" "$T/sip.prom"'
# shellcheck disable=SC2086
"$BIN" -q -f prom $SIP "$SEC" >"$T/mix.prom"
okc "SIP log + security log prom: every pattern" \
	'[ $(grep -c "^siplogscan_problem_calls{" "$T/mix.prom") -eq 14 ]'

run explain auth-break-in
okc "explain auth-break-in: critical, with the fix" \
	'[ $rc -eq 0 ] && grep -q "severity: critical" "$T/out" && grep -q "Recommended fix" "$T/out"'

finish
