/*
 * pool.c - the worker pool: units -> events (see engine.h for where it sits).
 *
 * Units go through a FIFO queue to the worker threads; each worker owns its scanners (and so
 * its pcre2_match_data), one per profile, made on first use. A worker scans the records whose
 * start line lies in its unit's block and appends their events to the unit; the merger takes
 * them once the unit's done flag is set under the lock - the only lock, taken once per unit.
 *
 * Guarantees: a worker never reads a mapping outside a SIGBUS guard (guard.h), and copies the
 * strings of the events of a mapped block into the unit's arena, so that nothing after the
 * scan reads the mapping (a file truncated under the scan faults in the worker, where it is
 * caught, never in the merger or the analysis).
 */
#include "engine.h"
#include "guard.h"
#include "htab.h"

#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

struct worker {
	struct pool *pool;
	pthread_t tid;
	struct scanner_cache sc;
	struct time_cache tc;	/* time_pre()'s: the last BSD second and ISO date seen */
	struct unit *u;		/* the unit being scanned */
};

struct pool {
	struct engine *e;
	struct worker *w;
	unsigned started;	/* threads running; 0: units are scanned by the caller */
};

struct scanner *scanner_cache_get(struct scanner_cache *c, const struct profile *p)
{
	for (int i = 0; i < c->n; i++)
		if (c->prof[i] == p)
			return c->sc[i];
	if (c->n == MAX_SCANNERS) {	/* more profiles than slots: recycle the oldest */
		scanner_free(c->sc[0]);
		memmove(c->sc, c->sc + 1, (MAX_SCANNERS - 1) * sizeof(c->sc[0]));
		memmove(c->prof, c->prof + 1, (MAX_SCANNERS - 1) * sizeof(c->prof[0]));
		c->n--;
	}
	c->prof[c->n] = p;
	c->sc[c->n] = scanner_new(p, NULL, NULL);
	return c->sc[c->n++];
}

void scanner_cache_free(struct scanner_cache *c)
{
	for (int i = 0; i < c->n; i++)
		scanner_free(c->sc[i]);
	c->n = 0;
}

/* A string of an event, moved into the unit's arena (unless it is there already). */
void own_str(struct arena *a, struct str *v)
{
	if (v->n)
		v->p = arena_dup(a, v->p, v->n);
}

void pre_time(struct time_cache *c, int64_t ref_us, struct event *ev)
{
	ev->before_kind = (uint8_t)(ev->ts_before.n ?
		time_pre(c, ref_us, ev->ts_before.p, ev->ts_before.n, &ev->before_val) : TS_NONE);
	ev->ts_kind = (uint8_t)(ev->ts.n ? time_pre(c, ref_us, ev->ts.p, ev->ts.n, &ev->ts_val) :
			       TS_NONE);
}

/* Append the strings of ev to the unit's string buffer, in unit_event order. */
static void put_strings(struct unit *u, struct unit_event *c, const struct event *ev)
{
	const struct str *v[US_COUNT] = {
		[US_CALLID] = &ev->callid, [US_SRC] = &ev->src, [US_UA] = &ev->ua,
		[US_RURI] = &ev->ruri, [US_ACCOUNT] = &ev->account, [US_FROM] = &ev->from,
		[US_TO] = &ev->to,
	};
	size_t need = 0;

	for (int i = 0; i < US_COUNT; i++)
		need += v[i]->n;
	if (u->nstrs + need > u->strs_cap) {
		size_t cap = u->strs_cap ? u->strs_cap : 16384;
		while (cap < u->nstrs + need)
			cap *= 2;
		u->strs = xrealloc(u->strs, cap);
		u->strs_cap = cap;
	}
	c->str = u->nstrs;
	for (int i = 0; i < US_COUNT; i++) {
		c->len[i] = (uint32_t)v[i]->n;
		if (v[i]->n)
			memcpy(u->strs + u->nstrs, v[i]->p, v[i]->n);
		u->nstrs += v[i]->n;
	}
}

