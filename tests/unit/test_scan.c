/*
 * test_scan.c - unit tests for src/scan.c and the method table of src/event.c.
 *
 * With the two built-in profiles and an emit callback that records each event (copying its
 * strings: they die when emit() returns) and, like the sequential stage, turns the events'
 * timestamp texts into times with one timeline per file, the tests check the fields of known messages
 * (sipdump blocks, CRLF, compact and lowercase headers, Kamailio xlog lines), what is not a
 * message (a status line in a body), line numbers, overlong lines, scan_count_sample(), and
 * streaming equivalence: the same input fed in pieces of every size from 1 to 300 bytes, the
 * caller keeping the unconsumed tail as scan.h prescribes, gives exactly the events of a
 * single SCAN_EOF call. Every piece is handed over in a heap buffer of exactly its length,
 * so under AddressSanitizer a read past buf[len) fails the run.
 */
#include "testhelp.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "profile.h"
#include "scan.h"
#include "timeparse.h"
#include "util.h"

#define SEC INT64_C(1000000)
#define DAY (86400 * SEC)

static int64_t at(int64_t y, unsigned mo, unsigned d, int h, int mi, int s, int64_t us)
{
	return time_days_from_civil(y, mo, d) * DAY + ((int64_t)h * 3600 + mi * 60 + s) * SEC + us;
}

/* ---- recording events */

struct rstr {
	char *p;	/* NUL-terminated copy, for messages; n is the real length */
	size_t n;
};

struct rec {
	struct event ev;	/* strings in ev point nowhere valid; use the copies */
	struct rstr callid, src, ua, ts;
	int64_t t;		/* the time the timeline gives it (complete events only) */
};

/* Complete events in r[], incomplete ones (EV_INCOMPLETE) in inc[]. */
struct recorder {
	struct rec *r, *inc;
	size_t n, cap, ninc, capinc;
	struct timeline tl;
	int64_t first, last;	/* first and last known time, TIME_UNKNOWN if none */
	size_t scanner_set_time;	/* events whose time_us the scanner set (it must not) */
};

static void recorder_init(struct recorder *rc, int64_t mtime_us)
{
	memset(rc, 0, sizeof(*rc));
	timeline_init(&rc->tl, mtime_us);
	rc->first = rc->last = TIME_UNKNOWN;
}

static struct rstr copy_str(struct str s)
{
	struct rstr c;

	c.n = s.n;
	c.p = xmalloc(s.n + 1);
	if (s.n)
		memcpy(c.p, s.p, s.n);
	c.p[s.n] = '\0';
	return c;
}

static void record(void *ctx, const struct event *ev)
{
	struct recorder *rc = ctx;
	struct rec *r;

	if (ev->time_us != TIME_UNKNOWN)
		rc->scanner_set_time++;
	if (ev->flags & EV_INCOMPLETE) {
		if (rc->ninc == rc->capinc) {
			rc->capinc = rc->capinc ? rc->capinc * 2 : 16;
			rc->inc = xrealloc(rc->inc, rc->capinc * sizeof(*rc->inc));
		}
		r = &rc->inc[rc->ninc++];
		r->t = TIME_UNKNOWN;
	} else {
		if (rc->n == rc->cap) {
			rc->cap = rc->cap ? rc->cap * 2 : 16;
			rc->r = xrealloc(rc->r, rc->cap * sizeof(*rc->r));
		}
		r = &rc->r[rc->n++];
		/* what the sequential stage does: one timeline per file, in order */
		r->t = timeline_next2(&rc->tl, ev->ts_before.p, ev->ts_before.n, ev->ts.p, ev->ts.n,
				      ev->flags & EV_TS_CARRY);
		if (r->t != TIME_UNKNOWN) {
			if (rc->first == TIME_UNKNOWN)
				rc->first = r->t;
			rc->last = r->t;
		}
	}
	r->ev = *ev;
	r->ev.callid.p = r->ev.src.p = r->ev.ua.p = r->ev.ts.p = NULL;
	r->callid = copy_str(ev->callid);
	r->src = copy_str(ev->src);
	r->ua = copy_str(ev->ua);
	r->ts = copy_str(ev->ts);
}

static void recs_free(struct rec *r, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(r[i].callid.p);
		free(r[i].src.p);
		free(r[i].ua.p);
		free(r[i].ts.p);
	}
	free(r);
}

static void recorder_free(struct recorder *rc)
{
	recs_free(rc->r, rc->n);
	recs_free(rc->inc, rc->ninc);
	memset(rc, 0, sizeof(*rc));
}

static int rstr_eq(struct rstr a, struct rstr b)
{
	return a.n == b.n && memcmp(a.p, b.p, a.n) == 0;
}

/* 1 when both lists hold the same events, field by field; else prints the first
 * difference. */
static int same_recs(const struct rec *xs, size_t xn, const struct rec *ys, size_t yn)
{
	if (xn != yn) {
		printf("#   %zu events, want %zu\n", yn, xn);
		return 0;
	}
	for (size_t i = 0; i < xn; i++) {
		const struct rec *x = &xs[i], *y = &ys[i];
		if (x->t != y->t || x->ev.time_us != y->ev.time_us || x->ev.method != y->ev.method ||
		    x->ev.status != y->ev.status || x->ev.cseq != y->ev.cseq ||
		    x->ev.cseq_method != y->ev.cseq_method || x->ev.auth != y->ev.auth ||
		    x->ev.file != y->ev.file || x->ev.line != y->ev.line ||
		    x->ev.flags != y->ev.flags || x->ev.offset != y->ev.offset ||
		    !rstr_eq(x->ts, y->ts) ||
		    !rstr_eq(x->callid, y->callid) || !rstr_eq(x->src, y->src) || !rstr_eq(x->ua, y->ua)) {
			printf("#   event %zu differs: line %llu/%llu callid '%s'/'%s' time %lld/%lld "
			       "src '%s'/'%s'\n", i, (unsigned long long)y->ev.line,
			       (unsigned long long)x->ev.line, y->callid.p, x->callid.p,
			       (long long)y->t, (long long)x->t, y->src.p, x->src.p);
			return 0;
		}
	}
	return 1;
}

static int same_events(const struct recorder *a, const struct recorder *b)
{
	return same_recs(a->r, a->n, b->r, b->n) && same_recs(a->inc, a->ninc, b->inc, b->ninc) &&
	       a->scanner_set_time == b->scanner_set_time;
}

/* ---- feeding */

/* The whole input in one SCAN_EOF call (from an exact-size heap copy). */
static struct scan_stats scan_once(const struct profile *p, const char *in, size_t len,
				   int64_t mtime, struct recorder *rc)
{
	struct scanner *s = scanner_new(p, record, rc);
	char *copy = xmalloc(len ? len : 1);

	recorder_init(rc, mtime);
	memcpy(copy, in, len);
	scanner_begin(s, 7);
	size_t used = scanner_feed(s, copy, len, SCAN_EOF);
	struct scan_stats st = *scanner_stats(s);
	if (used != len)
		st.bytes = UINT64_MAX;	/* SCAN_EOF must consume everything: make it show */
	free(copy);
	scanner_free(s);
	return st;
}

/*
 * The input in pieces of `piece` bytes (piece_of, when set, picks each piece's size
 * instead), as a streaming caller does: keep buf[consumed..), append the next piece, call
 * with SCAN_MORE; SCAN_FORCE when the buffer holds SCAN_MAX_LINE bytes and nothing was
 * consumed; SCAN_EOF with what is left at the end. Returns the stats; *bad is set when a
 * call breaks the consumption contract.
 */
