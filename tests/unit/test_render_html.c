/*
 * test_render_html.c - unit tests for src/render_html.c: the page is one self-contained,
 * well-formed HTML5 file, and attacker-chosen strings reach it only as text.
 *
 * The report is built the real way: hand-made events (include/event.h) through the analysis
 * (analysis_new, analysis_event, analysis_finish), with a <script> Call-ID, an <img onerror>
 * User-Agent, a 10 kB Call-ID, invalid UTF-8 and terminal escapes, a hostile file path and
 * error message. The checks parse the page naively (tags between '<' and '>', the <style>
 * element skipped) and are written without looking at the renderer's helpers:
 *   - no <script>, <link>, <img>, <iframe>, <object>, <embed>, <base>, no on* or src/href
 *     attribute other than a "#fragment", no http:// or https://, no url( or @import;
 *   - the structural elements (html head body section table tr td th details summary svg g)
 *     open and close in order; valid UTF-8 without control characters other than newline;
 *   - the hostile strings appear escaped (&lt;script&gt;...), the 10 kB Call-ID shortened
 *     with its length; the same model gives the same bytes, and two runs differ only in the
 *     footer's run line.
 *
 * HTML_OUT=FILE also writes the page to FILE (tests/e2e/html.sh opens it in Chromium). With
 * arguments "PROFILE FILE..." the page is instead the report of those log files, scanned with
 * the built-in profile (kamailio or sip) through the real pipeline, and the generic checks run
 * on it.
 */
#include "testhelp.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analysis.h"
#include "event.h"
#include "pipeline.h"
#include "profile.h"
#include "render.h"
#include "report.h"
#include "timeparse.h"
#include "util.h"

#define SEC INT64_C(1000000)

/* ---- building the model */

static struct str S(const char *s)
{
	return (struct str){ s, strlen(s) };
}

struct feeder {
	struct analysis *an;
	int64_t t0;		/* TIME_UNKNOWN: a log without timestamps */
	uint64_t line;
};

static void req(struct feeder *f, int64_t ms, struct str cid, enum sip_method m, uint32_t cseq,
		const char *src, struct str ua, const char *ruri, unsigned auth)
{
	struct event ev = {0};

	ev.time_us = f->t0 == TIME_UNKNOWN ? TIME_UNKNOWN : f->t0 + ms * 1000;
	ev.method = m;
	ev.cseq = cseq;
	ev.cseq_method = m;
	ev.auth = EV_AUTH_KNOWN | auth;
	ev.callid = cid;
	ev.src = S(src);
	ev.ua = ua;
	ev.ruri = S(ruri);
	ev.file = f->line % 2;
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
	ev.file = f->line % 2;
	ev.line = ++f->line;
	analysis_event(f->an, &ev);
}

static const char XSS_CID[] = "<script>alert(1)</script>";
static const char XSS_UA[] = "\"><img src=x onerror=alert(1)>";
static char big_cid[10245 + 1];

