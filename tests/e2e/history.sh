#!/bin/sh
# --history DIR (docs/history.md): a rotated set (gzip and plain) read once, then only what
# is new - appended bytes, a line finished later, the tail of a file rotated and compressed
# since, a call open across runs and across nights - each night's figures equal to one fresh
# run over the same logs; the trend of the nights kept (JSON, HTML, text) and --keep; and
# the history's bad input (a directory that cannot be used, a full disk, another version,
# two runs at once, damaged files, other options), each exit 2 with a message and DIR left
# as it was. Expectations are computed here (byte counts in Python, figures by runs without
# --history), never read back from the run under test.
. tests/lib.sh

L=$T/logs
H=$T/hist
D1=2026-11-24
D2=2026-11-25
D3=2026-11-26
mkdir -p "$L"

# gen.py FIRST N: Kamailio siplog lines (ISO stamps) of N calls from call FIRST, one every 10
# s: answered (with BYE), busy, 503, 404, and every 7th stuck after 100 Trying.
# gen.py open ID T [end]: the INVITE and 100 of call ID at second T, or (end) its 180, 200, BYE
cat > "$T/gen.py" <<'EOF'
import sys
import datetime
def stamp(t):
    d = datetime.datetime(2026, 11, 24) + datetime.timedelta(seconds=t)
    return d.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (d.microsecond // 1000)
def req(t, m, cseq, cid):
    return "%s px kamailio[7]: NOTICE: <script>: siplog: req=%s cseq=%d %s callid=%s src=udp:10.0.0.1:5060 auth=no ua=P" % (stamp(t), m, cseq, m, cid)
def rpl(t, code, cseq, m, cid):
    return "%s px kamailio[7]: NOTICE: <script>: siplog: rpl=%s cseq=%d %s callid=%s src=udp:10.0.0.9:5060 reason=R" % (stamp(t), code, cseq, m, cid)
out = []
if sys.argv[1] == "open":
    cid, t = sys.argv[2], float(sys.argv[3])
    if len(sys.argv) > 4:
        out += [rpl(t + 1, 180, 1, "INVITE", cid), rpl(t + 2, 200, 1, "INVITE", cid),
                req(t + 9, "BYE", 2, cid), rpl(t + 9.1, 200, 2, "BYE", cid)]
    else:
        out += [req(t, "INVITE", 1, cid), rpl(t + 0.1, 100, 1, "INVITE", cid)]
else:
    first, n = int(sys.argv[1]), int(sys.argv[2])
    for i in range(first, first + n):
        t, cid = i * 10.0, "c%d" % i
        final = [200, 200, 486, 503, 200, 404][i % 6]
        out += [req(t, "INVITE", 1, cid), rpl(t + 0.1, 100, 1, "INVITE", cid)]
        if i % 7 == 3:
            continue
        out += [rpl(t + 1, 180, 1, "INVITE", cid), rpl(t + 2, final, 1, "INVITE", cid)]
        if final == 200:
            out += [req(t + 5, "BYE", 2, cid), rpl(t + 5.1, 200, 2, "BYE", cid)]
sys.stdout.write("\n".join(out) + "\n")
EOF
gen() { python3 "$T/gen.py" "$@"; }

# figures JSON-A JSON-B [KEYS]: the reports' figures are the same: every section but the run,
# the inputs and the history, the examples' positions aside (a file renamed since keeps the
# name it was read under, a night counts lines from where it starts); KEYS: only these sections
figures() {
	python3 - "$@" <<'EOF'
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
keys = sys.argv[3].split(",") if len(sys.argv) > 3 else [k for k in a if k not in ("run", "input", "history", "title")]
def norm(x):
    if isinstance(x, dict):
        return {k: norm(v) for k, v in x.items() if k not in ("file", "line")}
    if isinstance(x, list):
        return [norm(v) for v in x]
    return x
bad = [k for k in keys if norm(a.get(k)) != norm(b.get(k))]
for k in bad:
    print("#   %s: %s | %s" % (k, json.dumps(norm(a.get(k)))[:200], json.dumps(norm(b.get(k)))[:200]))
sys.exit(1 if bad else 0)
EOF
}
# sum of DIR's files but the lock (which holds the pid of the run that holds it)
dirsum() { (cd "$1" && find . -type f ! -name lock | LC_ALL=C sort | xargs -r sha256sum) | sha256sum; }
ulen() { python3 -c 'import gzip,sys; print(sum(len(gzip.open(f).read()) if f.endswith(".gz") else len(open(f,"rb").read()) for f in sys.argv[1:]))' "$@"; }
hrun() { run -q -f json --history "$H" "$@"; }
runbytes() { jq_get "$1" 'str(r["run"]["history"]["bytes_read"]) + " " + str(r["run"]["history"]["bytes_skipped"]) + " " + str(r["run"]["history"]["night_runs"])'; }

# ---- a rotated set: kamailio.log.2.gz, kamailio.log.1, kamailio.log
gen 0 30 | gzip > "$L/kamailio.log.2.gz"
gen 30 30 > "$L/kamailio.log.1"
gen 60 30 > "$L/kamailio.log"
set -- "$L/kamailio.log" "$L/kamailio.log.1" "$L/kamailio.log.2.gz"
total=$(ulen "$@")
hrun --history-date $D1 "$@"
cp "$T/out" "$T/r1.json"
okc "first run: exit 0, JSON valid against the schema" '[ $rc = 0 ] && python3 tests/schema_check.py docs/report.schema.json "$T/r1.json" >/dev/null'
ok "first run reads every byte ($total), skips none, run 1 of the night" [ "$(runbytes "$T/r1.json")" = "$total 0 1" ]
run -q -f json "$@"
cp "$T/out" "$T/fresh.json"
ok "first run: the figures of a run without --history" figures "$T/r1.json" "$T/fresh.json"
ok "first run: the trend holds the night, with its calls (90)" [ "$(jq_get "$T/r1.json" '[(t["night"], t["calls"]) for t in r["history"]["trend"]]')" = "[('$D1', 90)]" ]
okc "DIR holds version, manifest, lock and the night's state" '[ -f "$H/version" ] && [ -f "$H/manifest" ] && [ -f "$H/lock" ] && [ -f "$H/nights/$D1/000.state" ]'

# ---- the same logs again: 0 bytes read, the same report
for f in json text html; do
	"$BIN" -q -f $f --history "$H" --history-date $D1 "$@" > "$T/again.$f" 2>"$T/err"
	echo $? > "$T/rc.$f"
done
ok "second run over unchanged logs reads 0 bytes, skips $total, run 2" [ "$(runbytes "$T/again.json")" = "0 $total 2" ]
okc "second run: JSON report equal to the first's, its run section aside" \
	'[ "$(cat "$T/rc.json")" = 0 ] && grep -v "^  \"run\": " "$T/r1.json" > "$T/a" && grep -v "^  \"run\": " "$T/again.json" > "$T/b" && cmp -s "$T/a" "$T/b"'
"$BIN" -q -f text --history "$H" --history-date $D1 "$@" > "$T/again2.text" 2>/dev/null
"$BIN" -q -f html --history "$H" --history-date $D1 "$@" > "$T/again2.html" 2>/dev/null
okc "text report: the same run after run, but for its run lines (Scanned, Run N)" \
	'grep -v "^Scanned \|^Run [0-9]" "$T/again.text" > "$T/a" && grep -v "^Scanned \|^Run [0-9]" "$T/again2.text" > "$T/b" && cmp -s "$T/a" "$T/b" && grep -q "^Run 3 of the night of $D1 (--history): 0 B new" "$T/again.text"'
okc "HTML report: the same but for its run paragraph, which names the run" \
	'grep -v "class=\"run\"" "$T/again.html" > "$T/a" && grep -v "class=\"run\"" "$T/again2.html" > "$T/b" && cmp -s "$T/a" "$T/b" && grep -q "run 6 of the night" "$T/again2.html"'

# ---- calls appended, and a line still being written
gen 90 10 > "$T/add"
cat "$T/add" >> "$L/kamailio.log"
printf '%s' "$(gen 100 1 | head -1)" >> "$L/kamailio.log"	# no newline yet
hrun --history-date $D1 "$@"
cp "$T/out" "$T/r3.json"
ok "appended: reads exactly the complete lines appended ($(wc -c < "$T/add") bytes)" [ "$(jq_get "$T/r3.json" 'r["run"]["history"]["bytes_read"]')" = "$(wc -c < "$T/add")" ]
printf '\n' >> "$L/kamailio.log"
gen 100 1 | tail -n +2 >> "$L/kamailio.log"
part=$(( $(gen 100 1 | wc -c) ))
hrun --history-date $D1 "$@"
cp "$T/out" "$T/r4.json"
ok "the line finished since is read whole, with what follows ($part bytes)" [ "$(jq_get "$T/r4.json" 'r["run"]["history"]["bytes_read"]')" = "$part" ]
run -q -f json "$@"
ok "the night's figures equal one fresh run over the whole logs" figures "$T/r4.json" "$T/out"

# ---- a call open across two runs of a night: INVITE and 100, then its answer
gen open o1 1500 >> "$L/kamailio.log"
hrun --history-date $D1 "$@"
gen open o1 1500 end >> "$L/kamailio.log"
hrun --history-date $D1 "$@"
cp "$T/out" "$T/r6.json"
run -q -f json "$@"
okc "a call open at the end of one run is settled right by the next (figures of a fresh run)" \
	'figures "$T/r6.json" "$T/out" && [ "$(jq_get "$T/r6.json" "r[\"trying_to_final\"][\"stuck\"]")" = "$(jq_get "$T/out" "r[\"trying_to_final\"][\"stuck\"]")" ]'

# ---- logrotate: .2.gz -> .3.gz, .1 -> .2 -> .2.gz, the live log -> .1, lines written
# to it before the rotation ends, .1 -> .1.gz, a new live log
gen 160 5 > "$T/late"
gen 165 8 > "$T/new"
mv "$L/kamailio.log.2.gz" "$L/kamailio.log.3.gz"
mv "$L/kamailio.log.1" "$L/kamailio.log.2" && gzip "$L/kamailio.log.2"
mv "$L/kamailio.log" "$L/kamailio.log.1"
cat "$T/late" >> "$L/kamailio.log.1"
gzip "$L/kamailio.log.1"
cp "$T/new" "$L/kamailio.log"
set -- "$L/kamailio.log" "$L/kamailio.log.1.gz" "$L/kamailio.log.2.gz" "$L/kamailio.log.3.gz"
hrun --history-date $D1 "$@"
cp "$T/out" "$T/r7.json"
want=$(( $(wc -c < "$T/late") + $(wc -c < "$T/new") ))
ok "after logrotate: reads only the lines new to it ($want bytes)" [ "$(jq_get "$T/r7.json" 'r["run"]["history"]["bytes_read"]')" = "$want" ]
ok "and skips the rest ($(ulen "$@") - $want)" [ "$(jq_get "$T/r7.json" 'r["run"]["history"]["bytes_skipped"]')" = "$(( $(ulen "$@") - want ))" ]
run -q -f json "$@"
ok "after logrotate: the night's figures equal one fresh run over all the files" figures "$T/r7.json" "$T/out"
hrun --history-date $D1 "$@"
ok "the rotated set again: 0 bytes read" [ "$(jq_get "$T/out" 'r["run"]["history"]["bytes_read"]')" = 0 ]

# ---- a new night: the call left open last night goes on; the trend
gen open o2 2000 >> "$L/kamailio.log"
hrun --history-date $D1 "$@"
cp "$T/out" "$T/n1.json"
gen open o2 2000 end > "$T/n2"
gen 210 6 >> "$T/n2"
cat "$T/n2" >> "$L/kamailio.log"
hrun --history-date $D2 "$@"
cp "$T/out" "$T/n2.json"
{ gen open o2 2000; cat "$T/n2"; } > "$T/n2.log"
# o2 started (00:33:20) in the night before, which counted it: tonight follows it, counts it
# nowhere, as a window starting at its 180 (00:33:21) would
run -q -f json --since 2026-11-24T00:33:21Z "$T/n2.log"
okc "a new night: the call left open by the last goes on as its own (no call without an INVITE), counted in the night it started only (figures of a window from tonight's first message)" \
	'[ "$(jq_get "$T/n2.json" "r[\"history\"][\"night\"]")" = $D2 ] && figures "$T/n2.json" "$T/out" calls,kpi,trying_to_final,setup,problems'
ok "the call left open is in one night's calls: the first night's, not the second's (6 calls)" \
	[ "$(jq_get "$T/n2.json" 'r["calls"]["total"]')" = 6 ]
ok "and its messages tonight are the ones left out (4 of them)" \
	[ "$(jq_get "$T/n2.json" 'r["input"]["outside"]')" = 4 ]
ok "the new night reads only what was appended ($(wc -c < "$T/n2") bytes), run 1" [ "$(runbytes "$T/n2.json" | cut -d' ' -f1,3)" = "$(wc -c < "$T/n2") 1" ]
ok "JSON trend: two nights, each with its calls" [ "$(jq_get "$T/n2.json" '[(t["night"], t["calls"]) for t in r["history"]["trend"]]')" = "[('$D1', $(jq_get "$T/n1.json" 'r["calls"]["total"]')), ('$D2', $(jq_get "$T/out" 'r["calls"]["total"]'))]" ]
ok "JSON trend: the first night's SER as its report had it" [ "$(jq_get "$T/n2.json" 'r["history"]["trend"][0]["ser"]')" = "$(jq_get "$T/n1.json" 'r["kpi"]["ser"]["percent"]')" ]
okc "the new night's JSON is valid against the schema" 'python3 tests/schema_check.py docs/report.schema.json "$T/n2.json" >/dev/null'
gen 220 3 >> "$L/kamailio.log"
run -q -f html --history "$H" --history-date $D3 "$@"
okc "HTML draws the trend: a section, a bar per night and figure (3 x 7), both tables" \
	'[ $rc = 0 ] && grep -q "<section id=\"trend\">" "$T/out" && [ "$(grep -o "<rect[^>]*/></g>" "$T/out" | wc -l)" -ge 21 ] && grep -q "<title>$D1: " "$T/out" && grep -q "<td>$D3</td>" "$T/out"'
okc "HTML: no script anywhere" '! grep -qi "<script" "$T/out"'
run -q --history "$H" --history-date $D3 "$@"
okc "text: the trend, a line a night" '[ $rc = 0 ] && grep -q "^Trend (--history)" "$T/out" && grep -q "^  $D1 " "$T/out" && grep -q "^  $D3 " "$T/out"'
run -q -f csv --history "$H" --history-date $D3 "$@"
okc "CSV: the night, and a trend row per night and figure (3 x 7)" \
	'[ $rc = 0 ] && grep -q "^\"history\",\"1\",\"night\",\"$D3\"" "$T/out" && [ "$(grep -c "^\"trend\"," "$T/out")" = 21 ] && grep -q "^\"trend\",\"$D1\",\"calls\",\"$(jq_get "$T/n1.json" "r[\"calls\"][\"total\"]")\"" "$T/out"'
run -q -f prom --history "$H" --history-date $D3 "$@"
okc "prom: this run's bytes, and each night's headline with a night label (3 nights)" \
	'[ $rc = 0 ] && grep -q "^siplogscan_history_run_input_bytes " "$T/out" && [ "$(grep -c "^siplogscan_night_calls{night=" "$T/out")" = 3 ] && grep -q "^siplogscan_night_calls{night=\"$D1\"} $(jq_get "$T/n1.json" "r[\"calls\"][\"total\"]")\$" "$T/out"'
PY=$(python3 -c 'import prometheus_client, sys; print(sys.executable)' 2>/dev/null)
[ -n "$PY" ] || PY=/usr/bin/python3
ok "prom: the client's parser, promtool and the naming rules pass it" \
	"$PY" tests/prom_check.py "$T/out"
run -q -f prom --label night=x --history "$H" --history-date $D3 "$@"
okc "--label night with --history: a usage error" '[ $rc = 2 ] && grep -q "label night" "$T/err"'
run -q -f json --history "$H" --history-date $D3 --keep 2 "$@"
okc "--keep 2: two nights in the trend, the oldest night's states removed" \
	'[ $rc = 0 ] && [ "$(jq_get "$T/out" "[t[\"night\"] for t in r[\"history\"][\"trend\"]]")" = "['\''$D2'\'', '\''$D3'\'']" ] && [ ! -d "$H/nights/$D1" ] && [ -d "$H/nights/$D2" ]'

