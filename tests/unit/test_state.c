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

#include "genlog.h"

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
		struct event ev;
		gen_event_of(g, &ev);
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
		struct state_range whole = { .start = 0, .end = UINT64_MAX };
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
		written &= state_write(paths[i], &part, &r, &whole, &so, NULL) == 0;
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
	gen_mixed(&l, 20000, 2000, GEN_BY_CALL_TIME);
	for (size_t k = 1; k <= 8; k++) {
		compare("default idle limits", &l, k, base, 0);
		compare("--session-timeout 300", &l, k, brief, 0);
	}
	compare("pieces on 3 analysis threads", &l, 4, brief, 3);
	free(l.v);
	return test_done();
}
