/*
 * state.c - state files (see state.h and docs/state.md): writing one shard's state, reading
 * states back, checking that they belong together, and merging them into one report model.
 *
 * The format: the magic "SLSSTATE", the version (u32), the layout word (u32: the sizes of
 * the records written as they lie in memory, and the byte order), the lengths of the body as
 * stored and as read (u64 each), the body deflated (zlib, level 1: the head repeats each
 * Call-ID's strings in every message), and the CRC-32 (zlib) of everything before it.
 * Numbers are written in the machine's byte order; the layout word turns a state from
 * another build or machine into a clear error instead of figures read wrong. The body, in
 * order: the run (an id, the messages, the clock, the first time), the options, the inputs,
 * the aggregates (struct fold), the calls still open, the head.
 *
 * A state file is input like any log: read with every length, count and index checked
 * against what it may be (a file that passes the checksum may still have been made to
 * lie), so that a damaged one is an error, never a crash or a table past its bound.
 */
#include "state.h"
#include "calltab.h"
#include "fold.h"
#include "htab.h"
#include "output.h"
#include "profile.h"
#include "timeparse.h"
#include "tz.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define HEADER_LEN (8 + 4 + 4 + 8 + 8)
#define MAX_RATIO 1032			/* deflate inflates at most this much (RFC 1951) */
#define NO_STR 0xffffffffu
#define MAX_KEY ((uint32_t)1 << 20)	/* a Call-ID, a key: at most a line (SCAN_MAX_LINE) */

/* what messages start with: merge's and --state-out's, or the caller's (state_set_caller()) */
static const char *caller;

void state_set_caller(const char *name)
{
	caller = name;
}

/* ---- writing */

static void put(struct buf *w, const void *p, size_t n)
{
	buf_add(w, p, n);
}

static void put_u32(struct buf *w, uint32_t v)
{
	put(w, &v, sizeof(v));
}

static void put_u64(struct buf *w, uint64_t v)
{
	put(w, &v, sizeof(v));
}

static void put_i64(struct buf *w, int64_t v)
{
	put(w, &v, sizeof(v));
}

static void put_f64(struct buf *w, double v)
{
	put(w, &v, sizeof(v));
}

static void put_str(struct buf *w, const char *s, size_t n)
{
	if (!s) {
		put_u32(w, NO_STR);
		return;
	}
	put_u32(w, (uint32_t)n);
	put(w, s, n);
}

static void put_cstr(struct buf *w, const char *s)
{
	put_str(w, s, s ? strlen(s) : 0);
}

/* ---- reading: every get checks what is left; a short or bad read marks the reader bad */

struct rd {
	const unsigned char *p;
	size_t n, pos;
	int bad;
	const char *why;		/* the first thing found wrong */
};

static void rd_fail(struct rd *r, const char *why)
{
	if (!r->bad)
		r->why = why;
	r->bad = 1;
}

/*
 * A time a state may hold: unknown, or within 2^61 microseconds of 1970 (73,000 years), so
 * that the difference of two, and a time plus a timeout, stay within 64 bits: a damaged
 * state's times must not overflow the analysis's arithmetic.
 */
#define STATE_TIME_MAX ((int64_t)1 << 61)
static int time_ok(int64_t t)
{
	return t == TIME_UNKNOWN || (t >= -STATE_TIME_MAX && t <= STATE_TIME_MAX);
}

/* A duration: -1 (unknown) or 0 .. STATE_TIME_MAX. */
static int span_ok(int64_t d)
{
	return d >= -1 && d <= STATE_TIME_MAX;
}

static int get(struct rd *r, void *dst, size_t n)
{
	if (r->bad || n > r->n - r->pos) {
		rd_fail(r, "it ends inside a record");
		memset(dst, 0, n);
		return -1;
	}
	memcpy(dst, r->p + r->pos, n);
	r->pos += n;
	return 0;
}

static uint32_t get_u32(struct rd *r)
{
	uint32_t v;

	get(r, &v, sizeof(v));
	return v;
}

static uint64_t get_u64(struct rd *r)
{
	uint64_t v;

	get(r, &v, sizeof(v));
	return v;
}

static int64_t get_i64(struct rd *r)
{
	int64_t v;

	get(r, &v, sizeof(v));
	return v;
}

static double get_f64(struct rd *r)
{
	double v;

	get(r, &v, sizeof(v));
	return v;
}

/* A string (NUL-terminated copy; *len its length); NULL for none, or when bad. */
static char *get_str(struct rd *r, size_t *len, uint32_t max)
{
	uint32_t n = get_u32(r);

	if (len)
		*len = 0;
	if (r->bad || n == NO_STR)
		return NULL;
	if (n > max || n > r->n - r->pos) {
		rd_fail(r, "a string is longer than it may be");
		return NULL;
	}
	char *s = xstrndup((const char *)r->p + r->pos, n);
	r->pos += n;
	if (len)
		*len = n;
	return s;
}

/* Where a shard's (file, line) lies in the merged run: its file's index there, and the
 * lines of the same file in the shards before it (docs/state.md). */
struct remap {
	const uint32_t *file;
	const uint64_t *line_off;
	uint32_t nfiles;
	uint64_t seq_off;		/* messages in the shards before it */
};

static void remap_pos(struct rd *r, const struct remap *m, uint32_t *file, uint64_t *line)
{
	if (*file >= m->nfiles) {
		rd_fail(r, "a position names an input it does not list");
		*file = 0;
		return;
	}
	*line += m->line_off[*file];
	*file = m->file[*file];
}

/* ---- the layout word: the records written as they lie in memory */

static uint32_t layout_word(void)
{
	char s[512];
	uint32_t one = 1;
	int n = snprintf(s, sizeof(s),
			 "le=%d call=%zu head=%zu brow=%zu hrow=%zu vote=%zu hour=%zu arow=%zu "
			 "pair=%zu src=%zu report=%zu ex=%zu pat=%d codes=%d methods=%d",
			 *(unsigned char *)&one, sizeof(struct call), sizeof(struct head_event),
			 sizeof(struct brow), sizeof(struct hrow), sizeof(struct hop_vote),
			 sizeof(struct hour_row), sizeof(struct arow), sizeof(struct pair_row),
			 sizeof(struct source_stat), sizeof(struct report),
			 (size_t)REPORT_MAX_EXAMPLES, (int)PAT_COUNT, REPORT_CODES,
			 (int)METHOD_COUNT);
	return (uint32_t)crc32(0, (const unsigned char *)s, (unsigned)n);
}

/* ---- the aggregates */

/*
 * The figures of struct report that the analysis adds up (fold.c merge_acc()), one by one
 * for writing and reading alike.
 */
typedef void (*field_fn)(void *ctx, void *p, size_t n);

static void acc_fields(struct report *r, field_fn f, void *ctx)
{
#define F(x) f(ctx, &(x), sizeof(x))
	F(r->records);
	F(r->outside);
	F(r->responses);
	F(r->by_final);
	F(r->requests);
	F(r->first_time);
	F(r->last_time);
	F(r->have_times);
	F(r->subsecond_times);
	F(r->callids_total);
	F(r->calls_total);
	F(r->calls_register);
	F(r->calls_options);
	F(r->calls_other);
	F(r->followed_past_until);
	F(r->calls_evicted_idle);
	F(r->calls_settled_early);
	F(r->calls_open_at_end);
	F(r->trying);
	F(r->stuck);
	F(r->trying_hist);
	F(r->slow_by_outcome);
	struct auth_report *ar[2] = { &r->proxy_auth, &r->www_auth };
	for (int i = 0; i < 2; i++) {
		F(ar[i]->challenged);
		F(ar[i]->not_retried);
		F(ar[i]->retried);
		F(ar[i]->rechallenged);
		F(ar[i]->accepted);
	}
	struct kpis *k = &r->kpi;
	struct ratio *ra[] = { &k->asr, &k->ner, &k->ser, &k->seer, &k->isa, &k->scr, &k->ira };
	for (size_t i = 0; i < sizeof(ra) / sizeof(ra[0]); i++) {
		F(ra[i]->num);
		F(ra[i]->den);
	}
	F(k->invite_attempts);
	F(k->register_attempts);
	F(k->no_final);
	F(r->auth.n);
	F(r->auth.no_source);
	F(r->by_hop.shown);
	F(r->by_hop.no_hop);
#undef F
}

static void field_put(void *ctx, void *p, size_t n)
{
	put(ctx, p, n);
}

static void field_get(void *ctx, void *p, size_t n)
{
	get(ctx, p, n);
}

