/*
 * test_figures.c - the table of figures (src/figures.c) and the one ratio formatter.
 *
 * The formatter: exact rounding from the integers, and the rule that a ratio that is not
 * exactly 0 or 1 never reads as 0 or 1 in any form. The table: ids and --fail-on names
 * unique and resolvable, KPI rows complete, and every JSON path present in a rendered report
 * with the value the table computes (so --baseline reads what the reports print). And a
 * share of 24,999/25,000 reads the same value in the JSON, CSV and text reports.
 */
#include "testhelp.h"
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "analysis.h"
#include "baseline.h"
#include "event.h"
#include "figures.h"
#include "json.h"
#include "render.h"
#include "report.h"
#include "timeparse.h"
#include "util.h"

static const char *ratio(uint64_t num, uint64_t den, enum ratio_form form)
{
	static char out[8][64];
	static int k;
	struct buf b = {0};

	fmt_ratio(&b, num, den, form);
	k = (k + 1) % 8;
	snprintf(out[k], sizeof(out[k]), "%s", b.p ? buf_cstr(&b) : "");
	buf_free(&b);
	return out[k];
}

static const char *pvalue(double v, int people)
{
	static char out[64];
	struct buf b = {0};

	fmt_percent_value(&b, v, people);
	snprintf(out, sizeof(out), "%s", b.p ? buf_cstr(&b) : "");
	buf_free(&b);
	return out;
}

static const char *rvalue(double v)
{
	static char out[64];
	struct buf b = {0};

	fmt_rule_value(&b, v);
	snprintf(out, sizeof(out), "%s", b.p ? buf_cstr(&b) : "");
	buf_free(&b);
	return out;
}

