#!/bin/sh
# bench/scale.sh [--size MB] [--runs N] [--threads "1 2 4 8"] - how siplogscan scales with
# worker threads (-j) on the inputs of bench/run.sh: a sipdump file, an xlog syslog file, one
# gzip file and a rotated set of gzip files, generated deterministically (seed 1) in
# bench/data/ (or $SCALE_DATA). For each thread count: seconds (best of --runs), MB/s of
# uncompressed input, speed-up over -j1, and whether the JSON report (its "run" section
# aside) is byte-identical to the -j1 one. Default thread counts: 1, 2, 4, ... up to nproc.
# SIPLOGSCAN=path picks the binary (default ./siplogscan).
set -eu
cd "$(dirname "$0")/.."
BIN=${SIPLOGSCAN:-./siplogscan}
size=1000
runs=3
threads=
while [ $# -gt 0 ]; do
	case "$1" in
	--size) size=$2; shift 2 ;;
	--runs) runs=$2; shift 2 ;;
	--threads) threads=$2; shift 2 ;;
	*) echo "usage: bench/scale.sh [--size MB] [--runs N] [--threads \"1 2 4 8\"]" >&2; exit 2 ;;
	esac
done
N=$(nproc)
if [ -z "$threads" ]; then
	threads=1
	t=2
	while [ "$t" -lt "$N" ]; do threads="$threads $t"; t=$((t * 2)); done
	threads="$threads $N"
fi
D=${SCALE_DATA:-bench/data}
mkdir -p "$D"
T=$(mktemp -d "${TMPDIR:-/tmp}/slscale.XXXXXX")
trap 'rm -rf "$T"' EXIT

gen() { # gen FORMAT FILE
	if [ ! -f "$2" ] || [ "$(cat "$2.size" 2>/dev/null)" != "$size" ]; then
		echo "generating $2 ($size MB) ..." >&2
		python3 bench/gen.py --format "$1" --size "$size" --seed 1 "$2"
		echo "$size" > "$2.size"
		rm -rf "$2.gz" "$D/rotated8"
	fi
}
gen sipdump "$D/sipdump.data" &
gen xlog "$D/kamailio.log" &
wait
if [ ! -f "$D/kamailio.log.gz" ] || [ ! -d "$D/rotated8" ]; then
	echo "compressing ..." >&2
	# eight rotated parts, each gzipped (compressed in parallel), and the whole file in one
	rm -rf "$D/rotated8"
	mkdir -p "$D/rotated8"
	python3 - "$D" <<'PY'
import sys
d = sys.argv[1]
data = open(f"{d}/kamailio.log", "rb").read()
cuts = [0] + [data.index(b"\n", len(data) * k // 8) + 1 for k in range(1, 8)] + [len(data)]
for i in range(8):
    n = 8 - i
    open(f"{d}/rotated8/kamailio.log.{n}", "wb").write(data[cuts[i]:cuts[i + 1]])
PY
	for f in "$D"/rotated8/kamailio.log.*; do gzip -6 -n "$f" & done
	gzip -6 -n -c "$D/kamailio.log" > "$D/kamailio.log.gz"
	wait
fi

now() { date +%s.%N; }
# best FILE...: best wall time of $runs runs of "$BIN -q -j $j -f json", report kept as $T/j$j.json
best() {
	b=
	for _ in $(seq "$runs"); do
		t0=$(now)
		"$BIN" -q -j "$j" -f json -o "$T/j$j.json" "$@"
		t=$(awk -v a="$(now)" -v b="$t0" 'BEGIN { print a - b }')
		if [ -z "$b" ] || [ "$(awk -v t="$t" -v b="$b" 'BEGIN { print (t < b) }')" = 1 ]; then
			b=$t
		fi
	done
	echo "$b"
}
strip_run() { python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); r.pop("run"); print(json.dumps(r, sort_keys=True))' "$1"; }

echo "machine: $N CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(free -g | awk '/Mem:/ {print $2}') GiB"
echo "$("$BIN" --version); best of $runs runs; MB = 10^6 bytes of uncompressed input"
group() { # group TITLE MB FILE...
	title=$1
	mb=$2
	shift 2
	echo "== $title ($mb MB)"
	printf '%-10s %9s %9s %9s  %s\n' threads seconds MB/s speed-up "same report as -j1"
	base=
	for j in $threads; do
		s=$(best "$@")
		[ -n "$base" ] || base=$s
		strip_run "$T/j$j.json" > "$T/j$j.cmp"
		same=yes
		cmp -s "$T/j1.cmp" "$T/j$j.cmp" 2>/dev/null || same=no
		awk -v j="-j $j" -v s="$s" -v mb="$mb" -v base="$base" -v same="$same" \
			'BEGIN { printf "%-10s %9.3f %9.1f %8.2fx  %s\n", j, s, mb / s, base / s, same }'
	done
}
mb=$(($(wc -c < "$D/sipdump.data") / 1000000))
group "sipdump, plain" "$mb" "$D/sipdump.data"
mb=$(($(wc -c < "$D/kamailio.log") / 1000000))
group "xlog syslog, plain" "$mb" "$D/kamailio.log"
group "xlog syslog, one gzip file" "$mb" "$D/kamailio.log.gz"
# shellcheck disable=SC2046
group "xlog syslog, 8 rotated gzip files" "$mb" $(ls "$D"/rotated8/*.gz)