# ---- bad input: exit 2, a message, DIR as it was
gen 230 4 >> "$L/kamailio.log"
before=$(dirsum "$H")
# bad DESCRIPTION PATTERN [ARGS]: a run that must fail with exit 2 and PATTERN on stderr, and
# leave DIR as it was
bad() {
	_d=$1 _p=$2
	shift 2
	okc "$_d: exit 2, a message, DIR unchanged" '[ $rc = 2 ] && grep -q "$_p" "$T/err" && [ "$(dirsum "$H")" = "$before" ]'
	[ $rc = 2 ] && grep -q "$_p" "$T/err" || sed 's/^/#   /' "$T/err" | head -3
}
: > "$T/afile"
run -q --history "$T/afile/h" --history-date $D3 "$@"
bad "a DIR whose parent is a file" "a part of the path is a file"
run -q --history "$T/afile" --history-date $D3 "$@"
bad "a DIR that is a file" "is not a directory"
run -q --history "$T/nodir/h" --history-date $D3 "$@"
bad "a DIR whose parent does not exist" "its parent directory does not exist"
if [ "$(id -u)" != 0 ]; then
	chmod 555 "$H"
	run -q --history "$H" --history-date $D3 "$@"
	chmod 755 "$H"
	bad "a DIR this user cannot write" "cannot be written"
