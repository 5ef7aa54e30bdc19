#!/bin/sh
# Time zones: --tz ZONE (else TZ, else /etc/localtime) for stamps that carry no zone, the
# repeated autumn hour and the spring gap, --since/--until in the zone, per-hour rows on the
# zone's hours, and the zone named in JSON and CSV while their times stay UTC.
# Needs the zone files of tzdata (/usr/share/zoneinfo).
. tests/lib.sh

if [ ! -f /usr/share/zoneinfo/Europe/Berlin ] && [ -z "${TZDIR:-}" ]; then
	echo "not ok 1 - tzdata is not installed (apt-get install tzdata): /usr/share/zoneinfo/Europe/Berlin is missing"
	echo "1..1"
	exit 1
fi

# one kamailio xlog line with the stamp STAMP: xl STAMP req|rpl METHOD|CODE CALLID
xl() {
	if [ "$2" = req ]; then
		echo "$1 px kamailio[7]: NOTICE: <script>: siplog: req=$3 cseq=1 INVITE callid=$4 src=udp:10.0.0.1:5060 auth=no ua=P"
	else
		echo "$1 px kamailio[7]: NOTICE: <script>: siplog: rpl=$3 cseq=1 INVITE callid=$4 src=udp:10.0.0.9:5060 reason=R"
	fi
}
# a call: INVITE and 100 Trying at START, FINAL at END
call() { # call START END FINAL CALLID
	xl "$1" req INVITE "$4"
	xl "$1" rpl 100 "$4"
	xl "$2" rpl "$3" "$4"
}
# BSD stamps have no year: it comes from the file's mtime
stamp() { touch -d '2026-11-24 23:59:59 UTC' "$@"; }

# --- BSD stamps in a zone --------------------------------------------------------------
call "Nov 24 13:00:01" "Nov 24 13:00:03" 200 b1 >"$T/bsd.log"
stamp "$T/bsd.log"
run -q -f json --tz Europe/Berlin "$T/bsd.log"
okc "--tz Europe/Berlin: a BSD stamp 13:00:01 (CET) is 12:00:01Z in JSON" \
	'[ "$(jq_get "$T/out" "r[\"input\"][\"first_time\"]")" = 2026-11-24T12:00:01Z ]'
okc "JSON names the zone: input.timezone" \
	'[ "$(jq_get "$T/out" "r[\"input\"][\"timezone\"]")" = Europe/Berlin ]'
okc "the per-hour key is UTC too" \
	'[ "$(jq_get "$T/out" "r[\"timeline\"][0][\"hour\"]")" = 2026-11-24T12:00:00Z ]'
run -q --tz Europe/Berlin "$T/bsd.log"
okc "text: times in the zone with the offset" \
	'grep -q "from 2026-11-24 13:00:01 +01:00 to 2026-11-24 13:00:03 +01:00" "$T/out"'
okc "text: the zone is named" 'grep -q "times shown in Europe/Berlin" "$T/out"'
run -q -f html --tz Europe/Berlin "$T/bsd.log"
okc "HTML: times in the zone with the offset, zone named" \
	'grep -q "2026-11-24 13:00:01 +01:00" "$T/out" && grep -q "times in Europe/Berlin" "$T/out"'
run -q -f csv --tz Europe/Berlin "$T/bsd.log"
okc "CSV: times stay UTC, a row names the zone" \
	'grep -q "\"totals\",\"time\",\"first\",\"2026-11-24T12:00:01Z\"" "$T/out" &&
	 grep -q "\"totals\",\"time\",\"timezone\",\"Europe/Berlin\"" "$T/out"'
run -q --tz Europe/Berlin --calls-csv "$T/calls.csv" -f json "$T/bsd.log"
okc "--calls-csv first_time stays UTC" 'grep -q "2026-11-24T12:00:01Z" "$T/calls.csv"'