/* A report with every section filled and hostile strings wherever a log can put them. */
static void hostile_report(struct report *r, double elapsed, unsigned threads)
{
	struct analysis_opts o = { .call_timeout_s = 32, .ring_timeout_s = 180, .slow_setup_s = 10,
				   .examples = 5, .scanner_threshold = 3, .top = 10 };
	struct feeder f = { analysis_new(&o), 1795525200 * SEC /* 2026-11-24T13:00:00Z */, 0 };
	static const char bad_utf8[] = "bad\xff\xfe\x1b[31mred\xe2\x80\xae-rtl";
	struct str bad = { bad_utf8, sizeof(bad_utf8) - 1 };
	struct str nul = { "nul\0byte", 8 };
	struct str xss = S(XSS_CID), xua = S(XSS_UA), big = { big_cid, sizeof(big_cid) - 1 };
	const char *proxy = "sip:bob@example.net";

	memset(big_cid, 'A', 10240);
	memcpy(big_cid + 10240, "@evil", 6);

	/* stuck after 100: the <script> Call-ID with the <img> User-Agent, the 10 kB one, NUL */
	req(&f, 0, xss, METHOD_INVITE, 1, "udp:10.0.0.1:5060", xua,
	    "sip:<svg/onload=alert(4)>@evil.example", 0);
	rpl(&f, 5, xss, 100, 1, METHOD_INVITE);
	req(&f, 10, big, METHOD_INVITE, 1, "udp:10.0.0.2:5060", S("Zoiper"), proxy, 0);
	rpl(&f, 12, big, 100, 1, METHOD_INVITE);
	req(&f, 20, nul, METHOD_INVITE, 1, "udp:10.0.0.2:5060", S("Zoiper"), proxy, 0);
	rpl(&f, 22, nul, 100, 1, METHOD_INVITE);
	/* 407 never retried, with invalid UTF-8, ESC and a bidi override in the Call-ID */
	req(&f, 30, bad, METHOD_INVITE, 1, "udp:10.0.0.3:5060", bad, proxy, 0);
	rpl(&f, 31, bad, 407, 1, METHOD_INVITE);
	/* answered calls, authenticated, ended with BYE */
	for (int i = 0; i < 6; i++) {
		char *id = xmalloc(32);
		snprintf(id, 32, "ok-%d@10.0.0.4", i);
		struct str c = S(id);
		int64_t t = 100 + i * 1000;
		req(&f, t, c, METHOD_INVITE, 1, "udp:10.0.0.4:5060", S("Linphone/5.0"), proxy, 0);
		rpl(&f, t + 1, c, 407, 1, METHOD_INVITE);
		req(&f, t + 2, c, METHOD_INVITE, 2, "udp:10.0.0.4:5060", S("Linphone/5.0"), proxy,
		    EV_AUTH_PROXY);
		rpl(&f, t + 3, c, 100, 2, METHOD_INVITE);
		rpl(&f, t + 50, c, 180, 2, METHOD_INVITE);
		rpl(&f, t + 400 + i * 37, c, 200, 2, METHOD_INVITE);
		req(&f, t + 420 + i * 37, c, METHOD_ACK, 2, "udp:10.0.0.4:5060", S(""), proxy, 0);
		req(&f, t + 900 + i * 37, c, METHOD_BYE, 3, "udp:10.0.0.4:5060", S(""), proxy, 0);
		rpl(&f, t + 901 + i * 37, c, 200, 3, METHOD_BYE);
		free(id);	/* the analysis copied what it keeps */
	}
	/* failures: busy, server error, global decline, timeout, rejected credentials */
	static const int codes[] = { 486, 503, 603, 408, 580 };
	for (int i = 0; i < 5; i++) {
		char id[32];
		snprintf(id, sizeof(id), "fail-%d@10.0.0.5", i);
		req(&f, 8000 + i * 10, S(id), METHOD_INVITE, 1, "udp:10.0.0.5:5060",
		    S("Yealink SIP-T46S"), proxy, EV_AUTH_PROXY);
		rpl(&f, 8001 + i * 10, S(id), 100, 1, METHOD_INVITE);
		rpl(&f, 8500 + i * 10, S(id), codes[i], 1, METHOD_INVITE);
	}
	req(&f, 9000, S("rej@10.0.0.6"), METHOD_INVITE, 1, "udp:10.0.0.6:5060", S("Bria"), proxy, 0);
	rpl(&f, 9001, S("rej@10.0.0.6"), 407, 1, METHOD_INVITE);
	req(&f, 9002, S("rej@10.0.0.6"), METHOD_INVITE, 2, "udp:10.0.0.6:5060", S("Bria"), proxy,
	    EV_AUTH_PROXY);
	rpl(&f, 9003, S("rej@10.0.0.6"), 407, 2, METHOD_INVITE);
	/* a scanner with a hostile User-Agent and address, an hour later (two timeline rows) */
	for (int i = 0; i < 4; i++) {
		char id[32];
		snprintf(id, sizeof(id), "scan-%d", i);
		req(&f, 3600000 + i, S(id), METHOD_REGISTER, 1, "udp:<b>203.0.113.7</b>:5060",
		    S("friendly-scanner<script>alert(2)</script>"), "sip:100@<i>pbx</i>", 0);
		rpl(&f, 3600000 + i, S(id), 401, 1, METHOD_REGISTER);
	}
	req(&f, 3600100, S("opt-1"), METHOD_OPTIONS, 1, "udp:10.0.0.7:5060", S("x"), proxy, 0);
	rpl(&f, 3600101, S("opt-1"), 200, 1, METHOD_OPTIONS);

	memset(r, 0, sizeof(*r));
	r->files = xcalloc(2, sizeof(*r->files));
	r->nfiles = 2;
	static const char path0[] = "/var/log/\"><svg onload=alert(5)>kamailio.log";
	static const char path1[] = "/var/log/<script>alert(6)</script>.gz";
	r->files[0] = (struct report_file){ .path = xstrndup(path0, strlen(path0)),
		.format = "kamailio", .format_auto = 1, .bytes = 123456, .stored_bytes = 123456,
		.lines = 1000, .records = 90, .first_time = f.t0, .last_time = f.t0 + 3600101000,
		.status = FILE_OK };
	static const char err1[] = "'/var/log/<script>alert(6)</script>.gz': truncated gzip stream "
				   "(rest of the file skipped; re-copy it) <img src=x onerror=alert(7)>";
	r->files[1] = (struct report_file){ .path = xstrndup(path1, strlen(path1)),
		.format = "kamailio", .gzip = 1, .bytes = 5000, .stored_bytes = 900, .lines = 20,
		.records = 4, .first_time = TIME_UNKNOWN, .last_time = TIME_UNKNOWN,
		.status = FILE_ERROR, .error = xstrndup(err1, strlen(err1)) };
	analysis_finish(f.an, r);
	analysis_free(f.an);
	r->since = r->until = TIME_UNKNOWN;
	r->nrules = 1;
	snprintf(r->rules[0].text, sizeof(r->rules[0].text), "stuck>0");
	r->rules[0].value = 3;
	r->rules[0].fired = 1;
	r->rules_fired = 1;
	r->run.version = "0.0-test";
	r->run.threads = threads;
	r->run.elapsed_s = elapsed;
	r->run.bytes = 128456;
	r->run.mb_per_s = elapsed > 0 ? 0.128456 / elapsed : 0;
}

