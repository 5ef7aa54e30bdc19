/*
 * calls.c - `siplogscan calls [FILTERS] FILE...`: the calls behind a figure of the report,
 * one line each, as text, JSON, CSV or NDJSON.
 *
 * The calls are the report's own: the run is a report's run (main.h siplogscan_run()) with
 * the same inputs, window and analysis options, and each call's summary is the one
 * --calls-ndjson writes (struct call_summary), taken as the call settles. So a filter on a
 * problem or a code counts exactly what the report counts, and rows come out at every tick
 * of the analysis (every 8,192 messages), long before the scan of a large archive ends: the
 * list is never held, only --limit rows are counted.
 *
 * Also here, for src/show.c: the glob over bytes and the address filter, and the report
 * options both subcommands hand on to the run.
 */
#include "calls.h"
#include "analysis.h"
#include "escape.h"
#include "knowledge.h"
#include "main.h"
#include "render.h"
#include "timeparse.h"
#include "util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

/* ---- the glob */

int glob_match(const char *pat, size_t pn, const char *s, size_t sn)
{
	size_t p = 0, i = 0, star_p = (size_t)-1, star_i = 0;

	/* the classic backtrack to the last '*': linear in practice, quadratic at worst, and
	 * both strings are bounded (a Call-ID by the scanner, a pattern by the command line) */
	while (i < sn) {
		if (p < pn && pat[p] == '*') {
			star_p = ++p;
			star_i = i;
			continue;
		}
		if (p < pn) {
			size_t q = p;
			if (pat[q] == '\\' && q + 1 < pn)
				q++;
			if ((pat[p] == '?' && q == p) || pat[q] == s[i]) {
				p = q + 1;
				i++;
				continue;
			}
		}
		if (star_p == (size_t)-1)
			return 0;
		p = star_p;
		i = ++star_i;
	}
	while (p < pn && pat[p] == '*')
		p++;
	return p == pn;
}

/* ---- addresses */

int addr_filter_parse(struct addr_filter *f, const char *text)
{
	char host[256];
	const char *slash = strchr(text, '/');
	size_t n = slash ? (size_t)(slash - text) : strlen(text);
	unsigned max;

	memset(f, 0, sizeof(*f));
	if (!n || n >= sizeof(host))
		return -1;
	memcpy(host, text, n);
	host[n] = '\0';
	if (host[0] == '[' && host[n - 1] == ']') {	/* [2001:db8::1] */
		memmove(host, host + 1, n - 2);
		host[n - 2] = '\0';
	}
	if (inet_pton(AF_INET, host, f->a) == 1) {
		f->family = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, host, f->a) == 1) {
		f->family = AF_INET6;
		max = 128;
	} else {
		if (slash)
			return -1;	/* a prefix of a name means nothing */
		f->name_len = n;
		memcpy(f->name, host, n);
		return 0;
	}
	f->prefix = max;
	if (slash) {
		char *end;
		errno = 0;
		unsigned long v = strtoul(slash + 1, &end, 10);
		if (slash[1] < '0' || slash[1] > '9' || *end || errno || v > max)
			return -1;
		f->prefix = (unsigned)v;
	}
	return 0;
}

int addr_filter_match(const struct addr_filter *f, struct str s)
{
	struct str a = source_address(s);
	char t[64];
	unsigned char b[16];

	if (!f->family)
		return a.n == f->name_len && a.n && !strncasecmp(a.p, f->name, a.n);
	if (!a.n || a.n >= sizeof(t))
		return 0;
	memcpy(t, a.p, a.n);
	t[a.n] = '\0';
	if (inet_pton(f->family, t, b) != 1)
		return 0;
	unsigned whole = f->prefix / 8, rest = f->prefix % 8;
	if (memcmp(b, f->a, whole))
		return 0;
	return !rest || ((b[whole] ^ f->a[whole]) & (0xff00u >> rest) & 0xff) == 0;
}

/* ---- the report options handed on */

