/*
 * timeparse.c - timestamps of SIP proxy logs -> microseconds since the epoch (UTC).
 *
 * Where in the flow: the scanner calls time_parse() once per log record on the text a
 * profile's `ts` group captured (tens of millions of calls on a large archive), and the
 * renderers call time_format(). Being on the per-record path, this file uses no sscanf,
 * strptime, mktime/timegm, locale or libc time zone: digits are parsed by hand, dates become
 * day numbers with Howard Hinnant's days_from_civil
 * (https://howardhinnant.github.io/date_algorithms.html), and BSD syslog stamps go through a
 * one-entry cache because consecutive syslog lines mostly share the same second.
 *
 * Invariants:
 *  - Never reads outside s[0..len): every fixed-width field checks the remaining length
 *    first, and nothing relies on a terminating NUL.
 *  - A result is TIME_UNKNOWN or comes from a fully validated stamp: month 1..12, day within
 *    its month in that year, hour <= 23, minute <= 59, second <= 60 (the leap second 60 is
 *    clamped to 59 so the instant stays inside its minute), zone offset <= 23:59. After the
 *    recognised text only whitespace may follow.
 *  - Parsing is split for the engine: time_pre() is the part a worker does alone (the text
 *    to a value and a kind), time_resolve() the part that needs the stamps before it, done
 *    in order by the merger; time_parse() is the two in a row, so both paths agree.
 *  - The caches (struct time_cache) hold only stamps that parsed. The BSD key is the text up
 *    to and including the seconds, so stamps that differ only in the fraction still hit it
 *    (the fraction is parsed on every call); its value depends on the reference time, and the
 *    cache empties itself when another reference is passed. The ISO cache keeps the last
 *    valid "YYYY-MM-DD" and its midnight: a log's stamps share their date for hours.
 *  - Every absolute stamp (all forms except time of day) sets ctx->day_us and
 *    ctx->last_tod_us, so the time-of-day lines that follow take their date from it.
 */
#include "timeparse.h"
#include "tz.h"
#include "util.h"

#include <string.h>

#define US_PER_SEC	INT64_C(1000000)
#define US_PER_MIN	(60 * US_PER_SEC)
#define US_PER_HOUR	(3600 * US_PER_SEC)
#define US_PER_DAY	(86400 * US_PER_SEC)

/*
 * Reference times we infer dates from: 0001-01-01T00:00:00Z .. 9999-12-31T23:59:59Z.
 * Outside it (a corrupt mtime, or a caller that left ref_us at TIME_UNKNOWN) the year of a
 * BSD stamp or the date of a time of day is unknown, and the day arithmetic below cannot
 * overflow.
 */
#define REF_MIN		(INT64_C(-62135596800) * US_PER_SEC)
#define REF_MAX		(INT64_C(253402300799) * US_PER_SEC)

/* The day counter of time-of-day lines never moves past this (hostile input could
 * alternate 23:00 / 00:00 lines to push it forward one day per pair). */
#define DAY_MAX		REF_MAX

static const int64_t pow10_us[7] = { 1000000, 100000, 10000, 1000, 100, 10, 1 };

static inline int is_alpha(unsigned char c)
{
	return (unsigned)((c | 0x20) - 'a') < 26;
}

static inline int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* Two ASCII digits at p[0..2) as 0..99, or -1. The caller has checked the length. */
static inline int dig2(const unsigned char *p)
{
	unsigned a = (unsigned)p[0] - '0', b = (unsigned)p[1] - '0';

	if (a > 9 || b > 9)
		return -1;
	return (int)(a * 10 + b);
}

/* Floor division for b > 0; plain '/' truncates towards zero, wrong for instants before 1970. */
static inline int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if (a % b < 0)
		q--;
	return q;
}

