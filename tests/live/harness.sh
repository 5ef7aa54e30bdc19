#!/bin/sh
# tests/live/harness.sh OUTDIR - one live run of a real Kamailio 5.6 and real SIPp user agents
# on loopback; writes Kamailio's logs in every form and a capture of the traffic to OUTDIR.
#
# Used by tests/live/run.sh (make check-live, into a temporary directory) and by
# tests/live/gen-samples.sh (the committed samples). Environment:
#   CUSTOM_XLOG=1   Kamailio also logs every message in an operator's own xlog layout
#                   (kamailio-xlog-custom.cfg; kamailio.cfg is started with -A CUSTOM_XLOG)
#   JOURNAL=1       a private systemd-journald receives the same syslog messages (through
#                   logtee.so); journalctl output is written to OUTDIR
#
# Needs (Debian 12): kamailio 5.6, sip-tester (sipp), tshark and dumpcap, rsyslog, gcc,
# python3, util-linux (unshare), mount, iproute2 (ip), and for JOURNAL=1 systemd (systemd-journald,
# journalctl); root. Traffic only on 127.0.0.0/8; every process started here is stopped by
# PID; every wait is bounded; each sipp runs under timeout. The run takes about 20 s.
#
# OUTDIR afterwards:
#   capture.pcap              dumpcap, UDP to or from 127.0.0.1:5060 only
#   kamailio-rfc3339.log      rsyslog RSYSLOG_FileFormat (RFC 3339, microseconds)
#   kamailio-bsd.log          rsyslog RSYSLOG_TraditionalFileFormat (BSD, seconds)
#   kamailio-stderr.log       Kamailio's stderr layout (logtee.so), no times
#   kamailio-acc.log          the acc module's records (facility LOCAL1), BSD layout
#   sipdump/*.data            sipdump module text files
#   journal-short-iso.log     journalctl -o short-iso (JOURNAL=1)
#   journal-short-iso-precise.log  journalctl -o short-iso-precise (JOURNAL=1)
#   sipp/                     the SIPp outputs
#
# How: the script runs itself again in private mount and network namespaces (unshare): the
# run has a loopback interface of its own (127.0.0.0/8; a SIP server on the host does not
# clash with it and nothing leaves it). rsyslog (own config, own work dir) receives
# Kamailio's syslog on /dev/log: an existing /dev/log is
# covered with a bind mount of rsyslog's socket there, and journald's directories are
# private tmpfs mounts, so the host's logging is untouched. Kamailio runs in syslog mode with
# logtee.so preloaded, which also writes each message in Kamailio's stderr layout and (JOURNAL)
# sends it to journald's syslog socket, as glibc's syslog() does when journald owns /dev/log.
set -eu

LIVE=$(cd "$(dirname "$0")" && pwd)
SC=$LIVE/scenarios
ME=harness.sh

log() { echo "$ME: $*" >&2; }
die() { log "$*"; exit 1; }

[ $# -eq 1 ] || die "usage: sh tests/live/harness.sh OUTDIR"
[ "$(id -u)" = 0 ] || die "must run as root (binds 127.0.0.x:5060, captures on lo, mounts in a private namespace)"

# every tool, with the Debian 12 package that has it
need() {
	command -v "$1" >/dev/null 2>&1 || [ -x "$1" ] ||
		die "missing $1: install it with 'apt-get install -y $2'"
}
need kamailio kamailio
need sipp sip-tester
need dumpcap tshark
need tshark tshark
need rsyslogd rsyslog
need cc gcc
need python3 python3
need timeout coreutils
need unshare util-linux
need mount mount
need ip iproute2
JOURNALD=/lib/systemd/systemd-journald
if [ "${JOURNAL:-}" = 1 ]; then
	need $JOURNALD systemd
	need journalctl systemd
fi
[ -f /usr/lib/x86_64-linux-gnu/kamailio/modules/sipdump.so ] ||
	die "missing the kamailio modules in /usr/lib/x86_64-linux-gnu/kamailio/modules: install them with 'apt-get install -y kamailio' (x86_64)"

# always in private mount and network namespaces: the run has its own loopback (no clash with
# a SIP server on the host, no packet leaves it) and its own /dev/log and journal directories
if [ -z "${SIPLOGSCAN_LIVE_NS:-}" ]; then
	SIPLOGSCAN_LIVE_NS=1 exec unshare --mount --net --propagation private sh "$0" "$@"
fi
ip link set lo up || die "cannot bring up the loopback interface of the private network namespace"

mkdir -p "$1"
OUT=$(cd "$1" && pwd)
WORK=$(mktemp -d /tmp/siplogscan-live.XXXXXX)
PIDS=""
DEVLOG=none	# bound: our socket mounted over /dev/log; created: rsyslog made /dev/log

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
	case $DEVLOG in
	bound) umount /dev/log 2>/dev/null || true ;;
	created) [ -S /dev/log ] && rm -f /dev/log ;;
	esac
	DEVLOG=none
	if [ -n "${KEEP_WORK:-}" ]; then
		log "work dir kept: $WORK"
	else
		rm -rf "$WORK"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# wait (bounded: 10 s) until "cond" succeeds
wait_for() {
	what=$1
	shift
	i=0
	until "$@"; do
		i=$((i + 1))
		[ $i -lt 100 ] || die "timeout waiting for $what"
		sleep 0.1
	done
}

# UDP socket bound on ip:port? (/proc/net/udp, little-endian hex address)
udp_bound() {
	hex=$(printf '%02X%02X%02X%02X:%04X' $(echo "$1" | awk -F. '{print $4, $3, $2, $1}') "$2")
	grep -q " $hex " /proc/net/udp
}

