/*
 * render_calls.c - --calls-csv: one CSV row per call, written as calls are settled (so memory
 * does not grow with the number of calls). RFC 4180 with CRLF; every field goes through
 * esc_csv(), which quotes it and defuses spreadsheet formulas (= + - @ TAB CR). Columns are
 * documented in docs/csv.md.
 */
#include "render.h"
#include "escape.h"
#include "timeparse.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char *const auth_names[] = { "", "not_retried", "accepted", "rechallenged" };

static void field(struct buf *b, const char *s, size_t n, int last)
{
	esc_csv(b, s ? s : "", s ? n : 0);
	buf_adds(b, last ? "\r\n" : ",");
}

static void cfield(struct buf *b, const char *s, int last)
{
	field(b, s, strlen(s), last);
}

static void ifield(struct buf *b, int64_t v, int last)
{
	char t[32];

	if (v < 0)
		t[0] = '\0';
	else
		snprintf(t, sizeof(t), "%" PRId64, v);
	cfield(b, t, last);
}

static void msfield(struct buf *b, int64_t us, int last)
{
	char t[32];

	if (us < 0)
		t[0] = '\0';	/* unknown: empty, never 0 */
	else
		snprintf(t, sizeof(t), "%" PRId64 ".%03" PRId64, us / 1000, us % 1000);
	cfield(b, t, last);
}

void render_calls_csv_header(struct buf *b)
{
	static const char *const cols[] = {
		"call_id", "file", "line", "first_time", "method", "source", "user_agent",
		"destination", "outcome", "trying", "final_after_100", "trying_delay_ms", "srd_ms",
		"proxy_auth", "www_auth", "duration_ms", "settled", "pdd_ms", "ring_ms", NULL
	};

	for (int i = 0; cols[i]; i++)
		cfield(b, cols[i], cols[i + 1] == NULL);
}

void render_calls_csv_row(struct buf *b, const struct call_summary *cs, const char *path)
{
	char t[40];

	field(b, cs->call_id.p, cs->call_id.n, 0);
	cfield(b, path ? path : "", 0);
	ifield(b, (int64_t)cs->line, 0);
	cfield(b, cs->first_time == TIME_UNKNOWN ? "" : time_format(cs->first_time, t), 0);
	cfield(b, sip_method_name(cs->method), 0);
	field(b, cs->src.p, cs->src.n, 0);
	field(b, cs->ua.p, cs->ua.n, 0);
	field(b, cs->dest.p, cs->dest.n, 0);
	ifield(b, cs->outcome ? cs->outcome : -1, 0);
	cfield(b, cs->trying ? "1" : "0", 0);
	ifield(b, cs->final_after_100 ? cs->final_after_100 : -1, 0);
	msfield(b, cs->trying_delay_us, 0);
	msfield(b, cs->srd_us, 0);
	cfield(b, auth_names[cs->proxy_auth], 0);
	cfield(b, auth_names[cs->www_auth], 0);
	msfield(b, cs->duration_us, 0);
	static const char *const why[] = { [SETTLED_END] = "end", [SETTLED_IDLE] = "idle",
					   [SETTLED_LIMIT] = "limit" };
	cfield(b, why[cs->settled], 0);
	/* added last, so that the columns before keep their places */
	msfield(b, cs->pdd_us, 0);
	msfield(b, cs->ring_us, 1);
}
