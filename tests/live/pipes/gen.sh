#!/bin/sh
# tests/live/pipes/gen.sh OUTDIR - real SIP text with a logger's prefix on every line: ngrep's
# `-W byline` trace of SIPp traffic on loopback, piped (1) through moreutils `ts` and (2) line by
# line through `logger` into rsyslog. Traffic: SIPp's built-in `uac` (3 calls) against
# scenarios/uas-200.xml (100, 180, 200; BYE, 200), then (2 calls) against scenarios/uas-486.xml
# (100, 486), both UACs from 127.0.0.10:5060. As root, ~15 s, in private mount and network
# namespaces as tests/live/harness.sh does (see there): the host's /dev/log is never touched.
#
# OUTDIR afterwards: ngrep-ts.log (`ngrep ... | ts '[%b %d %H:%M:%S]'`), ngrep-logger.log
# (`ngrep ... | logger -e -t ngrep`, empty lines skipped; rsyslog RSYSLOG_TraditionalFileFormat),
# capture.pcap (UDP port 5060 on lo), uac-200-screen.log and uac-486-screen.log (SIPp's
# screens). Expected totals: tests/live/oracle.py --view all --proxy 127.0.0.10:5060 on the
# capture (samples/other/README.md).
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
SC=$HERE/../scenarios
. "$HERE/../gen-lib.sh"

[ $# -eq 1 ] || die "usage: sh tests/live/pipes/gen.sh OUTDIR"
[ "$(id -u)" = 0 ] || die "must run as root"
for t in sipp dumpcap ngrep ts logger rsyslogd unshare ip; do
	command -v "$t" >/dev/null 2>&1 || die "missing $t (Debian 12: sip-tester tshark ngrep moreutils bsdutils rsyslog util-linux iproute2)"
done
gen_enter_ns "$@"
gen_dirs "$1" pipes

# rsyslog on a socket of its own, mounted over /dev/log (private mount namespace)
gen_rsyslog_sock
cat > "$WORK/rsyslog.conf" <<EOC
global(workDirectory="$WORK" localHostname="sip-lab")
module(load="imuxsock" SysSock.Use="on" SysSock.Name="$SOCK" SysSock.RateLimit.Interval="0")
if \$programname == 'ngrep' then {
  action(type="omfile" file="$OUT/ngrep-logger.log" template="RSYSLOG_TraditionalFileFormat")
  stop
}
*.* action(type="omfile" file="$WORK/other.log")
EOC
rm -f "$OUT/ngrep-ts.log" "$OUT/ngrep-logger.log" "$OUT/capture.pcap" "$OUT"/uac-*-screen.log
rsyslogd -n -f "$WORK/rsyslog.conf" -i "$WORK/rsyslogd.pid" > "$WORK/rsyslogd.out" 2>&1 &
PIDS="$! $PIDS"
wait_for "rsyslog socket" test -S "$SOCK"
[ "$SOCK" = /dev/log ] || mount --bind "$SOCK" /dev/log

dumpcap -P -i lo -s 0 -f 'udp port 5060' -w "$WORK/capture.pcap" > "$WORK/dumpcap.out" 2>&1 &
DUMPCAP=$!
PIDS="$DUMPCAP $PIDS"
wait_for "dumpcap" grep -qs "^File:" "$WORK/dumpcap.out"

# the two pipelines an operator types (ngrep -l: line-buffered, as a pipe needs), each ngrep
# writing into a FIFO so that its own PID is known and it can be stopped alone
mkfifo "$WORK/ts.fifo" "$WORK/logger.fifo"
ts "[%b %d %H:%M:%S]" < "$WORK/ts.fifo" > "$OUT/ngrep-ts.log" &
TS=$!
logger -e -t ngrep < "$WORK/logger.fifo" &
LOGGER=$!
ngrep -l -q -W byline -d lo port 5060 > "$WORK/ts.fifo" 2>&1 &
NGREP1=$!
ngrep -l -q -W byline -d lo port 5060 > "$WORK/logger.fifo" 2>&1 &
NGREP2=$!
PIDS="$NGREP1 $NGREP2 $TS $LOGGER $PIDS"
sleep 2

timeout 60 sipp -sf "$SC/uas-200.xml" -i 127.0.0.2 -p 5060 -nostdin -nd > "$WORK/uas-200.out" 2>&1 &
PIDS="$! $PIDS"
timeout 60 sipp -sf "$SC/uas-486.xml" -i 127.0.0.3 -p 5060 -nostdin -nd > "$WORK/uas-486.out" 2>&1 &
PIDS="$! $PIDS"
sleep 1
timeout 40 sipp -sn uac 127.0.0.2:5060 -i 127.0.0.10 -p 5060 -m 3 -r 1 -timeout 30s \
	-timeout_error -nostdin -trace_screen -screen_file "$WORK/uac-200-screen.log" \
	> "$WORK/uac-200.out" 2>&1 || log "warning: the SIPp UAC (200) exited with status $?"
timeout 40 sipp -sn uac 127.0.0.3:5060 -i 127.0.0.10 -p 5060 -m 2 -r 1 -timeout 30s \
	-timeout_error -nostdin -trace_screen -screen_file "$WORK/uac-486-screen.log" \
	> "$WORK/uac-486.out" 2>&1 || log "warning: the SIPp UAC (486) exited with status $?"
sleep 2
# ngrep first (the FIFOs then end, so ts and logger write out and exit), then the rest
stop_pid "$NGREP1"
stop_pid "$NGREP2"
wait "$TS" "$LOGGER" 2>/dev/null || true
sleep 1
for p in $PIDS; do [ "$p" = "$DUMPCAP" ] || stop_pid "$p"; done
stop_pid "$DUMPCAP"
PIDS=""
cp "$WORK/capture.pcap" "$OUT/capture.pcap"
cp "$WORK/uac-200-screen.log" "$OUT/uac-200-screen.log"
cp "$WORK/uac-486-screen.log" "$OUT/uac-486-screen.log"
[ -s "$OUT/ngrep-ts.log" ] || die "no ngrep-ts.log was written"
[ -s "$OUT/ngrep-logger.log" ] || die "no ngrep-logger.log was written"
log "done: $OUT"
