/*
 * model.c - the report model from the merged fold: tables sorted and cut to --top, scanners
 * and guessing sources flagged, problems with their denominators, first and last times,
 * hours and examples (fold_report()); and the model's own helpers (report.h).
 *
 * Where in the flow: after the analysis merged its folds (src/analysis.c analysis_finish());
 * the renderers read the model this fills and count nothing themselves.
 */
#include "baseline.h"
#include "fold.h"
#include "knowledge.h"
#include "ladder.h"
#include "timeparse.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static void delays_of(struct dist *d, struct delays *out)
{
	out->n = d->n;
	out->known = d->n > 0;
	out->p50 = dist_percentile(d, 50);
	out->p90 = dist_percentile(d, 90);
	out->p99 = dist_percentile(d, 99);
	out->max = d->n ? d->max : -1;
	out->sum = d->sum;
}

struct scan_collect {
	struct fold *a;
	struct source_row *rows;
	size_t n, cap;
	uint64_t calls;
	uint64_t got_in;		/* calls of flagged sources with a 2xx (see fold_source()) */
};

/* Is this source flagged by auth-scanner? */
static int source_flagged(const struct fold *a, const struct source_stat *s)
{
	return s->scanner_ua || s->unanswered >= a->o.scanner_threshold;
}

static void collect_scanner(void *item, void *ctx)
{
	struct source_stat *s = item;
	struct scan_collect *sc = ctx;
	struct fold *a = sc->a;

	if (!source_flagged(a, s))
		return;
	if (sc->n == sc->cap) {
		sc->cap = sc->cap ? sc->cap * 2 : 8;
		sc->rows = xrealloc(sc->rows, sc->cap * sizeof(*sc->rows));
	}
	struct source_row *row = &sc->rows[sc->n++];
	memset(row, 0, sizeof(*row));
	const char *addr = topk_key(a->sources, s, &row->addr_len);
	row->addr = xstrndup(addr, row->addr_len);
	row->calls = s->calls;
	row->unanswered = s->unanswered;
	row->scanner_ua = s->scanner_ua;
	row->accepted = s->accepted;
	row->answered = s->answered;
	sc->got_in += s->accepted + s->answered;
	struct pat_times *pt = &a->pt[PAT_AUTH_SCANNER];
	span_add(&pt->first, &pt->last, s->first_time);
	span_add(&pt->first, &pt->last, s->last_time);
	pt->timed += s->timed;
	if (s->ua) {
		row->ua = xstrndup(s->ua, s->ua_len);
		row->ua_len = s->ua_len;
	}
	sc->calls += s->calls;
	for (size_t i = 0; i < s->ex.n; i++)
		example_add(&a->ex[PAT_AUTH_SCANNER], a->o.examples, s->ex.e[i].call_id,
			    s->ex.e[i].call_id_len, s->ex.e[i].file, s->ex.e[i].line);
}

static int cmp_source_row(const void *x, const void *y)
{
	const struct source_row *a = x, *b = y;

	if (a->calls != b->calls)
		return a->calls > b->calls ? -1 : 1;
	size_t n = a->addr_len < b->addr_len ? a->addr_len : b->addr_len;
	int c = memcmp(a->addr, b->addr, n);
	if (c)
		return c;
	return (a->addr_len > b->addr_len) - (a->addr_len < b->addr_len);
}

struct bref {
	const void *rec;		/* struct brow, or struct hrow for the next hops */
	const char *key;
	size_t key_len;
};

struct bcollect {
	const struct topk *t;
	struct bref *rows;
	size_t n;
};

static void collect_brow(void *item, void *ctx)
{
	struct bcollect *bc = ctx;
	struct bref *x = &bc->rows[bc->n++];

	x->rec = item;
	x->key = topk_key(bc->t, item, &x->key_len);
}

/* Rows most attempts first, ties by key (deterministic). Both row types start with their
 * attempts, the weight of their table. */
static int cmp_by_attempts(uint64_t wa, uint64_t wb, const struct bref *a, const struct bref *b)
{
	if (wa != wb)
		return wa > wb ? -1 : 1;
	size_t n = a->key_len < b->key_len ? a->key_len : b->key_len;
	int c = memcmp(a->key, b->key, n);
	if (c)
		return c;
	return (a->key_len > b->key_len) - (a->key_len < b->key_len);
}

