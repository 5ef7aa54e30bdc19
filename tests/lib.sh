# tests/lib.sh - TAP helpers for the end-to-end shell tests (sourced, POSIX sh).
BIN=${SIPLOGSCAN:-./siplogscan}
# zoneless stamps are read in TZ (else /etc/localtime): the expected figures are UTC's,
# whatever zone the machine is in (tests/e2e/tz.sh sets its own)
TZ=UTC
export TZ
T=$(mktemp -d "${TMPDIR:-/tmp}/sle2e.XXXXXX")
trap 'rm -rf "$T"' EXIT
_n=0
_failed=0

ok() { # ok DESCRIPTION COMMAND...  - passes when the command succeeds
	_d=$1
	shift
	_n=$((_n + 1))
	if "$@"; then
		echo "ok $_n - $_d"
	else
		echo "not ok $_n - $_d"
		_failed=1
	fi
}

okc() { # okc DESCRIPTION 'CONDITION'  - passes when the whole shell condition holds
	_d=$1
	_n=$((_n + 1))
	if eval "$2"; then
		echo "ok $_n - $_d"
	else
		echo "not ok $_n - $_d"
		_failed=1
	fi
}

# run the binary, keeping stdout, stderr and the exit status in $T/out, $T/err, $rc
run() {
	"$BIN" "$@" >"$T/out" 2>"$T/err"
	rc=$?
}

jq_get() { # jq_get FILE PYTHON-EXPR  - print a value from a JSON file (r is the report)
	python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# html_without_ladders < PAGE: the HTML report less the ladders of its example calls and the
# lines about them: what a report merged from states (which has none) is compared with
html_without_ladders() {
	python3 tests/html_without_ladders.py
}

finish() {
	echo "1..$_n"
	exit $_failed
}

# one kamailio xlog line: kline SECOND req|rpl ...
kline() {
	if [ "$2" = req ]; then
		echo "Nov 24 13:00:$1 px kamailio[7]: NOTICE: <script>: siplog: req=$3 cseq=$4 $5 callid=$6 src=udp:10.0.0.1:5060 auth=no ua=P"
	else
		echo "Nov 24 13:00:$1 px kamailio[7]: NOTICE: <script>: siplog: rpl=$3 cseq=$4 $5 callid=$6 src=udp:10.0.0.9:5060 reason=R"
	fi
}
