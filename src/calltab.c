/*
 * calltab.c - the call table in shards: a call record per Call-ID, created at its first
 * message and settled once it has idled past its limit in log time (or the input ended, or
 * the shard was full), and the window (--since/--until).
 *
 * Memory follows calls in flight: a call is settled - folded and freed - once it has been
 * idle for call_timeout seconds of log time (ring_timeout while an INVITE waits for its
 * final response after a provisional one, session_timeout while an answered one waits for
 * its BYE), or when the input ends; and never more than its share of max_calls are held.
 * The idle lists are in the order of last activity, which is the order of the log clock at
 * that activity: the clock never goes back (src/analysis.c), so settling takes calls from
 * the heads only.
 */
#include "calltab.h"
#include "timeparse.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static void list_unlink(struct shard *a, struct call *c)
{
	struct clist *l = &a->lists[c->list];

	if (c->prev)
		c->prev->next = c->next;
	else
		l->head = c->next;
	if (c->next)
		c->next->prev = c->prev;
	else
		l->tail = c->prev;
	c->prev = c->next = NULL;
}

static void list_append(struct shard *a, struct call *c, int which)
{
	struct clist *l = &a->lists[which];

	c->list = which;
	c->prev = l->tail;
	c->next = NULL;
	if (l->tail)
		l->tail->next = c;
	else
		l->head = c;
	l->tail = c;
}

/*
 * Take c out of its shard and fold it into a (fold_call()). A call of the previous window
 * (CALL_BEFORE) is neither a call of this one nor stuck in it: it is dropped.
 */
static void settle(struct shard *sh, struct fold *a, struct call *c, enum settle_reason why)
{
	list_unlink(sh, c);
	htab_del(sh->calls, c->key, c->key_len, c->hash);
	if (c->flags & CALL_BEFORE) {
		call_free(c);
		return;
	}
	fold_call(a, c, why);
}

void evict_idle(struct shard *sh, struct fold *a, int64_t now, int64_t first)
{
	int64_t timeout[3] = { a->call_timeout_us, a->ring_timeout_us, a->session_timeout_us };

	for (int l = 0; l < 3; l++) {
		struct call *c;
		while ((c = sh->lists[l].head) != NULL) {
			if (c->last_time == TIME_UNKNOWN)
				/* last active before the log's first time (a file without times
				 * read first): idle from that time on. Such calls are at the heads
				 * of the lists, before every call active at a time, so the lists
				 * stay in the order of last_time */
				c->last_time = first;
			if (now - c->last_time <= timeout[l])
				break;
			settle(sh, a, c, SETTLED_IDLE);
		}
	}
}

/*
 * --max-calls: memory stays bounded when the log holds more calls at once than that (a flood
 * of INVITEs with new Call-IDs, or timeouts far longer than the traffic needs). Each shard
 * holds its share: past it, its least recently active call - the oldest last activity among
 * the heads of its three idle lists - is settled as if it had been idle. Ties go to the lower
 * list, so the choice follows the events alone. Should its Call-ID come back, it starts a new
 * record, as after --call-timeout.
 */
static void settle_oldest(struct shard *sh, struct fold *a)
{
	struct call *oldest = NULL;

	for (int l = 0; l < 3; l++) {
		struct call *c = sh->lists[l].head;
		if (c && (!oldest || c->last_time < oldest->last_time))
			oldest = c;
	}
	if (oldest)
		settle(sh, a, oldest, SETTLED_LIMIT);
}


/*
 * One message of a call, in the shard its Call-ID hashes to (hash h), folding what settles
 * into a. now is the log clock at this message (the latest time of any message so far), first
 * the log's first time: the idle calls it settles first are those one sequential pass would
 * have settled by now, since the clock only moves forward.
 */
