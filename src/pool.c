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

static void own_strings(struct arena *a, struct event *ev)
{
	own_str(a, &ev->callid);
	own_str(a, &ev->src);
	own_str(a, &ev->ua);
	own_str(a, &ev->ruri);
	own_str(a, &ev->account);
}

void pre_time(struct time_cache *c, int64_t ref_us, struct event *ev)
{
	ev->before_kind = (uint8_t)(ev->ts_before.n ?
		time_pre(c, ref_us, ev->ts_before.p, ev->ts_before.n, &ev->before_val) : TS_NONE);
	ev->ts_kind = (uint8_t)(ev->ts.n ? time_pre(c, ref_us, ev->ts.p, ev->ts.n, &ev->ts_val) :
			       TS_NONE);
}

/*
 * Events point into the unit's window, which lives until the unit is merged; those of a
 * mapped window are copied out of it, so that nothing after the scan reads the mapping.
 * The work that needs the event's bytes is done here, while they are in this core's cache:
 * the Call-ID is hashed with the call table's key, the stamps are parsed as far as they can
 * be without the lines before them (the merger resolves them in order), and their text is
 * dropped, as nothing reads it any more.
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
	struct event *e = &u->ev[u->nev++];
	*e = *ev;
	pre_time(&w->tc, u->ref_us, e);
	e->ts.n = e->ts_before.n = 0;
	e->ts.p = e->ts_before.p = NULL;
	if (seed) {
		e->callid_hash = siphash13(seed, e->callid.p, e->callid.n);
		e->callid_shard = (uint8_t)callid_shard(e->callid.p, e->callid.n);
		e->flags |= EV_HASHED;
	}
	if (u->mapped)
		own_strings(&u->arena, e);
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
