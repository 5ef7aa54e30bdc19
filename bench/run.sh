#!/bin/sh
# bench/run.sh [--size MB] - generate a large realistic archive (deterministic, seed 1) and
# measure siplogscan against baselines on the same files in the same run: MB/s and ratios.
# Data is kept in bench/data/ and reused while its size matches.
set -eu
cd "$(dirname "$0")/.."
size=1000
while [ $# -gt 0 ]; do
	case "$1" in
	--size) size=$2; shift 2 ;;
	*) echo "usage: bench/run.sh [--size MB]" >&2; exit 2 ;;
	esac
done
mkdir -p bench/data
gen() { # gen FORMAT FILE
	if [ ! -f "$2" ] || [ "$(cat "$2.size" 2>/dev/null)" != "$size" ]; then
		echo "generating $2 ($size MB) ..." >&2
		python3 bench/gen.py --format "$1" --size "$size" --seed 1 "$2"
		echo "$size" > "$2.size"
	fi
}
gen sipdump bench/data/sipdump.data
gen xlog bench/data/kamailio.log
if [ ! -f bench/data/kamailio.log.gz ] || [ bench/data/kamailio.log -nt bench/data/kamailio.log.gz ]; then
	gzip -6 -n -c bench/data/kamailio.log > bench/data/kamailio.log.gz
fi
BIN=./siplogscan
row() { # row LABEL FILE-BYTES BASE-SECONDS COMMAND
	r=$(python3 bench/timeit.py 3 "$4")
	s=${r% *}
	k=${r#* }
	python3 -c 'import sys; l,b,base,s,k=sys.argv[1:]; b=int(b); s=float(s); base=float(base) if base!="-" else 0
mbs=b/1e6/s
ratio=("%.2fx" % (base/s)) if base else "-"
print("%-44s %9.3f %9.1f %9s %9.1f" % (l, s, mbs, ratio, int(k)/1024))' "$1" "$2" "$3" "$s" "$k"
}
secs() { python3 bench/timeit.py 3 "$1" | cut -d' ' -f1; }
echo
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "speed relative to the base = base time / command time (higher is faster)"
printf '%-44s %9s %9s %9s %9s\n' "command" "seconds" "MB/s" "vs base" "RSS MiB"
for f in bench/data/sipdump.data bench/data/kamailio.log; do
	b=$(wc -c < "$f")
	lit='SIP/2.0 '
	re='SIP/2\.0 [0-9]{3}'
	case "$f" in *.log) lit='siplog: '; re='siplog: (req|rpl)=' ;; esac
	echo "== $f ($((b / 1000000)) MB)"
	base=$(secs "LC_ALL=C grep -c '$lit' $f")
	row "LC_ALL=C grep -c '$lit' (base)" "$b" "$base" "LC_ALL=C grep -c '$lit' $f"
	if command -v rg >/dev/null 2>&1; then
		row "rg -c '$re'" "$b" "$base" "rg -c '$re' $f"
		row "rg -o Call-ID values" "$b" "$base" "rg -o '(?i)^call-id: *[^\\r]*|callid=[^ ]*' $f"
	fi
	row "siplogscan -q -f json" "$b" "$base" "$BIN -q -f json $f"
done
f=bench/data/kamailio.log.gz
b=$(wc -c < bench/data/kamailio.log)
echo "== $f ($((b / 1000000)) MB uncompressed)"
base=$(secs "zcat $f | LC_ALL=C grep -c 'siplog: '")
row "zcat | LC_ALL=C grep -c (base)" "$b" "$base" "zcat $f | LC_ALL=C grep -c 'siplog: '"
row "zcat > /dev/null (inflate floor)" "$b" "$base" "zcat $f"
row "siplogscan -q -f json" "$b" "$base" "$BIN -q -f json $f"
