/*
 * show.c - `siplogscan show CALLID FILE...`: one call's messages in log order as a ladder,
 * what the analysis saw in them, and the problems it counted for with their fix.
 *
 * The call is the report's own: the run is a report's run (main.h siplogscan_run()) over
 * every event of every input, because what settles a call (the log clock that makes it idle,
 * --max-calls) depends on every message of the log, not on this call's alone. This file
 * watches the events go by and keeps those of the Call-ID (compared as bytes: any byte may
 * be in it), with where the next record of the same file starts, and the call's summary as
 * --calls-ndjson gets it. Only then are the messages' lines read back from the inputs, at
 * the offsets the scan gave: a plain file by pread(), a gzip file inflated once more up to
 * its last message of the call. An input that can be read only once (stdin, a pipe) gives
 * the ladder without its lines.
 *
 * Everything from the log is escaped for a terminal (esc_text()); what is kept is bounded:
 * SHOW_MAX_MSGS messages, SHOW_MAX_CALLS summaries, SHOW_RAW_MAX bytes of a message.
 */
#include "calls.h"
#include "escape.h"
#include "input.h"
#include "knowledge.h"
#include "main.h"
#include "pipeline.h"
#include "profile.h"
#include "render.h"
#include "timeparse.h"
#include "tz.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SHOW_MAX_MSGS 10000
#define SHOW_MAX_CALLS 16
#define SHOW_RAW_MAX (64u << 10)
#define SHOW_LINE_MAX 200	/* bytes of a start line shown without --raw */

struct msg {
	int64_t time_us;
	uint64_t offset, end;	/* end: where the file's next record starts; 0: not known */
	uint64_t line;
	uint32_t file, cseq;
	int status;
	enum sip_method method, cseq_method;
	unsigned auth, flags;
	enum auth_result auth_result;
	struct str src, ruri;
	char *raw;		/* its lines as logged (read back after the run); NULL: none */
	size_t raw_len;
};

struct in_file {
	char *path;
	int line_records;	/* a record is one line (RECORD_LINE) */
	int stream, once;	/* gzip or not regular; read only once (stdin, a pipe) */
};

struct show {
	const char *id;
	size_t id_len;
	int raw;
	struct msg *m;
	size_t n, cap, dropped;
	long pending;		/* the last kept message whose end is not known yet; -1 none */
	struct call_summary cs[SHOW_MAX_CALLS];
	size_t ncs;
	struct arena a;
	struct in_file *f;
	size_t nf;
};

static struct str keep(struct arena *a, struct str s)
{
	return s.n ? (struct str){ arena_dup(a, s.p, s.n), s.n } : (struct str){ NULL, 0 };
}

static void on_files(void *ctx, const struct pipeline_input *in, size_t n)
{
	struct show *s = ctx;

	s->f = xcalloc(n ? n : 1, sizeof(*s->f));
	s->nf = n;
	for (size_t i = 0; i < n; i++) {
		s->f[i].path = xstrndup(in[i].path, strlen(in[i].path));
		s->f[i].line_records = in[i].profile && in[i].profile->kind == RECORD_LINE;
		s->f[i].stream = in[i].stream;
		s->f[i].once = in[i].src != NULL || !strcmp(in[i].path, "-");
	}
}

static void on_event(void *ctx, const struct event *ev)
{
	struct show *s = ctx;

	if (s->pending >= 0) {
		struct msg *p = &s->m[s->pending];
		if (ev->file != p->file)
			s->pending = -1;
		else if (ev->offset > p->offset) {
			p->end = ev->offset;
			s->pending = -1;
		}
	}
	if (ev->callid.n != s->id_len || memcmp(ev->callid.p, s->id, s->id_len))
		return;
	if (s->n == SHOW_MAX_MSGS) {
		s->dropped++;
		return;
	}
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->m = xrealloc(s->m, s->cap * sizeof(*s->m));
	}
	s->m[s->n] = (struct msg){
		.time_us = ev->time_us, .offset = ev->offset, .line = ev->line, .file = ev->file,
		.cseq = ev->cseq, .status = ev->status, .method = ev->method,
		.cseq_method = ev->cseq_method, .auth = ev->auth, .flags = ev->flags,
		.auth_result = ev->auth_result, .src = keep(&s->a, ev->src),
		.ruri = keep(&s->a, ev->ruri),
	};
	s->pending = (long)s->n++;
}

