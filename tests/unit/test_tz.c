/*
 * test_tz.c - unit tests for src/tz.c and the zone-aware parts of src/timeparse.c: zone names
 * (valid, unknown, outside the zone folder), offsets, wall clock -> UTC around both DST
 * changes (the repeated hour by log order, the spring gap as the instant of the change), a
 * zone whose clocks move by 30 minutes (Australia/Lord_Howe), hour keys of a half-hour zone,
 * the local formats, and time_parse() reading zoneless stamps in the zone while stamps with
 * an offset keep theirs. Needs tzdata (/usr/share/zoneinfo).
 */
#include "testhelp.h"

#include <stdlib.h>
#include <string.h>

#include "timeparse.h"
#include "tz.h"

#define SEC INT64_C(1000000)
#define HOUR (3600 * SEC)
#define DAY (86400 * SEC)

/* y-mo-d h:mi:s as if UTC: a wall-clock time, or an instant when the zone is UTC */
static int64_t at(int64_t y, unsigned mo, unsigned d, int h, int mi, int s)
{
	return time_days_from_civil(y, mo, d) * DAY + ((int64_t)h * 3600 + mi * 60 + s) * SEC;
}

static int64_t parse(struct time_ctx *ctx, const char *s)
{
	return time_parse(ctx, s, strlen(s));
}

static void test_names(void)
{
	CHECK_EQ_INT(tz_setup("UTC"), 0, "UTC needs no zone file");
	CHECK(tz_is_utc(), "UTC is UTC");
	CHECK_EQ_INT(tz_setup("Etc/UTC"), 0, "Etc/UTC");
	CHECK(tz_is_utc() && !strcmp(tz_name(), "Etc/UTC"), "Etc/UTC is UTC, named as given");
	CHECK_EQ_INT(tz_setup("Europe/Berlin"), 0, "Europe/Berlin");
	CHECK(!tz_is_utc(), "Europe/Berlin is not UTC");
	CHECK_EQ_STR(tz_name(), "Europe/Berlin", "its name");
	CHECK_EQ_INT(tz_setup("Europe/Nowhere"), TZ_UNKNOWN_NAME, "an unknown name");
	CHECK_EQ_STR(tz_name(), "Europe/Berlin", "a refused name leaves the zone as it was");
	CHECK_EQ_INT(tz_setup(""), TZ_UNKNOWN_NAME, "an empty name");
	CHECK_EQ_INT(tz_setup("../zoneinfo/Europe/Berlin"), TZ_UNKNOWN_NAME, "'..' is refused");
	CHECK_EQ_INT(tz_setup("Europe/./Berlin"), TZ_UNKNOWN_NAME, "'.' is refused");
	CHECK_EQ_INT(tz_setup("/usr/share/zoneinfo/Europe/Berlin"), TZ_UNKNOWN_NAME,
		     "a path is no --tz name");
	CHECK_EQ_INT(tz_setup("Europe/"), TZ_UNKNOWN_NAME, "a folder");
	CHECK_EQ_INT(tz_setup("zone.tab"), TZ_UNKNOWN_NAME, "a file that is no TZif");
	CHECK_EQ_INT(tz_setup("Europe/Berlin\n"), TZ_UNKNOWN_NAME, "a control character");

	setenv("TZ", "America/New_York", 1);
	CHECK_EQ_INT(tz_setup(NULL), 0, "TZ=America/New_York");
	CHECK_EQ_STR(tz_name(), "America/New_York", "the zone of TZ");
	setenv("TZ", ":America/Chicago", 1);
	CHECK_EQ_INT(tz_setup(NULL), 0, "TZ=:America/Chicago (the leading ':' of POSIX)");
	CHECK_EQ_STR(tz_name(), "America/Chicago", "... named without it");
	setenv("TZ", "/usr/share/zoneinfo/Asia/Tokyo", 1);
	CHECK_EQ_INT(tz_setup(NULL), 0, "TZ as a path");
	CHECK_EQ_STR(tz_name(), "Asia/Tokyo", "... named by what follows zoneinfo/");
	setenv("TZ", "", 1);
	CHECK_EQ_INT(tz_setup(NULL), 0, "an empty TZ");
	CHECK(tz_is_utc(), "... is UTC, as for the C library");
	setenv("TZ", "UTC0", 1);
	CHECK_EQ_INT(tz_setup(NULL), 0, "TZ=UTC0 (the POSIX form of UTC)");
	CHECK(tz_is_utc() && !strcmp(tz_name(), "UTC"), "... is UTC, named UTC");
	tz_setup("UTC");
	CHECK_EQ_INT(tz_setup(NULL), 0, "a setup after UTC was set up (TZ as tz_setup() left it)");
	CHECK(tz_is_utc(), "... is UTC still");
	setenv("TZ", "Nowhere", 1);
	CHECK_EQ_INT(tz_setup(NULL), TZ_UNKNOWN_ENV, "a TZ naming no zone");
}

