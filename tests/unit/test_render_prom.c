/*
 * test_render_prom.c - unit tests for src/render_prom.c: the output is valid Prometheus text
 * exposition format 0.0.4 and every sample equals the report model.
 *
 * The output is read back by a parser written here from the format's description, not from
 * the renderer, and stricter than Prometheus where the textfile collector is strict too:
 *   - every line ends with '\n'; "# HELP name text" and "# TYPE name type" at most once per
 *     name and before the family's first sample; no other comment, no empty line;
 *   - metric names match [a-zA-Z_:][a-zA-Z0-9_:]*, label names [a-zA-Z_][a-zA-Z0-9_]* (not
 *     "__..."), label values are quoted with only \\ \" \n escapes and valid UTF-8, HELP
 *     text has only \\ and \n escapes;
 *   - a value is a float (or NaN, +Inf, -Inf); no timestamp (the textfile collector refuses
 *     them); every sample belongs to a family with a TYPE, families are contiguous;
 *   - no series twice (name and label set); counters are named *_total, gauges are not;
 *     counters are finite and >= 0.
 * The parser is first shown to reject each of those mistakes, so that its passing means
 * something. siplogscan's own rule on top: every figure describes the run's input, so every
 * family is a gauge, none named like a counter's or a summary's series (_total, _sum,
 * _count), no quantile or le label; --label labels come on every sample, escaped.
 * The model is built the real way (hand-made events through the analysis), with
 * hostile Call-IDs ("=cmd|' /C calc'!A0", quotes, newline, 10 kB) that must not reach the
 * output, and by hand for the unknown cases (no times, ratios of nothing, no ACD) and for
 * label escaping (a version string with a quote, backslash and newline).
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
#include "figures.h"
#include "render.h"
#include "report.h"
#include "timeparse.h"
#include "util.h"

#define SEC INT64_C(1000000)

/* ---- a strict exposition-format parser */

#define MAX_LABELS 8
#define MAX_FAMILIES 128

struct sample {
	char *name;
	int nl;
	char *ln[MAX_LABELS], *lv[MAX_LABELS];
	double v;
};

struct family_rec {
	char *name;
	char type[16];
	int help, typed, samples, closed;
};

struct expo {
	struct sample *s;
	size_t ns, cap;
	struct family_rec f[MAX_FAMILIES];
	int nf;
	char err[200];
};

static int is_name_start(int c, int colon)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colon && c == ':');
}

static int is_name_char(int c, int colon)
{
	return is_name_start(c, colon) || (c >= '0' && c <= '9');
}

/* Length of a name at p (metric names allow ':', label names do not), 0 when none. */
static size_t name_len(const char *p, int colon)
{
	size_t n = 0;

	if (!is_name_start((unsigned char)p[0], colon))
		return 0;
	while (is_name_char((unsigned char)p[n], colon))
		n++;
	return n;
}

static int utf8_valid(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned c = p[i];
		size_t len = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 :
			     (c & 0xf8) == 0xf0 ? 4 : 0;
		if (!len || i + len > n || (len == 2 && c < 0xc2))
			return 0;
		for (size_t k = 1; k < len; k++)
			if ((p[i + k] & 0xc0) != 0x80)
				return 0;
		i += len;
	}
	return 1;
}

static int expo_fail(struct expo *e, int lineno, const char *why)
{
	snprintf(e->err, sizeof(e->err), "line %d: %s", lineno, why);
	return -1;
}

static struct family_rec *family(struct expo *e, const char *name, size_t n)
{
	for (int i = 0; i < e->nf; i++)
		if (strlen(e->f[i].name) == n && memcmp(e->f[i].name, name, n) == 0)
			return &e->f[i];
	if (e->nf == MAX_FAMILIES)
		return NULL;
	struct family_rec *f = &e->f[e->nf++];
	memset(f, 0, sizeof(*f));
	f->name = xstrndup(name, n);
	return f;
}

/* A float as the format writes it: Go's ParseFloat forms without hex, or NaN, +Inf, -Inf. */
static int parse_value(const char *p, size_t n, double *v)
{
	char t[64];
	size_t i = 0;
	int digits = 0;

	if (n == 0 || n >= sizeof(t))
		return -1;
	memcpy(t, p, n);
	t[n] = '\0';
	if (!strcmp(t, "NaN") || !strcmp(t, "+Inf") || !strcmp(t, "-Inf")) {
		*v = strtod(t, NULL);
		return 0;
	}
	if (t[i] == '+' || t[i] == '-')
		i++;
	while (t[i] >= '0' && t[i] <= '9')
		i++, digits++;
	if (t[i] == '.') {
		i++;
		while (t[i] >= '0' && t[i] <= '9')
			i++, digits++;
	}
	if (!digits)
		return -1;
	if (t[i] == 'e' || t[i] == 'E') {
		i++;
		if (t[i] == '+' || t[i] == '-')
			i++;
		if (!(t[i] >= '0' && t[i] <= '9'))
			return -1;
		while (t[i] >= '0' && t[i] <= '9')
			i++;
	}
	if (t[i])
		return -1;
	*v = strtod(t, NULL);
	return 0;
}

static void expo_free(struct expo *e)
{
	for (size_t i = 0; i < e->ns; i++) {
		free(e->s[i].name);
		for (int k = 0; k < e->s[i].nl; k++) {
			free(e->s[i].ln[k]);
			free(e->s[i].lv[k]);
		}
	}
	free(e->s);
	for (int i = 0; i < e->nf; i++)
		free(e->f[i].name);
	memset(e, 0, sizeof(*e));
}

static int same_labels(const struct sample *a, const struct sample *b)
{
	if (a->nl != b->nl)
		return 0;
	for (int i = 0; i < a->nl; i++) {
		int found = 0;
		for (int k = 0; k < b->nl; k++)
			found |= !strcmp(a->ln[i], b->ln[k]) && !strcmp(a->lv[i], b->lv[k]);
		if (!found)
			return 0;
	}
	return 1;
}

