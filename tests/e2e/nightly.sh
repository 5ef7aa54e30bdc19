#!/bin/sh
# The README's nightly recipe, proven: tests/nightly/gen-week.py writes a week of a Kamailio
# proxy's syslog (Europe/Berlin, rsyslog's BSD stamps, logrotate with delaycompress, the end
# of CEST on Sunday 2026-10-25, and four incidents). For each night the log directory is
# rebuilt as it was at 06:15 local the morning after (the recipe's cron time, ten minutes
# before Debian's cron.daily rotates the logs: the live file then holds the night's last
# calls and the first hours of the new day), and the cron line of README.md's
# "nightly-recipe" block runs as it stands (paths moved under $T) with the clock set to that
# morning by faketime, so that `yesterday`, `today` and the `date` in the file names are
# the recipe's own. The mail is its stdout and stderr, as cron sends them.
. tests/lib.sh

if ! command -v faketime >/dev/null 2>&1; then
	ok "faketime is installed (apt-get install -y faketime)" false
	finish
fi
ZONE=Europe/Berlin

python3 tests/nightly/gen-week.py week "$T/week" 2>"$T/gen.err"
ok "the week is generated" [ $? -eq 0 ]

# The recipe: the cron lines between the README's markers, paths under $T, '\%' -> '%'
# (cron's own unescaping); the checks on the README's text are done here as well.
mkdir -p "$T/bin" "$T/lib/siplogscan/nightly" "$T/textfile" "$T/log"
case $BIN in /*) abs=$BIN ;; *) abs=$(pwd)/$BIN ;; esac
ln -s "$abs" "$T/bin/siplogscan"
python3 - README.md "$T" >"$T/readme.out" <<'EOF'
import os, re, shlex, sys
readme, T = sys.argv[1], sys.argv[2]
text = open(readme, encoding="utf-8").read()
block = text.split("<!-- nightly-recipe:begin")[1].split("<!-- nightly-recipe:end -->")[0]
jobs = {}
for line in block.splitlines():
	m = re.match(r"^(\S+ \S+ \S+ \S+ \S+)\s+(\S+)\s+(.*)$", line)
	if not m or line.startswith("MAILTO"):
		continue
	kind = "frequent" if m.group(1).startswith("*/") else "nightly"
	jobs[kind] = (m.group(2), m.group(3).replace("\\%", "%"))
def outputs(cmd):
	w = shlex.split(cmd.split("siplogscan ", 1)[1])
	return [w[i + 1] for i, a in enumerate(w) if a == "-o" and w[i + 1] != "-"]
out = {k: outputs(c) for k, (u, c) in jobs.items()}
print("jobs", " ".join(sorted(jobs)))
print("user", " ".join(sorted(set(u for u, c in jobs.values()))))
both = set(out.get("nightly", [])) & set(out.get("frequent", []))
print("shared-outputs", " ".join([str(len(both))] + sorted(both)))
print("nightly-outputs", " ".join(out.get("nightly", [])))
# every staleness alert in the README matches node_exporter's `file` label both ways:
# the file's name (node_exporter <= 1.2) and its full path (>= 1.3); each .prom file a
# job writes has one
proms = [p for o in out.values() for p in o if p.endswith(".prom")]
bad, covered = [], set()
for m in re.finditer(r"node_textfile_mtime_seconds\{([^}]*)\}", text):
	mm = re.search(r'file\s*=~\s*"((?:[^"\\]|\\.)*)"', m.group(1))
	if not mm:
		bad.append(m.group(0))
		continue
	rx = mm.group(1).replace("\\\\", "\\")
	hit = [p for p in proms if re.fullmatch(rx, p) and re.fullmatch(rx, os.path.basename(p))]
	if not hit:
		bad.append(m.group(0))
	covered.update(hit)
