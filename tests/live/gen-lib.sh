# tests/live/gen-lib.sh - what the sample generators (tests/live/*/gen.sh) share, sourced by
# them: messages, entering private mount and network namespaces (so that a generator's SIP
# traffic, its rsyslog socket over /dev/log and its capture never touch the host's), a work
# directory that is removed on exit (KEEP_WORK=1 keeps it), and bounded waits and stops.
# The variables it sets: OUT (the output directory, absolute), WORK, PIDS (processes that the
# exit stops, newest first), SOCK (rsyslog's socket, when the generator runs one).

log() { echo "gen.sh: $*" >&2; }
die() { log "$*"; exit 1; }

# gen_enter_ns ARGS...: run the calling script again inside new mount and network namespaces
# (once: SIPLOGSCAN_LIVE_NS marks the second run), with loopback up.
gen_enter_ns() {
	if [ -z "${SIPLOGSCAN_LIVE_NS:-}" ]; then
		SIPLOGSCAN_LIVE_NS=1 exec unshare --mount --net --propagation private sh "$0" "$@"
	fi
	ip link set lo up
}

# gen_dirs OUTDIR NAME: OUT and a fresh WORK (/tmp/siplogscan-NAME.XXXXXX), cleaned on exit.
gen_dirs() {
	mkdir -p "$1"
	OUT=$(cd "$1" && pwd)
	WORK=$(mktemp -d "/tmp/siplogscan-$2.XXXXXX")
	PIDS=""
	SOCK=""
	trap gen_cleanup EXIT
}

# stop_pid PID: TERM, up to 5 s, then KILL.
stop_pid() {
	kill -0 "$1" 2>/dev/null || return 0
	kill -TERM "$1" 2>/dev/null || true
	i=0
	while kill -0 "$1" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	kill -KILL "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
}

gen_cleanup() {
	for p in $PIDS; do stop_pid "$p"; done
	if [ "$SOCK" = /dev/log ]; then
		rm -f /dev/log
	elif [ -n "$SOCK" ]; then
		umount /dev/log 2>/dev/null || true
	fi
	if [ -n "${KEEP_WORK:-}" ]; then log "work dir kept: $WORK"; else rm -rf "$WORK"; fi
}

# wait_for WHAT COMMAND...: until the command succeeds, at most 10 s.
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

# gen_rsyslog_sock: SOCK for an rsyslog of the generator's own, mounted over /dev/log in the
# private mount namespace (as tests/live/harness.sh: an existing /dev/log is covered by a bind
# mount, else rsyslog creates it there and the exit removes it).
gen_rsyslog_sock() {
	if [ -e /dev/log ]; then SOCK=$WORK/log; else SOCK=/dev/log; fi
}
