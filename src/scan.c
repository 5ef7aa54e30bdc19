/*
 * scan.c - the scanner: literal prefilter, then PCRE2 JIT on candidate records, then events.
 *
 * Every pattern is matched through match(): for the built-in "sip" and "kamailio" patterns a
 * hand-written matcher (src/scan_fast.c) answers first, exactly as PCRE2 would, and PCRE2
 * runs wherever it cannot be sure; the header and context loops and the siplog: lines take
 * the matchers' fields directly. scanner_set_reference() (SIPLOGSCAN_SCAN=pcre2) turns them
 * off: the reference the differential tests compare with.
 *
 * Line records: scan_lit_find() finds the profile's literal (by its two rarest bytes, chosen
 * once); only the line around each hit is handed to the `match` patterns, and for a siplog:
 * line the hit is where its matcher starts. Message records: the literal is "SIP/2.0";
 * the line around the hit must match `start`, at column 0 or after a logger's prefix that the
 * message's own next line repeats (prefixed_start()). The header block then runs to the first blank line
 * (RFC 3261 7), a separator line of a known log layout, the next start line, a line that is
 * no header, a line without the prefix, or the size caps; a body follows, read by its
 * Content-Length (message_extent()). `header` is matched over that block (line by line
 * without the prefix) and `context` over the lines before the start line and its prefix,
 * back to the end of the previous message and at most SCAN_CONTEXT_BYTES. With the built-in
 * header pattern, message_extent() hands each header line to its matcher as it walks it
 * (fast_header_line()), so the block is read once; it also counts the line ends it passes, so
 * that the line count goes on after the message without reading its bytes again.
 *
 * Every decision about a message is taken from its own lines, never from state carried from
 * an earlier record, so a block scanned alone finds what a sequential scan finds, and a line
 * of attacker-chosen text cannot change how the messages around it are read.
 *
 * Speed (a record is a few hundred bytes, so per-record and per-line costs decide): no line
 * end searched twice, no "rep stos"/"rep movs" once a record (GCC's choice for a struct
 * cleared then set field by field, or a copy of a length it does not know). The header walk
 * keeps glibc's memchr(): measured faster there than an inline 16-byte loop or a bit mask of
 * the line ends of 64 bytes at a time.
 *
 * Invariants: no allocation per line or per record; events point into the caller's buffer
 * and are valid only during emit(); every record is bounded in size, so a hostile log cannot
 * make us hold more than SCAN_MAX_LINE + SCAN_MAX_MESSAGE bytes of it.
 */
#include "scan.h"
#include "scan_fast.h"
#include "timeparse.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

struct scanner {
	const struct profile *p;
	struct scan_lit lit;	/* the profile's literal (its prefilter, or "SIP/2.0") */
	pcre2_match_data *md;
	PCRE2_SIZE *ov;		/* md's ovector: where it is does not change */
	uint32_t ovpairs;
	pcre2_match_context *mc;	/* the limits */
	int limit_hit;		/* a match of the current record stopped at a limit */
	uint64_t matches;	/* calls of match(): has s->md been overwritten since? */
	int reference;		/* PCRE2 for every pattern, no fast matcher (scanner_set_reference) */
	int siplog_hit;		/* prefilter "siplog: ": fast_line_fields() takes its hit */
	scan_emit_fn emit;
	void *emit_ctx;
	uint32_t file;
	uint64_t line;		/* line number of buf[0] (streams) or of the block start */
	uint64_t base;		/* file offset of buf[0] (streams; 0 for blocks) */
	/* incremental newline count inside the current buffer */
	const char *cnt_buf;
	size_t cnt_pos;
	uint64_t cnt_line;
	size_t block_start;	/* blocks: context never reaches before it */
	int first_in_block;
	/* a syslog line holding a whole message with escaped line ends (see scan_escaped) */
	struct arena *arena;	/* where decoded lines live while their events do; NULL: scratch */
	struct buf scratch;
	int pinned;		/* events of a decoded line take the original line's position */
	uint64_t pin_line, pin_offset;
	unsigned pin_flags;
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
	if (p->prefilter)
		scan_lit_init(&s->lit, p->prefilter, p->prefilter_len);
	else
		scan_lit_init(&s->lit, "SIP/2.0", 7);
	s->siplog_hit = p->prefilter && p->prefilter_len == 8 &&
			memcmp(p->prefilter, "siplog: ", 8) == 0;
	s->md = pcre2_match_data_create(max_captures(p), NULL);
	s->mc = pcre2_match_context_create(NULL);
	if (!s->md || !s->mc) {
		err_msg("out of memory creating PCRE2 match data");
		fatal_exit();
	}
	s->ov = pcre2_get_ovector_pointer(s->md);
	s->ovpairs = pcre2_get_ovector_count(s->md);
	pcre2_set_match_limit(s->mc, SCAN_MATCH_LIMIT);
	pcre2_set_depth_limit(s->mc, SCAN_DEPTH_LIMIT);
	pcre2_set_heap_limit(s->mc, SCAN_HEAP_LIMIT_KIB);
	/* SIPLOGSCAN_SCAN=pcre2: whole runs on the reference path, PCRE2 for every pattern (the
	 * differential tests compare it with the fast matchers; not an option users need) */
	const char *env = getenv("SIPLOGSCAN_SCAN");
	s->reference = env && strcmp(env, "pcre2") == 0;
	scanner_begin(s, 0);
	return s;
}

void scanner_set_reference(struct scanner *s, int on)
{
	s->reference = on != 0;
}

void scanner_free(struct scanner *s)
{
	if (!s)
		return;
	buf_free(&s->scratch);
	pcre2_match_data_free(s->md);
	pcre2_match_context_free(s->mc);
	free(s);
}

void scanner_set_arena(struct scanner *s, struct arena *a)
{
	s->arena = a;
}

void scanner_set_emit(struct scanner *s, scan_emit_fn emit, void *emit_ctx)
{
	s->emit = emit;
	s->emit_ctx = emit_ctx;
}

void scanner_begin(struct scanner *s, uint32_t file)
{
	s->file = file;
	s->line = 1;
	s->base = 0;
	memset(&s->st, 0, sizeof(s->st));
}

const struct scan_stats *scanner_stats(const struct scanner *s)
{
	return &s->st;
}

/* Newlines in [from, to) (scan_count_nl(): 16 bytes a step; a memchr() call per line costs
 * more than the matching when lines are short). */
static uint64_t count_nl(const char *b, size_t from, size_t to)
{
	return scan_count_nl(b + from, to - from);
}

/* Number of newlines between the counting origin and off (off must be in the buffer). */
static uint64_t line_at(struct scanner *s, size_t off)
{
	if (off >= s->cnt_pos)
		s->cnt_line += count_nl(s->cnt_buf, s->cnt_pos, off);
	else
		s->cnt_line -= count_nl(s->cnt_buf, off, s->cnt_pos);
	s->cnt_pos = off;
	return s->cnt_line;
}

/* pcre2_match() of pt, or its hand-written matcher's answer when it has one and is sure
 * (src/scan_fast.c: the same return code and ovector) */
static int match(struct scanner *s, const struct pattern *pt, const char *subj, size_t len,
		 size_t start)
{
	int rc;

	s->matches++;
	if (pt->fast && !s->reference) {
		rc = fast_match(pt, subj, len, start, s->ov, s->ovpairs);
		if (rc != FAST_UNSURE)
			return rc;
	}
	rc = pcre2_match(pt->re, (PCRE2_SPTR)subj, len, start, 0, s->md, s->mc);

	if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
	    rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT)
		s->limit_hit = 1;
	return rc;
}

/* Count the record just tried once if one of its matches stopped at a limit. */
static void count_limit(struct scanner *s)
{
	if (s->limit_hit)
		s->st.match_limited++;
	s->limit_hit = 0;
}

