#!/bin/sh
# Input handling: errors, gzip by content, multi-member gzip, stdin, chronological order.
. tests/lib.sh

# a call whose 100 is in the oldest file and whose final is in the newest: files must be
# scanned oldest first whatever the argument order
mkdir -p "$T/rot"
kline 01 req INVITE 1 INVITE x1 > "$T/rot/k.log.10"
kline 02 rpl 100 1 INVITE x1 > "$T/rot/k.log.2"
kline 03 rpl 180 1 INVITE x1 | gzip -n > "$T/rot/k.log.2.gz.tmp"
gzip -n < "$T/rot/k.log.10" > "$T/rot/k.log.10.gz"; rm "$T/rot/k.log.10"
mv "$T/rot/k.log.2" "$T/rot/k.log.3"
gzip -n "$T/rot/k.log.3"
mv "$T/rot/k.log.2.gz.tmp" "$T/rot/k.log.2.gz"
kline 04 rpl 486 1 INVITE x1 > "$T/rot/k.log.1"
kline 05 req ACK 1 ACK x1 > "$T/rot/k.log"
run -q -f json "$T/rot/k.log" "$T/rot/k.log.1" "$T/rot/k.log.2.gz" "$T/rot/k.log.3.gz" "$T/rot/k.log.10.gz"
ok "rotated set: exit 0" [ "$rc" -eq 0 ]
cp "$T/out" "$T/rot.json"
order=$(jq_get "$T/rot.json" '" ".join(f["path"].rsplit("/",1)[1] for f in r["input"]["files"])')
ok "rotated set scanned oldest first (got: $order)" [ "$order" = "k.log.10.gz k.log.3.gz k.log.2.gz k.log.1 k.log" ]
ok "100 in k.log.3.gz and 486 in k.log.1 are one call" [ "$(jq_get "$T/rot.json" 'r["trying_to_final"]["by_final"]')" = "{'486': 1}" ]
ok "gzip detected by content" [ "$(jq_get "$T/rot.json" '[f["gzip"] for f in r["input"]["files"]]')" = "[True, True, True, False, False]" ]

# dateext names
mkdir -p "$T/date"
kline 01 req INVITE 1 INVITE d1 > "$T/date/k.log-20261122"
kline 02 rpl 100 1 INVITE d1 | gzip -n > "$T/date/k.log-20261123.gz"
kline 03 rpl 200 1 INVITE d1 > "$T/date/k.log"
run -q -f json "$T/date/k.log" "$T/date/k.log-20261123.gz" "$T/date/k.log-20261122"
order=$(jq_get "$T/out" '" ".join(f["path"].rsplit("/",1)[1] for f in r["input"]["files"])')
ok "dateext rotations oldest first (got: $order)" [ "$order" = "k.log-20261122 k.log-20261123.gz k.log" ]

# gzip magic, not the name: a gzip file called .log and a plain file called .gz
kline 01 req OPTIONS 1 OPTIONS g1 | gzip -n > "$T/really-gzip.log"
kline 01 req OPTIONS 1 OPTIONS g2 > "$T/plain.gz"
run -q -f json "$T/really-gzip.log" "$T/plain.gz"
ok "gzip named .log and plain named .gz both read" [ "$(jq_get "$T/out" 'r["totals"]["requests"]["OPTIONS"]')" = 2 ]

# multi-member gzip: two members concatenated
{ kline 01 req INVITE 1 INVITE m1 | gzip -n; kline 02 rpl 100 1 INVITE m1 | gzip -n; kline 03 rpl 200 1 INVITE m1 | gzip -n; } > "$T/multi.gz"
run -q -f json "$T/multi.gz"
ok "multi-member gzip: all members read" [ "$(jq_get "$T/out" 'r["totals"]["records"]')" = 3 ]
ok "multi-member gzip: exit 0" [ "$rc" -eq 0 ]
# bytes after the last member: ignored with a note (as gzip -d does), one byte or several
for junk in x xyz; do
	{ kline 01 req OPTIONS 1 OPTIONS j1 | gzip -n; printf %s "$junk"; } > "$T/junk.gz"
	run -f json "$T/junk.gz"
	okc "gzip followed by '$junk': the member is read, exit 0" '[ "$rc" -eq 0 ] && [ "$(jq_get "$T/out" '\''r["totals"]["records"]'\'')" = 1 ]'
	ok "gzip followed by '$junk': noted as ignored, not as truncated" grep -q "data after the end of the gzip stream ignored" "$T/err"
done

# stdin, plain and gzipped
kline 01 req OPTIONS 1 OPTIONS s1 > "$T/s.log"
"$BIN" -q -f json - < "$T/s.log" > "$T/out" 2>"$T/err"; rc=$?
okc "stdin: '-' reads standard input" '[ "$rc" -eq 0 ] && [ "$(jq_get "$T/out" '\''r["totals"]["records"]'\'')" = 1 ]'
gzip -n < "$T/s.log" | "$BIN" -q -f json > "$T/out" 2>"$T/err"; rc=$?
okc "stdin: a pipe with no FILE, gzipped, is read" '[ "$rc" -eq 0 ] && [ "$(jq_get "$T/out" '\''r["totals"]["records"]'\'')" = 1 ]'