/* ---- checking the page */

static int utf8_ok(const unsigned char *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned c = p[i];
		size_t len;
		uint32_t v;
		if (c < 0x80) {
			if ((c < 0x20 && c != '\n') || c == 0x7f)
				return 0;
			i++;
			continue;
		}
		if ((c & 0xe0) == 0xc0) {
			len = 2;
			v = c & 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			len = 3;
			v = c & 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			len = 4;
			v = c & 0x07;
		} else {
			return 0;
		}
		if (i + len > n)
			return 0;
		for (size_t k = 1; k < len; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return 0;
			v = v << 6 | (p[i + k] & 0x3f);
		}
		static const uint32_t min_cp[5] = { 0, 0, 0x80, 0x800, 0x10000 };
		if (v < min_cp[len] || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
			return 0;
		if ((v >= 0x80 && v <= 0x9f) || (v >= 0x202a && v <= 0x202e) ||
		    (v >= 0x2066 && v <= 0x2069))
			return 0;	/* C1 controls and bidi overrides must be escaped */
		i += len;
	}
	return 1;
}

static const char *find_ci(const char *h, size_t n, const char *needle)
{
	size_t m = strlen(needle);

	for (size_t i = 0; i + m <= n; i++)
		if (strncasecmp(h + i, needle, m) == 0)
			return h + i;
	return NULL;
}

static const char *const balanced[] = { "html", "head", "body", "section", "table", "tr", "td",
					"th", "details", "summary", "svg", "g", NULL };
static const char *const forbidden[] = { "script", "link", "img", "iframe", "object", "embed",
					 "base", "frame", "form", "input", NULL };

