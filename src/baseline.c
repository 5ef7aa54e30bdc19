/*
 * baseline.c - --baseline: headline figures of this report beside an earlier one.
 *
 * The figures are those of the one table of figures (src/figures.c) that have a place in a
 * siplogscan.report/2 document: an id, words for people, a unit, which direction is better,
 * and where the figure sits (v1_paths below: where in a /1 document, when it moved or meant
 * something else there). Both reports are read through that table, so the comparison cannot
 * drift from what the reports print.
 */
#include "baseline.h"
#include "figures.h"
#include "json.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The schema before siplogscan.report/2 (docs/json-schema.md, "Changes") */
#define BASELINE_SCHEMA_V1 "siplogscan.report/1"

/* A baseline larger than this is not a report siplogscan wrote (they are kilobytes). */
#define BASELINE_MAX_BYTES (256u << 20)


/* Figures that sit elsewhere in a siplogscan.report/1 baseline: /1 counted every Call-ID as
 * a call (calls.total); its INVITE dialogs, which /2 calls calls, were calls.invite. */
static const struct { const char *id, *path; } v1_paths[] = {
	{ "calls", "calls.invite" },
};

/* Where figure f sits in a report of schema /1 (v1) or of this siplogscan's schema. */
static const char *path_of(const struct figure *f, int v1)
{
	for (size_t i = 0; v1 && i < sizeof(v1_paths) / sizeof(v1_paths[0]); i++)
		if (strcmp(f->id, v1_paths[i].id) == 0)
			return v1_paths[i].path;
	return f->path;
}

/* A problem's figure id, "problem.stuck-after-100": static storage, since the figures
 * point to it; built on first use by the one thread that renders. */
static const char *problem_id(enum pattern_id pid)
{
	static char ids[PAT_COUNT][64];

	if (!ids[pid][0])
		snprintf(ids[pid], sizeof(ids[pid]), "problem.%s", knowledge_pattern(pid)->id);
	return ids[pid];
}

int baseline_figure_known(const char *id)
{
	const struct figure *f = figure_by_id(id);

	if (f)
		return f->json != JSON_NONE;
	return strncmp(id, "problem.", 8) == 0 && knowledge_pattern_by_id(id + 8) != NULL;
}

const char *baseline_trend_name(enum trend t)
{
	switch (t) {
	case TREND_SAME: return "same";
	case TREND_BETTER: return "better";
	case TREND_WORSE: return "worse";
	case TREND_CHANGED: return "changed";
	case TREND_UNKNOWN: break;
	}
	return NULL;
}

/*
 * A number read from a report is a figure only when it is finite and within +-1e15.
 * json.c reads a number beyond a double's range (1e5000) as infinity rather than refusing
 * the document: it is valid JSON (RFC 8259 leaves the range of numbers to the reader, not
 * to the grammar). Such a figure is unknown here, like one an older report lacks (README:
 * unknown, never 0): refusing the whole baseline would drop every other comparison for one
 * damaged figure and turn a nightly run's exit status into 2. No report siplogscan writes
 * comes near 1e15 (counts, percentages, milliseconds: 1e15 ms is 31,000 years), and the
 * text report turns figures into integers, which would overflow beyond it.
 */
#define FIGURE_MAX 1e15

static int usable(double v)
{
	return isfinite(v) && v >= -FIGURE_MAX && v <= FIGURE_MAX;
}

/* The number a figure has in a report; 0 when there is none (null, absent, not a number; a
 * sum of response counts with one not usable). */
