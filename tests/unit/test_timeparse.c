/*
 * test_timeparse.c - unit tests for src/timeparse.c: every recognised form, zones,
 * fractions, year inference, leap years, invalid input, the BSD cache, the time-of-day
 * midnight rollover and time_format() round trips.
 *
 * Each stamp is copied into a heap buffer of exactly its length (no NUL), so under
 * AddressSanitizer a read past s[0..len) fails the run.
 */
#include "testhelp.h"

#include <stdlib.h>
#include <string.h>

#include "timeparse.h"
#include "util.h"

#define SEC INT64_C(1000000)
#define DAY (86400 * SEC)

/* Expected values built from the civil date; time_days_from_civil is checked first. */
static int64_t at(int64_t y, unsigned mo, unsigned d, int h, int mi, int s, int64_t us)
{
	return time_days_from_civil(y, mo, d) * DAY + ((int64_t)h * 3600 + mi * 60 + s) * SEC + us;
}

static int64_t parse(struct time_ctx *ctx, const char *str)
{
	size_t n = strlen(str);
	char *copy = xmalloc(n ? n : 1);

	memcpy(copy, str, n);
	int64_t t = time_parse(ctx, copy, n);
	free(copy);
	return t;
}

/* Parse with a fresh context whose reference time is ref. */
static int64_t parse_ref(int64_t ref, const char *str)
{
	struct time_ctx ctx;

	time_ctx_init(&ctx, ref);
	return parse(&ctx, str);
}

