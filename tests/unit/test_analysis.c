/*
 * test_analysis.c - unit tests for src/analysis.c against its contracts: src/analysis.h,
 * include/report.h, include/event.h and the "Exact meanings" of README.md.
 *
 * Events are built by hand (as the scanner would emit them) and fed one at a time with
 * analysis_event(); analysis_finish() gives the report model, which is checked figure by
 * figure:
 *   - 100 -> final: the first INVITE transaction with a 100 and its first final response on
 *     the same CSeq (a final on another CSeq does not end it; one logged before the 100 of
 *     its CSeq does, with delay 0, and leaves the call not ringing), stuck calls, the delay;
 *   - 407 -> retry and 401 -> retry, separately: challenged, retried, accepted,
 *     rechallenged, not retried; a retry needs the matching credentials header when the
 *     format shows headers (EV_AUTH_KNOWN), and need not when it does not; a retry logged
 *     before its challenge; the challenge -> retry delay, unknown without times;
 *   - settling: --call-timeout in log time, 180 s (Timer C) while an INVITE waits after a
 *     provisional response, settled idle + early + open at the end == calls_total, a call
 *     seen before the log's first timestamp does not hold back the others, a Call-ID that
 *     reappears after being settled is a new record;
 *   - what counts as a call (a lone BYE, ACK or CANCEL does not);
 *   - problem patterns: counts, denominators, examples with the smallest (file, line) first
 *     whatever order the calls settle in, at most REPORT_MAX_EXAMPLES;
 *   - the ranking of problems (severity x count, then id);
 *   - scanner sources (threshold of unanswered challenges, known User-Agents);
 *   - bounded memory: --max-calls settles the least recently active call of the three idle
 *     lists early (with and without times), a Call-ID that comes back is a new record; more
 *     one-off sources than the tables hold cannot keep a later scanner out, and what the
 *     tables evicted is counted as unlisted;
 *   - the window (--since/--until): a call counts whole in the window its first message falls
 *     in, followed past until; a Call-ID first seen before since is no call and not stuck,
 *     one first seen at or after until is none; the messages counted and left out;
 *   - source_address() and is_scanner_ua();
 *   - the per-call row: the 100, 18x and final times, challenges and retries counted once
 *     each, the problems the call counted for, its kind, accounting records marked.
 * Everything is freed with report_release() and analysis_free() (run under ASan by make check).
 */
#include "testhelp.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "event.h"
#include "knowledge.h"
#include "report.h"
#include "timeparse.h"
#include "util.h"

#define SEC INT64_C(1000000)
#define BASE (INT64_C(1795525200) * SEC)	/* 2026-11-24T13:00:00Z */
#define T(ms) (BASE + (int64_t)(ms) * 1000)	/* log time, in milliseconds from BASE */
#define NOTIME (-1)				/* for T-less calls: the event has TIME_UNKNOWN */

static struct str S(const char *s)
{
	return (struct str){ s, strlen(s) };
}

/* ---- building events */

static uint64_t next_line;

struct req_extra {
	const char *src, *ua;
	uint32_t file;
	uint64_t line;		/* 0: the next line */
};

static int64_t when(int64_t ms)
{
	return ms == NOTIME ? TIME_UNKNOWN : T(ms);
}

static void req_x(struct analysis *a, int64_t ms, const char *cid, enum sip_method m,
		  uint32_t cseq, unsigned auth, const struct req_extra *x)
{
	struct event ev = {0};

	ev.time_us = when(ms);
	ev.method = m;
	ev.cseq = cseq;
	ev.cseq_method = m;
	ev.auth = auth;
	ev.callid = S(cid);
	if (x && x->src)
		ev.src = S(x->src);
	if (x && x->ua)
		ev.ua = S(x->ua);
	ev.file = x ? x->file : 0;
	ev.line = x && x->line ? x->line : ++next_line;
	analysis_event(a, &ev);
}

static void req(struct analysis *a, int64_t ms, const char *cid, enum sip_method m,
		uint32_t cseq, unsigned auth)
{
	req_x(a, ms, cid, m, cseq, auth, NULL);
}

static void rsp_x(struct analysis *a, int64_t ms, const char *cid, int status, uint32_t cseq,
		  enum sip_method m, uint32_t file, uint64_t line)
{
	struct event ev = {0};

	ev.time_us = when(ms);
	ev.status = status;
	ev.cseq = cseq;
	ev.cseq_method = m;
	ev.callid = S(cid);
	ev.file = file;
	ev.line = line ? line : ++next_line;
	analysis_event(a, &ev);
}

static void rsp(struct analysis *a, int64_t ms, const char *cid, int status, uint32_t cseq,
		enum sip_method m)
{
	rsp_x(a, ms, cid, status, cseq, m, 0, 0);
}

/* One call-table shard and a tick per message: a call settles at the very message that makes
 * it idle (or fills --max-calls), so the tests can watch it happen; test_shards() checks
 * that the run's own shards and folds give the same report. */
static struct analysis_opts defaults(void)
{
	struct analysis_opts o = { .call_timeout_s = 32, .ring_timeout_s = 180, .slow_setup_s = 10,
				   .examples = 3, .scanner_threshold = 10, .top = 10,
				   .shards = 1, .tick = 1 };
	return o;
}

/* A new analysis; line numbers count from 1 again. */
static struct analysis *fresh(const struct analysis_opts *o)
{
	next_line = 0;
	return analysis_new(o);
}

static void finish(struct analysis *a, struct report *r)
{
	memset(r, 0, sizeof(*r));
	analysis_finish(a, r);
}

static const struct problem *problem(const struct report *r, enum pattern_id pid)
{
	for (size_t i = 0; i < r->nproblems; i++)
		if (r->problems[i].pid == pid)
			return &r->problems[i];
	return NULL;
}

static int example_is(const struct problem *p, size_t i, const char *cid, uint32_t file,
		      uint64_t line)
{
	if (!p || i >= p->nexamples)
		return 0;
	const struct example *e = &p->examples[i];
	return e->call_id_len == strlen(cid) && memcmp(e->call_id, cid, e->call_id_len) == 0 &&
	       e->file == file && e->line == line;
}

static void check_sum(const struct report *r, const char *what)
{
	CHECK_EQ_INT(r->calls_evicted_idle + r->calls_settled_early + r->calls_open_at_end,
		     r->callids_total, "%s: settled idle + settled early + open at end = Call-IDs",
		     what);
	CHECK_EQ_INT(r->calls_total + r->calls_register + r->calls_options + r->calls_other,
		     r->callids_total, "%s: calls + registrations + OPTIONS + other = Call-IDs", what);
}

/* ---- 100 Trying -> final */

static void test_trying(void)
{
	struct analysis_opts o = defaults();
	struct analysis *a = fresh(&o);
	struct report r;

	/* c1: 100, 180, 200 on the same CSeq: 2.0 s */
	req(a, 0, "c1", METHOD_INVITE, 1, 0);
	rsp(a, 100, "c1", 100, 1, METHOD_INVITE);
	rsp(a, 500, "c1", 180, 1, METHOD_INVITE);
	rsp(a, 2100, "c1", 200, 1, METHOD_INVITE);
	/* c2: the first INVITE is challenged without a 100; the retry gets 100 then 486: 3.0 s */
	req(a, 10, "c2", METHOD_INVITE, 1, EV_AUTH_KNOWN);
	rsp(a, 11, "c2", 407, 1, METHOD_INVITE);
	req(a, 20, "c2", METHOD_INVITE, 2, EV_AUTH_KNOWN | EV_AUTH_PROXY);
	rsp(a, 30, "c2", 100, 2, METHOD_INVITE);
	rsp(a, 3030, "c2", 486, 2, METHOD_INVITE);
	/* c3: 100 then 407 on CSeq 1: the 407 is that transaction's final (0.2 s); the retry's
	 * 100 and 200 belong to a later transaction */
	req(a, 40, "c3", METHOD_INVITE, 1, EV_AUTH_KNOWN);
	rsp(a, 100, "c3", 100, 1, METHOD_INVITE);
	rsp(a, 300, "c3", 407, 1, METHOD_INVITE);
	req(a, 400, "c3", METHOD_INVITE, 2, EV_AUTH_KNOWN | EV_AUTH_PROXY);
	rsp(a, 410, "c3", 100, 2, METHOD_INVITE);
	rsp(a, 9000, "c3", 200, 2, METHOD_INVITE);
	/* c4: 100 on CSeq 1, a final only on CSeq 2: stuck */
	req(a, 50, "c4", METHOD_INVITE, 1, 0);
	rsp(a, 60, "c4", 100, 1, METHOD_INVITE);
	rsp(a, 1000, "c4", 200, 2, METHOD_INVITE);
	/* c5: 100 and nothing else: stuck */
	req(a, 70, "c5", METHOD_INVITE, 1, 0);
	rsp(a, 80, "c5", 100, 1, METHOD_INVITE);
	/* c6: 200 retransmitted: the first final counts (1.5 s) */
	req(a, 90, "c6", METHOD_INVITE, 1, 0);
	rsp(a, 100, "c6", 100, 1, METHOD_INVITE);
	rsp(a, 1600, "c6", 200, 1, METHOD_INVITE);
	rsp(a, 2600, "c6", 200, 1, METHOD_INVITE);
	/* c7: 100 retransmitted: measured from the first one (2.5 s) */
	req(a, 95, "c7", METHOD_INVITE, 1, 0);
	rsp(a, 100, "c7", 100, 1, METHOD_INVITE);
	rsp(a, 1100, "c7", 100, 1, METHOD_INVITE);
	rsp(a, 2600, "c7", 200, 1, METHOD_INVITE);
	/* c8: a REGISTER with 100 is no INVITE transaction */
	req(a, 99, "c8", METHOD_REGISTER, 1, 0);
	rsp(a, 100, "c8", 100, 1, METHOD_REGISTER);
	rsp(a, 200, "c8", 200, 1, METHOD_REGISTER);
	/* c9: an INVITE with no response at all */
	req(a, 120, "c9", METHOD_INVITE, 1, 0);
	finish(a, &r);

	CHECK_EQ_INT(r.trying, 7, "trying: 7 INVITE calls got 100");
	CHECK_EQ_INT(r.stuck, 2, "trying: 2 stuck (final on another CSeq; no final)");
	CHECK_EQ_INT(r.by_final[200], 3, "trying: 3 reached 200");
	CHECK_EQ_INT(r.by_final[486], 1, "trying: 1 reached 486");
	CHECK_EQ_INT(r.by_final[407], 1, "trying: the 407 after a 100 is that transaction's final");
	CHECK_EQ_INT(r.trying_delay.n, 5, "trying: 5 delays measured");
	CHECK(r.trying_delay.known, "trying: delays known");
	CHECK_EQ_INT(r.trying_delay.p50, 2000000, "trying: p50 2.0 s");
	CHECK_EQ_INT(r.trying_delay.p90, 3000000, "trying: p90 3.0 s");
	CHECK_EQ_INT(r.trying_delay.max, 3000000, "trying: max 3.0 s");
	CHECK_EQ_INT(r.callids_total, 9, "trying: 9 Call-IDs");
	CHECK_EQ_INT(r.calls_total, 8, "trying: 8 calls (with INVITE)");
	CHECK_EQ_INT(r.calls_register, 1, "trying: 1 with REGISTER");
	CHECK_EQ_INT(r.calls_open_at_end, 9, "trying: all open when the input ended");
	check_sum(&r, "trying");
	CHECK_EQ_INT(r.records, 32, "trying: every event counted");
	CHECK_EQ_INT(r.requests[METHOD_INVITE], 10, "trying: 10 INVITE requests");
	CHECK_EQ_INT(r.responses[100], 10, "trying: 10 responses 100");
	CHECK(r.have_times && r.first_time == T(0) && r.last_time == T(9000),
	      "trying: time range of the events");

	const struct problem *p = problem(&r, PAT_STUCK_AFTER_100);
	CHECK(p && p->count == 2 && p->denominator == 7, "stuck-after-100: 2 of 7 with 100");
	CHECK(p && p->nexamples == 2 && example_is(p, 0, "c4", 0, 16) &&
	      example_is(p, 1, "c5", 0, 19), "stuck-after-100: examples c4, c5 at their first lines");
	p = problem(&r, PAT_NO_FINAL_NO_100);
	CHECK(p && p->count == 1 && p->denominator == 8 && example_is(p, 0, "c9", 0, 32),
	      "no-final-no-100: c9, 1 of 8 INVITE calls");
	CHECK(!problem(&r, PAT_SLOW_SETUP), "no slow-setup below 10 s");
	/* post-dial delay: c1 0.5 s (180), c2 3.01 s (486, from the retry), c3 8.6 s (200, from
	 * the retry at 0.4 s, not the first INVITE: 8.96 s), c4 0.95 s (a final on another CSeq
	 * still ends setup), c6 1.51 s, c7 2.505 s; c5 and c9 never got one */
	CHECK(r.pdd.n == 6 && r.pdd.max == 8600000 && r.pdd.p50 == 1510000,
	      "post-dial delay: 6 calls, max c3 from its retry (8.6 s), p50 1.51 s");
	CHECK(r.ring_time.n == 1 && r.ring_time.max == 1600000,
	      "ring time: only c1 rang (180 -> 200 1.6 s)");
	report_release(&r);
	analysis_free(a);
}