/* Parse text[0..n) into e; 0 when valid, else -1 with e->err set. */
static int expo_parse(struct expo *e, const char *text, size_t n)
{
	struct family_rec *cur = NULL;
	size_t i = 0;
	int lineno = 0;

	memset(e, 0, sizeof(*e));
	if (n == 0 || text[n - 1] != '\n')
		return expo_fail(e, 0, "the text does not end with a newline");
	while (i < n) {
		const char *l = text + i;
		const char *nl = memchr(l, '\n', n - i);
		size_t ll = (size_t)(nl - l);
		i += ll + 1;
		lineno++;
		if (ll == 0)
			return expo_fail(e, lineno, "empty line");
		if (memchr(l, '\r', ll) || memchr(l, '\0', ll))
			return expo_fail(e, lineno, "CR or NUL in a line");
		if (l[0] == '#') {
			int help = ll > 7 && !memcmp(l, "# HELP ", 7);
			int type = ll > 7 && !memcmp(l, "# TYPE ", 7);
			if (!help && !type)
				return expo_fail(e, lineno, "a comment other than HELP or TYPE");
			const char *nm = l + 7;
			size_t nn = name_len(nm, 1);
			if (!nn || nm + nn >= l + ll || nm[nn] != ' ')
				return expo_fail(e, lineno, "bad metric name in HELP/TYPE");
			struct family_rec *f = family(e, nm, nn);
			if (!f)
				return expo_fail(e, lineno, "too many families");
			if (f->samples)
				return expo_fail(e, lineno, "HELP/TYPE after the family's samples");
			const char *rest = nm + nn + 1;
			size_t rn = (size_t)(l + ll - rest);
			if (help) {
				if (f->help++)
					return expo_fail(e, lineno, "second HELP line");
				for (size_t k = 0; k < rn; k++)
					if (rest[k] == '\\' && (k + 1 == rn ||
								(rest[k + 1] != '\\' && rest[k + 1] != 'n')))
						return expo_fail(e, lineno, "bad escape in HELP");
					else if (rest[k] == '\\')
						k++;
				if (!utf8_valid((const unsigned char *)rest, rn))
					return expo_fail(e, lineno, "HELP is not UTF-8");
			} else {
				if (f->typed++)
					return expo_fail(e, lineno, "second TYPE line");
				if (rn >= sizeof(f->type))
					return expo_fail(e, lineno, "bad type");
				memcpy(f->type, rest, rn);
				f->type[rn] = '\0';
				if (strcmp(f->type, "counter") && strcmp(f->type, "gauge") &&
				    strcmp(f->type, "summary") && strcmp(f->type, "histogram") &&
				    strcmp(f->type, "untyped"))
					return expo_fail(e, lineno, "unknown type");
				if (!strcmp(f->type, "counter") &&
				    (nn < 6 || memcmp(nm + nn - 6, "_total", 6)))
					return expo_fail(e, lineno, "a counter not named *_total");
				if (!strcmp(f->type, "gauge") && nn >= 6 &&
				    !memcmp(nm + nn - 6, "_total", 6))
					return expo_fail(e, lineno, "a gauge named *_total");
			}
			continue;
		}
		/* a sample: name, labels, value */
		struct sample s = {0};
		size_t nn = name_len(l, 1), k;
		if (!nn)
			return expo_fail(e, lineno, "bad metric name");
		struct family_rec *f = NULL;
		/* a summary's _sum and _count belong to the summary's family */
		static const char *const sfx[] = { "_sum", "_count" };
		for (int q = 0; q < 2 && !f; q++) {
			size_t sn = strlen(sfx[q]);
			if (nn > sn && memcmp(l + nn - sn, sfx[q], sn) == 0 && cur &&
			    strlen(cur->name) == nn - sn && memcmp(cur->name, l, nn - sn) == 0 &&
			    !strcmp(cur->type, "summary"))
				f = cur;
		}
		if (!f)
			f = family(e, l, nn);
		if (!f || !f->typed)
			return expo_fail(e, lineno, "a sample without a TYPE line before it");
		if (f->closed)
			return expo_fail(e, lineno, "the family's samples are not contiguous");
		if (cur && cur != f)
			cur->closed = 1;
		cur = f;
		f->samples++;
		s.name = xstrndup(l, nn);
		k = nn;
		if (k < ll && l[k] == '{') {
			k++;
			while (k < ll && l[k] != '}') {
				size_t ln = name_len(l + k, 0);
				if (!ln || (ln >= 2 && l[k] == '_' && l[k + 1] == '_'))
					goto bad_label;
				if (s.nl == MAX_LABELS)
					goto bad_label;
				char *lname = xstrndup(l + k, ln);
				for (int q = 0; q < s.nl; q++)
					if (!strcmp(s.ln[q], lname)) {
						free(lname);
						goto bad_label;
					}
				k += ln;
				if (k + 1 >= ll || l[k] != '=' || l[k + 1] != '"') {
					free(lname);
					goto bad_label;
				}
				k += 2;
				struct buf v = {0};
				while (k < ll && l[k] != '"') {
					if (l[k] == '\\') {
						if (k + 1 >= ll)
							break;
						char c = l[k + 1];
						if (c != '\\' && c != '"' && c != 'n')
							break;
						buf_addc(&v, c == 'n' ? '\n' : c);
						k += 2;
					} else {
						buf_addc(&v, l[k++]);
					}
				}
				if (k >= ll || l[k] != '"' ||
				    !utf8_valid((const unsigned char *)v.p, v.len)) {
					free(lname);
					buf_free(&v);
					goto bad_label;
				}
				k++;
				s.ln[s.nl] = lname;
				s.lv[s.nl] = xstrndup(v.p ? v.p : "", v.len);
				s.nl++;
				buf_free(&v);
				if (k < ll && l[k] == ',')
					k++;
				else if (k >= ll || l[k] != '}')
					goto bad_label;
			}
			if (k >= ll)
				goto bad_label;
			k++;
		}
		if (k >= ll || l[k] != ' ')
			goto bad_sample;
		k++;
		if (memchr(l + k, ' ', ll - k)) {
			snprintf(e->err, sizeof(e->err), "line %d: a timestamp (or extra field)", lineno);
			goto free_sample;
		}
		if (parse_value(l + k, ll - k, &s.v) < 0)
			goto bad_sample;
		if (!strcmp(f->type, "counter") && !(s.v >= 0 && isfinite(s.v))) {
			snprintf(e->err, sizeof(e->err), "line %d: a counter below 0 or not finite",
				 lineno);
			goto free_sample;
		}
		for (size_t q = 0; q < e->ns; q++)
			if (!strcmp(e->s[q].name, s.name) && same_labels(&e->s[q], &s)) {
				snprintf(e->err, sizeof(e->err), "line %d: duplicate series", lineno);
				goto free_sample;
			}
		if (e->ns == e->cap) {
			e->cap = e->cap ? e->cap * 2 : 64;
			e->s = xrealloc(e->s, e->cap * sizeof(*e->s));
		}
		e->s[e->ns++] = s;
		continue;
bad_label:
		snprintf(e->err, sizeof(e->err), "line %d: bad label", lineno);
		goto free_sample;
bad_sample:
		snprintf(e->err, sizeof(e->err), "line %d: bad sample", lineno);
free_sample:
		free(s.name);
		for (int q = 0; q < s.nl; q++) {
			free(s.ln[q]);
			free(s.lv[q]);
		}
		return -1;
	}
	return 0;
}