/* The text of the first group named for field f that took part in the last match. */
static struct str group(struct scanner *s, const struct pattern *pt, enum field f,
			const char *subj, int rc)
{
	const PCRE2_SIZE *ov = s->ov;
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

static void deliver(struct scanner *s, struct event *ev, size_t off)
{
	if (!ev->auth_result && (ev->callid.n == 0 || (ev->status == 0 && ev->method == METHOD_NONE)))
		ev->flags |= EV_INCOMPLETE;
	ev->file = s->file;
	ev->time_us = TIME_UNKNOWN;
	if (s->pinned) {
		ev->offset = s->pin_offset;
		ev->line = s->pin_line;
		ev->flags |= s->pin_flags | EV_ONE_LINE;
	} else {
		ev->offset = s->base + off;
		ev->line = s->line + line_at(s, off);
	}
	s->emit(s->emit_ctx, ev);
}

/* A cleared event, copied where an event starts: GCC clears a 208-byte struct set field by
 * field afterwards with "rep stosq", whose start-up costs more than the copy (once a record). */
static const struct event zero_event;

/* ---- line records ---- */

/* The event of a line record whose pattern captured f[F_*] (unset: {NULL, 0}). */
static void line_event(struct scanner *s, const struct str *f, size_t off)
{
	const struct profile *p = s->p;
	struct event ev = zero_event;
	struct str m = f[F_METHOD], cm = f[F_CSEQ_METHOD];

	ev.status = parse_status(f[F_STATUS]);
	if (!ev.status)
		ev.method = sip_method_parse(m.p, m.n);
	ev.cseq = parse_cseq(f[F_CSEQ]);
	ev.cseq_method = sip_method_parse(cm.p, cm.n);
	if (ev.cseq_method == METHOD_NONE && ev.method != METHOD_NONE)
		ev.cseq_method = ev.method;
	if (p->transaction && ev.status) {
		/* the request and its final in one record: the method is the CSeq's */
		if (ev.cseq_method == METHOD_NONE)
			ev.cseq_method = sip_method_parse(m.p, m.n);
		ev.flags |= EV_TRANSACTION;
	}
	ev.callid = f[F_CALLID];
	ev.src = f[F_SRC];
	ev.ua = f[F_UA];
	ev.ruri = f[F_RURI];
	ev.from = f[F_FROM];
	ev.to = f[F_TO];
	ev.ts = f[F_TS];
	ev.account = f[F_ACCOUNT];
	static const struct { enum field f; enum auth_result r; } results[] = {
		{ F_AUTH_OK, AUTH_RES_OK }, { F_AUTH_FAILED, AUTH_RES_FAILED },
		{ F_AUTH_UNKNOWN, AUTH_RES_UNKNOWN }, { F_AUTH_DENIED, AUTH_RES_DENIED },
		{ F_CHALLENGE, AUTH_RES_CHALLENGE },
	};
	for (size_t k = 0; k < sizeof(results) / sizeof(results[0]) && !ev.auth_result; k++)
		if (f[results[k].f].p)
			ev.auth_result = results[k].r;
	if (p->shows_auth)
		ev.auth = EV_AUTH_KNOWN | (f[F_AUTH].n ? EV_AUTH_PROXY | EV_AUTH_WWW : 0);
	deliver(s, &ev, off);
}

/* The line l[0..n) at off; hit: the offset in it of the prefilter's first hit, SIZE_MAX when
 * not known. */
static void scan_one_line(struct scanner *s, const char *l, size_t n, size_t off, size_t hit)
{
	const struct profile *p = s->p;
	struct str f[F_COUNT];

	s->limit_hit = 0;
	/* the siplog: line straight from its hand-written matcher: no ovector in between; the
	 * prefilter's hit is its first "siplog: " when that is the prefilter */
	if (p->nmatch == 1 && !s->reference &&
	    fast_line_fields(&p->match[0], l, n, s->siplog_hit ? hit : SIZE_MAX, f)) {
		s->matches++;
		line_event(s, f, off);
		return;
	}
	for (int i = 0; i < p->nmatch; i++) {
		const struct pattern *pt = &p->match[i];
		int rc = match(s, pt, l, n, 0);
		if (rc <= 0)
			continue;
		for (int k = 0; k < F_COUNT; k++)
			f[k] = group(s, pt, (enum field)k, l, rc);
		s->limit_hit = 0;	/* an earlier pattern's limit lost nothing */
		line_event(s, f, off);
		return;
	}
	count_limit(s);
}

/* The line buf[lo..le) (le: its '\n' or the end of input); hit: where in buf the prefilter's
 * first hit on it is, SIZE_MAX when not known. */
static inline void scan_line(struct scanner *s, const char *buf, size_t lo, size_t le,
			     size_t hit)
{
	while (lo < le && buf[lo] == '\0')
		lo++;	/* NUL bytes before a line (a copytruncate hole) are not part of it */
	if (le - lo > SCAN_MAX_LINE)
		s->st.cut_lines++;
	else
		scan_one_line(s, buf + lo, le - lo, lo, hit != SIZE_MAX ? hit - lo : SIZE_MAX);
}

static void scan_line_range(struct scanner *s, const char *buf, size_t lo, size_t hi)
{
	/* every line in [lo, hi); hi is just past a '\n' or the end of input */
	while (lo < hi) {
		const char *nl = memchr(buf + lo, '\n', hi - lo);
		size_t le = nl ? (size_t)(nl - buf) : hi;
		scan_line(s, buf, lo, le, SIZE_MAX);
		lo = nl ? le + 1 : hi;
	}
}

/* Lines of [start, end) (line-aligned). Returns end. */
static size_t scan_lines(struct scanner *s, const char *buf, size_t start, size_t end)
{
	const struct profile *p = s->p;

	if (!p->prefilter) {
		scan_line_range(s, buf, start, end);
		return end;
	}
	size_t pos = start;
	while (pos < end) {
		const char *hit = scan_lit_find(&s->lit, buf + pos, end - pos);
		if (!hit)
			break;
		const char *ls = memrchr(buf + pos, '\n', (size_t)(hit - (buf + pos)));
		size_t lo = ls ? (size_t)(ls - buf) + 1 : pos;
		const char *nl = memchr(hit, '\n', (size_t)(buf + end - hit));
		size_t le = nl ? (size_t)(nl - buf) : end;
		/* the one line around the hit: no second memchr(), nor search for the hit */
		scan_line(s, buf, lo, le, (size_t)(hit - buf));
		pos = nl ? le + 1 : end;
		if (nl && s->cnt_buf == buf && !s->pinned && s->cnt_pos >= lo && s->cnt_pos <= le) {
			/* deliver() counted up to the line: its one line end is known */
			s->cnt_line++;
			s->cnt_pos = pos;
		}
	}
	return end;
}

/* ---- message records ---- */

/* Does this line end a SIP header block? 1: it is empty (after indentation, CR, and ngrep's
 * "."), and belongs to the message; 2: it is a separator line that logs draw around messages,
 * which may also open the next one. 0: a header line. */
static int ends_message(const char *l, size_t n)
{
	/* decided on a bounded length, so that a window holding part of the line decides as the
	 * whole file would (a blank line this long is padding, not the end of the headers) */
	if (n > SCAN_LONG_LINE)
		return 0;
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

/*
 * Line prefixes. Many loggers write a prefix before every line of a message (a bracketed
 * time, a syslog header, an Android logcat column set, a script's Call-ID column); its time
 * and pid vary from line to line, so lines are compared by shape: a run of digits matches any
 * run of digits, a run of blanks any run of blanks, every other byte itself.
 */
size_t scan_prefix_match(const char *p, size_t pn, const char *l, size_t n)
{
	size_t i = 0, j = 0;

	while (i < pn) {
		if (is_digit(p[i])) {
			if (j >= n || !is_digit(l[j]))
				return SIZE_MAX;
			while (i < pn && is_digit(p[i]))
				i++;
			while (j < n && is_digit(l[j]))
				j++;
		} else if (is_blank(p[i])) {
			size_t run = 0;
			while (i < pn && is_blank(p[i])) {
				i++;
				run++;
			}
			if (j == n || (l[j] == '\r' && j + 1 == n))
				return i == pn ? j : SIZE_MAX;	/* an empty line, its blank cut */
			if (!is_blank(l[j]))
				return SIZE_MAX;
			/* inside the prefix any width (a padded day, a right-aligned pid); at its
			 * end no more than the prefix had, so that the content keeps its indent */
			while (j < n && is_blank(l[j]) && (i < pn || run-- > 0))
				j++;
		} else {
			if (j >= n || l[j] != p[i])
				return SIZE_MAX;
			i++;
			j++;
		}
	}
	return j;
}

/* What a line of a message is, once its prefix is off. */
enum line_kind { LK_HEADER, LK_START, LK_OTHER };

static int is_token(char c)
{
	return scan_is_token(c);	/* RFC 3261 25.1 (src/scan_fast.h) */
}

/* Line length without its CR and ngrep's "." for CR (when dotted). */
static size_t trim_cr(const char *l, size_t n, int dotted)
{
	if (n && l[n - 1] == '\r')
		n--;
	if (dotted && n && l[n - 1] == '.')
		n--;
	return n;
}

/*
 * Where a start line begins on the line l[0..n) when something stands before it: the
 * request line ends the line ("METHOD URI SIP/2.0"), a status line starts at the first
 * "SIP/2.0 NNN". SIZE_MAX when neither shape is there.
 */
static size_t start_after_prefix(const char *l, size_t n)
{
	size_t e = trim_cr(l, n, 1);

	if (e >= 8 && memcmp(l + e - 8, " SIP/2.0", 8) == 0) {
		size_t k = e - 8;			/* back over the URI, then the method */
		while (k && l[k - 1] != ' ' && l[k - 1] != '\t')
			k--;
		if (k == e - 8 || k < 2 || l[k - 1] != ' ')
			return SIZE_MAX;
		k--;
		size_t m = k;
		while (k && l[k - 1] >= 'A' && l[k - 1] <= 'Z')
			k--;
		return k < m ? k : SIZE_MAX;
	}
	const char *st = memmem(l, n, "SIP/2.0 ", 8);
	if (st && st + 11 <= l + n && is_digit(st[8]))
		return (size_t)(st - l);
	return SIZE_MAX;
}

/* Does the label before a start line look like a SIP header ("User-Agent: ...")? A header's
 * value may hold text shaped like a start line; a label glued before a start line
 * ("sip.js:183 Received:") has a name a header cannot have, or a line number after ':'. */
static int header_shaped(const char *p, size_t n)
{
	size_t i = 0;

	while (i < n && ((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z') ||
			 is_digit(p[i]) || p[i] == '-'))
		i++;
	if (i == 0)
		return 0;
	while (i < n && is_blank(p[i]))
		i++;
	return i < n && p[i] == ':' && !(i + 1 < n && is_digit(p[i + 1]));
}

/* Where the colon after the header name at l[0..n) is ("Call-ID : x" -> 8), 0 when the line is
 * not "Name: value" (a header name starts with a letter: "13:40:02 RX" is none). Inline into
 * the header walk, which calls it once a line. */
static inline __attribute__((always_inline)) size_t header_colon(const char *l, size_t n)
{
	size_t t = 1;

	if (!n || !((l[0] | 0x20) >= 'a' && (l[0] | 0x20) <= 'z'))
		return 0;
	t = scan_token_end(l, t, n);
	while (t < n && is_blank(l[t]))
		t++;
	return t < n && l[t] == ':' ? t : 0;
}

/* RFC 3261 20.14: the value of a Content-Length header (compact form "l"), or keep *cl. */
static inline void content_length(const char *l, size_t n, size_t colon, uint64_t *cl)
{
	size_t tn = colon, c = colon + 1;
	uint64_t v = 0;

	while (tn && is_blank(l[tn - 1]))
		tn--;
	if (!(tn == 14 && (l[0] | 0x20) == 'c' && strncasecmp(l, "content-length", 14) == 0) &&
	    !(tn == 1 && (l[0] | 0x20) == 'l'))
		return;
	while (c < n && is_blank(l[c]))
		c++;
	for (; c < n && is_digit(l[c]) && v <= SCAN_MAX_MESSAGE; c++)
		v = v * 10 + (uint64_t)(l[c] - '0');
	*cl = v;
}

/*
 * The kind of the line l[0..n) inside a message (its prefix already off): a header (or a
 * folded header's continuation), the start line of the next message, or anything else (a
 * body, a log line). Decided on a bounded length, as ends_message() is. *cl gets a
 * Content-Length's value (RFC 3261 20.14; compact "l"), when the line is one.
 */
static enum line_kind line_kind(struct scanner *s, const char *l, size_t n, uint64_t *cl)
{
	size_t i = 0, t, colon;

	if (n > SCAN_LONG_LINE)
		return LK_HEADER;
	while (i < n && is_blank(l[i]))
		i++;
	if ((colon = header_colon(l + i, n - i)) != 0) {
		content_length(l + i, n - i, colon, cl);
		return LK_HEADER;
	}
	t = i;
	while (t < n && is_token(l[t]))
		t++;
	/* a start line: cheap shape first, the profile's pattern to be sure */
	size_t e = trim_cr(l, n, 1);
	if ((e - i >= 11 && memcmp(l + i, "SIP/2.0 ", 8) == 0) ||
	    (t > i && t < n && l[t] == ' ' && e - i >= 8 && memcmp(l + e - 8, " SIP/2.0", 8) == 0)) {
		if (match(s, &s->p->start, l, n, 0) > 0)
			return LK_START;
	}
	return i > 0 && i < n ? LK_HEADER : LK_OTHER;
}

/* Does the line l[0..n) open the log's next entry: a line that the context pattern matches
 * from its start (a stamp, a capture tool's packet line), or, with start_too, a start line? */
static int log_entry(struct scanner *s, const char *l, size_t n, int start_too)
{
	const struct pattern *cx = &s->p->context;
	uint64_t cl = 0;

	if (n == 0 || n > SCAN_LONG_LINE || (n >= 2 && l[1] == '='))
		return 0;	/* an SDP line ("v=0", RFC 8866 5) - most bodies - is no entry */
	if (cx->re && match(s, cx, l, n, 0) > 0 && s->ov[0] == 0)
		return 1;
	return start_too && line_kind(s, l, n, &cl) == LK_START;
}

/*
 * A message's extent. Its lines are those after the start line that carry the prefix of
 * the message (pfx[0..pn): the start line's, when every line has one; else none); the header
 * block ends at an empty line, a separator line, the next start line, or a line that is no
 * header; a body (Content-Length > 0) follows, read by its length so that SIP text in it (a
 * message/sipfrag "SIP/2.0 200 OK") is neither a new message nor headers.
 */
/* The fields the hand-written matchers find on a line, applied as the loops below apply the
 * groups of each match (src/scan_fast.h: fast_header_lines(), fast_context_lines()). */
struct fast_ev {
	struct event *ev;
	const char *base;	/* the subject the offsets count from */
	int *have_cseq;
};

struct extent {
	size_t hdr_end;		/* end of the header block */
	size_t resume;		/* where the search for the next start line goes on */
	/* with the built-in header pattern and no prefix: the fields of the header lines,
	 * taken by its matcher as the walk passes them (fast_header_line()), in fields_ev; 0
	 * when not taken, or a line the matcher was unsure of (then headers_of() reads them) */
	int fields;
	int have_cseq;
	struct event fields_ev;	/* only callid, ua, from, to, cseq, cseq_method and auth are
				 * set */
	uint64_t nls;		/* the '\n' bytes in [next_line, resume): the line count
				 * goes on from resume, the message's bytes not counted again */
};

static void fast_header_field(void *ctx, const struct fast_line *f)
{
	struct fast_ev *fe = ctx;
	struct event *ev = fe->ev;
	struct str v = { fe->base + f->a, f->b - f->a };

	if (f->kind == FF_CALLID && !ev->callid.n) {
		ev->callid = v;
	} else if (f->kind == FF_CSEQ && !*fe->have_cseq) {
		*fe->have_cseq = 1;
		ev->cseq = parse_cseq(v);
		ev->cseq_method = sip_method_parse(fe->base + f->c, f->d - f->c);
	} else if (f->kind == FF_UA && !ev->ua.n) {
		ev->ua = v;
	} else if (f->kind == FF_FROM && !ev->from.n) {
		ev->from = v;
	} else if (f->kind == FF_TO && !ev->to.n) {
		ev->to = v;
	} else if (f->kind == FF_AUTH && v.n) {
		ev->auth |= (v.p[0] == 'p' || v.p[0] == 'P') ? EV_AUTH_PROXY : EV_AUTH_WWW;
	}
}

/* The header fields of buf[q..qe), a line of the block being walked. */
static inline void extent_fields(struct extent *x, const char *buf, size_t q, size_t qe)
{
	struct fast_line f;
	struct fast_ev fe = { &x->fields_ev, buf, &x->have_cseq };
	enum fast_field k = fast_header_line(buf, q, qe, &f);

	if (k == FF_UNSURE)
		x->fields = 0;
	else if (k != FF_NONE)
		fast_header_field(&fe, &f);
}

/* Returns 0, or 1 when the input ends before the message does (streams: wait for more). */
static int message_extent(struct scanner *s, const char *buf, size_t len, size_t next_line,
			  const char *pfx, size_t pn, int more, struct extent *x)
{
	size_t q = next_line;
	int nlines = 0;
	uint64_t cl = 0;

	x->nls = 0;
	x->fields = !pn && s->p->header.fast == FAST_SIP_HEADER && !s->reference;
	if (x->fields) {
		x->have_cseq = 0;
		x->fields_ev.callid = x->fields_ev.ua = (struct str){ NULL, 0 };
		x->fields_ev.from = x->fields_ev.to = (struct str){ NULL, 0 };
		x->fields_ev.cseq = 0;
		x->fields_ev.cseq_method = METHOD_NONE;
		x->fields_ev.auth = 0;
	}
	for (;;) {
		if (q >= len) {
			if (more)
				return 1;
			x->hdr_end = x->resume = len;
			return 0;
		}
		const char *e = memchr(buf + q, '\n', len - q);
		if (!e && more)
			return 1;
		size_t qe = e ? (size_t)(e - buf) : len, c = 0;
		if (pn && (c = scan_prefix_match(pfx, pn, buf + q, qe - q)) == SIZE_MAX) {
			x->hdr_end = x->resume = q;	/* another logger's line */
			return 0;
		}
		c += q;
		size_t colon = qe - c <= SCAN_LONG_LINE ? header_colon(buf + c, qe - c) : 0;
		if (colon) {		/* the common case first: "Name: value" at column 0 */
			content_length(buf + c, qe - c, colon, &cl);
			if (++nlines > SCAN_MAX_HEADER_LINES || qe - next_line > SCAN_MAX_MESSAGE) {
				x->hdr_end = x->resume = q;
				return 0;
			}
			/* colon > 0: buf[c] is a letter */
			if (x->fields && fast_header_first(buf + c, qe - c))
				extent_fields(x, buf, q, qe);
			x->nls += e != NULL;
			q = e ? qe + 1 : len;
			continue;
		}
		int end = ends_message(buf + c, qe - c);
		if (end) {
			x->hdr_end = q;
			if (end == 2) {
				x->resume = q;
				return 0;
			}
			x->nls += e != NULL;
			q = e ? qe + 1 : len;
			break;
		}
		enum line_kind k = line_kind(s, buf + c, qe - c, &cl);
		if (k == LK_START && !cl) {
			x->hdr_end = x->resume = q;
			return 0;
		}
		if (k != LK_HEADER) {
			/* no empty line before it (a logger that drops them): the body starts here,
			 * or the log's next entry; any other line stays among the headers, as a
			 * malformed header line in a received packet must not end its message */
			if (cl) {
				x->hdr_end = q;
				break;
			}
			if (log_entry(s, buf + c, qe - c, 0)) {
				x->hdr_end = x->resume = q;
				return 0;
			}
		}
		if (++nlines > SCAN_MAX_HEADER_LINES || qe - next_line > SCAN_MAX_MESSAGE) {
			x->hdr_end = x->resume = q;
			return 0;
		}
		if (x->fields)
			extent_fields(x, buf, q, qe);
		x->nls += e != NULL;
		q = e ? qe + 1 : len;
	}
	/*
	 * The body: Content-Length bytes, each line end counted as the CR LF it was on the wire.
	 * The value is the sender's: one larger than the body logged (a lie, or a logger that
	 * cuts) must not hide what follows, so the log's own framing ends the body too - a
	 * separator line, a line without the prefix, a line the context pattern knows (the next
	 * entry's stamp), and after an empty line a start line. A sipfrag status line as the
	 * body's first line stays body.
	 */
	uint64_t seen = 0;
	int first = 1, after_empty = 0;
	while (cl && seen < cl) {
		if (q >= len) {
			if (more)
				return 1;
			x->resume = len;
			return 0;
		}
		const char *e = memchr(buf + q, '\n', len - q);
		if (!e && more)
			return 1;
		size_t qe = e ? (size_t)(e - buf) : len, c = 0;
		if ((pn && (c = scan_prefix_match(pfx, pn, buf + q, qe - q)) == SIZE_MAX) ||
		    qe - next_line > SCAN_MAX_MESSAGE)
			break;
		c += q;
		int end = ends_message(buf + c, qe - c);
		if ((!first && end == 2) || log_entry(s, buf + c, qe - c, after_empty))
			break;
		seen += trim_cr(buf + c, qe - c, 0) + 2;
		first = 0;
		after_empty = end == 1;
		x->nls += e != NULL;
		q = e ? qe + 1 : len;
	}
	x->resume = q;
	return 0;
}

static void fast_context_field(void *ctx, const struct fast_line *f)
{
	struct fast_ev *fe = ctx;
	struct str v = { fe->base + f->a, f->b - f->a };

	if (f->kind == FF_TS && v.n) {
		fe->ev->ts_before = fe->ev->ts;
		fe->ev->ts = v;
	} else if (f->kind == FF_SRC && v.n) {
		fe->ev->src = v;
	}
}

/* The last time text (and the one before it) and the last sender that the context pattern
 * finds in buf[lo..ls). */
static void context_of(struct scanner *s, const char *buf, size_t lo, size_t ls,
		       struct event *ev)
{
	const struct pattern *cx = &s->p->context;
	const char *c = buf + lo;
	size_t cn = ls - lo, off = 0;
	int rc;

	memset(&ev->ts, 0, sizeof(ev->ts));
	memset(&ev->ts_before, 0, sizeof(ev->ts_before));
	memset(&ev->src, 0, sizeof(ev->src));
	if (!cx->re)
		return;
	struct fast_ev fe = { ev, c, NULL };
	if (!s->reference && fast_context_lines(cx, c, cn, fast_context_field, &fe))
		return;
	memset(&ev->ts, 0, sizeof(ev->ts));		/* what the lines before gave: again */
	memset(&ev->ts_before, 0, sizeof(ev->ts_before));
	memset(&ev->src, 0, sizeof(ev->src));
	while (off < cn && (rc = match(s, cx, c, cn, off)) > 0) {
		const PCRE2_SIZE *ov = s->ov;
		struct str t = group(s, cx, F_TS, c, rc), a = group(s, cx, F_SRC, c, rc);
		if (t.n) {
			ev->ts_before = ev->ts;
			ev->ts = t;
		}
		if (a.n)
			ev->src = a;
		off = ov[1] > off ? ov[1] : off + 1;
	}
}

enum escaped { ESC_SYSLOG = 1, ESC_LINE_END, ESC_NGREP, ESC_BYLINE, ESC_TSHARK };
static enum escaped escaped_kind(const char *buf, size_t ls, size_t le, size_t hit);
static size_t escaped_decode(struct scanner *s, const char *buf, size_t len, size_t ctx_lo,
			     size_t *lsp, size_t le, enum escaped kind, int more, size_t *at_out);

/*
 * A start line with a logger's prefix before it, at buf[ls..le): its offset in the line
 * (*at) and its start match (*rc); *pn is the length of the prefix every line of the message
 * carries, 0 when only the start line has one. The prefix counts only with evidence from the
 * message itself: the next line carries a prefix of the same shape and then a header, or,
 * for a label glued before the start line alone ("sip.js:183 Received:"), the next line is a
 * header at column 0 and the label is not shaped like a header (a User-Agent's value that
 * holds a start line stays a header). Returns 1 when the next line is not in yet (streams).
 */
static int prefixed_start(struct scanner *s, const char *buf, size_t len, size_t ls, size_t le,
			  int more, size_t *at, size_t *pn, int *rc)
{
	const char *l = buf + ls;
	size_t a = start_after_prefix(l, le - ls);
	uint64_t cl = 0;

	if (a == SIZE_MAX || a == 0 || a > SCAN_MAX_PREFIX)
		return 0;
	if (le >= len) {
		if (more)
			return 1;
		return 0;
	}
	const char *e = memchr(buf + le + 1, '\n', len - le - 1);
	if (!e && more)
		return 1;
	size_t q = le + 1, qe = e ? (size_t)(e - buf) : len;
	size_t c = scan_prefix_match(l, a, buf + q, qe - q);
	if (c != SIZE_MAX && c < qe - q && !is_blank(buf[q + c]) &&
	    line_kind(s, buf + q + c, qe - q - c, &cl) == LK_HEADER) {
		*pn = a;
	} else if (q < qe && is_token(buf[q]) && !header_shaped(l, a) &&
		   line_kind(s, buf + q, qe - q, &cl) == LK_HEADER) {
		*pn = 0;
	} else {
		return 0;
	}
	int r = match(s, &s->p->start, l + a, le - ls - a, 0);
	if (r > 0) {
		*at = a;
		*rc = r;
	}
	return 0;
}

/* Where the start line begins on its line buf[ls..le) (after a prefix), as the scan saw it. */
static size_t start_offset(struct scanner *s, const char *buf, size_t ls, size_t le)
{
	size_t a;

	if (le - ls > SCAN_LONG_LINE || match(s, &s->p->start, buf + ls, le - ls, 0) > 0)
		return 0;
	a = start_after_prefix(buf + ls, le - ls);
	if (a == SIZE_MAX || a > SCAN_MAX_PREFIX ||
	    match(s, &s->p->start, buf + ls + a, le - ls - a, 0) <= 0)
		return 0;
	return a;
}

void scanner_context(struct scanner *s, const char *buf, size_t len, size_t lo, size_t ls,
		     struct event *ev)
{
	const char *nl = memchr(buf + ls, '\n', len - ls);
	size_t le = nl ? (size_t)(nl - buf) : len;
	const char *hit = memmem(buf + ls, le - ls, "SIP/2.0", 7);
	enum escaped kind = hit ? escaped_kind(buf, ls, le, (size_t)(hit - buf)) : 0;
	size_t at;

	if (kind && escaped_decode(s, buf, len, lo, &ls, le, kind, 0, &at)) {
		/* the same context as the decoded text gave the scan, now from lo */
		context_of(s, s->scratch.p, context_start(s->scratch.p, 0, at), at, ev);
		return;
	}
	/* a prefix on the start line is context too (its time) */
	context_of(s, buf, context_start(buf, lo, ls), ls + start_offset(s, buf, ls, le), ev);
}

/* Match the header pattern over h[0..hn) (whole lines) into ev. A Call-ID that ends in "."
 * keeps it (the pattern takes it); ngrep -W byline's "." for CR is gone before this, in
 * byline_decode(). */
static void headers_of(struct scanner *s, const char *h, size_t hn, struct event *ev,
		       int *have_cseq)
{
	const struct pattern *hd = &s->p->header;
	size_t off = 0;
	int rc;
	struct fast_ev fe = { ev, h, have_cseq };
	struct event before = *ev;
	int had_cseq = *have_cseq;

	if (!s->reference && fast_header_lines(hd, h, hn, fast_header_field, &fe))
		return;
	*ev = before;		/* what the lines before the one it could not answer gave: again */
	*have_cseq = had_cseq;
	while (off < hn && (rc = match(s, hd, h, hn, off)) > 0) {
		const PCRE2_SIZE *ov = s->ov;
		struct str v;
		if (!ev->callid.n && (v = group(s, hd, F_CALLID, h, rc)).p)
			ev->callid = v;
		if (!*have_cseq && (v = group(s, hd, F_CSEQ, h, rc)).p) {
			*have_cseq = 1;
			ev->cseq = parse_cseq(v);
			v = group(s, hd, F_CSEQ_METHOD, h, rc);
			ev->cseq_method = sip_method_parse(v.p, v.n);
		}
		if (!ev->ua.n && (v = group(s, hd, F_UA, h, rc)).p)
			ev->ua = v;
		if (!ev->from.n && (v = group(s, hd, F_FROM, h, rc)).p)
			ev->from = v;
		if (!ev->to.n && (v = group(s, hd, F_TO, h, rc)).p)
			ev->to = v;
		if ((v = group(s, hd, F_AUTH, h, rc)).n)
			ev->auth |= (v.p[0] == 'p' || v.p[0] == 'P') ? EV_AUTH_PROXY : EV_AUTH_WWW;
		off = ov[1] > off ? ov[1] : off + 1;
	}
}

/*
 * The event of the message whose start line is buf[ls..le), its start line beginning at
 * ls + at, its header lines in [le + 1, hdr_end), each after a prefix shaped like
 * buf[ls..ls + pn) when pn > 0.
 */
static void parse_message(struct scanner *s, const char *buf, size_t ctx_lo, size_t ls,
			  size_t at, size_t le, const struct extent *x, size_t pn, int start_rc)
{
	size_t hdr_end = x->hdr_end;
	const struct profile *p = s->p;
	const struct pattern *st = &p->start;
	struct event ev = zero_event;
	const char *l = buf + ls + at;

	ev.status = parse_status(group(s, st, F_STATUS, l, start_rc));
	if (!ev.status) {
		struct str m = group(s, st, F_METHOD, l, start_rc);
		ev.method = sip_method_parse(m.p, m.n);
		ev.ruri = group(s, st, F_RURI, l, start_rc);
	}
	ev.flags = EV_TS_CARRY;
	size_t lo = context_start(buf, ctx_lo, ls);
	if (s->first_in_block && lo == s->block_start)
		ev.flags |= EV_CTX_CLIPPED;	/* a sequential scan might have looked further back */
	s->first_in_block = 0;
	context_of(s, buf, lo, ls + at, &ev);	/* the prefix's time is the message's */

	/* headers */
	size_t hs = le < hdr_end ? le + 1 : hdr_end;
	int have_cseq = 0;
	ev.auth = p->shows_auth ? EV_AUTH_KNOWN : 0;
	if (!pn && x->fields && hdr_end - hs <= FAST_MAX_SPAN) {
		/* message_extent() took them: what headers_of() finds, without a second walk */
		ev.callid = x->fields_ev.callid;
		ev.ua = x->fields_ev.ua;
		ev.from = x->fields_ev.from;
		ev.to = x->fields_ev.to;
		ev.cseq = x->fields_ev.cseq;
		ev.cseq_method = x->fields_ev.cseq_method;
		ev.auth |= x->fields_ev.auth;
		have_cseq = x->have_cseq;
	} else if (!pn) {
		headers_of(s, buf + hs, hdr_end - hs, &ev, &have_cseq);
	} else {
		/* line by line, each without its prefix */
		for (size_t q = hs; q < hdr_end;) {
			const char *e = memchr(buf + q, '\n', hdr_end - q);
			size_t qe = e ? (size_t)(e - buf) : hdr_end;
			size_t c = scan_prefix_match(buf + ls, pn, buf + q, qe - q);
			if (c != SIZE_MAX)
				headers_of(s, buf + q + c, qe - q - c, &ev, &have_cseq);
			q = e ? qe + 1 : hdr_end;
		}
	}
	if (!have_cseq)
		ev.flags |= EV_INCOMPLETE;
	deliver(s, &ev, ls);
}

static size_t scan_messages(struct scanner *s, const char *buf, size_t len, size_t start,
			    size_t end, int more, size_t *resume_out);

/*
 * Whole SIP messages in carriers that are not plain text lines: their line ends escaped, a
 * character added to each line, or the message shown as a dissector tree.
 *   syslog    rsyslog writes control characters as '#' and three octal digits, so Kamailio's
 *             xlog("$mb") arrives as one line:
 *             Nov 24 13:00:01 px kamailio[9]: INFO: <script>: INVITE sip:b@x SIP/2.0#015#012Via:...
 *   line end  the same, one message per syslog line, with its line ends shown otherwise: as
 *             the characters "\r\n", "\n" or "\r", as "^M^J" or "^M", or as a bare CR byte;
 *             the first of these after the start line is the line end of the whole line
 *   ngrep     ngrep without -W byline shows CR LF as "..", and wraps the packet into lines of
 *             fixed width indented by two spaces, until a blank line:
 *             U 2026/11/24 16:51:16.341745 127.0.0.1:5073 -> 127.0.0.1:5072 #1
 *               INVITE sip:service@127.0.0.1:5072 SIP/2.0..Via: SIP/2.0/UDP 127.0.0.1:5073;
 *               branch=z9hG4bK-6015-1-0..From: ...
 *   byline    ngrep -W byline shows each CR as '.', so every line of the message, the start
 *             line included, ends in one '.' that is not part of it (a Call-ID "a." shows as
 *             "Call-ID: a.."); the empty line after the headers is ".".
 *   tshark    tshark -V (or -V -O sip): "Request-Line: INVITE sip:b@x SIP/2.0" or
 *             "Status-Line: SIP/2.0 407 ..." indented in the SIP tree; the real headers are the
 *             lines one level deeper under "Message Header" (not the generated "[...]" ones,
 *             nor the fields the dissector draws under them or the "Message Body"); the time
 *             and source are in the frame's "Arrival Time:", "Epoch Time:" and "Internet
 *             Protocol Version 4, Src:" lines before the tree.
 * The text is decoded, a line break is put before the start line (so that a syslog prefix
 * becomes context), the context lines before it are kept in front, and the result is scanned
 * like any text; its events take the position of the original start line. Only that start
 * line is read from the decoded text, so text inside the message cannot add records.
 */
#define ESC_NEED_MORE ((size_t)-1)	/* escaped_decode: the message goes on past the input */

/* The first line end of the "line end" layout in p[0..n): its offset (n if none) and in *tn
 * its length. A CR that ends p is the line's own line end (a CRLF file), not one of these. */
static size_t line_end_token(const char *p, size_t n, size_t *tn)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c != '\\' && c != '^' && c != '\r')
			continue;	/* the common case, kept short: every start line comes here */
		size_t r = n - i;
		if (p[i] == '\\' && r >= 2 && (p[i + 1] == 'r' || p[i + 1] == 'n')) {
			*tn = r >= 4 && p[i + 1] == 'r' && p[i + 2] == '\\' && p[i + 3] == 'n' ? 4 : 2;
			return i;
		}
		if (p[i] == '^' && r >= 2 && p[i + 1] == 'M') {
			*tn = r >= 4 && p[i + 2] == '^' && p[i + 3] == 'J' ? 4 : 2;
			return i;
		}
		if (p[i] == '\r' && r >= 2) {
			*tn = 1;
			return i;
		}
	}
	*tn = 0;
	return n;
}

