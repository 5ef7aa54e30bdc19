/*
 * pipeline.c - worker threads, blocks, and the ordered merge (see pipeline.h).
 *
 * The calling thread is the dispatcher and the merger. It walks the inputs in order and cuts
 * each into line-aligned blocks of --block-size bytes: a mapped plain file in place; any other
 * input (gzip, stdin, pipes) by reading it - inflating overlaps with the workers' scanning -
 * into a window per block that also holds the bytes just before the block (the context a
 * start line may look back at) and just after it (where the block's last message may run).
 * Blocks go through a FIFO queue to the workers; each worker owns its scanners (and so its
 * pcre2_match_data). The merger takes blocks strictly in sequence, so the only lock is taken
 * once per block, never per line or per event.
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
#include "guard.h"
#include "scan.h"
#include "timeparse.h"
#include "util.h"

#include <malloc.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>

#define MAX_SCANNERS 8		/* profiles a worker keeps a scanner for */

/*
 * A window of a stream carries this much after its block, so that every message starting in
 * the block is complete in it (a block ends at a line end, so its start lines end inside it;
 * the header block that follows is cut at SCAN_MAX_MESSAGE bytes, and a line longer than
 * SCAN_LONG_LINE never ends one - see scan.c), and this much before it, for the merger's
 * context recomputation. A block ends at the first newline at or after its target size; a
 * stream keeps at most SCAN_MAX_LINE + 1 bytes of any line, so that newline is near.
 */
#define LOOKAHEAD (SCAN_MAX_MESSAGE + 2 * SCAN_LONG_LINE)
#define LOOKBEHIND SCAN_LOOKBEHIND
#define READ_AHEAD 2		/* windows a reader cuts before the dispatcher takes them */
#define READ_MAX SCAN_MAX_LINE	/* one read() never holds more than one overlong line's worth */
#define FILES_AHEAD 64		/* inputs the dispatcher looks ahead for streams to start */

struct unit {
	struct unit *next_job;	/* FIFO of units waiting for a worker */
	struct unit *next_seq;	/* units in input order, dispatched, not yet merged */
	size_t file;
	int last_of_file;
	/* the window: buf[0..len) holds the file from offset base; the block is [start, end) */
	const char *buf;
	size_t len;
	uint64_t base;
	size_t start, end;
	char *owned;		/* buf, when it is a copy (streams); freed after the merge */
	int mapped;		/* buf is the file's mapping: read it under a guard */
	uint64_t stored;	/* stream: stored bytes consumed once this window was read */
	uint64_t dropped;	/* stream: bytes of overlong lines left out, up to this window */
	/* filled by the worker, read by the merger once done is set under the lock */
	struct event *ev;
	size_t nev, cap;
	struct arena arena;	/* the events' strings (copied out of a mapping), decoded lines */
	struct scan_block blk;
	int faulted;		/* the mapping vanished under the worker (the file shrank) */
	uint64_t fault_at;	/* file offset the worker had reached */
	int done;
};

struct file_state {
	struct source *src;
	const char *map;	/* mapped plain file, else NULL */
	size_t map_len;
	uint64_t next_block;	/* dispatcher: file offset where the next block starts */
	int opened;
	/* stream reading, by the file's reader thread (or the dispatcher, when no thread could
	 * be started): data from file offset sbase in sbuf[0..slen); the windows it cut wait in
	 * ready (at most READ_AHEAD) */
	char *sbuf;
	size_t slen, scap;
	uint64_t sbase;
	size_t block_size;	/* the pool's, for sizing sbuf */
	size_t tail;		/* bytes kept of the line not yet ended */
	int in_long;		/* that line is over SCAN_MAX_LINE: dropping the rest of it */
	uint64_t dropped;	/* bytes of overlong lines left out (offsets do not count them) */
	int eof;
	pthread_t reader;
	int reading;		/* a reader thread was started (and not yet joined) */
	struct unit *ready_head, *ready_tail;
	size_t nready;
	int taken_all;		/* the dispatcher took the last window (dispatcher only) */
	/* merger */
	struct timeline tl;
	uint64_t line_base;
	uint64_t resume;
	int64_t first, last;
	uint64_t records, incomplete, bytes, lines_cut, match_limited;
	uint64_t stored_done;	/* stored bytes merged, for progress */
	size_t released;	/* mapped bytes before this were given back (MADV_DONTNEED) */
	int broken;		/* the mapping faulted: later blocks of the file are not trusted */
};