static void test_formatter(void)
{
	/* the case of the issue: 24,999/25,000 never reads 1 or 100 % */
	CHECK_EQ_STR(ratio(24999, 25000, RATIO_SHARE), "0.99996", "share 24999/25000");
	CHECK_EQ_STR(ratio(24999, 25000, RATIO_PERCENT), "99.9960", "percent 24999/25000");
	CHECK_EQ_STR(ratio(24999, 25000, RATIO_PROM), "0.99996", "prom 24999/25000");
	CHECK_EQ_STR(ratio(24999, 25000, RATIO_PEOPLE), "99.996%", "people 24999/25000");
	/* and 1/25,000 never reads 0 */
	CHECK_EQ_STR(ratio(1, 25000, RATIO_SHARE), "0.00004", "share 1/25000");
	CHECK_EQ_STR(ratio(1, 25000, RATIO_PERCENT), "0.0040", "percent 1/25000");
	CHECK_EQ_STR(ratio(1, 25000, RATIO_PROM), "0.00004", "prom 1/25000");
	CHECK_EQ_STR(ratio(1, 25000, RATIO_PEOPLE), "0.004%", "people 1/25000");
	/* exactly 0 and 1 */
	CHECK_EQ_STR(ratio(0, 7, RATIO_SHARE), "0.0000", "share 0/7");
	CHECK_EQ_STR(ratio(0, 7, RATIO_PROM), "0", "prom 0/7");
	CHECK_EQ_STR(ratio(0, 7, RATIO_PEOPLE), "0.0%", "people 0/7");
	CHECK_EQ_STR(ratio(7, 7, RATIO_SHARE), "1.0000", "share 7/7");
	CHECK_EQ_STR(ratio(7, 7, RATIO_PERCENT), "100.0000", "percent 7/7");
	CHECK_EQ_STR(ratio(7, 7, RATIO_PROM), "1", "prom 7/7");
	CHECK_EQ_STR(ratio(7, 7, RATIO_PEOPLE), "100.0%", "people 7/7");
	/* ordinary ratios: rounded half up, from the integers */
	CHECK_EQ_STR(ratio(1, 3, RATIO_SHARE), "0.3333", "share 1/3");
	CHECK_EQ_STR(ratio(2, 3, RATIO_PERCENT), "66.6667", "percent 2/3");
	CHECK_EQ_STR(ratio(2, 3, RATIO_PROM), "0.666666667", "prom 2/3");
	CHECK_EQ_STR(ratio(2, 3, RATIO_PEOPLE), "66.7%", "people 2/3");
	CHECK_EQ_STR(ratio(1, 16, RATIO_PEOPLE), "6.3%", "people 1/16: half up (6.25)");
	CHECK_EQ_STR(ratio(1, 4, RATIO_PROM), "0.25", "prom 1/4: trailing zeros dropped");
	CHECK_EQ_STR(ratio(12345, 100000, RATIO_SHARE), "0.1235", "share 0.12345: half up");
	CHECK_EQ_STR(ratio(9995, 10000, RATIO_PEOPLE), "99.95%", "people 99.95: not 100.0%%");
	CHECK_EQ_STR(ratio(9994, 10000, RATIO_PEOPLE), "99.9%", "people 99.94: 99.9%%");
	CHECK_EQ_STR(ratio(3, 2, RATIO_PEOPLE), "150.0%", "people 3/2");
	CHECK_EQ_STR(ratio(100001, 100000, RATIO_SHARE), "1.00001", "share just above 1: not 1");
	CHECK_EQ_STR(ratio(1, 0, RATIO_SHARE), "", "den 0: nothing written");
	/* the largest denominators: still neither 0 nor 1, and exact below 2^64 / 10 */
	const char *s = ratio(UINT64_MAX - 1, UINT64_MAX, RATIO_PEOPLE);
	CHECK(strncmp(s, "99.9999999999999999", 19) == 0, "people (2^64-2)/(2^64-1) is %s", s);
	s = ratio(1, UINT64_MAX, RATIO_SHARE);
	CHECK(strtod(s, NULL) > 0, "share 1/(2^64-1) is %s, not 0", s);
	s = ratio(999999999999999999ull, 1000000000000000000ull, RATIO_SHARE);
	CHECK_EQ_STR(s, "0.999999999999999999", "share 1 - 1e-18: exact");
	int bad = 0;
	for (uint64_t den = 1; den <= 2000; den++)
		for (uint64_t num = 0; num <= den; num++) {
			for (int f = RATIO_SHARE; f <= RATIO_PEOPLE; f++) {
				double v = strtod(ratio(num, den, (enum ratio_form)f), NULL);
				double one = f == RATIO_PERCENT || f == RATIO_PEOPLE ? 100 : 1;
				bad += (v == 0) != (num == 0) || (v == one) != (num == den);
				/* within half a unit of its last decimal of the exact value */
				static const double half[] = { 0.00005, 0.00005, 0.0000000005, 0.05 };
				bad += fabs(v - one * (double)num / (double)den) > half[f] * (1 + 1e-6);
			}
		}
	CHECK_EQ_INT(bad, 0, "every num/den <= 2000: reads 0 or 1 only when it is, and is close");
	/* a percentage read back from a report, by the same rule */
	CHECK_EQ_STR(pvalue(99.996, 1), "99.996%", "people 99.996");
	CHECK_EQ_STR(pvalue(99.996, 0), "99.9960", "machine 99.996");
	CHECK_EQ_STR(pvalue(100, 1), "100.0%", "people 100");
	CHECK_EQ_STR(pvalue(0.004, 1), "0.004%", "people 0.004");
	CHECK_EQ_STR(pvalue(52.25, 0), "52.2500", "machine 52.25");
	CHECK_EQ_STR(pvalue(NAN, 1), "", "NaN: nothing");
	CHECK_EQ_STR(pvalue(99.99996, 0), "99.99996", "machine 99.99996: not 100.0000");
	CHECK_EQ_STR(pvalue(-0.00001, 0), "-0.00001", "machine -0.00001: not -0.0000");
	struct buf d = {0};
	fmt_decimal(&d, 0.004, 1);
	CHECK_EQ_STR(buf_cstr(&d), "0.004", "a change of 0.004 points is not 0.0");
	buf_reset(&d);
	fmt_decimal(&d, 1.5, 1);
	CHECK_EQ_STR(buf_cstr(&d), "1.5", "a change of 1.5 points: 1 decimal");
	buf_free(&d);
	/* a --fail-on value for people: %g, but never 0 or 100 unless it is */
	CHECK_EQ_STR(rvalue(7), "7", "rule value 7");
	CHECK_EQ_STR(rvalue(99.996), "99.996", "rule value 99.996");
	CHECK_EQ_STR(rvalue(100.0 * 2499999 / 2500000), "99.99996", "rule value 99.99996: not 100");
	CHECK_EQ_STR(rvalue(100), "100", "rule value 100");
	CHECK_EQ_STR(rvalue(1234567), "1234567", "rule value 1234567: whole");
	CHECK_EQ_STR(rvalue(INFINITY), "", "rule value inf: nothing");
}