static size_t spaces(const char *l, size_t n)
{
	size_t i = 0;

	while (i < n && l[i] == ' ')
		i++;
	return i;
}

/* The layout of the escaped message whose start line (of its hit) is buf[ls..le), or 0. */
static enum escaped escaped_kind(const char *buf, size_t ls, size_t le, size_t hit)
{
	size_t in = spaces(buf + ls, le - ls), tn;

	if ((hit - ls > in + 14 && buf[ls + in] == 'R' &&
	     memcmp(buf + ls + in, "Request-Line: ", 14) == 0) ||
	    (hit - ls == in + 13 && memcmp(buf + ls + in, "Status-Line: ", 13) == 0))
		return ESC_TSHARK;
	if (scan_find(buf + ls, le - ls, "#012", 4))
		return ESC_SYSLOG;
	/* two-space indent and CR LF shown as ".." after the request or status line */
	if (le - ls > 2 && buf[ls] == ' ' && buf[ls + 1] == ' ' && hit + 7 <= le &&
	    memmem(buf + hit + 7, le - hit - 7, "..", 2))
		return ESC_NGREP;
	size_t e = le > ls && buf[le - 1] == '\r' ? le - 1 : le;
	if (e > hit + 7 && buf[e - 1] == '.' &&
	    (e == hit + 8 || hit == ls + in || start_after_prefix(buf + ls, le - ls) == hit - ls))
		return ESC_BYLINE;	/* "... SIP/2.0." or "SIP/2.0 200 OK.", maybe after a
					 * logger's prefix (byline_decode() checks it) */
	if (line_end_token(buf + hit + 7, le - hit - 7, &tn) < le - hit - 7)
		return ESC_LINE_END;
	return 0;
}

