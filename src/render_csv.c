/*
 * render_csv.c - the report's summary tables as one CSV stream (--format csv), documented in
 * docs/csv.md.
 *
 * Where in the flow: report model -> bytes, like render_json.c; nothing is counted here.
 *
 * Layout: "long" form, one figure per row, four columns under one header line:
 *   table,key,field,value
 * "table" names the table (report: the title; totals, totals_requests, totals_responses,
 * trying_to_final, setup, auth, kpi, auth_results, auth_by_source, auth_by_account
 * (authentication logs only), timeline, breakdowns, by_source, by_user_agent, by_destination,
 * by_next_hop, limits, problems, problem_hours, problem_examples, files, baseline_file,
 * baseline, history, trend), "key" the row within it (a method, a
 * code, a pattern id, a file number), "field" the figure and "value" the figure itself. A
 * spreadsheet filters on the first column or pivots on key x field; every table has the same
 * shape.
 *
 * Invariants:
 *  - RFC 4180: CRLF line ends, every field through esc_csv() - quoted, '"' doubled, and a
 *    leading = + - @ TAB or CR defused with an apostrophe (formula injection). Call-IDs,
 *    file paths and error messages are attacker-controlled; so, in principle, is everything.
 *  - Unknown is an empty value, never 0 (a delay without timestamps, a ratio of nothing, a
 *    figure the log's format cannot give: report.h GIVES_*);
 *    the row is still there, so each table has the same rows whatever the log held.
 *  - Rows come in a fixed order (methods, codes ascending, problems as ranked, files as
 *    given); numbers are formatted from integers. The output depends only on the model
 *    outside its run section, which is not written.
 */
#include "render.h"
#include "baseline.h"
#include "escape.h"
#include "figures.h"
#include "timeparse.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* One row: four fields, the last (value) given with its length. */
/*
 * Every row goes through here. key is kn bytes (from a log it may hold any byte). A value
 * that siplogscan computed as a negative number (a change since the baseline, "-75") is
 * written without the formula guard, so that a spreadsheet reads it as that number;
 * everything else goes through esc_csv().
 */
static void put_row(struct buf *b, const char *table, const char *key, size_t kn,
		    const char *field, const char *v, size_t vn, int our_number)
{
	esc_csv(b, table, strlen(table));
	buf_addc(b, ',');
	esc_csv(b, key, kn);
	buf_addc(b, ',');
	esc_csv(b, field, strlen(field));
	buf_addc(b, ',');
	if (our_number && v && vn > 1 && v[0] == '-' && v[1] >= '0' && v[1] <= '9' &&
	    strspn(v + 1, "0123456789.") == vn - 1)
		buf_printf(b, "\"%.*s\"", (int)vn, v);
	else
		esc_csv(b, v ? v : "", v ? vn : 0);
	buf_adds(b, "\r\n");
}

/* One row: four fields, the last (value) given with its length. */
static void row(struct buf *b, const char *table, const char *key, const char *field,
		const char *v, size_t vn)
{
	put_row(b, table, key, strlen(key), field, v, vn, 0);
}

static void srow(struct buf *b, const char *table, const char *key, const char *field,
		 const char *v)
{
	row(b, table, key, field, v, v ? strlen(v) : 0);
}

static void urow(struct buf *b, const char *table, const char *key, const char *field,
		 uint64_t v)
{
	char t[24];

	snprintf(t, sizeof(t), "%" PRIu64, v);
	srow(b, table, key, field, t);
}

/* Microseconds as milliseconds with 3 decimals; empty when negative (unknown). */
static void msrow(struct buf *b, const char *table, const char *key, const char *field,
		  int64_t us, int known)
{
	char t[32] = "";

	if (known && us >= 0)
		snprintf(t, sizeof(t), "%" PRId64 ".%03" PRId64, us / 1000, us % 1000);
	srow(b, table, key, field, t);
}

static void timerow(struct buf *b, const char *table, const char *key, const char *field,
		    int64_t t)
{
	char tmp[40];

	srow(b, table, key, field, t == TIME_UNKNOWN ? "" : time_format(t, tmp));
}

/* p50_ms, p90_ms, p99_ms, max_ms (empty when unknown) and n, each field name after prefix. */
/* A count, or empty when the log cannot give it (report.h GIVES_*): not in the log is not 0. */
static void grow(struct buf *b, const char *table, const char *key, const char *field,
		 int given, uint64_t v)
{
	if (given)
		urow(b, table, key, field, v);
	else
		srow(b, table, key, field, "");
}

