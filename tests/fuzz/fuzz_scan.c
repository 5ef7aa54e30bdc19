/*
 * fuzz_scan.c - libFuzzer target: any bytes through every built-in format's scanner, whole and
 * in blocks, into the analysis and every renderer; the same bytes are also read as a
 * --baseline JSON report (src/json.c, src/baseline.c) and the comparison rendered. Log content
 * is attacker-controlled; this must never crash, hang, leak or read out of bounds. Build and
 * run: make fuzz (clang).
 */
#include "analysis.h"
#include "baseline.h"
#include "profile.h"
#include "render.h"
#include "scan.h"
#include "timeparse.h"
#include "util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static struct profile *profiles[2];

struct sink {
	struct analysis *an;
	struct timeline tl;
};

static void emit(void *ctx, const struct event *ev)
{
	struct sink *k = ctx;
	struct event e = *ev;

	if (e.flags & EV_INCOMPLETE)
		return;
	e.time_us = timeline_next2(&k->tl, e.ts_before.p, e.ts_before.n, e.ts.p, e.ts.n,
				   e.flags & EV_TS_CARRY);
	analysis_event(k->an, &e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!profiles[0]) {
		profiles[0] = profile_builtin("sip");
		profiles[1] = profile_builtin("kamailio");
	}
	for (int p = 0; p < 2; p++) {
		/* the kamailio pass holds at most 8 calls: --max-calls settles early */
		struct analysis_opts o = { .call_timeout_s = 32, .ring_timeout_s = 180,
					   .slow_setup_s = 10, .examples = 3, .scanner_threshold = 2,
					   .max_calls = p ? 8 : 0 };
		struct sink k = { .an = analysis_new(&o) };
		struct scanner *s = scanner_new(profiles[p], emit, &k);
		struct arena arena = {0};

		timeline_init(&k.tl, 1764000000LL * 1000000);
		/* whole, as a stream */
		scanner_begin(s, 0);
		scanner_feed(s, (const char *)data, size, SCAN_EOF);
		/* in blocks of 97 bytes, as the workers see a mapped file */
		scanner_set_arena(s, &arena);
		size_t start = 0;
		while (start < size) {
			size_t end = start + 97 < size ? start + 97 : size;
			const char *nl = memchr(data + end, '\n', size - end);
			end = nl ? (size_t)(nl - (const char *)data) + 1 : size;
			struct scan_block b;
			scanner_begin(s, 1);
			scanner_scan_block(s, (const char *)data, size, 0, start, end, &b);
			start = end;
		}
		struct report r = {0};
		analysis_finish(k.an, &r);
		struct buf out = {0};
		struct render_opts ro = { .color = 1, .width = 100 };
		r.run.version = "fuzz";
		render_json(&out, &r);
		/* the input as the baseline of this report */
		r.baseline = baseline_compare_text("fuzz.json", (const char *)data, size, out.p,
						   out.len);
		render_json(&out, &r);
		render_text(&out, &r, &ro);
		render_html(&out, &r);
		render_prom(&out, &r);
		render_csv(&out, &r);
		buf_free(&out);
		report_release(&r);
		analysis_free(k.an);
		scanner_free(s);
		arena_free(&arena);
	}
	return 0;
}
