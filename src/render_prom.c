/*
 * render_prom.c - the report model as Prometheus text exposition format 0.0.4, for the
 * node_exporter textfile collector (README "Prometheus and CSV").
 *
 * Where in the flow: report model -> bytes, like render_json.c; nothing is counted here.
 *
 * Invariants:
 *  - Every figure describes the logs one run scanned (the live log, yesterday's window): it
 *    falls when logrotate starts a new file and is recomputed, not added to, by the next run.
 *    So every family is a gauge, none a counter (_total) or a summary (whose _sum and _count
 *    are counters): rate() over a figure that resets each run would invent traffic.
 *  - Names follow the Prometheus conventions: siplogscan_ prefix, snake_case, base units
 *    (seconds, bytes), _ratio on 0..1 ratios, plural nouns for counts (records, calls), no
 *    _total, _sum, _count or _bucket suffix and no quantile or le label (promtool check
 *    metrics lints them as a counter's, a summary's, a histogram's). A delay family is a
 *    gauge with stat="p50|p90|p99|max|mean", beside a gauge of how many delays were measured.
 *    Each family gets one # HELP and one # TYPE line before its samples, and a family with
 *    no sample to give is left out whole.
 *  - Unknown is absent, never 0: a delay without timestamps, a KPI whose denominator is 0,
 *    the ACD without a completed session, event times of a log without times.
 *  - Label values are our own words (methods, codes, pattern ids, KPI names, the version)
 *    and the operator's --label values; no string from a log becomes a label, so no family
 *    has a series per source, User-Agent or destination and none grows with the traffic.
 *    Values are still escaped as the format says (backslash, double quote, newline), and
 *    HELP text too (backslash, newline). The --label labels come last on every sample.
 *  - Families, and the series within each, come in a fixed order; numbers are formatted from
 *    integers, so the output is byte-for-byte reproducible apart from the run families at
 *    the end. No timestamps on samples: the textfile collector refuses them.
 */
#include "render.h"
#include "escape.h"
#include "figures.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The label names siplogscan itself writes, and those Prometheus gives a meaning to (quantile
 * of a summary, le of a histogram): a --label may not take them (prom_label_check).
 */
static const char *const own_labels[] = {
	"status", "method", "code", "kind", "result", "kpi", "stat", "id", "severity", "table",
	"version", "quantile", "le", NULL
};

