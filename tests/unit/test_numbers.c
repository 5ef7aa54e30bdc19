/*
 * test_numbers.c - every number siplogscan accepts is a number: parse_decimal() (src/util.c),
 * --fail-on values and --since/--until times (src/rules.c).
 */
#include "testhelp.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"
#include "timeparse.h"
#include "util.h"

#define DAY (INT64_C(86400) * 1000000)
#define NOW (INT64_C(1795525200) * 1000000)	/* 2026-11-24T13:00:00Z */

static void test_parse_decimal(void)
{
	static const struct { const char *s; double v; const char *rest; } good[] = {
		{ "32", 32, "" }, { "0.5", 0.5, "" }, { ".5", 0.5, "" }, { "5.", 5, "" },
		{ "1e3", 1000, "" }, { "1E-3", 0.001, "" }, { "-2.5", -2.5, "" }, { "0", 0, "" },
		{ "5%", 5, "%" }, { "7d", 7, "d" }, { "1.5h", 1.5, "h" }, { "1e-400", 0, "" },
		{ "0x1p3", 0, NULL }, { "1e", 0, NULL },
	};
	static const char *const bad[] = {
		"", ".", "-", "-.", "nan", "NaN", "-nan", "inf", "-inf", "INFINITY", "infinity",
		"1e999", "-1e999", "1e400", " 5", "+5", "e5", "0x10",
	};

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		double v = -1;
		const char *end = parse_decimal(good[i].s, &v);
		if (!good[i].rest) {
			/* "0x1p3": strtod() reads a hex float, the grammar only "0": refused
			 * rather than read as 0 or 8; "1e": an exponent without digits */
			CHECK(end == NULL, "parse_decimal(\"%s\") refused", good[i].s);
			continue;
		}
		CHECK(end && strcmp(end, good[i].rest) == 0 && fabs(v - good[i].v) < 1e-12,
		      "parse_decimal(\"%s\") = %g, then \"%s\"", good[i].s, good[i].v, good[i].rest);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		double v = 42;
		const char *end = parse_decimal(bad[i], &v);
		/* "0x10" reads as "0" followed by "x10": the caller refuses what follows */
		int refused = !end || (*end && strcmp(bad[i], "0x10") == 0);
		CHECK(refused, "parse_decimal(\"%s\") is not a number", bad[i]);
	}
}

static void test_rules(void)
{
	static const char *const good[] = {
		"ser<95.5", "stuck>=0", "calls>1e3", "change:calls<-50%", "isa<=1e15", "errors=0",
	};
	static const char *const bad[] = {
		"ser<nan", "ser<NaN", "calls>inf", "calls>-inf", "calls>1e400", "x>1e400",
		"calls>0x10", "calls>1e16", "calls>-1e16", "stuck>5 ", "stuck> 5", "ser<+95",
		"stuck>nan%", "stuck>", "stuck>5%%", "stuck>0\033[2J", "stuck>\xc2\x9b" "0",
	};

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct rules rs = {0};
		CHECK(rules_parse(&rs, good[i]) == 0 && rs.n == 1 && isfinite(rs.r[0].value),
		      "--fail-on '%s' accepted", good[i]);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct rules rs = {0};
		CHECK(rules_parse(&rs, bad[i]) < 0, "--fail-on rule %zu refused", i + 1);
	}
}

static void test_times(void)
{
	const int64_t year1 = time_days_from_civil(1, 1, 1) * DAY;
	static const char *const bad[] = {
		"-99999999999d", "-1e400d", "-9e15s", "-800000d", "-0x1p3d", "-nand", "-infd",
		"0000-01-01", "0001-01-01T00:00:00+01:00", "-5d ", "-5 d", "-d", "-1ed",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(rules_parse_time(bad[i], NOW, 0) == TIME_UNKNOWN, "time '%s' refused", bad[i]);
	CHECK_EQ_INT(rules_parse_time("-1.5h", NOW, 0), NOW - 5400 * INT64_C(1000000),
		     "-1.5h is 90 minutes before now");
	CHECK_EQ_INT(rules_parse_time("-7d", NOW, 0), NOW - 7 * DAY, "-7d");
	CHECK_EQ_INT(rules_parse_time("0001-01-01", NOW, 0), year1, "0001-01-01: the earliest");
	CHECK(rules_parse_time("9999-12-31T23:59", NOW, 1) != TIME_UNKNOWN, "9999-12-31T23:59");
	/* the furthest back a relative time reaches is year 1 */
	CHECK(rules_parse_time("-739000d", NOW, 0) >= year1, "-739000d is after year 1");
	CHECK(rules_parse_time("-740000d", NOW, 0) == TIME_UNKNOWN, "-740000d is before year 1");
}

int main(void)
{
	test_parse_decimal();
	test_rules();
	test_times();
	return test_done();
}