/* The sample name{l1="v1",l2="v2"} (labels in any order; NULL ends them), or NULL. */
static const struct sample *find(const struct expo *e, const char *name, const char *l1,
				 const char *v1, const char *l2, const char *v2)
{
	struct sample want = { .name = (char *)name };

	if (l1) {
		want.ln[want.nl] = (char *)l1;
		want.lv[want.nl++] = (char *)v1;
	}
	if (l2) {
		want.ln[want.nl] = (char *)l2;
		want.lv[want.nl++] = (char *)v2;
	}
	for (size_t i = 0; i < e->ns; i++)
		if (!strcmp(e->s[i].name, name) && same_labels(&e->s[i], &want))
			return &e->s[i];
	return NULL;
}

static size_t count_series(const struct expo *e, const char *name)
{
	size_t n = 0;

	for (size_t i = 0; i < e->ns; i++)
		n += !strcmp(e->s[i].name, name);
	return n;
}

static const char *type_of(const struct expo *e, const char *name)
{
	for (int i = 0; i < e->nf; i++)
		if (!strcmp(e->f[i].name, name))
			return e->f[i].typed ? e->f[i].type : NULL;
	return NULL;
}

/* value of the sample equals want (integers exactly, seconds and ratios to 1e-9 relative) */
static int is(const struct sample *s, double want)
{
	return s && fabs(s->v - want) <= 1e-9 * (fabs(want) > 1 ? fabs(want) : 1);
}

/* ---- the parser rejects what it should */

static void test_parser(void)
{
	static const struct {
		const char *text, *why;
	} bad[] = {
		{ "# TYPE a_total counter\na_total 1", "no final newline" },
		{ "a_total 1\n", "sample without TYPE" },
		{ "# TYPE a_total counter\na_total 1\n# HELP a_total x\n", "HELP after samples" },
		{ "# TYPE a counter\na 1\n", "counter not named _total" },
		{ "# TYPE a_total gauge\na_total 1\n", "gauge named _total" },
		{ "# TYPE a_total counter\n# TYPE a_total counter\na_total 1\n", "second TYPE" },
		{ "# HELP a x\n# HELP a y\n# TYPE a gauge\na 1\n", "second HELP" },
		{ "# HELP a x\\t\n# TYPE a gauge\na 1\n", "bad escape in HELP" },
		{ "# TYPE 1a gauge\n1a 1\n", "name starts with a digit" },
		{ "# TYPE a gauge\na{x=\"1\"} 1\na{x=\"1\"} 2\n", "duplicate series" },
		{ "# TYPE a gauge\na{x=\"1\",y=\"2\"} 1\na{y=\"2\",x=\"1\"} 2\n",
		  "duplicate series, labels reordered" },
		{ "# TYPE a gauge\na{x=\"a\\tb\"} 1\n", "bad escape in a label value" },
		{ "# TYPE a gauge\na{x=\"a\"b\"} 1\n", "unescaped quote in a label value" },
		{ "# TYPE a gauge\na{__x=\"1\"} 1\n", "reserved label name" },
		{ "# TYPE a gauge\na{x=\"1\",x=\"2\"} 1\n", "label twice" },
		{ "# TYPE a gauge\na{x=\"\xff\"} 1\n", "label value not UTF-8" },
		{ "# TYPE a gauge\na 1 1700000000000\n", "timestamp" },
		{ "# TYPE a gauge\na 0x10\n", "hex value" },
		{ "# TYPE a gauge\na \n", "no value" },
		{ "# TYPE a gauge\na  1\n", "two spaces" },
		{ "# TYPE a_total counter\na_total -1\n", "negative counter" },
		{ "# TYPE a gauge\n# TYPE b gauge\na 1\nb 1\na{x=\"1\"} 1\n", "family not contiguous" },
		{ "# TYPE a gauge\na 1\n\n", "empty line" },
		{ "# TYPE a gauge\na 1\r\n", "CR" },
		{ "# a comment\n# TYPE a gauge\na 1\n", "other comment" },
	};
	struct expo e;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = expo_parse(&e, bad[i].text, strlen(bad[i].text));
		CHECK(rc < 0, "parser rejects: %s", bad[i].why);
		expo_free(&e);
	}
	static const char good[] = "# HELP a_total x \\\\ y\\n z\n# TYPE a_total counter\n"
				   "a_total{k=\"q\\\"b\\\\s\\nn\",j=\"\"} 1.5e3\n"
				   "# TYPE b gauge\nb -0.25\nb{x=\"1\"} NaN\n";
	int rc = expo_parse(&e, good, strlen(good));
	CHECK(rc == 0, "parser accepts a valid text %s", e.err);
	CHECK(is(find(&e, "a_total", "k", "q\"b\\s\nn", "j", ""), 1500),
	      "parser unescapes label values");
	CHECK(is(find(&e, "b", NULL, NULL, NULL, NULL), -0.25), "parser reads a negative gauge");
	expo_free(&e);
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
	ev.ua = S("Linphone/5.0");
	ev.ruri = S("sip:bob@example.net");
	ev.line = ++f->line;
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
	analysis_event(f->an, &ev);
}

static char big_cid[10240 + 1];
static const char *const hostile[] = {
	"=cmd|' /C calc'!A0", "+1", "-1", "@x", "\tx", "\"quoted\"", "a,b\nc", big_cid,
};
#define NHOSTILE (sizeof(hostile) / sizeof(hostile[0]))

/* Calls of every kind: hostile Call-IDs stuck after 100, answered and authenticated calls
 * ended with BYE, failures, a rejected 407, REGISTER with 401. */
