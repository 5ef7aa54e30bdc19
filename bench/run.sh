#!/bin/sh
# bench/run.sh [--size MB] [--runs N] - benchmark siplogscan against baselines on the same
# files in the same run. Generates (deterministically, seed 1) a Kamailio sipdump file and an
# xlog syslog file of --size MB each (default 1000), a gzip copy and a rotated gzip set, kept
# in bench/data/ and reused while the size matches. Prints seconds (best of --runs, default
# 3), MB/s of uncompressed input, speed relative to the base of each group (base time /
# command time: higher is faster), and peak RSS.
set -eu
cd "$(dirname "$0")/.."
size=1000
runs=3
while [ $# -gt 0 ]; do
	case "$1" in
	--size) size=$2; shift 2 ;;
	--runs) runs=$2; shift 2 ;;
	*) echo "usage: bench/run.sh [--size MB] [--runs N]" >&2; exit 2 ;;
	esac
done
D=bench/data
mkdir -p "$D"
gen() { # gen FORMAT FILE
	if [ ! -f "$2" ] || [ "$(cat "$2.size" 2>/dev/null)" != "$size" ]; then
		echo "generating $2 ($size MB) ..." >&2
		python3 bench/gen.py --format "$1" --size "$size" --seed 1 "$2"
		echo "$size" > "$2.size"
		rm -rf "$2.gz" "$D/rotated"
	fi
}
gen sipdump "$D/sipdump.data"
gen xlog "$D/kamailio.log"
if [ ! -f "$D/kamailio.log.gz" ]; then
	echo "compressing ..." >&2
	gzip -6 -n -c "$D/kamailio.log" > "$D/kamailio.log.gz"
fi
if [ ! -d "$D/rotated" ]; then
	# four rotated files, the three oldest gzipped, as logrotate leaves them
	mkdir -p "$D/rotated"
	python3 - "$D" <<'PY'
import gzip, sys
d = sys.argv[1]
data = open(f"{d}/kamailio.log", "rb").read()
cuts = [0] + [data.index(b"\n", len(data) * k // 4) + 1 for k in (1, 2, 3)] + [len(data)]
for i in range(4):
    part = data[cuts[i]:cuts[i + 1]]
    n = 3 - i
    if n == 0:
        open(f"{d}/rotated/kamailio.log", "wb").write(part)
    else:
        with gzip.open(f"{d}/rotated/kamailio.log.{n}.gz", "wb", compresslevel=6) as f:
            f.write(part)
PY
	# the newest gzipped too, so that every file costs an inflate
	gzip -6 -n "$D/rotated/kamailio.log"
fi

BIN=./siplogscan
N=$(nproc)
backend=$(./build/inflate_floor "$D/kamailio.log.gz" | cut -d' ' -f1)
echo
echo "machine: $N CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(free -g | awk '/Mem:/ {print $2}') GiB"
echo "siplogscan $($BIN --version | cut -d' ' -f2), gzip backend $backend; best of $runs runs"
printf '%-46s %8s %8s %8s %8s\n' "command" "seconds" "MB/s" "vs base" "RSS MiB"

row() { # row LABEL BYTES BASE-SECONDS COMMAND  -> prints, and sets $last (seconds)
	r=$(python3 bench/timeit.py "$runs" "$4")
	last=${r% *}
	python3 -c 'import sys; l,b,base,s,k=sys.argv[1:]; b=int(b); s=float(s)
ratio=("%.2fx" % (float(base)/s)) if base!="-" else "base"
print("%-46s %8.3f %8.1f %8s %8.1f" % (l, s, b/1e6/s, ratio, int(k)/1024))' "$1" "$2" "$3" "$last" "${r#* }"
}
floor_row() { # floor_row LABEL BINARY FILE BYTES BASE
	r=$($2 "$3")
	python3 -c 'import sys; l,r,b,base=sys.argv[1:]; s=float(r.split()[1]); b=int(b)
print("%-46s %8.3f %8.1f %7.2fx %8s" % (l, s, b/1e6/s, float(base)/s, "-"))' "$1" "$r" "$4" "$5"
}

# siplogscan on one core (pinned: its reader/merger thread and worker share it) and on all
one() { # one BYTES BASE FILES
	row "siplogscan -j1, 1 core (taskset -c 0)" "$1" "$2" "taskset -c 0 $BIN -q -f json -j1 $3"
	t1=$last
	row "siplogscan -j$N, $N cores" "$1" "$2" "$BIN -q -f json -j$N $3"
	python3 -c 'import sys; print("%-46s %8s %8s %7.2fx" % ("  scaling, %s cores / 1 core" % sys.argv[3], "", "", float(sys.argv[1]) / float(sys.argv[2])))' "$t1" "$last" "$N"
}

for f in "$D/sipdump.data" "$D/kamailio.log"; do
	b=$(wc -c < "$f")
	lit='SIP/2.0 '
	re='SIP/2\.0 [0-9]{3}'
	cid='^Call-ID: [^\r]*'
	case "$f" in *.log) lit='siplog: '; re='siplog: (req|rpl)='; cid='callid=[^ ]*' ;; esac
	echo "== $f ($((b / 1000000)) MB, plain)"
	row "LC_ALL=C grep -c '$lit'" "$b" - "LC_ALL=C grep -c '$lit' $f"
	base=$last
	if command -v rg >/dev/null 2>&1; then
		row "rg -c '$re'" "$b" "$base" "rg -c '$re' $f"
		row "rg -o Call-ID" "$b" "$base" "rg -o '$cid' $f | wc -l"
	fi
	one "$b" "$base" "$f"
done

f="$D/kamailio.log.gz"
b=$(wc -c < "$D/kamailio.log")
echo "== $f ($((b / 1000000)) MB uncompressed, one gzip file)"
row "zcat | LC_ALL=C grep -c 'siplog: '" "$b" - "zcat $f | LC_ALL=C grep -c 'siplog: '"
base=$last
floor_row "inflate floor, $backend" ./build/inflate_floor "$f" "$b" "$base"
if [ -x build-zlib/inflate_floor ]; then
	floor_row "inflate floor, zlib" ./build-zlib/inflate_floor "$f" "$b" "$base"
fi
one "$b" "$base" "$f"

echo "== $D/rotated (4 gzip files, $((b / 1000000)) MB uncompressed)"
row "zcat | LC_ALL=C grep -c 'siplog: '" "$b" - "zcat $D/rotated/*.gz | LC_ALL=C grep -c 'siplog: '"
base=$last
one "$b" "$base" "$D/rotated/*.gz"