struct tagcheck {
	int tags, bad_tag, bad_attr, unbalanced, unclosed_tag;
	char why[160];
};

/* Walk the tags of page[0..n). Tag names in the balanced set must nest properly; no tag may be
 * in the forbidden set or carry an on* / src / href (other than "#...") / formaction attribute. */
static void walk_tags(const char *p, size_t n, struct tagcheck *tc)
{
	char stack[256][16];
	int depth = 0;
	size_t i = 0;

	memset(tc, 0, sizeof(*tc));
	while (i < n) {
		const char *lt = memchr(p + i, '<', n - i);
		if (!lt)
			break;
		const char *gt = memchr(lt, '>', (size_t)(p + n - lt));
		if (!gt) {
			tc->unclosed_tag = 1;
			break;
		}
		size_t tl = (size_t)(gt - lt) + 1;
		char tag[4096];
		size_t cp = tl < sizeof(tag) - 1 ? tl : sizeof(tag) - 1;
		memcpy(tag, lt, cp);
		tag[cp] = '\0';
		i = (size_t)(gt - p) + 1;
		tc->tags++;
		if (tag[1] == '!')
			continue;	/* <!DOCTYPE html> */
		int closing = tag[1] == '/';
		const char *nm = tag + 1 + closing;
		size_t nl = strcspn(nm, " \t\n/>");
		char name[16] = "";
		if (nl < sizeof(name)) {
			memcpy(name, nm, nl);
			for (size_t k = 0; k < nl; k++)
				name[k] = (char)(name[k] >= 'A' && name[k] <= 'Z' ? name[k] + 32 : name[k]);
		}
		for (int k = 0; forbidden[k]; k++) {
			if (strcmp(name, forbidden[k]) == 0) {
				tc->bad_tag++;
				snprintf(tc->why, sizeof(tc->why), "forbidden tag %.100s", tag);
			}
		}
		/* attributes: every whitespace-separated word after the name */
		for (const char *a = nm + nl; *a; a++) {
			if (a[-1] != ' ' && a[-1] != '\t' && a[-1] != '\n')
				continue;
			if ((strncasecmp(a, "on", 2) == 0 && strchr(a, '=') &&
			     strcspn(a, "= >") == strcspn(a, "=")) ||
			    strncasecmp(a, "src=", 4) == 0 || strncasecmp(a, "formaction", 10) == 0 ||
			    strncasecmp(a, "srcset", 6) == 0 || strncasecmp(a, "style=", 6) == 0 ||
			    (strncasecmp(a, "href=", 5) == 0 && strncmp(a + 5, "\"#", 2) != 0) ||
			    strncasecmp(a, "xlink:href", 10) == 0) {
				tc->bad_attr++;
				snprintf(tc->why, sizeof(tc->why), "attribute in %.100s", tag);
			}
		}
		if (strcmp(name, "style") == 0 && !closing) {
			/* raw text: its content may hold '>' (child selectors); jump to its end */
			const char *end = find_ci(p + i, n - i, "</style>");
			if (!end) {
				tc->unclosed_tag = 1;
				break;
			}
			i = (size_t)(end - p);
			continue;
		}
		int tracked = 0;
		for (int k = 0; balanced[k]; k++)
			tracked |= strcmp(name, balanced[k]) == 0;
		if (!tracked || (!closing && tl >= 2 && lt[tl - 2] == '/'))
			continue;
		if (!closing) {
			if (depth < 256)
				snprintf(stack[depth], sizeof(stack[depth]), "%s", name);
			depth++;
		} else if (depth == 0 || depth > 256 || strcmp(stack[depth - 1], name) != 0) {
			tc->unbalanced++;
			snprintf(tc->why, sizeof(tc->why), "</%s> closes <%s>", name,
				 depth && depth <= 256 ? stack[depth - 1] : "nothing");
			return;
		} else {
			depth--;
		}
	}
	if (depth) {
		tc->unbalanced++;
		snprintf(tc->why, sizeof(tc->why), "<%s> never closed (depth %d)",
			 depth <= 256 ? stack[depth - 1] : "?", depth);
	}
}