static void test_table(void)
{
	int dup = 0, kpi_bad = 0, rule_bad = 0, n_kpi = 0, other_bad = 0;

	CHECK(nfigures > 30, "the table has %zu figures", nfigures);
	for (size_t i = 0; i < nfigures; i++) {
		const struct figure *f = &figures[i];
		for (size_t k = 0; k < i; k++) {
			dup += strcmp(f->id, figures[k].id) == 0;
			dup += f->rule && figures[k].rule && strcmp(f->rule, figures[k].rule) == 0;
			dup += f->key && figures[k].key && strcmp(f->key, figures[k].key) == 0;
		}
		other_bad += !f->label || !f->help || !f->get || f->better < -1 || f->better > 1;
		other_bad += (f->json == JSON_NONE) != (f->path == NULL);
		other_bad += figure_by_id(f->id) != f;
		if (f->rule) {
			/* a --fail-on name is found, and is no problem id (those are names too) */
			rule_bad += figure_by_rule(f->rule) != f;
			rule_bad += knowledge_pattern_by_id(f->rule) != NULL;
			rule_bad += strncmp(f->rule, "change:", 7) == 0;
		}
		if (f->show & FIG_KPI) {
			n_kpi++;
			kpi_bad += !f->key || !f->abbr || f->unit != UNIT_PERCENT;
			kpi_bad += !f->abbr || figure_words(f) == f->label;
			kpi_bad += !f->path || strncmp(f->path, "kpi.", 4) != 0;
		}
		/* a compared figure is what change:ID names */
		other_bad += baseline_figure_known(f->id) != (f->json != JSON_NONE);
	}
	CHECK_EQ_INT(dup, 0, "ids, --fail-on names and KPI keys are unique");
	CHECK_EQ_INT(other_bad, 0, "every row has words, a getter and a consistent JSON place");
	CHECK_EQ_INT(rule_bad, 0, "every --fail-on name resolves to its row, and is no problem id");
	static const char *const kpis[] = { "ser", "seer", "isa", "scr", "asr", "ner", "ira" };
	int kpi_missing = 0;
	for (size_t i = 0; i < sizeof(kpis) / sizeof(kpis[0]); i++) {
		const struct figure *f = figure_by_rule(kpis[i]);
		kpi_missing += !f || !(f->show & FIG_KPI) || strcmp(f->key, kpis[i]) != 0;
	}
	CHECK(n_kpi >= 7 && kpi_missing == 0, "the seven KPI ratios of RFC 6076 and E.411 are "
	      "KPI rows keyed by their --fail-on names (%d KPI rows)", n_kpi);
	CHECK_EQ_INT(kpi_bad, 0, "every KPI ratio has a key, an abbreviation before its words");
	/* every name that worked before the table still does */
	static const char *const names[] = { "ser", "seer", "isa", "scr", "asr", "ner", "ira", "calls",
					     "stuck", "trying", "challenged", "rejected",
					     "not-retried", "errors" };
	int missing = 0;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		missing += figure_by_rule(names[i]) == NULL;
	CHECK_EQ_INT(missing, 0, "the --fail-on names of earlier versions are in the table");
	CHECK(figure_by_rule("nonsense") == NULL && figure_by_id("kpi.nonsense") == NULL,
	      "an unknown name or id is not found");
	CHECK_EQ_STR(figure_words(figure_by_id("kpi.ser")), "session establishment",
		     "the words of a KPI label follow its abbreviation");

	struct buf h = {0};
	figures_help(&h);
	int wide = 0, listed = 0;
	for (const char *l = buf_cstr(&h), *e; *l; l = e + 1) {
		e = strchr(l, '\n');
		if (!e)
			break;
		wide += e - l > 100;
	}
	for (size_t i = 0; i < nfigures; i++) {
		const struct figure *f = &figures[i];
		char word[48];
		snprintf(word, sizeof(word), " %s ", f->rule ? f->rule : f->id);
		listed += strstr(buf_cstr(&h), word) != NULL;
	}
	CHECK_EQ_INT(wide, 0, "--help's figures fit 100 columns");
	CHECK_EQ_INT(listed, (long long)nfigures, "--help lists every figure");
	buf_free(&h);
}

/* ---- a report through the analysis, to check the JSON places of the figures */

static uint64_t next_line;

static void ev(struct analysis *a, int64_t t, const char *cid, enum sip_method m, int status,
	       uint32_t cseq, unsigned auth)
{
	struct event e = {0};

	e.time_us = t;
	e.method = status ? METHOD_NONE : m;
	e.status = status;
	e.cseq = cseq;
	e.cseq_method = m;
	e.auth = status ? 0 : EV_AUTH_KNOWN | auth;
	e.callid = (struct str){ cid, strlen(cid) };
	e.src = (struct str){ "udp:192.0.2.1:5060", 18 };
	e.line = ++next_line;
	analysis_event(a, &e);
}

#define BASE 1764000000000000LL

