/*
 * hosts.c - several proxies in one run: inputs to hosts (--host-from, --host), and the hosts'
 * pipelines merged by log time (see hosts.h).
 *
 * The engine: one pipeline (pipeline.c) per host, each in a feeder thread of its own, whose
 * callback copies every event with its strings into batches; a host's full batches wait in a
 * queue of HQ_DEPTH. The calling thread merges the queues' heads by (key, host) with a small
 * heap and hands each event to the caller's callback, so the analysis still runs in one
 * thread, in one order. Backpressure: a feeder waits while its queue is full; the merger waits
 * only for a host whose queue is empty and that has not finished, so neither can wait for the
 * other in a circle. Memory: a host holds at most HQ_DEPTH + 2 batches (its queue, the one it
 * fills, the one being merged), plus its pipeline's share of the budgets.
 */
#include "hosts.h"
#include "escape.h"
#include "guard.h"
#include "timeparse.h"
#include "util.h"

#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif
#include <fnmatch.h>
#include <pcre2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- inputs to hosts */

/* "siplogscan: <fmt with a and b escaped as in the text report>", and where to read more */
static int host_usage(const char *fmt, const char *a, size_t alen, const char *b)
{
	esc_usage(fmt, a, alen, b);
	return -1;
}

int hosts_add_glob(struct host_rules *r, const char *arg)
{
	const char *eq = strchr(arg, '=');

	if (!eq || eq == arg || !eq[1])
		return host_usage("--host: expected NAME=GLOB (sbc1='/logs/sbc1/*'), got '%s'%s",
				  arg, strlen(arg), "");
	if ((size_t)(eq - arg) > HOST_NAME_MAX_LEN)
		return host_usage("--host: '%s': NAME is longer than 255 bytes%s", arg,
				  strlen(arg), "");
	if (r->nglob == (int)(sizeof(r->glob) / sizeof(r->glob[0])))
		return host_usage("--host: at most 256 NAME=GLOB rules%s%s", "", 0, "");
	r->glob[r->nglob++] = (struct host_glob){ arg, (size_t)(eq - arg), eq + 1 };
	return 0;
}

/* The host --host-from names in path: its first capture group, else the whole match. 1 and
 * *p, *n when it names one; 0 when it does not match or names an empty one. */
static int regex_host(pcre2_code *re, pcre2_match_data *md, const char *path,
		      const char **p, size_t *n)
{
	uint32_t groups = 0;

	if (pcre2_match(re, (PCRE2_SPTR)path, strlen(path), 0, 0, md, NULL) < 0)
		return 0;
	pcre2_pattern_info(re, PCRE2_INFO_CAPTURECOUNT, &groups);
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
	int g = groups ? 1 : 0;
	if (ov[2 * g] == PCRE2_UNSET || ov[2 * g + 1] <= ov[2 * g])
		return 0;	/* the group took no part, or is empty */
	*p = path + ov[2 * g];
	*n = ov[2 * g + 1] - ov[2 * g];
	return 1;
}

struct name_ref {
	const char *p;
	size_t n;
};

static int cmp_name(const void *x, const void *y)
{
	const struct name_ref *a = x, *b = y;
	size_t n = a->n < b->n ? a->n : b->n;
	int c = memcmp(a->p, b->p, n);

	return c ? c : a->n < b->n ? -1 : a->n > b->n;
}

