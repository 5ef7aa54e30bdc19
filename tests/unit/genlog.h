/*
 * genlog.h - a generated log of calls of many kinds for the analysis tests (test_shards.c,
 * test_state.c): calls answered, busy, challenged and retried or not, stuck after 100,
 * registrations, OPTIONS pings, scanners from many sources, calls without times, idle gaps
 * that settle calls, Call-IDs that come back. Deterministic (one xorshift generator).
 */
#ifndef SIPLOGSCAN_TEST_GENLOG_H
#define SIPLOGSCAN_TEST_GENLOG_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "timeparse.h"
#include "util.h"

#define SEC INT64_C(1000000)
#define BASE (INT64_C(1795525200) * SEC)	/* 2026-11-24T13:00:00Z */

struct gen_event {
	int64_t t;		/* TIME_UNKNOWN or microseconds */
	int64_t key;		/* where it lies in the log: its time, or its call's */
	size_t seq;
	char callid[48], src[48], ua[32], ruri[48];
	enum sip_method method, cseq_method;
	int status;
	uint32_t cseq;
	unsigned auth;
};

struct log {
	struct gen_event *v;
	size_t n, cap;
};

static struct gen_event *add(struct log *l)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 1024;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	struct gen_event *e = &l->v[l->n++];
	memset(e, 0, sizeof(*e));
	return e;
}

static uint64_t rng = 88172645463325252ull;

static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static void req(struct log *l, int64_t t, const char *cid, enum sip_method m, uint32_t cseq,
		unsigned auth, const char *src, const char *ua)
{
	struct gen_event *e = add(l);

	e->t = e->key = t;
	snprintf(e->callid, sizeof(e->callid), "%s", cid);
	snprintf(e->src, sizeof(e->src), "%s", src);
	snprintf(e->ua, sizeof(e->ua), "%s", ua);
	snprintf(e->ruri, sizeof(e->ruri), "sip:%u@example.net", 2000 + rnd(50));
	e->method = m;
	e->cseq_method = m;
	e->cseq = cseq;
	e->auth = auth;
}

static void rsp(struct log *l, int64_t t, const char *cid, int status, uint32_t cseq,
		enum sip_method m, const char *src)
{
	struct gen_event *e = add(l);

	e->t = e->key = t;
	snprintf(e->callid, sizeof(e->callid), "%s", cid);
	snprintf(e->src, sizeof(e->src), "%s", src);
	e->status = status;
	e->cseq = cseq;
	e->cseq_method = m;
}