static void put_dist(struct buf *w, const struct dist *d)
{
	put_u64(w, d->n);
	put_i64(w, d->max);
	put_i64(w, d->sum);
	put_u32(w, d->hist != NULL);
	if (!d->hist) {
		put(w, d->exact, d->n * sizeof(int64_t));
		return;
	}
	uint32_t nz = 0;
	for (size_t b = 0; b < dist_buckets(); b++)
		nz += d->hist[b] != 0;
	put_u32(w, nz);
	for (size_t b = 0; b < dist_buckets(); b++)
		if (d->hist[b]) {
			put_u32(w, (uint32_t)b);
			put_u64(w, d->hist[b]);
		}
}

static void get_dist(struct rd *r, struct dist *d)
{
	uint64_t n = get_u64(r);
	int64_t max = get_i64(r), sum = get_i64(r);
	uint32_t hist = get_u32(r);

	if (r->bad || !n)
		return;
	if (!hist) {
		if (n > DIST_EXACT_MAX || n * sizeof(int64_t) > r->n - r->pos) {
			rd_fail(r, "a distribution holds more values than it may");
			return;
		}
		d->exact = xmalloc(n * sizeof(int64_t));
		d->exact_cap = n;
		get(r, d->exact, n * sizeof(int64_t));
		for (uint64_t i = 0; i < n; i++)
			if (d->exact[i] < 0 || d->exact[i] > max)
				rd_fail(r, "a distribution holds a value out of its range");
	} else {
		uint32_t nz = get_u32(r);
		uint64_t total = 0;
		if (nz > dist_buckets()) {
			rd_fail(r, "a distribution has more buckets than it may");
			return;
		}
		d->hist = xcalloc(dist_buckets(), sizeof(uint64_t));
		for (uint32_t i = 0; i < nz && !r->bad; i++) {
			uint32_t b = get_u32(r);
			uint64_t c = get_u64(r);
			if (b >= dist_buckets()) {
				rd_fail(r, "a distribution names a bucket it does not have");
				break;
			}
			d->hist[b] += c;
			total += c;
		}
		if (total != n)
			rd_fail(r, "a distribution's buckets do not add up to its count");
	}
	d->n = n;
	d->max = max;
	d->sum = sum;
}

static void put_peak(struct buf *w, const struct peak *p)
{
	put_i64(w, p->width);
	put_u64(w, p->n);
	for (size_t i = 0; i < p->cap; i++)
		if (p->used[i]) {
			put_i64(w, p->key[i]);
			put_i64(w, p->delta[i]);
		}
}

static void get_peak(struct rd *r, struct peak *p)
{
	int64_t width = get_i64(r);
	uint64_t n = get_u64(r);
	int64_t x = 1;

	if (r->bad || !n)
		return;
	while (x < width && x <= INT64_MAX / 10)
		x *= 10;
	if (width < 1 || x != width || n > 2 * (uint64_t)PEAK_BUCKETS ||
	    n > (r->n - r->pos) / 16) {
		rd_fail(r, "a peak map is not one siplogscan writes");
		return;
	}
	for (uint64_t i = 0; i < n && !r->bad; i++) {
		int64_t b = get_i64(r), d = get_i64(r);
		peak_restore(p, width, b, d);
	}
}

static void put_examples(struct buf *w, const struct example_set *s)
{
	put_u32(w, (uint32_t)s->n);
	for (size_t i = 0; i < s->n; i++) {
		put_str(w, s->e[i].call_id, s->e[i].call_id_len);
		put_u32(w, s->e[i].file);
		put_u64(w, s->e[i].line);
	}
}

static void get_examples(struct rd *r, const struct remap *m, struct example_set *s,
			 unsigned max)
{
	uint32_t n = get_u32(r);

	if (n > max) {
		rd_fail(r, "an example set holds more than --examples");
		return;
	}
	for (uint32_t i = 0; i < n && !r->bad; i++) {
		size_t len;
		char *id = get_str(r, &len, MAX_KEY);
		uint32_t file = get_u32(r);
		uint64_t line = get_u64(r);
		if (!id) {
			rd_fail(r, "an example has no Call-ID");
			break;
		}
		remap_pos(r, m, &file, &line);
		if (!r->bad)
			example_add(s, max, id, len, file, line);
		free(id);
	}
}

/* How one kind of table record is written and read; key_ok (may be NULL) checks a key whose
 * bytes have a layout of their own (fold.c builds them), which the report reads. */
struct rec_io {
	size_t size;
	void (*put)(struct buf *w, const void *rec);
	void (*get)(struct rd *r, const struct remap *m, void *rec, unsigned examples);
	int (*key_ok)(const unsigned char *k, size_t n);
};

/* hop_cands: two candidates, each two length bytes and the address */
static int hop_key_ok(const unsigned char *k, size_t n)
{
	if (n < 4)
		return 0;
	size_t n1 = (size_t)k[0] << 8 | k[1];
	if (n1 > n - 4)
		return 0;
	size_t n2 = (size_t)k[2 + n1] << 8 | k[3 + n1];
	return 4 + n1 + n2 == n;
}

/* auth_pairs: the account's two length bytes, the account, the source */
static int pair_key_ok(const unsigned char *k, size_t n)
{
	return n >= 2 && ((size_t)k[0] << 8 | k[1]) <= n - 2;
}

/* key_hours: the kind, the hour, the key */
static int key_hour_ok(const unsigned char *k, size_t n)
{
	return n >= 1 + sizeof(int64_t) && k[0] <= KH_AUTH_ACCOUNT;
}

static size_t plain_size;

static void put_plain(struct buf *w, const void *rec)
{
	put(w, rec, plain_size);
}

static void put_source(struct buf *w, const void *rec)
{
	const struct source_stat *s = rec;

	put_u64(w, s->calls);
	put_u64(w, s->unanswered);
	put_u64(w, s->scanner_ua);
	put_u64(w, s->accepted);
	put_u64(w, s->answered);
	put_u64(w, s->timed);
	put_i64(w, s->first_time);
	put_i64(w, s->last_time);
	put_str(w, s->ua, s->ua_len);
	put_u32(w, s->ua_file);
	put_u64(w, s->ua_line);
	put_examples(w, &s->ex);
}

static void get_source(struct rd *r, const struct remap *m, void *rec, unsigned examples)
{
	struct source_stat *s = rec;

	s->calls = get_u64(r);
	s->unanswered = get_u64(r);
	s->scanner_ua = get_u64(r);
	s->accepted = get_u64(r);
	s->answered = get_u64(r);
	s->timed = get_u64(r);
	s->first_time = get_i64(r);
	s->last_time = get_i64(r);
	if (!time_ok(s->first_time) || !time_ok(s->last_time))
		rd_fail(r, "a source's times are not times siplogscan keeps");
	s->ua = get_str(r, &s->ua_len, CALL_STR_MAX);
	s->ua_file = get_u32(r);
	s->ua_line = get_u64(r);
	if (s->ua)
		remap_pos(r, m, &s->ua_file, &s->ua_line);
	get_examples(r, m, &s->ex, examples);
}

static void get_arow(struct rd *r, const struct remap *m, void *rec, unsigned examples)
{
	struct arow *x = rec;

	(void)examples;
	get(r, x, sizeof(*x));
	if (x->line)
		remap_pos(r, m, &x->file, &x->line);
}

static void get_pair(struct rd *r, const struct remap *m, void *rec, unsigned examples)
{
	struct pair_row *x = rec;

	(void)examples;
	get(r, x, sizeof(*x));
	if (x->line)
		remap_pos(r, m, &x->file, &x->line);
}

static void get_plain(struct rd *r, const struct remap *m, void *rec, unsigned examples)
{
	(void)m;
	(void)examples;
	get(r, rec, plain_size);
}

/* Rows with a list of failure codes: the list's length is an index. */
static void get_brow(struct rd *r, const struct remap *m, void *rec, unsigned examples)
{
	struct brow *b = rec;

	(void)m;
	(void)examples;
	get(r, b, sizeof(*b));
	if (b->ncodes < 0 || b->ncodes > BROW_CODES)
		rd_fail(r, "a table row lists more codes than it may");
}

static void get_hrow(struct rd *r, const struct remap *m, void *rec, unsigned examples)
{
	struct hrow *b = rec;

	(void)m;
	(void)examples;
	get(r, b, sizeof(*b));
	if (b->ncodes < 0 || b->ncodes > BROW_CODES)
		rd_fail(r, "a table row lists more codes than it may");
}

struct topk_put_ctx {
	struct buf *w;
	const struct topk *t;
	const struct rec_io *io;
};

static void put_entry(void *rec, void *ctx)
{
	struct topk_put_ctx *c = ctx;
	size_t len;
	const char *key = topk_key(c->t, rec, &len);

	put_str(c->w, key, len);
	put_u64(c->w, topk_weight(rec));
	put_u64(c->w, topk_error(rec));
	plain_size = c->io->size;
	c->io->put(c->w, rec);
}

