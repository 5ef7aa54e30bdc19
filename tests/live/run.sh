#!/bin/sh
# tests/live/run.sh - the live test ('make check-live'): a real Kamailio 5.6 and real SIPp
# user agents on loopback (tests/live/harness.sh), siplogscan on every form of Kamailio's
# log, compared with totals computed from the packet capture by tests/live/oracle.py.
# Prints TAP lines and ends with "N passed, N failed"; exit status 1 on any failure.
#
# Needs root and the Debian 12 packages kamailio, sip-tester, tshark, rsyslog, systemd
# (journald, journalctl), clickhouse-server, clickhouse-client, parallel, openssh-server,
# openssh-client, rsync, gcc, python3 (see tests/live/README.md). A missing one is a
# failure that names the package. Environment:
#   SIPLOGSCAN      the binary under test (default ./siplogscan)
#   BUILD           where 'make test-programs' put test_scan_diff (default build)
#   LIVE_TABLE      write the oracle-vs-siplogscan table (Markdown) to this file
#   KEEP_WORK=1     keep the temporary directory (logs, capture, reports)
set -u
cd "$(dirname "$0")/../.." || exit 2
ROOT=$(pwd)
BIN=${SIPLOGSCAN:-./siplogscan}
case "$BIN" in /*) ;; *) BIN="$ROOT/$BIN" ;; esac
TMP=$(mktemp -d "${TMPDIR:-/tmp}/siplogscan-live.XXXXXX")
if [ -n "${KEEP_WORK:-}" ]; then
	trap 'echo "# kept: $TMP"' EXIT
else
	trap 'rm -rf "$TMP"' EXIT
fi
trap 'exit 130' INT TERM
K=$TMP/run	# the run's logs (harness.sh OUTDIR)
E=$TMP/expected
R=$TMP/reports
mkdir -p "$E" "$R"
started=$(date +%s)

main() {
	n=0
	ok() { n=$((n + 1)); echo "ok $n - $*"; }
	notok() { n=$((n + 1)); echo "not ok $n - $*"; }

	if [ -x "$BIN" ]; then ok "siplogscan binary $BIN"; else notok "no binary $BIN (run make)"; return; fi

	# the operator-layout config is the shipped snippet plus marked lines, nothing else
	if grep -v 'operator-layout' tests/live/kamailio-xlog-custom.cfg | cmp -s - samples/kamailio-xlog.cfg
	then ok "kamailio-xlog-custom.cfg = samples/kamailio-xlog.cfg + operator-layout lines"
	else notok "kamailio-xlog-custom.cfg differs from samples/kamailio-xlog.cfg beyond its operator-layout lines"
	fi

	# one live run (about 20 s)
	if CUSTOM_XLOG=1 JOURNAL=1 sh tests/live/harness.sh "$K" >"$TMP/harness.log" 2>&1; then
		ok "live run: Kamailio $(kamailio -v 2>/dev/null | sed -n 's/^version: kamailio \([^ ]*\).*/\1/p'), SIPp, rsyslog, journald, dumpcap"
	else
		notok "live run failed (tests/live/harness.sh)"
		sed 's/^/#   /' "$TMP/harness.log" | tail -20
		return
	fi

	# the rotated set (kamailio.log.2.gz, .1, kamailio.log) and a two-member gzip
	mkdir -p "$K/syslog-bsd"
	if python3 tests/live/split-logs.py "$K/kamailio-bsd.log" "$K/syslog-bsd" \
		"$K/kamailio-rfc3339.log" 2>"$TMP/split.log"
	then ok "rotated set: $(sed 's/^split-logs: //' "$TMP/split.log")"
	else notok "split-logs.py failed"; sed 's/^/#   /' "$TMP/split.log"; return
	fi

	# harness self-check: each log form records exactly the capture's view of the traffic
	if python3 tests/live/crosscheck.py "$K" >"$TMP/crosscheck.log" 2>&1
	then ok "harness crosscheck: every log form holds exactly the capture's messages"
	else notok "harness crosscheck"
	fi
	sed 's/^/#   /' "$TMP/crosscheck.log"

	# expected totals from the capture, not from siplogscan. Every count must be equal, and
	# so must the telephony KPIs' counts (attempts, no_final, each ratio's num and den; its
	# percent to 4 decimals; docs/metrics.md). The delays (100 -> final, and the KPI delays
	# SRD, RRD, session duration, ACD) are checked twice: against the capture, within the
	# time between a packet and its log stamp (rsyslog and journald stamp a line when they
	# receive it, Kamailio's sipdump when it handles the packet: within 1 ms on an idle
	# machine, 5 ms allowed) plus the stamp's precision (1 s for BSD syslog and journalctl -o
	# short-iso); and against the delays computed from the log's own stamps by
	# tests/live/logtimes.py, to 0.001 ms
	O="python3 tests/live/oracle.py --pcap $K/capture.pcap --source-name capture.pcap"
	if $O --view all --delay-tolerance-ms 5 >"$E/all-us.json" &&
		$O --view kamailio-xlog --delay-tolerance-ms 5 >"$E/xlog-us.json" &&
		$O --view kamailio-xlog --delay-tolerance-ms 1005 >"$E/xlog-s.json" &&
		$O --view kamailio-xlog --no-times >"$E/xlog-none.json"
	then ok "oracle totals from the capture (tshark)"
	else notok "oracle.py failed"; return
	fi

	P=samples/profiles/kamailio-calltrace.profile
	# NAME EXPECTED FORMAT STAMPS ARGS...: FORMAT = the format the report must name; STAMPS =
	# how logtimes.py reads the files (siplog, calltrace, sipdump; - without times)
	FORMS=""
	form() {
		name=$1 exp=$2 want=$3 stamps=$4
		shift 4
		FORMS="$FORMS $name=$R/$name.json:$E/$exp"
		"$BIN" -q -f json "$@" >"$R/$name.json" 2>"$R/$name.err"
		rc=$?
		if [ $rc -ne 0 ]; then
			notok "live $name: siplogscan exit status $rc"
			sed 's/^/#   /' "$R/$name.err"
			return
		fi
		python3 tests/jcheck.py "$R/$name.json" "$E/$exp" "live $name" | sed "s/^ok [0-9]*/ok/; s/^not ok [0-9]*/not ok/"
		got=$(python3 -c 'import json,sys; print(" ".join(sorted({f["format"] for f in json.load(open(sys.argv[1]))["input"]["files"]})))' "$R/$name.json")
		if [ "$got" = "$want" ]; then ok "live $name: format $got"
		else notok "live $name: format '$got', expected '$want'"
		fi
		[ "$stamps" != - ] || return 0
		[ "$1" != -l ] || shift 2
		python3 tests/live/logtimes.py "$stamps" "$@" >"$E/$name-logtimes.json" &&
		python3 tests/jcheck.py "$R/$name.json" "$E/$name-logtimes.json" "live $name (log's own stamps)" |
			grep -A1 '_ms' | grep -E '^(ok|not ok) .*_ms|^#' |
			sed "s/^ok [0-9]*/ok/; s/^not ok [0-9]*/not ok/"
	}
	B=$K/syslog-bsd
	form sipdump            all-us.json    sip      sipdump "$K"/sipdump/*.data
	form syslog-rfc3339     xlog-us.json   kamailio siplog  "$K/kamailio-rfc3339.log"
	form syslog-rfc3339-gz  xlog-us.json   kamailio siplog  "$K/kamailio-rfc3339.log.gz"
	form syslog-bsd-rotated xlog-s.json    kamailio siplog  "$B/kamailio.log.2.gz" "$B/kamailio.log.1" "$B/kamailio.log"
	form stderr             xlog-none.json kamailio -       "$K/kamailio-stderr.log"
	form journal-short-iso  xlog-s.json    kamailio siplog  "$K/journal-short-iso.log"
	form journal-short-iso-precise xlog-us.json kamailio siplog "$K/journal-short-iso-precise.log"
	form profile-rfc3339    xlog-us.json   kamailio-calltrace calltrace -l "$P" "$K/kamailio-rfc3339.log"
	form profile-bsd-rotated xlog-s.json   kamailio-calltrace calltrace -l "$P" "$B/kamailio.log.2.gz" "$B/kamailio.log.1" "$B/kamailio.log"
	form profile-stderr     xlog-none.json kamailio-calltrace - -l "$P" "$K/kamailio-stderr.log"
	form profile-journal    xlog-us.json   kamailio-calltrace calltrace -l "$P" "$K/journal-short-iso-precise.log"
	# the same operator-layout lines with no profile (--log-format auto infers the layout): the
	# logs without the siplog lines, as an operator who does not use the snippet has them; the
	# acc records that logtee.so copies into the stderr and journal forms stay (the layout
	# reads more records than the acc format: it wins, and the acc records are not read)
	I=$TMP/inferred
	mkdir -p "$I"
	for f in kamailio-rfc3339.log kamailio-stderr.log journal-short-iso-precise.log; do
		grep -v -e 'siplog: ' "$K/$f" >"$I/$f"
	done
	for f in kamailio-stderr.log journal-short-iso-precise.log; do
		if grep -q 'ACC: ' "$I/$f"; then ok "live $f: the inferred form holds acc records"
		else notok "live $f: no acc record in the inferred form"
		fi
	done
	form inferred-rfc3339   xlog-us.json   inferred calltrace "$I/kamailio-rfc3339.log"
	form inferred-stderr    xlog-none.json inferred - "$I/kamailio-stderr.log"
	form inferred-journal   xlog-us.json   inferred calltrace "$I/journal-short-iso-precise.log"
	for f in kamailio-rfc3339.log kamailio-stderr.log; do
		"$BIN" -q -f json "$I/$f" | python3 -c 'import json,sys; r=json.load(sys.stdin); r.pop("input"); r.pop("run"); print(json.dumps(r, sort_keys=True))' >"$TMP/i.json"
		"$BIN" -q -f json -l "$P" "$I/$f" | python3 -c 'import json,sys; r=json.load(sys.stdin); r.pop("input"); r.pop("run"); print(json.dumps(r, sort_keys=True))' >"$TMP/h.json"
		if cmp -s "$TMP/i.json" "$TMP/h.json"
		then ok "live $f: inferred layout = $P (whole report)"
		else notok "live $f: the inferred layout and $P differ"
		fi
	done

	# the acc module's records (facility LOCAL1): the calls' outcomes from the relayed
	# transactions of the capture (oracle view acc); what acc cannot give must be null
	if $O --view acc >"$E/acc.json" 2>"$E/acc.err" &&
		"$BIN" -q -f json "$K/kamailio-acc.log" >"$R/acc.json" 2>"$R/acc.err"
	then
		python3 tests/jcheck.py "$R/acc.json" "$E/acc.json" "live acc" | sed "s/^ok [0-9]*/ok/; s/^not ok [0-9]*/not ok/"
		got=$(python3 -c 'import json,sys; print(" ".join(sorted({f["format"] for f in json.load(open(sys.argv[1]))["input"]["files"]})))' "$R/acc.json")
		if [ "$got" = acc ]; then ok "live acc: format acc"
		else notok "live acc: format '$got', expected 'acc'"
		fi
	else
		notok "live acc: oracle or siplogscan failed"
		sed 's/^/#   /' "$E/acc.err" "$R/acc.err"
	fi

	# --calls-ndjson of this run's logs loaded into a real ClickHouse (its own server on
	# loopback, a few seconds): the SQL of docs/calls-ndjson.md gives the reports' figures
	sh tests/live/clickhouse.sh "$K/kamailio-rfc3339.log" "$K/kamailio-acc.log" \
		"$K/kamailio-stderr.log" 2>&1 | sed "s/^ok -/ok/; s/^not ok -/not ok/"

	# the README's fleet recipe as it stands: GNU parallel scans the shards of an archive over
	# SSH (its own sshd on 127.0.0.2 and 127.0.0.3, a few seconds), brings the states back and
	# merges them: the report of one run over the whole archive
	sh tests/live/fleet.sh 2>&1 | sed "s/^ok -/ok/; s/^not ok -/not ok/"

	# the same call-level totals on every form; delays unknown exactly where there are no times
	# shellcheck disable=SC2086
	python3 tests/live/compare.py --table "$TMP/table.md" $FORMS | sed "s/^ok [0-9]*/ok/; s/^not ok [0-9]*/not ok/"

	# the report does not depend on threads or block size (rotated set: gzip + seams)
	for f in "$K/kamailio-rfc3339.log" "$K/syslog-bsd/kamailio.log*"; do
		# shellcheck disable=SC2086
		"$BIN" -q -f json -j 1 $f | grep -v '^  "run": ' >"$TMP/a.json"
		# shellcheck disable=SC2086
		"$BIN" -q -f json -j 8 --block-size 4K $f | grep -v '^  "run": ' >"$TMP/b.json"
		if cmp -s "$TMP/a.json" "$TMP/b.json"
		then ok "live $(basename "$f"): same report with -j 1 and -j 8 --block-size 4K"
		else notok "live $(basename "$f"): report depends on threads or block size"
		fi
	done

	# shards (docs/state.md): each one-line log cut into k = 1..8 byte ranges at random
	# points, one state each, merged: the report of one run over the log; the rotated set
	# (gzip and plain) as one state per file
	for f in kamailio-rfc3339.log kamailio-stderr.log journal-short-iso-precise.log \
		 kamailio-acc.log; do
		size=$(wc -c <"$K/$f")
		"$BIN" -q -f json "$K/$f" | grep -v '^  "run": ' >"$TMP/a.json"
		for k in 1 2 3 4 5 6 7 8; do
			cuts=$(python3 -c "import random; r = random.Random($k); print(' '.join(map(str, sorted(r.sample(range(1, $size), $k - 1)))))")
			states="" prev=0 i=0
			for c in $cuts ""; do
				i=$((i + 1))
				"$BIN" -q --state-out "$TMP/s$i.st" --range "$K/$f:$prev-$c" "$K/$f"
				states="$states $TMP/s$i.st"
				prev=$c
			done
			# shellcheck disable=SC2086
			"$BIN" merge -q -f json $states | grep -v '^  "run": ' >"$TMP/b.json"
			if cmp -s "$TMP/a.json" "$TMP/b.json"
			then ok "live $f: $k byte ranges at random points, merged: the run's report"
			else notok "live $f: $k byte ranges at random points, merged: not the run's report"
			fi
		done
	done
	states=""
	for f in "$B/kamailio.log.2.gz" "$B/kamailio.log.1" "$B/kamailio.log"; do
		"$BIN" -q --state-out "$TMP/$(basename "$f").st" "$f"
		states="$states $TMP/$(basename "$f").st"
	done
	"$BIN" -q -f json "$B/kamailio.log.2.gz" "$B/kamailio.log.1" "$B/kamailio.log" |
		grep -v '^  "run": ' >"$TMP/a.json"
	# shellcheck disable=SC2086
	"$BIN" merge -q -f json $states | grep -v '^  "run": ' >"$TMP/b.json"
	if cmp -s "$TMP/a.json" "$TMP/b.json"
	then ok "live rotated set: one state per file, merged: the run's report"
	else notok "live rotated set: one state per file, merged: not the run's report"
	fi

	# the scanner's fast path gives PCRE2's events on every log the run wrote (plain files,
	# gzip inflated; tests/unit/test_scan_diff.c)
	D=$ROOT/${BUILD:-build}/test_scan_diff
	if [ -x "$D" ]; then
		find "$K" -type f \( -name '*.log*' -o -name '*.data' \) | sort >"$TMP/difflist"
		# shellcheck disable=SC2046
		"$D" $(cat "$TMP/difflist") | grep -E '^(ok|not ok|#)' |
			sed "s/^ok [0-9]*/ok/; s/^not ok [0-9]*/not ok/; s/^ok -/ok - live scan diff:/; s/^not ok -/not ok - live scan diff:/"
	else
		notok "no $D: run 'make test-programs' for the scanner's differential test"
	fi

	secs=$(($(date +%s) - started))
	if [ $secs -lt 180 ]; then ok "whole live test in $secs s (limit 180 s)"
	else notok "whole live test took $secs s (limit 180 s)"
	fi
	echo "# oracle (capture) beside siplogscan, per log form:"
	sed 's/^/# /' "$TMP/table.md"
	[ -n "${LIVE_TABLE:-}" ] && cp "$TMP/table.md" "$LIVE_TABLE"
	return 0
}

main 2>&1 | tee "$TMP/tap"
pass=$(grep -c '^ok' "$TMP/tap")
fail=$(grep -c '^not ok' "$TMP/tap")
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
