#!/bin/sh
# The HTML report in a real browser. Pages come from the unit test program test_render_html
# (HTML_OUT=FILE; with "PROFILE FILE..." it renders the report of those logs through the real
# pipeline): two samples, a hostile log, and the unit test's hostile model. Headless Chromium
# (Debian package chromium) screenshots each page and dumps its DOM: the page renders, logs no
# console error, and the log's <script>/<img onerror> strings are text in the DOM, never elements.
. tests/lib.sh

# the renderer built like the binary under test (build-asan/ for the sanitizer run), else $BUILD
R=$(dirname "$BIN")/test_render_html
[ -x "$R" ] || R=${BUILD:-build}/test_render_html

if ! command -v chromium >/dev/null 2>&1; then
	ok "chromium is installed (apt-get install -y chromium)" false
	finish
fi
ok "the renderer test program exists ($R)" [ -x "$R" ]

# chrome NAME MODE...: headless Chromium on $T/NAME.html, bounded in time
chrome() {
	_name=$1
	shift
	timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--disable-extensions --user-data-dir="$(mktemp -d "$T/profile.XXXXXX")" "$@" \
		"file://$T/$_name.html"
}

# page NAME [PROFILE FILE...]: render, then load in Chromium and check
page() {
	name=$1
	shift
	HTML_OUT=$T/$name.html "$R" "$@" >"$T/$name.tap" 2>&1
	prc=$?
	okc "$name: rendered, the renderer's checks pass" "[ $prc -eq 0 ] && [ -s \"$T/$name.html\" ]"
	[ "$prc" -eq 0 ] || grep '^not ok' "$T/$name.tap" | sed 's/^/# /'
	chrome "$name" --enable-logging=stderr --v=0 --screenshot="$T/$name.png" \
		--window-size=1280,2000 >"$T/$name.log" 2>&1
	crc=$?
	ok "$name: Chromium made a screenshot (exit $crc)" [ "$crc" -eq 0 ]
	okc "$name: the screenshot is not trivial (> 10 kB)" \
		"[ \"\$(wc -c <\"$T/$name.png\" 2>/dev/null || echo 0)\" -gt 10000 ]"
	# console messages (a script error, a resource the CSP refused) come as "CONSOLE(..)"
	ok "$name: no console message, no uncaught error, nothing refused" \
		sh -c '[ -f "$1" ] && ! grep -E "CONSOLE|Uncaught|Refused to|net::ERR" "$1"' - "$T/$name.log"
	chrome "$name" --dump-dom >"$T/$name.dom" 2>"$T/$name.dom.err"
	ok "$name: the DOM was dumped whole" grep -q '</footer>' "$T/$name.dom"
	ok "$name: no <script>, <img>, <iframe>, <object> or <embed> element in the DOM" \
		sh -c '[ -s "$1" ] && ! grep -qiE "<(script|img|iframe|object|embed|link)[ >/]" "$1"' - "$T/$name.dom"
	ok "$name: no on* event attribute on any element" \
		sh -c '[ -s "$1" ] && ! grep -qiE "<[a-z][^>]*[[:space:]]on[a-z]+=" "$1"' - "$T/$name.dom"
	ok "$name: no http:// or https:// in the page" \
		sh -c '[ -s "$1" ] && ! grep -qiE "https?://" "$1"' - "$T/$name.html"
}

page syslog-bsd kamailio samples/kamailio/syslog-bsd/kamailio.log.2.gz \
	samples/kamailio/syslog-bsd/kamailio.log.1 samples/kamailio/syslog-bsd/kamailio.log
ok "syslog-bsd: the responses chart names 407 Proxy Authentication Required" \
	grep -q '>407 Proxy Authentication Required</text>' "$T/syslog-bsd.dom"
ok "syslog-bsd: problems ranked severity first: stuck-after-100 (high), the blocked auth-scanner (low) last" \
	sh -c 'grep -o "<tr class=\"prob\" id=\"p-[a-z0-9-]*\"" "$1" | head -1 | grep -q stuck-after-100 && grep -o "<tr class=\"prob\" id=\"p-[a-z0-9-]*\"" "$1" | tail -1 | grep -q auth-scanner' \
	- "$T/syslog-bsd.dom"

page sipdump sip samples/kamailio/sipdump/kamailio-sipdump-2026-11-24--15-54-43.data
ok "sipdump: the 100 Trying section has its chart" \
	sh -c 'sed -n "/<section id=\"trying\">/,/<\/section>/p" "$1" | grep -q "<svg"' - "$T/sipdump.dom"

# a log an attacker wrote: Call-ID and User-Agent carry markup, escapes and invalid UTF-8
python3 - "$T/evil.log" <<'PY'
import sys
big = "A" * 10240 + "@evil"
lines = []
def req(cid, ua, t="01"):
    lines.append(f"Nov 24 13:00:{t} px kamailio[7]: NOTICE: <script>: siplog: req=INVITE cseq=1 INVITE callid={cid} src=udp:10.0.0.1:5060 auth=no ua={ua}")
def rpl(cid, code, t="01"):
    lines.append(f"Nov 24 13:00:{t} px kamailio[7]: NOTICE: <script>: siplog: rpl={code} cseq=1 INVITE callid={cid} src=udp:10.0.0.9:5060 reason=x")
req("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>'); rpl("<script>alert(1)</script>", 100)
req(big, "friendly-scanner<script>alert(2)</script>"); rpl(big, 100)
req("\x1b[31mred\u202eevil", "ua"); rpl("\x1b[31mred\u202eevil", 100)
with open(sys.argv[1], "wb") as f:
    for l in lines:
        f.write(l.encode("utf-8") + b"\n")
    f.write(b"Nov 24 13:00:02 px kamailio[7]: NOTICE: <script>: siplog: req=INVITE cseq=1 INVITE callid=bad\xff\xfeutf8 src=udp:10.0.0.1:5060 auth=no ua=ua\n")
PY
page evil-log kamailio "$T/evil.log"
ok "evil-log: the <script> Call-ID is text in the DOM" \
	grep -qF '&lt;script&gt;alert(1)&lt;/script&gt;' "$T/evil-log.dom"
ok "evil-log: the <img onerror> User-Agent is text in the DOM" \
	grep -qF '"&gt;&lt;img src=x onerror=alert(1)&gt;' "$T/evil-log.dom"
ok "evil-log: the 10 kB Call-ID is shortened, its length shown" \
	grep -qF '(10245 bytes)' "$T/evil-log.dom"

page hostile-model
ok "hostile-model: the hostile file path is text in the DOM" \
	grep -qF '/var/log/"&gt;&lt;svg onload=alert(5)&gt;kamailio.log' "$T/hostile-model.dom"
ok "hostile-model: one SVG chart per chart, no foreign SVG" \
	sh -c '[ "$(grep -o "<svg" "$1" | wc -l)" -eq "$(grep -o "<svg class=\"[a-z]*\" viewBox" "$1" | wc -l)" ]' \
	- "$T/hostile-model.dom"
finish
