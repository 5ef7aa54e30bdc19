#!/bin/sh
# Regenerates the Kamailio samples of siplogscan from a live run on loopback.
#
#   sh tests/live/gen-samples.sh        every sample of samples/kamailio/
#   sh tests/live/gen-samples.sh acc    only samples/kamailio/acc/ (its own run and capture)
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
# tests/live/crosscheck.py checks the logs against the capture. The acc
# module's records (syslog facility LOCAL1) go to samples/kamailio/acc/ with a
# copy of the run's capture, their expected totals from the oracle's acc view.
set -eu
ONLY=${1:-all}
case $ONLY in all|acc) ;; *) echo "usage: sh tests/live/gen-samples.sh [acc]" >&2; exit 2 ;; esac

LIVE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$LIVE/../.." && pwd)
OUTK=$ROOT/samples/kamailio
OUTE=$ROOT/samples/expected

WORK=$(mktemp -d /tmp/siplogscan-gen.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
CUSTOM_XLOG= JOURNAL= sh "$LIVE/harness.sh" "$WORK/run"

# ---------------------------------------------------------------- acc
mkdir -p "$OUTK/acc" "$OUTE"
cp "$WORK/run/kamailio-acc.log" "$OUTK/acc/kamailio-acc.log"
cp "$WORK/run/capture.pcap" "$OUTK/acc/capture.pcap"
chmod 644 "$OUTK/acc/capture.pcap"
(cd "$ROOT" && python3 tests/live/oracle.py --pcap samples/kamailio/acc/capture.pcap \
	--view acc > "$OUTE/kamailio-acc.json")
if [ "$ONLY" = acc ]; then
	echo "gen-samples: done: samples/kamailio/acc, samples/expected/kamailio-acc.json" >&2
	exit 0
fi
mv "$OUTK/acc" "$WORK/acc"

# ---------------------------------------------------------------- samples
rm -rf "$OUTK"
mkdir -p "$OUTK/sipdump" "$OUTK/syslog-bsd" "$OUTE"
cp "$WORK"/run/sipdump/*.data "$OUTK/sipdump/"
cp "$WORK/run/capture.pcap" "$OUTK/capture.pcap"
chmod 644 "$OUTK/capture.pcap"
cp "$WORK/run/kamailio-rfc3339.log" "$OUTK/kamailio-rfc3339.log"
cp "$WORK/run/kamailio-stderr.log" "$OUTK/kamailio-stderr.log"
mv "$WORK/acc" "$OUTK/acc"

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