/* The delay rows; all empty when the log cannot give them (given 0). */
static void gdelay_rows(struct buf *b, const char *table, const char *key, const char *prefix,
			int given, const struct delays *d)
{
	static const char *const names[] = { "p50_ms", "p90_ms", "p99_ms", "max_ms" };
	const int64_t v[] = { d->p50, d->p90, d->p99, d->max };
	char field[48];

	for (int i = 0; i < 4; i++) {
		snprintf(field, sizeof(field), "%s%s", prefix, names[i]);
		msrow(b, table, key, field, v[i], given && d->known);
	}
	snprintf(field, sizeof(field), "%sn", prefix);
	grow(b, table, key, field, given, d->n);
}

/* A ratio as every format writes it (fmt_ratio, src/figures.c); empty when den is 0. */
static void ratio_row(struct buf *b, const char *table, const char *key, const char *field,
		      uint64_t num, uint64_t den, enum ratio_form form)
{
	struct buf t = {0};

	fmt_ratio(&t, num, den, form);
	row(b, table, key, field, t.p ? t.p : "", t.len);
	buf_free(&t);
}

static void totals_tables(struct buf *b, const struct report *r)
{
	char code[16];

	urow(b, "totals", "records", "count", r->records);
	int calls = !(r->not_in_log & GIVES_FINALS);
	grow(b, "totals", "calls", "total", calls, r->calls_total);
	grow(b, "totals", "registrations", "total", calls, r->calls_register);
	grow(b, "totals", "options_pings", "total", calls, r->calls_options);
	grow(b, "totals", "other_transactions", "total", calls, r->calls_other);
	grow(b, "totals", "call_ids", "total", calls, r->callids_total);
	grow(b, "totals", "call_ids", "settled_idle", calls, r->calls_evicted_idle);
	grow(b, "totals", "call_ids", "settled_early", calls, r->calls_settled_early);
	grow(b, "totals", "call_ids", "open_at_end", calls, r->calls_open_at_end);
	grow(b, "totals", "call_ids", "peak_in_flight", calls, r->calls_peak);
	timerow(b, "totals", "time", "first", r->have_times ? r->first_time : TIME_UNKNOWN);
	timerow(b, "totals", "time", "last", r->have_times ? r->last_time : TIME_UNKNOWN);
	/* times here are UTC; the zone is the one zoneless stamps were read in (--tz) */
	srow(b, "totals", "time", "timezone", r->timezone ? r->timezone : "UTC");

	for (int m = METHOD_INVITE; m < METHOD_COUNT; m++)
		if (r->requests[m])
			urow(b, "totals_requests", sip_method_name((enum sip_method)m), "count",
			     r->requests[m]);
	for (int c = 100; c < REPORT_CODES; c++) {
		if (!r->responses[c])
			continue;
		const struct code_info *ci = knowledge_code(c);
		snprintf(code, sizeof(code), "%d", c);
		urow(b, "totals_responses", code, "count", r->responses[c]);
		srow(b, "totals_responses", code, "reason", ci ? ci->reason : "");
	}
}

static void trying_table(struct buf *b, const struct report *r)
{
	char code[16];
	int given = !(r->not_in_log & GIVES_PROVISIONAL);

	grow(b, "trying_to_final", "trying", "count", given, r->trying);
	grow(b, "trying_to_final", "stuck", "count", given, r->stuck);
	for (int c = 100; c < REPORT_CODES; c++) {
		if (!r->by_final[c])
			continue;
		snprintf(code, sizeof(code), "%d", c);
		urow(b, "trying_to_final", code, "final_count", r->by_final[c]);
	}
	gdelay_rows(b, "trying_to_final", "delay", "", given, &r->trying_delay);
}

/* Post-dial delay and ring time: they need the INVITE's time and the 18x. */
static void setup_table(struct buf *b, const struct report *r)
{
	int given = !(r->not_in_log & (GIVES_REQUESTS | GIVES_PROVISIONAL));

	gdelay_rows(b, "setup", "pdd", "", given, &r->pdd);
	gdelay_rows(b, "setup", "ring", "", given, &r->ring_time);
	if (!given)
		return;
	/* the slow-setup problem's calls by outcome: key slow_by_outcome, field the code
	 * ("none": no final response) */
	for (int c = 0; c < REPORT_CODES; c++) {
		char code[16];
		if (!r->slow_by_outcome[c])
			continue;
		snprintf(code, sizeof(code), "%d", c);
		urow(b, "setup", "slow_by_outcome", c ? code : "none", r->slow_by_outcome[c]);
	}
}

