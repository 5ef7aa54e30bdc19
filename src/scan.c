/*
 * scan.c - the scanner: literal prefilter, then PCRE2 JIT on candidate records, then events.
 *
 * Line records: memmem() finds the profile's literal; only the line around each hit is handed
 * to the `match` patterns. Message records: memmem() finds "SIP/2.0"; the line around the hit
 * must match `start`; the message then runs to the first blank line (the end of the SIP header
 * block, RFC 3261 7), a separator line of a known log layout, or the size caps. `header` is
 * matched over that block and `context` over the few lines before the start line.
 *
 * Invariants: no allocation per line or per record; events point into the caller's buffer
 * and are valid only during emit(); every record is bounded in size, so a hostile log cannot
 * make us hold more than SCAN_MAX_LINE + SCAN_MAX_MESSAGE bytes of it.
 */
#include "scan.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

struct scanner {
	const struct profile *p;
	pcre2_match_data *md;
	scan_emit_fn emit;
	void *emit_ctx;
	struct time_ctx tctx;
	int64_t last_time;	/* time of the last context line, carried to following records */
	uint32_t file;
	uint64_t line;		/* line number of buf[0] of the current feed */
	/* incremental newline count inside the current feed */
	const char *cnt_buf;
	size_t cnt_pos;
	uint64_t cnt_line;
	struct scan_stats st;
};

static uint32_t max_captures(const struct profile *p)
{
	uint32_t max = 0, n;
	const struct pattern *all[PROFILE_MAX_MATCH + 3];
	int k = 0;

	for (int i = 0; i < p->nmatch; i++)
		all[k++] = &p->match[i];
	all[k++] = &p->start;
	all[k++] = &p->header;
	all[k++] = &p->context;
	for (int i = 0; i < k; i++) {
		if (!all[i]->re)
			continue;
		pcre2_pattern_info(all[i]->re, PCRE2_INFO_CAPTURECOUNT, &n);
		if (n > max)
			max = n;
	}
	return max + 1;
}

struct scanner *scanner_new(const struct profile *p, scan_emit_fn emit, void *emit_ctx)
{
	struct scanner *s = xcalloc(1, sizeof(*s));

	s->p = p;
	s->emit = emit;
	s->emit_ctx = emit_ctx;
	s->md = pcre2_match_data_create(max_captures(p), NULL);
	if (!s->md) {
		err_msg("out of memory creating PCRE2 match data");
		exit(2);
	}
	scanner_begin(s, 0, 0);
	return s;
}

void scanner_free(struct scanner *s)
{
	if (!s)
		return;
	pcre2_match_data_free(s->md);
	free(s);
}

void scanner_begin(struct scanner *s, uint32_t file, int64_t mtime_us)
{
	s->file = file;
	s->line = 1;
	s->last_time = TIME_UNKNOWN;
	time_ctx_init(&s->tctx, mtime_us);
	memset(&s->st, 0, sizeof(s->st));
	s->st.first_time = s->st.last_time = TIME_UNKNOWN;
}

const struct scan_stats *scanner_stats(const struct scanner *s)
{
	return &s->st;
}

/* Line number of offset off in the current buffer (off must be a line start or inside one). */
static uint64_t line_at(struct scanner *s, size_t off)
{
	const char *b = s->cnt_buf;

	if (off >= s->cnt_pos) {
		const char *q = b + s->cnt_pos, *end = b + off;
		while (q < end && (q = memchr(q, '\n', (size_t)(end - q))) != NULL) {
			s->cnt_line++;
			q++;
		}
	} else {
		const char *q = b + off, *end = b + s->cnt_pos;
		while (q < end && (q = memchr(q, '\n', (size_t)(end - q))) != NULL) {
			s->cnt_line--;
			q++;
		}
	}
	s->cnt_pos = off;
	return s->cnt_line;
}

static int match(struct scanner *s, const struct pattern *pt, const char *subj, size_t len,
		 size_t start)
{
	return pcre2_match(pt->re, (PCRE2_SPTR)subj, len, start, 0, s->md, NULL);
}

/* The text of the first group named for field f that took part in the last match. */
static struct str group(struct scanner *s, const struct pattern *pt, enum field f,
			const char *subj, int rc)
{
	const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
	struct str r = { NULL, 0 };

	for (int i = 0; i < pt->ngroups[f]; i++) {
		int g = pt->groups[f][i];
		if (g < rc && ov[2 * g] != PCRE2_UNSET) {
			r.p = subj + ov[2 * g];
			r.n = ov[2 * g + 1] - ov[2 * g];
			return r;
		}
	}
	return r;
}

