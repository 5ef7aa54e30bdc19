#!/bin/sh
# Proxies side by side (docs/state.md, "Several hosts"): each proxy's logs scanned with
# --state-out and --host, merged into one report. The figures that add up (messages, calls,
# outcomes, challenges) are the sums of each proxy's own report; the peak of calls in flight
# lies between the larger proxy's and the sum; each host's states still merge as one archive
# (cut into time shards, the same report as whole); the report breaks down by host, each row
# the host's own; what cannot be merged is refused, exit 2.
. tests/lib.sh

# two proxies whose logs cover the same minutes, each as a rotated pair (older gzip, newer plain)
for i in 1 2; do
	mkdir -p "$T/sip$i"
	python3 bench/gen.py --format xlog --size 12 --seed $((40 + i)) "$T/all$i.log"
	python3 - "$T/all$i.log" "$T/sip$i/kamailio.log" <<'PY'
import gzip, sys
data = open(sys.argv[1], "rb").read()
cut = data.index(b"\n", len(data) // 2) + 1
with gzip.open(sys.argv[2] + ".1.gz", "wb") as f:
    f.write(data[:cut])
open(sys.argv[2], "wb").write(data[cut:])
PY
	"$BIN" -q -f json "$T/sip$i/kamailio.log.1.gz" "$T/sip$i/kamailio.log" > "$T/r$i.json"
	# the same logs as one host of a run side by side: its by-host row
	"$BIN" -q -f json --host "sip$i=$T/sip$i/*" "$T/sip$i/kamailio.log.1.gz" \
		"$T/sip$i/kamailio.log" > "$T/g$i.json"
	run --state-out "$T/h$i.st" --host "sip$i" "$T/sip$i/kamailio.log.1.gz" "$T/sip$i/kamailio.log"
	okc "sip$i: --state-out --host writes a state (exit $rc)" '[ $rc = 0 ] && [ -s "$T/h$i.st" ]'
done

run merge -f json "$T/h1.st" "$T/h2.st"
cp "$T/out" "$T/m.json"
okc "two proxies side by side merge into one report (exit $rc)" '[ $rc = 0 ] && [ -s "$T/m.json" ]'

# the figures that add up: the merged report's is the sum of the proxies' own
python3 - "$T/r1.json" "$T/r2.json" "$T/m.json" > "$T/sums" <<'PY'
import json, sys
a, b, m = (json.load(open(f)) for f in sys.argv[1:4])
keys = [("totals",), ("calls",), ("registrations",), ("options_pings",), ("trying_to_final",),
        ("proxy_auth",), ("www_auth",)]
def leaves(x, path):
    if isinstance(x, dict):
        for k, v in x.items():
            yield from leaves(v, path + (k,))
    elif isinstance(x, list):
        for i, v in enumerate(x):
            yield from leaves(v, path + (i,))
    elif isinstance(x, int) and not isinstance(x, bool):
        yield path, x
def get(r, path):
    for k in path:
        r = r[k]
    return r
n = bad = 0
for top in keys:
    for path, v in leaves(get(a, top), top):
        if str(path[-1]).endswith("_ms"):	# a histogram bucket's bound
            continue
        try:
            w, z = get(b, path), get(m, path)
        except (KeyError, IndexError):
            continue
        n += 1
        if v + w != z:
            bad += 1
            print("differs: %s: %d + %d != %d" % ("/".join(map(str, path)), v, w, z))
for k in ("total", "settled_idle", "open_at_end"):
    n += 1
    if a["call_ids"][k] + b["call_ids"][k] != m["call_ids"][k]:
        bad += 1
        print("differs: call_ids/%s" % k)
print("checked %d bad %d" % (n, bad))
PY
okc "every figure that adds up is the sum of the two proxies' ($(tail -1 "$T/sums"))" \
	'grep -q "^checked [1-9][0-9]* bad 0$" "$T/sums"'
grep '^differs' "$T/sums" | head -5 | sed 's/^/# /'
p1=$(jq_get "$T/r1.json" 'r["call_ids"]["peak_in_flight"]')
p2=$(jq_get "$T/r2.json" 'r["call_ids"]["peak_in_flight"]')
pm=$(jq_get "$T/m.json" 'r["call_ids"]["peak_in_flight"]')
okc "calls in flight at most: $pm, between the larger proxy's ($p1, $p2) and their sum" \
	'[ "$pm" -ge "$p1" ] && [ "$pm" -ge "$p2" ] && [ "$pm" -le $((p1 + p2)) ]'
# by host: a row per host, in the order of the names, each the row a run over that host's
# logs gives (and that host's states merged alone give), its totals its plain report's
cat > "$T/rows.py" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
rows = m.get("hosts", {}).get("rows", [])
names = [x["name"] for x in rows]
print("names %s" % ",".join(names))
bad = 0
keys = ("files", "bytes", "stored_bytes", "records", "call_ids", "calls", "registrations",
        "answered", "failed", "stuck", "not_retried")
for x in rows:
    i = x["name"][3:]
    for what, f in (("run --host", "g%s.json"), ("merge alone", "a%s.json")):
        y = json.load(open(sys.argv[2] + "/" + f % i))["hosts"]["rows"]
        for k in keys:
            if len(y) != 1 or x[k] != y[0][k]:
                bad += 1
                print("differs: %s: %s: %s %s" % (x["name"], what, k, x[k]))
    r = json.load(open(sys.argv[2] + "/r%s.json" % i))
    for k, v in (("records", r["totals"]["records"]), ("call_ids", r["call_ids"]["total"])):
        if x[k] != v:
            bad += 1
            print("differs: %s: plain report: %s %s != %s" % (x["name"], k, x[k], v))
    if x["shared_call_ids"] != 0:
        bad += 1
        print("differs: %s: shared_call_ids %s" % (x["name"], x["shared_call_ids"]))
if not rows or m["hosts"]["shared_call_ids"] != 0:
    bad += 1
print("rows %d bad %d" % (len(rows), bad))
PY
for i in 1 2; do
	"$BIN" merge -q -f json "$T/h$i.st" > "$T/a$i.json"
done
python3 "$T/rows.py" "$T/m.json" "$T" > "$T/rows"
okc "by host: a row per host, in the order of the names ($(head -1 "$T/rows"))" \
	'grep -q "^names sip1,sip2$" "$T/rows"'
okc "each host's row is that host's own, shared 0 ($(tail -1 "$T/rows"))" \
	'grep -q "^rows 2 bad 0$" "$T/rows"'
grep '^differs' "$T/rows" | head -5 | sed 's/^/# /'
"$BIN" merge -q -f json "$T/h2.st" "$T/h1.st" > "$T/m21.json"
python3 "$T/rows.py" "$T/m21.json" "$T" > "$T/rows"
okc "sip2's state given first: the rows in the order of the names ($(head -1 "$T/rows"))" \
	'grep -q "^names sip1,sip2$" "$T/rows" && grep -q "^rows 2 bad 0$" "$T/rows"'
run merge "$T/h2.st" "$T/h1.st"
okc "the text report has a By host section, saying shared Call-IDs are not known" \
	'grep -q "^By host" "$T/out" && grep -q "several hosts logged is not" "$T/out"'
# the calls command lines (each to its last line without a trailing backslash)
awk '/Calls: siplogscan calls/ { c = 1 } c { print; if ($0 !~ /\\$/) c = 0 }' "$T/out" > "$T/cmd"
okc "its calls command lines name --host NAME=GLOB... FILE..., no HOST:PATH input" \
	'[ -s "$T/cmd" ] && ! grep -q "sip[12]:" "$T/cmd" && grep -q "FILE\.\.\." "$T/cmd" &&
	 grep -q -- "--host NAME=GLOB" "$T/cmd"'
one=$(jq_get "$T/a1.json" 'len(r["hosts"]["rows"])')
g1=$(jq_get "$T/g1.json" 'len(r["hosts"]["rows"])')
okc "one host's states alone: a one-row breakdown, as a run over one host ($one, $g1)" \
	'[ "$one" = 1 ] && [ "$g1" = 1 ]'
paths=$(jq_get "$T/a1.json" '",".join(f["path"] for f in r["input"]["files"])')
okc "one host's states alone: the inputs under their own paths, no HOST: ($paths)" \
	'[ "$paths" = "$T/sip1/kamailio.log.1.gz,$T/sip1/kamailio.log" ]'
"$BIN" merge -q "$T/h1.st" > "$T/a1.txt"
okc "... and its calls command lines name those files (no FILE..., no --host)" \
	'grep -A3 "Calls: siplogscan calls" "$T/a1.txt" | grep -q "sip1/kamailio.log" && ! grep -q "FILE\.\.\.\|--host" "$T/a1.txt"'
hosts=$(jq_get "$T/m.json" '",".join(f["path"].split(":")[0] for f in r["input"]["files"])')
okc "the inputs are listed as HOST:PATH ($hosts)" '[ "$hosts" = "sip1,sip1,sip2,sip2" ]'

# each host's states are still one archive: cut in time, interleaved in the list, the same
for i in 1 2; do
	f="$T/sip$i/kamailio.log"
	s=$(wc -c < "$f")
	"$BIN" -q --state-out "$T/c${i}a.st" --host "sip$i" "$f.1.gz"
	"$BIN" -q --state-out "$T/c${i}b.st" --host "sip$i" --range "$f:0-$((s / 2))" "$f"
	"$BIN" -q --state-out "$T/c${i}c.st" --host "sip$i" --range "$f:$((s / 2))-" "$f"
done
"$BIN" merge -q -f json "$T/c1a.st" "$T/c2a.st" "$T/c1b.st" "$T/c2b.st" "$T/c1c.st" \
	"$T/c2c.st" > "$T/cutrun.json"
grep -v '^  "run": ' "$T/cutrun.json" > "$T/cut.json"
grep -v '^  "run": ' "$T/m.json" > "$T/whole.json"
ok "each host cut into 3 shards (a file, two ranges), the hosts' states interleaved: the same report" \
	cmp -s "$T/whole.json" "$T/cut.json"
python3 "$T/rows.py" "$T/cutrun.json" "$T" > "$T/rows"
okc "cut and interleaved: the same by-host rows ($(tail -1 "$T/rows"))" \
	'grep -q "^names sip1,sip2$" "$T/rows" && grep -q "^rows 2 bad 0$" "$T/rows"'
# one host's shards merged into a state first: merging is still associative
"$BIN" merge -q --state-out "$T/c1.st" "$T/c1a.st" "$T/c1b.st" "$T/c1c.st"
"$BIN" merge -q -f json "$T/c1.st" "$T/h2.st" | grep -v '^  "run": ' > "$T/assoc.json"
ok "one host's shards merged into its state, then with the other host's: the same report" \
	cmp -s "$T/whole.json" "$T/assoc.json"
for f in text html csv prom; do
	run merge -f $f "$T/h1.st" "$T/h2.st"
	okc "merge of two hosts writes $f (exit $rc)" '[ $rc = 0 ] && [ -s "$T/out" ]'
done

# what is refused
run merge "$T/c1b.st" "$T/c1a.st"
okc "one host's shards out of time order: exit 2, says so" \
	'[ $rc = 2 ] && grep -q "in the order of the archive" "$T/err"'
"$BIN" -q --state-out "$T/n1.st" "$T/sip1/kamailio.log.1.gz" "$T/sip1/kamailio.log"
"$BIN" -q --state-out "$T/n2.st" "$T/sip2/kamailio.log.1.gz" "$T/sip2/kamailio.log"
run merge "$T/n1.st" "$T/n2.st"
okc "two proxies' states without --host (the same minutes): exit 2, names --host" \
	'[ $rc = 2 ] && grep -q -- "--host NAME" "$T/err"'
run merge -f json "$T/n1.st"
okc "states that name no host: no by-host rows (exit $rc)" \
	'[ $rc = 0 ] && ! grep -q "\"hosts\"" "$T/out"'
run merge -f json "$T/h2.st" "$T/n1.st"
okc "a state with a host and one without: no by-host rows (exit $rc)" \
	'[ $rc = 0 ] && ! grep -q "\"hosts\"" "$T/out"'
run merge --state-out "$T/x.st" "$T/h1.st" "$T/h2.st"
okc "merge --state-out of two hosts: exit 2, says why, writes nothing" \
	'[ $rc = 2 ] && grep -q "several hosts" "$T/err" && [ ! -e "$T/x.st" ]'
"$BIN" -q --state-out "$T/d1.st" --host sip1 "$T/sip1/kamailio.log"
run merge "$T/h1.st" "$T/d1.st"
okc "the same file twice for one host: exit 2 (nothing counted twice)" \
	'[ $rc = 2 ] && grep -q "reads too" "$T/err"'
run --state-out "$T/x.st" --host 'sip1;rm' "$T/sip1/kamailio.log"
okc "--host with a character a host name has not: a usage error" \
	'[ $rc = 2 ] && grep -q "host name" "$T/err" && [ ! -e "$T/x.st" ]'
run --state-out "$T/x.st" --host "$(printf '%065d' 0)" "$T/sip1/kamailio.log"
okc "--host longer than 64 bytes: a usage error" '[ $rc = 2 ] && [ ! -e "$T/x.st" ]'
run --host sip1 "$T/sip1/kamailio.log"
okc "--host without --state-out: a usage error" \
	'[ $rc = 2 ] && grep -q -- "--state-out" "$T/err"'
run merge --host sip1 "$T/h1.st"
okc "merge --host: a usage error (the states say their hosts)" \
	'[ $rc = 2 ] && grep -q "from each state" "$T/err"'

finish