static int count(const char *h, size_t n, const char *needle)
{
	int c = 0;
	size_t m = strlen(needle);

	for (size_t i = 0; i + m <= n; i++)
		c += memcmp(h + i, needle, m) == 0;
	return c;
}

/* Checks that hold for every page, hostile or not. */
static void check_page(const char *what, const struct buf *b)
{
	const char *p = b->p;
	size_t n = b->len;
	struct tagcheck tc;

	CHECK(n > 1000 && strncmp(p, "<!DOCTYPE html>\n<html lang=\"en\">", 31) == 0,
	      "%s: starts with the HTML5 doctype", what);
	CHECK(p[n - 1] == '\n' && find_ci(p, n, "</html>") == p + n - 8, "%s: ends with </html>", what);
	CHECK(utf8_ok((const unsigned char *)p, n),
	      "%s: valid UTF-8, no control character but newline, no raw bidi override", what);
	CHECK(!find_ci(p, n, "<script"), "%s: no <script anywhere", what);
	CHECK(!find_ci(p, n, "http://") && !find_ci(p, n, "https://") && !find_ci(p, n, "//www."),
	      "%s: no http:// or https:// anywhere", what);
	CHECK(!find_ci(p, n, "url(") && !find_ci(p, n, "@import") && !find_ci(p, n, "@font-face"),
	      "%s: the CSS loads nothing (no url(), @import, @font-face)", what);
	CHECK(count(p, n, "<meta http-equiv") == 1 &&
	      strstr(p, "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		     "style-src 'unsafe-inline'\">") != NULL,
	      "%s: a Content-Security-Policy that allows nothing but the inline style", what);
	CHECK(count(p, n, "<style>") == 1 && count(p, n, "</style>") == 1,
	      "%s: one inline <style> element", what);
	walk_tags(p, n, &tc);
	CHECK(tc.tags > 50 && !tc.unclosed_tag, "%s: %d tags, each closed by '>'", what, tc.tags);
	CHECK(tc.bad_tag == 0, "%s: no script/link/img/iframe/object/embed/base/form tag %s", what,
	      tc.why);
	CHECK(tc.bad_attr == 0, "%s: no on*=, src=, style= or outside href attribute %s", what,
	      tc.why);
	CHECK(tc.unbalanced == 0,
	      "%s: html head body section table tr td th details summary svg g balanced %s", what,
	      tc.why);
	CHECK(count(p, n, "<details>") == count(p, n, "<summary>"),
	      "%s: every <details> has its <summary>", what);
	CHECK(count(p, n, "<svg") == count(p, n, "</svg>"), "%s: inline SVG charts closed", what);
}

/* The footer's run line is the only part that may differ between runs. */
static void strip_run(struct buf *b)
{
	char *s = strstr(buf_cstr(b), "<p class=\"run\">");
	char *e = s ? strstr(s, "</p>") : NULL;

	if (s && e) {
		e += 4;
		memmove(s, e, (size_t)(b->p + b->len - e) + 1);
		b->len -= (size_t)(e - s);
	}
}

static int write_page(const char *path, const struct buf *b)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		return -1;
	size_t w = fwrite(b->p, 1, b->len, f);
	return fclose(f) != 0 || w != b->len ? -1 : 0;
}

