/*
 * calltab.h - the call table, in shards: the calls in flight keyed by Call-ID, their idle
 * lists, settling (src/calltab.c).
 *
 * Where in the flow: the router (src/analysis.c) sends each message to the shard of its
 * Call-ID, in input order, with the log clock; a shard is used by one thread at a time.
 */
#ifndef SIPLOGSCAN_CALLTAB_H
#define SIPLOGSCAN_CALLTAB_H

#include <stdint.h>

#include "call.h"
#include "fold.h"
#include "htab.h"

struct clist {
	struct call *head, *tail;
};

/*
 * One shard of the call table: the calls whose keyed Call-ID hash falls in it, their idle
 * lists, and its share of --max-calls. A shard is touched by one thread at a time (the one
 * that owns it); the number of shards is fixed (ANALYSIS_SHARDS), so that which calls share
 * a table, and so which one --max-calls settles early, never depends on the thread count.
 */
struct shard {
	struct htab *calls;
	struct clist lists[3];		/* idle limits: 0 call_timeout, 1 ring_timeout (waiting for a
					 * final after 100/180), 2 session_timeout (answered, no BYE) */
	uint64_t max_calls;		/* its share of --max-calls, at least 1 */
};

/* One message of a call in shard sh (see calltab.c). */
void shard_event(struct shard *sh, struct fold *a, const struct event *ev, uint64_t h,
		 int64_t now, int64_t first, uint64_t seq);
/* Settle the calls that the clock now has made idle. */
void evict_idle(struct shard *sh, struct fold *a, int64_t now, int64_t first);
/* Settle c now (the input ended). */
void shard_settle(struct shard *sh, struct fold *a, struct call *c, enum settle_reason why);
/* Take every call out of sh, unsettled, onto l (--state-out). */
void shard_take_calls(struct shard *sh, struct settled *l);
/* merge: a call open at the end of a shard goes on in sh (c->list, c->hash set). */
void shard_adopt(struct shard *sh, struct fold *a, struct call *c);
/* Free every call left in sh without folding it. */
void shard_free_calls(struct shard *sh);

#endif
