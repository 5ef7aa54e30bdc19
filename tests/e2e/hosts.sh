#!/bin/sh
# Several proxies in one run (--host-from, --host): a generated fleet (tests/hostgen.py: each
# host's rotated files, the oldest gzipped; some calls cross two hosts) against the figures the
# generator computed from its own calls; the hosts read side by side (the calls still open at
# the end far below one host after the other); the same report for every -j and block size;
# a fleet in which every call crosses two hosts reports the calls of one host's log alone;
# usage errors; host names from paths escaped in every format; the --calls-ndjson host.
. tests/lib.sh

python3 tests/hostgen.py "$T/f" --hosts 3 --calls 400 --seed 5 --cross 0.4
L="$T/f/logs"

# the Python that has the Prometheus client (as tests/e2e/prom.sh finds it)
PY=$(python3 -c 'import prometheus_client, sys; print(sys.executable)' 2>/dev/null)
[ -n "$PY" ] || PY=/usr/bin/python3

report() { # report NAME ARGS... -> $T/NAME.full.json, and $T/NAME.json without the run line
	name=$1
	shift
	"$BIN" -q -f json "$@" 2>"$T/$name.err" > "$T/$name.full.json"
	grep -v '^  "run": ' "$T/$name.full.json" > "$T/$name.json"
}

# ---- figures against the generator's
run -q -f json --host-from '/logs/([^/]+)/' "$L"/*/kamailio.log*
ok "fleet run exits 0" [ "$rc" = 0 ]
cp "$T/out" "$T/fleet.json"
okc "the report is valid JSON with a hosts section" \
	'[ "$(jq_get "$T/fleet.json" "len(r[\"hosts\"][\"rows\"])")" = 3 ]'
ok "the report passes the schema" python3 tests/schema_check.py docs/report.schema.json "$T/fleet.json"
python3 - "$T/fleet.json" "$T/f/expect.json" > "$T/cmp.txt" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
e = json.load(open(sys.argv[2]))
bad = []
def same(what, got, want):
    if got != want:
        bad.append("%s: report %s, generated %s" % (what, got, want))
rows = {x["name"]: x for x in r["hosts"]["rows"]}
same("host names in order", [x["name"] for x in r["hosts"]["rows"]], sorted(e["hosts"]))
for h, want in e["per_host"].items():
    for k, v in want.items():
        same("%s.%s" % (h, k), rows[h][k], v)
f = e["fleet"]
same("calls.total", r["calls"]["total"], f["calls"])
same("call_ids.total", r["call_ids"]["total"], f["call_ids"])
same("registrations.total", r["registrations"]["total"], f["registrations"])
same("options_pings.total", r["options_pings"]["total"], f["options"])
same("hosts.shared_call_ids", r["hosts"]["shared_call_ids"], f["shared"])
same("trying_to_final.stuck", r["trying_to_final"]["stuck"], f["stuck"])
same("proxy_auth.not_retried", r["proxy_auth"]["not_retried"], f["not_retried"])
# answered calls: asr = 2xx / attempts
same("kpi.asr numerator", round(r["kpi"]["asr_percent"] * r["kpi"]["invite_attempts"] / 100),
     f["answered"]) if r["kpi"].get("asr_percent") is not None else None
same("records", r["totals"]["records"], sum(x["records"] for x in e["per_host"].values()))
print("\n".join(bad) if bad else "same")
PY
okc "per-host and fleet figures equal the generator's" '[ "$(cat "$T/cmp.txt")" = same ]'
grep -v '^same$' "$T/cmp.txt" | head -10 | sed 's/^/#   /'

# ---- read side by side: the log clock runs on for every host, calls settle as they idle
report seq "$L"/*/kamailio.log*
okc "without hosts, a crossing call read one host after the other counts twice" \
	'[ "$(jq_get "$T/seq.full.json" "r[\"call_ids\"][\"total\"]")" -gt \
	   "$(jq_get "$T/fleet.json" "r[\"call_ids\"][\"total\"]")" ]'
