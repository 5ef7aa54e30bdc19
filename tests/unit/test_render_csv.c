/*
 * test_render_csv.c - unit tests for src/render_csv.c: one RFC 4180 stream of summary tables
 * (docs/csv.md), formula-injection safe, every figure equal to the report model.
 *
 * The output is read back by an RFC 4180 parser written here (quoted fields, doubled quotes,
 * CRLF inside quotes, CRLF record ends, the same number of fields in every record), first
 * shown to accept and reject what it should. Then:
 *   - the header is table,key,field,value; every table is one of those documented; every
 *     field was quoted; no field starts with = + - @ TAB or CR;
 *   - every string from the log round-trips: the parsed field is the original with a leading
 *     apostrophe exactly when it starts with = + - @ TAB or CR, and with TAB, CR and LF shown
 *     as \t \r \n (esc_csv() makes controls visible, escape.h). Hostile strings:
 *     "=cmd|' /C calc'!A0", "+1", "-1", "@x", "\tx", "\rx", "\"quoted\"", a newline and a
 *     comma inside, CRLF inside, UTF-8, 10 kB - as Call-IDs (through the analysis and by
 *     hand), file paths and error messages;
 *   - counts, delays, ratios and times equal the model; unknown is empty, never 0.
 */
#include "testhelp.h"

#include <inttypes.h>
#include <math.h>
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

#define SEC INT64_C(1000000)

/* ---- a strict RFC 4180 parser */

struct field {
	char *s;
	size_t n;
	int quoted;
};

struct record {
	struct field *f;
	size_t n;
};

struct csv {
	struct record *r;
	size_t n, cap;
	char err[160];
};

static void csv_free(struct csv *c)
{
	for (size_t i = 0; i < c->n; i++) {
		for (size_t k = 0; k < c->r[i].n; k++)
			free(c->r[i].f[k].s);
		free(c->r[i].f);
	}
	free(c->r);
	memset(c, 0, sizeof(*c));
}

static int csv_fail(struct csv *c, size_t at, const char *why)
{
	snprintf(c->err, sizeof(c->err), "byte %zu: %s", at, why);
	return -1;
}

/* Parse p[0..n): records end with CRLF (the last one too), fields are separated by ',', a
 * quoted field may hold anything with '"' doubled; an unquoted one holds no '"', CR or LF. */
static int csv_parse(struct csv *c, const char *p, size_t n)
{
	size_t i = 0;
	struct record rec = {0};
	size_t cap = 0;

	memset(c, 0, sizeof(*c));
	if (n == 0)
		return csv_fail(c, 0, "empty");
	while (i < n) {
		struct buf v = {0};
		int quoted = 0;
		if (p[i] == '"') {
			quoted = 1;
			i++;
			for (;;) {
				if (i >= n) {
					buf_free(&v);
					return csv_fail(c, i, "unterminated quoted field");
				}
				if (p[i] == '"') {
					if (i + 1 < n && p[i + 1] == '"') {
						buf_addc(&v, '"');
						i += 2;
						continue;
					}
					i++;
					break;
				}
				buf_addc(&v, p[i++]);
			}
		} else {
			while (i < n && p[i] != ',' && p[i] != '\r' && p[i] != '\n') {
				if (p[i] == '"') {
					buf_free(&v);
					return csv_fail(c, i, "quote in an unquoted field");
				}
				buf_addc(&v, p[i++]);
			}
		}
		if (rec.n == cap) {
			cap = cap ? cap * 2 : 8;
			rec.f = xrealloc(rec.f, cap * sizeof(*rec.f));
		}
		rec.f[rec.n++] = (struct field){ xstrndup(v.p ? v.p : "", v.len), v.len, quoted };
		buf_free(&v);
		if (i < n && p[i] == ',') {
			i++;
			if (i == n)
				goto bad_end;
			continue;
		}
		if (i + 1 < n && p[i] == '\r' && p[i + 1] == '\n') {
			i += 2;
			if (c->n && rec.n != c->r[0].n) {
				for (size_t k = 0; k < rec.n; k++)
					free(rec.f[k].s);
				free(rec.f);
				return csv_fail(c, i, "a record with another number of fields");
			}
			if (c->n == c->cap) {
				c->cap = c->cap ? c->cap * 2 : 64;
				c->r = xrealloc(c->r, c->cap * sizeof(*c->r));
			}
			c->r[c->n++] = rec;
			rec = (struct record){0};
			cap = 0;
			continue;
		}
bad_end:
		for (size_t k = 0; k < rec.n; k++)
			free(rec.f[k].s);
		free(rec.f);
		return csv_fail(c, i, i >= n ? "no CRLF after the last record" :
				"a field not followed by ',' or CRLF (bare CR or LF?)");
	}
	return 0;
}

