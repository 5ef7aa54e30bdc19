#!/bin/sh
# tests/cases.sh - tiny hand-written logs that pin the meaning of every transition.
# Each tests/cases/NAME.log is scanned (with the options in NAME.args, if any) and the JSON
# report is checked against NAME.expect by tests/jcheck.py.
set -u
cd "$(dirname "$0")/.." || exit 2
BIN=${SIPLOGSCAN:-./siplogscan}
# zoneless stamps are read in TZ (else /etc/localtime): the expected figures are UTC's,
# whatever zone the machine is in (tests/e2e/tz.sh sets its own)
TZ=UTC
export TZ
tmp=$(mktemp -d "${TMPDIR:-/tmp}/slcases.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
rc=0
for exp in tests/cases/*.expect; do
	name=$(basename "$exp" .expect)
	args=""
	[ -f "tests/cases/$name.args" ] && args=$(cat "tests/cases/$name.args")
	# shellcheck disable=SC2086
	$BIN -q -f json $args "tests/cases/$name.log" >"$tmp/$name.json" 2>"$tmp/$name.err"
	code=$?
	if [ $code -ne 0 ]; then
		echo "not ok - $name: exit status $code"
		sed 's/^/#   /' "$tmp/$name.err"
		rc=1
		continue
	fi
	python3 tests/jcheck.py "$tmp/$name.json" "$exp" "$name" || rc=1
done
exit $rc
