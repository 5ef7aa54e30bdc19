/*
 * pipeline.c - worker threads, units of work, and the ordered merge (see pipeline.h).
 *
 * The calling thread is the dispatcher and the merger. It walks the inputs in order and cuts
 * them into units: a mapped plain file into line-aligned blocks of --block-size bytes, any
 * other input (gzip, stdin, pipes) into one stream unit. Units go through a FIFO queue to the
 * workers; each worker owns its scanners (and so its pcre2_match_data). A worker appends
 * batches of events to its unit; the merger takes units strictly in sequence and batches in
 * order, so the only lock is taken once per batch, never per line or per event.
 *
 * Seams between blocks of one file (message records only):
 *  - a message whose start line is in block k may run into block k+1; block k's worker reads
 *    past its end to finish it, and reports where a sequential scan would resume. Events of
 *    block k+1 that start before that point lie inside the message (a folded header that looks
 *    like a start line) and are dropped, as a sequential scan never sees them;
 *  - the context of block k+1's first message stops at the block start (EV_CTX_CLIPPED); when
 *    the previous message ended elsewhere, the merger recomputes that context;
 *  - line numbers count from each block's start: the merger adds the lines before it;
 *  - times are parsed here, in order, with one time context per file (timeparse.h).
 */
#include "pipeline.h"
#include "scan.h"
#include "timeparse.h"
#include "util.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define BATCH_EVENTS 8192	/* events per stream batch */
#define STREAM_QUEUE 2		/* batches a stream unit may hold before its worker waits */
#define MAX_SCANNERS 8		/* profiles a worker keeps a scanner for */

struct batch {
	struct batch *next;
	struct event *ev;
	size_t n, cap;
	struct arena arena;	/* copies of the strings (streams only) */
	uint64_t raw_bytes;	/* stream input consumed when the batch was cut (progress) */
};

enum unit_kind { UNIT_BLOCK, UNIT_STREAM };

struct unit {
	struct unit *next_job;	/* FIFO of units waiting for a worker */
	struct unit *next_seq;	/* units in input order, dispatched, not yet merged */
	size_t file;
	enum unit_kind kind;
	size_t start, end;	/* block: byte range of start lines */
	int last_of_file;
	/* filled by the worker, read by the merger under the lock */
	struct batch *head, *tail;
	size_t nbatches;
	int done;
	struct scan_block blk;
};

struct file_state {
	struct source *src;
	const char *map;	/* mapped plain file, else NULL */
	size_t map_len;
	size_t next_block;	/* dispatcher: where the next block starts */
	int opened, dispatched_all;
	/* merger */
	struct timeline tl;
	uint64_t line_base;
	size_t resume;
	int64_t first, last;
	uint64_t records, incomplete;
	uint64_t raw_done;	/* stored bytes merged, for progress */
};

struct pool {
	pthread_mutex_t mu;
	pthread_cond_t work;	/* a job was queued, or quit */
	pthread_cond_t ready;	/* a batch arrived or a unit finished */
	pthread_cond_t room;	/* the merger took a batch from a stream unit */
	struct unit *jobs_head, *jobs_tail;
	int quit;
	struct pipeline_input *in;
	struct file_state *fs;
	size_t block_size;
};

struct worker {
	struct pool *pool;
	pthread_t tid;
	const struct profile *prof[MAX_SCANNERS];
	struct scanner *sc[MAX_SCANNERS];
	int nsc;
	/* the unit being scanned */
	struct unit *u;
	struct batch *b;
};

/* ---- batches */

static struct batch *batch_new(void)
{
	return xcalloc(1, sizeof(struct batch));
}

static void batch_free(struct batch *b)
{
	free(b->ev);
	arena_free(&b->arena);
	free(b);
}

static struct event *batch_add(struct batch *b)
{
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 1024;
		b->ev = xrealloc(b->ev, b->cap * sizeof(*b->ev));
	}
	return &b->ev[b->n++];
}

/* Hand a batch to the merger; a stream unit waits while it already holds STREAM_QUEUE. */
static void unit_push(struct pool *p, struct unit *u, struct batch *b)
{
	pthread_mutex_lock(&p->mu);
	while (u->kind == UNIT_STREAM && u->nbatches >= STREAM_QUEUE)
		pthread_cond_wait(&p->room, &p->mu);
	if (u->tail)
		u->tail->next = b;
	else
		u->head = b;
	u->tail = b;
	u->nbatches++;
	pthread_cond_broadcast(&p->ready);
	pthread_mutex_unlock(&p->mu);
}