static void test_parser(void)
{
	static const char *const bad[] = {
		"a,b\n", "a,b", "\"a\"b,c\r\n", "a\"b,c\r\n", "\"abc\r\n", "a,b\r\nc\r\n",
		"a\rb,c\r\n", "a,\r\n,\r\n,\r\n\n",
	};
	struct csv c;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK(csv_parse(&c, bad[i], strlen(bad[i])) < 0, "csv parser rejects case %zu", i);
		csv_free(&c);
	}
	static const char good[] = "\"a\r\nb\",\"x\"\"y\",z\r\n\"\",,\"1,2\"\r\n";
	int rc = csv_parse(&c, good, strlen(good));
	CHECK(rc == 0 && c.n == 2 && c.r[0].n == 3 && !strcmp(c.r[0].f[0].s, "a\r\nb") &&
	      !strcmp(c.r[0].f[1].s, "x\"y") && !c.r[0].f[2].quoted && !strcmp(c.r[1].f[2].s, "1,2") &&
	      c.r[1].f[0].quoted && c.r[1].f[0].n == 0 && !c.r[1].f[1].quoted,
	      "csv parser: CRLF inside quotes, doubled quotes, empty and unquoted fields %s", c.err);
	csv_free(&c);
}

/* ---- what a field should read back as */

static int dangerous(const char *s, size_t n)
{
	return n && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' ||
		     s[0] == '\r');
}

/* The original with a leading apostrophe when dangerous, TAB CR LF made visible; the test
 * strings hold no other control byte and only valid UTF-8. */
static char *expect(const char *s, size_t n)
{
	struct buf b = {0};

	if (dangerous(s, n))
		buf_addc(&b, '\'');
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			buf_adds(&b, "\\n");
		else if (s[i] == '\t')
			buf_adds(&b, "\\t");
		else if (s[i] == '\r')
			buf_adds(&b, "\\r");
		else
			buf_addc(&b, s[i]);
	}
	return buf_cstr(&b);
}

static int roundtrips(const char *got, const char *orig, size_t n)
{
	char *e = expect(orig, n);
	int ok = got && !strcmp(got, e);

	if (!ok)
		printf("#   got \"%.60s\", want \"%.60s\"\n", got ? got : "(none)", e);
	free(e);
	return ok;
}

/* ---- building the model */

static struct str S(const char *s)
{
	return (struct str){ s, strlen(s) };
}

struct feeder {
	struct analysis *an;
	int64_t t0;
	uint64_t line;
};

static void req(struct feeder *f, int64_t ms, struct str cid, enum sip_method m, uint32_t cseq,
		unsigned auth)
{
	struct event ev = {0};

	ev.time_us = f->t0 == TIME_UNKNOWN ? TIME_UNKNOWN : f->t0 + ms * 1000;
	ev.method = m;
	ev.cseq = cseq;
	ev.cseq_method = m;
	ev.auth = EV_AUTH_KNOWN | auth;
	ev.callid = cid;
	ev.src = S("udp:10.0.0.4:5060");
	ev.ua = S("-ua");
	ev.line = ++f->line;
	ev.file = (uint32_t)(f->line % 2);
	analysis_event(f->an, &ev);
}

static void rpl(struct feeder *f, int64_t ms, struct str cid, int status, uint32_t cseq,
		enum sip_method m)
{
	struct event ev = {0};

	ev.time_us = f->t0 == TIME_UNKNOWN ? TIME_UNKNOWN : f->t0 + ms * 1000;
	ev.status = status;
	ev.cseq = cseq;
	ev.cseq_method = m;
	ev.callid = cid;
	ev.src = S("udp:10.0.0.9:5060");
	ev.line = ++f->line;
	ev.file = (uint32_t)(f->line % 2);
	analysis_event(f->an, &ev);
}

static char big_cid[10240 + 1];
static char big_plain[10240 + 1];
static const char *const hostile[] = {
	"=cmd|' /C calc'!A0", "+1", "-1", "@x", "\tx", "\rx", "\"quoted\"", "a,b\nc", "x\r\ny",
	"caf\xc3\xa9 \xe2\x82\xac", "=HYPERLINK(\"http://x\",\"y\")", "-", "", big_cid, big_plain,
};
#define NHOSTILE (sizeof(hostile) / sizeof(hostile[0]))

static void fill_big(void)
{
	memset(big_cid, 'A', sizeof(big_cid) - 1);
	big_cid[0] = '@';
	memset(big_plain, 'B', sizeof(big_plain) - 1);
	big_plain[5000] = '"';
	big_plain[6000] = ',';
	big_plain[7000] = '\n';
}

/* hostile Call-IDs stuck after 100 (the empty one is no call), answered calls with BYE,
 * failures, a rejected 407, REGISTER with 401 */