static struct scan_stats scan_pieces(const struct profile *p, const char *in, size_t len,
				     int64_t mtime, size_t piece, size_t (*piece_of)(size_t),
				     struct recorder *rc, int *bad)
{
	struct scanner *s = scanner_new(p, record, rc);
	char *pending = NULL;
	size_t have = 0, off = 0, k = 0;

	recorder_init(rc, mtime);
	scanner_begin(s, 7);
	while (off < len) {
		size_t n = piece_of ? piece_of(k++) : piece;
		if (n > len - off)
			n = len - off;
		/* a fresh exact-size buffer for every call */
		char *b = xmalloc(have + n);
		if (have)
			memcpy(b, pending, have);
		memcpy(b + have, in + off, n);
		free(pending);
		pending = b;
		have += n;
		off += n;
		if (off == len)
			break;
		size_t used = scanner_feed(s, pending, have, SCAN_MORE);
		if (used > have)
			*bad = 1;
		if (used == 0 && have >= SCAN_MAX_LINE)
			used = scanner_feed(s, pending, have, SCAN_FORCE);
		if (used > have) {
			*bad = 1;
			used = have;
		}
		if (used) {
			char *rest = xmalloc(have - used ? have - used : 1);
			memcpy(rest, pending + used, have - used);
			free(pending);
			pending = rest;
			have -= used;
		}
	}
	char *last = xmalloc(have ? have : 1);
	if (have)
		memcpy(last, pending, have);
	if (scanner_feed(s, last, have, SCAN_EOF) != have)
		*bad = 1;
	free(last);
	free(pending);
	struct scan_stats st = *scanner_stats(s);
	scanner_free(s);
	return st;
}

static int same_stats(const struct scan_stats *a, const struct scan_stats *b)
{
	return a->bytes == b->bytes && a->lines == b->lines && a->cut_lines == b->cut_lines;
}

/* 1-based line number of the first occurrence of needle (which must occur). */
static uint64_t line_of(const char *buf, const char *needle)
{
	const char *hit = strstr(buf, needle);
	uint64_t line = 1;

	if (!hit)
		return 0;
	for (const char *q = buf; q < hit; q++)
		line += *q == '\n';
	return line;
}

/* Lines in a NUL-terminated text that ends in a newline. */
static uint64_t count_lines(const char *buf)
{
	uint64_t n = 0;

	for (; *buf; buf++)
		n += *buf == '\n';
	return n;
}

static struct profile *sip, *kam;
static int64_t mtime;	/* the files' mtime: 2026-11-25 00:00:00Z */

/* ---- inputs */

/* sipdump layout (Kamailio sipdump module), LF line ends */
static const char sipdump[] =
	"====================\n"
	"tag: rcv\n"
	"pid: 100\n"
	"process: 1\n"
	"time: 1764000000.000000\n"
	"date: Tue Nov 24 13:00:00 2026\n"
	"proto: udp ipv4\n"
	"srcip: 10.0.0.1\n"
	"srcport: 5060\n"
	"dstip: 10.0.0.9\n"
	"dstport: 5060\n"
	"~~~~~~~~~~~~~~~~~~~~\n"
	"INVITE sip:bob@example.com SIP/2.0\n"
	"Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK17441\n"
	"From: <sip:alice@example.com>;tag=1\n"
	"To: <sip:bob@example.com>\n"
	"Call-ID: h1@example.com\n"
	"CSeq: 1 INVITE\n"
	"User-Agent: Phone 1.0\n"
	"Content-Length: 0\n"
	"\n"
	"||||||||||||||||||||\n"
	"====================\n"
	"tag: snd\n"
	"pid: 100\n"
	"process: 1\n"
	"time: 1764000000.001000\n"
	"date: Tue Nov 24 13:00:00 2026\n"
	"proto: udp ipv4\n"
	"srcip: 10.0.0.9\n"
	"srcport: 5060\n"
	"dstip: 10.0.0.1\n"
	"dstport: 5060\n"
	"~~~~~~~~~~~~~~~~~~~~\n"
	"SIP/2.0 407 Proxy Authentication Required\n"
	"Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK17441\n"
	"From: <sip:alice@example.com>;tag=1\n"
	"To: <sip:bob@example.com>;tag=x\n"
	"Call-ID: h1@example.com\n"
	"CSeq: 1 INVITE\n"
	"Proxy-Authenticate: Digest realm=\"example.com\", nonce=\"abc\"\n"
	"Content-Length: 0\n"
	"\n"
	"||||||||||||||||||||\n"
	"====================\n"
	"tag: rcv\n"
	"pid: 100\n"
	"process: 1\n"
	"time: 1764000000.050000\n"
	"date: Tue Nov 24 13:00:00 2026\n"
	"proto: udp ipv4\n"
	"srcip: 10.0.0.1\n"
	"srcport: 5060\n"
	"dstip: 10.0.0.9\n"
	"dstport: 5060\n"
	"~~~~~~~~~~~~~~~~~~~~\n"
	"INVITE sip:bob@example.com SIP/2.0\n"
	"Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK32556\n"
	"From: <sip:alice@example.com>;tag=1\n"
	"To: <sip:bob@example.com>\n"
	"Call-ID: h1@example.com\n"
	"CSeq: 2 INVITE\n"
	"Proxy-Authorization: Digest username=\"alice\", realm=\"example.com\"\n"
	"Content-Length: 0\n"
	"\n"
	"||||||||||||||||||||\n";

/* FreeSWITCH siptrace layout: indented, CRLF, lowercase and compact headers, WWW auth */
static const char freeswitch_crlf[] =
	"2026-11-24 13:20:14.100000 [NOTICE] sofia.c:1 something unrelated\r\n"
	"recv 736 bytes from udp/[198.51.100.31]:5060 at 13:20:14.261093:\r\n"
	"   ------------------------------------------------------------------------\r\n"
	"   REGISTER sip:192.0.2.20:5060 SIP/2.0\r\n"
	"   v: SIP/2.0/UDP 198.51.100.31:5060;branch=z9hG4bK1550387419\r\n"
	"   f: \"Dave\" <sip:1000@192.0.2.20:5060>;tag=2213790541\r\n"
	"   i: 0_3377110592@198.51.100.31\r\n"
	"   cseq: 2 REGISTER\r\n"
	"   authorization: Digest username=\"1000\", realm=\"192.0.2.20\"\r\n"
	"   user-agent: Yealink SIP-T46S\r\n"
	"   l: 0\r\n"
	"   \r\n"
	"   ------------------------------------------------------------------------\r\n"
	"send 567 bytes to udp/[198.51.100.31]:5060 at 13:20:14.263007:\r\n"
	"   ------------------------------------------------------------------------\r\n"
	"   SIP/2.0 200 OK\r\n"
	"   CALL-ID: 0_3377110592@198.51.100.31\r\n"
	"   CSEQ: 2 REGISTER\r\n"
	"   Content-Length: 0\r\n"
	"   \r\n"
	"   ------------------------------------------------------------------------\r\n";

/* A NOTIFY whose message/sipfrag body holds a status line: the body's status line has no
 * Call-ID, so it is not a message of its own. ngrep -W byline layout ("." for CR). */
static const char notify_sipfrag[] =
	"U 2026/11/24 15:40:00.569927 127.0.0.1:5061 -> 127.0.0.1:5070 #1\n"
	"NOTIFY sip:alice@127.0.0.1:5061 SIP/2.0.\n"
	"Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-n1.\n"
	"Call-ID: refer-1@127.0.0.1.\n"
	"CSeq: 3 NOTIFY.\n"
	"Event: refer.\n"
	"Content-Type: message/sipfrag;version=2.0.\n"
	"Content-Length: 16.\n"
	".\n"
	"SIP/2.0 200 OK.\n"
	".\n"
	"\n"
	"U 2026/11/24 15:40:00.570063 127.0.0.1:5070 -> 127.0.0.1:5061 #2\n"
	"SIP/2.0 200 OK.\n"
	"Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-n1.\n"
	"Call-ID: refer-1@127.0.0.1.\n"
	"CSeq: 3 NOTIFY.\n"
	"Content-Length: 0.\n"
	".\n"
	"\n";

