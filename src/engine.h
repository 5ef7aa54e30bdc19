/*
 * engine.h - what the engine's stages share (internal to chunk.c, pool.c, merge.c and the
 * driver pipeline.c; the rest of the program sees pipeline.h only).
 *
 * The data flow, one file per stage:
 *   chunk.c   inputs -> units: numbered, line-aligned blocks of mapped files and windows of
 *             streams (gzip, stdin, pipes) read by reader threads; the budget of bytes and
 *             descriptors that bounds how many are in flight;
 *   pool.c    units -> events: the worker threads, their job queue and their scanners;
 *   merge.c   events -> the caller's callback, strictly in input order: seams between blocks,
 *             context recomputation, line bases, per-file times and totals;
 *   pipeline.c the driver: keeps the workers busy within the budget, merges the oldest unit.
 *
 * Locking: one mutex (struct engine.mu) guards the job queue, the done flags, the readers'
 * queues of windows and the free lists. It is taken once per unit and stage, never per line
 * or per event. A unit belongs to one thread at a time: its reader (or the dispatcher) while
 * it is cut, a worker while it is scanned, the merger after `done` is seen under the lock.
 */
#ifndef SIPLOGSCAN_ENGINE_H
#define SIPLOGSCAN_ENGINE_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "pipeline.h"
#include "scan.h"
#include "timeparse.h"
#include "util.h"

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

/*
 * An event as a unit stores it between its worker and the merger: 88 bytes instead of the
 * 240 of a struct event, its strings (Call-ID, source, User-Agent, R-URI, account, From,
 * To, in that order) copied next to each other into the unit's string buffer in event order, so that the
 * merger and the analysis read them in one sweep. Its stamps are kept parsed (time_pre()),
 * not as text; its line counts from the block's start. merge.c expands it into a struct event
 * for the callback.
 */
enum { US_CALLID, US_SRC, US_UA, US_RURI, US_ACCOUNT, US_FROM, US_TO, US_COUNT };

struct unit_event {
	uint64_t offset;	/* as struct event's */
	uint64_t callid_hash;
	int64_t ts_val, before_val;
	uint64_t str;		/* where its strings start in the unit's string buffer */
	uint32_t len[US_COUNT];
	uint32_t line;		/* from the block's start (a block is at most 1 GiB) */
	uint32_t cseq;
	uint16_t status;
	uint8_t method, cseq_method, flags, auth, auth_result;
	uint8_t ts_kind, before_kind, callid_shard;
};

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
	char *owned;		/* buf, when it is a stream's window: the unit owns the buffer
				 * (owned_cap bytes) until it is merged */
	size_t owned_cap;
	size_t cost;		/* bytes it was counted for in the budget (pipeline.c) */
	int mapped;		/* buf is the file's mapping: read it under a guard */
	int64_t ref_us;		/* the file's reference time (BSD stamps' year, time_pre()) */
	uint64_t stored;	/* stream: stored bytes consumed once this window was read */
	uint64_t dropped;	/* stream: bytes of overlong lines left out, up to this window */
	/* filled by the worker, read by the merger once done is set under the lock */
	struct unit_event *ev;
	size_t nev, cap;
	char *strs;		/* the events' strings, in event order */
	size_t nstrs, strs_cap;
	struct arena arena;	/* the scanner's decoded lines; a recomputed context's strings */
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
	int64_t ref_us;		/* the file's mtime: the reference of its stamps' dates */
	int opened;
	/* stream reading, by the file's reader thread (or the dispatcher, when no thread could
	 * be started): data from file offset sbase in sbuf[0..slen); the windows it cut wait in
	 * ready (at most READ_AHEAD) */
	char *sbuf;
	size_t slen, scap;
	uint64_t sbase;
	size_t block_size;	/* the engine's, for sizing sbuf */
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

struct engine {
	pthread_mutex_t mu;
	pthread_cond_t work;	/* a job was queued, or quit */
	pthread_cond_t ready;	/* a unit finished, or a reader cut a window */
	pthread_cond_t taken;	/* the dispatcher took a window from a reader */
	struct unit *jobs_head, *jobs_tail;
	int quit;
	struct pipeline_input *in;
	size_t n;
	struct file_state *fs;
	size_t block_size;
	size_t readers;		/* streams read ahead at once, at most */
	size_t window_cap;	/* bytes of a stream's window buffer */
	struct unit *free_units;	/* merged units, their event arrays kept for reuse */
	char *free_windows;	/* window buffers for reuse (each starts with the next's address) */
	const uint8_t *callid_seed;	/* pipeline_opts' */
	size_t budget, stream_budget;	/* pipeline_opts', the defaults filled in */
};

/* One scanner per profile, made on first use (a worker's, or the merger's). */
struct scanner_cache {
	const struct profile *prof[MAX_SCANNERS];
	struct scanner *sc[MAX_SCANNERS];
	int n;
};

struct scanner *scanner_cache_get(struct scanner_cache *c, const struct profile *p);
void scanner_cache_free(struct scanner_cache *c);

/* ---- chunk.c */

/*
 * The memory budget (pipeline.h): a unit costs about UNIT_COST times its block - the block
 * (a window, or the mapped pages being read) and its events with their strings, which take
 * about as much again, more for short records. The default block is sized so that every
 * worker has a unit and two more wait: at most 4 MiB, at least 256 KiB.
 */
#define UNIT_COST 2.5
size_t chunk_block_size(unsigned nthreads, size_t budget);

/* How many units may be in flight (*inflight) and streams read ahead at once (e->readers),
 * from the budgets and the descriptor limit; sizes the window buffers. */
void chunk_concurrency(struct engine *e, unsigned nthreads, size_t *inflight);

/* The next unit in input order, or NULL when every input is cut up. *cursor is the input
 * being cut; opens inputs as it reaches them. */
struct unit *chunk_next(struct engine *e, size_t *cursor);

/* A merged unit back to the free lists (its event array and window kept for reuse). */
void chunk_unit_free(struct engine *e, struct unit *u);
/* Free what the free lists hold, at the end of the run. */
void chunk_free_all(struct engine *e);

/* ---- pool.c */

struct pool;

/* Start nthreads workers (fewer when a resource limit says so: then a note, and with none
 * pool_run() scans in the calling thread). Never NULL. */
struct pool *pool_start(struct engine *e, unsigned nthreads);
/* Hand u to a worker (or scan it here when no worker could be started). */
void pool_run(struct pool *p, struct unit *u);
/* Wait until u is scanned. */
void pool_wait(struct pool *p, struct unit *u);
/* Stop the workers once the queue is empty, and free the pool. */
void pool_stop(struct pool *p);

/* Parse the timestamps of ev without their context (time_pre()) into ev->ts_kind & co. */
void pre_time(struct time_cache *c, int64_t ref_us, struct event *ev);

/* The struct event a unit_event stands for (its strings point into u->strs; no stamp text;
 * its line still counts from the block's start and its time is not resolved). */
void unit_event_expand(const struct unit *u, const struct unit_event *c, struct event *ev);

/* The strings of an event moved into arena a (the window they point into is a mapping that
 * must not be read after the scan). */
void own_str(struct arena *a, struct str *v);

/* ---- merge.c */

struct merger;

struct merger *merger_new(struct engine *e, const struct pipeline_opts *o, event_fn fn,
			  void *ctx);
/* Hand the events of u to the callback (seams, lines, times) and account for its bytes. */
void merger_unit(struct merger *m, struct unit *u);
void merger_free(struct merger *m);

#endif
