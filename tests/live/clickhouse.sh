#!/bin/sh
# tests/live/clickhouse.sh - --calls-ndjson loaded into a real ClickHouse: the Debian
# clickhouse-server, started here on 127.0.0.1 with a throwaway configuration and data
# directory and a free port, stopped by its own PID. For each log given (default: the
# Kamailio samples and a generated log) it loads the rows with FORMAT JSONEachRow (plain and
# from the .gz), runs the SQL of docs/calls-ndjson.md as it stands there, and compares every
# figure with the JSON report of the same run.
#
# Prints unnumbered TAP lines ("ok - ...", "not ok - ..."; tests/live/run.sh numbers them);
# exit status 1 on any failure. Needs clickhouse-server, clickhouse-client, python3, gzip.
# Runs as root or as a user (the server runs as whoever runs this).
#   SIPLOGSCAN  the binary under test (default ./siplogscan)
set -u
cd "$(dirname "$0")/../.." || exit 2
BIN=${SIPLOGSCAN:-./siplogscan}
DOC=docs/calls-ndjson.md
W=$(mktemp -d "${TMPDIR:-/tmp}/siplogscan-ch.XXXXXX")
pid=
failed=0
ok() { echo "ok - clickhouse: $*"; }
notok() { echo "not ok - clickhouse: $*"; failed=1; }

stop() {
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill "$pid" 2>/dev/null
		i=0
		while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.2; i=$((i + 1)); done
		kill -9 "$pid" 2>/dev/null
	fi
	pid=
}
trap 'stop; rm -rf "$W"' EXIT
trap 'exit 130' INT TERM

for p in clickhouse-server clickhouse-client python3 gzip; do
	if ! command -v $p >/dev/null 2>&1; then
		notok "$p is not installed (apt-get install clickhouse-server clickhouse-client)"
		exit 1
	fi
done

# a free port on loopback (the kernel's pick; another process could take it before the
# server does: then the server fails to start and says so below)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$W/data" "$W/tmp" "$W/user_files"
cat >"$W/config.xml" <<EOF
<yandex>
  <logger><level>warning</level><log>$W/server.log</log><errorlog>$W/server.err</errorlog><console>0</console></logger>
  <tcp_port>$PORT</tcp_port>
  <listen_host>127.0.0.1</listen_host>
  <path>$W/data/</path>
  <tmp_path>$W/tmp/</tmp_path>
  <user_files_path>$W/user_files/</user_files_path>
  <users_config>$W/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <mark_cache_size>67108864</mark_cache_size>
</yandex>
EOF
cat >"$W/users.xml" <<'EOF'
<yandex>
  <profiles><default><max_memory_usage>2000000000</max_memory_usage></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default></users>
  <quotas><default></default></quotas>
</yandex>
EOF
clickhouse-server --config-file="$W/config.xml" >"$W/server.out" 2>&1 &
pid=$!
CH="clickhouse-client --host 127.0.0.1 --port $PORT"
# up within 30 s, or it failed
i=0
until $CH --query "SELECT 1" >/dev/null 2>&1; do
	i=$((i + 1))
	if ! kill -0 "$pid" 2>/dev/null || [ $i -ge 150 ]; then
		notok "clickhouse-server did not start on 127.0.0.1:$PORT"
		sed 's/^/#   /' "$W/server.out" "$W/server.err" 2>/dev/null | tail -20
		exit 1
	fi
	sleep 0.2
done
ok "clickhouse-server $($CH --query 'SELECT version()') on 127.0.0.1:$PORT (pid $pid)"

# the SQL blocks of the doc, by the name on their first line ("-- create")
sql() {
	python3 - "$DOC" "$1" <<'EOF'
import re, sys
doc, name = open(sys.argv[1], encoding="utf-8").read(), sys.argv[2]
blocks = [b for b in re.findall(r"```sql\n(.*?)```", doc, re.S) if b.startswith("-- " + name + "\n")]
if len(blocks) != 1:
    sys.exit("%s: %d sql blocks named %s" % (sys.argv[1], len(blocks), name))
print(blocks[0].split("\n", 1)[1])
EOF
}
for q in create headline problems; do
	if ! sql $q >"$W/$q.sql"; then notok "no '-- $q' SQL block in $DOC"; exit 1; fi
done

# the headline query's columns, each the JSON report's figure of that path
cat >"$W/compare.py" <<'EOF'
import json, sys
head, probs, report, label = sys.argv[1:5]
r = json.load(open(report))
paths = {
    "call_ids_total": "call_ids.total", "calls_total": "calls.total",
    "registrations_total": "registrations.total", "options_pings_total": "options_pings.total",
    "other_transactions_total": "other_transactions.total",
    "call_ids_settled_idle": "call_ids.settled_idle",
    "call_ids_settled_early": "call_ids.settled_early",
    "call_ids_open_at_end": "call_ids.open_at_end",
    "trying_to_final_trying": "trying_to_final.trying",
    "trying_to_final_stuck": "trying_to_final.stuck",
    "kpi_invite_attempts": "kpi.invite_attempts", "kpi_asr_num": "kpi.asr.num",
    "kpi_no_final": "kpi.no_final",
}
for a in ("proxy_auth", "www_auth"):
    for f in ("challenged", "not_retried", "accepted", "rechallenged"):
        paths[a + "_" + f] = a + "." + f
def fig(path):
    # null in the report: the log cannot give it (an accounting log has no 100 Trying or
    # challenges); then no row may count in it
    v = r
    for p in path.split("."):
        if v is None:
            return 0
        v = v[p]
    return 0 if v is None else v
