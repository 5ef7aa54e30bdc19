#!/bin/sh
# --log-format auto when several formats read a log (src/detect.c): the built-ins and the
# layout inferred from the sample each count the records they read in it, the most wins (on a
# tie a full format before a thin one, then a built-in before the inferred layout), and a
# mixed log says in its note what the chosen format leaves unread. A minority of crafted
# lines - in a User-Agent, in a message body - switches nothing.
. tests/lib.sh
L=tests/cases/infer-labels.log	# 16 operator-layout lines, 3 calls (hand counts in its .expect)
P='2026-11-24T13:00:03.000+00:00 edge1 kamailio[231]: INFO: <script>:'
fmt_of() { jq_get "$1" 'r["input"]["files"][0]["format"]'; }
note_of() { jq_get "$1" 'r["input"]["files"][0]["note"]'; }
records_of() { jq_get "$1" 'r["totals"]["records"]'; }

# xlog("$mb") of one message, its line ends escaped by rsyslog: mb CALL-ID
mb() {
	echo "$P MB OPTIONS sip:edge1 SIP/2.0#015#012Via: SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK9#015#012Call-ID: $1#015#012CSeq: 7 OPTIONS#015#012User-Agent: pinger#015#012Content-Length: 0#015#012#015#012"
}
# one acc record: acc SECOND METHOD CALL-ID CODE
acc() {
	echo "2026-11-24T13:00:$1.000+00:00 edge1 kamailio[231]: NOTICE: acc [acc.c:287]: acc_log_request(): ACC: transaction answered: timestamp=17955252$1;method=$2;from_tag=f;to_tag=t;call_id=$3;code=$4;reason=R;src_user=alice;src_domain=example.net;src_ip=10.0.0.1"
}

# (a) the operator's lines and one message of another call that xlog("$mb") wrote: the
# layout reads 16 records, the sip format 1 (once, the sip format won and 16 lines were lost)
{ head -8 "$L"; mb mb-1@10.0.0.5; tail -8 "$L"; } >"$T/a.log"
run -f json "$T/a.log"
okc "operator lines + one \$mb message: format inferred, 16 records" \
	'[ "$rc" -eq 0 ] && [ "$(fmt_of "$T/out")" = inferred ] && [ "$(records_of "$T/out")" = 16 ]'
note_of "$T/out" >"$T/note"
okc "... the note says mixed: 1 record of calls that format inferred does not read, and how to read it" \
	'grep -qF "mixed: its sample also holds 1 record of calls that format inferred does not read: format sip reads them (--log-format sip)" "$T/note"'
okc "... stderr says so too" 'grep -qF "note: '"'"'$T/a.log'"'"': mixed: " "$T/err"'
okc "... stderr: a layout of its own reads more than any built-in" \
	'grep -qF "a layout of its own reads more records than any built-in format; layout inferred from 16 of 16" "$T/err"'
gzip -c "$T/a.log" >"$T/a.log.gz"
run -q -f json "$T/a.log.gz"
okc "... gzipped (a stream, sampled from its head): the same" \
	'[ "$(fmt_of "$T/out")" = inferred ] && [ "$(records_of "$T/out")" = 16 ]'
# 'profile --infer' prints the layout the scan used: saved and given, the same report
"$BIN" profile --infer "$T/a.log" >"$T/a.profile" 2>/dev/null
"$BIN" -q -f json -l "$T/a.profile" "$T/a.log" >"$T/given.json"
"$BIN" -q -f json "$T/a.log" >"$T/auto.json"
okc "... profile --infer, saved and given: the same calls and totals" \
	'[ "$(jq_get "$T/given.json" "[r[k] for k in (\"totals\", \"calls\")]")" = "$(jq_get "$T/auto.json" "[r[k] for k in (\"totals\", \"calls\")]")" ]'
# the message of a call the operator's lines have: nothing unread, no note of it
{ head -8 "$L"; mb a1-77@10.0.0.1; tail -8 "$L"; } >"$T/a2.log"
run -q -f json "$T/a2.log"
okc "operator lines + one \$mb message of one of their calls: inferred, no mixed note" \
	'[ "$(fmt_of "$T/out")" = inferred ] && ! note_of "$T/out" | grep -q mixed'