struct pool {
	pthread_mutex_t mu;
	pthread_cond_t work;	/* a job was queued, or quit */
	pthread_cond_t ready;	/* a unit finished, or a reader cut a window */
	pthread_cond_t taken;	/* the dispatcher took a window from a reader */
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
	struct unit *u;		/* the unit being scanned */
};

/* One scanner per profile and thread, made on first use. */
static struct scanner *scanner_for(const struct profile **prof, struct scanner **sc, int *n,
				   const struct profile *p)
{
	for (int i = 0; i < *n; i++)
		if (prof[i] == p)
			return sc[i];
	if (*n == MAX_SCANNERS) {	/* more profiles than slots: recycle the oldest */
		scanner_free(sc[0]);
		memmove(sc, sc + 1, (MAX_SCANNERS - 1) * sizeof(sc[0]));
		memmove(prof, prof + 1, (MAX_SCANNERS - 1) * sizeof(prof[0]));
		(*n)--;
	}
	prof[*n] = p;
	sc[*n] = scanner_new(p, NULL, NULL);
	return sc[(*n)++];
}

/* ---- workers */

/* A string of an event, moved into the unit's arena (unless it is there already). */
static void own_str(struct arena *a, struct str *v)
{
	if (v->n)
		v->p = arena_dup(a, v->p, v->n);
}

static void own_strings(struct arena *a, struct event *ev)
{
	own_str(a, &ev->ts);
	own_str(a, &ev->ts_before);
	own_str(a, &ev->callid);
	own_str(a, &ev->src);
	own_str(a, &ev->ua);
	own_str(a, &ev->ruri);
	own_str(a, &ev->account);
}

/* Events point into the unit's window, which lives until the unit is merged; those of a
 * mapped window are copied out of it, so that nothing after the scan reads the mapping. */
static void emit(void *ctx, const struct event *ev)
{
	struct unit *u = ((struct worker *)ctx)->u;

	if (u->nev == u->cap) {
		u->cap = u->cap ? u->cap * 2 : 1024;
		u->ev = xrealloc(u->ev, u->cap * sizeof(*u->ev));
	}
	u->ev[u->nev] = *ev;
	if (u->mapped)
		own_strings(&u->arena, &u->ev[u->nev]);
	u->nev++;
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
	struct pool *p = w->pool;
	struct scanner *sc = scanner_for(w->prof, w->sc, &w->nsc, p->in[u->file].profile);

	w->u = u;
	scanner_set_emit(sc, emit, w);
	scanner_set_arena(sc, &u->arena);
	scanner_begin(sc, (uint32_t)u->file);
	if (scan_unit(sc, u) < 0) {
		u->faulted = 1;
		/* the events emitted before the fault are whole and their strings copied */
		u->fault_at = u->nev ? u->ev[u->nev - 1].offset : u->base + u->start;
	}
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
	fs->block_size = p->block_size;
	timeline_init(&fs->tl, source_mtime_us(fs->src));
	timeline_set_hint(&fs->tl, in->date_hint);
	return 0;
}

/* Where to end a block that should end near target in data[0..len): after the first newline
 * at or past target; at len when there is none (the end of the input, or an overlong line). */
static size_t block_end(const char *data, size_t len, size_t target)
{
	if (target >= len)
		return len;
	const char *nl = memchr(data + target, '\n', len - target);
	return nl ? (size_t)(nl - data) + 1 : len;
}

/* block_end() over a mapping, under a guard: a file that shrank ends its last block at the
 * target (the worker that scans it meets the fault again and reports it). */
static size_t mapped_block_end(struct file_state *fs, size_t target)
{
	sigjmp_buf env;
	size_t e;

	if (sigsetjmp(env, 1) == 0) {
		guard_enter(&env);
		e = block_end(fs->map, fs->map_len, target);
		guard_leave();
		return e;
	}
	guard_leave();
	return target < fs->map_len ? target : fs->map_len;
}