/* Where the context of an escaped message at ls begins (ctx_lo: the end of the previous
 * record). A tshark frame's time lies further back than SCAN_CONTEXT_BYTES (about 2.4 KiB
 * with -V over Ethernet, IPv4 and UDP): its lines up to SCAN_LOOKBEHIND back are searched,
 * the most a block's window holds before the block, so that any block layout reads the same. */
static size_t escaped_context_start(const char *buf, size_t ctx_lo, size_t ls, enum escaped kind)
{
	if (kind != ESC_TSHARK)
		return context_start(buf, ctx_lo, ls);
	if (ls - ctx_lo <= SCAN_LOOKBEHIND)
		return ctx_lo;
	const char *nl = memchr(buf + ls - SCAN_LOOKBEHIND, '\n', SCAN_LOOKBEHIND);
	return nl ? (size_t)(nl - buf) + 1 : ls;
}

/* tshark: the frame lines of buf[ctx..ls) that give a time or a source, without their
 * indentation; then the start line (at *start), and the real headers of the tree up to its
 * end. Returns the offset after the tree, or ESC_NEED_MORE. */
static size_t tshark_decode(struct buf *d, const char *buf, size_t len, size_t ctx, size_t ls,
			    size_t le, int more, size_t *start)
{
	static const char *const keep[] = { "Arrival Time: ", "UTC Arrival Time: ",
					    "Epoch Time: ", "Internet Protocol Version " };
	for (size_t q = ctx; q < ls;) {
		const char *e = memchr(buf + q, '\n', ls - q);
		size_t qe = e ? (size_t)(e - buf) : ls, in = spaces(buf + q, qe - q);
		for (size_t k = 0; k < sizeof(keep) / sizeof(keep[0]); k++) {
			size_t kn = strlen(keep[k]);
			if (qe - q - in > kn && memcmp(buf + q + in, keep[k], kn) == 0) {
				buf_add(d, buf + q + in, qe - q - in);
				buf_addc(d, '\n');
				break;
			}
		}
		q = qe + 1;
	}
	size_t in = spaces(buf + ls, le - ls);
	*start = d->len;
	buf_add(d, buf + ls + in, le - ls - in);
	buf_addc(d, '\n');

	/* the tree: deeper than the start line, up to a blank line or a line at most as deep as
	 * the "Session Initiation Protocol" line above it */
	size_t q = le < len ? le + 1 : len, used = 0;
	int in_headers = 0, lines = 0;
	while (q < len) {
		const char *e = memchr(buf + q, '\n', len - q);
		if (!e && more)
			return ESC_NEED_MORE;
		size_t qe = e ? (size_t)(e - buf) : len, n = qe - q, sp = spaces(buf + q, n);
		size_t tn = n;
		while (tn > sp && (buf[q + tn - 1] == '\r' || buf[q + tn - 1] == ' '))
			tn--;
		if (tn == sp) {
			q = e ? qe + 1 : len;	/* the blank line after the frame */
			break;
		}
		if (sp < in)
			break;
		if (sp == in)
			in_headers = tn - sp == 14 && memcmp(buf + q + sp, "Message Header", 14) == 0;
		else if (in_headers && sp == in + 4 && buf[q + sp] != '[' &&
			 ++lines <= SCAN_MAX_HEADER_LINES && used + tn - sp <= SCAN_MAX_MESSAGE) {
			buf_add(d, buf + q + sp, tn - sp);
			buf_addc(d, '\n');
			used += tn - sp + 1;
		}
		q = e ? qe + 1 : len;
	}
	if (q >= len && more)
		return ESC_NEED_MORE;
	buf_addc(d, '\n');
	return q;
}