/* a logger's prefix on every line (empty lines included), and messages without empty lines */
static const char prefixed[] =
	"[Mar 30 13:35:51] INVITE sip:bob@example.com SIP/2.0\n"
	"[Mar 30 13:35:51] Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1\n"
	"[Mar 30 13:35:51] Call-ID: p1@192.0.2.1.\n"
	"[Mar 30 13:35:51] CSeq: 1 INVITE\n"
	"[Mar 30 13:35:51] User-Agent: [Mar 30 13:35:51] SIP/2.0 200 OK\n"
	"[Mar 30 13:35:51] Content-Length: 0\n"
	"[Mar 30 13:35:51] \n"
	"2019-11-30 15:58:09.561 5128-5128/org.example D/Sip: SIP/2.0 200 OK\n"
	"2019-11-30 15:58:09.562 5128-5140/org.example D/Sip: Call-ID: p2\n"
	"2019-11-30 15:58:09.562 5128-5140/org.example D/Sip: CSeq: 4 NOTIFY\n"
	"2019-11-30 15:58:09.562 5128-5140/org.example D/Sip: Content-Length: 16\n"
	"2019-11-30 15:58:09.562 5128-5140/org.example D/Sip: SIP/2.0 180 Ringing\n"
	"2019-11-30 15:58:09.990 5128-5128/org.example D/Sip: BYE sip:a@b SIP/2.0\n"
	"2019-11-30 15:58:09.990 5128-5128/org.example D/Sip: Call-ID: p2\n"
	"2019-11-30 15:58:09.990 5128-5128/org.example D/Sip: CSeq: 5 BYE\n"
	"sip.js:183 Received:SIP/2.0 486 Busy Here\n"
	"Call-ID: p3\n"
	"CSeq: 2 INVITE\n"
	"\n";

/* Kamailio xlog lines in syslog (BSD and RFC 3339) and stderr layouts, plus noise */
static const char kamailio_lines[] =
	"Nov 24 13:00:01 px kamailio[7]: NOTICE: <script>: siplog: req=INVITE cseq=1 INVITE "
		"callid=k1@h src=udp:10.0.0.1:5060 auth=no ua=Zoiper 5\n"
	"Nov 24 13:00:01 px kamailio[7]: INFO: unrelated line mentioning siplog without the colon\n"
	"Nov 24 13:00:02 px kamailio[7]: NOTICE: <script>: siplog: rpl=407 cseq=1 INVITE "
		"callid=k1@h src=udp:10.0.0.9:5060 reason=Proxy Authentication Required\n"
	"2026-11-24T13:00:03.250000+01:00 px kamailio[7]: NOTICE: <script>: siplog: req=INVITE "
		"cseq=2 INVITE callid=k1@h src=udp:10.0.0.1:5060 auth=yes ua=Zoiper 5\r\n"
	" 0(12) NOTICE: <script>: siplog: rpl=200 cseq=2 INVITE callid=k1@h src=udp:10.0.0.9:5060 "
		"reason=OK\n"
	"Nov 24 13:00:04 px kamailio[7]: NOTICE: <script>: siplog: req=BYE cseq=3 BYE "
		"callid=k1@h src=udp:10.0.0.1:5060 auth=no\n";

/* ---- field tests */

static void test_sipdump_fields(void)
{
	struct recorder rc = {0};
	struct scan_stats st = scan_once(sip, sipdump, strlen(sipdump), mtime, &rc);

	CHECK_EQ_INT(rc.n, 3, "sipdump: three messages");
	CHECK_EQ_INT(rc.ninc, 0, "sipdump: nothing incomplete");
	CHECK_EQ_INT(rc.scanner_set_time, 0, "sipdump: the scanner leaves time_us to the sequential stage");
	CHECK_EQ_INT(st.bytes, strlen(sipdump), "sipdump: every byte consumed");
	CHECK_EQ_INT(st.lines, count_lines(sipdump), "sipdump: stats.lines");
	if (rc.n == 3) {
		const struct event *e = &rc.r[0].ev;
		CHECK(e->method == METHOD_INVITE && e->status == 0, "sipdump #1: INVITE request");
		CHECK(e->cseq == 1 && e->cseq_method == METHOD_INVITE, "sipdump #1: CSeq 1 INVITE");
		CHECK_EQ_STR(rc.r[0].callid.p, "h1@example.com", "sipdump #1: Call-ID");
		CHECK_EQ_STR(rc.r[0].src.p, "10.0.0.1", "sipdump #1: srcip");
		CHECK_EQ_STR(rc.r[0].ua.p, "Phone 1.0", "sipdump #1: User-Agent");
		CHECK_EQ_INT(e->auth, EV_AUTH_KNOWN, "sipdump #1: no credentials, but known");
		CHECK_EQ_STR(rc.r[0].ts.p, "1764000000.000000", "sipdump #1: ts text from 'time:'");
		CHECK(e->flags & EV_TS_CARRY, "sipdump #1: a message carries the last time seen");
		CHECK_EQ_INT(rc.r[0].t, INT64_C(1764000000) * SEC, "sipdump #1: time");
		CHECK_EQ_INT(e->offset, strstr(sipdump, "INVITE sip:") - sipdump, "sipdump #1: offset of the request line");
		CHECK_EQ_INT(e->line, line_of(sipdump, "INVITE sip:"), "sipdump #1: line of the request line");
		CHECK_EQ_INT(e->file, 7, "sipdump #1: file index from scanner_begin");

		e = &rc.r[1].ev;
		CHECK(e->method == METHOD_NONE && e->status == 407, "sipdump #2: 407 response");
		CHECK(e->cseq == 1 && e->cseq_method == METHOD_INVITE, "sipdump #2: CSeq 1 INVITE");
		CHECK_EQ_STR(rc.r[1].callid.p, "h1@example.com", "sipdump #2: Call-ID");
		CHECK_EQ_STR(rc.r[1].src.p, "10.0.0.9", "sipdump #2: srcip");
		CHECK_EQ_INT(rc.r[1].ua.n, 0, "sipdump #2: no User-Agent");
		CHECK_EQ_INT(e->auth, EV_AUTH_KNOWN, "sipdump #2: Proxy-Authenticate is not credentials");
		CHECK_EQ_INT(rc.r[1].t, INT64_C(1764000000) * SEC + 1000, "sipdump #2: time");
		CHECK_EQ_INT(e->offset, strstr(sipdump, "SIP/2.0 407") - sipdump, "sipdump #2: offset");
		CHECK_EQ_INT(e->line, line_of(sipdump, "SIP/2.0 407"), "sipdump #2: line");

		e = &rc.r[2].ev;
		CHECK(e->method == METHOD_INVITE && e->cseq == 2, "sipdump #3: INVITE CSeq 2");
		CHECK_EQ_INT(e->auth, EV_AUTH_KNOWN | EV_AUTH_PROXY, "sipdump #3: Proxy-Authorization");
		CHECK_EQ_INT(rc.r[2].t, INT64_C(1764000000) * SEC + 50000, "sipdump #3: time");
	}
	recorder_free(&rc);

	/* the same with CRLF line ends: identical events */
	struct buf crlf = {0};
	for (const char *q = sipdump; *q; q++) {
		if (*q == '\n')
			buf_addc(&crlf, '\r');
		buf_addc(&crlf, *q);
	}
	struct recorder lf = {0}, cr = {0};
	scan_once(sip, sipdump, strlen(sipdump), mtime, &lf);
	st = scan_once(sip, crlf.p, crlf.len, mtime, &cr);
	int same_fields = lf.n == cr.n && lf.ninc == cr.ninc;
	for (size_t i = 0; same_fields && i < lf.n; i++) {
		const struct rec *x = &lf.r[i], *y = &cr.r[i];
		same_fields = x->t == y->t && x->ev.method == y->ev.method && x->ev.status == y->ev.status &&
			      x->ev.cseq == y->ev.cseq && x->ev.cseq_method == y->ev.cseq_method &&
			      x->ev.auth == y->ev.auth && x->ev.line == y->ev.line &&
			      rstr_eq(x->callid, y->callid) && rstr_eq(x->src, y->src) &&
			      rstr_eq(x->ua, y->ua) && rstr_eq(x->ts, y->ts);
	}
	CHECK(same_fields, "sipdump with CRLF: same events as with LF (no CR in fields)");
	CHECK_EQ_INT(st.lines, count_lines(sipdump), "sipdump with CRLF: same line count");
	recorder_free(&lf);
	recorder_free(&cr);
	buf_free(&crlf);
}

