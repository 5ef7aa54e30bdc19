#!/bin/sh
# Honest windows (--since/--until): a call belongs to the window in which its first message
# falls and is counted whole there, followed past --until; a window or a run with no SIP
# record exits 2 and says what each input held; the attempts-fall rule.
. tests/lib.sh
# BSD syslog stamps have no zone and no year: the year comes from the file's mtime, the zone
# is UTC here whatever the machine's
TZ=UTC
export TZ

# gen STYLE SPLIT OUT...: the night's events as kamailio xlog lines, RFC 3339 (rfc) or BSD
# syslog (bsd) stamps; with SPLIT, the events before midnight go to the first file
# (yesterday's, rotated) and the rest to the second (today's live file), else all to one.
gen() {
	python3 - "$@" <<'EOF'
import sys, datetime
style, split, outs = sys.argv[1], sys.argv[2] == "split", sys.argv[3:]
# (time, kind, what, cseq, method, call-id, auth)
ev = [
	# a call of yesterday evening, nothing to do with midnight
	("2026-11-30 22:10:00", "req", "INVITE", 1, "INVITE", "eve@x", "no"),
	("2026-11-30 22:10:00", "rpl", "100", 1, "INVITE", "eve@x", ""),
	("2026-11-30 22:10:04", "rpl", "486", 1, "INVITE", "eve@x", ""),
	("2026-11-30 22:10:04", "req", "ACK", 1, "ACK", "eve@x", "no"),
	# the issue's call: INVITE and 100 at 23:59:58, 200 at 00:00:03, its BYE at 00:05:00
	("2026-11-30 23:59:58", "req", "INVITE", 1, "INVITE", "mid@x", "no"),
	("2026-11-30 23:59:58", "rpl", "100", 1, "INVITE", "mid@x", ""),
	# a challenge at 23:59:59 retried at 00:00:01
	("2026-11-30 23:59:59", "req", "INVITE", 1, "INVITE", "chal@x", "no"),
	("2026-11-30 23:59:59", "rpl", "407", 1, "INVITE", "chal@x", ""),
	("2026-11-30 23:59:59", "req", "ACK", 1, "ACK", "chal@x", "no"),
	("2026-12-01 00:00:01", "req", "INVITE", 2, "INVITE", "chal@x", "yes"),
	("2026-12-01 00:00:01", "rpl", "100", 2, "INVITE", "chal@x", ""),
	("2026-12-01 00:00:02", "rpl", "200", 2, "INVITE", "chal@x", ""),
	("2026-12-01 00:00:03", "rpl", "200", 1, "INVITE", "mid@x", ""),
	("2026-12-01 00:00:03", "req", "ACK", 1, "ACK", "mid@x", "no"),
	("2026-12-01 00:00:03", "req", "ACK", 2, "ACK", "chal@x", "yes"),
	("2026-12-01 00:05:00", "req", "BYE", 2, "BYE", "mid@x", "no"),
	("2026-12-01 00:05:00", "rpl", "200", 2, "BYE", "mid@x", ""),
	# today's own call
	("2026-12-01 00:10:00", "req", "INVITE", 1, "INVITE", "day@x", "no"),
	("2026-12-01 00:10:00", "rpl", "100", 1, "INVITE", "day@x", ""),
	("2026-12-01 00:10:05", "rpl", "480", 1, "INVITE", "day@x", ""),
	("2026-12-01 00:10:05", "req", "ACK", 1, "ACK", "day@x", "no"),
]
files = [open(o, "w") for o in outs]
for t, kind, what, cseq, method, cid, auth in ev:
	d = datetime.datetime.strptime(t, "%Y-%m-%d %H:%M:%S")
	stamp = d.strftime("%Y-%m-%dT%H:%M:%S.000000+00:00") if style == "rfc" else \
		d.strftime("%b %d %H:%M:%S").replace(" 0", "  ", 1) if d.day < 10 else d.strftime("%b %d %H:%M:%S")
	if kind == "req":
		rest = "req=%s cseq=%d %s callid=%s src=udp:10.0.0.1:5060 auth=%s ua=P" % (what, cseq, method, cid, auth)
	else:
		rest = "rpl=%s cseq=%d %s callid=%s src=udp:10.0.0.9:5060 reason=R" % (what, cseq, method, cid)
	f = files[1] if split and d.day == 1 else files[0]
	f.write("%s px kamailio[7]: NOTICE: <script>: siplog: %s\n" % (stamp, rest))
EOF
}