int hosts_assign(const struct host_rules *r, char *const *paths, size_t n, char ***names,
		 unsigned *nnames, unsigned *host_of)
{
	pcre2_code *re = NULL;
	pcre2_match_data *md = NULL;
	struct name_ref *of = xcalloc(n ? n : 1, sizeof(*of));
	struct name_ref *uniq = xcalloc(n ? n : 1, sizeof(*uniq));
	size_t nu = 0;
	int rc = -1;

	if (r->from) {
		int err;
		PCRE2_SIZE off;
		re = pcre2_compile((PCRE2_SPTR)r->from, PCRE2_ZERO_TERMINATED, 0, &err, &off, NULL);
		if (!re) {
			PCRE2_UCHAR msg[256];
			pcre2_get_error_message(err, msg, sizeof(msg));
			host_usage("--host-from: '%s' is not a regular expression (PCRE2): %s",
				   r->from, strlen(r->from), (const char *)msg);
			goto out;
		}
		md = pcre2_match_data_create_from_pattern(re, NULL);
	}
	for (size_t i = 0; i < n; i++) {
		int found = 0;
		if (re) {
			found = regex_host(re, md, paths[i], &of[i].p, &of[i].n);
		} else {
			for (int k = 0; k < r->nglob && !found; k++)
				if (fnmatch(r->glob[k].glob, paths[i], 0) == 0) {
					of[i] = (struct name_ref){ r->glob[k].name, r->glob[k].name_len };
					found = 1;
				}
		}
		if (!found) {
			host_usage(r->from ? "'%s' names no host: --host-from '%s' does not match "
				   "it (or its group is empty); every input must belong to a host: "
				   "change the pattern, or leave the file out" :
				   "'%s' names no host: no --host NAME=GLOB matches it%s; every input "
				   "must belong to a host: add a --host rule for it, or leave the file "
				   "out", paths[i], strlen(paths[i]), r->from ? r->from : "");
			goto out;
		}
		if (of[i].n > HOST_NAME_MAX_LEN) {
			host_usage("'%s': the host --host-from names in it is longer than 255 bytes%s",
				   paths[i], strlen(paths[i]), "");
			goto out;
		}
		uniq[nu++] = of[i];
	}
	qsort(uniq, nu, sizeof(*uniq), cmp_name);
	size_t k = 0;
	for (size_t i = 0; i < nu; i++)
		if (!k || cmp_name(&uniq[k - 1], &uniq[i]) != 0)
			uniq[k++] = uniq[i];
	nu = k;
	if (nu > HOSTS_MAX) {
		char what[64];
		snprintf(what, sizeof(what), "%zu", nu);
		host_usage("%s hosts in one run, at most 64%s: scan a larger fleet in groups of up "
			   "to 64 hosts, a report per group ('siplogscan merge' cannot join them: "
			   "it takes states in time order, and the hosts' logs overlap in time; "
			   "docs/state.md)", what, strlen(what), "");
		goto out;
	}
	*names = xcalloc(nu ? nu : 1, sizeof(**names));
	for (size_t i = 0; i < nu; i++)
		(*names)[i] = xstrndup(uniq[i].p, uniq[i].n);
	*nnames = (unsigned)nu;
	for (size_t i = 0; i < n; i++) {
		struct name_ref *hit = bsearch(&of[i], uniq, nu, sizeof(*uniq), cmp_name);
		host_of[i] = (unsigned)(hit - uniq);
	}
	rc = 0;
out:
	pcre2_match_data_free(md);
	pcre2_code_free(re);
	free(of);
	free(uniq);
	return rc;
}

/* ---- the hosts' pipelines, merged by time */

#define HQ_EVENTS 256		/* events per batch: the lock is taken once per batch */
#define HQ_STR (32u << 10)	/* a batch's strings, grown for a message that needs more */
#define HQ_DEPTH 4		/* full batches waiting per host */
/* each host's share of the budgets stays above these (the pipeline needs a few units; the
 * smallest block is 256 KiB). Low, because a host's pipeline costs more than its budget (its
 * scanners, its stream windows): measured on 20 hosts of 3 rotated files each, 6 and 4 MiB
 * floors peaked at 322 MB resident, 2 and 2 MiB at 234 MB, no slower */
#define HOST_BUDGET_MIN (2u << 20)
#define HOST_STREAM_BUDGET_MIN (2u << 20)

struct hbatch {
	struct hbatch *next;
	size_t n, pos;
	struct event ev[HQ_EVENTS];	/* strings point into str */
	char *str;
	size_t slen, scap;
};

struct merge_run;

struct feeder {
	struct merge_run *mr;
	unsigned idx;
	struct pipeline_input *in;
	size_t n;
	uint32_t file_base;
	struct pipeline_opts po;
	pthread_t tid;
	int started;
	struct hbatch *cur;		/* the batch being filled (the feeder's) */
	/* under mr->mu */
	struct hbatch *head, *tail, *free_list;
	size_t queued;
	int finished, rc;
	pthread_cond_t room;		/* the merger took a batch */
	uint64_t stored, bytes;		/* progress */
	size_t files_done;
	/* the merger's */
	struct hbatch *out;		/* the batch being merged */
	int64_t key;			/* of its event at out->pos */
};

struct merge_run {
	pthread_mutex_t mu;
	pthread_cond_t ready;		/* a feeder queued a batch or finished */
	struct feeder *f;
	unsigned nf;
};

static struct hbatch *hbatch_get(struct feeder *f)
{
	struct merge_run *mr = f->mr;
	struct hbatch *b;