static void on_call(void *ctx, const struct call_summary *cs, const char *path)
{
	struct show *s = ctx;

	(void)path;
	if (cs->call_id.n != s->id_len || memcmp(cs->call_id.p, s->id, s->id_len) ||
	    s->ncs == SHOW_MAX_CALLS)
		return;
	struct call_summary *c = &s->cs[s->ncs++];
	*c = *cs;
	c->call_id = keep(&s->a, cs->call_id);
	c->src = keep(&s->a, cs->src);
	c->ua = keep(&s->a, cs->ua);
	c->dest = keep(&s->a, cs->dest);
	c->hop[0] = keep(&s->a, cs->hop[0]);
	c->hop[1] = keep(&s->a, cs->hop[1]);
	c->from_user = keep(&s->a, cs->from_user);
	c->to_user = keep(&s->a, cs->to_user);
}

/* ---- the lines back from the inputs */

/* The part of a message in data[0..n) (read from its offset) that is its record: a line
 * record's line; a message's lines up to where the next record starts (already cut), less
 * the blank lines at its end. */
static size_t record_len(const struct msg *m, const struct in_file *f, const char *data,
			 size_t n)
{
	const char *end1 = memchr(data, '\n', n);
	size_t first = end1 ? (size_t)(end1 - data) : n;
	/* a whole message on its line, its line ends escaped: rsyslog's #015#012, Kamailio's
	 * $mb as \r\n, ngrep's ".." (ngrep -W byline's one '.' per line end is not that) */
	if (f->line_records || ((m->flags & EV_ONE_LINE) &&
				(memmem(data, first, "#012", 4) || memmem(data, first, "\\n", 2) ||
				 memmem(data, first, "..", 2)))) {
		/* ngrep without -W byline wraps it at 80 columns, each piece indented */
		while (!f->line_records && first + 3 < n && data[first + 1] == ' ' &&
		       data[first + 2] == ' ') {
			const char *e = memchr(data + first + 1, '\n', n - first - 1);
			first = e ? (size_t)(e - data) : n;
		}
		return first;
	}
	/* a message: its headers up to the blank line, then the body its Content-Length
	 * gives; what follows up to the next record is that record's (a capture's header) */
	size_t body = 0;
	int have_len = 0;
	for (size_t i = 0; i < n;) {
		const char *nl = memchr(data + i, '\n', n - i);
		size_t e = nl ? (size_t)(nl - data) : n, l = e - i;
		if (l && data[e - 1] == '\r')
			l--;
		/* the blank line; ngrep -W byline writes a CR as '.' */
		if (!l || (l == 1 && data[i] == '.')) {
			size_t at = nl ? e + 1 : n;
			if (have_len)
				n = at + body < n ? at + body : n;
			else if (!m->end)
				n = at;	/* the file's last record and no length: headers only */
			break;
		}
		const char *h = data + i;
		size_t k = l >= 15 && mem_ieq(h, "content-length:", 15) ? 15 :
			   l >= 2 && (h[0] == 'l' || h[0] == 'L') && h[1] == ':' ? 2 : 0;
		if (k) {
			unsigned long v = 0;
			while (k < l && (h[k] == ' ' || h[k] == '\t'))
				k++;
			while (k < l && h[k] >= '0' && h[k] <= '9' && v < SHOW_RAW_MAX)
				v = v * 10 + (unsigned long)(h[k++] - '0');
			body = v;
			have_len = 1;
		}
		i = nl ? e + 1 : n;
	}
	while (n && (data[n - 1] == '\n' || data[n - 1] == '\r'))
		n--;
	return n;
}