static int cmp_brow(const void *x, const void *y)
{
	const struct bref *a = x, *b = y;

	return cmp_by_attempts(((const struct brow *)a->rec)->attempts,
			       ((const struct brow *)b->rec)->attempts, a, b);
}

static int cmp_hrow(const void *x, const void *y)
{
	const struct bref *a = x, *b = y;

	return cmp_by_attempts(((const struct hrow *)a->rec)->attempts,
			       ((const struct hrow *)b->rec)->attempts, a, b);
}

/* Every row of a table, sorted by cmp; the caller frees .rows. */
static struct bcollect sorted_rows(const struct topk *t, int (*cmp)(const void *, const void *))
{
	struct bcollect bc = { t, xcalloc(topk_count(t) + 1, sizeof(*bc.rows)), 0 };

	topk_each(t, collect_brow, &bc);
	if (bc.n)
		qsort(bc.rows, bc.n, sizeof(*bc.rows), cmp);
	return bc;
}

/* The failure codes of a row, most frequent first (ties: lower code first), up to
 * REPORT_ROW_CODES. */
static int top_codes(const int *codes, const uint64_t *code_n, int ncodes, int *out,
		     uint64_t *out_n)
{
	int used[BROW_CODES] = {0}, n = 0;

	for (int k = 0; k < REPORT_ROW_CODES; k++) {
		int best = -1;
		for (int j = 0; j < ncodes; j++) {
			if (used[j])
				continue;
			if (best < 0 || code_n[j] > code_n[best] ||
			    (code_n[j] == code_n[best] && codes[j] < codes[best]))
				best = j;
		}
		if (best < 0)
			break;
		used[best] = 1;
		out[n] = codes[best];
		out_n[n] = code_n[best];
		n++;
	}
	return n;
}

/* The top rows of a breakdown, most attempts first (ties by key: deterministic). */
static void breakdown_of(const struct topk *t, unsigned top, struct breakdown *out)
{
	struct bcollect bc = sorted_rows(t, cmp_brow);

	out->keys = topk_count(t);
	out->unlisted = topk_unlisted(t);
	out->n = bc.n < top ? bc.n : top;
	out->rows = out->n ? xcalloc(out->n, sizeof(*out->rows)) : NULL;
	for (size_t i = 0; i < out->n; i++) {
		const struct brow *b = bc.rows[i].rec;
		struct breakdown_row *r = &out->rows[i];
		r->key = xstrndup(bc.rows[i].key, bc.rows[i].key_len);
		r->key_len = bc.rows[i].key_len;
		r->attempts = b->attempts;
		r->answered = b->answered;
		r->failed = b->failed;
		r->auth_failed = b->auth_failed;
		r->ncodes = top_codes(b->codes, b->code_n, b->ncodes, r->codes, r->code_n);
	}
	free(bc.rows);
}

/* The top rows of the next-hop table, most attempts first (ties by key). */
static void hop_table_of(const struct topk *t, unsigned top, struct hop_table *out)
{
	struct bcollect bc = sorted_rows(t, cmp_hrow);

	out->keys = topk_count(t);
	out->unlisted = topk_unlisted(t);
	out->n = bc.n < top ? bc.n : top;
	out->rows = out->n ? xcalloc(out->n, sizeof(*out->rows)) : NULL;
	for (size_t i = 0; i < out->n; i++) {
		const struct hrow *h = bc.rows[i].rec;
		struct hop_row *r = &out->rows[i];
		r->key = xstrndup(bc.rows[i].key, bc.rows[i].key_len);
		r->key_len = bc.rows[i].key_len;
		r->attempts = h->attempts;
		r->answered = h->answered;
		r->stuck = h->stuck;
		r->timeout = h->timeout;
		r->server_err = h->server_err;
		r->slow = h->slow;
		r->ncodes = top_codes(h->codes, h->code_n, h->ncodes, r->codes, r->code_n);
		r->srd_n = h->srd_n;
		r->srd_sum_us = h->srd_sum;
		r->srd_max_us = h->srd_n ? h->srd_max : -1;
	}
	free(bc.rows);
}