static void put_topk(struct buf *w, const struct topk *t, const struct rec_io *io)
{
	struct topk_put_ctx c = { w, t, io };

	put_u64(w, topk_cap(t));
	put_u64(w, topk_count(t));
	put_u64(w, topk_evicted(t));
	put_u64(w, topk_unlisted(t));
	topk_each(t, put_entry, &c);
}

static void get_topk(struct rd *r, const struct remap *m, struct topk *t,
		     const struct rec_io *io, unsigned examples)
{
	uint64_t cap = get_u64(r), n = get_u64(r), evicted = get_u64(r), unlisted = get_u64(r);

	if (r->bad)
		return;
	if (cap != topk_cap(t) || n > cap) {
		rd_fail(r, "a bounded table is not the size this siplogscan keeps");
		return;
	}
	for (uint64_t i = 0; i < n && !r->bad; i++) {
		size_t len;
		char *key = get_str(r, &len, MAX_KEY);
		uint64_t weight = get_u64(r), error = get_u64(r);
		if (key && io->key_ok && !io->key_ok((const unsigned char *)key, len)) {
			free(key);
			rd_fail(r, "a bounded table holds a key that siplogscan does not make");
			break;
		}
		void *rec = key ? topk_restore(t, key, len, weight, error) : NULL;
		free(key);
		if (!rec) {
			rd_fail(r, "a bounded table lists a key twice, or none");
			break;
		}
		plain_size = io->size;
		io->get(r, m, rec, examples);
	}
	topk_restore_end(t, evicted, unlisted);
}

static const struct rec_io io_source = { 0, put_source, get_source, NULL };
static const struct rec_io io_brow = { sizeof(struct brow), put_plain, get_brow, NULL };
static const struct rec_io io_cand = { sizeof(struct hrow), put_plain, get_hrow, hop_key_ok };
static const struct rec_io io_vote = { sizeof(struct hop_vote), put_plain, get_plain, NULL };
/* An hour: its failure codes' count is an index too. */
static void get_hour(struct rd *r, const struct remap *m, void *rec, unsigned examples)
{
	struct hour_row *h = rec;

	(void)m;
	(void)examples;
	get(r, h, sizeof(*h));
	if (h->ncodes < 0 || h->ncodes > BROW_CODES)
		rd_fail(r, "an hour lists more codes than it may");
}

static const struct rec_io io_hour = { sizeof(struct hour_row), put_plain, get_hour, NULL };
static const struct rec_io io_arow = { sizeof(struct arow), put_plain, get_arow, NULL };
static const struct rec_io io_pair = { sizeof(struct pair_row), put_plain, get_pair, pair_key_ok };
static const struct rec_io io_i64 = { sizeof(int64_t), put_plain, get_plain, NULL };
static const struct rec_io io_key_hour = { sizeof(int64_t), put_plain, get_plain, key_hour_ok };

/* The fold's tables, in the order they are written. */
static void fold_tables(struct fold *a, struct topk **t, const struct rec_io **io)
{
	struct topk *tt[] = { a->sources, a->by_source, a->by_ua, a->by_dest, a->hop_cands,
			      a->hop_votes, a->hours, a->fine, a->auth_src, a->auth_acc,
			      a->auth_pairs, a->key_hours };
	const struct rec_io *ii[] = { &io_source, &io_brow, &io_brow, &io_brow, &io_cand,
				      &io_vote, &io_hour, &io_hour, &io_arow, &io_arow,
				      &io_pair, &io_key_hour };
	memcpy(t, tt, sizeof(tt));
	memcpy(io, ii, sizeof(ii));
}
#define FOLD_TABLES 12

static void fold_dists(struct fold *a, struct dist **d)
{
	struct dist *dd[] = { &a->trying_delay, &a->proxy_delay, &a->www_delay, &a->srd,
			      &a->rrd, &a->duration, &a->pdd, &a->ring };
	memcpy(d, dd, sizeof(dd));
}
#define FOLD_DISTS 8

/* The fold's own by-host row (fold.h): its call figures, in the order they are written. */
static void own_fields(struct fold *a, uint64_t **f)
{
	struct host_row *o = &a->own;
	uint64_t *ff[] = { &o->callids, &o->calls, &o->answered, &o->failed, &o->stuck,
			   &o->not_retried, &o->registrations };
	memcpy(f, ff, sizeof(ff));
}
#define OWN_FIELDS 7

static void put_fold(struct buf *w, struct fold *a)
{
	struct topk *t[FOLD_TABLES];
	const struct rec_io *io[FOLD_TABLES];
	struct dist *d[FOLD_DISTS];

	acc_fields(&a->acc, field_put, w);
	fold_dists(a, d);
	for (int i = 0; i < FOLD_DISTS; i++)
		put_dist(w, d[i]);
	put_i64(w, a->duration_sum);
	for (int p = 0; p < PAT_COUNT; p++) {
		put_examples(w, &a->ex[p]);
		put_u64(w, a->pat_count[p]);
		put_i64(w, a->pt[p].first);
		put_i64(w, a->pt[p].last);
		put_u64(w, a->pt[p].timed);
		put_u32(w, a->pt[p].hours != NULL);
		if (a->pt[p].hours)
			put_topk(w, a->pt[p].hours, &io_i64);
	}
	put_u64(w, a->calls_with_final);
	put_u64(w, a->scanner_ua_no_src);
	put_u64(w, a->scanner_ua_no_src_ok);
	fold_tables(a, t, io);
	for (int i = 0; i < FOLD_TABLES; i++)
		put_topk(w, t[i], io[i]);
	put_peak(w, &a->open_time);
	put_peak(w, &a->open_seq);
	uint64_t *own[OWN_FIELDS];
	own_fields(a, own);
	for (int i = 0; i < OWN_FIELDS; i++)
		put_u64(w, *own[i]);
}

static void get_fold(struct rd *r, const struct remap *m, struct fold *a)
{
	struct topk *t[FOLD_TABLES];
	const struct rec_io *io[FOLD_TABLES];
	struct dist *d[FOLD_DISTS];
	unsigned ex = a->o.examples;

	int64_t since = a->acc.since, until = a->acc.until;
	acc_fields(&a->acc, field_get, r);
	a->acc.since = since;
	a->acc.until = until;
	fold_dists(a, d);
	for (int i = 0; i < FOLD_DISTS && !r->bad; i++)
		get_dist(r, d[i]);
	a->duration_sum = get_i64(r);
	for (int p = 0; p < PAT_COUNT && !r->bad; p++) {
		get_examples(r, m, &a->ex[p], ex);
		a->pat_count[p] = get_u64(r);
		a->pt[p].first = get_i64(r);
		a->pt[p].last = get_i64(r);
		if (!time_ok(a->pt[p].first) || !time_ok(a->pt[p].last))
			rd_fail(r, "a problem's times are not times siplogscan keeps");
		a->pt[p].timed = get_u64(r);
		if (get_u32(r)) {
			a->pt[p].hours = topk_new(REPORT_PROBLEM_HOURS_CAP, sizeof(int64_t), NULL);
			get_topk(r, m, a->pt[p].hours, &io_i64, ex);
		}
	}
	a->calls_with_final = get_u64(r);
	a->scanner_ua_no_src = get_u64(r);
	a->scanner_ua_no_src_ok = get_u64(r);
	fold_tables(a, t, io);
	for (int i = 0; i < FOLD_TABLES && !r->bad; i++)
		get_topk(r, m, t[i], io[i], ex);
	get_peak(r, &a->open_time);
	/* by message number: only for a log in which no call has a time, whose calls are all in
	 * the heads (docs/state.md); kept as written */
	get_peak(r, &a->open_seq);
	uint64_t *own[OWN_FIELDS];
	own_fields(a, own);
	for (int i = 0; i < OWN_FIELDS; i++)
		*own[i] = get_u64(r);
}

/* ---- the calls open at the end, and the head */

static size_t call_strs_len(const struct call *c)
{
	size_t n = 0;

	for (int i = 0; i < STR_COUNT; i++)
		n += call_str_len(c, (enum call_str)i);
	return n;
}

static void put_call(struct buf *w, const struct call *c)
{
	put(w, c, sizeof(*c));
	put(w, c->key, c->key_len);
	put(w, c->strs, call_strs_len(c));
}

static struct call *get_call(struct rd *r, const struct remap *m)
{
	struct call t;

