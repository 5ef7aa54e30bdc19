#!/bin/sh
# Regenerates the Kamailio samples of siplogscan from a live run on loopback.
#
#   sh tests/live/gen-samples.sh
#
# Needs (Debian 12): kamailio 5.6 (+ modules), sip-tester (sipp), tshark and
# dumpcap, rsyslog, gcc, python3, gzip, util-linux (unshare), root.
# Traffic only on 127.0.0.0/8; every process started here is stopped by PID;
# every wait is bounded. The whole run takes about 20 s.
#
# What it does:
#  1. rsyslog (own config, own work dir) receives Kamailio's syslog on
#     /dev/log and writes two files from the same messages:
#     RSYSLOG_FileFormat (RFC 3339, microseconds) and
#     RSYSLOG_TraditionalFileFormat (BSD). If /dev/log already exists, the
#     script re-runs itself in a private mount namespace and bind-mounts
#     rsyslog's socket over /dev/log there, so the host's syslog is untouched.
#  2. dumpcap captures the proxy's UDP traffic on lo (pcap).
#  3. Kamailio runs in syslog mode with tests/live/logtee.so preloaded, which
#     copies every syslog message, in Kamailio's own stderr layout, to the
#     stderr log (Kamailio cannot log to stderr and syslog at once).
#  4. SIPp gateways (127.0.0.2-5) and callers (127.0.0.10-18, scanner
#     127.0.0.66) run the scenarios of tests/live/scenarios.
#  5. Everything is stopped by PID; the samples are copied to samples/,
#     the BSD log is split into a logrotate(delaycompress)-style set, a
#     multi-member gzip is made, and tests/live/oracle.py computes the
#     expected totals from the capture.
set -eu

LIVE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$LIVE/../.." && pwd)
SC=$LIVE/scenarios
OUTK=$ROOT/samples/kamailio
OUTE=$ROOT/samples/expected

if [ "$(id -u)" != 0 ]; then
	echo "gen-samples.sh: must run as root (binds 127.0.0.x:5060, captures on lo)" >&2
	exit 1
fi
for t in kamailio sipp dumpcap tshark rsyslogd cc python3 gzip unshare; do
	command -v $t >/dev/null 2>&1 || { echo "gen-samples.sh: missing $t" >&2; exit 1; }
done

# /dev/log in use: run again inside a private mount namespace
if [ -z "${SIPLOGSCAN_LIVE_NS:-}" ] && [ -e /dev/log ]; then
	SIPLOGSCAN_LIVE_NS=1 exec unshare --mount --propagation private sh "$0" "$@"
fi

WORK=$(mktemp -d /tmp/siplogscan-live.XXXXXX)
PIDS=""
DEVLOG_MOUNTED=0

log() { echo "gen-samples: $*" >&2; }

# stop one process by PID (TERM, then KILL after ~5 s)
stop_pid() {
	p=$1
	kill -0 "$p" 2>/dev/null || return 0
	kill -TERM "$p" 2>/dev/null || true
	i=0
	while kill -0 "$p" 2>/dev/null && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if kill -0 "$p" 2>/dev/null; then
		kill -KILL "$p" 2>/dev/null || true
	fi
	wait "$p" 2>/dev/null || true
}

