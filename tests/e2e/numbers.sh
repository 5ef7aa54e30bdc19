#!/bin/sh
# Every number we accept is a number: option values that are NaN, infinite, hex, padded with
# spaces or beyond their type are usage errors (exit 2) that name the option, the range and
# the value.
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

finish