/*
 * An event into its unit, compact (engine.h). Its strings are copied next to each other into
 * the unit's string buffer - out of the window, which for a mapped block must not be read
 * after the scan. The work that needs the event's bytes is done here, while they are in this
 * core's cache: the Call-ID is hashed with the call table's key, and the stamps are parsed as
 * far as they can be without the lines before them (the merger resolves them in order); their
 * text is not kept, as nothing reads it any more.
 */
static void emit(void *ctx, const struct event *ev)
{
	struct worker *w = ctx;
	struct unit *u = w->u;
	const uint8_t *seed = w->pool->e->callid_seed;

	if (u->nev == u->cap) {
		u->cap = u->cap ? u->cap * 2 : 1024;
		u->ev = xrealloc(u->ev, u->cap * sizeof(*u->ev));
	}
	struct unit_event *c = &u->ev[u->nev++];
	c->offset = ev->offset;
	c->line = (uint32_t)ev->line;
	c->cseq = ev->cseq;
	c->status = (uint16_t)ev->status;
	c->method = (uint8_t)ev->method;
	c->cseq_method = (uint8_t)ev->cseq_method;
	c->flags = (uint8_t)ev->flags;
	c->auth = (uint8_t)ev->auth;
	c->auth_result = (uint8_t)ev->auth_result;
	c->before_kind = (uint8_t)(ev->ts_before.n ?
		time_pre(&w->tc, u->ref_us, ev->ts_before.p, ev->ts_before.n, &c->before_val) :
		TS_NONE);
	c->ts_kind = (uint8_t)(ev->ts.n ?
		time_pre(&w->tc, u->ref_us, ev->ts.p, ev->ts.n, &c->ts_val) : TS_NONE);
	c->callid_hash = 0;
	c->callid_shard = 0;
	if (seed) {
		c->callid_hash = siphash13(seed, ev->callid.p, ev->callid.n);
		c->callid_shard = (uint8_t)callid_shard(ev->callid.p, ev->callid.n);
		c->flags |= EV_HASHED;
	}
	put_strings(u, c, ev);
}

/* A cleared event, copied into each one expanded: a memset() of the 208 bytes is a "rep stosq",
 * whose start-up costs more than the copy (once an event). */
static const struct event zero_event;

void unit_event_expand(const struct unit *u, const struct unit_event *c, struct event *ev)
{
	const char *p = u->strs ? u->strs + c->str : NULL;	/* a unit without strings */
	struct str *v[US_COUNT] = {
		[US_CALLID] = &ev->callid, [US_SRC] = &ev->src, [US_UA] = &ev->ua,
		[US_RURI] = &ev->ruri, [US_ACCOUNT] = &ev->account, [US_FROM] = &ev->from,
		[US_TO] = &ev->to,
	};

	*ev = zero_event;
	for (int i = 0; i < US_COUNT; i++) {
		v[i]->p = c->len[i] ? p : NULL;
		v[i]->n = c->len[i];
		if (c->len[i])
			p += c->len[i];
	}
	ev->time_us = TIME_UNKNOWN;
	ev->flags = c->flags;
	ev->offset = c->offset;
	ev->method = (enum sip_method)c->method;
	ev->status = c->status;
	ev->cseq = c->cseq;
	ev->cseq_method = (enum sip_method)c->cseq_method;
	ev->auth = c->auth;
	ev->auth_result = (enum auth_result)c->auth_result;
	ev->file = (uint32_t)u->file;
	ev->line = c->line;
	ev->callid_hash = c->callid_hash;
	ev->ts_val = c->ts_val;
	ev->before_val = c->before_val;
	ev->ts_kind = c->ts_kind;
	ev->before_kind = c->before_kind;
	ev->callid_shard = c->callid_shard;
}

