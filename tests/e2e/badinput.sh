#!/bin/sh
# Bad inputs, one check (or a few) per row of the README's table "Bad inputs": every input is
# read or refused out loud - no crash, no hang, no silent loss, bounded memory. Each check
# failed before the change that made it pass (see the commit that added it).
. tests/lib.sh
PROC="python3 tests/proc.py"
# under a sanitizer (tests/run.sh exports its options), or with LIGHT set (the zlib-backend
# stage), the same cases run smaller, and peak memory is measured by the plain build only
if [ -n "${ASAN_OPTIONS:-}${TSAN_OPTIONS:-}${LIGHT:-}" ]; then
	SAN=1 FILES=2000 BOMB_MIB=256 BIG=100000
else
	SAN= FILES=10000 BOMB_MIB=2048 BIG=400000
fi
# under ThreadSanitizer (5-15 times slower) only the cases where threads meet: inputs that
# fail or shrink under the workers and readers, and streams read once
THREADS_ONLY=${TSAN_OPTIONS:+1}
ABS=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")

# n_lines FILE N [PREFIX]: N kamailio xlog request lines with distinct Call-IDs
n_lines() {
	python3 -c 'import sys
n, p = int(sys.argv[2]), sys.argv[3]
with open(sys.argv[1], "w") as f:
    for i in range(n):
        f.write("Nov 24 13:%02d:%02d px kamailio[7]: NOTICE: <script>: siplog: req=OPTIONS cseq=1 OPTIONS callid=%s%d src=udp:10.0.0.1:5060 auth=no ua=P\n" % (i // 60 % 60, i % 60, p, i))' "$1" "$2" "${3:-c}"
}
records() { jq_get "$1" 'r["totals"]["records"]'; }
format_of() { jq_get "$1" 'r["input"]["files"][0]["format"]'; }
status_of() { jq_get "$1" '" ".join(f["status"] for f in r["input"]["files"])'; }

n_lines "$T/a.log" 2000 a
gzip -n -c "$T/a.log" > "$T/a.log.2.gz"
n_lines "$T/b.log" 1000 b

# --- a missing file, a directory, a dangling link after a gzip input, with threads
ln -s "$T/nowhere.log" "$T/dangling.log"
for bad in "$T/missing.log" "$T" "$T/dangling.log"; do
	for j in 1 2 4; do
		run -q -f json -j$j "$T/a.log.2.gz" "$bad" "$T/b.log"
		okc "gzip then '$(basename "$bad")' then a file, -j$j: exit 2, no crash" '[ "$rc" -eq 2 ]'
		okc "... the other inputs counted (3000), the bad one listed as error" \
			'[ "$(records "$T/out")" = 3000 ] && [ "$(status_of "$T/out")" = "ok error ok" ]'
	done
	okc "... stderr names it and says what to do" 'grep -q "$(basename "$bad")'\'': \(cannot open\|is a directory\)" "$T/err"'
done

# --- a file that shrinks while it is read (copytruncate, '> file'): plain (mapped) and gzip
python3 -c 'import sys
with open(sys.argv[1], "w") as f:
    for i in range(int(sys.argv[2])):
        f.write("Nov 24 13:00:%02d px kamailio[7]: NOTICE: <script>: siplog: req=OPTIONS cseq=1 OPTIONS callid=s%d src=udp:10.0.0.1:5060 auth=no ua=P\n" % (i % 60, i))' "$T/big.log" $BIG
cp "$T/big.log" "$T/live.log"
r=$(OUT="$T/out" ERR="$T/err" $PROC shrink "$T/live.log" -- "$BIN" -q -f json -j2 --block-size 1M "$T/b.log" "$T/live.log")
okc "plain file truncated mid-scan: exit 2, no SIGBUS ($r)" '[ "$r" = "rc=2" ]'
ok "... stderr: file shrank while it was read, what to do" grep -q "live.log': file shrank while it was read.*copytruncate" "$T/err"
n=$(jq_get "$T/out" 'r["input"]["files"][1]["records"]')
okc "... what was read before is counted ($n records), the other file too, status error" \
	'[ "$n" -gt 0 ] && [ "$n" -lt $BIG ] && [ "$(records "$T/out")" = $((n + 1000)) ] && [ "$(status_of "$T/out")" = "ok error" ]'
gzip -1 -n -c "$T/big.log" > "$T/live.gz"
r=$(OUT="$T/out" ERR="$T/err" $PROC shrink "$T/live.gz" --gzip -- "$BIN" -q -f json -j2 "$T/live.gz" "$T/b.log")
okc "gzip file truncated mid-scan: exit 2 ($r)" '[ "$r" = "rc=2" ]'
ok "... stderr says it shrank (not a corrupt or truncated stream)" grep -q "live.gz': file shrank while it was read" "$T/err"
n=$(jq_get "$T/out" 'r["input"]["files"][0]["records"]')
okc "... what was read before is counted ($n), the next file too" '[ "$n" -gt 0 ] && [ "$(records "$T/out")" = $((n + 1000)) ]'

# --- FIFO, /dev/stdin and a pipe given by path: read once, nothing lost, no hang
mkfifo "$T/fifo"
(cat "$T/big.log" > "$T/fifo" &)
run -q -f json "$T/fifo"
okc "a FIFO given by path: read once, all $BIG records, exit 0" '[ "$rc" -eq 0 ] && [ "$(records "$T/out")" = $BIG ]'
gzip -n -c "$T/big.log" | "$BIN" -q -f json /dev/stdin > "$T/out" 2>"$T/err"; rc=$?
okc "gzip through /dev/stdin by path: all $BIG records (nothing sampled is lost)" '[ "$rc" -eq 0 ] && [ "$(records "$T/out")" = $BIG ]'
"$BIN" -q -f json /dev/stdin "$T/b.log" < "$T/a.log" > "$T/out" 2>"$T/err"; rc=$?
okc "/dev/stdin redirected from a file, with another file: 3000 records" '[ "$rc" -eq 0 ] && [ "$(records "$T/out")" = 3000 ]'

if [ -n "$THREADS_ONLY" ]; then
	finish
fi

# --- one gzip input and 10,000 plain files under a low descriptor limit
mkdir "$T/many"
python3 -c 'import sys
for i in range(int(sys.argv[2])):
    with open("%s/k%05d.log" % (sys.argv[1], i), "w") as f:
        f.write("Nov 24 13:00:01 px kamailio[7]: NOTICE: <script>: siplog: req=OPTIONS cseq=1 OPTIONS callid=m%d src=udp:10.0.0.1:5060 auth=no ua=P\n" % i)' "$T/many" $FILES
(ulimit -n 1024 && "$BIN" -q -f json -j4 "$T/a.log.2.gz" "$T"/many/*.log > "$T/out" 2>"$T/err"); rc=$?
okc "one gzip and $FILES files under ulimit -n 1024: exit 0, all $((FILES + 2000)) records" '[ "$rc" -eq 0 ] && [ "$(records "$T/out")" = $((FILES + 2000)) ]'
ok "... and not one 'Too many open files'" [ ! -s "$T/err" ]

# --- endless input in bounded memory, stopped by Ctrl-C; a gzip bomb with no newline
r=$(OUT="$T/out" ERR="$T/err" $PROC signal SIGINT 3 -- "$BIN" -j2 /dev/zero)
rss=${r#*rss_kib=}
okc "/dev/zero: stopped by SIGINT (exit status 130)" '[ "${r%% *}" = "rc=-2" ]'
[ -z "$SAN" ] && ok "... in bounded memory: peak RSS $((rss / 1024)) MiB < 64 MiB" [ "$rss" -lt 65536 ]
ok "... stderr says it was interrupted and wrote no report" grep -q "interrupted: no report written" "$T/err"
ok "... and nothing on stdout (never half a report)" [ ! -s "$T/out" ]
# 64 MiB of one byte and no newline in one gzip member, repeated: a multi-member bomb of
# BOMB_MIB MiB, one endless line (a bomb of zeros is a NUL hole: no line at all)
python3 -c 'import sys, zlib
c = zlib.compressobj(1, zlib.DEFLATED, 31)
m = c.compress(b"A" * (64 << 20)) + c.flush()
with open(sys.argv[1], "wb") as f:
    for i in range(int(sys.argv[2]) // 64):
        f.write(m)' "$T/bomb.gz" $BOMB_MIB
r=$(OUT="$T/out" ERR="$T/err" $PROC rss -- "$BIN" -q -f json -j2 "$T/bomb.gz" "$T/b.log")
rss=${r#*rss_kib=}
[ -z "$SAN" ] && ok "a $BOMB_MIB MiB gzip bomb without a newline: bounded, peak RSS $((rss / 1024)) MiB < 96 MiB" [ "$rss" -lt 98304 ]
bytes=$(jq_get "$T/out" 'r["input"]["files"][0]["bytes"]')
cut=$(jq_get "$T/out" 'r["input"]["files"][0]["lines_cut"]')
okc "... the other file counted, the bomb's $BOMB_MIB MiB counted as read ($bytes), exit 0" \
	'[ "${r%% *}" = "rc=0" ] && [ "$(records "$T/out")" = 1000 ] && [ "$bytes" = $((BOMB_MIB << 20)) ]'
okc "... its endless line cut and counted (lines_cut $cut)" '[ "$cut" = 1 ]'

# --- format detection that cannot be starved: a NUL hole, a long head of other lines, one
# huge first line; and that cannot be steered by text an attacker chose
python3 -c 'import sys; sys.stdout.buffer.write(bytes(5 << 20))' > "$T/hole.log"
cat "$T/b.log" >> "$T/hole.log"
python3 -c 'import sys
for i in range(20000): print("Nov 24 12:59:59 px kamailio[7]: INFO: core [main.c:2953]: startup line %d, nothing about SIP here" % i)' > "$T/head.log"
cat "$T/b.log" >> "$T/head.log"
python3 -c 'import sys; print("x" * 300000)' > "$T/long.log"
cat "$T/b.log" >> "$T/long.log"
for f in hole head long; do
	run -q -f json "$T/$f.log"
	fmt=$(format_of "$T/out")
	okc "$f.log: detected as kamailio ($fmt), all 1000 records, exit 0" \
		'[ "$rc" -eq 0 ] && [ "$(records "$T/out")" = 1000 ] && [ "$fmt" = kamailio ]'
done
# three User-Agents carrying escaped SIP (rsyslog's #015#012) at the top of a Kamailio log
python3 -c 'import sys
fake = "#015#012".join(["INVITE sip:x@y SIP/2.0", "Call-ID: FAKE%d", "CSeq: 1 INVITE", "", ""])
msgs = "".join(fake % k for k in range(50))
for i in range(3):
    print("Nov 24 12:59:59 px kamailio[7]: NOTICE: <script>: siplog: req=INVITE cseq=1 INVITE callid=u%d src=udp:10.0.0.66:5060 auth=no ua=x SIP/2.0#015#012%s" % (i, msgs))' > "$T/ua.log"
cat "$T/b.log" >> "$T/ua.log"
run -q -f json "$T/ua.log"
fmt=$(format_of "$T/out")
calls=$(jq_get "$T/out" 'r["call_ids"]["total"]')
okc "crafted User-Agents with escaped SIP: still kamailio ($fmt), 1003 real records and Call-IDs" \
	'[ "$fmt" = kamailio ] && [ "$(records "$T/out")" = 1003 ] && [ "$calls" = 1003 ]'
# and the other way: a sipdump whose messages carry headers that look like xlog lines
python3 -c 'import sys
for i in range(20):
    print("time: 1700000000.%06d" % i)
    print("INVITE sip:b@h SIP/2.0")
    print("Call-ID: real%d" % i)
    print("CSeq: 1 INVITE")
    for k in range(5):
        print("X-Note: siplog: req=BYE cseq=9 BYE callid=fake%d.%d src=udp:1.2.3.4:5060 auth=no ua=x" % (i, k))
    print("")' > "$T/dump.data"
run -q -f json "$T/dump.data"
fmt=$(format_of "$T/out")
okc "xlog-looking headers inside whole messages: still sip ($fmt), 20 records, no fake Call-ID" \
	'[ "$fmt" = sip ] && [ "$(records "$T/out")" = 20 ] && ! grep -q fake "$T/out"'
# ... and one more message whose body (its Content-Length) is 200 log lines, each one an
# xlog record and all in one operator layout: more lines than the messages
python3 -c 'import sys
lines = ["Nov 24 13:00:%02d px kamailio[7]: INFO: <script>: REQ method=INVITE ci=fake%d cs=1 INVITE si=1.2.3.4:5060 ua=x siplog: req=BYE cseq=9 BYE callid=fake%d src=udp:1.2.3.4:5060" % (k % 60, k, k) for k in range(200)]
body = "".join(l + "\r\n" for l in lines)
print("time: 1700000001.000000")
print("INVITE sip:b@h SIP/2.0\nCall-ID: real20\nCSeq: 1 INVITE\nContent-Length: %d\n" % len(body))
sys.stdout.write(body.replace("\r\n", "\n"))' >> "$T/dump.data"
run -q -f json "$T/dump.data"
fmt=$(format_of "$T/out")
okc "a message body of 200 xlog lines: still sip ($fmt), 21 records, no fake Call-ID" \
	'[ "$fmt" = sip ] && [ "$(records "$T/out")" = 21 ] && ! grep -q fake "$T/out"'
# a file in which nothing is recognised is said, marked, and alone it is exit status 2
python3 -c 'import sys; [print("ordinary application log line", i) for i in range(1000)]' > "$T/other.log"
run -f json "$T/other.log" "$T/b.log"
okc "a file with no SIP among others: marked unrecognised, said on stderr, exit 0" \
	'[ "$rc" -eq 0 ] && [ "$(status_of "$T/out")" = "unrecognised ok" ] && grep -q "other.log'\'': no SIP message or siplog record recognised" "$T/err"'
run -q -f json "$T/other.log"
okc "... alone (even with -q): exit 2, what it held said on stderr" '[ "$rc" -eq 2 ] && grep -q "no SIP record in any input" "$T/err" && grep -q "other.log: no record recognised" "$T/err"'

# --- the same bytes are counted once
ln "$T/b.log" "$T/hard.log"
ln -s "$T/b.log" "$T/sym.log"
(cd "$T" && "$ABS" -q -f json b.log ./b.log hard.log sym.log "$T/b.log" > out 2> err); rc=$?
okc "the same file five ways (twice, ./, hard link, symlink, absolute): 1000 records once, exit 0" \
	'[ "$rc" -eq 0 ] && [ "$(records "$T/out")" = 1000 ]'
ok "... the repeats listed as duplicates with a note" [ "$(status_of "$T/out")" = "ok duplicate duplicate duplicate duplicate" ]
(cd "$T" && "$ABS" -f json b.log b.log > out 2> err)
ok "... and a note on stderr" grep -q "b.log': the same file as 'b.log'" "$T/err"

# --- nothing dropped without a count: a line over the limit, a record that hits a limit
python3 -c 'import sys
print("Nov 24 13:00:01 px kamailio[7]: NOTICE: <script>: siplog: req=OPTIONS cseq=1 OPTIONS callid=L1 src=udp:10.0.0.1:5060 auth=no ua=" + "x" * (2 << 20))
print("Nov 24 13:00:02 px kamailio[7]: NOTICE: <script>: siplog: req=OPTIONS cseq=1 OPTIONS callid=" + " src=a" * 40000 + "\r\r")
print("y" * (3 << 20))' > "$T/cut.log"
cat "$T/b.log" >> "$T/cut.log"
gzip -n -c "$T/cut.log" > "$T/cut.log.gz"
for f in cut.log cut.log.gz; do
	run -f json "$T/$f"
	cut=$(jq_get "$T/out" 'r["input"]["files"][0]["lines_cut"]')
	lim=$(jq_get "$T/out" 'r["input"]["files"][0]["match_limited"]')
	okc "$f: lines of 2 and 3 MiB are counted as cut (lines_cut $cut), the rest read" \
		'[ "$cut" = 2 ] && [ "$(records "$T/out")" = 1000 ]'
	okc "$f: a pathological line stops at the match limit and is counted (match_limited $lim)" \
		'[ "$lim" = 1 ]'
done
run -q "$T/cut.log"
okc "... and the text report says both" 'grep -q "2 lines over 1 MiB not read (cut for length)" "$T/out" && grep -q "1 record stopped by a" "$T/out"'

# --- outputs: checked before the scan, all or nothing
r=$(OUT="$T/out" ERR="$T/err" $PROC signal SIGTERM 20 -- "$BIN" -o "$T/no/such/dir/r.json" /dev/zero)
okc "-o into a missing directory: exit 2 at once, before an endless scan ($r)" '[ "${r%% *}" = "rc=2" ] && grep -q "the directory" "$T/err"'
r=$(OUT="$T/out" ERR="$T/err" $PROC signal SIGTERM 20 -- "$BIN" --calls-csv "$T/no/such/dir/c.csv" /dev/zero)
okc "--calls-csv into a missing directory: exit 2 at once" '[ "${r%% *}" = "rc=2" ]'
"$BIN" -q --calls-csv "$T/calls.csv" -o "$T/prev.json" "$T/b.log" 2>/dev/null
cp "$T/calls.csv" "$T/calls.ref"; cp "$T/prev.json" "$T/prev.ref"
mkdir "$T/outdir"; cp "$T/calls.csv" "$T/prev.json" "$T/outdir/"
r=$(OUT="$T/out" ERR="$T/err" $PROC signal SIGINT 2 -- "$BIN" --calls-csv "$T/outdir/calls.csv" -o "$T/outdir/prev.json" "$T/b.log" /dev/zero)
okc "SIGINT during the scan: exit status 130 ($r)" '[ "${r%% *}" = "rc=-2" ]'
okc "... the previous --calls-csv and -o files intact, no temporary file left" \
	'cmp -s "$T/outdir/calls.csv" "$T/calls.ref" && cmp -s "$T/outdir/prev.json" "$T/prev.ref" && [ "$(ls "$T/outdir" | wc -l)" = 2 ]'
r=$(OUT="$T/out" ERR="$T/err" $PROC signal SIGTERM 2 -- "$BIN" --calls-csv "$T/outdir/calls.csv" "$T/b.log" /dev/zero)
okc "SIGTERM: exit status 143, nothing left behind ($r)" '[ "${r%% *}" = "rc=-15" ] && [ "$(ls "$T/outdir" | wc -l)" = 2 ]'
run -q --calls-csv /dev/full "$T/b.log"
okc "--calls-csv on a full disk (/dev/full): exit 2, said" '[ "$rc" -eq 2 ] && grep -q "calls-csv: cannot write" "$T/err"'
run -q -o /dev/full "$T/b.log"
okc "-o on a full disk (/dev/full): exit 2, said" '[ "$rc" -eq 2 ] && grep -q "cannot write" "$T/err"'
if [ "$(id -u)" -eq 0 ]; then
	mkdir "$T/sticky"; chmod 1777 "$T/sticky"
	echo precious > "$T/precious"
	ln -s "$T/precious" "$T/sticky/report.json"; chown -h nobody "$T/sticky/report.json"
	run -q -o "$T/sticky/report.json" "$T/b.log"
	okc "-o through another user's link in a sticky world-writable directory: refused, exit 2" \
		'[ "$rc" -eq 2 ] && grep -q "refusing to write through it" "$T/err" && [ "$(cat "$T/precious")" = precious ]'
	ln -s "$T/precious" "$T/sticky/mine.json"
	run -q -o "$T/sticky/mine.json" "$T/b.log"
	okc "... our own link there is followed (the target replaced, the link kept)" \
		'[ "$rc" -eq 0 ] && [ -L "$T/sticky/mine.json" ] && grep -q siplogscan.report "$T/precious"'
fi
finish