Y="--since 2026-11-30 --until 2026-12-01"	# yesterday
D="--since 2026-12-01 --until 2026-12-02"	# today

# one JSON check per window, the same whatever the layout of the files
check_yesterday() { # LABEL
	okc "$1, yesterday: exit 0" '[ "$rc" -eq 0 ]'
	ok "$1, yesterday: three calls (eve, mid, chal), each counted once" \
		[ "$(jq_get "$T/out" '(r["calls"]["total"], r["call_ids"]["total"])')" = "(3, 3)" ]
	ok "$1, yesterday: the midnight call is answered, not stuck: 200 and 486 after 100" \
		[ "$(jq_get "$T/out" '(r["trying_to_final"]["trying"], r["trying_to_final"]["stuck"], sorted(r["trying_to_final"]["by_final"].items()))')" = "(3, 0, [('200', 2), ('486', 1)])" ]
	ok "$1, yesterday: the challenge at 23:59:59 is retried at 00:00:01 and accepted" \
		[ "$(jq_get "$T/out" '[r["proxy_auth"][k] for k in ("challenged", "retried", "accepted", "not_retried")]')" = "[1, 1, 1, 0]" ]
	ok "$1, yesterday: its delay 100 -> 200 is 5 s, its session 00:00:03 -> 00:05:00 ends with BYE" \
		[ "$(jq_get "$T/out" '(r["trying_to_final"]["delay_ms"]["max"], r["kpi"]["scr"]["num"], r["kpi"]["session_ms"]["max"])')" = "(5000.0, 1, 297000.0)" ]
	ok "$1, yesterday: every message of the three calls counted, today's call's left out" \
		[ "$(jq_get "$T/out" '(r["totals"]["records"], r["input"]["outside"])')" = "(17, 4)" ]
	ok "$1, yesterday: two calls followed past midnight" \
		[ "$(jq_get "$T/out" 'r["input"]["followed_past_until"]')" = 2 ]
	ok "$1, yesterday: the timeline has the hours the calls started in" \
		[ "$(jq_get "$T/out" '[(h["hour"], h["calls"]) for h in r["timeline"]]')" = "[('2026-11-30T22:00:00Z', 1), ('2026-11-30T23:00:00Z', 2)]" ]
	ok "$1, yesterday: no problem speaks of a stuck call or an unanswered challenge" \
		[ "$(jq_get "$T/out" 'sorted(p["id"] for p in r["problems"])')" = "[]" ]
}
check_today() { # LABEL
	okc "$1, today: exit 0" '[ "$rc" -eq 0 ]'
	ok "$1, today: one call (day@x); the midnight ones are not calls here" \
		[ "$(jq_get "$T/out" '(r["calls"]["total"], r["call_ids"]["total"], r["kpi"]["invite_attempts"])')" = "(1, 1, 1)" ]
	ok "$1, today: nothing stuck, only day@x's 480 after its 100" \
		[ "$(jq_get "$T/out" '(r["trying_to_final"]["trying"], r["trying_to_final"]["stuck"], r["trying_to_final"]["by_final"])')" = "(1, 0, {'480': 1})" ]
	ok "$1, today: no challenge, no session (the BYE is yesterday's call's)" \
		[ "$(jq_get "$T/out" '(r["proxy_auth"]["challenged"], r["kpi"]["scr"]["num"], r["kpi"]["session_ms"]["n"])')" = "(0, 0, 0)" ]
	ok "$1, today: only day@x's messages counted, the rest outside" \
		[ "$(jq_get "$T/out" '(r["totals"]["records"], r["input"]["outside"], r["input"]["followed_past_until"])')" = "(4, 17, 0)" ]
	ok "$1, today: no problem pattern (no orphan, no stuck call)" \
		[ "$(jq_get "$T/out" '[p["id"] for p in r["problems"] if p["id"] != "global-failures"]')" = "[]" ]
}

