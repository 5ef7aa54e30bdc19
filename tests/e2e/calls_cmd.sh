#!/bin/sh
# siplogscan calls: the calls behind the report's figures. Each filter is checked against a
# count made without it: the independent counter (samples/other/count.py) for outcomes,
# the report's own problem counts and breakdowns, the --calls-ndjson rows of the same run;
# hostile Call-IDs are matched as bytes and escaped; rows stream while the input is read.
. tests/lib.sh

RFC=samples/kamailio/kamailio-rfc3339.log

# outcomes against the independent counter: every INVITE and REGISTER attempt count.py
# finds, with its first line and outcome, is listed by --code with that outcome, and no other
cat > "$T/oracle.py" <<'EOF'
import json, re, subprocess, sys
bin_, path = sys.argv[1:3]
want = set()
out = subprocess.run(["python3", "samples/other/count.py", "--attempts", path],
                     capture_output=True, text=True, check=True).stdout
for l in out.splitlines():
    if l.startswith("#"):
        continue
    f = l.split()
    # the outcome field: CODE(LINE) or none (a long Call-ID is shortened with spaces)
    code = [x for x in f[3:] if re.match(r"^([1-6]\d\d\(\d+\)|none)$", x)][0].split("(")[0]
    want.add((f[0], int(f[1]), code))
got = set()
for c in sorted({c for _, _, c in want} | {"none", "5xx", "6xx"}):
    out = subprocess.run([bin_, "calls", "-q", "-f", "ndjson", "--code", c, path],
                         capture_output=True, text=True, check=True).stdout
    for l in out.splitlines():
        o = json.loads(l)
        oc = "none" if o["outcome"] is None else str(o["outcome"])
        assert c in ("5xx", "6xx") and oc[0] == c[0] or oc == c, (c, o)
        if o["attempt"] or o["kind"] == "registration":
            got.add((o["method"], o["line"], oc))
assert got == want, sorted(got ^ want)
print("#", len(got), "attempts")
EOF
for f in samples/other/asterisk-pjsip.log samples/other/journalctl-short-iso.log \
	 samples/other/opensips-syslog.log samples/other/sngrep-export.txt \
	 samples/other/freeswitch-siptrace.log samples/other/mixed-crlf.log; do
	okc "$(basename "$f"): --code lists exactly the attempts and outcomes count.py finds" \
		'python3 "$T/oracle.py" "$BIN" "$f" > "$T/oracle.out" 2>&1 ||
		 { sed "s/^/# /" "$T/oracle.out"; false; }'
done

# problems: as many calls as the report counts, and the report's examples among them
cat > "$T/problems.py" <<'EOF'
import json, subprocess, sys
bin_, report = sys.argv[1], sys.argv[2]
files = sys.argv[3:]
r = json.load(open(report))
per_call = {"stuck-after-100", "no-final-no-100", "slow-setup", "proxy-auth-not-retried",
            "proxy-auth-rejected", "www-auth-not-retried", "www-auth-rejected",
            "request-timeout", "server-errors", "global-failures"}
n = 0
for p in r["problems"]:
    if p["id"] not in per_call:
        continue
    out = subprocess.run([bin_, "calls", "-q", "-f", "ndjson", "--problem", p["id"]] + files,
                         capture_output=True, text=True, check=True).stdout
    rows = [json.loads(l) for l in out.splitlines()]
    assert len(rows) == p["count"], (p["id"], len(rows), p["count"])
    assert all(p["id"] in o["problems"] for o in rows), p["id"]
    ids = {(o["call_id"], o["line"]) for o in rows}
    for e in p["examples"]:
        assert (e["call_id"], e["line"]) in ids, (p["id"], e)
    n += 1
assert n, "no per-call problem in the report"
print("#", n, "problems")
EOF
for set in "$RFC" samples/kamailio/sipdump/kamailio-sipdump-2026-11-24--15-54-43.data \
	   samples/kamailio/acc/kamailio-acc.log tests/cases/kpis.log tests/cases/outcomes.log; do
	"$BIN" -q -f json $set > "$T/r.json"
	okc "$(basename "$set"): --problem ID lists as many calls as the report counts, its examples too" \
		'python3 "$T/problems.py" "$BIN" "$T/r.json" $set > "$T/p.out" 2>&1 ||
		 { sed "s/^/# /" "$T/p.out"; false; }'
