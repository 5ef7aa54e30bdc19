#!/bin/sh
# Calls are INVITE dialogs (registrations, OPTIONS pings and other transactions have their own
# counts and per-hour columns), and the next-hop table names the gateway that failed: one that
# answers 100 Trying and then stays silent (the proxy sends 408 itself), one that returns a 503
# burst, one that answers. A /1 baseline still compares its calls.
. tests/lib.sh

# A Kamailio log (the siplogscan snippet's one-line format) of a proxy at 10.0.0.1 over two
# hours: callers 192.0.2.x, gateways 198.51.100.7 (silent after its 100), .8 (503), .9 (200).
python3 - "$T/mixed.log" <<'EOF'
import sys
out = open(sys.argv[1], "w")
P, SILENT, BUSY, GOOD = "10.0.0.1", "198.51.100.7", "198.51.100.8", "198.51.100.9"
lines = []
def at(t):
    return "Nov 24 %02d:%02d:%02d" % (13 + t // 3600, t // 60 % 60, t % 60)
def req(t, m, cseq, cm, cid, src, auth="no"):
    lines.append((t, len(lines), "%s px kamailio[7]: NOTICE: <script>: siplog: req=%s cseq=%d %s callid=%s src=udp:%s:5060 auth=%s ua=Phone 1.0" % (at(t), m, cseq, cm, cid, src, auth)))
def rpl(t, code, cseq, cm, cid, src):
    lines.append((t, len(lines), "%s px kamailio[7]: NOTICE: <script>: siplog: rpl=%d cseq=%d %s callid=%s src=udp:%s:5060 reason=R" % (at(t), code, cseq, cm, cid, src)))
t = 0
for i in range(40):
    caller = "192.0.2.%d" % (10 + i % 7)
    cid = "call-%d" % i
    t += 90		# 40 calls over an hour and a bit: two hours in the per-hour table
    kind = i % 4
    # every call is challenged once by the proxy, then retried with credentials
    req(t, "INVITE", 1, "INVITE", cid, caller)
    rpl(t, 407, 1, "INVITE", cid, P)
    req(t, "ACK", 1, "ACK", cid, caller)
    if kind == 3 and i % 8 == 3:
        continue	# never retried: answered only by the proxy, no next hop
    req(t + 1, "INVITE", 2, "INVITE", cid, caller, "yes")
    if kind == 0 and i % 8 == 0:
        # a busy log: the gateway's 100 is written before the proxy's own
        rpl(t + 1, 100, 2, "INVITE", cid, SILENT)
        rpl(t + 1, 100, 2, "INVITE", cid, P)
    else:
        rpl(t + 1, 100, 2, "INVITE", cid, P)
    if kind == 0:	# silent gateway: its 100, then nothing; the proxy times out
        if i % 8 != 0:
            rpl(t + 1, 100, 2, "INVITE", cid, SILENT)
        if i >= 32:
            continue	# the log ends before the proxy's 408: stuck after 100
        rpl(t + 31, 408, 2, "INVITE", cid, P)
        req(t + 31, "ACK", 2, "ACK", cid, caller)
    elif kind == 1:	# the 503 burst
        rpl(t + 2, 503, 2, "INVITE", cid, BUSY)
        req(t + 2, "ACK", 2, "ACK", cid, caller)
    else:		# answers; the callee hangs up (its BYE comes from the gateway)
        rpl(t + 2, 180, 2, "INVITE", cid, GOOD)
        rpl(t + 4, 200, 2, "INVITE", cid, GOOD)
        req(t + 4, "ACK", 2, "ACK", cid, caller)
        req(t + 20, "BYE", 1, "BYE", cid, GOOD)
        rpl(t + 20, 200, 1, "BYE", cid, caller)
# 6 registrations, each sent again 10 s later (one Call-ID each), 5 OPTIONS pings, 4 other
for i in range(6):
    cid = "reg-%d" % i
    for k, s in ((1, 100 + i), (3, 110 + i)):
        req(s, "REGISTER", k, "REGISTER", cid, "192.0.2.%d" % (30 + i))
        rpl(s, 401, k, "REGISTER", cid, P)
        req(s, "REGISTER", k + 1, "REGISTER", cid, "192.0.2.%d" % (30 + i), "yes")
        rpl(s, 200, k + 1, "REGISTER", cid, P)
for i in range(5):
    req(200 + 900 * i, "OPTIONS", 1, "OPTIONS", "opt-%d" % i, "192.0.2.50")
    rpl(200 + 900 * i, 200, 1, "OPTIONS", "opt-%d" % i, P)
for i, m in enumerate(("SUBSCRIBE", "NOTIFY", "MESSAGE", "PUBLISH")):
    req(4000 + i, m, 1, m, "other-%d" % i, "192.0.2.60")
    rpl(4000 + i, 200, 1, m, "other-%d" % i, P)
for _, _, l in sorted(lines):
    out.write(l + "\n")
EOF

run -f json -o "$T/r.json" "$T/mixed.log"
ok "mixed log: exit 0" [ "$rc" -eq 0 ]
ok "schema siplogscan.report/2" [ "$(jq_get "$T/r.json" 'r["schema"]')" = siplogscan.report/2 ]
ok "calls.total: the 40 INVITE dialogs only" [ "$(jq_get "$T/r.json" 'r["calls"]["total"]')" = 40 ]
ok "registrations: 6 (a REGISTER again on its Call-ID is the same registration)" \
	[ "$(jq_get "$T/r.json" 'r["registrations"]["total"]')" = 6 ]
ok "options_pings: 5" [ "$(jq_get "$T/r.json" 'r["options_pings"]["total"]')" = 5 ]
ok "other_transactions: SUBSCRIBE, NOTIFY, MESSAGE, PUBLISH" \
	[ "$(jq_get "$T/r.json" 'r["other_transactions"]["total"]')" = 4 ]
ok "call_ids.total: the four kinds add up (55)" \
	[ "$(jq_get "$T/r.json" 'r["call_ids"]["total"]')" = 55 ]
ok "per hour: each kind in its column, and they add up to the kinds" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
tl = r["timeline"]
assert len(tl) == 2, tl
for k, want in (("calls", 40), ("registrations", 6), ("options", 5), ("other", 4)):
    assert sum(h[k] for h in tl) == want, (k, tl)
assert all("attempts" not in h for h in tl), tl
assert sum(h["answered"] for h in tl) == 15 and tl[1]["other"] == 4, tl
assert sum(h["challenged"] for h in tl) == 40 + 6, tl	# calls and registrations
' "$T/r.json"

# the next hops: 10 calls per kind; calls 3, 11, 19, 27, 35 were never retried (no hop)
ok "next hop: the silent gateway, the 503 burst, the good one; never the proxy or a caller" python3 -c '
import json, sys
h = json.load(open(sys.argv[1]))["breakdowns"]["by_next_hop"]
rows = {x["key"]: x for x in h["rows"]}
assert sorted(rows) == ["198.51.100.7", "198.51.100.8", "198.51.100.9"], sorted(rows)
s = rows["198.51.100.7"]
assert (s["attempts"], s["answered"], s["stuck_after_100"], s["timeout_408"], s["server_5xx"]) == (10, 0, 2, 8, 0), s
assert s["failures"] == {"408": 8, "0": 2}, s
b = rows["198.51.100.8"]
assert (b["attempts"], b["answered"], b["server_5xx"], b["timeout_408"]) == (10, 0, 10, 0), b
assert b["failures"] == {"503": 10}, b
g = rows["198.51.100.9"]
assert (g["attempts"], g["answered"], g["server_5xx"]) == (15, 15, 0), g
assert g["srd_ms"] == {"mean": 2000.0, "max": 2000.0, "n": 15}, g	# first INVITE -> 180
assert h["no_hop"] == 5 and h["unlisted"] == 0 and h["keys"] == 3, h
' "$T/r.json"

run "$T/mixed.log"
okc "text: calls are INVITE dialogs, the other kinds on their own line" \
	'grep -q "calls      40 (INVITE dialogs)" "$T/out" && grep -q "6 registrations, 5 OPTIONS pings, 4 other transactions" "$T/out"'
okc "text: the next-hop table names the silent gateway with its 408s" \
	'grep -A3 "Calls by next hop" "$T/out" | grep -Eq "198\.51\.100\.7 +10 +0 +2 +8 +0 +31\.00 s +408:8"'
okc "text: per-hour columns by kind" 'grep -Eq "hour +calls +answered +failed +regs +options +other +challenged +auth-bad" "$T/out"'
run -f csv "$T/mixed.log"
okc "csv: by_next_hop rows, and its summary under breakdowns" \
	'grep -q "^\"by_next_hop\",\"198.51.100.8\",\"server_5xx\",\"10\"" "$T/out" && grep -q "^\"breakdowns\",\"by_next_hop\",\"no_hop\",\"5\"" "$T/out"'
okc "csv: totals by kind" \
	'grep -q "^\"totals\",\"calls\",\"total\",\"40\"" "$T/out" && grep -q "^\"totals\",\"options_pings\",\"total\",\"5\"" "$T/out" && grep -q "^\"totals\",\"call_ids\",\"total\",\"55\"" "$T/out"'
run -f html "$T/mixed.log"
okc "html: a next-hop section naming the gateways" \
	'grep -q "id=\"hops\"" "$T/out" && grep -q "198.51.100.7" "$T/out" && grep -q "Other traffic" "$T/out"'

# a log of sent and received messages: the proxy sends the INVITE on from its own address
cat > "$T/dump.log" <<'EOF'
Nov 24 13:00:01 px kamailio[7]: NOTICE: <script>: siplog: req=INVITE cseq=1 INVITE callid=d1 src=udp:192.0.2.10:5060 auth=no ua=A
Nov 24 13:00:01 px kamailio[7]: NOTICE: <script>: siplog: rpl=100 cseq=1 INVITE callid=d1 src=udp:10.0.0.1:5060 reason=Trying
Nov 24 13:00:01 px kamailio[7]: NOTICE: <script>: siplog: req=INVITE cseq=1 INVITE callid=d1 src=udp:10.0.0.1:5060 auth=no ua=A
Nov 24 13:00:02 px kamailio[7]: NOTICE: <script>: siplog: rpl=503 cseq=1 INVITE callid=d1 src=udp:198.51.100.8:5060 reason=Unavailable
Nov 24 13:00:02 px kamailio[7]: NOTICE: <script>: siplog: rpl=503 cseq=1 INVITE callid=d1 src=udp:10.0.0.1:5060 reason=Unavailable
EOF
run -f json -o "$T/d.json" "$T/dump.log"
ok "sent messages too: the relaying proxy is no hop, the gateway is" python3 -c '
import json, sys
h = json.load(open(sys.argv[1]))["breakdowns"]["by_next_hop"]
assert [(x["key"], x["attempts"], x["server_5xx"]) for x in h["rows"]] == [("198.51.100.8", 1, 1)], h
' "$T/d.json"

# a log whose responses have no source: no table, and it says so (not zeros)
run -f json -o "$T/acc.json" tests/cases/acc-kamailio.log
ok "acc log: by_next_hop is null" [ "$(jq_get "$T/acc.json" 'r["breakdowns"]["by_next_hop"]')" = None ]
run tests/cases/acc-kamailio.log
okc "acc log, text: the next hop is not in this log" \
	'grep -A1 "Calls by next hop" "$T/out" | grep -q "not in this log"'

# a /1 baseline (every Call-ID was a call there; its INVITE dialogs were calls.invite)
python3 - "$T/r.json" "$T/v1.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
r["schema"] = "siplogscan.report/1"
r["calls"] = {"total": r["call_ids"]["total"], "invite": 30, "register": 6}
for k in ("registrations", "options_pings", "other_transactions", "call_ids"):
    del r[k]
json.dump(r, open(sys.argv[2], "w"))
EOF
run -f json -o "$T/b.json" --baseline "$T/v1.json" "$T/mixed.log"
ok "a /1 baseline is read (exit 0)" [ "$rc" -eq 0 ]
ok "a /1 baseline: its calls are calls.invite (30 -> 40), not every Call-ID (55)" python3 -c '
import json, sys
b = json.load(open(sys.argv[1]))["baseline"]
assert b["status"] == "ok" and b["schema"] == "siplogscan.report/1", b
f = {x["id"]: x for x in b["figures"]}
assert f["calls"]["previous"] == 30 and f["calls"]["current"] == 40, f["calls"]
' "$T/b.json"
finish
