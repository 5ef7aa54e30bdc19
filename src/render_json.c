/*
 * render_json.c - the report model as JSON, schema "siplogscan.report/2".
 *
 * The schema is documented in docs/json-schema.md. Keys come in a fixed order and numbers in
 * fixed formats, so the output is byte-for-byte reproducible: everything outside "run" depends
 * only on the input. Strings from logs go through esc_json() (valid UTF-8 out, whatever in).
 */
#include "render.h"
#include "baseline.h"
#include "escape.h"
#include "figures.h"
#include "timeparse.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

static void jstr(struct buf *b, const char *s, size_t n)
{
	buf_addc(b, '"');
	esc_json(b, s, n);
	buf_addc(b, '"');
}

static void jcstr(struct buf *b, const char *s)
{
	if (!s) {
		buf_adds(b, "null");
		return;
	}
	jstr(b, s, strlen(s));
}

/* A double in fmt, or null when it is not finite: JSON has no NaN or infinity, and "nan"
 * would make the whole document unreadable. Every double of this file goes through here;
 * the baseline figures through fmt_figure_data(), which does the same. */
static void jdouble(struct buf *b, const char *fmt, double v)
{
	fmt_double(b, fmt, v, "null");
}

static void jtime(struct buf *b, int64_t t)
{
	char tmp[40];

	if (t == TIME_UNKNOWN) {
		buf_adds(b, "null");
		return;
	}
	buf_printf(b, "\"%s\"", time_format(t, tmp));
}

void fmt_ms(struct buf *out, int64_t us)
{
	buf_printf(out, "%" PRId64 ".%03" PRId64, us / 1000, us % 1000);
}

static void jdelays(struct buf *b, const struct delays *d)
{
	static const char *const names[] = { "p50", "p90", "p99", "max" };
	const int64_t v[] = { d->p50, d->p90, d->p99, d->max };

	buf_adds(b, "{");
	for (int i = 0; i < 4; i++) {
		buf_printf(b, "%s\"%s\": ", i ? ", " : "", names[i]);
		if (d->known && v[i] >= 0)
			fmt_ms(b, v[i]);
		else
			buf_adds(b, "null");
	}
	buf_printf(b, ", \"n\": %" PRIu64 "}", d->n);
}

static void jauth(struct buf *b, const char *name, const struct auth_report *a)
{
	buf_printf(b, "  \"%s\": {\"challenged\": %" PRIu64 ", \"retried\": %" PRIu64
		   ", \"accepted\": %" PRIu64 ", \"rechallenged\": %" PRIu64
		   ", \"not_retried\": %" PRIu64 ",\n    \"retry_delay_ms\": ",
		   name, a->challenged, a->retried, a->accepted, a->rechallenged, a->not_retried);
	jdelays(b, &a->retry_delay);
	buf_adds(b, "},\n");
}

static void jcodes(struct buf *b, const uint64_t *counts)
{
	int first = 1;

	buf_adds(b, "{");
	for (int c = 100; c < REPORT_CODES; c++) {
		if (!counts[c])
			continue;
		buf_printf(b, "%s\"%d\": %" PRIu64, first ? "" : ", ", c, counts[c]);
		first = 0;
	}
	buf_adds(b, "}");
}

/* A ratio as every format writes it (fmt_ratio, src/figures.c); null when d is 0. */
static void jshare(struct buf *b, uint64_t n, uint64_t d, enum ratio_form form)
{
	if (!d)
		buf_adds(b, "null");
	else
		fmt_ratio(b, n, d, form);
}

static void jratio(struct buf *b, const char *name, uint64_t num, uint64_t den)
{
	buf_printf(b, "    \"%s\": {\"percent\": ", name);
	jshare(b, num, den, RATIO_PERCENT);
	buf_printf(b, ", \"num\": %" PRIu64 ", \"den\": %" PRIu64 "},\n", num, den);
}