static void test_berlin(void)
{
	int64_t prev;

	tz_setup("Europe/Berlin");
	CHECK_EQ_INT(tz_offset(at(2026, 1, 15, 12, 0, 0)), 3600, "January: CET +01:00");
	CHECK_EQ_INT(tz_offset(at(2026, 7, 15, 12, 0, 0)), 7200, "July: CEST +02:00");
	/* the change instants: 2026-03-29 01:00Z and 2026-10-25 01:00Z */
	CHECK_EQ_INT(tz_offset(at(2026, 3, 29, 0, 59, 59)), 3600, "a second before spring");
	CHECK_EQ_INT(tz_offset(at(2026, 3, 29, 1, 0, 0)), 7200, "spring, the first second");
	CHECK_EQ_INT(tz_offset(at(2026, 10, 25, 0, 59, 59)), 7200, "a second before autumn");
	CHECK_EQ_INT(tz_offset(at(2026, 10, 25, 1, 0, 0)), 3600, "autumn, the first second");
	CHECK_EQ_INT(tz_offset(at(2099, 7, 1, 0, 0, 0)), 7200, "2099: the rule goes on");

	CHECK_EQ_INT(tz_to_utc(at(2026, 11, 24, 13, 0, 1), TIME_UNKNOWN), at(2026, 11, 24, 12, 0, 1),
		     "13:00:01 CET is 12:00:01Z");
	CHECK_EQ_INT(tz_to_utc(at(2026, 11, 24, 13, 0, 1) + 123456, TIME_UNKNOWN),
		     at(2026, 11, 24, 12, 0, 1) + 123456, "the fraction is kept");

	/* spring: 02:00..02:59:59 does not exist */
	CHECK_EQ_INT(tz_to_utc(at(2026, 3, 29, 1, 59, 58), TIME_UNKNOWN), at(2026, 3, 29, 0, 59, 58),
		     "01:59:58 CET");
	CHECK_EQ_INT(tz_to_utc(at(2026, 3, 29, 3, 0, 2), TIME_UNKNOWN), at(2026, 3, 29, 1, 0, 2),
		     "03:00:02 CEST: 4 s after 01:59:58");
	CHECK_EQ_INT(tz_to_utc(at(2026, 3, 29, 2, 30, 0), TIME_UNKNOWN), at(2026, 3, 29, 1, 0, 0),
		     "02:30 in the gap is the change, 01:00:00Z");
	CHECK_EQ_INT(tz_to_utc(at(2026, 3, 29, 2, 0, 0) + 500000, TIME_UNKNOWN),
		     at(2026, 3, 29, 1, 0, 0), "02:00:00.5 too");

	/* autumn: 02:00..02:59:59 twice */
	CHECK_EQ_INT(tz_to_utc(at(2026, 10, 25, 2, 30, 0), TIME_UNKNOWN), at(2026, 10, 25, 0, 30, 0),
		     "02:30 with no previous stamp: the first pass (CEST)");
	prev = at(2026, 10, 25, 0, 59, 58);	/* 02:59:58 CEST */
	CHECK_EQ_INT(tz_to_utc(at(2026, 10, 25, 2, 0, 3), prev), at(2026, 10, 25, 1, 0, 3),
		     "02:00:03 after 02:59:58 CEST is CET: 5 s later, not 1 h earlier");
	prev = at(2026, 10, 25, 0, 10, 1);	/* 02:10:01 CEST */
	CHECK_EQ_INT(tz_to_utc(at(2026, 10, 25, 2, 10, 0), prev), at(2026, 10, 25, 0, 10, 0),
		     "a line 1 s out of order stays in the first pass");
	prev = at(2026, 10, 25, 1, 0, 3);	/* 02:00:03 CET */
	CHECK_EQ_INT(tz_to_utc(at(2026, 10, 25, 2, 0, 2), prev), at(2026, 10, 25, 1, 0, 2),
		     "a line 1 s out of order in the second pass stays there");
	CHECK_EQ_INT(tz_to_utc(at(2026, 10, 25, 3, 0, 0), prev), at(2026, 10, 25, 2, 0, 0),
		     "03:00 CET after the repeated hour");

	/* hour keys */
	CHECK_EQ_INT(tz_hour_start(at(2026, 11, 24, 12, 34, 56)), at(2026, 11, 24, 12, 0, 0),
		     "a whole-hour zone keys on whole UTC hours");
	CHECK(tz_hour_start(at(2026, 10, 25, 0, 30, 0)) != tz_hour_start(at(2026, 10, 25, 1, 30, 0)),
	      "the two passes of 02:00 are two hours");
}