/* ---- settling */

struct settled {
	char id[16][8];
	int idle[16];
	int n;
};

static void on_call(void *ctx, const struct call_summary *cs)
{
	struct settled *s = ctx;

	if (s->n < 16) {
		snprintf(s->id[s->n], sizeof(s->id[0]), "%.*s", (int)cs->call_id.n, cs->call_id.p);
		s->idle[s->n] = (int)cs->settled;	/* SETTLED_END 0, _IDLE 1, _LIMIT 2 */
		s->n++;
	}
}

/* 1 when cid settled idle, 0 when at the end, 2 early (--max-calls), -1 when not reported */
static int settled_idle(const struct settled *s, const char *cid)
{
	for (int i = 0; i < s->n; i++)
		if (strcmp(s->id[i], cid) == 0)
			return s->idle[i];
	return -1;
}

static void test_settling(void)
{
	struct analysis_opts o = defaults();
	struct settled st = {0};
	struct report r;

	o.call_fn = on_call;
	o.call_ctx = &st;
	struct analysis *a = fresh(&o);

	req(a, 0, "i1", METHOD_OPTIONS, 1, 0);
	rsp(a, 10, "i1", 200, 1, METHOD_OPTIONS);
	req(a, 10000, "i2", METHOD_INVITE, 1, 0);
	rsp(a, 10100, "i2", 100, 1, METHOD_INVITE);
	rsp(a, 11000, "i2", 180, 1, METHOD_INVITE);
	req(a, 40000, "i3", METHOD_OPTIONS, 1, 0);	/* i1 idle 40 s: settled */
	CHECK_EQ_INT(st.n, 1, "settling: only i1 settled at 40 s");
	CHECK_EQ_INT(settled_idle(&st, "i1"), 1, "settling: i1 idle 40 s > 32 s");
	req(a, 100000, "i4", METHOD_OPTIONS, 1, 0);	/* i3 idle 60 s; i2 rings (Timer C) */
	CHECK_EQ_INT(settled_idle(&st, "i3"), 1, "settling: i3 idle 60 s");
	CHECK_EQ_INT(settled_idle(&st, "i2"), -1, "settling: a ringing INVITE waits 180 s, not 32");
	rsp(a, 150000, "i2", 200, 1, METHOD_INVITE);	/* 139.9 s after the 100: ring time */
	req(a, 150010, "i2", METHOD_ACK, 1, 0);
	req(a, 300000, "i5", METHOD_OPTIONS, 1, 0);	/* i2 (answered) and i4 idle */
	CHECK_EQ_INT(settled_idle(&st, "i2"), 1, "settling: the answered i2 settled idle");
	CHECK_EQ_INT(settled_idle(&st, "i4"), 1, "settling: i4 settled idle");
	/* a call still on 100 after Timer C is settled idle as stuck */
	req(a, 300000, "s1", METHOD_INVITE, 1, 0);
	rsp(a, 300010, "s1", 100, 1, METHOD_INVITE);
	req(a, 400000, "i6", METHOD_OPTIONS, 1, 0);	/* 100 s: s1 still waits; i5 idle */
	CHECK_EQ_INT(settled_idle(&st, "s1"), -1, "settling: on 100 for 100 s: not settled");
	req(a, 490000, "i7", METHOD_OPTIONS, 1, 0);	/* 190 s */
	CHECK_EQ_INT(settled_idle(&st, "s1"), 1, "settling: on 100 for 190 s: settled idle");
	/* a Call-ID that reappears after being settled is a new record: a lone BYE is no call */
	req(a, 3600000, "i2", METHOD_BYE, 2, 0);
	rsp(a, 3600010, "i2", 200, 2, METHOD_BYE);
	req(a, 3600020, "e1", METHOD_OPTIONS, 1, 0);
	finish(a, &r);

	CHECK_EQ_INT(r.callids_total, 9, "settling: 9 calls (the late BYE is not one)");
	CHECK_EQ_INT(r.calls_evicted_idle, 8, "settling: 8 settled idle");
	CHECK_EQ_INT(r.calls_open_at_end, 1, "settling: 1 open at the end (e1)");
	check_sum(&r, "settling");
	CHECK_EQ_INT(settled_idle(&st, "i7"), 1, "settling: i7 settled idle by the late BYE");
	CHECK_EQ_INT(settled_idle(&st, "e1"), 0, "settling: e1 settled at the end");
	CHECK_EQ_INT(r.trying, 2, "settling: i2 and s1 got 100");
	CHECK_EQ_INT(r.stuck, 1, "settling: s1 stuck");
	CHECK_EQ_INT(r.by_final[200], 1, "settling: i2 reached 200 after 139.9 s");
	CHECK_EQ_INT(r.trying_delay.max, 139900000, "settling: i2's delay 139.9 s");
	/* i2 rang 1 s after its INVITE and was answered 139 s later: people, not the network */
	const struct problem *p = problem(&r, PAT_SLOW_SETUP);
	CHECK(!p, "slow-setup: none, i2's 139.9 s to the 200 are ring time");
	CHECK(r.pdd.n == 1 && r.pdd.max == 1000000, "post-dial delay: i2, INVITE -> 180 1 s");
	CHECK(r.ring_time.n == 1 && r.ring_time.max == 139000000,
	      "ring time: i2, 180 -> 200 139 s");
	CHECK_EQ_INT(st.n, 9, "settling: the callback saw every call once");
	report_release(&r);
	analysis_free(a);

	/* a ring timeout below the call timeout is raised to it */
	o = defaults();
	o.call_timeout_s = 60;
	o.ring_timeout_s = 10;
	memset(&st, 0, sizeof(st));
	o.call_fn = on_call;
	o.call_ctx = &st;
	a = fresh(&o);
	req(a, 0, "r1", METHOD_INVITE, 1, 0);
	rsp(a, 10, "r1", 180, 1, METHOD_INVITE);
	req(a, 30000, "r2", METHOD_OPTIONS, 1, 0);
	CHECK_EQ_INT(settled_idle(&st, "r1"), -1, "ring timeout 10 s < call timeout 60 s: 60 s");
	req(a, 75000, "r3", METHOD_OPTIONS, 1, 0);
	CHECK_EQ_INT(settled_idle(&st, "r1"), 1, "ringing 75 s > 60 s: settled");
	finish(a, &r);
	check_sum(&r, "ring < call timeout");
	report_release(&r);
	analysis_free(a);

	/* without times nothing is settled early, delays are unknown (never 0) */
	o = defaults();
	a = fresh(&o);
	req(a, NOTIME, "n1", METHOD_INVITE, 1, EV_AUTH_KNOWN);
	rsp(a, NOTIME, "n1", 407, 1, METHOD_INVITE);
	req(a, NOTIME, "n1", METHOD_INVITE, 2, EV_AUTH_KNOWN | EV_AUTH_PROXY);
	rsp(a, NOTIME, "n1", 100, 2, METHOD_INVITE);
	rsp(a, NOTIME, "n1", 200, 2, METHOD_INVITE);
	req(a, NOTIME, "n2", METHOD_REGISTER, 1, EV_AUTH_KNOWN);
	rsp(a, NOTIME, "n2", 401, 1, METHOD_REGISTER);
	req(a, NOTIME, "n2", METHOD_REGISTER, 2, EV_AUTH_KNOWN | EV_AUTH_WWW);
	rsp(a, NOTIME, "n2", 200, 2, METHOD_REGISTER);
	finish(a, &r);
	CHECK(!r.have_times, "no times: have_times 0");
	CHECK_EQ_INT(r.calls_open_at_end, 2, "no times: both calls open at the end");
	CHECK_EQ_INT(r.calls_evicted_idle, 0, "no times: none settled idle");
	CHECK_EQ_INT(r.by_final[200], 1, "no times: 100 -> 200 counted");
	CHECK(!r.trying_delay.known, "no times: 100 -> final delay unknown");
	CHECK(r.proxy_auth.retried == 1 && !r.proxy_auth.retry_delay.known,
	      "no times: 407 retried, delay unknown");
	CHECK(r.www_auth.retried == 1 && !r.www_auth.retry_delay.known,
	      "no times: 401 retried, delay unknown");
	CHECK(!r.kpi.srd.known && !r.kpi.rrd.known, "no times: SRD, RRD unknown");
	report_release(&r);
	analysis_free(a);

	/* a call seen before the log's first timestamp (a file without times, then one with)
	 * must not keep the later calls from being settled */
	o = defaults();
	memset(&st, 0, sizeof(st));
	o.call_fn = on_call;
	o.call_ctx = &st;
	a = fresh(&o);
	req(a, NOTIME, "u1", METHOD_OPTIONS, 1, 0);
	req(a, 0, "k1", METHOD_OPTIONS, 1, 0);
	req(a, 100000, "k2", METHOD_OPTIONS, 1, 0);
	CHECK_EQ_INT(settled_idle(&st, "k1"), 1, "an untimed call first: k1 idle 100 s settled");
	finish(a, &r);
	CHECK_EQ_INT(r.callids_total, 3, "untimed first: 3 calls");
	check_sum(&r, "untimed first");
	report_release(&r);
	analysis_free(a);
}

