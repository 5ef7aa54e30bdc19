/*
 * timeparse.h - turn the timestamps found in SIP logs into microseconds since the epoch.
 *
 * Where in the flow: called by the scanner on the text a profile's `ts` group captured
 * (or on a context line of a multi-line format). Pure functions plus a small per-file context;
 * no locale. A stamp without a zone (BSD syslog, ISO without offset, slashes, Asterisk, time
 * of day) is a wall-clock time in the zone of tz.h (--tz, else TZ, else /etc/localtime; see
 * README "Timestamps"); stamps with "Z" or an offset, epoch and tshark "UTC" stamps keep theirs.
 *
 * Recognised forms (leading/trailing spaces and one pair of [] brackets are ignored):
 *   BSD syslog     "Nov 24 13:00:01", "Nov  4 13:00:01" (optionally ".123456")  - year inferred
 *   RFC 3339/ISO   "2026-11-24T13:00:01", "2026-11-24 13:00:01.123456", with optional
 *                  "Z", "+01:00", "+0100", "-05"; fractions of any length (truncated to us)
 *   slashes        "2026/11/24 13:00:01.123456" (ngrep, sngrep)
 *   epoch          "1700000000", "1700000000.123456" (9 to 11 integer digits)
 *   tshark         "Nov 24, 2026 13:00:01.123456789 UTC" (-V "Arrival Time:"; UTC or GMT only)
 *   Asterisk       "[Nov 24 13:00:01]" (BSD form, bracketed), "[2026-11-24 13:00:01.123]"
 *   time of day    "13:00:01.123456" (FreeSWITCH siptrace "at 13:00:01.123456:") - the date
 *                  comes from the context: the last full date seen; before any, the file's
 *                  first full date (a hint found in its sample), else the reference time.
 *                  A jump backwards of more than 12 hours means the next day.
 */
#ifndef SIPLOGSCAN_TIMEPARSE_H
#define SIPLOGSCAN_TIMEPARSE_H

#include <stddef.h>
#include <stdint.h>

#define TIME_UNKNOWN INT64_MIN

/*
 * A stamp parsed without its context (time_pre()), in the worker that scanned it: what the
 * order-dependent part (time_resolve(), in the merger) still needs to give the instant.
 */
enum time_kind {
	TS_NONE = 0,		/* no stamp, or not one of the recognised forms */
	TS_UTC,		/* an instant: a zone or offset, epoch seconds, tshark's UTC */
	TS_WALL,		/* a dated wall-clock time without zone (us since the epoch as if
				 * the clock were UTC; a BSD stamp's year already inferred): the
				 * zone and the repeated autumn hour are resolved in order */
	TS_TOD		/* a time of day (us since midnight): its date comes from the
				 * stamps before it */
};

/*
 * What time_pre() keeps between calls: the last BSD stamp up to its seconds (consecutive
 * syslog lines usually share the same second) and the last date prefix of an ISO stamp (a
 * log's stamps share their date for hours). Results never depend on it, only the speed.
 */
struct time_cache {
	int64_t ref_us;		/* the reference the BSD entry's year was inferred from */
	char bsd_key[32];
	size_t bsd_len;
	int64_t bsd_val;
	char date_key[10];	/* "YYYY-MM-DD" (or with '/'), valid when date_ok */
	int date_ok;
	int64_t date_us;	/* its midnight, as if UTC */
};

void time_cache_init(struct time_cache *c);

/*
 * Parse the stamp in s[0..len) as far as it can be without the stamps before it: returns its
 * kind and sets *val (see enum time_kind). ref_us dates BSD stamps (time_parse()). Pure but
 * for the cache; any thread may call it with a cache of its own.
 */
enum time_kind time_pre(struct time_cache *c, int64_t ref_us, const char *s, size_t len,
			int64_t *val);