static inline int is_leap(int64_t y)
{
	return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static int days_in_month(int64_t y, int m)
{
	static const unsigned char mdays[13] = { 0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && is_leap(y) ? 29 : mdays[m];
}

static int valid_date(int64_t y, int m, int d)
{
	return m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

/*
 * Hinnant's days_from_civil: shift the year to start on March 1 so the leap day is the last
 * day of the year, then count 400-year eras (146097 days each). Exact for every y whose
 * era * 146097 fits in int64 (|y| < 2^50 or so); our callers pass years 0..9999.
 */
int64_t time_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);			/* [0, 399] */
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;	/* [0, 365] */
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;		/* [0, 146096] */

	return era * 146097 + (int64_t)doe - 719468;
}

/* The inverse (Hinnant's civil_from_days), for time_format() and the reference year. */
static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);				/* [0, 146096] */
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;	/* [0, 399] */
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);			/* [0, 365] */
	unsigned mp = (5 * doy + 2) / 153;					/* [0, 11] */

	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

/* "HH:MM:SS" at p[0..8) as microseconds since midnight, or -1. */
static int64_t parse_hms(const unsigned char *p)
{
	int h = dig2(p), mi = dig2(p + 3), sec = dig2(p + 6);

	if (h < 0 || mi < 0 || sec < 0 || p[2] != ':' || p[5] != ':')
		return -1;
	if (h > 23 || mi > 59 || sec > 60)
		return -1;
	if (sec == 60)
		sec = 59;	/* leap second: UTC in microseconds has no 60th second */
	return (int64_t)(h * 3600 + mi * 60 + sec) * US_PER_SEC;
}

/*
 * Optional fraction (sep, then digits: ".123") at s[*i..n): returns it in microseconds (0
 * when there is none) and moves *i past it, or returns -1 for a sep without digits. Digits
 * beyond the sixth are accepted and dropped (truncation, never rounding, so a stamp never
 * moves to the next second).
 */
static int64_t parse_frac_sep(const unsigned char *s, size_t n, size_t *i, unsigned char sep)
{
	size_t k = *i, start;
	int64_t us = 0;

	if (k >= n || s[k] != sep)
		return 0;
	start = ++k;
	while (k < n && is_digit(s[k])) {
		if (k - start < 6)
			us = us * 10 + (s[k] - '0');
		k++;
	}
	if (k == start)
		return -1;
	if (k - start < 6)
		us *= pow10_us[k - start];
	*i = k;
	return us;
}

static int64_t parse_frac(const unsigned char *s, size_t n, size_t *i)
{
	return parse_frac_sep(s, n, i, '.');
}

/* An absolute instant was parsed: later time-of-day lines count from its date and time. */
static inline void set_day(struct time_ctx *ctx, int64_t t)
{
	int64_t day = floor_div(t, US_PER_DAY) * US_PER_DAY;

	ctx->day_us = day;
	ctx->last_tod_us = t - day;
	if (ctx->first_abs_us == TIME_UNKNOWN)
		ctx->first_abs_us = t;
}

/* Month number 1..12 of a three-letter English abbreviation (any case), or 0. */
static int month_number(const unsigned char *p)
{
	if (!is_alpha(p[0]) || !is_alpha(p[1]) || !is_alpha(p[2]))
		return 0;
	/* Letters only, so OR 0x20 is an exact lowercase fold. */
	uint32_t k = (uint32_t)(p[0] | 0x20) << 16 | (uint32_t)(p[1] | 0x20) << 8 | (p[2] | 0x20);

#define MON(a, b, c) ((uint32_t)(a) << 16 | (uint32_t)(b) << 8 | (uint32_t)(c))
	switch (k) {
	case MON('j', 'a', 'n'): return 1;
	case MON('f', 'e', 'b'): return 2;
	case MON('m', 'a', 'r'): return 3;
	case MON('a', 'p', 'r'): return 4;
	case MON('m', 'a', 'y'): return 5;
	case MON('j', 'u', 'n'): return 6;
	case MON('j', 'u', 'l'): return 7;
	case MON('a', 'u', 'g'): return 8;
	case MON('s', 'e', 'p'): return 9;
	case MON('o', 'c', 't'): return 10;
	case MON('n', 'o', 'v'): return 11;
	case MON('d', 'e', 'c'): return 12;
	default: return 0;
	}
#undef MON
}