static void analysed_report(struct report *r, int64_t t0)
{
	struct analysis_opts o = { .call_timeout_s = 32, .ring_timeout_s = 180, .slow_setup_s = 10,
				   .examples = 20, .scanner_threshold = 10, .top = 10 };
	struct feeder f = { analysis_new(&o), t0, 0 };
	char id[32];

	memset(big_cid, 'A', sizeof(big_cid) - 1);
	big_cid[0] = '=';
	for (size_t i = 0; i < NHOSTILE; i++) {
		req(&f, (int64_t)i, S(hostile[i]), METHOD_INVITE, 1, 0);
		rpl(&f, (int64_t)i + 1, S(hostile[i]), 100, 1, METHOD_INVITE);
	}
	for (int i = 0; i < 6; i++) {
		snprintf(id, sizeof(id), "ok-%d@10.0.0.4", i);
		int64_t t = 100 + i * 1000;
		req(&f, t, S(id), METHOD_INVITE, 1, 0);
		rpl(&f, t + 1, S(id), 407, 1, METHOD_INVITE);
		req(&f, t + 2, S(id), METHOD_INVITE, 2, EV_AUTH_PROXY);
		rpl(&f, t + 3, S(id), 100, 2, METHOD_INVITE);
		rpl(&f, t + 50, S(id), 180, 2, METHOD_INVITE);
		rpl(&f, t + 400 + i * 37, S(id), 200, 2, METHOD_INVITE);
		req(&f, t + 420 + i * 37, S(id), METHOD_ACK, 2, 0);
		req(&f, t + 900 + i * 37, S(id), METHOD_BYE, 3, 0);
		rpl(&f, t + 901 + i * 37, S(id), 200, 3, METHOD_BYE);
	}
	static const int codes[] = { 486, 503, 603, 408, 580 };
	for (int i = 0; i < 5; i++) {
		snprintf(id, sizeof(id), "fail-%d@10.0.0.5", i);
		req(&f, 8000 + i * 10, S(id), METHOD_INVITE, 1, EV_AUTH_PROXY);
		rpl(&f, 8001 + i * 10, S(id), 100, 1, METHOD_INVITE);
		rpl(&f, 8500 + i * 10, S(id), codes[i], 1, METHOD_INVITE);
	}
	req(&f, 9000, S("rej@10.0.0.6"), METHOD_INVITE, 1, 0);
	rpl(&f, 9001, S("rej@10.0.0.6"), 407, 1, METHOD_INVITE);
	req(&f, 9002, S("rej@10.0.0.6"), METHOD_INVITE, 2, EV_AUTH_PROXY);
	rpl(&f, 9003, S("rej@10.0.0.6"), 407, 2, METHOD_INVITE);
	for (int i = 0; i < 3; i++) {
		snprintf(id, sizeof(id), "reg-%d", i);
		req(&f, 9100 + i * 10, S(id), METHOD_REGISTER, 1, 0);
		rpl(&f, 9101 + i * 10, S(id), 401, 1, METHOD_REGISTER);
		if (i < 2) {
			req(&f, 9102 + i * 10, S(id), METHOD_REGISTER, 2, EV_AUTH_WWW);
			rpl(&f, 9104 + i * 10, S(id), 200, 2, METHOD_REGISTER);
		}
	}
	req(&f, 9200, S("opt-1"), METHOD_OPTIONS, 1, 0);
	rpl(&f, 9201, S("opt-1"), 200, 1, METHOD_OPTIONS);

	memset(r, 0, sizeof(*r));
	r->files = xcalloc(2, sizeof(*r->files));
	r->nfiles = 2;
	r->files[0] = (struct report_file){ .path = xstrndup("=cmd|' /C calc'!A0.log", 22),
		.format = "kamailio", .bytes = 123456, .stored_bytes = 123456, .lines = 1000,
		.records = 90, .first_time = TIME_UNKNOWN, .last_time = TIME_UNKNOWN,
		.status = FILE_OK };
	r->files[1] = (struct report_file){ .path = xstrndup("x\"y\nz.gz", 8), .format = "kamailio",
		.gzip = 1, .bytes = 5000, .stored_bytes = 900, .first_time = TIME_UNKNOWN,
		.last_time = TIME_UNKNOWN, .status = FILE_ERROR,
		.error = xstrndup("truncated \"gzip\"\nstream", 23) };
	analysis_finish(f.an, r);
	analysis_free(f.an);
	r->since = r->until = TIME_UNKNOWN;
	r->run.version = "0.0-test";
	r->run.threads = 2;
	r->run.elapsed_s = 0.125;
}

/* ---- checks against the model */

/* A delay family name{l=v,stat=...} and its count family, as put_delays writes them. */
static void check_delays(const struct expo *e, const char *name, const char *count,
			 const char *l, const char *v, const struct delays *d, const char *what)
{
	static const char *const stat[] = { "p50", "p90", "p99", "max", "mean" };
	const int64_t us[] = { d->p50, d->p90, d->p99, d->max, 0 };
	int ok = 1;

	for (int i = 0; i < 5; i++) {
		const struct sample *s = l ? find(e, name, l, v, "stat", stat[i])
					   : find(e, name, "stat", stat[i], NULL, NULL);
		if (d->known && d->n && i == 4)
			ok &= s && fabs(s->v - (double)d->sum / (double)d->n / 1e6) <= 0.5e-6;
		else if (d->known && d->n && us[i] >= 0)
			ok &= is(s, (double)us[i] / 1e6);
		else
			ok &= s == NULL;
	}
	CHECK(ok, "%s: %s stat p50 p90 p99 max mean equal the model in seconds%s", what, name,
	      d->known ? "" : " (absent: unknown)");
	const struct sample *sc = l ? find(e, count, l, v, NULL, NULL) :
				      find(e, count, NULL, NULL, NULL, NULL);
	if (d->known && d->n)
		CHECK(is(sc, (double)d->n), "%s: %s equals the model's n", what, count);
	else
		CHECK(!sc, "%s: no %s when unknown", what, count);
}

