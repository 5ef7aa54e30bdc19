/*
 * render_prom.c - the report model as Prometheus text exposition format 0.0.4, for the
 * node_exporter textfile collector (README "Prometheus and CSV").
 *
 * Where in the flow: report model -> bytes, like render_json.c; nothing is counted here.
 *
 * Invariants:
 *  - Names follow the Prometheus conventions: siplogscan_ prefix, snake_case, base units
 *    (seconds, bytes), _total on counters of events found in the scanned logs, _ratio on
 *    0..1 ratios. Each family gets one # HELP and one # TYPE line before its samples, and a
 *    family with no sample to give is left out whole.
 *  - Unknown is absent, never 0: a delay without timestamps, a KPI whose denominator is 0,
 *    the ACD without a completed session, event times of a log without times.
 *  - Label values are our own words (methods, codes, pattern ids, KPI names, the version);
 *    no string from a log becomes a label. They are still escaped as the format says
 *    (backslash, double quote, newline), and HELP text too (backslash, newline).
 *  - Families, and the series within each, come in a fixed order; numbers are formatted from
 *    integers, so the output is byte-for-byte reproducible apart from the run families at
 *    the end. No timestamps on samples: the textfile collector refuses them.
 */
#include "render.h"
#include "figures.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* A metric family being written: its header goes out with its first sample. */
struct family {
	struct buf *b;
	const char *name;
	const char *type;	/* "counter" or "gauge" */
	const char *help;
	int started;
};

/* HELP text: '\\' and newline escaped (exposition format 0.0.4). */
static void esc_help(struct buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			buf_adds(b, "\\\\");
		else if (*s == '\n')
			buf_adds(b, "\\n");
		else
			buf_addc(b, *s);
	}
}

/* A label value: '\\', '"' and newline escaped (exposition format 0.0.4). */
static void esc_label(struct buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			buf_adds(b, "\\\\");
		else if (*s == '"')
			buf_adds(b, "\\\"");
		else if (*s == '\n')
			buf_adds(b, "\\n");
		else
			buf_addc(b, *s);
	}
}

static void fam_init(struct family *f, struct buf *b, const char *name, const char *type,
		     const char *help)
{
	*f = (struct family){ b, name, type, help, 0 };
}

/*
 * Start a sample line: the header on the family's first sample, then the name and up to two
 * labels (l2 may be NULL; l1 too, for a sample without labels). The caller writes the value.
 */
static void sample_start_as(struct family *f, const char *suffix, const char *l1, const char *v1,
			    const char *l2, const char *v2)
{
	struct buf *b = f->b;

	if (!f->started) {
		buf_printf(b, "# HELP %s ", f->name);
		esc_help(b, f->help);
		buf_printf(b, "\n# TYPE %s %s\n", f->name, f->type);
		f->started = 1;
	}
	buf_adds(b, f->name);
	buf_adds(b, suffix);
	if (l1) {
		buf_printf(b, "{%s=\"", l1);
		esc_label(b, v1);
		buf_addc(b, '"');
		if (l2) {
			buf_printf(b, ",%s=\"", l2);
			esc_label(b, v2);
			buf_addc(b, '"');
		}
		buf_addc(b, '}');
	}
	buf_addc(b, ' ');
}

static void sample_start(struct family *f, const char *l1, const char *v1, const char *l2,
			 const char *v2)
{
	sample_start_as(f, "", l1, v1, l2, v2);
}

static void put_u64(struct family *f, const char *l1, const char *v1, const char *l2,
		    const char *v2, uint64_t v)
{
	sample_start(f, l1, v1, l2, v2);
	buf_printf(f->b, "%" PRIu64 "\n", v);
}

/* whole + frac / 10^digits, trailing zeros of the fraction dropped: "1", "0.25", "12.0005" */
static void put_fixed(struct buf *b, int neg, uint64_t whole, uint64_t frac, int digits)
{
	char t[24];
	int n = digits;

	buf_printf(b, "%s%" PRIu64, neg ? "-" : "", whole);
	for (int i = digits - 1; i >= 0; i--) {
		t[i] = (char)('0' + frac % 10);
		frac /= 10;
	}
	while (n > 0 && t[n - 1] == '0')
		n--;
	if (n) {
		buf_addc(b, '.');
		buf_add(b, t, (size_t)n);
	}
}