	if (get(r, &t, sizeof(t)) < 0)
		return NULL;
	size_t slen = call_strs_len(&t);
	int bad_len = 0;
	for (int i = 0; i < STR_COUNT; i++)
		bad_len |= call_str_len(&t, (enum call_str)i) > CALL_STR_MAX;
	/* the fields that index tables when the call settles (fold.c) */
	if (t.final_code >= REPORT_CODES || t.out_code >= REPORT_CODES ||
	    t.chal_code >= REPORT_CODES || t.reg_code >= REPORT_CODES ||
	    t.imethod >= METHOD_COUNT || t.pa.method >= METHOD_COUNT ||
	    t.pa.pre_method >= METHOD_COUNT || t.wa.method >= METHOD_COUNT ||
	    t.wa.pre_method >= METHOD_COUNT || t.trying_state > 2)
		bad_len = 1;
	/* its times (state.c time_ok()) */
	const int64_t times[] = { t.open_first, t.open_last, t.last_time, t.trying_time,
				  t.first_inv, t.first_reg, t.srd_time, t.reg_time, t.answer_time,
				  t.bye_time, t.start_time, t.pdd_start, t.setup_time, t.ring_end,
				  t.first_req, t.pa.chal_time, t.pa.pre_time, t.wa.chal_time,
				  t.wa.pre_time };
	for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++)
		bad_len |= !time_ok(times[i]);
	bad_len |= !span_ok(t.final_delay) || !span_ok(t.pa.retry_delay) ||
		   !span_ok(t.wa.retry_delay);
	if (t.key_len > MAX_KEY || t.list > 2 || bad_len ||
	    (size_t)t.key_len + slen > r->n - r->pos) {
		rd_fail(r, "an open call is not one siplogscan writes");
		return NULL;
	}
	struct call *c = xcalloc(1, call_size(t.key_len));
	memcpy(c, &t, sizeof(t));
	c->prev = c->next = NULL;
	get(r, c->key, t.key_len);
	c->key[t.key_len] = '\0';
	c->strs = slen ? slen <= CALL_INLINE ? call_room(c) : xmalloc(slen) : NULL;
	if (slen)
		get(r, c->strs, slen);
	remap_pos(r, m, &c->first_file, &c->first_line);
	c->first_seq += m->seq_off;
	c->last_seq += m->seq_off;
	return c;
}

/* ---- the inputs */

struct state_file {
	struct report_file rf;
	uint64_t dev, ino, size;
	struct state_range range;
};

static void put_file(struct buf *w, const struct report_file *f, const struct state_range *rg)
{
	struct stat st;
	uint64_t dev = 0, ino = 0, size = 0;

	if (rg->have_id) {
		dev = rg->dev;
		ino = rg->ino;
		size = rg->size;
	} else if (strcmp(f->path, "-") != 0 && stat(f->path, &st) == 0) {
		dev = (uint64_t)st.st_dev;
		ino = (uint64_t)st.st_ino;
		size = (uint64_t)st.st_size;
	}
	put_cstr(w, f->path);
	put_cstr(w, f->format);
	put_u32(w, f->gives);
	put_u32(w, (uint32_t)f->format_auto);
	put_u32(w, (uint32_t)f->gzip);
	put_u64(w, f->bytes);
	put_u64(w, f->stored_bytes);
	put_u64(w, f->lines);
	put_u64(w, f->records);
	put_u64(w, f->incomplete);
	put_u64(w, f->lines_cut);
	put_u64(w, f->match_limited);
	put_i64(w, f->first_time);
	put_i64(w, f->last_time);
	put_u32(w, (uint32_t)f->status);
	put_cstr(w, f->error);
	put_cstr(w, f->note);
	put_u64(w, dev);
	put_u64(w, ino);
	put_u64(w, size);
	put_u64(w, rg->start);
	put_u64(w, rg->end);
}

/* The format names the merged report points at (report_file.format is not owned). */
static struct arena names;

static const char *intern_name(const char *s)
{
	if (!s)
		return NULL;
	for (int i = 0; profile_builtin_names[i]; i++)
		if (strcmp(s, profile_builtin_names[i]) == 0)
			return profile_builtin_names[i];
	return arena_dup(&names, s, strlen(s) + 1);
}

static void get_file(struct rd *r, struct state_file *f)
{
	memset(f, 0, sizeof(*f));
	f->rf.path = get_str(r, NULL, 1 << 16);
	char *format = get_str(r, NULL, 1 << 12);
	f->rf.format = intern_name(format);
	free(format);
	f->rf.gives = get_u32(r);
	f->rf.format_auto = (int)get_u32(r);
	f->rf.gzip = (int)get_u32(r);
	f->rf.bytes = get_u64(r);
	f->rf.stored_bytes = get_u64(r);
	f->rf.lines = get_u64(r);
	f->rf.records = get_u64(r);
	f->rf.incomplete = get_u64(r);
	f->rf.lines_cut = get_u64(r);
	f->rf.match_limited = get_u64(r);
	f->rf.first_time = get_i64(r);
	f->rf.last_time = get_i64(r);
	if (!time_ok(f->rf.first_time) || !time_ok(f->rf.last_time))
		rd_fail(r, "an input's times are not times siplogscan keeps");
	uint32_t status = get_u32(r);
	f->rf.error = get_str(r, NULL, 1 << 16);
	f->rf.note = get_str(r, NULL, 1 << 16);
	f->dev = get_u64(r);
	f->ino = get_u64(r);
	f->size = get_u64(r);
	f->range.start = get_u64(r);
	f->range.end = get_u64(r);
	if (!f->rf.path || status > FILE_UNRECOGNISED || f->range.start > f->range.end)
		rd_fail(r, "an input is not one siplogscan writes");
	f->rf.status = (enum file_status)status;
}

static void release_file(struct state_file *f)
{
	free(f->rf.path);
	free(f->rf.error);
	free(f->rf.note);
}

/* ---- one whole state */

static void opts_of(struct state_opts *s, const struct analysis_opts *o)
{
	memset(s, 0, sizeof(*s));
	s->call_timeout_s = o->call_timeout_s;
	s->ring_timeout_s = o->ring_timeout_s;
	s->session_timeout_s = o->session_timeout_s;
	s->slow_setup_s = o->slow_setup_s;
	s->examples = o->examples;
	s->scanner_threshold = o->scanner_threshold;
	s->top = o->top;
	s->max_calls = o->max_calls;
	/* as analysis_new() takes them */
	if (s->ring_timeout_s < s->call_timeout_s)
		s->ring_timeout_s = s->call_timeout_s;
	if (s->session_timeout_s < s->call_timeout_s)
		s->session_timeout_s = s->call_timeout_s;
	if (s->examples > REPORT_MAX_EXAMPLES)
		s->examples = REPORT_MAX_EXAMPLES;
	if (!s->top)
		s->top = 10;
	if (!s->max_calls)
		s->max_calls = ANALYSIS_MAX_CALLS;
	s->window = o->window;
	s->since = o->window ? o->since : TIME_UNKNOWN;
	s->until = o->window ? o->until : TIME_UNKNOWN;
	snprintf(s->tz, sizeof(s->tz), "%s", tz_name());
}

static void put_opts(struct buf *w, const struct state_opts *s)
{
	put_f64(w, s->call_timeout_s);
	put_f64(w, s->ring_timeout_s);
	put_f64(w, s->session_timeout_s);
	put_f64(w, s->slow_setup_s);
	put_u32(w, s->examples);
	put_u32(w, s->scanner_threshold);
	put_u32(w, s->top);
	put_u64(w, s->max_calls);
	put_u32(w, (uint32_t)s->window);
	put_i64(w, s->since);
	put_i64(w, s->until);
	put_cstr(w, s->tz);
}

static void get_opts(struct rd *r, struct state_opts *s)
{
	memset(s, 0, sizeof(*s));
	s->call_timeout_s = get_f64(r);
	s->ring_timeout_s = get_f64(r);
	s->session_timeout_s = get_f64(r);
	s->slow_setup_s = get_f64(r);
	s->examples = get_u32(r);
	s->scanner_threshold = get_u32(r);
	s->top = get_u32(r);
	s->max_calls = get_u64(r);
	s->window = (int32_t)get_u32(r);
	s->since = get_i64(r);
	s->until = get_i64(r);
	if (!time_ok(s->since) || !time_ok(s->until))
		rd_fail(r, "its window is not one siplogscan keeps");
	char *tz = get_str(r, NULL, sizeof(s->tz) - 1);
	if (tz)
		memcpy(s->tz, tz, strlen(tz) + 1);
	free(tz);
	/* within the ranges the command line takes (main.c): a damaged value would overflow the
	 * microseconds the analysis keeps */
	double week = 604800;
	if (!(s->call_timeout_s > 0 && s->call_timeout_s <= week) ||
	    !(s->ring_timeout_s > 0 && s->ring_timeout_s <= week) ||
	    !(s->session_timeout_s > 0 && s->session_timeout_s <= week) ||
	    !(s->slow_setup_s >= 0 && s->slow_setup_s <= 86400) ||
	    s->examples > REPORT_MAX_EXAMPLES || !s->top || s->top > 10000 ||
	    s->scanner_threshold > 1000000 || !s->max_calls || s->max_calls > 100000000 ||
	    !s->tz[0])
		rd_fail(r, "its options are not ones siplogscan runs with");
}