seq_open=$(jq_get "$T/seq.full.json" 'r["call_ids"]["open_at_end"]')
fleet_open=$(jq_get "$T/fleet.json" 'r["call_ids"]["open_at_end"]')
okc "calls open at the end: $fleet_open side by side, $seq_open one host after the other" \
	'[ "$seq_open" -gt 400 ] && [ $((fleet_open * 10)) -lt "$seq_open" ]'
okc "no section 'hosts' without the option" \
	'[ "$(jq_get "$T/seq.full.json" "\"hosts\" in r")" = False ]'

# ---- the text report's by-host table fits the width, a long host name shortened
mkdir -p "$T/w/a-very-long-host-name-for-the-proxy-in-frankfurt-east-1" "$T/w/b"
cp "$L/proxy1/kamailio.log" "$T/w/a-very-long-host-name-for-the-proxy-in-frankfurt-east-1/k.log"
cp "$L/proxy2/kamailio.log" "$T/w/b/k.log"
for w in 60 80 120; do
	"$BIN" -q --width $w --host-from '/w/([^/]+)/' "$T"/w/*/k.log > "$T/w$w.txt"
	okc "text at --width $w: no line wider, a row per host" \
		'[ "$(awk "{ if (length > m) m = length } END { print m }" "$T/w$w.txt")" -le $w ] &&
		 [ "$(sed -n "/^By host/,/^\$/p" "$T/w$w.txt" | grep -c "^  [ab]")" = 2 ]'
done

# ---- determinism: -j and block sizes, and the order of the arguments
report ref -j1 --block-size 64M --host-from '/logs/([^/]+)/' "$L"/*/kamailio.log*
bad=""
for j in 1 2 4; do
	for bs in 4K 64K 1M; do
		report x -j$j --block-size $bs --host-from '/logs/([^/]+)/' "$L"/*/kamailio.log*
		cmp -s "$T/ref.json" "$T/x.json" || bad="$bad -j$j/$bs"
	done
done
ok "identical for -j1/2/4 x 4K/64K/1M${bad:+ (differs:$bad)}" [ -z "$bad" ]
[ -n "$bad" ] && diff "$T/ref.json" "$T/x.json" | head -10 | sed 's/^/#   /'
# the inputs named in another order: the same hosts, the same files in each
report rev -j2 --host-from '/logs/([^/]+)/' $(ls -r "$L"/*/kamailio.log*)
ok "identical whatever the order of the arguments" cmp -s "$T/ref.json" "$T/rev.json"
# --host NAME=GLOB gives the same report
report glob -j2 --host proxy1="$L/proxy1/*" --host proxy2="$L/proxy2/*" \
	--host proxy3="$L/proxy3/*" "$L"/*/kamailio.log*
ok "--host NAME=GLOB: the same report as --host-from" cmp -s "$T/ref.json" "$T/glob.json"

# ---- every call crosses two hosts: the fleet's call figures are those of one host alone,
# whether the second host logs each message after the first, or the responses before it
cross_check() { # cross_check LABEL HOSTGEN-ARGS...
	label=$1
	shift
	rm -rf "$T/a"
	# p1 starts every call; p2, behind it, logs each one that passed p1's challenge
	python3 tests/hostgen.py "$T/a" --hosts 2 --calls 400 --seed 9 --all-cross --names p1,p2 \
		--starters 1 "$@"
	report two -j2 --host-from '/logs/([^/]+)/' "$T"/a/logs/*/kamailio.log*
	report one -j2 "$T"/a/logs/p1/kamailio.log*
	python3 - "$T/two.full.json" "$T/one.full.json" > "$T/cmp2.txt" <<'PY'
import json, sys
a = json.load(open(sys.argv[1]))
b = json.load(open(sys.argv[2]))
bad = []
for path in ("calls", "registrations", "options_pings"):
    if a[path] != b[path]:
        bad.append("%s: %s vs %s" % (path, a[path], b[path]))