/*
 * "Mmm dd HH:MM:SS[.frac]" with dd as " 4", "04" or "4". The year is the reference year,
 * or the one before when the stamp would otherwise lie more than a day after the reference
 * (December lines in a file last written in January). The one-day slack absorbs a clock
 * that ran slightly ahead of the file's mtime. A Feb 29 that does not exist in the reference
 * year also goes to the year before (a leap year when the reference is the year after one).
 */
static int64_t parse_bsd(struct time_cache *c, int64_t ref, const unsigned char *s, size_t n)
{
	size_t k, i;
	int64_t frac, tod, t;

	if (c->ref_us != ref) {		/* another file: the cached year may not hold */
		c->bsd_len = 0;
		c->ref_us = ref;
	}
	k = c->bsd_len;
	/* Cache hit: the key ends right after the seconds, so only ".frac" may follow. */
	if (k && n >= k && memcmp(s, c->bsd_key, k) == 0 && (n == k || s[k] == '.')) {
		i = k;
		frac = parse_frac(s, n, &i);
		if (frac < 0 || i != n)
			return TIME_UNKNOWN;
		return c->bsd_val + frac;
	}

	if (n < 14 || s[3] != ' ')
		return TIME_UNKNOWN;
	int mon = month_number(s);
	int day;
	if (!mon)
		return TIME_UNKNOWN;
	if (s[4] == ' ' && is_digit(s[5])) {		/* "Nov  4": space-padded */
		day = s[5] - '0';
		i = 6;
	} else if (is_digit(s[4]) && is_digit(s[5])) {	/* "Nov 04", "Nov 24" */
		day = dig2(s + 4);
		i = 6;
	} else if (is_digit(s[4]) && s[5] == ' ') {	/* "Nov 4": unpadded */
		day = s[4] - '0';
		i = 5;
	} else {
		return TIME_UNKNOWN;
	}
	if (n - i < 9 || s[i] != ' ')
		return TIME_UNKNOWN;
	tod = parse_hms(s + i + 1);
	if (tod < 0)
		return TIME_UNKNOWN;
	i += 9;
	size_t key_len = i;
	frac = parse_frac(s, n, &i);
	if (frac < 0 || i != n)
		return TIME_UNKNOWN;
	if (ref < REF_MIN || ref > REF_MAX)
		return TIME_UNKNOWN;

	int64_t year;
	unsigned rm, rd;
	civil_from_days(floor_div(ref, US_PER_DAY), &year, &rm, &rd);
	t = TIME_UNKNOWN;
	if (valid_date(year, mon, day))
		t = time_days_from_civil(year, (unsigned)mon, (unsigned)day) * US_PER_DAY + tod;
	if (t == TIME_UNKNOWN || t > ref + US_PER_DAY) {
		year--;
		if (!valid_date(year, mon, day))
			return TIME_UNKNOWN;
		t = time_days_from_civil(year, (unsigned)mon, (unsigned)day) * US_PER_DAY + tod;
	}

	/* key_len <= 15 < sizeof(bsd_key) */
	memcpy(c->bsd_key, s, key_len);
	c->bsd_len = key_len;
	c->bsd_val = t;
	return t + frac;
}

/*
 * "Mmm dd, YYYY HH:MM:SS[.frac] UTC" (tshark -V "Arrival Time:", dd as "24", " 4" or "4").
 * tshark writes the local time with the zone's abbreviation; only UTC and GMT say which
 * instant that is, so any other zone is TIME_UNKNOWN.
 */