/* Microseconds as seconds, exactly ("1.5056", "0.000012"). */
static void put_seconds(struct family *f, const char *l1, const char *v1, const char *l2,
			const char *v2, int64_t us)
{
	uint64_t a = us < 0 ? (uint64_t)0 - (uint64_t)us : (uint64_t)us;

	sample_start(f, l1, v1, l2, v2);
	put_fixed(f->b, us < 0, a / 1000000, a % 1000000, 6);
	buf_addc(f->b, '\n');
}

/* num / den (den > 0) as every format writes a ratio (fmt_ratio, src/figures.c): 0..1, up
 * to 9 decimals, more when it would read 0 or 1 without being that. */
static void put_ratio(struct family *f, const char *l1, const char *v1, uint64_t num, uint64_t den)
{
	sample_start(f, l1, v1, NULL, NULL);
	fmt_ratio(f->b, num, den, RATIO_PROM);
	buf_addc(f->b, '\n');
}

/* A summary: the known percentiles of d as quantile series ("1" is the maximum, as Go's
 * runtime metrics write it), then _sum and _count; nothing when the delays are unknown. */
static void put_delays(struct family *f, const char *l1, const char *v1, const struct delays *d)
{
	static const char *const q[] = { "0.5", "0.9", "0.99", "1" };
	const int64_t v[] = { d->p50, d->p90, d->p99, d->max };

	if (!d->known || !d->n)
		return;
	for (int i = 0; i < 4; i++) {
		if (v[i] < 0)
			continue;
		if (l1)
			put_seconds(f, l1, v1, "quantile", q[i], v[i]);
		else
			put_seconds(f, "quantile", q[i], NULL, NULL, v[i]);
	}
	sample_start_as(f, "_sum", l1, v1, NULL, NULL);
	put_fixed(f->b, 0, (uint64_t)d->sum / 1000000, (uint64_t)d->sum % 1000000, 6);
	buf_addc(f->b, '\n');
	sample_start_as(f, "_count", l1, v1, NULL, NULL);
	buf_printf(f->b, "%" PRIu64 "\n", d->n);
}

static void auth_family(struct buf *b, const char *name, const char *help, uint64_t proxy,
			uint64_t www)
{
	struct family f;

	fam_init(&f, b, name, "counter", help);
	put_u64(&f, "kind", "proxy", NULL, NULL, proxy);
	put_u64(&f, "kind", "www", NULL, NULL, www);
}

static void input_families(struct buf *b, const struct report *r)
{
	struct family f;
	uint64_t n[FILE_UNRECOGNISED + 1] = {0}, bytes = 0, cut = 0, limited = 0;

	for (size_t i = 0; i < r->nfiles; i++) {
		n[r->files[i].status]++;
		bytes += r->files[i].bytes;
		cut += r->files[i].lines_cut;
		limited += r->files[i].match_limited;
	}
	fam_init(&f, b, "siplogscan_input_files", "gauge",
		 "Input files of the run, by status (error: could not be read or was damaged; "
		 "duplicate: the same file as another input, scanned once; unrecognised: no SIP "
		 "record recognised in it).");
	for (int st = FILE_OK; st <= FILE_UNRECOGNISED; st++)
		put_u64(&f, "status", file_status_name((enum file_status)st), NULL, NULL, n[st]);
	fam_init(&f, b, "siplogscan_input_lines_cut_total", "counter",
		 "Lines longer than the line limit (1 MiB): cut, not read.");
	put_u64(&f, NULL, NULL, NULL, NULL, cut);
	fam_init(&f, b, "siplogscan_input_match_limited_total", "counter",
		 "Records a pattern-matching limit stopped: not read, or read in part.");
	put_u64(&f, NULL, NULL, NULL, NULL, limited);
	fam_init(&f, b, "siplogscan_input_bytes_total", "counter",
		 "Bytes scanned, uncompressed.");
	put_u64(&f, NULL, NULL, NULL, NULL, bytes);
	if (r->have_times) {
		fam_init(&f, b, "siplogscan_first_event_timestamp_seconds", "gauge",
			 "Time of the first SIP message scanned, seconds since the epoch (UTC).");
		put_seconds(&f, NULL, NULL, NULL, NULL, r->first_time);
		fam_init(&f, b, "siplogscan_last_event_timestamp_seconds", "gauge",
			 "Time of the last SIP message scanned, seconds since the epoch (UTC).");
		put_seconds(&f, NULL, NULL, NULL, NULL, r->last_time);
	}
}

