#!/bin/sh
# The HTML report's ladders of its example calls (src/ladder.c, looked up in a second pass over
# the inputs only for HTML): each of the first 5 example calls of a problem has one, in a
# collapsed <details>, whose rows are those of 'siplogscan show' for the same Call-ID (rebuilt
# from the HTML cells in show's column layout and compared line by line); at most 50 messages;
# gzip inputs; stdin and merge say in one line why there are none; a hostile Call-ID is inert
# (checked with Python's html.parser); the JSON and text reports do not change.
. tests/lib.sh

RFC=samples/kamailio/kamailio-rfc3339.log

# ladders.py HTML BIN [--json REPORT.json] [--max-examples N] FILE...: every ladder of the page
# against 'siplogscan show' of its Call-ID; with the JSON report, each problem's ladders are its
# first N example calls. Prints "# ladders: N".
cat > "$T/ladders.py" <<'PY'
import html.parser, json, re, subprocess, sys

args = sys.argv[1:]
page, bin_ = args[0], args[1]
args = args[2:]
rep = None
maxex = 5
while args and args[0].startswith("--"):
    if args[0] == "--json":
        rep = json.load(open(args[1]))
    elif args[0] == "--max-examples":
        maxex = int(args[1])
    args = args[2:]
files = args

class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problem = None
        self.cid = None
        self.in_cid = 0
        self.ladders = []       # (problem, cid, summary, rows)
        self.lad = None
        self.cell = None
        self.line = None
        self.summary = None
        self.in_len = 0
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = a.get("class", "") or ""
        if tag == "tr" and cls == "prob":
            self.problem = a["id"][2:]
        if tag == "span" and "len" in cls.split():
            self.in_len += 1
        if tag == "span" and cls == "cid":
            self.in_cid = 1
            self.cid = ""
        elif tag == "span" and self.in_cid:
            self.in_cid += 1
        if tag == "details" and cls == "ladder":
            self.lad = {"problem": self.problem, "cid": self.cid, "rows": [], "summary": ""}
        if self.lad is None:
            return
        if tag == "summary":
            self.summary = ""
        if tag == "tr":
            self.lad["rows"].append({"cells": [], "line": None})
        if tag == "td":
            self.cell = ""
        if tag == "div" and cls == "ln":
            self.line = ""
    def handle_endtag(self, tag):
        if tag == "span" and self.in_len:
            self.in_len -= 1
        if tag == "span" and self.in_cid:
            self.in_cid -= 1
        if self.lad is None:
            return
        if tag == "summary":
            self.lad["summary"] = self.summary
            self.summary = None
        if tag == "div" and self.line is not None:
            self.lad["rows"][-1]["line"] = self.line
            self.line = None
        if tag == "td":
            self.lad["rows"][-1]["cells"].append(self.cell)
            self.cell = None
        if tag == "details":
            self.lad["rows"] = [r for r in self.lad["rows"] if r["cells"]]
            self.ladders.append(self.lad)
            self.lad = None
    def handle_data(self, d):
        if self.in_cid:
            self.cid += d
        if self.summary is not None:
            self.summary += d
        if self.line is not None:
            self.line += d
        elif self.cell is not None:
            self.cell += d

p = P()
p.feed(open(page, encoding="utf-8").read())

def pad(s, w):
    s += " "
    while len(s) < w:
        s += " "
    return s