static void take_raw(struct msg *m, const struct in_file *f, const char *data, size_t n)
{
	n = record_len(m, f, data, n);
	m->raw = xmalloc(n + 1);
	memcpy(m->raw, data, n);
	m->raw_len = n;
}

/* How many bytes from its offset a message may need. */
static size_t want_len(const struct msg *m)
{
	if (m->end > m->offset && m->end - m->offset < SHOW_RAW_MAX)
		return (size_t)(m->end - m->offset);
	return SHOW_RAW_MAX;
}

/* A plain file: each message by pread() at its offset. */
static void read_plain(struct show *s, uint32_t fi)
{
	int fd = open(s->f[fi].path, O_RDONLY | O_CLOEXEC);
	char *b = xmalloc(SHOW_RAW_MAX);

	if (fd < 0) {
		err_errno("show: '%s': cannot read its lines again", s->f[fi].path);
		free(b);
		return;
	}
	for (size_t i = 0; i < s->n; i++) {
		struct msg *m = &s->m[i];
		if (m->file != fi)
			continue;
		ssize_t got = pread(fd, b, want_len(m), (off_t)m->offset);
		if (got > 0)
			take_raw(m, &s->f[fi], b, (size_t)got);
	}
	free(b);
	close(fd);
}

/* A gzip file: inflated again from its start, up to its last message of the call. The
 * messages are in offset order (the order of the scan). */
static void read_stream(struct show *s, uint32_t fi)
{
	struct report_file rf = { .path = s->f[fi].path };
	struct source *src = source_open(s->f[fi].path, &rf);
	size_t cap = 4 * SHOW_RAW_MAX, len = 0;
	uint64_t base = 0;	/* file offset of b[0] */
	char *b = xmalloc(cap);
	int eof = 0;

	if (!src) {
		free(b);
		free(rf.error);
		free(rf.note);
		return;
	}
	for (size_t i = 0; i < s->n; i++) {
		struct msg *m = &s->m[i];
		if (m->file != fi)
			continue;
		size_t need = want_len(m);
		for (;;) {
			if (m->offset >= base + len) {		/* nothing kept is needed */
				base += len;
				len = 0;
			} else if (m->offset > base) {		/* drop what lies before it */
				size_t drop = (size_t)(m->offset - base);
				memmove(b, b + drop, len - drop);
				len -= drop;
				base += drop;
			}
			if (eof || (m->offset >= base && m->offset + need <= base + len))
				break;
			ssize_t got = source_read(src, b + len, cap - len, &rf);
			if (got <= 0)
				eof = 1;
			else
				len += (size_t)got;
		}
		if (m->offset >= base && m->offset < base + len) {
			size_t have = (size_t)(base + len - m->offset);
			take_raw(m, &s->f[fi], b + (m->offset - base), have < need ? have : need);
		}
	}
	source_close(src);
	free(b);
	free(rf.error);
	free(rf.note);
}

static void read_back(struct show *s)
{
	for (uint32_t fi = 0; fi < s->nf; fi++) {
		int any = 0;
		for (size_t i = 0; i < s->n && !any; i++)
			any = s->m[i].file == fi;
		if (!any || s->f[fi].once)
			continue;
		if (s->f[fi].stream)
			read_stream(s, fi);
		else
			read_plain(s, fi);
	}
}

/* ---- the ladder */

static void put_str(struct buf *b, struct str v)
{
	if (v.n)
		esc_text(b, v.p, v.n);
	else
		buf_addc(b, '-');
}

static void pad_to(struct buf *b, size_t start, size_t width)
{
	do
		buf_addc(b, ' ');
	while (b->len - start < width);
}

/* What one message did in the call's transactions, as the analysis reads it: marks after the
 * message. seen_* carry what came before. */
struct marks_state {
	uint32_t trying_cseq;		/* the INVITE CSeq that got a 100; 0: none */
	int challenged[2];		/* a 407, a 401 was seen */
	uint32_t chal_cseq[2];
	int final_seen;
	struct seen { enum sip_method m; uint32_t cseq; int status; unsigned auth; struct str src; }
		last[8];
	unsigned nlast;
};