for a in 127.0.0.1 0.0.0.0 127.0.0.2 127.0.0.3 127.0.0.4 127.0.0.5; do
	if udp_bound $a 5060; then
		die "UDP $a:5060 is already in use inside the private network namespace"
	fi
done

mkdir -p "$WORK/rsyslog" "$WORK/sipdump" "$WORK/sipp"
cc -shared -fPIC -O2 -Wall -o "$WORK/logtee.so" "$LIVE/logtee.c" -ldl

# ---------------------------------------------------------------- journald
JSOCK=""
if [ "${JOURNAL:-}" = 1 ]; then
	# private, empty journal directories and our own journald.conf (volatile storage, no
	# kernel messages, no rate limit, nothing forwarded)
	mkdir -p /run/systemd/journal /run/log
	mount -t tmpfs tmpfs /run/systemd/journal
	mount -t tmpfs tmpfs /run/log
	[ -d /var/log/journal ] && mount -t tmpfs tmpfs /var/log/journal
	cat > "$WORK/journald.conf" <<-EOF
	[Journal]
	Storage=volatile
	ReadKMsg=no
	RateLimitBurst=0
	ForwardToSyslog=no
	ForwardToKMsg=no
	ForwardToConsole=no
	ForwardToWall=no
	EOF
	if [ -f /etc/systemd/journald.conf ]; then
		mount --bind "$WORK/journald.conf" /etc/systemd/journald.conf
	fi
	if [ -d /etc/systemd/journald.conf.d ]; then
		mkdir -p "$WORK/empty"
		mount --bind "$WORK/empty" /etc/systemd/journald.conf.d
	fi
	$JOURNALD > "$WORK/journald.out" 2>&1 &
	PIDS="$! $PIDS"
	JSOCK=/run/systemd/journal/dev-log
	wait_for "journald" test -S "$JSOCK"
fi

# ---------------------------------------------------------------- rsyslog
if [ -e /dev/log ]; then
	SOCK=$WORK/rsyslog/log
else
	SOCK=/dev/log
	DEVLOG=created
fi
cat > "$WORK/rsyslog.conf" <<EOF
global(workDirectory="$WORK/rsyslog" localHostname="sip-lab")
module(load="imuxsock" SysSock.Use="on" SysSock.Name="$SOCK"
       SysSock.RateLimit.Interval="0")
if \$syslogfacility-text == 'local0' then {
  action(type="omfile" file="$OUT/kamailio-rfc3339.log" template="RSYSLOG_FileFormat")
  action(type="omfile" file="$OUT/kamailio-bsd.log" template="RSYSLOG_TraditionalFileFormat")
  stop
}
if \$syslogfacility-text == 'local1' then {
  action(type="omfile" file="$OUT/kamailio-acc.log" template="RSYSLOG_TraditionalFileFormat")
  stop
}
*.* action(type="omfile" file="$WORK/rsyslog-other.log")
EOF
rm -f "$OUT/kamailio-rfc3339.log" "$OUT/kamailio-bsd.log" "$OUT/kamailio-stderr.log" \
	"$OUT/kamailio-acc.log" \
	"$OUT/capture.pcap" "$OUT"/journal-*.log
rm -rf "$OUT/sipdump" "$OUT/sipp"
rsyslogd -n -f "$WORK/rsyslog.conf" -i "$WORK/rsyslog/rsyslogd.pid" \
	> "$WORK/rsyslogd.out" 2>&1 &
PIDS="$! $PIDS"
wait_for "rsyslog socket" test -S "$SOCK"
if [ "$SOCK" != /dev/log ]; then
	mount --bind "$SOCK" /dev/log
	DEVLOG=bound
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
KDEFS=""
[ "${CUSTOM_XLOG:-}" = 1 ] && KDEFS="-A CUSTOM_XLOG"
# shellcheck disable=SC2086
LOGTEE_FILE=$WORK/kamailio-stderr.log LOGTEE_JOURNAL=$JSOCK LD_PRELOAD=$WORK/logtee.so \
	kamailio -DD -f "$LIVE/kamailio.cfg" -A "SIPDUMP_DIR=\"$WORK/sipdump\"" $KDEFS \
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
# Kamailio first (its last messages reach rsyslog and journald), the capture last
stop_pid "$KAMAILIO"
for p in $PIDS; do
	[ "$p" = "$DUMPCAP" ] || stop_pid "$p"
done
stop_pid "$DUMPCAP"
PIDS=""
case $DEVLOG in
bound) umount /dev/log ;;
created) rm -f /dev/log ;;
esac
DEVLOG=none

# ---------------------------------------------------------------- outputs
mkdir -p "$OUT/sipdump" "$OUT/sipp"
cp "$WORK"/sipdump/*.data "$OUT/sipdump/"
cp "$WORK/capture.pcap" "$OUT/capture.pcap"
chmod 644 "$OUT/capture.pcap"
cp "$WORK/kamailio-stderr.log" "$OUT/kamailio-stderr.log"
cp "$WORK"/sipp/*.out "$OUT/sipp/" 2>/dev/null || true
if [ -n "$JSOCK" ]; then
	# journald was stopped with the others (it flushes on TERM); read its files
	journalctl -D /run/log/journal -o short-iso --no-pager > "$OUT/journal-short-iso.log"
	journalctl -D /run/log/journal -o short-iso-precise --no-pager \
		> "$OUT/journal-short-iso-precise.log"
fi
for f in kamailio-rfc3339.log kamailio-bsd.log kamailio-stderr.log kamailio-acc.log capture.pcap; do
	[ -s "$OUT/$f" ] || die "no $f was written (KEEP_WORK=1 keeps $WORK)"
done
log "done: $OUT"
