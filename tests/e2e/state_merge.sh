#!/bin/sh
# State files and merge (docs/state.md): a shard's state merged alone gives the report of
# the run over its inputs, in every format; an archive cut into k shards - whole files, and
# byte ranges at random points, mid-call and mid-file - scanned separately and merged in
# order gives the report of one run over all of it (its "run" section aside); bad states
# (truncated, damaged, foreign, of a future version, with other options, overlapping)
# are errors, exit 2, with a message.
. tests/lib.sh

# strip FORMAT < REPORT: the report without its run section (elapsed time, threads), and an
# HTML one without the ladders of its example calls (a state holds no messages)
strip() {
	case $1 in
	json) grep -v '^  "run": ' ;;
	text) grep -v '^Scanned ' ;;
	html) grep -v '^<p class="run">' | html_without_ladders ;;	# merge has no ladders
	prom) grep -v 'siplogscan_run_' ;;
	*) cat ;;
	esac
}

# same DESCRIPTION FORMAT DIRECT MERGED: the two reports are the same but for the run
same() {
	strip "$2" < "$3" > "$T/a.cmp"
	strip "$2" < "$4" > "$T/b.cmp"
	if cmp -s "$T/a.cmp" "$T/b.cmp"; then
		ok "$1" true
	else
		ok "$1" false
		diff "$T/a.cmp" "$T/b.cmp" | head -6 | cut -c1-300 | sed 's/^/#   /'
	fi
}

# ---- one state, merged alone: every sample set, every format
grep -v '^#' samples/MANIFEST | while read -r name expected args; do
	[ -n "$name" ] || continue
	# shellcheck disable=SC2086
	"$BIN" -q --state-out "$T/$name.st" $args 2>"$T/err"
	rc=$?
	okc "$name: --state-out writes a state (exit $rc)" '[ $rc = 0 ] && [ -s "$T/$name.st" ] && [ ! -s "$T/err" ]'
	for f in text json csv html prom; do
		# shellcheck disable=SC2086
		"$BIN" -q --title T -f $f $args > "$T/direct" 2>/dev/null
		r1=$?
		"$BIN" merge -q --title T -f $f "$T/$name.st" > "$T/merged" 2>"$T/err"
		r2=$?
		okc "$name: merge of its state exits as the run did ($r1, $r2)" '[ $r1 = $r2 ]'
		same "$name: merge of its state, $f report the same" $f "$T/direct" "$T/merged"
	done
done > "$T/tap1"
cat "$T/tap1"
_n=$(grep -c '^ok\|^not ok' "$T/tap1")
grep -q '^not ok' "$T/tap1" && _failed=1

# ---- whole files: the rotated sets, one state per file, in the order the run reads them
for set in "samples/kamailio/syslog-bsd/kamailio.log*"; do
	# shellcheck disable=SC2086
	"$BIN" -q -f json $set > "$T/one.json" 2>/dev/null
	states=""
	i=0
	for p in $(jq_get "$T/one.json" '"\n".join(f["path"] for f in r["input"]["files"])'); do
		i=$((i + 1))
		"$BIN" -q --state-out "$T/w$i.st" "$p"
		states="$states $T/w$i.st"
	done
	# shellcheck disable=SC2086
	"$BIN" merge -q -f json $states > "$T/merged.json"
	okc "$set: $i files, one state each, merged: the run's report" '[ $i -gt 1 ]'
	same "$set: merged states, json report the same" json "$T/one.json" "$T/merged.json"
done

# ---- a sparse archive over hours: calls answered and hung up up to 40 minutes later, calls
# never hung up, challenges, stuck calls, REGISTER refreshes that reuse their Call-ID
python3 - "$T/long.log" <<'EOF'
import random, sys, datetime
rnd = random.Random(7)
ev = []
T0 = datetime.datetime(2026, 11, 24, 10, 0, 0, tzinfo=datetime.timezone.utc).timestamp()
def add(t, kind, what, cseq, method, cid, src, auth="no", ua="P"):
    ev.append((t, len(ev), kind, what, cseq, method, cid, src, auth, ua))