for k in ("total", "settled_idle", "open_at_end", "peak_in_flight"):
    if a["call_ids"][k] != b["call_ids"][k]:
        bad.append("call_ids.%s: %s vs %s" % (k, a["call_ids"][k], b["call_ids"][k]))
for k in ("trying", "stuck", "by_final"):
    if a["trying_to_final"][k] != b["trying_to_final"][k]:
        bad.append("trying_to_final.%s: %s vs %s" % (k, a["trying_to_final"][k],
                                                     b["trying_to_final"][k]))
for k in ("challenged", "retried", "accepted", "rechallenged", "not_retried"):
    for s in ("proxy_auth", "www_auth"):
        if a[s][k] != b[s][k]:
            bad.append("%s.%s: %s vs %s" % (s, k, a[s][k], b[s][k]))
def near(x, y):
    # a delay may start or end at the other host's copy of a message, 1.5 ms apart
    return isinstance(x, float) and isinstance(y, float) and abs(x - y) <= 2
for k, v in b["kpi"].items():
    w = a["kpi"][k]
    if isinstance(v, dict):  # a ratio (num, den, percent), or a delay's p50 ... max, n
        diff = [f for f in v if w.get(f) != v[f] and not (k.endswith("_ms") and near(w.get(f), v[f]))]
        if diff:
            bad.append("kpi.%s: %s vs %s" % (k, w, v))
    elif w != v and not (k.endswith("_ms") and near(w, v)):
        bad.append("kpi.%s: %s vs %s" % (k, w, v))
pa = sorted((p["id"], p["count"]) for p in a["problems"])
pb = sorted((p["id"], p["count"]) for p in b["problems"])
if pa != pb:
    bad.append("problems: %s vs %s" % (pa, pb))
rows = {x["name"]: x for x in a["hosts"]["rows"]}
if rows["p1"]["call_ids"] != b["call_ids"]["total"]:
    bad.append("p1 row: %s Call-IDs, alone %s" % (rows["p1"]["call_ids"], b["call_ids"]["total"]))
print("\n".join(bad) if bad else "same")
PY
	okc "$label: the call figures, KPIs and problems of one host alone" \
		'[ "$(cat "$T/cmp2.txt")" = same ]'
	grep -v '^same$' "$T/cmp2.txt" | head -10 | sed 's/^/#   /'
}
cross_check "every call on two hosts, the second logs later"
cross_check "every call on two hosts, the second logs the responses first" --replies-first

# the HTML report's ladders read the hosts side by side too: a call both hosts logged shows
# its messages in log time, from both hosts' files
"$BIN" -q -j2 --host-from '/logs/([^/]+)/' -o "$T/two.html" "$T"/a/logs/*/kamailio.log*
python3 - "$T/two.html" > "$T/cmp4.txt" <<'PY'
import re, sys
page = open(sys.argv[1]).read()
bad, both = [], 0
blocks = re.findall(r'<details class="ladder">(.*?)</details>', page, re.S)
for blk in blocks:
    times = re.findall(r'<td[^>]*>(2026-[0-9-]+T[0-9:.]+Z)</td>', blk)
    if times != sorted(times):
        bad.append("a ladder out of time order: %s" % times[:8])
    both += "/p1/" in blk and "/p2/" in blk
if not blocks:
    bad.append("no ladder")
if not both:
    bad.append("no ladder with messages of both hosts")
print("\n".join(bad) if bad else "same")
PY
okc "HTML ladders with hosts: each in log time, the messages of both hosts' files" \
	'[ "$(cat "$T/cmp4.txt")" = same ]'
grep -v '^same$' "$T/cmp4.txt" | head -5 | sed 's/^/#   /'

# ---- the --calls-ndjson host: the host that logged the call's first message
run -q -o /dev/null --calls-ndjson "$T/calls.ndjson" --host-from '/logs/([^/]+)/' \
	"$L"/*/kamailio.log*
