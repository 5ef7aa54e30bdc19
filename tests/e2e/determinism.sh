#!/bin/sh
# Determinism: the JSON report ("run" aside) is byte-identical for -j1, -j2, -j8 and block
# sizes from 4 KiB to 64 MiB, on every sample set and on a generated archive in which many
# calls straddle block and file boundaries.
. tests/lib.sh

# generated archive: sipdump messages and xlog lines, each cut into a rotated set
python3 bench/gen.py --format sipdump --size 3 --seed 7 "$T/all.data"
python3 bench/gen.py --format xlog --size 3 --seed 8 "$T/all.log"
mkdir -p "$T/dump" "$T/xlog"
# cut at line boundaries into three files: the oldest gzipped, as logrotate leaves them
python3 - "$T" <<'PY'
import gzip, sys
t = sys.argv[1]
for src, dst in (("all.data", "dump/sipdump.log"), ("all.log", "xlog/kamailio.log")):
    data = open(f"{t}/{src}", "rb").read()
    a, b = len(data) // 3, 2 * len(data) // 3
    a = data.index(b"\n", a) + 1
    b = data.index(b"\n", b) + 1
    with gzip.open(f"{t}/{dst}.2.gz", "wb") as f:
        f.write(data[:a])
    open(f"{t}/{dst}.1", "wb").write(data[a:b])
    open(f"{t}/{dst}", "wb").write(data[b:])
PY

report() { # report NAME ARGS... -> $T/NAME.json without the run line
	name=$1
	shift
	"$BIN" -q -f json "$@" 2>/dev/null | grep -v '^  "run": ' > "$T/$name.json"
}

check_set() { # check_set LABEL ARGS...
	label=$1
	shift
	report ref -j1 --block-size 64M "$@"
	ok "$label: reference report has records" grep -q '"records": [1-9]' "$T/ref.json"
	bad=""
	for j in 1 2 8; do
		for bs in 4K 64K 1M 64M; do
			report "x" -j$j --block-size $bs "$@"
			cmp -s "$T/ref.json" "$T/x.json" || bad="$bad -j$j/$bs"
		done
	done
	ok "$label: identical for -j1/2/8 x 4K/64K/1M/64M${bad:+ (differs:$bad)}" [ -z "$bad" ]
	if [ -n "$bad" ]; then
		diff "$T/ref.json" "$T/x.json" | head -10 | sed 's/^/#   /'
	fi
}

check_set "generated sipdump, rotated" "$T"/dump/sipdump.log*
# prefixed and unseparated messages, repeated so that 4K and 64K blocks cut inside them
for i in 1 2 3 4 5 6 7 8; do
	cat tests/cases/prefix-*.log tests/cases/unseparated.log tests/cases/hostile-prefix.log
done > "$T/prefixed.log"
check_set "prefixed and unseparated messages" "$T/prefixed.log"
check_set "generated xlog, rotated" "$T"/xlog/kamailio.log*
# stdin is read as a stream, in windows: the same report as the file (the name aside)
f="$T/dump/sipdump.log.1"
report ref -j1 --block-size 64M "$f"
sed "s|\"$f\"|\"-\"|g" "$T/ref.json" > "$T/ref-stdin.json"
bad=""
for j in 1 2 8; do
	for bs in 4K 64K 1M; do
		"$BIN" -q -f json -j$j --block-size $bs - < "$f" 2>/dev/null | grep -v '^  "run": ' > "$T/x.json"
		cmp -s "$T/ref-stdin.json" "$T/x.json" || bad="$bad -j$j/$bs"
	done
done
ok "stdin (sipdump epoch times): identical for -j1/2/8 x 4K/64K/1M${bad:+ (differs:$bad)}" [ -z "$bad" ]
# tshark -V: a frame's time is ~2.4 KiB before its Request-Line; a gzip stream's window holds
# SCAN_LOOKBEHIND before its block, so a block that starts in between still finds it: every
# call's first time the same for any block size (block sizes of a few frames)
f=samples/other/tshark-V.txt.gz
"$BIN" -q -j1 --block-size 64M --calls-csv "$T/ts-ref.csv" -o /dev/null "$f" 2>/dev/null
bad=""
for bs in 4K 5K 6K 7K 9K 11K; do
	"$BIN" -q -j2 --block-size $bs --calls-csv "$T/ts.csv" -o /dev/null "$f" 2>/dev/null
	cmp -s "$T/ts-ref.csv" "$T/ts.csv" || bad="$bad $bs"
done
ok "tshark -V (gzip): per-call times identical for blocks of 4K..11K${bad:+ (differs:$bad)}" [ -z "$bad" ]
"$BIN" -q -f json -j2 --block-size 4K "$T"/xlog/kamailio.log* > "$T/full.json"
calls=$(jq_get "$T/full.json" 'r["calls"]["total"]')
ok "generated archive: thousands of calls ($calls)" [ "$calls" -gt 1000 ]
while read -r name expected files; do
	case "$name" in ''|'#'*) continue ;; esac
	# shellcheck disable=SC2086
	check_set "sample $name" $files
done < samples/MANIFEST
finish
