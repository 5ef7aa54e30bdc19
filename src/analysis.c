/*
 * analysis.c - the router of the call analysis: messages to the shards of the call table,
 * the log clock, the analysis threads, ticks and the ordered pass, and the end (see
 * analysis.h; the stages: src/calltab.c the shards, src/callstate.c the per-call state
 * machines, src/fold.c the aggregates, src/model.c the report model).
 *
 * Shards: the call table is split into ANALYSIS_SHARDS shards by a hash of the Call-ID
 * without a key (the same in every run); a shard sees only its own calls' messages, each with
 * the log clock (the latest time of any message so far: it never goes back), so a call
 * settles idle at the same log time as in one sequential pass. With threads, shard k belongs to thread k % threads, which
 * folds what its shards settle into its own fold; the folds are merged at the end.
 *
 * Ticks: every ANALYSIS_TICK messages every shard catches up with the clock, and the calls
 * settled since go, sorted by their first message, through the ordered pass (fold_ordered()):
 * the bounded tables keyed by strings from the log and the per-call rows (--calls-csv) are
 * fed in that order, the same whatever the threads. At the end, a last tick, then the calls
 * still open settle in the order of their first message.
 *
 * Determinism: every other aggregate is a sum, a multiset, a min/max, a "smallest positions"
 * set, or a figure computed from the whole set at the end (src/fold.c), so which fold a call
 * settled into, and when, does not change it. The report is the same for every thread count,
 * block size and run (tests/unit/test_shards.c, tests/e2e/determinism.sh).
 */
#include "analysis.h"
#include "calltab.h"
#include "fold.h"
#include "htab.h"
#include "timeparse.h"
#include "util.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* The analysis: the router's state, the shards, the folds. */
#define ANALYSIS_SHARDS 64
#define ANALYSIS_TICK 8192	/* messages between ticks (tick()): the calls settled in
				 * between wait for the ordered pass */

struct analysis {
	struct analysis_opts o;
	uint8_t seed[16];		/* of the keyed Call-ID hash, per run */
	struct shard shard[ANALYSIS_SHARDS];
	struct fold **folds;		/* folds[0]: authentication records, and the end */
	unsigned nfolds;
	unsigned nshards;		/* ANALYSIS_SHARDS (tests may ask for fewer) */
	uint64_t tick_every;		/* ANALYSIS_TICK (tests may ask for 1) */
	unsigned shard_fold[ANALYSIS_SHARDS];	/* which fold each shard settles into */
	int64_t now;			/* the log clock: the latest time of a message so far */
	int64_t first_time;		/* the earliest message's time (evict_idle()) */
	uint64_t seq;			/* messages so far */
	/* analysis threads (see "analysis threads" below); none: all in the caller's thread */
	struct athread *threads;
	unsigned nthreads;
	pthread_mutex_t mu;
	pthread_cond_t room;		/* a thread took a batch */
	pthread_cond_t handed;		/* a thread handed in a tick's rows */
	uint64_t ticks_sent, ticks_emitted;
	/* --state-out: the head (analysis.h) and the Call-IDs in it */
	struct htab *head_ids;
	struct analysis_part part;
};

/* A Call-ID of the head: the shard's clock at its last message; gone once a call of an
 * earlier shard can no longer be open under it (its later messages are the shard's own) */
struct head_id {
	int64_t last;
	int gone;
	char key[];
};

/* ---- the router: the log clock, shards, ticks */

/*
 * The shard of a Call-ID: callid_shard() (htab.h), a hash without a key, unlike the
 * tables' (whose key is drawn per run so that nobody can make Call-IDs collide in them):
 * which calls share a shard, and so which ones --max-calls settles early in a full one, must
 * be the same in every run of the same input. The price: someone who reads this code can aim
 * Call-IDs at one shard, filling its share of --max-calls with a 64th of the calls the whole
 * table needs (the calls settled early are reported). The engine's workers compute it
 * (EV_HASHED).
 */
