/*
 * figures.c - the one table of headline figures and KPIs (see figures.h), and the one
 * formatter of ratios and shares.
 *
 * Adding a figure touches this table and its computation, no renderer, rule or option code:
 *   1. compute it in the model: a field of struct report (include/report.h) filled by
 *      src/analysis.c; a new KPI ratio is a struct ratio in struct kpis;
 *   2. add one row below: id, --fail-on name, words, unit, better, the GIVES_* it needs, FIG_KPI
 *      for a KPI ratio (with its key), a getter (get_u64, get_ratio, get_p50 ... with the
 *      field's offsetof, or a function of its own) and its place in the JSON report (a
 *      FIG_KPI ratio is written at kpi.KEY by the table; another figure must be one of the
 *      numbers the JSON report already writes, or JSON_NONE: then it is not compared);
 *   3. document it: a row of the table of figures in docs/metrics.md (tests/e2e/figures.sh
 *      checks it is there) and, for a KPI, its key in docs/report.schema.json, which lists
 *      the keys of "kpi" (tests/e2e/schema.sh validates every report against it).
 * Then --fail-on knows its name, --baseline compares it, --help explains it, and a FIG_KPI
 * ratio appears in the KPI block of the text, HTML, JSON, CSV and Prometheus reports.
 * tests/unit/test_figures.c checks that every id and name is unique and that every JSON path
 * reads back the value the table computes.
 */
#include "figures.h"
#include "render.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --history's trend (report.h): the headline of each night, by figure id */
const char *const report_trend_ids[REPORT_TREND_FIGS] = {
	"calls", "kpi.asr", "kpi.ser", "kpi.ner", "kpi.isa", "stuck", "not-retried",
};
const char *const report_trend_keys[REPORT_TREND_FIGS] = {
	"calls", "asr", "ser", "ner", "isa", "stuck", "not_retried",
};
const char *const report_trend_names[REPORT_TREND_FIGS] = {
	"calls", "ASR", "SER", "NER", "ISA", "stuck", "not retried",
};

int report_trend_ratio(int k)
{
	const struct figure *f = figure_by_id(report_trend_ids[k]);

	return f && f->unit == UNIT_PERCENT;
}

void fmt_trend_value(struct buf *b, const struct report_trend_value *v, int k,
		     enum ratio_form form, const char *unknown)
{
	if (!v->known)
		buf_adds(b, unknown);
	else if (report_trend_ratio(k))
		fmt_ratio(b, v->num, v->den, form);
	else if (form == RATIO_PEOPLE)
		fmt_num(b, v->num);
	else
		buf_printf(b, "%" PRIu64, v->num);
}

static void set_count(struct figure_value *out, uint64_t n)
{
	out->known = 1;
	out->v = (double)n;
}

/* A uint64_t field of the report. */
static void get_u64(const struct figure *f, const struct report *r, struct figure_value *out)
{
	uint64_t n;

	memcpy(&n, (const char *)r + f->off, sizeof(n));
	set_count(out, n);
}

/* A struct ratio field: a percentage, unknown when there is nothing to divide by. */
static void get_ratio(const struct figure *f, const struct report *r, struct figure_value *out)
{
	const struct ratio *q = (const struct ratio *)((const char *)r + f->off);

	out->num = q->num;
	out->den = q->den;
	out->known = q->den != 0;
	if (out->known)
		out->v = 100.0 * (double)q->num / (double)q->den;
}

/* Microseconds as milliseconds; unknown when negative, as the JSON report writes null. */
static void set_us(struct figure_value *out, int known, int64_t us)
{
	out->known = known && us >= 0;
	if (out->known)
		out->v = (double)us / 1000.0;
}

static const struct delays *delays_at(const struct figure *f, const struct report *r)
{
	return (const struct delays *)((const char *)r + f->off);
}

static void get_p50(const struct figure *f, const struct report *r, struct figure_value *out)
{
	set_us(out, delays_at(f, r)->known, delays_at(f, r)->p50);
}

static void get_p90(const struct figure *f, const struct report *r, struct figure_value *out)
{
	set_us(out, delays_at(f, r)->known, delays_at(f, r)->p90);
}

/* An int64_t field in microseconds, -1 when unknown (the ACD). */
static void get_us(const struct figure *f, const struct report *r, struct figure_value *out)
{
	int64_t us;

	memcpy(&us, (const char *)r + f->off, sizeof(us));
	set_us(out, 1, us);
}