static void totals_families(struct buf *b, const struct report *r)
{
	struct family f;
	char code[16];

	fam_init(&f, b, "siplogscan_records_total", "counter", "SIP messages recognised.");
	put_u64(&f, NULL, NULL, NULL, NULL, r->records);
	/* every method, zeros too: a series should not come and go with the traffic */
	fam_init(&f, b, "siplogscan_requests_total", "counter",
		 "SIP requests by method (OTHER: a method siplogscan does not name).");
	for (int m = METHOD_INVITE; m < METHOD_COUNT; m++)
		put_u64(&f, "method", sip_method_name((enum sip_method)m), NULL, NULL,
			r->requests[m]);
	fam_init(&f, b, "siplogscan_responses_total", "counter",
		 "SIP responses by status code (codes seen).");
	for (int c = 100; c < REPORT_CODES; c++) {
		if (!r->responses[c])
			continue;
		snprintf(code, sizeof(code), "%d", c);
		put_u64(&f, "code", code, NULL, NULL, r->responses[c]);
	}
	if (r->not_in_log & GIVES_FINALS)
		return;		/* no calls in such a log (report.h GIVES_*) */
	fam_init(&f, b, "siplogscan_calls_total", "counter",
		 "Calls: distinct Call-IDs with a method that can start a call.");
	put_u64(&f, NULL, NULL, NULL, NULL, r->calls_total);
	fam_init(&f, b, "siplogscan_calls_in_flight_peak", "gauge",
		 "Most call records held in memory at once.");
	put_u64(&f, NULL, NULL, NULL, NULL, r->calls_peak);
	fam_init(&f, b, "siplogscan_calls_settled_early_total", "counter",
		 "Calls settled before they were idle because --max-calls calls were in flight "
		 "(the least recently active first).");
	put_u64(&f, NULL, NULL, NULL, NULL, r->calls_settled_early);
}

static void trying_families(struct buf *b, const struct report *r)
{
	struct family f;
	char code[16];

	fam_init(&f, b, "siplogscan_trying_total", "counter",
		 "INVITE calls whose first INVITE transaction received 100 Trying.");
	put_u64(&f, NULL, NULL, NULL, NULL, r->trying);
	fam_init(&f, b, "siplogscan_stuck_total", "counter",
		 "INVITE calls with 100 Trying and no final response for that CSeq.");
	put_u64(&f, NULL, NULL, NULL, NULL, r->stuck);
	fam_init(&f, b, "siplogscan_trying_final_total", "counter",
		 "First final response after 100 Trying, by status code.");
	for (int c = 100; c < REPORT_CODES; c++) {
		if (!r->by_final[c])
			continue;
		snprintf(code, sizeof(code), "%d", c);
		put_u64(&f, "code", code, NULL, NULL, r->by_final[c]);
	}
	fam_init(&f, b, "siplogscan_trying_final_delay_seconds", "summary",
		 "Delay from 100 Trying to the final response, by quantile (1: the maximum); "
		 "absent without timestamps.");
	put_delays(&f, NULL, NULL, &r->trying_delay);
}

