#!/bin/sh
# One table of figures, one ratio formatter: a ratio of 24,999/25,000 reads the same value in
# the JSON, CSV, text, HTML and Prometheus reports, and never 1 or 100 %; 1/25,000 never 0.
# --fail-on and --baseline take the figures of the table, and --help lists them.
. tests/lib.sh

# 25,000 INVITE calls that get 100 Trying: 24,999 answered, one stuck. SER and ASR are
# 24,999/25,000; the problem stuck-after-100 is 1 of 25,000 calls.
awk 'BEGIN {
	for (i = 1; i <= 25000; i++) {
		printf " 0(1) NOTICE: <script>: siplog: req=INVITE cseq=1 INVITE callid=c%d src=udp:10.0.0.1:5060 auth=no ua=P\n", i
		printf " 0(1) NOTICE: <script>: siplog: rpl=100 cseq=1 INVITE callid=c%d src=udp:10.0.0.9:5060 reason=Trying\n", i
		if (i != 7)
			printf " 0(1) NOTICE: <script>: siplog: rpl=200 cseq=1 INVITE callid=c%d src=udp:10.0.0.2:5060 reason=OK\n", i
	}
}' > "$T/a.log"

run -q -o "$T/a.json" -o "$T/a.csv" -o "$T/a.html" -o "$T/a.prom" -o "$T/a.txt" "$T/a.log"
ok "the reports are written" [ "$rc" -eq 0 ]
okc "JSON: SER and ASR 24,999/25,000 read 99.9960 percent" \
	'[ "$(jq_get "$T/a.json" "r[\"kpi\"][\"ser\"][\"num\"], r[\"kpi\"][\"ser\"][\"den\"]")" = "(24999, 25000)" ] &&
	 grep -q "\"ser\": {\"percent\": 99.9960," "$T/a.json" && grep -q "\"asr\": {\"percent\": 99.9960," "$T/a.json"'
okc "CSV: the same 99.9960" 'grep -q "^\"kpi\",\"ser\",\"percent\",\"99.9960\"" "$T/a.csv"'
okc "text: SER 99.996%, not 100.0%" 'grep -q "SER 99.996%   SEER 99.996%" "$T/a.txt" && ! grep -q "SER 100.0%" "$T/a.txt"'
okc "HTML: the SER tile reads 99.996%" \
	'grep -q "<div class=\"v\">99.996%</div><div class=\"k\">SER</div>" "$T/a.html"'
okc "Prometheus: the ratio 0.99996" 'grep -q "^siplogscan_kpi_ratio{kpi=\"ser\"} 0.99996$" "$T/a.prom"'
okc "the stuck share 1/25,000: JSON 0.00004, CSV 0.00004, text 0.004% (never 0)" \
	'grep -q "\"count\": 1, \"denominator\": 25000, \"share\": 0.00004," "$T/a.json" &&
	 grep -q "^\"problems\",\"stuck-after-100\",\"share\",\"0.00004\"" "$T/a.csv" &&
	 grep -q "1 of 25,000 INVITE calls that received 100 Trying (0.004%)" "$T/a.txt"'

# --fail-on compares the exact value: 99.996 is below 100 and above 99.99
run -q --fail-on 'ser<100' -f json "$T/a.log"
okc "--fail-on ser<100 holds (99.996 is not 100), and says its value" \
	'[ "$rc" -eq 1 ] && grep -qF "'"'ser<100' holds (value 99.996)"'" "$T/err" &&
	 grep -qF "{\"rule\": \"ser<100\", \"value\": 99.9960, \"fired\": true}" "$T/out"'
run -q --fail-on 'ser<99.99,asr<99.99,stuck>1,calls<25000,errors>0,not-retried>0' \
	-o "$T/r.json" "$T/a.log"
ok "--fail-on: figures of the table that do not hold" [ "$rc" -eq 0 ]
okc "the rule values are the table's" \
	'[ "$(jq_get "$T/r.json" "[x[\"value\"] for x in r[\"rules\"]]")" = "[99.996, 99.996, 1.0, 25000.0, 0.0, 0.0]" ]'
run -q --fail-on 'nonsense>1' "$T/a.log"
okc "an unknown name: exit 2, the message lists the table's names" \
	'[ "$rc" -eq 2 ] && grep -q "ser seer isa scr asr ner ira" "$T/err" && grep -q "challenged rejected not-retried" "$T/err"'

# --baseline: the same log against itself, every figure the same; the percentage kept exactly
run -q --baseline "$T/a.json" -f json "$T/a.log"
okc "--baseline: kpi.ser 99.9960 on both sides, the same" \
	'[ "$(jq_get "$T/out" "[(f[\"previous\"], f[\"current\"], f[\"trend\"]) for f in r[\"baseline\"][\"figures\"] if f[\"id\"] == \"kpi.ser\"]")" = "[(99.996, 99.996, '"'same'"')]" ]'
run -q --baseline "$T/a.json" "$T/a.log"
okc "--baseline in text: SER 99.996%, not 100.0%" 'grep -q "SER, session establishment *99.996% *99.996%" "$T/out"'

# --help lists the figures from the table
run --help
okc "--help lists each --fail-on name with its baseline id" \
	'grep -Eq "^  ser +kpi\.ser +SER, session establishment" "$T/out" &&
	 grep -Eq "^  not-retried +- +407 and 401 never retried" "$T/out" &&
	 grep -Eq "^  - +kpi\.srd\.p50 +SRD p50" "$T/out"'
# docs/metrics.md documents every figure --help lists (both come from one table)
missing=
for w in $("$BIN" --help | sed -n '/^Figures/,/^Examples/p' | awk '/^  [a-z-]/ { print $1; print $2 }'); do
	[ "$w" = - ] || grep -qF "\`$w\`" docs/metrics.md || missing="$missing $w"
done
ok "docs/metrics.md documents every figure of --help (missing:$missing)" [ -z "$missing" ]
finish