static int value_read(const struct json *doc, const struct figure *f, int v1, double *out)
{
	const struct json *v = json_path(doc, f->json == JSON_AT_CLASS ? "totals.responses" :
					  path_of(f, v1));

	switch (f->json) {
	case JSON_AT_PATH:
		if (!v || v->type != JSON_NUMBER)
			return 0;
		*out = v->num;
		return 1;
	case JSON_AT_CLASS:
		if (!v || v->type != JSON_OBJECT)
			return 0;
		*out = 0;
		for (const struct json *k = v->first; k; k = k->next) {
			if (k->type != JSON_NUMBER || k->key_len != 3 || k->key[0] != f->path[0])
				continue;
			if (!usable(k->num))
				return 0;
			*out += k->num;
		}
		return 1;
	case JSON_AT_FILE_ERRORS:
		if (!v || v->type != JSON_ARRAY)
			return 0;
		*out = 0;
		for (const struct json *k = v->first; k; k = k->next) {
			const struct json *s = json_get(k, "status");
			if (s && s->type == JSON_STRING && strcmp(s->str, "error") == 0)
				*out += 1;
		}
		return 1;
	case JSON_AT_ARRAY_LEN:
		if (!v || v->type != JSON_ARRAY)
			return 0;
		*out = (double)v->n;
		return 1;
	case JSON_NONE:
		break;
	}
	return 0;
}

/* The value of a figure in a report; 0 when unknown (no number, or not usable). */
static int value_of(const struct json *doc, const struct figure *f, int v1, double *out)
{
	return value_read(doc, f, v1, out) && usable(*out);
}

/* A problem's count: its entry in "problems", 0 when the report lists it not; unknown when
 * its count is not usable. */
static int problem_count(const struct json *doc, const char *id, double *out)
{
	const struct json *arr = json_get(doc, "problems");

	if (!arr || arr->type != JSON_ARRAY)
		return 0;
	*out = 0;
	for (const struct json *p = arr->first; p; p = p->next) {
		const struct json *pid = json_get(p, "id");
		const struct json *c = json_get(p, "count");
		if (pid && pid->type == JSON_STRING && strcmp(pid->str, id) == 0 && c &&
		    c->type == JSON_NUMBER)
			*out = c->num;
	}
	return usable(*out);
}

static void set_trend(struct baseline_figure *g, int better)
{
	if (!g->have_prev || !g->have_cur)
		g->trend = TREND_UNKNOWN;
	else if (g->cur == g->prev)
		g->trend = TREND_SAME;
	else if (!better)
		g->trend = TREND_CHANGED;
	else
		g->trend = (g->cur > g->prev) == (better > 0) ? TREND_BETTER : TREND_WORSE;
}

static char *time_of(const struct json *doc, const char *path)
{
	const struct json *v = json_path(doc, path);

	return v && v->type == JSON_STRING ? xstrndup(v->str, v->len) : NULL;
}

static struct baseline *fail(struct baseline *b, enum baseline_status st, const char *fmt,
			     const char *arg)
{
	char msg[512];

	snprintf(msg, sizeof(msg), fmt, arg);
	b->status = st;
	b->error = xstrndup(msg, strlen(msg));
	return b;
}