static unsigned shard_of(const struct analysis *an, const struct event *ev)
{
	unsigned s = ev->flags & EV_HASHED ? ev->callid_shard :
		     callid_shard(ev->callid.p, ev->callid.n);

	return s % an->nshards;
}

static int cmp_call_pos(const void *x, const void *y)
{
	const struct call *a = *(const struct call *const *)x, *b = *(const struct call *const *)y;

	if (a->first_file != b->first_file)
		return a->first_file < b->first_file ? -1 : 1;
	return a->first_line < b->first_line ? -1 : a->first_line > b->first_line;
}

/*
 * The ordered pass over the calls settled since the last tick (all folds' lists, taken into
 * l): in the order of their first message, their rows go to call_fn and they are counted in
 * the tables keyed by strings from the log (sources, breakdowns, next hops), by the first
 * fold. Those tables are bounded: which keys a full one keeps depends on the order it is fed
 * in (topk.h), and this order is the same whatever the thread count or the shards. Frees the
 * calls.
 */
static void ordered_pass(struct analysis *an, struct settled *l)
{
	struct fold *a = an->folds[0];

	if (!l->n)
		return;
	struct call **v = xmalloc(l->n * sizeof(*v));
	size_t n = 0;
	for (struct call *c = l->head; c; c = c->next)
		v[n++] = c;
	qsort(v, n, sizeof(*v), cmp_call_pos);
	for (size_t i = 0; i < n; i++) {
		struct call *c = v[i];
		fold_ordered(a, c);
	}
	free(v);
	memset(l, 0, sizeof(*l));
}

/*
 * Every ANALYSIS_TICK messages, and at the end: every shard settles what the clock has made
 * idle, and the calls settled so far go through the ordered pass. Ticks fall on message
 * numbers, never on blocks or threads, so the passes get the same calls whatever -j.
 */
static void tick(struct analysis *an)
{
	if (an->now != TIME_UNKNOWN)
		for (unsigned k = 0; k < an->nshards; k++)
			evict_idle(&an->shard[k], an->folds[an->shard_fold[k]], an->now,
				   an->first_time);
	struct settled all = { 0 };
	for (unsigned k = 0; k < an->nfolds; k++)
		settled_take(&all, &an->folds[k]->settled);
	ordered_pass(an, &all);
}

/* ---- --state-out: the head of a shard (analysis.h, docs/state.md) */

static int64_t longest_idle(const struct analysis *an)
{
	const struct fold *f = an->folds[0];
	int64_t m = f->call_timeout_us;

	if (f->ring_timeout_us > m)
		m = f->ring_timeout_us;
	if (f->session_timeout_us > m)
		m = f->session_timeout_us;
	return m;
}

static void head_store(struct analysis *an, const struct event *ev, uint64_t seq)
{
	struct analysis_part *p = &an->part;
	size_t need = ev->callid.n + ev->src.n + ev->ua.n + ev->ruri.n;

	if (p->head_over || p->slen + need + (p->nhead + 1) * sizeof(*p->head) >
	    STATE_HEAD_MAX_BYTES) {
		p->head_over = 1;
		return;
	}
	if (p->nhead == p->head_cap) {
		p->head_cap = p->head_cap ? p->head_cap * 2 : 1024;
		p->head = xrealloc(p->head, p->head_cap * sizeof(*p->head));
	}
	if (p->slen + need > p->scap) {
		while (p->slen + need > p->scap)
			p->scap = p->scap ? p->scap * 2 : 1 << 16;
		p->str = xrealloc(p->str, p->scap);
	}
	struct head_event *h = &p->head[p->nhead++];
	memset(h, 0, sizeof(*h));
	h->time_us = ev->time_us;
	h->clock = an->now;
	h->seq = seq;
	h->line = ev->line;
	h->file = ev->file;
	h->cseq = ev->cseq;
	h->flags = ev->flags & ~(unsigned)EV_HASHED;
	h->auth = ev->auth;
	h->status = (uint16_t)ev->status;
	h->method = (uint8_t)ev->method;
	h->cseq_method = (uint8_t)ev->cseq_method;
	h->str = p->slen;
	const struct str *v[4] = { &ev->callid, &ev->src, &ev->ua, &ev->ruri };
	uint32_t *len[4] = { &h->callid_len, &h->src_len, &h->ua_len, &h->ruri_len };
	for (int i = 0; i < 4; i++) {
		if (v[i]->n)
			memcpy(p->str + p->slen, v[i]->p, v[i]->n);
		p->slen += v[i]->n;
		*len[i] = (uint32_t)v[i]->n;
	}
}

