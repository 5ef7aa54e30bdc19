#!/bin/sh
# The README's local fleet recipe (section "Fleets", the fleet-xargs block), run as it
# stands: xargs -P scans the shards listed in `shards` - gzip files whole, a plain file cut
# into byte ranges, mid-call - each into the state of its line number, side by side, and the
# states are merged in that order: the report of one run over the whole archive (its run
# line aside), in every format the recipe writes. A shard that fails stops the merge.
# (The same recipe over SSH with GNU parallel is tests/live/fleet.sh.)
. tests/lib.sh

case $BIN in /*) abs=$BIN ;; *) abs=$(pwd)/$BIN ;; esac
mkdir -p "$T/bin" "$T/log" "$T/c"
ln -s "$abs" "$T/bin/siplogscan"

# the recipe: the lines between the README's markers
python3 - README.md "$T/recipe.sh" <<'EOF'
import sys
text = open(sys.argv[1], encoding="utf-8").read()
block = text.split("<!-- fleet-xargs:begin")[1].split("<!-- fleet-xargs:end -->")[0]
open(sys.argv[2], "w").write(block.split("```")[1].split("\n", 1)[1])
EOF
okc "README: the fleet-xargs block runs xargs -P and siplogscan merge" \
	'grep -q "xargs -P" "$T/recipe.sh" && grep -q "siplogscan merge" "$T/recipe.sh"'

# the archive: a generated log cut at line starts into a rotated set, the older files gzipped
python3 bench/gen.py --format xlog --size 2 "$T/all.log"
python3 - "$T/all.log" "$T/log" <<'EOF'
import sys
src, d = sys.argv[1:]
lines = open(src, 'rb').read().split(b'\n')[:-1]
n = len(lines)
cut = [0, n * 15 // 100, n * 3 // 10, n * 7 // 10, n]
for i, name in enumerate(['kamailio.log.3', 'kamailio.log.2', 'kamailio.log.1', 'kamailio.log']):
    with open('%s/%s' % (d, name), 'wb') as f:
        f.write(b''.join(l + b'\n' for l in lines[cut[i]:cut[i + 1]]))
EOF
gzip "$T/log/kamailio.log.3" "$T/log/kamailio.log.2"
L=$T/log
s=$(wc -c <"$L/kamailio.log.1")
a=$((s / 4)) b=$((s / 2))

# recipe DIR: run it in DIR without stdin; exit status in $rc, stdout and stderr in DIR/out, err
recipe() {
	(cd "$1" && PATH="$T/bin:$PATH" timeout 120 sh "$T/recipe.sh") >"$1/out" 2>"$1/err" </dev/null
	rc=$?
}
cat >"$T/c/shards" <<EOF
$L/kamailio.log.3.gz
$L/kamailio.log.2.gz
--range $L/kamailio.log.1:0-$a $L/kamailio.log.1
--range $L/kamailio.log.1:$a-$b $L/kamailio.log.1
--range $L/kamailio.log.1:$b- $L/kamailio.log.1 $L/kamailio.log
EOF
recipe "$T/c"
okc "the recipe over 5 shards: exit 0 ($rc), nothing on stderr" '[ $rc = 0 ] && [ ! -s "$T/c/err" ]'
[ ! -s "$T/c/err" ] || sed 's/^/#   /' "$T/c/err" | head -10
okc "one state per line, named by its number" \
	'[ "$(cd "$T/c/states" && ls | tr "\n" " ")" = "1.state 2.state 3.state 4.state 5.state " ]'

"$BIN" -q -o "$T/one.txt" -o "$T/one.json" -o "$T/one.html" "$L"/kamailio.log*
# same FORMAT RUN-LINE-PATTERN: the recipe's report is the one run's but for its run line
same() {
	grep -v "$2" "$T/one.$1" >"$T/a.cmp"
	grep -v "$2" "$T/c/fleet.$1" >"$T/b.cmp" 2>/dev/null
	if [ "$1" = html ]; then	# merge gives no ladders of example calls: no messages
		html_without_ladders <"$T/a.cmp" >"$T/a2.cmp" && mv "$T/a2.cmp" "$T/a.cmp"
		[ -s "$T/b.cmp" ] && html_without_ladders <"$T/b.cmp" >"$T/b2.cmp" && mv "$T/b2.cmp" "$T/b.cmp"
	fi
	if [ -s "$T/a.cmp" ] && cmp -s "$T/a.cmp" "$T/b.cmp"; then
		ok "the recipe's $1 report is the one run's over the whole archive" true
	else
		ok "the recipe's $1 report is the one run's over the whole archive" false
		diff "$T/a.cmp" "$T/b.cmp" 2>&1 | head -6 | cut -c1-200 | sed 's/^/#   /'
	fi
}
same json '^  "run": '
same txt '^Scanned '
same html '^<p class="run">'
okc "the merged report lists the 4 files" \
	'[ "$(jq_get "$T/c/fleet.json" "len(r[\"input\"][\"files\"])")" = 4 ]'

# a shard that fails (a file that is not there): xargs exits non-zero, nothing is merged
mkdir -p "$T/f"
printf '%s\n' "$L/kamailio.log.3.gz" "$L/kamailio.log.0" "$L/kamailio.log" >"$T/f/shards"
recipe "$T/f"
okc "a shard naming a missing file: the recipe fails ($rc), says which, merges nothing" \
	'[ $rc != 0 ] && grep -q "kamailio.log.0" "$T/f/err" && [ ! -e "$T/f/fleet.json" ]'

finish