static int str_same(struct str a, struct str b)
{
	return a.n == b.n && (!a.n || !memcmp(a.p, b.p, a.n));
}

static void add_mark(struct buf *b, int *n, const char *text)
{
	buf_adds(b, *n ? ", " : "  [");
	buf_adds(b, text);
	(*n)++;
}

static void marks(struct buf *b, struct marks_state *st, const struct msg *m)
{
	int n = 0;
	enum sip_method cm = m->method ? m->method : m->cseq_method;

	/* the same request or response again: a retransmission (the analysis counts it once) */
	for (unsigned i = 0; i < st->nlast && i < 8; i++)
		if (st->last[i].m == cm && st->last[i].cseq == m->cseq &&
		    st->last[i].status == m->status && st->last[i].auth == m->auth && m->cseq &&
		    str_same(st->last[i].src, m->src)) {
			add_mark(b, &n, "again: retransmission");
			goto out;
		}
	st->last[st->nlast++ % 8] = (struct seen){ cm, m->cseq, m->status, m->auth, m->src };
	if (m->flags & EV_TRANSACTION)
		add_mark(b, &n, "accounting record: the request and its final");
	if (m->method) {
		int pa = (m->auth & EV_AUTH_PROXY) != 0, wa = (m->auth & EV_AUTH_WWW) != 0;
		if (pa || wa) {
			int k = pa ? 0 : 1;
			add_mark(b, &n, st->challenged[k] && m->cseq > st->chal_cseq[k] ?
				 (pa ? "retry with Proxy-Authorization" : "retry with Authorization") :
				 (pa ? "with Proxy-Authorization" : "with Authorization"));
		}
	} else if (m->status) {
		if (m->status == 100 && cm == METHOD_INVITE) {
			/* a 100 from another address: the hop after the one that sent the first */
			add_mark(b, &n, st->trying_cseq == m->cseq ? "100 from a further hop" : "100");
			if (!st->trying_cseq)
				st->trying_cseq = m->cseq;
		} else if (m->status == 407 || m->status == 401) {
			int k = m->status == 401;
			st->challenged[k] = 1;
			st->chal_cseq[k] = m->cseq;
			add_mark(b, &n, k ? "challenge (401)" : "challenge (407)");
		} else if (m->status >= 180 && m->status < 200 && cm == METHOD_INVITE) {
			add_mark(b, &n, "ringing");
		} else if (m->status >= 200 && cm == METHOD_INVITE) {
			if (m->cseq && st->trying_cseq == m->cseq && !st->final_seen)
				add_mark(b, &n, "final after the 100");
			else if (!st->final_seen)
				add_mark(b, &n, "final");
			if (m->status < 300)
				add_mark(b, &n, "answered");
			st->final_seen = 1;
		}
	}
	if (m->auth_result) {
		static const char *const res[] = { "", "challenge sent", "credentials accepted",
						   "credentials failed", "unknown account",
						   "denied by ACL" };
		add_mark(b, &n, res[m->auth_result]);
	}
out:
	if (n)
		buf_addc(b, ']');
}