static void analysed_report(struct report *r, int64_t t0, double elapsed)
{
	struct analysis_opts o = { .call_timeout_s = 32, .ring_timeout_s = 180, .slow_setup_s = 10,
				   .examples = 20, .scanner_threshold = 10, .top = 10 };
	struct feeder f = { analysis_new(&o), t0, 0 };
	char id[32];

	fill_big();
	for (size_t i = 0; i < NHOSTILE; i++) {
		req(&f, (int64_t)i, S(hostile[i]), METHOD_INVITE, 1, 0);
		rpl(&f, (int64_t)i + 1, S(hostile[i]), 100, 1, METHOD_INVITE);
	}
	for (int i = 0; i < 4; i++) {
		snprintf(id, sizeof(id), "ok-%d", i);
		int64_t t = 100 + i * 1000;
		req(&f, t, S(id), METHOD_INVITE, 1, 0);
		rpl(&f, t + 1, S(id), 407, 1, METHOD_INVITE);
		req(&f, t + 2, S(id), METHOD_INVITE, 2, EV_AUTH_PROXY);
		rpl(&f, t + 3, S(id), 100, 2, METHOD_INVITE);
		rpl(&f, t + 400 + i * 37, S(id), 200, 2, METHOD_INVITE);
		req(&f, t + 420 + i * 37, S(id), METHOD_ACK, 2, 0);
		req(&f, t + 900 + i * 37, S(id), METHOD_BYE, 3, 0);
		rpl(&f, t + 901 + i * 37, S(id), 200, 3, METHOD_BYE);
	}
	static const int codes[] = { 486, 503, 699 };
	for (int i = 0; i < 3; i++) {
		snprintf(id, sizeof(id), "fail-%d", i);
		req(&f, 8000 + i * 10, S(id), METHOD_INVITE, 1, EV_AUTH_PROXY);
		rpl(&f, 8001 + i * 10, S(id), 100, 1, METHOD_INVITE);
		rpl(&f, 8500 + i * 10, S(id), codes[i], 1, METHOD_INVITE);
	}
	req(&f, 9000, S("rej"), METHOD_INVITE, 1, 0);
	rpl(&f, 9001, S("rej"), 407, 1, METHOD_INVITE);
	req(&f, 9002, S("rej"), METHOD_INVITE, 2, EV_AUTH_PROXY);
	rpl(&f, 9003, S("rej"), 407, 2, METHOD_INVITE);
	req(&f, 9100, S("reg"), METHOD_REGISTER, 1, 0);
	rpl(&f, 9101, S("reg"), 401, 1, METHOD_REGISTER);

	memset(r, 0, sizeof(*r));
	r->files = xcalloc(2, sizeof(*r->files));
	r->nfiles = 2;
	r->files[0] = (struct report_file){ .path = xstrndup("=cmd|' /C calc'!A0.log", 22),
		.format = "kamailio", .format_auto = 1, .bytes = 123456, .stored_bytes = 123456,
		.lines = 1000, .records = 90, .first_time = t0,
		.last_time = t0 == TIME_UNKNOWN ? t0 : t0 + 9 * SEC, .status = FILE_OK };
	r->files[1] = (struct report_file){ .path = xstrndup("-", 1), .format = "sip", .gzip = 1,
		.bytes = 5000, .stored_bytes = 900, .first_time = TIME_UNKNOWN,
		.last_time = TIME_UNKNOWN, .status = FILE_ERROR,
		.error = xstrndup("+truncated \"gzip\",\nstream", 25) };
	analysis_finish(f.an, r);
	analysis_free(f.an);
	r->since = r->until = TIME_UNKNOWN;
	r->run.version = "0.0-test";
	r->run.elapsed_s = elapsed;
}

/* ---- reading the tables back */

static const char *const tables[] = { "report", "totals", "totals_requests", "totals_responses",
				      "trying_to_final", "setup", "auth", "kpi", "timeline", "breakdowns",
				      "by_source", "by_user_agent", "by_destination", "by_next_hop",
				      "limits", "problems", "problem_hours", "problem_examples", "files",
				      NULL };

/* A field of the row whose key is the raw log bytes key[0..n), as the CSV writes them. */
static const char *get_raw(const struct csv *c, const char *table, const char *key, size_t n,
			   const char *field)
{
	char *e = expect(key, n);
	const char *v = NULL;

	for (size_t i = 1; i < c->n && !v; i++)
		if (!strcmp(c->r[i].f[0].s, table) && !strcmp(c->r[i].f[1].s, e) &&
		    !strcmp(c->r[i].f[2].s, field))
			v = c->r[i].f[3].s;
	free(e);
	return v;
}

static const char *get(const struct csv *c, const char *table, const char *key,
		       const char *field)
{
	for (size_t i = 1; i < c->n; i++)
		if (!strcmp(c->r[i].f[0].s, table) && !strcmp(c->r[i].f[1].s, key) &&
		    !strcmp(c->r[i].f[2].s, field))
			return c->r[i].f[3].s;
	return NULL;
}

static size_t rows_of(const struct csv *c, const char *table)
{
	size_t n = 0;

	for (size_t i = 1; i < c->n; i++)
		n += !strcmp(c->r[i].f[0].s, table);
	return n;
}

static int is_u(const char *got, uint64_t want)
{
	char t[24];

	snprintf(t, sizeof(t), "%" PRIu64, want);
	return got && !strcmp(got, t);
}

/* milliseconds with 3 decimals, or empty when unknown */
static int is_ms(const char *got, int64_t us, int known)
{
	if (!got)
		return 0;
	if (!known || us < 0)
		return got[0] == '\0';
	char *end;
	double v = strtod(got, &end);
	const char *dot = strchr(got, '.');
	return *end == '\0' && dot && strlen(dot) == 4 && fabs(v - (double)us / 1000) < 5e-4;
}