static void check_model(const struct expo *e, const struct report *r, const char *what)
{
	char code[16];
	int ok = 1;
	size_t n = 0;

	for (int m = METHOD_INVITE; m < METHOD_COUNT; m++)
		ok &= is(find(e, "siplogscan_requests", "method",
			      sip_method_name((enum sip_method)m), NULL, NULL), (double)r->requests[m]);
	CHECK(ok && count_series(e, "siplogscan_requests") == METHOD_COUNT - 1,
	      "%s: siplogscan_requests{method} for every method", what);
	ok = 1;
	for (int c = 100; c < REPORT_CODES; c++) {
		snprintf(code, sizeof(code), "%d", c);
		const struct sample *s = find(e, "siplogscan_responses", "code", code, NULL, NULL);
		ok &= r->responses[c] ? is(s, (double)r->responses[c]) : s == NULL;
		n += r->responses[c] != 0;
	}
	CHECK(ok && count_series(e, "siplogscan_responses") == n,
	      "%s: siplogscan_responses{code} for the %zu codes seen", what, n);
	ok = 1;
	n = 0;
	for (int c = 100; c < REPORT_CODES; c++) {
		snprintf(code, sizeof(code), "%d", c);
		const struct sample *s = find(e, "siplogscan_trying_final", "code", code, NULL,
					      NULL);
		ok &= r->by_final[c] ? is(s, (double)r->by_final[c]) : s == NULL;
		n += r->by_final[c] != 0;
	}
	CHECK(ok && count_series(e, "siplogscan_trying_final") == n,
	      "%s: siplogscan_trying_final{code} equals by_final", what);
	CHECK(is(find(e, "siplogscan_records", NULL, NULL, NULL, NULL), (double)r->records) &&
	      is(find(e, "siplogscan_calls", NULL, NULL, NULL, NULL), (double)r->calls_total) &&
	      is(find(e, "siplogscan_calls_in_flight_peak", NULL, NULL, NULL, NULL),
		 (double)r->calls_peak) &&
	      is(find(e, "siplogscan_trying", NULL, NULL, NULL, NULL), (double)r->trying) &&
	      is(find(e, "siplogscan_stuck", NULL, NULL, NULL, NULL), (double)r->stuck),
	      "%s: records, calls, calls_in_flight_peak, trying, stuck equal the model", what);
	check_delays(e, "siplogscan_trying_final_delay_seconds", "siplogscan_trying_final_delays",
		     NULL, NULL, &r->trying_delay, what);

	static const char *const an[] = { "challenged", "retried", "accepted", "rechallenged",
					  "not_retried" };
	const struct auth_report *ar[] = { &r->proxy_auth, &r->www_auth };
	static const char *const kinds[] = { "proxy", "www" };
	ok = 1;
	for (int k = 0; k < 2; k++) {
		const uint64_t v[] = { ar[k]->challenged, ar[k]->retried, ar[k]->accepted,
				       ar[k]->rechallenged, ar[k]->not_retried };
		for (int i = 0; i < 5; i++) {
			char name[64];
			snprintf(name, sizeof(name), "siplogscan_auth_%s", an[i]);
			ok &= is(find(e, name, "kind", kinds[k], NULL, NULL), (double)v[i]);
			ok &= count_series(e, name) == 2;
		}
		check_delays(e, "siplogscan_auth_retry_delay_seconds", "siplogscan_auth_retry_delays",
			     "kind", kinds[k], &ar[k]->retry_delay, what);
	}
	CHECK(ok, "%s: siplogscan_auth_*{kind=proxy|www} equal the model", what);

	static const char *const kn[] = { "ser", "seer", "isa", "scr", "asr", "ner", "ira" };
	const struct ratio *q[] = { &r->kpi.ser, &r->kpi.seer, &r->kpi.isa, &r->kpi.scr,
				    &r->kpi.asr, &r->kpi.ner, &r->kpi.ira };
	ok = 1;
	n = 0;
	for (int i = 0; i < 7; i++) {
		const struct sample *s = find(e, "siplogscan_kpi_ratio", "kpi", kn[i], NULL, NULL);
		if (q[i]->den) {
			ok &= is(s, (double)q[i]->num / (double)q[i]->den) && s->v >= 0 && s->v <= 1;
			n++;
		} else {
			ok &= s == NULL;
		}
	}
	/* those seven against the model; a KPI added to the table of figures since is there too */
	for (size_t i = 0; i < nfigures; i++) {
		struct figure_value v;
		int listed = 0;
		for (int k = 0; k < 7 && figures[i].key; k++)
			listed |= strcmp(figures[i].key, kn[k]) == 0;
		if (!(figures[i].show & FIG_KPI) || listed)
			continue;
		figure_value(&figures[i], r, &v);
		n += v.known;
	}
	CHECK(ok && count_series(e, "siplogscan_kpi_ratio") == n,
	      "%s: siplogscan_kpi_ratio{kpi} = num/den in 0..1, %zu present, absent when den is 0",
	      what, n);
	check_delays(e, "siplogscan_kpi_delay_seconds", "siplogscan_kpi_delays", "kpi", "srd",
		     &r->kpi.srd, what);
	check_delays(e, "siplogscan_kpi_delay_seconds", "siplogscan_kpi_delays", "kpi", "rrd",
		     &r->kpi.rrd, what);
	check_delays(e, "siplogscan_session_duration_seconds", "siplogscan_session_durations",
		     NULL, NULL, &r->kpi.duration, what);
	const struct sample *acd = find(e, "siplogscan_acd_seconds", NULL, NULL, NULL, NULL);
	CHECK(r->kpi.acd_us >= 0 ? is(acd, (double)r->kpi.acd_us / 1e6) : acd == NULL,
	      "%s: siplogscan_acd_seconds %s", what, r->kpi.acd_us >= 0 ? "equals the model" :
	      "absent (no completed session)");
	CHECK(is(find(e, "siplogscan_kpi_attempts", "method", "INVITE", NULL, NULL),
		 (double)r->kpi.invite_attempts) &&
	      is(find(e, "siplogscan_kpi_attempts", "method", "REGISTER", NULL, NULL),
		 (double)r->kpi.register_attempts) &&
	      is(find(e, "siplogscan_kpi_no_final", NULL, NULL, NULL, NULL),
		 (double)r->kpi.no_final), "%s: KPI attempts and no_final equal the model", what);

	/* these models are of whole SIP messages (nothing not in the log) or of an authentication
	 * log only (nothing but authentications): the three auth patterns need the latter, every
	 * other pattern the former */
	ok = r->not_in_log == 0 || (r->not_in_log == GIVES_ALL && r->auth_log);
	size_t given = 0;
	for (int pid = 0; pid < PAT_COUNT; pid++) {
		const struct pattern_info *pi = knowledge_pattern((enum pattern_id)pid);
		int auth = pid == PAT_AUTH_BREAK_IN || pid == PAT_AUTH_GUESSING ||
			   pid == PAT_AUTH_SPREAD_GUESSING;
		uint64_t c = 0;
		for (size_t i = 0; i < r->nproblems; i++)
			if (r->problems[i].pid == (enum pattern_id)pid)
				c = r->problems[i].count;
		enum severity sev = pi->severity;
		for (size_t i = 0; i < r->nproblems; i++)
			if (r->problems[i].pid == (enum pattern_id)pid)
				sev = r->problems[i].severity;	/* as found */
		const struct sample *s = find(e, "siplogscan_problem_calls", "id", pi->id,
					      "severity", knowledge_severity_name(sev));
		if (auth ? r->auth_log : !r->not_in_log) {
			ok &= is(s, (double)c);
			given++;
		} else {
			ok &= s == NULL;
		}
	}
	CHECK(ok && count_series(e, "siplogscan_problem_calls") == given,
	      "%s: siplogscan_problem_calls{id,severity} for every pattern the log can show, 0 "
	      "when not found, absent when it cannot show it", what);

	uint64_t okf = 0, bad = 0, bytes = 0;
	for (size_t i = 0; i < r->nfiles; i++) {
		okf += r->files[i].status == FILE_OK;
		bad += r->files[i].status != FILE_OK;
		bytes += r->files[i].bytes;
	}
	CHECK(is(find(e, "siplogscan_input_files", "status", "ok", NULL, NULL), (double)okf) &&
	      is(find(e, "siplogscan_input_files", "status", "error", NULL, NULL), (double)bad) &&
	      is(find(e, "siplogscan_input_bytes", NULL, NULL, NULL, NULL), (double)bytes),
	      "%s: siplogscan_input_files{status} and siplogscan_input_bytes", what);
	const struct sample *first = find(e, "siplogscan_first_event_timestamp_seconds", NULL, NULL,
					  NULL, NULL);
	const struct sample *last = find(e, "siplogscan_last_event_timestamp_seconds", NULL, NULL,
					 NULL, NULL);
	CHECK(r->have_times ? first && last && fabs(first->v - (double)r->first_time / 1e6) < 1e-5 &&
	      fabs(last->v - (double)r->last_time / 1e6) < 1e-5 : !first && !last,
	      "%s: event timestamps %s", what, r->have_times ? "equal the model" :
	      "absent (no times)");
	CHECK(is(find(e, "siplogscan_run_duration_seconds", NULL, NULL, NULL, NULL),
		 r->run.elapsed_s), "%s: siplogscan_run_duration_seconds", what);

	/* every figure describes this run's input: gauges only, nothing named or labelled as a
	 * counter's, a summary's or a histogram's series (promtool lints those) */
	ok = 1;
	for (int i = 0; i < e->nf; i++) {
		const char *nm = e->f[i].name;
		size_t nn = strlen(nm);
		ok &= !strcmp(e->f[i].type, "gauge");
		static const char *const sfx[] = { "_total", "_sum", "_count", "_bucket" };
		for (int k = 0; k < 4; k++)
			ok &= !(nn >= strlen(sfx[k]) && !strcmp(nm + nn - strlen(sfx[k]), sfx[k]));
	}
	for (size_t i = 0; i < e->ns; i++)
		for (int k = 0; k < e->s[i].nl; k++)
			ok &= strcmp(e->s[i].ln[k], "quantile") && strcmp(e->s[i].ln[k], "le");
	CHECK(ok && e->nf > 0, "%s: every family a gauge, no _total, _sum, _count, _bucket, "
	      "quantile or le", what);
	ok = 1;
	for (int i = 0; i < e->nf; i++)
		ok &= e->f[i].help == 1 && e->f[i].typed == 1 && e->f[i].samples > 0 &&
		      !strncmp(e->f[i].name, "siplogscan_", 11);
	CHECK(ok, "%s: every family (%d) named siplogscan_*, one HELP, one TYPE, samples", what,
	      e->nf);
}