static void test_hostile(void)
{
	struct report r;
	struct buf b = {0};

	hostile_report(&r, 0.25, 2);
	render_html(&b, &r);
	buf_cstr(&b);
	check_page("hostile", &b);
	const char *p = b.p;
	size_t n = b.len;

	CHECK(strstr(p, "&lt;script&gt;alert(1)&lt;/script&gt;") != NULL,
	      "the <script> Call-ID appears escaped, as text");
	CHECK(strstr(p, "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;") != NULL,
	      "the <img onerror> User-Agent appears escaped, as text");
	CHECK(!find_ci(p, n, "<img") && !find_ci(p, n, "<svg onload") && !find_ci(p, n, "<svg/"),
	      "no live <img> or <svg onload> from the log");
	CHECK(strstr(p, "friendly-scanner&lt;script&gt;alert(2)&lt;/script&gt;") != NULL,
	      "the scanner's User-Agent appears escaped");
	CHECK(strstr(p, "&lt;b&gt;203.0.113.7&lt;/b&gt;") != NULL, "the source address appears escaped");
	CHECK(strstr(p, "<td class=\"mono brk\">&lt;svg/onload=alert(4)</td>") != NULL,
	      "the destination appears escaped");
	CHECK(strstr(p, "/var/log/&quot;&gt;&lt;svg onload=alert(5)&gt;kamailio.log") != NULL,
	      "the hostile file path appears escaped");
	CHECK(strstr(p, "(rest of the file skipped; re-copy it) &lt;img src=x onerror=alert(7)&gt;"),
	      "the file's error message appears escaped");
	CHECK(strstr(p, "(10245 bytes)") != NULL, "the 10 kB Call-ID is shortened, its length shown");
	CHECK(strstr(p, "AAAAAAAAAA") && !strstr(p, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
						   "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
						   "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
						   "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
						   "A"),
	      "at most 200 bytes of it are shown");
	CHECK(strstr(p, "word-break:break-all") != NULL, "long strings break anywhere (CSS)");
	CHECK(strstr(p, "bad\\xff\\xfe\\e[31mred\\u{202E}-rtl") != NULL,
	      "invalid UTF-8, ESC and the bidi override are shown visibly");
	CHECK(strstr(p, "nul\\x00byte") != NULL, "the NUL byte is shown visibly");
	CHECK(strstr(p, "<text x=\"262\" y=\"") && strstr(p, ">407 Proxy Authentication Required</text>"),
	      "responses chart: SVG label from knowledge_code()");
	CHECK(strstr(p, "<rect class=\"k4\"") && strstr(p, "<rect class=\"k2\"") &&
	      strstr(p, "<rect class=\"k5\"") && strstr(p, "<rect class=\"k6\""),
	      "responses chart: bars coloured by class (2xx, 4xx, 5xx, 6xx)");
	CHECK(strstr(p, "<section id=\"trying\">") && strstr(p, ">580 Precondition Failure</text>"),
	      "100 Trying section with its finals chart");
	CHECK(strstr(p, "407 Proxy Authentication Required \xe2\x86\x92 retry") &&
	      strstr(p, "401 Unauthorized \xe2\x86\x92 retry"), "407 and 401 retry sections");
	CHECK(strstr(p, ">SER</div>") && strstr(p, ">SEER</div>") && strstr(p, ">ISA</div>") &&
	      strstr(p, ">SCR</div>") && strstr(p, ">ASR</div>") && strstr(p, ">NER</div>") &&
	      strstr(p, ">IRA</div>") && strstr(p, ">SRD p50</div>") && strstr(p, ">RRD p50</div>") &&
	      strstr(p, ">ACD</div>"), "KPI tiles: SER SEER ISA SCR ASR NER IRA SRD RRD ACD");
	CHECK(r.nproblems >= 3 && count(p, n, "<details><summary>") == (int)r.nproblems,
	      "one collapsible example list per problem (%zu)", r.nproblems);
	const char *prev = p;
	int ranked = 1;
	for (size_t i = 0; i < r.nproblems; i++) {
		char needle[96];
		const struct pattern_info *pi = knowledge_pattern(r.problems[i].pid);
		snprintf(needle, sizeof(needle), "<tr class=\"prob\" id=\"p-%s\">", pi->id);
		const char *at = strstr(prev, needle);
		snprintf(needle, sizeof(needle), "More: <code>siplogscan explain %s</code>", pi->id);
		ranked &= at && strstr(at, needle) != NULL;
		prev = at ? at : prev;
	}
	CHECK(ranked, "problems in the model's rank order, each with its explain command");
	CHECK(strstr(p, "<section id=\"scanners\">") != NULL, "scanner sources table");
	CHECK(strstr(p, "<section id=\"hours\">") != NULL, "per-hour table (two hours)");
	CHECK(!strstr(p, "<section id=\"limits\">") && strstr(p, "--max-calls 1000000.</p>"),
	      "no Limits section when nothing was left out; --max-calls in the footer");
	CHECK(strstr(p, "<span class=\"badge s5\">holds</span>") != NULL, "the --fail-on rule that holds");
	CHECK(strstr(p, "<p class=\"run\">siplogscan 0.0-test: scanned 128.5 KB in 0.25 s") != NULL,
	      "footer: the run section");

	/* deterministic: same model, same bytes; another run differs only in the run line */
	struct buf b2 = {0};
	render_html(&b2, &r);
	CHECK(b2.len == b.len && memcmp(b2.p, b.p, b.len) == 0, "same model, same page");
	struct report r3;
	struct buf b3 = {0};
	hostile_report(&r3, 7.5, 16);
	render_html(&b3, &r3);
	CHECK(b3.len != b.len || memcmp(b3.p, b.p, b.len) != 0, "another run's figures show");
	strip_run(&b);
	strip_run(&b3);
	CHECK(b3.len == b.len && memcmp(b3.p, b.p, b.len) == 0,
	      "two runs differ only in the footer's run line");
	buf_free(&b);
	buf_free(&b2);
	buf_free(&b3);
	report_release(&r3);

	/* the bounds on memory reached: a Limits section, one row per bound */
	r.calls_settled_early = 4000;
	r.max_calls = 1000;
	r.source_unlisted = 1048320;
	r.by_ua.unlisted = 5;
	r.timeline_unlisted = 3;
	render_html(&b, &r);
	buf_cstr(&b);
	check_page("limits", &b);
	CHECK(b.p && strstr(b.p, "<section id=\"limits\">") &&
	      strstr(b.p, "<tr><td>Settled early</td><td class=\"n\">4,000</td><td "
			  "class=\"muted\">least recently active Call-IDs (--max-calls 1,000)</td></tr>") &&
	      strstr(b.p, "<tr><td>auth-scanner sources</td><td class=\"n\">1,048,320</td>") &&
	      strstr(b.p, "<tr><td>Top User-Agents</td><td class=\"n\">5</td>") &&
	      strstr(b.p, "<tr><td>Per hour</td><td class=\"n\">3</td>") &&
	      !strstr(b.p, "<tr><td>Top sources</td>"),
	      "limits: a section with a row per bound reached, none for the others");
	buf_free(&b);
	report_release(&r);
}