static void test_days_from_civil(void)
{
	CHECK_EQ_INT(time_days_from_civil(1970, 1, 1), 0, "days: 1970-01-01 is day 0");
	CHECK_EQ_INT(time_days_from_civil(1969, 12, 31), -1, "days: 1969-12-31 is day -1");
	CHECK_EQ_INT(time_days_from_civil(2000, 3, 1), 11017, "days: 2000-03-01");
	CHECK_EQ_INT(time_days_from_civil(0, 3, 1), -719468, "days: 0000-03-01 (Hinnant's epoch)");
	CHECK_EQ_INT(time_days_from_civil(2026, 11, 24) * 86400 + 13 * 3600 + 1, 1795525201,
		     "days: 2026-11-24T13:00:01Z is 1795525201 (date -u +%%s)");
	CHECK_EQ_INT(time_days_from_civil(2024, 2, 29) * 86400, 1709164800, "days: 2024-02-29");

	/* Walk 1600..2400 day by day: each date is the previous one plus one. */
	static const unsigned mdays[13] = { 0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int64_t expect = time_days_from_civil(1600, 1, 1), bad = 0;
	for (int64_t y = 1600; y < 2400; y++) {
		int leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
		for (unsigned m = 1; m <= 12; m++) {
			unsigned md = mdays[m] + (m == 2 && leap);
			for (unsigned d = 1; d <= md; d++) {
				if (time_days_from_civil(y, m, d) != expect)
					bad++;
				expect++;
			}
		}
	}
	CHECK_EQ_INT(bad, 0, "days: consecutive over 1600..2399 (leap rules of 1700, 1900, 2000)");
}

static void test_iso(void)
{
	int64_t ref = at(2026, 11, 25, 0, 0, 0, 0);
	int64_t base = INT64_C(1795525201) * SEC;

	CHECK_EQ_INT(parse_ref(ref, "2026-11-24T13:00:01"), base, "iso: T, no zone = UTC");
	CHECK_EQ_INT(parse_ref(ref, "2026-11-24 13:00:01"), base, "iso: space separator");
	CHECK_EQ_INT(parse_ref(ref, "2026-11-24t13:00:01z"), base, "iso: lowercase t and z");
	CHECK_EQ_INT(parse_ref(ref, "2026-11-24T13:00:01Z"), base, "iso: Z");
	CHECK_EQ_INT(parse_ref(ref, "2026-11-24T13:00:01.1"), base + 100000, "iso: 1-digit fraction");
	CHECK_EQ_INT(parse_ref(ref, "2026-11-24T13:00:01.123"), base + 123000, "iso: 3-digit fraction");
	CHECK_EQ_INT(parse_ref(ref, "2026-11-24 13:00:01.123456"), base + 123456,
		     "iso: 6-digit fraction");
	CHECK_EQ_INT(parse_ref(ref, "2026-11-24T13:00:01.123456789Z"), base + 123456,
		     "iso: 9-digit fraction truncated to us");
	CHECK_EQ_INT(parse_ref(ref, "2026-11-24T13:00:01.999999999999"), base + 999999,
		     "iso: 12-digit fraction truncated, not rounded into the next second");
	CHECK_EQ_INT(parse_ref(ref, "2026-11-24T13:00:01.000001"), base + 1, "iso: 1 us");

	CHECK_EQ_INT(parse_ref(ref, "2026-11-24T13:00:01+01:00"), base - 3600 * SEC, "iso: +01:00");
	CHECK_EQ_INT(parse_ref(ref, "2026-11-24T13:00:01+0100"), base - 3600 * SEC, "iso: +0100");
	CHECK_EQ_INT(parse_ref(ref, "2026-11-24T13:00:01+01"), base - 3600 * SEC, "iso: +01");
	CHECK_EQ_INT(parse_ref(ref, "2026-11-24T13:00:01-05"), base + 5 * 3600 * SEC, "iso: -05");
	CHECK_EQ_INT(parse_ref(ref, "2026-11-24T13:00:01-05:30"), base + 5 * 3600 * SEC + 30 * 60 * SEC,
		     "iso: -05:30");
	CHECK_EQ_INT(parse_ref(ref, "2026-11-24T13:00:01.5+05:45"),
		     base + 500000 - (5 * 3600 + 45 * 60) * SEC, "iso: fraction then +05:45");
	CHECK_EQ_INT(parse_ref(ref, "2026-11-24T13:00:01+00:00"), base, "iso: +00:00");
	CHECK_EQ_INT(parse_ref(ref, "2026-11-24T13:00:01-00:00"), base, "iso: -00:00");
	CHECK_EQ_INT(parse_ref(ref, "2026-01-01T00:30:00+01:00"), at(2025, 12, 31, 23, 30, 0, 0),
		     "iso: offset moves the instant into the previous year");

	CHECK_EQ_INT(parse_ref(ref, "  2026-11-24T13:00:01Z \t\r\n"), base, "iso: surrounding whitespace");
	CHECK_EQ_INT(parse_ref(ref, "[2026-11-24 13:00:01.123]"), base + 123000, "iso: Asterisk brackets");
	CHECK_EQ_INT(parse_ref(ref, " [ 2026-11-24 13:00:01 ] "), base, "iso: spaces around and inside []");
	CHECK_EQ_INT(parse_ref(ref, "2026-11-24 13:00:01:072"), base + 72000,
		     "iso: liblinphone's milliseconds after ':'");
	CHECK_EQ_INT(parse_ref(ref, "2026-11-24 13:00:01:07"), TIME_UNKNOWN, "iso: ':' with 2 digits");
	CHECK_EQ_INT(parse_ref(ref, "2026-11-24 13:00:01:0721"), TIME_UNKNOWN, "iso: ':' with 4 digits");
	CHECK_EQ_INT(parse_ref(ref, "2026-11-24 13:00:01,100"), base + 100000,
		     "iso: decimal comma (log4j, Python logging)");
	CHECK_EQ_INT(parse_ref(ref, "2026-11-24T13:00:01,5Z"), base + 500000, "iso: comma and a zone");
	CHECK_EQ_INT(parse_ref(ref, "2026-11-24 13:00:01,"), TIME_UNKNOWN, "iso: comma without digits");
	CHECK_EQ_INT(parse_ref(ref, "1970-01-01T00:00:00Z"), 0, "iso: the epoch");
	CHECK_EQ_INT(parse_ref(ref, "1969-12-31T23:59:59.5Z"), -500000, "iso: before the epoch");
	CHECK_EQ_INT(parse_ref(ref, "2016-12-31T23:59:60Z"), INT64_C(1483228799) * SEC,
		     "iso: leap second 60 clamped to 59");
	CHECK_EQ_INT(parse_ref(ref, "2016-12-31T23:59:60.25Z"), INT64_C(1483228799) * SEC + 250000,
		     "iso: leap second keeps its fraction");

	/* Only the given length counts: a prefix of a longer string. */
	struct time_ctx ctx;
	time_ctx_init(&ctx, ref);
	CHECK_EQ_INT(time_parse(&ctx, "2026-11-24T13:00:01+01:00", 19), base, "iso: len stops before the zone");
}

static void test_slash_epoch(void)
{
	int64_t ref = at(2026, 11, 25, 0, 0, 0, 0);
	int64_t base = INT64_C(1795525201) * SEC;

	CHECK_EQ_INT(parse_ref(ref, "2026/11/24 13:00:01"), base, "slash: ngrep form");
	CHECK_EQ_INT(parse_ref(ref, "2026/11/24 13:00:01.123456"), base + 123456, "slash: fraction");
	CHECK_EQ_INT(parse_ref(ref, "2026/11/24T13:00:01"), TIME_UNKNOWN, "slash: T not accepted");
	CHECK_EQ_INT(parse_ref(ref, "2026/11/24 13:00:01Z"), TIME_UNKNOWN, "slash: no zone");
	CHECK_EQ_INT(parse_ref(ref, "2026/11-24 13:00:01"), TIME_UNKNOWN, "slash: mixed separators");

	CHECK_EQ_INT(parse_ref(ref, "1700000000"), INT64_C(1700000000) * SEC, "epoch: 10 digits");
	CHECK_EQ_INT(parse_ref(ref, "1700000000.123456"), INT64_C(1700000000123456), "epoch: fraction");
	CHECK_EQ_INT(parse_ref(ref, "1700000000.5"), INT64_C(1700000000500000), "epoch: short fraction");
	CHECK_EQ_INT(parse_ref(ref, "1700000000.1234567"), INT64_C(1700000000123456),
		     "epoch: long fraction truncated");
	CHECK_EQ_INT(parse_ref(ref, "123456789"), INT64_C(123456789) * SEC, "epoch: 9 digits");
	CHECK_EQ_INT(parse_ref(ref, "99999999999"), INT64_C(99999999999) * SEC, "epoch: 11 digits");
	CHECK_EQ_INT(parse_ref(ref, "[1700000000.25]"), INT64_C(1700000000250000), "epoch: bracketed");
	CHECK_EQ_INT(parse_ref(ref, "12345678"), TIME_UNKNOWN, "epoch: 8 digits rejected");
	CHECK_EQ_INT(parse_ref(ref, "123456789012"), TIME_UNKNOWN, "epoch: 12 digits rejected");
	CHECK_EQ_INT(parse_ref(ref, "1700000000."), TIME_UNKNOWN, "epoch: '.' without digits");
	CHECK_EQ_INT(parse_ref(ref, "1700000000.12a"), TIME_UNKNOWN, "epoch: letter in fraction");
	CHECK_EQ_INT(parse_ref(ref, "1700000000 x"), TIME_UNKNOWN, "epoch: trailing word");
	CHECK_EQ_INT(parse_ref(ref, "-1700000000"), TIME_UNKNOWN, "epoch: sign rejected");
}

static void test_bsd(void)
{
	int64_t ref = at(2026, 11, 25, 8, 0, 0, 0);
	int64_t base = at(2026, 11, 24, 13, 0, 1, 0);

	CHECK_EQ_INT(parse_ref(ref, "Nov 24 13:00:01"), base, "bsd: reference year");
	CHECK_EQ_INT(parse_ref(ref, "Nov 24 13:00:01.123456"), base + 123456, "bsd: fraction");
	CHECK_EQ_INT(parse_ref(ref, "Nov 24 13:00:01.5"), base + 500000, "bsd: short fraction");
	CHECK_EQ_INT(parse_ref(ref, "Nov  4 13:00:01"), at(2026, 11, 4, 13, 0, 1, 0), "bsd: space-padded day");
	CHECK_EQ_INT(parse_ref(ref, "Nov 04 13:00:01"), at(2026, 11, 4, 13, 0, 1, 0), "bsd: zero-padded day");
	CHECK_EQ_INT(parse_ref(ref, "Nov 4 13:00:01"), at(2026, 11, 4, 13, 0, 1, 0), "bsd: unpadded day");
	CHECK_EQ_INT(parse_ref(ref, "[Nov 24 13:00:01]"), base, "bsd: Asterisk brackets");
	CHECK_EQ_INT(parse_ref(ref, "Nov 24 13:00:01  "), base, "bsd: trailing spaces");
	CHECK_EQ_INT(parse_ref(ref, "nov 24 13:00:01"), base, "bsd: month name in lowercase");
	CHECK_EQ_INT(parse_ref(ref, "Jan 15 00:00:00"), at(2026, 1, 15, 0, 0, 0, 0), "bsd: Jan");
	CHECK_EQ_INT(parse_ref(ref, "Feb 15 00:00:00"), at(2026, 2, 15, 0, 0, 0, 0), "bsd: Feb");
	CHECK_EQ_INT(parse_ref(ref, "Mar 15 00:00:00"), at(2026, 3, 15, 0, 0, 0, 0), "bsd: Mar");
	CHECK_EQ_INT(parse_ref(ref, "Apr 15 00:00:00"), at(2026, 4, 15, 0, 0, 0, 0), "bsd: Apr");
	CHECK_EQ_INT(parse_ref(ref, "May 15 00:00:00"), at(2026, 5, 15, 0, 0, 0, 0), "bsd: May");
	CHECK_EQ_INT(parse_ref(ref, "Jun 15 00:00:00"), at(2026, 6, 15, 0, 0, 0, 0), "bsd: Jun");
	CHECK_EQ_INT(parse_ref(ref, "Jul 15 00:00:00"), at(2026, 7, 15, 0, 0, 0, 0), "bsd: Jul");
	CHECK_EQ_INT(parse_ref(ref, "Aug 15 00:00:00"), at(2026, 8, 15, 0, 0, 0, 0), "bsd: Aug");
	CHECK_EQ_INT(parse_ref(ref, "Sep 15 00:00:00"), at(2026, 9, 15, 0, 0, 0, 0), "bsd: Sep");
	CHECK_EQ_INT(parse_ref(ref, "Oct 15 00:00:00"), at(2026, 10, 15, 0, 0, 0, 0), "bsd: Oct");
	CHECK_EQ_INT(parse_ref(ref, "Nov 26 08:00:00"), at(2026, 11, 26, 8, 0, 0, 0),
		     "bsd: exactly one day after the reference stays in its year");
	CHECK_EQ_INT(parse_ref(ref, "Nov 26 08:00:01"), at(2025, 11, 26, 8, 0, 1, 0),
		     "bsd: more than one day after the reference goes to the year before");
	CHECK_EQ_INT(parse_ref(ref, "Dec 15 00:00:00"), at(2025, 12, 15, 0, 0, 0, 0),
		     "bsd: a month after the reference is last year's");
	CHECK_EQ_INT(parse_ref(ref, "Dec 31 23:59:60"), at(2025, 12, 31, 23, 59, 59, 0),
		     "bsd: leap second clamped");

	/* Year rollover: a file written on Jan 2 2027 holds lines from late December. */
	int64_t jan2 = at(2027, 1, 2, 0, 0, 0, 0);
	CHECK_EQ_INT(parse_ref(jan2, "Dec 31 23:59:59"), at(2026, 12, 31, 23, 59, 59, 0),
		     "bsd rollover: Dec 31 in a Jan 2 2027 file is 2026");
	CHECK_EQ_INT(parse_ref(jan2, "Jan  1 00:00:01"), at(2027, 1, 1, 0, 0, 1, 0),
		     "bsd rollover: Jan 1 in the same file is 2027");
	CHECK_EQ_INT(parse_ref(jan2, "Jan  3 00:00:00"), at(2027, 1, 3, 0, 0, 0, 0),
		     "bsd rollover: one day ahead (clock skew) stays 2027");
	CHECK_EQ_INT(parse_ref(jan2, "Jan  3 00:00:01"), at(2026, 1, 3, 0, 0, 1, 0),
		     "bsd rollover: beyond one day ahead is 2026");

	/* Leap years. */
	CHECK_EQ_INT(parse_ref(at(2024, 6, 1, 0, 0, 0, 0), "Feb 29 12:00:00"), at(2024, 2, 29, 12, 0, 0, 0),
		     "bsd leap: Feb 29 in 2024");
	CHECK_EQ_INT(parse_ref(at(2025, 1, 10, 0, 0, 0, 0), "Feb 29 12:00:00"), at(2024, 2, 29, 12, 0, 0, 0),
		     "bsd leap: Feb 29 in a Jan 2025 file is 2024");
	CHECK_EQ_INT(parse_ref(at(2025, 6, 1, 0, 0, 0, 0), "Feb 29 12:00:00"), at(2024, 2, 29, 12, 0, 0, 0),
		     "bsd leap: Feb 29 absent from 2025 goes to 2024");
	CHECK_EQ_INT(parse_ref(at(2026, 6, 1, 0, 0, 0, 0), "Feb 29 12:00:00"), TIME_UNKNOWN,
		     "bsd leap: Feb 29 exists in neither 2026 nor 2025");
	CHECK_EQ_INT(parse_ref(ref, "2024-02-29T00:00:00Z"), INT64_C(1709164800) * SEC, "iso leap: 2024-02-29");
	CHECK_EQ_INT(parse_ref(ref, "2000-02-29T00:00:00Z"), at(2000, 2, 29, 0, 0, 0, 0), "iso leap: 2000-02-29");
	CHECK_EQ_INT(parse_ref(ref, "2023-02-29T00:00:00Z"), TIME_UNKNOWN, "iso leap: 2023-02-29 rejected");
	CHECK_EQ_INT(parse_ref(ref, "2100-02-29T00:00:00Z"), TIME_UNKNOWN, "iso leap: 2100-02-29 rejected");

	CHECK_EQ_INT(parse_ref(TIME_UNKNOWN, "Nov 24 13:00:01"), TIME_UNKNOWN,
		     "bsd: no year without a usable reference time");
}

static void test_invalid(void)
{
	static const char *const bad[] = {
		"", "   ", "[]", "[ ]", "abc", "Foo 24 13:00:01", "Nvo 24 13:00:01", "N0v 24 13:00:01",
		"Nov 24 24:00:00", "Nov 24 13:60:00", "Nov 24 13:00:61", "Nov 31 13:00:00",
		"Nov 00 13:00:00", "Nov 32 13:00:00", "Nov  0 13:00:00", "Nov 24 13:00:01 host",
		"Nov 24 13:00:01.", "Nov 24 13:00:01.x", "Nov 24 13:00", "Nov 24 3:00:01",
		"Nov24 13:00:01", "Nov   4 13:00:01", "Nov 24 13.00.01", "[Nov 24 13:00:01",
		"Nov 24 13:00:01]", "[[Nov 24 13:00:01]]", "2026-13-01T00:00:00", "2026-00-10T00:00:00",
		"2026-04-31T00:00:00", "2026-04-00T00:00:00", "2026-11-24T24:00:00",
		"2026-11-24T13:60:00", "2026-11-24T13:00:61", "2026-11-24", "2026-11-24T",
		"2026-11-24T13:00", "2026-11-24X13:00:01", "2026-11-24T13:00:01.",
		"2026-11-24T13:00:01.Z", "2026-11-24T13:00:01+24:00", "2026-11-24T13:00:01+01:60",
		"2026-11-24T13:00:01+1", "2026-11-24T13:00:01+01:", "2026-11-24T13:00:01+01:0",
		"2026-11-24T13:00:01+010", "2026-11-24T13:00:01ZZ", "2026-11-24T13:00:01 Z",
		"2026-11-24T13:00:01 junk", "26-11-24T13:00:01", "20261-11-24T13:00:01",
		"2026-1-24T13:00:01", "2026-11-2T13:00:01", "2026-11-24T1:00:01", "13:00", "1:00:00",
		"13:00:01.", "24:00:00", "12:60:00", "12:00:61", "13:00:01 x", "13-00-01", "\x01",
		"\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7\xf6\xf5\xf4\xf3\xf2\xf1",
	};
	size_t nbad = sizeof(bad) / sizeof(bad[0]);
	int64_t ref = at(2026, 11, 25, 0, 0, 0, 0);

	for (size_t i = 0; i < nbad; i++)
		CHECK_EQ_INT(parse_ref(ref, bad[i]), TIME_UNKNOWN, "invalid: \"%s\"", bad[i]);

	struct time_ctx ctx;
	time_ctx_init(&ctx, ref);
	CHECK_EQ_INT(time_parse(&ctx, NULL, 0), TIME_UNKNOWN, "invalid: empty input, NULL pointer");
	CHECK_EQ_INT(time_parse(&ctx, "Nov 24 13:00:01\0", 16), TIME_UNKNOWN, "invalid: embedded NUL");
	CHECK_EQ_INT(time_parse(&ctx, "Nov 24 13:00:01", 14), TIME_UNKNOWN, "invalid: cut short by len");

	/* Every prefix of every valid form: rejected or parsed, never read past len (ASan). */
	static const char *const good[] = {
		"Nov 24 13:00:01.123456", "[Nov  4 13:00:01]", "2026-11-24T13:00:01.123456789+01:00",
		"2026/11/24 13:00:01.5", "1700000000.123456", "13:00:01.123456", "2026-11-24T13:00:01-0530",
	};
	int64_t ok_prefixes = 0;
	for (size_t g = 0; g < sizeof(good) / sizeof(good[0]); g++) {
		size_t n = strlen(good[g]);
		for (size_t k = 0; k <= n; k++) {
			char *copy = xmalloc(k ? k : 1);
			memcpy(copy, good[g], k);
			time_ctx_init(&ctx, ref);
			if (time_parse(&ctx, copy, k) != TIME_UNKNOWN)
				ok_prefixes++;
			free(copy);
		}
	}
	/* Valid prefixes: "Nov 24 13:00:01" + 6 fraction lengths (7); "[Nov  4 13:00:01]" (1);
	 * ISO up to seconds, 9 fractions, "+01", "+01:00" (12); slash with/without fraction (2);
		 * epoch from 9 digits, 10 digits, 6 fractions (8); tod 1 + 6 (7); ISO to seconds, "-05",
	 * "-0530" (3) */
	CHECK_EQ_INT(ok_prefixes, 7 + 1 + 12 + 2 + 8 + 7 + 3, "prefixes: only the complete stamps parse");
}

static void test_cache(void)
{
	struct time_ctx ctx;
	int64_t ref = at(2026, 11, 25, 0, 0, 0, 0);

	time_ctx_init(&ctx, ref);
	CHECK_EQ_INT(ctx.cache.bsd_len, 0, "cache: empty after init");
	int64_t a = parse(&ctx, "Nov 24 13:00:01");
	CHECK_EQ_INT(a, at(2026, 11, 24, 13, 0, 1, 0), "cache: first stamp");
	CHECK_EQ_INT(ctx.cache.bsd_len, 15, "cache: keyed on the 15-byte stamp");
	CHECK(memcmp(ctx.cache.bsd_key, "Nov 24 13:00:01", 15) == 0, "cache: key is the stamp text");
	CHECK_EQ_INT(parse(&ctx, "Nov 24 13:00:01"), a, "cache: same stamp twice, same value");
	CHECK_EQ_INT(parse(&ctx, "Nov 24 13:00:01.25"), a + 250000, "cache: hit with a fraction");
	CHECK_EQ_INT(parse(&ctx, "Nov 24 13:00:01."), TIME_UNKNOWN, "cache: hit, bad fraction rejected");
	CHECK_EQ_INT(parse(&ctx, "Nov 24 13:00:012"), TIME_UNKNOWN, "cache: key followed by a digit rejected");
	CHECK_EQ_INT(parse(&ctx, "Nov 24 13:00:01 x"), TIME_UNKNOWN, "cache: key followed by text rejected");
	CHECK_EQ_INT(parse(&ctx, "Nov 24 13:00:02"), a + SEC, "cache: next second is a miss");
	CHECK_EQ_INT(parse(&ctx, "Nov 24 13:00:01"), a, "cache: back to the first stamp");
	CHECK_EQ_INT(parse(&ctx, "Nov 24 13:00:02"), a + SEC, "cache: two different stamps alternate");
	CHECK_EQ_INT(parse(&ctx, "Nov 24 13:00:02"), a + SEC, "cache: and repeat");
	CHECK_EQ_INT(parse(&ctx, "Nov 24 25:00:02"), TIME_UNKNOWN, "cache: invalid stamp");
	CHECK(ctx.cache.bsd_len == 15 && memcmp(ctx.cache.bsd_key, "Nov 24 13:00:02", 15) == 0,
	      "cache: an invalid stamp is not cached");
	CHECK_EQ_INT(parse(&ctx, "Nov  4 13:00:02"), at(2026, 11, 4, 13, 0, 2, 0), "cache: padded day");
	CHECK_EQ_INT(parse(&ctx, "Nov 4 13:00:02"), at(2026, 11, 4, 13, 0, 2, 0), "cache: unpadded day");
	CHECK_EQ_INT(ctx.cache.bsd_len, 14, "cache: 14-byte key for an unpadded day");
	CHECK_EQ_INT(parse(&ctx, "Nov 4 13:00:02.5"), at(2026, 11, 4, 13, 0, 2, 500000), "cache: short key hit");
	CHECK_EQ_INT(parse(&ctx, "[Nov 4 13:00:02]"), at(2026, 11, 4, 13, 0, 2, 0), "cache: hit through []");

	/* A hit still sets the day for time-of-day lines that follow. */
	CHECK_EQ_INT(parse(&ctx, "2026-11-20T10:00:00"), at(2026, 11, 20, 10, 0, 0, 0), "cache: other form");
	CHECK_EQ_INT(parse(&ctx, "Nov 4 13:00:02"), at(2026, 11, 4, 13, 0, 2, 0), "cache: hit after it");
	CHECK_EQ_INT(ctx.day_us, at(2026, 11, 4, 0, 0, 0, 0), "cache: hit sets day_us");
	CHECK_EQ_INT(parse(&ctx, "13:00:03"), at(2026, 11, 4, 13, 0, 3, 0), "cache: tod after a hit");

	/* A new file is a new context: the same text may be another year. */
	time_ctx_init(&ctx, at(2027, 1, 2, 0, 0, 0, 0));
	CHECK_EQ_INT(parse(&ctx, "Nov 4 13:00:02"), at(2026, 11, 4, 13, 0, 2, 0), "cache: reset by init");
	time_ctx_init(&ctx, at(2027, 12, 2, 0, 0, 0, 0));
	CHECK_EQ_INT(parse(&ctx, "Nov 4 13:00:02"), at(2027, 11, 4, 13, 0, 2, 0), "cache: new reference year");
}

/*
 * The engine's split: a worker parses each stamp alone with a cache of its own (time_pre()),
 * the merger resolves them in order (time_resolve()). Over a log that mixes every form, two
 * references and dates, the split gives exactly the instants of time_parse() in one context,
 * whichever cache state the worker had.
 */
static void test_pre_resolve(void)
{
	static const char *const log[] = {
		"Nov 24 13:00:01", "Nov 24 13:00:01.5", "13:00:02.25", "2026-11-24T13:00:03",
		"2026-11-24T13:00:04.1+01:00", "2026-11-24 13:00:05,5", "2026/11/24 13:00:06",
		"2026-11-25T01:00:00Z", "13:00:07", "1764000000.5", "Nov 24, 2026 13:00:08 UTC",
		"[Nov 24 13:00:09]", "[2026-11-24 13:00:10.123]", "23:59:59", "00:00:01", "bogus",
		"2026-02-30T00:00:00", "2026-11-24 13:00:11:072", "", "Feb 29 10:00:00", "  12:00:00 ",
	};
	size_t n = sizeof(log) / sizeof(log[0]);
	int64_t refs[2] = { at(2026, 11, 25, 0, 0, 0, 0), at(2028, 3, 1, 0, 0, 0, 0) };
	struct time_cache warm;

	time_cache_init(&warm);
	for (int r = 0; r < 2; r++) {
		struct time_ctx seq, res;
		int same = 1;

		time_ctx_init(&seq, refs[r]);
		time_ctx_init(&res, refs[r]);
		for (int pass = 0; pass < 2; pass++) {
			for (size_t i = 0; i < n; i++) {
				int64_t want = parse(&seq, log[i]), v;
				/* a worker's cache, warmed by the other reference and earlier lines */
				enum time_kind k = time_pre(&warm, refs[r], log[i], strlen(log[i]), &v);
				int64_t got = time_resolve(&res, k, v);
				if (got != want) {
					fprintf(stderr, "# ref %d, '%s': %lld, want %lld\n", r, log[i],
						(long long)got, (long long)want);
					same = 0;
				}
			}
		}
		CHECK(same, "pre-parse then resolve = time_parse, every form (reference %d)", r);
	}
	int64_t v;
	CHECK_EQ_INT(time_pre(&warm, refs[0], "13:00:02", 8, &v), TS_TOD, "pre: a time of day");
	CHECK_EQ_INT(v, (13 * 3600 + 2) * SEC, "pre: its value is since midnight");
	CHECK_EQ_INT(time_pre(&warm, refs[0], "2026-11-24T13:00:03", 19, &v), TS_WALL,
		     "pre: a zoneless stamp is wall-clock time");
	CHECK_EQ_INT(time_pre(&warm, refs[0], "2026-11-24T13:00:03Z", 20, &v), TS_UTC,
		     "pre: a stamp with a zone is an instant");
	CHECK_EQ_INT(time_pre(&warm, refs[0], "2026-11-31T13:00:03Z", 20, &v), TS_NONE,
		     "pre: an invalid date after a cached one");
	CHECK_EQ_INT(time_pre(&warm, refs[0], "2026-11-24T13:00:03", 19, &v), TS_WALL,
		     "pre: and the cached date again");
	CHECK_EQ_INT(v, at(2026, 11, 24, 13, 0, 3, 0), "pre: the cached date's value");
	/* the BSD cache follows the reference it was made for */
	time_pre(&warm, at(2027, 1, 2, 0, 0, 0, 0), "Nov 4 13:00:02", 14, &v);
	CHECK_EQ_INT(v, at(2026, 11, 4, 13, 0, 2, 0), "pre: BSD year from its reference");
	time_pre(&warm, at(2027, 12, 2, 0, 0, 0, 0), "Nov 4 13:00:02", 14, &v);
	CHECK_EQ_INT(v, at(2027, 11, 4, 13, 0, 2, 0), "pre: another reference, another year");
}

static void test_tod(void)
{
	struct time_ctx ctx;

	time_ctx_init(&ctx, at(2026, 11, 24, 12, 0, 0, 0));
	CHECK_EQ_INT(parse(&ctx, "13:00:01.123456"), at(2026, 11, 24, 13, 0, 1, 123456),
		     "tod: date of the reference time");
	CHECK_EQ_INT(ctx.last_tod_us, (13 * 3600 + 1) * SEC + 123456, "tod: last_tod_us kept");
	CHECK_EQ_INT(parse(&ctx, "23:59:59.9"), at(2026, 11, 24, 23, 59, 59, 900000), "tod: same day");
	CHECK_EQ_INT(parse(&ctx, "23:59:58"), at(2026, 11, 24, 23, 59, 58, 0),
		     "tod: small jump back keeps the day");
	CHECK_EQ_INT(parse(&ctx, "00:00:01"), at(2026, 11, 25, 0, 0, 1, 0), "tod: midnight rollover");
	CHECK_EQ_INT(ctx.day_us, at(2026, 11, 25, 0, 0, 0, 0), "tod: day_us moved to the next day");
	CHECK_EQ_INT(parse(&ctx, "00:00:02"), at(2026, 11, 25, 0, 0, 2, 0), "tod: stays on the new day");
	CHECK_EQ_INT(parse(&ctx, "[12:00:00]"), at(2026, 11, 25, 12, 0, 0, 0), "tod: bracketed");
	CHECK_EQ_INT(parse(&ctx, "00:00:00"), at(2026, 11, 25, 0, 0, 0, 0),
		     "tod: a jump back of exactly 12 h keeps the day");
	CHECK_EQ_INT(parse(&ctx, "12:00:00.000001"), at(2026, 11, 25, 12, 0, 0, 1), "tod: forward");
	CHECK_EQ_INT(parse(&ctx, "00:00:00"), at(2026, 11, 26, 0, 0, 0, 0),
		     "tod: a jump back of 12 h + 1 us is the next day");
	CHECK_EQ_INT(parse(&ctx, "23:59:60"), at(2026, 11, 26, 23, 59, 59, 0), "tod: leap second");

	/* A full date sets the day and the time of day the next line is compared with. */
	CHECK_EQ_INT(parse(&ctx, "2026-12-01 23:59:50.5"), at(2026, 12, 1, 23, 59, 50, 500000), "tod: full date");
	CHECK_EQ_INT(ctx.day_us, at(2026, 12, 1, 0, 0, 0, 0), "tod: full date sets day_us");
	CHECK_EQ_INT(ctx.last_tod_us, (23 * 3600 + 59 * 60 + 50) * SEC + 500000, "tod: and last_tod_us");
	CHECK_EQ_INT(parse(&ctx, "23:59:55"), at(2026, 12, 1, 23, 59, 55, 0), "tod: on the full date's day");
	CHECK_EQ_INT(parse(&ctx, "00:00:03"), at(2026, 12, 2, 0, 0, 3, 0), "tod: rollover after a full date");
	CHECK_EQ_INT(parse(&ctx, "2026-12-31T23:00:00-02:00"), at(2027, 1, 1, 1, 0, 0, 0),
		     "tod: zoned date crossing a year");
	CHECK_EQ_INT(ctx.day_us, at(2027, 1, 1, 0, 0, 0, 0), "tod: day_us is the UTC day");
	CHECK_EQ_INT(parse(&ctx, "01:30:00"), at(2027, 1, 1, 1, 30, 0, 0), "tod: follows the UTC day");
	CHECK_EQ_INT(parse(&ctx, "1700000000"), INT64_C(1700000000) * SEC, "tod: epoch line");
	CHECK_EQ_INT(parse(&ctx, "22:13:21"), INT64_C(1700000001) * SEC, "tod: on the epoch line's day");
	CHECK_EQ_INT(parse(&ctx, "Nov 24 13:00:01"), at(2026, 11, 24, 13, 0, 1, 0), "tod: bsd line");
	CHECK_EQ_INT(parse(&ctx, "01:00:00"), at(2026, 11, 25, 1, 0, 0, 0), "tod: rollover after a bsd line");

	/* Before the file's first full date, its date (the hint), not the reference time's. */
	time_ctx_init(&ctx, at(2027, 3, 1, 9, 0, 0, 0));	/* a copy made months later */
	ctx.hint_us = at(2026, 11, 24, 13, 20, 14, 202590);
	CHECK_EQ_INT(parse(&ctx, "13:20:14.201877"), at(2026, 11, 24, 13, 20, 14, 201877),
		     "hint: a time of day before the first date takes its date, not mtime's");
	CHECK_EQ_INT(parse(&ctx, "2026-11-24 13:20:14.202590"), at(2026, 11, 24, 13, 20, 14, 202590),
		     "hint: then the date itself");
	CHECK_EQ_INT(ctx.first_abs_us, at(2026, 11, 24, 13, 20, 14, 202590),
		     "first_abs_us: the first absolute instant is kept");
	CHECK_EQ_INT(parse(&ctx, "2026-11-25 01:00:00"), at(2026, 11, 25, 1, 0, 0, 0), "a later date");
	CHECK_EQ_INT(ctx.first_abs_us, at(2026, 11, 24, 13, 20, 14, 202590),
		     "first_abs_us: not moved by later dates");
	time_ctx_init(&ctx, at(2027, 3, 1, 9, 0, 0, 0));
	ctx.hint_us = at(2026, 11, 25, 0, 0, 5, 0);
	CHECK_EQ_INT(parse(&ctx, "23:59:58"), at(2026, 11, 24, 23, 59, 58, 0),
		     "hint: a time of day late in the evening before a date just after midnight is "
		     "the day before");
	CHECK_EQ_INT(parse(&ctx, "00:00:01"), at(2026, 11, 25, 0, 0, 1, 0),
		     "hint: and the rollover to the date's day follows");
	time_ctx_init(&ctx, at(2027, 3, 1, 9, 0, 0, 0));
	CHECK_EQ_INT(ctx.hint_us, TIME_UNKNOWN, "hint: none after init");
	CHECK_EQ_INT(parse(&ctx, "13:00:00"), at(2027, 3, 1, 13, 0, 0, 0), "no hint: the reference date");

	time_ctx_init(&ctx, at(1969, 12, 31, 18, 0, 0, 0));
	CHECK_EQ_INT(parse(&ctx, "17:00:00"), at(1969, 12, 31, 17, 0, 0, 0), "tod: reference before 1970");
	time_ctx_init(&ctx, TIME_UNKNOWN);
	CHECK_EQ_INT(parse(&ctx, "17:00:00"), TIME_UNKNOWN, "tod: no date without a reference");
}

static void test_format(void)
{
	char out[32];
	struct time_ctx ctx;

	CHECK_EQ_STR(time_format(0, out), "1970-01-01T00:00:00Z", "format: epoch, no fraction");
	CHECK_EQ_STR(time_format(INT64_C(1795525201) * SEC, out), "2026-11-24T13:00:01Z", "format: whole second");
	CHECK_EQ_STR(time_format(INT64_C(1795525201123456), out), "2026-11-24T13:00:01.123456Z",
		     "format: six fraction digits");
	CHECK_EQ_STR(time_format(INT64_C(1795525201) * SEC + 1, out), "2026-11-24T13:00:01.000001Z",
		     "format: leading zeros in the fraction");
	CHECK_EQ_STR(time_format(INT64_C(1795525201) * SEC + 500000, out), "2026-11-24T13:00:01.500000Z",
		     "format: trailing zeros kept");
	CHECK_EQ_STR(time_format(-1, out), "1969-12-31T23:59:59.999999Z", "format: 1 us before the epoch");
	CHECK_EQ_STR(time_format(at(2024, 2, 29, 23, 59, 59, 0), out), "2024-02-29T23:59:59Z", "format: leap day");
	CHECK_EQ_STR(time_format(at(1, 1, 1, 0, 0, 0, 0), out), "0001-01-01T00:00:00Z", "format: year 1");
	CHECK_EQ_STR(time_format(at(9999, 12, 31, 23, 59, 59, 999999), out), "9999-12-31T23:59:59.999999Z",
		     "format: year 9999");
	CHECK_EQ_STR(time_format(at(10000, 1, 1, 0, 0, 0, 0), out), "+10000-01-01T00:00:00Z",
		     "format: expanded year");
	CHECK_EQ_STR(time_format(at(-1, 12, 31, 0, 0, 0, 0), out), "-0001-12-31T00:00:00Z",
		     "format: negative year");
	CHECK(time_format(INT64_MIN, out) == out && strlen(out) < 32, "format: INT64_MIN fits in 32 bytes (%s)", out);
	CHECK(strlen(time_format(INT64_MAX, out)) < 32, "format: INT64_MAX fits in 32 bytes (%s)", out);

	/* Round trips: parse(format(t)) == t over years 1..9999 (a fixed LCG, reproducible). */
	uint64_t x = 0x9E3779B97F4A7C15u;
	int64_t lo = at(1, 1, 1, 0, 0, 0, 0), span = at(9999, 12, 31, 23, 59, 59, 999999) - lo;
	int bad = 0;
	time_ctx_init(&ctx, 0);
	for (int i = 0; i < 100000; i++) {
		x = x * 6364136223846793005u + 1442695040888963407u;
		int64_t t = lo + (int64_t)((x >> 1) % (uint64_t)span);
		if (i & 1)
			t -= t % SEC;	/* half of them whole seconds: the no-fraction form */
		time_format(t, out);
		if (parse(&ctx, out) != t && bad++ < 3)
			printf("# round trip failed: %lld -> %s\n", (long long)t, out);
	}
	CHECK_EQ_INT(bad, 0, "format: 100000 round trips through time_parse");

	static const char *const stamps[] = {
		"2026-11-24T13:00:01Z", "2026-11-24T13:00:01.123456Z", "2000-02-29T00:00:00.000001Z",
		"1970-01-01T00:00:00Z", "1969-07-20T20:17:40Z", "2038-01-19T03:14:08Z",
	};
	for (size_t i = 0; i < sizeof(stamps) / sizeof(stamps[0]); i++)
		CHECK_EQ_STR(time_format(parse(&ctx, stamps[i]), out), stamps[i], "format: \"%s\" round trip",
			     stamps[i]);
}

/* tshark -V "Arrival Time:" (with the year, no reference needed) and SIPp -trace_msg's
 * "2026-11-24 13:00:01.123456" (the ISO form with a space) */
static void test_tshark_sipp(void)
{
	int64_t ref = at(2030, 1, 1, 0, 0, 0, 0);
	int64_t base = INT64_C(1795525201) * SEC;	/* 2026-11-24T13:00:01Z */
	struct time_ctx ctx;

	CHECK_EQ_INT(parse_ref(ref, "Nov 24, 2026 13:00:01.123456789 UTC"), base + 123456,
		     "tshark: nanoseconds truncated to us, year from the stamp");
	CHECK_EQ_INT(parse_ref(ref, "Nov 24, 2026 13:00:01 UTC"), base, "tshark: no fraction");
	CHECK_EQ_INT(parse_ref(ref, "Nov 24, 2026 13:00:01.5 GMT"), base + 500000, "tshark: GMT");
	CHECK_EQ_INT(parse_ref(ref, "Mar  4, 2024 00:00:00.000000000 UTC"), at(2024, 3, 4, 0, 0, 0, 0),
		     "tshark: space-padded day");
	CHECK_EQ_INT(parse_ref(ref, "Mar 4, 2024 00:00:00 UTC"), at(2024, 3, 4, 0, 0, 0, 0),
		     "tshark: unpadded day");
	CHECK_EQ_INT(parse_ref(ref, "Feb 29, 2024 12:00:00 UTC"), at(2024, 2, 29, 12, 0, 0, 0),
		     "tshark: leap day");
	CHECK_EQ_INT(parse_ref(ref, "Feb 29, 2026 12:00:00 UTC"), TIME_UNKNOWN,
		     "tshark: Feb 29 of a common year");
	CHECK_EQ_INT(parse_ref(ref, "Nov 24, 2026 14:00:01.123456789 CET"), TIME_UNKNOWN,
		     "tshark: a local zone says no instant");
	CHECK_EQ_INT(parse_ref(ref, "Nov 24, 2026 13:00:01.123456789"), TIME_UNKNOWN,
		     "tshark: zone missing");
	CHECK_EQ_INT(parse_ref(ref, "Nov 24, 2026 13:00:01 UTC x"), TIME_UNKNOWN, "tshark: trailing word");
	CHECK_EQ_INT(parse_ref(ref, "Nov 24, 26 13:00:01 UTC"), TIME_UNKNOWN, "tshark: two-digit year");
	CHECK_EQ_INT(parse_ref(ref, "Nov 24,"), TIME_UNKNOWN, "tshark: cut short");
	time_ctx_init(&ctx, ref);
	CHECK_EQ_INT(parse(&ctx, "Nov 24, 2026 23:59:59 UTC"), at(2026, 11, 24, 23, 59, 59, 0),
		     "tshark: dates the time-of-day stamps after it");
	CHECK_EQ_INT(parse(&ctx, "00:00:01.5"), at(2026, 11, 25, 0, 0, 1, 500000),
		     "tshark: ... across midnight");

	CHECK_EQ_INT(parse_ref(ref, "2026-11-24 13:00:01.123456"), base + 123456,
		     "sipp: -trace_msg separator stamp");
}

int main(void)
{
	test_days_from_civil();
	test_iso();
	test_slash_epoch();
	test_tshark_sipp();
	test_bsd();
	test_invalid();
	test_cache();
	test_pre_resolve();
	test_tod();
	test_format();
	return test_done();
}