static int is_fixed4(const char *got, uint64_t num, uint64_t den, double scale)
{
	if (!got)
		return 0;
	if (!den)
		return got[0] == '\0';
	char *end;
	double v = strtod(got, &end);
	const char *dot = strchr(got, '.');
	return *end == '\0' && dot && strlen(dot) == 5 &&
	       fabs(v - scale * (double)num / (double)den) <= 0.00005 + 1e-12;
}

static int is_time(const char *got, int64_t t)
{
	char tmp[40];

	return got && !strcmp(got, t == TIME_UNKNOWN ? "" : time_format(t, tmp));
}

static void check_delays(const struct csv *c, const char *table, const char *key,
			 const char *prefix, const struct delays *d, const char *what)
{
	static const char *const names[] = { "p50_ms", "p90_ms", "p99_ms", "max_ms" };
	const int64_t v[] = { d->p50, d->p90, d->p99, d->max };
	char field[48];
	int ok = 1;

	for (int i = 0; i < 4; i++) {
		snprintf(field, sizeof(field), "%s%s", prefix, names[i]);
		ok &= is_ms(get(c, table, key, field), v[i], d->known);
	}
	snprintf(field, sizeof(field), "%sn", prefix);
	ok &= is_u(get(c, table, key, field), d->n);
	CHECK(ok, "%s: %s %s delays in ms%s", what, table, key, d->known ? "" : " (empty: unknown)");
}