/* ---- a final logged before the 100 of its transaction */

static void test_final_before_100(void)
{
	struct analysis_opts o = defaults();
	struct report r;

	struct analysis *a = fresh(&o);
	/* b1: 200 logged 30 us before the 100 of the same CSeq: reached 200, delay 0 */
	req(a, 0, "b1", METHOD_INVITE, 1, 0);
	rsp(a, 500, "b1", 200, 1, METHOD_INVITE);
	rsp(a, 500, "b1", 100, 1, METHOD_INVITE);
	/* b2: 407 to cseq 1 (no 100), the retry's 486 before its 100: the retry's transaction */
	req(a, 10, "b2", METHOD_INVITE, 1, EV_AUTH_KNOWN);
	rsp(a, 11, "b2", 407, 1, METHOD_INVITE);
	req(a, 20, "b2", METHOD_INVITE, 2, EV_AUTH_KNOWN | EV_AUTH_PROXY);
	rsp(a, 900, "b2", 486, 2, METHOD_INVITE);
	rsp(a, 900, "b2", 100, 2, METHOD_INVITE);
	/* b3: a final to cseq 1, then a 100 to cseq 2 and nothing: stuck (only the same CSeq) */
	req(a, 30, "b3", METHOD_INVITE, 1, 0);
	rsp(a, 40, "b3", 603, 1, METHOD_INVITE);
	req(a, 50, "b3", METHOD_INVITE, 2, 0);
	rsp(a, 60, "b3", 100, 2, METHOD_INVITE);
	/* b4: the 200 retransmitted before the 100: the first one counts; a second 100 later
	 * changes nothing */
	req(a, 70, "b4", METHOD_INVITE, 1, 0);
	rsp(a, 80, "b4", 180, 1, METHOD_INVITE);
	rsp(a, 1000, "b4", 200, 1, METHOD_INVITE);
	rsp(a, 1500, "b4", 200, 1, METHOD_INVITE);
	rsp(a, 1500, "b4", 100, 1, METHOD_INVITE);
	rsp(a, 1600, "b4", 100, 1, METHOD_INVITE);
	finish(a, &r);
	CHECK_EQ_INT(r.trying, 4, "final before 100: 4 calls got 100");
	CHECK_EQ_INT(r.stuck, 1, "final before 100: only b3 stuck (its 100 is for another CSeq)");
	CHECK(r.by_final[200] == 2 && r.by_final[486] == 1 && r.by_final[603] == 0,
	      "final before 100: b1, b4 reached 200, b2's retry 486");
	CHECK(r.trying_delay.n == 3 && r.trying_delay.max == 0,
	      "final before 100: the delay is 0 (logged first)");
	const struct problem *p = problem(&r, PAT_STUCK_AFTER_100);
	CHECK(p && p->count == 1 && p->nexamples == 1 && example_is(p, 0, "b3", 0, 9),
	      "stuck-after-100: b3 only");
	report_release(&r);
	analysis_free(a);

	/* a final stamped after the 100 that follows it in the log: the stamps' delay */
	a = fresh(&o);
	req(a, 0, "s1", METHOD_INVITE, 1, 0);
	rsp(a, 250, "s1", 486, 1, METHOD_INVITE);
	rsp(a, 200, "s1", 100, 1, METHOD_INVITE);
	finish(a, &r);
	CHECK(r.by_final[486] == 1 && r.trying_delay.n == 1 && r.trying_delay.max == 50000,
	      "final before 100, stamped 50 ms after it: delay 50 ms");
	report_release(&r);
	analysis_free(a);

	/* without times: reached the final, delay unknown */
	a = fresh(&o);
	req(a, NOTIME, "n1", METHOD_INVITE, 1, 0);
	rsp(a, NOTIME, "n1", 200, 1, METHOD_INVITE);
	rsp(a, NOTIME, "n1", 100, 1, METHOD_INVITE);
	finish(a, &r);
	CHECK(r.by_final[200] == 1 && r.stuck == 0 && !r.trying_delay.known,
	      "final before 100 without times: reached 200, delay unknown");
	report_release(&r);
	analysis_free(a);

	/* the 100 that comes after its final does not make the call wait Timer C (180 s) */
	struct settled st = {0};
	o.call_fn = on_call;
	o.call_ctx = &st;
	a = fresh(&o);
	req(a, 0, "w1", METHOD_INVITE, 1, 0);
	rsp(a, 100, "w1", 486, 1, METHOD_INVITE);
	rsp(a, 100, "w1", 100, 1, METHOD_INVITE);
	req(a, 40000, "w2", METHOD_OPTIONS, 1, 0);
	CHECK_EQ_INT(settled_idle(&st, "w1"), 1, "final before 100: idle 40 s > 32 s, settled");
	finish(a, &r);
	report_release(&r);
	analysis_free(a);
}

/* ---- what is a call */

static void test_calls(void)
{
	struct analysis_opts o = defaults();
	struct analysis *a = fresh(&o);
	struct report r;

	req(a, 0, "bye", METHOD_BYE, 2, 0);
	rsp(a, 1, "bye", 200, 2, METHOD_BYE);
	req(a, 2, "ack", METHOD_ACK, 1, 0);
	req(a, 3, "cancel", METHOD_CANCEL, 1, 0);
	rsp(a, 4, "cancel", 200, 1, METHOD_CANCEL);
	req(a, 5, "prack", METHOD_PRACK, 1, 0);
	req(a, 6, "info", METHOD_INFO, 1, 0);
	req(a, 7, "update", METHOD_UPDATE, 1, 0);
	rsp(a, 8, "opt-reply-only", 200, 1, METHOD_OPTIONS);	/* a response opens one too */
	req(a, 9, "sub", METHOD_SUBSCRIBE, 1, 0);
	req(a, 10, "notify", METHOD_NOTIFY, 1, 0);
	req(a, 11, "pub", METHOD_PUBLISH, 1, 0);
	req(a, 12, "msg", METHOD_MESSAGE, 1, 0);
	req(a, 13, "refer", METHOD_REFER, 1, 0);
	req(a, 14, "other", METHOD_OTHER, 1, 0);
	req(a, 15, "reg", METHOD_REGISTER, 1, 0);
	req(a, 16, "inv", METHOD_INVITE, 1, 0);
	req(a, 17, "inv", METHOD_BYE, 2, 0);			/* continues the INVITE call */
	rsp(a, 18, "nocseq", 200, 0, METHOD_NONE);		/* no CSeq method: no call */
	finish(a, &r);
	CHECK_EQ_INT(r.callids_total, 9, "calls: only methods that can start a call count");
	CHECK_EQ_INT(r.calls_total, 1, "calls: 1 call (with INVITE)");
	CHECK_EQ_INT(r.calls_register, 1, "calls: 1 registration");
	CHECK_EQ_INT(r.calls_options, 1, "calls: 1 OPTIONS ping (a response alone opens it)");
	CHECK_EQ_INT(r.calls_other, 6, "calls: 6 other (SUBSCRIBE NOTIFY PUBLISH MESSAGE REFER "
		     "and an unknown method)");
	check_sum(&r, "calls");
	CHECK_EQ_INT(r.calls_peak, 9, "calls: peak in flight: the 9 Call-IDs, open in the same second");
	CHECK_EQ_INT(r.requests[METHOD_BYE], 2, "calls: BYE requests still counted in the totals");
	CHECK_EQ_INT(r.responses[200], 4, "calls: 200 responses counted");
	CHECK_EQ_INT(r.records, 19, "calls: every event is a record");
	report_release(&r);
	analysis_free(a);
}

/* ---- 407 / 401 -> retry */

