#!/bin/sh
# Regenerates the Kamailio samples of siplogscan from a live run on loopback.
#
#   sh tests/live/gen-samples.sh
#
# Needs (Debian 12): kamailio 5.6 (+ modules), sip-tester (sipp), tshark and
# dumpcap, rsyslog, gcc, python3, gzip, util-linux (unshare), root.
# The live run itself is tests/live/harness.sh (shared with tests/live/run.sh,
# 'make check-live'): rsyslog (RFC 3339 and BSD files), dumpcap, Kamailio with
# logtee.so (stderr layout), SIPp gateways and callers; see its header. Here
# it runs with the shipped snippet only (no operator layout, no journald),
# then the outputs are copied to samples/, the BSD log is split into a
# logrotate(delaycompress)-style set, a multi-member gzip is made,
# tests/live/oracle.py computes the expected totals from the capture and
# tests/live/crosscheck.py checks the logs against the capture.
set -eu

LIVE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$LIVE/../.." && pwd)
OUTK=$ROOT/samples/kamailio
OUTE=$ROOT/samples/expected

WORK=$(mktemp -d /tmp/siplogscan-gen.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
CUSTOM_XLOG= JOURNAL= sh "$LIVE/harness.sh" "$WORK/run"

# ---------------------------------------------------------------- samples
rm -rf "$OUTK"
mkdir -p "$OUTK/sipdump" "$OUTK/syslog-bsd" "$OUTE"
cp "$WORK"/run/sipdump/*.data "$OUTK/sipdump/"
cp "$WORK/run/capture.pcap" "$OUTK/capture.pcap"
chmod 644 "$OUTK/capture.pcap"
cp "$WORK/run/kamailio-rfc3339.log" "$OUTK/kamailio-rfc3339.log"
cp "$WORK/run/kamailio-stderr.log" "$OUTK/kamailio-stderr.log"

# rotated set from the BSD file, and the multi-member gzip
python3 "$LIVE/split-logs.py" "$WORK/run/kamailio-bsd.log" "$OUTK/syslog-bsd" \
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
echo "gen-samples: done: samples in $OUTK, expected totals in $OUTE" >&2