static void test_freeswitch_fields(void)
{
	struct recorder rc = {0};
	const char *in = freeswitch_crlf;
	struct scan_stats st = scan_once(sip, in, strlen(in), mtime, &rc);

	CHECK_EQ_INT(rc.n, 2, "freeswitch CRLF: two messages");
	CHECK_EQ_INT(rc.ninc, 0, "freeswitch CRLF: nothing incomplete");
	if (rc.n == 2) {
		const struct event *e = &rc.r[0].ev;
		CHECK(e->method == METHOD_REGISTER && e->cseq == 2 && e->cseq_method == METHOD_REGISTER,
		      "freeswitch #1: indented REGISTER, lowercase 'cseq:'");
		CHECK_EQ_STR(rc.r[0].callid.p, "0_3377110592@198.51.100.31", "freeswitch #1: compact 'i:' Call-ID, no CR");
		CHECK_EQ_STR(rc.r[0].ua.p, "Yealink SIP-T46S", "freeswitch #1: lowercase user-agent, no CR");
		CHECK_EQ_STR(rc.r[0].src.p, "[198.51.100.31]:5060", "freeswitch #1: source from the recv line");
		CHECK_EQ_INT(e->auth, EV_AUTH_KNOWN | EV_AUTH_WWW, "freeswitch #1: lowercase authorization");
		CHECK_EQ_STR(rc.r[0].ts.p, "13:20:14.261093", "freeswitch #1: ts text from the recv line");
		/* README "Timestamps": the date of a time-of-day stamp comes from the last full
		 * date seen (here the dated log line before the recv line), else the mtime */
		CHECK_EQ_INT(rc.r[0].t, at(2026, 11, 24, 13, 20, 14, 261093),
			     "freeswitch #1: time of day on the date of the log line before");
		CHECK_EQ_INT(e->line, 4, "freeswitch #1: line 4");
		e = &rc.r[1].ev;
		CHECK(e->status == 200 && e->cseq_method == METHOD_REGISTER, "freeswitch #2: 200 to REGISTER");
		CHECK_EQ_STR(rc.r[1].callid.p, "0_3377110592@198.51.100.31", "freeswitch #2: upper-case CALL-ID");
		CHECK_EQ_INT(rc.r[1].t, at(2026, 11, 24, 13, 20, 14, 263007), "freeswitch #2: time from the send line");
		CHECK_EQ_INT(e->line, 16, "freeswitch #2: line 16");
	}
	CHECK_EQ_INT(st.lines, 21, "freeswitch CRLF: 21 lines");
	recorder_free(&rc);
}

static void test_body_status_line(void)
{
	struct recorder rc = {0};
	const char *in = notify_sipfrag;
	struct scan_stats st = scan_once(sip, in, strlen(in), mtime, &rc);

	CHECK_EQ_INT(rc.n, 2, "sipfrag: the body's status line is not a message");
	/* Content-Length 16 is the body "SIP/2.0 200 OK" + CR LF: read as a body, not a record */
	CHECK_EQ_INT(rc.ninc, 0, "sipfrag: the body's status line is not even an incomplete record");
	CHECK_EQ_INT(st.lines, 20, "sipfrag: 20 lines");
	if (rc.n == 2) {
		CHECK(rc.r[0].ev.method == METHOD_NOTIFY && rc.r[0].ev.cseq == 3, "sipfrag: NOTIFY first");
		CHECK_EQ_STR(rc.r[0].callid.p, "refer-1@127.0.0.1", "ngrep: trailing '.' not in the Call-ID");
		CHECK_EQ_STR(rc.r[0].src.p, "127.0.0.1:5061", "ngrep: source from the U line");
		CHECK_EQ_INT(rc.r[0].t, at(2026, 11, 24, 15, 40, 0, 569927), "ngrep: time");
		CHECK(rc.r[1].ev.status == 200 && rc.r[1].ev.cseq_method == METHOD_NOTIFY,
		      "sipfrag: then the real 200 to NOTIFY");
		CHECK_EQ_INT(rc.r[1].ev.line, 14, "sipfrag: the 200's line number");
	}
	recorder_free(&rc);

	/* a start line with CSeq but no Call-ID, and one with Call-ID but no CSeq */
	static const char partial[] =
		"INVITE sip:a@b SIP/2.0\nCSeq: 1 INVITE\n\n"
		"INVITE sip:a@b SIP/2.0\nCall-ID: c1\n\n"
		"BYE sip:a@b SIP/2.0\nCall-ID: c2\nCSeq: 2 BYE\n\n";
	st = scan_once(sip, partial, strlen(partial), mtime, &rc);
	CHECK_EQ_INT(rc.n, 1, "no Call-ID or no CSeq: not complete events");
	CHECK_EQ_INT(rc.ninc, 2, "no Call-ID or no CSeq: both flagged EV_INCOMPLETE");
	CHECK(rc.n == 1 && rc.r[0].ev.method == METHOD_BYE && rc.r[0].ev.line == 7,
	      "the complete message after them: BYE on line 7");
	CHECK(rc.n == 1 && rc.r[0].t == TIME_UNKNOWN && rc.r[0].ts.n == 0, "no time anywhere: no ts, TIME_UNKNOWN");
	recorder_free(&rc);
}

