/*
 * call.h - one call in flight (one Call-ID): what its transitions need, and the state machines
 * that move it (src/callstate.c).
 *
 * Where in the flow: a shard of the call table (src/calltab.c) keeps a struct call per Call-ID
 * and applies each of its messages with call_apply(); once it settles, the fold
 * (src/fold.c) reads it. A call belongs to one thread at a time: the one that owns its shard,
 * then the ordered pass.
 */
#ifndef SIPLOGSCAN_CALL_H
#define SIPLOGSCAN_CALL_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "report.h"
#include "timeparse.h"

#include <stdlib.h>
#include <string.h>

enum {
	CALL_COUNTED = 1 << 0,		/* has an event of a method that can start a call */
	CALL_INVITE = 1 << 1,
	CALL_REGISTER = 1 << 2,
	CALL_INV_REQ = 1 << 3,		/* an INVITE request was seen */
	CALL_INV_RESP = 1 << 4,		/* some response to an INVITE was seen */
	CALL_RINGING = 1 << 5,		/* INVITE got a provisional response, no final yet */
	CALL_SCANNER_UA = 1 << 6,
	CALL_UA_SEEN = 1 << 7,		/* the first User-Agent was checked */
	CALL_REG_REQ = 1 << 8,		/* a REGISTER request was seen */
	CALL_SRD = 1 << 9,		/* srd_time is set */
	CALL_REG_FINAL = 1 << 10,	/* some final response (a challenge too) to a REGISTER */
	CALL_EARLY_FINAL = 1 << 11,	/* before any 100: a final to an INVITE, whose CSeq, code and
					 * time wait in trying_cseq, final_code, trying_time */
	CALL_BEFORE = 1 << 12,		/* first seen before --since: followed only so that its
					 * later messages are known as its own; counted nowhere */
	CALL_PAST_UNTIL = 1 << 13,	/* started in the window, had a message at or after --until */
	CALL_SETUP = 1 << 14,		/* setup_time is set: post-dial delay ended */
	CALL_RANG = 1 << 15,		/* setup ended with an 18x: ringing from setup_time */
	CALL_RING_END = 1 << 16,	/* ring_end is set: the final after the 18x */
	CALL_OPTIONS = 1 << 17,		/* an OPTIONS request or response */
	CALL_ACC = 1 << 18,		/* some of its messages were accounting records
					 * (EV_TRANSACTION): no 100, 18x or challenge is logged */
};

/* What the responders of a call's INVITE did (struct call hop_flags; see fold_hop()) */
enum {
	HOP1_TRYING = 1 << 0,		/* the first responder sent a 100 Trying */
	HOP2_TRYING = 1 << 1,		/* the second sent one too */
	HOP1_CHAL = 1 << 2,		/* the first sent a 401/407 challenge */
	HOP2_CHAL = 1 << 3,
};

struct auth_state {
	int64_t chal_time;
	int64_t retry_delay;		/* -1 when unknown */
	int64_t pre_time;
	uint32_t chal_cseq, last_retry;
	/* the highest-CSeq request with credentials seen before any challenge (0: none) */
	uint32_t pre_cseq;
	uint8_t challenged, retried, rechallenged;
	uint8_t method, pre_method;	/* enum sip_method */
	/* challenges: distinct challenged requests (the first, then each retry challenged
	 * again); retries: distinct retries (new CSeqs). Both stop at 255. They fill what was
	 * padding: the struct keeps its size */
	uint8_t challenges, retries;
};

/*
 * One call in flight. Memory is what --max-calls multiplies (a million calls by default), so
 * the fields are ordered widest first, with no holes: 8-byte times, then 4-, 2- and 1-byte
 * fields, and the strings of the call (source, User-Agent, destination) share one allocation.
 */