# --- one file, RFC 3339
gen rfc one "$T/one.log"
run -q -f json $Y --calls-csv "$T/y.csv" "$T/one.log"
check_yesterday "one file, RFC 3339"
okc "one file: --calls-csv of yesterday has the three calls, the midnight one answered" \
	'[ "$(grep -c "@x\"" "$T/y.csv")" = 3 ] && grep -q "^\"mid@x\",.*,\"200\",\"1\",\"200\"," "$T/y.csv"'
run -q -f json $D --calls-csv "$T/d.csv" "$T/one.log"
check_today "one file, RFC 3339"
okc "one file: --calls-csv of today has day@x alone" \
	'[ "$(grep -c "@x\"" "$T/d.csv")" = 1 ] && grep -q "^\"day@x\"," "$T/d.csv"'

# --- two files: yesterday's rotated file and today's live file, in both stamp styles; named
# as the cron glob names them (live first), with several threads and small blocks too
for style in rfc bsd; do
	mkdir -p "$T/$style"
	gen $style split "$T/$style/kamailio.log.1" "$T/$style/kamailio.log"
	touch -d '2026-12-01 00:00:00 UTC' "$T/$style/kamailio.log.1"
	touch -d '2026-12-01 06:25:00 UTC' "$T/$style/kamailio.log"
	run -q -f json $Y "$T/$style/kamailio.log" "$T/$style/kamailio.log.1"
	check_yesterday "two files, $style"
	cp "$T/out" "$T/y1.json"
	run -q -f json -j4 --block-size 4K $Y "$T/$style/kamailio.log" "$T/$style/kamailio.log.1"
	okc "two files, $style: the same report with -j4 and 4K blocks" \
		'python3 -c "import json,sys; a,b=(json.load(open(f)) for f in sys.argv[1:]); [x.pop(\"run\") for x in (a,b)]; sys.exit(a!=b)" "$T/y1.json" "$T/out"'
	run -q -f json $D "$T/$style/kamailio.log" "$T/$style/kamailio.log.1"
	check_today "two files, $style"
done
# without a window: every call, every message, nothing outside
run -q -f json "$T/bsd/kamailio.log" "$T/bsd/kamailio.log.1"
ok "no window: four calls, 21 messages, nothing outside or followed" \
	[ "$(jq_get "$T/out" '(r["calls"]["total"], r["totals"]["records"], r["input"]["outside"], r["input"]["followed_past_until"])')" = "(4, 21, 0, 0)" ]

# --- the text report says what the window holds
run -q $Y "$T/one.log"
okc "text: the window's calls, what was left out and followed past its end" \
	'grep -q "calls that started from 2026-11-30T00:00:00Z until 2026-12-01T00:00:00Z" "$T/out" && grep -q "^    4 SIP messages left out, 2 calls followed past its end" "$T/out"'

run -q -f html $Y "$T/one.log"
okc "HTML: the same in the header's Window" \
	'grep -q "(--since/--until): the calls that started in it; 4 SIP messages left out, 2 calls followed past its end" "$T/out"'

# --- a window that starts in the middle of a call: its later messages are its own
run -q -f json --since 2026-11-30T23:59:59 --until 2026-12-02 "$T/one.log"
ok "since 23:59:59: mid@x (INVITE at 23:59:58) is neither a call nor stuck; chal@x and day@x are" \
	[ "$(jq_get "$T/out" '(r["calls"]["total"], r["trying_to_final"]["stuck"], r["trying_to_final"]["by_final"], r["kpi"]["scr"]["num"])')" = "(2, 0, {'200': 1, '480': 1}, 0)" ]
# --- a window that ends in the middle of a retry: the call keeps it
run -q -f json --since 2026-11-30T23:00 --until 2026-12-01T00:00:01 "$T/one.log"
ok "until 00:00:01: chal@x's retry at 00:00:01 is still its retry; day@x is not a call" \
	[ "$(jq_get "$T/out" '(r["calls"]["total"], r["proxy_auth"]["retried"], r["proxy_auth"]["accepted"])')" = "(2, 1, 1)" ]