# (b) a proxy with acc on and its own xlog: 16 layout lines against 3 acc records of the same
# calls (once: format acc, 3 records)
{ cat "$L"; acc 04 INVITE a1-77@10.0.0.1 200; acc 05 BYE a1-77@10.0.0.1 200; acc 06 REGISTER r1-79@10.0.0.3 200; } >"$T/b.log"
run -q -f json "$T/b.log"
okc "operator lines + acc records of their calls: format inferred, 16 records, no mixed note" \
	'[ "$(fmt_of "$T/out")" = inferred ] && [ "$(records_of "$T/out")" = 16 ] && ! note_of "$T/out" | grep -q mixed'
acc 07 INVITE x9@10.0.0.7 486 >>"$T/b.log"
run -q -f json "$T/b.log"
okc "... and one acc record of another call: the note names acc" \
	'[ "$(fmt_of "$T/out")" = inferred ] && note_of "$T/out" | grep -qF "holds 1 record of calls that format inferred does not read: format acc reads them (--log-format acc)"'
# a tie: 4 request lines (lines 1 3 4 7: the REQ layout) and 4 acc records; the full format
# wins over the thin one. One more acc record: acc reads more, acc wins.
{ sed -n '1p;3p;4p;7p' "$L"; acc 02 INVITE a1-77@10.0.0.1 407; acc 03 INVITE a1-77@10.0.0.1 200; acc 04 ACK a1-77@10.0.0.1 200; acc 05 BYE a1-77@10.0.0.1 200; } >"$T/tie.log"
run -q -f json "$T/tie.log"
okc "4 layout lines, 4 acc records (a tie): format inferred, 4 records" \
	'[ "$(fmt_of "$T/out")" = inferred ] && [ "$(records_of "$T/out")" = 4 ]'
acc 06 BYE a1-77@10.0.0.1 200 >>"$T/tie.log"
run -q -f json "$T/tie.log"
okc "4 layout lines, 5 acc records: format acc, 5 records" \
	'[ "$(fmt_of "$T/out")" = acc ] && [ "$(records_of "$T/out")" = 5 ]'

# the same messages logged twice: each record of samples/kamailio/kamailio-rfc3339.log (260
# siplog lines, 52 calls) followed by the same message in the operator's layout, and one
# more layout line (a retransmission): the layout reads 261 records, all of calls the
# kamailio format has - kamailio keeps the file, its 260 records are read, no mixed note
python3 - samples/kamailio/kamailio-rfc3339.log >"$T/twice.log" <<'PY'
import re, sys
last = None
for line in open(sys.argv[1]):
    line = line.rstrip("\n")
    print(line)
    m = re.match(r"(\S+) .*siplog: (req|rpl)=(\S+) cseq=(\d+) (\S+) callid=(\S+) src=udp:(\S+)", line)
    if not m:
        continue
    ts, kind, mc, cs, csm, ci, src = m.groups()
    key = "REQ method" if kind == "req" else "REPLY code"
    last = "%s edge1 kamailio[231]: INFO: <script>: %s=%s ci=%s cs=%s %s si=%s" % (ts, key, mc, ci, cs, csm, src)
    print(last)
print(last)
PY
run -q -f json "$T/twice.log"
okc "siplog lines and the same messages in a layout of its own (261 lines): kamailio, 260 records, no mixed note" \
	'[ "$(fmt_of "$T/out")" = kamailio ] && [ "$(records_of "$T/out")" = 260 ] && [ "$(note_of "$T/out")" = None ]'

"$BIN" profile --infer "$T/twice.log" >"$T/twice.profile" 2>/dev/null
okc "... profile --infer prints the layout of the lines kamailio does not read, not a layout of its lines" \
	'grep -q "^match = .*ci=" "$T/twice.profile" && ! grep -q "callid=" "$T/twice.profile"'

# (c) a pure acc log: acc, no note
run -q -f json tests/cases/acc-kamailio.log
okc "acc records only: format acc, no note" \
	'[ "$(fmt_of "$T/out")" = acc ] && [ "$(note_of "$T/out")" = None ]'

