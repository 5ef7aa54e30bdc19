#!/bin/sh
# tests/golden.sh check|update - golden reports: every sample set in samples/MANIFEST gives
# exactly the text and JSON reports kept in tests/golden/, byte for byte, apart from the
# lines that describe the run itself (elapsed time, speed); and every call of
# tests/golden/show/LIST its ladder (siplogscan show) in tests/golden/show/. 'make golden' updates them;
# review the diff before committing.
set -u
cd "$(dirname "$0")/.." || exit 2
BIN=${SIPLOGSCAN:-./siplogscan}
mode=${1:-check}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/slgolden.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# Logs without a year (BSD syslog) or without a date (FreeSWITCH, pjsua) take it from the
# file's modification time, which a clone sets to "now": scan copies with a fixed mtime.
root=$(pwd)
cp -R samples "$tmp/samples"
find "$tmp/samples" -type f -exec touch -d '2026-11-24 23:59:59 UTC' {} +
cd "$tmp" || exit 2
case "$BIN" in /*) ;; *) BIN="$root/$BIN" ;; esac
n=0
failed=0
# drop what describes the run, not the input
norun() { grep -v -e '^  "run": ' -e '^Scanned .* in .* s (' "$1"; }
while read -r name expected files; do
	case "$name" in ''|'#'*) continue ;; esac
	for fmt in txt json; do
		n=$((n + 1))
		f=text
		[ $fmt = json ] && f=json
		# shellcheck disable=SC2086
		# the title defaults to the host name and the width to the terminal's: both fixed
		TZ=UTC $BIN -q --color never --title "sample $name" --width 80 -f $f $files >"$tmp/out" 2>/dev/null
		norun "$tmp/out" >"$tmp/got"
		gold="$root/tests/golden/$name.$fmt"
		if [ "$mode" = update ]; then
			cp "$tmp/got" "$gold"
			echo "ok $n - updated $gold"
		elif [ -f "$gold" ] && cmp -s "$tmp/got" "$gold"; then
			echo "ok $n - golden $name.$fmt"
		else
			echo "not ok $n - golden $name.$fmt differs (make golden rewrites it; review the diff)"
			[ -f "$gold" ] && diff -u "$gold" "$tmp/got" | head -20 | sed 's/^/#   /'
			failed=1
		fi
	done
done < "$root/samples/MANIFEST"
# the ladders of 'siplogscan show' (tests/golden/show/LIST)
while read -r name args; do
	case "$name" in ''|'#'*) continue ;; esac
	n=$((n + 1))
	# shellcheck disable=SC2086
	TZ=UTC $BIN show -q $args >"$tmp/got" 2>/dev/null
	gold="$root/tests/golden/show/$name.txt"
	if [ "$mode" = update ]; then
		cp "$tmp/got" "$gold"
		echo "ok $n - updated $gold"
	elif [ -f "$gold" ] && cmp -s "$tmp/got" "$gold"; then
		echo "ok $n - golden ladder $name"
	else
		echo "not ok $n - golden ladder $name differs (make golden rewrites it; review the diff)"
		[ -f "$gold" ] && diff -u "$gold" "$tmp/got" | head -20 | sed 's/^/#   /'
		failed=1
	fi
done < "$root/tests/golden/show/LIST"
[ $n -gt 0 ] || { echo "not ok 1 - samples/MANIFEST lists no sample"; failed=1; }
echo "1..$n"
exit $failed