const char calls_run_usage[] =
"Options of the report that apply here as they do there (man siplogscan):\n"
"  --since TIME, --until TIME   only calls that started in the window\n"
"  --tz ZONE                    the zone of zoneless stamps, and of the times shown\n"
"  -j, --threads N, --block-size SIZE, -l, --log-format FMT|PROFILE\n"
"  --call-timeout SEC, --session-timeout SEC, --slow-setup SEC, --max-calls N,\n"
"  --scanner-threshold N, -q, --quiet\n"
"  --host-from REGEX, --host NAME=GLOB   several proxies read side by side (README,\n"
"                               \"Several proxies in one run\")\n";

int calls_run_option(int c, const char *arg, char **argv, int *argc)
{
	static const struct { int c; const char *name; } names[] = {
		{ 's', "--since" }, { 'u', "--until" }, { 'Z', "--tz" }, { 'j', "--threads" },
		{ 'B', "--block-size" }, { 'l', "--log-format" }, { 'T', "--call-timeout" },
		{ 'D', "--session-timeout" }, { 'S', "--slow-setup" }, { 'M', "--max-calls" },
		{ 'N', "--scanner-threshold" }, { 'q', "--quiet" }, { 'Y', "--host-from" },
		{ 'y', "--host" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (names[i].c != c)
			continue;
		argv[(*argc)++] = (char *)names[i].name;
		if (c != 'q')
			argv[(*argc)++] = (char *)arg;	/* its own word: any bytes */
		return 1;
	}
	return 0;
}

/* ---- filters */

#define FILTER_MAX 16	/* values of one filter (any of them matches) */

struct filters {
	const char *callid[FILTER_MAX];
	const char *user[FILTER_MAX];
	struct addr_filter src[FILTER_MAX], hop[FILTER_MAX];
	int code[FILTER_MAX];	/* NNN; N00 + 1000: a class Nxx; -1: no outcome */
	unsigned problems;	/* any of them */
	unsigned kinds;		/* 1 << enum call_kind, any of them; 0: all */
	int ncallid, nuser, nsrc, nhop, ncode;
	int64_t min_setup_us;	/* -1: none */
};

/* The user part of a destination (user@host): what a number filter looks at. */
static struct str dest_user(struct str d)
{
	const char *at = d.n ? memchr(d.p, '@', d.n) : NULL;

	return at ? (struct str){ d.p, (size_t)(at - d.p) } : (struct str){ NULL, 0 };
}

static int code_match(int want, int outcome)
{
	if (want < 0)
		return outcome == 0;
	if (want >= 1000)
		return outcome / 100 == (want - 1000) / 100;
	return outcome == want;
}

static int filters_match(const struct filters *f, const struct call_summary *cs)
{
	int any;

	if (f->kinds && !(f->kinds & (1u << cs->kind)))
		return 0;
	if (f->problems && !(f->problems & cs->problems))
		return 0;
	if (f->min_setup_us >= 0 && !(cs->pdd_us >= f->min_setup_us))
		return 0;
	if (f->ncode) {
		any = 0;
		for (int i = 0; i < f->ncode && !any; i++)
			any = code_match(f->code[i], cs->outcome);
		if (!any)
			return 0;
	}
	if (f->ncallid) {
		any = 0;
		/* the Call-ID itself, byte for byte, whatever glob characters it holds */
		for (int i = 0; i < f->ncallid && !any; i++) {
			size_t n = strlen(f->callid[i]);
			any = (n == cs->call_id.n && !memcmp(f->callid[i], cs->call_id.p, n)) ||
			      glob_match(f->callid[i], n, cs->call_id.p, cs->call_id.n);
		}
		if (!any)
			return 0;
	}
	if (f->nuser) {
		/* the called number of the request URI, the From user or the To user */
		struct str u[3] = { dest_user(cs->dest), cs->from_user, cs->to_user };
		any = 0;
		for (int i = 0; i < f->nuser && !any; i++)
			for (int k = 0; k < 3 && !any; k++)
				any = u[k].n && glob_match(f->user[i], strlen(f->user[i]), u[k].p,
							   u[k].n);
		if (!any)
			return 0;
	}
	if (f->nsrc) {
		any = 0;
		for (int i = 0; i < f->nsrc && !any; i++)
			any = addr_filter_match(&f->src[i], cs->src);
		if (!any)
			return 0;
	}
	if (f->nhop) {
		any = 0;
		for (int i = 0; i < f->nhop && !any; i++)
			for (int k = 0; k < 2 && !any; k++)
				any = cs->hop[k].n && addr_filter_match(&f->hop[i], cs->hop[k]);
		if (!any)
			return 0;
	}
	return 1;
}

/* ---- output */

enum calls_format { CF_TEXT, CF_JSON, CF_CSV, CF_NDJSON };

struct calls_run {
	struct filters f;
	enum calls_format format;
	uint64_t limit;		/* 0: no limit */
	uint64_t matched, written;
	struct buf b;
	int failed;		/* stdout could not be written */
};

static void flush_out(struct calls_run *r)
{
	if (r->b.len && !r->failed &&
	    (fwrite(r->b.p, 1, r->b.len, stdout) != r->b.len || fflush(stdout) != 0))
		r->failed = 1;
	buf_reset(&r->b);
}

/* one text cell: the escaped string, or "-", padded to width with a space after */
static void cell(struct buf *b, struct str s, size_t width)
{
	size_t start = b->len;

	if (s.n)
		esc_text(b, s.p, s.n);
	else
		buf_addc(b, '-');
	size_t n = b->len - start;	/* bytes: a wide character pads less, harmless */
	do
		buf_addc(b, ' ');
	while (++n < width + 1);
}

static void cell_s(struct buf *b, const char *s, size_t width)
{
	cell(b, (struct str){ s, strlen(s) }, width);
}

static void put_hops(struct buf *b, const struct call_summary *cs)
{
	if (!cs->hop[0].n) {
		buf_addc(b, '-');
		return;
	}
	esc_text(b, cs->hop[0].p, cs->hop[0].n);
	if (cs->hop[1].n) {
		buf_addc(b, ',');
		esc_text(b, cs->hop[1].p, cs->hop[1].n);
	}
}

static const char *outcome_word(const struct call_summary *cs)
{
	if (!cs->outcome)
		return "no-final";
	if (cs->outcome < 300)
		return "answered";
	if (!cs->final_code)
		return "challenged";	/* a 401/407 stood: never retried, or retried in vain */
	return "failed";
}

static void text_header(struct buf *b)
{
	buf_adds(b, "time                        method   call-id                   user       "
		 "source           answered-by              code outcome    setup     problems  at\n");
}

static void text_row(struct buf *b, const struct call_summary *cs, const char *path)
{
	char t[TIME_LOCAL_MAX], code[16];
	struct buf d = {0};

	cell_s(b, cs->open_first == TIME_UNKNOWN ? "-" : time_format_local(cs->open_first, t), 27);
	cell_s(b, sip_method_name(cs->method), 8);
	cell(b, cs->call_id, 25);
	/* the users: From -> To where logged, else the request URI's user */
	if (cs->from_user.n || cs->to_user.n) {
		size_t u0 = b->len;
		if (cs->from_user.n)
			esc_text(b, cs->from_user.p, cs->from_user.n);
		buf_adds(b, "->");
		if (cs->to_user.n)
			esc_text(b, cs->to_user.p, cs->to_user.n);
		size_t n = b->len - u0;
		do
			buf_addc(b, ' ');
		while (++n < 10 + 1);
	} else {
		cell(b, dest_user(cs->dest), 10);
	}
	cell(b, cs->src, 16);
	/* both responders: which is the next hop and which the proxy itself the report decides
	 * from every call's votes, at the end (docs/calls-ndjson.md, responders) */
	size_t h0 = b->len;
	put_hops(b, cs);
	size_t n = b->len - h0;
	do
		buf_addc(b, ' ');
	while (++n < 24 + 1);
	snprintf(code, sizeof(code), "%d", cs->outcome);
	cell_s(b, cs->outcome ? code : "-", 4);
	cell_s(b, outcome_word(cs), 10);
	if (cs->pdd_us >= 0)
		fmt_dur(&d, cs->pdd_us);
	cell_s(b, cs->pdd_us >= 0 ? buf_cstr(&d) : "-", 9);
	buf_free(&d);
	int np = 0;
	for (int p = 0; p < PAT_COUNT; p++) {
		if (!(cs->problems & (1u << p)))
			continue;
		buf_adds(b, np++ ? "," : "");
		buf_adds(b, knowledge_pattern((enum pattern_id)p)->id);
	}
	buf_adds(b, np ? " " : "-  ");
	esc_text(b, path, strlen(path));
	buf_printf(b, ":%llu\n", (unsigned long long)cs->line);
}

static void on_call(void *ctx, const struct call_summary *cs, const char *path)
{
	struct calls_run *r = ctx;

	if (!filters_match(&r->f, cs))
		return;
	r->matched++;
	if (r->limit && r->written >= r->limit)
		return;
	switch (r->format) {
	case CF_TEXT:
		text_row(&r->b, cs, path);
		break;
	case CF_CSV:
		render_calls_csv_row(&r->b, cs, path);
		break;
	case CF_JSON:
		buf_adds(&r->b, r->written ? ",\n" : "\n");
		render_calls_ndjson_row(&r->b, cs, path);
		r->b.len--;	/* its newline: the array's comma comes first */
		break;
	case CF_NDJSON:
		render_calls_ndjson_row(&r->b, cs, path);
		break;
	}
	r->written++;
	/* rows leave as they come (a tick's batch is small): the first lines of a large
	 * archive show while it is scanned */
	flush_out(r);
}

static const char calls_usage[] =
"usage: siplogscan calls [FILTERS] [OPTIONS] FILE...\n"
"\n"
"List the calls of the logs that match every filter given (a filter given twice matches\n"
"either value), one line each, as they settle in the analysis - the same calls, with the\n"
"same figures, as the report of the same logs and options counts:\n"
"time, method, Call-ID, users (FROM->TO where logged, else the request URI's user), source,\n"
"answered-by (the first two addresses other than the caller's that answered its INVITE:\n"
"the proxy itself, then the next hop, in a log where the proxy answers too), outcome code\n"
"and word, setup (post-dial delay), the problems it counted for, and the file and line of\n"
"its first message.\n"
"\n"
"Filters:\n"
"      --callid ID          the Call-ID, byte for byte, or a glob: * any bytes, ? one\n"
"                           byte, \\ takes the next one as it is\n"
"      --user NUMBER        the From, To or request URI user (a glob: --user '+4930*')\n"
"      --src ADDR[/PREFIX]  the first request's source address (IPv4, IPv6 or a name)\n"
"      --hop ADDR[/PREFIX]  an address that answered the INVITE (answered-by: the next hop)\n"
"      --code CODE          the outcome: 503, a class 5xx, or none (no final response); a\n"
"                           401/407 that was never retried, or retried in vain, is its code\n"
"      --problem ID         a problem the call counted for in the report: stuck-after-100,\n"
"                           no-final-no-100, slow-setup, proxy-auth-not-retried,\n"
"                           proxy-auth-rejected, www-auth-not-retried, www-auth-rejected,\n"
"                           request-timeout, server-errors, global-failures\n"
"      --kind KIND          call, registration, options or other (default: every kind)\n"
"      --min-setup SEC      post-dial delay at least SEC seconds\n"
"      --since TIME, --until TIME  calls that started in the window (as the report's)\n"
"Output:\n"
"  -f, --format FMT         text (default), json, csv (the --calls-csv columns, docs/csv.md)\n"
"                           or ndjson (the --calls-ndjson rows, docs/calls-ndjson.md)\n"
"      --limit N            at most N calls (the count of all that matched is on stderr)\n"
"\n"
"Rows come in the order calls settle (every 8,192 messages, those settled since, by their\n"
"first message), while the logs are read. Exit status: 0, also when no call matched\n"
"(stderr says so); 2 usage error or an input that could not be read.\n"
"\n";

enum { O_CALLID = 256, O_USER, O_SRC, O_HOP, O_CODE, O_PROBLEM, O_KIND, O_MIN_SETUP, O_LIMIT };

static int calls_usage_error(const char *what, const char *arg)
{
	struct buf e = {0};

	esc_text(&e, arg, strlen(arg));
	fprintf(stderr, "siplogscan calls: %s, got '%s'\n"
		"Try 'siplogscan calls --help' for more information.\n", what, buf_cstr(&e));
	buf_free(&e);
	return 2;
}

/* --code: 503, 5xx, none */
static int parse_code(const char *s, int *out)
{
	if (!strcmp(s, "none")) {
		*out = -1;
		return 0;
	}
	if (strlen(s) != 3 || s[0] < '1' || s[0] > '6')
		return -1;
	if ((s[1] == 'x' || s[1] == 'X') && (s[2] == 'x' || s[2] == 'X')) {
		*out = 1000 + (s[0] - '0') * 100;
		return 0;
	}
	if (s[1] < '0' || s[1] > '9' || s[2] < '0' || s[2] > '9')
		return -1;
	*out = atoi(s);
	return 0;
}

int calls_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "callid", required_argument, NULL, O_CALLID },
		{ "user", required_argument, NULL, O_USER },
		{ "src", required_argument, NULL, O_SRC },
		{ "hop", required_argument, NULL, O_HOP },
		{ "code", required_argument, NULL, O_CODE },
		{ "problem", required_argument, NULL, O_PROBLEM },
		{ "kind", required_argument, NULL, O_KIND },
		{ "min-setup", required_argument, NULL, O_MIN_SETUP },
		{ "limit", required_argument, NULL, O_LIMIT },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		CALLS_RUN_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	struct calls_run r = { .f.min_setup_us = -1 };
	/* the run's command line: at most two words per option, the inputs, and "--" */
	char **rargv = xcalloc((size_t)argc * 2 + 4, sizeof(*rargv));
	int rargc = 0, c, rc = 2, quiet = 0;
	struct filters *f = &r.f;

	rargv[rargc++] = "siplogscan";
	optind = 0;
	while ((c = getopt_long(argc, argv, "f:h" CALLS_RUN_SHORT, longopts, NULL)) != -1) {
		const char *bad = NULL;
		switch (c) {
		case O_CALLID:
			if (f->ncallid == FILTER_MAX)
				bad = "--callid: at most 16";
			else
				f->callid[f->ncallid++] = optarg;
			break;
		case O_USER:
			if (f->nuser == FILTER_MAX)
				bad = "--user: at most 16";
			else
				f->user[f->nuser++] = optarg;
			break;
		case O_SRC:
		case O_HOP: {
			int *n = c == O_SRC ? &f->nsrc : &f->nhop;
			struct addr_filter *a = c == O_SRC ? f->src : f->hop;
			if (*n == FILTER_MAX || addr_filter_parse(&a[*n], optarg) < 0)
				bad = c == O_SRC ? "--src: expected ADDR or ADDR/PREFIX (at most 16)" :
				      "--hop: expected ADDR or ADDR/PREFIX (at most 16)";
			else
				(*n)++;
			break;
		}
		case O_CODE:
			if (f->ncode == FILTER_MAX || parse_code(optarg, &f->code[f->ncode]) < 0)
				bad = "--code: expected a code (503), a class (5xx) or none";
			else
				f->ncode++;
			break;
		case O_PROBLEM: {
			const struct pattern_info *p = knowledge_pattern_by_id(optarg);
			if (!p)
				bad = "--problem: expected a problem id ('siplogscan explain --list')";
			else if (!problem_lists_calls(p->pid))
				bad = "--problem: this problem counts sources, accounts or records, not "
				      "calls: see the report's scanner and authentication tables";
			else
				f->problems |= 1u << p->pid;
			break;
		}
		case O_KIND: {
			static const char *const kinds[] = { [KIND_CALL] = "call",
				[KIND_REGISTRATION] = "registration", [KIND_OPTIONS] = "options",
				[KIND_OTHER] = "other" };
			int k = 0;
			while (k < 4 && strcmp(optarg, kinds[k]))
				k++;
			if (k == 4)
				bad = "--kind: expected call, registration, options or other";
			else
				f->kinds |= 1u << k;
			break;
		}
		case O_MIN_SETUP: {
			double v;
			const char *end = parse_decimal(optarg, &v);
			if (!end || *end || !(v >= 0 && v <= 86400))
				bad = "--min-setup: expected seconds, 0..86400";
			else
				f->min_setup_us = (int64_t)(v * 1e6 + 0.5);
			break;
		}
		case O_LIMIT: {
			char *end;
			errno = 0;
			unsigned long long v = strtoull(optarg, &end, 10);
			if (optarg[0] < '0' || optarg[0] > '9' || *end || errno || !v)
				bad = "--limit: expected a number of calls, 1 or more";
			else
				r.limit = v;
			break;
		}
		case 'f':
			if (!strcmp(optarg, "text"))
				r.format = CF_TEXT;
			else if (!strcmp(optarg, "json"))
				r.format = CF_JSON;
			else if (!strcmp(optarg, "csv"))
				r.format = CF_CSV;
			else if (!strcmp(optarg, "ndjson"))
				r.format = CF_NDJSON;
			else
				bad = "--format: expected text, json, csv or ndjson";
			break;
		case 'h':
			fputs(calls_usage, stdout);
			fputs(calls_run_usage, stdout);
			free(rargv);
			return 0;
		default:
			quiet |= c == 'q';
			if (calls_run_option(c, optarg, rargv, &rargc))
				break;
			fprintf(stderr, "Try 'siplogscan calls --help' for more information.\n");
			free(rargv);
			return 2;
		}
		if (bad) {
			free(rargv);
			return calls_usage_error(bad, optarg);
		}
	}
	if (optind == argc) {
		free(rargv);
		fprintf(stderr, "siplogscan calls: no input: name log files, or '-' to read stdin\n"
			"Try 'siplogscan calls --help' for more information.\n");
		return 2;
	}
	rargv[rargc++] = "--";
	while (optind < argc)
		rargv[rargc++] = argv[optind++];

	switch (r.format) {
	case CF_TEXT:
		text_header(&r.b);
		break;
	case CF_CSV:
		render_calls_csv_header(&r.b);
		break;
	case CF_JSON:
		buf_adds(&r.b, "{\"schema\":\"siplogscan.calls/1\",\"calls\":[");
		break;
	case CF_NDJSON:
		break;
	}
	flush_out(&r);
	struct run_hooks h = { .ctx = &r, .call_fn = on_call, .no_report = 1 };
	rc = siplogscan_run(rargc, rargv, &h);
	if (r.format == CF_JSON)
		buf_printf(&r.b, "%s],\"matched\":%llu,\"written\":%llu}\n", r.written ? "\n" : "",
			   (unsigned long long)r.matched, (unsigned long long)r.written);
	flush_out(&r);
	buf_free(&r.b);
	free(rargv);
	if (r.failed) {
		err_errno("calls: cannot write stdout");
		return 2;
	}
	if (!quiet && rc != 2) {
		if (!r.matched)
			err_msg("no call matched");
		else if (r.limit && r.matched > r.written)
			err_msg("%llu calls matched, the first %llu shown (--limit)",
				(unsigned long long)r.matched, (unsigned long long)r.written);
	}
	return rc;
}