static int64_t parse_month_day_year(const unsigned char *s, size_t n)
{
	int mon = month_number(s), day;
	size_t i;

	if (!mon || n < 4 || s[3] != ' ')
		return TIME_UNKNOWN;
	i = s[4] == ' ' ? 5 : 4;
	if (n - i < 2 || !is_digit(s[i]))
		return TIME_UNKNOWN;
	if (is_digit(s[i + 1])) {
		day = dig2(s + i);
		i += 2;
	} else {
		day = s[i] - '0';
		i += 1;
	}
	/* ", YYYY HH:MM:SS" */
	if (n - i < 16 || s[i] != ',' || s[i + 1] != ' ' || s[i + 6] != ' ')
		return TIME_UNKNOWN;
	int64_t year = 0;
	for (size_t k = i + 2; k < i + 6; k++) {
		if (!is_digit(s[k]))
			return TIME_UNKNOWN;
		year = year * 10 + (s[k] - '0');
	}
	if (!valid_date(year, mon, day))
		return TIME_UNKNOWN;
	int64_t tod = parse_hms(s + i + 7);
	if (tod < 0)
		return TIME_UNKNOWN;
	i += 15;
	int64_t frac = parse_frac(s, n, &i);
	if (frac < 0 || n - i != 4 || s[i] != ' ' ||
	    (memcmp(s + i + 1, "UTC", 3) != 0 && memcmp(s + i + 1, "GMT", 3) != 0))
		return TIME_UNKNOWN;
	return time_days_from_civil(year, (unsigned)mon, (unsigned)day) * US_PER_DAY + tod + frac;
}

/*
 * "YYYY-MM-DD[T ]HH:MM:SS[.frac][zone]" (RFC 3339 / ISO 8601, ",frac" too; zone "Z", "+HH:MM", "+HHMM",
 * "+HH" or the same with '-'), "YYYY/MM/DD HH:MM:SS[.frac]" (ngrep, sngrep: no zone), and
 * "YYYY-MM-DD HH:MM:SS:mmm" (liblinphone's log file: milliseconds after a ':').
 * The four year digits and the separator at s[4] are already checked. A stamp without a
 * zone gives its wall-clock time and sets *zoneless (time_parse() applies the zone, README
 * "Timestamps"); one with a zone gives its instant.
 */
static int64_t parse_datetime(struct time_cache *cache, const unsigned char *s, size_t n,
			      int *zoneless)
{
	unsigned char sep = s[4];

	if (n < 19 || s[7] != sep)
		return TIME_UNKNOWN;
	unsigned char c = s[10];

	if (!(c == ' ' || (sep == '-' && (c == 'T' || c == 't'))))
		return TIME_UNKNOWN;
	int64_t date_us;
	if (cache->date_ok && memcmp(s, cache->date_key, 10) == 0) {
		date_us = cache->date_us;	/* the same date as the stamp before */
	} else {
		int64_t year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
			       (s[3] - '0');
		int mon = dig2(s + 5), day = dig2(s + 8);
		if (!valid_date(year, mon, day))
			return TIME_UNKNOWN;	/* also catches dig2() == -1 */
		date_us = time_days_from_civil(year, (unsigned)mon, (unsigned)day) * US_PER_DAY;
		memcpy(cache->date_key, s, 10);
		cache->date_us = date_us;
		cache->date_ok = 1;
	}
	int64_t tod = parse_hms(s + 11);
	if (tod < 0)
		return TIME_UNKNOWN;

	size_t i = 19;
	int64_t frac;
	if (n >= 23 && s[19] == ':' && is_digit(s[20]) && is_digit(s[21]) && is_digit(s[22]) &&
	    (n == 23 || !is_digit(s[23]))) {
		/* milliseconds after a ':' (liblinphone's log: "2026-12-02 09:00:51:072") */
		frac = ((s[20] - '0') * 100 + (s[21] - '0') * 10 + (s[22] - '0')) * 1000;
		i = 23;
	} else if ((frac = parse_frac_sep(s, n, &i, n > 19 && s[19] == ',' ? ',' : '.')) < 0) {
		return TIME_UNKNOWN;	/* ISO 8601's decimal comma too (log4j, Python logging) */
	}

	int64_t off = 0;
	*zoneless = 1;
	if (sep == '-' && i < n) {
		c = s[i];
		*zoneless = 0;
		if (c == 'Z' || c == 'z') {
			i++;
		} else if (c == '+' || c == '-') {
			int oh, om = 0;

			if (n - i < 3 || (oh = dig2(s + i + 1)) < 0 || oh > 23)
				return TIME_UNKNOWN;
			i += 3;
			if (i < n && s[i] == ':') {
				if (n - i < 3)
					return TIME_UNKNOWN;
				om = dig2(s + i + 1);
				i += 3;
			} else if (n - i >= 2 && is_digit(s[i])) {
				om = dig2(s + i);
				i += 2;
			}
			if (om < 0 || om > 59)
				return TIME_UNKNOWN;
			off = (int64_t)(oh * 60 + om) * US_PER_MIN;
			if (c == '-')
				off = -off;
		}
	}
	if (i != n)
		return TIME_UNKNOWN;
	/* local = UTC + offset, so UTC = local - offset */
	return date_us + tod + frac - off;
}