/* Generic checks, then every figure against the model. */
static void check_csv(const struct buf *b, const struct report *r, struct csv *c, const char *what)
{
	int rc = csv_parse(c, b->p, b->len);
	CHECK(rc == 0, "%s: RFC 4180 (%zu bytes, %zu records) %s", what, b->len, c->n, c->err);
	if (rc)
		return;
	CHECK(c->r[0].n == 4 && !strcmp(c->r[0].f[0].s, "table") && !strcmp(c->r[0].f[1].s, "key") &&
	      !strcmp(c->r[0].f[2].s, "field") && !strcmp(c->r[0].f[3].s, "value"),
	      "%s: header table,key,field,value", what);
	int quoted = 1, safe = 1, known = 1;
	for (size_t i = 0; i < c->n; i++) {
		for (size_t k = 0; k < c->r[i].n; k++) {
			const struct field *f = &c->r[i].f[k];
			quoted &= f->quoted;
			if (dangerous(f->s, f->n)) {
				safe = 0;
				printf("#   dangerous field \"%.40s\"\n", f->s);
			}
		}
		if (i) {
			int t = 0;
			for (int k = 0; tables[k]; k++)
				t |= !strcmp(c->r[i].f[0].s, tables[k]);
			known &= t;
		}
	}
	CHECK(quoted, "%s: every field quoted", what);
	CHECK(safe, "%s: no field starts with = + - @ TAB or CR", what);
	CHECK(known, "%s: every row in a documented table", what);

	/* totals */
	CHECK(is_u(get(c, "totals", "records", "count"), r->records) &&
	      is_u(get(c, "totals", "calls", "total"), r->calls_total) &&
	      is_u(get(c, "totals", "registrations", "total"), r->calls_register) &&
	      is_u(get(c, "totals", "options_pings", "total"), r->calls_options) &&
	      is_u(get(c, "totals", "other_transactions", "total"), r->calls_other) &&
	      is_u(get(c, "totals", "call_ids", "total"), r->callids_total) &&
	      is_u(get(c, "totals", "call_ids", "settled_idle"), r->calls_evicted_idle) &&
	      is_u(get(c, "totals", "call_ids", "settled_early"), r->calls_settled_early) &&
	      is_u(get(c, "totals", "call_ids", "open_at_end"), r->calls_open_at_end) &&
	      is_u(get(c, "totals", "call_ids", "peak_in_flight"), r->calls_peak) &&
	      is_time(get(c, "totals", "time", "first"), r->have_times ? r->first_time : TIME_UNKNOWN) &&
	      is_time(get(c, "totals", "time", "last"), r->have_times ? r->last_time : TIME_UNKNOWN),
	      "%s: totals (records, calls, time range) equal the model", what);
	int ok = 1;
	size_t n = 0;
	for (int m = METHOD_INVITE; m < METHOD_COUNT; m++) {
		const char *v = get(c, "totals_requests", sip_method_name((enum sip_method)m), "count");
		ok &= r->requests[m] ? is_u(v, r->requests[m]) : v == NULL;
		n += r->requests[m] != 0;
	}
	CHECK(ok && rows_of(c, "totals_requests") == n, "%s: totals_requests: %zu methods", what, n);
	ok = 1;
	n = 0;
	size_t nf = 0;
	for (int code = 100; code < REPORT_CODES; code++) {
		char k[16];
		snprintf(k, sizeof(k), "%d", code);
		const char *v = get(c, "totals_responses", k, "count");
		const char *reason = get(c, "totals_responses", k, "reason");
		const struct code_info *ci = knowledge_code(code);
		if (r->responses[code])
			ok &= is_u(v, r->responses[code]) && reason &&
			      !strcmp(reason, ci ? ci->reason : "");
		else
			ok &= !v && !reason;
		n += r->responses[code] != 0;
		const char *fv = get(c, "trying_to_final", k, "final_count");
		ok &= r->by_final[code] ? is_u(fv, r->by_final[code]) : fv == NULL;
		nf += r->by_final[code] != 0;
	}
	CHECK(ok && rows_of(c, "totals_responses") == 2 * n,
	      "%s: totals_responses count and reason for %zu codes; by_final codes", what, n);
	CHECK(is_u(get(c, "trying_to_final", "trying", "count"), r->trying) &&
	      is_u(get(c, "trying_to_final", "stuck", "count"), r->stuck) &&
	      rows_of(c, "trying_to_final") == 2 + nf + 5, "%s: trying_to_final counts", what);
	check_delays(c, "trying_to_final", "delay", "", &r->trying_delay, what);
	check_delays(c, "setup", "pdd", "", &r->pdd, what);
	check_delays(c, "setup", "ring", "", &r->ring_time, what);

	/* auth */
	const struct auth_report *ar[] = { &r->proxy_auth, &r->www_auth };
	static const char *const kinds[] = { "proxy", "www" };
	for (int k = 0; k < 2; k++) {
		CHECK(is_u(get(c, "auth", kinds[k], "challenged"), ar[k]->challenged) &&
		      is_u(get(c, "auth", kinds[k], "retried"), ar[k]->retried) &&
		      is_u(get(c, "auth", kinds[k], "accepted"), ar[k]->accepted) &&
		      is_u(get(c, "auth", kinds[k], "rechallenged"), ar[k]->rechallenged) &&
		      is_u(get(c, "auth", kinds[k], "not_retried"), ar[k]->not_retried),
		      "%s: auth %s counts equal the model", what, kinds[k]);
		check_delays(c, "auth", kinds[k], "retry_delay_", &ar[k]->retry_delay, what);
	}

	/* kpi */
	static const char *const kn[] = { "ser", "seer", "isa", "scr", "asr", "ner", "ira" };
	const struct ratio *q[] = { &r->kpi.ser, &r->kpi.seer, &r->kpi.isa, &r->kpi.scr,
				    &r->kpi.asr, &r->kpi.ner, &r->kpi.ira };
	ok = is_u(get(c, "kpi", "invite_attempts", "count"), r->kpi.invite_attempts) &&
	     is_u(get(c, "kpi", "register_attempts", "count"), r->kpi.register_attempts) &&
	     is_u(get(c, "kpi", "no_final", "count"), r->kpi.no_final);
	for (int i = 0; i < 7; i++)
		ok &= is_fixed4(get(c, "kpi", kn[i], "percent"), q[i]->num, q[i]->den, 100) &&
		      is_u(get(c, "kpi", kn[i], "num"), q[i]->num) &&
		      is_u(get(c, "kpi", kn[i], "den"), q[i]->den);
	CHECK(ok, "%s: KPI counts and percents (4 decimals; empty when den is 0)", what);
	check_delays(c, "kpi", "srd", "", &r->kpi.srd, what);
	check_delays(c, "kpi", "rrd", "", &r->kpi.rrd, what);
	check_delays(c, "kpi", "session", "", &r->kpi.duration, what);
	CHECK(is_ms(get(c, "kpi", "acd", "ms"), r->kpi.acd_us, 1), "%s: ACD in ms%s", what,
	      r->kpi.acd_us < 0 ? " (empty: no session)" : "");

	/* problems, in the model's rank order, and their examples */
	ok = rows_of(c, "problems") == 10 * r->nproblems;
	size_t nex = 0, nhours = 0, row = 1;
	for (size_t i = 0; i < r->nproblems; i++) {
		const struct problem *p = &r->problems[i];
		const struct pattern_info *pi = knowledge_pattern(p->pid);
		while (row < c->n && strcmp(c->r[row].f[0].s, "problems"))
			row++;
		ok &= row < c->n && !strcmp(c->r[row].f[1].s, pi->id);
		row += 10;
		const char *sev = get(c, "problems", pi->id, "severity");
		const char *title = get(c, "problems", pi->id, "title");
		const char *of = get(c, "problems", pi->id, "of");
		char t1[40], t2[40];
		const char *first = get(c, "problems", pi->id, "first_time");
		const char *last = get(c, "problems", pi->id, "last_time");
		ok &= first && !strcmp(first, p->first_time == TIME_UNKNOWN ? "" :
				       time_format(p->first_time, t1)) &&
		      last && !strcmp(last, p->last_time == TIME_UNKNOWN ? "" :
				      time_format(p->last_time, t2)) &&
		      is_u(get(c, "problems", pi->id, "hours"), p->nhours) &&
		      is_u(get(c, "problems", pi->id, "hours_unlisted"), p->hours_unlisted);
		for (size_t k = 0; k < p->nhours; k++) {
			char key[64], hour[40];
			snprintf(key, sizeof(key), "%s/%s", pi->id, time_format(p->hours[k].hour, hour));
			ok &= is_u(get(c, "problem_hours", key, "count"), p->hours[k].count);
			nhours++;
		}
		ok &= sev && !strcmp(sev, knowledge_severity_name(p->severity)) && title &&
		      !strcmp(title, pi->title) && of && !strcmp(of, pi->denominator) &&
		      is_u(get(c, "problems", pi->id, "count"), p->count) &&
		      is_u(get(c, "problems", pi->id, "denominator"), p->denominator) &&
		      is_fixed4(get(c, "problems", pi->id, "share"), p->count, p->denominator, 1);
		for (size_t k = 0; k < p->nexamples; k++) {
			const struct example *e = &p->examples[k];
			char key[64];
			snprintf(key, sizeof(key), "%s/%zu", pi->id, k + 1);
			ok &= roundtrips(get(c, "problem_examples", key, "call_id"), e->call_id,
					 e->call_id_len);
			const char *path = e->file < r->nfiles ? r->files[e->file].path : "";
			ok &= roundtrips(get(c, "problem_examples", key, "file"), path, strlen(path));
			ok &= is_u(get(c, "problem_examples", key, "line"), e->line);
			nex++;
		}
	}
	CHECK(ok && rows_of(c, "problem_examples") == 3 * nex && rows_of(c, "problem_hours") == nhours,
	      "%s: %zu problems ranked as the model, %zu examples and %zu hours round-trip", what,
	      r->nproblems, nex, nhours);

	/* per hour and breakdowns */
	size_t trows = 0;
	for (size_t i = 0; i < r->ntimeline; i++)
		trows += 8 + (size_t)r->timeline[i].ncodes;	/* and a failed_CODE row per code */
	ok = rows_of(c, "timeline") == trows;
	for (size_t i = 0; i < r->ntimeline; i++) {
		const struct timeline_row *t = &r->timeline[i];
		char k[40];
		time_format(t->hour, k);
		for (int j = 0; j < t->ncodes; j++) {
			char f[24];
			if (t->codes[j])
				snprintf(f, sizeof(f), "failed_%d", t->codes[j]);
			else
				snprintf(f, sizeof(f), "failed_none");
			ok &= is_u(get(c, "timeline", k, f), t->code_n[j]);
		}
		ok &= is_u(get(c, "timeline", k, "calls"), t->calls) &&
		      is_u(get(c, "timeline", k, "answered"), t->answered) &&
		      is_u(get(c, "timeline", k, "failed"), t->failed) &&
		      is_u(get(c, "timeline", k, "registrations"), t->registrations) &&
		      is_u(get(c, "timeline", k, "options"), t->options) &&
		      is_u(get(c, "timeline", k, "other"), t->other) &&
		      is_u(get(c, "timeline", k, "challenged"), t->challenged) &&
		      is_u(get(c, "timeline", k, "auth_failed"), t->auth_failed);
	}
	CHECK(ok, "%s: timeline: %zu hour(s), figures equal", what, r->ntimeline);
	static const char *const bnames[] = { "by_source", "by_user_agent", "by_destination" };
	const struct breakdown *bd[] = { &r->by_source, &r->by_ua, &r->by_dest };
	size_t nrows = 0;
	ok = rows_of(c, "breakdowns") == 17;
	for (int k = 0; k < 3; k++) {
		size_t want = 0;
		ok &= is_u(get(c, "breakdowns", bnames[k], "keys"), bd[k]->keys) &&
		      is_u(get(c, "breakdowns", bnames[k], "rows"), bd[k]->n) &&
		      is_u(get(c, "breakdowns", bnames[k], "unlisted"), bd[k]->unlisted);
		for (size_t i = 0; i < bd[k]->n; i++) {
			const struct breakdown_row *w = &bd[k]->rows[i];
			want += 4 + (size_t)w->ncodes;
			ok &= is_u(get_raw(c, bnames[k], w->key, w->key_len, "attempts"), w->attempts) &&
			      is_u(get_raw(c, bnames[k], w->key, w->key_len, "answered"), w->answered) &&
			      is_u(get_raw(c, bnames[k], w->key, w->key_len, "failed"), w->failed) &&
			      is_u(get_raw(c, bnames[k], w->key, w->key_len, "auth_failed"),
				   w->auth_failed);
			for (int x = 0; x < w->ncodes; x++) {
				char field[24];
				if (w->codes[x])
					snprintf(field, sizeof(field), "failed_%d", w->codes[x]);
				else
					snprintf(field, sizeof(field), "failed_none");
				ok &= is_u(get_raw(c, bnames[k], w->key, w->key_len, field), w->code_n[x]);
			}
		}
		ok &= rows_of(c, bnames[k]) == want;
		nrows += bd[k]->n;
	}
	CHECK(ok, "%s: breakdowns: %zu rows, keys (from the log) round-trip, figures equal", what,
	      nrows);
	CHECK(rows_of(c, "limits") == 3 &&
	      is_u(get(c, "limits", "scanner_sources", "keys"), r->source_keys) &&
	      is_u(get(c, "limits", "scanner_sources", "unlisted"), r->source_unlisted) &&
	      is_u(get(c, "limits", "timeline", "unlisted"), r->timeline_unlisted),
	      "%s: limits: the sources table and the timeline, what they left out", what);

	/* files */
	ok = rows_of(c, "files") == 16 * r->nfiles;
	for (size_t i = 0; i < r->nfiles; i++) {
		const struct report_file *f = &r->files[i];
		char k[24];
		snprintf(k, sizeof(k), "%zu", i + 1);
		const char *status = get(c, "files", k, "status");
		ok &= roundtrips(get(c, "files", k, "path"), f->path, strlen(f->path)) &&
		      roundtrips(get(c, "files", k, "format"), f->format, strlen(f->format)) &&
		      roundtrips(get(c, "files", k, "error"), f->error ? f->error : "",
				 f->error ? strlen(f->error) : 0) &&
		      is_u(get(c, "files", k, "format_detected"), (uint64_t)!!f->format_auto) &&
		      is_u(get(c, "files", k, "gzip"), (uint64_t)!!f->gzip) &&
		      is_u(get(c, "files", k, "bytes"), f->bytes) &&
		      is_u(get(c, "files", k, "stored_bytes"), f->stored_bytes) &&
		      is_u(get(c, "files", k, "lines"), f->lines) &&
		      is_u(get(c, "files", k, "records"), f->records) &&
		      is_u(get(c, "files", k, "incomplete"), f->incomplete) &&
		      is_u(get(c, "files", k, "lines_cut"), f->lines_cut) &&
		      is_u(get(c, "files", k, "match_limited"), f->match_limited) &&
		      roundtrips(get(c, "files", k, "note"), f->note ? f->note : "",
				 f->note ? strlen(f->note) : 0) &&
		      is_time(get(c, "files", k, "first_time"), f->first_time) &&
		      is_time(get(c, "files", k, "last_time"), f->last_time) && status &&
		      !strcmp(status, file_status_name(f->status));
	}
	CHECK(ok, "%s: files: %zu files, paths and errors round-trip, figures equal", what,
	      r->nfiles);
}