const char *state_host_invalid(const char *name)
{
	size_t n = strlen(name);

	if (!n || n > STATE_HOST_MAX)
		return "expected 1 to 64 bytes";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '-' || c == '_'))
			return "expected letters, digits, '.', '-' and '_' only (a host name)";
	}
	return NULL;
}

int state_write(const char *path, const struct analysis_part *p, const struct report *rep,
		const struct state_range *ranges, const struct analysis_opts *o,
		const char *host)
{
	struct buf w = {0};
	struct state_opts so;
	uint8_t id[16];

	if (p->head_over) {
		err_msg("%s: the head of this shard (the messages of calls that may have "
			"begun in the shard before it) holds over %zu MiB: cut the archive into "
			"longer shards, or give a shorter --session-timeout",
			caller ? caller : "--state-out", STATE_HEAD_MAX_BYTES >> 20);
		return -1;
	}
	random_seed(id, sizeof(id));
	put(&w, id, sizeof(id));
	put_u64(&w, p->seq);
	put_i64(&w, p->now);
	put_i64(&w, p->first_time);
	put_str(&w, host, host ? strlen(host) : 0);
	opts_of(&so, o);
	put_opts(&w, &so);
	put_u32(&w, (uint32_t)rep->nfiles);
	for (size_t k = 0; k < rep->nfiles; k++)
		put_file(&w, &rep->files[k], &ranges[k]);
	put_fold(&w, p->fold);
	put_u64(&w, p->nopen);
	for (size_t i = 0; i < p->nopen; i++)
		put_call(&w, p->open[i]);
	put_u64(&w, p->nhead);
	put(&w, p->head, p->nhead * sizeof(*p->head));
	put_u64(&w, p->slen);
	put(&w, p->str, p->slen);

	/* the envelope: header, the body deflated, the checksum */
	struct buf f = {0};
	uLongf zlen = compressBound((uLong)w.len);
	put(&f, STATE_MAGIC, 8);
	put_u32(&f, STATE_VERSION);
	put_u32(&f, layout_word());
	put_u64(&f, 0);			/* the body's length as stored, below */
	put_u64(&f, w.len);
	buf_grow(&f, (size_t)zlen + 4);
	if (compress2((Bytef *)f.p + HEADER_LEN, &zlen, (const Bytef *)w.p, (uLong)w.len,
		      1) != Z_OK) {
		err_msg("%s: '%s': the state could not be compressed",
			caller ? caller : "--state-out", path);
		buf_free(&w);
		buf_free(&f);
		return -1;
	}
	buf_free(&w);
	f.len = HEADER_LEN + (size_t)zlen;
	uint64_t stored = (uint64_t)zlen;
	memcpy(f.p + 16, &stored, 8);
	uint32_t crc = (uint32_t)crc32(0, NULL, 0);
	for (size_t off = 0; off < f.len;) {
		size_t n = f.len - off > (1u << 30) ? (1u << 30) : f.len - off;
		crc = (uint32_t)crc32(crc, (const unsigned char *)f.p + off, (unsigned)n);
		off += n;
	}
	put_u32(&f, crc);
	struct output_file *of = output_open(path, caller ? caller : "--state-out");
	int rc = of ? 0 : -1;
	if (of) {
		output_append(of, f.p, f.len);
		rc = output_commit(of);
	}
	buf_free(&f);
	return rc < 0 ? -1 : 0;
}

/* ---- merge */

struct state {
	const char *path;
	unsigned char *data;
	size_t len;
	unsigned char *raw;		/* the body inflated */
	struct rd r;			/* over raw */
	uint8_t id[16];
	uint64_t seq;
	int64_t now, first_time;
	char *host;			/* --host; NULL: not named */
	struct state_opts so;
	uint32_t nfiles;
	struct state_file *files;
	size_t group;			/* merge: its host's group, 0.. in order of appearance */
};

static int state_error(const char *path, const char *what)
{
	err_msg("%s: '%s' %s", caller ? caller : "merge", path, what);
	return -1;
}

/* Read a whole file into memory (a state is read once, whole). */
static int slurp(const char *path, unsigned char **data, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;

	if (fd < 0 || fstat(fd, &st) < 0) {
		err_errno("%s: cannot read '%s'", caller ? caller : "merge", path);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return state_error(path, "is not a state file (not a regular file)");
	}
	size_t cap = (size_t)st.st_size + 1, n = 0;
	unsigned char *p = xmalloc(cap);
	for (;;) {
		if (n == cap) {
			cap *= 2;
			p = xrealloc(p, cap);
		}
		ssize_t k = read(fd, p + n, cap - n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			err_errno("%s: cannot read '%s'", caller ? caller : "merge", path);
			free(p);
			close(fd);
			return -1;
		}
		if (k == 0)
			break;
		n += (size_t)k;
	}
	close(fd);
	*data = p;
	*len = n;
	return 0;
}

/* The envelope: magic, version, length, checksum, layout; then the run, options, inputs. */
static int state_open(struct state *s, const char *path)
{
	char msg[256];

	memset(s, 0, sizeof(*s));
	s->path = path;
	if (slurp(path, &s->data, &s->len) < 0)
		return -1;
	if (s->len < 8 || memcmp(s->data, STATE_MAGIC, 8) != 0)
		return state_error(path, "is not a siplogscan state file (no SLSSTATE magic at "
				   "its start): give the files that 'siplogscan --state-out' "
				   "wrote");
	if (s->len < 12)
		return state_error(path, "is truncated: it ends inside its header");
	uint32_t version, layout;
	uint64_t body, raw_len;
	memcpy(&version, s->data + 8, 4);
	if (version != STATE_VERSION) {
		snprintf(msg, sizeof(msg), "is a state of version %u; this siplogscan reads "
			 "version %u only: merge states with the siplogscan that wrote them",
			 version, STATE_VERSION);
		return state_error(path, msg);
	}
	if (s->len < HEADER_LEN + 4)
		return state_error(path, "is truncated: it ends inside its header");
	memcpy(&layout, s->data + 12, 4);
	memcpy(&body, s->data + 16, 8);
	memcpy(&raw_len, s->data + 24, 8);
	if (body != s->len - HEADER_LEN - 4) {
		snprintf(msg, sizeof(msg), "is truncated or has bytes added: %zu bytes, its header "
			 "says %llu (write it again with --state-out)", s->len,
			 (unsigned long long)(body + HEADER_LEN + 4));
		return state_error(path, msg);
	}
	uint32_t crc, want;
	memcpy(&want, s->data + s->len - 4, 4);
	crc = (uint32_t)crc32(0, NULL, 0);
	for (size_t off = 0; off < s->len - 4;) {
		size_t n = s->len - 4 - off > (1u << 30) ? (1u << 30) : s->len - 4 - off;
		crc = (uint32_t)crc32(crc, s->data + off, (unsigned)n);
		off += n;
	}
	if (crc != want)
		return state_error(path, "is damaged: its checksum (CRC-32) does not match its "
				   "contents (write it again with --state-out)");
	if (layout != layout_word())
		return state_error(path, "was written by a siplogscan built differently (another "
				   "version or machine): merge states with the siplogscan that "
				   "wrote them");
	uLongf got = (uLongf)raw_len;
	if (raw_len > body * MAX_RATIO + 64 || raw_len > SIZE_MAX / 2 ||
	    !(s->raw = malloc(raw_len ? (size_t)raw_len : 1)) ||
	    uncompress(s->raw, &got, s->data + HEADER_LEN, (uLong)body) != Z_OK ||
	    got != raw_len)
		return state_error(path, "is damaged: its body does not inflate to the length its "
				   "header says");
	s->r = (struct rd){ s->raw, (size_t)raw_len, 0, 0, NULL };
	get(&s->r, s->id, sizeof(s->id));
	s->seq = get_u64(&s->r);
	s->now = get_i64(&s->r);
	s->first_time = get_i64(&s->r);
	if (!time_ok(s->now) || !time_ok(s->first_time))
		rd_fail(&s->r, "its clock is not a time siplogscan keeps");
	size_t hlen;
	s->host = get_str(&s->r, &hlen, STATE_HOST_MAX);
	if (!s->r.bad && s->host && (hlen != strlen(s->host) || state_host_invalid(s->host)))
		rd_fail(&s->r, "its host name is not one --host takes");
	get_opts(&s->r, &s->so);
	s->nfiles = get_u32(&s->r);
	if (s->nfiles > (s->r.n - s->r.pos) / 8) {
		rd_fail(&s->r, "it lists more inputs than it holds");
		s->nfiles = 0;
	}
	s->files = xcalloc(s->nfiles ? s->nfiles : 1, sizeof(*s->files));
	for (uint32_t k = 0; k < s->nfiles && !s->r.bad; k++)
		get_file(&s->r, &s->files[k]);
	if (s->r.bad) {
		snprintf(msg, sizeof(msg), "is damaged: %s", s->r.why);
		return state_error(path, msg);
	}
	return 0;
}