static void test_auth(void)
{
	struct analysis_opts o = defaults();
	struct analysis *a = fresh(&o);
	struct report r;
	const unsigned K = EV_AUTH_KNOWN, KP = EV_AUTH_KNOWN | EV_AUTH_PROXY;

	/* a1: retried with Proxy-Authorization 0.5 s later, answered: accepted */
	req(a, 0, "a1", METHOD_INVITE, 1, K);
	rsp(a, 10, "a1", 407, 1, METHOD_INVITE);
	req(a, 510, "a1", METHOD_INVITE, 2, KP);
	rsp(a, 520, "a1", 100, 2, METHOD_INVITE);
	rsp(a, 900, "a1", 200, 2, METHOD_INVITE);
	/* a2: never retried */
	req(a, 1000, "a2", METHOD_INVITE, 1, K);
	rsp(a, 1010, "a2", 407, 1, METHOD_INVITE);
	/* a3: retried after 1 s, challenged again: rechallenged */
	req(a, 2000, "a3", METHOD_INVITE, 1, K);
	rsp(a, 2010, "a3", 407, 1, METHOD_INVITE);
	req(a, 3010, "a3", METHOD_INVITE, 2, KP);
	rsp(a, 3020, "a3", 407, 2, METHOD_INVITE);
	/* a4: rechallenged, then the last retry goes through: accepted (delay of the first) */
	req(a, 4000, "a4", METHOD_INVITE, 1, K);
	rsp(a, 4010, "a4", 407, 1, METHOD_INVITE);
	req(a, 5510, "a4", METHOD_INVITE, 2, KP);
	rsp(a, 5520, "a4", 407, 2, METHOD_INVITE);
	req(a, 6000, "a4", METHOD_INVITE, 3, KP);
	rsp(a, 6100, "a4", 200, 3, METHOD_INVITE);
	/* a5: the format shows headers and the new INVITE has none: not a retry */
	req(a, 7000, "a5", METHOD_INVITE, 1, K);
	rsp(a, 7010, "a5", 407, 1, METHOD_INVITE);
	req(a, 7500, "a5", METHOD_INVITE, 2, K);
	/* a6: the format does not show headers: a higher CSeq is the retry (2 s) */
	req(a, 8000, "a6", METHOD_INVITE, 1, 0);
	rsp(a, 8010, "a6", 407, 1, METHOD_INVITE);
	req(a, 10010, "a6", METHOD_INVITE, 2, 0);
	rsp(a, 10100, "a6", 200, 2, METHOD_INVITE);
	/* a7: Authorization is no answer to a 407 */
	req(a, 11000, "a7", METHOD_INVITE, 1, K);
	rsp(a, 11010, "a7", 407, 1, METHOD_INVITE);
	req(a, 11500, "a7", METHOD_INVITE, 2, K | EV_AUTH_WWW);
	/* a8: the retry is logged just before the challenge: retried, delay 0, accepted */
	req(a, 12000, "a8", METHOD_INVITE, 1, K);
	req(a, 12020, "a8", METHOD_INVITE, 2, KP);
	rsp(a, 12030, "a8", 407, 1, METHOD_INVITE);
	rsp(a, 12100, "a8", 200, 2, METHOD_INVITE);
	/* a9: another method with credentials is not a retry of the INVITE */
	req(a, 13000, "a9", METHOD_INVITE, 1, K);
	rsp(a, 13010, "a9", 407, 1, METHOD_INVITE);
	req(a, 13500, "a9", METHOD_OPTIONS, 2, KP);
	/* a10: the same CSeq again (a retransmission) is not a retry */
	req(a, 14000, "a10", METHOD_INVITE, 1, K);
	rsp(a, 14010, "a10", 407, 1, METHOD_INVITE);
	req(a, 14500, "a10", METHOD_INVITE, 1, KP);
	finish(a, &r);

	CHECK_EQ_INT(r.proxy_auth.challenged, 10, "407: 10 challenged");
	CHECK_EQ_INT(r.proxy_auth.retried, 5, "407: 5 retried (a1 a3 a4 a6 a8)");
	CHECK_EQ_INT(r.proxy_auth.accepted, 4, "407: 4 accepted (a1 a4 a6 a8)");
	CHECK_EQ_INT(r.proxy_auth.rechallenged, 1, "407: 1 rechallenged (a3)");
	CHECK_EQ_INT(r.proxy_auth.not_retried, 5, "407: 5 never retried (a2 a5 a7 a9 a10)");
	CHECK_EQ_INT(r.www_auth.challenged, 0, "407 only: nothing on the 401 side");
	CHECK(r.proxy_auth.retry_delay.known, "407: delays known");
	CHECK_EQ_INT(r.proxy_auth.retry_delay.n, 5, "407: 5 delays");
	CHECK_EQ_INT(r.proxy_auth.retry_delay.p50, 1000000, "407: p50 1.0 s (0, .5, 1, 1.5, 2)");
	CHECK_EQ_INT(r.proxy_auth.retry_delay.max, 2000000, "407: max 2.0 s");
	const struct problem *p = problem(&r, PAT_PROXY_AUTH_NOT_RETRIED);
	CHECK(p && p->count == 5 && p->denominator == 10, "proxy-auth-not-retried: 5 of 10");
	CHECK(p && p->nexamples == 3 && example_is(p, 0, "a2", 0, 6) &&
	      example_is(p, 1, "a5", 0, 18) && example_is(p, 2, "a7", 0, 25),
	      "proxy-auth-not-retried: the first three by line");
	p = problem(&r, PAT_PROXY_AUTH_REJECTED);
	CHECK(p && p->count == 1 && p->denominator == 5 && example_is(p, 0, "a3", 0, 8),
	      "proxy-auth-rejected: a3, 1 of 5 retried");
	CHECK(!problem(&r, PAT_WWW_AUTH_NOT_RETRIED) && !problem(&r, PAT_WWW_AUTH_REJECTED),
	      "407 only: no 401 problems");
	report_release(&r);
	analysis_free(a);

	/* 401 with Authorization, counted separately */
	const unsigned KW = EV_AUTH_KNOWN | EV_AUTH_WWW;
	a = fresh(&o);
	req(a, 0, "w1", METHOD_REGISTER, 1, K);
	rsp(a, 10, "w1", 401, 1, METHOD_REGISTER);
	req(a, 310, "w1", METHOD_REGISTER, 2, KW);
	rsp(a, 320, "w1", 200, 2, METHOD_REGISTER);
	req(a, 1000, "w2", METHOD_REGISTER, 1, K);
	rsp(a, 1010, "w2", 401, 1, METHOD_REGISTER);
	req(a, 2000, "w3", METHOD_REGISTER, 1, K);
	rsp(a, 2010, "w3", 401, 1, METHOD_REGISTER);
	req(a, 2100, "w3", METHOD_REGISTER, 2, KP);		/* Proxy-Authorization: no */
	req(a, 3000, "w4", METHOD_REGISTER, 1, K);
	rsp(a, 3010, "w4", 401, 1, METHOD_REGISTER);
	req(a, 3710, "w4", METHOD_REGISTER, 2, KW);
	rsp(a, 3720, "w4", 401, 2, METHOD_REGISTER);
	/* x1: 401 then 407 on one INVITE call: each side counted on its own */
	req(a, 4000, "x1", METHOD_INVITE, 1, K);
	rsp(a, 4010, "x1", 401, 1, METHOD_INVITE);
	req(a, 4110, "x1", METHOD_INVITE, 2, KW);
	rsp(a, 4120, "x1", 407, 2, METHOD_INVITE);
	req(a, 4320, "x1", METHOD_INVITE, 3, KW | EV_AUTH_PROXY);
	rsp(a, 4400, "x1", 200, 3, METHOD_INVITE);
	finish(a, &r);
	CHECK_EQ_INT(r.www_auth.challenged, 5, "401: 5 challenged");
	CHECK_EQ_INT(r.www_auth.retried, 3, "401: 3 retried (w1 w4 x1)");
	CHECK_EQ_INT(r.www_auth.accepted, 2, "401: 2 accepted (w1 x1)");
	CHECK_EQ_INT(r.www_auth.rechallenged, 1, "401: 1 rechallenged (w4)");
	CHECK_EQ_INT(r.www_auth.not_retried, 2, "401: 2 never retried (w2 w3)");
	CHECK_EQ_INT(r.www_auth.retry_delay.max, 700000, "401: max delay 0.7 s");
	CHECK_EQ_INT(r.www_auth.retry_delay.p50, 300000, "401: p50 0.3 s (0.1, 0.3, 0.7)");
	CHECK(r.proxy_auth.challenged == 1 && r.proxy_auth.retried == 1 &&
	      r.proxy_auth.accepted == 1 && r.proxy_auth.retry_delay.max == 200000,
	      "401 and 407 on one call: the 407 side accepted after 0.2 s");
	p = problem(&r, PAT_WWW_AUTH_NOT_RETRIED);
	CHECK(p && p->count == 2 && p->denominator == 5 && example_is(p, 0, "w2", 0, 5) &&
	      example_is(p, 1, "w3", 0, 7), "www-auth-not-retried: w2, w3; 2 of 5");
	p = problem(&r, PAT_WWW_AUTH_REJECTED);
	CHECK(p && p->count == 1 && p->denominator == 3, "www-auth-rejected: 1 of 3");
	report_release(&r);
	analysis_free(a);
}

/* ---- examples: smallest (file, line), whatever order the calls settle in */

static void test_examples(void)
{
	struct analysis_opts o = defaults();
	struct report r;

	for (unsigned max = 1; max <= 3; max += 2) {
		o.examples = max;
		struct analysis *a = fresh(&o);
		struct req_extra xa = { .file = 0, .line = 5 }, xb = { .file = 0, .line = 900 },
				 xc = { .file = 1, .line = 2 }, xt = { .file = 1, .line = 9 };
		/* "first" (file 0, line 5) is fed first and keeps ringing: it settles at the end.
		 * "second" (0, 900) and "third" (1, 2) start later and go quiet: they settle
		 * first, idle, and fill the example set before the smallest position arrives */
		req_x(a, 0, "first", METHOD_INVITE, 1, 0, &xa);
		rsp_x(a, 10, "first", 100, 1, METHOD_INVITE, 0, 6);
		req_x(a, 1000, "third", METHOD_INVITE, 1, 0, &xc);
		rsp_x(a, 1010, "third", 100, 1, METHOD_INVITE, 1, 3);
		req_x(a, 1000, "second", METHOD_INVITE, 1, 0, &xb);
		rsp_x(a, 1010, "second", 100, 1, METHOD_INVITE, 0, 901);
		rsp_x(a, 150000, "first", 180, 1, METHOD_INVITE, 0, 7);
		req_x(a, 200000, "tick", METHOD_OPTIONS, 1, 0, &xt);
		finish(a, &r);
		CHECK_EQ_INT(r.calls_evicted_idle, 2, "examples (max %u): second, third settled idle",
			     max);
		const struct problem *p = problem(&r, PAT_STUCK_AFTER_100);
		CHECK(p && p->count == 3, "examples (max %u): 3 stuck", max);
		if (max == 1)
			CHECK(p && p->nexamples == 1 && example_is(p, 0, "first", 0, 5),
			      "examples (max 1): the smallest position, though it settled last");
		else
			CHECK(p && p->nexamples == 3 && example_is(p, 0, "first", 0, 5) &&
			      example_is(p, 1, "second", 0, 900) && example_is(p, 2, "third", 1, 2),
			      "examples (max 3): by (file, line): first, second, third");
		report_release(&r);
		analysis_free(a);
	}

	/* --examples above 20: all of them (the text and HTML reports show 20) */
	o.examples = 50;
	struct analysis *a = fresh(&o);
	for (int i = 29; i >= 0; i--) {
		char id[16];
		snprintf(id, sizeof(id), "s%02d", i);
		struct req_extra x = { .line = (uint64_t)(100 + i) };
		req_x(a, 0, id, METHOD_INVITE, 1, 0, &x);
	}
	finish(a, &r);
	const struct problem *p = problem(&r, PAT_NO_FINAL_NO_100);
	CHECK(p && p->count == 30 && p->nexamples == 30,
	      "examples: all 30 calls with --examples 50");
	int sorted = p != NULL;
	for (size_t i = 0; p && i < p->nexamples; i++)
		sorted &= p->examples[i].line == 100 + i;
	CHECK(sorted, "examples: lines 100..129 in order");
	CHECK_EQ_INT(r.examples, 50, "examples: the report says 50");
	report_release(&r);
	analysis_free(a);
}