static void test_kamailio_fields(void)
{
	struct recorder rc = {0};
	const char *in = kamailio_lines;
	struct scan_stats st = scan_once(kam, in, strlen(in), mtime, &rc);

	CHECK_EQ_INT(rc.n, 5, "kamailio: five siplog lines");
	CHECK_EQ_INT(st.lines, 6, "kamailio: six lines");
	if (rc.n == 5) {
		const struct rec *r = &rc.r[0];
		CHECK(r->ev.method == METHOD_INVITE && r->ev.status == 0 && r->ev.cseq == 1 &&
		      r->ev.cseq_method == METHOD_INVITE, "kamailio #1: INVITE cseq 1");
		CHECK_EQ_STR(r->callid.p, "k1@h", "kamailio #1: callid");
		CHECK_EQ_STR(r->src.p, "udp:10.0.0.1:5060", "kamailio #1: src");
		CHECK_EQ_STR(r->ua.p, "Zoiper 5", "kamailio #1: ua with a space");
		CHECK_EQ_INT(r->ev.auth, EV_AUTH_KNOWN, "kamailio #1: auth=no");
		CHECK_EQ_STR(r->ts.p, "Nov 24 13:00:01", "kamailio #1: ts text");
		CHECK(!(r->ev.flags & EV_TS_CARRY), "kamailio #1: a line's time is its own (no carry)");
		CHECK_EQ_INT(r->t, at(2026, 11, 24, 13, 0, 1, 0), "kamailio #1: BSD syslog time");
		CHECK_EQ_INT(r->ev.line, 1, "kamailio #1: line 1");
		r = &rc.r[1];
		CHECK(r->ev.status == 407 && r->ev.method == METHOD_NONE && r->ev.cseq_method == METHOD_INVITE,
		      "kamailio #2: 407 to INVITE");
		CHECK_EQ_INT(r->ev.line, 3, "kamailio #2: line 3 (the noise line is counted)");
		r = &rc.r[2];
		CHECK_EQ_INT(r->ev.auth, EV_AUTH_KNOWN | EV_AUTH_PROXY | EV_AUTH_WWW, "kamailio #3: auth=yes");
		CHECK_EQ_STR(r->ua.p, "Zoiper 5", "kamailio #3: CRLF line, no CR in ua");
		CHECK_EQ_INT(r->t, at(2026, 11, 24, 12, 0, 3, 250000), "kamailio #3: RFC 3339 with offset");
		r = &rc.r[3];
		CHECK(r->ev.status == 200 && r->t == TIME_UNKNOWN && r->ts.n == 0,
		      "kamailio #4: stderr line has no time (not the previous line's)");
		r = &rc.r[4];
		CHECK(r->ev.method == METHOD_BYE && r->ev.line == 6 && r->ua.n == 0, "kamailio #5: BYE, no ua");
	}
	CHECK_EQ_INT(rc.first, at(2026, 11, 24, 13, 0, 1, 0), "kamailio: first time");
	CHECK_EQ_INT(rc.last, at(2026, 11, 24, 13, 0, 4, 0), "kamailio: last time");
	recorder_free(&rc);

	/* no final newline: the last line still counts and is scanned */
	static const char nonl[] = "a\nx siplog: req=ACK cseq=1 ACK callid=z src=s";
	st = scan_once(kam, nonl, strlen(nonl), mtime, &rc);
	CHECK(rc.n == 1 && rc.r[0].ev.line == 2 && rc.r[0].ev.method == METHOD_ACK,
	      "kamailio: last line without newline is scanned (line 2)");
	CHECK_EQ_INT(st.lines, 2, "kamailio: a final line without newline counts");
	recorder_free(&rc);

	/* the sip profile sees nothing in xlog lines, and kamailio nothing in SIP messages */
	st = scan_once(sip, in, strlen(in), mtime, &rc);
	CHECK(rc.n == 0 && rc.ninc == 0, "sip profile: nothing in xlog lines");
	recorder_free(&rc);
	st = scan_once(kam, sipdump, strlen(sipdump), mtime, &rc);
	CHECK(rc.n == 0, "kamailio profile: nothing in sipdump blocks");
	recorder_free(&rc);

	/* empty input */
	st = scan_once(kam, "", 0, mtime, &rc);
	CHECK(rc.n == 0 && st.lines == 0 && st.bytes == 0, "empty input: no events, no lines");
	st = scan_once(sip, "", 0, mtime, &rc);
	CHECK(rc.n == 0 && st.lines == 0 && st.bytes == 0, "empty input (sip): no events, no lines");
	recorder_free(&rc);
}

/* ---- line numbers, scanner_begin */

static void test_line_numbers(void)
{
	struct recorder rc = {0};
	struct buf in = {0};

	/* blank and noise lines between messages of both layouts */
	buf_adds(&in, "\n\nnoise\n");
	buf_adds(&in, sipdump);
	buf_adds(&in, "\r\n\n");
	buf_adds(&in, notify_sipfrag);
	buf_adds(&in, "tail\n");
	buf_cstr(&in);
	scan_once(sip, in.p, in.len, mtime, &rc);
	CHECK_EQ_INT(rc.n, 5, "line numbers: five messages");
	if (rc.n == 5) {
		CHECK_EQ_INT(rc.r[0].ev.line, line_of(in.p, "INVITE sip:bob"), "line numbers: first INVITE");
		CHECK_EQ_INT(rc.r[1].ev.line, line_of(in.p, "SIP/2.0 407"), "line numbers: 407");
		CHECK_EQ_INT(rc.r[2].ev.line, line_of(in.p, "CSeq: 2 INVITE") - 5, "line numbers: second INVITE");
		CHECK_EQ_INT(rc.r[3].ev.line, line_of(in.p, "NOTIFY sip:"), "line numbers: NOTIFY");
		CHECK_EQ_INT(rc.r[4].ev.line, line_of(in.p, "#2\n") + 1, "line numbers: 200 after the body");
	}
	recorder_free(&rc);

	/* scanner_begin resets line numbers, offsets and stats */
	struct scanner *s = scanner_new(kam, record, &rc);
	recorder_init(&rc, mtime);
	scanner_begin(s, 1);
	scanner_feed(s, kamailio_lines, strlen(kamailio_lines), SCAN_EOF);
	scanner_begin(s, 2);
	CHECK(scanner_stats(s)->lines == 0 && scanner_stats(s)->bytes == 0, "scanner_begin resets the stats");
	scanner_feed(s, kamailio_lines, strlen(kamailio_lines), SCAN_EOF);
	CHECK(rc.n == 10 && rc.r[5].ev.line == 1 && rc.r[5].ev.file == 2 && rc.r[0].ev.file == 1 &&
	      rc.r[5].ev.offset == 0, "scanner_begin: file index; lines start at 1 and offsets at 0 again");
	scanner_free(s);
	scanner_free(NULL);
	recorder_free(&rc);
	buf_free(&in);
}

/* ---- streaming equivalence */

static size_t odd_pieces(size_t k)
{
	static const size_t sizes[] = { 1, 7, 300, 2, 64, 1023, 5, 129, 3, 4096, 17, 2049 };

	return sizes[k % (sizeof(sizes) / sizeof(sizes[0]))];
}