static void state_close(struct state *s)
{
	for (uint32_t k = 0; k < s->nfiles; k++)
		release_file(&s->files[k]);
	free(s->files);
	free(s->data);
	free(s->raw);
	free(s->host);
	memset(s, 0, sizeof(*s));
}

/* The option of a state that differs from the first's, by its name; NULL when none. */
static const char *opts_differ(const struct state_opts *a, const struct state_opts *b,
			       unsigned given)
{
	if (a->call_timeout_s != b->call_timeout_s || a->ring_timeout_s != b->ring_timeout_s)
		return "--call-timeout";
	if (a->session_timeout_s != b->session_timeout_s)
		return "--session-timeout";
	if (a->slow_setup_s != b->slow_setup_s)
		return "--slow-setup";
	if (a->examples != b->examples)
		return "--examples";
	if (a->scanner_threshold != b->scanner_threshold)
		return "--scanner-threshold";
	if (a->max_calls != b->max_calls)
		return "--max-calls";
	if (a->window != b->window || a->since != b->since || a->until != b->until)
		return "--since/--until";
	if (strcmp(a->tz, b->tz) != 0)
		return "--tz";
	if ((given & STATE_GIVEN_TOP) && a->top != b->top)
		return "--top";
	return NULL;
}

/* Two inputs overlap: the same file (device and inode) and byte ranges that meet. */
static int overlap(const struct state_file *a, const struct state_file *b)
{
	if (!a->ino || a->dev != b->dev || a->ino != b->ino)
		return 0;
	return a->range.start < b->range.end && b->range.start < a->range.end;
}

/* The merged run's inputs: a file cut into ranges is one input, its lines counted on. */
struct merged_files {
	struct report_file *rf;
	struct state_file *last;	/* the identity and range of each merged input */
	size_t n, cap;
	size_t floor;			/* the first input of the host being merged: no range
					 * of a file before it goes on in it */
	const char *host;		/* that host's name; NULL: not named */
	const char **fhost;		/* each input's host (the report names it HOST:PATH) */
};

static uint32_t add_file(struct merged_files *mf, const struct state_file *f, uint64_t *line_off)
{
	/* the input whose range this one follows: the one before it in an archive cut into
	 * shards; any earlier one in a history's night, whose runs each read every file. Only
	 * among the inputs of the host being merged (from floor): another host's file is
	 * another file */
	for (size_t i = mf->n; f->ino && i-- > mf->floor;) {
		struct report_file *d = &mf->rf[i];
		struct state_file *l = &mf->last[i];
		if (l->dev == f->dev && l->ino == f->ino && l->range.end == f->range.start) {
			/* the next range of the same file */
			*line_off = d->lines;
			d->bytes += f->rf.bytes;
			d->lines += f->rf.lines;
			d->records += f->rf.records;
			d->incomplete += f->rf.incomplete;
			d->lines_cut += f->rf.lines_cut;
			d->match_limited += f->rf.match_limited;
			d->stored_bytes += f->rf.stored_bytes;
			/* a file's first and last times are its first and last records' */
			if (d->first_time == TIME_UNKNOWN)
				d->first_time = f->rf.first_time;
			if (f->rf.last_time != TIME_UNKNOWN)
				d->last_time = f->rf.last_time;
			if (f->rf.status > d->status)
				d->status = f->rf.status;
			if (!d->format)
				d->format = f->rf.format, d->gives = f->rf.gives;
			if (!d->error && f->rf.error)
				d->error = xstrndup(f->rf.error, strlen(f->rf.error));
			if (!d->note && f->rf.note)
				d->note = xstrndup(f->rf.note, strlen(f->rf.note));
			l->range.end = f->range.end;
			return (uint32_t)i;
		}
	}
	if (mf->n == mf->cap) {
		mf->cap = mf->cap ? mf->cap * 2 : 16;
		mf->rf = xrealloc(mf->rf, mf->cap * sizeof(*mf->rf));
		mf->last = xrealloc(mf->last, mf->cap * sizeof(*mf->last));
		mf->fhost = xrealloc(mf->fhost, mf->cap * sizeof(*mf->fhost));
	}
	struct report_file *d = &mf->rf[mf->n];
	*d = f->rf;
	d->path = xstrndup(f->rf.path, strlen(f->rf.path));
	mf->fhost[mf->n] = mf->host;
	d->error = f->rf.error ? xstrndup(f->rf.error, strlen(f->rf.error)) : NULL;
	d->note = f->rf.note ? xstrndup(f->rf.note, strlen(f->rf.note)) : NULL;
	mf->last[mf->n] = *f;
	mf->last[mf->n].rf = (struct report_file){ 0 };
	*line_off = 0;
	return (uint32_t)mf->n++;
}

/* The messages of a head, through the merged call table. */
static void replay_head(struct rd *r, const struct remap *m, struct analysis *an)
{
	uint64_t n = get_u64(r);

	if (n > (r->n - r->pos) / sizeof(struct head_event)) {
		rd_fail(r, "its head lists more messages than it holds");
		return;
	}
	const unsigned char *hp = r->p + r->pos;
	r->pos += n * sizeof(struct head_event);
	uint64_t slen = get_u64(r);
	if (r->bad || slen > r->n - r->pos) {
		rd_fail(r, "its head's strings end past the file");
		return;
	}
	const char *str = (const char *)r->p + r->pos;
	r->pos += slen;
	for (uint64_t i = 0; i < n && !r->bad; i++) {
		struct head_event h;
		memcpy(&h, hp + i * sizeof(h), sizeof(h));
		uint64_t need = (uint64_t)h.callid_len + h.src_len + h.ua_len + h.ruri_len;
		if (h.str > slen || need > slen - h.str || !h.callid_len ||
		    h.method >= METHOD_COUNT || h.cseq_method >= METHOD_COUNT ||
		    h.status >= REPORT_CODES || !time_ok(h.time_us) || !time_ok(h.clock)) {
			rd_fail(r, "a message of its head is not one siplogscan writes");
			break;
		}
		struct event ev = { 0 };
		ev.time_us = h.time_us;
		ev.flags = h.flags;
		ev.method = (enum sip_method)h.method;
		ev.status = h.status;
		ev.cseq = h.cseq;
		ev.cseq_method = (enum sip_method)h.cseq_method;
		ev.auth = h.auth;
		const char *p = str + h.str;
		ev.callid = (struct str){ p, h.callid_len };
		p += h.callid_len;
		ev.src = (struct str){ p, h.src_len };
		p += h.src_len;
		ev.ua = (struct str){ p, h.ua_len };
		p += h.ua_len;
		ev.ruri = (struct str){ p, h.ruri_len };
		ev.file = h.file;
		ev.line = h.line;
		remap_pos(r, m, &ev.file, &ev.line);
		if (!r->bad)
			analysis_replay(an, &ev, h.clock, h.seq + m->seq_off);
	}
}

/*
 * merge --state-out: the states merged into one, itself a state (merging is associative):
 * its head is the messages that would be the head of one shard of all of their inputs (the
 * first state's, and the later ones' within its window: analysis_replay() keeps them), its
 * open calls those still open at the end, its aggregates everything else.
 */
static int write_merged(const char *path, struct analysis *an, struct fold *into,
			const struct merged_files *mf, uint64_t seq, const struct analysis_opts *o,
			const char *host)
{
	struct analysis_part part;
	struct report r = { 0 };
	struct state_range *rg = xcalloc(mf->n ? mf->n : 1, sizeof(*rg));

	analysis_part_end(an, &part);
	fold_merge(into, part.fold);
	fold_free(part.fold);
	part.fold = into;
	part.seq = seq;
	for (size_t k = 0; k < mf->n; k++) {
		const struct state_file *l = &mf->last[k];
		rg[k] = l->range;
		/* the identity the states read it under: the path may name another file now */
		rg[k].have_id = 1;
		rg[k].dev = l->dev;
		rg[k].ino = l->ino;
		rg[k].size = l->size;
	}
	r.files = mf->rf;
	r.nfiles = mf->n;
	int rc = state_write(path, &part, &r, rg, o, host);
	analysis_part_release(&part);
	free(rg);
	return rc;
}

/*
 * state_carry(): the calls still open at the end, in a state of their own (state.h). The
 * heads were replayed (opts.state 0), so every call that may go on is among them.
 */