	pthread_mutex_lock(&mr->mu);
	b = f->free_list;
	if (b)
		f->free_list = b->next;
	pthread_mutex_unlock(&mr->mu);
	if (!b) {
		b = xcalloc(1, sizeof(*b));
		b->scap = HQ_STR;
		b->str = xmalloc(b->scap);
	}
	b->next = NULL;
	b->n = b->pos = b->slen = 0;
	return b;
}

static void hbatch_send(struct feeder *f)
{
	struct merge_run *mr = f->mr;
	struct hbatch *b = f->cur;

	f->cur = NULL;
	pthread_mutex_lock(&mr->mu);
	while (f->queued >= HQ_DEPTH)
		pthread_cond_wait(&f->room, &mr->mu);
	if (f->tail)
		f->tail->next = b;
	else
		f->head = b;
	f->tail = b;
	f->queued++;
	pthread_cond_signal(&mr->ready);
	pthread_mutex_unlock(&mr->mu);
}

static void copy_s(struct hbatch *b, struct str *s)
{
	if (!s->n)
		return;
	memcpy(b->str + b->slen, s->p, s->n);
	s->p = b->str + b->slen;
	b->slen += s->n;
}

/* The host pipeline's callback: a copy of the event, strings and all (they die when this
 * returns), numbered over every host's inputs. */
static void feed_event(void *ctx, const struct event *ev)
{
	struct feeder *f = ctx;
	size_t need = ev->ts.n + ev->ts_before.n + ev->callid.n + ev->src.n + ev->ua.n +
		      ev->ruri.n + ev->from.n + ev->to.n + ev->account.n;

	if (f->cur && (f->cur->n == HQ_EVENTS || f->cur->slen + need > f->cur->scap))
		hbatch_send(f);
	if (!f->cur)
		f->cur = hbatch_get(f);
	struct hbatch *b = f->cur;
	if (need > b->scap) {
		/* strings larger than a batch holds (a line is at most SCAN_MAX_LINE): a batch of
		 * its own, grown for them */
		b->str = xrealloc(b->str, need);
		b->scap = need;
	}
	struct event *e = &b->ev[b->n++];
	*e = *ev;
	e->file += f->file_base;
	e->host = f->idx;
	copy_s(b, &e->ts);
	copy_s(b, &e->ts_before);
	copy_s(b, &e->callid);
	copy_s(b, &e->src);
	copy_s(b, &e->ua);
	copy_s(b, &e->ruri);
	copy_s(b, &e->from);
	copy_s(b, &e->to);
	copy_s(b, &e->account);
}

static void feed_progress(void *ctx, uint64_t stored, uint64_t bytes, size_t files_done)
{
	struct feeder *f = ctx;

	pthread_mutex_lock(&f->mr->mu);
	f->stored = stored;
	f->bytes = bytes;
	f->files_done = files_done;
	pthread_mutex_unlock(&f->mr->mu);
}

static void *feeder_main(void *arg)
{
	struct feeder *f = arg;
	int rc = pipeline_run(f->in, f->n, &f->po, feed_event, f);

	if (f->cur && f->cur->n) {
		hbatch_send(f);
	} else if (f->cur) {
		free(f->cur->str);
		free(f->cur);
		f->cur = NULL;
	}
	pthread_mutex_lock(&f->mr->mu);
	f->finished = 1;
	f->rc = rc;
	pthread_cond_signal(&f->mr->ready);
	pthread_mutex_unlock(&f->mr->mu);
	return NULL;
}

/* The merger's next batch of host f, waiting while its queue is empty and it runs on; the
 * merged one goes back to the feeder. 0 when the host is done. */
static int next_batch(struct merge_run *mr, struct feeder *f)
{
	pthread_mutex_lock(&mr->mu);
	if (f->out) {
		f->out->next = f->free_list;
		f->free_list = f->out;
		f->out = NULL;
	}
	while (!f->head && !f->finished)
		pthread_cond_wait(&mr->ready, &mr->mu);
	if (f->head) {
		f->out = f->head;
		f->head = f->out->next;
		if (!f->head)
			f->tail = NULL;
		f->queued--;
		pthread_cond_signal(&f->room);
	}
	pthread_mutex_unlock(&mr->mu);
	return f->out != NULL;
}

/* The key of host f's next event: its time, else the host's previous key (set before). */
static void set_key(struct feeder *f)
{
	int64_t t = f->out->ev[f->out->pos].time_us;

	if (t != TIME_UNKNOWN)
		f->key = t;
}

static int before(const struct feeder *a, const struct feeder *b)
{
	return a->key < b->key || (a->key == b->key && a->idx < b->idx);
}