/* --history: the night and the trend of the nights kept (this run's part is in "run") */
static void jhistory(struct buf *b, const struct report_history *hi)
{
	if (!hi)
		return;
	buf_adds(b, "  \"history\": {\"night\": ");
	jcstr(b, hi->night);
	buf_printf(b, ", \"keep\": %u, \"trend\": [", hi->keep);
	for (size_t i = 0; i < hi->ntrend; i++) {
		const struct report_trend_night *t = &hi->trend[i];
		buf_adds(b, i ? ",\n    {\"night\": " : "\n    {\"night\": ");
		jcstr(b, t->night);
		for (int k = 0; k < REPORT_TREND_FIGS; k++) {
			buf_printf(b, ", \"%s\": ", report_trend_keys[k]);
			fmt_trend_value(b, &t->v[k], k, RATIO_PERCENT, "null");
		}
		buf_adds(b, "}");
	}
	buf_adds(b, hi->ntrend ? "\n  ]},\n" : "]},\n");
}

static void jbreakdown(struct buf *b, const char *name, const struct breakdown *d, int last)
{
	buf_printf(b, "    \"%s\": {\"keys\": %" PRIu64 ", \"unlisted\": %" PRIu64 ", \"rows\": [",
		   name, d->keys, d->unlisted);
	for (size_t i = 0; i < d->n; i++) {
		const struct breakdown_row *r = &d->rows[i];
		buf_adds(b, i ? ",\n      {\"key\": " : "\n      {\"key\": ");
		jstr(b, r->key, r->key_len);
		buf_printf(b, ", \"attempts\": %" PRIu64 ", \"answered\": %" PRIu64 ", \"failed\": %"
			   PRIu64 ", \"auth_failed\": %" PRIu64 ", \"failures\": {", r->attempts,
			   r->answered, r->failed, r->auth_failed);
		for (int k = 0; k < r->ncodes; k++)
			buf_printf(b, "%s\"%d\": %" PRIu64, k ? ", " : "", r->codes[k], r->code_n[k]);
		buf_adds(b, "}}");
	}
	buf_printf(b, "]}%s\n", last ? "" : ",");
}

/* Calls by next hop; null when the log does not show where responses came from. */
static void jhops(struct buf *b, const struct hop_table *h)
{
	if (!h->shown) {
		buf_adds(b, "    \"by_next_hop\": null\n");
		return;
	}
	buf_printf(b, "    \"by_next_hop\": {\"keys\": %" PRIu64 ", \"unlisted\": %" PRIu64
		   ", \"no_hop\": %" PRIu64 ", \"rows\": [", h->keys, h->unlisted, h->no_hop);
	for (size_t i = 0; i < h->n; i++) {
		const struct hop_row *r = &h->rows[i];
		buf_adds(b, i ? ",\n      {\"key\": " : "\n      {\"key\": ");
		jstr(b, r->key, r->key_len);
		buf_printf(b, ", \"attempts\": %" PRIu64 ", \"answered\": %" PRIu64
			   ", \"stuck_after_100\": %" PRIu64 ", \"timeout_408\": %" PRIu64
			   ", \"server_5xx\": %" PRIu64 ", \"slow_setups\": %" PRIu64
			   ", \"failures\": {", r->attempts, r->answered, r->stuck, r->timeout,
			   r->server_err, r->slow);
		for (int k = 0; k < r->ncodes; k++)
			buf_printf(b, "%s\"%d\": %" PRIu64, k ? ", " : "", r->codes[k], r->code_n[k]);
		buf_adds(b, "},\n       \"srd_ms\": {\"mean\": ");
		if (r->srd_n)
			fmt_ms(b, r->srd_sum_us / (int64_t)r->srd_n);
		else
			buf_adds(b, "null");
		buf_adds(b, ", \"max\": ");
		if (r->srd_n)
			fmt_ms(b, r->srd_max_us);
		else
			buf_adds(b, "null");
		buf_printf(b, ", \"n\": %" PRIu64 "}}", r->srd_n);
	}
	buf_adds(b, "]}\n");
}