/* ---- ranking: severity first, then count, then id */

static void test_ranking(void)
{
	struct analysis_opts o = defaults();
	struct analysis *a = fresh(&o);
	struct report r;
	char cid[16];
	int n = 0;

	/* server-errors: high x 1; request-timeout: medium x 50; global-failures: low x 50;
	 * one answered call */
	static const struct { int code, calls; } mix[] = { { 503, 1 }, { 408, 50 }, { 603, 50 },
							   { 200, 1 } };
	for (size_t k = 0; k < sizeof(mix) / sizeof(mix[0]); k++)
		for (int i = 0; i < mix[k].calls; i++, n++) {
			snprintf(cid, sizeof(cid), "o%d", n + 1);
			req(a, (int64_t)n * 10, cid, METHOD_OPTIONS, 1, 0);
			rsp(a, (int64_t)n * 10 + 5, cid, mix[k].code, 1, METHOD_OPTIONS);
		}
	finish(a, &r);
	CHECK_EQ_INT(r.nproblems, 3, "ranking: three problems");
	if (r.nproblems == 3) {
		CHECK(r.problems[0].pid == PAT_SERVER_ERRORS && r.problems[0].count == 1,
		      "ranking: 1st server-errors (high, 1 call) above 50 medium ones");
		CHECK(r.problems[1].pid == PAT_REQUEST_TIMEOUT && r.problems[1].count == 50,
		      "ranking: 2nd request-timeout (medium, 50)");
		CHECK(r.problems[2].pid == PAT_GLOBAL_FAILURES && r.problems[2].count == 50,
		      "ranking: 3rd global-failures (low, 50)");
	}
	int den_ok = 1;
	for (size_t i = 0; i < r.nproblems; i++)
		den_ok &= r.problems[i].denominator == 102;
	CHECK(den_ok, "ranking: the denominator is the 102 calls with a final response");
	CHECK(example_is(problem(&r, PAT_GLOBAL_FAILURES), 0, "o52", 0, 103),
	      "global-failures: first example o52");
	report_release(&r);
	analysis_free(a);

	/* equal severity and count: the pattern's order decides */
	a = fresh(&o);
	req(a, 0, "t1", METHOD_OPTIONS, 1, 0);
	rsp(a, 5, "t1", 408, 1, METHOD_OPTIONS);	/* request-timeout: medium x 1 */
	req(a, 10, "t2", METHOD_INVITE, 1, 0);
	rsp(a, 20, "t2", 407, 1, METHOD_INVITE);	/* proxy-auth-not-retried: medium x 1 */
	finish(a, &r);
	CHECK(r.nproblems == 2 && r.problems[0].pid == PAT_PROXY_AUTH_NOT_RETRIED &&
	      r.problems[1].pid == PAT_REQUEST_TIMEOUT,
	      "ranking: a tie goes to the pattern's order (proxy-auth-not-retried first)");
	report_release(&r);
	analysis_free(a);
}

/* ---- when a problem appeared: bounded hours */

static void test_problem_hours(void)
{
	struct analysis_opts o = defaults();
	struct analysis *a = fresh(&o);
	struct report r;
	char cid[16];
	const int n = REPORT_PROBLEM_HOURS_CAP + 6;

	/* one 408 in each of 1,030 hours: the table keeps 1,024, the 6 others are unlisted */
	for (int i = 0; i < n; i++) {
		snprintf(cid, sizeof(cid), "h%d", i);
		req(a, (int64_t)i * 3600000 + 60000, cid, METHOD_OPTIONS, 1, 0);
		rsp(a, (int64_t)i * 3600000 + 60001, cid, 408, 1, METHOD_OPTIONS);
	}
	req(a, NOTIME, "untimed", METHOD_OPTIONS, 1, 0);	/* no time: in no hour */
	rsp(a, NOTIME, "untimed", 408, 1, METHOD_OPTIONS);
	finish(a, &r);
	const struct problem *p = problem(&r, PAT_REQUEST_TIMEOUT);
	uint64_t sum = 0;
	int sorted = 1;
	for (size_t i = 0; p && i < p->nhours; i++) {
		sum += p->hours[i].count;
		sorted &= i == 0 || p->hours[i].hour > p->hours[i - 1].hour;
	}
	CHECK(p && p->count == (uint64_t)n + 1 && p->nhours == REPORT_PROBLEM_HOURS_CAP &&
	      sum == REPORT_PROBLEM_HOURS_CAP && p->hours_unlisted == 6 && sorted,
	      "problem hours: 1,024 listed in order, 6 unlisted, the untimed call in none");
	CHECK(p && p->first_time == T(60000) && p->last_time == T((int64_t)(n - 1) * 3600000 + 60000),
	      "problem hours: first and last time of the calls' starts");
	report_release(&r);
	analysis_free(a);
}

/* ---- scanners */

static void scanner_feed(struct analysis *a)
{
	char id[32];
	int64_t t = 0;

	/* 10 unanswered challenges from one source, 9 from another */
	for (int i = 0; i < 10; i++) {
		snprintf(id, sizeof(id), "sc-a-%d", i);
		struct req_extra x = { .src = "udp:192.0.2.66:5060", .ua = "pbx" };
		req_x(a, t, id, METHOD_INVITE, 1, EV_AUTH_KNOWN, &x);
		rsp(a, t + 1, id, 407, 1, METHOD_INVITE);
		t += 10;
	}
	for (int i = 0; i < 9; i++) {
		snprintf(id, sizeof(id), "sc-b-%d", i);
		struct req_extra x = { .src = "udp:192.0.2.77:5060", .ua = "pbx" };
		req_x(a, t, id, METHOD_REGISTER, 1, EV_AUTH_KNOWN, &x);
		rsp(a, t + 1, id, 401, 1, METHOD_REGISTER);
		t += 10;
	}
	/* a scanner User-Agent, answered, from an IPv6 source; and one without a source */
	struct req_extra x6 = { .src = "tcp:[2001:db8::7]:5060", .ua = "Friendly-Scanner" };
	req_x(a, t, "sc-ua", METHOD_OPTIONS, 1, 0, &x6);
	rsp(a, t + 1, "sc-ua", 200, 1, METHOD_OPTIONS);
	struct req_extra xn = { .ua = "SIPVicious 0.3" };
	req_x(a, t + 5, "sc-nosrc", METHOD_OPTIONS, 1, 0, &xn);
	/* an ordinary caller */
	struct req_extra xo = { .src = "udp:192.0.2.1:5060", .ua = "Zoiper rv2.10" };
	req_x(a, t + 6, "ok", METHOD_OPTIONS, 1, 0, &xo);
	rsp(a, t + 7, "ok", 200, 1, METHOD_OPTIONS);
}

static int addr_is(const struct source_row *s, const char *addr)
{
	return s->addr_len == strlen(addr) && memcmp(s->addr, addr, s->addr_len) == 0;
}

static void test_scanners(void)
{
	struct analysis_opts o = defaults();
	struct analysis *a = fresh(&o);
	struct report r;

	scanner_feed(a);
	finish(a, &r);
	CHECK_EQ_INT(r.callids_total, 22, "scanners: 22 calls");
	CHECK_EQ_INT(r.nscanners, 2, "scanners: threshold 10 flags 192.0.2.66 and the UA source");
	if (r.nscanners == 2) {
		CHECK(addr_is(&r.scanners[0], "192.0.2.66") && r.scanners[0].calls == 10 &&
		      r.scanners[0].unanswered == 10 && r.scanners[0].scanner_ua == 0 &&
		      !r.scanners[0].ua, "scanners: 192.0.2.66 first, 10 unanswered");
		CHECK(addr_is(&r.scanners[1], "2001:db8::7") && r.scanners[1].calls == 1 &&
		      r.scanners[1].scanner_ua == 1 && r.scanners[1].ua &&
		      r.scanners[1].ua_len == 16 && memcmp(r.scanners[1].ua, "Friendly-Scanner", 16) == 0,
		      "scanners: 2001:db8::7 by its User-Agent");
	}
	const struct problem *p = problem(&r, PAT_AUTH_SCANNER);
	CHECK(p && p->count == 12 && p->denominator == 22,
	      "auth-scanner: 10 + 1 + 1 without a source, of 22 calls");
	CHECK(p && p->nexamples == 3 && example_is(p, 0, "sc-a-0", 0, 1),
	      "auth-scanner: examples from the first line");
	/* when: the starts of the flagged sources' calls and of the one without a source */
	CHECK(p && p->first_time == T(0) && p->last_time == T(195),
	      "auth-scanner: first sc-a-0 (0 ms), last sc-nosrc (195 ms)");
	CHECK(p && p->nhours == 1 && p->hours[0].hour == BASE && p->hours[0].count == 12 &&
	      !p->hours_unlisted, "auth-scanner: its 12 calls in one hour");
	/* nothing got through: blocked scanning, low */
	CHECK(p && p->severity == SEV_LOW, "auth-scanner: no 2xx after a challenge or to an "
	      "INVITE from a flagged source: low");
	CHECK(r.nscanners == 2 && !r.scanners[0].accepted && !r.scanners[0].answered &&
	      !r.scanners[1].accepted && !r.scanners[1].answered,
	      "scanners: none accepted or answered (the OPTIONS 200 is neither)");
	/* ranking: each pair in order of severity, then count, ties by id */
	int ranked = 1;
	for (size_t i = 1; i < r.nproblems; i++) {
		const struct problem *x = &r.problems[i - 1], *y = &r.problems[i];
		ranked &= x->severity > y->severity || (x->severity == y->severity &&
			  (x->count > y->count || (x->count == y->count && x->pid < y->pid)));
	}
	CHECK(ranked && r.nproblems >= 3, "scanners: problems ranked by severity, then count");
	CHECK(r.nproblems && r.problems[r.nproblems - 1].pid == PAT_AUTH_SCANNER,
	      "scanners: the blocked auth-scanner (low x 12) ranks below proxy-auth-not-retried "
	      "(medium x 10)");
	report_release(&r);
	analysis_free(a);

	o.scanner_threshold = 9;
	a = fresh(&o);
	scanner_feed(a);
	finish(a, &r);
	CHECK_EQ_INT(r.nscanners, 3, "scanners: threshold 9 also flags 192.0.2.77");
	CHECK(r.nscanners == 3 && addr_is(&r.scanners[1], "192.0.2.77") &&
	      r.scanners[1].unanswered == 9, "scanners: 192.0.2.77 second (9 calls)");
	p = problem(&r, PAT_AUTH_SCANNER);
	CHECK(p && p->count == 21, "auth-scanner: 10 + 9 + 1 + 1 calls");
	report_release(&r);
	analysis_free(a);

	/* a flagged source whose retry was accepted (a 2xx to a challenged REGISTER): a
	 * possible break-in, critical */
	o.scanner_threshold = 10;
	a = fresh(&o);
	scanner_feed(a);
	struct req_extra xa = { .src = "udp:192.0.2.66:5060", .ua = "pbx" };
	req_x(a, 3600000, "sc-a-in", METHOD_REGISTER, 1, EV_AUTH_KNOWN, &xa);
	rsp(a, 3600001, "sc-a-in", 401, 1, METHOD_REGISTER);
	req_x(a, 3600002, "sc-a-in", METHOD_REGISTER, 2, EV_AUTH_KNOWN | EV_AUTH_WWW, &xa);
	rsp(a, 3600003, "sc-a-in", 200, 2, METHOD_REGISTER);
	finish(a, &r);
	p = problem(&r, PAT_AUTH_SCANNER);
	CHECK(p && p->severity == SEV_CRITICAL && r.nproblems && r.problems[0].pid == PAT_AUTH_SCANNER,
	      "auth-scanner: a flagged source's retry accepted: critical, ranked first");
	CHECK(r.nscanners >= 1 && addr_is(&r.scanners[0], "192.0.2.66") &&
	      r.scanners[0].accepted == 1 && r.scanners[0].answered == 0,
	      "scanners: 192.0.2.66 got 1 accepted after a challenge");
	CHECK(p && p->nhours == 2 && p->hours[1].hour == BASE + 3600 * SEC &&
	      p->hours[1].count == 1 && p->last_time == T(3600000),
	      "auth-scanner: the accepted call in the next hour");
	report_release(&r);
	analysis_free(a);

	/* a scanner User-Agent whose INVITE was answered (it placed a call): critical */
	a = fresh(&o);
	struct req_extra xs = { .src = "udp:198.51.100.3:5060", .ua = "sipcli/v1.8" };
	req_x(a, 0, "sc-call", METHOD_INVITE, 1, 0, &xs);
	rsp(a, 10, "sc-call", 200, 1, METHOD_INVITE);
	finish(a, &r);
	p = problem(&r, PAT_AUTH_SCANNER);
	CHECK(p && p->severity == SEV_CRITICAL && r.nscanners == 1 && r.scanners[0].answered == 1,
	      "auth-scanner: a scanner's answered INVITE: critical");
	report_release(&r);
	analysis_free(a);
}

