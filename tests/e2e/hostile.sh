#!/bin/sh
# Hostile log content: attacker-chosen Call-ID and User-Agent reach every output escaped.
. tests/lib.sh

python3 - "$T/evil.log" <<'PY'
import sys
big = "A" * 10240 + "@evil"
esc = "\x1b[31mred\x1b]0;title\x07"
bidi = "abc\u202edcba"
lines = []
def req(cid, ua, m="INVITE", cseq=1, t="01"):
    lines.append(f"Nov 24 13:00:{t} px kamailio[7]: NOTICE: <script>: siplog: req={m} cseq={cseq} {m} callid={cid} src=udp:10.0.0.1:5060 auth=no ua={ua}")
def rpl(cid, code, cseq=1, t="01"):
    lines.append(f"Nov 24 13:00:{t} px kamailio[7]: NOTICE: <script>: siplog: rpl={code} cseq={cseq} INVITE callid={cid} src=udp:10.0.0.9:5060 reason=x")
req(big, "friendly-scanner"); rpl(big, 100)
req(esc, esc); rpl(esc, 100)
req(bidi, bidi + "friendly-scanner"); rpl(bidi, 100)
req("nul\x00byte", "ua"); rpl("nul\x00byte", 100)
req("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>'); rpl("<script>alert(1)</script>", 100)
req("bad\xff\xfeutf8", "ua"); rpl("bad\xff\xfeutf8", 100)
with open(sys.argv[1], "wb") as f:
    for l in lines:
        f.write(l.encode("utf-8", "surrogateescape") if "\xff" not in l else l.encode("latin-1"))
        f.write(b"\n")
PY
run -q -f json --examples 10 "$T/evil.log"
ok "hostile log: exit 0" [ "$rc" -eq 0 ]
ok "JSON is valid UTF-8 JSON" python3 -c 'import json,sys; json.loads(open(sys.argv[1],"rb").read().decode("utf-8"))' "$T/out"
ok "six stuck calls, each its own Call-ID (NUL and 10 kB ids kept whole)" [ "$(jq_get "$T/out" 'r["trying_to_final"]["stuck"]')" = 6 ]
ok "the 10 kB Call-ID survives whole in JSON" [ "$(jq_get "$T/out" 'max(len(e["call_id"]) for p in r["problems"] for e in p["examples"])')" = 10245 ]
ok "the NUL byte is escaped as \\u0000" grep -q 'nul\\u0000byte' "$T/out"
ok "ESC is escaped in JSON" grep -q '\\u001b\[31mred' "$T/out"
ok "the bidi override is escaped in JSON" grep -qi 'abc\\u202edcba' "$T/out"
ok "no raw control byte in the JSON" python3 -c 'import sys; d=open(sys.argv[1],"rb").read(); sys.exit(any(b<32 and b!=10 for b in d))' "$T/out"

run -q -f text --examples 10 "$T/evil.log"
ok "text: exit 0" [ "$rc" -eq 0 ]
ok "text: no control character other than newline" python3 -c 'import sys; d=open(sys.argv[1],"rb").read(); sys.exit(any((b<32 and b!=10) or b==127 for b in d))' "$T/out"
ok "text: no raw bidi override" python3 -c 'import sys; sys.exit("\u202e" in open(sys.argv[1],encoding="utf-8").read())' "$T/out"
ok "text: ESC shown visibly" grep -q '\\e\[31mred' "$T/out"
ok "text: bidi override shown visibly" grep -q 'abc\\u{202E}dcba' "$T/out"
ok "text: the 10 kB Call-ID is shortened with its length" grep -q '\.\.\. (10245 bytes)' "$T/out"
ok "text: lines fit 100 columns" python3 -c 'import sys; sys.exit(max(len(l) for l in open(sys.argv[1],encoding="utf-8").read().split("\n")) > 100)' "$T/out"

# a long line with no newline at all and random bytes do not break the scanner
python3 -c 'import os,sys; open(sys.argv[1],"wb").write(os.urandom(300000) + b"SIP/2.0 200 OK\n" + b"x"*3000000)' "$T/noise.bin"
run -q -f json "$T/noise.bin"
okc "random bytes and a 3 MB line: no record, exit 2, a valid report" '[ "$rc" -eq 2 ] && python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$T/out"'

# many distinct Call-IDs (a flood) stay correct and bounded by --call-timeout
python3 - "$T/flood.log" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    for i in range(50000):
        s = i // 1000
        f.write(f"Nov 24 13:{s // 60:02d}:{s % 60:02d} px k[1]: siplog: req=OPTIONS cseq=1 OPTIONS callid=flood-{i} src=udp:10.0.0.1:5060 auth=no ua=x\n")
PY
run -q -f json "$T/flood.log"
okc "flood: every Call-ID counted, as an OPTIONS ping" \
	'[ "$(jq_get "$T/out" '\''r["call_ids"]["total"]'\'')" = 50000 ] && [ "$(jq_get "$T/out" '\''r["options_pings"]["total"]'\'')" = 50000 ]'
ok "flood: Call-IDs in flight bounded by the timeout" [ "$(jq_get "$T/out" 'r["call_ids"]["peak_in_flight"]')" -le 35000 ]
finish
