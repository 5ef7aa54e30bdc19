/*
 * test_render.c - unit tests for the JSON and text renderers (src/render.h): whatever bytes
 * a log puts into a Call-ID, a User-Agent, a source address, a request URI or a file name,
 * the output stays well-formed and harmless.
 *
 * The report is built through the analysis from hand-made events (include/event.h), with
 * terminal escapes (CSI, OSC), U+202E, U+2028, C1 controls, NUL bytes, invalid UTF-8
 * (overlong, surrogates, truncated), quotes, backslashes and a 10 kB Call-ID, plus
 * realistic long values (a long archive path, an IPv6 scanner source, the input errors).
 * Checked, without using the renderers' own helpers:
 *   - render_json: valid JSON by a small validator written here (objects, arrays, strings
 *     with every escape and paired surrogates, numbers, true/false/null), valid UTF-8, no
 *     raw control bytes but newlines; the schema string; the 10 kB Call-ID whole; unknown
 *     delays as null;
 *   - render_text: valid UTF-8, no control characters but '\n', no bidi controls, no line
 *     longer than 100 code points; colour escapes (SGR) only with render_opts.color, and the
 *     coloured text is the plain text plus SGR sequences; unknown delays as "unknown".
 * RENDER_TEXT_OUT=1 also writes each plain text report to stderr, to look at.
 */
#include "testhelp.h"

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
#define BASE (INT64_C(1795525200) * SEC)	/* 2026-11-24T13:00:00Z */

/* ---- a small JSON validator (RFC 8259) */

struct jp {
	const unsigned char *p, *e;
	int depth;
};

static void jws(struct jp *j)
{
	while (j->p < j->e && (*j->p == ' ' || *j->p == '\n' || *j->p == '\r' || *j->p == '\t'))
		j->p++;
}

static int jlit(struct jp *j, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(j->e - j->p) < n || memcmp(j->p, w, n) != 0)
		return 0;
	j->p += n;
	return 1;
}

static int jhex4(struct jp *j, unsigned *v)
{
	*v = 0;
	if (j->e - j->p < 4)
		return 0;
	for (int i = 0; i < 4; i++) {
		unsigned c = *j->p++, d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return 0;
		*v = *v << 4 | d;
	}
	return 1;
}

static int jstring(struct jp *j)
{
	if (j->p >= j->e || *j->p != '"')
		return 0;
	j->p++;
	while (j->p < j->e) {
		unsigned c = *j->p++;
		if (c == '"')
			return 1;
		if (c < 0x20)
			return 0;
		if (c != '\\')
			continue;
		if (j->p >= j->e)
			return 0;
		c = *j->p++;
		if (strchr("\"\\/bfnrt", (int)c) && c)
			continue;
		if (c != 'u')
			return 0;
		unsigned v, w;
		if (!jhex4(j, &v))
			return 0;
		if (v >= 0xdc00 && v <= 0xdfff)
			return 0;		/* a lone low surrogate */
		if (v >= 0xd800 && v <= 0xdbff) {	/* must be followed by its low half */
			if (!jlit(j, "\\u") || !jhex4(j, &w) || w < 0xdc00 || w > 0xdfff)
				return 0;
		}
	}
	return 0;
}

static int jdigits(struct jp *j)
{
	const unsigned char *s = j->p;

	while (j->p < j->e && *j->p >= '0' && *j->p <= '9')
		j->p++;
	return j->p > s;
}

static int jnumber(struct jp *j)
{
	if (j->p < j->e && *j->p == '-')
		j->p++;
	if (j->p < j->e && *j->p == '0') {
		j->p++;
	} else if (j->p < j->e && *j->p >= '1' && *j->p <= '9') {
		jdigits(j);
	} else {
		return 0;
	}
	if (j->p < j->e && *j->p == '.') {
		j->p++;
		if (!jdigits(j))
			return 0;
	}
	if (j->p < j->e && (*j->p == 'e' || *j->p == 'E')) {
		j->p++;
		if (j->p < j->e && (*j->p == '+' || *j->p == '-'))
			j->p++;
		if (!jdigits(j))
			return 0;
	}
	return 1;
}

