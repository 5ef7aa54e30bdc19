#!/bin/sh
# What a log cannot give is said, never shown as 0: the acc sample (finals only) in every
# report format, a profile's own 'gives', and a mix of formats (what any file gives counts).
. tests/lib.sh

ACC=samples/kamailio/acc/kamailio-acc.log
SIP=samples/kamailio/sipdump/*.data

run -q "$ACC"
okc "acc text: exit 0" '[ $rc -eq 0 ]'
# the three sections and the KPI delays each say "not in this log", with no count beside
okc "acc text: 100 Trying section says not in this log" \
	'sed -n "/^100 Trying -> final/,/^$/p" "$T/out" | grep -q "^  not in this log: its format shows no 100 Trying"'
okc "acc text: 407 and 401 sections say not in this log" \
	'[ $(grep -c "^  not in this log: its format shows no challenges or retries" "$T/out") -eq 2 ]'
okc "acc text: KPI delays and attempts without a final not in this log" \
	'sed -n "/^Telephony KPIs/,/^$/p" "$T/out" | grep -q "not in this log: SRD, RRD, ACD, attempts without a final"'
okc "acc text: no zero counts for what it cannot give" \
	'! grep -Eq "calls got 100 Trying|no INVITE received 100 Trying|no request was challenged|SRD \(INVITE" "$T/out"'
okc "acc text: the outcomes are there (ASR)" 'grep -q "ASR 53.3%" "$T/out"'
# 30 acc lines (samples/kamailio/acc/), each one record: records, not SIP messages
okc "acc text: accounting records, not SIP messages" \
	'grep -q "^  1 file, .* 30 accounting records$" "$T/out" && grep -q "  30 records$" "$T/out" && ! grep -q "SIP messages" "$T/out"'

"$BIN" -q -f json "$ACC" >"$T/acc.json"
ok "acc json: valid against docs/report.schema.json" python3 tests/schema_check.py docs/report.schema.json "$T/acc.json"
ok "acc json: not_in_log, null sections and null KPI figures" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["input"]["not_in_log"] == ["requests", "provisional", "challenges"], r["input"]
assert r["trying_to_final"] is None and r["proxy_auth"] is None and r["www_auth"] is None
k = r["kpi"]
assert [k[x] for x in ("no_final", "srd_ms", "rrd_ms", "session_ms", "acd_ms")] == [None] * 5, k
assert k["asr"]["num"] == 8 and k["invite_attempts"] == 15, k
' "$T/acc.json"

"$BIN" -q -f csv "$ACC" >"$T/acc.csv"
okc "acc csv: the rows are there, their values empty" \
	'grep -q "^\"trying_to_final\",\"stuck\",\"count\",\"\"" "$T/acc.csv" && grep -q "^\"auth\",\"proxy\",\"challenged\",\"\"" "$T/acc.csv" && grep -q "^\"kpi\",\"no_final\",\"count\",\"\"" "$T/acc.csv" && grep -q "^\"kpi\",\"asr\",\"num\",\"8\"" "$T/acc.csv"'
"$BIN" -q -f prom "$ACC" >"$T/acc.prom"
okc "acc prom: the families it cannot give are absent" \
	'! grep -Eq "^siplogscan_(trying|stuck|auth_challenged|kpi_no_final|kpi_delay_seconds|kpi_delays)[{ ]" "$T/acc.prom" && grep -q "^siplogscan_kpi_ratio{kpi=\"asr\"}" "$T/acc.prom"'
"$BIN" -q -f html "$ACC" >"$T/acc.html"
okc "acc html: four notes (100 Trying, call setup, challenges, KPI delays), no 100 Trying tiles" \
	'[ $(grep -c "not in this log: " "$T/acc.html") -eq 4 ] && ! grep -q ">Stuck</div>" "$T/acc.html"'

# --fail-on on a figure the log cannot give: undefined, never fires; on a SIP log it is 0
run --fail-on "stuck<=0" "$ACC"
okc "acc --fail-on stuck<=0: undefined, exit 0" '[ $rc -eq 0 ] && grep -q "undefined" "$T/out"'
# shellcheck disable=SC2086
run -q --fail-on "challenged>=0" $SIP
okc "sipdump --fail-on challenged>=0: fires (exit 1)" '[ $rc -eq 1 ]'

# a log of whole SIP messages gives everything; a mix gives what any of its files gives
# shellcheck disable=SC2086
"$BIN" -q -f json $SIP >"$T/sip.json"
ok "sipdump json: not_in_log empty, sections present" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["input"]["not_in_log"] == []
assert isinstance(r["trying_to_final"], dict) and isinstance(r["proxy_auth"], dict)
assert isinstance(r["kpi"]["no_final"], int) and isinstance(r["kpi"]["srd_ms"], dict)
' "$T/sip.json"
# shellcheck disable=SC2086
"$BIN" -q -f json "$ACC" $SIP >"$T/mix.json"
okc "acc + sipdump json: not_in_log empty" '[ "$(jq_get "$T/mix.json" "r[\"input\"][\"not_in_log\"]")" = "[]" ]'

# a profile's own gives
cat >"$T/mine.profile" <<'PROF'
name = mine
gives = finals challenges
match = ^(?<callid>\S+) (?:req=(?<method>[A-Z]+)|rpl=(?<status>[0-9]{3})) (?<cseq>[0-9]+) (?<cseq_method>[A-Z]+)$
PROF
printf 'c1 req=INVITE 1 INVITE\nc1 rpl=407 1 INVITE\nc1 req=INVITE 2 INVITE\nc1 rpl=200 2 INVITE\n' >"$T/mine.log"
"$BIN" -q -f json -l "$T/mine.profile" "$T/mine.log" >"$T/mine.json"
ok "gives = finals challenges: requests and provisional not in the log, auth counted" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["input"]["not_in_log"] == ["requests", "provisional"], r["input"]
assert r["trying_to_final"] is None and r["proxy_auth"]["accepted"] == 1
assert r["kpi"]["no_final"] is None and r["kpi"]["asr"]["num"] == 1
' "$T/mine.json"
ok "gives = finals challenges: valid against the schema" python3 tests/schema_check.py docs/report.schema.json "$T/mine.json"

finish
