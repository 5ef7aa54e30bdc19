/*
 * pipeline.h - the parallel engine: inputs in chronological order -> units of work (blocks of
 * mapped plain files, whole gzip/stdin streams) -> worker threads scanning them -> batches of
 * events merged strictly in input order -> times -> a callback (the analysis). The stages live
 * in their own files: chunk.c (inputs to units), pool.c (workers), merge.c (the ordered
 * merge), pipeline.c (the driver); engine.h says what they share.
 *
 * Determinism: whatever the thread count and block size, the analysis sees exactly the events,
 * in exactly the order, that one sequential scan of the files would give. The only state a
 * block cannot know - where the previous message ended (its context window and the lines of a
 * message running over the block boundary), the file's line count so far, and the times that
 * depend on earlier lines - is settled in the ordered merge, at the seams.
 *
 * Memory is budgeted in bytes, whatever the thread count: the units in flight (dispatched, not
 * yet merged: a window or the mapped pages being read, the events, their strings) share
 * PIPELINE_BUDGET, counted as they are cut and corrected by what merged units really held;
 * the streams read ahead (gzip files, pipes: windows cut and being read, read buffers,
 * inflate state) share PIPELINE_STREAM_BUDGET. The default block size follows the thread
 * count so that every worker has work within the budget. Buffers are recycled, never
 * copied whole: a stream is read (inflated) in place into the window its worker scans. A
 * line longer than SCAN_MAX_LINE keeps only its first SCAN_MAX_LINE + 1 bytes in a stream
 * (it is not read for records anyway), so an endless line (/dev/zero, a gzip bomb) runs in
 * constant memory. Descriptors are budgeted too: files are opened when the dispatcher
 * reaches them and closed when their last block is merged, so the descriptor limit bounds
 * concurrency, never correctness. The analysis' own memory (the calls in flight, bounded by
 * --max-calls) is not part of these budgets.
 *
 * Unstable inputs: a mapped file's blocks are scanned under a SIGBUS guard (guard.h), and the
 * strings of their events are copied out of the mapping by the worker, so that a file
 * truncated while it is read becomes "file shrank while it was read" for that input - what
 * came before is counted - and the run goes on.
 */
#ifndef SIPLOGSCAN_PIPELINE_H
#define SIPLOGSCAN_PIPELINE_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "input.h"
#include "profile.h"
#include "report.h"

#define PIPELINE_MAX_THREADS 256
#define PIPELINE_DEFAULT_BLOCK (4u << 20)	/* at -j1 and -j2; smaller with more threads */
#define PIPELINE_BUDGET (48u << 20)		/* bytes of units in flight */
#define PIPELINE_STREAM_BUDGET (32u << 20)	/* bytes of streams read ahead */

struct pipeline_input {
	const char *path;
	const struct profile *profile;	/* NULL: the file could not be opened (rf says why) */
	struct source *src;		/* an already open source (stdin, a pipe: read once), or
					 * NULL to open path when the dispatcher reaches it */
	int stream;			/* read as a stream (gzip, or not a regular file): it may be
					 * opened ahead of the others, to be inflated ahead */
	struct report_file *rf;		/* filled in as the file is scanned */
	int64_t date_hint;		/* first full date in the file's sample; TIME_UNKNOWN: none
					 * (dates the time-of-day stamps before it) */
	int ranged;			/* only bytes [range_start, range_end) (--range) */
	uint64_t range_start, range_end;
	uint64_t skip;			/* a gzip file's first bytes, read before (--history,
					 * source_set_skip()); 0: none */
};

/* Progress, now and then: stored bytes merged so far (compressed, for a gzip input: what its
 * size on disk is made of), the uncompressed bytes they gave, and inputs finished. */
typedef void (*pipeline_progress_fn)(void *ctx, uint64_t stored, uint64_t bytes,
				     size_t files_done);

struct pipeline_opts {
	unsigned threads;		/* worker threads, 1..PIPELINE_MAX_THREADS */
	size_t block_size;		/* bytes per block; 0: from the thread count
					 * (chunk_block_size(): 4 MiB at -j1 and -j2) */
	const uint8_t *callid_seed;	/* 16 bytes: the key of the call table's hash; the workers
					 * hash each Call-ID with it (EV_HASHED). NULL: they do not */
	size_t budget;			/* bytes of units in flight; 0: PIPELINE_BUDGET. Several
					 * pipelines at once (src/hosts.c) share the budgets */
	size_t stream_budget;		/* bytes of streams read ahead; 0: PIPELINE_STREAM_BUDGET */
	pipeline_progress_fn progress;	/* may be NULL; called from the calling thread */
	void *progress_ctx;
};

/* What the engine hands every event to, in input order, from the calling thread (the
 * analysis: main.c passes analysis_event). ev->time_us is set; ev and its strings are valid
 * during the call only. */
typedef void (*event_fn)(void *ctx, const struct event *ev);

/*
 * Scan inputs in[0..n) in that order and hand every event to fn(ctx, ev). Fills each
 * in[i].rf (sizes, lines, records, first and last time, errors). Takes ownership of in[i].src.
 * Returns 0 when every input was read whole, -1 when some input had an error (recorded in
 * its rf); the report is complete either way.
 */
int pipeline_run(struct pipeline_input *in, size_t n, const struct pipeline_opts *o,
		 event_fn fn, void *ctx);

#endif