static void jbaseline(struct buf *b, const struct baseline *bl)
{
	buf_adds(b, "  \"baseline\": ");
	if (!bl) {
		buf_adds(b, "null,\n");
		return;
	}
	static const char *const st[] = { "ok", "missing", "error" };
	buf_adds(b, "{\"path\": ");
	jcstr(b, bl->path);
	buf_printf(b, ", \"status\": \"%s\", \"error\": ", st[bl->status]);
	jcstr(b, bl->error);
	buf_adds(b, ", \"schema\": ");
	jcstr(b, bl->schema);
	buf_adds(b, ",\n    \"first_time\": ");
	jcstr(b, bl->first_time);
	buf_adds(b, ", \"last_time\": ");
	jcstr(b, bl->last_time);
	buf_adds(b, ", \"figures\": [");
	for (size_t i = 0; i < bl->nfig; i++) {
		const struct baseline_figure *g = &bl->fig[i];
		buf_adds(b, i ? ",\n      {\"id\": " : "\n      {\"id\": ");
		jcstr(b, g->id);
		buf_adds(b, ", \"label\": ");
		jcstr(b, g->label);
		buf_printf(b, ", \"unit\": \"%s\", \"previous\": ", figure_unit_name(g->unit));
		fmt_figure_data(b, g, FIG_PREVIOUS, "null");
		buf_adds(b, ", \"current\": ");
		fmt_figure_data(b, g, FIG_CURRENT, "null");
		buf_adds(b, ", \"change\": ");
		fmt_figure_data(b, g, FIG_CHANGE, "null");
		buf_adds(b, ", \"change_percent\": ");
		fmt_figure_data(b, g, FIG_CHANGE_PERCENT, "null");
		buf_adds(b, ", \"trend\": ");
		jcstr(b, baseline_trend_name(g->trend));
		buf_adds(b, "}");
	}
	buf_adds(b, bl->nfig ? "\n    ]},\n" : "]},\n");
}

static void jkpis(struct buf *b, const struct report *r)
{
	const struct kpis *k = &r->kpi;
	int req = !(r->not_in_log & GIVES_REQUESTS);

	buf_printf(b, "  \"kpi\": {\"invite_attempts\": %" PRIu64 ", \"register_attempts\": %" PRIu64
		   ", \"no_final\": ", k->invite_attempts, k->register_attempts);
	if (req)
		buf_printf(b, "%" PRIu64 ",\n", k->no_final);
	else
		buf_adds(b, "null,\n");
	/* the KPI ratios of the table of figures, in its order */
	for (size_t i = 0; i < nfigures; i++) {
		struct figure_value v;
		if (!(figures[i].show & FIG_KPI))
			continue;
		figure_value(&figures[i], r, &v);
		jratio(b, figures[i].key, v.num, v.den);
	}
	if (!req) {
		/* no request times: these are not in the log, not merely unmeasured */
		buf_adds(b, "    \"srd_ms\": null, \"rrd_ms\": null, \"session_ms\": null, "
			 "\"acd_ms\": null},\n");
		return;
	}
	buf_adds(b, "    \"srd_ms\": ");
	jdelays(b, &k->srd);
	buf_adds(b, ",\n    \"rrd_ms\": ");
	jdelays(b, &k->rrd);
	buf_adds(b, ",\n    \"session_ms\": ");
	jdelays(b, &k->duration);
	buf_adds(b, ",\n    \"acd_ms\": ");
	if (k->acd_us >= 0)
		fmt_ms(b, k->acd_us);
	else
		buf_adds(b, "null");
	buf_adds(b, "},\n");
}

static void jauth_table(struct buf *b, const char *name, const struct auth_table *at,
			int sources, int last)
{
	buf_printf(b, "    \"%s\": {\"keys\": %" PRIu64 ", \"unlisted\": %" PRIu64
		   ", \"rows\": [", name, at->keys, at->unlisted);
	for (size_t i = 0; i < at->n; i++) {
		const struct auth_row *x = &at->rows[i];
		buf_adds(b, i ? ",\n      {\"key\": " : "\n      {\"key\": ");
		jstr(b, x->key, x->key_len);
		buf_printf(b, ", \"challenges\": %" PRIu64 ", \"accepted\": %" PRIu64
			   ", \"failed\": %" PRIu64 ", \"unknown_account\": %" PRIu64
			   ", \"denied\": %" PRIu64, x->n[AUTH_RES_CHALLENGE], x->n[AUTH_RES_OK],
			   x->n[AUTH_RES_FAILED], x->n[AUTH_RES_UNKNOWN], x->n[AUTH_RES_DENIED]);
		if (sources)
			buf_printf(b, ", \"scanner\": %s", x->scanner ? "true" : "false");
		buf_adds(b, "}");
	}
	buf_adds(b, at->n ? "\n    ]}" : "]}");
	buf_adds(b, last ? "\n" : ",\n");
}