/*
 * Keep at most SCAN_MAX_LINE + 1 bytes of every line of a stream: of the n bytes just read
 * into sbuf at slen, drop those that lie past that in a line not yet ended (such a line is
 * not read for records anyway, see scan.c; the scanner still sees it as overlong), and the
 * NUL bytes a line that long starts with (a copytruncate hole: the scanner skips them in a
 * line of any length, but a hole of megabytes must not make the line after it overlong).
 * The line not yet ended is always whole in sbuf: blocks end at line ends.
 */
static void take_read(struct file_state *fs, size_t n)
{
	char *p = fs->sbuf + fs->slen;
	size_t from = 0;

	if (fs->in_long) {
		const char *nl = memchr(p, '\n', n);
		if (!nl) {
			fs->dropped += n;
			return;
		}
		from = (size_t)(nl - p);
		fs->dropped += from;
		fs->in_long = 0;
		fs->tail = 0;
		memmove(p, p + from, n - from);
	}
	size_t m = n - from, end = fs->slen + m;
	const char *last = memrchr(p, '\n', m);
	fs->tail = last ? (size_t)(p + m - last - 1) : fs->tail + m;
	if (fs->tail > (size_t)SCAN_MAX_LINE + 1) {
		size_t ls = end - fs->tail, z = ls;
		while (z < end && fs->sbuf[z] == '\0')
			z++;
		if (z > ls) {
			memmove(fs->sbuf + ls, fs->sbuf + z, end - z);
			fs->dropped += z - ls;
			fs->tail -= z - ls;
			end -= z - ls;
		}
		if (fs->tail > (size_t)SCAN_MAX_LINE + 1) {
			size_t excess = fs->tail - (SCAN_MAX_LINE + 1);
			end -= excess;	/* the line not yet ended is at the end of what was read */
			fs->dropped += excess;
			fs->tail = SCAN_MAX_LINE + 1;
			fs->in_long = 1;
		}
	}
	fs->slen = end;
}

/* Read a stream until sbuf holds need bytes, or the input ends. */
static void stream_fill(struct pipeline_input *in, struct file_state *fs, size_t need)
{
	while (!fs->eof && fs->slen < need) {
		size_t room = need - fs->slen;
		if (room > READ_MAX)
			room = READ_MAX;
		if (fs->scap < fs->slen + room) {
			/* once, the most a window needs (see stream_unit), unless need is more */
			size_t most = LOOKBEHIND + fs->block_size + SCAN_MAX_LINE + 2 + LOOKAHEAD +
				      READ_MAX;
			fs->scap = fs->slen + room > most ? fs->slen + room : most;
			fs->sbuf = xrealloc(fs->sbuf, fs->scap);
		}
		ssize_t n = source_read(fs->src, fs->sbuf + fs->slen, room, in->rf);
		if (n <= 0) {
			fs->eof = 1;	/* an error is recorded in rf; what came before is scanned */
			break;
		}
		take_read(fs, (size_t)n);
	}
}

/* The next block of a stream: a copy of its window. */
static void stream_unit(struct pool *p, struct pipeline_input *in, struct file_state *fs,
			struct unit *u)
{
	size_t s = (size_t)(fs->next_block - fs->sbase);	/* block start in sbuf */
	size_t t = s + p->block_size;				/* target end */

	/* a newline lies within SCAN_MAX_LINE + 2 bytes of any point (overlong lines are cut) */
	stream_fill(in, fs, t + SCAN_MAX_LINE + 2);
	size_t e = block_end(fs->sbuf, fs->slen, t);
	stream_fill(in, fs, e + LOOKAHEAD);
	if (e == fs->slen || !fs->eof)
		e = block_end(fs->sbuf, fs->slen, t);	/* (only grows when the input ended) */
	size_t lo = s > LOOKBEHIND ? s - LOOKBEHIND : 0;
	size_t hi = fs->slen - e > LOOKAHEAD ? e + LOOKAHEAD : fs->slen;
	u->owned = xmalloc(hi - lo + 1);
	if (hi > lo)
		memcpy(u->owned, fs->sbuf + lo, hi - lo);
	u->buf = u->owned;
	u->len = hi - lo;
	u->base = fs->sbase + lo;
	u->start = s - lo;
	u->end = e - lo;
	u->stored = source_consumed(fs->src);
	u->dropped = fs->dropped;
	fs->next_block = fs->sbase + e;
	u->last_of_file = fs->eof && e == fs->slen;
	/* keep only what the next window needs before its start */
	size_t keep = e > LOOKBEHIND ? e - LOOKBEHIND : 0;
	if (fs->slen > keep)
		memmove(fs->sbuf, fs->sbuf + keep, fs->slen - keep);
	fs->slen -= keep;
	fs->sbase += keep;
	if (u->last_of_file) {
		free(fs->sbuf);
		fs->sbuf = NULL;
		fs->slen = fs->scap = 0;
	}
}

