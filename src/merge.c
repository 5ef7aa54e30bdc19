/*
 * merge.c - the ordered merge: events -> the caller's callback, strictly in input order (see
 * engine.h for the flow).
 *
 * The merger (the calling thread) takes units strictly in sequence, once their worker is
 * done, and settles the only state a block cannot know. Seams between blocks of one file
 * (message records only):
 *  - a message whose start line is in block k may run into block k+1; block k's worker reads
 *    past its end to finish it, and reports where a sequential scan would resume. Events of
 *    block k+1 that start before that point lie inside the message (a folded header that looks
 *    like a start line) and are dropped, as a sequential scan never sees them;
 *  - the context of block k+1's first message stops at the block start (EV_CTX_CLIPPED); when
 *    the previous message ended elsewhere, the merger recomputes that context;
 *  - line numbers count from each block's start: the merger adds the lines before it;
 *  - times are resolved here, in order, with one time context per file (timeparse.h): the
 *    worker parsed each stamp as far as it could alone (time_pre()); what depends on the
 *    lines before - the date of a time of day, the time a record without a stamp carries,
 *    the zone's repeated autumn hour - is settled here (time_resolve()).
 * Then every event goes to the callback; the file's totals go to its report_file once its
 * last unit is merged, and a mapped file's merged pages are given back.
 *
 * Guarantee: whatever the thread count and block size, the callback sees exactly the events,
 * in exactly the order and with the same times and line numbers, that one sequential scan of
 * the files would give.
 */
#include "engine.h"
#include "guard.h"

#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

struct merger {
	struct engine *p;
	event_fn fn;
	void *ctx;
	const struct pipeline_opts *o;
	struct scanner_cache sc;	/* for recomputing clipped contexts */
	struct time_cache tc;		/* and parsing their stamps */
	uint64_t done_before;	/* stored bytes of the inputs merged completely */
	uint64_t bytes_before;	/* and the uncompressed bytes they gave */
	size_t files_done;
};

/*
 * The context of an event whose context a block start clipped, as a sequential scan would
 * have seen it (the window holds LOOKBEHIND bytes before the block: enough). A mapped window
 * is read under a guard and the strings are copied out of it; -1 when the mapping faulted.
 */
static int recompute_context(struct merger *m, struct unit *u, uint64_t resume, struct event *ev)
{
	const struct profile *prof = m->p->in[u->file].profile;
	struct scanner *sc = scanner_cache_get(&m->sc, prof);
	uint64_t lo = resume > u->base ? resume : u->base;
	sigjmp_buf env;

	if (!u->mapped) {
		scanner_context(sc, u->buf, u->len, (size_t)(lo - u->base),
				(size_t)(ev->offset - u->base), ev);
		pre_time(&m->tc, u->ref_us, ev);
		ev->ts.n = ev->ts_before.n = 0;	/* parsed: nothing reads them after */
		return 0;
	}
	if (sigsetjmp(env, 1) == 0) {
		guard_enter(&env);
		scanner_context(sc, u->buf, u->len, (size_t)(lo - u->base),
				(size_t)(ev->offset - u->base), ev);
		pre_time(&m->tc, u->ref_us, ev);
		ev->ts.n = ev->ts_before.n = 0;	/* parsed: nothing reads them after */
		own_str(&u->arena, &ev->src);
		guard_leave();
		return 0;
	}
	guard_leave();
	return -1;
}

/* The file shrank under a block: what came before counts, nothing after is trusted. */
static void file_broken(struct merger *m, struct unit *u, uint64_t at)
{
	struct file_state *fs = &m->p->fs[u->file];

	fs->broken = 1;
	source_fault(fs->src, at, m->p->in[u->file].rf);
}