static void build(struct report *r)
{
	struct analysis_opts o = { .call_timeout_s = 32, .ring_timeout_s = 180, .slow_setup_s = 10,
				   .examples = 3, .scanner_threshold = 2, .top = 10 };
	struct analysis *a = analysis_new(&o);
	static const int codes[] = { 200, 200, 486, 503, 408, 200, 302 };
	char id[32];

	next_line = 0;
	for (int i = 0; i < 30; i++) {
		int64_t t = BASE + (int64_t)i * 60000000;
		snprintf(id, sizeof(id), "inv-%d", i);
		ev(a, t, id, METHOD_INVITE, 0, 1, 0);
		ev(a, t + 2000, id, METHOD_INVITE, 407, 1, 0);
		if (i % 5 == 4)
			continue;	/* never retried */
		ev(a, t + 5000, id, METHOD_INVITE, 0, 2, EV_AUTH_PROXY);
		ev(a, t + 7000, id, METHOD_INVITE, 100, 2, 0);
		if (i % 6 == 5)
			continue;	/* stuck */
		int c = codes[i % 7];
		ev(a, t + 300000 + i * 1000, id, METHOD_INVITE, c, 2, 0);
		if (c == 200)
			ev(a, t + 30000000, id, METHOD_BYE, 0, 3, 0);
	}
	for (int i = 0; i < 6; i++) {
		int64_t t = BASE + 100000 + (int64_t)i * 1000000;
		snprintf(id, sizeof(id), "reg-%d", i);
		ev(a, t, id, METHOD_REGISTER, 0, 1, 0);
		ev(a, t + 1000, id, METHOD_REGISTER, 401, 1, 0);
		ev(a, t + 2000, id, METHOD_REGISTER, 0, 2, EV_AUTH_WWW);
		ev(a, t + 4000 + i * 500, id, METHOD_REGISTER, i == 3 ? 503 : 200, 2, 0);
	}
	memset(r, 0, sizeof(*r));
	r->nfiles = 2;
	r->files = xcalloc(2, sizeof(*r->files));
	r->files[0] = (struct report_file){ .path = xstrndup("a.log", 5), .format = "sip",
		.gives = GIVES_ALL, .records = 100, .first_time = TIME_UNKNOWN,
		.last_time = TIME_UNKNOWN, .status = FILE_OK };
	r->files[1] = (struct report_file){ .path = xstrndup("b.log", 5), .format = "sip",
		.gives = GIVES_ALL, .first_time = TIME_UNKNOWN, .last_time = TIME_UNKNOWN,
		.status = FILE_ERROR, .error = xstrndup("damaged", 7) };
	analysis_finish(a, r);
	analysis_free(a);
	r->since = r->until = TIME_UNKNOWN;
	r->run.version = "0.0-test";
}

/* Every compared figure: in the JSON report at its path, with the table's value. */
static void check_json_places(const char *what, const struct report *r)
{
	struct buf js = {0};
	int mismatched = 0, known = 0;

	render_json(&js, r);
	/* the baseline comparison reads each figure from both reports through the table: a
	 * report compared with itself has every figure the table knows, unchanged */
	struct baseline *b = baseline_compare_text("self.json", js.p, js.len, js.p, js.len);
	CHECK(b->status == BASELINE_OK, "%s: the JSON report reads as a baseline", what);
	for (size_t i = 0; i < nfigures; i++) {
		const struct figure *f = &figures[i];
		struct figure_value v;
		if (f->json == JSON_NONE)
			continue;
		figure_value(f, r, &v);
		const struct baseline_figure *g = NULL;
		for (size_t k = 0; k < b->nfig; k++)
			if (strcmp(b->fig[k].id, f->id) == 0)
				g = &b->fig[k];
		if (!g) {
			mismatched++;
			printf("#   %s: %s not compared\n", what, f->id);
			continue;
		}
		known += v.known;
		/* the JSON report writes percentages with 4 decimals, milliseconds with 3 */
		double tol = f->unit == UNIT_PERCENT ? 0.00005 : f->unit == UNIT_MS ? 0.0005 : 0;
		if (g->have_cur != v.known || (v.known && fabs(g->cur - v.v) > tol)) {
			mismatched++;
			printf("#   %s: %s: table %s %g, JSON %s %g\n", what, f->id,
			       v.known ? "known" : "unknown", v.v, g->have_cur ? "known" : "unknown",
			       g->cur);
		}
	}
	CHECK_EQ_INT(mismatched, 0, "%s: every JSON path holds the table's value (%d known)", what,
		     known);
	baseline_free(b);
	buf_free(&js);
}

