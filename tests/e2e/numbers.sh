#!/bin/sh
# Every number we accept is a number: options and --fail-on values that are NaN, infinite,
# hex, padded with spaces or beyond their type are usage errors (exit 2) that name the option,
# the range and the value; --since/--until that overflow or make an empty window too.
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
for spec in "top 1..10000" "examples 0..20" "scanner-threshold 1..1000000" "threads 1..256"; do
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
ok "--since -1.5h still accepted" [ "$rc" -eq 0 ]

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

finish
