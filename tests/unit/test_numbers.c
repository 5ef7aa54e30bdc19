/*
 * test_numbers.c - every number siplogscan accepts is a number, and every number it writes
 * is finite: parse_decimal() (src/util.c), --fail-on values and --since/--until times
 * (src/rules.c), and the renderers given NaN and infinities where a double could hold one
 * (options, rule values, the run, baseline figures): the JSON stays valid with every number
 * finite, and no format prints nan or inf.
 */
#include "testhelp.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "render.h"
#include "report.h"
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

/* every number in a JSON tree is finite */
static int all_finite(const struct json *v)
{
	if (v->type == JSON_NUMBER)
		return isfinite(v->num);
	for (const struct json *k = v->first; k; k = k->next)
		if (!all_finite(k))
			return 0;
	return 1;
}

/* "nan", "inf" (and so "infinity") as a word, in any case */
static int has_nonfinite_word(const struct buf *b)
{
	for (size_t i = 0; i + 3 <= b->len; i++) {
		if (i && ((b->p[i - 1] | 32) >= 'a' && (b->p[i - 1] | 32) <= 'z'))
			continue;
		if (!mem_ieq(b->p + i, "nan", 3) && !mem_ieq(b->p + i, "inf", 3))
			continue;
		char after = i + 3 < b->len ? (char)(b->p[i + 3] | 32) : ' ';
		if (!(after >= 'a' && after <= 'z') || mem_ieq(b->p + i, "infinity", 8))
			return 1;
	}
	return 0;
}

static void test_render_nonfinite(void)
{
	struct report r;

	memset(&r, 0, sizeof(r));
	r.since = r.until = TIME_UNKNOWN;
	r.kpi.acd_us = -1;
	r.run.version = "0.0-test";
	r.run.threads = 1;
	/* none of these can come from the command line any more; the writers must hold anyway */
	r.call_timeout_s = NAN;
	r.session_timeout_s = INFINITY;
	r.slow_setup_s = -INFINITY;
	r.run.elapsed_s = NAN;
	r.run.mb_per_s = INFINITY;
	const double values[] = { NAN, INFINITY, -INFINITY, 3.5 };
	for (int i = 0; i < 4; i++) {
		snprintf(r.rules[i].text, sizeof(r.rules[i].text), "change:calls>%d", i);
		r.rules[i].value = values[i];
	}
	r.nrules = 4;
	struct baseline *bl = xcalloc(1, sizeof(*bl));
	bl->path = xstrndup("prev.json", 9);
	bl->status = BASELINE_OK;
	bl->fig = xcalloc(5, sizeof(*bl->fig));
	const struct baseline_figure figs[] = {
		{ "calls", "calls", UNIT_COUNT, 1, 1, INFINITY, 52, TREND_CHANGED },
		{ "kpi.ser", "SER", UNIT_PERCENT, 1, 1, -INFINITY, 24.2, TREND_BETTER },
		{ "kpi.acd", "ACD", UNIT_MS, 1, 1, NAN, 1000, TREND_CHANGED },
		{ "trying.delay.p50", "100 -> final", UNIT_MS, 1, 1, 1e-320, 1000, TREND_WORSE },
		{ "stuck", "stuck", UNIT_COUNT, 1, 1, 1e-320, 3, TREND_WORSE },
	};
	memcpy(bl->fig, figs, sizeof(figs));
	bl->nfig = 5;
	r.baseline = bl;

	struct buf b = {0};
	struct arena a = {0};
	char err[160];
	render_json(&b, &r);
	const struct json *doc = json_parse(&a, b.p, b.len, err, sizeof(err));
	CHECK(doc != NULL, "json with NaN and infinities in the model: valid JSON");
	if (!doc)
		printf("#   %s\n", err);
	CHECK(doc && all_finite(doc), "json: every number finite");
	CHECK(!has_nonfinite_word(&b), "json: no nan or inf");
	CHECK(doc && json_path(doc, "options.call_timeout_s")->type == JSON_NULL &&
	      json_path(doc, "run.elapsed_s")->type == JSON_NULL &&
	      json_path(doc, "run.mb_per_s")->type == JSON_NULL, "json: NaN options and run as null");
	const struct json *rules = doc ? json_get(doc, "rules") : NULL;
	int nulls = 0;
	for (const struct json *x = rules ? rules->first : NULL; x; x = x->next)
		nulls += json_get(x, "value")->type == JSON_NULL;
	CHECK_EQ_INT(nulls, 3, "json: NaN and infinite rule values as null, the finite one kept");
	const struct json *f = doc ? json_path(doc, "baseline.figures")->first : NULL;
	CHECK(f && json_get(f, "previous")->type == JSON_NULL &&
	      json_get(f, "change")->type == JSON_NULL &&
	      json_get(f, "change_percent")->type == JSON_NULL &&
	      json_get(f, "current")->type == JSON_NUMBER, "json: an infinite previous figure is null");
	while (f && f->next)
		f = f->next;
	CHECK(f && json_get(f, "change_percent")->type == JSON_NULL &&
	      json_get(f, "change")->type == JSON_NUMBER,
	      "json: a relative change from 1e-320 overflows: null; the change is kept");
	arena_free(&a);

	struct render_opts o = { .color = 0, .width = 100 };
	buf_reset(&b);
	render_text(&b, &r, &o);
	CHECK(!has_nonfinite_word(&b), "text: no nan or inf");
	buf_reset(&b);
	render_csv(&b, &r);
	CHECK(!has_nonfinite_word(&b), "csv: no nan or inf");
	buf_reset(&b);
	render_html(&b, &r);
	CHECK(!has_nonfinite_word(&b), "html: no nan or inf");
	buf_reset(&b);
	render_prom(&b, &r);
	CHECK(!has_nonfinite_word(&b), "prom: no nan or inf");
	buf_free(&b);
	report_release(&r);
}

int main(void)
{
	test_parse_decimal();
	test_rules();
	test_times();
	test_render_nonfinite();
	return test_done();
}