static void auth_families(struct buf *b, const struct report *r)
{
	struct family f;

	auth_family(b, "siplogscan_auth_challenged_total",
		    "Calls challenged, by kind (proxy: 407, www: 401).", r->proxy_auth.challenged,
		    r->www_auth.challenged);
	auth_family(b, "siplogscan_auth_retried_total",
		    "Challenged calls retried with credentials, by kind.", r->proxy_auth.retried,
		    r->www_auth.retried);
	auth_family(b, "siplogscan_auth_accepted_total",
		    "Challenged calls whose last retry was not challenged again, by kind.",
		    r->proxy_auth.accepted, r->www_auth.accepted);
	auth_family(b, "siplogscan_auth_rechallenged_total",
		    "Challenged calls whose last retry was challenged again (credentials "
		    "rejected), by kind.", r->proxy_auth.rechallenged, r->www_auth.rechallenged);
	auth_family(b, "siplogscan_auth_not_retried_total",
		    "Challenged calls never retried, by kind.", r->proxy_auth.not_retried,
		    r->www_auth.not_retried);
	fam_init(&f, b, "siplogscan_auth_retry_delay_seconds", "summary",
		 "Delay from the challenge to the retry, by kind and quantile (1: the maximum); "
		 "absent without timestamps.");
	put_delays(&f, "kind", "proxy", &r->proxy_auth.retry_delay);
	put_delays(&f, "kind", "www", &r->www_auth.retry_delay);
}

/* Authentication records (Asterisk security log), by result; sources flagged as scanners. */
static void auth_results_families(struct buf *b, const struct report *r)
{
	static const char *const names[AUTH_RES_COUNT] = {
		[AUTH_RES_CHALLENGE] = "challenge", [AUTH_RES_OK] = "accepted",
		[AUTH_RES_FAILED] = "failed", [AUTH_RES_UNKNOWN] = "unknown_account",
		[AUTH_RES_DENIED] = "denied",
	};
	struct family f;

	fam_init(&f, b, "siplogscan_auth_results_total", "counter",
		 "Authentication records of a security log, by result.");
	for (int k = 1; k < AUTH_RES_COUNT; k++)
		put_u64(&f, "result", names[k], NULL, NULL, r->auth.n[k]);
	fam_init(&f, b, "siplogscan_auth_scanner_sources", "gauge",
		 "Sources with --scanner-threshold or more failed authentications.");
	put_u64(&f, NULL, NULL, NULL, NULL, r->auth.scanners);
}

static void kpi_families(struct buf *b, const struct report *r)
{
	const struct kpis *k = &r->kpi;
	int req = !(r->not_in_log & GIVES_REQUESTS);
	struct family f;

	fam_init(&f, b, "siplogscan_kpi_attempts_total", "counter",
		 "KPI attempts: calls with an INVITE, or with a REGISTER request.");
	put_u64(&f, "method", "INVITE", NULL, NULL, k->invite_attempts);
	put_u64(&f, "method", "REGISTER", NULL, NULL, k->register_attempts);
	if (req) {
		fam_init(&f, b, "siplogscan_kpi_no_final_total", "counter",
			 "INVITE attempts without any final response.");
		put_u64(&f, NULL, NULL, NULL, NULL, k->no_final);
	}
	/* the KPI ratios of the table of figures, in its order; HELP names them from it too */
	struct buf help = {0};
	buf_adds(&help, "Telephony KPIs as ratios 0..1 (");
	for (size_t i = 0, n = 0; i < nfigures; i++)
		if (figures[i].show & FIG_KPI)
			buf_printf(&help, "%s%s", n++ ? " " : "", figures[i].abbr);
	buf_adds(&help, " of RFC 6076 and ITU-T E.411; docs/metrics.md); absent when the "
		 "denominator is 0.");
	fam_init(&f, b, "siplogscan_kpi_ratio", "gauge", buf_cstr(&help));
	for (size_t i = 0; i < nfigures; i++) {
		struct figure_value v;
		if (!(figures[i].show & FIG_KPI))
			continue;
		figure_value(&figures[i], r, &v);
		if (v.known)
			put_ratio(&f, "kpi", figures[i].key, v.num, v.den);
	}
	buf_free(&help);	/* written with the family's first sample, if any */
	if (!req)
		return;
	fam_init(&f, b, "siplogscan_kpi_delay_seconds", "summary",
		 "RFC 6076 Session Request Delay (srd) and Registration Request Delay (rrd), by "
		 "quantile (1: the maximum); absent without timestamps.");
	put_delays(&f, "kpi", "srd", &k->srd);
	put_delays(&f, "kpi", "rrd", &k->rrd);
	fam_init(&f, b, "siplogscan_session_duration_seconds", "summary",
		 "Duration of completed sessions (2xx answer to BYE), by quantile (1: the "
		 "maximum); absent without timestamps.");
	put_delays(&f, NULL, NULL, &k->duration);
	fam_init(&f, b, "siplogscan_acd_seconds", "gauge",
		 "Average call duration of completed sessions; absent when none completed.");
	if (k->acd_us >= 0)
		put_seconds(&f, NULL, NULL, NULL, NULL, k->acd_us);
}