static int jvalue(struct jp *j);

static int jcontainer(struct jp *j, int object)
{
	char close = object ? '}' : ']';

	if (++j->depth > 64)
		return 0;
	j->p++;
	jws(j);
	if (j->p < j->e && *j->p == close) {
		j->p++;
		j->depth--;
		return 1;
	}
	for (;;) {
		if (object) {
			if (!jstring(j))
				return 0;
			jws(j);
			if (!jlit(j, ":"))
				return 0;
			jws(j);
		}
		if (!jvalue(j))
			return 0;
		jws(j);
		if (j->p < j->e && *j->p == ',') {
			j->p++;
			jws(j);
			continue;
		}
		if (j->p < j->e && *j->p == close) {
			j->p++;
			j->depth--;
			return 1;
		}
		return 0;
	}
}

static int jvalue(struct jp *j)
{
	if (j->p >= j->e)
		return 0;
	switch (*j->p) {
	case '{': return jcontainer(j, 1);
	case '[': return jcontainer(j, 0);
	case '"': return jstring(j);
	case 't': return jlit(j, "true");
	case 'f': return jlit(j, "false");
	case 'n': return jlit(j, "null");
	default: return jnumber(j);
	}
}

/* 1 when s[0..n) is exactly one JSON value with optional whitespace around it */
static int json_valid(const char *s, size_t n)
{
	struct jp j = { (const unsigned char *)s, (const unsigned char *)s + n, 0 };

	jws(&j);
	if (!jvalue(&j))
		return 0;
	jws(&j);
	return j.p == j.e;
}

/* ---- UTF-8 and controls */

/* The code point at p (valid UTF-8, RFC 3629), its length in *len; -1 when invalid. */
static long utf8_next(const unsigned char *p, size_t n, size_t *len)
{
	unsigned c = p[0];
	long cp;
	size_t k;

	if (c < 0x80) {
		*len = 1;
		return c;
	}
	if (c >= 0xc2 && c <= 0xdf)
		k = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		k = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		k = 4, cp = c & 0x07;
	else
		return -1;
	if (n < k)
		return -1;
	for (size_t i = 1; i < k; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return -1;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((k == 3 && cp < 0x800) || (k == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return -1;
	*len = k;
	return cp;
}

static int is_bidi(long cp)
{
	return cp == 0x061c || cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 || cp == 0x2029;
}

struct scan_result {
	int utf8_ok;
	size_t controls;	/* C0 but '\n', DEL, C1 */
	size_t bidi;
	size_t long_lines;
	size_t max_cols;
};

/* Check text; lines longer than width code points are printed as TAP comments. */
static struct scan_result scan_text(const char *s, size_t n, size_t width, const char *what)
{
	struct scan_result r = { 1, 0, 0, 0, 0 };
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, cols = 0, line_start = 0;

	while (i <= n) {
		if (i == n || p[i] == '\n') {
			if (cols > r.max_cols)
				r.max_cols = cols;
			if (cols > width) {
				if (r.long_lines++ < 8)
					printf("#   %s: %zu columns: %.*s\n", what, cols,
					       (int)(i - line_start < 300 ? i - line_start : 300),
					       s + line_start);
			}
			cols = 0;
			line_start = i + 1;
			i++;
			continue;
		}
		size_t len;
		long cp = utf8_next(p + i, n - i, &len);
		if (cp < 0) {
			r.utf8_ok = 0;
			len = 1;
		} else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f)) {
			r.controls++;
		} else if (is_bidi(cp)) {
			r.bidi++;
		}
		cols++;
		i += len;
	}
	return r;
}

/* Remove SGR sequences (ESC [ digits and ; m) from s into out. */
static void strip_sgr(struct buf *out, const char *s, size_t n)
{
	buf_reset(out);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\033' && i + 1 < n && s[i + 1] == '[') {
			size_t k = i + 2;
			while (k < n && ((s[k] >= '0' && s[k] <= '9') || s[k] == ';'))
				k++;
			if (k < n && s[k] == 'm') {
				i = k;
				continue;
			}
		}
		buf_addc(out, s[i]);
	}
}