static void test_empty(void)
{
	struct report r;
	struct buf b = {0};
	struct analysis_opts o = { .call_timeout_s = 32, .ring_timeout_s = 180, .slow_setup_s = 10,
				   .examples = 3, .scanner_threshold = 10, .top = 10 };
	struct analysis *an = analysis_new(&o);

	memset(&r, 0, sizeof(r));
	analysis_finish(an, &r);
	analysis_free(an);
	r.since = r.until = TIME_UNKNOWN;
	r.run.version = "0.0-test";
	render_html(&b, &r);
	buf_cstr(&b);
	check_page("empty report", &b);
	CHECK(strstr(b.p, "no input") && strstr(b.p, "None found.") && strstr(b.p, "no responses"),
	      "empty report: says there is nothing");
	CHECK(strstr(b.p, "the log has no timestamps"), "empty report: no time range");
	buf_free(&b);
	report_release(&r);
}

/* A report without any time: delays are unknown, never 0. */
static void test_no_times(void)
{
	struct report r;
	struct buf b = {0};
	struct analysis_opts o = { .call_timeout_s = 32, .ring_timeout_s = 180, .slow_setup_s = 10,
				   .examples = 3, .scanner_threshold = 10, .top = 10 };
	struct feeder f = { analysis_new(&o), TIME_UNKNOWN, 0 };

	req(&f, 0, S("a@b"), METHOD_INVITE, 1, "udp:10.0.0.1:5060", S("ua"), "sip:x@y", 0);
	rpl(&f, 0, S("a@b"), 100, 1, METHOD_INVITE);
	rpl(&f, 0, S("a@b"), 200, 1, METHOD_INVITE);
	req(&f, 0, S("c@d"), METHOD_INVITE, 1, "udp:10.0.0.1:5060", S("ua"), "sip:x@y", 0);
	rpl(&f, 0, S("c@d"), 100, 1, METHOD_INVITE);
	memset(&r, 0, sizeof(r));
	analysis_finish(f.an, &r);
	analysis_free(f.an);
	r.since = r.until = TIME_UNKNOWN;
	r.run.version = "0.0-test";
	render_html(&b, &r);
	buf_cstr(&b);
	check_page("no times", &b);
	CHECK(!r.have_times && r.trying == 2 && r.stuck == 1, "no times: the model has none");
	CHECK(strstr(b.p, "<span>unknown (the log has no timestamps)</span>") != NULL &&
	      strstr(b.p, "unknown: the log has no timestamps") != NULL,
	      "no times: delays and the time range unknown, never 0");
	buf_free(&b);
	report_release(&r);
}