/* ---- workers */

static struct scanner *worker_scanner(struct worker *w, const struct profile *p)
{
	for (int i = 0; i < w->nsc; i++)
		if (w->prof[i] == p)
			return w->sc[i];
	if (w->nsc == MAX_SCANNERS) {	/* more profiles than slots: recycle the oldest */
		scanner_free(w->sc[0]);
		memmove(w->sc, w->sc + 1, (MAX_SCANNERS - 1) * sizeof(w->sc[0]));
		memmove(w->prof, w->prof + 1, (MAX_SCANNERS - 1) * sizeof(w->prof[0]));
		w->nsc--;
	}
	w->prof[w->nsc] = p;
	w->sc[w->nsc] = scanner_new(p, NULL, NULL);
	return w->sc[w->nsc++];
}

/* Block events point into the mapped file, which outlives the batch. */
static void emit_block(void *ctx, const struct event *ev)
{
	struct worker *w = ctx;

	*batch_add(w->b) = *ev;
}

static void copy_str(struct arena *a, struct str *s)
{
	s->p = arena_dup(a, s->p, s->n);
}

/* Stream events point into a window that moves on: copy their strings. */
static void emit_stream(void *ctx, const struct event *ev)
{
	struct worker *w = ctx;
	struct batch *b = w->b;
	struct event *e = batch_add(b);

	*e = *ev;
	copy_str(&b->arena, &e->callid);
	copy_str(&b->arena, &e->src);
	copy_str(&b->arena, &e->ua);
	copy_str(&b->arena, &e->ts);
	copy_str(&b->arena, &e->ts_before);
	if (b->n >= BATCH_EVENTS) {
		unit_push(w->pool, w->u, b);
		w->b = batch_new();
	}
}

static void stream_progress(void *ctx, uint64_t bytes_in)
{
	struct worker *w = ctx;

	w->b->raw_bytes = bytes_in;
}

static void run_unit(struct worker *w, struct unit *u)
{
	struct pool *p = w->pool;
	struct pipeline_input *in = &p->in[u->file];
	struct file_state *fs = &p->fs[u->file];
	struct scanner *sc = worker_scanner(w, in->profile);

	w->u = u;
	w->b = batch_new();
	if (u->kind == UNIT_BLOCK) {
		scanner_set_emit(sc, emit_block, w);
		scanner_begin(sc, (uint32_t)u->file);
		scanner_scan_block(sc, fs->map, fs->map_len, u->start, u->end, &u->blk);
		w->b->raw_bytes = u->end;
	} else {
		scanner_set_emit(sc, emit_stream, w);
		scanner_begin(sc, (uint32_t)u->file);
		source_scan(fs->src, sc, in->rf, stream_progress, w);
	}
	unit_push(p, u, w->b);
	w->b = NULL;
	pthread_mutex_lock(&p->mu);
	u->done = 1;
	pthread_cond_broadcast(&p->ready);
	pthread_mutex_unlock(&p->mu);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct pool *p = w->pool;

	for (;;) {
		pthread_mutex_lock(&p->mu);
		while (!p->jobs_head && !p->quit)
			pthread_cond_wait(&p->work, &p->mu);
		struct unit *u = p->jobs_head;
		if (!u) {
			pthread_mutex_unlock(&p->mu);
			break;
		}
		p->jobs_head = u->next_job;
		if (!p->jobs_head)
			p->jobs_tail = NULL;
		pthread_mutex_unlock(&p->mu);
		run_unit(w, u);
	}
	for (int i = 0; i < w->nsc; i++)
		scanner_free(w->sc[i]);
	return NULL;
}

/* ---- dispatcher */

/* Open file f for scanning; 0, or -1 when it cannot be (the error is in its rf). */
static int open_file(struct pool *p, size_t f)
{
	struct pipeline_input *in = &p->in[f];
	struct file_state *fs = &p->fs[f];

	fs->opened = 1;
	fs->first = fs->last = TIME_UNKNOWN;
	if (!in->profile || in->rf->status != FILE_OK)
		return -1;
	fs->src = in->src ? in->src : source_open(in->path, in->rf);
	in->src = NULL;
	if (!fs->src)
		return -1;
	fs->map = source_map(fs->src, &fs->map_len);
	timeline_init(&fs->tl, source_mtime_us(fs->src));
	return 0;
}