/* A record of an authentication table (struct arow, or struct pair_row) and its key. */
struct aref {
	const void *x;
	const char *key;
	size_t key_len;
};

struct acollect {
	const struct topk *t;
	struct aref *rows;
	size_t n;
};

static void collect_arow(void *item, void *ctx)
{
	struct acollect *ac = ctx;
	struct aref *x = &ac->rows[ac->n++];

	x->x = item;
	x->key = topk_key(ac->t, item, &x->key_len);
}

static uint64_t arow_failures(const struct arow *x)
{
	return x->n[AUTH_RES_FAILED] + x->n[AUTH_RES_UNKNOWN] + x->n[AUTH_RES_DENIED];
}

static int cmp_arow(const void *p, const void *q)
{
	const struct aref *a = p, *b = q;
	uint64_t fa = arow_failures((const struct arow *)a->x);
	uint64_t fb = arow_failures((const struct arow *)b->x);

	if (fa != fb)
		return fa > fb ? -1 : 1;
	if (topk_weight(a->x) != topk_weight(b->x))
		return topk_weight(a->x) > topk_weight(b->x) ? -1 : 1;
	size_t n = a->key_len < b->key_len ? a->key_len : b->key_len;
	int c = memcmp(a->key, b->key, n);
	if (c)
		return c;
	return (a->key_len > b->key_len) - (a->key_len < b->key_len);
}

/*
 * The top rows of an authentication table, most failures first (ties: most records, key).
 * For the sources (a not NULL), every source with --scanner-threshold failures or more is
 * counted in *scanners and is a problem: auth-break-in when it also authenticated once,
 * else auth-guessing; its first record is the example.
 */
static void auth_table_of(struct fold *a, const struct topk *t, unsigned top,
			  struct auth_table *out, uint64_t *scanners)
{
	unsigned threshold = a ? a->o.scanner_threshold : 0;
	struct acollect ac = { t, xcalloc(topk_count(t) + 1, sizeof(*ac.rows)), 0 };

	topk_each(t, collect_arow, &ac);
	if (ac.n)
		qsort(ac.rows, ac.n, sizeof(*ac.rows), cmp_arow);
	out->keys = topk_count(t);
	out->unlisted = topk_unlisted(t);
	out->n = ac.n < top ? ac.n : top;
	out->rows = out->n ? xcalloc(out->n, sizeof(*out->rows)) : NULL;
	for (size_t i = 0; i < ac.n; i++) {
		const struct arow *x = ac.rows[i].x;
		int scanner = threshold && arow_failures(x) >= threshold;
		if (scanner) {
			enum pattern_id p = x->n[AUTH_RES_OK] ? PAT_AUTH_BREAK_IN : PAT_AUTH_GUESSING;
			(*scanners)++;
			a->pat_count[p]++;
			span_add(&a->pt[p].first, &a->pt[p].last, x->first_time);
			span_add(&a->pt[p].first, &a->pt[p].last, x->last_time);
			a->pt[p].timed += x->timed;
			example_add(&a->ex[p], a->o.examples, ac.rows[i].key, ac.rows[i].key_len,
				    x->file, x->line);
		}
		if (i >= out->n)
			continue;
		struct auth_row *r = &out->rows[i];
		r->key = xstrndup(ac.rows[i].key, ac.rows[i].key_len);
		r->key_len = ac.rows[i].key_len;
		memcpy(r->n, x->n, sizeof(r->n));
		r->scanner = scanner;
	}
	free(ac.rows);
}

/*
 * auth-spread-guessing: per account, the failures from sources that stayed below the
 * threshold themselves (the others are auth-guessing or auth-break-in), when they come from
 * two sources or more and add up to the threshold. Pairs sorted by key are grouped by
 * account (the key starts with its length and bytes); its example is its earliest pair.
 */
static int cmp_aref_key(const void *p, const void *q)
{
	const struct aref *a = p, *b = q;
	size_t n = a->key_len < b->key_len ? a->key_len : b->key_len;
	int c = memcmp(a->key, b->key, n);

	return c ? c : (a->key_len > b->key_len) - (a->key_len < b->key_len);
}