static int contains(const struct buf *b, const char *what, size_t n)
{
	return b->len >= n && memmem(b->p, b->len, what, n) != NULL;
}

static int same_buf(const struct buf *a, const struct buf *b)
{
	return a->len == b->len && (a->len == 0 || memcmp(a->p, b->p, a->len) == 0);
}

#define CONTAINS(b, lit) contains((b), (lit), sizeof(lit) - 1)

/* ---- building the model */

static uint64_t next_line;

static void ev_req(struct analysis *a, int64_t t, struct str cid, enum sip_method m,
		   uint32_t cseq, struct str src, struct str ua, struct str ruri, unsigned auth)
{
	struct event ev = {0};

	ev.time_us = t;
	ev.method = m;
	ev.cseq = cseq;
	ev.cseq_method = m;
	ev.auth = EV_AUTH_KNOWN | auth;
	ev.callid = cid;
	ev.src = src;
	ev.ua = ua;
	ev.ruri = ruri;
	ev.file = (uint32_t)(next_line % 3);
	ev.line = ++next_line;
	analysis_event(a, &ev);
}

static void ev_rsp(struct analysis *a, int64_t t, struct str cid, int status, uint32_t cseq,
		   enum sip_method m)
{
	struct event ev = {0};

	ev.time_us = t;
	ev.status = status;
	ev.cseq = cseq;
	ev.cseq_method = m;
	ev.callid = cid;
	ev.file = (uint32_t)(next_line % 3);
	ev.line = ++next_line;
	analysis_event(a, &ev);
}

#define L(s) ((struct str){ (s), sizeof(s) - 1 })

static const char H_ESC[] = "esc\x1b[2J\x1b]0;owned\x07\x1b[31mred";
static const char H_BIDI[] = "rtl\xe2\x80\xae" "evil\xe2\x80\xa8sep\xe2\x81\xa6iso";
static const char H_NUL[] = "nul\0byte\0";
static const char H_BAD[] = "bad\xff\xfe\xc0\xaf\xed\xa0\x80\xf4\x90\x80\x80\xe2\x80";
static const char H_QUOTE[] = "q\"uo\\te\\u0000'\\\"";
static const char H_C1[] = "c1\xc2\x9b" "31m\xc2\x85next";
static const char H_WIDE[] = "\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc"
			     "\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc"
			     "\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc"
			     "\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc"
			     "\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc"
			     "@\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc\xc3\xbc.example";
static char big_cid[10240 + 6];

static const char *const hostile[] = { H_ESC, H_BIDI, H_NUL, H_BAD, H_QUOTE, H_C1, H_WIDE };
static const size_t hostile_len[] = { sizeof(H_ESC) - 1, sizeof(H_BIDI) - 1, sizeof(H_NUL) - 1,
				      sizeof(H_BAD) - 1, sizeof(H_QUOTE) - 1, sizeof(H_C1) - 1,
				      sizeof(H_WIDE) - 1 };
#define NHOSTILE (sizeof(hostile) / sizeof(hostile[0]))

static char *dup_path(const char *s)
{
	return xstrndup(s, strlen(s));
}