static int write_carry(const char *path, struct analysis *an, const struct merged_files *mf,
		       uint64_t seq, const struct analysis_opts *o)
{
	struct analysis_part part;
	struct report r = { 0 };
	size_t n = mf->n;
	struct state_range *rg = xcalloc(n ? n : 1, sizeof(*rg));
	struct report_file *rf = xcalloc(n ? n : 1, sizeof(*rf));

	uint32_t *slot = xcalloc(n ? n : 1, sizeof(*slot));
	size_t used = 0;

	analysis_part_end(an, &part);
	fold_free(part.fold);
	part.fold = fold_new(o);	/* the aggregates were the night's: reported there */
	part.seq = seq;
	/* A call belongs to the night it started in, as to the --since/--until window it
	 * started in (fold.h): that night's report counted it, settled as it stood at the end.
	 * Carried, it is followed only so that its later messages (the 200, the BYE after
	 * midnight) are known as its own, not as calls without an INVITE, and counted nowhere
	 * (CALL_BEFORE): the nights' figures add up, no call in two. A call without a time can
	 * never be known to have ended: it is not carried at all. */
	size_t kept = 0;
	for (size_t i = 0; i < part.nopen; i++) {
		if (part.open[i]->last_time == TIME_UNKNOWN) {
			call_free(part.open[i]);
		} else {
			part.open[i]->flags |= CALL_BEFORE;
			part.open[kept++] = part.open[i];
		}
	}
	part.nopen = kept;
	/* only the inputs an open call starts in, renumbered: the next night's report lists
	 * them (with nothing read) */
	for (size_t i = 0; i < part.nopen; i++)
		if (part.open[i]->first_file < n)
			slot[part.open[i]->first_file] = 1;
	for (size_t k = 0; k < n; k++) {
		if (!slot[k])
			continue;
		const struct state_file *l = &mf->last[k];
		const struct report_file *f = &mf->rf[k];
		slot[k] = (uint32_t)used;
		rg[used] = (struct state_range){ l->range.end, l->range.end, 1, l->dev, l->ino,
						 l->size };
		rf[used++] = (struct report_file){ .path = f->path, .format = f->format,
						   .gives = f->gives,
						   .format_auto = f->format_auto, .gzip = f->gzip,
						   .status = FILE_OK, .first_time = TIME_UNKNOWN,
						   .last_time = TIME_UNKNOWN };
	}
	for (size_t i = 0; i < part.nopen; i++)
		if (part.open[i]->first_file < n)
			part.open[i]->first_file = slot[part.open[i]->first_file];
	free(slot);
	r.files = rf;
	r.nfiles = used;
	int rc = state_write(path, &part, &r, rg, o, mf->host);
	analysis_part_release(&part);
	free(rf);
	free(rg);
	return rc;
}

int state_check_opts(const char *path, const struct analysis_opts *o, const char *host,
		     const char **differs)
{
	struct state s;
	struct state_opts want;

	*differs = NULL;
	if (state_open(&s, path) < 0) {
		state_close(&s);
		return -1;
	}
	opts_of(&want, o);
	*differs = opts_differ(&s.so, &want, 0);
	if (!*differs && (!s.host != !host || (host && strcmp(s.host, host) != 0)))
		*differs = "--host";
	state_close(&s);
	return 0;
}

static int merge_states(char *const *paths, size_t n, struct analysis_opts *o, unsigned given,
			const char *tz, const char *state_out, const char *carry_out,
			struct report *rep);

/* Host row r of a host's merged states: into is their fold, settled (analysis_merge_end()),
 * their inputs mf->rf[mf->floor ..]; as main.c hosts_report() and fold_hosts() give a host's
 * row in one run. Shared stays 0: this host's call table is its own. */
static void host_row_of(struct host_row *r, const struct fold *into,
			const struct merged_files *mf)
{
	*r = into->own;
	r->shared = 0;
	r->name_len = strlen(mf->host);
	r->name = xstrndup(mf->host, r->name_len);
	r->files = r->bytes = r->stored_bytes = r->records = 0;
	host_row_add_files(r, mf->rf + mf->floor, mf->n - mf->floor);
}

/* The rows in the byte order of the hosts' names, as hosts_assign() orders the hosts. */
static int cmp_row_name(const void *x, const void *y)
{
	const struct host_row *a = x, *b = y;

	return strcmp(a->name, b->name);
}

int state_merge(char *const *paths, size_t n, struct analysis_opts *o, unsigned given,
		const char *tz, const char *state_out, struct report *rep)
{
	return merge_states(paths, n, o, given, tz, state_out, NULL, rep);
}

int state_carry(char *const *paths, size_t n, struct analysis_opts *o, const char *out)
{
	return merge_states(paths, n, o, 0, NULL, NULL, out, NULL);
}

/*
 * merge_states(): state s into the host being merged - its inputs after mf's, its aggregates
 * into *into (the first state's become it), its open calls adopted and its head replayed by
 * an, the host's clock and the message numbers moved on. -1 after a message (out of order,
 * damaged).
 */
static int merge_one(struct state *s, struct merged_files *mf, struct analysis *an,
		     const struct analysis_opts *o, uint64_t *seq_off, struct fold **into,
		     int64_t *clock, int *have_first)
{
	char msg[512];

	mf->host = s->host;
	if (*clock != TIME_UNKNOWN && s->first_time != TIME_UNKNOWN &&
	    s->first_time + STATE_HEAD_SLACK_US < *clock) {
		char t1[TIME_LOCAL_MAX], t2[TIME_LOCAL_MAX];
		snprintf(msg, sizeof(msg), "starts at %s, more than a minute before the "
			 "states before it end (%s): merge needs the states in the "
			 "order of the archive, each later than the one before%s",
			 time_format_local(s->first_time, t1),
			 time_format_local(*clock, t2), s->host ? "" :
			 " (the logs of proxies side by side: scan each proxy's "
			 "with --host NAME)");
		state_error(s->path, msg);
		return -1;
	}
	uint32_t *gfile = xcalloc(s->nfiles ? s->nfiles : 1, sizeof(*gfile));
	uint64_t *loff = xcalloc(s->nfiles ? s->nfiles : 1, sizeof(*loff));
	for (uint32_t k = 0; k < s->nfiles; k++)
		gfile[k] = add_file(mf, &s->files[k], &loff[k]);
	struct remap m = { gfile, loff, s->nfiles, *seq_off };
	struct fold *f = fold_new(o);
	get_fold(&s->r, &m, f);
	if (!*have_first && s->first_time != TIME_UNKNOWN) {
		analysis_set_first_time(an, s->first_time);
		*have_first = 1;
	}
	if (!s->r.bad) {
		uint64_t nopen = get_u64(&s->r);
		if (nopen > (s->r.n - s->r.pos) / sizeof(struct call)) {
			rd_fail(&s->r, "it lists more open calls than it holds");
			nopen = 0;
		}
		struct call **open = xcalloc(nopen ? nopen : 1, sizeof(*open));
		uint64_t got = 0;
		for (; got < nopen && !s->r.bad; got++)
			if (!(open[got] = get_call(&s->r, &m)))
				break;
		replay_head(&s->r, &m, an);
		if (!s->r.bad && s->r.pos != s->r.n)
			rd_fail(&s->r, "it holds bytes past its last record");
		if (!s->r.bad) {
			analysis_part_clock(an, s->now);
			for (uint64_t k = 0; k < got; k++)
				analysis_adopt(an, open[k]);
		} else {
			for (uint64_t k = 0; k < got; k++)
				if (open[k])
					call_free(open[k]);
		}
		free(open);
	}
	free(gfile);
	free(loff);
	if (s->r.bad) {
		fold_free(f);
		snprintf(msg, sizeof(msg), "is damaged: %s", s->r.why);
		state_error(s->path, msg);
		return -1;
	}
	if (!*into) {
		*into = f;
	} else {
		fold_merge(*into, f);
		fold_free(f);
	}
	if (s->now != TIME_UNKNOWN && (*clock == TIME_UNKNOWN || s->now > *clock))
		*clock = s->now;
	*seq_off += s->seq;
	free(s->data);
	free(s->raw);
	s->data = s->raw = NULL;
	return 0;
}

static int merge_states(char *const *paths, size_t n, struct analysis_opts *o, unsigned given,
			const char *tz, const char *state_out, const char *carry_out,
			struct report *rep)
{
	struct state *st = xcalloc(n, sizeof(*st));
	struct merged_files mf = { 0 };
	struct fold *into = NULL;
	struct analysis *an = NULL;
	int rc = -1;
	char msg[512];
	uint64_t seq_off = 0;
	int64_t clock = TIME_UNKNOWN;
	int have_first = 0;
	size_t ngroups = 0;
	struct fold *fleet = NULL;	/* several hosts: their merged aggregates, added */
	struct host_row *rows = NULL;	/* every state names its host: a row per host */
	int named = n > 0;

