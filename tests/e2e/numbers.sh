#!/bin/sh
# Every number we accept is a number: options and --fail-on values that are NaN, infinite,
# hex, padded with spaces or beyond their type are usage errors (exit 2) that name the option,
# the range and the value; --since/--until that overflow or make an empty window too; a
# --baseline figure beyond a double's range (1e5000) is unknown, and no report ever holds
# nan or inf.
. tests/lib.sh

kline 01 req INVITE 1 INVITE n1 > "$T/a.log"
{
	kline 02 rpl 100 1 INVITE n1
	kline 03 rpl 200 1 INVITE n1
	kline 04 req OPTIONS 1 OPTIONS n2
	kline 05 rpl 407 1 OPTIONS n2
} >> "$T/a.log"

# bad DESCRIPTION MESSAGE ARGS...: exit 2, no report, MESSAGE (a fixed string) on stderr
bad() {
	_bd=$1
	_bm=$2
	shift 2
	run -q -f json "$@" "$T/a.log"
	okc "$_bd: exit 2, no report, says \"$_bm\"" \
		'[ "$rc" -eq 2 ] && [ ! -s "$T/out" ] && grep -qF -- "$_bm" "$T/err"'
}

# seconds: NaN passes every range check (it fails each comparison) and was accepted
for spec in "call-timeout 0.001..604800" "session-timeout 0.001..604800" "slow-setup 0..86400"; do
	opt=${spec% *}
	range=${spec#* }
	for v in nan NaN -nan inf -inf INFINITY 1e999 -1e999 0x1p3 0x10 " 5" "5 " "+5" "5s" ""; do
		bad "--$opt '$v'" "--$opt: expected seconds, $range, got '$v'" "--$opt" "$v"
	done
done
run -q -f json --call-timeout 0.5 --session-timeout 1e3 --slow-setup .5 "$T/a.log"
okc "seconds as decimals (0.5, 1e3, .5) still accepted and echoed" \
	'[ "$rc" -eq 0 ] && [ "$(jq_get "$T/out" "[r[\"options\"][k] for k in (\"call_timeout_s\", \"session_timeout_s\", \"slow_setup_s\")]")" = "[0.5, 1000, 0.5]" ]'

# whole numbers: overflow of unsigned long and of unsigned, signs, spaces, not digits
for spec in "top 1..10000" "examples 0..10000" "scanner-threshold 1..1000000" "threads 1..256"; do
	opt=${spec% *}
	range=${spec#* }
	for v in 99999999999999999999 18446744073709551616 4294967297 -1 " 5" "5 " "+5" 1e3 nan; do
		bad "--$opt '$v'" "--$opt: expected $range, got '$v'" "--$opt" "$v"
	done
done
# sizes: the unit's shift must not wrap (17179869185G is 2^64 + 1G)
for v in 17179869185G 17592186044417M 18014398509482048K 18446744073709551615K \
	99999999999999999999 4096iB " 64K" "64K " -4K nan; do
	bad "--block-size '$v'" "--block-size: expected 4K..1G (bytes, or with K, M, G), got '$v'" \
		--block-size "$v"
done
run -q -f json --block-size 64KiB --top 05 "$T/a.log"
ok "--block-size 64KiB and --top 05 still accepted" [ "$rc" -eq 0 ]

# a value from the command line with terminal escapes is shown escaped, never sent raw
esc=$(printf '\033')
run -q --call-timeout "5${esc}[31mred" "$T/a.log"
okc "an option value with ESC: exit 2, shown escaped, no raw ESC on stderr" \
	'[ "$rc" -eq 2 ] && grep -qF "got '\''5\\e[31mred'\''" "$T/err" && ! grep -q "$esc" "$T/err"'

# --since/--until: a time before now that leaves int64_t, or the years 0001..9999
for opt in since until; do
	for v in -99999999999d -1e400d -9e15s -800000d -0x1p3d 0000-01-01 "-5d " -nand; do
		bad "--$opt '$v'" "--$opt: expected a date or time (2026-11-24, 2026-11-24T13:00), today, yesterday or -24h/-30m/-7d, within 0001-01-01..9999-12-31, got '$v'" \
			"--$opt" "$v"
	done
done
# an empty or inverted window scanned everything to report nothing, with exit 0
bad "--until equal to --since" \
	"--until '2026-11-24T13:00' (2026-11-24T13:00:00Z) is not after --since '2026-11-24T13:00' (2026-11-24T13:00:00Z)" \
	--since 2026-11-24T13:00 --until 2026-11-24T13:00
bad "--until before --since" \
	"--until '2026-11-24' (2026-11-24T00:00:00Z) is not after --since '2026-11-25' (2026-11-25T00:00:00Z)" \
	--since 2026-11-25 --until 2026-11-24
bad "--until today, --since today" "--until 'today'" --since today --until today
bad "--until yesterday, --since today (words)" "is not after --since 'today'" \
	--since today --until yesterday
run -q -f json --since 2026-11-24T13:00 --until 2026-11-24T13:01 "$T/a.log"
okc "a window of one minute: exit 0, its events kept" \
	'[ "$rc" -eq 0 ] && [ "$(jq_get "$T/out" "r[\"totals\"][\"records\"]")" = 5 ]'
run -q -f json --since -1.5h "$T/a.log"
# accepted: a report (exit 0), or, when the log's day is past, no record in the window (exit 2)
okc "--since -1.5h still accepted" \
	'[ "$rc" -eq 0 ] || { [ "$rc" -eq 2 ] && grep -q "no SIP record in the window" "$T/err"; }'

# --fail-on values: a NaN rule never held, an infinite one always or never, silently
for rule in 'ser<nan' 'calls>inf' 'calls>-inf' 'calls>1e400' 'x>1e400' 'calls>0x10' 'calls>1e16' \
	'stuck>5 ' 'stuck> 5' 'ser<+95' 'stuck>nan%' 'stuck>'; do
	v=${rule#*[<>=]}
	bad "--fail-on '$rule'" "'$rule': expected a decimal number after the operator, -1e15..1e15, optionally with %, got '$v'" \
		--fail-on "$rule"
done
run -q -f json --fail-on 'ser<95.5,stuck>=0,calls>1e3,isa<-1.5%' "$T/a.log"
okc "--fail-on with decimal values still works (stuck>=0 holds)" \
	'[ "$rc" -eq 1 ] && [ "$(jq_get "$T/out" "r[\"rules_fired\"]")" = 1 ]'

run -q --since "$(printf 'today\033]0;x\007')" "$T/a.log"
okc "a --since value with OSC: exit 2, no raw ESC or BEL on stderr" \
	'[ "$rc" -eq 2 ] && ! grep -q "$esc" "$T/err" && ! grep -q "$(printf "\007")" "$T/err"'
run -q --fail-on "stuck>0${esc}[2J" "$T/a.log"
okc "a --fail-on rule with ESC: exit 2, says which byte, no raw ESC" \
	'[ "$rc" -eq 2 ] && grep -q "byte 0x1b at offset 7 is not printable ASCII" "$T/err" && ! grep -q "$esc" "$T/err"'

# --baseline: figures beyond a double's range are unknown, the rest is still compared
no_nonfinite() { # no_nonfinite FILE: strict JSON (no NaN/Infinity) and no nan/inf tokens
	python3 -c '
import json, sys
def refuse(c):
    raise ValueError("non-finite number " + c)
json.load(open(sys.argv[1]), parse_constant=refuse)' "$1" 2>/dev/null &&
		! grep -Eiq '(:|,|\[) *-?(nan|inf|infinity)\b' "$1"
}
words_finite() { # words_finite FILE: no nan or inf as a word (text, CSV, HTML)
	[ -s "$1" ] && ! grep -Eiwq -- '-?(nan|inf|infinity)' "$1"
}
"$BIN" -q -o "$T/prev.json" "$T/a.log"
python3 - "$T/prev.json" "$T/huge.json" <<'PY'
import re, sys
s = open(sys.argv[1]).read()
s = re.sub(r'"calls": \{"total": [0-9]+', '"calls": {"total": 1e5000', s, 1)
s = re.sub(r'"ser": \{"percent": [0-9.]+', '"ser": {"percent": -1e5000', s, 1)
s = re.sub(r'"407": [0-9]+', '"407": 1e400', s, 1)
s = re.sub(r'("trying_to_final": .*?"delay_ms": \{"p50": )[0-9.]+', r'\g<1>1e-320', s, 1, re.S)
s = re.sub(r'"stuck": [0-9]+', '"stuck": 1e16', s, 1)
open(sys.argv[2], "w").write(s)
PY
ok "the damaged baseline has the huge figures" grep -q '"total": 1e5000' "$T/huge.json"
rules='change:calls<0,change:kpi.ser>0,change:trying.delay.p50>5%,change:responses.4xx<0'
run -f json --baseline "$T/huge.json" --fail-on "$rules" -o "$T/n.json" -o "$T/n.txt" \
	-o "$T/n.csv" -o "$T/n.html" -o "$T/n.prom" "$T/a.log"
ok "baseline with 1e5000: exit 0 (a figure is unknown, the file is not refused)" [ "$rc" -eq 0 ]
ok "baseline with 1e5000: JSON has no nan, inf or Infinity" no_nonfinite "$T/n.json"
okc "baseline with 1e5000: JSON valid per docs/report.schema.json" \
	'python3 tests/schema_check.py docs/report.schema.json "$T/n.json" >/dev/null'
fig() { # fig ID FIELD: a baseline figure's field
	jq_get "$T/n.json" "[f[\"$2\"] for f in r[\"baseline\"][\"figures\"] if f[\"id\"] == \"$1\"][0]"
}
okc "1e5000 calls: previous, change and trend unknown (null)" \
	'[ "$(fig calls previous)" = None ] && [ "$(fig calls change)" = None ] && [ "$(fig calls trend)" = None ]'
okc "-1e5000 SER: unknown" '[ "$(fig kpi.ser previous)" = None ] && [ "$(fig kpi.ser change)" = None ]'
ok "a response count of 1e400: its class sum is unknown" [ "$(fig responses.4xx previous)" = None ]
ok "a count beyond 1e15 (1e16 stuck): unknown" [ "$(fig stuck previous)" = None ]
okc "a previous delay of 1e-320: change_percent null (it overflows), the change known" \
	'[ "$(fig trying.delay.p50 change_percent)" = None ] && [ "$(fig trying.delay.p50 change)" != None ]'
okc "the other figures are still compared" \
	'[ "$(fig records previous)" = 5 ] && [ "$(fig records trend)" = same ]'
okc "rules on unknown changes: value null, none holds" \
	'[ "$(jq_get "$T/n.json" "[x[\"value\"] for x in r[\"rules\"]]")" = "[None, None, None, None]" ] && [ "$(jq_get "$T/n.json" "r[\"rules_fired\"]")" = 0 ]'
for f in n.txt n.csv n.html n.prom; do
	ok "baseline with 1e5000: $f has no nan or inf" words_finite "$T/$f"
done
okc "baseline with 1e5000: no rule holds, no nan or inf on stderr" \
	'! grep -Eiwq -- "-?(nan|inf|infinity)" "$T/err" && ! grep -q holds "$T/err"'
okc "text: the unknown figures read unknown" \
	'grep -Eq "calls \(INVITE dialogs\) +unknown +1" "$T/n.txt" && grep -Eq "SER, session establishment +unknown" "$T/n.txt"'

# a change rule may look at a negative change: the schema accepts it
cp "$T/a.log" "$T/a-copy.log"	# a copy: the same file twice is scanned once
"$BIN" -q -o "$T/big.json" "$T/a.log" "$T/a-copy.log"
run -f json --baseline "$T/big.json" --fail-on 'change:records<-20%' "$T/a.log"
okc "a negative change in a rule: exit 1, value -50, report valid per the schema" \
	'[ "$rc" -eq 1 ] && [ "$(jq_get "$T/out" "r[\"rules\"][0][\"value\"]")" = -50.0 ] && python3 tests/schema_check.py docs/report.schema.json "$T/out" >/dev/null'
finish