/*
 * Whether the message is the head's: its Call-ID was first seen while a call of an earlier
 * shard could still be open under it - no time yet, or the clock (L) within the slack plus
 * the longest idle limit of the shard's first time (T) - and such a call still could be: the
 * run over the whole archive idles it from its last message there, or from the earlier
 * shard's clock, at most T plus the slack (merge checks that bound).
 */
static int head_keep(struct analysis *an, const struct event *ev, uint64_t h, uint64_t seq)
{
	int64_t L = an->now, T = an->first_time, idle = longest_idle(an);

	if (an->part.head_over)
		return 1;	/* the state is an error already (state_write()): keep no more */
	struct head_id *e = htab_get(an->head_ids, ev->callid.p, ev->callid.n, h);

	if (e) {
		if (e->gone)
			return 0;
		if (L != TIME_UNKNOWN) {
			int64_t base = e->last > T + STATE_HEAD_SLACK_US ? e->last :
				       T + STATE_HEAD_SLACK_US;
			if (L > base + idle) {
				e->gone = 1;
				return 0;
			}
		}
		e->last = L;
	} else {
		if (L != TIME_UNKNOWN && L > T + STATE_HEAD_SLACK_US + idle)
			return 0;
		e = xmalloc(sizeof(*e) + ev->callid.n + 1);
		e->last = L;
		e->gone = 0;
		memcpy(e->key, ev->callid.p, ev->callid.n);
		htab_put(an->head_ids, e->key, ev->callid.n, h, e);
	}
	head_store(an, ev, seq);
	return 1;
}

/* ---- analysis threads */

/*
 * With opts.threads > 1, the shards are spread over that many threads (shard k to thread
 * k % threads), each folding into its own fold. The router (the caller's thread) sends each
 * thread batches of its messages, copied with their strings (the caller's event dies when
 * analysis_event() returns), and a tick marker every tick_every messages with the clock each
 * of its shards is to catch up with. A thread hands back the calls it settled by each tick;
 * the router runs the ordered pass over a tick's calls once every thread has handed them in,
 * as one thread would. Memory: at most AQ_DEPTH batches wait per thread.
 */
#define ABATCH_EVENTS 128
#define ABATCH_STR (16u << 10)
#define AQ_DEPTH 2

struct routed {
	struct event ev;		/* strings point into the batch's str */
	uint64_t h, seq;
	int64_t now, first_time;
	unsigned shard;
};

struct abatch {
	struct abatch *next;
	size_t n;
	struct routed r[ABATCH_EVENTS];
	char *str;
	size_t slen, scap;
	int tick, stop;			/* a tick marker (after the messages), or the end */
	int64_t clock, first_time;	/* a tick's: the log clock, the log's first time */
};

/* the calls one thread settled by a tick */
struct tick_calls {
	struct tick_calls *next;
	struct settled settled;
};

struct athread {
	struct analysis *an;
	struct fold *fold;
	pthread_t tid;
	int started;
	/* under an->mu */
	struct abatch *head, *tail, *free_list;
	size_t queued;
	pthread_cond_t wake;		/* a batch came */
	struct tick_calls *done_head, *done_tail;
	uint64_t ticks_done;
	/* router only */
	struct abatch *cur;
};