done

# the other filters, against the --calls-ndjson rows and the report of the same run
"$BIN" -q -f json --calls-ndjson "$T/all.ndjson" "$RFC" > "$T/rfc.json"
cat > "$T/filters.py" <<'EOF'
import ipaddress, json, subprocess, sys
bin_, path, alln, report = sys.argv[1:5]
rows = [json.loads(l) for l in open(alln)]
r = json.load(open(report))
def calls(*args):
    out = subprocess.run([bin_, "calls", "-q", "-f", "ndjson"] + list(args) + [path],
                         capture_output=True, text=True, check=True).stdout
    return [json.loads(l) for l in out.splitlines()]
def same(got, want, what):
    assert [o["call_id"] for o in got] == [o["call_id"] for o in want], what
    print("# %s: %d" % (what, len(got)))
net = ipaddress.ip_network("127.0.0.64/26")
same(calls("--src", "127.0.0.64/26"),
     [o for o in rows if o["source"] and ipaddress.ip_address(o["source"]) in net], "--src /26")
same(calls("--src", "127.0.0.10"), [o for o in rows if o["source"] == "127.0.0.10"], "--src")
# the report's source breakdown counts INVITE and REGISTER attempts
src = {x["key"]: x["attempts"] for x in r["breakdowns"]["by_source"]["rows"]}
for k, v in src.items():
    got = calls("--src", k, "--kind", "call", "--kind", "registration")
    assert len([o for o in got if o["attempt"] or o["kind"] == "registration"]) == v, (k, v)
same(calls("--hop", "127.0.0.4"), [o for o in rows if "127.0.0.4" in o["responders"]], "--hop")
same(calls("--callid", "*-21879@127.0.0.13"),
     [o for o in rows if o["call_id"].endswith("-21879@127.0.0.13")], "--callid glob")
same(calls("--callid", "2-21879@127.0.0.13"),
     [o for o in rows if o["call_id"] == "2-21879@127.0.0.13"], "--callid exact")
same(calls("--callid", "?-21879@127.0.0.13", "--callid", "1-21352@*"),
     [o for o in rows if o["call_id"].endswith("-21879@127.0.0.13") and len(o["call_id"]) == 18
      or o["call_id"].startswith("1-21352@")], "--callid twice: either")
same(calls("--min-setup", "1"), [o for o in rows if o["pdd_ms"] is not None and o["pdd_ms"] >= 1000],
     "--min-setup 1")
same(calls("--code", "4xx", "--kind", "call"),
     [o for o in rows if o["kind"] == "call" and o["outcome"] and 400 <= o["outcome"] < 500],
     "--code 4xx --kind call")
same(calls("--code", "486", "--problem", "request-timeout"), [], "filters combine (and)")
same(calls("--kind", "options"), [o for o in rows if o["kind"] == "options"], "--kind options")
assert len(calls("--kind", "options")) == r["options_pings"]["total"]
# the report's next-hop table: each hop's attempts are calls it answered
for h in r["breakdowns"]["by_next_hop"]["rows"]:
    got = [o for o in calls("--hop", h["key"], "--kind", "call") if o["attempt"]]
    assert len(got) >= h["attempts"], (h, len(got))
EOF
okc "--src (address and prefix), --hop, --callid (exact, glob, twice), --min-setup, --code, --kind: the rows that match, in order" \
	'python3 "$T/filters.py" "$BIN" "$RFC" "$T/all.ndjson" "$T/rfc.json" > "$T/f.out" 2>&1 ||
	 { sed "s/^/# /" "$T/f.out"; false; }'

# the window: the calls of the report run with the same --since/--until
run calls -q -f ndjson --since 2026-11-24T15:54:46Z --until 2026-11-24T15:54:49Z "$RFC"
"$BIN" -q -f json --since 2026-11-24T15:54:46Z --until 2026-11-24T15:54:49Z "$RFC" > "$T/w.json"
okc "--since/--until: the report's window, as many Call-IDs as it counts" \
	'[ "$rc" -eq 0 ] && [ "$(wc -l < "$T/out")" = "$(jq_get "$T/w.json" "r[\"call_ids\"][\"total\"]")" ] &&
	 [ "$(wc -l < "$T/out")" -gt 0 ] && [ "$(wc -l < "$T/out")" -lt "$(wc -l < "$T/all.ndjson")" ]'

