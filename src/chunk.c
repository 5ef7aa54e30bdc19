/*
 * chunk.c - inputs -> units: line-aligned blocks of mapped files, windows of streams, the
 * reader threads, and the budget that bounds what is in flight (see engine.h for the flow).
 *
 * The dispatcher (the calling thread) walks the inputs in order and cuts each into
 * line-aligned blocks of --block-size bytes: a mapped plain file in place; any other input
 * (gzip, stdin, pipes) by reading it - inflating overlaps with the workers' scanning -
 * straight into a window per block that also holds the bytes just before the block (the
 * context a start line may look back at) and just after it (where the block's last message
 * may run); only that overlap is copied from one window to the next.
 *
 * Memory is budgeted in bytes, whatever the thread count (pipeline.h); a line longer than
 * SCAN_MAX_LINE keeps only its first SCAN_MAX_LINE + 1 bytes in a stream, so an endless line
 * (/dev/zero, a gzip bomb) runs in constant memory. Descriptors are budgeted too: files are
 * opened when the dispatcher reaches them and closed when their last block is merged.
 */
#include "engine.h"
#include "guard.h"

#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#define READ_AHEAD 2		/* windows a reader cuts before the dispatcher takes them */
#define READ_MAX SCAN_MAX_LINE	/* one read() never holds more than one overlong line's worth */
#define FILES_AHEAD 64		/* inputs the dispatcher looks ahead for streams to start */
#define FILL_STEP (64u << 10)	/* a stream's block end is looked for this much at a time */
#define MIN_BLOCK (256u << 10)	/* the default block size never goes below this */

/* ---- the memory of units: recycled, so that a long run allocates nothing per block */

/* The most a stream's window ever holds (stream_unit()): the overlap taken over from the
 * window before (LOOKBEHIND, plus the last FILL_STEP or LOOKAHEAD read past its end), the
 * block, the line that ends it, and the lookahead. */
static size_t window_cap(size_t block)
{
	return LOOKBEHIND + (LOOKAHEAD > FILL_STEP ? LOOKAHEAD : FILL_STEP) + block +
	       SCAN_MAX_LINE + 2 + LOOKAHEAD + FILL_STEP;
}

/* A window's buffer: a freed one, else a new one. Only the bytes read into it become
 * resident, so a buffer sized for the worst case costs what the block holds. */
static char *window_get(struct engine *e, size_t *cap)
{
	char *b;

	pthread_mutex_lock(&e->mu);
	b = e->free_windows;
	if (b)
		memcpy(&e->free_windows, b, sizeof(char *));
	pthread_mutex_unlock(&e->mu);
	*cap = e->window_cap;
	return b ? b : xmalloc(e->window_cap);
}

static void window_put(struct engine *e, char *b, size_t cap)
{
	if (cap != e->window_cap) {	/* grown past the sum (never): not reused */
		free(b);
		return;
	}
	pthread_mutex_lock(&e->mu);
	memcpy(b, &e->free_windows, sizeof(char *));
	e->free_windows = b;
	pthread_mutex_unlock(&e->mu);
}

/* A unit, reset, with the event array and string buffer of a merged one (their capacity
 * kept). */
static struct unit *unit_get(struct engine *e)
{
	struct unit *u;

	pthread_mutex_lock(&e->mu);
	u = e->free_units;
	if (u)
		e->free_units = u->next_job;
	pthread_mutex_unlock(&e->mu);
	if (!u)
		return xcalloc(1, sizeof(*u));
	struct unit_event *ev = u->ev;
	size_t cap = u->cap;
	char *strs = u->strs;
	size_t strs_cap = u->strs_cap;
	memset(u, 0, sizeof(*u));
	u->ev = ev;
	u->cap = cap;
	u->strs = strs;
	u->strs_cap = strs_cap;
	return u;
}

void chunk_unit_free(struct engine *e, struct unit *u)
{
	arena_free(&u->arena);
	if (u->owned)
		window_put(e, u->owned, u->owned_cap);
	u->owned = NULL;
	pthread_mutex_lock(&e->mu);
	u->next_job = e->free_units;
	e->free_units = u;
	pthread_mutex_unlock(&e->mu);
}

void chunk_free_all(struct engine *e)
{
	while (e->free_units) {
		struct unit *u = e->free_units;
		e->free_units = u->next_job;
		free(u->ev);
		free(u->strs);
		free(u);
	}
	while (e->free_windows) {
		char *b = e->free_windows;
		memcpy(&e->free_windows, b, sizeof(char *));
		free(b);
	}
}

/* Open file f for scanning; 0, or -1 when it cannot be (the error is in its rf). */
static int open_file(struct engine *p, size_t f)
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
	if (in->ranged && source_set_range(fs->src, in->range_start, in->range_end, in->rf) < 0) {
		source_close(fs->src);
		fs->src = NULL;
		return -1;
	}
	if (in->skip)
		source_set_skip(fs->src, in->skip, in->rf);
	fs->map = source_map(fs->src, &fs->map_len);
	fs->block_size = p->block_size;
	fs->ref_us = source_mtime_us(fs->src);
	timeline_init(&fs->tl, fs->ref_us);
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
			/* not reached: a window's buffer holds the most a window needs (see
			 * window_cap()); kept so that a wrong sum costs memory, not a crash */
			fs->scap = fs->slen + room;
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

/*
 * The next block of a stream, read in place: the window's buffer starts with the bytes the
 * previous window left over (LOOKBEHIND before the block, and what was read past its end),
 * and the rest is read (inflated) straight into it; the unit takes the buffer, and only the
 * overlap is copied into a new one for the next window. The block's end is looked for a
 * FILL_STEP at a time, so that the overlap stays small (tens of KiB, not a megabyte).
 */