static void ladder(struct buf *b, struct show *s)
{
	struct marks_state st = {0};
	int64_t prev = TIME_UNKNOWN;
	char t[TIME_LOCAL_MAX];

	buf_adds(b, "  time                          delta     from                   message"
		 "                                   CSeq\n");
	for (size_t i = 0; i < s->n; i++) {
		const struct msg *m = &s->m[i];
		size_t start = b->len;
		buf_adds(b, "  ");
		buf_adds(b, m->time_us == TIME_UNKNOWN ? "-" : time_format_local(m->time_us, t));
		pad_to(b, start, 32);
		size_t d0 = b->len;
		if (i && m->time_us != TIME_UNKNOWN && prev != TIME_UNKNOWN) {
			buf_adds(b, m->time_us >= prev ? "+" : "-");
			fmt_dur(b, m->time_us >= prev ? m->time_us - prev : prev - m->time_us);
		} else {
			buf_adds(b, i ? "?" : "");
		}
		pad_to(b, d0, 10);
		size_t s0 = b->len;
		put_str(b, m->src);
		pad_to(b, s0, 23);
		size_t m0 = b->len;
		if (m->flags & EV_TRANSACTION) {	/* a request and its final, in one */
			const struct code_info *ci = knowledge_code(m->status);
			buf_printf(b, "%s -> %d", sip_method_name(m->cseq_method ? m->cseq_method :
								  m->method), m->status);
			if (ci && ci->reason)
				buf_printf(b, " %s", ci->reason);
		} else if (m->method) {
			buf_adds(b, sip_method_name(m->method));
			if (m->ruri.n) {
				buf_addc(b, ' ');
				esc_text(b, m->ruri.p, m->ruri.n);
			}
		} else if (m->status) {
			const struct code_info *ci = knowledge_code(m->status);
			buf_printf(b, "%d", m->status);
			if (ci && ci->reason)
				buf_printf(b, " %s", ci->reason);
		} else {
			buf_adds(b, "(no request or status)");
		}
		pad_to(b, m0, 42);
		if (m->cseq)
			buf_printf(b, "%lu %s", (unsigned long)m->cseq,
				   m->cseq_method ? sip_method_name(m->cseq_method) : "");
		else
			buf_addc(b, '-');
		marks(b, &st, m);
		buf_adds(b, "\n      at ");
		esc_text(b, s->f[m->file].path, strlen(s->f[m->file].path));
		buf_printf(b, ":%llu", (unsigned long long)m->line);
		if (!s->raw) {
			if (m->raw) {
				size_t n = m->raw_len;
				const char *nl = memchr(m->raw, '\n', n);
				if (nl)
					n = (size_t)(nl - m->raw);
				if (n && m->raw[n - 1] == '\r')
					n--;
				buf_adds(b, "  ");
				esc_text(b, m->raw, n > SHOW_LINE_MAX ? SHOW_LINE_MAX : n);
				if (n > SHOW_LINE_MAX || n < m->raw_len)
					buf_adds(b, " ...");
			}
			buf_addc(b, '\n');
		} else {
			buf_addc(b, '\n');
			if (!m->raw) {
				buf_adds(b, "      | (not read back: the input can be read only once)\n");
			} else {
				const char *p = m->raw, *end = m->raw + m->raw_len;
				while (p < end) {
					const char *nl = memchr(p, '\n', (size_t)(end - p));
					size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
					buf_adds(b, "      | ");
					esc_text(b, p, n && p[n - 1] == '\r' ? n - 1 : n);
					buf_addc(b, '\n');
					p += n + 1;
				}
			}
		}
		if (m->time_us != TIME_UNKNOWN)
			prev = m->time_us;
	}
	if (s->dropped)
		buf_printf(b, "  ... and %zu more messages, not shown (at most %d)\n", s->dropped,
			   SHOW_MAX_MSGS);
}

static void dur_line(struct buf *b, const char *label, int64_t us)
{
	if (us < 0)
		return;
	buf_printf(b, "  %s ", label);
	fmt_dur(b, us);
	buf_addc(b, '\n');
}

static const char *const auth_words[] = { "not challenged", "challenged, never retried",
					  "challenged, retried, accepted",
					  "challenged, retried, challenged again (rejected)" };