# the TZ of the run is the default; --tz wins over it
TZ=America/New_York "$BIN" -q -f json "$T/bsd.log" >"$T/ny.json" 2>"$T/err"
okc "TZ=America/New_York: 13:00:01 EST is 18:00:01Z" \
	'[ "$(jq_get "$T/ny.json" "r[\"input\"][\"first_time\"]")" = 2026-11-24T18:00:01Z ] &&
	 [ "$(jq_get "$T/ny.json" "r[\"input\"][\"timezone\"]")" = America/New_York ]'
TZ=America/New_York "$BIN" -q -f json --tz UTC "$T/bsd.log" >"$T/utc.json" 2>"$T/err"
okc "--tz UTC wins over TZ" \
	'[ "$(jq_get "$T/utc.json" "r[\"input\"][\"first_time\"]")" = 2026-11-24T13:00:01Z ]'
run -q "$T/bsd.log"
okc "TZ=UTC (the suites' default): the report reads as always (...Z times, 'Per hour (UTC)')" \
	'grep -q "from 2026-11-24T13:00:01Z to 2026-11-24T13:00:03Z" "$T/out"'

# --- a stamp with an offset keeps it; zoneless ISO and time of day follow the zone --------
call "2026-11-24T13:00:01+02:00" "2026-11-24T13:00:02+02:00" 200 o1 >"$T/off.log"
for z in UTC Europe/Berlin America/New_York Asia/Kolkata; do
	run -q -f json --tz $z "$T/off.log"
	okc "a +02:00 stamp keeps its offset with --tz $z" \
		'[ "$(jq_get "$T/out" "r[\"input\"][\"first_time\"]")" = 2026-11-24T11:00:01Z ]'
done
call "2026-11-24 13:00:01" "2026-11-24 13:00:02" 200 i1 >"$T/iso.log"
run -q -f json --tz America/New_York "$T/iso.log"
okc "a zoneless ISO stamp is read in the zone" \
	'[ "$(jq_get "$T/out" "r[\"input\"][\"first_time\"]")" = 2026-11-24T18:00:01Z ]'

# --- unknown zones ------------------------------------------------------------------------
run -q --tz Mars/Olympus_Mons "$T/bsd.log"
okc "an unknown --tz is a usage error (exit 2)" '[ "$rc" -eq 2 ] && [ ! -s "$T/out" ]'
okc "... that says how to list the zones" \
	'grep -q "unknown time zone .Mars/Olympus_Mons." "$T/err" &&
	 grep -q "timedatectl list-timezones" "$T/err" && grep -q "/usr/share/zoneinfo" "$T/err"'
run -q --tz ../../../etc/passwd "$T/bsd.log"
okc "a --tz that leaves the zone folder is refused" '[ "$rc" -eq 2 ]'
run -q --tz zone.tab "$T/bsd.log"
okc "a file of the zone folder that is no zone is refused" '[ "$rc" -eq 2 ]'
TZ=Nowhere/Town "$BIN" -q "$T/bsd.log" >"$T/out" 2>"$T/err"
rc=$?
okc "a TZ variable that names no zone is a usage error pointing at --tz" \
	'[ "$rc" -eq 2 ] && grep -q "TZ environment variable" "$T/err" && grep -q -- "--tz" "$T/err"'

# --- autumn: the repeated hour, resolved by log order ------------------------------------
# 2026-10-25 in Berlin: 03:00 CEST becomes 02:00 CET. a2 starts at 02:59:58 CEST and ends
# 02:00:03 CET, 5 s later; a3 at 02:00:05 is in the second pass (the log is past 02:59:58).
{
	call "Oct 25 02:59:50" "Oct 25 02:59:51" 486 a1
	call "Oct 25 02:59:58" "Oct 25 02:00:03" 200 a2
	call "Oct 25 02:00:05" "Oct 25 02:00:06" 486 a3
} >"$T/autumn.log"
stamp "$T/autumn.log"
run -q -f json --tz Europe/Berlin "$T/autumn.log"
okc "autumn: 02:59:58 CEST -> 02:00:03 CET is 5 s, not -1 h" \
	'[ "$(jq_get "$T/out" "r[\"trying_to_final\"][\"delay_ms\"][\"max\"]")" = 5000.0 ]'
okc "autumn: nothing stuck, nothing settled idle" \
	'[ "$(jq_get "$T/out" "r[\"trying_to_final\"][\"stuck\"]")" = 0 ] &&
	 [ "$(jq_get "$T/out" "r[\"call_ids\"][\"settled_idle\"]")" = 0 ]'
okc "autumn: 02:59:50 is CEST (00:59:50Z), the last 02:00:06 CET (01:00:06Z)" \
	'[ "$(jq_get "$T/out" "r[\"input\"][\"first_time\"]")" = 2026-10-25T00:59:50Z ] &&
	 [ "$(jq_get "$T/out" "r[\"input\"][\"last_time\"]")" = 2026-10-25T01:00:06Z ]'
okc "autumn: the two readings of 02:00 are two per-hour rows" \
	'[ "$(jq_get "$T/out" "\" \".join(t[\"hour\"] for t in r[\"timeline\"])")" = "2026-10-25T00:00:00Z 2026-10-25T01:00:00Z" ]'
run -q --tz Europe/Berlin "$T/autumn.log"
okc "autumn: text rows 02:00 +02:00 and 02:00 +01:00" \
	'grep -q "^  2026-10-25 02:00 +02:00 " "$T/out" && grep -q "^  2026-10-25 02:00 +01:00 " "$T/out"'

# --- spring: the gap is no delay ----------------------------------------------------------
# 2026-03-29 in Berlin: 02:00 CET becomes 03:00 CEST. 01:59:58 -> 03:00:02 is 4 s; a stamp
# inside the gap (no correct clock shows 02:30) is the instant of the change.
{
	xl "Mar 29 01:59:58" req INVITE s1
	xl "Mar 29 01:59:58" rpl 100 s1
	xl "Mar 29 01:59:59" req INVITE s2
	xl "Mar 29 01:59:59" rpl 100 s2
	xl "Mar 29 02:30:00" rpl 486 s2
	xl "Mar 29 02:30:00" req OPTIONS s3
	xl "Mar 29 03:00:02" rpl 200 s1
} >"$T/spring.log"
stamp "$T/spring.log"
run -q -f json --tz Europe/Berlin "$T/spring.log"
okc "spring: 01:59:58 CET -> 03:00:02 CEST is 4 s; 01:59:59 -> 02:30:00 (in the gap) is 1 s" \
	'[ "$(jq_get "$T/out" "r[\"trying_to_final\"][\"delay_ms\"][\"max\"]")" = 4000.0 ] &&
	 [ "$(jq_get "$T/out" "r[\"trying_to_final\"][\"delay_ms\"][\"p50\"]")" = 1000.0 ]'
okc "spring: no call settled idle (--call-timeout 32), none stuck" \
	'[ "$(jq_get "$T/out" "r[\"call_ids\"][\"settled_idle\"]")" = 0 ] &&
	 [ "$(jq_get "$T/out" "r[\"trying_to_final\"][\"stuck\"]")" = 0 ]'
run -q -f json --tz Europe/Berlin --since 2026-03-29T01:00:00Z --until 2026-03-29T01:00:01Z "$T/spring.log"
okc "spring: the stamp in the gap is the instant of the change, 01:00:00Z" \
	'[ "$(jq_get "$T/out" "r[\"totals\"][\"records\"]")" = 1 ]'
run -q -f json --tz UTC "$T/spring.log"
okc "spring read as UTC would settle the call idle (what --tz fixes)" \
	'[ "$(jq_get "$T/out" "r[\"call_ids\"][\"settled_idle\"]")" != 0 ]'

# --- the per-hour table on DST days: 25 and 23 rows --------------------------------------
{
	for h in 00 01 02; do call "Oct 25 $h:30:00" "Oct 25 $h:30:01" 200 d$h; done
	call "Oct 25 02:59:58" "Oct 25 02:00:03" 200 dx
	for h in 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19 20 21 22 23; do
		call "Oct 25 $h:30:00" "Oct 25 $h:30:01" 200 e$h
	done
} >"$T/oct25.log"
{
	for h in 00 01 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19 20 21 22 23; do
		call "Mar 29 $h:30:00" "Mar 29 $h:30:01" 200 m$h
	done
} >"$T/mar29.log"
stamp "$T/oct25.log" "$T/mar29.log"
run -q -f json --tz Europe/Berlin "$T/oct25.log"
okc "the day the clocks go back has 25 hourly rows" \
	'[ "$(jq_get "$T/out" "len(r[\"timeline\"])")" = 25 ]'
run -q -f json --tz Europe/Berlin "$T/mar29.log"
okc "the day the clocks go forward has 23 hourly rows" \
	'[ "$(jq_get "$T/out" "len(r[\"timeline\"])")" = 23 ]'
run -q --tz Europe/Berlin "$T/mar29.log"
okc "text: Per hour (Europe/Berlin), 01:00 +01:00 then 03:00 +02:00" \
	'grep -q "^Per hour (Europe/Berlin)" "$T/out" && grep -A1 "^  2026-03-29 01:00 +01:00 " "$T/out" | grep -q "^  2026-03-29 03:00 +02:00 "'

# --- a zone 30 minutes off UTC buckets on its own hours ----------------------------------
{
	call "Nov 24 10:15:00" "Nov 24 10:15:01" 200 k1
	call "Nov 24 10:45:00" "Nov 24 10:45:01" 200 k2
	call "Nov 24 11:10:00" "Nov 24 11:10:01" 486 k3
} >"$T/kolkata.log"
stamp "$T/kolkata.log"
run -q -f json --tz Asia/Kolkata "$T/kolkata.log"
okc "Asia/Kolkata: hours start at :30 UTC, 2 + 1 calls" \
	'[ "$(jq_get "$T/out" "\" \".join(\"%s=%d\" % (t[\"hour\"], t[\"calls\"]) for t in r[\"timeline\"])")" = "2026-11-24T04:30:00Z=2 2026-11-24T05:30:00Z=1" ]'
run -q --tz Asia/Kolkata "$T/kolkata.log"
okc "Asia/Kolkata: text rows 10:00 +05:30 and 11:00 +05:30" \
	'grep -q "^  2026-11-24 10:00 +05:30 " "$T/out" && grep -q "^  2026-11-24 11:00 +05:30 " "$T/out"'

# --- --since/--until in the zone ----------------------------------------------------------
run -q -f json --tz Europe/Berlin --since 2026-11-24 --until 2026-11-24T13:00:02 "$T/bsd.log"
okc "--since DATE is the zone's midnight, --until a zoneless time is the zone's" \
	'[ "$(jq_get "$T/out" "r[\"input\"][\"since\"]")" = 2026-11-23T23:00:00Z ] &&
	 [ "$(jq_get "$T/out" "r[\"input\"][\"until\"]")" = 2026-11-24T12:00:02Z ] &&
	 [ "$(jq_get "$T/out" "r[\"input\"][\"followed_past_until\"]")" = 1 ]'
run -q -f json --tz Europe/Berlin --since 2026-11-24T13:00Z "$T/bsd.log"
okc "--since with Z keeps UTC" '[ "$(jq_get "$T/out" "r[\"input\"][\"since\"]")" = 2026-11-24T13:00:00Z ]'
run -q -f json --tz Europe/Berlin --since 2026-10-25 --until 2026-10-26 "$T/oct25.log"
okc "a DST day as a window is 25 hours, every call of it inside" \
	'[ "$(jq_get "$T/out" "r[\"input\"][\"since\"]")" = 2026-10-24T22:00:00Z ] &&
	 [ "$(jq_get "$T/out" "r[\"input\"][\"until\"]")" = 2026-10-25T23:00:00Z ] &&
	 [ "$(jq_get "$T/out" "r[\"input\"][\"outside\"]")" = 0 ]'

# yesterday/today around local midnight. In New York, yesterday 23:59:58 is the next UTC
# day: in the local day with --tz America/New_York, outside the UTC day with --tz UTC.
Y=$(TZ=America/New_York date -d yesterday +%F)
D=$(TZ=America/New_York date +%F)
utc() { TZ=UTC date -d "TZ=\"America/New_York\" $1" +%Y-%m-%dT%H:%M:%SZ; }
bsd() { TZ=America/New_York date -d "$1" '+%b %e %H:%M:%S'; }
{
	call "$(utc "$Y 00:00:01")" "$(utc "$Y 00:00:02")" 200 y1
	call "$(utc "$Y 23:59:58")" "$(utc "$Y 23:59:59")" 200 y2
	call "$(utc "$D 00:00:02")" "$(utc "$D 00:00:03")" 200 y3
} >"$T/mid.log"
run -q -f json --tz America/New_York --since yesterday --until today "$T/mid.log"
okc "--since yesterday --until today in New York: the local day, midnight to midnight" \
	'[ "$(jq_get "$T/out" "r[\"input\"][\"since\"]")" = "$(utc "$Y 00:00")" ] &&
	 [ "$(jq_get "$T/out" "r[\"input\"][\"until\"]")" = "$(utc "$D 00:00")" ]'
okc "... holds the calls of 00:00:01 and 23:59:58 local, not 00:00:02 today" \
	'[ "$(jq_get "$T/out" "r[\"calls\"][\"total\"]")" = 2 ] && [ "$(jq_get "$T/out" "r[\"input\"][\"outside\"]")" = 3 ]'
run -q -f json --tz UTC --since "$Y" --until "$D" "$T/mid.log"
okc "... while the UTC day leaves 23:59:58 New York time out (it is the next UTC day)" \
	'[ "$(jq_get "$T/out" "r[\"calls\"][\"total\"]")" = 1 ] &&
	 [ "$(jq_get "$T/out" "r[\"input\"][\"first_time\"]")" = "$(utc "$Y 00:00:01")" ]'
{
	call "$(bsd "$Y 23:59:58")" "$(bsd "$Y 23:59:59")" 200 z1
	call "$(bsd "$D 00:00:02")" "$(bsd "$D 00:00:03")" 200 z2
} >"$T/midbsd.log"
run -q -f json --tz America/New_York --since yesterday --until today "$T/midbsd.log"
okc "BSD stamps: 23:59:58 local yesterday is in yesterday's window, 00:00:02 today is not" \
	'[ "$(jq_get "$T/out" "r[\"calls\"][\"total\"]")" = 1 ] &&
	 [ "$(jq_get "$T/out" "r[\"input\"][\"first_time\"]")" = "$(utc "$Y 23:59:58")" ]'

# --- the same report whatever -j and block size, in a zone, across the autumn change ------
python3 - "$T/big.log" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    # one call every 2 s from 01:30 CEST through the repeated hour to 03:30 CET
    def line(stamp, rest):
        f.write(f"{stamp} px kamailio[7]: NOTICE: <script>: siplog: {rest}\n")
    t = 0
    for n in range(3 * 3600 // 2):
        s = 90 * 60 + 2 * n          # seconds after 00:00 CEST on the first pass
        # wall clock: after 03:00 CEST (s >= 3 h) the clock reads an hour less
        w = s if s < 3 * 3600 else s - 3600
        stamp = "Oct 25 %02d:%02d:%02d" % (w // 3600, w // 60 % 60, w % 60)
        cid = "c%d" % n
        line(stamp, f"req=INVITE cseq=1 INVITE callid={cid} src=udp:10.0.0.1:5060 auth=no ua=P")
        line(stamp, f"rpl=100 cseq=1 INVITE callid={cid} src=udp:10.0.0.9:5060 reason=R")
        line(stamp, f"rpl={200 if n % 3 else 486} cseq=1 INVITE callid={cid} src=udp:10.0.0.9:5060 reason=R")
PY
stamp "$T/big.log"
"$BIN" -q -f json --tz Europe/Berlin -j1 --block-size 64M "$T/big.log" >"$T/j1.json"
"$BIN" -q -f json --tz Europe/Berlin -j4 --block-size 4K "$T/big.log" >"$T/j4.json"
okc "-j1 and -j4 with 4K blocks give the same report across the repeated hour" \
	'grep -v "^  \"run\": " "$T/j1.json" >"$T/j1" && grep -v "^  \"run\": " "$T/j4.json" >"$T/j4" &&
	 cmp -s "$T/j1" "$T/j4" && [ "$(jq_get "$T/j1.json" "r[\"calls\"][\"total\"]")" = 5400 ]'
okc "... whose log time is monotonic: 3 h from first to last, 4 hourly rows" \
	'[ "$(jq_get "$T/j1.json" "r[\"input\"][\"first_time\"]")" = 2026-10-24T23:30:00Z ] &&
	 [ "$(jq_get "$T/j1.json" "r[\"input\"][\"last_time\"]")" = 2026-10-25T02:29:58Z ] &&
	 [ "$(jq_get "$T/j1.json" "len(r[\"timeline\"])")" = 4 ] &&
	 [ "$(jq_get "$T/j1.json" "r[\"trying_to_final\"][\"stuck\"]")" = 0 ]'

finish