n = 0
for lad in p.ladders:
    cid = lad["cid"]
    out = subprocess.run([bin_, "show", "-q", cid] + files, capture_output=True, text=True,
                         check=True).stdout
    head, rest = out.split("\n\n", 1)
    total = int(re.search(r": (\d+) messages?$", head).group(1))
    m = re.match(r"Ladder: (\d+) messages?$", lad["summary"])
    assert m and int(m.group(1)) == total, (cid, lad["summary"], head)
    body = rest.split("\nWhat the analysis saw\n")[0].split("\n")[1:]
    rows = lad["rows"]
    assert len(rows) == min(total, 50), (cid, len(rows), total)
    for i, r in enumerate(rows):
        c = r["cells"]
        assert len(c) == 7, c
        at = c[6]
        text = pad("  " + c[0], 32) + pad(c[1], 10) + pad(c[2], 23) + pad(c[3], 42) + c[4]
        if c[5]:
            text += "  [" + c[5] + "]"
        want_row, want_at = body[2 * i], body[2 * i + 1]
        assert text == want_row, (cid, i, text, want_row)
        got_at = "      at " + at + ("  " + r["line"] if r["line"] is not None else "")
        assert got_at == want_at, (cid, i, got_at, want_at)
    n += 1

if rep is not None:
    by = {}
    for lad in p.ladders:
        by.setdefault(lad["problem"], []).append(lad["cid"])
    call_kinds = 0
    for pr in rep["problems"]:
        ex = [e["call_id"] for e in pr.get("examples", []) if "call_id" in e]
        if pr["id"] in ("auth-guessing", "auth-break-in", "auth-spread-guessing"):
            assert pr["id"] not in by, pr["id"]
            continue
        want = ex[:maxex]
        assert by.get(pr["id"], []) == want, (pr["id"], by.get(pr["id"]), want)
        call_kinds += 1
    assert call_kinds > 0
print("# ladders:", n)
PY

# ladders PAGE ARGS...: the Python check, its output shown on failure
ladders() {
	python3 "$T/ladders.py" "$@" >"$T/py.out" 2>&1 || { sed 's/^/# /' "$T/py.out"; return 1; }
	cat "$T/py.out"
}

"$BIN" -q --examples 10 -o "$T/rfc.html" -o "$T/rfc.json" "$RFC"
okc "a sample: every problem's first 5 example calls have a ladder equal to show's rows" \
	'ladders "$T/rfc.html" "$BIN" --json "$T/rfc.json" --max-examples 5 "$RFC" &&
	 [ "$(grep -c "<details class=\"ladder\">" "$T/rfc.html")" -ge 10 ]'
okc "each ladder is collapsed, under its example's Call-ID, and the page says what they are" \
	'grep -q "</span><details class=\"ladder\"><summary>Ladder: [0-9]* messages\?</summary>" "$T/rfc.html" &&
	 grep -q "The first 5 example calls of each problem have their ladder" "$T/rfc.html" &&
	 ! grep -q "<details class=\"ladder\" open" "$T/rfc.html"'
okc "a ladder shows the marks and the first line of each message" \
	'grep -q "<td class=\"mk\">challenge (407)</td>" "$T/rfc.html" &&
	 grep -q "<div class=\"ln\">[^<]*callid=1-21879@127.0.0.13 " "$T/rfc.html"'
"$BIN" -q -o "$T/rfc3.html" -o "$T/rfc3.json" "$RFC"
okc "--examples 3 (the default): the 3 examples shown, each with its ladder" \
	'ladders "$T/rfc3.html" "$BIN" --json "$T/rfc3.json" --max-examples 3 "$RFC"'

# the same, from a rotated set with a gzip file, and a gzip copy of the sample
SET="samples/kamailio/syslog-bsd/kamailio.log.2.gz samples/kamailio/syslog-bsd/kamailio.log.1 samples/kamailio/syslog-bsd/kamailio.log"
# shellcheck disable=SC2086
"$BIN" -q -o "$T/set.html" -o "$T/set.json" $SET
okc "a rotated set with a gzip file: the ladders equal show's, lines read back from the gzip" \
	'ladders "$T/set.html" "$BIN" --json "$T/set.json" --max-examples 3 $SET &&
	 grep -q "kamailio.log.2.gz:[0-9]*<div class=\"ln\">" "$T/set.html"'