static void test_analysed(void)
{
	struct report r, r2;
	struct buf b = {0}, b2 = {0};
	struct csv c;

	analysed_report(&r, 1795525200 * SEC, 0.25);
	render_csv(&b, &r);
	buf_cstr(&b);
	if (getenv("CSV_OUT")) {
		FILE *f = fopen(getenv("CSV_OUT"), "wb");
		if (f) {
			fwrite(b.p, 1, b.len, f);
			fclose(f);
		}
	}
	/* the analysis kept every hostile Call-ID (but the empty one) as a stuck example */
	const struct problem *stuck = NULL;
	for (size_t i = 0; i < r.nproblems; i++)
		if (r.problems[i].pid == PAT_STUCK_AFTER_100)
			stuck = &r.problems[i];
	int all = stuck != NULL;
	for (size_t h = 0; stuck && h < NHOSTILE; h++) {
		size_t len = strlen(hostile[h]);
		int found = len == 0;
		for (size_t k = 0; k < stuck->nexamples; k++)
			found |= stuck->examples[k].call_id_len == len &&
				 !memcmp(stuck->examples[k].call_id, hostile[h], len);
		all &= found;
	}
	CHECK(all, "every hostile Call-ID is a stuck-after-100 example in the model");
	CHECK(r.trying_delay.known && r.kpi.acd_us > 0 && r.www_auth.not_retried == 1 &&
	      r.proxy_auth.rechallenged == 1, "the analysed model has every section filled");
	check_csv(&b, &r, &c, "analysed");
	CHECK(strstr(b.p, "\"problem_examples\",\"stuck-after-100/1\",\"call_id\",\"'=cmd|' /C "
			  "calc'!A0\"\r\n") != NULL, "the DDE Call-ID written defused, as documented");
	CHECK(strstr(b.p, "\"files\",\"2\",\"path\",\"'-\"\r\n") &&
	      strstr(b.p, "\"files\",\"2\",\"error\",\"'+truncated \"\"gzip\"\",\\nstream\"\r\n"),
	      "a path \"-\" and an error with quotes, comma and newline written as documented");
	size_t crlf = 0, bare = 0;
	for (size_t i = 0; i < b.len; i++) {
		if (b.p[i] == '\r' && i + 1 < b.len && b.p[i + 1] == '\n')
			crlf++, i++;
		else if (b.p[i] == '\r' || b.p[i] == '\n')
			bare++;
	}
	CHECK(crlf == c.n && bare == 0, "one CRLF per record, no raw CR or LF inside a field "
	      "(%zu records)", c.n);
	csv_free(&c);

	/* deterministic, and the run section is not written */
	analysed_report(&r2, 1795525200 * SEC, 99.0);
	r2.run.threads = 16;
	render_csv(&b2, &r2);
	CHECK(b2.len == b.len && !memcmp(b.p, b2.p, b.len), "same input, same bytes, any run");
	buf_free(&b);
	buf_free(&b2);
	report_release(&r);
	report_release(&r2);
}