struct reader_arg {
	struct pool *p;
	size_t f;
};

/*
 * One thread per stream being read: it inflates (or reads) the file into windows, at most
 * READ_AHEAD ahead of the dispatcher, so that several gzip files inflate at once and inflating
 * overlaps with scanning. It alone touches the file's source and stream buffer.
 */
static void *reader_main(void *arg)
{
	struct reader_arg *ra = arg;
	struct pool *p = ra->p;
	struct file_state *fs = &p->fs[ra->f];
	int last = 0;

	while (!last) {
		pthread_mutex_lock(&p->mu);
		while (fs->nready >= READ_AHEAD)
			pthread_cond_wait(&p->taken, &p->mu);
		pthread_mutex_unlock(&p->mu);
		struct unit *u = xcalloc(1, sizeof(*u));
		u->file = ra->f;
		stream_unit(p, &p->in[ra->f], fs, u);
		last = u->last_of_file;
		pthread_mutex_lock(&p->mu);
		if (fs->ready_tail)
			fs->ready_tail->next_seq = u;
		else
			fs->ready_head = u;
		fs->ready_tail = u;
		fs->nready++;
		pthread_cond_broadcast(&p->ready);
		pthread_mutex_unlock(&p->mu);
	}
	free(ra);
	return NULL;
}

/*
 * Start reader threads for the stream inputs among the next FILES_AHEAD from file f on, so
 * that at most `readers` are being read at once. Only streams are opened here (their
 * descriptors are what the reader holds); a plain file is opened when the dispatcher reaches
 * it. A thread that cannot be started is no error: the dispatcher reads that stream itself.
 */
static void start_readers(struct pool *p, size_t n, size_t f, size_t readers)
{
	size_t busy = 0;

	for (size_t k = f; k < n && k < f + FILES_AHEAD && busy < readers; k++) {
		struct file_state *fs = &p->fs[k];
		if (fs->taken_all)
			continue;
		if (fs->reading) {
			busy++;
			continue;
		}
		if (!fs->opened) {
			if (k > f && !p->in[k].src && !p->in[k].stream)
				continue;	/* a plain file, or not known to be a stream */
			if (open_file(p, k) < 0)
				continue;
		}
		if (!fs->src || fs->map)
			continue;
		struct reader_arg *ra = xmalloc(sizeof(*ra));
		ra->p = p;
		ra->f = k;
		if (pthread_create(&fs->reader, NULL, reader_main, ra) != 0) {
			free(ra);
			return;		/* a resource limit: read in the dispatcher */
		}
		fs->reading = 1;
		busy++;
	}
}

/* The next window a stream's reader cut (waiting for it), in order; cut here when the
 * stream has no reader thread. */
static struct unit *take_window(struct pool *p, size_t f)
{
	struct file_state *fs = &p->fs[f];

	if (!fs->reading && !fs->ready_head) {
		struct unit *u = xcalloc(1, sizeof(*u));
		u->file = f;
		stream_unit(p, &p->in[f], fs, u);
		fs->taken_all = u->last_of_file;
		return u;
	}
	pthread_mutex_lock(&p->mu);
	while (!fs->ready_head)
		pthread_cond_wait(&p->ready, &p->mu);
	struct unit *u = fs->ready_head;
	fs->ready_head = u->next_seq;
	if (!fs->ready_head)
		fs->ready_tail = NULL;
	u->next_seq = NULL;
	fs->nready--;
	pthread_cond_broadcast(&p->taken);
	pthread_mutex_unlock(&p->mu);
	if (u->last_of_file) {
		pthread_join(fs->reader, NULL);	/* it ends after its last window */
		fs->reading = 0;
		fs->taken_all = 1;
	}
	return u;
}