static int cmp_key(const void *x, const void *y)
{
	const struct gen_event *a = x, *b = y;

	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Where untimed messages go in the log's order. */
enum gen_order {
	GEN_UNTIMED_IN_PLACE,	/* where they were generated */
	GEN_BY_CALL_TIME,	/* at their call's time: a log in time order */
};

/* Calls of many kinds, interleaved by time (each call's messages keep their order). */
static void gen_mixed(struct log *l, int ncalls, int sources, enum gen_order order)
{
	struct log calls[1] = { { 0 } };
	int64_t t0 = BASE;

	for (int i = 0; i < ncalls; i++) {
		char cid[48], src[48];
		int64_t t = t0 + (int64_t)rnd(3600) * SEC + rnd(1000) * 1000;
		int kind = rnd(10);
		if (i % 97 == 0)
			t += 7200 * SEC;	/* a gap: everything before settles idle */
		snprintf(cid, sizeof(cid), "c%d@h%u", i % (ncalls - 40), rnd(3));	/* some come back */
		snprintf(src, sizeof(src), "udp:10.%u.%u.%u:5060", rnd(sources) / 65536,
			 rnd(sources) / 256 % 256, rnd(sources) % 256);
		const char *ua = rnd(20) == 0 ? "friendly-scanner" : "Zoiper";
		const char *gw = rnd(2) ? "udp:192.0.2.21:5060" : "udp:192.0.2.22:5060";
		switch (kind) {
		case 0: /* REGISTER challenged, retried */
			req(calls, t, cid, METHOD_REGISTER, 1, 0, src, ua);
			rsp(calls, t + 1000, cid, 401, 1, METHOD_REGISTER, "udp:192.0.2.1:5060");
			req(calls, t + 30000, cid, METHOD_REGISTER, 2, EV_AUTH_WWW, src, ua);
			rsp(calls, t + 40000, cid, 200, 2, METHOD_REGISTER, "udp:192.0.2.1:5060");
			break;
		case 1: /* OPTIONS ping */
			req(calls, t, cid, METHOD_OPTIONS, 1, 0, src, ua);
			rsp(calls, t + 2000, cid, 200, 1, METHOD_OPTIONS, "udp:192.0.2.1:5060");
			break;
		case 2: /* 407 never retried */
			req(calls, t, cid, METHOD_INVITE, 1, 0, src, ua);
			rsp(calls, t + 1000, cid, 407, 1, METHOD_INVITE, "udp:192.0.2.1:5060");
			break;
		case 3: /* stuck after 100 */
			req(calls, t, cid, METHOD_INVITE, 1, 0, src, ua);
			rsp(calls, t + 1000, cid, 100, 1, METHOD_INVITE, "udp:192.0.2.1:5060");
			rsp(calls, t + 50000, cid, 100, 1, METHOD_INVITE, gw);
			break;
		case 4: /* no time at all */
			req(calls, TIME_UNKNOWN, cid, METHOD_INVITE, 1, 0, src, ua);
			rsp(calls, TIME_UNKNOWN, cid, 486, 1, METHOD_INVITE, gw);
			calls->v[calls->n - 2].key = calls->v[calls->n - 1].key = t;
			break;
		default: { /* challenged, retried, rings, answered or busy or 503, BYE */
			int final = kind == 5 ? 486 : kind == 6 ? 503 : 200;
			req(calls, t, cid, METHOD_INVITE, 1, 0, src, ua);
			rsp(calls, t + 1000, cid, 407, 1, METHOD_INVITE, "udp:192.0.2.1:5060");
			req(calls, t + 2000, cid, METHOD_INVITE, 2, EV_AUTH_PROXY, src, ua);
			rsp(calls, t + 3000, cid, 100, 2, METHOD_INVITE, "udp:192.0.2.1:5060");
			rsp(calls, t + 3500, cid, 100, 2, METHOD_INVITE, gw);
			rsp(calls, t + 4000 + rnd(9000) * 1000, cid, 180, 2, METHOD_INVITE, gw);
			rsp(calls, t + 20000 * 1000, cid, final, 2, METHOD_INVITE, gw);
			if (final == 200)
				req(calls, t + 80000 * 1000, cid, METHOD_BYE, 3, 0, src, ua);
			break;
		}
		}
	}
	if (order == GEN_UNTIMED_IN_PLACE) {
		/* by time, a stable sort; untimed messages keep their place */
		for (size_t i = 1; i < calls->n; i++) {
			struct gen_event e = calls->v[i];
			size_t j = i;
			if (e.t != TIME_UNKNOWN)
				while (j > 0 && calls->v[j - 1].t != TIME_UNKNOWN &&
				       calls->v[j - 1].t > e.t) {
					calls->v[j] = calls->v[j - 1];
					j--;
				}
			calls->v[j] = e;
		}
	} else {
		/* by time, an untimed message where its call's time would be, a stable sort: a
		 * log in time order, as shards of an archive are cut from */
		for (size_t i = 0; i < calls->n; i++)
			calls->v[i].seq = i;
		qsort(calls->v, calls->n, sizeof(calls->v[0]), cmp_key);
	}
	*l = *calls;
}

/* The event a generated message stands for (its strings point into g). */
static void gen_event_of(const struct gen_event *g, struct event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->time_us = g->t;
	ev->method = g->method;
	ev->cseq_method = g->cseq_method;
	ev->status = g->status;
	ev->cseq = g->cseq;
	ev->auth = g->auth | EV_AUTH_KNOWN;
	ev->callid = (struct str){ g->callid, strlen(g->callid) };
	ev->src = (struct str){ g->src, strlen(g->src) };
	ev->ua = (struct str){ g->ua, strlen(g->ua) };
	if (!g->status)
		ev->ruri = (struct str){ g->ruri, strlen(g->ruri) };
}

#endif