static void stream_unit(struct engine *p, struct pipeline_input *in, struct file_state *fs,
			struct unit *u)
{
	if (!fs->sbuf) {
		fs->sbuf = window_get(p, &fs->scap);
		fs->slen = 0;
	}
	size_t s = (size_t)(fs->next_block - fs->sbase);	/* block start in sbuf */
	size_t t = s + p->block_size;				/* target end */
	/* a newline lies within SCAN_MAX_LINE + 2 bytes of any point (overlong lines are cut) */
	size_t most = t + SCAN_MAX_LINE + 2, need = t + FILL_STEP, e;

	for (;;) {
		if (need > most)
			need = most;
		stream_fill(in, fs, need);
		e = block_end(fs->sbuf, fs->slen, t);
		if (e < fs->slen || fs->eof || need == most)
			break;
		need += FILL_STEP;
	}
	stream_fill(in, fs, e + LOOKAHEAD);
	/* again: dropping a NUL hole may have moved the bytes after a line start before t */
	e = block_end(fs->sbuf, fs->slen, t);
	size_t hi = fs->slen - e > LOOKAHEAD ? e + LOOKAHEAD : fs->slen;
	u->owned = fs->sbuf;
	u->owned_cap = fs->scap;
	u->buf = u->owned;
	u->len = hi;
	u->base = fs->sbase;
	u->start = s;
	u->end = e;
	u->ref_us = fs->ref_us;
	u->stored = source_consumed(fs->src);
	u->dropped = fs->dropped;
	fs->next_block = fs->sbase + e;
	u->last_of_file = fs->eof && e == fs->slen;
	if (u->last_of_file) {
		fs->sbuf = NULL;
		fs->slen = fs->scap = 0;
		return;
	}
	/* the next window: what it needs before its start, and what was read past this one */
	size_t keep = e > LOOKBEHIND ? e - LOOKBEHIND : 0;
	fs->sbuf = window_get(p, &fs->scap);
	if (fs->slen - keep > fs->scap) {	/* not reached (see window_cap()) */
		fs->scap = fs->slen - keep;
		fs->sbuf = xrealloc(fs->sbuf, fs->scap);
	}
	memcpy(fs->sbuf, u->owned + keep, fs->slen - keep);
	fs->slen -= keep;
	fs->sbase += keep;
}

struct reader_arg {
	struct engine *p;
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
	struct engine *p = ra->p;
	struct file_state *fs = &p->fs[ra->f];
	int last = 0;

	while (!last) {
		pthread_mutex_lock(&p->mu);
		while (fs->nready >= READ_AHEAD)
			pthread_cond_wait(&p->taken, &p->mu);
		pthread_mutex_unlock(&p->mu);
		struct unit *u = unit_get(p);
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
static void start_readers(struct engine *p, size_t n, size_t f, size_t readers)
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
static struct unit *take_window(struct engine *p, size_t f)
{
	struct file_state *fs = &p->fs[f];

	if (!fs->reading && !fs->ready_head) {
		struct unit *u = unit_get(p);
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
struct unit *chunk_next(struct engine *p, size_t *cursor)
{
	size_t n = p->n;

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
			/*
			 * A mapped block is not populated ahead: its worker faults its pages in
			 * as it scans, and the merger gives them back (MADV_DONTNEED). Measured
			 * on a 300 MB file in the page cache (Linux 6.18, 2 vCPUs, 4 MiB blocks,
			 * medians of 5 interleaved): faults + MADV_DONTNEED 0.18 ns/byte;
			 * MADV_POPULATE_READ per block + MADV_DONTNEED 0.23 (slower: the
			 * kernel's fault-around already maps 16 pages a fault); MAP_POPULATE
			 * 0.09, but it makes the whole file resident at once. In the pipeline,
			 * populating in the dispatcher or in the worker changed nothing
			 * measurable at -j1 or -j2 (system time 0.07-0.09 s either way).
			 */
			u = unit_get(p);
			u->file = f;
			u->buf = fs->map;
			u->len = fs->map_len;
			u->mapped = 1;
			u->ref_us = fs->ref_us;
			u->start = (size_t)fs->next_block;
			u->end = mapped_block_end(fs, u->start + p->block_size);
			fs->next_block = u->end;
			u->last_of_file = u->end == fs->map_len;
		} else {
			start_readers(p, n, f, p->readers);
			u = take_window(p, f);
		}
		if (u->last_of_file)
			(*cursor)++;
		return u;
	}
	return NULL;
}

size_t chunk_block_size(unsigned nthreads, size_t budget)
{
	/* every worker busy, and two units more (one being merged, one queued) within the
	 * budget, each costing about UNIT_COST times its block */
	size_t b = (size_t)((double)budget / UNIT_COST / ((double)nthreads + 2));

	if (b > PIPELINE_DEFAULT_BLOCK)
		b = PIPELINE_DEFAULT_BLOCK;
	if (b < MIN_BLOCK)
		b = MIN_BLOCK;
	return b & ~(size_t)4095;
}

/* How many units may be in flight and streams read ahead at once: within the budgets
 * (pipeline.h) and the descriptor limit. */
void chunk_concurrency(struct engine *e, unsigned nthreads, size_t *inflight)
{
	size_t block = e->block_size;
	size_t units = (size_t)((double)e->budget / UNIT_COST / (double)block);
	/* a stream being read ahead holds READ_AHEAD windows cut and one being read (only
	 * about the block of each is resident), its read buffer and its inflate state */
	size_t streams = e->stream_budget /
			 ((READ_AHEAD + 1) * (block + LOOKBEHIND + LOOKAHEAD) + (2u << 20));
	size_t *readers = &e->readers;
	struct rlimit rl;

	e->window_cap = window_cap(block);

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


