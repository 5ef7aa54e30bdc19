#!/bin/sh
# The progress line on a terminal (stderr): for a gzip input it counts the uncompressed bytes
# read (more than the file's size on disk), with the share of the bytes on disk read and the
# rate; nothing of it when stderr is not a terminal or with --quiet.
. tests/lib.sh
if ! command -v script >/dev/null 2>&1; then
	ok "script(1) is installed (bsdutils), to give the run a terminal" false
	finish
fi
# about 75 MB of SIP messages in about 8 MB of gzip: long enough for a few progress lines
python3 - "$T/big.log.gz" <<'PYEOF'
import gzip, sys
data = open("samples/kamailio/kamailio-rfc3339.log", "rb").read()
with gzip.open(sys.argv[1], "wb", compresslevel=1) as f:
    for _ in range(1500):
        f.write(data)
PYEOF
script -qec "$BIN -j 1 -o $T/big.json $T/big.log.gz" /dev/null 2>&1 | tr '\r' '\n' >"$T/tty"
grep -a "MB read" "$T/tty" >"$T/lines"
okc "a progress line on a terminal, with the share of the bytes on disk" '
	[ -s "$T/lines" ] && grep -aq "of 1 files, [0-9]*% of [0-9.]* MB on disk, [0-9]* MB/s" "$T/lines"'
# whatever the speed (one line or many): each line's bytes read are uncompressed, several
# times the bytes on disk read by then (the share shown of the size on disk)
okc "it counts uncompressed bytes: each line shows far more read than the bytes on disk it names" '
	python3 -c "
import re, sys
v = re.findall(r\"([0-9.]+) MB read, .*, ([0-9]+)% of ([0-9.]+) MB on disk\", open(sys.argv[1], errors=\"replace\").read())
sys.exit(not v or any(float(x) <= 2 * float(p) / 100 * float(s) + 0.1 for x, p, s in v))" "$T/lines"'
ok "the report counts the same uncompressed bytes" [ "$(jq_get "$T/big.json" 'r["input"]["files"][0]["bytes"]')" = "$((1500 * $(wc -c <samples/kamailio/kamailio-rfc3339.log)))" ]
script -qec "$BIN -q -j 1 -o $T/big.json $T/big.log.gz" /dev/null 2>&1 | tr '\r' '\n' >"$T/tty"
ok "--quiet: no progress line" sh -c '! grep -aq "MB read" "$1"' - "$T/tty"
run -j 1 -o "$T/big.json" "$T/big.log.gz"
ok "stderr not a terminal: no progress line" sh -c '! grep -aq "MB read" "$1"' - "$T/err"
finish