struct call {
	struct call *prev, *next;	/* idle list, least recently active first */
	uint64_t hash;			/* keyed hash of the Call-ID (its shard, its table slot) */
	uint64_t first_seq, last_seq;	/* numbers of its first and last message (peak.h) */
	uint64_t hosts;			/* 1 << index of each host that logged a message of it
					 * (--host-from; bit 0 without hosts) */
	int64_t open_first, open_last;	/* earliest and latest time of its messages (peak.h) */
	int64_t last_time;
	uint64_t first_line;
	int64_t trying_time;
	int64_t final_delay;		/* -1 when unknown */
	int64_t first_inv, first_reg;	/* first INVITE / REGISTER request time */
	int64_t srd_time;		/* first non-100, non-challenge response to an INVITE */
	int64_t reg_time;
	int64_t answer_time, bye_time;	/* first 2xx to an INVITE, first BYE */
	int64_t start_time;		/* the first time the call's events had */
	int64_t pdd_start;		/* the INVITE that setup answered: the latest one with a new
					 * CSeq before setup ended (after a challenge, the retry) */
	int64_t setup_time;		/* first 18x, or first final that is not a challenge */
	int64_t ring_end;		/* first final (not a challenge) after an 18x */
	int64_t first_req;		/* time of its first request that can open a call */
	struct auth_state pa, wa;
	char *strs;			/* its strings one after the other (call_str()): in the
					 * room after the key, or a block of their own */
	uint32_t first_file;
	uint32_t trying_cseq;
	uint32_t pdd_cseq;		/* CSeq of the INVITE at pdd_start */
	uint32_t key_len;
	uint32_t flags;			/* CALL_* */
	uint16_t final_code, out_code, chal_code;
	uint16_t reg_code;		/* REGISTER: first final that is not a challenge */
	uint16_t src_len;		/* normalised source address of the first request */
	uint16_t ua_len;		/* the first User-Agent */
	uint16_t dest_len;		/* user@host of the first INVITE's request URI */
	uint16_t hop1_len, hop2_len;	/* the first two addresses that answered its INVITE,
					 * other than the caller's and the relay's */
	uint16_t relay_len;		/* an address that sent its INVITE on, before it was
					 * answered: the proxy itself, in a log of sent messages */
	uint16_t from_len, to_len;	/* the From and To users of its first request that
					 * opens a call, where logged (call_users()) */
	uint8_t list;			/* which idle list */
	uint8_t imethod;		/* initial method (enum sip_method), for the outcome */
	uint8_t trying_state;		/* 0 no 100 yet, 1 waiting for final, 2 final seen */
	uint8_t answered, byed;
	uint8_t hop_flags;		/* HOP1_* HOP2_* */
	uint8_t why;			/* settled: enum settle_reason */
	uint16_t outcome;		/* settled: see settle() */
	uint16_t problems;		/* settled: 1 << enum pattern_id of each problem it counted
					 * for (fold_call()); in the tail padding, so free */
	char key[];
};

/* Each of a call's strings is kept up to this many bytes (a bounded record per call). */
#define CALL_STR_MAX 256

enum call_str { STR_SRC, STR_UA, STR_DEST, STR_HOP1, STR_HOP2, STR_RELAY, STR_FROM, STR_TO,
		STR_COUNT };

/* Room for the call's strings allocated with it, after its key (call_set_str()). */
#define CALL_INLINE 96

/* The bytes a call takes in one allocation, for a Call-ID of key_len bytes. */
static inline size_t call_size(size_t key_len)
{
	return sizeof(struct call) + key_len + 1 + CALL_INLINE;
}

static inline char *call_room(struct call *c)
{
	return c->key + c->key_len + 1;
}

/* Free a call and its strings. */
static inline void call_free(struct call *c)
{
	if (c->strs && c->strs != call_room(c))
		free(c->strs);
	free(c);
}

/* The length of one of the call's strings; they lie one after the other in c->strs. */
static inline size_t call_str_len(const struct call *c, enum call_str which)
{
	const uint16_t len[STR_COUNT] = { c->src_len, c->ua_len, c->dest_len, c->hop1_len,
					  c->hop2_len, c->relay_len, c->from_len, c->to_len };

	return len[which];
}

static inline struct str call_str(const struct call *c, enum call_str which)
{
	size_t off = 0, n = call_str_len(c, which);

	if (!n)
		return (struct str){ NULL, 0 };
	for (int i = 0; i < (int)which; i++)
		off += call_str_len(c, (enum call_str)i);
	return (struct str){ c->strs + off, n };
}

/* later - earlier, or -1 when either is unknown or the difference is negative */
static inline int64_t delta(int64_t later, int64_t earlier)
{
	int64_t d;

	/* the overflow: times from a damaged state, far apart (state.c checks no time's range) */
	if (later == TIME_UNKNOWN || earlier == TIME_UNKNOWN || later < earlier ||
	    __builtin_sub_overflow(later, earlier, &d))
		return -1;
	return d;
}

static inline int str_eq(struct str x, struct str y)
{
	return x.n == y.n && (x.n == 0 || memcmp(x.p, y.p, x.n) == 0);
}

/* Calls settled, waiting for the ordered pass (ordered_pass()), linked by next. */
struct settled {
	struct call *head, *tail;
	size_t n;
};

/* Append c to l. */
static inline void settled_push(struct settled *l, struct call *c)
{
	c->next = NULL;
	if (l->tail)
		l->tail->next = c;
	else
		l->head = c;
	l->tail = c;
	l->n++;
}

/* Move the calls of src to the end of dst. */
static inline void settled_take(struct settled *dst, struct settled *src)
{
	if (!src->head)
		return;
	if (dst->tail)
		dst->tail->next = src->head;
	else
		dst->head = src->head;
	dst->tail = src->tail;
	dst->n += src->n;
	memset(src, 0, sizeof(*src));
}

static inline void settled_free(struct settled *l)
{
	for (struct call *c = l->head, *next; c; c = next) {
		next = c->next;
		call_free(c);
	}
	memset(l, 0, sizeof(*l));
}

/* Set one of the call's strings (each is set once; kept up to CALL_STR_MAX bytes). */
void call_set_str(struct call *c, enum call_str which, const char *p, size_t n);

/* Can a request of method m start a call (a dialog or a transaction that counts)? */
int opens_call(enum sip_method m);

/* Apply one message of the call to its state machines. */
void call_apply(struct call *c, const struct event *ev);

/* Which idle list the call waits in: 0 --call-timeout, 1 Timer C (a final awaited after a
 * provisional), 2 --session-timeout (answered, no BYE yet). */
int call_idle_list(const struct call *c);

#endif