	arena_free(&names);
	/* every envelope, the options and the inputs first: a mismatch costs no merging */
	for (size_t i = 0; i < n; i++) {
		if (state_open(&st[i], paths[i]) < 0)
			goto out;
		for (size_t j = 0; j < i; j++)
			if (memcmp(st[i].id, st[j].id, sizeof(st[i].id)) == 0) {
				snprintf(msg, sizeof(msg), "is the same state as '%s': each shard "
					 "must be merged once", paths[j]);
				state_error(paths[i], msg);
				goto out;
			}
		/* a host's group: the first state of the same host name (or of none) */
		st[i].group = ngroups;
		for (size_t j = 0; j < i; j++)
			if (st[j].host ? st[i].host && strcmp(st[j].host, st[i].host) == 0 :
					 !st[i].host) {
				st[i].group = st[j].group;
				break;
			}
		if (st[i].group == ngroups)
			ngroups++;
		named &= st[i].host != NULL;
		const char *d = i ? opts_differ(&st[0].so, &st[i].so, 0) : NULL;
		if (d) {
			snprintf(msg, sizeof(msg), "was written with another %s than '%s': states "
				 "merge only when the options that change the figures are the same",
				 d, paths[0]);
			state_error(paths[i], msg);
			goto out;
		}
		for (uint32_t k = 0; k < st[i].nfiles; k++)
			for (size_t j = 0; j <= i; j++)
				for (uint32_t l = 0; l < (j == i ? k : st[j].nfiles); l++)
					/* two hosts' files are two files, whatever their ids */
					if (st[j].group == st[i].group &&
					    overlap(&st[i].files[k], &st[j].files[l])) {
						snprintf(msg, sizeof(msg), "reads '%s', which "
							 "'%s' reads too (the same bytes of the "
							 "same file): nothing may be counted "
							 "twice", st[i].files[k].rf.path,
							 paths[j]);
						state_error(paths[i], msg);
						goto out;
					}
	}
	if ((state_out || carry_out) && ngroups > 1) {
		state_error(paths[0], "and the states after it are of several hosts (--host): "
			    "their merge is a report, not one state (merge each host's states "
			    "into a state of its own instead)");
		goto out;
	}
	/* the options merge was given must be the states' */
	struct state_opts want;
	opts_of(&want, o);
	if (tz)
		snprintf(want.tz, sizeof(want.tz), "%s", tz);
	const struct state_opts *s0 = &st[0].so;
	struct { unsigned bit; int same; const char *name; } chk[] = {
		{ STATE_GIVEN_CALL_TIMEOUT, want.call_timeout_s == s0->call_timeout_s,
		  "--call-timeout" },
		{ STATE_GIVEN_SESSION_TIMEOUT, want.session_timeout_s == s0->session_timeout_s,
		  "--session-timeout" },
		{ STATE_GIVEN_SLOW_SETUP, want.slow_setup_s == s0->slow_setup_s, "--slow-setup" },
		{ STATE_GIVEN_EXAMPLES, want.examples == s0->examples, "--examples" },
		{ STATE_GIVEN_SCANNER_THRESHOLD, want.scanner_threshold == s0->scanner_threshold,
		  "--scanner-threshold" },
		{ STATE_GIVEN_MAX_CALLS, want.max_calls == s0->max_calls, "--max-calls" },
		{ STATE_GIVEN_WINDOW, want.window == s0->window && want.since == s0->since &&
		  want.until == s0->until, "--since/--until" },
		{ STATE_GIVEN_TZ, strcmp(want.tz, s0->tz) == 0, "--tz" },
	};
	for (size_t k = 0; k < sizeof(chk) / sizeof(chk[0]); k++)
		if ((given & chk[k].bit) && !chk[k].same) {
			snprintf(msg, sizeof(msg), "was written with another %s than merge was "
				 "given: merge takes the states' options (leave it out, or scan "
				 "again with it)", chk[k].name);
			state_error(paths[0], msg);
			goto out;
		}
	if (tz_setup(s0->tz) != 0) {
		snprintf(msg, sizeof(msg), "was written in time zone '%s', which this machine "
			 "does not know", s0->tz);
		state_error(paths[0], msg);
		goto out;
	}
	o->call_timeout_s = s0->call_timeout_s;
	o->ring_timeout_s = s0->ring_timeout_s;
	o->session_timeout_s = s0->session_timeout_s;
	o->slow_setup_s = s0->slow_setup_s;
	o->examples = s0->examples;
	o->scanner_threshold = s0->scanner_threshold;
	if (!(given & STATE_GIVEN_TOP))
		o->top = s0->top;
	o->max_calls = s0->max_calls;
	o->window = s0->window;
	o->since = s0->since;
	o->until = s0->until;
	o->threads = 0;
	o->folds = 0;
	o->state = state_out != NULL;	/* the merged state keeps a head of its own */
	o->call_fn = NULL;
	o->seed = NULL;

	/* the by-host rows, as a run over the hosts' logs side by side gives them (main.c
	 * hosts_report()), when every state names its host: a state without one is of no host
	 * a row could name (any name, "-" too, may be a host's) */
	if (rep && named)
		rows = xcalloc(ngroups, sizeof(*rows));

	/* each host's states in the order given, as one archive; the hosts one after the other,
	 * side by side in log time: each its own call table, settled at its own end, its
	 * aggregates added to the others' */
	for (size_t g = 0; g < ngroups; g++) {
		an = analysis_new(o);
		clock = TIME_UNKNOWN;
		have_first = 0;
		into = NULL;
		mf.floor = mf.n;
		mf.host = NULL;
		for (size_t i = 0; i < n; i++) {
			struct state *s = &st[i];
			if (s->group != g)
				continue;
			if (merge_one(s, &mf, an, o, &seq_off, &into, &clock, &have_first) < 0)
				goto out;
		}
		if (!into)
			into = fold_new(o);
		if (state_out) {	/* one host (above) */
			rc = write_merged(state_out, an, into, &mf, seq_off, o,
					  mf.host);
			into = NULL;	/* the part had it */
			goto out;
		}
		if (carry_out) {	/* one host: a history's runs name none */
			rc = write_carry(carry_out, an, &mf, seq_off, o);
			goto out;
		}
		analysis_merge_end(an, into);
		analysis_free(an);
		an = NULL;
		if (rows)
			host_row_of(&rows[g], into, &mf);
		if (!fleet) {
			fleet = into;
		} else {
			fold_merge(fleet, into);
			fold_free(into);
		}
		into = NULL;
	}
	into = fleet ? fleet : fold_new(o);
	fleet = NULL;
	analysis_report(into, rep);
	if (rows) {
		qsort(rows, ngroups, sizeof(*rows), cmp_row_name);
		rep->hosts = rows;
		rep->nhosts = ngroups;
		rows = NULL;
		/* each host's own call table: a Call-ID two hosts logged is a call on each, and
		 * which were is not known (docs/state.md) */
		rep->callids_shared = 0;
		rep->shared_unknown = ngroups > 1;
	}
	/* several hosts: the inputs are HOST:PATH (the same path on two hosts is two files), no
	 * path the calls command could read; the hosts' calls were each host's own, as a run over
	 * them side by side (--host NAME=GLOB) keeps them. One host (its shards, its history's
	 * night): its paths as they are, which the calls command reads. */
	for (size_t k = 0; k < mf.n; k++)
		if (mf.fhost[k] && ngroups > 1)
			rep->host_paths = 1;
	rep->host_globs = rep->host_paths;
	for (size_t k = 0; k < mf.n && rep->host_paths; k++)
		if (mf.fhost[k]) {
			struct buf b = { 0 };
			buf_printf(&b, "%s:%s", mf.fhost[k], mf.rf[k].path);
			free(mf.rf[k].path);
			mf.rf[k].path = xstrndup(b.p, b.len);
			buf_free(&b);
		}
	rep->files = mf.rf;
	rep->nfiles = mf.n;
	mf.rf = NULL;
	rc = 0;
out:
	if (mf.rf) {
		for (size_t k = 0; k < mf.n; k++) {
			free(mf.rf[k].path);
			free(mf.rf[k].error);
			free(mf.rf[k].note);
		}
		free(mf.rf);
	}
	free(mf.last);
	free(mf.fhost);
	for (size_t g = 0; rows && g < ngroups; g++)
		free(rows[g].name);
	free(rows);
	fold_free(into);
	fold_free(fleet);
	analysis_free(an);
	for (size_t i = 0; i < n; i++)
		state_close(&st[i]);
	free(st);
	return rc;
}