static void spread_guessing(struct fold *a)
{
	unsigned threshold = a->o.scanner_threshold;
	struct acollect ac = { a->auth_pairs, xcalloc(topk_count(a->auth_pairs) + 1,
						     sizeof(*ac.rows)), 0 };

	if (threshold)
		topk_each(a->auth_pairs, collect_arow, &ac);
	if (ac.n)
		qsort(ac.rows, ac.n, sizeof(*ac.rows), cmp_aref_key);
	for (size_t i = 0; i < ac.n;) {
		size_t alen = ((size_t)(unsigned char)ac.rows[i].key[0] << 8) |
			      (unsigned char)ac.rows[i].key[1];
		const struct pair_row *first = NULL;
		uint64_t failures = 0, sources = 0;
		int64_t t0 = TIME_UNKNOWN, t1 = TIME_UNKNOWN;
		size_t j = i;
		for (; j < ac.n && ac.rows[j].key_len >= 2 + alen &&
		       memcmp(ac.rows[j].key, ac.rows[i].key, 2 + alen) == 0; j++) {
			const struct pair_row *p = ac.rows[j].x;
			const struct arow *s = topk_find(a->auth_src, ac.rows[j].key + 2 + alen,
							 ac.rows[j].key_len - 2 - alen);
			if (s && arow_failures(s) >= threshold)
				continue;
			failures += p->failures;
			sources++;
			span_add(&t0, &t1, p->first_time);
			span_add(&t0, &t1, p->last_time);
			if (!first || p->file < first->file ||
			    (p->file == first->file && p->line < first->line))
				first = p;
		}
		if (sources >= 2 && failures >= threshold) {
			struct pat_times *pt = &a->pt[PAT_AUTH_SPREAD_GUESSING];
			struct arow *acc = topk_find(a->auth_acc, ac.rows[i].key + 2, alen);
			span_add(&pt->first, &pt->last, t0);
			span_add(&pt->first, &pt->last, t1);
			if (acc) {
				/* its hours are those of the failures against the account */
				acc->spread = 1;
				pt->timed += acc->timed;
			}
			a->pat_count[PAT_AUTH_SPREAD_GUESSING]++;
			example_add(&a->ex[PAT_AUTH_SPREAD_GUESSING], a->o.examples,
				    ac.rows[i].key + 2, alen, first->file, first->line);
		}
		i = j;
	}
	free(ac.rows);
}

static int cmp_hour(const void *x, const void *y)
{
	const struct timeline_row *a = x, *b = y;

	return (a->hour > b->hour) - (a->hour < b->hour);
}

static void collect_hour(void *item, void *ctx)
{
	struct report *r = ctx;
	const struct hour_row *h = item;
	struct timeline_row *t = &r->timeline[r->ntimeline++];

	*t = h->t;
	t->ncodes = top_codes(h->codes, h->code_n, h->ncodes, t->codes, t->code_n);
}

/* Severity first: one possible break-in matters more than fifty slow calls. Then the count,
 * then the pattern's order: deterministic. */
static void collect_fine(void *item, void *ctx)
{
	struct report *r = ctx;

	r->fine[r->nfine++] = ((struct hour_row *)item)->t;
}

static int cmp_problem(const void *x, const void *y)
{
	const struct problem *a = x, *b = y;

	if (a->severity != b->severity)
		return a->severity > b->severity ? -1 : 1;
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return (int)a->pid - (int)b->pid;
}

