#!/bin/sh
# Command line: --help teaches, the man page documents every option, usage errors exit 2.
. tests/lib.sh

run --help
ok "--help exits 0" [ "$rc" -eq 0 ]
okc "--help shows usage and examples" 'grep -q "^usage: siplogscan" "$T/out" && grep -q "^Examples:" "$T/out"'
ok "--help fits 100 columns" [ "$(awk '{ if (length > m) m = length } END { print m }' "$T/out")" -le 100 ]
run --version
ok "--version prints the version" grep -q "^siplogscan [0-9]" "$T/out"
opts=$("$BIN" --help | grep -o -- '--[a-z][a-z-]*' | sort -u)
missing=""
for o in $opts; do
	grep -q -- "$(echo "$o" | sed 's/-/\\\\-/g')" siplogscan.1 || missing="$missing $o"
done
ok "man page documents every option in --help (missing:$missing)" [ -z "$missing" ]
missing=""
for o in $opts; do
	grep -q -- "$o" README.md || missing="$missing $o"
done
ok "README documents every option in --help (missing:$missing)" [ -z "$missing" ]
for id in $(grep -o '\.id = "[a-z0-9-]*"' src/knowledge.c | cut -d'"' -f2); do
	okc "problem pattern $id is in the man page and README" 'grep -q "$id" siplogscan.1 && grep -q "$id" README.md'
done
run --format xml x
okc "--format xml: exit 2, lists accepted values" '[ "$rc" -eq 2 ] && grep -q "expected text, json, csv, html or prom" "$T/err"'
run --call-timeout -5 x
ok "--call-timeout -5: exit 2" [ "$rc" -eq 2 ]
"$BIN" </dev/null >"$T/out" 2>"$T/err"; rc=$?
okc "no input from /dev/null stdin: exit 2, said, a report all the same" '[ "$rc" -eq 2 ] && grep -q "no SIP record in any input" "$T/err" && grep -q "^Input" "$T/out"'
kline 01 req OPTIONS 1 OPTIONS c1 > "$T/a.log"
run -q -o "$T/r.json" "$T/a.log"
ok "-o FILE.json writes JSON" python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/r.json"
ok "-o FILE: nothing on stdout" [ ! -s "$T/out" ]
run -q -o /nonexistent-dir/r.txt "$T/a.log"
okc "-o into a missing directory: exit 2 with a message" '[ "$rc" -eq 2 ] && grep -q "the directory '\''/nonexistent-dir'\'' does not exist" "$T/err"'
run -q --color always "$T/a.log"
ok "--color always colours" grep -q "$(printf '\033')\[1m" "$T/out"
run -q "$T/a.log"
ok "no colour when stdout is not a terminal" sh -c "! grep -q \"$(printf '\033')\" '$T/out'"
# progress line: on a terminal only, never with --quiet
python3 bench/gen.py --format xlog --size 2 --seed 3 "$T/p.log"
if command -v script >/dev/null 2>&1; then
	script -qec "$BIN -j2 --block-size 64K $T/p.log > /dev/null" /dev/null > "$T/tty" 2>&1 </dev/null
	ok "progress line on a terminal (bytes, files, MB/s)" grep -aq "of [0-9.]* MB, [0-9]* of 1 files, [0-9]* MB/s" "$T/tty"
	script -qec "$BIN -q -j2 --block-size 64K $T/p.log > /dev/null" /dev/null > "$T/tty" 2>&1 </dev/null
	ok "no progress line with --quiet" sh -c "! grep -aq 'MB/s' '$T/tty'"
fi
"$BIN" -j2 --block-size 64K "$T/p.log" > /dev/null 2> "$T/err"
ok "no progress line when stderr is not a terminal" sh -c "! grep -q 'MB/s' '$T/err'"
run --threads 0 "$T/p.log"
okc "--threads 0: exit 2 with the range" '[ "$rc" -eq 2 ] && grep -q "expected 1..256" "$T/err"'
run --block-size 1K "$T/p.log"
okc "--block-size 1K: exit 2 with the range" '[ "$rc" -eq 2 ] && grep -q "expected 4K..1G" "$T/err"'
run -q -f json -j3 --block-size 1M "$T/p.log"
ok "-j3 recorded in run.threads" [ "$(jq_get "$T/out" 'r["run"]["threads"]')" = 3 ]
finish