/* The next unit in input order, or NULL when every input is cut up. */
static struct unit *next_unit(struct pool *p, size_t n, size_t *cursor, size_t readers)
{
	while (*cursor < n) {
		size_t f = *cursor;
		struct file_state *fs = &p->fs[f];
		if (!fs->opened && open_file(p, f) < 0) {
			(*cursor)++;
			continue;
		}
		if (!fs->src) {
			(*cursor)++;
			continue;
		}
		struct unit *u;
		if (fs->map) {
			u = xcalloc(1, sizeof(*u));
			u->file = f;
			u->buf = fs->map;
			u->len = fs->map_len;
			u->mapped = 1;
			u->start = (size_t)fs->next_block;
			u->end = mapped_block_end(fs, u->start + p->block_size);
			fs->next_block = u->end;
			u->last_of_file = u->end == fs->map_len;
		} else {
			start_readers(p, n, f, readers);
			u = take_window(p, f);
		}
		if (u->last_of_file)
			(*cursor)++;
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
	const struct profile *prof[MAX_SCANNERS];	/* for recomputing clipped contexts */
	struct scanner *sc[MAX_SCANNERS];
	int nsc;
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
	struct scanner *sc = scanner_for(m->prof, m->sc, &m->nsc, prof);
	uint64_t lo = resume > u->base ? resume : u->base;
	sigjmp_buf env;

	if (!u->mapped) {
		scanner_context(sc, u->buf, u->len, (size_t)(lo - u->base),
				(size_t)(ev->offset - u->base), ev);
		return 0;
	}
	if (sigsetjmp(env, 1) == 0) {
		guard_enter(&env);
		scanner_context(sc, u->buf, u->len, (size_t)(lo - u->base),
				(size_t)(ev->offset - u->base), ev);
		own_str(&u->arena, &ev->ts);
		own_str(&u->arena, &ev->ts_before);
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

static void merge_unit(struct merger *m, struct unit *u)
{
	struct pool *p = m->p;
	struct file_state *fs = &p->fs[u->file];
	const struct profile *prof = p->in[u->file].profile;
	int seams = prof->kind == RECORD_MESSAGE;
	uint64_t block_start = u->base + u->start;

	if (fs->broken)
		return;
	for (size_t i = 0; i < u->nev; i++) {
		struct event *ev = &u->ev[i];
		if (seams) {
			if (ev->offset < fs->resume)
				continue;	/* inside a message that began in an earlier block */
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
		ev->time_us = timeline_next2(&fs->tl, ev->ts_before.p, ev->ts_before.n, ev->ts.p,
					     ev->ts.n, ev->flags & EV_TS_CARRY);
		if (ev->time_us != TIME_UNKNOWN) {
			if (fs->first == TIME_UNKNOWN)
				fs->first = ev->time_us;
			fs->last = ev->time_us;
		}
		/* every event, --since/--until too: the analysis applies the window by call */
		fs->records++;
		analysis_event(m->an, ev);
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
	struct pool *p = m->p;
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

/* How many units may be in flight and streams read ahead at once: within the memory budget
 * (windows of about the block size, see the top of pipeline.h) and the descriptor limit. At
 * the default block size: 18 units and 9 streams at most. */
static void concurrency(unsigned nthreads, size_t block, size_t *inflight, size_t *readers)
{
	size_t window = block + SCAN_MAX_LINE + LOOKAHEAD + LOOKBEHIND;
	size_t half = PIPELINE_BUDGET / 2;
	/* a unit holds its window and its events (about as large); a stream being read ahead
	 * its buffer, READ_AHEAD windows cut and one being cut */
	size_t units = half / (2 * window), streams = half / (window * (READ_AHEAD + 2));
	struct rlimit rl;

	/* raise the soft descriptor limit to the hard one: the budget below then follows it */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	size_t fds = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
		     rl.rlim_cur < 1u << 20 ? (size_t)rl.rlim_cur : 1u << 20;
	/* keep 24 for stdio, the outputs, and what libraries open; files in flight and streams
	 * read ahead share the rest */
	fds = fds > 28 ? (fds - 24) / 2 : 2;
	*inflight = (size_t)nthreads + 2;
	if (*inflight > units)
		*inflight = units;
	if (*inflight > fds)
		*inflight = fds;
	if (*inflight < 2)
		*inflight = 2;
	*readers = nthreads;
	if (*readers > streams)
		*readers = streams;
	if (*readers > fds)
		*readers = fds;
	if (*readers < 1)
		*readers = 1;
}

int pipeline_run(struct pipeline_input *in, size_t n, const struct pipeline_opts *o,
		 struct analysis *an)
{
	struct pool p = { .in = in, .block_size = o->block_size ? o->block_size : PIPELINE_DEFAULT_BLOCK };
	unsigned nthreads = o->threads ? o->threads : 1;
	size_t max_inflight, readers;
	struct worker *w = xcalloc(nthreads, sizeof(*w));
	struct merger m = { .p = &p, .an = an, .o = o };
	struct unit *seq_head = NULL, *seq_tail = NULL;
	size_t inflight = 0, cursor = 0;
	int ret = 0;

	concurrency(nthreads, p.block_size, &max_inflight, &readers);
	guard_install();
	/* windows and event arrays are megabytes, made in one thread and freed in another: glibc
	 * gives each thread a heap of its own, and every heap keeps what was freed in it, so the
	 * resident memory grew with -j (1.2 GiB at -j64 over 64 gzip files). Two heaps keep it
	 * near what is in flight (350 MiB); mapping each window instead cost 40 % more time in
	 * page faults. */
	mallopt(M_ARENA_MAX, 2);
	p.fs = xcalloc(n ? n : 1, sizeof(*p.fs));
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.work, NULL);
	pthread_cond_init(&p.ready, NULL);
	pthread_cond_init(&p.taken, NULL);
	unsigned started = 0;
	for (unsigned i = 0; i < nthreads; i++) {
		w[i].pool = &p;
		if (pthread_create(&w[i].tid, NULL, worker_main, &w[i]) != 0)
			break;
		started++;
	}
	if (started < nthreads) {
		/* a thread or memory limit: fewer workers give the same report */
		err_msg("note: could only start %u of %u worker threads (a resource limit); "
			"going on with %u", started, nthreads, started ? started : 1);
		if (!started) {
			/* the dispatcher scans each unit itself */
			w[0].pool = &p;
		}
	}

	for (;;) {
		/* keep the workers busy, within the memory bound */
		struct unit *u;
		while (inflight < max_inflight && (u = next_unit(&p, n, &cursor, readers)) != NULL) {
			if (seq_tail)
				seq_tail->next_seq = u;
			else
				seq_head = u;
			seq_tail = u;
			inflight++;
			if (started)
				queue_job(&p, u);
			else
				run_unit(&w[0], u);
		}
		u = seq_head;
		if (!u)
			break;
		/* merge the oldest unit once its worker is done */
		pthread_mutex_lock(&p.mu);
		while (!u->done)
			pthread_cond_wait(&p.ready, &p.mu);
		pthread_mutex_unlock(&p.mu);
		merge_unit(&m, u);
		finish_unit(&m, u);
		seq_head = u->next_seq;
		if (!seq_head)
			seq_tail = NULL;
		inflight--;
		free(u->ev);
		arena_free(&u->arena);
		free(u->owned);
		free(u);
	}

	pthread_mutex_lock(&p.mu);
	p.quit = 1;
	pthread_cond_broadcast(&p.work);
	pthread_mutex_unlock(&p.mu);
	for (unsigned i = 0; i < started; i++)
		pthread_join(w[i].tid, NULL);
	if (!started)
		for (int i = 0; i < w[0].nsc; i++)
			scanner_free(w[0].sc[i]);
	for (int i = 0; i < m.nsc; i++)
		scanner_free(m.sc[i]);
	for (size_t f = 0; f < n; f++) {
		if (p.fs[f].src)
			source_close(p.fs[f].src);
		free(p.fs[f].sbuf);
		if (in[f].src) {
			source_close(in[f].src);
			in[f].src = NULL;
		}
		if (in[f].rf->status == FILE_ERROR)
			ret = -1;
	}
	pthread_cond_destroy(&p.work);
	pthread_cond_destroy(&p.ready);
	pthread_cond_destroy(&p.taken);
	pthread_mutex_destroy(&p.mu);
	free(p.fs);
	free(w);
	return ret;
}