static struct abatch *batch_get(struct analysis *an, struct athread *t)
{
	struct abatch *b;

	pthread_mutex_lock(&an->mu);
	b = t->free_list;
	if (b)
		t->free_list = b->next;
	pthread_mutex_unlock(&an->mu);
	if (!b) {
		b = xcalloc(1, sizeof(*b));
		b->scap = ABATCH_STR;
		b->str = xmalloc(b->scap);
	}
	b->next = NULL;
	b->n = b->slen = 0;
	b->tick = b->stop = 0;
	return b;
}

static void batch_send(struct analysis *an, struct athread *t)
{
	struct abatch *b = t->cur;

	t->cur = NULL;
	pthread_mutex_lock(&an->mu);
	while (t->queued >= AQ_DEPTH)
		pthread_cond_wait(&an->room, &an->mu);
	if (t->tail)
		t->tail->next = b;
	else
		t->head = b;
	t->tail = b;
	t->queued++;
	pthread_cond_signal(&t->wake);
	pthread_mutex_unlock(&an->mu);
}

static void copy_str(struct abatch *b, struct str *s)
{
	if (!s->n)
		return;
	memcpy(b->str + b->slen, s->p, s->n);
	s->p = b->str + b->slen;
	b->slen += s->n;
}

static void route(struct analysis *an, unsigned k, const struct event *ev, uint64_t h,
		  uint64_t seq)
{
	struct athread *t = &an->threads[k % an->nthreads];
	size_t need = ev->callid.n + ev->src.n + ev->ua.n + ev->ruri.n + ev->from.n + ev->to.n;

	if (t->cur && (t->cur->n == ABATCH_EVENTS || t->cur->slen + need > t->cur->scap))
		batch_send(an, t);
	if (!t->cur)
		t->cur = batch_get(an, t);
	struct abatch *b = t->cur;
	if (need > b->scap) {
		/* a message with strings larger than a batch holds (a Call-ID is at most a line,
		 * SCAN_MAX_LINE): a batch of its own, grown for it */
		b->str = xrealloc(b->str, need);
		b->scap = need;
	}
	struct routed *r = &b->r[b->n++];
	r->ev = *ev;
	r->ev.ts = r->ev.ts_before = r->ev.account = (struct str){ NULL, 0 };
	copy_str(b, &r->ev.callid);
	copy_str(b, &r->ev.src);
	copy_str(b, &r->ev.ua);
	copy_str(b, &r->ev.ruri);
	copy_str(b, &r->ev.from);
	copy_str(b, &r->ev.to);
	r->h = h;
	r->seq = seq;
	r->now = an->now;
	r->first_time = an->first_time;
	r->shard = k;
}

/* Tick markers to every thread, each with the clocks of its shards. */
static void tick_threads(struct analysis *an)
{
	for (unsigned i = 0; i < an->nthreads; i++) {
		struct athread *t = &an->threads[i];
		if (!t->cur)
			t->cur = batch_get(an, t);
		t->cur->tick = 1;
		t->cur->clock = an->now;
		t->cur->first_time = an->first_time;
		batch_send(an, t);
	}
	an->ticks_sent++;
}

/*
 * The ordered pass of every tick that all threads have handed in (wait: until all that were
 * sent are in). The router's thread only.
 */