python3 - "$T/calls.ndjson" "$T/f/expect.json" > "$T/cmp3.txt" <<'PY'
import json, sys
origin = json.load(open(sys.argv[2]))["origin"]
bad, n = [], 0
for line in open(sys.argv[1]):
    c = json.loads(line)
    n += 1
    if c["host"] != origin.get(c["call_id"]):
        bad.append("%s: host %s, generated %s" % (c["call_id"], c["host"], origin.get(c["call_id"])))
    if "/logs/%s/" % c["host"] not in c["file"]:
        bad.append("%s: host %s, file %s" % (c["call_id"], c["host"], c["file"]))
if n != len(origin):
    bad.append("%d rows, %d calls generated" % (n, len(origin)))
print("\n".join(bad[:5]) if bad else "same")
PY
okc "--calls-ndjson: every row's host is the call's first host" '[ "$(cat "$T/cmp3.txt")" = same ]'
grep -v '^same$' "$T/cmp3.txt" | head -5 | sed 's/^/#   /'
run -q -o /dev/null --calls-ndjson "$T/calls0.ndjson" "$L"/proxy1/kamailio.log
okc "--calls-ndjson without hosts: host is null" \
	'python3 -c "import json,sys; sys.exit(any(json.loads(l)[\"host\"] is not None for l in open(sys.argv[1])))" "$T/calls0.ndjson"'

# ---- siplogscan calls with the hosts: the calls the report counted, and its command says so
run -q --host-from '/logs/([^/]+)/' "$L"/*/kamailio.log*
okc "the report's calls command names --host-from" \
	'grep -q -- "--host-from '"'"'/logs/(\[^/\]+)/'"'"'" "$T/out"'
stuck=$(jq_get "$T/fleet.json" 'r["trying_to_final"]["stuck"]')
n=$("$BIN" calls -q --problem stuck-after-100 --host-from '/logs/([^/]+)/' "$L"/*/kamailio.log* | tail -n +2 | wc -l)
okc "calls --host-from --problem stuck-after-100: the report's $stuck calls (got $n)" '[ "$n" = "$stuck" ]'
"$BIN" calls -q -f ndjson --host-from '/logs/([^/]+)/' "$L"/*/kamailio.log* > "$T/calls2.ndjson"
ok "calls -f ndjson --host-from: the --calls-ndjson file byte for byte" cmp -s "$T/calls.ndjson" "$T/calls2.ndjson"

# ---- usage errors
run --host-from '/logs/(proxy[12])/' "$L"/*/kamailio.log*
okc "an input no host matches: exit 2, named, with what to do" \
	'[ "$rc" = 2 ] && grep -q "proxy3/kamailio.log.*names no host" "$T/err" && grep -q "every input must belong to a host" "$T/err"'