static void test_streaming(void)
{
	struct buf in = {0};

	/* a few KB mixing both formats: each profile must find its own records only */
	buf_adds(&in, "Nov 24 12:59:59 px kamailio[7]: starting\n");
	buf_adds(&in, sipdump);
	buf_adds(&in, kamailio_lines);
	buf_adds(&in, freeswitch_crlf);
	buf_adds(&in, notify_sipfrag);
	buf_adds(&in, prefixed);
	buf_adds(&in, kamailio_lines);
	buf_adds(&in, sipdump);
	buf_adds(&in, "[Nov 24 13:00:01] VERBOSE[12290] res_pjsip_logger.c: <--- Received SIP response "
		      "(594 bytes) from UDP:198.51.100.21:5060 --->\n"
		      "SIP/2.0 200 OK\nVia: SIP/2.0/UDP 192.0.2.10:5060\nCall-ID: ast-1\n"
		      "CSeq: 40127 OPTIONS\nUser-Agent: Yealink\nContent-Length: 0\n\n\n");
	buf_adds(&in, "INVITE sip:tail@x SIP/2.0\nCall-ID: tail-1\nCSeq: 9 INVITE");	/* no newline */

	const struct profile *profiles[2] = { sip, kam };
	const char *names[2] = { "sip", "kamailio" };
	for (int pi = 0; pi < 2; pi++) {
		struct recorder one = {0};
		struct scan_stats st1 = scan_once(profiles[pi], in.p, in.len, mtime, &one);
		CHECK(one.n >= (pi == 0 ? 11u : 10u), "streaming (%s): the one-shot scan finds %zu events",
		      names[pi], one.n);
		int bad_events = 0, bad_stats = 0, bad_contract = 0;
		for (size_t piece = 1; piece <= 300; piece++) {
			struct recorder many = {0};
			int bad = 0;
			struct scan_stats st2 = scan_pieces(profiles[pi], in.p, in.len, mtime, piece, NULL,
							    &many, &bad);
			if (!same_events(&one, &many)) {
				if (bad_events++ < 3)
					printf("#   (%s, pieces of %zu bytes)\n", names[pi], piece);
			}
			if (!same_stats(&st1, &st2) && bad_stats++ < 3)
				printf("#   stats differ (%s, pieces of %zu): lines %llu/%llu bytes %llu/%llu\n",
				       names[pi], piece, (unsigned long long)st2.lines,
				       (unsigned long long)st1.lines, (unsigned long long)st2.bytes,
				       (unsigned long long)st1.bytes);
			bad_contract += bad;
			recorder_free(&many);
		}
		CHECK_EQ_INT(bad_events, 0, "streaming (%s): pieces of 1..300 bytes give the same events "
			     "(fields and line numbers)", names[pi]);
		CHECK_EQ_INT(bad_stats, 0, "streaming (%s): and the same stats", names[pi]);
		CHECK_EQ_INT(bad_contract, 0, "streaming (%s): SCAN_MORE never claims more than it got, "
			     "SCAN_EOF consumes all", names[pi]);

		struct recorder many = {0};
		int bad = 0;
		struct scan_stats st2 = scan_pieces(profiles[pi], in.p, in.len, mtime, 0, odd_pieces,
						    &many, &bad);
		CHECK(same_events(&one, &many) && same_stats(&st1, &st2) && !bad,
		      "streaming (%s): pieces of varying sizes", names[pi]);
		recorder_free(&many);
		recorder_free(&one);
	}

	/* the same input in CRLF throughout */
	struct buf crlf = {0};
	for (size_t i = 0; i < in.len; i++) {
		if (in.p[i] == '\n' && (i == 0 || in.p[i - 1] != '\r'))
			buf_addc(&crlf, '\r');
		buf_addc(&crlf, in.p[i]);
	}
	for (int pi = 0; pi < 2; pi++) {
		struct recorder one = {0};
		struct scan_stats st1 = scan_once(profiles[pi], crlf.p, crlf.len, mtime, &one);
		int bad_events = 0;
		for (size_t piece = 1; piece <= 300; piece += 7) {
			struct recorder many = {0};
			int bad = 0;
			struct scan_stats st2 = scan_pieces(profiles[pi], crlf.p, crlf.len, mtime, piece,
							    NULL, &many, &bad);
			if (!same_events(&one, &many) || !same_stats(&st1, &st2) || bad)
				bad_events++;
			recorder_free(&many);
		}
		CHECK_EQ_INT(bad_events, 0, "streaming CRLF (%s): pieces give the same events", names[pi]);
		recorder_free(&one);
	}
	buf_free(&crlf);
	buf_free(&in);
}

/* ---- prefixes */

static size_t pm(const char *p, const char *l)
{
	return scan_prefix_match(p, strlen(p), l, strlen(l));
}

static void test_prefix_shape(void)
{
	/* digit runs and blank runs are classes; any other byte is itself */
	CHECK_EQ_INT(pm("[Mar 30 13:35:51] ", "[Mar 30 13:35:52] Via: x"), 18, "shape: another second");
	CHECK_EQ_INT(pm("Nov  4 13:00:01 pbx asterisk[123]: ", "Nov 14 13:00:01 pbx asterisk[4567]: CSeq"),
		     36, "shape: padded day and a longer pid");
	CHECK_EQ_INT(pm("2019-11-30 15:58:09.561 5128-5128/org.example I/Tag: ",
			"2019-11-30 15:58:10.7 5128-5130/org.example I/Tag: Via"),
		     51, "shape: logcat with other milliseconds and thread");
	CHECK_EQ_INT(pm("a84b@pc33 | ", "a84b@pc33 | Via"), 12, "shape: a Call-ID column, same bytes");
	CHECK_EQ_INT(pm("[Mar 30 13:35:51] ", "[Mar 30 13:35:51]"), 17,
		     "shape: an empty line whose trailing blank was cut");
	CHECK_EQ_INT(pm("[Mar 30 13:35:51] ", "[Mar 30 13:35:51]\r"), 17, "shape: the same with CR");
	CHECK_EQ_INT(pm("[t] ", "[t]    Via"), 4, "shape: the last blank run no wider than the prefix's");
	CHECK(pm("[Mar 30 13:35:51] ", "[Apr 30 13:35:51] Via") == SIZE_MAX, "shape: letters are bytes");
	CHECK(pm("[Mar 30 13:35:51] ", "[Mar 30 13:35] Via") == SIZE_MAX, "shape: a digit run missing");
	CHECK(pm("asterisk[1]: ", "asterisk[]: Via") == SIZE_MAX, "shape: a digit run needs a digit");
	CHECK(pm("I/Tag: ", "I/Tag:Via") == SIZE_MAX, "shape: a blank run needs a blank");
	CHECK(pm("a84b@pc33 | ", "a84c@pc33 | Via") == SIZE_MAX, "shape: a different Call-ID column");
	CHECK(pm("[Mar 30 13:35:51] ", "Via: SIP/2.0/UDP") == SIZE_MAX, "shape: no prefix at all");
	CHECK(pm("[Mar 30 13:35:51] ", "") == SIZE_MAX, "shape: an empty line without its prefix");
	CHECK_EQ_INT(pm("", "Via"), 0, "shape: the empty prefix");

	/* in the scan: the prefix's time, the header values without it, bodies by length */
	struct recorder rc = {0};
	scan_once(sip, prefixed, strlen(prefixed), mtime, &rc);
	CHECK_EQ_INT(rc.n, 4, "prefixed: INVITE, 200 to NOTIFY, BYE, 486");
	CHECK_EQ_INT(rc.ninc, 0, "prefixed: the User-Agent's and the body's status lines are nothing");
	if (rc.n == 4) {
		CHECK(rc.r[0].ev.method == METHOD_INVITE && rc.r[0].ev.line == 1, "prefixed: INVITE on line 1");
		CHECK_EQ_STR(rc.r[0].callid.p, "p1@192.0.2.1.", "prefixed: a Call-ID's final '.' is kept");
		CHECK_EQ_STR(rc.r[0].ts.p, "Mar 30 13:35:51", "prefixed: the bracketed time");
		CHECK_EQ_STR(rc.r[0].ua.p, "[Mar 30 13:35:51] SIP/2.0 200 OK", "prefixed: User-Agent value");
		CHECK(rc.r[1].ev.status == 200 && rc.r[1].ev.cseq == 4 && rc.r[1].ev.line == 8,
		      "logcat: the 200 on line 8");
		CHECK_EQ_STR(rc.r[1].ts.p, "2019-11-30 15:58:09.561", "logcat: its stamp");
		CHECK_EQ_INT(rc.r[1].t, at(2019, 11, 30, 15, 58, 9, 561000), "logcat: its time");
		CHECK(rc.r[2].ev.method == METHOD_BYE && rc.r[2].ev.line == 13,
		      "logcat: the body (Content-Length 16) ends before the BYE on line 13");
		CHECK(rc.r[3].ev.status == 486 && rc.r[3].ev.line == 16 && strcmp(rc.r[3].callid.p, "p3") == 0,
		      "glued label: the 486 on line 16, headers at column 0");
	}
	recorder_free(&rc);
}

/* ---- overlong lines */