static void auth_table(struct buf *b, const char *kind, const struct auth_report *a, int given)
{
	grow(b, "auth", kind, "challenged", given, a->challenged);
	grow(b, "auth", kind, "retried", given, a->retried);
	grow(b, "auth", kind, "accepted", given, a->accepted);
	grow(b, "auth", kind, "rechallenged", given, a->rechallenged);
	grow(b, "auth", kind, "not_retried", given, a->not_retried);
	gdelay_rows(b, "auth", kind, "retry_delay_", given, &a->retry_delay);
}

static void kpi_table(struct buf *b, const struct report *r)
{
	const struct kpis *k = &r->kpi;
	int req = !(r->not_in_log & GIVES_REQUESTS), fin = !(r->not_in_log & GIVES_FINALS);

	grow(b, "kpi", "invite_attempts", "count", fin, k->invite_attempts);
	grow(b, "kpi", "register_attempts", "count", fin, k->register_attempts);
	grow(b, "kpi", "no_final", "count", req, k->no_final);
	/* the KPI ratios of the table of figures, in its order */
	for (size_t i = 0; i < nfigures; i++) {
		const struct figure *f = &figures[i];
		struct figure_value v;
		if (!(f->show & FIG_KPI))
			continue;
		figure_value(f, r, &v);
		ratio_row(b, "kpi", f->key, "percent", v.num, v.den, RATIO_PERCENT);
		grow(b, "kpi", f->key, "num", fin, v.num);
		grow(b, "kpi", f->key, "den", fin, v.den);
	}
	gdelay_rows(b, "kpi", "srd", "", req, &k->srd);
	gdelay_rows(b, "kpi", "rrd", "", req, &k->rrd);
	gdelay_rows(b, "kpi", "session", "", req, &k->duration);
	msrow(b, "kpi", "acd", "ms", k->acd_us, req);
}

/* A count in a row whose key came from a log: raw bytes with a length (NULs included). */
static void keyrow(struct buf *b, const char *table, const char *key, size_t kn,
		   const char *field, uint64_t v)
{
	char t[24];
	int n = snprintf(t, sizeof(t), "%" PRIu64, v);

	put_row(b, table, key, kn, field, t, (size_t)n, 0);
}

static void timeline_table(struct buf *b, const struct report *r)
{
	char key[40];

	for (size_t i = 0; i < r->ntimeline; i++) {
		const struct timeline_row *t = &r->timeline[i];
		time_format(t->hour, key);
		urow(b, "timeline", key, "calls", t->calls);
		urow(b, "timeline", key, "answered", t->answered);
		urow(b, "timeline", key, "failed", t->failed);
		urow(b, "timeline", key, "registrations", t->registrations);
		urow(b, "timeline", key, "options", t->options);
		urow(b, "timeline", key, "other", t->other);
		urow(b, "timeline", key, "challenged", t->challenged);
		urow(b, "timeline", key, "auth_failed", t->auth_failed);
		for (int c = 0; c < t->ncodes; c++) {
			char field[24];
			if (t->codes[c])
				snprintf(field, sizeof(field), "failed_%d", t->codes[c]);
			else
				snprintf(field, sizeof(field), "failed_none");
			urow(b, "timeline", key, field, t->code_n[c]);
		}
	}
}

/* Authentication records (Asterisk security log): totals, then the rows by source and by
 * account; only for such logs. */
static void auth_results_tables(struct buf *b, const struct report *r)
{
	static const char *const names[AUTH_RES_COUNT] = {
		[AUTH_RES_CHALLENGE] = "challenges", [AUTH_RES_OK] = "accepted",
		[AUTH_RES_FAILED] = "failed", [AUTH_RES_UNKNOWN] = "unknown_account",
		[AUTH_RES_DENIED] = "denied",
	};
	const struct auth_results *a = &r->auth;

	if (!r->auth_log)
		return;
	for (int k = 1; k < AUTH_RES_COUNT; k++)
		urow(b, "auth_results", "total", names[k], a->n[k]);
	urow(b, "auth_results", "total", "no_source", a->no_source);
	urow(b, "auth_results", "total", "scanners", a->scanners);
	const struct auth_table *t[2] = { &a->by_source, &a->by_account };
	const char *tn[2] = { "auth_by_source", "auth_by_account" };
	for (int i = 0; i < 2; i++)
		for (size_t j = 0; j < t[i]->n; j++) {
			const struct auth_row *x = &t[i]->rows[j];
			for (int k = 1; k < AUTH_RES_COUNT; k++)
				keyrow(b, tn[i], x->key, x->key_len, names[k], x->n[k]);
		}
}