run --host-from '/logs/([^/]+/' "$L"/*/kamailio.log*
okc "a bad regex: exit 2, said so" '[ "$rc" = 2 ] && grep -q "not a regular expression" "$T/err"'
run --host proxy1 "$L"/proxy1/kamailio.log
okc "--host NAME without =GLOB and without --state-out: exit 2, says what it is for" \
	'[ "$rc" = 2 ] && grep -q -- "--state-out" "$T/err"'
run --host proxy1 --host proxy2=\*/proxy2/\* "$L"/proxy1/kamailio.log "$L"/proxy2/kamailio.log
okc "--host NAME with --host NAME=GLOB: exit 2" '[ "$rc" = 2 ] && grep -q "one or the other" "$T/err"'
run --host proxy1="$L/proxy1/*" "$L"/*/kamailio.log*
okc "--host: a file no glob matches: exit 2" '[ "$rc" = 2 ] && grep -q "proxy2/kamailio.log.*names no host" "$T/err"'
run --host-from x --host a=b "$L"/proxy1/kamailio.log
okc "--host-from with --host: exit 2" '[ "$rc" = 2 ] && grep -q "one or the other" "$T/err"'
run --host-from '/logs/([^/]+)/' --state-out "$T/s.state" "$L"/proxy1/kamailio.log
okc "--host-from with --state-out: exit 2, refused with what to do" \
	'[ "$rc" = 2 ] && grep -q "scan each proxy" "$T/err" && grep -q -- "--host NAME" "$T/err" && [ ! -e "$T/s.state" ]'
run --host-from '/logs/([^/]+)/' --history "$T/hist" "$L"/proxy1/kamailio.log
okc "--host-from with --history: exit 2, refused with what to do, no DIR made" \
	'[ "$rc" = 2 ] && grep -q "a --history DIR of its own" "$T/err" && [ ! -e "$T/hist" ]'
run merge --host-from '/logs/([^/]+)/' "$T/s.state"
okc "merge --host-from: exit 2, says where merge finds the hosts" \
	'[ "$rc" = 2 ] && grep -q "reads each state" "$T/err"'
run --host-from '/logs/([^/]+)/' --label host=x -f prom "$L"/proxy1/kamailio.log
okc "--label host with hosts: exit 2" '[ "$rc" = 2 ] && grep -q "label host" "$T/err"'
mkdir -p "$T/many"
for i in $(seq 1 65); do
	mkdir -p "$T/many/h$i"
	head -2 "$L/proxy1/kamailio.log" > "$T/many/h$i/k.log"
done
run --host-from '/many/([^/]+)/' "$T"/many/*/k.log
okc "65 hosts: exit 2, the bound and the way out (groups of hosts)" \
	'[ "$rc" = 2 ] && grep -q "65 hosts in one run, at most 64" "$T/err" && grep -q "groups of up to 64 hosts" "$T/err"'
run -q -f json --host-from '/many/([^/]+)/' $(ls -d "$T"/many/*/k.log | head -64)
okc "64 hosts: allowed" '[ "$rc" = 0 ] && [ "$(jq_get "$T/out" "len(r[\"hosts\"][\"rows\"])")" = 64 ]'

# ---- a hostile host name, from a directory name: escaped in every format
evil=$(printf 'ev<b>"il&\033[31m\\x\377')
mkdir -p "$T/h/$evil" "$T/h/good"
cp "$L/proxy1/kamailio.log" "$T/h/$evil/k.log"
cp "$L/proxy2/kamailio.log" "$T/h/good/k.log"
set -- --host-from '/h/([^/]+)/' "$T/h/$evil/k.log" "$T/h/good/k.log"
run -q -o "$T/e.json" -o "$T/e.html" -o "$T/e.csv" -o "$T/e.prom" -o "$T/e.txt" "$@"
ok "hostile host: exit 0" [ "$rc" = 0 ]
okc "text: no raw ESC or invalid UTF-8, the name made visible" \
	'! grep -q "$(printf "\033")" "$T/e.txt" && iconv -f UTF-8 -t UTF-8 "$T/e.txt" >/dev/null && grep -q "ev<b>\"il&\\\\e\[31m" "$T/e.txt"'
okc "json: valid, the name kept (controls as JSON escapes)" \
	'python3 -c "import json,sys; r=json.load(open(sys.argv[1])); sys.exit(not r[\"hosts\"][\"rows\"][0][\"name\"].startswith(\"ev<b>\\\"il&\\x1b[31m\"))" "$T/e.json"'
ok "json: passes the schema" python3 tests/schema_check.py docs/report.schema.json "$T/e.json"
okc "html: escaped (no raw <b>, the name as &lt;b&gt;)" \
	'! grep -q "ev<b>" "$T/e.html" && grep -q "ev&lt;b&gt;&quot;il&amp;" "$T/e.html"'
okc "csv: the name escaped in its field" \
	'grep -q "^\"hosts\",\"ev<b>\"\"il&\\\\e\[31m" "$T/e.csv" && ! grep -q "$(printf "\033")" "$T/e.csv"'
ok "prom: valid exposition, host label escaped" "$PY" tests/prom_check.py "$T/e.prom" "$T/e.json"
okc "prom: the host label made visible" 'grep -q "^siplogscan_host_calls{host=\"ev<b>\\\\\"il&\\\\\\\\e\[31m" "$T/e.prom"'

finish
