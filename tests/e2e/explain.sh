#!/bin/sh
# siplogscan explain: codes, comparisons, patterns, --list, JSON, errors, and the reports'
# pointers to it. tests/unit/test_explain.c covers every pair of codes without the CLI.
. tests/lib.sh

width() { awk '{ if (length > m) m = length } END { print m + 0 }' "$1"; }
is_json() { python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$1"; }
rc_json() { [ "$rc" -eq 0 ] && is_json "$1"; }

# one code
run explain 407
ok "explain 407: exit 0" [ "$rc" -eq 0 ]
ok "explain 407: reason, class, RFC, sender, action" sh -c "grep -q '^407 Proxy Authentication Required$' '$T/out' &&
	grep -q 'client failure (4xx): final' '$T/out' && grep -q 'RFC 3261 section 21.4.8' '$T/out' &&
	grep -q 'a proxy that wants credentials' '$T/out' &&
	grep -q 'Resend the request with Proxy-Authorization and a higher CSeq' '$T/out'"
ok "explain 407: every section" sh -c "for h in Class 'What it means' 'When you see it' 'How to fix it' \
	'Who sends it' 'What the client must do' 'Defined in'; do grep -qx \"\$h\" '$T/out' || exit 1; done"
ok "explain 407: fits 100 columns" [ "$(width "$T/out")" -le 100 ]
ok "explain 407: no colour when stdout is not a terminal" sh -c "! grep -q \"$(printf '\033')\" '$T/out'"
run explain --color always 407
ok "explain --color always: bold headings" grep -q "$(printf '\033')\[1mClass" "$T/out"
NO_COLOR=1 "$BIN" explain --color=never 407 >"$T/out" 2>&1
ok "explain --color=never: no escape" sh -c "! grep -q \"$(printf '\033')\" '$T/out'"
if command -v script >/dev/null 2>&1 && script -qc true /dev/null >/dev/null 2>&1; then
	# util-linux script(1) gives the command a terminal
	script -qc "$BIN explain 407" /dev/null >"$T/tty" 2>&1
	ok "explain on a terminal: bold headings" grep -q "$(printf '\033')\[1m407 Proxy" "$T/tty"
	NO_COLOR=1 script -qc "$BIN explain 407" /dev/null >"$T/tty" 2>&1
	ok "explain on a terminal with NO_COLOR: no colour" sh -c "grep -q '^407 Proxy' '$T/tty' && ! grep -q \"$(printf '\033')\" '$T/tty'"
fi

# every registered code, taken from --list
run explain --list
ok "explain --list: exit 0" [ "$rc" -eq 0 ]
ok "explain --list: fits 100 columns" [ "$(width "$T/out")" -le 100 ]
grep -E '^  [1-6][0-9][0-9]  ' "$T/out" >"$T/list"
ok "explain --list: at least 75 codes" [ "$(wc -l <"$T/list")" -ge 75 ]
bad=""
while read -r code rest; do
	class=$(echo "$rest" | grep -oE '(provisional|success|redirection|client failure|server failure|global failure)$')
	reason=$(echo "$rest" | sed -E 's/ +(provisional|success|redirection|client failure|server failure|global failure)$//')
	"$BIN" explain "$code" >"$T/one" 2>&1 || { bad="$bad $code(rc)"; continue; }
	grep -qxF "$code $reason" "$T/one" || bad="$bad $code(reason)"
	grep -qF "$class (${code%??}xx)" "$T/one" || bad="$bad $code(class)"
	grep -qE '^  RFC [0-9]+' "$T/one" || bad="$bad $code(rfc)"
	[ "$(width "$T/one")" -le 100 ] || bad="$bad $code(width)"
done <"$T/list"
ok "explain N: reason, class, RFC within 100 columns for every listed code (bad:$bad)" [ -z "$bad" ]
for id in $(grep -o '\.id = "[a-z0-9-]*"' src/knowledge.c | cut -d'"' -f2); do
	ok "explain --list names $id" grep -q "^  $id " "$T/out"
done

# unregistered
run explain 499
ok "explain 499: exit 0, not registered, x00 of its class" sh -c "[ $rc -eq 0 ] &&
	grep -q '^499 (not registered)' '$T/out' && grep -q 'not in the IANA registry' '$T/out' &&
	grep -q 'x00 of its class' '$T/out' && grep -q '400 Bad Request' '$T/out' &&
	grep -q 'client failure (4xx)' '$T/out'"

# comparison
run explain 100 407
ok "explain 100 407: exit 0" [ "$rc" -eq 0 ]
ok "explain 100 407: fits 100 columns" [ "$(width "$T/out")" -le 100 ]
tr '\n' ' ' <"$T/out" | tr -s ' ' >"$T/flat"
ok "100 is provisional while 407 is final" sh -c "grep -q '100 is provisional (1xx): more responses follow; 407 is final' '$T/flat' &&
	grep -q 'it ends the transaction' '$T/flat'"
ok "100 needs no action, 407 a resend with Proxy-Authorization" sh -c "grep -q 'After 100 the client has nothing to send' '$T/flat' &&
	grep -q 'after 407 the client must resend the request with Proxy-Authorization and a higher CSeq' '$T/flat' &&
	grep -q '100 needs no action' '$T/flat'"
ok "explain 100 407: both values per field" sh -c "grep -q '^  100  RFC 3261 section 21.1.1' '$T/out' && grep -q '^  407  RFC 3261 section 21.4.8' '$T/out'"
for pair in "407 407" "499 498" "100 699" "183 180" "604 200" "100 407 499"; do
	# shellcheck disable=SC2086
	run explain $pair
	ok "explain $pair: exit 0, differences, 100 columns" sh -c "[ $rc -eq 0 ] && grep -q '^Key differences' '$T/out' && [ $(width "$T/out") -le 100 ]"
done

# patterns
for id in $(grep -o '\.id = "[a-z0-9-]*"' src/knowledge.c | cut -d'"' -f2); do
	run explain "$id"
	ok "explain $id: title, severity, rule, share, causes, fix" sh -c "[ $rc -eq 0 ] && grep -q '^$id: ' '$T/out' &&
		grep -q '^  severity: ' '$T/out' && grep -qx 'Detection rule' '$T/out' && grep -qx 'Share relative to' '$T/out' &&
		grep -qx 'What usually causes it' '$T/out' && grep -qx 'Recommended fix' '$T/out' && [ $(width "$T/out") -le 100 ]"
done
run explain 407 stuck-after-100
ok "explain 407 stuck-after-100: a code and a pattern" sh -c "[ $rc -eq 0 ] && grep -q '^407 Proxy' '$T/out' && grep -q '^stuck-after-100: ' '$T/out'"

# JSON for each mode
for args in "407" "499" "100 407" "100 407 499" "stuck-after-100" "--list" "407 auth-scanner"; do
	# shellcheck disable=SC2086
	run explain --format json $args
	ok "explain --format json $args: exit 0, valid JSON" rc_json "$T/out"
	ok "explain --format json $args: schema" [ "$(jq_get "$T/out" 'r["schema"]')" = "siplogscan.explain/1" ]
done
run explain -f json 100 407
ok "-f json 100 407: codes and differences" [ "$(jq_get "$T/out" '[c["code"] for c in r["codes"]] == [100, 407] and r["codes"][1]["action"] == "auth-proxy" and r["codes"][0]["final"] is False and any("407 is final" in d for d in r["differences"]) and r["comparisons"][0]["codes"] == [100, 407]')" = True ]
run explain -fjson --list
ok "-fjson --list: every code and pattern" [ "$(jq_get "$T/out" 'len(r["codes"]) >= 75 and len(r["patterns"]) == 14 and r["differences"] == []')" = True ]
run explain --format=json 499
ok "--format=json 499: unregistered, handled as 400" [ "$(jq_get "$T/out" 'r["codes"][0]["registered"] is False and r["codes"][0]["handled_as"] == 400 and "x00" in r["codes"][0]["note"]')" = True ]
run explain --color always -f json 407
ok "JSON is never coloured" sh -c "! grep -q \"$(printf '\033')\" '$T/out'"

# errors: exit 2, a clear message on stderr, nothing on stdout
err_case() { # err_case DESCRIPTION PATTERN ARGS...
	_desc=$1
	_pat=$2
	shift 2
	run explain "$@"
	ok "$_desc: exit 2, says why, nothing on stdout" sh -c "[ $rc -eq 2 ] && grep -q -- \"$_pat\" '$T/err' && [ ! -s '$T/out' ]"
}
err_case "explain 99" "'99' is not a SIP response code: expected 100..699" 99
err_case "explain 700" "expected 100..699" 700
err_case "explain 0407" "expected 100..699" 0407
err_case "explain -5" "expected 100..699" -5
err_case "explain 99999999999999999999" "expected 100..699" 99999999999999999999
err_case "explain abc" "unknown word 'abc'" abc
err_case "explain stuk-after-100" "did you mean 'stuck-after-100'" stuk-after-100
err_case "explain scanner" "did you mean 'auth-scanner'" scanner
err_case "explain ''" "unknown word ''" ""
err_case "explain (nothing)" "name a response code"
err_case "explain --format xml 407" "expected text or json" --format xml 407
err_case "explain --color sometimes 407" "expected auto, always or never" --color sometimes 407
err_case "explain --bogus" "unknown option '--bogus'" --bogus
err_case "explain --list 407" "--list takes no code" --list 407
run explain nonsense
ok "unknown word: lists what is accepted" sh -c "grep -q 'accepted: a response code 100..699' '$T/err' && grep -q 'stuck-after-100' '$T/err' && grep -q 'auth-scanner' '$T/err'"
run explain "$(printf 'x\033[31mred\033[0m')"
ok "control characters in an argument are escaped in the message" sh -c "[ $rc -eq 2 ] && grep -q 'x\\\\e\\[31mred' '$T/err' && ! grep -q \"$(printf '\033')\" '$T/err'"
big=$(head -c 100000 /dev/zero | tr '\0' 'a')
run explain "$big"
ok "a 100 kB argument: exit 2, no crash" [ "$rc" -eq 2 ]
run explain --help
ok "explain --help: exit 0, usage" sh -c "[ $rc -eq 0 ] && grep -q '^usage: siplogscan explain' '$T/out' && [ $(width "$T/out") -le 100 ]"

# documentation and the reports point at it
run --help
ok "--help mentions explain" grep -q "siplogscan explain" "$T/out"
ok "man page has an EXPLAIN section" grep -q '^\.SH EXPLAIN' siplogscan.1
ok "README has the explain section" grep -q '^## Explain a code or a problem' README.md
ok "docs/explain-json.md documents the schema" grep -q 'siplogscan.explain/1' docs/explain-json.md
kline 01 req INVITE 1 INVITE s1 >"$T/stuck.log"
kline 01 rpl 100 1 INVITE s1 >>"$T/stuck.log"
run -q --color never "$T/stuck.log"
ok "text report: More: siplogscan explain <id> under each problem" grep -q '^     More: siplogscan explain stuck-after-100$' "$T/out"
run -q -f json "$T/stuck.log"
ok "JSON report: problems[].explain" [ "$(jq_get "$T/out" '[p["explain"] for p in r["problems"]]')" = "['siplogscan explain stuck-after-100']" ]
finish
