#!/bin/sh
# --log-format auto infers an operator's own one-line layout (src/infer.c): it reads what a
# hand-written profile reads, 'siplogscan profile --infer' prints a profile that gives the same
# report, a few lines with attacker-chosen values do not change the profile, and what cannot
# be inferred stays unrecognised (exit status 2).
. tests/lib.sh

# same report apart from "input" (format names) and "run"
same() {
	python3 - "$1" "$2" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
for r in (a, b):
    r.pop("run"); r.pop("input")
sys.exit(a != b)
PY
}

# the worked examples of samples/profiles, with no profile: the independent expected totals,
# and the same report as the hand-written profile
for s in acme-proxy:acme-xlog kamailio-calltrace:kamailio-calltrace; do
	log=samples/profiles/${s%%:*}.log prof=samples/profiles/${s##*:}.profile
	"$BIN" -q -f json "$log" >"$T/auto.json"
	python3 tests/jcheck.py "$T/auto.json" "samples/expected/${s%%:*}.json" "inferred ${s%%:*}" |
		grep -v '^ok' && _failed=1
	ok "${s%%:*}: inferred format named in the report" grep -q '"format": "inferred", "format_detected": true' "$T/auto.json"
	"$BIN" -q -f json -l "$prof" "$log" >"$T/hand.json"
	ok "${s%%:*}: inferred = hand-written $prof" same "$T/auto.json" "$T/hand.json"
done

# the layouts of tests/cases (hand counts in their .expect), with no profile: the same report as
# a profile written by hand for each
for name in infer-labels infer-colon infer-quoted; do
	"$BIN" -q -f json "tests/cases/$name.log" >"$T/auto.json"
	"$BIN" -q -f json -l "tests/cases/$name.profile" "tests/cases/$name.log" >"$T/hand.json"
	ok "$name: inferred = hand-written tests/cases/$name.profile" same "$T/auto.json" "$T/hand.json"
done

# the printed profile loads and gives the same report as the inference
for log in samples/profiles/acme-proxy.log samples/profiles/kamailio-calltrace.log \
	tests/cases/infer-labels.log tests/cases/infer-colon.log tests/cases/infer-quoted.log; do
	"$BIN" profile --infer "$log" >"$T/p.profile" 2>/dev/null
	"$BIN" -q -f json "$log" >"$T/auto.json"
	"$BIN" -q -f json -l "$T/p.profile" "$log" >"$T/saved.json"
	ok "$(basename "$log"): profile --infer, saved and given, = inferred" same "$T/auto.json" "$T/saved.json"
done

# hostile: 4 lines whose User-Agent holds other keys (fields the layout has, a label nobody
# else uses) do not change the profile, and are read as the majority's layout reads them
L=tests/cases/infer-labels.log
H='2026-11-24T13:00:09.000+00:00 edge1 kamailio[231]: INFO: <script>: REQ method=INVITE'
{
	cat "$L"
	echo "$H ci=h1-66@6.6.6.6 cs=1 INVITE si=6.6.6.6:5060 au=<null> ua=x ci=evil cs=9 BYE si=6.6.6.6:6"
	echo "$H ci=h1-66@6.6.6.6 cs=2 INVITE si=6.6.6.6:5060 au=<null> ua=x ci=evil cs=9 BYE si=6.6.6.6:6"
	echo "$H ci=h1-66@6.6.6.6 cs=3 INVITE si=6.6.6.6:5060 au=<null> ua=y zzz=1 code=500"
	echo "$H ci=h1-66@6.6.6.6 cs=4 INVITE si=6.6.6.6:5060 au=<null> ua=y zzz=1 code=500"
} >"$T/hostile.log"
"$BIN" profile --infer "$L" 2>/dev/null | grep -v '^#' >"$T/clean.profile"
"$BIN" profile --infer "$T/hostile.log" 2>/dev/null | grep -v '^#' >"$T/hostile.profile"
ok "hostile: 4 lines with keys in their User-Agent leave the profile as it was" cmp "$T/clean.profile" "$T/hostile.profile"
"$BIN" -q -f json "$T/hostile.log" >"$T/hostile.json"
# hand counts: infer-labels.log (16 records: 2 calls, 1 registration) plus 4 INVITEs of one
# more call
cat >"$T/hostile.expect" <<'EXP'
totals.records = 20
totals.requests = {"INVITE": 7, "ACK": 3, "BYE": 1, "REGISTER": 2}
calls.total = 3
registrations.total = 1
proxy_auth.retried = 1
EXP
python3 tests/jcheck.py "$T/hostile.json" "$T/hostile.expect" "hostile" | grep -v '^ok' && _failed=1
ok "hostile: the User-Agent is the rest of the line" grep -q '"key": "x ci=evil cs=9 BYE si=6.6.6.6:6"' "$T/hostile.json"

# too few lines to infer: unrecognised as before, with the reason
head -3 "$L" >"$T/few.log"
"$BIN" -q -f json "$T/few.log" >"$T/few.json" 2>"$T/few.err"
ok "3 lines: exit status 2" test $? -eq 2
ok "3 lines: says why nothing was inferred" grep -q '3 lines hold a Call-ID and a method or status code, but only 2 agree on a layout (at least 4 needed)' "$T/few.err"
"$BIN" profile --infer "$T/few.log" >/dev/null 2>&1
ok "3 lines: profile --infer fails (exit status 2)" test $? -eq 2

# our own format and an operator's layout in one log: the built-in format reads it
grep -h 'siplog: ' samples/kamailio/kamailio-rfc3339.log | head -40 >"$T/both.log"
cat "$L" >>"$T/both.log"
"$BIN" -q -f json "$T/both.log" >"$T/both.json"
ok "siplog lines and an operator's layout: format kamailio" grep -q '"format": "kamailio"' "$T/both.json"

# a layout without CSeq: read, and the report says that retries cannot be followed
sed 's/ cs=[0-9]* [A-Z]*//' "$L" >"$T/nocseq.log"
"$BIN" -f json "$T/nocseq.log" >"$T/nocseq.json" 2>"$T/nocseq.err"
ok "no CSeq: inferred" grep -q '"format": "inferred"' "$T/nocseq.json"
ok "no CSeq: the note says retries cannot be followed" grep -q 'no CSeq in it: retries after 401/407 cannot be followed' "$T/nocseq.json"
ok "no CSeq: said on stderr" grep -q 'no CSeq in it' "$T/nocseq.err"

# replies only
grep 'code=' "$L" >"$T/replies.log"
"$BIN" -q -f json "$T/replies.log" >"$T/replies.json"
ok "replies only: 7 records" grep -q '"records": 7,' "$T/replies.json"
ok "replies only: said in the note" grep -q 'replies only' "$T/replies.json"

# regex syntax in the words copied into the profile is escaped: words made of metacharacters
# are read as themselves (the same totals as acme-proxy.log)
sed 's/ACME in/(A|C)+\\E*? [in\\Q/' samples/profiles/acme-proxy.log >"$T/meta.log"
"$BIN" -q -f json "$T/meta.log" >"$T/meta.json"
python3 tests/jcheck.py "$T/meta.json" samples/expected/acme-proxy.json "metacharacters" |
	grep -v '^ok' && _failed=1
ok "metacharacters: the profile holds them escaped" sh -c "'$BIN' profile --infer '$T/meta.log' 2>/dev/null | grep -qF '\\(A\\|C\\)\\+\\\\E\\*\\?[ \\t]+\\[in\\\\Q[ \\t]+(?<method>'"

# the files of one log share one inferred profile; another layout gets its own
cp "$L" "$T/a.log"
cp "$L" "$T/b.log"
"$BIN" -q -f json "$T/a.log" "$T/b.log" samples/profiles/acme-proxy.log >"$T/three.json"
ok "three files, two layouts: each read (16 + 16 + 19 records)" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
got = sorted((f["format"], f["records"]) for f in r["input"]["files"])
sys.exit(got != [("inferred", 16), ("inferred", 16), ("inferred", 19)])
' "$T/three.json"
# a missing file is named in the error (the path, not an empty one) and nothing is printed
"$BIN" profile --infer "$T/missing.log" >"$T/missing.out" 2>"$T/missing.err"
ok "profile --infer, missing file: exit 2" test $? -eq 2
ok "profile --infer, missing file: the path in the message" grep -qF "'$T/missing.log': cannot open" "$T/missing.err"
ok "profile --infer, missing file: no profile printed" test ! -s "$T/missing.out"
finish