static int render_parse(const struct report *r, struct buf *b, struct expo *e, const char *what)
{
	render_prom(b, r);
	buf_cstr(b);
	int rc = expo_parse(e, b->p, b->len);
	CHECK(rc == 0, "%s: valid exposition format (%zu bytes, %zu series) %s", what, b->len,
	      e->ns, e->err);
	if (getenv("PROM_OUT") && !strcmp(what, "analysed")) {
		FILE *f = fopen(getenv("PROM_OUT"), "wb");
		if (f) {
			fwrite(b->p, 1, b->len, f);
			fclose(f);
		}
	}
	return rc;
}

static void test_analysed(void)
{
	struct report r, r2;
	struct buf b = {0}, b2 = {0};
	struct expo e;

	analysed_report(&r, 1795525200 * SEC /* 2026-11-24T13:00:00Z */);
	CHECK(r.stuck == NHOSTILE && r.proxy_auth.challenged > 0 && r.www_auth.challenged > 0 &&
	      r.kpi.ser.den > 0 && r.trying_delay.known && r.kpi.acd_us > 0 && r.have_times,
	      "the analysed model has every section filled (%" PRIu64 " stuck)", r.stuck);
	if (render_parse(&r, &b, &e, "analysed") == 0)
		check_model(&e, &r, "analysed");
	int clean = 1;
	for (size_t i = 0; i < NHOSTILE; i++)
		clean &= strlen(hostile[i]) < 3 || !strstr(b.p, hostile[i]);
	CHECK(clean && !strstr(b.p, "calc") && !strstr(b.p, "quoted") && !strstr(b.p, "AAAA") &&
	      !strstr(b.p, "kamailio.log") && !strstr(b.p, "truncated"),
	      "no Call-ID, file path or error message from the log reaches the output");
	CHECK(strstr(b.p, "\nsiplogscan_requests{method=\"INVITE\"} ") &&
	      strstr(b.p, "\nsiplogscan_problem_calls{id=\"stuck-after-100\",severity=\"high\"} 8\n"),
	      "series written as documented");
	CHECK(strstr(b.p, "# TYPE siplogscan_requests gauge\n") &&
	      strstr(b.p, "# TYPE siplogscan_kpi_ratio gauge\n"), "TYPE lines as documented");

	analysed_report(&r2, 1795525200 * SEC);
	r2.run.elapsed_s = 9.5;
	render_prom(&b2, &r2);
	char *run1 = strstr(buf_cstr(&b), "# HELP siplogscan_run_duration_seconds");
	char *run2 = strstr(buf_cstr(&b2), "# HELP siplogscan_run_duration_seconds");
	CHECK(run1 && run2 && run1 - b.p == run2 - b2.p && !memcmp(b.p, b2.p, (size_t)(run1 - b.p)),
	      "same input, same bytes up to the run families");
	expo_free(&e);
	buf_free(&b);
	buf_free(&b2);
	report_release(&r);
	report_release(&r2);
}