/* The hours of the keys flagged at the end (key_hours) go to their problem's hours. */
static void collect_key_hour(void *item, void *ctx)
{
	struct fold *a = ctx;
	size_t len;
	const char *k = topk_key(a->key_hours, item, &len);
	int64_t hour;
	enum pattern_id p = PAT_COUNT;

	memcpy(&hour, k + 1, sizeof(hour));
	const char *key = k + 1 + sizeof(hour);
	size_t n = len - 1 - sizeof(hour);
	if (k[0] == KH_CALL_SOURCE) {
		const struct source_stat *s = topk_find(a->sources, key, n);
		if (s && source_flagged(a, s))
			p = PAT_AUTH_SCANNER;
	} else if (k[0] == KH_AUTH_SOURCE) {
		const struct arow *x = topk_find(a->auth_src, key, n);
		if (x && a->o.scanner_threshold && arow_failures(x) >= a->o.scanner_threshold)
			p = x->n[AUTH_RES_OK] ? PAT_AUTH_BREAK_IN : PAT_AUTH_GUESSING;
	} else {
		const struct arow *x = topk_find(a->auth_acc, key, n);
		if (x && x->spread)
			p = PAT_AUTH_SPREAD_GUESSING;
	}
	if (p == PAT_COUNT)
		return;
	struct pat_times *pt = &a->pt[p];
	if (!pt->hours)
		pt->hours = topk_new(REPORT_PROBLEM_HOURS_CAP, sizeof(int64_t), NULL);
	int64_t *rec = topk_get(pt->hours, &hour, sizeof(hour));
	*rec = hour;
	/* what the entry gathered while listed: evicted entries are in neither table */
	topk_add(pt->hours, rec, topk_weight(item) - topk_error(item));
}

struct hour_collect {
	const struct topk *t;
	struct problem *pr;
	uint64_t listed;
};

static void collect_problem_hour(void *item, void *ctx)
{
	struct hour_collect *hc = ctx;
	struct problem_hour *h = &hc->pr->hours[hc->pr->nhours++];

	h->hour = *(const int64_t *)item;
	h->count = topk_weight(item) - topk_error(item);
	hc->listed += h->count;
}

static int cmp_problem_hour(const void *x, const void *y)
{
	const struct problem_hour *a = x, *b = y;

	return (a->hour > b->hour) - (a->hour < b->hour);
}

/* A problem's first and last time and its hours, in order. What had a time and is not in a
 * listed hour (evicted from a bounded table) is unlisted. */
static void problem_times(struct fold *a, struct problem *pr)
{
	struct pat_times *pt = &a->pt[pr->pid];
	struct hour_collect hc = { pt->hours, pr, 0 };

	pr->first_time = pt->first;
	pr->last_time = pt->last;
	pr->nhours = 0;
	pr->hours = NULL;
	if (pt->hours && topk_count(pt->hours)) {
		pr->hours = xcalloc(topk_count(pt->hours), sizeof(*pr->hours));
		topk_each(pt->hours, collect_problem_hour, &hc);
		qsort(pr->hours, pr->nhours, sizeof(*pr->hours), cmp_problem_hour);
	}
	pr->hours_unlisted = pt->timed > hc.listed ? pt->timed - hc.listed : 0;
}

/*
 * The report model from the merged fold a (the calls settled, the hops resolved, the peak
 * counted): the tables sorted and cut to --top, the problems with their denominators, times
 * and examples. Fills everything but out->files and out->run; a's figures move to out.
 */