/* ngrep -W byline: the lines from the start line to the "." line, each without its last
 * '.'. Every one must end in '.' (each CR shows as one). With pn > 0 the start line has a
 * logger's prefix buf[ls..ls + pn) (ngrep piped through ts or logger), which every later line
 * must repeat (by shape, scan_prefix_match()) and loses; the start line keeps it (context).
 * Returns the offset after the "." line, ESC_NEED_MORE, or 0 when a line does not end in '.'
 * or lacks the prefix, or the line after a prefixed start line is no header (not this layout). */
static size_t byline_decode(struct buf *d, const char *buf, size_t len, size_t ls, size_t pn,
			    int more)
{
	size_t q = ls, used = 0;
	int lines = 0;

	while (q < len) {
		const char *e = memchr(buf + q, '\n', len - q);
		if (!e && more)
			return ESC_NEED_MORE;
		size_t qe = e ? (size_t)(e - buf) : len, n = qe - q, c = 0;
		if (n && buf[q + n - 1] == '\r')
			n--;
		size_t next = e ? qe + 1 : len;
		if (pn && q > ls) {
			if ((c = scan_prefix_match(buf + ls, pn, buf + q, n)) == SIZE_MAX ||
			    (lines == 1 && !header_colon(buf + q + c, n - c)))
				return 0;
		}
		if (n - c == 0 || (n - c == 1 && buf[q + c] == '.'))
			return next;
		if (buf[q + n - 1] != '.')
			return 0;
		if (++lines > SCAN_MAX_HEADER_LINES || (used += n) > SCAN_MAX_MESSAGE)
			return q;
		buf_add(d, buf + q + c, n - c - 1);
		buf_addc(d, '\n');
		q = next;
	}
	return more ? ESC_NEED_MORE : len;
}

