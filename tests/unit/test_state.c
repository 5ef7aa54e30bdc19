/*
 * test_state.c - state files round trip (src/state.c, docs/state.md): one generated log
 * (calls answered, busy, challenged and retried or not, stuck after 100, registrations,
 * OPTIONS pings, scanners, calls without times, idle gaps, Call-IDs that come back) cut
 * into k pieces at random messages, each piece analysed alone with its state written to a
 * file, the states merged: the same JSON report (its run section aside) as one analysis of
 * the pieces in order, for k = 1..8, with the default and short idle limits, and with the
 * pieces analysed on several threads.
 */
#include "testhelp.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis.h"
#include "event.h"
#include "render.h"
#include "report.h"
#include "state.h"
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
	/* the log's order: by time (an untimed message where its call's time would be), a
	 * stable sort: a log in time order, as shards of an archive are cut from */
	for (size_t i = 0; i < calls->n; i++)
		calls->v[i].seq = i;
	qsort(calls->v, calls->n, sizeof(calls->v[0]), cmp_key);
	*l = *calls;
}

/* the JSON report without its run line */
static void json_of(struct report *r, struct buf *out)
{
	struct buf js = { 0 };

	report_set_gives(r);
	render_json(&js, r);
	memset(out, 0, sizeof(*out));
	for (const char *p = js.p, *end = js.p + js.len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
		if (!(n > 9 && memcmp(p, "  \"run\": ", 9) == 0))
			buf_add(out, p, n);
		p += n;
	}
	buf_free(&js);
}

static void feed(struct analysis *a, const struct log *l, size_t from, size_t to, uint32_t file)
{
	for (size_t i = from; i < to; i++) {
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
		ev.file = file;
		ev.line = i - from + 1;
		analysis_event(a, &ev);
	}
}

static void file_of(struct report_file *f, size_t k)
{
	char name[32];

	memset(f, 0, sizeof(*f));
	snprintf(name, sizeof(name), "piece%zu.log", k);
	f->path = xstrndup(name, strlen(name));
	f->format = "sip";
	f->status = FILE_OK;
	f->first_time = f->last_time = TIME_UNKNOWN;
}

/* k pieces at random messages: one analysis of them in order, and k states merged */
static void compare(const char *what, const struct log *l, size_t k, struct analysis_opts o,
		    unsigned piece_threads)
{
	size_t *cut = xcalloc(k + 1, sizeof(*cut));
	char dir[] = "/tmp/test_state.XXXXXX";
	char **paths = xcalloc(k, sizeof(*paths));

	if (!mkdtemp(dir)) {
		CHECK(0, "%s: a temporary directory", what);
		return;
	}
	for (size_t i = 1; i < k; i++)
		cut[i] = 1 + rnd((unsigned)l->n - 1);
	cut[k] = l->n;
	for (size_t i = 1; i < k; i++)	/* in order */
		for (size_t j = i; j > 1 && cut[j - 1] > cut[j]; j--) {
			size_t t = cut[j];
			cut[j] = cut[j - 1];
			cut[j - 1] = t;
		}

	struct report one = { 0 };
	one.nfiles = k;
	one.files = xcalloc(k, sizeof(*one.files));
	struct analysis *a = analysis_new(&o);
	for (size_t i = 0; i < k; i++) {
		file_of(&one.files[i], i);
		feed(a, l, cut[i], cut[i + 1], (uint32_t)i);
	}
	analysis_finish(a, &one);
	analysis_free(a);
	struct buf want;
	json_of(&one, &want);
	report_release(&one);

	int written = 1;
	for (size_t i = 0; i < k; i++) {
		struct analysis_opts so = o;
		struct report r = { 0 };
		struct analysis_part part;
		struct state_range whole = { 0, UINT64_MAX };
		char p[64];
		so.state = 1;
		so.threads = piece_threads;
		a = analysis_new(&so);
		feed(a, l, cut[i], cut[i + 1], 0);
		analysis_part_end(a, &part);
		r.nfiles = 1;
		r.files = xcalloc(1, sizeof(*r.files));
		file_of(&r.files[0], i);
		snprintf(p, sizeof(p), "%s/%zu.state", dir, i);
		paths[i] = xstrndup(p, strlen(p));
		written &= state_write(paths[i], &part, &r, &whole, &so) == 0;
		analysis_part_release(&part);
		analysis_free(a);
		report_release(&r);
	}
	CHECK(written, "%s: %zu states written", what, k);
	struct report merged = { 0 };
	struct analysis_opts mo = o;
	int rc = state_merge(paths, k, &mo, 0, NULL, NULL, &merged);
	CHECK(rc == 0, "%s: %zu states merged", what, k);
	struct buf got = { 0 };
	if (rc == 0)
		json_of(&merged, &got);
	report_release(&merged);
	int same = got.len == want.len && memcmp(got.p, want.p, got.len) == 0;
	CHECK(same, "%s: %zu pieces at random messages, merged: the same JSON report as one "
	      "analysis", what, k);
	if (!same && getenv("TEST_STATE_DUMP")) {
		FILE *f = fopen("/tmp/state-want.json", "w");
		fwrite(want.p, 1, want.len, f);
		fclose(f);
		f = fopen("/tmp/state-got.json", "w");
		fwrite(got.p, 1, got.len, f);
		fclose(f);
	}
	for (size_t i = 0; i < k; i++) {
		unlink(paths[i]);
		free(paths[i]);
	}
	rmdir(dir);
	free(paths);
	free(cut);
	buf_free(&want);
	buf_free(&got);
}

int main(void)
{
	struct log l = { 0 };
	struct analysis_opts base = { .call_timeout_s = 32, .ring_timeout_s = 180,
				      .session_timeout_s = 7200, .slow_setup_s = 5, .examples = 3,
				      .scanner_threshold = 10, .top = 10 };
	struct analysis_opts brief = base;

	brief.session_timeout_s = 300;
	gen_mixed(&l, 20000, 2000);
	for (size_t k = 1; k <= 8; k++) {
		compare("default idle limits", &l, k, base, 0);
		compare("--session-timeout 300", &l, k, brief, 0);
	}
	compare("pieces on 3 analysis threads", &l, 4, brief, 3);
	free(l.v);
	return test_done();
}
