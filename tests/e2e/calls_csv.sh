#!/bin/sh
# --calls-csv: one row per call, RFC 4180, formulas defused, the same rows for any -j.
. tests/lib.sh

run -q --calls-csv "$T/calls.csv" tests/cases/kpis.log
ok "exit 0" [ "$rc" -eq 0 ]
ok "header and 7 calls, parsed back as CSV" python3 -c '
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
assert rows[0][:3] == ["call_id", "file", "line"], rows[0]
assert len(rows) == 8, len(rows)
byid = {r[0]: r for r in rows[1:]}
h = rows[0]
a1 = dict(zip(h, byid["a1"]))
assert a1["outcome"] == "200" and a1["proxy_auth"] == "accepted" and a1["duration_ms"] == "10000.000", a1
a5 = dict(zip(h, byid["a5"]))
assert a5["proxy_auth"] == "not_retried" and a5["srd_ms"] == "", a5
# a1: challenged, its retry at 0.1 s rang at 1.5 s (post-dial delay 1.4 s, SRD 1.5 s from
# the first INVITE), answered at 3.0 s (ring time 1.5 s)
assert a1["srd_ms"] == "1500.000" and a1["pdd_ms"] == "1400.000" and a1["ring_ms"] == "1500.000", a1
assert h[-2:] == ["pdd_ms", "ring_ms"], h
assert a5["pdd_ms"] == "" and a5["ring_ms"] == "", a5
' "$T/calls.csv"
ok "CRLF line ends" python3 -c 'import sys; d=open(sys.argv[1],"rb").read(); sys.exit(d.count(b"\r\n") != 8)' "$T/calls.csv"

# hostile Call-IDs and User-Agents: quoted, formulas defused, round trip
printf 'Nov 24 13:00:01 px k[1]: siplog: req=OPTIONS cseq=1 OPTIONS callid==cmd|'"'"' /C calc'"'"'!A0 src=udp:10.0.0.1:5060 auth=no ua=+1"quoted",x\nNov 24 13:00:01 px k[1]: siplog: req=OPTIONS cseq=1 OPTIONS callid=@SUM(1) src=udp:10.0.0.1:5060 auth=no ua=-2\n' > "$T/evil.log"
run -q --calls-csv "$T/evil.csv" "$T/evil.log"
ok "no field starts with = + - @ (formula injection)" python3 -c '
import csv, sys
for r in list(csv.reader(open(sys.argv[1], newline="")))[1:]:
    for f in r:
        assert not f[:1] in ("=", "+", "-", "@", "\t", "\r"), r
' "$T/evil.csv"
ok "the hostile values survive behind the apostrophe" python3 -c '
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))[1:]
ids = sorted(r[0] for r in rows)
assert ids == ["'"'"'=cmd|'"'"' /C calc'"'"'!A0", "'"'"'@SUM(1)"], ids
uas = sorted(r[6] for r in rows)
assert uas == ["'"'"'+1\"quoted\",x", "'"'"'-2"], uas
' "$T/evil.csv"

# deterministic: the same file for -j1 and -j8 with small blocks
python3 bench/gen.py --format xlog --size 2 --seed 5 "$T/g.log"
"$BIN" -q -j1 --calls-csv "$T/c1.csv" "$T/g.log" > /dev/null
"$BIN" -q -j8 --block-size 16K --calls-csv "$T/c8.csv" "$T/g.log" > /dev/null
ok "identical rows for -j1 and -j8 --block-size 16K" cmp -s "$T/c1.csv" "$T/c8.csv"
run -q --calls-csv /nonexistent-dir/c.csv "$T/g.log"
okc "unwritable file: exit 2 with a message" '[ "$rc" -eq 2 ] && grep -q "calls-csv: cannot write" "$T/err"'
finish