void fold_report(struct fold *a, struct report *out)
{
	struct report *r = &a->acc;
	struct scan_collect sc = { .a = a };
	topk_each(a->sources, collect_scanner, &sc);
	if (sc.n)
		qsort(sc.rows, sc.n, sizeof(*sc.rows), cmp_source_row);
	a->pat_count[PAT_AUTH_SCANNER] = sc.calls + a->scanner_ua_no_src;
	r->scanners = sc.rows;
	r->nscanners = sc.n;

	auth_table_of(a, a->auth_src, a->o.top, &r->auth.by_source, &r->auth.scanners);
	auth_table_of(NULL, a->auth_acc, a->o.top, &r->auth.by_account, NULL);
	spread_guessing(a);
	topk_each(a->key_hours, collect_key_hour, a);
	delays_of(&a->pdd, &r->pdd);
	delays_of(&a->ring, &r->ring_time);

	delays_of(&a->trying_delay, &r->trying_delay);
	delays_of(&a->proxy_delay, &r->proxy_auth.retry_delay);
	delays_of(&a->www_delay, &r->www_auth.retry_delay);
	delays_of(&a->srd, &r->kpi.srd);
	delays_of(&a->rrd, &r->kpi.rrd);
	delays_of(&a->duration, &r->kpi.duration);
	r->kpi.acd_us = a->duration.n ? a->duration_sum / (int64_t)a->duration.n : -1;

	uint64_t denom[PAT_COUNT] = {
		[PAT_STUCK_AFTER_100] = r->trying,
		[PAT_NO_FINAL_NO_100] = r->calls_total,
		[PAT_SLOW_SETUP] = a->pdd.n,
		[PAT_PROXY_AUTH_NOT_RETRIED] = r->proxy_auth.challenged,
		[PAT_PROXY_AUTH_REJECTED] = r->proxy_auth.retried,
		[PAT_WWW_AUTH_NOT_RETRIED] = r->www_auth.challenged,
		[PAT_WWW_AUTH_REJECTED] = r->www_auth.retried,
		[PAT_AUTH_SCANNER] = r->callids_total,
		[PAT_REQUEST_TIMEOUT] = a->calls_with_final,
		[PAT_SERVER_ERRORS] = a->calls_with_final,
		[PAT_GLOBAL_FAILURES] = a->calls_with_final,
		[PAT_AUTH_BREAK_IN] = r->auth.by_source.keys,
		[PAT_AUTH_GUESSING] = r->auth.by_source.keys,
		[PAT_AUTH_SPREAD_GUESSING] = r->auth.by_account.keys,
	};
	r->nproblems = 0;
	for (int p = 0; p < PAT_COUNT; p++) {
		if (!a->pat_count[p])
			continue;
		struct problem *pr = &r->problems[r->nproblems++];
		pr->pid = (enum pattern_id)p;
		pr->severity = knowledge_pattern(pr->pid)->severity;
		if (p == PAT_AUTH_SCANNER)
			pr->severity = sc.got_in + a->scanner_ua_no_src_ok ? SEV_CRITICAL : SEV_LOW;
		pr->count = a->pat_count[p];
		problem_times(a, pr);
		pr->denominator = denom[p] > pr->count ? denom[p] : pr->count;
		pr->nexamples = a->ex[p].n;
		pr->examples = a->ex[p].e;	/* they move to the report, strings and all */
		a->ex[p].e = NULL;
		a->ex[p].n = a->ex[p].cap = 0;
	}
	qsort(r->problems, r->nproblems, sizeof(r->problems[0]), cmp_problem);

	r->source_keys = topk_count(a->sources);
	r->source_unlisted = topk_unlisted(a->sources);
	breakdown_of(a->by_source, a->o.top, &r->by_source);
	breakdown_of(a->by_ua, a->o.top, &r->by_ua);
	breakdown_of(a->by_dest, a->o.top, &r->by_dest);
	hop_table_of(a->hops, a->o.top, &r->by_hop);
	r->top = a->o.top;
	size_t nhours = topk_count(a->hours);
	r->timeline = nhours ? xcalloc(nhours, sizeof(*r->timeline)) : NULL;
	r->ntimeline = 0;
	topk_each(a->hours, collect_hour, r);
	r->timeline_unlisted = topk_unlisted(a->hours);
	if (r->ntimeline)
		qsort(r->timeline, r->ntimeline, sizeof(*r->timeline), cmp_hour);
	size_t nfine = topk_count(a->fine);
	r->fine_over = nfine > REPORT_FINE_CAP;
	r->fine = nfine && !r->fine_over ? xcalloc(nfine, sizeof(*r->fine)) : NULL;
	r->nfine = 0;
	if (r->fine) {
		topk_each(a->fine, collect_fine, r);
		qsort(r->fine, r->nfine, sizeof(*r->fine), cmp_hour);
	}

	r->examples = a->o.examples;
	r->call_timeout_s = a->o.call_timeout_s;
	r->session_timeout_s = a->o.session_timeout_s;
	r->slow_setup_s = a->o.slow_setup_s;
	r->scanner_threshold = a->o.scanner_threshold;
	r->max_calls = a->o.max_calls;

	/* hand the accumulated model over; files and run are the caller's */
	struct report_file *files = out->files;
	size_t nfiles = out->nfiles;
	*out = *r;
	out->files = files;
	out->nfiles = nfiles;
	memset(r, 0, sizeof(*r));
}