static void test_json_places(void)
{
	struct report r;
	struct figure_value v;

	build(&r);
	figure_value(figure_by_rule("ser"), &r, &v);
	CHECK(v.known && v.den > 0 && v.num > 0 && v.num < v.den, "the built report has a SER "
	      "(%llu/%llu)", (unsigned long long)v.num, (unsigned long long)v.den);
	figure_value(figure_by_rule("stuck"), &r, &v);
	CHECK(v.known && v.v > 0, "the built report has stuck calls");
	figure_value(figure_by_id("kpi.srd.p50"), &r, &v);
	CHECK(v.known && v.v > 0, "the built report has an SRD");
	figure_value(figure_by_rule("errors"), &r, &v);
	CHECK(v.known && v.v == 1, "errors: the input that could not be read");
	check_json_places("a log of SIP messages", &r);

	/* what a format cannot give is unknown in the table and null in the JSON report */
	r.not_in_log = GIVES_REQUESTS | GIVES_PROVISIONAL;
	figure_value(figure_by_id("kpi.acd"), &r, &v);
	CHECK(!v.known && isnan(v.v), "ACD not in a log without request times");
	figure_value(figure_by_rule("ser"), &r, &v);
	CHECK(v.known, "SER still in a log with finals");
	check_json_places("a log without requests or provisionals", &r);
	r.not_in_log = GIVES_FINALS | GIVES_CHALLENGES;
	check_json_places("a log without finals or challenges", &r);
	report_release(&r);
}

/* ---- 24,999/25,000 in the JSON, CSV and text reports */

/* The number after the first occurrence of key in s; NaN when none. */
static double number_after(const char *s, const char *key)
{
	const char *p = strstr(s, key);

	return p ? strtod(p + strlen(key), NULL) : NAN;
}

static void test_same_everywhere(void)
{
	struct report r;
	struct buf js = {0}, csv = {0}, txt = {0};
	struct render_opts o = { 0, 100 };

	memset(&r, 0, sizeof(r));
	r.first_time = r.last_time = r.since = r.until = TIME_UNKNOWN;
	r.run.version = "0.0-test";
	r.kpi.invite_attempts = 25000;
	r.kpi.ser = (struct ratio){ 24999, 25000 };
	r.kpi.isa = (struct ratio){ 1, 25000 };
	r.kpi.acd_us = -1;
	r.problems[0] = (struct problem){ .pid = PAT_STUCK_AFTER_100, .count = 24999,
					  .denominator = 25000 };
	r.nproblems = 1;
	render_json(&js, &r);
	render_csv(&csv, &r);
	render_text(&txt, &r, &o);

	double j = number_after(buf_cstr(&js), "\"ser\": {\"percent\": ");
	double c = number_after(buf_cstr(&csv), "\"kpi\",\"ser\",\"percent\",\"");
	double t = number_after(buf_cstr(&txt), "SER ");
	CHECK(j == 99.996 && c == 99.996 && t == 99.996, "SER 24,999/25,000: JSON %g, CSV %g, "
	      "text %g%%: the same 99.996", j, c, t);
	CHECK(strstr(buf_cstr(&txt), "SER 99.996%") != NULL, "text: SER 99.996%%, not 100.0%%");
	j = number_after(buf_cstr(&js), "\"isa\": {\"percent\": ");
	c = number_after(buf_cstr(&csv), "\"kpi\",\"isa\",\"percent\",\"");
	t = number_after(buf_cstr(&txt), "ISA ");
	CHECK(j == 0.004 && c == 0.004 && t == 0.004, "ISA 1/25,000: JSON %g, CSV %g, text %g%%: "
	      "the same 0.004", j, c, t);

	j = number_after(buf_cstr(&js), "\"share\": ");
	c = number_after(buf_cstr(&csv), "\"problems\",\"stuck-after-100\",\"share\",\"");
	t = number_after(buf_cstr(&txt), "received 100 Trying (");
	CHECK(j == 0.99996 && c == 0.99996 && fabs(t - 99.996) < 1e-9,
	      "problem share 24,999/25,000: JSON %g, CSV %g, text %g%%", j, c, t);
	if (!(fabs(t - 99.996) < 1e-9)) {
		const char *p = strstr(buf_cstr(&txt), "24,999 of 25,000");
		printf("#   text: %.80s\n", p ? p : "(no '24,999 of 25,000')");
	}
	buf_free(&js);
	buf_free(&csv);
	buf_free(&txt);
}

int main(void)
{
	test_formatter();
	test_table();
	test_json_places();
	test_same_everywhere();
	return test_done();
}