/* No times, figures set by hand, hostile strings wherever the model holds log bytes. */
static void test_by_hand(void)
{
	struct report r;
	struct buf b = {0};
	struct csv c;

	analysed_report(&r, TIME_UNKNOWN, 0.1);
	CHECK(!r.have_times && !r.trying_delay.known && r.kpi.acd_us < 0,
	      "a log without times: delays and ACD unknown");
	r.kpi.seer = (struct ratio){ 0, 0 };
	r.kpi.scr = (struct ratio){ 2, 3 };
	/* hand-made examples for a pattern, and one file per hostile string */
	for (size_t i = 0; i < r.nfiles; i++) {
		free(r.files[i].path);
		free(r.files[i].error);
	}
	free(r.files);
	r.files = xcalloc(NHOSTILE, sizeof(*r.files));
	r.nfiles = NHOSTILE;
	for (size_t i = 0; i < NHOSTILE; i++) {
		size_t len = strlen(hostile[i]);
		r.files[i] = (struct report_file){ .path = xstrndup(hostile[i], len),
			.format = i % 2 ? "=acme" : "kamailio", .bytes = i * 1000,
			.first_time = TIME_UNKNOWN, .last_time = TIME_UNKNOWN,
			.status = i % 3 ? FILE_OK : FILE_ERROR,
			.error = i % 3 ? NULL : xstrndup(hostile[NHOSTILE - 1 - i],
							strlen(hostile[NHOSTILE - 1 - i])) };
	}
	struct problem *p = &r.problems[r.nproblems++];
	memset(p, 0, sizeof(*p));
	p->pid = PAT_AUTH_SCANNER;
	p->severity = SEV_LOW;
	p->count = 3;
	p->denominator = 0;
	p->first_time = 1795525200 * SEC;
	p->last_time = 1795532400 * SEC;
	p->hours = xcalloc(2, sizeof(*p->hours));
	p->hours[p->nhours++] = (struct problem_hour){ 1795525200 * SEC, 2 };
	p->hours[p->nhours++] = (struct problem_hour){ 1795532400 * SEC, 1 };
	p->examples = xcalloc(NHOSTILE, sizeof(*p->examples));	/* report_release() frees */
	for (size_t i = 0; i < NHOSTILE && i < REPORT_MAX_EXAMPLES; i++) {
		size_t k = NHOSTILE - 1 - i;
		p->examples[p->nexamples++] = (struct example){
			.call_id = xstrndup(hostile[k], strlen(hostile[k])),
			.call_id_len = strlen(hostile[k]), .file = (uint32_t)i, .line = i + 7 };
	}
	render_csv(&b, &r);
	buf_cstr(&b);
	check_csv(&b, &r, &c, "by hand");
	CHECK(get(&c, "kpi", "seer", "percent") && !*get(&c, "kpi", "seer", "percent") &&
	      get(&c, "kpi", "scr", "percent") && !strcmp(get(&c, "kpi", "scr", "percent"), "66.6667"),
	      "percent empty when den is 0, 4 decimals otherwise (66.6667)");
	CHECK(get(&c, "problems", "auth-scanner", "share") &&
	      !*get(&c, "problems", "auth-scanner", "share"), "a share of nothing is empty");
	CHECK(get(&c, "trying_to_final", "delay", "p50_ms") &&
	      !*get(&c, "trying_to_final", "delay", "p50_ms") && get(&c, "kpi", "acd", "ms") &&
	      !*get(&c, "kpi", "acd", "ms") && get(&c, "totals", "time", "first") &&
	      !*get(&c, "totals", "time", "first"), "no times: delays, ACD, time range empty, not 0");
	CHECK(strstr(b.p, "\"files\",\"5\",\"path\",\"'\\tx\"\r\n") &&
	      strstr(b.p, "\"files\",\"6\",\"path\",\"'\\rx\"\r\n") &&
	      strstr(b.p, "\"files\",\"2\",\"format\",\"'=acme\"\r\n"),
	      "TAB and CR first: apostrophe, then the control made visible");
	csv_free(&c);
	buf_free(&b);
	report_release(&r);

	/* nothing scanned */
	struct analysis_opts o = { .call_timeout_s = 32, .ring_timeout_s = 180, .slow_setup_s = 10,
				   .examples = 3, .scanner_threshold = 10, .top = 10 };
	struct analysis *an = analysis_new(&o);
	memset(&r, 0, sizeof(r));
	analysis_finish(an, &r);
	analysis_free(an);
	render_csv(&b, &r);
	buf_cstr(&b);
	check_csv(&b, &r, &c, "empty");
	CHECK(rows_of(&c, "files") == 0 && rows_of(&c, "problems") == 0 &&
	      rows_of(&c, "kpi") > 0, "empty: no file or problem rows; the fixed tables are there");
	csv_free(&c);
	buf_free(&b);
	report_release(&r);
}

int main(void)
{
	test_parser();
	test_analysed();
	test_by_hand();
	return test_done();
}