else
	echo "ok $((_n + 1)) - # SKIP a DIR this user cannot write (root writes through chmod)"
	_n=$((_n + 1))
fi
mkdir "$T/notahistory" && : > "$T/notahistory/x"
run -q --history "$T/notahistory" --history-date $D3 "$@"
okc "a DIR with other files in it and no version file: exit 2, left alone" '[ $rc = 2 ] && grep -q "not a siplogscan history" "$T/err" && [ "$(ls "$T/notahistory")" = x ]'
# (stderr through a pipe: the limit is on files)
( ulimit -f 1; "$BIN" -q --history "$H" --history-date $D3 "$@" 2>&1 >/dev/null; echo $? > "$T/rc" ) | cat > "$T/err"
rc=$(cat "$T/rc")
bad "a full disk (ulimit -f: EFBIG) while the state is written" "File too large"
okc "... and says the history is as it was" 'grep -q "the history is as it was" "$T/err"'
cp "$H/version" "$T/version"
echo "siplogscan history 2" > "$H/version"
before=$(dirsum "$H")
run -q --history "$H" --history-date $D3 "$@"
bad "a DIR of another version" "version 2; this siplogscan reads and writes history version 1"
cp "$T/version" "$H/version"
before=$(dirsum "$H")
flock "$H/lock" sleep 3 &
fl=$!
sleep 0.5
run -q --history "$H" --history-date $D3 "$@"
bad "two runs at once (the lock is held)" "another process holds"
wait $fl
printf '%s\n' 999999 > "$H/lock"
flock "$H/lock" sleep 3 &
fl=$!
sleep 0.5
run -q --history "$H" --history-date $D3 "$@"
bad "two runs at once, the holder's pid in the lock file" "another siplogscan run (pid 999999) holds"
wait $fl
: > "$H/lock"
last=$(ls "$H/nights/$D3" | sort | tail -1)
cp "$H/nights/$D3/$last" "$T/state"
python3 -c 'import sys; p=sys.argv[1]; d=bytearray(open(p,"rb").read()); d[len(d)//2]^=0x55; open(p,"wb").write(d)' "$H/nights/$D3/$last"
before=$(dirsum "$H")
run -q --history "$H" --history-date $D3 "$@"
bad "a damaged state in DIR" "is damaged"
head -c 100 "$T/state" > "$H/nights/$D3/$last"
before=$(dirsum "$H")
run -q --history "$H" --history-date $D3 "$@"
bad "a truncated state in DIR" "is truncated"
cp "$T/state" "$H/nights/$D3/$last"
first=$(ls "$H/nights/$D3" | sort | head -1)
cp "$H/nights/$D3/$first" "$T/state0"
python3 -c 'import sys; p=sys.argv[1]; d=bytearray(open(p,"rb").read()); d[len(d)//2]^=0x55; open(p,"wb").write(d)' "$H/nights/$D3/$first"
before=$(dirsum "$H")
run -q --history "$H" --history-date $D3 "$@"
bad "a damaged earlier state, found after the scan" "is damaged"
run -q --history "$H" --history-date 2026-11-27 "$@"
bad "a damaged state of the last night, on a new night (the calls open cannot be carried)" "is damaged"
okc "... and no directory of the new night is left" '[ ! -e "$H/nights/2026-11-27" ]'
cp "$T/state0" "$H/nights/$D3/$first"
cp "$H/manifest" "$T/manifest"
sed -i 's/^night \([0-9-]*\) \([0-9]*\)/night \1 9/' "$H/manifest"
before=$(dirsum "$H")
run -q --history "$H" --history-date $D3 "$@"
bad "a manifest edited by hand" "its checksum does not match"
head -c 40 "$T/manifest" > "$H/manifest"
before=$(dirsum "$H")
run -q --history "$H" --history-date $D3 "$@"
bad "a truncated manifest" "is truncated"
cp "$T/manifest" "$H/manifest"
before=$(dirsum "$H")
run -q --history "$H" --history-date $D3 --session-timeout 60 "$@"
bad "other options than the history's" "another --session-timeout"
run -q --history "$H" --history-date $D2 "$@"
bad "a night before the history's last" "the nights of a history go forward"
run -q --history "$H" --history-date 2026-02-30 "$@"
bad "a --history-date that is no date" "expected a date"
hrun --history-date $D3 "$@"
ok "after all of them, nothing lost: the next run reads the $(gen 230 4 | wc -c) bytes appended" [ "$rc:$(jq_get "$T/out" 'r["run"]["history"]["bytes_read"]')" = "0:$(gen 230 4 | wc -c)" ]

