/*
 * fold.h - the aggregates settled calls are folded into, and the report model made from them.
 *
 * Where in the flow: a shard (src/calltab.c) settles a call and hands it to fold_call() of
 * its thread's fold; every tick the ordered pass (src/analysis.c) hands each settled call, in
 * the order of first messages, to fold_ordered() of the first fold; at the end the folds are
 * merged (fold_merge()) and fold_report() makes the report model. One owner per fold.
 */
#ifndef SIPLOGSCAN_FOLD_H
#define SIPLOGSCAN_FOLD_H

#include <stddef.h>
#include <stdint.h>

#include "analysis.h"
#include "call.h"
#include "dist.h"
#include "peak.h"
#include "report.h"
#include "timeparse.h"
#include "topk.h"

/* Up to --examples examples; the array is allocated with the first one (a source seen once
 * must not cost room for twenty). */
struct example_set {
	size_t n, cap;
	struct example *e;		/* grown as it fills: --examples may be 10,000 */
};

/* A source address in the table behind auth-scanner (the key is kept by the topk table). */
struct source_stat {
	uint64_t calls, unanswered, scanner_ua;
	uint64_t accepted;		/* calls with a 2xx to a challenged request */
	uint64_t answered;		/* calls whose INVITE got a 2xx */
	uint64_t timed;			/* calls with a time: those the key_hours table counts */
	int64_t first_time, last_time;	/* of its calls' starts; TIME_UNKNOWN when none had one */
	char *ua;			/* the scanner User-Agent of its first such call (by position) */
	size_t ua_len;
	uint32_t ua_file;
	uint64_t ua_line;
	struct example_set ex;
};

/*
 * The tables keyed by strings from the log (sources, User-Agents, destinations) and the
 * per-hour table are bounded (REPORT_*_CAP in report.h) and keep the heaviest keys (topk.h:
 * Space-Saving), weighed in calls for the sources and attempts for the others: a flood of
 * one-off spoofed keys cannot keep a real scanner arriving later out of the report. What the
 * evicted keys had counted is reported as unlisted.
 */

/* One row of a breakdown while scanning: counts, and failure codes (up to BROW_CODES). */
#define BROW_CODES 16
struct brow {
	uint64_t attempts, answered, failed, auth_failed;
	int codes[BROW_CODES];
	uint64_t code_n[BROW_CODES];
	int ncodes;
};

struct hour_row {
	struct timeline_row t;
	int codes[BROW_CODES];		/* its failed calls' outcomes (struct brow's) */
	uint64_t code_n[BROW_CODES];
	int ncodes;
};

/* One next hop while scanning (struct hop_row's figures), weighed in attempts. */
struct hrow {
	uint64_t attempts, answered, stuck, timeout, server_err, slow;
	int codes[BROW_CODES];
	uint64_t code_n[BROW_CODES];
	int ncodes;
	uint64_t srd_n;
	int64_t srd_sum, srd_max;
};

/* What the calls an address answered say of it: how many, and the signs that it is the proxy
 * itself it gave in them (see fold_hop()). Weighed in calls. */
struct hop_vote {
	uint64_t calls, proxy;
};

/* Authentication records of one source address or account, by result, and where its first
 * record (since it entered the table) is: the example a problem shows. */
struct arow {
	uint64_t n[AUTH_RES_COUNT];
	uint32_t file;
	uint64_t line;			/* 0 until its first record */
	int64_t first_time, last_time;	/* of its records; TIME_UNKNOWN when none had one (sources) */
	uint64_t timed;			/* what key_hours counts for it: records with a time (a
					 * source), failures with a time and a source (an account) */
	int spread;			/* an account flagged by auth-spread-guessing */
};

/* Failed authentications of one account from one source, for auth-spread-guessing: the key
 * is the account's length (2 bytes), the account, then the source. */
struct pair_row {
	uint64_t failures;
	uint32_t file;
	uint64_t line;			/* of its first failure */
	int64_t first_time, last_time;	/* of its failures; TIME_UNKNOWN when none had one */
};

/*
 * When each problem appeared: the first and last time of what it counts (a call's start, an
 * authentication record) and how many of them fell in each hour. The hours are a bounded
 * table (REPORT_PROBLEM_HOURS_CAP): what evicted hours had counted is reported as unlisted.
 * timed counts what had a time, so that listed + unlisted = timed.
 */
struct pat_times {
	int64_t first, last;		/* TIME_UNKNOWN until something with a time is counted */
	uint64_t timed;
	struct topk *hours;		/* int64_t hour, weighed in what the pattern counts */
};

/*
 * The hours of the things whose problem is only known at the end (the sources behind
 * auth-scanner, auth-guessing and auth-break-in, the accounts behind auth-spread-guessing):
 * one bounded table keyed by kind, hour and key, weighed in calls or records. analysis_finish()
 * hands the hours of the keys that were flagged to their problem.
 */
enum key_hour_kind { KH_CALL_SOURCE, KH_AUTH_SOURCE, KH_AUTH_ACCOUNT };

