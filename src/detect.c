/*
 * detect.c - pick the format of an input from its sample, so that log content cannot steer
 * the choice (see detect.h).
 *
 * Each candidate scans the sample with its own scanner; its records are kept as (start line,
 * kind, extent of a message's lines). Then every record that lies inside a record of another
 * candidate is struck out, and the candidate with the most records left wins.
 */
#include "detect.h"
#include "htab.h"
#include "report.h"
#include "scan.h"
#include "timeparse.h"
#include "util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum rec_kind { REC_LINE, REC_ONE_LINE, REC_MESSAGE };

struct rec {
	uint64_t line;		/* offset of its start line in the sample */
	uint64_t body, end;	/* REC_MESSAGE: its other lines (headers, body) are [body, end) */
	uint64_t call;		/* a hash of its Call-ID; 0: it has none */
	enum rec_kind kind;
	int alive;
};

struct recs {
	const struct profile *p;
	int inferred;		/* the layout inferred from the sample: loses shared lines */
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

/* A Content-Length header's value (compact form "l"), or -1 when the line is none. */
static long long content_length(const char *l, size_t n)
{
	size_t c = 0;
	long long v = 0;

	if (n >= 14 && strncasecmp(l, "content-length", 14) == 0)
		c = 14;
	else if (n >= 1 && (l[0] | 0x20) == 'l')
		c = 1;
	else
		return -1;
	while (c < n && (l[c] == ' ' || l[c] == '\t'))
		c++;
	if (c >= n || l[c++] != ':')
		return -1;
	while (c < n && (l[c] == ' ' || l[c] == '\t'))
		c++;
	for (; c < n && isdigit((unsigned char)l[c]) && v <= SCAN_MAX_MESSAGE; c++)
		v = v * 10 + (l[c] - '0');
	return v;
}

/*
 * The lines after the start line of the message at `at`: its header block, to the first
 * empty line (spaces, CR, or ngrep's "." aside), and the body its Content-Length declares,
 * each line end counted as CR LF, all within the scanner's caps. The declared length is
 * taken even where the scanner ends a body early on a line that looks like the log's next
 * entry: a body with lines of another format in it (attacker-chosen) holds them all.
 */
static void message_block(const char *buf, size_t len, size_t at, uint64_t *body, uint64_t *end)
{
	size_t q = line_end(buf, len, at);
	int lines = 0;
	long long cl = 0;

	q = q < len ? q + 1 : len;
	*body = q;
	while (q < len && lines++ < SCAN_MAX_HEADER_LINES && q - *body < SCAN_MAX_MESSAGE) {
		size_t e = line_end(buf, len, q), a = q, b = e;
		while (a < b && (buf[a] == ' ' || buf[a] == '\t'))
			a++;
		while (b > a && (buf[b - 1] == '\r' || buf[b - 1] == ' ' || buf[b - 1] == '\t'))
			b--;
		q = e < len ? e + 1 : len;
		if (a == b || (b - a == 1 && buf[a] == '.'))
			break;
		long long v = content_length(buf + a, b - a);
		if (v >= 0)
			cl = v;
		if (q == len)
			break;
	}
	for (long long seen = 0; seen < cl && q < len && q - *body < SCAN_MAX_MESSAGE; ) {
		size_t e = line_end(buf, len, q), b = e;
		while (b > q && buf[b - 1] == '\r')
			b--;
		seen += (long long)(b - q) + 2;
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
	if (ev->callid.n) {
		static const uint8_t key[16];
		r->call = siphash13(key, ev->callid.p, ev->callid.n) | 1;
	}
	if (rs->p->kind == RECORD_LINE)
		r->kind = REC_LINE;
	else if (ev->flags & EV_ONE_LINE)
		r->kind = REC_ONE_LINE;
	else {
		r->kind = REC_MESSAGE;
		message_block(rs->buf, rs->len, (size_t)ev->offset, &r->body, &r->end);
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

/* Is offset `at` among the lines of a message of rs? Only the last record that starts
 * before it can hold it: messages do not overlap. */
static int inside_message(const struct recs *rs, uint64_t at)
{
	size_t i = first_from(rs, at);

	if (i == 0)
		return 0;
	const struct rec *r = &rs->r[i - 1];
	return r->kind == REC_MESSAGE && at >= r->body && at < r->end;
}

/* Strike out the records of x that lie inside records of y (and the reverse, for records
 * that share a line: the inferred layout's go to a built-in format's). */
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
		/* two formats read the same line: a built-in format owns it, else the marker that
		 * comes first */
		if (x->inferred || y->inferred) {
			if (x->inferred)
				r->alive = 0;
			else
				o->alive = 0;
			continue;
		}
		size_t px = marker_pos(x, r->line), py = marker_pos(y, r->line);
		if (px > py)
			r->alive = 0;
		else if (py > px)
			o->alive = 0;
	}
}

/* A thin format reads less than whole SIP traffic: one record per transaction (acc), or
 * authentication events only. */
static int thin(const struct profile *p)
{
	return (p->gives & GIVES_ALL) != GIVES_ALL;
}

static int by_value(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The records of x that w does not read: on lines (or in messages) that w does not read,
 * of calls that w has no record of (a record without a Call-ID is not known to be one).
 * calls: the Call-IDs of w's records, sorted. */
static uint64_t left_to(const struct recs *x, struct recs *w, const uint64_t *calls, size_t nc)
{
	uint64_t n = 0;

	for (size_t i = 0; i < x->n; i++) {
		const struct rec *r = &x->r[i];
		n += r->alive && !rec_on_line(w, r->line) && !inside_message(w, r->line) &&
		     r->call && !bsearch(&r->call, calls, nc, sizeof(*calls), by_value);
	}
	return n;
}

/* The Call-IDs of the records of rs (all of them: what its scan reads), sorted. */
static uint64_t *sorted_calls(const struct recs *rs)
{
	uint64_t *h = xcalloc(rs->n + 1, sizeof(*h));

	for (size_t i = 0; i < rs->n; i++)
		h[i] = rs->r[i].call;
	qsort(h, rs->n, sizeof(*h), by_value);
	return h;
}

/* The lines of the sample that no record of rs[0..n) reads (a record's line, a message's
 * lines), in order, into out. */
static void unread_lines(struct recs *rs, int n, const char *buf, size_t len, struct buf *out)
{
	for (size_t q = 0; q < len;) {
		size_t e = line_end(buf, len, q);
		int read = 0;
		for (int i = 0; i < n && !read; i++)
			read = rec_on_line(&rs[i], q) || inside_message(&rs[i], q);
		if (!read)
			buf_add(out, buf + q, e < len ? e + 1 - q : e - q);
		q = e < len ? e + 1 : len;
	}
}

/* Scan the sample with p, keeping its records in rs. */
static void scan_sample(struct recs *rs, const struct profile *p, int inferred, const char *sample,
			size_t len, int64_t mtime_us)
{
	rs->p = p;
	rs->inferred = inferred;
	rs->buf = sample;
	rs->len = len;
	rs->first = TIME_UNKNOWN;
	timeline_init(&rs->tl, mtime_us);
	struct scanner *s = scanner_new(p, collect, rs);
	scanner_feed(s, sample, len, SCAN_EOF);
	scanner_free(s);
}

void detect_format(const struct profile *const *cand, int n, detect_infer_fn infer, void *ctx,
		   const char *sample, size_t len, int64_t mtime_us, struct detect_result *out)
{
	struct recs *rs = xcalloc((size_t)n + 1, sizeof(*rs));
	uint64_t *alive = xcalloc((size_t)n + 1, sizeof(*alive));
	int all = n;

	memset(out, 0, sizeof(*out));
	out->first_time = out->date_hint = TIME_UNKNOWN;
	if (!sample)
		sample = "";
	for (int i = 0; i < n; i++)
		scan_sample(&rs[i], cand[i], 0, sample, len, mtime_us);
	if (infer) {
		/* the operator's own layout, from the lines no built-in format reads */
		struct buf rest = {0};
		unread_lines(rs, n, sample, len, &rest);
		const struct profile *p = rest.len ? infer(ctx, rest.p, rest.len) : NULL;
		buf_free(&rest);
		if (p)
			scan_sample(&rs[all++], p, 1, sample, len, mtime_us);
	}
	for (int i = 0; i < all; i++)
		for (int k = 0; k < all; k++)
			if (i != k)
				strike(&rs[i], &rs[k]);
	/* the most records; on a tie a full format before a thin one, then the earlier built-in */
	int best = -1;
	for (int i = 0; i < n; i++) {
		for (size_t k = 0; k < rs[i].n; k++)
			alive[i] += rs[i].r[k].alive;
		if (alive[i] && (best < 0 || alive[i] > alive[best] ||
				 (alive[i] == alive[best] && thin(rs[best].p) && !thin(rs[i].p))))
			best = i;
	}
	out->builtin_records = best >= 0 ? alive[best] : 0;
	/* the inferred layout the same way, after the built-ins; but a full built-in format that
	 * has a record of each of its calls keeps the file (the same messages logged twice, in
	 * two layouts: its records, not the layout's, are read) */
	uint64_t *read = best >= 0 ? sorted_calls(&rs[best]) : NULL;
	if (all > n) {
		for (size_t k = 0; k < rs[n].n; k++)
			alive[n] += rs[n].r[k].alive;
		if (alive[n] && (best < 0 || ((alive[n] > alive[best] ||
					      (alive[n] == alive[best] && thin(rs[best].p))) &&
					     (thin(rs[best].p) ||
					      left_to(&rs[n], &rs[best], read, rs[best].n))))) {
			best = n;
			free(read);
			read = sorted_calls(&rs[best]);
		}
	}
	if (best >= 0) {
		out->profile = rs[best].p;
		out->records = alive[best];
		for (int i = 0; i < all; i++) {
			uint64_t left = i == best ? 0 : left_to(&rs[i], &rs[best], read, rs[best].n);
			if (left > out->other_records) {
				out->other = rs[i].p;
				out->other_records = left;
			}
		}
		out->first_time = rs[best].first;
		out->date_hint = rs[best].tl.ctx.first_abs_us;
		/* a first record with only a time of day was dated by mtime: the exact way, with
		 * the date found further on (rare: FreeSWITCH siptrace) */
		if (out->date_hint != TIME_UNKNOWN && out->first_time != TIME_UNKNOWN &&
		    out->first_time != out->date_hint)
			scan_count_sample(out->profile, sample, len, mtime_us, &out->first_time,
					  &out->date_hint);
	}
	for (int i = 0; i < all; i++)
		free(rs[i].r);
	free(read);
	free(alive);
	free(rs);
}