static int parse_status(struct str v)
{
	if (v.n != 3)
		return 0;
	int c = 0;
	for (int i = 0; i < 3; i++) {
		if (v.p[i] < '0' || v.p[i] > '9')
			return 0;
		c = c * 10 + (v.p[i] - '0');
	}
	return c >= 100 && c <= 699 ? c : 0;
}

static uint32_t parse_cseq(struct str v)
{
	uint64_t n = 0;

	for (size_t i = 0; i < v.n && v.p[i] >= '0' && v.p[i] <= '9'; i++) {
		n = n * 10 + (uint64_t)(v.p[i] - '0');
		if (n > UINT32_MAX)	/* RFC 3261 8.1.1.5: < 2**31; saturate hostile values */
			return UINT32_MAX;
	}
	return (uint32_t)n;
}

static void event_time(struct scanner *s, struct event *ev, struct str ts)
{
	if (ts.n) {
		int64_t t = time_parse(&s->tctx, ts.p, ts.n);
		if (t != TIME_UNKNOWN)
			s->last_time = t;
	}
	ev->time_us = s->last_time;
}

static void deliver(struct scanner *s, struct event *ev)
{
	if (ev->callid.n == 0 || (ev->status == 0 && ev->method == METHOD_NONE)) {
		s->st.incomplete++;
		return;
	}
	ev->file = s->file;
	if (ev->time_us != TIME_UNKNOWN) {
		if (s->st.first_time == TIME_UNKNOWN)
			s->st.first_time = ev->time_us;
		s->st.last_time = ev->time_us;
	}
	s->st.records++;
	s->emit(s->emit_ctx, ev);
}

/* ---- line records ---- */

static void scan_one_line(struct scanner *s, const char *l, size_t n, size_t off)
{
	const struct profile *p = s->p;

	for (int i = 0; i < p->nmatch; i++) {
		const struct pattern *pt = &p->match[i];
		int rc = match(s, pt, l, n, 0);
		if (rc <= 0)
			continue;
		struct event ev = {0};
		struct str auth = group(s, pt, F_AUTH, l, rc);
		ev.status = parse_status(group(s, pt, F_STATUS, l, rc));
		if (!ev.status) {
			struct str m = group(s, pt, F_METHOD, l, rc);
			ev.method = sip_method_parse(m.p, m.n);
		}
		ev.cseq = parse_cseq(group(s, pt, F_CSEQ, l, rc));
		struct str cm = group(s, pt, F_CSEQ_METHOD, l, rc);
		ev.cseq_method = sip_method_parse(cm.p, cm.n);
		if (ev.cseq_method == METHOD_NONE && ev.method != METHOD_NONE)
			ev.cseq_method = ev.method;
		ev.callid = group(s, pt, F_CALLID, l, rc);
		ev.src = group(s, pt, F_SRC, l, rc);
		ev.ua = group(s, pt, F_UA, l, rc);
		if (p->shows_auth)
			ev.auth = EV_AUTH_KNOWN | (auth.n ? EV_AUTH_PROXY | EV_AUTH_WWW : 0);
		s->last_time = TIME_UNKNOWN;	/* a line's time is its own */
		event_time(s, &ev, group(s, pt, F_TS, l, rc));
		ev.line = s->line + line_at(s, off);
		deliver(s, &ev);
		return;
	}
}

static void scan_line_range(struct scanner *s, const char *buf, size_t lo, size_t hi)
{
	/* every line in [lo, hi); hi is just past a '\n' or the end of input */
	while (lo < hi) {
		const char *nl = memchr(buf + lo, '\n', hi - lo);
		size_t le = nl ? (size_t)(nl - buf) : hi;
		if (le - lo > SCAN_MAX_LINE) {
			s->st.cut_lines++;
		} else {
			scan_one_line(s, buf + lo, le - lo, lo);
		}
		lo = nl ? le + 1 : hi;
	}
}