static void sift_down(struct feeder **h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, m = i;
		if (l < n && before(h[l], h[m]))
			m = l;
		if (l + 1 < n && before(h[l + 1], h[m]))
			m = l + 1;
		if (m == i)
			return;
		struct feeder *t = h[i];
		h[i] = h[m];
		h[m] = t;
		i = m;
	}
}

static void report_progress(struct merge_run *mr, const struct pipeline_opts *o)
{
	uint64_t stored = 0, bytes = 0;
	size_t done = 0;

	pthread_mutex_lock(&mr->mu);
	for (unsigned i = 0; i < mr->nf; i++) {
		stored += mr->f[i].stored;
		bytes += mr->f[i].bytes;
		done += mr->f[i].files_done;
	}
	pthread_mutex_unlock(&mr->mu);
	o->progress(o->progress_ctx, stored, bytes, done);
}

int hosts_run(struct pipeline_input *in, size_t n, const size_t *first, unsigned nhosts,
	      const struct pipeline_opts *o, event_fn fn, void *ctx)
{
	struct merge_run mr = { .nf = nhosts };
	unsigned threads = o->threads ? o->threads : 1;
	size_t budget = PIPELINE_BUDGET / (nhosts ? nhosts : 1);
	size_t stream_budget = PIPELINE_STREAM_BUDGET / (nhosts ? nhosts : 1);
	int ret = 0;

	(void)n;
	if (budget < HOST_BUDGET_MIN)
		budget = HOST_BUDGET_MIN;
	if (stream_budget < HOST_STREAM_BUDGET_MIN)
		stream_budget = HOST_STREAM_BUDGET_MIN;
	/* once, before any pipeline's thread could race to do it */
	guard_install();
	pthread_mutex_init(&mr.mu, NULL);
	pthread_cond_init(&mr.ready, NULL);
	mr.f = xcalloc(nhosts ? nhosts : 1, sizeof(*mr.f));
	for (unsigned h = 0; h < nhosts; h++) {
		struct feeder *f = &mr.f[h];
		/* the threads shared out, the first hosts taking what does not divide evenly */
		unsigned share = threads / nhosts + (h < threads % nhosts);
		f->mr = &mr;
		f->idx = h;
		f->in = in + first[h];
		f->n = first[h + 1] - first[h];
		f->file_base = (uint32_t)first[h];
		f->key = INT64_MIN;
		f->po = *o;
		f->po.threads = share ? share : 1;
		f->po.budget = budget;
		f->po.stream_budget = stream_budget;
		f->po.progress = o->progress ? feed_progress : NULL;
		f->po.progress_ctx = f;
		pthread_cond_init(&f->room, NULL);
	}
	for (unsigned h = 0; h < nhosts; h++) {
		struct feeder *f = &mr.f[h];
		if (pthread_create(&f->tid, NULL, feeder_main, f) != 0) {
			err_msg("cannot start a thread for host %u of %u", h + 1, nhosts);
			fatal_exit();
		}
		f->started = 1;
	}

	/* every host's first event, then always the smallest (key, host) */
	struct feeder **heap = xcalloc(nhosts ? nhosts : 1, sizeof(*heap));
	size_t nheap = 0;
	for (unsigned h = 0; h < nhosts; h++)
		if (next_batch(&mr, &mr.f[h])) {
			set_key(&mr.f[h]);
			heap[nheap++] = &mr.f[h];
		}
	for (size_t i = nheap; i-- > 0;)
		sift_down(heap, nheap, i);
	uint64_t handed = 0;
	while (nheap) {
		struct feeder *f = heap[0];
		fn(ctx, &f->out->ev[f->out->pos]);
		if (++f->out->pos == f->out->n && !next_batch(&mr, f)) {
			heap[0] = heap[--nheap];	/* the host is done */
		} else {
			set_key(f);
		}
		sift_down(heap, nheap, 0);
		if (o->progress && (++handed & 0xffff) == 0)
			report_progress(&mr, o);
	}
	if (o->progress)
		report_progress(&mr, o);
	free(heap);

	for (unsigned h = 0; h < nhosts; h++) {
		struct feeder *f = &mr.f[h];
		if (f->started)
			pthread_join(f->tid, NULL);
		if (f->rc < 0)
			ret = -1;
		for (struct hbatch *b = f->free_list, *next; b; b = next) {
			next = b->next;
			free(b->str);
			free(b);
		}
		pthread_cond_destroy(&f->room);
	}
	free(mr.f);
	pthread_cond_destroy(&mr.ready);
	pthread_mutex_destroy(&mr.mu);
	return ret;
}