# ---- what --history is not given with
run --history "$H" --state-out "$T/s" "$L/kamailio.log"
okc "--history with --state-out: exit 2" '[ $rc = 2 ] && grep -q "either --history or --state-out" "$T/err"'
run --history "$H" --range "$L/kamailio.log:0-100" "$L/kamailio.log"
okc "--history with --range: exit 2" '[ $rc = 2 ] && grep -q "either --history or --range" "$T/err"'
run merge --history "$H" "$T/state"
okc "merge --history: exit 2" '[ $rc = 2 ] && grep -q "merge reads states" "$T/err"'
"$BIN" --history "$H" - < "$L/kamailio.log" > /dev/null 2>"$T/err"
rc=$?
okc "--history with stdin: exit 2, name the files" '[ $rc = 2 ] && grep -q "stdin cannot be remembered" "$T/err"'
run --history "$H" --since 2026-11-24 "$L/kamailio.log"
okc "--history with --since: exit 2" '[ $rc = 2 ] && grep -q "leave out --since and --until" "$T/err"'
run --keep 3 "$L/kamailio.log"
okc "--keep without --history: exit 2" '[ $rc = 2 ] && grep -q "give --history DIR too" "$T/err"'

# ---- two proxies, each with a history of its own named by --host: their nights' states
# merge side by side, a by-host row each
P=$T/proxies
mkdir -p "$P/sip1" "$P/sip2"
gen 300 20 > "$P/sip1/kamailio.log"
gen 400 12 > "$P/sip2/kamailio.log"
run -q -f json --history "$P/h1" --host sip1 --history-date $D1 "$P/sip1/kamailio.log"
okc "--history with --host NAME: exit 0" '[ $rc = 0 ]'
gen 320 5 >> "$P/sip1/kamailio.log"
run -q -f json --history "$P/h1" --host sip1 --history-date $D1 "$P/sip1/kamailio.log"
cp "$T/out" "$T/h1.json"
run -q -f json --history "$P/h2" --host sip2 --history-date $D1 "$P/sip2/kamailio.log"
cp "$T/out" "$T/h2.json"
run merge -q -f json "$P"/h1/nights/$D1/*.state "$P"/h2/nights/$D1/*.state
okc "the two proxies' nights merge (their states name their hosts): exit 0" '[ $rc = 0 ]'
ok "... the calls add up (25 + 12)" [ "$(jq_get "$T/out" 'r["calls"]["total"]')" = $(( $(jq_get "$T/h1.json" 'r["calls"]["total"]') + $(jq_get "$T/h2.json" 'r["calls"]["total"]') )) ]
ok "... a row per host, each with its history's calls" [ "$(jq_get "$T/out" '[(x["name"], x["calls"]) for x in r["hosts"]["rows"]]')" = "[('sip1', $(jq_get "$T/h1.json" 'r["calls"]["total"]')), ('sip2', $(jq_get "$T/h2.json" 'r["calls"]["total"]'))]" ]
before=$(dirsum "$P/h1")
run -q -f json --history "$P/h1" --host sip9 --history-date $D1 "$P/sip1/kamailio.log"
okc "a history's run with another --host: exit 2, names it, DIR as it was" \
	'[ $rc = 2 ] && grep -q "another --host" "$T/err" && [ "$(dirsum "$P/h1")" = "$before" ]'
run -q -f json --history "$P/h1" --history-date $D1 "$P/sip1/kamailio.log"
okc "... and one without --host: exit 2, DIR as it was" \
	'[ $rc = 2 ] && grep -q "another --host" "$T/err" && [ "$(dirsum "$P/h1")" = "$before" ]'
gen 330 4 >> "$P/sip1/kamailio.log"
run -q -f json --history "$P/h1" --host sip1 --history-date $D2 "$P/sip1/kamailio.log"
okc "the proxy's next night (its carry keeps the host): exit 0, its 4 new calls" \
	'[ $rc = 0 ] && [ "$(jq_get "$T/out" "r[\"calls\"][\"total\"]")" = 4 ]'

# ---- the README's cron recipe, as it stands between its markers
python3 - README.md "$T" > "$T/recipe.sh" <<'EOF'
import re, sys
text = open(sys.argv[1]).read()
block = re.search(r"<!-- history-recipe:begin.*?-->\n```\n(.*?)```\n<!-- history-recipe:end -->", text, re.S).group(1)
t = sys.argv[2]
for line in block.splitlines():
    if not line or "=" in line.split()[0]:
        continue
    cmd = line.split(None, 6)[6].replace("\\%", "%")
    cmd = cmd.replace("/var/lib/siplogscan", t + "/cron").replace("/var/log/", t + "/logs/")
    print(cmd)
EOF
mkdir -p "$T/cron/nightly"
okc "README: the history recipe is one cron line" '[ "$(wc -l < "$T/recipe.sh")" = 1 ] && grep -q -- "--history" "$T/recipe.sh"'
PATH="$(dirname "$(readlink -f "$BIN")"):$PATH" sh "$T/recipe.sh" > "$T/mail1" 2>"$T/err1"
r1=$?
PATH="$(dirname "$(readlink -f "$BIN")"):$PATH" sh "$T/recipe.sh" > "$T/mail2" 2>"$T/err2"
r2=$?
okc "README recipe: runs (exit 0, or 1 naming the rule that holds), writes its HTML and JSON" \
	'[ $r1 -le 1 ] && [ $r2 -le 1 ] && [ -s "$T/cron/trend.html" ] && ls "$T/cron/nightly/"*.json >/dev/null && { [ $r1 = 0 ] || grep -q "holds" "$T/err1"; }'
okc "README recipe: the second run reads 0 bytes" '[ "$(jq_get "$(ls "$T/cron/nightly/"*.json | head -1)" "r[\"run\"][\"history\"][\"bytes_read\"]")" = 0 ]'
finish