static void test_lord_howe(void)
{
	/* +10:30 standard, +11:00 summer: on 2026-10-04 02:00 becomes 02:30 (15:30Z) */
	tz_setup("Australia/Lord_Howe");
	CHECK_EQ_INT(tz_offset(at(2026, 7, 1, 0, 0, 0)), 37800, "Lord Howe winter +10:30");
	CHECK_EQ_INT(tz_to_utc(at(2026, 10, 4, 1, 59, 59), TIME_UNKNOWN), at(2026, 10, 3, 15, 29, 59),
		     "01:59:59 +10:30");
	CHECK_EQ_INT(tz_to_utc(at(2026, 10, 4, 2, 15, 0), TIME_UNKNOWN), at(2026, 10, 3, 15, 30, 0),
		     "02:15 in a 30-minute gap is the change");
	CHECK_EQ_INT(tz_to_utc(at(2026, 10, 4, 2, 45, 0), TIME_UNKNOWN), at(2026, 10, 3, 15, 45, 0),
		     "02:45 +11:00, in the same wall hour as the gap");
}

static void test_kolkata(void)
{
	char out[TIME_LOCAL_MAX];

	tz_setup("Asia/Kolkata");
	CHECK_EQ_INT(tz_offset(at(2026, 11, 24, 0, 0, 0)), 19800, "+05:30");
	CHECK_EQ_INT(tz_hour_start(at(2026, 11, 24, 4, 45, 0)), at(2026, 11, 24, 4, 30, 0),
		     "10:15 local is in the hour that starts 04:30Z");
	CHECK_EQ_INT(tz_hour_start(at(2026, 11, 24, 4, 29, 59)), at(2026, 11, 24, 3, 30, 0),
		     "09:59:59 local is in the hour before");
	CHECK_EQ_STR(time_format_hour(at(2026, 11, 24, 4, 30, 0), out), "2026-11-24 10:00 +05:30",
		     "the hour label");
	CHECK_EQ_STR(time_format_local(at(2026, 11, 24, 18, 29, 58) + 250000, out),
		     "2026-11-24 23:59:58.250000 +05:30", "a time with its fraction and offset");
}