/* nd (9..11) integer digits of epoch seconds, then an optional fraction. */
static int64_t parse_epoch(const unsigned char *s, size_t n, size_t nd)
{
	int64_t secs = 0;

	for (size_t k = 0; k < nd; k++)
		secs = secs * 10 + (s[k] - '0');
	size_t i = nd;
	int64_t frac = parse_frac(s, n, &i);
	if (frac < 0 || i != n)
		return TIME_UNKNOWN;
	return secs * US_PER_SEC + frac;
}

/*
 * "HH:MM:SS[.frac]": the date is the context's (the last absolute stamp, else the reference
 * time's). Lines are in time order, so a jump back of more than 12 hours is the clock
 * passing midnight; a smaller one is reordering between threads and keeps the day.
 */
static int64_t parse_tod(const unsigned char *s, size_t n)
{
	if (n < 8)
		return TIME_UNKNOWN;
	int64_t tod = parse_hms(s);
	if (tod < 0)
		return TIME_UNKNOWN;
	size_t i = 8;
	int64_t frac = parse_frac(s, n, &i);
	if (frac < 0 || i != n)
		return TIME_UNKNOWN;
	return tod + frac;
}

/* The instant (wall-clock) of the time of day tod: the order-dependent half of parse_tod(). */
static int64_t date_tod(struct time_ctx *ctx, int64_t tod)
{
	int64_t day = ctx->day_us;
	if (day == TIME_UNKNOWN && ctx->hint_us != TIME_UNKNOWN && ctx->hint_us >= REF_MIN &&
	    ctx->hint_us <= REF_MAX) {
		/* before the file's first full date: that date, or the day before when this
		 * time of day is well after the dated one (the log crossed midnight in between) */
		day = floor_div(ctx->hint_us, US_PER_DAY) * US_PER_DAY;
		if (tod > ctx->hint_us - day + 12 * US_PER_HOUR)
			day -= US_PER_DAY;
	} else if (day == TIME_UNKNOWN) {
		if (ctx->ref_us < REF_MIN || ctx->ref_us > REF_MAX)
			return TIME_UNKNOWN;
		day = floor_div(ctx->ref_us, US_PER_DAY) * US_PER_DAY;
	}
	if (ctx->last_tod_us != TIME_UNKNOWN && tod < ctx->last_tod_us - 12 * US_PER_HOUR) {
		if (day > DAY_MAX)
			return TIME_UNKNOWN;
		day += US_PER_DAY;
	}
	ctx->day_us = day;
	ctx->last_tod_us = tod;
	return day + tod;
}

void time_cache_init(struct time_cache *c)
{
	memset(c, 0, sizeof(*c));
	c->ref_us = TIME_UNKNOWN;
	c->bsd_val = TIME_UNKNOWN;
}

void time_ctx_init(struct time_ctx *ctx, int64_t ref_us)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->ref_us = ref_us;
	ctx->day_us = TIME_UNKNOWN;
	ctx->last_tod_us = TIME_UNKNOWN;
	ctx->hint_us = TIME_UNKNOWN;
	ctx->first_abs_us = TIME_UNKNOWN;
	ctx->prev_us = TIME_UNKNOWN;
	time_cache_init(&ctx->cache);
}

/*
 * The instant of a parsed stamp: a zoneless one's wall-clock time goes through the zone
 * (tz.h), which needs the previous instant to tell the two passes of the repeated autumn
 * hour apart. Everything else in ctx (day_us, the BSD cache, first_abs_us) stays in the
 * stamps' own wall-clock time, where midnights and years are what the log wrote.
 */
