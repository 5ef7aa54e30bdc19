#!/bin/sh
# Problems that mean something: slow-setup is a long post-dial delay (never ring time),
# problems rank by severity first, auth-scanner's severity follows the evidence, and every
# problem says when it appeared. The JSON figures are pinned by tests/cases (setup-pdd,
# ranking, scanner, scanner-break-in, scanner-call); this checks what people read (text,
# HTML), the CSV and Prometheus forms, and a realistic day of calls.
. tests/lib.sh
PY=$(python3 -c 'import prometheus_client, sys; print(sys.executable)' 2>/dev/null)
[ -n "$PY" ] || PY=/usr/bin/python3

SETUP=tests/cases/setup-pdd.log

run -q --width 100 "$SETUP"
okc "text: the call setup section, post-dial delay and ring time" \
	'grep -q "^Call setup (INVITE): post-dial delay and ring time$" "$T/out" && grep -q "^  PDD (INVITE -> 18x, else final): p50 6.00 s, p90 12.00 s, p99 12.00 s, max 12.00 s (5 measured)$" "$T/out" && grep -q "^  ring time (18x -> final): p50 3.00 s, p90 25.00 s, p99 25.00 s, max 25.00 s (4 measured)$" "$T/out"'
okc "text: slow-setup, 3 of 5 calls with a measured post-dial delay" \
	'grep -A2 "\[MEDIUM\] slow-setup" "$T/out" | grep -q "^     3 of 5 INVITE calls with a measured post-dial delay (60.0%)$"'
okc "text: slow-setup appeared from 13:10 to 14:30, in two consecutive hours joined" \
	'grep -A3 "\[MEDIUM\] slow-setup" "$T/out" | grep -q "^     first 2026-11-24 13:10:00, last 14:30:00 (UTC), in 2 hours: 13:00-14:59$"'
okc "text: ranked severity first (server-errors HIGH before slow-setup MEDIUM x 3)" \
	'grep -q "^  1\. \[HIGH\] server-errors" "$T/out" && grep -q "^  2\. \[MEDIUM\] slow-setup" "$T/out"'

"$BIN" -q -f csv "$SETUP" >"$T/s.csv"
okc "csv: setup rows, the problem's first/last time and hours" \
	'grep -q "^\"setup\",\"pdd\",\"max_ms\",\"12000.000\"" "$T/s.csv" && grep -q "^\"setup\",\"ring\",\"n\",\"4\"" "$T/s.csv" && grep -q "^\"problems\",\"slow-setup\",\"first_time\",\"2026-11-24T13:10:00Z\"" "$T/s.csv" && grep -q "^\"problem_hours\",\"slow-setup/2026-11-24T14:00:00Z\",\"count\",\"1\"" "$T/s.csv"'
"$BIN" -q -f json "$SETUP" >"$T/s.json"
"$BIN" -q -f prom "$SETUP" >"$T/s.prom"
ok "prom: valid exposition, figures as in the JSON report" "$PY" tests/prom_check.py "$T/s.prom" "$T/s.json"
okc "prom: post-dial delay and ring time gauges, with their counts" \
	'grep -q "^siplogscan_post_dial_delay_seconds{stat=\"max\"} 12$" "$T/s.prom" && grep -q "^siplogscan_post_dial_delays 5$" "$T/s.prom" && grep -q "^siplogscan_ring_times 4$" "$T/s.prom"'
"$BIN" -q -f html "$SETUP" >"$T/s.html"
okc "html: the setup section and when slow-setup appeared" \
	'grep -q "id=\"setup\"" "$T/s.html" && grep -q "first 2026-11-24 13:10:00, last 14:30:00 (UTC), in 2 hours: 13:00-14:59" "$T/s.html"'