static void test_long_lines(void)
{
	struct recorder rc = {0};
	struct buf in = {0};

	/* line mode: a candidate line (it holds the prefilter) past SCAN_MAX_LINE */
	buf_adds(&in, "x siplog: req=INVITE cseq=1 INVITE callid=before src=s auth=no\n");
	buf_adds(&in, "x siplog: req=INVITE cseq=1 INVITE callid=");
	while (in.len < SCAN_MAX_LINE + (300u << 10))	/* long enough to need SCAN_FORCE below */
		buf_adds(&in, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	buf_adds(&in, " src=s auth=no\n");
	buf_adds(&in, "x siplog: req=BYE cseq=2 BYE callid=after src=s auth=no\n");
	struct scan_stats st = scan_once(kam, in.p, in.len, mtime, &rc);
	CHECK_EQ_INT(st.cut_lines, 1, "line mode: an overlong line is counted in cut_lines");
	CHECK_EQ_INT(rc.n, 2, "line mode: the overlong line is skipped, its neighbours are not");
	CHECK(rc.n == 2 && rc.r[0].ev.line == 1 && rc.r[1].ev.line == 3 &&
	      strcmp(rc.r[1].callid.p, "after") == 0, "line mode: line numbers around the overlong line");
	CHECK_EQ_INT(st.lines, 3, "line mode: three lines");
	recorder_free(&rc);

	/* streamed in 256 KiB pieces: the caller must force a cut; events after the cut keep
	 * their line numbers */
	int bad = 0;
	struct recorder one = {0};
	scan_once(kam, in.p, in.len, mtime, &one);
	struct scan_stats st2 = scan_pieces(kam, in.p, in.len, mtime, 256 << 10, NULL, &rc, &bad);
	CHECK(!bad, "line mode streamed: consumption contract holds with SCAN_FORCE");
	CHECK(same_events(&one, &rc), "line mode streamed with a forced cut: same events and line numbers");
	CHECK_EQ_INT(st2.lines, 3, "line mode streamed with a forced cut: still three lines");
	recorder_free(&rc);
	recorder_free(&one);
	buf_free(&in);

	/* message mode: an overlong start line */
	buf_adds(&in, "INVITE sip:a@b SIP/2.0\nCall-ID: m1\nCSeq: 1 INVITE\n\n");
	buf_adds(&in, "INVITE sip:");
	while (in.len < SCAN_MAX_LINE + 200)
		buf_adds(&in, "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
	buf_adds(&in, "@b SIP/2.0\nCall-ID: m2\nCSeq: 1 INVITE\n\n");
	buf_adds(&in, "BYE sip:a@b SIP/2.0\nCall-ID: m3\nCSeq: 2 BYE\n\n");
	st = scan_once(sip, in.p, in.len, mtime, &rc);
	CHECK(rc.n == 2 && strcmp(rc.r[0].callid.p, "m1") == 0 && strcmp(rc.r[1].callid.p, "m3") == 0,
	      "message mode: an overlong start line is skipped, the messages around it are not");
	CHECK(rc.n == 2 && rc.r[1].ev.line == 9, "message mode: line number after the overlong line");
	CHECK_EQ_INT(st.cut_lines, 1, "message mode: the overlong line is counted in cut_lines");
	recorder_free(&rc);
	buf_free(&in);
}

/* ---- scan_count_sample, methods */

static void test_count_sample(void)
{
	int64_t first = 0;

	CHECK_EQ_INT(scan_count_sample(kam, kamailio_lines, strlen(kamailio_lines), mtime, &first, NULL), 5,
		     "scan_count_sample: five xlog records");
	CHECK_EQ_INT(first, at(2026, 11, 24, 13, 0, 1, 0), "scan_count_sample: time of the first");
	CHECK_EQ_INT(scan_count_sample(sip, sipdump, strlen(sipdump), mtime, &first, NULL), 3,
		     "scan_count_sample: three sipdump messages");
	CHECK_EQ_INT(first, INT64_C(1764000000) * SEC, "scan_count_sample: sipdump first time");
	CHECK_EQ_INT(scan_count_sample(sip, notify_sipfrag, strlen(notify_sipfrag), mtime, &first, NULL), 2,
		     "scan_count_sample: incomplete records are not counted");
	CHECK_EQ_INT(scan_count_sample(sip, freeswitch_crlf, strlen(freeswitch_crlf), mtime, &first, NULL), 2,
		     "scan_count_sample: two FreeSWITCH messages");
	CHECK_EQ_INT(first, at(2026, 11, 24, 13, 20, 14, 261093),
		     "scan_count_sample: FreeSWITCH time of day dated by the log line before (README)");
	/* the same messages without the dated line first: it comes after them */
	const char *fs_after = strstr(freeswitch_crlf, "recv 736");
	struct buf late = {0};
	buf_adds(&late, fs_after);
	buf_adds(&late, "2026-11-24 13:20:15.000000 [NOTICE] sofia.c:1 dated afterwards\r\n");
	buf_adds(&late, fs_after);	/* the dated line is read as the context of a message */
	int64_t dated = 0;
	const int64_t months_later = at(2027, 3, 1, 9, 0, 0, 0);
	CHECK_EQ_INT(scan_count_sample(sip, late.p, late.len, months_later, &first, &dated), 4,
		     "scan_count_sample: messages before and after the dated line");
	CHECK_EQ_INT(dated, at(2026, 11, 24, 13, 20, 15, 0),
		     "scan_count_sample: the first full date is returned as the hint");
	CHECK_EQ_INT(first, at(2026, 11, 24, 13, 20, 14, 261093),
		     "scan_count_sample: the first time is dated by that hint, not by mtime");
	buf_free(&late);
	CHECK_EQ_INT(scan_count_sample(sip, kamailio_lines, strlen(kamailio_lines), mtime, &first, NULL), 0,
		     "scan_count_sample: sip finds nothing in xlog lines");
	CHECK_EQ_INT(first, TIME_UNKNOWN, "scan_count_sample: no records, TIME_UNKNOWN");
	static const char untimed[] = "INVITE sip:a@b SIP/2.0\nCall-ID: c\nCSeq: 1 INVITE\n\n";
	CHECK_EQ_INT(scan_count_sample(sip, untimed, strlen(untimed), mtime, &first, NULL), 1,
		     "scan_count_sample: an untimed message counts");
	CHECK_EQ_INT(first, TIME_UNKNOWN, "scan_count_sample: untimed, TIME_UNKNOWN");
	CHECK_EQ_INT(scan_count_sample(sip, untimed, strlen(untimed), mtime, NULL, NULL), 1,
		     "scan_count_sample: first_time may be NULL");
}

static void test_methods(void)
{
	int ok = 1;

	for (int m = METHOD_INVITE; m < METHOD_OTHER; m++) {
		const char *name = sip_method_name((enum sip_method)m);
		if (sip_method_parse(name, strlen(name)) != (enum sip_method)m)
			ok = 0;
	}
	CHECK(ok, "sip_method_parse(sip_method_name(m)) == m for every named method");
	CHECK_EQ_INT(sip_method_parse("INVITE", 6), METHOD_INVITE, "INVITE");
	CHECK_EQ_INT(sip_method_parse("invite", 6), METHOD_OTHER, "'invite': case-sensitive, OTHER");
	CHECK_EQ_INT(sip_method_parse("Invite", 6), METHOD_OTHER, "'Invite': OTHER");
	CHECK_EQ_INT(sip_method_parse("INVITEX", 7), METHOD_OTHER, "'INVITEX': OTHER");
	CHECK_EQ_INT(sip_method_parse("INVITE", 3), METHOD_OTHER, "'INV' (prefix by length): OTHER");
	CHECK_EQ_INT(sip_method_parse("BYE\0", 4), METHOD_OTHER, "'BYE\\0' (4 bytes): OTHER");
	CHECK_EQ_INT(sip_method_parse("FOO", 3), METHOD_OTHER, "unknown token: OTHER");
	CHECK_EQ_INT(sip_method_parse("OTHER", 5), METHOD_OTHER, "'OTHER' parses as OTHER");
	CHECK_EQ_INT(sip_method_parse("", 0), METHOD_NONE, "empty token: NONE");
	CHECK_EQ_STR(sip_method_name(METHOD_OTHER), "OTHER", "name of METHOD_OTHER");
	CHECK_EQ_STR(sip_method_name(METHOD_UPDATE), "UPDATE", "name of METHOD_UPDATE");
	CHECK_EQ_STR(sip_method_name((enum sip_method)1000), "OTHER", "name of an out-of-range value");

	/* the scanner applies the same rule: a lowercase method is OTHER */
	struct recorder rc = {0};
	static const char lower[] = "x siplog: req=invite cseq=1 invite callid=c src=s auth=no\n";
	scan_once(kam, lower, strlen(lower), mtime, &rc);
	CHECK(rc.n == 1 && rc.r[0].ev.method == METHOD_OTHER && rc.r[0].ev.cseq_method == METHOD_OTHER,
	      "scanner: 'req=invite' is METHOD_OTHER");
	recorder_free(&rc);
}

/* ---- carriers: tshark's tree, ngrep's layouts, escaped line ends, SIPp's trace */

static const char tshark_frame[] =
	"Frame 1: 401 bytes on wire (3208 bits), 401 bytes captured (3208 bits)\n"
	"    Arrival Time: Nov 24, 2026 13:00:01.250000000 UTC\n"
	"    Epoch Time: 1795525201.250000000 seconds\n"
	"Internet Protocol Version 4, Src: 192.0.2.10, Dst: 192.0.2.1\n"
	"User Datagram Protocol, Src Port: 5060, Dst Port: 5060\n"
	"Session Initiation Protocol (INVITE)\n"
	"    Request-Line: INVITE sip:200@192.0.2.1 SIP/2.0\n"
	"        Method: INVITE\n"
	"        [Resent Packet: False]\n"
	"    Message Header\n"
	"        Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-1\n"
	"        [Generated Call-ID: generated-1]\n"
	"        Call-ID: ts-1@192.0.2.10\n"
	"        CSeq: 1 INVITE\n"
	"            Sequence Number: 1\n"
	"            Method: INVITE\n"
	"        User-Agent: Request-Line: BYE sip:x SIP/2.0\n"
	"        Proxy-Authorization: Digest username=\"a\"\n"
	"            Authentication Scheme: Digest\n"
	"    Message Body\n"
	"        Line-based text data: text/plain (2 lines)\n"
	"            Status-Line: SIP/2.0 200 OK\n"
	"            Call-ID: body-1\n"
	"\n";

static const char carriers[] =
	"U 2026/11/24 13:00:02.000000 192.0.2.1:5060 -> 192.0.2.10:5060 #2\n"
	"SIP/2.0 100 Trying.\n"
	"Call-ID: ts-1@192.0.2.10.\n"
	"CSeq: 1 INVITE.\n"
	".\n"
	"\n"
	"U 2026/11/24 13:00:03.000000 192.0.2.1:5060 -> 192.0.2.10:5060 #3\n"
	"  SIP/2.0 180 Ringing..Call-ID: ts-1@192.0.2.10..CSeq: 1 INVITE..Content-Leng\n"
	"  th: 0....                                                                  \n"
	"\n"
	"2026-11-24T13:00:04.000000+00:00 pbx app[1]: SIP/2.0 200 OK\\r\\nCall-ID: ts-1@192.0.2.10"
	"\\r\\nCSeq: 1 INVITE\\r\\nUser-Agent: a\\r\\n\\r\\nSIP/2.0 486 Busy Here\\r\\n\\r\\n\n"
	"----------------------------------------------- 2026-11-24 13:00:05.000000\n"
	"UDP message sent (90 bytes):\n"
	"\n"
	"ACK sip:200@192.0.2.1 SIP/2.0\n"
	"Call-ID: ts-1@192.0.2.10\n"
	"CSeq: 1 ACK\n"
	"\n";

static void test_carriers(void)
{
	struct recorder rc = {0};
	struct buf in = {0};

	scan_once(sip, tshark_frame, strlen(tshark_frame), mtime, &rc);
	CHECK(rc.n == 1 && rc.ninc == 0, "tshark: one message; no record from the generated fields, "
	      "a header's value or the body (%zu, %zu incomplete)", rc.n, rc.ninc);
	if (rc.n == 1) {
		const struct rec *r = &rc.r[0];
		CHECK(r->ev.method == METHOD_INVITE && r->ev.cseq == 1, "tshark: INVITE, CSeq 1");
		CHECK_EQ_STR(r->callid.p, "ts-1@192.0.2.10", "tshark: the header's Call-ID");
		CHECK_EQ_STR(r->ua.p, "Request-Line: BYE sip:x SIP/2.0", "tshark: User-Agent as text");
		CHECK_EQ_STR(r->src.p, "192.0.2.10", "tshark: source from the IP summary line");
		CHECK_EQ_INT(r->t, at(2026, 11, 24, 13, 0, 1, 250000), "tshark: the frame's time");
		CHECK(r->ev.auth & EV_AUTH_PROXY, "tshark: Proxy-Authorization seen");
		CHECK_EQ_INT(r->ev.line, 7, "tshark: the Request-Line's line");
	}
	recorder_free(&rc);

	buf_adds(&in, tshark_frame);
	buf_adds(&in, carriers);
	scan_once(sip, in.p, in.len, mtime, &rc);
	CHECK(rc.n == 5 && rc.ninc == 0, "carriers: five messages (%zu, %zu incomplete)", rc.n, rc.ninc);
	static const int status[5] = { 0, 100, 180, 200, 0 };
	static const int sec[5] = { 1, 2, 3, 4, 5 };
	for (size_t i = 0; i < rc.n && i < 5; i++) {
		CHECK(rc.r[i].ev.status == status[i] && rc.r[i].ev.cseq == 1,
		      "carriers: message %zu is %d", i, status[i]);
		CHECK_EQ_STR(rc.r[i].callid.p, "ts-1@192.0.2.10", "carriers: message %zu's Call-ID", i);
		CHECK_EQ_INT(rc.r[i].t, at(2026, 11, 24, 13, 0, sec[i], i ? 0 : 250000),
			     "carriers: message %zu's time", i);
	}
	int bad_events = 0, bad_contract = 0;
	for (size_t piece = 1; piece <= 300; piece++) {
		struct recorder many = {0};
		scan_pieces(sip, in.p, in.len, mtime, piece, NULL, &many, &bad_contract);
		if (!same_events(&rc, &many) && bad_events++ < 3)
			printf("#   (pieces of %zu bytes)\n", piece);
		recorder_free(&many);
	}
	CHECK_EQ_INT(bad_events, 0, "carriers: pieces of 1..300 bytes give the same events");
	CHECK_EQ_INT(bad_contract, 0, "carriers: the consumption contract holds");
	recorder_free(&rc);
	buf_free(&in);
}

int main(void)
{
	mtime = at(2026, 11, 25, 0, 0, 0, 0);
	sip = profile_builtin("sip");
	kam = profile_builtin("kamailio");
	if (!sip || !kam) {
		CHECK(0, "built-in profiles compile");
		return test_done();
	}
	test_methods();
	test_sipdump_fields();
	test_freeswitch_fields();
	test_body_status_line();
	test_kamailio_fields();
	test_line_numbers();
	test_count_sample();
	test_prefix_shape();
	test_streaming();
	test_carriers();
	test_long_lines();
	profile_free(sip);
	profile_free(kam);
	return test_done();
}