static size_t scan_lines(struct scanner *s, const char *buf, size_t len, enum scan_mode mode)
{
	const struct profile *p = s->p;
	size_t end = len;

	if (mode == SCAN_MORE) {
		const char *last = memrchr(buf, '\n', len);
		end = last ? (size_t)(last - buf) + 1 : 0;
	}
	if (!p->prefilter) {
		scan_line_range(s, buf, 0, end);
		return end;
	}
	size_t pos = 0;
	while (pos < end) {
		const char *hit = memmem(buf + pos, end - pos, p->prefilter, p->prefilter_len);
		if (!hit)
			break;
		const char *ls = memrchr(buf + pos, '\n', (size_t)(hit - (buf + pos)));
		size_t lo = ls ? (size_t)(ls - buf) + 1 : pos;
		const char *nl = memchr(hit, '\n', (size_t)(buf + end - hit));
		size_t hi = nl ? (size_t)(nl - buf) + 1 : end;
		scan_line_range(s, buf, lo, hi);
		pos = hi;
	}
	return end;
}

/* ---- message records ---- */

/* Does this line end a SIP header block? 1: it is empty (after indentation, CR, and ngrep's
 * "."), and belongs to the message; 2: it is a separator line that logs draw around messages,
 * which may also open the next one. 0: a header line. */
static int ends_message(const char *l, size_t n)
{
	while (n && (l[n - 1] == '\r' || l[n - 1] == ' ' || l[n - 1] == '\t'))
		n--;
	while (n && (*l == ' ' || *l == '\t')) {
		l++;
		n--;
	}
	if (n == 0 || (n == 1 && l[0] == '.'))
		return 1;
	if (n >= 4 && (memcmp(l, "----", 4) == 0 || memcmp(l, "<---", 4) == 0 ||
		       memcmp(l, "====", 4) == 0 || memcmp(l, "||||", 4) == 0 ||
		       memcmp(l, "~~~~", 4) == 0))
		return 2;
	return 0;
}

/* Smallest line start >= max(lo, hi - SCAN_CONTEXT_BYTES) and <= hi (hi is a line start). */
static size_t context_start(const char *buf, size_t lo, size_t hi)
{
	if (hi - lo <= SCAN_CONTEXT_BYTES)
		return lo;
	size_t w = hi - SCAN_CONTEXT_BYTES;
	const char *nl = memchr(buf + w, '\n', hi - w);
	return nl ? (size_t)(nl - buf) + 1 : hi;
}

static void parse_message(struct scanner *s, const char *buf, size_t ctx_lo, size_t ls,
			  size_t le, size_t hdr_end, int start_rc)
{
	const struct profile *p = s->p;
	const struct pattern *st = &p->start, *hd = &p->header, *cx = &p->context;
	struct event ev = {0};
	const char *l = buf + ls;

	ev.status = parse_status(group(s, st, F_STATUS, l, start_rc));
	if (!ev.status) {
		struct str m = group(s, st, F_METHOD, l, start_rc);
		ev.method = sip_method_parse(m.p, m.n);
	}
	ev.line = s->line + line_at(s, ls);

	/* context: the last time and sender named before the start line */
	struct str ts = { NULL, 0 };
	if (cx->re && ctx_lo < ls) {
		const char *c = buf + ctx_lo;
		size_t cn = ls - ctx_lo, off = 0;
		int rc;
		while (off < cn && (rc = match(s, cx, c, cn, off)) > 0) {
			const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
			struct str t = group(s, cx, F_TS, c, rc), a = group(s, cx, F_SRC, c, rc);
			if (t.n)
				ts = t;
			if (a.n)
				ev.src = a;
			off = ov[1] > off ? ov[1] : off + 1;
		}
	}
	event_time(s, &ev, ts);

	/* headers */
	size_t hs = le < hdr_end ? le + 1 : hdr_end;
	const char *h = buf + hs;
	size_t hn = hdr_end - hs, off = 0;
	int rc, have_cseq = 0;
	ev.auth = p->shows_auth ? EV_AUTH_KNOWN : 0;
	while (off < hn && (rc = match(s, hd, h, hn, off)) > 0) {
		const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
		struct str v;
		if (!ev.callid.n && (v = group(s, hd, F_CALLID, h, rc)).p)
			ev.callid = v;
		if (!have_cseq && (v = group(s, hd, F_CSEQ, h, rc)).p) {
			have_cseq = 1;
			ev.cseq = parse_cseq(v);
			v = group(s, hd, F_CSEQ_METHOD, h, rc);
			ev.cseq_method = sip_method_parse(v.p, v.n);
		}
		if (!ev.ua.n && (v = group(s, hd, F_UA, h, rc)).p)
			ev.ua = v;
		if ((v = group(s, hd, F_AUTH, h, rc)).n)
			ev.auth |= (v.p[0] == 'p' || v.p[0] == 'P') ? EV_AUTH_PROXY : EV_AUTH_WWW;
		off = ov[1] > off ? ov[1] : off + 1;
	}
	if (!have_cseq) {
		s->st.incomplete++;
		return;
	}
	deliver(s, &ev);
}