/* A field of struct auth_report (off within it), 407 and 401 together. */
static void get_auth_sum(const struct figure *f, const struct report *r, struct figure_value *out)
{
	uint64_t a, b;

	memcpy(&a, (const char *)&r->proxy_auth + f->off, sizeof(a));
	memcpy(&b, (const char *)&r->www_auth + f->off, sizeof(b));
	set_count(out, a + b);
}

static void get_file_errors(const struct figure *f, const struct report *r,
			    struct figure_value *out)
{
	uint64_t n = 0;

	(void)f;
	for (size_t i = 0; i < r->nfiles; i++)
		n += r->files[i].status == FILE_ERROR;
	set_count(out, n);
}

/* Responses of the class whose digit is the figure's path ("5": 500..599). */
static void get_class(const struct figure *f, const struct report *r, struct figure_value *out)
{
	int c0 = (f->path[0] - '0') * 100;
	uint64_t n = 0;

	for (int c = c0; c < c0 + 100 && c < REPORT_CODES; c++)
		n += r->responses[c];
	set_count(out, n);
}

static void get_scanners(const struct figure *f, const struct report *r, struct figure_value *out)
{
	(void)f;
	set_count(out, r->nscanners);
}

#define AT(field) offsetof(struct report, field)
#define AUTH(field) offsetof(struct auth_report, field)
#define F GIVES_FINALS
#define P GIVES_PROVISIONAL
#define C GIVES_CHALLENGES
#define Q (GIVES_REQUESTS | GIVES_FINALS)

