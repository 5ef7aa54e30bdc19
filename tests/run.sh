#!/bin/sh
# tests/run.sh - run every test suite and print the closing "N passed, N failed".
#
# Suites print TAP ("ok N - ...", "not ok N - ..."); this script adds them up, shows the
# failures, and exits non-zero on any. Environment:
#   BUILD       build directory holding the unit test programs (default build)
#   SIPLOGSCAN  the binary under test (default ./siplogscan)
#   ASAN_BUILD  if set, the same suites run again with the programs in that directory
#               (built with AddressSanitizer + UBSan by 'make check')
#   ZLIB_BUILD  if set, the suites that read gzip run again with the zlib-backend build there
#   TSAN_BUILD  if set, the suites that run several threads (tsan_suites) run again with the
#               ThreadSanitizer build there; a report from any process fails the suite
#   TSAN_SUITES the e2e suites for that stage (default: determinism input calls_csv badinput hosts)
#   FUZZ_BUILD  if set, every libFuzzer target there runs over its corpus once
#               (tests/fuzz/corpora.sh)
#   TEST_JOBS   stages run side by side in this many lanes (default: the CPU count, at most
#               2): the plain and zlib stages in one, the sanitizer and fuzz stages in the
#               other. Each suite's line is printed as it ends; the counts add up the same.
# 'sh tests/run.sh tsan' runs only that last stage (make tsan).
set -u
cd "$(dirname "$0")/.." || exit 2
BUILD=${BUILD:-build}
SIPLOGSCAN=${SIPLOGSCAN:-./siplogscan}
LOGDIR=$(mktemp -d "${TMPDIR:-/tmp}/siplogscan-tests.XXXXXX")
trap 'rm -rf "$LOGDIR"' EXIT INT TERM
pass=0
fail=0
# a lane adds its counts to its own file; the closing line sums them
count_file="$LOGDIR/counts.main"
san_prefix="$LOGDIR/sanitizer"	# where sanitizers write reports (log_path)

# run_suite NAME COMMAND...: run it, count its TAP lines, show failures
run_suite() {
	name=$1
	shift
	log="$LOGDIR/$(echo "$name" | tr '/ ' '__').log"
	t0=$(date +%s)
	"$@" >"$log" 2>&1
	rc=$?
	secs=$(($(date +%s) - t0))
	# a sanitizer that writes its reports to files (log_path, below) fails the suite, even
	# from a run whose stderr or exit status the test does not look at; the first is shown
	set -- "$san_prefix".*
	if [ -f "$1" ]; then
		echo "not ok - $name: $# processes wrote a sanitizer report; the first:" >>"$log"
		head -40 "$1" | sed 's/^/# /' >>"$log"
		rm -f "$san_prefix".*
	fi
	p=$(grep -c '^ok ' "$log")
	f=$(grep -c '^not ok ' "$log")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		# a crash or a sanitizer report without a failing check is a failure too
		f=1
		echo "not ok - $name exited with status $rc" >>"$log"
	fi
	echo "$p $f" >>"$count_file"
	# one write per suite, so that lanes running side by side never interleave within one
	out=$(printf '%-40s %5d passed, %d failed %5ds' "$name" "$p" "$f" "$secs"
	if [ "$f" -ne 0 ]; then
		echo
		grep -E -A3 '^not ok|^#|ERROR|runtime error' "$log" | head -60 | sed 's/^/    /'
	fi)
	printf '%s\n' "$out"
}