/* Authentication records (Asterisk security log, auth notices); null for other logs. */
static void jauth_results(struct buf *b, const struct report *r)
{
	const struct auth_results *a = &r->auth;

	if (!r->auth_log) {
		buf_adds(b, "  \"auth_results\": null,\n");
		return;
	}
	buf_printf(b, "  \"auth_results\": {\"challenges\": %" PRIu64 ", \"accepted\": %" PRIu64
		   ", \"failed\": %" PRIu64 ", \"unknown_account\": %" PRIu64
		   ", \"denied\": %" PRIu64 ", \"no_source\": %" PRIu64 ", \"scanners\": %" PRIu64
		   ",\n", a->n[AUTH_RES_CHALLENGE], a->n[AUTH_RES_OK], a->n[AUTH_RES_FAILED],
		   a->n[AUTH_RES_UNKNOWN], a->n[AUTH_RES_DENIED], a->no_source, a->scanners);
	jauth_table(b, "by_source", &a->by_source, 1, 0);
	jauth_table(b, "by_account", &a->by_account, 0, 1);
	buf_adds(b, "  },\n");
}

static void jtrying(struct buf *b, const struct report *r)
{
	buf_printf(b, "  \"trying_to_final\": {\"trying\": %" PRIu64 ", \"stuck\": %" PRIu64
		   ", \"by_final\": ", r->trying, r->stuck);
	jcodes(b, r->by_final);
	buf_adds(b, ",\n    \"delay_ms\": ");
	jdelays(b, &r->trying_delay);
	buf_adds(b, ",\n    \"delay_histogram\": [");
	for (int k = 0; k < REPORT_HIST; k++) {
		buf_printf(b, "%s{\"below_ms\": ", k ? ", " : "");
		if (report_hist_upper_ms[k])
			buf_printf(b, "%d", report_hist_upper_ms[k]);
		else
			buf_adds(b, "null");
		buf_printf(b, ", \"n\": %" PRIu64 "}", r->trying_hist[k]);
	}
	buf_adds(b, "]");
	buf_adds(b, "},\n");
}