/* A report with every section filled; timed selects log times or TIME_UNKNOWN. */
static void build(struct report *r, int timed)
{
	struct analysis_opts o = { .call_timeout_s = 32, .ring_timeout_s = 180, .slow_setup_s = 10,
				   .examples = 5, .scanner_threshold = 2, .top = 10 };
	struct analysis *a = analysis_new(&o);
	int64_t t0 = BASE;
#define AT(ms) (timed ? t0 + (int64_t)(ms) * 1000 : TIME_UNKNOWN)

	next_line = 0;
	memset(big_cid, 'A', 10240);
	memcpy(big_cid + 10240, "@evil", 5);
	big_cid[10245] = '\0';
	/* every hostile string as a Call-ID, a source, a User-Agent and a request URI: stuck */
	for (size_t i = 0; i < NHOSTILE; i++) {
		struct str h = { hostile[i], hostile_len[i] };
		char src[300];
		int n = snprintf(src, sizeof(src), "udp:%.*s:5060", (int)h.n, h.p);
		struct str s = { src, (size_t)n < sizeof(src) ? (size_t)n : sizeof(src) - 1 };
		/* snprintf stops at the NUL: build the NUL one by hand */
		if (memchr(h.p, '\0', h.n)) {
			memcpy(src, "udp:", 4);
			memcpy(src + 4, h.p, h.n);
			memcpy(src + 4 + h.n, ":5060", 5);
			s.n = 4 + h.n + 5;
		}
		ev_req(a, AT(i * 10), h, METHOD_INVITE, 1, s, h, h, 0);
		ev_rsp(a, AT(i * 10 + 1), h, 100, 1, METHOD_INVITE);
	}
	/* the 10 kB Call-ID, never retried after a 407, from a source with a scanner agent
	 * that carries escapes too */
	struct str big = { big_cid, 10245 };
	ev_req(a, AT(100), big, METHOD_INVITE, 1, L("udp:203.0.113.9:5060"),
	       L("friendly-scanner\x1b[2J\xe2\x80\xae\xff"), big, 0);
	ev_rsp(a, AT(101), big, 407, 1, METHOD_INVITE);
	/* a scanner from a long IPv6 address */
	for (int i = 0; i < 4; i++) {
		char id[96];
		snprintf(id, sizeof(id), "scan-%d-a84b4c76e66710@2001:db8:85a3:1234:5678:8a2e:370:7334",
			 i);
		ev_req(a, AT(200 + i), (struct str){ id, strlen(id) }, METHOD_REGISTER, 1,
		       L("udp:[2001:db8:85a3:1234:5678:8a2e:370:7334]:5060"),
		       L("friendly-scanner"), L("sip:100@pbx.example.com"), 0);
		ev_rsp(a, AT(200 + i), (struct str){ id, strlen(id) }, 401, 1, METHOD_REGISTER);
	}
	/* ordinary calls over two hours, with long plain Call-IDs: answered, rejected, failed */
	static const int codes[] = { 200, 200, 486, 503, 603, 408, 404, 500 };
	for (int i = 0; i < 40; i++) {
		char id[160];
		snprintf(id, sizeof(id), "%d-3e8c2f1a9b7d4e6f8a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c"
			 "0d1e2f3a4b5c6d7e8f@pbx-%d.long-domain-name.example.com", i, i);
		struct str c = { id, strlen(id) };
		int64_t t = 1000 + (int64_t)i * 180000;
		ev_req(a, AT(t), c, METHOD_INVITE, 1, L("udp:192.0.2.10:5060"),
		       L("Yealink SIP-T46S 66.86.0.15"), L("sip:+4930123456@gw.example.net"), 0);
		ev_rsp(a, AT(t + 1), c, 407, 1, METHOD_INVITE);
		ev_req(a, AT(t + 2), c, METHOD_INVITE, 2, L("udp:192.0.2.10:5060"),
		       L("Yealink SIP-T46S 66.86.0.15"), L("sip:+4930123456@gw.example.net"),
		       EV_AUTH_PROXY);
		ev_rsp(a, AT(t + 3), c, 100, 2, METHOD_INVITE);
		ev_rsp(a, AT(t + 15000 + i * 50), c, codes[i % 8], 2, METHOD_INVITE);
		if (codes[i % 8] == 200)
			ev_req(a, AT(t + 200000), c, METHOD_BYE, 3, L("udp:192.0.2.10:5060"),
			       L(""), L(""), 0);
	}

	memset(r, 0, sizeof(*r));
	r->nfiles = 3;
	r->files = xcalloc(3, sizeof(*r->files));
	static const char p0[] = "/var/log/kamailio/archive/2026/11/24/kamailio.log-20261124-0600.gz";
	static const char p1[] = "/tmp/\x1b[2J\x1b]0;owned\x07/\xe2\x80\xae" "gol.txt/\xff\xfe\xc0"
				 "\"quote\"\\back\\slash/\xc2\x9b" "31m"
				 "/very-long-directory-name-that-goes-on-and-on-and-on-and-on-and-"
				 "on-and-on-and-on-and-on-and-on-and-on-and-on-and-on/kamailio.log";
	static const char p2[] = "/var/log/kamailio/kamailio.log.2.gz";
	r->files[0] = (struct report_file){ .path = dup_path(p0), .format = "kamailio",
		.format_auto = 1, .gzip = 1, .bytes = 987654321, .stored_bytes = 98765432,
		.lines = 1234567, .records = 1234, .first_time = AT(0), .last_time = AT(7200000),
		.status = FILE_ERROR,
		.error = dup_path("truncated gzip stream (the data before the damage was scanned; "
				  "re-copy the file or check it with 'gzip -t')") };
	r->files[1] = (struct report_file){ .path = dup_path(p1), .format = "sip",
		.bytes = 12345, .stored_bytes = 12345, .lines = 100, .records = 10,
		.first_time = TIME_UNKNOWN, .last_time = TIME_UNKNOWN, .status = FILE_ERROR };
	struct buf e = {0};
	buf_printf(&e, "is a directory; name the files inside it (for example '%s/*.log*')", p1);
	r->files[1].error = buf_cstr(&e);
	r->files[2] = (struct report_file){ .path = dup_path(p2), .format = "kamailio",
		.bytes = 1000, .stored_bytes = 400, .lines = 10, .records = 3,
		.first_time = TIME_UNKNOWN, .last_time = TIME_UNKNOWN, .status = FILE_OK };
	analysis_finish(a, r);
	analysis_free(a);
	r->since = r->until = TIME_UNKNOWN;
	r->nrules = 2;
	snprintf(r->rules[0].text, sizeof(r->rules[0].text), "stuck>0");
	r->rules[0].value = 7;
	r->rules[0].fired = 1;
	snprintf(r->rules[1].text, sizeof(r->rules[1].text), "ser<95");
	r->rules[1].value = NAN;
	r->rules_fired = 1;
	r->run.version = "0.0-test";
	r->run.threads = 4;
	r->run.elapsed_s = 0.25;
	r->run.bytes = 987666666;
	r->run.mb_per_s = 3950.7;
#undef AT
}