static void merge_events(struct merger *m, struct unit *u)
{
	struct engine *p = m->p;
	struct file_state *fs = &p->fs[u->file];
	const struct profile *prof = p->in[u->file].profile;
	int seams = prof->kind == RECORD_MESSAGE;
	uint64_t block_start = u->base + u->start;

	if (fs->broken)
		return;
	struct event e;
	struct event *ev = &e;

	for (size_t i = 0; i < u->nev; i++) {
		if (seams && u->ev[i].offset < fs->resume)
			continue;	/* inside a message that began in an earlier block */
		unit_event_expand(u, &u->ev[i], ev);
		if (seams) {
			if ((ev->flags & EV_CTX_CLIPPED) && fs->resume != block_start &&
			    recompute_context(m, u, fs->resume, ev) < 0) {
				file_broken(m, u, ev->offset);
				return;
			}
		}
		ev->line += fs->line_base;
		if (ev->flags & EV_INCOMPLETE) {
			fs->incomplete++;
			continue;
		}
		ev->time_us = timeline_next_pre(&fs->tl, ev->before_kind, ev->before_val,
						ev->ts_kind, ev->ts_val, ev->flags & EV_TS_CARRY);
		if (ev->time_us != TIME_UNKNOWN) {
			if (fs->first == TIME_UNKNOWN)
				fs->first = ev->time_us;
			fs->last = ev->time_us;
		}
		/* every event, --since/--until too: the analysis applies the window by call */
		fs->records++;
		m->fn(m->ctx, ev);
	}
	if (u->faulted)
		file_broken(m, u, u->fault_at);
}

/*
 * Give back the pages of a mapped file that nothing will read again, so that resident memory
 * follows the blocks in flight rather than the file size. The pages stay in the page cache; a
 * later read would fault them in again. Kept: the context a following start line may look
 * back at, and the message the merge may resume in.
 */
static void release_merged(struct file_state *fs, const struct unit *u)
{
	uint64_t keep_from = fs->resume < u->end ? fs->resume : u->end;
	size_t page = 4096;

	if (keep_from < LOOKBEHIND + SCAN_MAX_MESSAGE)
		return;
	size_t upto = (size_t)(keep_from - LOOKBEHIND - SCAN_MAX_MESSAGE) & ~(page - 1);
	if (upto > fs->released) {
		madvise((char *)fs->map + fs->released, upto - fs->released, MADV_DONTNEED);
		fs->released = upto;
	}
}

static void finish_unit(struct merger *m, struct unit *u)
{
	struct engine *p = m->p;
	struct file_state *fs = &p->fs[u->file];
	struct report_file *rf = p->in[u->file].rf;
	int counted = !fs->broken || u->faulted;	/* the block that broke it counts in part */

	if (counted) {
		fs->line_base += u->blk.lines;
		fs->bytes += (u->faulted ? u->fault_at - u->base : u->end) - u->start;
		fs->lines_cut += u->blk.lines_cut;
		fs->match_limited += u->blk.match_limited;
	}
	if (u->blk.resume > fs->resume)
		fs->resume = u->blk.resume;
	if (fs->map)
		release_merged(fs, u);
	else
		fs->stored_done = u->stored;
	if (m->o->progress)
		m->o->progress(m->o->progress_ctx, m->done_before +
			       (fs->map ? u->end : fs->stored_done), m->bytes_before + fs->bytes,
			       m->files_done);
	if (!u->last_of_file)
		return;
	if (!fs->broken)
		source_finish(fs->src, rf);	/* shrank or grew after we read it */
	rf->bytes = fs->bytes + u->dropped;
	rf->stored_bytes = fs->map ? fs->map_len : source_consumed(fs->src);
	rf->lines = fs->line_base;
	rf->records = fs->records;
	rf->incomplete = fs->incomplete;
	rf->lines_cut = fs->lines_cut;
	rf->match_limited = fs->match_limited;
	rf->first_time = fs->first;
	rf->last_time = fs->last;
	m->done_before += rf->stored_bytes;
	m->bytes_before += rf->bytes;
	m->files_done++;
	source_close(fs->src);
	fs->src = NULL;
	fs->map = NULL;
}


struct merger *merger_new(struct engine *e, const struct pipeline_opts *o, event_fn fn,
			  void *ctx)
{
	struct merger *m = xcalloc(1, sizeof(*m));

	m->p = e;
	m->o = o;
	m->fn = fn;
	m->ctx = ctx;
	time_cache_init(&m->tc);
	return m;
}

void merger_unit(struct merger *m, struct unit *u)
{
	merge_events(m, u);
	finish_unit(m, u);
}

void merger_free(struct merger *m)
{
	scanner_cache_free(&m->sc);
	free(m);
}