/* "PROFILE FILE...": the report of real log files through the real pipeline. */
static int scan_files(const char *profile_name, char **paths, int n, struct report *r,
		      struct profile **profp)
{
	struct profile *prof = profile_builtin(profile_name);
	struct analysis_opts o = { .call_timeout_s = 32, .ring_timeout_s = 180, .slow_setup_s = 10,
				   .examples = 3, .scanner_threshold = 10, .top = 10 };

	if (!prof)
		return -1;
	memset(r, 0, sizeof(*r));
	r->files = xcalloc((size_t)n, sizeof(*r->files));
	r->nfiles = (size_t)n;
	struct pipeline_input *in = xcalloc((size_t)n, sizeof(*in));
	for (int i = 0; i < n; i++) {
		r->files[i].path = xstrndup(paths[i], strlen(paths[i]));
		r->files[i].first_time = r->files[i].last_time = TIME_UNKNOWN;
		r->files[i].format = prof->name;
		in[i] = (struct pipeline_input){ .path = paths[i], .profile = prof,
						 .rf = &r->files[i], .date_hint = TIME_UNKNOWN };
	}
	struct analysis *an = analysis_new(&o);
	struct pipeline_opts po = { .threads = 2, .block_size = PIPELINE_DEFAULT_BLOCK };
	pipeline_run(in, (size_t)n, &po, analysis_event, an);
	analysis_finish(an, r);
	analysis_free(an);
	free(in);
	r->since = r->until = TIME_UNKNOWN;
	r->examples = o.examples;
	r->call_timeout_s = o.call_timeout_s;
	r->slow_setup_s = o.slow_setup_s;
	r->scanner_threshold = o.scanner_threshold;
	r->top = o.top;
	r->run.version = "test";
	r->run.threads = 2;
	for (int i = 0; i < n; i++)
		r->run.bytes += r->files[i].bytes;
	/* the files' format names live in the profile: the caller frees it after rendering */
	*profp = prof;
	return 0;
}

int main(int argc, char **argv)
{
	const char *out = getenv("HTML_OUT");
	struct buf page = {0};

	if (argc >= 3) {
		struct report r;
		struct profile *prof = NULL;
		if (scan_files(argv[1], argv + 2, argc - 2, &r, &prof) < 0) {
			CHECK(0, "built-in profile '%s'", argv[1]);
			return test_done();
		}
		render_html(&page, &r);
		check_page(argv[2], &page);
		CHECK(r.records > 0, "%s: SIP messages found", argv[2]);
		report_release(&r);
		profile_free(prof);
	} else {
		test_hostile();
		test_empty();
		test_no_times();
		struct report r;
		hostile_report(&r, 0.25, 2);
		render_html(&page, &r);
		report_release(&r);
	}
	if (out && *out)
		CHECK(write_page(out, &page) == 0, "page written to %s", out);
	buf_free(&page);
	return test_done();
}