lines = open(head).read().splitlines()
assert len(lines) == 1, lines
row = json.loads(lines[0])
bad = []
for col, v in row.items():
    if col not in paths:
        bad.append("column %s of the doc's headline query is not mapped here" % col)
    elif v is None or int(v) != fig(paths[col]):
        bad.append("%s = %s, report %s = %s" % (col, v, paths[col], fig(paths[col])))
missing = set(paths) - set(row)
if missing:
    bad.append("the headline query lost %s" % sorted(missing))
got = {json.loads(l)["problem"]: int(json.loads(l)["count"]) for l in open(probs) if l.strip()}
want = {p["id"]: p["count"] for p in r["problems"] if p["id"] not in
        ("auth-scanner", "auth-break-in", "auth-guessing", "auth-spread-guessing")}
if got != want:
    bad.append("problems %s, report %s" % (got, want))
if bad:
    for b in bad:
        print("#   " + b)
    sys.exit(1)
print("%d figures and %d problems equal the report (calls %s)" %
      (len(row), len(got), row["calls_total"]))
EOF

# load FILE [gz]: a fresh table, the rows through clickhouse-client
load() {
	$CH --query "DROP TABLE IF EXISTS calls" &&
	$CH --multiquery <"$W/create.sql" &&
	if [ "${2:-}" = gz ]; then
		gzip -dc "$1" | $CH --input_format_skip_unknown_fields=1 --query "INSERT INTO calls FORMAT JSONEachRow"
	else
		$CH --input_format_skip_unknown_fields=1 --query "INSERT INTO calls FORMAT JSONEachRow" <"$1"
	fi
}

if [ $# -eq 0 ]; then
	python3 bench/gen.py --format xlog --size 8 --seed 11 "$W/generated.log"
	set -- samples/kamailio/kamailio-rfc3339.log samples/kamailio/acc/kamailio-acc.log \
		samples/kamailio/kamailio-stderr.log \
		"$W/generated.log"
fi
for f in "$@"; do
	name=$(basename "$f")
	if ! "$BIN" -q -f json --calls-ndjson "$W/calls.ndjson" -o "$W/report.json" "$f" 2>"$W/run.err" ||
		! "$BIN" -q --calls-ndjson "$W/calls.ndjson.gz" -o /dev/null "$f" 2>>"$W/run.err"; then
		notok "$name: siplogscan failed"
		sed 's/^/#   /' "$W/run.err"
		continue
	fi
	rows=$(wc -l <"$W/calls.ndjson")
	if load "$W/calls.ndjson" 2>"$W/load.err" &&
		[ "$($CH --query 'SELECT count() FROM calls')" -eq "$rows" ]; then
		ok "$name: $rows rows loaded with FORMAT JSONEachRow"
	else
		notok "$name: loading the rows failed"
		sed 's/^/#   /' "$W/load.err" | tail -5
		continue
	fi
	if $CH --multiquery <"$W/headline.sql" >"$W/headline.out" 2>"$W/q.err" &&
		$CH --multiquery <"$W/problems.sql" >"$W/problems.out" 2>>"$W/q.err" &&
		python3 "$W/compare.py" "$W/headline.out" "$W/problems.out" "$W/report.json" "$name" >"$W/cmp.out"
	then
		ok "$name: the doc's SQL gives the report's figures: $(cat "$W/cmp.out")"
	else
		notok "$name: the doc's SQL and the report differ"
		sed 's/^/#   /' "$W/q.err"
		cat "$W/cmp.out"
	fi
	# the times load as integers; toDateTime() as the doc says, against the strings
	t=$($CH --query "SELECT countIf(ifNull(toString(toDateTime(intDiv(first_us, 1000000), 'UTC')) = replaceRegexpOne(substring(first_time, 1, 19), 'T', ' '), 0)), countIf(first_us IS NOT NULL OR first_time IS NOT NULL) FROM calls FORMAT TSV" 2>&1)
	same=${t%%	*} all=${t#*	}
	if [ -n "$same" ] && [ "$same" = "$all" ]; then
		ok "$name: first_us as a DateTime is first_time to the second ($same rows with a time)"
	else
		notok "$name: first_us and first_time disagree: $t"
	fi
	if load "$W/calls.ndjson.gz" gz 2>"$W/load.err" &&
		[ "$($CH --query 'SELECT count() FROM calls')" -eq "$rows" ] &&
		$CH --multiquery <"$W/headline.sql" | cmp -s - "$W/headline.out"; then
		ok "$name: the .gz file loads the same rows"
	else
		notok "$name: the .gz file loads differently"
	fi
done

# hostile strings load and read back as they were written (the Call-ID: a quote, backslashes,
# ESC, a byte that is not UTF-8, U+2028)
printf 'Nov 24 13:00:01 px kamailio[7]: NOTICE: <script>: siplog: req=INVITE cseq=1 INVITE callid=q"b\\\\c\033[31m\377\342\200\250z src=udp:10.0.0.1:5060 auth=no ua=Evil"UA\001\n' >"$W/h.log"
"$BIN" -q --calls-ndjson "$W/h.ndjson" -o /dev/null "$W/h.log"
if load "$W/h.ndjson" 2>"$W/load.err" &&
	$CH --query "SELECT call_id, user_agent FROM calls FORMAT JSONEachRow" >"$W/h.out" &&
	python3 -c '
import json, sys
a = json.loads(open(sys.argv[1]).read())
b = json.loads(open(sys.argv[2]).read())
assert (a["call_id"], a["user_agent"]) == (b["call_id"], b["user_agent"]), (a, b)
' "$W/h.ndjson" "$W/h.out" 2>"$W/h.err"; then
	ok "a hostile Call-ID and User-Agent read back from ClickHouse as written"
else
	notok "a hostile Call-ID did not survive ClickHouse"
	sed 's/^/#   /' "$W/load.err" "$W/h.err"
fi
stop
exit $failed
