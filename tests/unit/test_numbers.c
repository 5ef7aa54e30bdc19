/*
 * test_numbers.c - every number siplogscan accepts is a number: parse_decimal() (src/util.c),
 * the grammar of the options that take one.
 */
#include "testhelp.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

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

int main(void)
{
	test_parse_decimal();
	return test_done();
}