/*
 * ngrep -W byline after the "." line that ends the headers decoded into d[from..): the
 * body, Content-Length bytes (each line's "." and LF were CR LF), so that SIP text in it (a
 * message/sipfrag "SIP/2.0 200 OK.") is not a message. It ends early at a line that does not
 * end in "." or that opens the next packet ("U 2026/11/24 ..."): a Content-Length larger
 * than the body hides nothing. Returns the offset after the body, or ESC_NEED_MORE.
 */
static size_t byline_body(struct scanner *s, const struct buf *d, size_t from, const char *buf,
			  size_t len, size_t q, const char *pfx, size_t pn, int more)
{
	uint64_t cl = 0, seen = 0;

	for (size_t h = from; h < d->len;) {
		const char *e = memchr(d->p + h, '\n', d->len - h);
		size_t he = e ? (size_t)(e - d->p) : d->len;
		size_t colon = he - h <= SCAN_LONG_LINE ? header_colon(d->p + h, he - h) : 0;
		if (colon)
			content_length(d->p + h, he - h, colon, &cl);
		h = he + 1;
	}
	while (seen < cl && q < len) {
		const char *e = memchr(buf + q, '\n', len - q);
		if (!e && more)
			return ESC_NEED_MORE;
		size_t qe = e ? (size_t)(e - buf) : len, n = trim_cr(buf + q, qe - q, 0), c = 0;
		if (pn && (c = scan_prefix_match(pfx, pn, buf + q, n)) == SIZE_MAX)
			break;
		if (n == c || buf[q + n - 1] != '.' || log_entry(s, buf + q + c, qe - q - c, 0))
			break;
		seen += n - c - 1 + 2;
		q = e ? qe + 1 : len;
	}
	if (seen < cl && q >= len && more)
		return ESC_NEED_MORE;
	return q;
}