# --- no data: a window with no record, a run over an empty file
run -o "$T/none.json" -o - --since 2026-12-05 --until 2026-12-06 "$T/one.log"
okc "a window with no record: exit 2" '[ "$rc" -eq 2 ]'
okc "... stderr names the window and what the input held" \
	'grep -q "no SIP record in the window from 2026-12-05T00:00:00Z until 2026-12-06T00:00:00Z" "$T/err" && grep -q "one.log: 21 SIP messages, 2026-11-30T22:10:00Z to 2026-12-01T00:10:05Z, none in the window" "$T/err"'
okc "... and what to check" 'grep -q "check: did SIP logging stop" "$T/err"'
okc "... the reports are still written: 0 records, 21 outside" \
	'[ "$(jq_get "$T/none.json" '\''(r["totals"]["records"], r["input"]["outside"])'\'')" = "(0, 21)" ] && grep -q "nothing in the window" "$T/out"'
run -q --fail-on 'stuck>0' --since 2026-12-05 --until 2026-12-06 "$T/one.log"
okc "... also with --quiet and --fail-on (the nightly recipe): exit 2, said on stderr" \
	'[ "$rc" -eq 2 ] && grep -q "no SIP record in the window" "$T/err" && grep -q "none in the window" "$T/err"'
: >"$T/empty.log"
run -q "$T/empty.log"
okc "an empty file: exit 2, said with -q: empty" \
	'[ "$rc" -eq 2 ] && grep -q "no SIP record in any input (1 read)" "$T/err" && grep -q "empty.log: empty, 0 bytes, 0 lines" "$T/err" && grep -q "check: is SIP logging switched off" "$T/err"'
run -q $Y "$T/one.log" "$T/empty.log"
ok "an empty file beside a window with records: exit 0" [ "$rc" -eq 0 ]

# --- attempts-fall: INVITE attempts against the baseline's
run -q -o "$T/base4.json" "$T/one.log"				# 4 attempts
{ kline 01 req OPTIONS 1 OPTIONS o1; kline 02 req REGISTER 1 REGISTER r1; } >"$T/opt.log"
run -q -o "$T/base0.json" "$T/opt.log"			# no INVITE
run -f json --baseline "$T/base4.json" --fail-on 'attempts-fall>50%' $D "$T/one.log"
okc "attempts-fall: 4 -> 1 is a fall of 75%: attempts-fall>50% holds, exit 1" \
	'[ "$rc" -eq 1 ] && [ "$(jq_get "$T/out" '\''r["rules"][0]["value"]'\'')" = 75.0 ] && grep -q "attempts-fall>50%'\'' holds (value 75)" "$T/err"'
run -f json --baseline "$T/base4.json" --fail-on 'attempts-fall>80' $D "$T/one.log"
okc "attempts-fall>80 (without %, the same percent): does not hold" '[ "$rc" -eq 0 ] && [ "$(jq_get "$T/out" '\''r["rules"][0]["fired"]'\'')" = False ]'
run -f json --baseline "$T/y1.json" --fail-on 'attempts-fall>0' "$T/one.log"
okc "attempts rose (3 -> 4): the fall is 0, the rule does not hold" '[ "$rc" -eq 0 ] && [ "$(jq_get "$T/out" '\''r["rules"][0]["value"]'\'')" = 0.0 ]'
run -f json --baseline "$T/nothing-yet.json" --fail-on 'attempts-fall>50%' $D "$T/one.log"
okc "no baseline yet (the first night): undefined, never holds, exit 0" '[ "$rc" -eq 0 ] && [ "$(jq_get "$T/out" '\''r["rules"][0]["value"]'\'')" = None ]'
jq_get "$T/base0.json" 'r["kpi"]["invite_attempts"]' >"$T/n0"
run -f json --baseline "$T/base0.json" --fail-on 'attempts-fall>=0' $D "$T/one.log"
okc "a baseline with 0 attempts ($(cat "$T/n0")): undefined, never holds" '[ "$(cat "$T/n0")" = 0 ] && [ "$rc" -eq 0 ] && [ "$(jq_get "$T/out" '\''r["rules"][0]["value"]'\'')" = None ]'
run -q --fail-on 'attempts-fall>50%' "$T/one.log"
okc "attempts-fall without --baseline: usage error naming it" '[ "$rc" -eq 2 ] && grep -q "attempts-fall rule compares with the baseline" "$T/err"'
finish