/* The next unit in input order, or NULL when every input is cut up. */
static struct unit *next_unit(struct pool *p, size_t n, size_t *cursor)
{
	while (*cursor < n) {
		size_t f = *cursor;
		struct file_state *fs = &p->fs[f];
		if (!fs->opened && open_file(p, f) < 0) {
			fs->dispatched_all = 1;
			(*cursor)++;
			continue;
		}
		struct unit *u = xcalloc(1, sizeof(*u));
		u->file = f;
		if (!fs->map) {
			u->kind = UNIT_STREAM;
			u->last_of_file = 1;
		} else {
			u->kind = UNIT_BLOCK;
			u->start = fs->next_block;
			size_t end = fs->map_len;
			if (fs->map_len - u->start > p->block_size) {
				/* cut after the first newline at or past the target: blocks hold whole lines */
				size_t t = u->start + p->block_size;
				const char *nl = memchr(fs->map + t, '\n', fs->map_len - t);
				end = nl ? (size_t)(nl - fs->map) + 1 : fs->map_len;
			}
			u->end = end;
			fs->next_block = end;
			u->last_of_file = end == fs->map_len;
		}
		if (u->last_of_file) {
			fs->dispatched_all = 1;
			(*cursor)++;
		}
		return u;
	}
	return NULL;
}

static void queue_job(struct pool *p, struct unit *u)
{
	pthread_mutex_lock(&p->mu);
	if (p->jobs_tail)
		p->jobs_tail->next_job = u;
	else
		p->jobs_head = u;
	p->jobs_tail = u;
	pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->mu);
}

/* ---- merger */

struct merger {
	struct pool *p;
	struct analysis *an;
	const struct pipeline_opts *o;
	struct scanner *sc[MAX_SCANNERS];	/* for recomputing clipped contexts */
	const struct profile *prof[MAX_SCANNERS];
	int nsc;
	uint64_t done_before;	/* stored bytes of the inputs merged completely */
};

static struct scanner *merger_scanner(struct merger *m, const struct profile *p)
{
	for (int i = 0; i < m->nsc; i++)
		if (m->prof[i] == p)
			return m->sc[i];
	if (m->nsc == MAX_SCANNERS) {
		scanner_free(m->sc[0]);
		memmove(m->sc, m->sc + 1, (MAX_SCANNERS - 1) * sizeof(m->sc[0]));
		memmove(m->prof, m->prof + 1, (MAX_SCANNERS - 1) * sizeof(m->prof[0]));
		m->nsc--;
	}
	m->prof[m->nsc] = p;
	m->sc[m->nsc] = scanner_new(p, NULL, NULL);
	return m->sc[m->nsc++];
}

static void merge_batch(struct merger *m, struct unit *u, struct batch *b)
{
	struct pool *p = m->p;
	struct file_state *fs = &p->fs[u->file];
	const struct profile *prof = p->in[u->file].profile;
	int seams = u->kind == UNIT_BLOCK && prof->kind == RECORD_MESSAGE;

	for (size_t i = 0; i < b->n; i++) {
		struct event *ev = &b->ev[i];
		if (seams) {
			if (ev->offset < fs->resume)
				continue;	/* inside a message that began in an earlier block */
			if ((ev->flags & EV_CTX_CLIPPED) && fs->resume != u->start)
				scanner_context(merger_scanner(m, prof), fs->map, fs->resume,
						(size_t)ev->offset, ev);
		}
		if (u->kind == UNIT_BLOCK)
			ev->line += fs->line_base;
		if (ev->flags & EV_INCOMPLETE) {
			fs->incomplete++;
			continue;
		}
		ev->time_us = timeline_next2(&fs->tl, ev->ts_before.p, ev->ts_before.n, ev->ts.p,
					     ev->ts.n, ev->flags & EV_TS_CARRY);
		if (ev->time_us != TIME_UNKNOWN) {
			if (fs->first == TIME_UNKNOWN)
				fs->first = ev->time_us;
			fs->last = ev->time_us;
		}
		fs->records++;
		analysis_event(m->an, ev);
	}
	if (b->raw_bytes > fs->raw_done)
		fs->raw_done = b->raw_bytes;
	if (m->o->progress)
		m->o->progress(m->o->progress_ctx, m->done_before + fs->raw_done);
}