span = 3 * 3600
for i in range(1800):
    t = T0 + rnd.random() * span
    cid, src, k = "c%d@x" % i, "10.0.%d.%d" % (rnd.randrange(4), rnd.randrange(250)), rnd.random()
    add(t, "req", "INVITE", 1, "INVITE", cid, src)
    if k < 0.1:
        continue
    add(t + 0.01, "rpl", "100", 1, "INVITE", cid, "10.9.9.9")
    if k < 0.2:
        continue
    if k < 0.35:
        add(t + 0.02, "rpl", "407", 1, "INVITE", cid, "10.9.9.9")
        add(t + 0.03, "req", "ACK", 1, "ACK", cid, src)
        if k < 0.25:
            continue
        t += 0.5
        add(t, "req", "INVITE", 2, "INVITE", cid, src, "yes")
    add(t + 1, "rpl", "180", 1, "INVITE", cid, "10.9.9.8")
    if k < 0.45:
        add(t + rnd.uniform(2, 30), "rpl", "486", 1, "INVITE", cid, "10.9.9.8")
        continue
    ans = t + rnd.uniform(2, 20)
    add(ans, "rpl", "200", 1, "INVITE", cid, "10.9.9.8")
    add(ans + 0.05, "req", "ACK", 1, "ACK", cid, src)
    if k >= 0.55:
        add(ans + rnd.uniform(5, 2400), "req", "BYE", 3, "BYE", cid, src)
for r in range(60):
    cid, t, n = "reg%d@x" % r, T0 + rnd.random() * 600, 1
    while t < T0 + span:
        add(t, "req", "REGISTER", n, "REGISTER", cid, "10.1.0.%d" % r, "no",
            "friendly-scanner" if r % 7 == 0 else "P")
        add(t + 0.02, "rpl", "401" if n % 3 == 1 else "200", n, "REGISTER", cid, "10.9.9.9")
        t += rnd.choice([60, 300, 900])
        n += 1
ev.sort()
with open(sys.argv[1], "w") as f:
    for t, _, kind, what, cseq, method, cid, src, auth, ua in ev:
        stamp = datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime(
            "%Y-%m-%dT%H:%M:%S.%f+00:00")
        if kind == "req":
            rest = "req=%s cseq=%d %s callid=%s src=udp:%s:5060 auth=%s ua=%s" % (
                what, cseq, method, cid, src, auth, ua)
        else:
            rest = "rpl=%s cseq=%d %s callid=%s src=udp:%s:5060 reason=R" % (
                what, cseq, method, cid, src)
        f.write("%s px kamailio[7]: NOTICE: <script>: siplog: %s\n" % (stamp, rest))
EOF

# cut FILE K SEED: FILE cut at K-1 random line starts into $T/cut/part00.log ...
cut_files() {
	rm -rf "$T/cut"
	mkdir -p "$T/cut"
	python3 - "$@" "$T/cut" <<'EOF'
import sys, random
f, k, seed, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
lines = open(f, 'rb').read().split(b'\n')[:-1]
cuts = sorted(random.Random(seed).sample(range(1, len(lines)), k - 1))
b = [0] + cuts + [len(lines)]
for i in range(k):
    with open('%s/part%02d.log' % (out, i), 'wb') as o:
        o.write(b''.join(l + b'\n' for l in lines[b[i]:b[i + 1]]))
EOF
}

# shards_whole LABEL FILE K SEED OPTIONS...: K whole-file shards against one run over them
shards_whole() {
	label=$1 file=$2 k=$3 seed=$4
	shift 4
	cut_files "$file" "$k" "$seed"
	[ -z "${GZ:-}" ] || gzip "$T"/cut/part01.log "$T"/cut/part0[3-9].log 2>/dev/null
	states=""
	rm -rf "$T/st"
	mkdir -p "$T/st"
	for p in "$T"/cut/part*.log*; do
		"$BIN" -q "$@" --state-out "$T/st/${p##*/}.st" "$p"
		states="$states $T/st/${p##*/}.st"
	done
	"$BIN" -q -f json "$@" "$T"/cut/part*.log* > "$T/one.json" 2>/dev/null
	# shellcheck disable=SC2086
	"$BIN" merge -q -f json $states > "$T/merged.json" 2>"$T/err"
	same "$label: $k files${GZ:+ (some gzip)} at random cuts (seed $seed) $*, merged: the run's report" json \
		"$T/one.json" "$T/merged.json"
}

for k in 2 3 5 8; do
	shards_whole "sparse archive" "$T/long.log" $k $k
	shards_whole "sparse archive" "$T/long.log" $k $((k + 10)) --session-timeout 300
done
python3 bench/gen.py --format xlog --size 1 "$T/gen.log"
shards_whole "generated xlog" "$T/gen.log" 4 1
GZ=1 shards_whole "sparse archive" "$T/long.log" 5 3 --session-timeout 600
shards_whole "generated xlog" "$T/gen.log" 6 2 --call-timeout 5 --session-timeout 10