/* ---- bounded memory: --max-calls, and the tables that keep their heaviest keys */

static void test_max_calls(void)
{
	struct analysis_opts o = defaults();
	struct settled st = {0};
	struct report r;

	o.max_calls = 3;
	o.call_fn = on_call;
	o.call_ctx = &st;
	struct analysis *a = fresh(&o);
	req(a, 0, "a", METHOD_OPTIONS, 1, 0);
	req(a, 1000, "b", METHOD_OPTIONS, 1, 0);
	req(a, 2000, "c", METHOD_OPTIONS, 1, 0);
	rsp(a, 3000, "a", 200, 1, METHOD_OPTIONS);	/* a active again: b is the oldest */
	CHECK_EQ_INT(st.n, 0, "max-calls 3: three calls held, none settled");
	req(a, 4000, "d", METHOD_OPTIONS, 1, 0);
	CHECK(st.n == 1 && settled_idle(&st, "b") == 2,
	      "max-calls 3: a fourth call settles the least recently active (b) early");
	/* the oldest among the three idle lists: e rings (Timer C list), f answered (session
	 * list), g plain; e has the oldest activity once a, c and d are gone */
	req(a, 5000, "e", METHOD_INVITE, 1, 0);		/* settles c */
	rsp(a, 5100, "e", 180, 1, METHOD_INVITE);
	req(a, 6000, "f", METHOD_INVITE, 1, 0);		/* settles a */
	rsp(a, 6100, "f", 200, 1, METHOD_INVITE);
	req(a, 7000, "g", METHOD_OPTIONS, 1, 0);	/* settles d */
	CHECK(settled_idle(&st, "c") == 2 && settled_idle(&st, "a") == 2 &&
	      settled_idle(&st, "d") == 2, "max-calls 3: c, a, d settled early in turn");
	req(a, 8000, "h", METHOD_OPTIONS, 1, 0);
	CHECK(settled_idle(&st, "e") == 2 && settled_idle(&st, "f") == -1,
	      "max-calls 3: the ringing e (oldest activity, Timer C list) goes before f and g");
	/* a Call-ID settled early that comes back is a new record, as after --call-timeout */
	rsp(a, 9000, "e", 486, 1, METHOD_INVITE);	/* settles f */
	finish(a, &r);
	CHECK_EQ_INT(r.calls_settled_early, 6, "max-calls 3: b, c, a, d, e, f settled early");
	CHECK_EQ_INT(r.callids_total, 9, "max-calls 3: 8 Call-IDs, e counted twice (it came back)");
	CHECK_EQ_INT(r.calls_open_at_end, 3, "max-calls 3: g, h and e's second record at the end");
	CHECK_EQ_INT(r.calls_peak, 2, "max-calls 3: at most 2 open (first to last message) in one "
		     "second: a (0-3 s) with b (1 s), then with c (2 s)");
	CHECK_EQ_INT(r.max_calls, 3, "max-calls 3: the bound is in the report");
	check_sum(&r, "max-calls");
	report_release(&r);
	analysis_free(a);

	/* without times the calls are settled in the order they were last active */
	o = defaults();
	o.max_calls = 2;
	memset(&st, 0, sizeof(st));
	o.call_fn = on_call;
	o.call_ctx = &st;
	a = fresh(&o);
	req(a, NOTIME, "n1", METHOD_OPTIONS, 1, 0);
	req(a, NOTIME, "n2", METHOD_OPTIONS, 1, 0);
	rsp(a, NOTIME, "n1", 200, 1, METHOD_OPTIONS);
	req(a, NOTIME, "n3", METHOD_OPTIONS, 1, 0);
	CHECK(settled_idle(&st, "n2") == 2 && settled_idle(&st, "n1") == -1,
	      "max-calls without times: the least recently active (n2) goes");
	finish(a, &r);
	check_sum(&r, "max-calls without times");
	report_release(&r);
	analysis_free(a);

	/* 0 is the default */
	o = defaults();
	a = fresh(&o);
	finish(a, &r);
	CHECK_EQ_INT(r.max_calls, ANALYSIS_MAX_CALLS, "max-calls 0: the default, 1000000");
	report_release(&r);
	analysis_free(a);
}

static void test_bounded_tables(void)
{
	struct analysis_opts o = defaults();
	struct analysis *a = fresh(&o);
	struct report r;
	char cid[32], src[32];
	const int spoofed = 70000;

	/* more one-off sources than the tables hold, each challenged and never retried, then a
	 * scanner: 20 unanswered challenges from one source */
	for (int i = 0; i < spoofed; i++) {
		snprintf(cid, sizeof(cid), "f%d", i);
		snprintf(src, sizeof(src), "udp:10.%d.%d.%d:5060", i >> 16, (i >> 8) & 255, i & 255);
		struct req_extra x = { .src = src, .ua = "P" };
		req_x(a, (int64_t)i * 10, cid, METHOD_INVITE, 1, EV_AUTH_KNOWN, &x);
		rsp(a, (int64_t)i * 10 + 1, cid, 407, 1, METHOD_INVITE);
	}
	for (int i = 0; i < 20; i++) {
		snprintf(cid, sizeof(cid), "scan%d", i);
		struct req_extra x = { .src = "udp:203.0.113.66:5060", .ua = "PBX" };
		req_x(a, (int64_t)spoofed * 10 + i, cid, METHOD_INVITE, 1, EV_AUTH_KNOWN, &x);
		rsp(a, (int64_t)spoofed * 10 + i, cid, 407, 1, METHOD_INVITE);
	}
	finish(a, &r);
	CHECK(r.nscanners == 1 && addr_is(&r.scanners[0], "203.0.113.66") &&
	      r.scanners[0].calls == 20 && r.scanners[0].unanswered == 20,
	      "%d one-off sources first: the scanner after them is still flagged, 20 of 20",
	      spoofed);
	CHECK(r.source_keys == REPORT_SOURCES_CAP && r.source_unlisted >= (uint64_t)spoofed -
	      REPORT_SOURCES_CAP && r.source_unlisted <= (uint64_t)spoofed,
	      "the sources table is full (%u) and says what it left out (%llu calls)",
	      REPORT_SOURCES_CAP, (unsigned long long)r.source_unlisted);
	CHECK(r.by_source.keys == REPORT_BREAKDOWN_CAP && r.by_source.n == 10 &&
	      r.by_source.rows[0].attempts == 20 && r.by_source.rows[0].key_len == 12 &&
	      memcmp(r.by_source.rows[0].key, "203.0.113.66", 12) == 0,
	      "top sources: the scanner first with its 20 attempts");
	uint64_t listed = 0;
	for (size_t i = 0; i < r.by_source.n; i++)
		listed += r.by_source.rows[i].attempts;
	CHECK(r.by_source.unlisted >= (uint64_t)spoofed - REPORT_BREAKDOWN_CAP &&
	      r.by_source.unlisted + listed <= (uint64_t)spoofed + 20,
	      "top sources: unlisted (%llu) counts the attempts of evicted keys",
	      (unsigned long long)r.by_source.unlisted);
	CHECK(r.by_ua.unlisted == 0 && r.by_ua.keys == 2 && r.timeline_unlisted == 0,
	      "the tables that did not fill leave nothing out");
	const struct problem *p = problem(&r, PAT_AUTH_SCANNER);
	CHECK(p && p->count == 20 && example_is(p, 0, "scan0", 0, (uint64_t)spoofed * 2 + 1),
	      "auth-scanner: the scanner's 20 calls, its first call as the example");
	report_release(&r);
	analysis_free(a);
}

/* The per-5-minute timeline of a short window (report.h fine): the buckets in order, what fell
 * in each; past REPORT_FINE_CAP buckets it is dropped whole, the hourly one kept. */