/* ---- tests */

static void test_validator(void)
{
	static const char *const good[] = {
		"{}", "[]", "0", "-0.5e+3", "\"a\\u00e9\\ud83d\\ude00\\n\"", "[1, true, false, null]",
		"{\"a\": {\"b\": [\"\\\"\\\\\\/\\b\\f\\r\\t\"]}}", " \n{\"k\":1}\n",
	};
	static const char *const bad[] = {
		"", "{", "[1,]", "{\"a\":01}", "{\"a\" 1}", "\"\x01\"", "nan", "inf", "{\"a\":-}",
		"\"\\x41\"", "\"\\ud800\"", "\"\\udc00\"", "[1] [2]", "{a:1}", "1.", "'x'", "\"abc",
		"[\"\\u12\"]", "tru", "{\"a\":1,}",
	};
	int ok = 1;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (!json_valid(good[i], strlen(good[i]))) {
			printf("#   rejected: %s\n", good[i]);
			ok = 0;
		}
	CHECK(ok, "validator: accepts valid JSON");
	ok = 1;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (json_valid(bad[i], strlen(bad[i]))) {
			printf("#   accepted: %s\n", bad[i]);
			ok = 0;
		}
	CHECK(ok, "validator: rejects invalid JSON");
	size_t len;
	CHECK(utf8_next((const unsigned char *)"\xc0\xaf", 2, &len) < 0 &&
	      utf8_next((const unsigned char *)"\xed\xa0\x80", 3, &len) < 0 &&
	      utf8_next((const unsigned char *)"\xf4\x90\x80\x80", 4, &len) < 0 &&
	      utf8_next((const unsigned char *)"\xe2\x80", 2, &len) < 0 &&
	      utf8_next((const unsigned char *)"\xe2\x80\xae", 3, &len) == 0x202e,
	      "validator: UTF-8 decoding rejects overlong, surrogate, > U+10FFFF, truncated");
}