# ---- bad states: each exit 2 with a message; nothing is written
f=samples/kamailio/kamailio-rfc3339.log
"$BIN" -q --state-out "$T/good.st" "$f"
echo keep > "$T/keep.json"
# bad LABEL WORDS STATE...: merge exits 2, stderr holds WORDS, -o is left alone
bad() {
	label=$1 words=$2
	shift 2
	run merge -q -o "$T/keep.json" "$@"
	okc "$label: exit 2 ($rc)" '[ $rc = 2 ]'
	okc "$label: says '$words'" 'grep -q "$words" "$T/err"'
	okc "$label: -o left alone" '[ "$(cat "$T/keep.json")" = keep ]'
}
size=$(wc -c < "$T/good.st")
head -c $((size / 2)) "$T/good.st" > "$T/trunc.st"
bad "truncated state" "is truncated" "$T/trunc.st"
head -c 10 "$T/good.st" > "$T/trunc2.st"
bad "state cut inside its header" "is truncated" "$T/trunc2.st"
python3 - "$T/good.st" "$T/flip.st" <<'EOF'
import sys
b = bytearray(open(sys.argv[1], 'rb').read())
b[len(b) // 2] ^= 0x40
open(sys.argv[2], 'wb').write(b)
EOF
bad "damaged state (one bit)" "checksum" "$T/flip.st"
bad "a log given as a state" "not a siplogscan state" "$f"
: > "$T/empty.st"
bad "empty file" "not a siplogscan state" "$T/empty.st"
bad "a directory" "not a state file" "$T"
# the version after this siplogscan's (the one good.st has)
future=$(python3 - "$T/good.st" "$T/future.st" <<'EOF'
import sys, struct
b = bytearray(open(sys.argv[1], 'rb').read())
v = struct.unpack_from('=I', b, 8)[0] + 1
b[8:12] = struct.pack('=I', v)
open(sys.argv[2], 'wb').write(b)
print(v)
EOF
)
bad "state of a future version" "version $future" "$T/future.st"
# a checksum that matches a body that lies: the count of inputs made huge
python3 - "$T/good.st" "$T/lie.st" <<'EOF'
import sys, struct, zlib
b = bytearray(open(sys.argv[1], 'rb').read())
body = bytearray(zlib.decompress(bytes(b[32:-4])))
# the id (16), messages, clock, first time (24), the host (u32: none), the options (4
# doubles, 3 u32, a u64, a u32, 2 i64), then the zone's name (u32 length and bytes): the
# count of inputs
off = 16 + 24 + 4 + 32 + 12 + 8 + 4 + 16
n = struct.unpack_from('=I', body, off)[0]
off += 4 + n
struct.pack_into('=I', body, off, 0x7fffffff)
z = zlib.compress(bytes(body), 1)
out = b[:16] + struct.pack('=QQ', len(z), len(body)) + z
out += struct.pack('=I', zlib.crc32(bytes(out)))
open(sys.argv[2], 'wb').write(out)
EOF
bad "a state whose checksum matches a lie" "is damaged" "$T/lie.st"
# and one whose --call-timeout is past what the command line takes (1e300 s would overflow
# the analysis's microseconds)
python3 - "$T/good.st" "$T/lie3.st" <<'EOF'
import sys, struct, zlib
b = bytearray(open(sys.argv[1], 'rb').read())
body = bytearray(zlib.decompress(bytes(b[32:-4])))
struct.pack_into('=d', body, 16 + 24 + 4, 1e300)	# the first option: --call-timeout
z = zlib.compress(bytes(body), 1)
out = b[:16] + struct.pack('=QQ', len(z), len(body)) + z
out += struct.pack('=I', zlib.crc32(bytes(out)))
open(sys.argv[2], 'wb').write(out)
EOF
bad "a state whose options are out of range (--call-timeout 1e300)" "options are not ones" "$T/lie3.st"
# and one whose header lies about what its body inflates to
python3 - "$T/good.st" "$T/lie2.st" <<'EOF'
import sys, struct, zlib
b = bytearray(open(sys.argv[1], 'rb').read())
struct.pack_into('=Q', b, 24, struct.unpack_from('=Q', b, 24)[0] + 1)
b[-4:] = struct.pack('=I', zlib.crc32(bytes(b[:-4])))
open(sys.argv[2], 'wb').write(b)
EOF
bad "a state whose body does not inflate to its length" "does not inflate" "$T/lie2.st"
"$BIN" -q --call-timeout 10 --state-out "$T/ct.st" samples/other/asterisk-pjsip.log
bad "states with another --call-timeout" "another --call-timeout" "$T/good.st" "$T/ct.st"
bad "merge given another --examples" "another --examples" --examples 5 "$T/good.st"
TZ=Europe/Berlin "$BIN" -q --state-out "$T/tz.st" samples/other/asterisk-pjsip.log
bad "states of another zone" "another --tz" "$T/good.st" "$T/tz.st"
bad "the same state twice" "the same state" "$T/good.st" "$T/good.st"
"$BIN" -q --state-out "$T/again.st" "$f"
bad "two states of the same file" "nothing may be counted twice" "$T/good.st" "$T/again.st"
cut_files "$T/long.log" 2 5
"$BIN" -q --state-out "$T/p0.st" "$T/cut/part00.log"
"$BIN" -q --state-out "$T/p1.st" "$T/cut/part01.log"
bad "states out of time order" "in the order of the archive" "$T/p1.st" "$T/p0.st"
run merge -q -f json "$T/p0.st" "$T/p1.st"
okc "the same states in order merge (exit $rc)" '[ $rc = 0 ]'
run --state-out "$T/x.st" -o "$T/x.json" "$f"
okc "--state-out with -o: a usage error" '[ $rc = 2 ] && grep -q "give -o" "$T/err"'
run merge
okc "merge without states: a usage error" '[ $rc = 2 ] && grep -q "name the state files" "$T/err"'

# ---- byte ranges (--range): a file cut at random points, mid-call and mid-line, one state
# per range, merged: the run's report over the whole file
# shards_range LABEL FILE K SEED OPTIONS...
shards_range() {
	label=$1 file=$2 k=$3 seed=$4
	shift 4
	size=$(wc -c < "$file")
	cuts=$(python3 -c "import random; r = random.Random($seed); print(' '.join(map(str, sorted(r.sample(range(1, $size), $k - 1)))))")
	states="" prev=0 i=0
	for c in $cuts ""; do
		i=$((i + 1))
		"$BIN" -q "$@" --state-out "$T/r$i.st" --range "$file:$prev-$c" "$file"
		states="$states $T/r$i.st"
		prev=$c
	done
	"$BIN" -q -f json "$@" "$file" > "$T/one.json" 2>/dev/null
	# shellcheck disable=SC2086
	"$BIN" merge -q -f json $states > "$T/merged.json" 2>"$T/err"
	same "$label: $k byte ranges at random points (seed $seed) $*, merged: the run's report" \
		json "$T/one.json" "$T/merged.json"
}
# LIGHT (the zlib build's lane: only reading gzip differs): fewer cuts
ks="1 2 3 4 5 6 7 8" fmts="xlog opensips journal stderr acc security auth"
[ -z "${LIGHT:-}" ] || ks="2 5" fmts="xlog"
for k in $ks; do
	shards_range "sparse archive" "$T/long.log" $k $((k + 20))
	shards_range "sparse archive" "$T/long.log" $k $((k + 30)) --session-timeout 300
done
for fmt in $fmts; do
	python3 bench/gen.py --format $fmt --size 1 "$T/g.log"
	for k in 2 3 5 8; do
		shards_range "generated $fmt" "$T/g.log" $k $((k * 7))
	done
done
for f in samples/kamailio/kamailio-rfc3339.log samples/kamailio/kamailio-stderr.log \
	 samples/other/opensips-syslog.log samples/other/journalctl-short-iso.log \
	 samples/kamailio/acc/kamailio-acc.log samples/other/auth/asterisk-auth.log; do
	for k in 2 4 8; do
		shards_range "sample" "$f" $k $k
	done
done
# merge --state-out: states merged into a state, merged again - grouped, nested, all at
# once: the run's report (merging is associative)
for opts in "" "--session-timeout 300"; do
	size=$(wc -c < "$T/long.log")
	# shellcheck disable=SC2046
	set -- $(python3 -c "import random; r = random.Random(61); print(' '.join(map(str, sorted(r.sample(range(1, $size), 4)))))")
	prev=0 i=0
	for c in "$@" ""; do
		i=$((i + 1))
		# shellcheck disable=SC2086
		"$BIN" -q $opts --state-out "$T/a$i.st" --range "$T/long.log:$prev-$c" "$T/long.log"
		prev=$c
	done
	# shellcheck disable=SC2086
	"$BIN" -q -f json $opts "$T/long.log" > "$T/one.json"
	"$BIN" merge --state-out "$T/a12.st" "$T/a1.st" "$T/a2.st"
	"$BIN" merge --state-out "$T/a345.st" "$T/a3.st" "$T/a4.st" "$T/a5.st"
	"$BIN" merge -q -f json "$T/a12.st" "$T/a345.st" > "$T/merged.json"
	same "merged states of merged states, grouped (1 2)(3 4 5) $opts: the run's report" json \
		"$T/one.json" "$T/merged.json"
	"$BIN" merge --state-out "$T/a123.st" "$T/a12.st" "$T/a3.st"
	"$BIN" merge --state-out "$T/a1234.st" "$T/a123.st" "$T/a4.st"
	"$BIN" merge -q -f json "$T/a1234.st" "$T/a5.st" > "$T/merged.json"
	same "merged states, nested (((1 2) 3) 4) 5 $opts: the run's report" json \
		"$T/one.json" "$T/merged.json"
	"$BIN" merge --state-out "$T/all.st" "$T/a1.st" "$T/a2.st" "$T/a3.st" "$T/a4.st" "$T/a5.st"
	"$BIN" merge -q -f json "$T/all.st" > "$T/merged.json"
	same "all five merged into one state $opts: the run's report" json \
		"$T/one.json" "$T/merged.json"
done
run merge --state-out "$T/x.st" "$T/a12.st" "$T/a1.st"
okc "a merged state and one of its own states: exit 2, reads the same bytes" \
	'[ $rc = 2 ] && grep -q "nothing may be counted twice" "$T/err"'

# a window: calls that started before it are followed and counted nowhere, across cuts too
shards_range "sparse archive" "$T/long.log" 4 43 --since 2026-11-24T11:00 --until 2026-11-24T12:30

# the shards analysed on several threads (-j 8: four analysis threads)
shards_range "sparse archive" "$T/long.log" 3 41 -j 8

# a log whose times go back by minutes (this sample: 13:05:01, then 13:00:07) cannot be
# merged exactly: the shards' clocks do not follow each other
f=samples/other/auth/asterisk-security.log
"$BIN" -q --state-out "$T/o1.st" --range "$f:0-5000" "$f"
"$BIN" -q --state-out "$T/o2.st" --range "$f:5000-" "$f"
run merge "$T/o1.st" "$T/o2.st"
okc "a log whose times go back, cut where they do: exit 2, says why" \
	'[ $rc = 2 ] && grep -q "in the order of the archive" "$T/err"'
# a shard of the end of one file, a whole file and the start of another
cut_files "$T/long.log" 3 9
a="$T/cut/part00.log" b="$T/cut/part01.log" c="$T/cut/part02.log"
sa=$(wc -c < "$a") sc=$(wc -c < "$c")
"$BIN" -q --state-out "$T/m1.st" --range "$a:0-$((sa / 3))" "$a"
"$BIN" -q --state-out "$T/m2.st" --range "$a:$((sa / 3))-" --range "$c:0-$((sc / 2))" "$a" "$b" "$c"
"$BIN" -q --state-out "$T/m3.st" --range "$c:$((sc / 2))-" "$c"
"$BIN" -q -f json "$a" "$b" "$c" > "$T/one.json"
"$BIN" merge -q -f json "$T/m1.st" "$T/m2.st" "$T/m3.st" > "$T/merged.json"
same "a shard of the end of one file, a whole file and the start of another" json \
	"$T/one.json" "$T/merged.json"
okc "the merged report lists 3 files" \
	'[ "$(jq_get "$T/merged.json" "len(r[\"input\"][\"files\"])")" = 3 ]'
run --state-out "$T/x.st" --range samples/other/asterisk-pjsip.log:0-1000 samples/other/asterisk-pjsip.log
okc "--range on a file of whole SIP messages: exit 2, says why" \
	'[ $rc = 2 ] && grep -q "whole SIP messages" "$T/err"'
run --state-out "$T/x.st" --range samples/kamailio/kamailio-rfc3339.log.gz:0-1000 samples/kamailio/kamailio-rfc3339.log.gz
okc "--range on a gzip file: exit 2, says why" '[ $rc = 2 ] && grep -q "gzip file" "$T/err"'
run --range nosuch.log:0-10 samples/kamailio/kamailio-rfc3339.log
okc "--range naming no input: a usage error" '[ $rc = 2 ] && grep -q "names no input" "$T/err"'
run --range samples/kamailio/kamailio-rfc3339.log:10-5 samples/kamailio/kamailio-rfc3339.log
okc "--range with END before START: a usage error" '[ $rc = 2 ] && grep -q "not before" "$T/err"'

finish