cleanup() {
	for p in $PIDS; do
		stop_pid "$p"
	done
	PIDS=""
	if [ $DEVLOG_MOUNTED = 1 ]; then
		umount /dev/log 2>/dev/null || true
		DEVLOG_MOUNTED=0
	fi
	if [ -z "${SIPLOGSCAN_LIVE_NS:-}" ] && [ -S /dev/log ] && [ -f "$WORK/devlog-ours" ]; then
		rm -f /dev/log
	fi
	if [ -n "${KEEP_WORK:-}" ]; then
		log "work dir kept: $WORK"
	else
		rm -rf "$WORK"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# wait (bounded) until "cond" succeeds
wait_for() {
	what=$1
	shift
	i=0
	until "$@"; do
		i=$((i + 1))
		if [ $i -ge 100 ]; then
			log "timeout waiting for $what"
			exit 1
		fi
		sleep 0.1
	done
}

# UDP socket bound on ip:port? (/proc/net/udp, little-endian hex address)
udp_bound() {
	hex=$(printf '%02X%02X%02X%02X:%04X' $(echo "$1" | awk -F. '{print $4, $3, $2, $1}') "$2")
	grep -q " $hex " /proc/net/udp
}

mkdir -p "$WORK/rsyslog" "$WORK/sipdump" "$WORK/sipp"
cc -shared -fPIC -O2 -Wall -o "$WORK/logtee.so" "$LIVE/logtee.c" -ldl

# ---------------------------------------------------------------- rsyslog
if [ -n "${SIPLOGSCAN_LIVE_NS:-}" ]; then
	SOCK=$WORK/rsyslog/log
else
	SOCK=/dev/log
	: > "$WORK/devlog-ours"
fi
cat > "$WORK/rsyslog.conf" <<EOF
global(workDirectory="$WORK/rsyslog" localHostname="sip-lab")
module(load="imuxsock" SysSock.Use="on" SysSock.Name="$SOCK"
       SysSock.RateLimit.Interval="0")
if \$syslogfacility-text == 'local0' then {
  action(type="omfile" file="$WORK/kamailio-rfc3339.log" template="RSYSLOG_FileFormat")
  action(type="omfile" file="$WORK/kamailio-bsd.log" template="RSYSLOG_TraditionalFileFormat")
  stop
}
*.* action(type="omfile" file="$WORK/rsyslog-other.log")
EOF
rsyslogd -n -f "$WORK/rsyslog.conf" -i "$WORK/rsyslog/rsyslogd.pid" \
	> "$WORK/rsyslogd.out" 2>&1 &
PIDS="$! $PIDS"
wait_for "rsyslog socket" test -S "$SOCK"
if [ -n "${SIPLOGSCAN_LIVE_NS:-}" ]; then
	mount --bind "$SOCK" /dev/log
	DEVLOG_MOUNTED=1
fi

# ---------------------------------------------------------------- capture
dumpcap -P -i lo -s 0 \
	-f 'udp and ((src host 127.0.0.1 and src port 5060) or (dst host 127.0.0.1 and dst port 5060))' \
	-w "$WORK/capture.pcap" > "$WORK/dumpcap.out" 2>&1 &
DUMPCAP=$!
PIDS="$DUMPCAP $PIDS"
wait_for "dumpcap" grep -q '^File:' "$WORK/dumpcap.out"
sleep 0.5

# ---------------------------------------------------------------- gateways
for g in 2:uas-200 3:uas-486 4:uas-100-cancel 5:uas-100-silent; do
	ip=127.0.0.${g%%:*}
	timeout 120 sipp -sf "$SC/${g#*:}.xml" -i "$ip" -p 5060 -nostdin -nd \
		> "$WORK/sipp/gw-$ip.out" 2>&1 &
	PIDS="$! $PIDS"
	wait_for "sipp gateway $ip" udp_bound "$ip" 5060
done

# ---------------------------------------------------------------- kamailio
LOGTEE_FILE=$WORK/kamailio-stderr.log LD_PRELOAD=$WORK/logtee.so \
	kamailio -DD -f "$LIVE/kamailio.cfg" -A "SIPDUMP_DIR=\"$WORK/sipdump\"" \
	> "$WORK/kamailio.stdout" 2>> "$WORK/kamailio-stderr.log" &
KAMAILIO=$!
PIDS="$KAMAILIO $PIDS"
wait_for "kamailio" udp_bound 127.0.0.1 5060
sleep 1

# ---------------------------------------------------------------- callers
# uac NAME SCENARIO CSV IP PORT CALLS RATE USER PASS
UACS=""
uac() {
	timeout 60 sipp 127.0.0.1:5060 -sf "$SC/$2.xml" -inf "$SC/$3.csv" \
		-i "$4" -p "$5" -m "$6" -r "$7" -l 10 -au "$8" -ap "$9" \
		-recv_timeout 15000 -nostdin -nd > "$WORK/sipp/$1.out" 2>&1 &
	UACS="$UACS $!"
	PIDS="$! $PIDS"
}
uac options    uac-options          options          127.0.0.18 5060 5 1 monitor x
sleep 0.7
uac register   uac-register         register         127.0.0.16 5060 4 1 carol wonderland
sleep 0.7
uac calls-200  uac-call-200         calls-200        127.0.0.10 5060 8 2 alice wonderland
sleep 0.7
uac calls-408  uac-call-408         calls-408        127.0.0.12 5060 3 1 carol wonderland
sleep 0.7
uac calls-486  uac-call-486         calls-486        127.0.0.11 5060 4 1 bob wonderland
sleep 0.7
uac scan-inv   scanner-invite       scanner-invite   127.0.0.66 5070 8 10 x x
uac scan-reg   scanner-register     scanner-register 127.0.0.66 5071 7 10 x x
sleep 0.7
uac noretry    uac-invite-noretry   invite-noretry   127.0.0.14 5060 4 1 erin x
sleep 0.7
uac badpw      uac-invite-badpw     invite-badpw     127.0.0.15 5060 3 1 bob letmein
sleep 0.7
uac reg-nort   uac-register-noretry register-noretry 127.0.0.17 5060 3 1 frank x
sleep 0.7
uac stuck      uac-call-stuck       calls-stuck      127.0.0.13 5060 3 1 dave wonderland

rc=0
for p in $UACS; do
	wait "$p" || rc=$?
done
[ $rc = 0 ] || log "warning: a sipp caller exited with status $rc (see KEEP_WORK=1 logs)"
sleep 2

# ---------------------------------------------------------------- stop
stop_pid "$KAMAILIO"
for p in $PIDS; do
	[ "$p" = "$DUMPCAP" ] || stop_pid "$p"
done
stop_pid "$DUMPCAP"
PIDS=""
if [ $DEVLOG_MOUNTED = 1 ]; then
	umount /dev/log
	DEVLOG_MOUNTED=0
fi

# ---------------------------------------------------------------- samples
rm -rf "$OUTK"
mkdir -p "$OUTK/sipdump" "$OUTK/syslog-bsd" "$OUTE"
cp "$WORK"/sipdump/*.data "$OUTK/sipdump/"
cp "$WORK/capture.pcap" "$OUTK/capture.pcap"
chmod 644 "$OUTK/capture.pcap"
cp "$WORK/kamailio-rfc3339.log" "$OUTK/kamailio-rfc3339.log"
cp "$WORK/kamailio-stderr.log" "$OUTK/kamailio-stderr.log"

# rotated set from the BSD file, and the multi-member gzip
python3 "$LIVE/split-logs.py" "$WORK/kamailio-bsd.log" "$OUTK/syslog-bsd" \
	"$OUTK/kamailio-rfc3339.log"

# expected totals from the capture
cd "$ROOT"
O="python3 tests/live/oracle.py --pcap samples/kamailio/capture.pcap"
# delay tolerances: sipdump and rfc3339 stamps are microseconds but are taken when Kamailio
# (or rsyslog) handles the message, up to about 0.5 ms away from the capture; BSD syslog
# stamps have whole seconds, so a delay can be off by up to one second
$O --view all --delay-tolerance-ms 1 > "$OUTE/sipdump.json"
$O --view kamailio-xlog --delay-tolerance-ms 1000 > "$OUTE/syslog-bsd.json"
$O --view kamailio-xlog --delay-tolerance-ms 1 > "$OUTE/rfc3339.json"
$O --view kamailio-xlog --no-times > "$OUTE/stderr.json"

# self-check of the harness: logs vs capture
python3 "$LIVE/crosscheck.py" "$ROOT"
log "done: samples in $OUTK, expected totals in $OUTE"