static void test_fine_timeline(void)
{
	struct analysis_opts o = defaults();
	char cid[32];

	for (int k = 0; k < 2; k++) {
		struct analysis *a = fresh(&o);
		struct report r;
		/* k 0: an INVITE every 2 minutes for 2 hours (24 buckets of 5 minutes); k 1: every
		 * 5 minutes for 25 hours (300 buckets, more than a day) */
		int n = k ? 300 : 60, step_ms = k ? 300000 : 120000;
		for (int i = 0; i < n; i++) {
			snprintf(cid, sizeof(cid), "t%d", i);
			req(a, (int64_t)i * step_ms, cid, METHOD_INVITE, 1, 0);
			rsp(a, (int64_t)i * step_ms + 10, cid, i % 2 ? 486 : 200, 1, METHOD_INVITE);
		}
		finish(a, &r);
		uint64_t sum = 0, sorted = 1;
		for (size_t i = 0; i < r.nfine; i++) {
			sum += r.fine[i].calls;
			sorted &= i == 0 || r.fine[i].hour == r.fine[i - 1].hour + REPORT_FINE_US;
		}
		if (!k) {
			CHECK(!r.fine_over && r.nfine == 24 && sorted && sum == 60 &&
			      r.fine[0].calls == 3 && r.fine[0].answered == 2 &&
			      r.fine[0].failed == 1,
			      "2 hours: 24 buckets of 5 minutes in order, 3 attempts each");
		} else {
			CHECK(r.fine_over && !r.fine && r.nfine == 0 && r.ntimeline == 25 &&
			      r.timeline_unlisted == 0,
			      "25 hours of buckets: the fine timeline is dropped, the hourly one whole");
		}
		report_release(&r);
		analysis_free(a);
	}
}

/* ---- helpers */

static int str_is(struct str s, const char *want)
{
	return s.n == strlen(want) && memcmp(s.p, want, s.n) == 0;
}

static void test_source_address(void)
{
	CHECK(str_is(source_address(S("udp:10.0.0.1:5060")), "10.0.0.1"), "source: udp:10.0.0.1:5060");
	CHECK(str_is(source_address(S("10.0.0.1:5060")), "10.0.0.1"), "source: 10.0.0.1:5060");
	CHECK(str_is(source_address(S("10.0.0.1")), "10.0.0.1"), "source: 10.0.0.1");
	CHECK(str_is(source_address(S("[2001:db8::1]:5060")), "2001:db8::1"),
	      "source: [2001:db8::1]:5060");
	CHECK(str_is(source_address(S("2001:db8::1")), "2001:db8::1"), "source: 2001:db8::1 whole");
	CHECK(str_is(source_address(S("TLS:host:5061")), "host"), "source: TLS:host:5061");
	CHECK(str_is(source_address(S("sctp:[::1]:5060")), "::1"), "source: sctp:[::1]:5060");
	CHECK(str_is(source_address(S("tcp:[2001:db8::1]")), "2001:db8::1"),
	      "source: tcp:[2001:db8::1]");
	CHECK(str_is(source_address(S("")), ""), "source: empty");
	const char *s = "udp:10.0.0.1:5060";
	struct str v = source_address(S(s));
	CHECK(v.p >= s && v.p + v.n <= s + strlen(s), "source: a view into the argument");
}

static void test_scanner_ua(void)
{
	CHECK(is_scanner_ua(S("friendly-scanner")), "ua: friendly-scanner");
	CHECK(is_scanner_ua(S("Friendly-Scanner")), "ua: Friendly-Scanner");
	CHECK(is_scanner_ua(S("SIPVICIOUS")), "ua: SIPVICIOUS");
	CHECK(is_scanner_ua(S("sipvicious 0.3.4")), "ua: sipvicious 0.3.4");
	CHECK(is_scanner_ua(S("SiPcLi/v1.8")), "ua: SiPcLi/v1.8");
	CHECK(!is_scanner_ua(S("Zoiper rv2.10")), "ua: Zoiper is not");
	CHECK(!is_scanner_ua(S("Linphone/5.0 (belle-sip/5.0)")), "ua: Linphone is not");
	CHECK(!is_scanner_ua(S("")), "ua: empty is not");
	CHECK(is_scanner_ua((struct str){ "x\0FRIENDLY-scanner", 18 }), "ua: after a NUL byte");
	/* every name of the list, in the middle of a User-Agent, at its end, and cut short */
	static const char *const names[] = { "friendly-scanner", "sipvicious", "sipcli", "sip-scan",
		"vaxsipuseragent", "pplsip", "iwar", "sundayddr", "smap", "sipsak", "siparmyknife",
		"voipbuster" };
	int all = 1;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char ua[64];
		int k = snprintf(ua, sizeof(ua), "Acme/1.0 (%s) x", names[i]);
		all &= is_scanner_ua((struct str){ ua, (size_t)k });
		k = snprintf(ua, sizeof(ua), "Acme %s", names[i]);
		all &= is_scanner_ua((struct str){ ua, (size_t)k });
		all &= !is_scanner_ua((struct str){ ua, (size_t)k - 1 });
	}
	CHECK(all, "ua: each of the 12 scanner names is found inside and at the end, not cut short");
}

/* ---- the window */

/* An authentication record (the Asterisk security log) at ms. */
static void auth_rec(struct analysis *a, int64_t ms, enum auth_result res)
{
	struct event ev = {0};

	ev.time_us = when(ms);
	ev.auth_result = res;
	ev.src = S("192.0.2.7");
	ev.account = S("100");
	ev.line = ++next_line;
	analysis_event(a, &ev);
}

static void test_window(void)
{
	struct analysis_opts o = defaults();
	const unsigned K = EV_AUTH_KNOWN, KP = EV_AUTH_KNOWN | EV_AUTH_PROXY;
	struct report r;

	o.window = 1;
	o.since = T(100000);
	o.until = T(200000);
	struct analysis *a = fresh(&o);
	/* "again": an OPTIONS before the window, settled idle; its Call-ID comes back inside */
	req(a, 1000, "again", METHOD_OPTIONS, 1, K);
	/* "pre": started before the window; its 200, ACK and BYE inside are its own */
	req(a, 50000, "pre", METHOD_INVITE, 1, K);
	rsp(a, 50000, "pre", 100, 1, METHOD_INVITE);
	auth_rec(a, 50000, AUTH_RES_FAILED);
	/* "edge": starts at since exactly, stuck after 100 */
	req(a, 100000, "edge", METHOD_INVITE, 1, K);
	rsp(a, 100000, "edge", 100, 1, METHOD_INVITE);
	rsp(a, 110000, "pre", 200, 1, METHOD_INVITE);
	req(a, 110000, "pre", METHOD_ACK, 1, K);
	req(a, 120000, "pre", METHOD_BYE, 2, K);
	req(a, 150000, "again", METHOD_OPTIONS, 2, K);
	auth_rec(a, 150000, AUTH_RES_FAILED);
	/* "in": challenged before until, retried and answered after it */
	req(a, 190000, "in", METHOD_INVITE, 1, K);
	rsp(a, 190000, "in", 407, 1, METHOD_INVITE);
	/* "late": starts at until exactly: not a call of the window */
	req(a, 200000, "late", METHOD_INVITE, 1, K);
	req(a, 205000, "in", METHOD_INVITE, 2, KP);
	rsp(a, 205000, "in", 100, 2, METHOD_INVITE);
	rsp(a, 206000, "in", 200, 2, METHOD_INVITE);
	/* no time: nothing says it lies outside */
	req(a, NOTIME, "untimed", METHOD_OPTIONS, 1, K);
	finish(a, &r);
	CHECK_EQ_INT(r.callids_total, 4, "window: Call-IDs edge, again (second record), in, untimed");
	CHECK_EQ_INT(r.calls_total, 2, "window: INVITE calls edge and in, not pre or late");
	CHECK_EQ_INT(r.trying, 2, "window: 100 of edge and in");
	CHECK_EQ_INT(r.stuck, 1, "window: edge is stuck, pre (answered inside) is not counted");
	CHECK_EQ_INT(r.by_final[200], 1, "window: in's 200 after until counts");
	CHECK_EQ_INT(r.proxy_auth.challenged, 1, "window: in challenged");
	CHECK_EQ_INT(r.proxy_auth.accepted, 1, "window: in's retry after until accepted");
	CHECK_EQ_INT(r.proxy_auth.not_retried, 0, "window: no unanswered challenge");
	CHECK_EQ_INT(r.kpi.invite_attempts, 2, "window: two INVITE attempts");
	CHECK_EQ_INT(r.kpi.scr.num, 0, "window: pre's BYE completes no session of the window");
	CHECK_EQ_INT(r.followed_past_until, 1, "window: in followed past until");
	CHECK_EQ_INT(r.records, 10, "window: messages of the window's calls, auth record inside");
	CHECK_EQ_INT(r.outside, 8, "window: again, pre (5), the auth record before, late");
	CHECK_EQ_INT(r.auth.n[AUTH_RES_FAILED], 1, "window: the authentication record inside");
	CHECK(r.have_times && r.first_time == T(100000) && r.last_time == T(206000),
	      "window: the time range is that of the messages counted");
	CHECK(r.since == T(100000) && r.until == T(200000), "window: as applied in the report");
	CHECK(problem(&r, PAT_NO_FINAL_NO_100) == NULL, "window: late is no orphan, pre no call");
	CHECK(r.ntimeline == 1 && r.timeline[0].calls == 2, "window: the hour the calls started");
	check_sum(&r, "window");
	report_release(&r);
	analysis_free(a);

	/* zeroed options mean no window, whatever since and until hold */
	o = defaults();
	o.since = o.until = 0;
	a = fresh(&o);
	req(a, 0, "x", METHOD_OPTIONS, 1, K);
	finish(a, &r);
	CHECK(r.callids_total == 1 && r.outside == 0 && r.since == TIME_UNKNOWN,
	      "no window: every call counts");
	report_release(&r);
	analysis_free(a);
}

/* ---- calls by next hop */

/* A response with the address it came from. */
static void rsp_src(struct analysis *a, int64_t ms, const char *cid, int status, uint32_t cseq,
		    const char *src)
{
	struct event ev = {0};

	ev.time_us = when(ms);
	ev.status = status;
	ev.cseq = cseq;
	ev.cseq_method = METHOD_INVITE;
	ev.callid = S(cid);
	ev.src = S(src);
	ev.line = ++next_line;
	analysis_event(a, &ev);
}

static const struct hop_row *hop(const struct report *r, const char *key)
{
	for (size_t i = 0; i < r->by_hop.n; i++)
		if (r->by_hop.rows[i].key_len == strlen(key) &&
		    memcmp(r->by_hop.rows[i].key, key, r->by_hop.rows[i].key_len) == 0)
			return &r->by_hop.rows[i];
	return NULL;
}