static void emit_ticks(struct analysis *an, int wait)
{
	for (;;) {
		struct settled all = { 0 };
		pthread_mutex_lock(&an->mu);
		for (;;) {
			uint64_t low = UINT64_MAX;
			for (unsigned i = 0; i < an->nthreads; i++)
				if (an->threads[i].ticks_done < low)
					low = an->threads[i].ticks_done;
			if (low > an->ticks_emitted || !wait || an->ticks_emitted == an->ticks_sent)
				break;
			pthread_cond_wait(&an->handed, &an->mu);
		}
		uint64_t low = UINT64_MAX;
		for (unsigned i = 0; i < an->nthreads; i++)
			if (an->threads[i].ticks_done < low)
				low = an->threads[i].ticks_done;
		if (low <= an->ticks_emitted) {
			pthread_mutex_unlock(&an->mu);
			return;
		}
		for (unsigned i = 0; i < an->nthreads; i++) {
			struct athread *t = &an->threads[i];
			struct tick_calls *tr = t->done_head;
			t->done_head = tr->next;
			if (!t->done_head)
				t->done_tail = NULL;
			settled_take(&all, &tr->settled);
			free(tr);
		}
		an->ticks_emitted++;
		pthread_mutex_unlock(&an->mu);
		ordered_pass(an, &all);
	}
}

static void *athread_main(void *arg)
{
	struct athread *t = arg;
	struct analysis *an = t->an;

	for (;;) {
		pthread_mutex_lock(&an->mu);
		while (!t->head)
			pthread_cond_wait(&t->wake, &an->mu);
		struct abatch *b = t->head;
		t->head = b->next;
		if (!t->head)
			t->tail = NULL;
		t->queued--;
		pthread_cond_signal(&an->room);
		pthread_mutex_unlock(&an->mu);

		for (size_t i = 0; i < b->n; i++) {
			struct routed *r = &b->r[i];
			shard_event(&an->shard[r->shard], t->fold, &r->ev, r->h, r->now,
				    r->first_time, r->seq);
		}
		int stop = b->stop, tick = b->tick;
		if (tick) {
			for (unsigned k = (unsigned)(t - an->threads); k < an->nshards; k += an->nthreads)
				if (b->clock != TIME_UNKNOWN)
					evict_idle(&an->shard[k], t->fold, b->clock, b->first_time);
		}
		pthread_mutex_lock(&an->mu);
		if (tick) {
			struct tick_calls *tr = xcalloc(1, sizeof(*tr));
			settled_take(&tr->settled, &t->fold->settled);
			if (t->done_tail)
				t->done_tail->next = tr;
			else
				t->done_head = tr;
			t->done_tail = tr;
		}
		if (tick) {
			t->ticks_done++;
			pthread_cond_signal(&an->handed);
		}
		b->next = t->free_list;
		t->free_list = b;
		pthread_mutex_unlock(&an->mu);
		if (stop)
			return NULL;
	}
}

/* Free what the (stopped) threads leave: batches, rows not handed out. */
static void stop_threads_free(struct analysis *an)
{
	for (unsigned i = 0; i < an->nthreads; i++) {
		struct athread *t = &an->threads[i];
		struct abatch *b, *lists[3] = { t->head, t->free_list, t->cur };
		for (int l = 0; l < 3; l++)
			for (b = lists[l]; b; b = lists[l]) {
				lists[l] = l == 2 ? NULL : b->next;
				free(b->str);
				free(b);
			}
		for (struct tick_calls *tr = t->done_head, *next; tr; tr = next) {
			next = tr->next;
			settled_free(&tr->settled);
			free(tr);
		}
		pthread_cond_destroy(&t->wake);
	}
	free(an->threads);
	an->threads = NULL;
	an->nthreads = 0;
	pthread_cond_destroy(&an->room);
	pthread_cond_destroy(&an->handed);
	pthread_mutex_destroy(&an->mu);
}