static void breakdown_tables(struct buf *b, const struct report *r)
{
	static const char *const names[] = { "by_source", "by_user_agent", "by_destination" };
	const struct breakdown *d[] = { &r->by_source, &r->by_ua, &r->by_dest };

	for (int k = 0; k < 3; k++) {
		urow(b, "breakdowns", names[k], "keys", d[k]->keys);
		urow(b, "breakdowns", names[k], "rows", d[k]->n);
		urow(b, "breakdowns", names[k], "unlisted", d[k]->unlisted);
		urow(b, "breakdowns", names[k], "top", r->top);
	}
	for (int k = 0; k < 3; k++) {
		for (size_t i = 0; i < d[k]->n; i++) {
			const struct breakdown_row *w = &d[k]->rows[i];
			keyrow(b, names[k], w->key, w->key_len, "attempts", w->attempts);
			keyrow(b, names[k], w->key, w->key_len, "answered", w->answered);
			keyrow(b, names[k], w->key, w->key_len, "failed", w->failed);
			keyrow(b, names[k], w->key, w->key_len, "auth_failed", w->auth_failed);
			for (int c = 0; c < w->ncodes; c++) {
				char field[24];
				if (w->codes[c])
					snprintf(field, sizeof(field), "failed_%d", w->codes[c]);
				else
					snprintf(field, sizeof(field), "failed_none");
				keyrow(b, names[k], w->key, w->key_len, field, w->code_n[c]);
			}
		}
	}
}

/* Milliseconds in a row whose key came from a log; empty when unknown (negative). */
static void keymsrow(struct buf *b, const char *table, const char *key, size_t kn,
		     const char *field, int64_t us)
{
	char t[32] = "";
	int n = 0;

	if (us >= 0)
		n = snprintf(t, sizeof(t), "%" PRId64 ".%03" PRId64, us / 1000, us % 1000);
	put_row(b, table, key, kn, field, t, (size_t)n, 0);
}

/* Calls by next hop: its summary under "breakdowns" (empty when the log does not show the
 * sources of responses), then one group of rows per hop. */
static void hop_tables(struct buf *b, const struct report *r)
{
	const struct hop_table *h = &r->by_hop;

	grow(b, "breakdowns", "by_next_hop", "keys", h->shown, h->keys);
	grow(b, "breakdowns", "by_next_hop", "rows", h->shown, h->n);
	grow(b, "breakdowns", "by_next_hop", "unlisted", h->shown, h->unlisted);
	grow(b, "breakdowns", "by_next_hop", "no_hop", h->shown, h->no_hop);
	urow(b, "breakdowns", "by_next_hop", "top", r->top);
	for (size_t i = 0; i < h->n; i++) {
		const struct hop_row *w = &h->rows[i];
		keyrow(b, "by_next_hop", w->key, w->key_len, "attempts", w->attempts);
		keyrow(b, "by_next_hop", w->key, w->key_len, "answered", w->answered);
		keyrow(b, "by_next_hop", w->key, w->key_len, "stuck_after_100", w->stuck);
		keyrow(b, "by_next_hop", w->key, w->key_len, "timeout_408", w->timeout);
		keyrow(b, "by_next_hop", w->key, w->key_len, "server_5xx", w->server_err);
		keyrow(b, "by_next_hop", w->key, w->key_len, "slow_setups", w->slow);
		for (int c = 0; c < w->ncodes; c++) {
			char field[24];
			if (w->codes[c])
				snprintf(field, sizeof(field), "failed_%d", w->codes[c]);
			else
				snprintf(field, sizeof(field), "failed_none");
			keyrow(b, "by_next_hop", w->key, w->key_len, field, w->code_n[c]);
		}
		keymsrow(b, "by_next_hop", w->key, w->key_len, "srd_mean_ms",
			 w->srd_n ? w->srd_sum_us / (int64_t)w->srd_n : -1);
		keymsrow(b, "by_next_hop", w->key, w->key_len, "srd_max_ms", w->srd_max_us);
		keyrow(b, "by_next_hop", w->key, w->key_len, "srd_n", w->srd_n);
	}
}