static void check_json(const char *what, const struct report *r, int timed)
{
	struct buf b = {0};

	render_json(&b, r);
	CHECK(json_valid(b.p, b.len), "%s json: valid JSON (%zu bytes)", what, b.len);
	struct scan_result s = scan_text(b.p, b.len, SIZE_MAX, what);
	CHECK(s.utf8_ok, "%s json: valid UTF-8", what);
	CHECK_EQ_INT(s.controls, 0, "%s json: no raw control bytes but newlines", what);
	CHECK_EQ_INT(s.bidi, 0, "%s json: no raw bidi controls or line separators", what);
	CHECK(CONTAINS(&b, "\"schema\": \"siplogscan.report/2\""), "%s json: schema", what);
	if (r->nproblems) {
		CHECK(CONTAINS(&b, "esc\\u001b[2J\\u001b]0;owned\\u0007\\u001b[31mred"),
		      "%s json: ESC, BEL as \\u001b, \\u0007", what);
		CHECK(CONTAINS(&b, "nul\\u0000byte\\u0000"), "%s json: NUL as \\u0000", what);
		CHECK(CONTAINS(&b, "q\\\"uo\\\\te\\\\u0000'\\\\\\\""),
		      "%s json: quotes and backslashes escaped", what);
		CHECK(CONTAINS(&b, "rtl\\u202eevil\\u2028sep\\u2066iso"),
		      "%s json: U+202E, U+2028, U+2066 escaped", what);
		struct buf want = {0};
		buf_addc(&want, '"');
		buf_add(&want, big_cid, 10245);
		buf_addc(&want, '"');
		CHECK(contains(&b, want.p, want.len), "%s json: the 10 kB Call-ID whole", what);
		buf_free(&want);
		CHECK(CONTAINS(&b, "\"value\": null"), "%s json: an undefined rule value is null",
		      what);
	}
	if (!timed) {
		CHECK(CONTAINS(&b, "\"delay_ms\": {\"p50\": null, \"p90\": null, \"p99\": null, "
			       "\"max\": null"), "%s json: unknown 100 -> final delay is null", what);
		CHECK(CONTAINS(&b, "\"retry_delay_ms\": {\"p50\": null"),
		      "%s json: unknown retry delay is null", what);
		CHECK(CONTAINS(&b, "\"first_time\": null"), "%s json: no time range", what);
	} else if (timed > 0) {
		CHECK(!CONTAINS(&b, "\"delay_ms\": {\"p50\": null"), "%s json: delays known", what);
	}
	buf_free(&b);
}