struct time_ctx {
	int64_t ref_us;		/* reference "now" for year inference: the file's mtime (or now) */
	int64_t day_us;		/* midnight (UTC) of the last full date parsed; TIME_UNKNOWN if none */
	int64_t last_tod_us;	/* last time-of-day value, for the midnight rollover */
	int64_t hint_us;	/* the file's first absolute instant, from its sample: dates the
				 * time-of-day stamps before it; TIME_UNKNOWN if none */
	int64_t first_abs_us;	/* the first absolute instant parsed; TIME_UNKNOWN until one
				 * (wall-clock time when the stamp had no zone, like day_us) */
	int64_t prev_us;	/* the last instant returned (UTC): the log order that resolves
				 * the repeated autumn hour (tz_to_utc) */
	struct time_cache cache;	/* time_parse()'s */
};

/* Initialise a context; ref_us is the file's mtime in microseconds since the epoch. */
void time_ctx_init(struct time_ctx *ctx, int64_t ref_us);

/*
 * The order-dependent part: the instant of a stamp time_pre() gave (kind, val), in the
 * context of the stamps before it - the date of a time of day, the zone of a wall-clock time
 * with the repeated autumn hour told apart by the previous instant. time_parse() is
 * time_pre() then time_resolve(), so both paths give the same instants.
 */
int64_t time_resolve(struct time_ctx *ctx, enum time_kind kind, int64_t val);

/*
 * Parse the timestamp in s[0..len). Returns microseconds since 1970-01-01T00:00:00Z,
 * or TIME_UNKNOWN when the text is not one of the recognised forms.
 * BSD syslog stamps (no year) take the year of ctx->ref_us, or the year before when that
 * would put the stamp more than one day after ctx->ref_us (the December lines of a file
 * written in January). Never reads outside s[0..len). Not thread-safe per ctx.
 */
int64_t time_parse(struct time_ctx *ctx, const char *s, size_t len);

/*
 * The sequential time of one file's records: stamps parse in order with one context, and a
 * record without a stamp of its own inherits the last time seen when carry is set (a SIP
 * message whose log lines before it had no time) or has none (a one-line record).
 */
struct timeline {
	struct time_ctx ctx;
	int64_t last;
};

void timeline_init(struct timeline *tl, int64_t ref_us);
/* Date the time-of-day stamps that come before the file's first full date with that date
 * (hint_us: the first absolute instant, found by reading ahead in a sample of the file). */
void timeline_set_hint(struct timeline *tl, int64_t hint_us);
int64_t timeline_next(struct timeline *tl, const char *ts, size_t n, int carry);
/* The same, after first reading an earlier stamp of the same record (it may give the date
 * that a time-of-day stamp needs). */
int64_t timeline_next2(struct timeline *tl, const char *before, size_t bn, const char *ts,
		       size_t n, int carry);

/* The same with the two stamps pre-parsed (time_pre(), with the file's reference time). */
int64_t timeline_next_pre(struct timeline *tl, enum time_kind before_kind, int64_t before,
			  enum time_kind kind, int64_t val, int carry);

/* Days since 1970-01-01 of a proleptic Gregorian date (month 1..12). */
int64_t time_days_from_civil(int64_t y, unsigned m, unsigned d);

/* Format t (us since epoch) as "2026-11-24T13:00:01.123456Z" (fraction omitted when 0)
 * into out (at least 32 bytes). Returns out. JSON, CSV and --calls-csv write this (UTC). */
char *time_format(int64_t t, char *out);

/* Room for time_format_local() and time_format_hour(), with a NUL. */
#define TIME_LOCAL_MAX 48

/*
 * The time a human reads (text and HTML reports): t in the zone of tz.h with its offset,
 * "2026-12-01 23:59:58.123456 +01:00" (fraction omitted when 0; "+05:53:28" for an offset
 * with seconds). In UTC the report keeps the form of time_format(): "2026-12-01T22:59:58Z".
 */
char *time_format_local(int64_t t, char *out);

/* The label of a per-hour row whose key is hour (tz_hour_start): "2026-11-24 13:00 +01:00",
 * or in UTC "2026-11-24T13" as the reports always wrote it. */
char *time_format_hour(int64_t hour, char *out);

#endif