const struct figure figures[] = {
	{ "records", NULL, NULL, "SIP messages",
	  "records read (SIP messages, or the records of the log's format)",
	  UNIT_COUNT, 0, 0, 0, NULL, get_u64, AT(records), JSON_AT_PATH, "totals.records" },
	{ "calls", "calls", NULL, "calls (INVITE dialogs)",
	  "Call-IDs with an INVITE request or response",
	  UNIT_COUNT, 0, F, 0, NULL, get_u64, AT(calls_total), JSON_AT_PATH, "calls.total" },
	{ "registrations", "registrations", NULL, "registrations",
	  "Call-IDs with a REGISTER and no INVITE",
	  UNIT_COUNT, 0, F, 0, NULL, get_u64, AT(calls_register), JSON_AT_PATH,
	  "registrations.total" },
	{ "options_pings", "options-pings", NULL, "OPTIONS pings",
	  "Call-IDs with an OPTIONS and no INVITE or REGISTER",
	  UNIT_COUNT, 0, F, 0, NULL, get_u64, AT(calls_options), JSON_AT_PATH,
	  "options_pings.total" },
	{ "other_transactions", "other-transactions", NULL, "other transactions",
	  "Call-IDs opened by another method (SUBSCRIBE, NOTIFY, MESSAGE, ...)",
	  UNIT_COUNT, 0, F, 0, NULL, get_u64, AT(calls_other), JSON_AT_PATH,
	  "other_transactions.total" },
	{ "input.errors", "errors", NULL, "inputs that could not be read",
	  "input files that could not be read or were damaged",
	  UNIT_COUNT, -1, 0, 0, NULL, get_file_errors, 0, JSON_AT_FILE_ERRORS, "input.files" },
	{ "kpi.invite_attempts", NULL, NULL, "INVITE attempts",
	  "calls with an INVITE (a challenged INVITE and its retry are one)",
	  UNIT_COUNT, 0, F, 0, NULL, get_u64, AT(kpi.invite_attempts), JSON_AT_PATH,
	  "kpi.invite_attempts" },
	{ "kpi.register_attempts", NULL, NULL, "REGISTER attempts", "calls with a REGISTER",
	  UNIT_COUNT, 0, F, 0, NULL, get_u64, AT(kpi.register_attempts), JSON_AT_PATH,
	  "kpi.register_attempts" },
	{ "kpi.ser", "ser", "SER", "SER, session establishment",
	  "INVITE attempts answered 2xx / (attempts - 3xx), RFC 6076",
	  UNIT_PERCENT, 1, F, FIG_KPI, "ser", get_ratio, AT(kpi.ser), JSON_AT_PATH,
	  "kpi.ser.percent" },
	{ "kpi.seer", "seer", "SEER", "SEER, session effectiveness",
	  "INVITE attempts ending 2xx, 480, 486, 600, 603 / (attempts - 3xx), RFC 6076",
	  UNIT_PERCENT, 1, F, FIG_KPI, "seer", get_ratio, AT(kpi.seer), JSON_AT_PATH,
	  "kpi.seer.percent" },
	{ "kpi.isa", "isa", "ISA", "ISA, ineffective attempts",
	  "INVITE attempts ending 408, 500, 503, 504 / attempts, RFC 6076",
	  UNIT_PERCENT, -1, F, FIG_KPI, "isa", get_ratio, AT(kpi.isa), JSON_AT_PATH,
	  "kpi.isa.percent" },
	{ "kpi.scr", "scr", "SCR", "SCR, session completion",
	  "INVITE attempts answered and ended with a BYE / attempts, RFC 6076",
	  UNIT_PERCENT, 1, F, FIG_KPI, "scr", get_ratio, AT(kpi.scr), JSON_AT_PATH,
	  "kpi.scr.percent" },
	{ "kpi.asr", "asr", "ASR", "ASR, answer seizure",
	  "INVITE attempts answered 2xx / attempts, ITU-T E.411",
	  UNIT_PERCENT, 1, F, FIG_KPI, "asr", get_ratio, AT(kpi.asr), JSON_AT_PATH,
	  "kpi.asr.percent" },
	{ "kpi.ner", "ner", "NER", "NER, network effectiveness",
	  "INVITE attempts ending 2xx, 480, 486, 487, 600, 603 / attempts, ITU-T E.411",
	  UNIT_PERCENT, 1, F, FIG_KPI, "ner", get_ratio, AT(kpi.ner), JSON_AT_PATH,
	  "kpi.ner.percent" },
	{ "kpi.ira", "ira", "IRA", "IRA, ineffective registrations",
	  "REGISTER attempts ending 408, 500, 503, 504 or without a final / attempts, RFC 6076",
	  UNIT_PERCENT, -1, F, FIG_KPI, "ira", get_ratio, AT(kpi.ira), JSON_AT_PATH,
	  "kpi.ira.percent" },
	{ "kpi.no_final", NULL, NULL, "INVITE attempts, no final",
	  "INVITE attempts without any final response",
	  UNIT_COUNT, -1, Q, 0, NULL, get_u64, AT(kpi.no_final), JSON_AT_PATH, "kpi.no_final" },
	{ "kpi.srd.p50", NULL, NULL, "SRD p50, INVITE -> answer",
	  "median session request delay: INVITE to its first answer, RFC 6076",
	  UNIT_MS, -1, Q, 0, NULL, get_p50, AT(kpi.srd), JSON_AT_PATH, "kpi.srd_ms.p50" },
	{ "kpi.srd.p90", NULL, NULL, "SRD p90", "90th percentile of the session request delay",
	  UNIT_MS, -1, Q, 0, NULL, get_p90, AT(kpi.srd), JSON_AT_PATH, "kpi.srd_ms.p90" },
	{ "kpi.rrd.p50", NULL, NULL, "RRD p50, REGISTER -> final",
	  "median registration request delay: REGISTER to its final, RFC 6076",
	  UNIT_MS, -1, Q, 0, NULL, get_p50, AT(kpi.rrd), JSON_AT_PATH, "kpi.rrd_ms.p50" },
	{ "kpi.acd", NULL, NULL, "ACD, mean session length",
	  "mean of 2xx answer to BYE over completed sessions",
	  UNIT_MS, 0, Q, 0, NULL, get_us, AT(kpi.acd_us), JSON_AT_PATH, "kpi.acd_ms" },
	{ "setup.pdd.p50", NULL, NULL, "PDD p50, INVITE -> 18x",
	  "median post-dial delay: INVITE (after a challenge, its retry) to the first 18x, else "
	  "to the final",
	  UNIT_MS, -1, GIVES_REQUESTS | P, 0, NULL, get_p50, AT(pdd), JSON_AT_PATH,
	  "setup.pdd_ms.p50" },
	{ "setup.pdd.p90", NULL, NULL, "PDD p90", "90th percentile of the post-dial delay",
	  UNIT_MS, -1, GIVES_REQUESTS | P, 0, NULL, get_p90, AT(pdd), JSON_AT_PATH,
	  "setup.pdd_ms.p90" },
	{ "setup.ring.p50", NULL, NULL, "ring time p50, 18x -> final",
	  "median ring time: the first 18x to the final response",
	  UNIT_MS, 0, GIVES_REQUESTS | P, 0, NULL, get_p50, AT(ring_time), JSON_AT_PATH,
	  "setup.ring_ms.p50" },
	{ "trying", "trying", NULL, "INVITEs with 100 Trying", "INVITE calls that got 100 Trying",
	  UNIT_COUNT, 0, P, 0, NULL, get_u64, AT(trying), JSON_AT_PATH,
	  "trying_to_final.trying" },
	{ "stuck", "stuck", NULL, "stuck after 100 Trying",
	  "INVITE calls that got 100 Trying and never a final response",
	  UNIT_COUNT, -1, P, 0, NULL, get_u64, AT(stuck), JSON_AT_PATH, "trying_to_final.stuck" },
	{ "trying.delay.p50", NULL, NULL, "100 -> final p50",
	  "median delay from 100 Trying to the final response",
	  UNIT_MS, -1, P, 0, NULL, get_p50, AT(trying_delay), JSON_AT_PATH,
	  "trying_to_final.delay_ms.p50" },
	{ "trying.delay.p90", NULL, NULL, "100 -> final p90",
	  "90th percentile of the delay from 100 Trying to the final response",
	  UNIT_MS, -1, P, 0, NULL, get_p90, AT(trying_delay), JSON_AT_PATH,
	  "trying_to_final.delay_ms.p90" },
	{ "challenged", "challenged", NULL, "407 and 401 challenges",
	  "calls challenged with 407 or 401",
	  UNIT_COUNT, 0, C, 0, NULL, get_auth_sum, AUTH(challenged), JSON_NONE, NULL },
	{ "rejected", "rejected", NULL, "407 and 401 retries rejected",
	  "calls whose last retry with credentials was challenged again",
	  UNIT_COUNT, -1, C, 0, NULL, get_auth_sum, AUTH(rechallenged), JSON_NONE, NULL },
	{ "not-retried", "not-retried", NULL, "407 and 401 never retried",
	  "calls challenged and never retried with credentials",
	  UNIT_COUNT, -1, C, 0, NULL, get_auth_sum, AUTH(not_retried), JSON_NONE, NULL },
	{ "proxy_auth.challenged", NULL, NULL, "407 challenges", "calls challenged with 407",
	  UNIT_COUNT, 0, C, 0, NULL, get_u64, AT(proxy_auth.challenged), JSON_AT_PATH,
	  "proxy_auth.challenged" },
	{ "proxy_auth.not_retried", NULL, NULL, "407 never retried",
	  "calls challenged with 407 and never retried",
	  UNIT_COUNT, -1, C, 0, NULL, get_u64, AT(proxy_auth.not_retried), JSON_AT_PATH,
	  "proxy_auth.not_retried" },
	{ "proxy_auth.rechallenged", NULL, NULL, "407 retry rejected",
	  "calls whose last retry was challenged with 407 again",
	  UNIT_COUNT, -1, C, 0, NULL, get_u64, AT(proxy_auth.rechallenged), JSON_AT_PATH,
	  "proxy_auth.rechallenged" },
	{ "www_auth.challenged", NULL, NULL, "401 challenges", "calls challenged with 401",
	  UNIT_COUNT, 0, C, 0, NULL, get_u64, AT(www_auth.challenged), JSON_AT_PATH,
	  "www_auth.challenged" },
	{ "www_auth.not_retried", NULL, NULL, "401 never retried",
	  "calls challenged with 401 and never retried",
	  UNIT_COUNT, -1, C, 0, NULL, get_u64, AT(www_auth.not_retried), JSON_AT_PATH,
	  "www_auth.not_retried" },
	{ "www_auth.rechallenged", NULL, NULL, "401 retry rejected",
	  "calls whose last retry was challenged with 401 again",
	  UNIT_COUNT, -1, C, 0, NULL, get_u64, AT(www_auth.rechallenged), JSON_AT_PATH,
	  "www_auth.rechallenged" },
	{ "responses.4xx", NULL, NULL, "4xx responses", "responses 400..499",
	  UNIT_COUNT, 0, 0, 0, NULL, get_class, 0, JSON_AT_CLASS, "4" },
	{ "responses.5xx", NULL, NULL, "5xx responses", "responses 500..599",
	  UNIT_COUNT, -1, 0, 0, NULL, get_class, 0, JSON_AT_CLASS, "5" },
	{ "responses.6xx", NULL, NULL, "6xx responses", "responses 600..699",
	  UNIT_COUNT, 0, 0, 0, NULL, get_class, 0, JSON_AT_CLASS, "6" },
	{ "scanners", NULL, NULL, "sources flagged as scanners",
	  "source addresses flagged by auth-scanner",
	  UNIT_COUNT, -1, 0, 0, NULL, get_scanners, 0, JSON_AT_ARRAY_LEN, "scanners" },
};
const size_t nfigures = sizeof(figures) / sizeof(figures[0]);