void shard_event(struct shard *sh, struct fold *a, const struct event *ev, uint64_t h,
			int64_t now, int64_t first, uint64_t seq)
{
	struct report *r = &a->acc;
	int64_t t = ev->time_us;

	if (now != TIME_UNKNOWN)
		evict_idle(sh, a, now, first);

	/* the log gives the sources of the responses to INVITEs: a next-hop table */
	if (ev->status && ev->cseq_method == METHOD_INVITE && ev->src.n &&
	    !(ev->flags & EV_TRANSACTION))
		r->by_hop.shown = 1;

	struct call *c = htab_get(sh->calls, ev->callid.p, ev->callid.n, h);
	if (!c && after_window(a, t)) {
		r->outside++;
		return;
	}
	if (!c) {
		if (htab_count(sh->calls) >= sh->max_calls)
			settle_oldest(sh, a);
		c = xcalloc(1, call_size(ev->callid.n));
		memcpy(c->key, ev->callid.p, ev->callid.n);
		c->key_len = (uint32_t)ev->callid.n;
		c->hash = h;
		c->first_file = ev->file;
		c->first_line = ev->line;
		c->first_seq = seq;
		c->final_delay = -1;
		c->pa.retry_delay = c->wa.retry_delay = -1;
		c->first_inv = c->first_reg = c->first_req = c->start_time = c->pdd_start = TIME_UNKNOWN;
		c->open_first = c->open_last = TIME_UNKNOWN;
		if (before_window(a, t))
			c->flags |= CALL_BEFORE;
		htab_put(sh->calls, c->key, c->key_len, h, c);
		list_append(sh, c, 0);
	}
	if (c->flags & CALL_BEFORE) {
		r->outside++;
	} else {
		fold_count_event(r, ev);
		if (after_window(a, t))
			c->flags |= CALL_PAST_UNTIL;
	}
	c->last_time = now;
	c->last_seq = seq;
	c->hosts |= (uint64_t)1 << (ev->host & 63);
	if (t != TIME_UNKNOWN) {
		if (c->open_first == TIME_UNKNOWN || t < c->open_first)
			c->open_first = t;
		if (c->open_last == TIME_UNKNOWN || t > c->open_last)
			c->open_last = t;
	}
	if (c->start_time == TIME_UNKNOWN)
		c->start_time = ev->time_us;
	if (ev->flags & EV_TRANSACTION) {
		c->flags |= CALL_ACC;
		/* an accounting record: the request first, with no time of its own (its time
		 * is the transaction's end: SRD, RRD and session times stay unknown, never 0),
		 * then the final */
		struct event rq = *ev;
		rq.status = 0;
		rq.method = ev->cseq_method;
		rq.time_us = TIME_UNKNOWN;
		call_apply(c, &rq);
	}
	call_apply(c, ev);
	list_unlink(sh, c);
	list_append(sh, c, call_idle_list(c));
}

void shard_settle(struct shard *sh, struct fold *a, struct call *c, enum settle_reason why)
{
	settle(sh, a, c, why);
}

void shard_free_calls(struct shard *sh)
{
	for (int l = 0; l < 3; l++) {
		struct call *c;
		while ((c = sh->lists[l].head) != NULL) {
			list_unlink(sh, c);
			call_free(c);
		}
	}
}

/* Take every call out of sh, unsettled, onto l (--state-out: the calls open at the end). */
void shard_take_calls(struct shard *sh, struct settled *l)
{
	for (int k = 0; k < 3; k++) {
		struct call *c;
		while ((c = sh->lists[k].head) != NULL) {
			list_unlink(sh, c);
			htab_del(sh->calls, c->key, c->key_len, c->hash);
			settled_push(l, c);
		}
	}
}

/*
 * merge: a call open at the end of a shard goes on in this table (c->hash is this table's).
 * Its idle list stays in the order of last activity: it goes after the calls active before
 * its last message (message numbers are the whole archive's). A call of the same Call-ID
 * still held is one the clock has made idle (the shard's own table had settled it): it
 * settles first.
 */
void shard_adopt(struct shard *sh, struct fold *a, struct call *c)
{
	struct call *old = htab_get(sh->calls, c->key, c->key_len, c->hash);

	if (old)
		settle(sh, a, old, SETTLED_IDLE);
	struct clist *l = &sh->lists[c->list];
	struct call *after = l->tail;
	while (after && after->last_seq > c->last_seq)
		after = after->prev;
	c->prev = after;
	c->next = after ? after->next : l->head;
	if (c->next)
		c->next->prev = c;
	else
		l->tail = c;
	if (after)
		after->next = c;
	else
		l->head = c;
	htab_put(sh->calls, c->key, c->key_len, c->hash, c);
}
