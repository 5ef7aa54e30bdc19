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

#include "genlog.h"

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
		struct event ev;
		gen_event_of(g, &ev);
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

	gen_mixed(&l, 20000, 2000, GEN_UNTIMED_IN_PLACE);
	compare("mixed", &l, 0);
	free(l.v);
	gen_mixed(&l, 100000, 1 << 20, GEN_UNTIMED_IN_PLACE);	/* more sources than the tables keep */
	compare("overflowing tables", &l, 1);
	free(l.v);
	return test_done();
}