/* --host-from / --host only (no rows otherwise): the table hosts, one key per host name */
static void hosts_table(struct buf *b, const struct report *r)
{
	if (!r->nhosts)
		return;
	urow(b, "hosts", "", "shared_call_ids", r->callids_shared);
	for (size_t i = 0; i < r->nhosts; i++) {
		const struct host_row *x = &r->hosts[i];
		const char *k = x->name;
		size_t kn = x->name_len;
		keyrow(b, "hosts", k, kn, "files", x->files);
		keyrow(b, "hosts", k, kn, "bytes", x->bytes);
		keyrow(b, "hosts", k, kn, "stored_bytes", x->stored_bytes);
		keyrow(b, "hosts", k, kn, "records", x->records);
		keyrow(b, "hosts", k, kn, "call_ids", x->callids);
		keyrow(b, "hosts", k, kn, "calls", x->calls);
		keyrow(b, "hosts", k, kn, "registrations", x->registrations);
		keyrow(b, "hosts", k, kn, "shared_call_ids", x->shared);
		keyrow(b, "hosts", k, kn, "answered", x->answered);
		keyrow(b, "hosts", k, kn, "failed", x->failed);
		keyrow(b, "hosts", k, kn, "stuck", x->stuck);
		keyrow(b, "hosts", k, kn, "not_retried", x->not_retried);
	}
}

/* The bounded tables without a table of their own here: the sources behind auth-scanner and
 * the per-hour table (the breakdowns say theirs under "breakdowns"). */
static void limits_table(struct buf *b, const struct report *r)
{
	urow(b, "limits", "scanner_sources", "keys", r->source_keys);
	urow(b, "limits", "scanner_sources", "unlisted", r->source_unlisted);
	urow(b, "limits", "timeline", "unlisted", r->timeline_unlisted);
}

static void problem_tables(struct buf *b, const struct report *r)
{
	char key[64];

	for (size_t i = 0; i < r->nproblems; i++) {
		const struct problem *p = &r->problems[i];
		const struct pattern_info *pi = knowledge_pattern(p->pid);
		srow(b, "problems", pi->id, "severity", knowledge_severity_name(p->severity));
		srow(b, "problems", pi->id, "title", pi->title);
		urow(b, "problems", pi->id, "count", p->count);
		urow(b, "problems", pi->id, "denominator", p->denominator);
		ratio_row(b, "problems", pi->id, "share", p->count, p->denominator, RATIO_SHARE);
		srow(b, "problems", pi->id, "of", pi->denominator);
		timerow(b, "problems", pi->id, "first_time", p->first_time);
		timerow(b, "problems", pi->id, "last_time", p->last_time);
		urow(b, "problems", pi->id, "hours", p->nhours);
		urow(b, "problems", pi->id, "hours_unlisted", p->hours_unlisted);
	}
	/* the hours each problem appeared in, keyed "id/hour": how many it counted in each */
	for (size_t i = 0; i < r->nproblems; i++) {
		const struct problem *p = &r->problems[i];
		for (size_t k = 0; k < p->nhours; k++) {
			char hour[40];
			snprintf(key, sizeof(key), "%s/%s", knowledge_pattern(p->pid)->id,
				 time_format(p->hours[k].hour, hour));
			urow(b, "problem_hours", key, "count", p->hours[k].count);
		}
	}
	/* examples keyed "id/rank", rank from 1: the calls of the pattern that start earliest
	 * (field call_id), or for the auth patterns the sources or accounts whose first record
	 * comes first (field source, account) */
	for (size_t i = 0; i < r->nproblems; i++) {
		const struct problem *p = &r->problems[i];
		const struct pattern_info *pi = knowledge_pattern(p->pid);
		for (size_t k = 0; k < p->nexamples; k++) {
			const struct example *e = &p->examples[k];
			snprintf(key, sizeof(key), "%s/%zu", pi->id, k + 1);
			row(b, "problem_examples", key, knowledge_example_key(pi->example),
			    e->call_id, e->call_id_len);
			srow(b, "problem_examples", key, "file",
			     e->file < r->nfiles ? r->files[e->file].path : "");
			urow(b, "problem_examples", key, "line", e->line);
		}
	}
}