/* No times, hand-set figures: unknown is absent, never 0; exact formatting; label escaping. */
static void test_by_hand(void)
{
	struct report r;
	struct buf b = {0};
	struct expo e;

	analysed_report(&r, TIME_UNKNOWN);
	CHECK(!r.have_times && !r.trying_delay.known, "a log without times: delays unknown");
	r.kpi.ser = (struct ratio){ 1, 4 };
	r.kpi.seer = (struct ratio){ 0, 0 };
	r.kpi.isa = (struct ratio){ 0, 3 };
	r.kpi.scr = (struct ratio){ 2, 3 };
	r.kpi.asr = (struct ratio){ 5, 5 };
	r.kpi.ner = (struct ratio){ 0, 0 };
	r.kpi.ira = (struct ratio){ 0, 0 };
	r.kpi.acd_us = -1;
	r.www_auth.retry_delay = (struct delays){ .n = 3, .known = 1, .p50 = 12, .p90 = 1500000,
						  .p99 = 1500001, .max = 61000000,
						  .sum = 12 + 1500001 + 61000000 };
	r.run.version = "1.0 \"q\" \\ \n";
	r.run.elapsed_s = 0.5;
	if (render_parse(&r, &b, &e, "by hand") == 0)
		check_model(&e, &r, "by hand");
	CHECK(strstr(b.p, "\nsiplogscan_kpi_ratio{kpi=\"ser\"} 0.25\n") &&
	      strstr(b.p, "\nsiplogscan_kpi_ratio{kpi=\"isa\"} 0\n") &&
	      strstr(b.p, "\nsiplogscan_kpi_ratio{kpi=\"scr\"} 0.666666667\n") &&
	      strstr(b.p, "\nsiplogscan_kpi_ratio{kpi=\"asr\"} 1\n") &&
	      !strstr(b.p, "kpi=\"seer\"") && !strstr(b.p, "kpi=\"ner\"") &&
	      !strstr(b.p, "kpi=\"ira\""), "ratios exact; SEER, NER, IRA (den 0) absent, not 0");
	CHECK(strstr(b.p, "siplogscan_auth_retry_delay_seconds{kind=\"www\",stat=\"p50\"} "
			  "0.000012\n") &&
	      strstr(b.p, "siplogscan_auth_retry_delay_seconds{kind=\"www\",stat=\"p90\"} 1.5\n") &&
	      strstr(b.p, "siplogscan_auth_retry_delay_seconds{kind=\"www\",stat=\"max\"} 61\n") &&
	      strstr(b.p, "siplogscan_auth_retry_delay_seconds{kind=\"www\",stat=\"mean\"} "
			  "20.833338\n") &&
	      strstr(b.p, "siplogscan_auth_retry_delays{kind=\"www\"} 3\n") &&
	      !strstr(b.p, "kind=\"proxy\",stat") && !strstr(b.p, "retry_delays{kind=\"proxy\"}"),
	      "seconds from microseconds, exactly; the mean rounded to the microsecond; unknown "
	      "proxy delays absent");
	CHECK(!strstr(b.p, "siplogscan_acd_seconds") && !strstr(b.p, "_timestamp_seconds") &&
	      !strstr(b.p, "siplogscan_trying_final_delay_seconds") &&
	      !strstr(b.p, "siplogscan_kpi_delay_seconds"),
	      "no ACD, event times or delays without times: whole families left out");
	CHECK(is(find(&e, "siplogscan_build_info", "version", "1.0 \"q\" \\ \n", NULL, NULL), 1) &&
	      strstr(b.p, "siplogscan_build_info{version=\"1.0 \\\"q\\\" \\\\ \\n\"} 1\n"),
	      "label value escaped (quote, backslash, newline) and read back unchanged");
	expo_free(&e);
	buf_free(&b);
	report_release(&r);

	/* the bounds on memory reached: counters of what was left out, every table named */
	analysed_report(&r, TIME_UNKNOWN);
	r.calls_settled_early = 4000;
	r.source_unlisted = 1048320;
	r.by_dest.unlisted = 7;
	r.timeline_unlisted = 3;
	r.run.version = "1.0";
	if (render_parse(&r, &b, &e, "limits") == 0)
		check_model(&e, &r, "limits");
	CHECK(is(find(&e, "siplogscan_calls_settled_early", NULL, NULL, NULL, NULL), 4000) &&
	      is(find(&e, "siplogscan_unlisted", "table", "scanner_sources", NULL, NULL),
		 1048320) &&
	      is(find(&e, "siplogscan_unlisted", "table", "by_source", NULL, NULL), 0) &&
	      is(find(&e, "siplogscan_unlisted", "table", "by_user_agent", NULL, NULL), 0) &&
	      is(find(&e, "siplogscan_unlisted", "table", "by_destination", NULL, NULL), 7) &&
	      is(find(&e, "siplogscan_unlisted", "table", "timeline", NULL, NULL), 3) &&
	      !strcmp(type_of(&e, "siplogscan_unlisted"), "gauge") &&
	      !strcmp(type_of(&e, "siplogscan_calls_settled_early"), "gauge"),
	      "limits: calls settled early and each table's left-out count, gauges, 0 included");
	expo_free(&e);
	buf_free(&b);
	report_release(&r);

	/* an authentication log: only the auth patterns, a flagged source that authenticated
	 * counted as a break-in */
	analysed_report(&r, TIME_UNKNOWN);
	for (size_t i = 0; i < r.nproblems; i++) {
		for (size_t k = 0; k < r.problems[i].nexamples; k++)
			free(r.problems[i].examples[k].call_id);
		free(r.problems[i].examples);
		free(r.problems[i].hours);
	}
	r.problems[0] = (struct problem){ .pid = PAT_AUTH_BREAK_IN, .severity = SEV_CRITICAL,
					  .count = 2, .denominator = 9 };
	r.nproblems = 1;
	r.not_in_log = GIVES_ALL;
	r.auth_log = 1;
	r.run.version = "1.0";
	/* (check_model reads a SIP log's families: the auth log has none of them) */
	render_parse(&r, &b, &e, "auth log");
	CHECK(count_series(&e, "siplogscan_problem_calls") == 3 &&
	      is(find(&e, "siplogscan_problem_calls", "id", "auth-break-in", "severity",
		      "critical"), 2) &&
	      is(find(&e, "siplogscan_problem_calls", "id", "auth-guessing", "severity", "high"),
		 0) &&
	      !find(&e, "siplogscan_problem_calls", "id", "stuck-after-100", "severity", "high") &&
	      !find(&e, "siplogscan_problem_calls", "id", "auth-scanner", "severity", "critical"),
	      "auth log: the three auth patterns only, auth-break-in 2, auth-guessing 0, call "
	      "patterns absent");
	expo_free(&e);
	buf_free(&b);
	report_release(&r);

	/* an empty run: nothing scanned */
	struct analysis_opts o = { .call_timeout_s = 32, .ring_timeout_s = 180, .slow_setup_s = 10,
				   .examples = 3, .scanner_threshold = 10, .top = 10 };
	struct analysis *an = analysis_new(&o);
	memset(&r, 0, sizeof(r));
	analysis_finish(an, &r);
	analysis_free(an);
	if (render_parse(&r, &b, &e, "empty") == 0)
		check_model(&e, &r, "empty");
	CHECK(!strstr(b.p, "siplogscan_kpi_ratio") && !strstr(b.p, "siplogscan_build_info") &&
	      !strstr(b.p, "siplogscan_responses"),
	      "empty: no KPI, no response codes, no version: families left out, not 0");
	expo_free(&e);
	buf_free(&b);
	report_release(&r);
}