#undef AT
#undef AUTH
#undef F
#undef P
#undef C
#undef Q

const struct figure *figure_by_id(const char *id)
{
	for (size_t i = 0; i < nfigures; i++)
		if (strcmp(id, figures[i].id) == 0)
			return &figures[i];
	return NULL;
}

const struct figure *figure_by_rule(const char *name)
{
	for (size_t i = 0; i < nfigures; i++)
		if (figures[i].rule && strcmp(name, figures[i].rule) == 0)
			return &figures[i];
	return NULL;
}

void figure_value(const struct figure *f, const struct report *r, struct figure_value *out)
{
	*out = (struct figure_value){ .v = NAN };
	f->get(f, r, out);
	/* a figure the formats of the log cannot give is unknown, never 0 (report.h GIVES_*) */
	if (r->not_in_log & f->needs)
		out->known = 0;
	if (!out->known)
		out->v = NAN;
}

const char *figure_words(const struct figure *f)
{
	size_t n = f->abbr ? strlen(f->abbr) : 0;

	if (n && strncmp(f->label, f->abbr, n) == 0 && strncmp(f->label + n, ", ", 2) == 0)
		return f->label + n + 2;
	return f->label;
}

const char *figure_unit_name(enum figure_unit u)
{
	switch (u) {
	case UNIT_COUNT: return "count";
	case UNIT_PERCENT: return "percent";
	case UNIT_MS: return "ms";
	}
	return "count";
}

