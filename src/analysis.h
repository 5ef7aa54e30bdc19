/*
 * analysis.h - events to the report model: the call table in shards, the per-call state
 * machines (100 Trying -> final, 407/401 -> retry), problem patterns, aggregates.
 *
 * Where in the flow: the engine's merger calls analysis_event() for every event in input
 * order, from one thread; analysis_finish() settles what is still open and fills the report
 * model. With opts.threads > 1 the calls are analysed on that many threads of the analysis'
 * own (analysis.c); the caller sees one object, used from one thread.
 *
 * Memory follows calls in flight: a call is settled - folded into the aggregates and freed -
 * once it has been idle for call_timeout seconds of log time (ring_timeout while an INVITE
 * waits for its final response after a provisional one), or when the input ends; and never
 * more than max_calls are held (shared out over the shards): past a shard's share, its least
 * recently active call is settled early.
 *
 * A window (since/until) is applied here, not before: every event with a time is fed, so that
 * a call that started before the window is recognised in it (and counted nowhere), and one
 * that started in it is followed through its messages after until.
 */
#ifndef SIPLOGSCAN_ANALYSIS_H
#define SIPLOGSCAN_ANALYSIS_H

#include "event.h"
#include "report.h"

#define ANALYSIS_MAX_CALLS 1000000	/* --max-calls default */
#define ANALYSIS_MAX_THREADS 8		/* analysis threads at most (src/main.c) */

struct analysis_opts {
	double call_timeout_s;		/* --call-timeout, default 32 (RFC 3261 Timer B) */
	double ring_timeout_s;		/* default 180 (RFC 3261 Timer C); never below call_timeout */
	double session_timeout_s;	/* --session-timeout: an answered INVITE waits this long for
					 * its BYE; default 7200; never below call_timeout */
	double slow_setup_s;		/* --slow-setup: post-dial delay, default 5 */
	unsigned examples;		/* --examples, default 3, at most REPORT_MAX_EXAMPLES */
	unsigned scanner_threshold;	/* --scanner-threshold, default 10 */
	unsigned top;			/* --top: rows per breakdown, default 10 */
	uint64_t max_calls;		/* --max-calls: calls held at once, shared out over the
					 * call-table shards; past its share, a shard settles its least
					 * recently active call early. 0: the default */
	/* --since/--until: a call belongs to the window its first message falls in, and is
	 * followed to its end past until (see analysis_event). since and until apply only when
	 * window is set (options zeroed otherwise mean no window); TIME_UNKNOWN: no bound */
	int window;
	int64_t since, until;
	/* 16 bytes keying the call table's hash; the engine hashes Call-IDs with the same key
	 * (pipeline_opts.callid_seed, EV_HASHED). NULL: a random key */
	const uint8_t *seed;
	/* folds the settled calls are spread over (merged at the end; 0: one). The report is
	 * the same for any number: tests set it to check that folds merge exactly */
	unsigned folds;
	/* analysis threads: the call-table shards are spread over them (0 or 1: the caller's
	 * thread does all). The report is the same for any number (analysis.c) */
	unsigned threads;
	/* for tests: call-table shards (1..64; 0: 64) and messages between ticks (0: 8192).
	 * One shard and a tick per message settle every call at the message that makes it
	 * idle, as one sequential pass over one table */
	unsigned shards;
	uint64_t tick;
	/* called for every call as it is settled (may be NULL), in batches: every
	 * ANALYSIS_TICK messages, the calls settled since, in the order of their first message;
	 * at the end, the calls still open, in that order */
	void (*call_fn)(void *ctx, const struct call_summary *cs);
	void *call_ctx;
};

struct analysis;

struct analysis *analysis_new(const struct analysis_opts *o);
void analysis_free(struct analysis *a);

/* Feed one event (matches scan_emit_fn: pass the analysis as ctx). */
void analysis_event(void *analysis, const struct event *ev);

/* Settle every open call and fill r (all but r->files and r->run). Call once. */
void analysis_finish(struct analysis *a, struct report *r);

/* The address part of a logged source: "udp:10.0.0.1:5060" -> "10.0.0.1",
 * "[2001:db8::1]:5060" -> "2001:db8::1". Returns a view into s. */
struct str source_address(struct str s);

/* Is this User-Agent one of the known SIP scanners (friendly-scanner, sipvicious, ...)? */
int is_scanner_ua(struct str ua);

#endif