/*
 * The aggregates settled calls are folded into. Each analysis thread folds into its own, and
 * the folds are merged once at the end (fold_merge()): every figure is a sum, a multiset
 * (dist), a min/max, a "smallest positions" set, or a bounded table whose records add up, so
 * the merged fold does not depend on which thread folded which call (bounded tables that
 * overflowed aside: see the top of this file).
 */
struct fold {
	struct analysis_opts o;
	int64_t call_timeout_us, ring_timeout_us, session_timeout_us, slow_us;
	struct topk *sources;		/* struct source_stat, weighed in calls */
	struct dist trying_delay, proxy_delay, www_delay, srd, rrd, duration;
	struct dist pdd, ring;		/* post-dial delay, ring time */
	int64_t duration_sum;
	struct example_set ex[PAT_COUNT];
	uint64_t pat_count[PAT_COUNT];
	struct pat_times pt[PAT_COUNT];
	struct topk *key_hours;		/* enum key_hour_kind, hour, key: see above */
	uint64_t calls_with_final;
	uint64_t scanner_ua_no_src;
	uint64_t scanner_ua_no_src_ok;	/* of those, calls with a 2xx (see fold_source()) */
	struct topk *by_source, *by_ua, *by_dest;	/* struct brow, weighed in attempts */
	struct topk *hop_cands;		/* struct hrow by the call's candidate hops (hop_key()),
					 * weighed in attempts; resolved into hops at the end */
	struct topk *hops;		/* struct hrow by next hop: filled by resolve_hops() */
	struct topk *hop_votes;		/* struct hop_vote, weighed in calls */
	struct topk *hours;		/* struct hour_row, weighed in attempts */
	struct topk *fine;		/* the same per 5 minutes, REPORT_FINE_CAP at most */
	struct topk *auth_src, *auth_acc;	/* struct arow, weighed in records */
	struct topk *auth_pairs;	/* struct pair_row, weighed in failures */
	struct peak open_time;		/* Call-IDs open at once, by log time (peak.h) */
	struct peak open_seq;		/* the same by message number, for logs without times */
	struct settled settled;		/* calls settled since the last tick (ordered_pass()) */
	struct report acc;		/* with hosts, acc.hosts holds each host's call figures */
	/* the call figures of a by-host row (those fold_hosts() counts) over every call folded
	 * here, kept with or without hosts: a state carries them, so that merge can give each
	 * host's states the row a run over that host's logs would (src/state.c); name, inputs
	 * and shared unused */
	struct host_row own;
};


static inline void span_add(int64_t *first, int64_t *last, int64_t t)
{
	if (t == TIME_UNKNOWN)
		return;
	if (*first == TIME_UNKNOWN || t < *first)
		*first = t;
	if (*last == TIME_UNKNOWN || t > *last)
		*last = t;
}

/*
 * The window (--since/--until): a call belongs to the window in which its first message
 * falls, and is counted whole there.
 *  - A Call-ID first seen before since gets a record marked CALL_BEFORE: its later messages,
 *    in the window too, are known as its own (not a new call, not an orphan, not stuck) and
 *    counted nowhere; the usual timeouts settle it, without a trace in the figures.
 *  - A Call-ID first seen at or after until gets no record: the window's calls are over.
 *  - A call that started in the window takes its messages after until as usual (its final,
 *    the retry of a challenge, its BYE) until it settles: the 200 five seconds after midnight
 *    answers yesterday's call.
 * The messages counted (totals) are those of the window's calls, and those of no call (an
 * authentication record) that lie in the window; every other is counted as outside. An event
 * without a time (a log without stamps) is in the window unless its call started before it:
 * nothing says otherwise.
 */
static inline int before_window(const struct fold *a, int64_t t)
{
	return t != TIME_UNKNOWN && a->o.since != TIME_UNKNOWN && t < a->o.since;
}

static inline int after_window(const struct fold *a, int64_t t)
{
	return t != TIME_UNKNOWN && a->o.until != TIME_UNKNOWN && t >= a->o.until;
}

struct fold *fold_new(const struct analysis_opts *o);
void fold_free(struct fold *a);
/* Add everything of from into into (from keeps its records; free it after). */
void fold_merge(struct fold *into, struct fold *from);
void fold_call(struct fold *a, struct call *c, enum settle_reason why);
/* The ordered pass over one settled call: tables keyed by log strings, its row; frees c. */
void fold_ordered(struct fold *a, struct call *c);
/* An authentication record (no call). */
void fold_auth_record(struct fold *a, const struct event *ev);
/* The message figures (totals, the time range) of one event that counts in the window. */
void fold_count_event(struct report *r, const struct event *ev);
/* Keep the examples with the smallest (file, line), at most max. */
void example_add(struct example_set *s, unsigned max, const char *id, size_t len,
		 uint32_t file, uint64_t line);
/* Decide each call's next hop from every call's votes (before fold_report()). */
void fold_resolve_hops(struct fold *a);
void fold_report(struct fold *a, struct report *out);

#endif