struct baseline *baseline_compare_text(const char *path, const char *prev, size_t prev_len,
				       const char *cur, size_t cur_len)
{
	struct baseline *b = xcalloc(1, sizeof(*b));
	struct arena a = {0};
	char err[160];

	b->path = xstrndup(path, strlen(path));
	const struct json *pdoc = json_parse(&a, prev, prev_len, err, sizeof(err));
	if (!pdoc) {
		fail(b, BASELINE_ERROR, "is not a JSON document (%s); give the JSON report of an "
		     "earlier run (siplogscan -f json -o FILE)", err);
		goto out;
	}
	const struct json *schema = json_get(pdoc, "schema");
	if (!schema || schema->type != JSON_STRING ||
	    strncmp(schema->str, "siplogscan.report/", 18) != 0) {
		fail(b, BASELINE_ERROR, "%s", "is not a siplogscan JSON report (it has no \"schema\": "
		     "\"" REPORT_SCHEMA "\"); give the JSON report of an earlier run "
		     "(siplogscan -f json -o FILE)");
		goto out;
	}
	b->schema = xstrndup(schema->str, schema->len);
	/* a /1 baseline (siplogscan before calls were INVITE dialogs) is read through path_v1 */
	int v1 = strcmp(schema->str, BASELINE_SCHEMA_V1) == 0;
	if (!v1 && strcmp(schema->str, REPORT_SCHEMA) != 0) {
		fail(b, BASELINE_ERROR, "is written in schema '%s', which this siplogscan does not "
		     "read (it reads " REPORT_SCHEMA " and " BASELINE_SCHEMA_V1 ")", b->schema);
		goto out;
	}
	const struct json *cdoc = json_parse(&a, cur, cur_len, err, sizeof(err));
	if (!cdoc) {
		/* our own JSON: unreadable only through a bug */
		fail(b, BASELINE_ERROR, "could not be compared: this run's JSON report is unreadable (%s)",
		     err);
		goto out;
	}
	b->first_time = time_of(pdoc, "input.first_time");
	b->last_time = time_of(pdoc, "input.last_time");
	b->fig = xcalloc(nfigures + PAT_COUNT, sizeof(*b->fig));
	for (size_t i = 0; i < nfigures; i++) {
		const struct figure *f = &figures[i];
		if (f->json == JSON_NONE)
			continue;	/* not one number of the JSON report */
		struct baseline_figure *g = &b->fig[b->nfig++];
		g->id = f->id;
		g->label = f->label;
		g->unit = f->unit;
		g->have_prev = value_of(pdoc, f, v1, &g->prev);
		g->have_cur = value_of(cdoc, f, 0, &g->cur);
		set_trend(g, f->better);
	}
	/* problems: those with a count on either side, in the order of the knowledge table */
	for (int p = 0; p < PAT_COUNT; p++) {
		const struct pattern_info *pi = knowledge_pattern((enum pattern_id)p);
		struct baseline_figure g = { .id = problem_id((enum pattern_id)p), .label = pi->title,
					     .unit = UNIT_COUNT };
		g.have_prev = problem_count(pdoc, pi->id, &g.prev);
		g.have_cur = problem_count(cdoc, pi->id, &g.cur);
		if ((!g.have_prev || g.prev == 0) && (!g.have_cur || g.cur == 0))
			continue;
		set_trend(&g, -1);
		b->fig[b->nfig++] = g;
	}
	b->status = BASELINE_OK;
out:
	arena_free(&a);
	return b;
}

struct baseline *baseline_compare(const char *path, const char *cur, size_t n)
{
	FILE *f = fopen(path, "rb");
	struct baseline *b;

	if (!f) {
		int e = errno;
		b = xcalloc(1, sizeof(*b));
		b->path = xstrndup(path, strlen(path));
		if (e == ENOENT)
			return fail(b, BASELINE_MISSING, "%s", "does not exist (yet): nothing to "
				    "compare with; the next run can use this run's JSON report");
		return fail(b, BASELINE_ERROR, "cannot be read: %s", strerror(e));
	}
	struct buf text = {0};
	struct stat st;
	const char *why = NULL;
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		why = "is a directory; give the JSON report of an earlier run";
	} else {
		char chunk[65536];
		size_t got;
		while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0) {
			buf_add(&text, chunk, got);
			if (text.len > BASELINE_MAX_BYTES) {
				why = "is larger than 256 MiB: not a siplogscan report";
				break;
			}
		}
		if (!why && ferror(f))
			why = strerror(errno);
	}
	fclose(f);
	if (why) {
		b = xcalloc(1, sizeof(*b));
		b->path = xstrndup(path, strlen(path));
		fail(b, BASELINE_ERROR, "%s", why);
	} else {
		b = baseline_compare_text(path, text.p ? text.p : "", text.len, cur, n);
	}
	buf_free(&text);
	return b;
}

void baseline_free(struct baseline *b)
{
	if (!b)
		return;
	free(b->path);
	free(b->error);
	free(b->schema);
	free(b->first_time);
	free(b->last_time);
	free(b->fig);
	free(b);
}
