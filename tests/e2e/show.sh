#!/bin/sh
# siplogscan show CALLID FILE...: one call's ladder. The ladders of the samples are golden
# files (tests/golden/show/, checked by tests/golden.sh); here: the analysis it shows is the
# report's (the --calls-ndjson row of the same Call-ID), every message of the call is in it,
# gzip and rotated sets, stdin, --raw, a hostile Call-ID matched as bytes and escaped.
. tests/lib.sh

RFC=samples/kamailio/kamailio-rfc3339.log
ID=1-21879@127.0.0.13

run show "$ID" "$RFC"
okc "a stuck call: exit 0, every message of its Call-ID, in log order, with file:line" \
	'[ "$rc" -eq 0 ] && [ "$(grep -c "^      at $RFC:" "$T/out")" -eq "$(grep -c "callid=$ID " "$RFC")" ] &&
	 [ "$(grep "^      at " "$T/out" | sed "s/^      at [^:]*:\([0-9]*\) .*/\1/" | tr "\n" " ")" = "$(grep -n "callid=$ID " "$RFC" | cut -d: -f1 | tr "\n" " ")" ] &&
	 head -1 "$T/out" | grep -qx "Call-ID $ID: 6 messages"'
okc "the ladder marks the challenge, the retry, the 100s and says the call is stuck, with the fix" \
	'grep -q "407 Proxy Authentication Required .*\[challenge (407)\]" "$T/out" &&
	 grep -q "INVITE .*2 INVITE  \[retry with Proxy-Authorization\]" "$T/out" &&
	 grep -q "100 Trying .*\[100 from a further hop\]" "$T/out" &&
	 grep -q "no final response for that transaction: stuck" "$T/out" &&
	 grep -q "^  problem stuck-after-100: INVITE stuck after 100 Trying" "$T/out" &&
	 grep -q "^    Fix: Follow one stuck Call-ID" "$T/out" && grep -q "More: siplogscan explain stuck-after-100" "$T/out"'

# the analysis shown is the report's: the same problems, outcome and delays as the row
"$BIN" -q --calls-ndjson "$T/all.ndjson" -o /dev/null "$RFC" tests/cases/kpis.log
cat > "$T/same.py" <<'PY'
import json, re, subprocess, sys
bin_, alln = sys.argv[1], sys.argv[2]
files = sys.argv[3:]
n = 0
for line in open(alln):
    o = json.loads(line)
    out = subprocess.run([bin_, "show", "-q", o["call_id"]] + files, capture_output=True,
                         text=True, check=True).stdout
    saw = out.split("\nWhat the analysis saw\n")[1]
    got = re.findall(r"^  problem ([a-z0-9-]+):", saw, re.M)
    assert got == o["problems"], (o["call_id"], got, o["problems"])
    oc = re.search(r"^  outcome: (.*)$", saw, re.M).group(1)
    assert oc.split()[0] == (str(o["outcome"]) if o["outcome"] else "no"), (o["call_id"], oc)
    assert ("stuck" in saw) == (o["trying"] is True and o["final_after_100"] is None), o["call_id"]
    if o["proxy_auth"] not in (None, "none"):
        assert re.search(r"^  407 -> retry: ", saw, re.M), o["call_id"]
    assert ("post-dial delay" in saw) == (o["pdd_ms"] is not None), o["call_id"]
    n += 1
assert n > 50, n
print("#", n, "calls")
PY
okc "every Call-ID of two logs: the problems, outcome, stuck, 407 and setup lines are the report's" \
	'python3 "$T/same.py" "$BIN" "$T/all.ndjson" "$RFC" tests/cases/kpis.log > "$T/s.out" 2>&1 ||
	 { sed "s/^/# /" "$T/s.out"; false; }'
run show a1 tests/cases/kpis.log
okc "kpis.log a1: 407 accepted, 100 -> 200, post-dial delay 1.40 s, ring 1.50 s, duration 10 s" \
	'grep -q "407 -> retry: challenged, retried, accepted (1 challenge, 1 retry)" "$T/out" &&
	 grep -q "100 Trying at .* -> final 200 after " "$T/out" &&
	 grep -q "post-dial delay (INVITE -> 18x, else final): 1.40 s" "$T/out" &&
	 grep -q "ring time (18x -> final): 1.50 s" "$T/out" && grep -q "duration (answer -> BYE): 10.00 s" "$T/out" &&
	 grep -q "200 OK .*\[final after the 100, answered\]" "$T/out" && grep -q "counted in no problem" "$T/out"'

# gzip, rotated sets, stdin
okc "a gzip file: the same ladder as the plain file" \
	'"$BIN" show -q "$ID" "$RFC" > "$T/a" && "$BIN" show -q "$ID" "$RFC.gz" | sed "s|log.gz:|log:|" > "$T/b" && cmp -s "$T/a" "$T/b"'
okc "--raw on gzip: the lines as the plain file holds them" \
	'"$BIN" show -q --raw "$ID" "$RFC" > "$T/a" && "$BIN" show -q --raw "$ID" "$RFC.gz" | sed "s|log.gz:|log:|" > "$T/b" && cmp -s "$T/a" "$T/b" &&
	 [ "$(grep -c "^      | .*callid=$ID " "$T/a")" -eq 6 ]'
