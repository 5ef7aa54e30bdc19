#!/bin/sh
# --title heads every format (text first line, HTML <title> and <h1>, JSON "title", CSV report
# row; the Prometheus file has none), escaped in each as log text is; the default is the host
# name.
. tests/lib.sh
f=tests/cases/kpis.log
host=$(hostname)

run -q --color never "$f"
ok "default: the host name heads the text report" [ "$(head -1 "$T/out")" = "$host" ]
run -q -f json "$f"
ok "default: the JSON title is the host name" [ "$(jq_get "$T/out" 'r["title"]')" = "$host" ]

run -q --color never --title "pbx1 nightly" "$f"
okc "text: the title is the first line, the version the second" '
	[ "$(head -1 "$T/out")" = "pbx1 nightly" ] && head -2 "$T/out" | tail -1 | grep -q "^siplogscan .* report$"'
run -q -f json --title "pbx1 nightly" "$f"
ok "json: \"title\"" [ "$(jq_get "$T/out" 'r["title"]')" = "pbx1 nightly" ]
run -q -f csv --title "pbx1 nightly" "$f"
ok "csv: the report row after the header" [ "$(sed -n 2p "$T/out" | tr -d '\r')" = '"report","","title","pbx1 nightly"' ]
run -q -f html --title "pbx1 nightly" "$f"
okc "html: <title> and <h1>" 'grep -q "<title>pbx1 nightly &#8211;\|<title>pbx1 nightly – SIP log report" "$T/out" && grep -q "<h1>pbx1 nightly</h1>" "$T/out"'
run -q -f prom --title "pbx1 nightly" "$f"
ok "prom: no title (metrics only)" sh -c '! grep -q "pbx1" "$1"' - "$T/out"

# a hostile title: escaped in each format, no newline, markup or formula gets through
evil="$(printf 'x\n# HELP fake\033[31m<script>alert(1)</script>')"
run -q --color never --title "$evil" "$f"
okc "text: the newline and the escape are shown escaped, on one line" '
	[ "$(head -1 "$T/out")" = "x\\n# HELP fake\\e[31m<script>alert(1)</script>" ]'
run -q -f html --title "$evil" "$f"
okc "html: escaped in <title> and <h1>" '
	! grep -q "<script>" "$T/out" && grep -q "<h1>x\\\\n# HELP fake\\\\e\[31m&lt;script&gt;alert(1)&lt;/script&gt;</h1>" "$T/out"'
run -q -f json --title "$evil" "$f"
ok "json: the title round-trips" [ "$(jq_get "$T/out" 'r["title"] == "x\n# HELP fake\x1b[31m<script>alert(1)</script>"')" = True ]
run -q -f csv --title "=cmd|' /C calc'!A0" "$f"
ok "csv: a formula is defused" [ "$(sed -n 2p "$T/out" | tr -d '\r')" = "\"report\",\"\",\"title\",\"'=cmd|' /C calc'!A0\"" ]
run -q -f prom --title "$evil" "$f"
ok "prom: nothing of it" sh -c '! grep -q "fake\|script" "$1"' - "$T/out"
run -q -f json --title "" "$f"
ok "an empty --title is an empty title" [ "$(jq_get "$T/out" 'r["title"]')" = "" ]
finish
