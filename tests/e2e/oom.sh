#!/bin/sh
# Out of memory at every allocation site in turn: the sanitizer build's checked allocator fails
# its Nth allocation (SIPLOGSCAN_FAIL_ALLOC=N, src/util.c; test builds only). Every such run
# must end with exit status 2 and a message, no crash, no sanitizer report, and no temporary
# output file left behind (an output completed before the failure may stay: it is whole).
# tests/run.sh runs this only for the sanitizer build.
. tests/lib.sh

cp tests/cases/kpis.log "$T/a.log"
gzip -n -c tests/cases/breakdowns.log > "$T/b.log.gz"
mkdir "$T/out.d"
args="-j2 --block-size 4K --calls-csv $T/out.d/calls.csv -o $T/out.d/r.json -o $T/out.d/r.html $T/a.log $T/b.log.gz"
SIPLOGSCAN_ALLOC_COUNT=1 "$BIN" $args >/dev/null 2>"$T/err"
total=$(sed -n 's/^siplogscan: checked allocations: \([0-9]*\)$/\1/p' "$T/err")
okc "this build counts its allocations ($total in a small run)" '[ -n "$total" ] && [ "$total" -gt 50 ]'
bad=
n=1
while [ "$n" -le "${total:-0}" ]; do
	rm -f "$T"/out.d/*
	SIPLOGSCAN_FAIL_ALLOC=$n "$BIN" $args >/dev/null 2>"$T/err"; rc=$?
	if [ "$rc" -ne 2 ] || ! grep -q "out of memory" "$T/err" ||
	   grep -q "AddressSanitizer\|runtime error\|LeakSanitizer" "$T/err" ||
	   ls "$T/out.d" | grep -q tmp; then
		bad="$bad $n(rc=$rc)"
		[ -z "${shown:-}" ] && { shown=1; echo "# allocation $n:"; sed 's/^/#   /' "$T/err" | head -20; ls "$T/out.d" | sed 's/^/#   left: /'; }
	fi
	n=$((n + 1))
done
okc "each of the $total allocations failing in turn: exit 2, 'out of memory', no crash, no temporary file left${bad:+ (failed:$bad)}" '[ -z "$bad" ]'
finish