run show 1-21352@127.0.0.10 samples/kamailio/syslog-bsd/kamailio.log.1 samples/kamailio/syslog-bsd/kamailio.log samples/kamailio/syslog-bsd/kamailio.log.2.gz
okc "a rotated set named in any order: the call across two files, oldest first, each line read back" \
	'[ "$rc" -eq 0 ] && [ "$(grep -c "^      at samples/kamailio/syslog-bsd/kamailio.log.2.gz:.*callid=1-21352@127.0.0.10 " "$T/out")" -eq 9 ] &&
	 [ "$(grep -c "^      at samples/kamailio/syslog-bsd/kamailio.log.1:.*callid=1-21352@127.0.0.10 " "$T/out")" -eq 2 ] &&
	 grep "^      at " "$T/out" | tail -1 | grep -q "kamailio.log.1:24 "'
"$BIN" show --raw -q "$ID" - < "$RFC" > "$T/stdin" 2>&1
okc "stdin: the ladder and the analysis, no lines (it cannot be read twice), said" \
	'[ "$(grep -c "^      at -:" "$T/stdin")" -eq 6 ] && grep -q "not read back: the input can be read only once" "$T/stdin" &&
	 grep -q "^  problem stuck-after-100" "$T/stdin"'
run show --raw "$ID" samples/kamailio/sipdump/kamailio-sipdump-2026-11-24--15-54-43.data
okc "--raw on a capture: each message whole (headers, body by Content-Length), not the capture's next header" \
	'grep -q "^      | Content-Length:   193$" "$T/out" && grep -q "^      | a=rtpmap:101 telephone-event/8000$" "$T/out" &&
	 ! grep -q "^      | srcip:" "$T/out" && [ "$(grep -c "^      | Call-ID: $ID$" "$T/out")" -eq 8 ]'

# the same Call-ID twice, idle between: two calls of the report, both shown
{ kline 01 req INVITE 1 INVITE r1; kline 02 rpl 486 1 INVITE r1; kline 50 req INVITE 1 INVITE r1; kline 51 rpl 200 1 INVITE r1; } > "$T/twice.log"
run show r1 "$T/twice.log"
okc "a Call-ID that went idle and came back: its four messages, and both calls" \
	'[ "$(grep -c "^      at " "$T/out")" -eq 4 ] && grep -q "Call-ID seen as call 1 of 2" "$T/out" &&
	 grep -q "Call-ID seen as call 2 of 2" "$T/out" && grep -q "^  outcome: 486$" "$T/out" && grep -q "^  outcome: 200$" "$T/out"'
run show --since 2026-11-24T13:00:30Z r1 "$T/twice.log"
okc "--since: a call before the window is counted nowhere, the one in it is" \
	'[ "$(grep -c "Call-ID seen as call" "$T/out")" -eq 0 ] && grep -q "^  outcome: 200$" "$T/out" && ! grep -q "outcome: 486" "$T/out"'
kline 01 req ACK 1 ACK orphan > "$T/orphan.log"
run show orphan "$T/orphan.log"
okc "a Call-ID with only an ACK: its message, and that the report counts it in no call" \
	'[ "$rc" -eq 0 ] && grep -q "counts this Call-ID in no call" "$T/out"'

# hostile Call-ID: matched byte for byte (a glob character is itself), escaped in the output
printf 'Nov 24 13:00:01 px kamailio[7]: NOTICE: <script>: siplog: req=INVITE cseq=1 INVITE callid=q"b\\\\c\033[31m\377\342\200\250z* src=udp:10.0.0.1:5060 auth=no ua=Evil"UA\001\nNov 24 13:00:02 px kamailio[7]: NOTICE: <script>: siplog: req=INVITE cseq=1 INVITE callid=q"b\\\\c\033[31m\377\342\200\250zz src=udp:10.0.0.1:5060 auth=no ua=U\n' > "$T/h.log"
HID=$(printf 'q"b\\\\c\033[31m\377\342\200\250z*')
run show --raw "$HID" "$T/h.log"
okc "hostile Call-ID: found as its bytes, the other (which a glob would match) not shown" \
	'[ "$rc" -eq 0 ] && [ "$(grep -c "^      at " "$T/out")" -eq 1 ] && head -1 "$T/out" | grep -q ": 1 message$"'
okc "hostile Call-ID and its line: escaped, no control byte, no raw U+2028" \
	'grep -qF "Call-ID q\"b\\\\\\\\c\\e[31m\\xff\\u{2028}z*: 1 message" "$T/out" &&
	 grep -qF "callid=q\"b\\\\\\\\c\\e[31m\\xff\\u{2028}z* " "$T/out" && grep -qF "ua=Evil\"UA\\x01" "$T/out" &&
	 ! LC_ALL=C grep -q "[[:cntrl:]]" "$T/out" && ! grep -q "$(printf "\342\200\250")" "$T/out"'
run show "$(printf 'q"b\\\\c\033[31m\377\342\200\250')" "$T/h.log"
okc "a prefix of a Call-ID is not that Call-ID: exit 1, escaped on stderr" \
	'[ "$rc" -eq 1 ] && [ ! -s "$T/out" ] && grep -qF "no message with this Call-ID" "$T/err" &&
	 ! LC_ALL=C grep -q "[[:cntrl:]]" "$T/err"'

# errors
run show "$ID"
okc "no file: usage error" '[ "$rc" -eq 2 ] && grep -q "expected a Call-ID and the log files" "$T/err"'
run show --bogus "$ID" "$RFC"
okc "an unknown option: usage error" '[ "$rc" -eq 2 ]'
run show "$ID" /nonexistent.log
okc "an unreadable input: exit 2" '[ "$rc" -eq 2 ] && grep -q "nonexistent" "$T/err"'
run show --help
okc "show --help: what it prints, --raw, the exit status" \
	'[ "$rc" -eq 0 ] && grep -q "^usage: siplogscan show" "$T/out" && grep -q -- "--raw" "$T/out" && grep -q "^Exit status" "$T/out"'
finish
