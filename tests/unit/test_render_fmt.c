/*
 * test_render_fmt.c - the figures for people shared by the text and HTML reports
 * (src/render_fmt.c): one thousands style for counts (fmt_num) and durations in at most two
 * units (fmt_dur), at every boundary between units.
 */
#include "testhelp.h"

#include <stdint.h>

#include "render.h"
#include "util.h"

static void check_num(uint64_t v, const char *want)
{
	struct buf b = {0};

	fmt_num(&b, v);
	CHECK_EQ_STR(buf_cstr(&b), want, "fmt_num %llu", (unsigned long long)v);
	buf_free(&b);
}

static void check_dur(int64_t us, const char *want)
{
	struct buf b = {0};

	fmt_dur(&b, us);
	CHECK_EQ_STR(buf_cstr(&b), want, "fmt_dur %lld us", (long long)us);
	buf_free(&b);
}

#define S INT64_C(1000000)

int main(void)
{
	check_num(0, "0");
	check_num(999, "999");
	check_num(1000, "1,000");
	check_num(65536, "65,536");
	check_num(1234567, "1,234,567");
	check_num(100000000, "100,000,000");
	check_num(UINT64_MAX, "18,446,744,073,709,551,615");

	check_dur(-1, "unknown");
	check_dur(0, "0.0 ms");
	check_dur(1234, "1.2 ms");
	check_dur(9999, "10.0 ms");
	check_dur(10000, "10 ms");
	check_dur(850000, "850 ms");
	check_dur(999499, "999 ms");
	check_dur(1 * S, "1.00 s");
	check_dur(2350000, "2.35 s");
	check_dur(119 * S, "119.00 s");
	check_dur(120 * S, "2 min 00 s");
	check_dur(245 * S, "4 min 05 s");
	check_dur(3599 * S, "59 min 59 s");
	/* rounded before the units are chosen */
	check_dur(3599 * S + 600000, "1 h 00 min");
	check_dur(3600 * S, "1 h 00 min");
	check_dur((2 * 3600 + 14 * 60 + 20) * S, "2 h 14 min");
	check_dur((2 * 3600 + 14 * 60 + 30) * S, "2 h 15 min");
	check_dur((23 * 3600 + 59 * 60 + 29) * S, "23 h 59 min");
	check_dur((23 * 3600 + 59 * 60 + 30) * S, "1 d 0 h");
	check_dur((3 * 86400 + 4 * 3600) * S, "3 d 4 h");
	check_dur((3 * 86400 + 4 * 3600 + 29 * 60) * S, "3 d 4 h");
	check_dur((3 * 86400 + 4 * 3600 + 30 * 60) * S, "3 d 5 h");
	check_dur(400 * 86400 * S, "400 d 0 h");
	return test_done();
}