static void summary(struct buf *b, const struct call_summary *c, const struct show *s)
{
	static const char *const kinds[] = { [KIND_CALL] = "call (INVITE dialog)",
		[KIND_REGISTRATION] = "registration", [KIND_OPTIONS] = "OPTIONS ping",
		[KIND_OTHER] = "other transaction" };
	static const char *const why[] = { [SETTLED_END] = "open when the input ended",
		[SETTLED_IDLE] = "settled when it went idle",
		[SETTLED_LIMIT] = "settled early: --max-calls calls were in flight" };
	char t[TIME_LOCAL_MAX];

	buf_printf(b, "  %s, opened by %s at ", kinds[c->kind], sip_method_name(c->method));
	const char *path = c->file < s->nf ? s->f[c->file].path : "";
	esc_text(b, path, strlen(path));
	buf_printf(b, ":%llu; %s\n", (unsigned long long)c->line, why[c->settled]);
	if (c->src.n || c->dest.n || c->hop[0].n) {
		buf_adds(b, "  from ");
		put_str(b, c->src);
		if (c->dest.n) {
			buf_adds(b, " to ");
			esc_text(b, c->dest.p, c->dest.n);
		}
		if (c->hop[0].n) {
			buf_adds(b, ", answered by ");
			esc_text(b, c->hop[0].p, c->hop[0].n);
			if (c->hop[1].n) {
				buf_adds(b, " then ");
				esc_text(b, c->hop[1].p, c->hop[1].n);
			}
		}
		buf_addc(b, '\n');
	}
	if (c->from_user.n || c->to_user.n) {
		buf_adds(b, "  users: from ");
		put_str(b, c->from_user);
		buf_adds(b, " to ");
		put_str(b, c->to_user);
		buf_addc(b, '\n');
	}
	if (c->ua.n) {
		buf_adds(b, "  User-Agent ");
		esc_text(b, c->ua.p, c->ua.n);
		buf_addc(b, '\n');
	}
	buf_adds(b, "  outcome: ");
	if (!c->outcome)
		buf_adds(b, "no final response");
	else
		buf_printf(b, "%d%s", c->outcome, c->final_code ? "" : " (a challenge that stood)");
	buf_addc(b, '\n');
	if (c->acc) {
		buf_adds(b, "  from accounting records: 100 Trying, 18x and challenges are not "
			 "logged\n");
	} else if (c->trying) {
		buf_adds(b, "  100 Trying");
		if (c->trying_time != TIME_UNKNOWN)
			buf_printf(b, " at %s", time_format_local(c->trying_time, t));
		if (c->final_after_100) {
			buf_printf(b, " -> final %d", c->final_after_100);
			if (c->trying_delay_us >= 0) {
				buf_adds(b, " after ");
				fmt_dur(b, c->trying_delay_us);
			}
		} else {
			buf_adds(b, " -> no final response for that transaction: stuck");
		}
		buf_addc(b, '\n');
	} else if (c->method == METHOD_INVITE && c->attempt) {
		buf_adds(b, "  no 100 Trying\n");
	}
	if (!c->acc) {
		if (c->proxy_auth || c->proxy_challenges)
			buf_printf(b, "  407 -> retry: %s (%u challenge%s, %u retr%s)\n",
				   auth_words[c->proxy_auth], c->proxy_challenges,
				   c->proxy_challenges == 1 ? "" : "s", c->proxy_retries,
				   c->proxy_retries == 1 ? "y" : "ies");
		if (c->www_auth || c->www_challenges)
			buf_printf(b, "  401 -> retry: %s (%u challenge%s, %u retr%s)\n",
				   auth_words[c->www_auth], c->www_challenges,
				   c->www_challenges == 1 ? "" : "s", c->www_retries,
				   c->www_retries == 1 ? "y" : "ies");
	}
	dur_line(b, "post-dial delay (INVITE -> 18x, else final):", c->pdd_us);
	dur_line(b, "ring time (18x -> final):", c->ring_us);
	dur_line(b, "session request delay (INVITE -> first answer):", c->srd_us);
	dur_line(b, "duration (answer -> BYE):", c->duration_us);
	if (!c->problems) {
		buf_adds(b, "  counted in no problem of the report\n");
		return;
	}
	for (int p = 0; p < PAT_COUNT; p++) {
		if (!(c->problems & (1u << p)))
			continue;
		const struct pattern_info *pi = knowledge_pattern((enum pattern_id)p);
		buf_printf(b, "\n  problem %s: %s\n", pi->id, pi->title);
		buf_wrap(b, "    Fix: ", 6, 80, pi->fix);
		buf_printf(b, "    More: siplogscan explain %s\n", pi->id);
	}
}

