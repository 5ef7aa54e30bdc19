#!/bin/sh
# tests/fuzz/corpora.sh - every libFuzzer target (make fuzz-build-only) over its seeds once,
# TAP: tests/fuzz/corpus/<target without "fuzz_">/ holds the seeds and every input that once
# crashed a target. A crash, a sanitizer report or a timeout fails the target's line.
set -u
cd "$(dirname "$0")/../.." || exit 2
B=${FUZZ_BUILD:-build-fuzz}
n=0
failed=0
for t in fuzz_scan fuzz_run fuzz_diff fuzz_state; do
	n=$((n + 1))
	dir=$(pwd)/tests/fuzz/corpus/${t#fuzz_}	# absolute: fuzz_run works in a directory of its own
	count=$(ls "$dir" | wc -l)
	log=$(mktemp)
	if UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 "$B/$t" -artifact_prefix="$(pwd)/$B/" -close_fd_mask=3 -timeout=60 -rss_limit_mb=4096 "$dir"/* >"$log" 2>&1; then
		echo "ok $n - $t: $count inputs of ${dir#$(pwd)/}, each once, no crash"
	else
		echo "not ok $n - $t: $count inputs of ${dir#$(pwd)/}: a crash or a sanitizer report"
		grep -E "ERROR|SUMMARY|runtime error|Running:" "$log" | tail -20 | sed 's/^/# /'
		failed=1
	fi
	rm -f "$log"
done
echo "1..$n"
exit $failed