/* Start the threads; on failure the analysis runs in the router's thread (the same report). */
static void start_threads(struct analysis *an, unsigned n)
{
	an->threads = xcalloc(n, sizeof(*an->threads));
	an->nthreads = n;
	pthread_mutex_init(&an->mu, NULL);
	pthread_cond_init(&an->room, NULL);
	pthread_cond_init(&an->handed, NULL);
	for (unsigned i = 0; i < n; i++) {
		struct athread *t = &an->threads[i];
		t->an = an;
		t->fold = an->folds[1 + i];
		pthread_cond_init(&t->wake, NULL);
	}
	for (unsigned i = 0; i < n; i++) {
		struct athread *t = &an->threads[i];
		if (pthread_create(&t->tid, NULL, athread_main, t) != 0)
			break;
		t->started = 1;
	}
	if (!an->threads[n - 1].started) {
		/* not all of them: the ones that started stop at once, and the shards go back to
		 * the folds of the router's thread (nothing was sent yet) */
		for (unsigned i = 0; i < n && an->threads[i].started; i++) {
			struct athread *t = &an->threads[i];
			t->cur = batch_get(an, t);
			t->cur->stop = 1;
			batch_send(an, t);
			pthread_join(t->tid, NULL);
		}
		stop_threads_free(an);
		for (unsigned k = 0; k < an->nshards; k++)
			an->shard_fold[k] = 1 + k % n;
	}
}

/* The end of the input: every thread finishes its queue and stops; their rows are written. */
static void join_threads(struct analysis *an)
{
	if (!an->nthreads)
		return;
	for (unsigned i = 0; i < an->nthreads; i++) {
		struct athread *t = &an->threads[i];
		if (!t->cur)
			t->cur = batch_get(an, t);
		t->cur->stop = 1;
		batch_send(an, t);
	}
	for (unsigned i = 0; i < an->nthreads; i++)
		pthread_join(an->threads[i].tid, NULL);
	emit_ticks(an, 1);
	stop_threads_free(an);
}

void analysis_event(void *ctx, const struct event *ev)
{
	struct analysis *an = ctx;
	struct fold *f0 = an->folds[0];
	int64_t t = ev->time_us;
	uint64_t seq = ++an->seq;

	if (t != TIME_UNKNOWN) {
		/* the clock runs on outside the window too: it settles the calls in flight. It
		 * never goes back (a log whose times do, a second file of the same hours): a call
		 * idles from the latest time seen, so the idle lists stay in order of it */
		if (an->now == TIME_UNKNOWN)
			an->first_time = t;
		if (an->now == TIME_UNKNOWN || t > an->now)
			an->now = t;
	}
	if (ev->auth_result) {
		/* authentication records are counted here, in log order, by the first fold */
		int in = !before_window(f0, t) && !after_window(f0, t);
		if (in)
			fold_auth_record(f0, ev);
		if (!ev->status && ev->method == METHOD_NONE) {
			if (in)
				fold_count_event(&f0->acc, ev);
			else
				f0->acc.outside++;
			goto done;
		}
	}
	/* the engine's workers hash the Call-ID with the same key (EV_HASHED) */
	uint64_t h = ev->flags & EV_HASHED ? ev->callid_hash :
		     siphash13(an->seed, ev->callid.p, ev->callid.n);
	if (an->o.state && head_keep(an, ev, h, seq))
		goto done;
	unsigned k = shard_of(an, ev);
	struct shard *sh = &an->shard[k];
	if (an->nthreads)
		route(an, k, ev, h, seq);
	else
		shard_event(sh, an->folds[an->shard_fold[k]], ev, h, an->now, an->first_time, seq);
done:
	if (seq % an->tick_every == 0) {
		if (an->nthreads) {
			tick_threads(an);
			emit_ticks(an, 0);
		} else {
			tick(an);
		}
	}
}

struct analysis *analysis_new(const struct analysis_opts *o)
{
	struct analysis *an = xcalloc(1, sizeof(*an));

