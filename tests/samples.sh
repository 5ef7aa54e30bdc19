#!/bin/sh
# tests/samples.sh - every sample set in samples/MANIFEST is scanned and its JSON report
# compared with totals counted independently of siplogscan (samples/expected/*.json: a
# tshark capture of the same traffic, SIPp's scenario counts, or a hand count).
set -u
cd "$(dirname "$0")/.." || exit 2
BIN=${SIPLOGSCAN:-./siplogscan}
# zoneless stamps are read in TZ (else /etc/localtime): the expected figures are UTC's,
# whatever zone the machine is in (tests/e2e/tz.sh sets its own)
TZ=UTC
export TZ
tmp=$(mktemp -d "${TMPDIR:-/tmp}/slsamples.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
rc=0
grep -v '^#' samples/MANIFEST | while read -r name expected files; do
	[ -n "$name" ] || continue
	[ "$expected" != "-" ] || continue
	# shellcheck disable=SC2086
	$BIN -q -f json $files >"$tmp/$name.json" 2>"$tmp/$name.err"
	code=$?
	if [ $code -ne 0 ]; then
		echo "not ok - sample $name: exit status $code"
		sed 's/^/#   /' "$tmp/$name.err"
		continue
	fi
	python3 tests/jcheck.py "$tmp/$name.json" "$expected" "sample $name"
done > "$tmp/tap"
cat "$tmp/tap"
grep -q '^not ok' "$tmp/tap" && rc=1
grep -q '^ok' "$tmp/tap" || { echo "not ok - no sample was checked (samples/MANIFEST empty?)"; rc=1; }
exit $rc