print("alerts-bad", " | ".join([str(len(bad))] + bad))
print("proms-without-alert", " ".join([str(len(set(proms) - covered))] + sorted(set(proms) - covered)))
for k, (u, c) in jobs.items():
	c = c.replace("/var/log/", T + "/log/").replace("/var/lib/siplogscan", T + "/lib/siplogscan")
	c = c.replace("/var/lib/prometheus/node-exporter", T + "/textfile")
	open(os.path.join(T, k + ".cmd"), "w").write(c + "\n")
EOF
get() { sed -n "s/^$1 //p" "$T/readme.out"; }
ok "README: the recipe block holds a nightly and a 5-minute job" [ "$(get jobs)" = "frequent nightly" ]
ok "README: each /etc/cron.d line names its user (root)" [ "$(get user)" = root ]
ok "README: the nightly and the 5-minute job write no file in common" [ "$(get shared-outputs)" = 0 ]
okc "README: the nightly writes a JSON, an HTML page and a .prom file" \
	'get nightly-outputs | grep -q "[.]json " && get nightly-outputs | grep -q "[.]html " &&
	 get nightly-outputs | grep -q "[.]prom"'
okc "README: every node_textfile_mtime_seconds alert matches the file's name and full path" \
	'[ "$(get alerts-bad)" = 0 ] || { echo "# $(get alerts-bad)"; false; }'
ok "README: each .prom file the jobs write has a staleness alert" [ "$(get proms-without-alert)" = 0 ]

# at LOCAL-TIME, run the job KIND (nightly, frequent) over $T/log as it was then.
# NO_FAKE_STAT: libfaketime moves the file times stat() returns by default, which would
# date the logs' yearless stamps in another year; only the clock is to be faked.
at() { # at 'YYYY-MM-DD HH:MM' KIND MAILFILE
	python3 tests/nightly/gen-week.py snapshot "$T/week" "$1" "$T/log" &&
		epoch=$(TZ=$ZONE date -d "$1" +%s) &&
		# a sanitizer build checks that its runtime comes first among the libraries, which
		# libfaketime's LD_PRELOAD changes: harmless here, so that check is off
		ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
		NO_FAKE_STAT=1 TZ=$ZONE PATH="$T/bin:$PATH" faketime "@$epoch" sh "$T/$2.cmd" >"$3" 2>&1
	rc=$?
}
next_day() { TZ=$ZONE date -d "$1 12:00 + 1 day" +%F; }
report() { echo "$T/lib/siplogscan/nightly/$1.json"; }
rule_holds() { grep -q "'$2' holds" "$1"; }
# (okc evaluates its condition inside itself, where $1... are its own: values go by name)
show_mail() { echo "# exit $rc"; sed "s/^/# /" "$mail" | head -20; false; }
quiet_night() { # quiet_night DAY DESCRIPTION
	mail=$T/mail.$1
	at "$(next_day "$1") 06:15" nightly "$mail"
	okc "$1 ($2): exit 0, no mail" '[ "$rc" -eq 0 ] && [ ! -s "$mail" ] || show_mail'
	# quiet, on a real day's traffic: answered calls near 70 %, so that SER, which counts busy
	# and no answer as failures, would have mailed (ser<95)
	json=$(report "$1")
	okc "$1: 500 or more INVITE attempts, SER between 60 and 80 %" \
		'[ "$(jq_get "$json" "r[\"kpi\"][\"invite_attempts\"] >= 500 and 60 <= r[\"kpi\"][\"ser\"][\"percent\"] <= 80")" = True ]'
}
incident_night() { # incident_night DAY RULE DESCRIPTION
	mail=$T/mail.$1
	rule=$2
	at "$(next_day "$1") 06:15" nightly "$mail"
	okc "$1 ($3): exit 1, the mail names $2" '[ "$rc" -eq 1 ] && rule_holds "$mail" "$rule" || show_mail'
}
window_is() { # window_is DAY SINCE UNTIL: the report's window, in UTC
	json=$(report "$1")
	want="$2 $3"
	okc "$1: the window is the local day, $2 to $3" \
		'[ "$(jq_get "$json" "r[\"input\"][\"since\"] + \" \" + r[\"input\"][\"until\"]")" = "$want" ]'
}
not_stuck() {
	json=$(report "$1")
	okc "$1: nothing stuck (the call ringing across midnight is answered, not stuck)" \
		'[ "$(jq_get "$json" "r[\"trying_to_final\"][\"stuck\"]")" = 0 ]'
}