static void check_text(const char *what, const struct report *r, int timed)
{
	struct buf plain = {0}, color = {0}, stripped = {0};
	struct render_opts o = { .color = 0, .width = 0 };

	render_text(&plain, r, &o);
	if (getenv("RENDER_TEXT_OUT"))
		fwrite(plain.p, 1, plain.len, stderr);
	struct scan_result s = scan_text(plain.p, plain.len, 100, what);
	CHECK(s.utf8_ok, "%s text: valid UTF-8", what);
	CHECK_EQ_INT(s.controls, 0, "%s text: no control characters but newlines", what);
	CHECK_EQ_INT(s.bidi, 0, "%s text: no bidi controls or line separators", what);
	CHECK_EQ_INT(s.long_lines, 0, "%s text: no line over 100 columns (longest %zu)", what,
		     s.max_cols);
	CHECK(!memchr(plain.p, '\033', plain.len), "%s text: no ESC without colour", what);

	o.color = 1;
	render_text(&color, r, &o);
	CHECK(memchr(color.p, '\033', color.len) != NULL, "%s text: colour escapes with colour",
	      what);
	strip_sgr(&stripped, color.p, color.len);
	CHECK(same_buf(&stripped, &plain), "%s text: colour adds only SGR sequences", what);

	if (!timed) {
		CHECK(CONTAINS(&plain, "100 -> final: unknown"),
		      "%s text: unknown 100 -> final delay", what);
		CHECK(CONTAINS(&plain, "challenge -> retry: unknown"),
		      "%s text: unknown retry delay", what);
	} else if (timed > 0) {
		CHECK(CONTAINS(&plain, "100 -> final:") && !CONTAINS(&plain, "final: unknown") &&
		      CONTAINS(&plain, "challenge -> retry:") && !CONTAINS(&plain, "retry: unknown"),
		      "%s text: delays known", what);
		CHECK(!CONTAINS(&plain, "no timestamps"),
		      "%s text: a log with times is never said to have none", what);
	}
	o.color = 0;
	o.width = 80;
	struct buf w100 = {0};
	render_text(&w100, r, &o);
	CHECK(same_buf(&w100, &plain), "%s text: width 0 means 80", what);
	buf_free(&w100);
	buf_free(&plain);
	buf_free(&color);
	buf_free(&stripped);
}

/* When a problem appeared, as the text and HTML reports write it (render_fmt.c). */
static void test_problem_when(void)
{
	struct problem_hour h[12];
	struct problem p = { .pid = PAT_SLOW_SETUP, .severity = SEV_MEDIUM, .count = 9,
			     .first_time = BASE + (10 * 3600 + 12 * 60 + 4) * SEC,
			     .last_time = BASE + (15 * 3600 + 58 * 60 + 10) * SEC, .hours = h };
	struct buf b = {0};

	/* 23:00, 00:00 and 01:00 the next day, then 04:00 */
	h[p.nhours++] = (struct problem_hour){ BASE + 10 * 3600 * SEC, 2 };
	h[p.nhours++] = (struct problem_hour){ BASE + 11 * 3600 * SEC, 1 };
	h[p.nhours++] = (struct problem_hour){ BASE + 12 * 3600 * SEC, 3 };
	h[p.nhours++] = (struct problem_hour){ BASE + 15 * 3600 * SEC, 3 };
	fmt_problem_when(&b, &p);
	CHECK_EQ_STR(buf_cstr(&b), "first 2026-11-24 23:12:04, last 2026-11-25 04:58:10 (UTC), in 4 "
		     "hours: 2026-11-24 23:00-2026-11-25 01:59, 04:00",
		     "problem when: runs of hours joined, a date only where it changes");
	/* every other hour: runs past FMT_WHEN_RUNS are counted, and unlisted hours said; the
	 * first hour has its date, since the last time before it was of another day */
	p.nhours = 0;
	for (int i = 0; i < 12; i++)
		h[p.nhours++] = (struct problem_hour){ BASE + 2 * i * 3600 * SEC, 1 };
	p.first_time = BASE;
	p.last_time = BASE + 22 * 3600 * SEC;
	p.hours_unlisted = 1234;
	b.len = 0;
	fmt_problem_when(&b, &p);
	CHECK_EQ_STR(buf_cstr(&b), "first 2026-11-24 13:00:00, last 2026-11-25 11:00:00 (UTC), in 12 "
		     "hours: 2026-11-24 13:00, 15:00, 17:00, 19:00, 21:00, 23:00, 2026-11-25 01:00, "
		     "03:00 and 4 "
		     "more runs of hours; 1,234 more in hours not listed",
		     "problem when: at most 8 runs, then how many more; hours not listed");
	/* nothing it counted had a time: nothing to say */
	p.first_time = p.last_time = TIME_UNKNOWN;
	p.nhours = 0;
	b.len = 0;
	fmt_problem_when(&b, &p);
	CHECK_EQ_INT(b.len, 0, "problem when: nothing without times");
	buf_free(&b);
}