# formats: ndjson is --calls-ndjson's rows, csv --calls-csv's, json one document of them
"$BIN" -q --calls-csv "$T/all.csv" -o /dev/null "$RFC"
run calls -q -f ndjson "$RFC"
ok "ndjson, no filter: byte for byte the --calls-ndjson file" cmp -s "$T/out" "$T/all.ndjson"
run calls -q -f csv "$RFC"
ok "csv, no filter: byte for byte the --calls-csv file" cmp -s "$T/out" "$T/all.csv"
run calls -q -f csv --problem stuck-after-100 "$RFC"
okc "csv with a filter: the header and the matching --calls-csv rows" \
	'[ "$(head -1 "$T/out")" = "$(head -1 "$T/all.csv")" ] && [ "$(wc -l < "$T/out")" -eq 4 ] &&
	 tail -n +2 "$T/out" | while IFS= read -r l; do grep -qxF "$l" "$T/all.csv" || exit 1; done'
run calls -q -f json --code 200 "$RFC"
okc "json: one document, schema siplogscan.calls/1, the ndjson rows, matched = written" 'python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
rows = [json.loads(l) for l in open(sys.argv[2])]
assert d[\"schema\"] == \"siplogscan.calls/1\"
assert d[\"calls\"] == [o for o in rows if o[\"outcome\"] == 200], len(d[\"calls\"])
assert d[\"matched\"] == d[\"written\"] == len(d[\"calls\"]) > 0
" "$T/out" "$T/all.ndjson"'
run calls -q -f json --problem global-failures "$RFC"
okc "json with no match: an empty list, valid" \
	'python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d[\"calls\"] == [] and d[\"matched\"] == 0" "$T/out"'
run calls --problem global-failures "$RFC"
okc "text with no match: the header only, exit 0, stderr says so" \
	'[ "$rc" -eq 0 ] && [ "$(wc -l < "$T/out")" -eq 1 ] && grep -q "no call matched" "$T/err"'
run calls --problem stuck-after-100 "$RFC"
okc "text: a header and one line per stuck call with its time, Call-ID, source, responders, problem and file:line" \
	'[ "$rc" -eq 0 ] && [ "$(wc -l < "$T/out")" -eq 4 ] && head -1 "$T/out" | grep -q "^time .*call-id .*problems  at$" &&
	 grep -q "^2026-11-24T15:54:49.497832Z INVITE   1-21879@127.0.0.13 .* 127.0.0.13 .* 127.0.0.1,127.0.0.5 .* no-final .* stuck-after-100 samples/kamailio/kamailio-rfc3339.log:235$" "$T/out"'
run calls -q --tz Europe/Berlin --problem stuck-after-100 "$RFC"
okc "--tz: times in the zone (as the text report shows them)" \
	'grep -q "^2026-11-24 16:54:49.497832 +01:00 INVITE" "$T/out"'
run calls --limit 2 "$RFC"
okc "--limit 2: two calls, stderr counts all that matched" \
	'[ "$(wc -l < "$T/out")" -eq 3 ] && grep -q "52 calls matched, the first 2 shown" "$T/err"'
okc "the same rows for -j1 and -j2 --block-size 4K, for gzip input too" \
	'"$BIN" calls -q -j1 -f ndjson "$RFC" > "$T/j1" && "$BIN" calls -q -j2 --block-size 4K -f ndjson "$RFC" > "$T/j2" &&
	 "$BIN" calls -q -j2 -f ndjson "$RFC.gz" | sed "s|kamailio-rfc3339.log.gz|kamailio-rfc3339.log|" > "$T/gz" &&
	 cmp -s "$T/j1" "$T/all.ndjson" && cmp -s "$T/j2" "$T/all.ndjson" && cmp -s "$T/gz" "$T/all.ndjson"'
okc "a rotated set: the calls of every file, in time order, as the report counts them" \
	'"$BIN" -q -f json samples/kamailio/syslog-bsd/kamailio.log* > "$T/rot.json" &&
	 [ "$("$BIN" calls -q -f ndjson samples/kamailio/syslog-bsd/kamailio.log* | wc -l)" = "$(jq_get "$T/rot.json" "r[\"call_ids\"][\"total\"]")" ]'

# hostile Call-IDs: matched as bytes, escaped in text, JSON and CSV
printf 'Nov 24 13:00:01 px kamailio[7]: NOTICE: <script>: siplog: req=INVITE cseq=1 INVITE callid=q"b\\\\c\033[31m\377\342\200\250z*? src=udp:10.0.0.1:5060 auth=no ua=Evil"UA\001\nNov 24 13:00:02 px kamailio[7]: NOTICE: <script>: siplog: req=INVITE cseq=1 INVITE callid=q"b\\\\c\033[31m\377\342\200\250zzz src=udp:10.0.0.1:5060 auth=no ua=U\n' > "$T/h.log"
ID=$(printf 'q"b\\\\c\033[31m\377\342\200\250z*?')
run calls --callid "$ID" "$T/h.log"
okc "hostile Call-ID (quote, backslashes, ESC, a byte not UTF-8, U+2028, * and ?): it matches its own bytes, exactly" \
	'[ "$rc" -eq 0 ] && [ "$(wc -l < "$T/out")" -eq 2 ]'
okc "hostile Call-ID in text: escaped, no control byte, no raw U+2028" \
	'grep -qF "q\"b\\\\\\\\c\\e[31m\\xff\\u{2028}z*?" "$T/out" && ! LC_ALL=C grep -q "[[:cntrl:]]" "$T/out" &&
	 ! grep -q "$(printf "\342\200\250")" "$T/out"'
run calls -f json --callid "$ID" "$T/h.log"
okc "hostile Call-ID in JSON: valid, the same string as --calls-ndjson writes" \
	'python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert len(d[\"calls\"]) == 1" "$T/out" &&
	 grep -qF "\"call_id\":\"q\\\"b\\\\\\\\c\\u001b[31m\\u00ff\\u2028z*?\"" "$T/out"'
ESC=$(printf 'q"b\\\\\\\\c\033[31m\377\342\200\250z\\*\\?')
run calls -q -f ndjson --callid "$ESC" "$T/h.log"
okc "a glob's \\ quotes * and ?: the literal Call-ID only, not the other" \
	'[ "$(wc -l < "$T/out")" -eq 1 ] && grep -qF "z*?\"" "$T/out"'
run calls -q -f ndjson --callid "$(printf 'q"b\\\\\\\\c\033[31m\377\342\200\250z*')" "$T/h.log"
okc "a glob's * over the hostile bytes: both calls" '[ "$(wc -l < "$T/out")" -eq 2 ]'
run calls -q -f csv "$T/h.log"
okc "hostile Call-ID in CSV: quoted, no control byte" \
	'[ "$(wc -l < "$T/out")" -eq 3 ] && ! LC_ALL=C grep -q "[[:cntrl:]]" "$(tr -d "\r" < "$T/out" > "$T/o2"; echo "$T/o2")"'

# streaming: the first rows of a 50,000-call archive come out while it is still being read
python3 bench/gen.py --format xlog --size 110 --seed 11 "$T/big.log"
cat > "$T/stream.py" <<'EOF'
import json, select, subprocess, sys, threading
bin_, path, want = sys.argv[1], sys.argv[2], int(sys.argv[3])
data = open(path, "rb").read()
half = data.index(b"\n", len(data) // 2) + 1
p = subprocess.Popen([bin_, "calls", "-q", "-j2", "-f", "ndjson", "-"], stdin=subprocess.PIPE,
                     stdout=subprocess.PIPE)
go = threading.Event()
def writer():
    p.stdin.write(data[:half])
    p.stdin.flush()
    go.wait()		# the rest only once a row came out
    p.stdin.write(data[half:])
    p.stdin.close()
w = threading.Thread(target=writer)
w.start()
r, _, _ = select.select([p.stdout], [], [], 60)
if not r:
    go.set()
    sys.exit("no row within 60 s with half of the archive written")
first = p.stdout.readline()
json.loads(first)
assert p.poll() is None
go.set()
rest = p.stdout.read().splitlines()
w.join()
assert p.wait() == 0
n = 1 + len(rest)
assert n == want, (n, want)
print("# the first row came before the second half was written; %d rows in all" % n)
EOF
"$BIN" -q -f json "$T/big.log" > "$T/big.json"
okc "a 50,000-call archive from a pipe: rows come before the input ends, all of them in the end" \
	'[ "$(jq_get "$T/big.json" "r[\"call_ids\"][\"total\"]")" -ge 50000 ] &&
	 python3 "$T/stream.py" "$BIN" "$T/big.log" "$(jq_get "$T/big.json" "r[\"call_ids\"][\"total\"]")" > "$T/s.out" 2>&1 ||
	 { sed "s/^/# /" "$T/s.out"; false; }'

# --examples above 20: the JSON report lists them all, the earliest calls of the problem
# (the first N of its calls by file and line), the same for any -j; text shows 20 and says so
"$BIN" -q -j1 -f json --examples 10000 "$T/big.log" > "$T/ex1.json"
"$BIN" -q -j4 --block-size 64K -f json --examples 10000 "$T/big.log" > "$T/ex4.json"
okc "--examples 10000: the same JSON report for -j1 and -j4 --block-size 64K" \
	'grep -v "^  \"run\": " "$T/ex1.json" > "$T/ex1" && grep -v "^  \"run\": " "$T/ex4.json" > "$T/ex4" &&
	 cmp -s "$T/ex1" "$T/ex4"'
"$BIN" calls -q -f ndjson --problem stuck-after-100 --problem proxy-auth-rejected "$T/big.log" > "$T/ex.ndjson"
okc "--examples 10000: every problem's examples are its first calls by position, as many as it counted" 'python3 -c "
import json, sys
r = json.load(open(sys.argv[1]))
rows = [json.loads(l) for l in open(sys.argv[2])]
for pid in (\"stuck-after-100\", \"proxy-auth-rejected\"):
    p = [x for x in r[\"problems\"] if x[\"id\"] == pid][0]
    calls = sorted((o[\"line\"], o[\"call_id\"]) for o in rows if pid in o[\"problems\"])
    want = calls[:10000]
    got = [(e[\"line\"], e[\"call_id\"]) for e in p[\"examples\"]]
    assert p[\"count\"] > 20 and len(got) == min(p[\"count\"], 10000), (pid, len(got), p[\"count\"])
    assert got == want, pid
" "$T/ex1.json" "$T/ex.ndjson"'
"$BIN" -q --examples 25 --width 80 "$T/big.log" > "$T/ex.txt"
okc "--examples 25 in text: the first 20, then how many more" \
	'grep -q "^               ... and 5 more (the JSON report lists them)$" "$T/ex.txt" &&
	 [ "$(awk "/\\] stuck-after-100\$/,/Means:/" "$T/ex.txt" | grep -c "^     [ exampls:]* [^ ]*:[0-9]*  ")" -eq 20 ]'
run -q --examples 10001 "$RFC"
okc "--examples 10001: usage error" '[ "$rc" -eq 2 ] && grep -q "expected 0..10000" "$T/err"'

# slow setups broken down by outcome and by next hop (the report), and the calls behind each
# figure (calls --problem slow-setup --code / --hop)
cat > "$T/slow.py" <<'PY'
import json, subprocess, sys
bin_, path = sys.argv[1], sys.argv[2]
opts = sys.argv[3:]
r = json.loads(subprocess.run([bin_, "-q", "-f", "json"] + opts + [path], capture_output=True,
                              text=True, check=True).stdout)
def calls(*a):
    out = subprocess.run([bin_, "calls", "-q", "-f", "ndjson"] + opts + list(a) + [path],
                         capture_output=True, text=True, check=True).stdout
    return [json.loads(l) for l in out.splitlines()]
slow = r["setup"]["slow"]
count = {p["id"]: p["count"] for p in r["problems"]}.get("slow-setup", 0)
assert slow["count"] == count == sum(slow["by_outcome"].values()) > 0, (slow, count)
for code, n in slow["by_outcome"].items():
    got = calls("--problem", "slow-setup", "--code", "none" if code == "0" else code)
    assert len(got) == n, (code, len(got), n)
hops = r["breakdowns"]["by_next_hop"]["rows"]
assert sum(h["slow_setups"] for h in hops) <= count
for h in hops:
    got = calls("--problem", "slow-setup", "--hop", h["key"])
    assert len(got) >= h["slow_setups"], (h["key"], len(got), h["slow_setups"])
    assert h["slow_setups"] <= h["attempts"]
print("#", count, "slow setups,", len(slow["by_outcome"]), "outcomes,", len(hops), "hops")
PY
okc "slow setups by outcome add up to slow-setup, and calls --problem slow-setup --code lists each" \
	'python3 "$T/slow.py" "$BIN" "$RFC" --slow-setup 0.3 > "$T/sl.out" 2>&1 &&
	 python3 "$T/slow.py" "$BIN" "$T/big.log" >> "$T/sl.out" 2>&1 || { sed "s/^/# /" "$T/sl.out"; false; }'
run -q --slow-setup 0.3 "$RFC"
okc "text: the slow setups by outcome and by next hop, under the call setup" \
	'grep -qx "  6 slow setups (post-dial delay above 0.3 s) by outcome: 408: 3, 486: 3" "$T/out" &&
	 grep -qx "  slow setups by next hop: 127.0.0.3: 3, 127.0.0.4: 3" "$T/out"'

# failures by code by hour (the report) and the calls behind each figure (calls --code C
# --kind call --since HOUR --until HOUR+1h)
{ for h in 13 14 15; do for i in 1 2 3 4; do
	c=200; [ $i -gt 1 ] && c=486; [ $h = 14 ] && [ $i -gt 2 ] && c=503
	echo "Nov 24 $h:00:0$i px kamailio[7]: NOTICE: <script>: siplog: req=INVITE cseq=1 INVITE callid=c$h$i src=udp:10.0.0.1:5060 auth=no ua=P"
	[ $h$i = 153 ] || echo "Nov 24 $h:00:1$i px kamailio[7]: NOTICE: <script>: siplog: rpl=$c cseq=1 INVITE callid=c$h$i src=udp:10.0.0.9:5060 reason=R"
done; done; } > "$T/hours.log"
cat > "$T/hours.py" <<'PY'
import datetime, json, subprocess, sys
bin_, path = sys.argv[1], sys.argv[2]
r = json.loads(subprocess.run([bin_, "-q", "-f", "json", path], capture_output=True, text=True,
                              check=True).stdout)
want = {"2026-11-24T13:00:00Z": {"486": 3}, "2026-11-24T14:00:00Z": {"486": 1, "503": 2},
        "2026-11-24T15:00:00Z": {"486": 2, "0": 1}}
got = {t["hour"]: t["failures"] for t in r["timeline"]}
assert got == want, got
for t in r["timeline"]:
    h = datetime.datetime.strptime(t["hour"], "%Y-%m-%dT%H:%M:%SZ")
    until = (h + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert sum(t["failures"].values()) == t["failed"], t
    for code, n in t["failures"].items():
        out = subprocess.run([bin_, "calls", "-q", "-f", "ndjson", "--kind", "call", "--code",
                              "none" if code == "0" else code, "--since", t["hour"], "--until",
                              until, path], capture_output=True, text=True, check=True).stdout
        assert len(out.splitlines()) == n, (t["hour"], code, len(out.splitlines()), n)
print("# 3 hours")
PY
okc "failures by code by hour: each hour's codes, and calls --code --since --until lists each figure" \
	'python3 "$T/hours.py" "$BIN" "$T/hours.log" > "$T/ho.out" 2>&1 || { sed "s/^/# /" "$T/ho.out"; false; }'
run -q --width 100 "$T/hours.log"
okc "text, wide: a top failures column in the per-hour table" \
	'grep -q "  hour .* auth-bad  top failures$" "$T/out" && grep -q "^  2026-11-24T14 .*  503:2 486:1$" "$T/out" &&
	 grep -q "^  2026-11-24T15 .*  486:2 none:1$" "$T/out"'
run -q --width 60 "$T/hours.log"
okc "text, narrow: the hours' failures under the table, within the width" \
	'grep -qx "  top failures by hour:" "$T/out" && grep -qx "  2026-11-24T14  503:2 486:1" "$T/out" &&
	 python3 tests/width_check.py 60 "$T/out"'

# From and To users: the xlog snippet's from=/to= and the From/To headers of whole messages,
# in the --calls-ndjson rows and for --user; checked against the headers read independently
# (the first request's message at the row's line)
cat > "$T/users.py" <<'PY'
import json, re, subprocess, sys
bin_, path = sys.argv[1], sys.argv[2]
rows = [json.loads(l) for l in subprocess.run([bin_, "calls", "-q", "-f", "ndjson", path],
        capture_output=True, text=True, check=True).stdout.splitlines()]
lines = open(path, encoding="utf-8", errors="replace").read().split("\n")
def user(v):
    m = re.search(r"<?(sips?|tel):([^>]*)", v, re.I)
    if not m:
        return None
    u = m.group(2)
    if m.group(1).lower() == "tel":
        return re.split(r"[;?>]", u)[0] or None
    return u.split("@")[0] if "@" in u.split(";")[0] else None
n = 0
for o in rows:
    if o["method"] not in ("INVITE", "REGISTER", "OPTIONS"):
        continue
    hdr = {}
    for l in lines[o["line"]:o["line"] + 40]:
        l = l.rstrip("\r").rstrip(".") if path.endswith("byline.txt") else l.rstrip("\r")
        if not l.strip():
            break
        m = re.match(r"^[ \t]*(From|f|To|t)[ \t]*:[ \t]*(.*?)[ \t]*$", l, re.I)
        if m:
            k = "from" if m.group(1).lower() in ("from", "f") else "to"
            hdr.setdefault(k, user(m.group(2)))
    assert (o["from_user"], o["to_user"]) == (hdr.get("from"), hdr.get("to")), (o["call_id"], o["from_user"], o["to_user"], hdr)
    n += 1
assert n >= 5, n
print("#", n, "calls")
PY
for f in samples/kamailio/sipdump/kamailio-sipdump-2026-11-24--15-54-43.data samples/other/asterisk-pjsip.log \
	 samples/other/ngrep-byline.txt samples/other/freeswitch-siptrace.log; do
	okc "$(basename "$f"): each call's From and To users are its first request's headers' users" \
		'python3 "$T/users.py" "$BIN" "$f" > "$T/u.out" 2>&1 || { sed "s/^/# /" "$T/u.out"; false; }'
done
run calls -q -f ndjson tests/cases/xlog-ruri-users.log
okc "xlog from=/to=: the users of the first request; a line without them has none" \
	'grep -q "\"call_id\":\"n1@h\".*\"from_user\":\"1001\",\"to_user\":\"2001\"}" "$T/out" &&
	 grep -q "\"call_id\":\"o1@h\".*\"from_user\":null,\"to_user\":null}" "$T/out"'
run calls -q -f ndjson --user 1001 tests/cases/xlog-ruri-users.log
okc "--user matches the From user" '[ "$(wc -l < "$T/out")" -eq 1 ] && grep -q "\"call_id\":\"n1@h\"" "$T/out"'
run calls -q -f ndjson --user 'al*' samples/kamailio/sipdump/kamailio-sipdump-2026-11-24--15-54-43.data
okc "--user glob on From headers: every call alice placed, no other" \
	'[ "$(wc -l < "$T/out")" -gt 3 ] && ! grep -v "\"from_user\":\"alice\"" "$T/out" | grep -q .'
run calls --limit 1 --kind call tests/cases/xlog-ruri-users.log
okc "text: the users FROM->TO" 'grep -q "^2026-11-24T13:00:01Z        INVITE   n1@h                      1001->2001 " "$T/out"'

# the report's own hint: every per-call problem of the text report shows the command that
# lists its calls; run as printed, it lists as many as the report counts (with its window)
mkdir -p "$T/bin" && ln -s "$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")" "$T/bin/siplogscan"
cat > "$T/hint.py" <<'PY'
import json, os, re, subprocess, sys
text, report, bindir = sys.argv[1:4]
r = json.load(open(report))
count = {p["id"]: p["count"] for p in r["problems"]}
t = open(text).read().replace(" \\\n            ", " ")
cmds = re.findall(r"^     Calls: (siplogscan calls --problem (\S+) .*)$", t, re.M)
per_call = [p for p in count if p not in ("auth-scanner", "auth-break-in", "auth-guessing",
                                          "auth-spread-guessing")]
assert sorted(p for _, p in cmds) == sorted(per_call), (cmds, per_call)
env = dict(os.environ, PATH=bindir + ":" + os.environ["PATH"])
for cmd, pid in cmds:
    out = subprocess.run(["sh", "-c", cmd + " -q -f ndjson"], capture_output=True, text=True,
                         env=env, check=True).stdout
    n = len(out.splitlines())
    assert n == count[pid], (cmd, n, count[pid])
print("#", len(cmds), "commands")
PY
for args in "samples/kamailio/kamailio-rfc3339.log" \
	    "--since 2026-11-24T15:54:45Z --until 2026-11-24T15:54:50Z samples/kamailio/syslog-bsd/kamailio.log.2.gz samples/kamailio/syslog-bsd/kamailio.log.1 samples/kamailio/syslog-bsd/kamailio.log" \
	    "tests/cases/kpis.log"; do
	# shellcheck disable=SC2086
	"$BIN" -q --width 60 -o "$T/hint.txt" -o "$T/hint.json" $args
	okc "report hint ($(echo "$args" | cut -c1-40)...): each problem's Calls command, run as printed, lists its count" \
		'python3 "$T/hint.py" "$T/hint.txt" "$T/hint.json" "$T/bin" > "$T/h.out" 2>&1 &&
		 python3 tests/width_check.py 60 "$T/hint.txt" ||
		 { sed "s/^/# /" "$T/h.out"; false; }'
done
"$BIN" -q -f html "$RFC" > "$T/r.html"
okc "HTML report: the command beside each per-call problem, escaped" \
	'[ "$(grep -c "<div class=\"calls\">All its calls: <code>siplogscan calls --problem [a-z0-9-]* samples/kamailio/kamailio-rfc3339.log</code></div>" "$T/r.html")" -eq 5 ]'
mkdir -p "$T/odd dir" && cp "$RFC" "$T/odd dir/it's.log" && cp "$RFC" "$T/odd dir/plain.log"
"$BIN" -q --width 200 "$T/odd dir/plain.log" > "$T/odd1.txt"
"$BIN" -q --width 200 "$T/odd dir/it's.log" > "$T/odd2.txt"
okc "a path with a space is single-quoted; one the shell cannot take as written is FILE..." \
	'grep -qF "Calls: siplogscan calls --problem stuck-after-100 '\''$T/odd dir/plain.log'\''" "$T/odd1.txt" &&
	 grep -qF "Calls: siplogscan calls --problem stuck-after-100 FILE..." "$T/odd2.txt"'

# usage errors: exit 2 with what is expected, before any scan
for bad in "--problem nope" "--problem auth-scanner" "--code 5x" "--code 1000" "--src 10.0.0.0/33" \
	   "--src host/8" "--hop ::1/129" "--min-setup -1" "--limit 0" "--format html" "--kind call-ish"; do
	# shellcheck disable=SC2086
	run calls $bad "$RFC"
	okc "calls $bad: usage error" '[ "$rc" -eq 2 ] && [ ! -s "$T/out" ] && grep -q "^siplogscan calls: " "$T/err"'
done
run calls
okc "calls without input: usage error" '[ "$rc" -eq 2 ] && grep -q "no input" "$T/err"'
run calls --help
okc "calls --help: the filters, the formats, the report options that apply" \
	'[ "$rc" -eq 0 ] && grep -q -- "--problem ID" "$T/out" && grep -q -- "--min-setup SEC" "$T/out" && grep -q -- "--tz ZONE" "$T/out"'
run calls -q --problem stuck-after-100 /nonexistent.log
okc "an input that cannot be read: exit 2, said" '[ "$rc" -eq 2 ] && grep -q "nonexistent" "$T/err"'
finish