static void finish_unit(struct merger *m, struct unit *u)
{
	struct pool *p = m->p;
	struct file_state *fs = &p->fs[u->file];
	struct report_file *rf = p->in[u->file].rf;

	if (u->kind == UNIT_BLOCK) {
		fs->line_base += u->blk.lines;
		if (u->blk.resume > fs->resume)
			fs->resume = u->blk.resume;
	}
	if (!u->last_of_file)
		return;
	if (fs->map) {
		rf->bytes = fs->map_len;
		rf->stored_bytes = fs->map_len;
		rf->lines = fs->line_base;
	}
	rf->records = fs->records;
	rf->incomplete = fs->incomplete;
	rf->first_time = fs->first;
	rf->last_time = fs->last;
	m->done_before += rf->stored_bytes;
	source_close(fs->src);
	fs->src = NULL;
	fs->map = NULL;
}

int pipeline_run(struct pipeline_input *in, size_t n, const struct pipeline_opts *o,
		 struct analysis *an)
{
	struct pool p = { .in = in, .block_size = o->block_size ? o->block_size : PIPELINE_DEFAULT_BLOCK };
	unsigned nthreads = o->threads ? o->threads : 1;
	size_t max_inflight = 2 * (size_t)nthreads + 2;
	struct worker *w = xcalloc(nthreads, sizeof(*w));
	struct merger m = { .p = &p, .an = an, .o = o };
	struct unit *seq_head = NULL, *seq_tail = NULL;
	size_t inflight = 0, cursor = 0;
	int ret = 0;

	p.fs = xcalloc(n ? n : 1, sizeof(*p.fs));
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.work, NULL);
	pthread_cond_init(&p.ready, NULL);
	pthread_cond_init(&p.room, NULL);
	for (unsigned i = 0; i < nthreads; i++) {
		w[i].pool = &p;
		if (pthread_create(&w[i].tid, NULL, worker_main, &w[i]) != 0) {
			err_msg("cannot start worker thread %u of %u; lower --threads", i + 1, nthreads);
			exit(2);
		}
	}

	for (;;) {
		/* keep the workers busy, within the memory bound */
		struct unit *u;
		while (inflight < max_inflight && (u = next_unit(&p, n, &cursor)) != NULL) {
			if (seq_tail)
				seq_tail->next_seq = u;
			else
				seq_head = u;
			seq_tail = u;
			inflight++;
			queue_job(&p, u);
		}
		u = seq_head;
		if (!u)
			break;
		/* merge the oldest unit, batch by batch, as its worker delivers them */
		for (;;) {
			pthread_mutex_lock(&p.mu);
			while (!u->head && !u->done)
				pthread_cond_wait(&p.ready, &p.mu);
			struct batch *b = u->head;
			if (b) {
				u->head = b->next;
				if (!u->head)
					u->tail = NULL;
				u->nbatches--;
				pthread_cond_broadcast(&p.room);
			}
			int finished = !b && u->done;
			pthread_mutex_unlock(&p.mu);
			if (finished)
				break;
			merge_batch(&m, u, b);
			batch_free(b);
		}
		finish_unit(&m, u);
		seq_head = u->next_seq;
		if (!seq_head)
			seq_tail = NULL;
		inflight--;
		free(u);
	}

	pthread_mutex_lock(&p.mu);
	p.quit = 1;
	pthread_cond_broadcast(&p.work);
	pthread_mutex_unlock(&p.mu);
	for (unsigned i = 0; i < nthreads; i++)
		pthread_join(w[i].tid, NULL);
	for (int i = 0; i < m.nsc; i++)
		scanner_free(m.sc[i]);
	for (size_t f = 0; f < n; f++) {
		if (p.fs[f].src)
			source_close(p.fs[f].src);
		if (in[f].src) {
			source_close(in[f].src);
			in[f].src = NULL;
		}
		if (in[f].rf->status != FILE_OK)
			ret = -1;
	}
	pthread_cond_destroy(&p.work);
	pthread_cond_destroy(&p.ready);
	pthread_cond_destroy(&p.room);
	pthread_mutex_destroy(&p.mu);
	free(p.fs);
	free(w);
	return ret;
}
