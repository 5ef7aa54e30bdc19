/*
 * history.h - incremental nightly runs (--history DIR, --keep N; docs/history.md).
 *
 * Where in the flow: main.c opens the history before the scan (the directory checked, locked,
 * its version and manifest read, the night chosen, the options compared with the history's),
 * asks it for each input how much was read before (history_plan(): the byte range of a plain
 * file, the bytes of a gzip file to skip), scans only what is new as a shard of the archive
 * (--state-out's machinery, src/state.c), and hands the shard to history_finish(), which
 * writes its state into the night, merges the night's states into the report, and commits
 * the manifest (the inputs read, the trend) - the one file whose rename makes a run count.
 *
 * DIR: version (the history's format), lock (flock; the pid of the run that holds it),
 * manifest (the night of the last run and its runs, the trend of the nights kept, the
 * identity of every input and how far it was read, a CRC-32), nights/DATE/NNN.state (the
 * states of the night's runs, 000 the calls left open by the night before).
 */
#ifndef SIPLOGSCAN_HISTORY_H
#define SIPLOGSCAN_HISTORY_H

#include <stddef.h>
#include <stdint.h>

#include "analysis.h"
#include "report.h"

#define HISTORY_VERSION 1u
#define HISTORY_KEEP_DEFAULT 30
#define HISTORY_MAX_INPUTS 65536	/* identities kept in the manifest */
#define HISTORY_MAX_RUNS 1000		/* runs in one night (a state each) */
#define HISTORY_PREFIX 4096		/* the first bytes that identify an input */

struct history;

/*
 * Open DIR (created when it does not exist; its parent must), take its lock, read its
 * version and manifest, and choose the night: date ("YYYY-MM-DD", --history-date) or
 * today in the zone set up (tz.h). keep: --keep. NULL after a message (exit status 2):
 * nothing in DIR was changed.
 */
struct history *history_open(const char *dir, const char *date, unsigned keep);

/*
 * Before the scan: the options that change the figures must be the history's (o, with the
 * zone set up), and so must the host its states name (host: --host NAME, or NULL), and a new
 * night starts from the calls left open by the last run (written into the night). 0, or -1
 * after a message.
 */
int history_prepare(struct history *h, const struct analysis_opts *o, const char *host);

/* What a run reads of one input (history_plan()). */
struct history_plan {
	int gzip;
	int ranged;			/* a plain file: only [start, end) */
	uint64_t start, end;
	uint64_t skip;			/* a gzip file: its first bytes, read before
					 * (SOURCE_SKIP_ALL: read whole before, not read) */
	uint64_t skipped;		/* bytes read by earlier runs (the report's "skipped") */
	int slot;			/* the identity's slot in the history (-1: none) */
};

/*
 * An input named on this run (a regular file): who it is (device and inode, the checksum of
 * its first HISTORY_PREFIX uncompressed bytes) and what is new in it since the last run: a
 * plain file from where it was left up to the end of its last complete line (a line being
 * written is left for the next run), a gzip file after the bytes read before. 0, or -1 when
 * it cannot be read (the scan reports why; it is read as a new input).
 */
int history_plan(struct history *h, const char *path, struct history_plan *p);

/*
 * After the scan (an analysis run with opts.state): the shard's state into the night, the
 * night's states merged into rep (which held the shard's files, in the order read, and is
 * replaced by the night's report), plans[k] the plan of rep->files[k], the manifest
 * committed, old nights pruned (--keep), rep->history filled. o: the analysis options, the
 * report options among them (top). 0, or -1 after a message: the history is as it was.
 */
int history_finish(struct history *h, struct analysis *an, struct report *rep,
		   const struct history_plan *plans, struct analysis_opts *o);

/* Unlock and free (after history_finish(), or instead of it: nothing is committed). */
void history_close(struct history *h);

#endif
