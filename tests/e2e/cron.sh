#!/bin/sh
# Cron use: --fail-on thresholds (exit 1, naming the rule), --quiet silent unless a rule holds,
# --since/--until windows.
. tests/lib.sh

f=tests/cases/kpis.log	# 5 INVITE attempts: SER 25%, one 503, REGISTER IRA 50%
run -q -f json --fail-on 'server-errors>0' "$f"
ok "a rule that holds: exit 1" [ "$rc" -eq 1 ]
ok "it is named on stderr with its value" grep -q "server-errors>0' holds (value 1)" "$T/err"
ok "and in the JSON report" [ "$(jq_get "$T/out" 'r["rules"][0]["fired"]')" = True ]
run -q -f json --fail-on 'stuck>0,ser<20,isa>=20%' "$f"
okc "three rules, one holds (isa = 20%): exit 1" '[ "$rc" -eq 1 ] && [ "$(jq_get "$T/out" '\''r["rules_fired"]'\'')" = 1 ]'
ok "values: stuck 0, ser 25" [ "$(jq_get "$T/out" '[x["value"] for x in r["rules"]][:2]')" = "[0.0, 25.0]" ]
run -q --fail-on 'stuck>0' "$f"
okc "--quiet with rules that do not hold: exit 0, nothing printed" '[ "$rc" -eq 0 ] && [ ! -s "$T/out" ] && [ ! -s "$T/err" ]'
run -q --fail-on 'proxy-auth-not-retried>10%' "$f"
okc "--quiet with a rule that holds: the report is printed" '[ "$rc" -eq 1 ] && grep -q "HOLDS proxy-auth-not-retried>10%" "$T/out"'
ok "the text report fits an email: no colour, width <= 80" python3 -c 'import sys; d=open(sys.argv[1],encoding="utf-8").read(); sys.exit("\033" in d or max(map(len, d.split("\n"))) > 80)' "$T/out"
run --fail-on 'bogus>1' "$f"
okc "unknown rule name: exit 2 with the accepted names" '[ "$rc" -eq 2 ] && grep -q "unknown name '\''bogus'\''" "$T/err"'
run --fail-on 'stuck' "$f"
okc "malformed rule: exit 2 with an example" '[ "$rc" -eq 2 ] && grep -q "expected NAME OP VALUE" "$T/err"'
run -q -f json --fail-on 'ser<50' tests/cases/no-answer.log
ok "a KPI without attempts answered is defined (0%): ser<50 holds" [ "$rc" -eq 1 ]
run -f json --fail-on 'ira>0' tests/cases/no-answer.log
okc "a KPI without any attempt is undefined (null) and never holds" '[ "$rc" -eq 0 ] && [ "$(jq_get "$T/out" '\''r["rules"][0]["value"]'\'')" = None ]'

# --since / --until (kpis.log runs from 13:00:00 to 13:00:28 on the file's mtime year)
y=$(date -u -r "$f" +%Y)
run -q -f json --since "${y}-11-24T13:00:21Z" "$f"
okc "--since: earlier events left out" '[ "$(jq_get "$T/out" '\''r["kpi"]["invite_attempts"]'\'')" = 3 ] && [ "$(jq_get "$T/out" '\''r["input"]["outside"]'\'')" -gt 0 ]'
run -q -f json --until "${y}-11-24T13:00:21Z" "$f"
ok "--until: later events left out" [ "$(jq_get "$T/out" 'r["kpi"]["invite_attempts"]')" = 2 ]
run -q -f json --since "${y}-11-24" --until "${y}-11-25" "$f"
ok "a whole day: nothing left out" [ "$(jq_get "$T/out" 'r["input"]["outside"]')" = 0 ]
# (the log's day is past unless the test runs on it: then the window holds no record, exit 2)
inwin='[ "$rc" -eq 0 ] || { [ "$rc" -eq 2 ] && grep -q "no SIP record in the window" "$T/err"; }'
run -q -f json --since yesterday "$f"
okc "--since yesterday parses" "$inwin"' && [ "$(jq_get "$T/out" '\''r["input"]["since"] is not None'\'')" = True ]'
run -q --since -24h "$f"
okc "--since -24h parses" "$inwin"
run --since 'last tuesday' "$f"
okc "--since with a bad time: exit 2 with the accepted forms" '[ "$rc" -eq 2 ] && grep -q "today, yesterday" "$T/err"'
finish
