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
	/* --state-out (docs/state.md): the calls of the shard's head are kept as their
	 * messages and the calls open at the end as they stand, both out of the aggregates
	 * (analysis_part_end()) */
	int state;
	/* --host-from / --host: the number of hosts (events carry their index, at most 63);
	 * 0: none, and no by-host rows */
	unsigned hosts;
};

struct analysis;

struct analysis *analysis_new(const struct analysis_opts *o);
void analysis_free(struct analysis *a);

/* Feed one event (matches scan_emit_fn: pass the analysis as ctx). */
void analysis_event(void *analysis, const struct event *ev);

/* Settle every open call and fill r (all but r->files and r->run). Call once. */
void analysis_finish(struct analysis *a, struct report *r);

/*
 * --state-out and merge (docs/state.md). A shard of an archive is analysed alone; what a run
 * over the whole archive would have done differently at its edges is kept apart:
 *  - the head: every message of a Call-ID first seen while a call of an earlier shard could
 *    still be open (the log clock within STATE_HEAD_SLACK_US plus the longest idle limit of
 *    the shard's first time, or no time yet), as it came, with the shard's clock at it;
 *  - the calls still open at the end, as they stand (struct call), with what they need to go
 *    on.
 * merge replays, shard after shard, the head through the same call table and clock, then
 * adopts the shard's open calls, and adds up the aggregates of everything else.
 */
#define STATE_HEAD_SLACK_US (INT64_C(60) * 1000000)	/* how far a shard's first time may lie
							 * before the clock of the shard before it */
#define STATE_HEAD_MAX_BYTES ((size_t)1 << 30)	/* a head kept past this is an error */

struct head_event {
	int64_t time_us;
	int64_t clock;			/* the shard's log clock at it (TIME_UNKNOWN: none yet) */
	uint64_t seq;			/* its message number in the shard */
	uint64_t line;
	uint64_t str;			/* offset of its strings in the part's buffer: Call-ID,
					 * source, User-Agent, request URI, one after the other */
	uint32_t file, cseq, flags, auth;
	uint32_t callid_len, src_len, ua_len, ruri_len;
	uint16_t status;
	uint8_t method, cseq_method;
};

struct fold;
struct call;

struct analysis_part {
	struct fold *fold;		/* every call settled in the shard but the head's */
	struct call **open;		/* open at the end (not the head's), by first message */
	size_t nopen;
	struct head_event *head;
	size_t nhead, head_cap;
	char *str;			/* the head's strings */
	size_t slen, scap;
	int64_t now, first_time;	/* the shard's log clock at its end; its first time */
	uint64_t seq;			/* messages in the shard */
	int head_over;			/* the head grew past STATE_HEAD_MAX_BYTES */
};

/* The end of a shard scanned with opts.state: its part (instead of analysis_finish()). */
void analysis_part_end(struct analysis *a, struct analysis_part *p);
void analysis_part_release(struct analysis_part *p);

/* merge: the log's first time (of the first shard that has one), before any replay */
void analysis_set_first_time(struct analysis *a, int64_t first_time);
/* merge: one message of a shard's head, with the shard's clock at it and its number */
void analysis_replay(struct analysis *a, const struct event *ev, int64_t clock, uint64_t seq);
/* merge: the end of a shard (its clock at its end); then adopt its open calls */
void analysis_part_clock(struct analysis *a, int64_t now);
void analysis_adopt(struct analysis *a, struct call *c);
/* merge: the calls still open settle (the input ended); everything folds into into */
void analysis_merge_end(struct analysis *a, struct fold *into);
/* The model from a merged fold (analysis_finish()'s last steps); frees nothing. */
void analysis_report(struct fold *a, struct report *r);

/* The address part of a logged source: "udp:10.0.0.1:5060" -> "10.0.0.1",
 * "[2001:db8::1]:5060" -> "2001:db8::1". Returns a view into s. */
struct str source_address(struct str s);

/* Is this User-Agent one of the known SIP scanners (friendly-scanner, sipvicious, ...)? */
int is_scanner_ua(struct str ua);

#endif