static int64_t instant(struct time_ctx *ctx, int64_t t, int zoneless)
{
	if (t == TIME_UNKNOWN)
		return t;
	if (zoneless)
		t = tz_to_utc(t, ctx->prev_us);
	ctx->prev_us = t;
	return t;
}

enum time_kind time_pre(struct time_cache *c, int64_t ref_us, const char *str, size_t len,
			int64_t *val)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n = len, nd;
	int64_t t;
	int zoneless = 0;

	*val = TIME_UNKNOWN;
	while (n && is_space(s[n - 1]))
		n--;
	while (n && is_space(s[0])) {
		s++;
		n--;
	}
	if (n && s[0] == '[') {
		if (n < 2 || s[n - 1] != ']')
			return TS_NONE;
		s++;
		n -= 2;
		while (n && is_space(s[n - 1]))
			n--;
		while (n && is_space(s[0])) {
			s++;
			n--;
		}
	}
	if (n == 0)
		return TS_NONE;

	/* Dispatch on the first character and the length of the leading digit run. */
	if (is_alpha(s[0])) {
		if (n > 7 && (s[5] == ',' || s[6] == ',')) {	/* "Nov 4, 2026", "Nov 24, 2026" */
			t = parse_month_day_year(s, n);
			zoneless = 0;
		} else {
			t = parse_bsd(c, ref_us, s, n);
			zoneless = 1;
		}
	} else {
		for (nd = 0; nd < n && nd < 12 && is_digit(s[nd]); nd++)
			;
		if (nd == 4 && n > 4 && (s[4] == '-' || s[4] == '/')) {
			t = parse_datetime(c, s, n, &zoneless);
		} else if (nd == 2 && n > 2 && s[2] == ':') {
			t = parse_tod(s, n);
			if (t == TIME_UNKNOWN)
				return TS_NONE;
			*val = t;
			return TS_TOD;
		} else if (nd >= 9 && nd <= 11) {
			t = parse_epoch(s, n, nd);
		} else {
			return TS_NONE;
		}
	}
	if (t == TIME_UNKNOWN)
		return TS_NONE;
	*val = t;
	return zoneless ? TS_WALL : TS_UTC;
}

int64_t time_resolve(struct time_ctx *ctx, enum time_kind kind, int64_t val)
{
	switch (kind) {
	case TS_UTC:
	case TS_WALL:
		set_day(ctx, val);
		return instant(ctx, val, kind == TS_WALL);
	case TS_TOD:
		return instant(ctx, date_tod(ctx, val), 1);
	default:
		return TIME_UNKNOWN;
	}
}

int64_t time_parse(struct time_ctx *ctx, const char *str, size_t len)
{
	int64_t val;
	enum time_kind k = time_pre(&ctx->cache, ctx->ref_us, str, len, &val);

	return time_resolve(ctx, k, val);
}

/* Write v as exactly w decimal digits (v < 10^w). */
static char *put_digits(char *p, uint64_t v, int w)
{
	for (int k = w - 1; k >= 0; k--) {
		p[k] = (char)('0' + v % 10);
		v /= 10;
	}
	return p + w;
}

/* "YYYY-MM-DD" sep "HH" then, by upto, ":MM" (1) and ":SS[.ffffff]" (2) of t. */
static char *put_datetime(char *p, int64_t t, char sep, int upto)
{
	/* Split with floor semantics without computing secs * 10^6 (overflows near INT64_MIN). */
	int64_t secs = t / US_PER_SEC, us = t % US_PER_SEC;
	if (us < 0) {
		us += US_PER_SEC;
		secs--;
	}
	int64_t days = secs / 86400, sod = secs % 86400;
	if (sod < 0) {
		sod += 86400;
		days--;
	}
	int64_t y;
	unsigned m, d;
	civil_from_days(days, &y, &m, &d);

	if (y >= 0 && y <= 9999) {
		p = put_digits(p, (uint64_t)y, 4);
	} else {
		/* ISO 8601 expanded year: sign and at least four digits; |y| < 300000 here */
		uint64_t a = y < 0 ? (uint64_t)-y : (uint64_t)y, lim = 10000;
		int w = 4;
		*p++ = y < 0 ? '-' : '+';
		while (a >= lim && w < 8) {
			lim *= 10;
			w++;
		}
		p = put_digits(p, a, w);
	}
	*p++ = '-';
	p = put_digits(p, m, 2);
	*p++ = '-';
	p = put_digits(p, d, 2);
	*p++ = sep;
	p = put_digits(p, (uint64_t)(sod / 3600), 2);
	if (upto < 1)
		return p;
	*p++ = ':';
	p = put_digits(p, (uint64_t)(sod / 60 % 60), 2);
	if (upto < 2)
		return p;
	*p++ = ':';
	p = put_digits(p, (uint64_t)(sod % 60), 2);
	if (us) {
		*p++ = '.';
		p = put_digits(p, (uint64_t)us, 6);
	}
	return p;
}