/* Scan the unit; 0, or -1 when its mapping vanished (the file shrank under us). */
static int scan_unit(struct scanner *sc, struct unit *u)
{
	sigjmp_buf env;

	if (!u->mapped) {
		scanner_scan_block(sc, u->buf, u->len, u->base, u->start, u->end, &u->blk);
		return 0;
	}
	if (sigsetjmp(env, 1) == 0) {
		guard_enter(&env);
		scanner_scan_block(sc, u->buf, u->len, u->base, u->start, u->end, &u->blk);
		guard_leave();
		return 0;
	}
	guard_leave();
	return -1;
}

static void run_unit(struct worker *w, struct unit *u)
{
	struct engine *e = w->pool->e;
	struct scanner *sc = scanner_cache_get(&w->sc, e->in[u->file].profile);

	w->u = u;
	scanner_set_emit(sc, emit, w);
	scanner_set_arena(sc, &u->arena);
	scanner_begin(sc, (uint32_t)u->file);
	if (scan_unit(sc, u) < 0) {
		u->faulted = 1;
		/* the events emitted before the fault are whole and their strings copied */
		u->fault_at = u->nev ? u->ev[u->nev - 1].offset : u->base + u->start;
	}
	pthread_mutex_lock(&e->mu);
	u->done = 1;
	pthread_cond_broadcast(&e->ready);
	pthread_mutex_unlock(&e->mu);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct engine *e = w->pool->e;

	for (;;) {
		pthread_mutex_lock(&e->mu);
		while (!e->jobs_head && !e->quit)
			pthread_cond_wait(&e->work, &e->mu);
		struct unit *u = e->jobs_head;
		if (!u) {
			pthread_mutex_unlock(&e->mu);
			break;
		}
		e->jobs_head = u->next_job;
		if (!e->jobs_head)
			e->jobs_tail = NULL;
		pthread_mutex_unlock(&e->mu);
		run_unit(w, u);
	}
	scanner_cache_free(&w->sc);
	return NULL;
}

struct pool *pool_start(struct engine *e, unsigned nthreads)
{
	struct pool *p = xcalloc(1, sizeof(*p));

	p->e = e;
	p->w = xcalloc(nthreads, sizeof(*p->w));
	for (unsigned i = 0; i < nthreads; i++) {
		p->w[i].pool = p;
		time_cache_init(&p->w[i].tc);
		if (pthread_create(&p->w[i].tid, NULL, worker_main, &p->w[i]) != 0)
			break;
		p->started++;
	}
	if (p->started < nthreads) {
		/* a thread or memory limit: fewer workers give the same report; with none, the
		 * caller scans each unit itself (with w[0]'s scanners) */
		err_msg("note: could only start %u of %u worker threads (a resource limit); "
			"going on with %u", p->started, nthreads, p->started ? p->started : 1);
	}
	return p;
}

void pool_run(struct pool *p, struct unit *u)
{
	struct engine *e = p->e;

	if (!p->started) {
		run_unit(&p->w[0], u);
		return;
	}
	pthread_mutex_lock(&e->mu);
	if (e->jobs_tail)
		e->jobs_tail->next_job = u;
	else
		e->jobs_head = u;
	e->jobs_tail = u;
	pthread_cond_signal(&e->work);
	pthread_mutex_unlock(&e->mu);
}

void pool_wait(struct pool *p, struct unit *u)
{
	struct engine *e = p->e;

	pthread_mutex_lock(&e->mu);
	while (!u->done)
		pthread_cond_wait(&e->ready, &e->mu);
	pthread_mutex_unlock(&e->mu);
}

void pool_stop(struct pool *p)
{
	struct engine *e = p->e;

	pthread_mutex_lock(&e->mu);
	e->quit = 1;
	pthread_cond_broadcast(&e->work);
	pthread_mutex_unlock(&e->mu);
	for (unsigned i = 0; i < p->started; i++)
		pthread_join(p->w[i].tid, NULL);
	if (!p->started)
		scanner_cache_free(&p->w[0].sc);
	free(p->w);
	free(p);
}