/*
 * Decode the escaped message whose hit is on buf[*ls..le) into s->scratch: first the context
 * lines before it (from ctx_lo), then the decoded message with a line break before its start
 * line, at *at. *ls may move back to the first line of a wrapped ngrep packet (never further
 * than SCAN_MAX_MESSAGE, so a block can do it across its start). Returns the offset in buf
 * after the lines used, 0 when the text holds no start line, or ESC_NEED_MORE (only with
 * more) when the message runs past len.
 */
static size_t escaped_decode(struct scanner *s, const char *buf, size_t len, size_t ctx_lo,
			     size_t *lsp, size_t le, enum escaped kind, int more, size_t *at_out)
{
	struct buf *d = &s->scratch;
	size_t ls = *lsp, next = le < len ? le + 1 : len;

	if (kind == ESC_NGREP) {
		/* a long request URI can wrap "SIP/2.0" onto a later line: start at the packet's
		 * first indented line */
		size_t floor = ls > SCAN_MAX_MESSAGE ? ls - SCAN_MAX_MESSAGE : 0;
		while (ls > floor + 1) {
			const char *pl = memrchr(buf + floor, '\n', ls - 1 - floor);
			size_t ps = pl ? (size_t)(pl - buf) + 1 : floor;
			if (ls - 1 - ps < 2 || buf[ps] != ' ' || buf[ps + 1] != ' ')
				break;
			ls = ps;
		}
	}
	if (ctx_lo > ls)
		ctx_lo = ls;
	size_t ctx = escaped_context_start(buf, ctx_lo, ls, kind);

	buf_reset(d);
	if (kind != ESC_TSHARK)
		buf_add(d, buf + ctx, ls - ctx);	/* the context lines, as they are */
	size_t body = d->len;
	if (kind == ESC_TSHARK) {
		next = tshark_decode(d, buf, len, ctx, ls, le, more, &body);
	} else if (kind == ESC_BYLINE) {
		size_t pn = start_after_prefix(buf + ls, le - ls);
		if (pn == SIZE_MAX || pn > SCAN_MAX_PREFIX)
			pn = 0;
		next = byline_decode(d, buf, len, ls, pn, more);
		if (next && next != ESC_NEED_MORE)
			next = byline_body(s, d, body, buf, len, next, buf + ls, pn, more);
	} else if (kind == ESC_SYSLOG) {
		const char *l = buf + ls;
		size_t n = le - ls;
		for (size_t i = 0; i < n; i++) {
			if (l[i] == '#' && i + 3 < n && l[i + 1] == '0' && l[i + 2] == '1' &&
			    (l[i + 3] == '2' || l[i + 3] == '5' || l[i + 3] == '1')) {
				buf_addc(d, l[i + 3] == '2' ? '\n' : l[i + 3] == '5' ? '\r' : '\t');
				i += 3;
			} else {
				buf_addc(d, l[i]);
			}
		}
	} else if (kind == ESC_LINE_END) {
		/* the line end that follows the start line is the line end of the whole line */
		const char *l = buf + ls;
		size_t n = le - ls, tn, h = (size_t)((const char *)memmem(l, n, "SIP/2.0", 7) - l);
		size_t t = h + 7 + line_end_token(l + h + 7, n - h - 7, &tn);
		const char *tok = l + t;
		for (size_t i = 0; i < n;) {
			if (i + tn <= n && memcmp(l + i, tok, tn) == 0) {
				buf_addc(d, '\n');
				i += tn;
			} else {
				buf_addc(d, l[i++]);
			}
		}
	} else {
		/* join the wrapped lines (two-space indent) up to a blank line, then ".." -> LF */
		size_t q = ls, joined = d->len;
		while (q < len && d->len - joined < SCAN_MAX_MESSAGE + SCAN_LONG_LINE) {
			const char *e = memchr(buf + q, '\n', len - q);
			if (!e && more)
				return ESC_NEED_MORE;
			size_t qe = e ? (size_t)(e - buf) : len;
			if (qe - q < 2 || buf[q] != ' ' || buf[q + 1] != ' ')
				break;
			buf_add(d, buf + q + 2, qe - q - 2);
			q = e ? qe + 1 : len;
		}
		if (q >= len && more)
			return ESC_NEED_MORE;
		next = q;
		while (d->len > joined && (d->p[d->len - 1] == ' ' || d->p[d->len - 1] == '\r'))
			d->len--;		/* the padding of the last line */
		/* a run of dots: CR LF pairs at its end, a dot of the text first ("a." CR LF
		 * shows as "a...") */
		size_t w = joined;
		for (size_t r = joined; r < d->len;) {
			size_t k = 0;
			while (r + k < d->len && d->p[r + k] == '.')
				k++;
			if (k < 2) {
				d->p[w++] = d->p[r++];
				continue;
			}
			if (k % 2)
				d->p[w++] = '.';
			for (size_t j = 0; j < k / 2; j++)
				d->p[w++] = '\n';
			r += k;
		}
		d->len = w;
	}
	if (next == 0 || next == ESC_NEED_MORE)
		return next;
	/* the start line: "METHOD URI SIP/2.0" ending the first decoded line, or "SIP/2.0 NNN" */
	const char *b0 = d->p + body;
	size_t blen = d->len - body;
	const char *first_end = memchr(b0, '\n', blen);
	size_t fl = first_end ? (size_t)(first_end - b0) : blen;
	while (fl && b0[fl - 1] == '\r')
		fl--;
	size_t at = (size_t)-1;
	if (fl >= 8 && memcmp(b0 + fl - 8, " SIP/2.0", 8) == 0) {
		size_t k = fl - 8;			/* back over the URI and the method */
		while (k && b0[k - 1] != ' ')
			k--;
		if (k)
			k--;
		while (k && b0[k - 1] >= 'A' && b0[k - 1] <= 'Z')
			k--;
		at = k;
	} else {
		const char *st = memmem(b0, fl, "SIP/2.0 ", 8);
		if (st && st + 11 <= b0 + fl)
			at = (size_t)(st - b0);
	}
	if (at == (size_t)-1)
		return 0;
	at += body;
	buf_grow(d, 1);
	memmove(d->p + at + 1, d->p + at, d->len - at);
	d->p[at] = '\n';
	d->len++;
	*at_out = at + 1;
	*lsp = ls;
	return next;
}

/* Decode and scan; returns where the caller goes on (after the lines used), 0 when the
 * text held no start line (then the caller treats the line as an ordinary one), or
 * ESC_NEED_MORE. */
static size_t scan_escaped(struct scanner *s, const char *buf, size_t len, size_t ctx_lo,
			   size_t ls, size_t le, enum escaped kind, int more)
{
	size_t at;
	size_t next = escaped_decode(s, buf, len, ctx_lo, &ls, le, kind, more, &at);

	if (!next || next == ESC_NEED_MORE)
		return next;
	/* the decoded text must outlive the scan when events are kept (blocks) */
	struct buf *d = &s->scratch;
	char *text = d->p;
	size_t tlen = d->len;
	if (s->arena) {
		text = arena_alloc(s->arena, tlen);
		memcpy(text, d->p, tlen);
	}
	/* as in parse_message: a context cut at the block start is redone by the merge */
	size_t lo = ctx_lo > ls ? ls : ctx_lo;
	int clipped = s->first_in_block && escaped_context_start(buf, lo, ls, kind) == lo &&
		      lo <= s->block_start;

	/* scan the decoded text as a block of its own, pinned to the original line (counted
	 * before the count is saved: the next line counted goes on from here, not from where the
	 * count stood before - which made a log of such lines quadratic) */
	s->pin_line = s->line + line_at(s, ls);
	const char *cb = s->cnt_buf;
	size_t cp = s->cnt_pos, bs = s->block_start;
	uint64_t cl = s->cnt_line, base = s->base;
	s->pin_offset = s->base + ls;
	s->pin_flags = clipped ? EV_CTX_CLIPPED : 0;
	s->pinned = 1;
	s->cnt_buf = text;
	s->cnt_pos = 0;
	s->cnt_line = 0;
	s->block_start = 0;
	s->first_in_block = 0;
	/* one line holds one message: only the start line put at `at` is read, so that text
	 * inside it (a User-Agent holding escaped SIP) cannot add records of its own */
	scan_messages(s, text, tlen, 0, at + 1, 0, NULL);
	s->pinned = 0;
	s->cnt_buf = cb;
	s->cnt_pos = cp;
	s->cnt_line = cl;
	s->base = base;
	s->block_start = bs;
	return next;
}

