#!/bin/sh
# tests/live/linphone/gen.sh OUTDIR - a real linphonec (linphone-cli 5.1) log file with SIP
# messages: linphonec -d 6 -l FILE calls a SIPp UAS that answers (scenarios/uas-200.xml: 100, 180,
# 200; hung up after ~3 s: BYE, 200), then one that is busy (scenarios/uas-486.xml: 100, 486).
# Audio: linphonec's "soundcard use files" (wav files, no sound card; with ALSA's null device
# the hang-up blocks in the audio stream's stop). As root, ~25 s, in private mount and network
# namespaces as tests/live/harness.sh does (see there).
#
# OUTDIR afterwards: linphonec.log (the -l file), linphonec-stdout.txt (its console),
# capture.pcap (UDP port 5060 on lo). Expected totals: tests/live/oracle.py --view all
# --proxy 127.0.0.1:5094 on the capture (samples/other/README.md).
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
SC=$HERE/../scenarios
. "$HERE/../gen-lib.sh"

[ $# -eq 1 ] || die "usage: sh tests/live/linphone/gen.sh OUTDIR"
[ "$(id -u)" = 0 ] || die "must run as root"
for t in linphonec sipp dumpcap unshare ip; do
	command -v "$t" >/dev/null 2>&1 || die "missing $t (Debian 12: linphone-cli sip-tester tshark util-linux iproute2)"
done
gen_enter_ns "$@"
# an address and a default route besides loopback: liblinphone's own address then is not
# 127.0.0.1 ("Local loopback network only")
ip addr add 192.0.2.1/32 dev lo
ip route add default dev lo src 192.0.2.1
gen_dirs "$1" linphone

# a home of its own: liblinphone opens its databases in ~/.local/share/linphone (without that
# directory it never brings the network up, so it opens no SIP port and every call fails)
export HOME="$WORK/home"
mkdir -p "$HOME/.local/share/linphone"
cat > "$WORK/linphonerc" <<EOC
[sip]
sip_port=5094
sip_tcp_port=0
sip_tls_port=0
[rtp]
audio_rtp_port=7078
[sound]
echocancellation=0
EOC
rm -f "$OUT/linphonec.log" "$OUT/linphonec-stdout.txt" "$OUT/capture.pcap"

dumpcap -P -i lo -s 0 -f 'udp port 5060' -w "$WORK/capture.pcap" > "$WORK/dumpcap.out" 2>&1 &
DUMPCAP=$!
PIDS="$DUMPCAP $PIDS"
wait_for "dumpcap" grep -qs "^File:" "$WORK/dumpcap.out"

timeout 60 sipp -sf "$SC/uas-200.xml" -i 127.0.0.2 -p 5060 -nostdin -nd > "$WORK/uas-200.out" 2>&1 &
PIDS="$! $PIDS"
timeout 60 sipp -sf "$SC/uas-486.xml" -i 127.0.0.3 -p 5060 -nostdin -nd > "$WORK/uas-486.out" 2>&1 &
PIDS="$! $PIDS"
sleep 1
{
	sleep 2; echo "soundcard use files"
	sleep 2; echo "call sip:service@127.0.0.2:5060"
	sleep 4; echo "terminate"
	sleep 3; echo "call sip:busy@127.0.0.3:5060"
	sleep 4; echo "quit"
} | timeout 40 linphonec -c "$WORK/linphonerc" -d 6 -l "$OUT/linphonec.log" \
	> "$OUT/linphonec-stdout.txt" 2>&1 || log "warning: linphonec exited with status $?"
sleep 1
for p in $PIDS; do [ "$p" = "$DUMPCAP" ] || stop_pid "$p"; done
stop_pid "$DUMPCAP"
PIDS=""
cp "$WORK/capture.pcap" "$OUT/capture.pcap"
[ -s "$OUT/linphonec.log" ] || die "no linphonec.log was written"
log "done: $OUT"