static const char show_usage[] =
"usage: siplogscan show [OPTIONS] CALLID FILE...\n"
"\n"
"Print one call's messages in log order as a ladder: time and the time since the message\n"
"before, the sender's address where the log shows it, the request (with its URI) or the\n"
"status, the CSeq, marks for what the analysis reads in it (100, challenge, retry with\n"
"credentials, final, retransmission) and the file and line of each, with its first line.\n"
"Then what the analysis of the whole logs made of the call - the same as the report's -\n"
"and each problem it counted for, with the fix. CALLID is matched exactly, as bytes.\n"
"\n"
"      --raw                each message as logged, every line of it (escaped)\n"
"  -h, --help               this help\n"
"\n"
"Exit status: 0 shown; 1 no message of CALLID in the logs; 2 usage error or an input that\n"
"could not be read.\n"
"\n";

int show_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "raw", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		CALLS_RUN_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	struct show s = { .pending = -1 };
	char **rargv = xcalloc((size_t)argc * 2 + 4, sizeof(*rargv));
	int rargc = 0, c;

	rargv[rargc++] = "siplogscan";
	optind = 0;
	while ((c = getopt_long(argc, argv, "h" CALLS_RUN_SHORT, longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			s.raw = 1;
			break;
		case 'h':
			fputs(show_usage, stdout);
			fputs(calls_run_usage, stdout);
			free(rargv);
			return 0;
		default:
			if (calls_run_option(c, optarg, rargv, &rargc))
				break;
			fprintf(stderr, "Try 'siplogscan show --help' for more information.\n");
			free(rargv);
			return 2;
		}
	}
	if (argc - optind < 2) {
		free(rargv);
		fprintf(stderr, "siplogscan show: expected a Call-ID and the log files\n"
			"Try 'siplogscan show --help' for more information.\n");
		return 2;
	}
	s.id = argv[optind++];
	s.id_len = strlen(s.id);
	rargv[rargc++] = "--";
	while (optind < argc)
		rargv[rargc++] = argv[optind++];

	struct run_hooks h = { .ctx = &s, .files_fn = on_files, .event_fn = on_event,
			       .call_fn = on_call, .no_report = 1 };
	int rc = siplogscan_run(rargc, rargv, &h);
	free(rargv);

	struct buf b = {0};
	buf_adds(&b, "Call-ID ");
	esc_text(&b, s.id, s.id_len);
	if (!s.n) {
		buf_adds(&b, ": no message with this Call-ID in the logs");
		err_msg("show: %s", buf_cstr(&b));
		rc = rc == 2 ? 2 : 1;
	} else {
		read_back(&s);
		buf_printf(&b, ": %zu message%s", s.n + s.dropped, s.n + s.dropped == 1 ? "" : "s");
		if (!tz_is_utc())
			buf_printf(&b, ", times in %s", tz_name());
		buf_adds(&b, "\n\n");
		ladder(&b, &s);
		buf_adds(&b, "\nWhat the analysis saw\n");
		if (!s.ncs)
			buf_adds(&b, "  the report counts this Call-ID in no call, registration or "
				 "transaction: none of its messages is a request that opens one, or it "
				 "started before --since\n");
		for (size_t i = 0; i < s.ncs; i++) {
			if (s.ncs > 1)
				buf_printf(&b, "%s  Call-ID seen as call %zu of %zu (it went idle and "
					   "came back)\n", i ? "\n" : "", i + 1, s.ncs);
			summary(&b, &s.cs[i], &s);
		}
		if (fwrite(b.p, 1, b.len, stdout) != b.len || fflush(stdout) != 0) {
			err_errno("show: cannot write stdout");
			rc = 2;
		}
	}
	buf_free(&b);
	for (size_t i = 0; i < s.n; i++)
		free(s.m[i].raw);
	free(s.m);
	for (size_t i = 0; i < s.nf; i++)
		free(s.f[i].path);
	free(s.f);
	arena_free(&s.a);
	return rc;
}