static void test_formats(void)
{
	char out[TIME_LOCAL_MAX];

	tz_setup("America/New_York");
	CHECK_EQ_STR(time_format_local(at(2026, 12, 2, 4, 59, 58), out), "2026-12-01 23:59:58 -05:00",
		     "New York: the day before in UTC terms, a negative offset");
	CHECK_EQ_STR(time_format(at(2026, 12, 2, 4, 59, 58), out), "2026-12-02T04:59:58Z",
		     "time_format() stays UTC");
	tz_setup("Europe/Amsterdam");
	CHECK_EQ_STR(time_format_local(at(1920, 6, 1, 12, 0, 0), out), "1920-06-01 13:19:32 +01:19:32",
		     "an offset with seconds (Amsterdam summer time, 1920)");
	tz_setup("UTC");
	CHECK_EQ_STR(time_format_local(at(2026, 12, 2, 4, 59, 58), out), "2026-12-02T04:59:58Z",
		     "in UTC the reports keep the ...Z form");
	CHECK_EQ_STR(time_format_hour(at(2026, 12, 2, 4, 0, 0), out), "2026-12-02T04",
		     "and the hour label as it always was");
}

static void test_parse(void)
{
	struct time_ctx ctx;

	tz_setup("Europe/Berlin");
	time_ctx_init(&ctx, at(2026, 11, 24, 23, 59, 59));
	CHECK_EQ_INT(parse(&ctx, "Nov 24 13:00:01"), at(2026, 11, 24, 12, 0, 1), "BSD in the zone");
	CHECK_EQ_INT(parse(&ctx, "Nov 24 13:00:01.5"), at(2026, 11, 24, 12, 0, 1) + 500000,
		     "BSD from the cache, in the zone");
	CHECK_EQ_INT(parse(&ctx, "2026-11-24 13:00:02"), at(2026, 11, 24, 12, 0, 2), "ISO without zone");
	CHECK_EQ_INT(parse(&ctx, "2026/11/24 13:00:02"), at(2026, 11, 24, 12, 0, 2), "slashes");
	CHECK_EQ_INT(parse(&ctx, "2026-11-24T13:00:02Z"), at(2026, 11, 24, 13, 0, 2), "Z keeps UTC");
	CHECK_EQ_INT(parse(&ctx, "2026-11-24T13:00:02+02:00"), at(2026, 11, 24, 11, 0, 2),
		     "an offset keeps its own");
	CHECK_EQ_INT(parse(&ctx, "1764000000"), INT64_C(1764000000) * SEC, "epoch is UTC");
	CHECK_EQ_INT(parse(&ctx, "Nov 24, 2026 13:00:01.000000 UTC"), at(2026, 11, 24, 13, 0, 1),
		     "tshark UTC is UTC");

	/* time of day: its date from the last full date, in the zone, across the autumn hour */
	time_ctx_init(&ctx, at(2026, 11, 24, 0, 0, 0));
	CHECK_EQ_INT(parse(&ctx, "2026-10-25 02:59:58"), at(2026, 10, 25, 0, 59, 58),
		     "FreeSWITCH date line at 02:59:58 CEST");
	CHECK_EQ_INT(parse(&ctx, "02:00:03.5"), at(2026, 10, 25, 1, 0, 3) + 500000,
		     "its time-of-day line at 02:00:03.5 is CET, 5.5 s later");
	CHECK_EQ_INT(parse(&ctx, "23:59:59"), at(2026, 10, 25, 22, 59, 59), "23:59:59 CET");
	CHECK_EQ_INT(parse(&ctx, "00:00:01"), at(2026, 10, 25, 23, 0, 1),
		     "00:00:01 is the next local day");
	tz_setup("UTC");
}

int main(void)
{
	test_names();
	test_berlin();
	test_lord_howe();
	test_kolkata();
	test_formats();
	test_parse();
	return test_done();
}