void figures_rule_names(struct buf *b)
{
	int n = 0;

	for (size_t i = 0; i < nfigures; i++)
		if (figures[i].rule)
			buf_printf(b, "%s%s", n++ ? " " : "", figures[i].rule);
}

void figures_help(struct buf *b)
{
	static const char *const unit[] = { "", "%", "ms" };
	static const char *const dir[] = { "lower is better", "", "higher is better" };

	buf_adds(b, "Figures (docs/metrics.md): NAME for --fail-on NAME OP VALUE; --baseline compares\n"
		 "each figure with an ID, and --fail-on change:ID tests its change\n"
		 "  NAME         ID\n");
	for (size_t i = 0; i < nfigures; i++) {
		const struct figure *f = &figures[i];
		char first[64];
		struct buf text = {0};
		/* only what a rule or a baseline can name */
		if (!f->rule && f->json == JSON_NONE)
			continue;
		snprintf(first, sizeof(first), "  %-12s %-24s ", f->rule ? f->rule : "-",
			 f->json != JSON_NONE ? f->id : "-");
		const char *u = unit[f->unit], *d = dir[f->better + 1];
		buf_adds(&text, f->label);
		if (*u || *d)
			buf_printf(&text, " (%s%s%s)", u, *u && *d ? ", " : "", d);
		/* what a rule's figure means; a figure only compared has its label */
		if (f->rule)
			buf_printf(&text, ": %s", f->help);
		buf_wrap(b, first, 41, 100, buf_cstr(&text));
		buf_free(&text);
	}
	buf_wrap(b, "  PATTERN-ID   problem.PATTERN-ID       ", 41, 100,
		 "a problem pattern (siplogscan explain --list): its count, or with % its share "
		 "of its population");
}

/* ---- ratios ---- */

/* Decimals a ratio can need: 24 fraction digits of num/den cover the 20 decimals of a
 * percentage, past the 19 that any den below 2^64 / 10 needs not to read as 0 or 1. */
#define RATIO_DIGITS 24

/*
 * The decimal digits of num/den * 10^shift (shift 0 or 2): the whole part, and frac[] the
 * first decimals, exactly (long division in integers; no libm, no double rounding).
 */
