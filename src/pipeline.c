/*
 * pipeline.c - the engine's driver (see pipeline.h for what the engine guarantees, engine.h
 * for its stages).
 *
 * The calling thread is the dispatcher and the merger: it cuts units (chunk.c) and hands them
 * to the workers (pool.c) while fewer than the budget allows are in flight, then merges the
 * oldest one (merge.c) once its worker is done, and so on until every input is merged. The
 * merge is strictly in sequence, so the engine needs no lock per line or per event.
 */
#include "pipeline.h"
#include "engine.h"
#include "guard.h"

#include <malloc.h>
#include <stdlib.h>

int pipeline_run(struct pipeline_input *in, size_t n, const struct pipeline_opts *o,
		 event_fn fn, void *ctx)
{
	unsigned nthreads = o->threads ? o->threads : 1;
	size_t budget = o->budget ? o->budget : PIPELINE_BUDGET;
	struct engine e = { .in = in, .n = n, .callid_seed = o->callid_seed,
			    .budget = budget,
			    .stream_budget = o->stream_budget ? o->stream_budget :
					     PIPELINE_STREAM_BUDGET,
			    .block_size = o->block_size ? o->block_size :
					  chunk_block_size(nthreads, budget) };
	size_t max_inflight;
	struct unit *seq_head = NULL, *seq_tail = NULL;
	size_t inflight = 0, cursor = 0;
	/* the budget of units in flight: their bytes as counted when they were cut, with the
	 * events and strings per byte of block that the last merged unit really held */
	size_t bytes = 0;
	double per_byte = UNIT_COST - 1;
	int ret = 0;

	chunk_concurrency(&e, nthreads, &max_inflight);
	guard_install();
	/* the events' strings are arenas made in a worker and freed by the merger: glibc gives
	 * each thread a heap of its own, and every heap keeps what was freed in it, so the
	 * resident memory grew with -j (1.2 GiB at -j64 over 64 gzip files, before windows and
	 * event arrays were recycled). Two heaps keep it near what is in flight. */
	mallopt(M_ARENA_MAX, 2);
	e.fs = xcalloc(n ? n : 1, sizeof(*e.fs));
	pthread_mutex_init(&e.mu, NULL);
	pthread_cond_init(&e.work, NULL);
	pthread_cond_init(&e.ready, NULL);
	pthread_cond_init(&e.taken, NULL);
	struct pool *pool = pool_start(&e, nthreads);
	struct merger *m = merger_new(&e, o, fn, ctx);

	for (;;) {
		/* keep the workers busy, within the memory bound */
		struct unit *u;
		while (inflight < max_inflight &&
		       (!inflight || bytes + (size_t)((double)e.block_size * (1 + per_byte)) <=
					 budget) &&
		       (u = chunk_next(&e, &cursor)) != NULL) {
			size_t block = u->end - u->start;
			u->cost = (u->owned ? u->len : block) + (size_t)((double)block * per_byte);
			bytes += u->cost;
			if (seq_tail)
				seq_tail->next_seq = u;
			else
				seq_head = u;
			seq_tail = u;
			inflight++;
			pool_run(pool, u);
		}
		u = seq_head;
		if (!u)
			break;
		/* merge the oldest unit once its worker is done */
		pool_wait(pool, u);
		merger_unit(m, u);
		if (u->end > u->start)
			per_byte = (double)(u->nev * sizeof(*u->ev) + u->nstrs + u->arena.total) /
				   (double)(u->end - u->start);
		bytes -= u->cost;
		seq_head = u->next_seq;
		if (!seq_head)
			seq_tail = NULL;
		inflight--;
		chunk_unit_free(&e, u);
	}

	pool_stop(pool);
	merger_free(m);
	chunk_free_all(&e);
	for (size_t f = 0; f < n; f++) {
		if (e.fs[f].src)
			source_close(e.fs[f].src);
		free(e.fs[f].sbuf);
		if (in[f].src) {
			source_close(in[f].src);
			in[f].src = NULL;
		}
		if (in[f].rf->status == FILE_ERROR)
			ret = -1;
	}
	pthread_cond_destroy(&e.work);
	pthread_cond_destroy(&e.ready);
	pthread_cond_destroy(&e.taken);
	pthread_mutex_destroy(&e.mu);
	free(e.fs);
	return ret;
}