	an->o = *o;
	if (an->o.examples > REPORT_MAX_EXAMPLES)
		an->o.examples = REPORT_MAX_EXAMPLES;
	if (an->o.ring_timeout_s < an->o.call_timeout_s)
		an->o.ring_timeout_s = an->o.call_timeout_s;
	if (an->o.session_timeout_s < an->o.call_timeout_s)
		an->o.session_timeout_s = an->o.call_timeout_s;
	if (!an->o.top)
		an->o.top = 10;
	if (!an->o.max_calls)
		an->o.max_calls = ANALYSIS_MAX_CALLS;
	if (!an->o.window)
		an->o.since = an->o.until = TIME_UNKNOWN;
	if (an->o.seed)
		memcpy(an->seed, an->o.seed, sizeof(an->seed));
	else
		random_seed(an->seed, sizeof(an->seed));
	an->o.seed = NULL;	/* the caller's buffer may go */
	unsigned nthreads = an->o.threads > 1 ? an->o.threads : 0;
	if (nthreads > ANALYSIS_SHARDS)
		nthreads = ANALYSIS_SHARDS;
	an->nfolds = nthreads ? nthreads + 1 : an->o.folds ? an->o.folds : 1;
	an->folds = xcalloc(an->nfolds, sizeof(*an->folds));
	for (unsigned k = 0; k < an->nfolds; k++)
		an->folds[k] = fold_new(&an->o);
	an->nshards = an->o.shards && an->o.shards < ANALYSIS_SHARDS ? an->o.shards : ANALYSIS_SHARDS;
	an->tick_every = an->o.tick ? an->o.tick : ANALYSIS_TICK;
	/* --max-calls shared out; each shard holds at least one call */
	for (unsigned k = 0; k < an->nshards; k++) {
		struct shard *sh = &an->shard[k];
		sh->calls = htab_new(an->seed);
		sh->max_calls = an->o.max_calls / an->nshards +
				((uint64_t)k < an->o.max_calls % an->nshards);
		if (!sh->max_calls)
			sh->max_calls = 1;
		an->shard_fold[k] = nthreads ? 1 + k % nthreads : k % an->nfolds;
	}
	an->now = an->first_time = TIME_UNKNOWN;
	if (an->o.state)
		an->head_ids = htab_new(an->seed);
	if (nthreads)
		start_threads(an, nthreads);
	return an;
}

static void free_item(void *item, void *ctx)
{
	(void)ctx;
	free(item);
}

void analysis_free(struct analysis *an)
{
	if (!an)
		return;
	join_threads(an);
	for (unsigned k = 0; k < an->nshards; k++) {
		shard_free_calls(&an->shard[k]);
		htab_free(an->shard[k].calls);
	}
	for (unsigned k = 0; k < an->nfolds; k++)
		fold_free(an->folds[k]);
	free(an->folds);
	if (an->head_ids) {
		htab_each(an->head_ids, free_item, NULL);
		htab_free(an->head_ids);
	}
	analysis_part_release(&an->part);
	free(an);
}

/*
 * The input ended: a last tick, then the calls still open settle in the order of their first
 * message (their rows too), each into its shard's fold.
 */
static void settle_all(struct analysis *an)
{
	size_t n = 0, k = 0;

	tick(an);
	for (unsigned s = 0; s < an->nshards; s++)
		n += htab_count(an->shard[s].calls);
	if (!n)
		return;
	struct call **all = xmalloc(n * sizeof(*all));
	for (unsigned s = 0; s < an->nshards; s++)
		for (int l = 0; l < 3; l++)
			for (struct call *c = an->shard[s].lists[l].head; c; c = c->next)
				all[k++] = c;
	qsort(all, n, sizeof(*all), cmp_call_pos);
	for (size_t i = 0; i < n; i++) {
		unsigned s = callid_shard(all[i]->key, all[i]->key_len) % an->nshards;
		shard_settle(&an->shard[s], an->folds[an->shard_fold[s]], all[i], SETTLED_END);
	}
	free(all);
	struct settled done = { 0 };
	for (unsigned f = 0; f < an->nfolds; f++)
		settled_take(&done, &an->folds[f]->settled);
	ordered_pass(an, &done);
}

void analysis_report(struct fold *a, struct report *out)
{
	fold_resolve_hops(a);
	a->acc.calls_peak = a->open_time.n ? peak_max(&a->open_time) : peak_max(&a->open_seq);
	fold_report(a, out);
}