/* --label: on every sample, after siplogscan's own labels, escaped; the checks main.c uses. */
static void test_labels(void)
{
	struct report r;
	struct buf b = {0}, plain = {0};
	struct expo e, ep;
	static const char *const keys[] = { "proxy", "dc", "_x9" };
	static const char *const vals[] = { "sbc1", "a \"q\" \\ b\nc", "\xc3\xa9t\xc3\xa9" };

	analysed_report(&r, 1795525200 * SEC);
	render_prom(&plain, &r);
	CHECK(expo_parse(&ep, plain.p, plain.len) == 0, "labels: the plain text parses %s", ep.err);
	for (int i = 0; i < 3; i++)
		r.labels[i] = (struct report_label){ keys[i], vals[i], strlen(keys[i]) };
	r.nlabels = 3;
	int rc = render_parse(&r, &b, &e, "labels");
	int ok = rc == 0 && e.ns == ep.ns && e.nf == ep.nf;
	for (size_t i = 0; ok && i < e.ns; i++) {
		const struct sample *s = &e.s[i], *p = &ep.s[i];
		ok &= !strcmp(s->name, p->name) && s->nl == p->nl + 3 && s->v == p->v;
		for (int k = 0; ok && k < p->nl; k++)
			ok &= !strcmp(s->ln[k], p->ln[k]) && !strcmp(s->lv[k], p->lv[k]);
		for (int k = 0; ok && k < 3; k++)
			ok &= !strcmp(s->ln[p->nl + k], keys[k]) && !strcmp(s->lv[p->nl + k], vals[k]);
	}
	CHECK(ok, "labels: every one of %zu samples has the three labels last, values read back "
	      "unchanged, the rest as without them", e.ns);
	CHECK(strstr(b.p, "\nsiplogscan_records{proxy=\"sbc1\",dc=\"a \\\"q\\\" \\\\ "
			  "b\\nc\",_x9=\"\xc3\xa9t\xc3\xa9\"} ") &&
	      strstr(b.p, "\nsiplogscan_requests{method=\"INVITE\",proxy=\"sbc1\","),
	      "labels: written as documented, quote, backslash and newline escaped");

	/* every label name siplogscan writes is refused as a --label: no sample gets one twice */
	ok = 1;
	for (size_t i = 0; i < ep.ns; i++)
		for (int k = 0; k < ep.s[i].nl; k++)
			ok &= prom_label_check(ep.s[i].ln[k], strlen(ep.s[i].ln[k]), "x") != NULL;
	CHECK(ok, "labels: siplogscan's own label names are refused");
	static const struct {
		const char *kv;
		int good;
	} cases[] = {
		{ "proxy=sbc1", 1 }, { "_a=1", 1 }, { "A_9=x y", 1 }, { "n=\xe2\x82\xac", 1 },
		{ "p=a\"b\\c\nd", 1 }, { "p=b=c", 1 },
		{ "=x", 0 }, { "9a=x", 0 }, { "a-b=x", 0 }, { "a.b=x", 0 }, { "a b=x", 0 },
		{ "__name__=x", 0 }, { "__a=x", 0 }, { "kind=x", 0 }, { "stat=x", 0 },
		{ "quantile=x", 0 }, { "le=x", 0 }, { "version=x", 0 }, { "p=", 0 },
		{ "p=\xff", 0 }, { "p=\xc0\x80", 0 }, { "p=\xe2\x82", 0 },
	};
	ok = 1;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *eq = strchr(cases[i].kv, '=');
		const char *why = prom_label_check(cases[i].kv, (size_t)(eq - cases[i].kv), eq + 1);
		if ((why == NULL) != cases[i].good) {
			ok = 0;
			printf("# prom_label_check(%s): %s\n", cases[i].kv, why ? why : "accepted");
		}
	}
	CHECK(ok, "labels: prom_label_check accepts label names and UTF-8 values, refuses the "
	      "rest (%zu cases)", sizeof(cases) / sizeof(cases[0]));
	expo_free(&e);
	expo_free(&ep);
	buf_free(&b);
	buf_free(&plain);
	report_release(&r);
}

int main(void)
{
	test_parser();
	test_analysed();
	test_by_hand();
	test_labels();
	return test_done();
}
