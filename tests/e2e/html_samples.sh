#!/bin/sh
# The HTML report of every sample set (samples/MANIFEST), and one with --baseline, in headless
# Chromium (Debian package chromium): each page loads without a console message, gives a
# screenshot, and its DOM holds the report whole with no active element. tests/e2e/html.sh
# goes deeper on two samples and a hostile log. The HTML bytes do not depend on the build, so
# tests/run.sh runs this once, for the main build only.
. tests/lib.sh

if ! command -v chromium >/dev/null 2>&1; then
	ok "chromium is installed (apt-get install -y chromium)" false
	finish
fi

# load NAME: Chromium on $T/NAME.html, screenshot and DOM in one run, bounded in time
load() {
	timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--disable-extensions --user-data-dir="$(mktemp -d "$T/profile.XXXXXX")" \
		--enable-logging=stderr --v=0 --window-size=1280,2000 --screenshot="$T/$1.png" \
		--dump-dom "file://$T/$1.html" >"$T/$1.dom" 2>"$T/$1.log"
}

check() { # check NAME SECTIONS: the page's checks; SECTIONS: how many <section> it must have
	name=$1
	load "$name"
	lrc=$?
	okc "$name: Chromium loads the page and makes a screenshot (exit $lrc)" \
		"[ $lrc -eq 0 ] && [ \"\$(wc -c <\"$T/$name.png\" 2>/dev/null || echo 0)\" -gt 10000 ]"
	ok "$name: no console message, no uncaught error, nothing refused" \
		sh -c '! grep -E "CONSOLE|Uncaught|Refused to|net::ERR" "$1"' - "$T/$name.log"
	okc "$name: the DOM holds the whole report ($2 sections or more, the footer)" \
		"grep -q '</footer>' \"$T/$name.dom\" && [ \"\$(grep -c '<section id=' \"$T/$name.dom\")\" -ge $2 ]"
	ok "$name: no active or loading element, no event attribute" \
		sh -c '! grep -qiE "<(script|img|iframe|object|embed|link)[ >/]|<[a-z][^>]*[[:space:]]on[a-z]+=" "$1"' \
		- "$T/$name.dom"
}

n=0
while read -r name expected files; do
	case "$name" in ''|'#'*) continue ;; esac
	# shellcheck disable=SC2086
	"$BIN" -q -o "$T/$name.html" $files 2>"$T/$name.err"
	ok "$name: siplogscan writes the HTML report" [ -s "$T/$name.html" ]
	# every page has at least: KPIs, traffic, 100 Trying, auth, problems, input
	check "$name" 6
	n=$((n + 1))
done < samples/MANIFEST
ok "every sample set was loaded ($n)" [ "$n" -ge 20 ]
ok "a log within one hour: the per-hour section says so instead of a one-bar chart" \
	grep -q 'Every Call-ID falls in one hour, 2026-11-24T15:00' "$T/kamailio-sipdump.dom"

# with --baseline: the comparison table is on the page
"$BIN" -q -o "$T/prev.json" samples/kamailio/syslog-bsd/kamailio.log*
"$BIN" -q --baseline "$T/prev.json" -o "$T/baseline.html" samples/kamailio/sipdump/*.data
check baseline 7
ok "baseline: the comparison table is rendered" grep -q '<section id="baseline">' "$T/baseline.dom"

# the detector works: a page with an inline script is refused by its CSP and that is seen
sed 's#</main>#<script>document.title="x"</script></main>#' "$T/baseline.html" >"$T/script.html"
load script
ok "a page with an inline script: the refusal is seen in the console log" \
	grep -qE "Refused to execute inline script|CONSOLE" "$T/script.log"
finish