quiet_night 2026-10-21 "the first night, no baseline"
okc "2026-10-21: the JSON, HTML and .prom files are written" \
	'[ -s "$(report 2026-10-21)" ] && [ -s "$T/lib/siplogscan/nightly/2026-10-21.html" ] &&
	 [ -s "$T/textfile/siplogscan.prom" ]'
ok "2026-10-21: baseline missing, said in the JSON" \
	[ "$(jq_get "$(report 2026-10-21)" 'r["baseline"]["status"]')" = missing ]
window_is 2026-10-21 2026-10-20T22:00:00Z 2026-10-21T22:00:00Z
not_stuck 2026-10-21

incident_night 2026-10-22 'change:kpi.isa>1' "gateway 1 silent 10:00-11:00"
not_stuck 2026-10-22
quiet_night 2026-10-23 "the night after the silent gateway"
rc23=$rc
not_stuck 2026-10-23

# logrotate at 06:25 changes which file holds what, not the report
mkdir -p "$T/alt"
sed "s|$T/lib/siplogscan/nightly|$T/alt|; s|$T/textfile|$T/alt|" "$T/nightly.cmd" >"$T/late.cmd"
cp "$(report 2026-10-22)" "$T/alt/"
at "2026-10-24 06:35" late "$T/mail.late"
# (the figures; a problem's example calls name the file and line, which logrotate changed)
figures='(r["totals"], r["calls"], r["kpi"], r["trying_to_final"], [(p["id"], p["count"], p["denominator"]) for p in r["problems"]])'
okc "2026-10-23 again at 06:35, after logrotate: the same exit status and figures" \
	'[ "$rc" -eq "$rc23" ] && [ "$(jq_get "$T/alt/2026-10-23.json" "$figures")" = "$(jq_get "$(report 2026-10-23)" "$figures")" ]'

incident_night 2026-10-24 'change:kpi.isa>1' "gateway 1 answers 503, 16:20-17:00"
quiet_night 2026-10-25 "the end of CEST: a 25-hour day, 02:00-03:00 twice"
window_is 2026-10-25 2026-10-24T22:00:00Z 2026-10-25T23:00:00Z
not_stuck 2026-10-25
incident_night 2026-10-26 'www-auth-rejected>5%' "a scanner guessing passwords, 02:10-02:40"

mail=$T/mail.2026-10-27
at "2026-10-28 06:15" nightly "$mail"
okc "2026-10-27 (Kamailio logs no SIP since 23:50 the day before): exit 2, mailed" \
	'[ "$rc" -eq 2 ] && grep -Eqi "no SIP|none in the window" "$mail" || show_mail'
ok "2026-10-27: the mail names the files read" grep -q "kamailio[.]log[.]1" "$mail"
quiet_night 2026-10-28 "logging back at 09:12, the baseline a night without data"
not_stuck 2026-10-28

# the 5-minute job writes its own file and leaves the nightly's alone
before=$(stat -c %Y:%s "$T/textfile/siplogscan.prom")
at "2026-10-28 12:00" frequent "$T/mail.frequent"
okc "the 5-minute job: exit 0, silent, writes siplogscan-live.prom, not the nightly's file" \
	'[ "$rc" -eq 0 ] && [ ! -s "$T/mail.frequent" ] && [ -s "$T/textfile/siplogscan-live.prom" ] &&
	 [ "$(stat -c %Y:%s "$T/textfile/siplogscan.prom")" = "$before" ]'
finish
