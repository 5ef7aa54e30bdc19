#!/bin/sh
# bench_smoke: bench/run.sh and bench/scale.sh run end to end on tiny inputs (one round; the
# figures mean nothing) and print what they must: every group with its same-report check,
# every target line of issue 13, the machine's load. A real measurement is `make bench`.
. tests/lib.sh
D="$T/data"
floor=
[ -x "${BUILD:-build}/inflate_floor" ] && floor=${BUILD:-build}/inflate_floor
SIPLOGSCAN=$BIN FLOOR=${floor:-/nonexistent} sh bench/run.sh --quick --size 2 --other-size 1 \
	--runs 1 --data "$D" > "$T/run.out" 2> "$T/run.err"
rc=$?
ok "bench/run.sh --quick exits 0 (rc $rc)" [ "$rc" -eq 0 ]
[ "$rc" -eq 0 ] || sed 's/^/#   /' "$T/run.err" | tail -5
layouts=$(python3 bench/gen.py --list | wc -l)
groups=$((layouts + 3))	# every layout plain, the two gzip files, the rotated set
n=$(grep -c '^== .*records$' "$T/run.out")
ok "a group for every layout and gzip input ($n of $groups)" [ "$n" -eq "$groups" ]
n=$(grep -c '^  same report as -j1: yes' "$T/run.out")
ok "every group's reports equal its -j1 report ($n of $groups)" [ "$n" -eq "$groups" ]
n=$(grep -c '^per core (-j1, taskset -c 0), .* \(PASS\|MISS\)$' "$T/run.out")
ok "a per-core target line for every layout ($n of $layouts)" [ "$n" -eq "$layouts" ]
for t in "two cores / one core, sipdump" "two cores / one core, xlog" \
	"two cores / rg -c, sipdump" "two cores / rg -c, xlog" \
	"gzip, two cores / ISA-L inflate floor, sipdump" "gzip, two cores / ISA-L inflate floor, xlog" \
	"several gzip files: gain 1->2 cores / inflate's gain" "sixteen cores / one core, xlog"; do
	ok "target line: $t" grep -q "^$t.* \(PASS\|MISS\|n/a (.*)\)$" "$T/run.out"
done
ok "the load average is shown before and after" \
	sh -c "grep -q '^load average before: ' '$T/run.out' && grep -q '^load average after: ' '$T/run.out'"
ok "no ERROR line" sh -c "! grep -q '^ERROR' '$T/run.out'"
ok "every record written was read" sh -c "! grep -q 'WARNING: .* records' '$T/run.out'"
# a second run reuses the inputs (no generating line)
SIPLOGSCAN=$BIN sh bench/run.sh --quick --size 2 --other-size 1 --runs 1 --data "$D" \
	--layouts acc > "$T/run2.out" 2> "$T/run2.err"
ok "a second run reuses the generated inputs" sh -c "! grep -q '^generating' '$T/run2.err'"
# a report that differs between runs is an error: a binary whose -j2 reports count more records
case $BIN in /*) real=$BIN ;; *) real=$PWD/$BIN ;; esac
cat > "$T/liar" <<EOS
#!/bin/sh
"$real" "\$@" || exit \$?
out=; j=; prev=
for a in "\$@"; do
	[ "\$prev" = -o ] && out=\$a
	[ "\$a" = -j2 ] && j=2
	prev=\$a
done
[ "\$j" = 2 ] && sed -i 's/"records": \([0-9]\)/"records": 9\1/' "\$out"
exit 0
EOS
chmod +x "$T/liar"
SIPLOGSCAN=$T/liar sh bench/run.sh --quick --size 2 --other-size 1 --runs 1 --data "$D" \
	--layouts acc > "$T/run3.out" 2> "$T/run3.err"
rc=$?
okc "a report that differs between -j1 and -j2 is an error (rc $rc)" \
	'[ "$rc" -eq 1 ] && grep -q "^ERROR: .*differs from the -j1 report" "$T/run3.out"'
# a command that fails stops the benchmark
printf '#!/bin/sh\nexit 3\n' > "$T/fails"
chmod +x "$T/fails"
SIPLOGSCAN=$T/fails sh bench/run.sh --quick --size 2 --other-size 1 --runs 1 --data "$D" \
	--layouts acc > "$T/run4.out" 2> "$T/run4.err"
rc=$?
okc "a failing siplogscan run is an error that names the command (rc $rc)" \
	'[ "$rc" -eq 2 ] && grep -q "failed (exit 3)" "$T/run4.err"'
SIPLOGSCAN=$BIN sh bench/scale.sh --quick --size 2 --runs 1 --threads "1 2" --data "$D" \
	> "$T/scale.out" 2> "$T/scale.err"
rc=$?
ok "bench/scale.sh --quick exits 0 (rc $rc)" [ "$rc" -eq 0 ]
n=$(grep -c '^-j [12] .* yes$' "$T/scale.out")
ok "scale: -j1 and -j2 on three inputs, each with the -j1 report ($n of 6)" [ "$n" -eq 6 ]
finish
