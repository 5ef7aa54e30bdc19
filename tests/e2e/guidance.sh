#!/bin/sh
# Guidance when nothing is readable: an input with no SIP record is named as the log of the
# SIP server whose own line prefixes most of its lines carry, with what to switch on in that
# server, on stderr and in the report's note; a run with nothing else exits 2. The samples are
# in samples/no-sip/ (see samples/no-sip/README.md).
. tests/lib.sh
S=samples/no-sip
note_of() { jq_get "$1" 'r["input"]["files"][0]["note"]'; }
status_of() { jq_get "$1" 'r["input"]["files"][0]["status"]'; }

# guided FILE PRODUCT WORDS...: exit 2, stderr and the JSON note name the product and say each
# of WORDS (fixed strings), and nothing of the other products' advice
guided() {
	f=$1 want=$2
	shift 2
	run -f json "$f"
	okc "$(basename "$f"): exit 2, unrecognised" '[ "$rc" -eq 2 ] && [ "$(status_of "$T/out")" = unrecognised ]'
	note_of "$T/out" > "$T/note"
	for where in "$T/err" "$T/note"; do
		okc "... $(basename "$where"): it looks like a log of $want" \
			'grep -q "it looks like a log of $want (" "$where"'
		for w in "$@"; do
			okc "... $(basename "$where"): says '$w'" 'grep -qF -- "$w" "$where"'
		done
		for other in Kamailio OpenSIPS Asterisk FreeSWITCH; do
			[ "$other" = "$want" ] && continue
			okc "... $(basename "$where"): no advice for $other" \
				'! grep -q "$other logs no SIP" "$where"'
		done
	done
}

# Kamailio 5.6.3 as Debian 12 runs it with its stock kamailio.cfg, captured (stderr and syslog)
guided $S/kamailio-stock-stderr.log Kamailio 'sipdump' 'samples/kamailio-xlog.cfg' 'acc' \
	'Make your proxy log SIP'
guided $S/kamailio-stock-syslog.log Kamailio 'modparam("sipdump", "enable", 1)'
guided $S/opensips-syslog.log OpenSIPS 'samples/kamailio-xlog.cfg' 'siptrace' 'proto_hep'
guided $S/asterisk-full.log Asterisk 'pjsip set logger on' 'sip set debug on' \
	'full => notice,warning,error,verbose,debug' 'logger reload'
guided $S/freeswitch.log FreeSWITCH 'sofia global siptrace on' 'sip-trace'
# crafted Kamailio, OpenSIPS and Asterisk lines (and Kamailio's prefix inside a message) in a
# FreeSWITCH log: what most lines say decides
guided $S/hostile-mixed.log FreeSWITCH 'sofia global siptrace on'

# a log of no SIP server: what was tried and how to describe another layout; no product named
run -f json $S/unknown-app.log
note_of "$T/out" > "$T/note"
for where in "$T/err" "$T/note"; do
	okc "unknown-app.log: $(basename "$where") names the formats tried and --log-format, no product" \
		'grep -q "tried the formats sip, kamailio, acc, asterisk-security and asterisk-auth" "$where" && grep -q "not those of Kamailio, OpenSIPS, Asterisk or FreeSWITCH" "$where" && grep -q -- "--log-format PROFILE" "$where" && ! grep -q "looks like" "$where"'
done
okc "... exit 2, no SIP record in any input" '[ "$rc" -eq 2 ] && grep -q "no SIP record in any input" "$T/err"'

# an unknown log with crafted Kamailio lines: a minority names nothing
{ cat $S/unknown-app.log; head -12 $S/kamailio-stock-syslog.log; } > "$T/crafted.log"
run -q -f json "$T/crafted.log"
okc "60 application lines + 12 Kamailio lines: no product named (12 of 72 are not most)" \
	'[ "$rc" -eq 2 ] && ! grep -q "looks like" "$T/err" && grep -q "not those of Kamailio" "$T/err"'
# ... and half is not more than half
{ head -10 $S/kamailio-stock-syslog.log; head -10 $S/opensips-syslog.log; } > "$T/half.log"
run -q -f json "$T/half.log"
okc "10 Kamailio + 10 OpenSIPS lines: a tie names nothing" '[ "$rc" -eq 2 ] && ! grep -q "looks like" "$T/err"'
{ head -11 $S/kamailio-stock-syslog.log; head -10 $S/opensips-syslog.log; } > "$T/more.log"
run -q -f json "$T/more.log"
okc "11 Kamailio + 10 OpenSIPS lines: Kamailio (11 of 21)" \
	'[ "$rc" -eq 2 ] && grep -q "looks like a log of Kamailio (11 of 21 sampled lines)" "$T/err"'
# Kamailio's prefix after another program's tag (a log_name of the operator's own)
sed 's/kamailio\[/sipproxy[/; s/kamailio:/sipproxy:/' $S/kamailio-stock-syslog.log > "$T/logname.log"
run -q -f json "$T/logname.log"
okc "Kamailio under another syslog tag: still Kamailio, by its own level layout" \
	'[ "$rc" -eq 2 ] && grep -q "looks like a log of Kamailio" "$T/err"'
# the same words deep in a message are not a prefix
sed 's/^/2026-11-24 13:00:01,000 INFO  web.request: GET \/?q=/' $S/kamailio-stock-syslog.log > "$T/inside.log"
run -q -f json "$T/inside.log"
okc "Kamailio lines quoted inside another program's messages: no product named" \
	'[ "$rc" -eq 2 ] && ! grep -q "looks like" "$T/err"'

# a format given: the product is said too
run -q -f json --log-format kamailio $S/kamailio-stock-stderr.log
okc "--log-format kamailio on Kamailio's own log: the format given, and Kamailio's advice" \
	'[ "$rc" -eq 2 ] && grep -q "with --log-format kamailio" "$T/err" && grep -q "looks like a log of Kamailio" "$T/err"'

# beside a readable input: exit 0, the unreadable one still marked and guided
run -q -f json $S/asterisk-full.log samples/other/asterisk-pjsip.log
okc "with a readable input: exit 0, the Asterisk full log marked unrecognised and guided" \
	'[ "$rc" -eq 0 ] && [ "$(status_of "$T/out")" = unrecognised ] && grep -q "pjsip set logger on" "$T/err"'

# every format that shows notes shows the guidance; the JSON report stays valid
for fmt in text csv html; do
	run -f $fmt $S/freeswitch.log
	okc "-f $fmt: the note holds the guidance" '[ "$rc" -eq 2 ] && grep -q "sofia global siptrace on" "$T/out"'
done
# the text report cuts a note at 800 bytes: each product's guidance fits whole
for f in kamailio-stock-syslog opensips-syslog asterisk-full freeswitch; do
	run -q -f text $S/$f.log
	okc "-f text, $f: the whole note, to its last words" \
		'tr -s " \n" " " < "$T/out" | grep -q "(README.md: Make your proxy log SIP)"'
done
run -f json -o "$T/r.json" $S/opensips-syslog.log
ok "... and the JSON report is valid by the schema" python3 tests/schema_check.py docs/report.schema.json "$T/r.json"

finish
