/*
 * test_shards.c - the call table's shards, the folds and the analysis threads change nothing:
 * one generated log (calls answered, busy, challenged and retried or not, stuck after 100,
 * registrations, OPTIONS pings, scanners from many sources, calls without times, idle gaps
 * that settle calls, Call-IDs that come back) gives the same JSON report and the same
 * --calls-csv rows, in the same order, with one shard and a tick per message, with the 64
 * shards, with the settled calls spread over several folds in one thread, and with 2, 3 and 8
 * analysis threads. A second log overflows the bounded tables (more sources than they keep):
 * the same again, since they are fed in one order whatever the threads.
 */
#include "testhelp.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "event.h"
#include "render.h"
#include "report.h"
#include "timeparse.h"
#include "util.h"

#define SEC INT64_C(1000000)
#define BASE (INT64_C(1795525200) * SEC)	/* 2026-11-24T13:00:00Z */

struct gen_event {
	int64_t t;		/* TIME_UNKNOWN or microseconds */
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

	e->t = t;
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

	e->t = t;
	snprintf(e->callid, sizeof(e->callid), "%s", cid);
	snprintf(e->src, sizeof(e->src), "%s", src);
	e->status = status;
	e->cseq = cseq;
	e->cseq_method = m;
}

/* calls of many kinds, interleaved by time (each call's messages keep their order) */
static void gen_mixed(struct log *l, int ncalls, int sources)
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
	/* the log's order: by time, a stable sort (untimed messages keep their place) */
	for (size_t i = 1; i < calls->n; i++) {
		struct gen_event e = calls->v[i];
		size_t j = i;
		if (e.t != TIME_UNKNOWN)
			while (j > 0 && calls->v[j - 1].t != TIME_UNKNOWN && calls->v[j - 1].t > e.t) {
				calls->v[j] = calls->v[j - 1];
				j--;
			}
		calls->v[j] = e;
	}
	*l = *calls;
}

struct rows {
	struct buf b;
	size_t n;
};

static void on_call(void *ctx, const struct call_summary *cs)
{
	struct rows *r = ctx;
	char line[256];

	snprintf(line, sizeof(line), "%.*s %u:%llu %d %d %lld\n", (int)cs->call_id.n, cs->call_id.p,
		 cs->file, (unsigned long long)cs->line, cs->outcome, (int)cs->settled,
		 (long long)cs->pdd_us);
	buf_add(&r->b, line, strlen(line));
	r->n++;
}

/* The JSON report and the rows of a run over l with these options. */
static void run(const struct log *l, struct analysis_opts o, struct buf *json, struct rows *rows)
{
	struct report r;

	memset(rows, 0, sizeof(*rows));
	o.call_fn = on_call;
	o.call_ctx = rows;
	struct analysis *a = analysis_new(&o);
	for (size_t i = 0; i < l->n; i++) {
		const struct gen_event *g = &l->v[i];
		struct event ev = { 0 };
		ev.time_us = g->t;
		ev.method = g->method;
		ev.cseq_method = g->cseq_method;
		ev.status = g->status;
		ev.cseq = g->cseq;
		ev.auth = g->auth | EV_AUTH_KNOWN;
		ev.callid = (struct str){ g->callid, strlen(g->callid) };
		ev.src = (struct str){ g->src, strlen(g->src) };
		ev.ua = (struct str){ g->ua, strlen(g->ua) };
		if (!g->status)
			ev.ruri = (struct str){ g->ruri, strlen(g->ruri) };
		ev.line = i + 1;
		analysis_event(a, &ev);
	}
	memset(&r, 0, sizeof(r));
	analysis_finish(a, &r);
	report_set_gives(&r);
	memset(json, 0, sizeof(*json));
	render_json(json, &r);
	report_release(&r);
	analysis_free(a);
}

/* same_ticks: compare only the configurations with the default tick (the bounded tables of
 * an overflowing log are fed tick by tick: other ticks, other light keys kept) */
static void compare(const char *what, const struct log *l, int same_ticks)
{
	struct analysis_opts base = { .call_timeout_s = 32, .ring_timeout_s = 180,
				      .session_timeout_s = 7200, .slow_setup_s = 5, .examples = 3,
				      .scanner_threshold = 10, .top = 10 };
	struct {
		const char *name;
		unsigned shards, folds, threads;
		uint64_t tick;
	} conf[] = {
		{ "64 shards", 0, 0, 0, 0 },
		{ "64 shards, 5 folds", 0, 5, 0, 0 },
		{ "2 threads", 0, 0, 2, 0 },
		{ "3 threads", 0, 0, 3, 0 },
		{ "8 threads", 0, 0, 8, 0 },
		{ "3 threads, a tick every 100 messages", 0, 0, 3, 100 },
		{ "1 shard, a tick per message", 1, 0, 0, 1 },
	};
	struct buf ref;
	struct rows ref_rows;

	run(l, base, &ref, &ref_rows);
	CHECK(ref.len > 1000 && ref_rows.n > 100, "%s: a report and rows (%zu rows)", what,
	      ref_rows.n);
	for (size_t k = 1; k < sizeof(conf) / sizeof(conf[0]); k++) {
		struct analysis_opts o = base;
		struct buf js;
		if (same_ticks && conf[k].tick)
			continue;
		struct rows rows;
		o.shards = conf[k].shards;
		o.folds = conf[k].folds;
		o.threads = conf[k].threads;
		o.tick = conf[k].tick;
		run(l, o, &js, &rows);
		int same = js.len == ref.len && memcmp(js.p, ref.p, js.len) == 0;
		CHECK(same, "%s: %s: the same JSON report as 64 shards in one thread", what,
		      conf[k].name);
		if (!same && getenv("TEST_SHARDS_DUMP")) {
			FILE *f = fopen("/tmp/shards-ref.json", "w");
			fwrite(ref.p, 1, ref.len, f);
			fclose(f);
			f = fopen("/tmp/shards-got.json", "w");
			fwrite(js.p, 1, js.len, f);
			fclose(f);
		}
		if (conf[k].tick) {
			/* other batches: the same rows, maybe in another order */
			CHECK(rows.n == ref_rows.n, "%s: %s: as many rows", what, conf[k].name);
		} else {
			CHECK(rows.b.len == ref_rows.b.len &&
			      memcmp(rows.b.p, ref_rows.b.p, rows.b.len) == 0,
			      "%s: %s: the same rows in the same order", what, conf[k].name);
		}
		buf_free(&js);
		buf_free(&rows.b);
	}
	buf_free(&ref);
	buf_free(&ref_rows.b);
}

int main(void)
{
	struct log l = { 0 };

	gen_mixed(&l, 20000, 2000);
	compare("mixed", &l, 0);
	free(l.v);
	gen_mixed(&l, 100000, 1 << 20);	/* more sources than the tables keep */
	compare("overflowing tables", &l, 1);
	free(l.v);
	return test_done();
}