void analysis_finish(struct analysis *an, struct report *out)
{
	join_threads(an);
	settle_all(an);
	struct fold *a = an->folds[0];
	for (unsigned k = 1; k < an->nfolds; k++)
		fold_merge(a, an->folds[k]);
	analysis_report(a, out);
}

/* ---- --state-out and merge (analysis.h, docs/state.md) */

/*
 * The end of a shard: a last tick settles what the clock has made idle; the calls still open
 * are taken out, unsettled, in the order of their first message; the folds merge into one,
 * which the part takes, with the head.
 */
void analysis_part_end(struct analysis *an, struct analysis_part *p)
{
	join_threads(an);
	tick(an);
	struct settled open = { 0 };
	for (unsigned s = 0; s < an->nshards; s++)
		shard_take_calls(&an->shard[s], &open);
	*p = an->part;
	memset(&an->part, 0, sizeof(an->part));
	p->nopen = open.n;
	p->open = open.n ? xmalloc(open.n * sizeof(*p->open)) : NULL;
	size_t k = 0;
	for (struct call *c = open.head; c; c = c->next)
		p->open[k++] = c;
	if (k)
		qsort(p->open, k, sizeof(*p->open), cmp_call_pos);
	for (size_t i = 0; i < k; i++)
		p->open[i]->next = p->open[i]->prev = NULL;
	struct fold *a = an->folds[0];
	for (unsigned f = 1; f < an->nfolds; f++)
		fold_merge(a, an->folds[f]);
	p->fold = a;
	an->folds[0] = NULL;
	p->now = an->now;
	p->first_time = an->now == TIME_UNKNOWN ? TIME_UNKNOWN : an->first_time;
	p->seq = an->seq;
}

void analysis_part_release(struct analysis_part *p)
{
	fold_free(p->fold);
	for (size_t i = 0; i < p->nopen; i++)
		call_free(p->open[i]);
	free(p->open);
	free(p->head);
	free(p->str);
	memset(p, 0, sizeof(*p));
}

void analysis_set_first_time(struct analysis *an, int64_t first_time)
{
	an->first_time = first_time;
}

static void clock_to(struct analysis *an, int64_t t)
{
	if (t != TIME_UNKNOWN && (an->now == TIME_UNKNOWN || t > an->now))
		an->now = t;
}

/*
 * One message of a shard's head: the clock of the run over the whole archive at it is the
 * later of the earlier shards' clock and the shard's own at it (the clock never goes back).
 * Merging into a state (opts.state), a message that would be the head of one shard of all
 * the inputs so far stays a message.
 */
void analysis_replay(struct analysis *an, const struct event *ev, int64_t clock, uint64_t seq)
{
	clock_to(an, clock);
	uint64_t h = siphash13(an->seed, ev->callid.p, ev->callid.n);
	if (an->o.state && head_keep(an, ev, h, seq))
		return;		/* the head of the merged state (merge --state-out) */
	unsigned k = callid_shard(ev->callid.p, ev->callid.n) % an->nshards;
	shard_event(&an->shard[k], an->folds[an->shard_fold[k]], ev, h, an->now, an->first_time,
		    seq);
}

/* The shard's clock at its end: what it has made idle settles (a tick). */
void analysis_part_clock(struct analysis *an, int64_t now)
{
	clock_to(an, now);
	tick(an);
}

void analysis_adopt(struct analysis *an, struct call *c)
{
	unsigned k = callid_shard(c->key, c->key_len) % an->nshards;

	c->hash = siphash13(an->seed, c->key, c->key_len);
	shard_adopt(&an->shard[k], an->folds[an->shard_fold[k]], c);
}

void analysis_merge_end(struct analysis *an, struct fold *into)
{
	join_threads(an);
	settle_all(an);
	for (unsigned k = 0; k < an->nfolds; k++)
		fold_merge(into, an->folds[k]);
}