static void test_next_hop(void)
{
	struct analysis_opts o = defaults();
	struct analysis *a = fresh(&o);
	struct report r;
	const struct req_extra caller = { .src = "udp:192.0.2.1:5060" };
	const char *proxy = "udp:10.0.0.1:5060", *gw = "tcp:[2001:db8::9]:5061";

	/* n1: the proxy challenges, its 100, the gateway's 100 and a 503 */
	req_x(a, 0, "n1", METHOD_INVITE, 1, 0, &caller);
	rsp_src(a, 1, "n1", 407, 1, proxy);
	req_x(a, 2, "n1", METHOD_INVITE, 2, EV_AUTH_KNOWN | EV_AUTH_PROXY, &caller);
	rsp_src(a, 3, "n1", 100, 2, proxy);
	rsp_src(a, 4, "n1", 100, 2, gw);
	rsp_src(a, 500, "n1", 503, 2, gw);
	/* n2: the gateway's 100 logged first; then silence, the proxy's 408 */
	req_x(a, 10, "n2", METHOD_INVITE, 1, 0, &caller);
	rsp_src(a, 11, "n2", 100, 1, gw);
	rsp_src(a, 11, "n2", 100, 1, proxy);
	rsp_src(a, 20000, "n2", 408, 1, proxy);
	/* n3: the caller's own address answers (the other side of the dialog): no hop */
	req_x(a, 30, "n3", METHOD_INVITE, 1, 0, &caller);
	rsp_src(a, 31, "n3", 100, 1, proxy);
	rsp_src(a, 32, "n3", 200, 1, "udp:192.0.2.1:5062");
	/* n4: only the proxy answers (a challenge never retried): no hop */
	req_x(a, 40, "n4", METHOD_INVITE, 1, 0, &caller);
	rsp_src(a, 41, "n4", 407, 1, proxy);
	finish(a, &r);
	CHECK(r.by_hop.shown, "next hop: the log shows where responses came from");
	const struct hop_row *g = hop(&r, "2001:db8::9");
	CHECK(g && g->attempts == 2 && g->server_err == 1 && g->timeout == 1 && g->stuck == 0 &&
	      g->answered == 0, "next hop: the gateway (no brackets, transport or port) has both "
	      "calls, its 503 and the proxy's 408 after its 100");
	CHECK(!hop(&r, "10.0.0.1") && !hop(&r, "192.0.2.1"),
	      "next hop: never the proxy or the caller");
	CHECK_EQ_INT(r.by_hop.no_hop, 2, "next hop: n3 and n4 have none");
	CHECK(g && g->srd_n == 2 && g->srd_max_us == 19990000 && g->srd_sum_us == 500000 + 19990000,
	      "next hop: SRD of its calls (first INVITE -> first answer that is no 100)");
	report_release(&r);
	analysis_free(a);

	/* without sources in the responses: no table */
	a = fresh(&o);
	req_x(a, 0, "x", METHOD_INVITE, 1, 0, &caller);
	rsp(a, 1, "x", 503, 1, METHOD_INVITE);
	finish(a, &r);
	CHECK(!r.by_hop.shown && r.by_hop.n == 0, "next hop: not in a log without response sources");
	report_release(&r);
	analysis_free(a);
}


/* ---- the per-call row (--calls-ndjson): times, challenge counts, problems, kind */

struct rows {
	struct call_summary cs[16];
	char id[16][8];
	int n;
};

static void on_row(void *ctx, const struct call_summary *cs)
{
	struct rows *w = ctx;

	if (w->n < 16) {
		w->cs[w->n] = *cs;	/* its strings die with the callback: the id is copied */
		snprintf(w->id[w->n], sizeof(w->id[0]), "%.*s", (int)cs->call_id.n, cs->call_id.p);
		w->n++;
	}
}

static const struct call_summary *row(const struct rows *w, const char *cid)
{
	for (int i = 0; i < w->n; i++)
		if (strcmp(w->id[i], cid) == 0)
			return &w->cs[i];
	return NULL;
}

static void test_call_rows(void)
{
	struct analysis_opts o = defaults();
	struct rows w = {0};
	struct report r;
	const unsigned K = EV_AUTH_KNOWN, KP = EV_AUTH_KNOWN | EV_AUTH_PROXY;
	static const struct call_summary none = {0};

	o.call_fn = on_row;
	o.call_ctx = &w;
	struct analysis *a = fresh(&o);
	/* r1: 407, retry, 407 (sent twice), retry, 100, 180, 200: two challenges, two retries */
	req(a, 0, "r1", METHOD_INVITE, 1, K);
	rsp(a, 10, "r1", 407, 1, METHOD_INVITE);
	req(a, 500, "r1", METHOD_INVITE, 2, KP);
	rsp(a, 510, "r1", 407, 2, METHOD_INVITE);
	rsp(a, 520, "r1", 407, 2, METHOD_INVITE);
	req(a, 900, "r1", METHOD_INVITE, 3, KP);
	req(a, 901, "r1", METHOD_INVITE, 3, KP);	/* a retransmission: no new retry */
	rsp(a, 910, "r1", 100, 3, METHOD_INVITE);
	rsp(a, 1500, "r1", 180, 3, METHOD_INVITE);
	rsp(a, 4000, "r1", 200, 3, METHOD_INVITE);
	/* r2: 100, then nothing: stuck */
	req(a, 5000, "r2", METHOD_INVITE, 1, 0);
	rsp(a, 5010, "r2", 100, 1, METHOD_INVITE);
	/* r3: challenged, never retried */
	req(a, 6000, "r3", METHOD_INVITE, 1, K);
	rsp(a, 6010, "r3", 407, 1, METHOD_INVITE);
	/* r4: 100 then 408, no 18x: the final ends setup */
	req(a, 7000, "r4", METHOD_INVITE, 1, 0);
	rsp(a, 7010, "r4", 100, 1, METHOD_INVITE);
	rsp(a, 9010, "r4", 408, 1, METHOD_INVITE);
	/* r5: the retry logged before its challenge: one challenge, one retry */
	req(a, 10000, "r5", METHOD_INVITE, 1, K);
	req(a, 10020, "r5", METHOD_INVITE, 2, KP);
	rsp(a, 10030, "r5", 407, 1, METHOD_INVITE);
	rsp(a, 10100, "r5", 200, 2, METHOD_INVITE);
	/* g1: a registration; x1: an accounting record (no 100, 18x or challenge in the log) */
	req(a, 11000, "g1", METHOD_REGISTER, 1, 0);
	rsp(a, 11010, "g1", 200, 1, METHOD_REGISTER);
	struct event ev = { .time_us = T(12000), .status = 486, .cseq = 1,
			    .cseq_method = METHOD_INVITE, .callid = S("x1"), .flags = EV_TRANSACTION,
			    .line = ++next_line };
	analysis_event(a, &ev);
	finish(a, &r);

	CHECK_EQ_INT(w.n, 7, "rows: one per Call-ID");
	const struct call_summary *c = row(&w, "r1");
	c = c ? c : &none;
	CHECK(c->kind == KIND_CALL && c->attempt && c->answered && c->outcome == 200 &&
	      c->final_code == 200, "rows: r1 a call, attempted, answered 200");
	CHECK(c->proxy_challenges == 2 && c->proxy_retries == 2 && c->www_challenges == 0 &&
	      c->proxy_auth == AUTH_ACCEPTED, "rows: r1 two challenges (one sent twice), two retries");
	CHECK(c->trying_time == T(910) && c->ring_time == T(1500) && c->final_time == T(4000),
	      "rows: r1 100 at 0.91 s, 180 at 1.5 s, 200 at 4 s");
	CHECK(c->open_first == T(0) && c->open_last == T(4000), "rows: r1 first and last message");
	CHECK_EQ_INT(c->problems, 0, "rows: r1 no problem");
	c = row(&w, "r2");
	c = c ? c : &none;
	CHECK(c->trying_time == T(5010) && c->final_time == TIME_UNKNOWN &&
	      c->ring_time == TIME_UNKNOWN && c->outcome == 0, "rows: r2 100, no final");
	CHECK_EQ_INT(c->problems, 1u << PAT_STUCK_AFTER_100, "rows: r2 stuck-after-100 only");
	c = row(&w, "r3");
	c = c ? c : &none;
	CHECK(c->proxy_challenges == 1 && c->proxy_retries == 0 && c->outcome == 407 &&
	      c->final_code == 0 && c->trying_time == TIME_UNKNOWN,
	      "rows: r3 one challenge, no retry, outcome the 407, no final code");
	CHECK_EQ_INT(c->problems, 1u << PAT_PROXY_AUTH_NOT_RETRIED, "rows: r3 proxy-auth-not-retried");
	c = row(&w, "r4");
	c = c ? c : &none;
	CHECK(c->final_time == T(9010) && c->ring_time == TIME_UNKNOWN && c->final_code == 408 &&
	      !c->answered, "rows: r4 final 408 at 9.01 s, no 18x");
	CHECK_EQ_INT(c->problems, 1u << PAT_REQUEST_TIMEOUT, "rows: r4 request-timeout");
	c = row(&w, "r5");
	c = c ? c : &none;
	CHECK(c->proxy_challenges == 1 && c->proxy_retries == 1 && c->proxy_auth == AUTH_ACCEPTED,
	      "rows: r5 retry logged first: one challenge, one retry, accepted");
	c = row(&w, "g1");
	c = c ? c : &none;
	CHECK(c->kind == KIND_REGISTRATION && !c->attempt && c->final_code == 200 && !c->acc,
	      "rows: g1 a registration, no INVITE attempt");
	c = row(&w, "x1");
	c = c ? c : &none;
	CHECK(c->kind == KIND_CALL && c->acc && c->attempt && c->outcome == 486 &&
	      c->final_time == T(12000) && c->trying_time == TIME_UNKNOWN,
	      "rows: x1 from an accounting record: marked, its 486 at the record's time");
	/* the problems of the rows add up to the report's counts */
	unsigned per[PAT_COUNT] = {0};
	for (int i = 0; i < w.n; i++)
		for (int p = 0; p < PAT_COUNT; p++)
			per[p] += (w.cs[i].problems >> p) & 1;
	int same = 1;
	for (size_t i = 0; i < r.nproblems; i++)
		if (r.problems[i].pid != PAT_AUTH_SCANNER)
			same &= per[r.problems[i].pid] == r.problems[i].count;
	CHECK(same && r.nproblems == 3, "rows: problems per row add up to the report's 3 problems");
	report_release(&r);
	analysis_free(a);
}

int main(void)
{
	test_trying();
	test_final_before_100();
	test_settling();
	test_calls();
	test_auth();
	test_examples();
	test_ranking();
	test_problem_hours();
	test_scanners();
	test_max_calls();
	test_bounded_tables();
	test_window();
	test_fine_timeline();
	test_source_address();
	test_scanner_ua();
	test_next_hop();
	test_call_rows();
	return test_done();
}