"$BIN" -q -o "$T/gz.html" "$RFC.gz"
okc "a gzip input: the same problems and ladders as the plain file (its name aside)" \
	'ladders "$T/gz.html" "$BIN" "$RFC.gz" &&
	 sed "s|log\.gz|log|g" "$T/gz.html" | sed -n "/<section id=\"problems\">/,/<\/section>/p" > "$T/a" &&
	 sed -n "/<section id=\"problems\">/,/<\/section>/p" "$T/rfc3.html" > "$T/b" && cmp -s "$T/a" "$T/b" &&
	 [ "$(grep -c "class=\"ladder\"" "$T/a")" -ge 10 ]'

# stdin and merge: no ladders, said once
"$BIN" -q -f html - < "$RFC" > "$T/stdin.html"
okc "stdin: no ladder, and one line that says why" \
	'! grep -q "class=\"ladder\"" "$T/stdin.html" &&
	 [ "$(grep -c "No ladders of the example calls: the input was read from stdin or a pipe" "$T/stdin.html")" -eq 1 ]'
cat "$RFC" | "$BIN" -q -o "$T/mixed.html" "$RFC.gz" - 2>/dev/null
okc "a file and stdin: ladders from the file, a line says the stdin messages are left out" \
	'grep -q "class=\"ladder\"" "$T/mixed.html" &&
	 [ "$(grep -c "The ladders leave out the messages of the inputs read from stdin or a pipe" "$T/mixed.html")" -eq 1 ]'
"$BIN" -q --state-out "$T/a.state" "$RFC"
"$BIN" merge -q -o "$T/merged.html" "$T/a.state"
okc "merge: no ladders, one line saying the states hold no messages" \
	'[ -s "$T/merged.html" ] && ! grep -q "class=\"ladder\"" "$T/merged.html" &&
	 [ "$(grep -c "No ladders of the example calls: this report was merged from state files" "$T/merged.html")" -eq 1 ]'

# the bound on messages: a Call-ID with 60 messages shows 50 and says how many more
{
	kline 01 req INVITE 1 INVITE big
	kline 02 rpl 100 1 INVITE big
	i=3
	while [ $i -le 60 ]; do
		kline "$(printf %02d $((i % 60)))" rpl 183 1 INVITE big
		i=$((i + 1))
	done
} > "$T/big.log"
"$BIN" -q -o "$T/big.html" -o "$T/big.json" "$T/big.log"
okc "a call of 60 messages: its ladder has 50 rows, equal to show's, and says 10 more" \
	'ladders "$T/big.html" "$BIN" --json "$T/big.json" "$T/big.log" &&
	 grep -q "Ladder: 60 messages" "$T/big.html" && grep -q "\.\.\. and 10 more messages, not shown (at most 50)" "$T/big.html"'

# a hostile Call-ID, URI and address: escaped in every cell, nothing active
HCID=$(printf '<script>alert("x")</script>\047\033[31m\377\342\200\250')
{
	printf '====================\ntag: rcv\ntime: 1795525201.0\nsrcip: <b>10.0.0.1</b>\n~~~~~~~~~~~~~~~~~~~~\n'
	printf 'INVITE sip:<img/src=x/onerror=alert(1)>@h SIP/2.0\nCall-ID: %s\nCSeq: 1 INVITE\n\n||||||||||||||||||||\n' "$HCID"
	printf '====================\ntag: rcv\ntime: 1795525201.5\nsrcip: 192.0.2.1\n~~~~~~~~~~~~~~~~~~~~\n'
	printf 'SIP/2.0 100 Trying\nCall-ID: %s\nCSeq: 1 INVITE\n\n||||||||||||||||||||\n' "$HCID"
} > "$T/h.log"
"$BIN" -q -o "$T/h.html" -o "$T/h.json" "$T/h.log"
cat > "$T/inert.py" <<'PY'
import html.parser, sys
raw = open(sys.argv[1], "rb").read()
text = raw.decode("utf-8")  # valid UTF-8, or this fails
class P(html.parser.HTMLParser):
    tags = set()
    attrs = []
    data = []
    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attrs += [k for k, _ in attrs]
    def handle_data(self, d):
        self.data.append(d)