char *time_format(int64_t t, char *out)
{
	char *p = put_datetime(out, t, 'T', 2);

	*p++ = 'Z';
	*p = '\0';
	return out;
}

/* " +01:00", " -03:30", " +05:53:28" */
static char *put_offset(char *p, int32_t off)
{
	uint32_t a = off < 0 ? (uint32_t)-(int64_t)off : (uint32_t)off;

	*p++ = ' ';
	*p++ = off < 0 ? '-' : '+';
	p = put_digits(p, a / 3600, 2);
	*p++ = ':';
	p = put_digits(p, a / 60 % 60, 2);
	if (a % 60) {
		*p++ = ':';
		p = put_digits(p, a % 60, 2);
	}
	return p;
}

/* Instants this far from the ends of int64_t are shown in UTC: adding an offset (less than a
 * day) to them could overflow. No stamp we parse comes near. */
#define LOCAL_LIMIT	(INT64_C(1) << 62)

char *time_format_local(int64_t t, char *out)
{
	if (tz_is_utc() || t < -LOCAL_LIMIT || t > LOCAL_LIMIT)
		return time_format(t, out);
	int32_t off = tz_offset(t);
	char *p = put_datetime(out, t + (int64_t)off * US_PER_SEC, ' ', 2);
	p = put_offset(p, off);
	*p = '\0';
	return out;
}

char *time_format_hour(int64_t hour, char *out)
{
	char *p;

	if (tz_is_utc() || hour < -LOCAL_LIMIT || hour > LOCAL_LIMIT) {
		p = put_datetime(out, hour, 'T', 0);
	} else {
		int32_t off = tz_offset(hour);
		p = put_datetime(out, hour + (int64_t)off * US_PER_SEC, ' ', 1);
		p = put_offset(p, off);
	}
	*p = '\0';
	return out;
}

void timeline_init(struct timeline *tl, int64_t ref_us)
{
	time_ctx_init(&tl->ctx, ref_us);
	tl->last = TIME_UNKNOWN;
}

void timeline_set_hint(struct timeline *tl, int64_t hint_us)
{
	tl->ctx.hint_us = hint_us;
}

int64_t timeline_next(struct timeline *tl, const char *ts, size_t n, int carry)
{
	return timeline_next2(tl, NULL, 0, ts, n, carry);
}

int64_t timeline_next2(struct timeline *tl, const char *before, size_t bn, const char *ts,
		       size_t n, int carry)
{
	int64_t bv = TIME_UNKNOWN, v = TIME_UNKNOWN;
	enum time_kind bk = bn ? time_pre(&tl->ctx.cache, tl->ctx.ref_us, before, bn, &bv) :
				 TS_NONE;
	enum time_kind k = n ? time_pre(&tl->ctx.cache, tl->ctx.ref_us, ts, n, &v) : TS_NONE;

	return timeline_next_pre(tl, bk, bv, k, v, carry);
}

int64_t timeline_next_pre(struct timeline *tl, enum time_kind before_kind, int64_t before,
			  enum time_kind kind, int64_t val, int carry)
{
	int64_t t = time_resolve(&tl->ctx, before_kind, before);

	if (t != TIME_UNKNOWN)
		tl->last = t;
	t = time_resolve(&tl->ctx, kind, val);
	if (t != TIME_UNKNOWN)
		tl->last = t;
	return carry ? tl->last : t;
}