static void problem_families(struct buf *b, const struct report *r)
{
	struct family f;

	/* every pattern the log can show, in table order, 0 when it was not found: alerts need
	 * the zeros; one it cannot show is absent (report.h GIVES_*) */
	fam_init(&f, b, "siplogscan_problem_calls", "gauge",
		 "Calls matching each problem pattern (auth-scanner: calls from flagged sources; "
		 "auth-break-in, auth-guessing: flagged sources, auth-spread-guessing: accounts, "
		 "of an authentication log); siplogscan explain ID tells what to do.");
	for (int pid = 0; pid < PAT_COUNT; pid++) {
		const struct pattern_info *pi = knowledge_pattern((enum pattern_id)pid);
		uint64_t n = 0;
		if (!report_pattern_given(r, (enum pattern_id)pid))
			continue;
		for (size_t i = 0; i < r->nproblems; i++)
			if (r->problems[i].pid == (enum pattern_id)pid)
				n = r->problems[i].count;
		put_u64(&f, "id", pi->id, "severity", knowledge_severity_name(pi->severity), n);
	}
}

/* What the bounded tables left out, every table, 0 included (alerts need the zeros). */
static void limits_families(struct buf *b, const struct report *r)
{
	struct family f;

	fam_init(&f, b, "siplogscan_unlisted_total", "counter",
		 "What bounded tables left out to keep memory bounded: calls of source addresses "
		 "evicted from the auth-scanner table (table scanner_sources), attempts of keys "
		 "evicted from a breakdown or of hours evicted from the timeline (the others).");
	put_u64(&f, "table", "scanner_sources", NULL, NULL, r->source_unlisted);
	put_u64(&f, "table", "by_source", NULL, NULL, r->by_source.unlisted);
	put_u64(&f, "table", "by_user_agent", NULL, NULL, r->by_ua.unlisted);
	put_u64(&f, "table", "by_destination", NULL, NULL, r->by_dest.unlisted);
	put_u64(&f, "table", "timeline", NULL, NULL, r->timeline_unlisted);
}

void render_prom(struct buf *b, const struct report *r)
{
	struct family f;

	input_families(b, r);
	totals_families(b, r);
	/* a family the log cannot give is absent, as an unknown figure is (report.h GIVES_*) */
	if (!(r->not_in_log & GIVES_PROVISIONAL))
		trying_families(b, r);
	if (!(r->not_in_log & GIVES_CHALLENGES))
		auth_families(b, r);
	if (!(r->not_in_log & GIVES_FINALS))
		kpi_families(b, r);
	if (r->auth_log)
		auth_results_families(b, r);
	problem_families(b, r);
	limits_families(b, r);

	/* the run itself: not deterministic */
	fam_init(&f, b, "siplogscan_run_duration_seconds", "gauge",
		 "Wall-clock time the run took.");
	double el = r->run.elapsed_s;	/* NaN and negatives (clock steps) as 0 */
	put_seconds(&f, NULL, NULL, NULL, NULL,
		    el > 0 && el < 1e12 ? (int64_t)(el * 1e6 + 0.5) : 0);
	if (r->run.version) {
		fam_init(&f, b, "siplogscan_build_info", "gauge",
			 "Always 1; the version of siplogscan that wrote this file.");
		sample_start(&f, "version", r->run.version, NULL, NULL);
		buf_adds(b, "1\n");
	}
}