# (d) a sipdump file of 50 messages (one per "====" entry, 50 records), 10 of them with an
# operator-layout line as their User-Agent: alone those lines are a layout, but they are
# headers of the messages: sip, 50 records, no note
S=$(ls samples/kamailio/sipdump/*.data)
awk '/^====================$/{n++} n<=50' "$S" >"$T/d50.data"
awk '/^User-Agent: / && k < 10 { k++; print "User-Agent: x REQ method=INVITE ci=evil-" k "@6.6.6.6 cs=1 INVITE si=6.6.6.6:5060 au=<null>"; next } { print }' \
	"$T/d50.data" >"$T/d.data"
okc "the crafted sipdump holds 10 operator-layout User-Agents" '[ "$(grep -c "^User-Agent: x REQ" "$T/d.data")" = 10 ]'
grep "^User-Agent: x REQ" "$T/d.data" >"$T/ua-lines.log"
okc "... lines that alone are a layout to profile --infer" '"$BIN" profile --infer "$T/ua-lines.log" >/dev/null 2>&1'
okc "... but not in the file: they are headers of messages the sip format reads" '! "$BIN" profile --infer "$T/d.data" >/dev/null 2>&1'
run -q -f json "$T/d.data"
okc "... format sip, 50 records, no note" \
	'[ "$(fmt_of "$T/out")" = sip ] && [ "$(records_of "$T/out")" = 50 ] && [ "$(note_of "$T/out")" = None ]'
# one INVITE more whose body (Content-Length, 57 KB) is 400 log lines - more than the
# messages - in the operator's layout, or as the kamailio format writes them (once: format
# kamailio, 400 records): sip, 51 records
body() {
	python3 - "$1" <<'PY'
import sys
lines = []
for i in range(400):
    if sys.argv[1] == "layout":
        lines.append("2026-11-24T15:54:50.%06d+00:00 edge1 kamailio[231]: INFO: <script>: REQ method=INVITE ci=b%d@6.6.6.6 cs=1 INVITE si=6.6.6.6:5060 au=<null> ua=x" % (i, i))
    else:
        lines.append("Nov 24 15:54:50 edge1 kamailio[231]: NOTICE: <script>: siplog: req=INVITE cseq=1 INVITE callid=b%d@6.6.6.6 src=udp:6.6.6.6:5060 auth=no ua=x" % i)
body = "".join(l + "\r\n" for l in lines)
print("====================\ntag: rcv\npid: 1\nprocess: 1\ntime: 1795535690.000000\nproto: tcp ipv4\n"
      "srcip: 6.6.6.6\nsrcport: 5060\ndstip: 127.0.0.1\ndstport: 5060\n~~~~~~~~~~~~~~~~~~~~")
print("INVITE sip:2001@siplogscan.test SIP/2.0\nVia: SIP/2.0/TCP 6.6.6.6:5060;branch=z9hG4bK-b\n"
      "Call-ID: evil-body@6.6.6.6\nCSeq: 1 INVITE\nContent-Type: text/plain\n"
      "Content-Length: %d\n" % len(body))
sys.stdout.write(body.replace("\r\n", "\n"))
print("||||||||||||||||||||")
PY
}
for kind in layout siplog; do
	{ cat "$T/d50.data"; body $kind; } >"$T/d-$kind.data"
	run -q -f json "$T/d-$kind.data"
	okc "sipdump + an INVITE with 400 $kind lines in its body: format sip, 51 records, no note" \
		'[ "$(fmt_of "$T/out")" = sip ] && [ "$(records_of "$T/out")" = 51 ] && [ "$(note_of "$T/out")" = None ]'
done

# a minority of the operator's lines with a kamailio record as their User-Agent: the
# built-in reads those 4 lines, the layout 20 (16 + 4): inferred, all 20 read, no mixed note
H='2026-11-24T13:00:09.000+00:00 edge1 kamailio[231]: INFO: <script>: REQ method=INVITE'
{
	cat "$L"
	for k in 1 2 3 4; do
		echo "$H ci=h$k@6.6.6.6 cs=1 INVITE si=6.6.6.6:5060 au=<null> ua=x siplog: req=BYE cseq=9 BYE callid=evil$k src=udp:6.6.6.6:6"
	done
} >"$T/h.log"
run -q -f json "$T/h.log"
okc "4 of 20 operator lines with a siplog record in their User-Agent: inferred, 20 records, no mixed note" \
	'[ "$(fmt_of "$T/out")" = inferred ] && [ "$(records_of "$T/out")" = 20 ] && ! note_of "$T/out" | grep -q mixed'

finish