static size_t scan_messages(struct scanner *s, const char *buf, size_t len, enum scan_mode mode)
{
	const struct profile *p = s->p;
	const char *lit = p->prefilter ? p->prefilter : "SIP/2.0";
	size_t litn = p->prefilter ? p->prefilter_len : 7;
	size_t pos = 0, ctx_lo = 0;
	int more = mode == SCAN_MORE;

	while (pos < len) {
		const char *hit = memmem(buf + pos, len - pos, lit, litn);
		if (!hit)
			break;
		const char *lsp = memrchr(buf + pos, '\n', (size_t)(hit - (buf + pos)));
		size_t ls = lsp ? (size_t)(lsp - buf) + 1 : pos;
		const char *nl = memchr(hit, '\n', (size_t)(buf + len - hit));
		if (!nl && more)
			return context_start(buf, ctx_lo, ls);
		size_t le = nl ? (size_t)(nl - buf) : len;
		size_t next_line = nl ? le + 1 : len;
		int rc = le - ls <= SCAN_MAX_LINE ? match(s, &p->start, buf + ls, le - ls, 0) : -1;
		if (rc <= 0) {
			pos = next_line;
			continue;
		}
		/* the header block runs to the first line that ends it */
		size_t q = next_line, hdr_end, resume;
		int nlines = 0;
		for (;;) {
			if (q >= len) {
				if (more)
					return context_start(buf, ctx_lo, ls);
				hdr_end = resume = len;
				break;
			}
			const char *e = memchr(buf + q, '\n', len - q);
			if (!e && more)
				return context_start(buf, ctx_lo, ls);
			size_t qe = e ? (size_t)(e - buf) : len;
			int end = ends_message(buf + q, qe - q);
			if (end) {
				hdr_end = q;
				resume = end == 1 && e ? qe + 1 : q;
				break;
			}
			if (++nlines > SCAN_MAX_HEADER_LINES || qe - next_line > SCAN_MAX_MESSAGE) {
				hdr_end = resume = q;
				break;
			}
			q = e ? qe + 1 : len;
		}
		parse_message(s, buf, context_start(buf, ctx_lo, ls), ls, le, hdr_end, rc);
		pos = ctx_lo = resume;
	}
	if (!more)
		return len;
	/* keep the unfinished last line and the context a following start line may need */
	const char *last = memrchr(buf + pos, '\n', len - pos);
	size_t tail = last ? (size_t)(last - buf) + 1 : pos;
	return context_start(buf, ctx_lo > pos ? ctx_lo : pos, tail < pos ? pos : tail);
}

size_t scanner_feed(struct scanner *s, const char *buf, size_t len, enum scan_mode mode)
{
	size_t used;

	s->cnt_buf = buf;
	s->cnt_pos = 0;
	s->cnt_line = 0;
	if (mode == SCAN_FORCE)
		mode = SCAN_EOF;	/* the buffer end is taken as a record end */
	if (s->p->kind == RECORD_LINE)
		used = scan_lines(s, buf, len, mode);
	else
		used = scan_messages(s, buf, len, mode);
	uint64_t nl = line_at(s, used);
	/* a final line without '\n' at end of input still counts as a line */
	if (mode == SCAN_EOF && used > 0 && buf[used - 1] != '\n')
		nl++;
	s->line += nl;
	s->st.lines += nl;
	s->st.bytes += used;
	s->cnt_buf = NULL;
	return used;
}

struct sample_count {
	uint64_t n;
};

static void count_emit(void *ctx, const struct event *ev)
{
	(void)ev;
	((struct sample_count *)ctx)->n++;
}

uint64_t scan_count_sample(const struct profile *p, const char *buf, size_t len,
			   int64_t mtime_us, int64_t *first_time)
{
	struct sample_count c = {0};
	struct scanner *s = scanner_new(p, count_emit, &c);

	scanner_begin(s, 0, mtime_us);
	scanner_feed(s, buf, len, SCAN_EOF);
	if (first_time)
		*first_time = s->st.first_time;
	scanner_free(s);
	return c.n;
}
