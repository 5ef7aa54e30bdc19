/*
 * rules.c - --fail-on rules and --since/--until times (see rules.h).
 */
#include "rules.h"
#include "baseline.h"
#include "figures.h"
#include "timeparse.h"
#include "tz.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHANGE_PREFIX "change:"

/* No figure comes near this (counts, percentages, milliseconds); beyond 2^53 a double no
 * longer holds every integer. */
#define RULE_VALUE_MAX 1e15

static int is_change(const char *n)
{
	return strncmp(n, CHANGE_PREFIX, sizeof(CHANGE_PREFIX) - 1) == 0;
}

/* The fall of INVITE attempts since the baseline, in percent (see attempts_fall()). */
#define ATTEMPTS_FALL "attempts-fall"

static int known_name(const char *n)
{
	if (!strcmp(n, ATTEMPTS_FALL))
		return 1;
	if (is_change(n))
		return baseline_figure_known(n + sizeof(CHANGE_PREFIX) - 1);
	return figure_by_rule(n) != NULL || knowledge_pattern_by_id(n) != NULL;
}

int rules_parse(struct rules *rs, const char *spec)
{
	const char *p = spec;

	/* names, operators and numbers are printable ASCII; anything else (a terminal escape
	 * pasted from a log) is refused here, so that no message below prints it */
	for (const unsigned char *c = (const unsigned char *)spec; *c; c++)
		if (*c < 0x20 || *c > 0x7e)
			return err_msg("--fail-on: byte 0x%02x at offset %zu is not printable ASCII; "
				       "expected NAME OP VALUE, e.g. stuck>0, proxy-auth-rejected>5%%, "
				       "ser<95", *c, (size_t)(c - (const unsigned char *)spec));
	while (*p) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		struct rule *r;
		if (n == 0) {
			p += 1;
			continue;
		}
		if (rs->n == RULES_MAX)
			return err_msg("--fail-on: at most %d rules", RULES_MAX);
		r = &rs->r[rs->n];
		memset(r, 0, sizeof(*r));
		if (n >= sizeof(r->text))
			return err_msg("--fail-on: rule too long: '%.*s...'", 40, p);
		memcpy(r->text, p, n);
		size_t k = strcspn(r->text, "<>=");
		if (k == 0 || k >= sizeof(r->name) || r->text[k] == '\0')
			return err_msg("--fail-on: '%s': expected NAME OP VALUE, e.g. stuck>0, "
				       "proxy-auth-rejected>5%%, ser<95", r->text);
		memcpy(r->name, r->text, k);
		const char *q = r->text + k;
		if (q[0] == '>' && q[1] == '=') {
			r->op = 'G';
			q += 2;
		} else if (q[0] == '<' && q[1] == '=') {
			r->op = 'L';
			q += 2;
		} else {
			r->op = *q++;
		}
		/* a finite decimal number: NaN would make the rule never hold, infinity always or
		 * never, both silently */
		const char *end = parse_decimal(q, &r->value);
		if (end && *end == '%') {
			r->percent = 1;
			end++;
		}
		if (!end || *end || !(r->value >= -RULE_VALUE_MAX && r->value <= RULE_VALUE_MAX))
			return err_msg("--fail-on: '%s': expected a decimal number after the operator, "
				       "-1e15..1e15, optionally with %%, got '%s'", r->text, q);
		if (!known_name(r->name)) {
			struct buf names = {0};
			figures_rule_names(&names);
			err_msg("--fail-on: '%s': unknown name '%s' (a problem id such as "
				"stuck-after-100, a figure: %s, or, with --baseline, attempts-fall or "
				"change:ID with an id of the baseline comparison, e.g. change:kpi.ser; "
				"siplogscan --help lists them)", r->text, r->name, buf_cstr(&names));
			buf_free(&names);
			return -1;
		}
		rs->n++;
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}

int rules_need_baseline(const struct rules *rs)
{
	for (int i = 0; i < rs->n; i++)
		if (is_change(rs->r[i].name) || !strcmp(rs->r[i].name, ATTEMPTS_FALL))
			return 1;
	return 0;
}

/*
 * attempts-fall: how far INVITE attempts fell against the baseline's, in percent of the
 * baseline's (0 when they rose or stayed): a night whose traffic vanished - a trunk down, a
 * proxy that stopped logging half-way - though every other figure looks fine. Undefined
 * (the rule never holds) without a usable baseline, when either side does not know its
 * attempts, or when the baseline had none (no fall can be measured from 0).
 */
static double attempts_fall(const struct report *r)
{
	const struct baseline *b = r->baseline;

	if (!b || b->status != BASELINE_OK)
		return NAN;
	for (size_t i = 0; i < b->nfig; i++) {
		const struct baseline_figure *g = &b->fig[i];
		if (strcmp(g->id, "kpi.invite_attempts") != 0)
			continue;
		if (!g->have_prev || !g->have_cur || !(g->prev > 0))
			return NAN;
		return g->cur >= g->prev ? 0 : (g->prev - g->cur) / g->prev * 100.0;
	}
	return NAN;
}

/* A change since the baseline: absolute, or relative (in percent) with %; NaN if unknown. */
static double change_of(const struct rule *ru, const struct report *r)
{
	const char *id = ru->name + sizeof(CHANGE_PREFIX) - 1;
	const struct baseline *b = r->baseline;

	if (!b || b->status != BASELINE_OK)
		return NAN;
	for (size_t i = 0; i < b->nfig; i++) {
		const struct baseline_figure *g = &b->fig[i];
		if (strcmp(g->id, id) != 0)
			continue;
		if (!g->have_prev || !g->have_cur)
			return NAN;
		if (!ru->percent)
			return g->cur - g->prev;
		/* a tiny previous value can make the relative change infinite: unknown */
		double c = g->prev != 0 ? (g->cur - g->prev) / g->prev * 100.0 : NAN;
		return isfinite(c) ? c : NAN;
	}
	/* a problem absent from both reports: 0 both times */
	return strncmp(id, "problem.", 8) == 0 && !ru->percent ? 0 : NAN;
}

