#!/bin/sh
# The text report is never wider than its width (--width, the terminal's, $COLUMNS, else 80):
# every sample set and every tests/cases log at 60, 80, 100, 132 and 200 columns, and a
# hostile log (long wide-character User-Agents and destinations, bidi controls, escapes,
# Call-IDs and a path longer than any width), counted in display columns
# (tests/width_check.py: East Asian wide characters take two).
. tests/lib.sh
PY=python3
widths="60 80 100 132 200"

# every sample set as one run (the MANIFEST's file lists are globs), then every case; the
# reports are checked together, one checker run per width
mkdir "$T/w"
n=0
while read -r name expected files; do
	case "$name" in ''|'#'*) continue ;; esac
	for w in $widths; do
		# shellcheck disable=SC2086
		$BIN -q -j 1 --color never --width $w $files >"$T/w/$w.s.$name.txt" 2>/dev/null
		n=$((n + 1))
	done
done < samples/MANIFEST
for f in tests/cases/*.log; do
	args=""
	[ -f "${f%.log}.args" ] && args=$(cat "${f%.log}.args")
	for w in 60 80 100 132; do
		# shellcheck disable=SC2086
		$BIN -q -j 1 --color never --width $w $args "$f" >"$T/w/$w.c.$(basename "$f").txt" 2>/dev/null
		n=$((n + 1))
	done
done
bad=""
for w in $widths; do
	$PY tests/width_check.py "$w" "$T/w/$w".*.txt >"$T/why" || { bad="$bad $w"; head -5 "$T/why"; }
done
ok "every sample set at $widths columns and every case at 60..132: no line wider ($n reports;$bad)" [ -z "$bad" ] && [ "$n" -gt 300 ]

# a hostile log: wide characters, bidi controls and escapes in every key a table shows
long="$T/$(printf 'd%.0s' $(seq 1 150))"
mkdir -p "$long"
$PY - "$long/hostile.log" <<'PYEOF'
import sys
out = []
t = 1764000000
for i in range(400):
    ua = "\u7535\u8bdd\u673a-\u202e%d-\x1b[31m" % (i % 13) + "\u5f88\u957f" * (i % 40)
    cid = "c%d-" % i + "x" * (i % 7 * 60)
    to = "sip:%s\u00e9%d@\u4f8b\u5b50.example.net" % ("9" * (i % 50), i % 11)
    src = "192.0.2.%d" % (i % 17)
    out.append("====================\ntag: rcv\ntime: %d.0\nsrcip: %s\n~~~~~~~~~~~~~~~~~~~~\n"
               "INVITE %s SIP/2.0\nCall-ID: %s\nCSeq: 1 INVITE\nUser-Agent: %s\n\n"
               "||||||||||||||||||||\n" % (t + i * 90, src, to, cid, ua))
    code = (407, 486, 503, 200, 404, 408)[i % 6]
    out.append("====================\ntag: rcv\ntime: %d.5\nsrcip: 192.0.2.1\n~~~~~~~~~~~~~~~~~~~~\n"
               "SIP/2.0 %d X\nCall-ID: %s\nCSeq: 1 INVITE\n\n||||||||||||||||||||\n"
               % (t + i * 90, code, cid))
open(sys.argv[1], "w", encoding="utf-8").write("".join(out))
PYEOF
bad=""
for w in $widths 61 79; do
	$BIN -q --color never --width $w "$long/hostile.log" >"$T/h.txt" 2>/dev/null
	$PY tests/width_check.py "$w" "$T/h.txt" >"$T/why" || { bad="$bad $w"; sed 's/^/#   /' "$T/why" | head -5; }
done
okc "a hostile log (wide characters, escapes, long keys and path) at every width:$bad" '[ -z "$bad" ]'
okc "its tables keep whole: shortened keys end in ..." 'grep -q "\.\.\. " "$T/h.txt" && grep -q "^Top User-Agents" "$T/h.txt"'
okc "and the colour codes take no column (--color always at 60)" '
	$BIN -q --color always --width 60 "$long/hostile.log" >"$T/hc.txt" 2>/dev/null &&
	sed "s/$(printf "\033")\[[0-9;]*m//g" "$T/hc.txt" >"$T/hc-plain.txt" &&
	$PY tests/width_check.py 60 "$T/hc-plain.txt" && grep -q "$(printf "\033")" "$T/hc.txt"'

# which width: --width, else $COLUMNS (stdout only), else 80; within 60..200
f=tests/cases/breakdowns.log
maxw() { $PY -c 'import sys; print(max(len(l.rstrip("\n")) for l in open(sys.argv[1], encoding="utf-8")))' "$1"; }
$BIN -q --color never "$long/hostile.log" >"$T/d.txt" 2>/dev/null
okc "default for a pipe or a file: 80 columns, filled" '[ "$(maxw "$T/d.txt")" -le 80 ] && [ "$(maxw "$T/d.txt")" -ge 75 ]'
COLUMNS=132 $BIN -q --color never "$long/hostile.log" >"$T/c.txt" 2>/dev/null
okc "COLUMNS=132 widens stdout" '[ "$(maxw "$T/c.txt")" -le 132 ] && [ "$(maxw "$T/c.txt")" -gt 100 ]'
COLUMNS=132 $BIN -q --color never --width 70 "$long/hostile.log" >"$T/c.txt" 2>/dev/null
okc "--width wins over COLUMNS" '[ "$(maxw "$T/c.txt")" -le 70 ] && [ "$(maxw "$T/c.txt")" -gt 62 ]'
COLUMNS=132 $BIN -q --color never -o "$T/file.txt" "$long/hostile.log" 2>/dev/null
okc "a file named by -o is not the terminal: 80, whatever COLUMNS says" '[ "$(maxw "$T/file.txt")" -le 80 ]'
COLUMNS=abc $BIN -q --color never "$f" >"$T/c.txt" 2>/dev/null; rc=$?
okc "a COLUMNS that is not a number is ignored" '[ "$rc" -eq 0 ] && [ "$(maxw "$T/c.txt")" -le 80 ]'
$BIN -q --color never --width 20 "$long/hostile.log" >"$T/n.txt" 2>/dev/null
okc "--width 20 is taken as 60, the narrowest layout" '[ "$(maxw "$T/n.txt")" -le 60 ] && [ "$(maxw "$T/n.txt")" -gt 55 ]'
$BIN -q --color never --width 5000 "$long/hostile.log" >"$T/n.txt" 2>/dev/null
okc "--width 5000 is taken as 200" '[ "$(maxw "$T/n.txt")" -le 200 ]'
run --width 0 "$f"
okc "--width 0: usage error" '[ "$rc" -eq 2 ] && grep -q -- "--width: expected columns" "$T/err"'
run --width 80x "$f"
okc "--width 80x: usage error" '[ "$rc" -eq 2 ]'
if command -v script >/dev/null 2>&1 && command -v stty >/dev/null 2>&1; then
	# a pseudo-terminal of 90 columns: its width is used, COLUMNS aside
	script -qec "stty cols 90 rows 40; COLUMNS=200 $BIN -q --color never $long/hostile.log" /dev/null \
		>"$T/tty.txt" 2>/dev/null
	tr -d '\r' <"$T/tty.txt" >"$T/tty2.txt"
	okc "on a terminal: the terminal's width (90), not COLUMNS" '[ "$(maxw "$T/tty2.txt")" -le 90 ] && [ "$(maxw "$T/tty2.txt")" -gt 80 ]'
else
	ok "on a terminal: script(1) or stty missing, checked by hand only" false
fi
finish
