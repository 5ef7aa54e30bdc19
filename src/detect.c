/*
 * detect.c - pick the built-in format of an input from its sample, so that log content cannot
 * steer the choice (see detect.h).
 *
 * Each candidate scans the sample with its own scanner; its records are kept as (start line,
 * kind, end of header block). Then every record that lies inside a record of another
 * candidate is struck out, and the candidate with the most records left wins.
 */
#include "detect.h"
#include "scan.h"
#include "timeparse.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

enum rec_kind { REC_LINE, REC_ONE_LINE, REC_MESSAGE };

struct rec {
	uint64_t line;		/* offset of its start line in the sample */
	uint64_t body, end;	/* REC_MESSAGE: its header lines are [body, end) */
	enum rec_kind kind;
	int alive;
};

struct recs {
	const struct profile *p;
	const char *buf;
	size_t len;
	struct rec *r;
	size_t n, cap;
	struct timeline tl;	/* the times of its records, for the first one */
	int64_t first;
};

static size_t line_end(const char *buf, size_t len, size_t at)
{
	const char *nl = memchr(buf + at, '\n', len - at);

	return nl ? (size_t)(nl - buf) : len;
}

/* The end of the header block of the message whose start line is at `at`: the first empty
 * line (spaces, CR, or ngrep's "." aside) within the scanner's caps. */
static void header_block(const char *buf, size_t len, size_t at, uint64_t *body, uint64_t *end)
{
	size_t q = line_end(buf, len, at);
	int lines = 0;

	q = q < len ? q + 1 : len;
	*body = q;
	while (q < len && lines++ < SCAN_MAX_HEADER_LINES && q - *body < SCAN_MAX_MESSAGE) {
		size_t e = line_end(buf, len, q), a = q, b = e;
		while (a < b && (buf[a] == ' ' || buf[a] == '\t'))
			a++;
		while (b > a && (buf[b - 1] == '\r' || buf[b - 1] == ' ' || buf[b - 1] == '\t'))
			b--;
		if (a == b || (b - a == 1 && buf[a] == '.'))
			break;
		q = e < len ? e + 1 : len;
	}
	*end = q;
}

static void collect(void *ctx, const struct event *ev)
{
	struct recs *rs = ctx;

	if (ev->flags & EV_INCOMPLETE)
		return;
	int64_t t = timeline_next2(&rs->tl, ev->ts_before.p, ev->ts_before.n, ev->ts.p, ev->ts.n,
				   ev->flags & EV_TS_CARRY);
	if (rs->first == TIME_UNKNOWN)
		rs->first = t;
	if (rs->n && rs->r[rs->n - 1].line == ev->offset)
		return;		/* one record per line and format */
	if (rs->n == rs->cap) {
		rs->cap = rs->cap ? 2 * rs->cap : 256;
		rs->r = xrealloc(rs->r, rs->cap * sizeof(*rs->r));
	}
	struct rec *r = &rs->r[rs->n++];
	memset(r, 0, sizeof(*r));
	r->line = ev->offset;
	r->alive = 1;
	if (rs->p->kind == RECORD_LINE)
		r->kind = REC_LINE;
	else if (ev->flags & EV_ONE_LINE)
		r->kind = REC_ONE_LINE;
	else {
		r->kind = REC_MESSAGE;
		header_block(rs->buf, rs->len, (size_t)ev->offset, &r->body, &r->end);
	}
}

/* Where the profile's marker (its prefilter literal) first stands on the line at `at`. */
static size_t marker_pos(const struct recs *rs, uint64_t at)
{
	const struct profile *p = rs->p;
	size_t e = line_end(rs->buf, rs->len, (size_t)at);

	if (!p->prefilter)
		return 0;
	const char *m = memmem(rs->buf + at, e - (size_t)at, p->prefilter, p->prefilter_len);
	return m ? (size_t)(m - rs->buf - at) : e - (size_t)at;
}

/* The index of the first record of rs that starts at or after offset at (records are in
 * line order). */
static size_t first_from(const struct recs *rs, uint64_t at)
{
	size_t lo = 0, hi = rs->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (rs->r[mid].line < at)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The record of rs that starts on line `at`, or NULL. */
static struct rec *rec_on_line(struct recs *rs, uint64_t at)
{
	size_t i = first_from(rs, at);

	return i < rs->n && rs->r[i].line == at ? &rs->r[i] : NULL;
}

/* Is offset `at` among the header lines of a message of rs? Only the last record that
 * starts before it can hold it: messages do not overlap. */
static int inside_message(const struct recs *rs, uint64_t at)
{
	size_t i = first_from(rs, at);

	if (i == 0)
		return 0;
	const struct rec *r = &rs->r[i - 1];
	return r->kind == REC_MESSAGE && at >= r->body && at < r->end;
}

/* Strike out the records of x that lie inside records of y (and the reverse, for records
 * that share a line). */
static void strike(struct recs *x, struct recs *y)
{
	for (size_t i = 0; i < x->n; i++) {
		struct rec *r = &x->r[i];
		if (!r->alive || r->kind == REC_MESSAGE)
			continue;
		if (inside_message(y, r->line)) {
			r->alive = 0;
			continue;
		}
		struct rec *o = rec_on_line(y, r->line);
		if (!o || o->kind == REC_MESSAGE)
			continue;
		/* two formats read the same line: the marker that comes first owns it */
		size_t px = marker_pos(x, r->line), py = marker_pos(y, r->line);
		if (px > py)
			r->alive = 0;
		else if (py > px)
			o->alive = 0;
	}
}

void detect_format(const struct profile *const *cand, int n, const char *sample, size_t len,
		   int64_t mtime_us, struct detect_result *out)
{
	struct recs *rs = xcalloc((size_t)(n > 0 ? n : 1), sizeof(*rs));

	memset(out, 0, sizeof(*out));
	out->first_time = out->date_hint = TIME_UNKNOWN;
	if (!sample)
		sample = "";
	for (int i = 0; i < n; i++) {
		rs[i].p = cand[i];
		rs[i].buf = sample;
		rs[i].len = len;
		rs[i].first = TIME_UNKNOWN;
		timeline_init(&rs[i].tl, mtime_us);
		struct scanner *s = scanner_new(cand[i], collect, &rs[i]);
		scanner_feed(s, sample, len, SCAN_EOF);
		scanner_free(s);
	}
	for (int i = 0; i < n; i++)
		for (int k = 0; k < n; k++)
			if (i != k)
				strike(&rs[i], &rs[k]);
	int best = -1;
	for (int i = 0; i < n; i++) {
		uint64_t alive = 0;
		for (size_t k = 0; k < rs[i].n; k++)
			alive += rs[i].r[k].alive;
		if (alive > out->records) {
			out->records = alive;
			out->profile = cand[i];
			best = i;
		}
		free(rs[i].r);
	}
	if (best >= 0) {
		out->first_time = rs[best].first;
		out->date_hint = rs[best].tl.ctx.first_abs_us;
		/* a first record with only a time of day was dated by mtime: the exact way, with
		 * the date found further on (rare: FreeSWITCH siptrace) */
		if (out->date_hint != TIME_UNKNOWN && out->first_time != TIME_UNKNOWN &&
		    out->first_time != out->date_hint)
			scan_count_sample(out->profile, sample, len, mtime_us, &out->first_time,
					  &out->date_hint);
	}
	free(rs);
}