static double value_of(const struct rule *ru, const struct report *r)
{
	const struct figure *f = figure_by_rule(ru->name);

	if (is_change(ru->name))
		return change_of(ru, r);
	if (!strcmp(ru->name, ATTEMPTS_FALL))
		return attempts_fall(r);	/* a percentage: with or without % */
	if (f) {
		/* NaN when unknown: not in the log, nothing to divide by (src/figures.c) */
		struct figure_value v;
		figure_value(f, r, &v);
		return v.v;
	}
	const char *n = ru->name;
	/* a problem pattern: its count, or its share in percent; undefined when the log cannot
	 * show it */
	const struct pattern_info *pi = knowledge_pattern_by_id(n);
	if (pi && !report_pattern_given(r, pi->pid))
		return NAN;
	for (size_t i = 0; i < r->nproblems; i++) {
		const struct problem *p = &r->problems[i];
		if (strcmp(knowledge_pattern(p->pid)->id, n) == 0)
			return ru->percent ? (p->denominator ? 100.0 * (double)p->count /
					      (double)p->denominator : 0) : (double)p->count;
	}
	return 0;	/* the pattern did not occur */
}

int rules_eval(const struct rules *rs, struct report *r)
{
	int fired = 0;

	r->nrules = 0;
	for (int i = 0; i < rs->n && i < 32; i++) {
		const struct rule *ru = &rs->r[i];
		double v = value_of(ru, r);
		int f = 0;
		if (!isnan(v)) {
			switch (ru->op) {
			case '>': f = v > ru->value; break;
			case '<': f = v < ru->value; break;
			case 'G': f = v >= ru->value; break;
			case 'L': f = v <= ru->value; break;
			default: f = v == ru->value; break;
			}
		}
		struct rule_result *rr = &r->rules[r->nrules++];
		memcpy(rr->text, ru->text, sizeof(rr->text));
		rr->value = v;
		rr->fired = f;
		fired += f;
	}
	r->rules_fired = fired;
	return fired;
}

#define DAY_US (86400LL * 1000000)

static int64_t parse_time(const char *s, int64_t now_us)
{
	const int64_t day = DAY_US;
	/* today's midnight on the zone's wall clock (tz.h); a day there is 23 or 25 hours
	 * long when the clocks change, so yesterday's midnight is found the same way */
	int64_t wall = now_us + (int64_t)tz_offset(now_us) * 1000000;
	int64_t midnight = wall - ((wall % day) + day) % day;

	if (!strcmp(s, "today"))
		return tz_to_utc(midnight, TIME_UNKNOWN);
	if (!strcmp(s, "yesterday"))
		return tz_to_utc(midnight - day, TIME_UNKNOWN);
	if (s[0] == '-' && s[1] >= '0' && s[1] <= '9') {
		double v;
		const char *end = parse_decimal(s + 1, &v);
		int64_t unit = 0;
		if (!end)
			return TIME_UNKNOWN;
		if (!strcmp(end, "s")) unit = 1000000;
		else if (!strcmp(end, "m")) unit = 60LL * 1000000;
		else if (!strcmp(end, "h")) unit = 3600LL * 1000000;
		else if (!strcmp(end, "d")) unit = day;
		if (!unit)
			return TIME_UNKNOWN;
		/* checked in double first: converting a product beyond int64_t (-99999999999d)
		 * to it is undefined; the caller checks the exact range */
		double back = v * (double)unit;
		if (!(back <= (double)(now_us - time_days_from_civil(1, 1, 1) * day)))
			return TIME_UNKNOWN;
		return now_us - (int64_t)back;
	}
	/* a date alone means its midnight; without an offset, the forms below are in the zone
	 * (time_parse() reads a zoneless stamp so) */
	size_t n = strlen(s);
	if (n == 10 && s[4] == '-' && s[7] == '-') {
		char full[32];
		snprintf(full, sizeof(full), "%sT00:00:00", s);
		struct time_ctx ctx;
		time_ctx_init(&ctx, now_us);
		return time_parse(&ctx, full, strlen(full));
	}
	if (n >= 16 && n <= 22 && s[4] == '-' && (s[10] == 'T' || s[10] == ' ') && s[13] == ':' &&
	    s[16] != ':') {
		/* minutes, then nothing or a zone ("Z", "+01:00"): the seconds are :00 */
		char full[32];
		snprintf(full, sizeof(full), "%.16s:00%s", s, s + 16);
		struct time_ctx ctx;
		time_ctx_init(&ctx, now_us);
		return time_parse(&ctx, full, strlen(full));
	}
	struct time_ctx ctx;
	time_ctx_init(&ctx, now_us);
	return time_parse(&ctx, s, n);
}

int64_t rules_parse_time(const char *s, int64_t now_us, int is_until)
{
	int64_t t = parse_time(s, now_us);

	(void)is_until;
	/* the years the report can write (time_format), as the usage error says: a date in
	 * year 0 or a time before now that reaches past year 1 is refused, not wrapped */
	if (t == TIME_UNKNOWN || t < time_days_from_civil(1, 1, 1) * DAY_US ||
	    t >= time_days_from_civil(10000, 1, 1) * DAY_US)
		return TIME_UNKNOWN;
	return t;
}