void render_json(struct buf *b, const struct report *r)
{
	buf_adds(b, "{\n  \"schema\": \"" REPORT_SCHEMA "\",\n  \"title\": ");
	jcstr(b, r->title ? r->title : "");
	buf_adds(b, ",\n");

	/* input */
	buf_adds(b, "  \"input\": {\n    \"files\": [");
	for (size_t i = 0; i < r->nfiles; i++) {
		const struct report_file *f = &r->files[i];
		buf_adds(b, i ? ",\n      {" : "\n      {");
		buf_adds(b, "\"path\": ");
		jcstr(b, f->path);
		buf_adds(b, ", \"format\": ");
		jcstr(b, f->format);
		buf_printf(b, ", \"format_detected\": %s, \"gzip\": %s, \"bytes\": %" PRIu64
			   ", \"stored_bytes\": %" PRIu64 ", \"lines\": %" PRIu64
			   ", \"records\": %" PRIu64 ", \"incomplete\": %" PRIu64
			   ", \"lines_cut\": %" PRIu64 ", \"match_limited\": %" PRIu64
			   ", \"first_time\": ",
			   f->format_auto ? "true" : "false", f->gzip ? "true" : "false", f->bytes,
			   f->stored_bytes, f->lines, f->records, f->incomplete, f->lines_cut,
			   f->match_limited);
		jtime(b, f->first_time);
		buf_adds(b, ", \"last_time\": ");
		jtime(b, f->last_time);
		buf_printf(b, ", \"status\": \"%s\", \"error\": ", file_status_name(f->status));
		jcstr(b, f->status == FILE_ERROR ? f->error : NULL);
		buf_adds(b, ", \"note\": ");
		jcstr(b, f->note);
		buf_adds(b, "}");
	}
	buf_adds(b, r->nfiles ? "\n    ],\n" : "],\n");
	buf_adds(b, "    \"first_time\": ");
	jtime(b, r->have_times ? r->first_time : TIME_UNKNOWN);
	buf_adds(b, ", \"last_time\": ");
	jtime(b, r->have_times ? r->last_time : TIME_UNKNOWN);
	buf_printf(b, ", \"whole_second_times\": %s,\n    \"since\": ",
		   r->have_times && !r->subsecond_times ? "true" : "false");
	jtime(b, r->since);
	buf_adds(b, ", \"until\": ");
	jtime(b, r->until);
	buf_printf(b, ", \"outside\": %" PRIu64 ", \"followed_past_until\": %" PRIu64
		   ", \"timezone\": ", r->outside, r->followed_past_until);
	/* the times stay UTC; this names the zone that zoneless stamps were read in */
	jcstr(b, r->timezone ? r->timezone : "UTC");
	buf_adds(b, ",\n    \"not_in_log\": [");
	static const struct { unsigned bit; const char *name; } gives[] = {
		{ GIVES_REQUESTS, "requests" }, { GIVES_PROVISIONAL, "provisional" },
		{ GIVES_CHALLENGES, "challenges" }, { GIVES_FINALS, "finals" },
	};
	for (size_t i = 0, n = 0; i < sizeof(gives) / sizeof(gives[0]); i++)
		if (r->not_in_log & gives[i].bit)
			buf_printf(b, "%s\"%s\"", n++ ? ", " : "", gives[i].name);
	buf_adds(b, "]\n  },\n");

	/* totals */
	buf_printf(b, "  \"totals\": {\"records\": %" PRIu64 ",\n    \"requests\": {", r->records);
	int first = 1;
	for (int m = METHOD_INVITE; m < METHOD_COUNT; m++) {
		if (!r->requests[m])
			continue;
		buf_printf(b, "%s\"%s\": %" PRIu64, first ? "" : ", ", sip_method_name(m), r->requests[m]);
		first = 0;
	}
	buf_adds(b, "},\n    \"responses\": ");
	jcodes(b, r->responses);
	buf_adds(b, "\n  },\n");

	if (r->not_in_log & GIVES_FINALS)
		buf_adds(b, "  \"calls\": null,\n  \"registrations\": null,\n  \"options_pings\": null,\n"
			 "  \"other_transactions\": null,\n  \"call_ids\": null,\n");
	else
		buf_printf(b, "  \"calls\": {\"total\": %" PRIu64 "},\n"
			   "  \"registrations\": {\"total\": %" PRIu64 "},\n"
			   "  \"options_pings\": {\"total\": %" PRIu64 "},\n"
			   "  \"other_transactions\": {\"total\": %" PRIu64 "},\n"
			   "  \"call_ids\": {\"total\": %" PRIu64 ", \"settled_idle\": %" PRIu64
			   ", \"settled_early\": %" PRIu64 ", \"open_at_end\": %" PRIu64
			   ", \"peak_in_flight\": %" PRIu64 "},\n",
			   r->calls_total, r->calls_register, r->calls_options, r->calls_other,
			   r->callids_total, r->calls_evicted_idle, r->calls_settled_early,
			   r->calls_open_at_end, r->calls_peak);

	/* --host-from / --host only: every other report keeps its shape */
	if (r->nhosts) {
		buf_printf(b, "  \"hosts\": {\"shared_call_ids\": %" PRIu64 ", \"rows\": [",
			   r->callids_shared);
		for (size_t i = 0; i < r->nhosts; i++) {
			const struct host_row *x = &r->hosts[i];
			buf_adds(b, i ? ",\n    {\"name\": " : "\n    {\"name\": ");
			jstr(b, x->name, x->name_len);
			buf_printf(b, ", \"files\": %" PRIu64 ", \"bytes\": %" PRIu64
				   ", \"stored_bytes\": %" PRIu64 ", \"records\": %" PRIu64
				   ", \"call_ids\": %" PRIu64 ", \"calls\": %" PRIu64
				   ", \"registrations\": %" PRIu64 ", \"shared_call_ids\": %" PRIu64
				   ", \"answered\": %" PRIu64 ", \"failed\": %" PRIu64
				   ", \"stuck\": %" PRIu64 ", \"not_retried\": %" PRIu64 "}",
				   x->files, x->bytes, x->stored_bytes, x->records, x->callids,
				   x->calls, x->registrations, x->shared, x->answered, x->failed,
				   x->stuck, x->not_retried);
		}
		buf_adds(b, "\n  ]},\n");
	}
	if (r->not_in_log & GIVES_PROVISIONAL)
		buf_adds(b, "  \"trying_to_final\": null,\n");
	else
		jtrying(b, r);
	/* post-dial delay and ring time: they need the INVITE's time and the 18x */
	if (r->not_in_log & (GIVES_REQUESTS | GIVES_PROVISIONAL)) {
		buf_adds(b, "  \"setup\": null,\n");
	} else {
		buf_adds(b, "  \"setup\": {\"pdd_ms\": ");
		jdelays(b, &r->pdd);
		buf_adds(b, ",\n    \"ring_ms\": ");
		jdelays(b, &r->ring_time);
		/* the slow-setup problem's calls by outcome (0: none), codes in order */
		buf_printf(b, ",\n    \"slow\": {\"count\": %" PRIu64 ", \"by_outcome\": {",
			   slow_setups(r));
		int k = 0;
		for (int c = 0; c < REPORT_CODES; c++)
			if (r->slow_by_outcome[c])
				buf_printf(b, "%s\"%d\": %" PRIu64, k++ ? ", " : "", c,
					   r->slow_by_outcome[c]);
		buf_adds(b, "}}},\n");
	}
	if (r->not_in_log & GIVES_CHALLENGES) {
		buf_adds(b, "  \"proxy_auth\": null,\n  \"www_auth\": null,\n");
	} else {
		jauth(b, "proxy_auth", &r->proxy_auth);
		jauth(b, "www_auth", &r->www_auth);
	}
	if (r->not_in_log & GIVES_FINALS)
		buf_adds(b, "  \"kpi\": null,\n");
	else
		jkpis(b, r);
	jauth_results(b, r);
	buf_printf(b, "  \"breakdowns\": {\"top\": %u,\n", r->top);
	jbreakdown(b, "by_source", &r->by_source, 0);
	jbreakdown(b, "by_user_agent", &r->by_ua, 0);
	jbreakdown(b, "by_destination", &r->by_dest, 0);
	jhops(b, &r->by_hop);
	buf_adds(b, "  },\n  \"timeline\": [");
	for (size_t i = 0; i < r->ntimeline; i++) {
		const struct timeline_row *t = &r->timeline[i];
		buf_adds(b, i ? ",\n    {\"hour\": " : "\n    {\"hour\": ");
		jtime(b, t->hour);
		buf_printf(b, ", \"calls\": %" PRIu64 ", \"answered\": %" PRIu64 ", \"failed\": %"
			   PRIu64 ", \"registrations\": %" PRIu64 ", \"options\": %" PRIu64
			   ", \"other\": %" PRIu64 ", \"challenged\": %" PRIu64 ", \"auth_failed\": %"
			   PRIu64 ", \"failures\": {", t->calls, t->answered, t->failed,
			   t->registrations, t->options, t->other, t->challenged, t->auth_failed);
		for (int k = 0; k < t->ncodes; k++)
			buf_printf(b, "%s\"%d\": %" PRIu64, k ? ", " : "", t->codes[k], t->code_n[k]);
		buf_adds(b, "}}");
	}
	buf_adds(b, r->ntimeline ? "\n  ],\n" : "],\n");
	buf_printf(b, "  \"timeline_unlisted\": %" PRIu64 ",\n", r->timeline_unlisted);

	/* problems */
	buf_adds(b, "  \"problems\": [");
	for (size_t i = 0; i < r->nproblems; i++) {
		const struct problem *p = &r->problems[i];
		const struct pattern_info *pi = knowledge_pattern(p->pid);
		buf_adds(b, i ? ",\n    {" : "\n    {");
		buf_printf(b, "\"id\": \"%s\", \"title\": ", pi->id);
		jcstr(b, pi->title);
		buf_printf(b, ", \"severity\": \"%s\", \"count\": %" PRIu64 ", \"denominator\": %"
			   PRIu64 ", \"share\": ", knowledge_severity_name(p->severity), p->count,
			   p->denominator);
		jshare(b, p->count, p->denominator, RATIO_SHARE);
		buf_adds(b, ", \"of\": ");
		jcstr(b, pi->denominator);
		buf_adds(b, ",\n      \"first_time\": ");
		jtime(b, p->first_time);
		buf_adds(b, ", \"last_time\": ");
		jtime(b, p->last_time);
		buf_adds(b, ", \"hours\": [");
		for (size_t k = 0; k < p->nhours; k++) {
			buf_adds(b, k ? ", {\"hour\": " : "{\"hour\": ");
			jtime(b, p->hours[k].hour);
			buf_printf(b, ", \"count\": %" PRIu64 "}", p->hours[k].count);
		}
		buf_printf(b, "], \"hours_unlisted\": %" PRIu64 ",\n      \"examples\": [",
			   p->hours_unlisted);
		for (size_t k = 0; k < p->nexamples; k++) {
			const struct example *e = &p->examples[k];
			buf_printf(b, "%s{\"%s\": ", k ? ", " : "", knowledge_example_key(pi->example));
			jstr(b, e->call_id, e->call_id_len);
			buf_adds(b, ", \"file\": ");
			jcstr(b, e->file < r->nfiles ? r->files[e->file].path : NULL);
			buf_printf(b, ", \"line\": %" PRIu64 "}", e->line);
		}
		/* on a line of its own, so adding it changed no other line of the output */
		buf_printf(b, "],\n      \"explain\": \"siplogscan explain %s\",\n      \"rule\": ",
			   pi->id);
		jcstr(b, pi->rule);
		buf_adds(b, ",\n      \"fix\": ");
		jcstr(b, pi->fix);
		buf_adds(b, "}");
	}
	buf_adds(b, r->nproblems ? "\n  ],\n" : "],\n");

	buf_adds(b, "  \"scanners\": [");
	for (size_t i = 0; i < r->nscanners; i++) {
		const struct source_row *s = &r->scanners[i];
		buf_adds(b, i ? ",\n    {\"address\": " : "\n    {\"address\": ");
		jstr(b, s->addr, s->addr_len);
		buf_printf(b, ", \"calls\": %" PRIu64 ", \"unanswered_challenges\": %" PRIu64
			   ", \"scanner_user_agent_calls\": %" PRIu64 ", \"accepted_after_challenge\": %"
			   PRIu64 ", \"answered_invites\": %" PRIu64 ", \"user_agent\": ",
			   s->calls, s->unanswered, s->scanner_ua, s->accepted, s->answered);
		if (s->ua)
			jstr(b, s->ua, s->ua_len);
		else
			buf_adds(b, "null");
		buf_adds(b, "}");
	}
	buf_adds(b, r->nscanners ? "\n  ],\n" : "],\n");
	buf_printf(b, "  \"scanner_sources\": {\"keys\": %" PRIu64 ", \"unlisted\": %" PRIu64 "},\n",
		   r->source_keys, r->source_unlisted);

	/* the options are checked when parsed (never NaN), so these stay numbers */
	buf_adds(b, "  \"options\": {\"call_timeout_s\": ");
	jdouble(b, "%.10g", r->call_timeout_s);
	buf_adds(b, ", \"session_timeout_s\": ");
	jdouble(b, "%.10g", r->session_timeout_s);
	buf_adds(b, ", \"slow_setup_s\": ");
	jdouble(b, "%.10g", r->slow_setup_s);
	buf_printf(b, ", \"scanner_threshold\": %u, \"examples\": %u, \"max_calls\": %" PRIu64 "},\n",
		   r->scanner_threshold, r->examples, r->max_calls);

	buf_adds(b, "  \"rules\": [");
	for (int i = 0; i < r->nrules; i++) {
		const struct rule_result *rr = &r->rules[i];
		buf_adds(b, i ? ", {\"rule\": " : "{\"rule\": ");
		jcstr(b, rr->text);
		/* NaN: the figure is undefined (no attempts, no usable baseline) */
		buf_adds(b, ", \"value\": ");
		/* 4 decimals, more rather than read 0 or 100 without being that (fmt_ratio) */
		if (isfinite(rr->value))
			fmt_percent_value(b, rr->value, 0);
		else
			buf_adds(b, "null");
		buf_printf(b, ", \"fired\": %s}", rr->fired ? "true" : "false");
	}
	buf_printf(b, "], \"rules_fired\": %d,\n", r->rules_fired);
	jbaseline(b, r->baseline);
	jhistory(b, r->history);
	buf_adds(b, "  \"run\": {\"version\": ");
	jcstr(b, r->run.version);
	buf_printf(b, ", \"threads\": %u, \"elapsed_s\": ", r->run.threads);
	jdouble(b, "%.3f", r->run.elapsed_s);
	buf_printf(b, ", \"bytes\": %" PRIu64 ", \"mb_per_s\": ", r->run.bytes);
	jdouble(b, "%.1f", r->run.mb_per_s);
	if (r->history)
		buf_printf(b, ", \"history\": {\"night_runs\": %u, \"bytes_read\": %" PRIu64
			   ", \"bytes_skipped\": %" PRIu64 "}", r->history->night_runs,
			   r->history->bytes_read, r->history->bytes_skipped);
	buf_adds(b, "}\n}\n");
}
