#!/bin/sh
# tests/live/escaped/gen.sh OUTDIR - a real one-line-per-message syslog file: Kamailio 5.6 as a
# stateless proxy (kamailio-mb.cfg) logs each SIP message it receives with its line ends as the
# characters "\r\n", through rsyslog (RFC 3339), between a SIPp UAC (built-in `uac`, 5 calls) and
# a SIPp UAS (scenarios/uas-200.xml: 100, 180, 200). As root, ~15 s, in private mount and
# network namespaces as tests/live/harness.sh does (see there).
#
# OUTDIR afterwards: kamailio-mb.log (rsyslog RSYSLOG_FileFormat), capture.pcap (UDP to or from
# 127.0.0.1:5060), uac-screen.log (SIPp's screens: the message counts).
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
SC=$HERE/../scenarios
. "$HERE/../gen-lib.sh"

[ $# -eq 1 ] || die "usage: sh tests/live/escaped/gen.sh OUTDIR"
[ "$(id -u)" = 0 ] || die "must run as root"
for t in kamailio sipp dumpcap rsyslogd unshare ip; do
	command -v "$t" >/dev/null 2>&1 || die "missing $t (Debian 12: kamailio sip-tester tshark rsyslog util-linux iproute2)"
done
gen_enter_ns "$@"
gen_dirs "$1" escaped

# rsyslog on a socket of its own, mounted over /dev/log (private mount namespace)
# (as harness.sh: an existing /dev/log is covered by a bind mount, else rsyslog creates it)
gen_rsyslog_sock
cat > "$WORK/rsyslog.conf" <<EOC
global(workDirectory="$WORK" localHostname="sip-lab")
module(load="imuxsock" SysSock.Use="on" SysSock.Name="$SOCK" SysSock.RateLimit.Interval="0")
if \$syslogfacility-text == 'local0' then {
  action(type="omfile" file="$OUT/kamailio-mb.log" template="RSYSLOG_FileFormat")
  stop
}
*.* action(type="omfile" file="$WORK/other.log")
EOC
rm -f "$OUT/kamailio-mb.log" "$OUT/capture.pcap" "$OUT/uac-screen.log"
rsyslogd -n -f "$WORK/rsyslog.conf" -i "$WORK/rsyslogd.pid" > "$WORK/rsyslogd.out" 2>&1 &
PIDS="$! $PIDS"
wait_for "rsyslog socket" test -S "$SOCK"
[ "$SOCK" = /dev/log ] || mount --bind "$SOCK" /dev/log

dumpcap -P -i lo -s 0 -f 'udp and host 127.0.0.1 and port 5060' -w "$WORK/capture.pcap" \
	> "$WORK/dumpcap.out" 2>&1 &
DUMPCAP=$!
PIDS="$DUMPCAP $PIDS"
wait_for "dumpcap" grep -qs "^File:" "$WORK/dumpcap.out"
sleep 0.5

timeout 60 sipp -sf "$SC/uas-200.xml" -i 127.0.0.2 -p 5060 -nostdin -nd > "$WORK/uas.out" 2>&1 &
PIDS="$! $PIDS"
kamailio -DD -f "$HERE/kamailio-mb.cfg" > "$WORK/kamailio.out" 2>&1 &
KAMAILIO=$!
PIDS="$KAMAILIO $PIDS"
sleep 2
timeout 40 sipp -sn uac 127.0.0.1:5060 -i 127.0.0.10 -p 5060 -m 5 -r 2 -timeout 30s \
	-timeout_error -nostdin -trace_screen -screen_file "$WORK/uac-screen.log" \
	> "$WORK/uac.out" 2>&1 || log "warning: the SIPp UAC exited with status $?"
sleep 1
stop_pid "$KAMAILIO"
for p in $PIDS; do [ "$p" = "$DUMPCAP" ] || stop_pid "$p"; done
stop_pid "$DUMPCAP"
PIDS=""
cp "$WORK/capture.pcap" "$OUT/capture.pcap"
cp "$WORK/uac-screen.log" "$OUT/uac-screen.log"
[ -s "$OUT/kamailio-mb.log" ] || die "no kamailio-mb.log was written"
log "done: $OUT"