void report_set_gives(struct report *r)
{
	unsigned gives = 0;

	for (size_t i = 0; i < r->nfiles; i++)
		if (r->files[i].records && r->files[i].format)
			gives |= r->files[i].gives;
	r->not_in_log = gives ? GIVES_ALL & ~gives : 0;
	r->auth_log = (gives & GIVES_AUTH) != 0;
}

int report_pattern_given(const struct report *r, enum pattern_id pid)
{
	unsigned given = GIVES_ALL & ~r->not_in_log;

	for (size_t i = 0; i < r->nproblems; i++)
		if (r->problems[i].pid == pid)
			return 1;
	switch (pid) {
	case PAT_STUCK_AFTER_100:
		return (given & GIVES_PROVISIONAL) != 0;
	case PAT_SLOW_SETUP:	/* the INVITE's time, and the 18x that ends the delay */
	case PAT_NO_FINAL_NO_100:
		return (given & GIVES_REQUESTS) && (given & GIVES_PROVISIONAL);
	case PAT_PROXY_AUTH_NOT_RETRIED:
	case PAT_PROXY_AUTH_REJECTED:
	case PAT_WWW_AUTH_NOT_RETRIED:
	case PAT_WWW_AUTH_REJECTED:
		return (given & GIVES_CHALLENGES) != 0;
	case PAT_AUTH_SCANNER:	/* unanswered challenges, or a scanner's User-Agent */
		return (given & (GIVES_CHALLENGES | GIVES_REQUESTS)) != 0;
	case PAT_REQUEST_TIMEOUT:
	case PAT_SERVER_ERRORS:
	case PAT_GLOBAL_FAILURES:
		return (given & GIVES_FINALS) != 0;
	case PAT_AUTH_BREAK_IN:
	case PAT_AUTH_GUESSING:
	case PAT_AUTH_SPREAD_GUESSING:
		return r->auth_log;
	case PAT_COUNT:
		break;
	}
	return 0;
}

void host_row_add_files(struct host_row *r, const struct report_file *files, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		if (files[k].status == FILE_DUPLICATE)
			continue;
		r->files++;
		r->bytes += files[k].bytes;
		r->stored_bytes += files[k].stored_bytes;
		r->records += files[k].records;
	}
}

void report_release(struct report *r)
{
	baseline_free(r->baseline);
	r->baseline = NULL;
	ladders_free(r->ladders);
	r->ladders = NULL;
	if (r->history) {
		free(r->history->trend);
		free(r->history);
		r->history = NULL;
	}
	for (size_t i = 0; i < r->nfiles; i++) {
		free(r->files[i].path);
		free(r->files[i].error);
		free(r->files[i].note);
	}
	free(r->files);
	for (size_t p = 0; p < r->nproblems; p++) {
		for (size_t i = 0; i < r->problems[p].nexamples; i++)
			free(r->problems[p].examples[i].call_id);
		free(r->problems[p].examples);
		free(r->problems[p].hours);
	}
	for (size_t i = 0; i < r->nscanners; i++) {
		free(r->scanners[i].addr);
		free(r->scanners[i].ua);
	}
	free(r->scanners);
	for (size_t i = 0; i < r->nhosts; i++)
		free(r->hosts[i].name);
	free(r->hosts);
	r->hosts = NULL;
	r->nhosts = 0;
	struct breakdown *bd[] = { &r->by_source, &r->by_ua, &r->by_dest };
	for (int k = 0; k < 3; k++) {
		for (size_t i = 0; i < bd[k]->n; i++)
			free(bd[k]->rows[i].key);
		free(bd[k]->rows);
	}
	for (size_t i = 0; i < r->by_hop.n; i++)
		free(r->by_hop.rows[i].key);
	free(r->by_hop.rows);
	free(r->timeline);
	free(r->fine);
	struct auth_table *at[] = { &r->auth.by_source, &r->auth.by_account };
	for (int k = 0; k < 2; k++) {
		for (size_t i = 0; i < at[k]->n; i++)
			free(at[k]->rows[i].key);
		free(at[k]->rows);
	}
	memset(r, 0, sizeof(*r));
}
