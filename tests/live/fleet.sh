#!/bin/sh
# tests/live/fleet.sh - the README's fleet recipe (section "Fleets"), run as it stands: GNU
# parallel scans each shard of an archive over SSH on the host that holds it, brings the
# states back and merges them here. The two hosts are one sshd of our own on 127.0.0.2
# ("arch1": the older, gzipped files of the rotated set) and 127.0.0.3 ("sip1": the newer
# ones, the larger cut into two byte ranges), with a throwaway host key and client key,
# stopped by its PID. The merged report must be the report of one run over the whole
# archive (its run line aside), each shard must have run on its own host, in a working
# directory that is gone afterwards, and a shard that fails must stop the recipe before
# anything is merged. Then two proxies' logs of the same hours, one on each host, scanned
# with --host: the merged report must add the proxies' own reports up.
#
# Prints unnumbered TAP lines ("ok - ...", "not ok - ..."; tests/live/run.sh numbers them);
# exit status 1 on any failure. Needs root (sshd), the Debian packages parallel (GNU
# parallel, not moreutils' parallel), openssh-server, openssh-client and rsync (what
# parallel's --return uses), and perl, python3, gzip. sshd's privilege separation directory,
# /run/sshd, is made when it is missing and removed again. GNU parallel's working directories
# on the "remote" side lie under root's home (~/.parallel/tmp), as on a real host; the
# recipe removes them (checked here).
#   SIPLOGSCAN  the binary under test (default ./siplogscan)
#   FLEET_MB    megabytes of the generated archive (default 6; larger to measure: the
#               times and sizes are printed as comments)
set -u
cd "$(dirname "$0")/../.." || exit 2
ROOT=$(pwd)
BIN=${SIPLOGSCAN:-./siplogscan}
case "$BIN" in /*) ;; *) BIN="$ROOT/$BIN" ;; esac
W=$(mktemp -d "${TMPDIR:-/tmp}/siplogscan-fleet.XXXXXX")
# the sessions sshd starts have neither: the shards and the one run must read the same zone
unset TZ SSH_CONNECTION
pid=
made_privsep=
failed=0
ok() { echo "ok - fleet: $*"; }
notok() { echo "not ok - fleet: $*"; failed=1; }

stop() {
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill "$pid" 2>/dev/null
		i=0
		while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
		kill -9 "$pid" 2>/dev/null
	fi
	pid=
	# sshd itself, should timeout have left it (its PidFile)
	if [ -s "$W/ssh/sshd.pid" ]; then
		spid=$(cat "$W/ssh/sshd.pid")
		kill -0 "$spid" 2>/dev/null && kill "$spid" 2>/dev/null
	fi
	[ -z "$made_privsep" ] || rmdir /run/sshd 2>/dev/null
	made_privsep=
}
trap 'stop; rm -rf "$W"' EXIT
trap 'exit 130' INT TERM

# every program, or a failure naming its package
missing=
need() { command -v "$1" >/dev/null 2>&1 || missing="$missing $2"; }
need ssh openssh-client
need ssh-keygen openssh-client
need rsync rsync
need perl perl
need python3 python3
need gzip gzip
[ -x /usr/sbin/sshd ] || missing="$missing openssh-server"
parallel --version </dev/null 2>/dev/null | head -1 | grep -q '^GNU parallel' ||
	missing="$missing parallel"
if [ -n "$missing" ]; then
	notok "missing programs: apt-get install$missing (GNU parallel is Debian's parallel, not moreutils')"
	exit 1
fi
ok "GNU parallel $(parallel --version </dev/null | sed -n '1s/^GNU parallel //p'), sshd, ssh, rsync"

# ---- the archive: one generated Kamailio log (RFC 3339 stamps) cut at line starts into a
# rotated set, mid-call; the older two files gzipped on arch1, the newer two on sip1
A=$W/arch1/srv/archive/sip1
S=$W/sip1/var/log
mkdir -p "$A" "$S" "$W/bin" "$W/home" "$W/ssh" "$W/central/states"
python3 bench/gen.py --format xlog --size "${FLEET_MB:-6}" "$W/all.log" || { notok "bench/gen.py failed"; exit 1; }
python3 - "$W/all.log" "$A" "$S" <<'EOF'
import sys
src, a, s = sys.argv[1:]
lines = open(src, 'rb').read().split(b'\n')[:-1]
n = len(lines)
cut = [0, n * 2 // 10, n * 45 // 100, n * 8 // 10, n]
for i, name in enumerate([a + '/kamailio.log.3', a + '/kamailio.log.2',
                          s + '/kamailio.log.1', s + '/kamailio.log']):
    with open(name, 'wb') as f:
        f.write(b''.join(l + b'\n' for l in lines[cut[i]:cut[i + 1]]))
EOF
gzip "$A/kamailio.log.3" "$A/kamailio.log.2"
rm -f "$W/all.log"
half=$(($(wc -c <"$S/kamailio.log.1") / 2))

# ---- sshd on 127.0.0.2 and 127.0.0.3, one port (the kernel's pick on one address, tried
# on the other; a clash makes sshd fail below, and says so)
PORT=$(python3 -c '
import socket
for _ in range(20):
    a = socket.socket(); a.bind(("127.0.0.2", 0)); p = a.getsockname()[1]
    b = socket.socket()
    try:
        b.bind(("127.0.0.3", p))
    except OSError:
        continue
    print(p)
    break')
ssh-keygen -q -t ed25519 -N '' -C fleet-host -f "$W/ssh/host_key" &&
	ssh-keygen -q -t ed25519 -N '' -C fleet-client -f "$W/ssh/client_key" &&
	cp "$W/ssh/client_key.pub" "$W/ssh/authorized_keys" ||
	{ notok "ssh-keygen failed"; exit 1; }
# the "remote" siplogscan: the tree's binary, through a wrapper that records where each
# shard ran (the server address of its SSH connection) and in which directory
cat >"$W/bin/siplogscan" <<EOF
#!/bin/sh
echo "\${SSH_CONNECTION:-local}|\$PWD|\$*" >>"$W/calls.log"
exec "$BIN" "\$@"
EOF
chmod +x "$W/bin/siplogscan"
cat >"$W/ssh/sshd_config" <<EOF
ListenAddress 127.0.0.2:$PORT
ListenAddress 127.0.0.3:$PORT
HostKey $W/ssh/host_key
AuthorizedKeysFile $W/ssh/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
StrictModes no
UsePAM no
PidFile $W/ssh/sshd.pid
SetEnv PATH=$W/bin:/usr/bin:/bin HOME=$W/home
EOF
if [ ! -d /run/sshd ]; then
	mkdir -m 755 /run/sshd && made_privsep=1
fi
timeout 300 /usr/sbin/sshd -D -e -f "$W/ssh/sshd_config" >"$W/sshd.log" 2>&1 &
pid=$!
SSH="ssh -F none -i $W/ssh/client_key -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o ConnectTimeout=5 -p $PORT"
i=0
until $SSH root@127.0.0.2 true </dev/null 2>/dev/null && $SSH root@127.0.0.3 true </dev/null 2>/dev/null; do
	i=$((i + 1))
	if ! kill -0 "$pid" 2>/dev/null || [ $i -ge 50 ]; then
		notok "sshd did not start on 127.0.0.2 and 127.0.0.3, port $PORT"
		sed 's/^/#   /' "$W/sshd.log" | tail -20
		exit 1
	fi
	sleep 0.2
done
ok "sshd on 127.0.0.2:$PORT (arch1) and 127.0.0.3:$PORT (sip1), key login as root"

# ---- the recipe, between the README's markers, as it stands
python3 - README.md "$W/recipe.sh" <<'EOF'
import sys
text = open(sys.argv[1], encoding="utf-8").read()
block = text.split("<!-- fleet-recipe:begin")[1].split("<!-- fleet-recipe:end -->")[0]
code = block.split("```")[1].split("\n", 1)[1]
open(sys.argv[2], "w").write(code)
EOF
if grep -q '^parallel .*--return' "$W/recipe.sh" && grep -q 'siplogscan merge' "$W/recipe.sh"; then
	ok "README: the fleet recipe block runs parallel and siplogscan merge"
else
	notok "README: no fleet recipe between the fleet-recipe markers"
	exit 1
fi
# the hosts (the README's fleet.slf, with our ssh) and the shards, in the archive's order
cat >"$W/central/fleet.slf" <<EOF
@arch1/$SSH root@127.0.0.2
@sip1/$SSH root@127.0.0.3
EOF
# recipe DIR: run the recipe in DIR, here (HOME: GNU parallel's own files stay under $W),
# without stdin, bounded in time; exit status in $rc, stdout and stderr in DIR/out, DIR/err
recipe() {
	(cd "$1" && PATH="$W/bin:$PATH" HOME="$W/home" timeout 120 sh "$W/recipe.sh") \
		>"$1/out" 2>"$1/err" </dev/null
	rc=$?
}
C=$W/central
cat >"$C/shards" <<EOF
$A/kamailio.log.3.gz $A/kamailio.log.2.gz@arch1
--range $S/kamailio.log.1:0-$half $S/kamailio.log.1@sip1
--range $S/kamailio.log.1:$half- $S/kamailio.log.1 $S/kamailio.log@sip1
EOF
now() { date +%s.%N | cut -c1-14; }
since() { python3 -c "import sys; print('%.2f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$1" "$(now)"; }
t0=$(now)
recipe "$C"
secs=$(since "$t0")
if [ $rc -eq 0 ] && [ ! -s "$C/err" ]; then
	ok "the recipe: 3 shards on 2 hosts, scanned and merged in $secs s, exit 0, nothing on stderr (no stdin)"
else
	notok "the recipe: exit $rc"
	sed 's/^/#   /' "$C/err" | tail -20
fi
okc() { if eval "$2"; then ok "$1"; else notok "$1"; fi; }
okc "the three states came back (states/1.state, 2, 3)" \
	'[ -s "$C/states/1.state" ] && [ -s "$C/states/2.state" ] && [ -s "$C/states/3.state" ]'

# where each shard ran: its SSH connection's server address, by its --state-out
ran_on() { # ran_on N: the server address shard N ran on
	grep -- "--state-out $1.state " "$W/calls.log" | cut -d'|' -f1 | cut -d' ' -f3 | sort -u
}
okc "shard 1 (arch1's gzip files) ran on 127.0.0.2, shards 2 and 3 (sip1's) on 127.0.0.3" \
	'[ "$(ran_on 1)" = 127.0.0.2 ] && [ "$(ran_on 2)" = 127.0.0.3 ] && [ "$(ran_on 3)" = 127.0.0.3 ]'
okc "each shard ran once, the merge once, here" \
	'[ "$(grep -c -- "--state-out" "$W/calls.log")" = 3 ] &&
	 [ "$(grep -c "^local|.*merge" "$W/calls.log")" = 1 ]'
# left_behind: the working directories of the shards run so far that are still there
left_behind() {
	for d in $(grep -v '^local|' "$W/calls.log" | cut -d'|' -f2); do
		[ ! -e "$d" ] || echo "$d"
	done
}
okc "the shards' working directories on their hosts are removed" '[ -z "$(left_behind)" ]'

# the merged report against one run over the whole archive, here
t0=$(now)
"$BIN" -q -o "$W/one.txt" -o "$W/one.json" -o "$W/one.html" \
	"$A/kamailio.log.3.gz" "$A/kamailio.log.2.gz" "$S/kamailio.log.1" "$S/kamailio.log"
echo "# one run over the whole archive, here: $(since "$t0") s"
t0=$(now)
"$BIN" merge -q -o "$W/merged.json" "$C/states/1.state" "$C/states/2.state" "$C/states/3.state"
echo "# the merge of the three states alone: $(since "$t0") s"
# the HTML report less the ladders of its example calls: a merge has none (as tests/lib.sh)
html_without_ladders() {
	python3 "$ROOT/tests/html_without_ladders.py"
}
same() { # same FORMAT RUN-LINE-PATTERN
	grep -v "$2" "$W/one.$1" >"$W/a.cmp"
	grep -v "$2" "$C/fleet.$1" >"$W/b.cmp" 2>/dev/null
	if [ "$1" = html ]; then
		html_without_ladders <"$W/a.cmp" >"$W/a2.cmp" && mv "$W/a2.cmp" "$W/a.cmp"
		[ -s "$W/b.cmp" ] && html_without_ladders <"$W/b.cmp" >"$W/b2.cmp" && mv "$W/b2.cmp" "$W/b.cmp"
	fi
	if [ -s "$W/a.cmp" ] && cmp -s "$W/a.cmp" "$W/b.cmp"; then
		ok "the fleet's $1 report is the one run's over the whole archive (its run line aside)"
	else
		notok "the fleet's $1 report differs from the one run's"
		diff "$W/a.cmp" "$W/b.cmp" 2>&1 | head -6 | cut -c1-200 | sed 's/^/#   /'
	fi
}
same json '^  "run": '
same txt '^Scanned '
same html '^<p class="run">'
okc "the merged report lists the 4 files of the archive" \
	'[ "$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))[\"input\"][\"files\"]))" "$C/fleet.json")" = 4 ]'
echo "# states: $(wc -c <"$C/states/1.state") + $(wc -c <"$C/states/2.state") + $(wc -c <"$C/states/3.state") bytes, for logs of $(cat "$A"/* "$S"/* | wc -c) bytes on disk"

# proxies side by side: each host holds its own proxy's logs of the same hours, scanned with
# --host; the merged report adds the proxies up (docs/state.md, "Several hosts")
X=$W/proxies
P1=$W/arch1/var/log/px1
P2=$W/sip1/var/log/px2
mkdir -p "$X" "$P1" "$P2"
cp "$C/fleet.slf" "$X/"
for i in 1 2; do
	d=$P1
	[ $i = 1 ] || d=$P2
	python3 bench/gen.py --format xlog --size 3 --seed $((20 + i)) "$W/px$i.log" >/dev/null
	python3 - "$W/px$i.log" "$d/kamailio.log" <<'EOF'
import gzip, sys
data = open(sys.argv[1], "rb").read()
cut = data.index(b"\n", len(data) // 2) + 1
with gzip.open(sys.argv[2] + ".1.gz", "wb") as f:
    f.write(data[:cut])
open(sys.argv[2], "wb").write(data[cut:])
EOF
	"$BIN" -q -f json "$d/kamailio.log.1.gz" "$d/kamailio.log" >"$W/px$i.json"
done
cat >"$X/shards" <<EOF
--host px1 $P1/kamailio.log.1.gz $P1/kamailio.log@arch1
--host px2 $P2/kamailio.log.1.gz $P2/kamailio.log@sip1
EOF
recipe "$X"
okc "two proxies' logs of the same hours, one on each host, --host in shards: the recipe runs (exit $rc)" \
	'[ $rc -eq 0 ] && [ ! -s "$X/err" ] && [ -s "$X/fleet.json" ]'
sums=$(python3 - "$W/px1.json" "$W/px2.json" "$X/fleet.json" <<'EOF'
import json, sys
a, b, m = (json.load(open(f)) for f in sys.argv[1:4])
bad = [k for k in ("calls", "registrations") if a[k]["total"] + b[k]["total"] != m[k]["total"]]
bad += [k for k in ("trying", "stuck") if a["trying_to_final"][k] + b["trying_to_final"][k]
        != m["trying_to_final"][k]]
hosts = ",".join(f["path"].split(":")[0] for f in m["input"]["files"])
print("%d %s %d" % (len(bad), hosts, m["calls"]["total"]))
EOF
)
okc "the fleet report adds the two proxies up (calls, registrations, 100 Trying, stuck: $sums)" \
	'[ "${sums% *}" = "0 px1,px1,px2,px2" ]'

# a shard that fails (a file its host does not have) while another runs: no shard starts
# after it, the one running ends and cleans up, nothing is merged
F=$W/fail
mkdir -p "$F"
cp "$C/fleet.slf" "$F/"
cat >"$F/shards" <<EOF
$A/kamailio.log.3.gz $A/kamailio.log.2.gz@arch1
$S/kamailio.log.0@sip1
$S/kamailio.log@sip1
EOF
recipe "$F"
okc "a shard naming a missing file: the recipe fails (exit $rc), says which file, merges nothing" \
	'[ $rc -ne 0 ] && grep -q "kamailio.log.0" "$F/err" && [ ! -e "$F/fleet.json" ]'
okc "after it no shard started on its host, and no working directory is left" \
	'! grep -q -- "--state-out 3.state $S/kamailio.log\$" "$W/calls.log" && [ -z "$(left_behind)" ]'

exit $failed