p = P(convert_charrefs=True)
p.feed(text)
assert not p.tags & {"script", "img", "iframe", "object", "embed", "link"}, p.tags
assert not [a for a in p.attrs if a.startswith("on")], p.attrs
assert b"<script" not in raw and b"<img" not in raw
assert not any(ord(ch) < 32 and ch not in "\n" for ch in text), "a control character"
assert "\u2028" not in text
data = "".join(p.data)
# the Call-ID, its URI and address as text, escaped for display
assert '<script>alert("x")</script>\'\\e[31m\\xff\\u{2028}' in data, "the Call-ID as text"
assert "INVITE sip:<img/src=x/onerror=alert(1)>@h" in data, "the URI as text"
assert "<b>10.0.0.1</b>" in data, "the address as text"
PY
okc "a hostile Call-ID, URI and address: a ladder, every byte inert (html.parser), shown as text" \
	'grep -q "class=\"ladder\"" "$T/h.html" && python3 "$T/inert.py" "$T/h.html" > "$T/i.out" 2>&1 ||
	 { sed "s/^/# /" "$T/i.out"; false; }'

# a long URI and address: the start of each (120 bytes) and its length
LONG=$(python3 -c 'print("u" * 300)')
{
	printf '====================\ntag: rcv\ntime: 1795525201.0\nsrcip: 192.0.2.9.%s\n~~~~~~~~~~~~~~~~~~~~\n' "$LONG"
	printf 'INVITE sip:%s@h SIP/2.0\nCall-ID: long1\nCSeq: 1 INVITE\n\n||||||||||||||||||||\n' "$LONG"
	printf '====================\ntag: rcv\ntime: 1795525201.5\nsrcip: 192.0.2.1\n~~~~~~~~~~~~~~~~~~~~\n'
	printf 'SIP/2.0 100 Trying\nCall-ID: long1\nCSeq: 1 INVITE\n\n||||||||||||||||||||\n'
} > "$T/long.log"
"$BIN" -q -o "$T/long.html" "$T/long.log"
okc "a long URI and address in a ladder: their first 120 bytes and their length" \
	'grep -q "<td class=\"mono brk\">INVITE sip:u\{116\} \.\.\. (306 bytes)</td>" "$T/long.html" &&
	 grep -q "<td class=\"mono brk\">192\.0\.2\.9\.u\{110\} \.\.\. (310 bytes)</td>" "$T/long.html"'

# the other reports do not change, and do not pay for the ladders
"$BIN" -q -o "$T/only.json" -o "$T/only.txt" --title t --width 80 "$RFC"
"$BIN" -q -o "$T/with.json" -o "$T/with.txt" -o "$T/with.html" --title t --width 80 "$RFC"
okc "the JSON and text reports are the same with an HTML output beside them" \
	'grep -v "\"run\": " "$T/only.json" > "$T/a" && grep -v "\"run\": " "$T/with.json" > "$T/b" && cmp -s "$T/a" "$T/b" &&
	 grep -v "^Scanned .* in .* s (" "$T/only.txt" > "$T/a" && grep -v "^Scanned .* in .* s (" "$T/with.txt" > "$T/b" && cmp -s "$T/a" "$T/b"'
okc "the same page at -j1 and -j4 with small blocks (the run line aside)" \
	'"$BIN" -q -j1 -o "$T/j1.html" "$T/big.log" "$RFC" && "$BIN" -q -j4 --block-size 4K -o "$T/j4.html" "$T/big.log" "$RFC" &&
	 grep -v "class=\"run\"" "$T/j1.html" > "$T/a" && grep -v "class=\"run\"" "$T/j4.html" > "$T/b" && cmp -s "$T/a" "$T/b" &&
	 grep -q "class=\"ladder\"" "$T/a"'
finish