# all_suites LABEL BUILD_DIR BINARY [E2E...]: the unit tests, the e2e suites (only those
# named, when some are), the transition cases, the samples and the golden reports
all_suites() {
	label=$1
	bdir=$2
	bin=$3
	shift 3
	only=" $* "
	for t in "$bdir"/test_*; do
		[ -x "$t" ] || continue
		case "$t" in *.o|*.d) continue ;; esac
		run_suite "$label unit $(basename "$t")" "$t"
	done
	for t in tests/e2e/*.sh; do
		name=$(basename "$t" .sh)
		if [ "$only" != "  " ]; then
			case "$only" in *" $name "*) ;; *) continue ;; esac
		fi
		# peak RSS under AddressSanitizer measures the sanitizer, not the program
		case "$label/$t" in asan/*memory.sh) continue ;; esac
		# allocation failures on purpose: only the sanitizer build has them (src/util.c)
		case "$label/$t" in asan/*oom.sh) ;; */oom.sh) continue ;; esac
		# the same HTML bytes in a browser again would test the browser, not the build
		case "$label/$t" in asan/*html_samples.sh|zlib/*html_samples.sh) continue ;; esac
		run_suite "$label e2e $name" env SIPLOGSCAN="$bin" sh "$t"
	done
	run_suite "$label cases (transition meanings)" env SIPLOGSCAN="$bin" sh tests/cases.sh
	run_suite "$label samples vs independent counts" env SIPLOGSCAN="$bin" sh tests/samples.sh
	run_suite "$label golden reports" env SIPLOGSCAN="$bin" sh tests/golden.sh check
}

# tsan_suites LABEL BINARY: the suites that run several threads, on plain and gzip input:
# blocks and stream windows for -j1..-j8 and 4K..64M blocks (determinism), reader threads on
# rotated, multi-member, truncated and corrupt gzip files and stdin (input), rows written as
# calls settle (calls_csv), one pipeline per host merged by time (hosts). The rest would test
# the same code single-file, at 5-15x the time.
tsan_suites() {
	for t in ${TSAN_SUITES:-determinism input calls_csv badinput hosts}; do
		run_suite "$1 e2e $t" env SIPLOGSCAN="$2" sh "tests/e2e/$t.sh"
	done
}

# plain_stages / checked_stages: the two lanes (see TEST_JOBS)
plain_stages() {
	all_suites "" "$BUILD" "$SIPLOGSCAN"
	# the expected files of the other products' samples still equal what the independent
	# counter (no siplogscan code) computes from the logs
	run_suite "samples: independent counter (count.py)" python3 samples/other/count.py --check
	if [ -n "${ZLIB_BUILD:-}" ]; then
		# the backends differ only in inflating: the suites that read gzip
		export LIGHT=1	# the heavy cases smaller: the plain build ran them whole
		all_suites "zlib" "$ZLIB_BUILD" "$ZLIB_BUILD/siplogscan" input badinput determinism memory \
			state_merge
		unset LIGHT
	fi
}

checked_stages() {
	if [ "$only_tsan" = 0 ] && [ -n "${ASAN_BUILD:-}" ]; then
		# intercept_memmem=0: the sanitizers check a memmem() haystack whole on every call,
		# and the scanners call it once per record on the rest of a block - quadratic (a
		# 13 MB log: 2 s under ASan, 90 s under TSan); our own reads stay checked. make fuzz
		# keeps the check.
		export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:intercept_memmem=0}
		export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
		all_suites "asan" "$ASAN_BUILD" "$ASAN_BUILD/siplogscan"
	fi
	if [ -n "${FUZZ_BUILD:-}" ]; then
		# every fuzz target over its seeds (and every crash found so far) once
		run_suite "fuzz targets over their corpora" env FUZZ_BUILD="$FUZZ_BUILD" sh tests/fuzz/corpora.sh
	fi
	if [ -n "${TSAN_BUILD:-}" ]; then
		# reports go to files, one per process, which run_suite counts; the first report ends
		# the process with status 66. TSAN_OPTIONS given by the caller come last and win.
		# intercept_memmem=0: see the ASan stage
		export TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1 intercept_memmem=0 log_path=$san_prefix ${TSAN_OPTIONS:-}"
		tsan_suites "tsan" "$TSAN_BUILD/siplogscan"
	fi
}

only_tsan=0
[ "${1:-}" = tsan ] && only_tsan=1
lanes=${TEST_JOBS:-$(nproc 2>/dev/null || echo 1)}
if [ "$only_tsan" = 1 ]; then
	checked_stages
elif [ "$lanes" -ge 2 ] && { [ -n "${ASAN_BUILD:-}" ] || [ -n "${TSAN_BUILD:-}" ] ||
			     [ -n "${FUZZ_BUILD:-}" ]; }; then
	# the sanitizer lane's reports go to its own files (log_path): each lane counts its own
	(count_file="$LOGDIR/counts.checked"; san_prefix="$LOGDIR/sanitizer-checked"
	 checked_stages) &
	lane=$!
	plain_stages
	wait "$lane" || true
else
	plain_stages
	checked_stages
fi
for c in "$LOGDIR"/counts.*; do
	[ -f "$c" ] || continue
	while read -r p f; do
		pass=$((pass + p))
		fail=$((fail + f))
	done <"$c"
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