/* A metric family being written: its header goes out with its first sample. */
struct family {
	struct buf *b;
	const struct report *r;	/* for the --label labels */
	const char *name;
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

/* Every family is a gauge (see the top of the file): the type is not a parameter. */
static void fam_init(struct family *f, struct buf *b, const struct report *r, const char *name,
		     const char *help)
{
	*f = (struct family){ b, r, name, help, 0 };
}

/* One label of a sample: '{' before the first (*n counts those written), ',' before others. */
static void put_label(struct buf *b, int *n, const char *name, size_t name_len,
		      const char *value)
{
	buf_addc(b, *n ? ',' : '{');
	buf_add(b, name, name_len);
	buf_adds(b, "=\"");
	esc_label(b, value);
	buf_addc(b, '"');
	(*n)++;
}

/*
 * Start a sample line: the header on the family's first sample, then the name, up to two
 * labels (l2 may be NULL; l1 too) and the --label labels. The caller writes the value.
 */
static void sample_start(struct family *f, const char *l1, const char *v1, const char *l2,
			 const char *v2)
{
	struct buf *b = f->b;
	int n = 0;

	if (!f->started) {
		buf_printf(b, "# HELP %s ", f->name);
		esc_help(b, f->help);
		buf_printf(b, "\n# TYPE %s gauge\n", f->name);
		f->started = 1;
	}
	buf_adds(b, f->name);
	if (l1)
		put_label(b, &n, l1, strlen(l1), v1);
	if (l1 && l2)
		put_label(b, &n, l2, strlen(l2), v2);
	for (int i = 0; i < f->r->nlabels; i++)
		put_label(b, &n, f->r->labels[i].key, f->r->labels[i].key_len,
			  f->r->labels[i].value);
	if (n)
		buf_addc(b, '}');
	buf_addc(b, ' ');
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


/*
 * The known percentiles of d, the maximum and the mean (of the n delays, to the microsecond)
 * as the stat series of a gauge family; nothing when the delays are unknown. Not a summary:
 * its _sum and _count would be counters that start again every run.
 */
static void put_delays(struct family *f, const char *l1, const char *v1, const struct delays *d)
{
	static const char *const stat[] = { "p50", "p90", "p99", "max" };
	const int64_t v[] = { d->p50, d->p90, d->p99, d->max };

	if (!d->known || !d->n)
		return;
	for (int i = 0; i < 4; i++) {
		if (v[i] < 0)
			continue;
		if (l1)
			put_seconds(f, l1, v1, "stat", stat[i], v[i]);
		else
			put_seconds(f, "stat", stat[i], NULL, NULL, v[i]);
	}
	/* rounded half away from zero; a negative sum only from a log whose clock stepped back */
	uint64_t a = d->sum < 0 ? (uint64_t)0 - (uint64_t)d->sum : (uint64_t)d->sum;
	int64_t mean = (int64_t)((a + d->n / 2) / d->n);
	if (l1)
		put_seconds(f, l1, v1, "stat", "mean", d->sum < 0 ? -mean : mean);
	else
		put_seconds(f, "stat", "mean", NULL, NULL, d->sum < 0 ? -mean : mean);
}

/* How many delays put_delays summarised, in the family after it; nothing when unknown. */
static void put_delay_count(struct family *f, const char *l1, const char *v1,
			    const struct delays *d)
{
	if (d->known && d->n)
		put_u64(f, l1, v1, NULL, NULL, d->n);
}

static void auth_family(struct buf *b, const struct report *r, const char *name,
			const char *help, uint64_t proxy, uint64_t www)
{
	struct family f;

	fam_init(&f, b, r, name, help);
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
	fam_init(&f, b, r, "siplogscan_input_files",
		 "Input files of the run, by status (error: could not be read or was damaged; "
		 "duplicate: the same file as another input, scanned once; unrecognised: no SIP "
		 "record recognised in it).");
	for (int st = FILE_OK; st <= FILE_UNRECOGNISED; st++)
		put_u64(&f, "status", file_status_name((enum file_status)st), NULL, NULL, n[st]);
	fam_init(&f, b, r, "siplogscan_input_lines_cut",
		 "Lines longer than the line limit (1 MiB) in the run's input: cut, not read.");
	put_u64(&f, NULL, NULL, NULL, NULL, cut);
	fam_init(&f, b, r, "siplogscan_input_match_limited",
		 "Records of the run's input that a pattern-matching limit stopped: not read, or "
		 "read in part.");
	put_u64(&f, NULL, NULL, NULL, NULL, limited);
	fam_init(&f, b, r, "siplogscan_input_bytes", "Bytes the run scanned, uncompressed.");
	put_u64(&f, NULL, NULL, NULL, NULL, bytes);
	if (r->have_times) {
		fam_init(&f, b, r, "siplogscan_first_event_timestamp_seconds",
			 "Time of the first SIP message scanned, seconds since the epoch (UTC).");
		put_seconds(&f, NULL, NULL, NULL, NULL, r->first_time);
		fam_init(&f, b, r, "siplogscan_last_event_timestamp_seconds",
			 "Time of the last SIP message scanned, seconds since the epoch (UTC).");
		put_seconds(&f, NULL, NULL, NULL, NULL, r->last_time);
	}
}

static void totals_families(struct buf *b, const struct report *r)
{
	struct family f;
	char code[16];

	fam_init(&f, b, r, "siplogscan_records", "SIP messages recognised in the run's input.");
	put_u64(&f, NULL, NULL, NULL, NULL, r->records);
	/* every method, zeros too: a series should not come and go with the traffic */
	fam_init(&f, b, r, "siplogscan_requests",
		 "SIP requests in the run's input, by method (OTHER: a method siplogscan does not "
		 "name).");
	for (int m = METHOD_INVITE; m < METHOD_COUNT; m++)
		put_u64(&f, "method", sip_method_name((enum sip_method)m), NULL, NULL,
			r->requests[m]);
	fam_init(&f, b, r, "siplogscan_responses",
		 "SIP responses in the run's input, by status code (codes seen).");
	for (int c = 100; c < REPORT_CODES; c++) {
		if (!r->responses[c])
			continue;
		snprintf(code, sizeof(code), "%d", c);
		put_u64(&f, "code", code, NULL, NULL, r->responses[c]);
	}
	if (r->not_in_log & GIVES_FINALS)
		return;		/* no calls in such a log (report.h GIVES_*) */
	fam_init(&f, b, r, "siplogscan_calls",
		 "Calls: INVITE dialogs (Call-IDs with an INVITE).");
	put_u64(&f, NULL, NULL, NULL, NULL, r->calls_total);
	fam_init(&f, b, r, "siplogscan_registrations",
		 "Registrations: Call-IDs with a REGISTER and no INVITE.");
	put_u64(&f, NULL, NULL, NULL, NULL, r->calls_register);
	fam_init(&f, b, r, "siplogscan_options_pings",
		 "OPTIONS pings: Call-IDs with an OPTIONS and no INVITE or REGISTER.");
	put_u64(&f, NULL, NULL, NULL, NULL, r->calls_options);
	fam_init(&f, b, r, "siplogscan_other_transactions",
		 "Other transactions: Call-IDs opened by SUBSCRIBE, NOTIFY, MESSAGE, PUBLISH, "
		 "REFER or another method, without INVITE, REGISTER or OPTIONS.");
	put_u64(&f, NULL, NULL, NULL, NULL, r->calls_other);
	fam_init(&f, b, r, "siplogscan_calls_in_flight_peak",
		 "Most Call-IDs (of every kind) open at once (first to last message, per second).");
	put_u64(&f, NULL, NULL, NULL, NULL, r->calls_peak);
	fam_init(&f, b, r, "siplogscan_calls_settled_early",
		 "Call-IDs (of every kind) settled before they were idle because --max-calls were "
		 "in flight (the least recently active first).");
	put_u64(&f, NULL, NULL, NULL, NULL, r->calls_settled_early);
}

static void trying_families(struct buf *b, const struct report *r)
{
	struct family f;
	char code[16];

	fam_init(&f, b, r, "siplogscan_trying",
		 "INVITE calls whose first INVITE transaction received 100 Trying.");
	put_u64(&f, NULL, NULL, NULL, NULL, r->trying);
	fam_init(&f, b, r, "siplogscan_stuck",
		 "INVITE calls with 100 Trying and no final response for that CSeq.");
	put_u64(&f, NULL, NULL, NULL, NULL, r->stuck);
	fam_init(&f, b, r, "siplogscan_trying_final",
		 "Calls by the status code of the first final response after 100 Trying.");
	for (int c = 100; c < REPORT_CODES; c++) {
		if (!r->by_final[c])
			continue;
		snprintf(code, sizeof(code), "%d", c);
		put_u64(&f, "code", code, NULL, NULL, r->by_final[c]);
	}
	fam_init(&f, b, r, "siplogscan_trying_final_delay_seconds",
		 "Delay from 100 Trying to the final response: percentiles, maximum and mean "
		 "(stat); absent without timestamps.");
	put_delays(&f, NULL, NULL, &r->trying_delay);
	fam_init(&f, b, r, "siplogscan_trying_final_delays",
		 "100 Trying -> final delays measured (siplogscan_trying_final_delay_seconds).");
	put_delay_count(&f, NULL, NULL, &r->trying_delay);
}

/* Post-dial delay and ring time (docs/metrics.md); absent where the log cannot give them. */
static void setup_families(struct buf *b, const struct report *r)
{
	struct family f;

	if (r->not_in_log & (GIVES_REQUESTS | GIVES_PROVISIONAL))
		return;
	fam_init(&f, b, r, "siplogscan_post_dial_delay_seconds",
		 "Post-dial delay of INVITE calls: INVITE (after a challenge, its retry) to the "
		 "first 18x, else to the first final that is not a challenge: percentiles, maximum "
		 "and mean (stat); absent without timestamps.");
	put_delays(&f, NULL, NULL, &r->pdd);
	fam_init(&f, b, r, "siplogscan_post_dial_delays",
		 "Post-dial delays measured (siplogscan_post_dial_delay_seconds).");
	put_delay_count(&f, NULL, NULL, &r->pdd);
	fam_init(&f, b, r, "siplogscan_ring_time_seconds",
		 "Ring time of INVITE calls: first 18x to the final response: percentiles, "
		 "maximum and mean (stat); absent without timestamps.");
	put_delays(&f, NULL, NULL, &r->ring_time);
	fam_init(&f, b, r, "siplogscan_ring_times",
		 "Ring times measured (siplogscan_ring_time_seconds).");
	put_delay_count(&f, NULL, NULL, &r->ring_time);
}

static void auth_families(struct buf *b, const struct report *r)
{
	struct family f;

	auth_family(b, r, "siplogscan_auth_challenged",
		    "Calls challenged, by kind (proxy: 407, www: 401).", r->proxy_auth.challenged,
		    r->www_auth.challenged);
	auth_family(b, r, "siplogscan_auth_retried",
		    "Challenged calls retried with credentials, by kind.", r->proxy_auth.retried,
		    r->www_auth.retried);
	auth_family(b, r, "siplogscan_auth_accepted",
		    "Challenged calls whose last retry was not challenged again, by kind.",
		    r->proxy_auth.accepted, r->www_auth.accepted);
	auth_family(b, r, "siplogscan_auth_rechallenged",
		    "Challenged calls whose last retry was challenged again (credentials "
		    "rejected), by kind.", r->proxy_auth.rechallenged, r->www_auth.rechallenged);
	auth_family(b, r, "siplogscan_auth_not_retried",
		    "Challenged calls never retried, by kind.", r->proxy_auth.not_retried,
		    r->www_auth.not_retried);
	fam_init(&f, b, r, "siplogscan_auth_retry_delay_seconds",
		 "Delay from the challenge to the retry, by kind: percentiles, maximum and mean "
		 "(stat); absent without timestamps.");
	put_delays(&f, "kind", "proxy", &r->proxy_auth.retry_delay);
	put_delays(&f, "kind", "www", &r->www_auth.retry_delay);
	fam_init(&f, b, r, "siplogscan_auth_retry_delays",
		 "Challenge -> retry delays measured, by kind (siplogscan_auth_retry_delay_seconds).");
	put_delay_count(&f, "kind", "proxy", &r->proxy_auth.retry_delay);
	put_delay_count(&f, "kind", "www", &r->www_auth.retry_delay);
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

	fam_init(&f, b, r, "siplogscan_auth_results",
		 "Authentication records of a security log in the run's input, by result.");
	for (int k = 1; k < AUTH_RES_COUNT; k++)
		put_u64(&f, "result", names[k], NULL, NULL, r->auth.n[k]);
	fam_init(&f, b, r, "siplogscan_auth_scanner_sources",
		 "Sources with --scanner-threshold or more failed authentications.");
	put_u64(&f, NULL, NULL, NULL, NULL, r->auth.scanners);
}

static void kpi_families(struct buf *b, const struct report *r)
{
	const struct kpis *k = &r->kpi;
	int req = !(r->not_in_log & GIVES_REQUESTS);
	struct family f;

	fam_init(&f, b, r, "siplogscan_kpi_attempts",
		 "KPI attempts: calls with an INVITE, or with a REGISTER request.");
	put_u64(&f, "method", "INVITE", NULL, NULL, k->invite_attempts);
	put_u64(&f, "method", "REGISTER", NULL, NULL, k->register_attempts);
	if (req) {
		fam_init(&f, b, r, "siplogscan_kpi_no_final",
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
	fam_init(&f, b, r, "siplogscan_kpi_ratio", buf_cstr(&help));
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
	fam_init(&f, b, r, "siplogscan_kpi_delay_seconds",
		 "RFC 6076 Session Request Delay (srd) and Registration Request Delay (rrd): "
		 "percentiles, maximum and mean (stat); absent without timestamps.");
	put_delays(&f, "kpi", "srd", &k->srd);
	put_delays(&f, "kpi", "rrd", &k->rrd);
	fam_init(&f, b, r, "siplogscan_kpi_delays",
		 "Session and registration request delays measured (siplogscan_kpi_delay_seconds).");
	put_delay_count(&f, "kpi", "srd", &k->srd);
	put_delay_count(&f, "kpi", "rrd", &k->rrd);
	fam_init(&f, b, r, "siplogscan_session_duration_seconds",
		 "Duration of completed sessions (2xx answer to BYE): percentiles, maximum and "
		 "mean (stat); absent without timestamps.");
	put_delays(&f, NULL, NULL, &k->duration);
	fam_init(&f, b, r, "siplogscan_session_durations",
		 "Completed sessions measured (siplogscan_session_duration_seconds).");
	put_delay_count(&f, NULL, NULL, &k->duration);
	fam_init(&f, b, r, "siplogscan_acd_seconds",
		 "Average call duration of completed sessions; absent when none completed.");
	if (k->acd_us >= 0)
		put_seconds(&f, NULL, NULL, NULL, NULL, k->acd_us);
}

static void problem_families(struct buf *b, const struct report *r)
{
	struct family f;

	/* every pattern the log can show, in table order, 0 when it was not found: alerts need
	 * the zeros; one it cannot show is absent (report.h GIVES_*) */
	fam_init(&f, b, r, "siplogscan_problem_calls",
		 "Calls matching each problem pattern (auth-scanner: calls from flagged sources; "
		 "auth-break-in, auth-guessing: flagged sources, auth-spread-guessing: accounts, "
		 "of an authentication log); siplogscan explain ID tells what to do.");
	for (int pid = 0; pid < PAT_COUNT; pid++) {
		const struct pattern_info *pi = knowledge_pattern((enum pattern_id)pid);
		uint64_t n = 0;
		enum severity sev = pi->severity;	/* a pattern not found: its own */
		if (!report_pattern_given(r, (enum pattern_id)pid))
			continue;
		for (size_t i = 0; i < r->nproblems; i++)
			if (r->problems[i].pid == (enum pattern_id)pid) {
				n = r->problems[i].count;
				sev = r->problems[i].severity;	/* as found (auth-scanner) */
			}
		put_u64(&f, "id", pi->id, "severity", knowledge_severity_name(sev), n);
	}
}

/* What the bounded tables left out, every table, 0 included (alerts need the zeros). */
static void limits_families(struct buf *b, const struct report *r)
{
	struct family f;

	fam_init(&f, b, r, "siplogscan_unlisted",
		 "What bounded tables left out to keep memory bounded: calls of source addresses "
		 "evicted from the auth-scanner table (table scanner_sources), attempts of keys "
		 "evicted from a breakdown (the next hops too), Call-IDs of hours evicted from the "
		 "timeline.");
	put_u64(&f, "table", "scanner_sources", NULL, NULL, r->source_unlisted);
	put_u64(&f, "table", "by_source", NULL, NULL, r->by_source.unlisted);
	put_u64(&f, "table", "by_user_agent", NULL, NULL, r->by_ua.unlisted);
	put_u64(&f, "table", "by_destination", NULL, NULL, r->by_dest.unlisted);
	put_u64(&f, "table", "by_next_hop", NULL, NULL, r->by_hop.unlisted);
	put_u64(&f, "table", "timeline", NULL, NULL, r->timeline_unlisted);
}

/*
 * --host-from / --host only: each host's figures with a host label (its name from the input
 * paths, made visible as the text report shows it - controls and bytes that are not UTF-8 as
 * \xNN - so that the label value is valid UTF-8 on one line).
 */
static void host_families(struct buf *b, const struct report *r)
{
	static const struct { const char *name, *help; } fam[] = {
		{ "siplogscan_host_files", "Input files of each host (--host-from, --host)." },
		{ "siplogscan_host_input_bytes", "Bytes scanned of each host's inputs, uncompressed." },
		{ "siplogscan_host_records", "SIP messages recognised in each host's inputs." },
		{ "siplogscan_host_call_ids", "Call-IDs (of every kind) each host logged; a Call-ID "
		  "logged by several hosts counts for each." },
		{ "siplogscan_host_calls", "Calls (INVITE dialogs) each host logged." },
		{ "siplogscan_host_calls_answered", "Calls each host logged whose outcome was a 2xx." },
		{ "siplogscan_host_calls_failed", "Calls each host logged with another outcome, or "
		  "none." },
		{ "siplogscan_host_stuck_after_100", "INVITEs each host logged that got a 100 Trying "
		  "and no final." },
		{ "siplogscan_host_auth_not_retried", "Call-IDs each host logged that were challenged "
		  "(401/407) and never retried." },
		{ "siplogscan_host_shared_call_ids", "Call-IDs each host logged that another host "
		  "logged too." },
	};
	struct family f;
	struct buf *names;

	if (!r->nhosts)
		return;
	names = xcalloc(r->nhosts, sizeof(*names));
	for (size_t i = 0; i < r->nhosts; i++)
		esc_text(&names[i], r->hosts[i].name, r->hosts[i].name_len);
	for (size_t k = 0; k < sizeof(fam) / sizeof(fam[0]); k++) {
		fam_init(&f, b, r, fam[k].name, fam[k].help);
		for (size_t i = 0; i < r->nhosts; i++) {
			const struct host_row *x = &r->hosts[i];
			const uint64_t v[] = { x->files, x->bytes, x->records, x->callids, x->calls,
					       x->answered, x->failed, x->stuck, x->not_retried,
					       x->shared };
			put_u64(&f, "host", buf_cstr(&names[i]), NULL, NULL, v[k]);
		}
	}
	fam_init(&f, b, r, "siplogscan_call_ids_shared",
		 "Call-IDs logged by more than one host (each counted once in the totals).");
	put_u64(&f, NULL, NULL, NULL, NULL, r->callids_shared);
	for (size_t i = 0; i < r->nhosts; i++)
		buf_free(&names[i]);
	free(names);
}

/*
 * --history only: this run's bytes, and each night's headline kept in the history (the trend
 * the other formats show) with a night label, oldest first, this night last. A figure unknown
 * on a night (nothing to divide by) has no sample for it. The night's date is the only label
 * value (from the history, never from a log), and a night's series keeps its value in every
 * later run's output.
 */
static void history_families(struct buf *b, const struct report *r)
{
	const struct report_history *hi = r->history;
	struct family f;

	if (!hi)
		return;
	fam_init(&f, b, r, "siplogscan_history_run_input_bytes",
		 "--history: bytes this run read (new since the last run), uncompressed.");
	put_u64(&f, NULL, NULL, NULL, NULL, hi->bytes_read);
	fam_init(&f, b, r, "siplogscan_history_run_skipped_bytes",
		 "--history: bytes of the inputs that earlier runs read, not read again.");
	put_u64(&f, NULL, NULL, NULL, NULL, hi->bytes_skipped);
	fam_init(&f, b, r, "siplogscan_history_night_runs",
		 "--history: runs that made this night's report, this one included.");
	put_u64(&f, NULL, NULL, NULL, NULL, hi->night_runs);
	for (int k = 0; k < REPORT_TREND_FIGS; k++) {
		char name[64], help[160];
		int ratio = report_trend_ratio(k);
		snprintf(name, sizeof(name), "siplogscan_night_%s", report_trend_keys[k]);
		snprintf(help, sizeof(help), "--history: %s of each night kept (night label: its "
			 "local date)%s.", report_trend_names[k], ratio ? ", 0..1" : "");
		fam_init(&f, b, r, name, help);
		for (size_t i = 0; i < hi->ntrend; i++) {
			const struct report_trend_value *v = &hi->trend[i].v[k];
			if (!v->known)
				continue;
			if (ratio)
				put_ratio(&f, "night", hi->trend[i].night, v->num, v->den);
			else
				put_u64(&f, "night", hi->trend[i].night, NULL, NULL, v->num);
		}
	}
}

void render_prom(struct buf *b, const struct report *r)
{
	struct family f;

	input_families(b, r);
	totals_families(b, r);
	host_families(b, r);
	/* a family the log cannot give is absent, as an unknown figure is (report.h GIVES_*) */
	if (!(r->not_in_log & GIVES_PROVISIONAL))
		trying_families(b, r);
	setup_families(b, r);
	if (!(r->not_in_log & GIVES_CHALLENGES))
		auth_families(b, r);
	if (!(r->not_in_log & GIVES_FINALS))
		kpi_families(b, r);
	if (r->auth_log)
		auth_results_families(b, r);
	problem_families(b, r);
	limits_families(b, r);
	history_families(b, r);

	/* the run itself: not deterministic */
	fam_init(&f, b, r, "siplogscan_run_duration_seconds", "Wall-clock time the run took.");
	double el = r->run.elapsed_s;	/* NaN and negatives (clock steps) as 0 */
	put_seconds(&f, NULL, NULL, NULL, NULL,
		    el > 0 && el < 1e12 ? (int64_t)(el * 1e6 + 0.5) : 0);
	if (r->run.version) {
		fam_init(&f, b, r, "siplogscan_build_info",
			 "Always 1; the version of siplogscan that wrote this file.");
		sample_start(&f, "version", r->run.version, NULL, NULL);
		buf_adds(b, "1\n");
	}
}

/* Whether s is valid UTF-8 (no overlong two-byte forms): the format's label values are. */
static int utf8_ok(const unsigned char *s)
{
	while (*s) {
		unsigned c = *s;
		int len = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 && c >= 0xc2 ? 2 :
			  (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 && c <= 0xf4 ? 4 : 0;
		if (!len)
			return 0;
		for (int k = 1; k < len; k++)
			if ((s[k] & 0xc0) != 0x80)
				return 0;
		s += len;
	}
	return 1;
}

static int is_label_char(int c, int first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       (!first && c >= '0' && c <= '9');
}

const char *prom_label_check(const char *key, size_t key_len, const char *value)
{
	static const char bad_name[] = "KEY must match [a-zA-Z_][a-zA-Z0-9_]* (a Prometheus "
					"label name)";

	if (!key_len)
		return bad_name;
	for (size_t i = 0; i < key_len; i++)
		if (!is_label_char((unsigned char)key[i], i == 0))
			return bad_name;
	if (key_len >= 2 && key[0] == '_' && key[1] == '_')
		return "KEY must not start with __ (reserved to Prometheus)";
	for (int i = 0; own_labels[i]; i++)
		if (strlen(own_labels[i]) == key_len && !memcmp(key, own_labels[i], key_len))
			return "KEY must not be a label siplogscan writes (status method code kind "
			       "result kpi stat id severity table version), nor quantile or le";
	if (!*value)
		return "VALUE must not be empty (to Prometheus an empty label is no label)";
	if (!utf8_ok((const unsigned char *)value))
		return "VALUE must be UTF-8";
	return NULL;
}