static void files_table(struct buf *b, const struct report *r)
{
	char key[24];

	for (size_t i = 0; i < r->nfiles; i++) {
		const struct report_file *f = &r->files[i];
		snprintf(key, sizeof(key), "%zu", i + 1);
		srow(b, "files", key, "path", f->path);
		srow(b, "files", key, "format", f->format);
		srow(b, "files", key, "format_detected", f->format_auto ? "1" : "0");
		srow(b, "files", key, "gzip", f->gzip ? "1" : "0");
		urow(b, "files", key, "bytes", f->bytes);
		urow(b, "files", key, "stored_bytes", f->stored_bytes);
		urow(b, "files", key, "lines", f->lines);
		urow(b, "files", key, "records", f->records);
		urow(b, "files", key, "incomplete", f->incomplete);
		urow(b, "files", key, "lines_cut", f->lines_cut);
		urow(b, "files", key, "match_limited", f->match_limited);
		timerow(b, "files", key, "first_time", f->first_time);
		timerow(b, "files", key, "last_time", f->last_time);
		srow(b, "files", key, "status", file_status_name(f->status));
		srow(b, "files", key, "error", f->status == FILE_ERROR ? f->error : NULL);
		srow(b, "files", key, "note", f->note);
	}
}

static void baseline_tables(struct buf *b, const struct report *r)
{
	static const char *const st[] = { "ok", "missing", "error" };
	static const char *const parts[] = { "previous", "current", "change", "change_percent" };
	const struct baseline *bl = r->baseline;

	if (!bl)
		return;
	srow(b, "baseline_file", "1", "path", bl->path);
	srow(b, "baseline_file", "1", "status", st[bl->status]);
	srow(b, "baseline_file", "1", "error", bl->error);
	srow(b, "baseline_file", "1", "first_time", bl->first_time);
	srow(b, "baseline_file", "1", "last_time", bl->last_time);
	for (size_t i = 0; i < bl->nfig; i++) {
		const struct baseline_figure *g = &bl->fig[i];
		struct buf v = {0};
		srow(b, "baseline", g->id, "label", g->label);
		srow(b, "baseline", g->id, "unit", figure_unit_name(g->unit));
		for (int k = 0; k < 4; k++) {
			buf_reset(&v);
			fmt_figure_data(&v, g, (enum figure_part)k, "");
			put_row(b, "baseline", g->id, strlen(g->id), parts[k], buf_cstr(&v), v.len,
				1);
		}
		srow(b, "baseline", g->id, "trend", baseline_trend_name(g->trend));
		buf_free(&v);
	}
}

/* --history: the night and the trend of the nights kept (this run's bytes are the run's, which
 * the CSV report leaves out) */
static void history_tables(struct buf *b, const struct report *r)
{
	const struct report_history *hi = r->history;
	struct buf v = {0};

	if (!hi)
		return;
	srow(b, "history", "1", "night", hi->night);
	urow(b, "history", "1", "keep", hi->keep);
	for (size_t i = 0; i < hi->ntrend; i++)
		for (int k = 0; k < REPORT_TREND_FIGS; k++) {
			buf_reset(&v);
			fmt_trend_value(&v, &hi->trend[i].v[k], k, RATIO_PERCENT, "");
			srow(b, "trend", hi->trend[i].night, report_trend_keys[k], buf_cstr(&v));
		}
	buf_free(&v);
}

void render_csv(struct buf *b, const struct report *r)
{
	srow(b, "table", "key", "field", "value");	/* the header, as a row */
	srow(b, "report", "", "title", r->title ? r->title : "");
	totals_tables(b, r);
	hosts_table(b, r);
	trying_table(b, r);
	setup_table(b, r);
	auth_table(b, "proxy", &r->proxy_auth, !(r->not_in_log & GIVES_CHALLENGES));
	auth_table(b, "www", &r->www_auth, !(r->not_in_log & GIVES_CHALLENGES));
	kpi_table(b, r);
	timeline_table(b, r);
	auth_results_tables(b, r);
	breakdown_tables(b, r);
	hop_tables(b, r);
	limits_table(b, r);
	problem_tables(b, r);
	files_table(b, r);
	baseline_tables(b, r);
	history_tables(b, r);
}