# an acc log shows no INVITE time and no 18x: no setup figures, not 0
run -q -f json samples/kamailio/acc/*
okc "acc log: setup null, slow-setup undefined for --fail-on" \
	'[ "$(jq_get "$T/out" "r[\"setup\"]")" = None ]'

# ranking: one HIGH above fifty MEDIUM
run -q tests/cases/ranking.log
okc "text: stuck-after-100 (high, 1) ranks above slow-setup (medium, 50)" \
	'grep -q "^  1\. \[HIGH\] stuck-after-100" "$T/out" && grep -q "^  2\. \[MEDIUM\] slow-setup" "$T/out"'

# auth-scanner: blocked scanning is low, a break-in critical, in every format
run -q tests/cases/scanner.log
okc "text: blocked scanning is LOW, says so, lists its sources" \
	'grep -q "\[LOW\] auth-scanner" "$T/out" && grep -q "^     Blocked scanning: no flagged source got a 2xx" "$T/out" && grep -q "^     source 203.0.113.7: 10 calls, 10 unanswered challenges$" "$T/out"'
run -q tests/cases/scanner-break-in.log
okc "text: a flagged source whose retry was accepted: CRITICAL, first, the source named" \
	'grep -q "^  1\. \[CRITICAL\] auth-scanner" "$T/out" && grep -q "^     Possible break-in: a flagged source got a 2xx" "$T/out" && grep -A1 "^     source 203.0.113.7: 11 calls, 10 unanswered challenges$" "$T/out" | grep -q "^       got in: 1 accepted after a challenge, 0 INVITEs answered$"'
okc "text: auth-scanner appeared in two consecutive hours" \
	'grep -A3 "\[CRITICAL\] auth-scanner" "$T/out" | grep -q "^     first 2026-11-24 13:00:10, last 14:05:00 (UTC), in 2 hours: 13:00-14:59$"'
"$BIN" -q -f prom tests/cases/scanner-break-in.log >"$T/b.prom"
okc "prom: auth-scanner with severity critical" \
	'grep -q "^siplogscan_problem_calls{id=\"auth-scanner\",severity=\"critical\"} 11$" "$T/b.prom"'
"$BIN" -q -f prom tests/cases/scanner.log >"$T/l.prom"
okc "prom: blocked auth-scanner with severity low" \
	'grep -q "^siplogscan_problem_calls{id=\"auth-scanner\",severity=\"low\"} 11$" "$T/l.prom"'
"$BIN" -q -f html tests/cases/scanner-break-in.log >"$T/b.html"
okc "html: critical badge, possible break-in, the accepted count in the sources table" \
	'grep -q "<span class=\"badge s5\">critical</span>" "$T/b.html" && grep -q "possible break-in" "$T/b.html" && grep -q "2xx after a challenge</th>" "$T/b.html"'
# seven flagged sources; the one that got in has the fewest calls: the text lists it first
python3 - "$T/seven.log" <<'PY'
import sys
P = "px kamailio[7]: NOTICE: <script>: siplog: "
out = []
def reg(t, cid, src, cseq, auth, code):
    out.append(f"Nov 24 13:{t // 60:02d}:{t % 60:02d} {P}req=REGISTER cseq={cseq} REGISTER callid={cid} src=udp:{src}:5060 auth={auth} ua=x")
    out.append(f"Nov 24 13:{t // 60:02d}:{t % 60:02d} {P}rpl={code} cseq={cseq} REGISTER callid={cid} src=udp:10.0.0.9:5060 reason=R")
t = 0
for s in range(6):
    for i in range(12 + s):
        reg(t, f"s{s}-{i}", f"203.0.113.{s + 1}", 1, "no", 401)
        t += 1
for i in range(10):
    reg(t, f"in-{i}", "198.51.100.99", 1, "no", 401)
    t += 1
reg(t, "in-ok", "198.51.100.99", 1, "no", 401)
reg(t, "in-ok", "198.51.100.99", 2, "yes", 200)
open(sys.argv[1], "w").write("\n".join(out) + "\n")
PY
run -q "$T/seven.log"
okc "text: the source that got in is listed first, though it has the fewest calls" \
	'grep -A3 "\[CRITICAL\] auth-scanner" "$T/out" >/dev/null && grep -A8 "^     Possible break-in" "$T/out" | sed -n 3p | grep -q "^     source 198.51.100.99: 11 calls, 10 unanswered challenges$" && grep -q "^       got in: 1 accepted after a challenge, 0 INVITEs answered$" "$T/out" && grep -q "^     ... and 2 more sources (see the JSON report)$" "$T/out"'

run -q --fail-on "auth-scanner>0" tests/cases/scanner.log
okc "--fail-on auth-scanner>0 still holds for blocked scanning (a count, not a severity)" '[ $rc -eq 1 ]'

# a realistic day: 2,000 calls, every one rings 5..45 s after a post-dial delay of 0.3..3 s
# (answered, busy, no answer or cancelled), and 7 whose network takes 6..20 s: slow-setup is
# exactly those 7, whatever the ring times
python3 - "$T/day.log" <<'PY'
import random, sys
rnd = random.Random(7)
P = "px kamailio[7]: NOTICE: <script>: siplog: "
out = []
def stamp(ms):
    s, ms = divmod(ms, 1000)
    return "Nov 24 %02d:%02d:%02d.%03d" % (s // 3600, s // 60 % 60, s % 60, ms)
def req(ms, m, cseq, cid, auth="no"):
    out.append((ms, f"{stamp(ms)} {P}req={m} cseq={cseq} {m} callid={cid} src=udp:10.1.{cseq}.{len(cid) % 250}:5060 auth={auth} ua=Phone"))
def rpl(ms, code, cseq, cid):
    out.append((ms, f"{stamp(ms)} {P}rpl={code} cseq={cseq} INVITE callid={cid} src=udp:10.0.0.9:5060 reason=R"))
slow = set(rnd.sample(range(2000), 7))
for i in range(2000):
    t = i * 43000 + rnd.randrange(40000)
    cid = f"day{i}"
    req(t, "INVITE", 1, cid)
    rpl(t + 2, 407, 1, cid)
    t += 30 + rnd.randrange(200)
    req(t, "INVITE", 2, cid, "yes")
    rpl(t + 5, 100, 2, cid)
    pdd = rnd.randrange(6000, 20000) if i in slow else rnd.randrange(300, 3000)
    rpl(t + pdd, 180, 2, cid)
    rpl(t + pdd + rnd.randrange(5000, 45000), rnd.choice([200, 200, 200, 486, 480, 487]), 2, cid)
out.sort(key=lambda x: x[0])
open(sys.argv[1], "w").write("".join(l + "\n" for _, l in out))
PY
"$BIN" -q -f json "$T/day.log" >"$T/day.json"
okc "a realistic day: slow-setup is the 7 slow networks of 2,000 calls, not the ringing" \
	'[ "$(jq_get "$T/day.json" "[(p[\"count\"], p[\"denominator\"]) for p in r[\"problems\"] if p[\"id\"] == \"slow-setup\"]")" = "[(7, 2000)]" ]'
okc "a realistic day: ring time measured for every call, up to 45 s" \
	'[ "$(jq_get "$T/day.json" "(r[\"setup\"][\"ring_ms\"][\"n\"], r[\"setup\"][\"ring_ms\"][\"max\"] < 45000, r[\"setup\"][\"ring_ms\"][\"p50\"] > 5000)")" = "(2000, True, True)" ]'
okc "a realistic day: its 24 hours in the timeline" \
	'[ "$(jq_get "$T/day.json" "len(r[\"timeline\"])")" = 24 ]'

finish