# truncated gzip: what came before the damage is counted, the other files still scanned
i=0
while [ $i -lt 3000 ]; do kline 01 req OPTIONS 1 OPTIONS "t$i"; i=$((i + 1)); done | gzip -n > "$T/full.gz"
size=$(wc -c < "$T/full.gz")
head -c $((size / 2)) "$T/full.gz" > "$T/trunc.gz"
run -q -f json "$T/trunc.gz" "$T/s.log"
ok "truncated gzip: exit 2" [ "$rc" -eq 2 ]
ok "truncated gzip: stderr says truncated and what to do" grep -q "truncated gzip stream.*gzip -t" "$T/err"
n=$(jq_get "$T/out" 'r["totals"]["requests"]["OPTIONS"]')
okc "truncated gzip: records before the damage counted ($n), other file scanned" '[ "$n" -gt 100 ] && [ "$n" -lt 3001 ]'
ok "truncated gzip: report lists it as an error" [ "$(jq_get "$T/out" '[f["status"] for f in r["input"]["files"]]')" = "['error', 'ok']" ]

# corrupt gzip: flip bytes in the middle
python3 -c 'import sys; d=bytearray(open(sys.argv[1],"rb").read()); d[len(d)//2:len(d)//2+40]=b"\xff"*40; open(sys.argv[2],"wb").write(d)' "$T/full.gz" "$T/corrupt.gz"
run -q -f json "$T/s.log" "$T/corrupt.gz"
ok "corrupt gzip: exit 2" [ "$rc" -eq 2 ]
ok "corrupt gzip: stderr names the damage" grep -q "corrupt.gz.*\(corrupt gzip data\|truncated\)" "$T/err"
ok "corrupt gzip: the other file scanned" [ "$(jq_get "$T/out" '[f["records"] for f in r["input"]["files"] if f["path"].endswith("s.log")][0]')" = 1 ]

# missing file, directory, unreadable file
run -q -f json "$T/nonexistent.log" "$T/s.log"
ok "missing file: exit 2" [ "$rc" -eq 2 ]
ok "missing file: stderr names it" grep -q "nonexistent.log': cannot open: No such file" "$T/err"
ok "missing file: others still scanned" [ "$(jq_get "$T/out" 'r["totals"]["records"]')" = 1 ]
run -q -f json "$T/rot" "$T/s.log"
okc "directory: exit 2 and says so" '[ "$rc" -eq 2 ] && grep -q "is a directory" "$T/err"'
ok "directory: listed in the report" [ "$(jq_get "$T/out" 'r["input"]["files"][0]["status"]')" = error ]
if [ "$(id -u)" -ne 0 ]; then
	cp "$T/s.log" "$T/noperm.log"; chmod 000 "$T/noperm.log"
	run -q "$T/noperm.log"
	ok "unreadable file: exit 2" [ "$rc" -eq 2 ]
fi
run -q -f text "$T/nonexistent.log"
ok "text report shows the error" grep -q "ERROR" "$T/out"

# other compressors are refused with advice
printf 'BZh91AY&SY' > "$T/x.bz2"
run -q "$T/x.bz2"
okc "bzip2 refused with advice" '[ "$rc" -eq 2 ] && grep -q "bzcat" "$T/err"'
printf '\3757zXZ\0\0\4' | "$BIN" -q - >"$T/out" 2>"$T/err"; rc=$?
okc "xz on a pipe refused with advice, said once" '[ "$rc" -eq 2 ] && [ "$(grep -c "xzcat" "$T/err")" -eq 1 ]'

# empty file and a file with no SIP at all
: > "$T/empty.log"
run -q -f json "$T/empty.log"
okc "empty file: no SIP record at all, exit 2, said" '[ "$rc" -eq 2 ] && grep -q "no SIP record in any input" "$T/err"'
echo "hello world" > "$T/nosip.log"
run -f json "$T/nosip.log"
ok "file without SIP: a note says so" grep -q "no SIP message or siplog record" "$T/err"

# usage errors
run --threads-typo
ok "unknown option: exit 2" [ "$rc" -eq 2 ]
run --examples abc "$T/s.log"
okc "bad --examples: exit 2 with the accepted range" '[ "$rc" -eq 2 ] && grep -q "expected 0..10000" "$T/err"'
run --log-format "$T/nonexistent.profile" "$T/s.log"
ok "missing profile: exit 2" [ "$rc" -eq 2 ]
# time-of-day stamps (FreeSWITCH siptrace) before the file's first full date take that
# date, not the file's mtime: a copy made months later, or with an old mtime, reads the same
cp samples/other/freeswitch-siptrace.log "$T/fs.log"
"$BIN" -q -f json "$T/fs.log" | python3 -c 'import json,sys; r=json.load(sys.stdin); r.pop("run"); r["input"]["files"][0].pop("path"); print(json.dumps(r))' > "$T/fs.ref"
for d in 2027-03-01 2020-01-05; do
	touch -d "$d" "$T/fs.log"
	"$BIN" -q -f json "$T/fs.log" | python3 -c 'import json,sys; r=json.load(sys.stdin); r.pop("run"); r["input"]["files"][0].pop("path"); print(json.dumps(r))' > "$T/fs.$d"
	ok "FreeSWITCH time of day before the first date: the same report with mtime $d" cmp -s "$T/fs.ref" "$T/fs.$d"
done
ok "and its first stamp is dated by the log's first date (2026-11-24)" \
	grep -q '"first_time": "2026-11-24T13:20:14.201877Z"' "$T/fs.ref"
finish
