/*
 * tz.h - the time zone of the stamps that carry none, and of the times the reports show.
 *
 * Where in the flow: main.c calls tz_setup() once, before any file is read; from then on the
 * zone is read-only. timeparse.c turns zoneless stamps (BSD syslog, ISO without offset,
 * ngrep slashes, Asterisk, FreeSWITCH time of day) into UTC with tz_to_utc(); analysis.c
 * keys the per-hour table with tz_hour_start(); the renderers show times with
 * time_format_local() (timeparse.h), which asks tz_offset(). Before tz_setup() (unit tests,
 * explain) the zone is UTC.
 *
 * Every function may run on any thread: each keeps a small per-thread cache, so the libc
 * zone code (and its lock) runs about once per hour of log time, not once per record.
 */
#ifndef SIPLOGSCAN_TZ_H
#define SIPLOGSCAN_TZ_H

#include <stddef.h>
#include <stdint.h>

/*
 * Choose the zone: name (--tz, an IANA name such as "Europe/Berlin"), or when NULL the TZ
 * environment variable, or when that is unset /etc/localtime, as the C library does; "UTC"
 * when none of them names one. Returns 0; TZ_UNKNOWN_NAME when --tz names no zone file under
 * $TZDIR or /usr/share/zoneinfo; TZ_UNKNOWN_ENV when the TZ variable names none (the caller
 * makes either a usage error).
 */
#define TZ_UNKNOWN_NAME	(-1)
#define TZ_UNKNOWN_ENV	(-2)
int tz_setup(const char *name);

/* The folder of zone files that tz_setup() looks in. */
const char *tz_dir(void);

/* The zone's name as the reports write it ("Europe/Berlin", "UTC"). */
const char *tz_name(void);

/* 1 when the zone is UTC (or an alias of it): no offset ever, times shown as "...Z". */
int tz_is_utc(void);

/* The zone's offset from UTC at the instant t (us since the epoch), in seconds east. */
int32_t tz_offset(int64_t t);

/*
 * The instant (us since the epoch, UTC) of the wall-clock time wall (us since the epoch as
 * if the wall clock were UTC). prev is the instant of the same file's previous stamp
 * (TIME_UNKNOWN when none): in the hour that the autumn change repeats, the earlier reading
 * is taken unless it goes back in time from prev by more than TZ_REORDER_SLACK_US (the
 * log has moved on to the second pass); a wall time inside the spring gap, which a correct
 * clock never shows, is the instant of the change, so time stays monotonic.
 */
int64_t tz_to_utc(int64_t wall, int64_t prev);

/* How far a stamp may go back from the previous one and still be the same pass of a
 * repeated hour (threads of a proxy write their lines slightly out of order). */
#define TZ_REORDER_SLACK_US	(INT64_C(10) * 1000000)

/* The start (an instant, UTC) of the zone's wall-clock hour that holds t: the per-hour
 * table's key. A zone 30 minutes off UTC has its hours start at :30 UTC; on the day the
 * clocks go back, the two readings of the repeated hour are two keys. */
int64_t tz_hour_start(int64_t t);

#endif