/*
 * Messages whose start line begins in [start, end) of buf[0..len). With more set, the input
 * goes on after len: stop before a message (or line) that is not complete and return where
 * the caller must resume, keeping the context that message needs. Without, return the offset
 * after the last message (*resume) and len.
 */
static size_t scan_messages(struct scanner *s, const char *buf, size_t len, size_t start,
			    size_t end, int more, size_t *resume_out)
{
	const struct profile *p = s->p;
	size_t pos = start, ctx_lo = start;

	/* a start line beginning before end ends at most SCAN_MAX_LINE after it */
	size_t search_end = len - end > SCAN_MAX_LINE ? end + SCAN_MAX_LINE : len;
	while (pos < end) {
		const char *hit = scan_lit_find(&s->lit, buf + pos, search_end - pos);
		if (!hit)
			break;
		const char *lsp = memrchr(buf + pos, '\n', (size_t)(hit - (buf + pos)));
		size_t ls = lsp ? (size_t)(lsp - buf) + 1 : pos;
		if (ls >= end)
			break;
		while (buf[ls] == '\0')
			ls++;	/* a copytruncate hole before the line is not part of it */
		const char *nl = memchr(hit, '\n', (size_t)(buf + len - hit));
		if (!nl && more)
			return context_start(buf, ctx_lo, ls);
		size_t le = nl ? (size_t)(nl - buf) : len;
		size_t next_line = nl ? le + 1 : len;
		int rc = -1;
		enum escaped esc;
		size_t after, at = 0, pn = 0;
		if (le - ls > SCAN_MAX_LINE) {
			s->st.cut_lines++;
		} else if (!s->pinned && (esc = escaped_kind(buf, ls, le, (size_t)(hit - buf))) &&
			   (after = scan_escaped(s, buf, len, ctx_lo, ls, le, esc, more)) != 0) {
			if (after == ESC_NEED_MORE)
				return context_start(buf, ctx_lo, ls);
			pos = ctx_lo = after;
			continue;
		} else {
			s->limit_hit = 0;
			rc = match(s, &p->start, buf + ls, le - ls, 0);
			if (rc <= 0 && !s->pinned && le - ls <= SCAN_LONG_LINE &&
			    prefixed_start(s, buf, len, ls, le, more, &at, &pn, &rc))
				return context_start(buf, ctx_lo, ls);
		}
		if (rc <= 0) {
			count_limit(s);
			pos = next_line;
			continue;
		}
		/* the extent may match other lines: keep the start's groups (its ovector) */
		struct extent x;
		PCRE2_SIZE kept[2 * 32];
		PCRE2_SIZE *ov = s->ov;
		uint64_t m0 = s->matches;
		/* the usual few pairs as a copy of fixed length: one of a length not known here
		 * is a "rep movsq", whose start-up costs more than the copy */
		size_t nkept = 0;
		if (rc <= 8 && s->ovpairs >= 8)
			memcpy(kept, ov, (nkept = 16) * sizeof(*ov));
		else if ((size_t)rc <= sizeof(kept) / sizeof(kept[0]) / 2)
			memcpy(kept, ov, (nkept = 2 * (size_t)rc) * sizeof(*ov));
		if (message_extent(s, buf, len, next_line, buf + ls, pn, more, &x))
			return context_start(buf, ctx_lo, ls);
		if (s->matches != m0) {
			if (nkept)
				memcpy(ov, kept, nkept * sizeof(*ov));
			else
				rc = match(s, &p->start, buf + ls + at, le - ls - at, 0);
		}
		parse_message(s, buf, ctx_lo, ls, at, le, &x, pn, rc);
		count_limit(s);
		if (!s->pinned && s->cnt_buf == buf && s->cnt_pos == ls) {
			/* deliver() counted up to the start line; its lines are known */
			s->cnt_line += (le < len) + x.nls;
			s->cnt_pos = x.resume;
		}
		pos = ctx_lo = x.resume;
	}
	if (resume_out)
		*resume_out = ctx_lo;
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
	s->block_start = 0;
	s->first_in_block = 0;
	if (s->p->kind == RECORD_LINE) {
		size_t end = len;
		if (mode == SCAN_MORE) {
			const char *last = memrchr(buf, '\n', len);
			end = last ? (size_t)(last - buf) + 1 : 0;
		}
		used = scan_lines(s, buf, 0, end);
	} else {
		used = scan_messages(s, buf, len, 0, len, mode == SCAN_MORE, NULL);
	}
	uint64_t nl = line_at(s, used);
	/* a final line without '\n' at end of input still counts as a line (a forced cut
	 * does not: the rest of that line follows) */
	if (mode == SCAN_EOF && used > 0 && buf[used - 1] != '\n')
		nl++;
	s->line += nl;
	s->base += used;
	s->st.lines += nl;
	s->st.bytes += used;
	s->cnt_buf = NULL;
	return used;
}

/*
 * Lines longer than max that start in buf[start..end) (a line runs to its '\n', or to len),
 * NUL bytes before a line not counted (see scan_line_range). A jump of max bytes at a time,
 * looking back for the last newline: where every line is short, a few bytes per max are read.
 */
static uint64_t long_lines(const char *buf, size_t len, size_t start, size_t end, size_t max)
{
	uint64_t n = 0;
	size_t p = start;

	while (p < end && len - p > max) {
		const char *r = memrchr(buf + p, '\n', max);
		if (r) {
			p = (size_t)(r - buf) + 1;	/* every line that starts before r ends by r */
			continue;
		}
		size_t z = p;
		while (z < len && buf[z] == '\0')
			z++;
		const char *e = memchr(buf + z, '\n', len - z);
		size_t le = e ? (size_t)(e - buf) : len;
		n += le - z > max;
		p = e ? le + 1 : len;
	}
	return n;
}

void scanner_scan_block(struct scanner *s, const char *buf, size_t len, uint64_t base,
			size_t start, size_t end, struct scan_block *out)
{
	size_t resume = end;
	uint64_t lim0 = s->st.match_limited;

	s->cnt_buf = buf;
	s->cnt_pos = start;
	s->cnt_line = 0;
	s->line = 1;
	s->base = base;
	s->block_start = start;
	s->first_in_block = 1;
	if (s->p->kind == RECORD_LINE)
		scan_lines(s, buf, start, end);
	else
		scan_messages(s, buf, len, start, end, 0, &resume);
	out->resume = base + resume;
	out->lines = line_at(s, end);
	if (end == len && end > start && buf[end - 1] != '\n')
		out->lines++;
	s->st.lines += out->lines;
	s->st.bytes += end - start;
	out->lines_cut = long_lines(buf, len, start, end, SCAN_MAX_LINE);
	out->match_limited = s->st.match_limited - lim0;
	s->cnt_buf = NULL;
}

struct sample_count {
	uint64_t n;
	struct timeline tl;
	int64_t first;
};

static void count_emit(void *ctx, const struct event *ev)
{
	struct sample_count *c = ctx;

	if (ev->flags & EV_INCOMPLETE)
		return;
	c->n++;
	int64_t t = timeline_next2(&c->tl, ev->ts_before.p, ev->ts_before.n, ev->ts.p, ev->ts.n,
				   ev->flags & EV_TS_CARRY);
	if (c->first == TIME_UNKNOWN)
		c->first = t;
}

uint64_t scan_count_sample(const struct profile *p, const char *buf, size_t len,
			   int64_t mtime_us, int64_t *first_time, int64_t *first_dated)
{
	struct sample_count c = { .first = TIME_UNKNOWN };
	struct scanner *s = scanner_new(p, count_emit, &c);

	timeline_init(&c.tl, mtime_us);
	scanner_feed(s, buf, len, SCAN_EOF);
	int64_t dated = c.tl.ctx.first_abs_us;
	if (dated != TIME_UNKNOWN && c.first != TIME_UNKNOWN && c.first != dated) {
		/* the first record may be a time of day dated by mtime: again, with the hint */
		struct sample_count again = { .first = TIME_UNKNOWN };
		scanner_free(s);
		s = scanner_new(p, count_emit, &again);
		timeline_init(&again.tl, mtime_us);
		timeline_set_hint(&again.tl, dated);
		scanner_feed(s, buf, len, SCAN_EOF);
		c.first = again.first;
	}
	if (first_time)
		*first_time = c.first;
	if (first_dated)
		*first_dated = dated;
	scanner_free(s);
	return c.n;
}