static uint64_t ratio_digits(uint64_t num, uint64_t den, int shift, char frac[RATIO_DIGITS])
{
	uint64_t whole = num / den, rem = num % den;
	char d[RATIO_DIGITS + 2];

	/* rem * 10 must fit: a denominator past 2^64 / 10 (no log has that many calls) is
	 * halved with the numerator until it fits, keeping a ratio that is not 0 or 1 so */
	if (den > UINT64_MAX / 10) {
		uint64_t n = rem, k = den;
		while (k > UINT64_MAX / 10) {
			n >>= 1;
			k >>= 1;
		}
		if (rem && !n)
			n = 1;
		rem = n < k ? n : k - 1;
		den = k;
	}
	for (int i = 0; i < RATIO_DIGITS + 2; i++) {
		rem *= 10;
		d[i] = (char)(rem / den);
		rem %= den;
	}
	for (int i = 0; i < shift; i++)
		whole = whole * 10 + (uint64_t)d[i];
	memcpy(frac, d + shift, RATIO_DIGITS);
	return whole;
}

void fmt_ratio(struct buf *b, uint64_t num, uint64_t den, enum ratio_form form)
{
	static const struct { int shift, decimals, trim; const char *suffix; } fm[] = {
		[RATIO_SHARE] = { 0, 4, 0, "" },
		[RATIO_PERCENT] = { 2, 4, 0, "" },
		[RATIO_PROM] = { 0, 9, 1, "" },
		[RATIO_PEOPLE] = { 2, 1, 0, "%" },
	};
	char frac[RATIO_DIGITS], out[RATIO_DIGITS];
	uint64_t whole = 0, one = form == RATIO_PERCENT || form == RATIO_PEOPLE ? 100 : 1;
	int p;

	if (!den)
		return;
	uint64_t w0 = ratio_digits(num, den, fm[form].shift, frac);
	/* rounded half up to p decimals; more decimals while that reads 0 or 1 and the ratio
	 * is neither (24,999/25,000 reads 99.996%, not 100.0%) */
	for (p = fm[form].decimals; p <= RATIO_DIGITS - 1; p++) {
		int carry = frac[p] >= 5, zero = 1;
		whole = w0;
		memcpy(out, frac, (size_t)p);
		for (int i = p - 1; i >= 0 && carry; i--) {
			out[i] = (char)(out[i] + 1);
			carry = out[i] == 10;
			if (carry)
				out[i] = 0;
		}
		whole += (uint64_t)carry;
		for (int i = 0; i < p; i++)
			zero &= out[i] == 0;
		int extreme = zero && ((whole == 0 && num != 0) || (whole == one && num != den));
		if (!extreme)
			break;
	}
	if (p > RATIO_DIGITS - 1)
		p = RATIO_DIGITS - 1;
	buf_printf(b, "%llu", (unsigned long long)whole);
	int n = p;
	if (fm[form].trim)
		while (n > 0 && out[n - 1] == 0)
			n--;
	if (n) {
		buf_addc(b, '.');
		for (int i = 0; i < n; i++)
			buf_addc(b, (char)('0' + out[i]));
	}
	buf_adds(b, fm[form].suffix);
}

/* v in "%.*f" (fixed) or "%.*g" with at least p digits, more while it would read 0 or 100
 * (or -100) without being that; 17 digits tell any double from those. */
static void fmt_not_extreme(struct buf *b, double v, int p, int fixed)
{
	char t[400];

	for (; p <= 17; p++) {
		snprintf(t, sizeof(t), fixed ? "%.*f" : "%.*g", p, v);
		double back = strtod(t, NULL);
		if (!((back == 0 && v != 0) || (back == 100 && v != 100) ||
		      (back == -100 && v != -100)))
			break;
	}
	buf_adds(b, t);
}

void fmt_percent_value(struct buf *b, double v, int people)
{
	if (!isfinite(v))
		return;
	/* the rule of fmt_ratio() for a percentage already divided */
	fmt_not_extreme(b, v, people ? 1 : 4, 1);
	if (people)
		buf_addc(b, '%');
}

void fmt_decimal(struct buf *b, double v, int decimals)
{
	if (isfinite(v))
		fmt_not_extreme(b, v, decimals, 1);
}

void fmt_rule_value(struct buf *b, double v)
{
	if (!isfinite(v))
		return;
	/* a count whole, not as %g writes a large one (1.23457e+06) */
	if (v == floor(v) && fabs(v) < 1e15)
		buf_printf(b, "%.0f", v);
	else
		fmt_not_extreme(b, v, 6, 0);
}