int main(void)
{
	struct report r;

	test_validator();
	test_problem_when();

	build(&r, 1);
	CHECK(r.nproblems >= 5 && r.nscanners >= 2 && r.ntimeline >= 2,
	      "timed: the report has problems, scanners and a timeline");
	check_json("timed", &r, 1);
	check_text("timed", &r, 1);
	report_release(&r);

	/* delays in minutes make the delay lines long */
	build(&r, 1);
	struct delays *ds[] = { &r.trying_delay, &r.proxy_auth.retry_delay, &r.www_auth.retry_delay,
				&r.kpi.srd, &r.kpi.rrd, &r.kpi.duration };
	for (size_t i = 0; i < sizeof(ds) / sizeof(ds[0]); i++)
		*ds[i] = (struct delays){ .n = 1234567, .known = 1, .p50 = 245 * SEC,
					  .p90 = 3599 * SEC, .p99 = 3599 * SEC, .max = 86399 * SEC };
	r.kpi.acd_us = 86399 * SEC;
	r.www_auth.retried = r.www_auth.accepted = 1;
	check_json("minutes", &r, 1);
	check_text("minutes", &r, 1);
	report_release(&r);

	build(&r, 0);
	CHECK(!r.have_times && !r.trying_delay.known && !r.proxy_auth.retry_delay.known,
	      "untimed: no delays known");
	check_json("untimed", &r, 0);
	check_text("untimed", &r, 0);
	report_release(&r);

	/* the bounds on memory reached: a Limits section, within 100 columns with 13-digit
	 * counts; the JSON keys say the same figures */
	build(&r, 1);
	struct buf t = {0}, j = {0};
	struct render_opts to = { .color = 0, .width = 100 };
	render_text(&t, &r, &to);
	CHECK(!CONTAINS(&t, "\nLimits (") && r.max_calls == 1000000,
	      "limits: no Limits section when nothing was left out; max_calls the default");
	buf_free(&t);
	r.calls_settled_early = 9999999999999ULL;
	r.max_calls = 100000000;
	r.source_unlisted = 1048320;
	r.by_source.unlisted = 1032193;
	r.by_ua.unlisted = 5;
	r.by_dest.unlisted = 7;
	r.by_hop.unlisted = 2;
	r.timeline_unlisted = 3;
	check_json("limits", &r, 1);
	check_text("limits", &r, 1);
	render_text(&t, &r, &to);
	CHECK(CONTAINS(&t, "\nLimits (bounded memory: what the figures below leave out)\n"
		       "  settled early        9,999,999,999,999  least recently active Call-IDs "
		       "(--max-calls 100,000,000)\n"
		       "  auth-scanner sources         1,048,320  calls of evicted sources (65,536 kept)\n"
		       "  top sources                  1,032,193  attempts of evicted keys (16,384 kept)\n"
		       "  top User-Agents                      5  attempts of evicted keys (16,384 kept)\n"
		       "  top destinations                     7  attempts of evicted keys (16,384 kept)\n"
		       "  next hops                            2  attempts of evicted hops (16,384 kept)\n"
		       "  per hour                             3  Call-IDs of evicted hours (65,536 kept)\n"),
	      "limits text: one line per bound reached, after the totals");
	render_json(&j, &r);
	CHECK(CONTAINS(&j, "\"settled_early\": 9999999999999, ") &&
	      CONTAINS(&j, "\"max_calls\": 100000000}") && CONTAINS(&j, "\"timeline_unlisted\": 3,") &&
	      CONTAINS(&j, "\"unlisted\": 1048320}") && CONTAINS(&j, "\"unlisted\": 1032193, "),
	      "limits json: call_ids.settled_early, options.max_calls, timeline_unlisted, "
	      "scanner_sources.unlisted, breakdowns' unlisted");
	buf_free(&t);
	buf_free(&j);
	report_release(&r);

	/* an empty report */
	memset(&r, 0, sizeof(r));
	r.since = r.until = TIME_UNKNOWN;
	r.kpi.acd_us = -1;
	r.run.version = "0.0-test";
	check_json("empty", &r, -1);
	check_text("empty", &r, -1);
	return test_done();
}
