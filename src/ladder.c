/*
 * ladder.c - the messages of a few Call-IDs as ladders (ladder.h): the events kept, their
 * lines read back from the inputs, and each message's cells with the marks of what the
 * analysis reads in it; the text form `siplogscan show` prints.
 *
 * What is kept is bounded: max_msgs messages a Call-ID (the rest counted), raw_max bytes of
 * a message's lines, and the set's Call-IDs are its caller's (one for show, the HTML report's
 * first examples). The set is a keyed hash table (htab.h): a Call-ID is attacker-chosen.
 */
#include "ladder.h"
#include "escape.h"
#include "htab.h"
#include "input.h"
#include "knowledge.h"
#include "pipeline.h"
#include "profile.h"
#include "render.h"
#include "timeparse.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct ladders *ladders_new(size_t max_msgs, size_t raw_max, size_t str_max)
{
	struct ladders *l = xcalloc(1, sizeof(*l));

	l->max_msgs = max_msgs;
	l->str_max = str_max;
	l->raw_max = raw_max < LADDER_RAW_MAX ? raw_max : LADDER_RAW_MAX;
	random_seed(l->seed, sizeof(l->seed));
	l->by_id = htab_new(l->seed);
	return l;
}

void ladders_free(struct ladders *l)
{
	if (!l)
		return;
	for (size_t c = 0; c < l->ncalls; c++) {
		for (size_t i = 0; i < l->calls[c].n; i++)
			free(l->calls[c].m[i].raw);
		free(l->calls[c].m);
	}
	free(l->calls);
	for (size_t i = 0; i < l->nf; i++)
		free(l->f[i].path);
	free(l->f);
	htab_free(l->by_id);
	arena_free(&l->a);
	free(l);
}

/* The table's item is the call's index + 1: the array of calls grows. */
static struct ladder_call *lookup(const struct ladders *l, const char *id, size_t len,
				  uint64_t hash)
{
	uintptr_t k = (uintptr_t)htab_get(l->by_id, id, len, hash);

	return k ? &l->calls[k - 1] : NULL;
}

void ladders_add(struct ladders *l, const char *id, size_t len)
{
	uint64_t hash = htab_hash(l->by_id, id, len);

	if (lookup(l, id, len, hash))
		return;
	l->calls = xrealloc(l->calls, (l->ncalls + 1) * sizeof(*l->calls));
	struct ladder_call *c = &l->calls[l->ncalls++];
	*c = (struct ladder_call){ .id = len ? arena_dup(&l->a, id, len) : "", .id_len = len };
	htab_put(l->by_id, c->id, len, hash, (void *)(uintptr_t)l->ncalls);
}

const struct ladder_call *ladders_find(const struct ladders *l, const char *id, size_t len)
{
	return l ? lookup(l, id, len, htab_hash(l->by_id, id, len)) : NULL;
}

/* A string of the event, its first max bytes at most (0: all), never cut inside a UTF-8
 * sequence */
static struct str keep(struct arena *a, struct str s, size_t max)
{
	size_t n = s.n;

	if (max && n > max) {
		n = max;
		while (n > 0 && ((unsigned char)s.p[n] & 0xc0) == 0x80)
			n--;
	}

	return n ? (struct str){ arena_dup(a, s.p, n), n } : (struct str){ NULL, 0 };
}

void ladders_files(struct ladders *l, const struct pipeline_input *in, size_t n)
{
	l->f = xcalloc(n ? n : 1, sizeof(*l->f));
	l->nf = n;
	for (size_t i = 0; i < n; i++) {
		l->f[i].path = xstrndup(in[i].path, strlen(in[i].path));
		l->f[i].line_records = in[i].profile && in[i].profile->kind == RECORD_LINE;
		l->f[i].stream = in[i].stream;
		l->f[i].once = in[i].src != NULL || !strcmp(in[i].path, "-");
	}
}

void ladders_event(void *ctx, const struct event *ev)
{
	struct ladders *l = ctx;

	/* the message kept last ends where the next record of its file starts */
	if (l->pending) {
		struct ladder_msg *p = &l->pending->m[l->pending->n - 1];
		if (ev->file != p->file)
			l->pending = NULL;
		else if (ev->offset > p->offset) {
			p->end = ev->offset;
			l->pending = NULL;
		}
	}
	uint64_t hash = l->engine_seed && (ev->flags & EV_HASHED) ?
			ev->callid_hash : htab_hash(l->by_id, ev->callid.p, ev->callid.n);
	struct ladder_call *c = lookup(l, ev->callid.p, ev->callid.n, hash);
	if (!c)
		return;
	if (c->n == l->max_msgs) {
		c->dropped++;
		return;
	}
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->m = xrealloc(c->m, c->cap * sizeof(*c->m));
	}
	c->m[c->n++] = (struct ladder_msg){
		.time_us = ev->time_us, .offset = ev->offset, .line = ev->line, .file = ev->file,
		.cseq = ev->cseq, .status = ev->status, .method = ev->method,
		.cseq_method = ev->cseq_method, .auth = ev->auth, .flags = ev->flags,
		.auth_result = ev->auth_result, .src = keep(&l->a, ev->src, l->str_max),
		.ruri = keep(&l->a, ev->ruri, l->str_max), .src_len = ev->src.n,
		.ruri_len = ev->ruri.n,
	};
	if (ev->file < l->nf && l->f[ev->file].once)
		l->once_msgs++;
	l->pending = c;
}

/* ---- the lines back from the inputs */

/* The part of a message in data[0..n) (read from its offset) that is its record: a line
 * record's line; a message's lines up to where the next record starts (already cut), less
 * the blank lines at its end. */
static size_t record_len(const struct ladder_msg *m, const struct ladder_file *f,
			 const char *data, size_t n)
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
		size_t e = nl ? (size_t)(nl - data) : n, len = e - i;
		if (len && data[e - 1] == '\r')
			len--;
		/* the blank line; ngrep -W byline writes a CR as '.' */
		if (!len || (len == 1 && data[i] == '.')) {
			size_t at = nl ? e + 1 : n;
			if (have_len)
				n = at + body < n ? at + body : n;
			else if (!m->end)
				n = at;	/* the file's last record and no length: headers only */
			break;
		}
		const char *h = data + i;
		size_t k = len >= 15 && mem_ieq(h, "content-length:", 15) ? 15 :
			   len >= 2 && (h[0] == 'l' || h[0] == 'L') && h[1] == ':' ? 2 : 0;
		if (k) {
			unsigned long v = 0;
			while (k < len && (h[k] == ' ' || h[k] == '\t'))
				k++;
			while (k < len && h[k] >= '0' && h[k] <= '9' && v < LADDER_RAW_MAX)
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

static void take_raw(struct ladder_msg *m, const struct ladder_file *f, const char *data,
		     size_t n)
{
	n = record_len(m, f, data, n);
	m->raw = xmalloc(n + 1);
	memcpy(m->raw, data, n);
	m->raw_len = n;
}

/* How many bytes from its offset a message may need. */
static size_t want_len(const struct ladders *l, const struct ladder_msg *m)
{
	if (m->end > m->offset && m->end - m->offset < l->raw_max)
		return (size_t)(m->end - m->offset);
	return l->raw_max;
}

/* A plain file: each message by pread() at its offset. */
static void read_plain(struct ladders *l, uint32_t fi)
{
	int fd = open(l->f[fi].path, O_RDONLY | O_CLOEXEC);
	char *b = xmalloc(l->raw_max);

	if (fd < 0) {
		err_errno("'%s': cannot read its lines again", l->f[fi].path);
		free(b);
		return;
	}
	for (size_t c = 0; c < l->ncalls; c++)
		for (size_t i = 0; i < l->calls[c].n; i++) {
			struct ladder_msg *m = &l->calls[c].m[i];
			if (m->file != fi)
				continue;
			ssize_t got = pread(fd, b, want_len(l, m), (off_t)m->offset);
			if (got > 0)
				take_raw(m, &l->f[fi], b, (size_t)got);
		}
	free(b);
	close(fd);
}

static int by_offset(const void *a, const void *b)
{
	const struct ladder_msg *x = *(struct ladder_msg *const *)a;
	const struct ladder_msg *y = *(struct ladder_msg *const *)b;

	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

/* A gzip file: inflated again from its start, up to its last message kept, the messages of
 * every call in offset order. */
static void read_stream(struct ladders *l, uint32_t fi)
{
	struct ladder_msg **ms = NULL;
	size_t nm = 0;

	for (size_t c = 0; c < l->ncalls; c++)
		for (size_t i = 0; i < l->calls[c].n; i++)
			if (l->calls[c].m[i].file == fi) {
				ms = xrealloc(ms, (nm + 1) * sizeof(*ms));
				ms[nm++] = &l->calls[c].m[i];
			}
	qsort(ms, nm, sizeof(*ms), by_offset);

	struct report_file rf = { .path = l->f[fi].path };
	struct source *src = source_open(l->f[fi].path, &rf);
	size_t cap = 4 * (size_t)l->raw_max, len = 0;
	uint64_t base = 0;	/* file offset of b[0] */
	char *b = xmalloc(cap);
	int eof = 0;

	if (!src) {
		free(ms);
		free(b);
		free(rf.error);
		free(rf.note);
		return;
	}
	for (size_t i = 0; i < nm; i++) {
		struct ladder_msg *m = ms[i];
		size_t need = want_len(l, m);
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
			take_raw(m, &l->f[fi], b + (m->offset - base), have < need ? have : need);
		}
	}
	source_close(src);
	free(ms);
	free(b);
	free(rf.error);
	free(rf.note);
}

void ladders_read_back(struct ladders *l)
{
	for (uint32_t fi = 0; fi < l->nf; fi++) {
		int any = 0;
		for (size_t c = 0; c < l->ncalls && !any; c++)
			for (size_t i = 0; i < l->calls[c].n && !any; i++)
				any = l->calls[c].m[i].file == fi;
		if (!any || l->f[fi].once)
			continue;
		if (l->f[fi].stream)
			read_stream(l, fi);
		else
			read_plain(l, fi);
	}
}

/* ---- the cells */

static int str_same(struct str a, struct str b)
{
	return a.n == b.n && (!a.n || !memcmp(a.p, b.p, a.n));
}

static void add_mark(struct buf *b, const char *text)
{
	if (b->len)
		buf_adds(b, ", ");
	buf_adds(b, text);
}

/* What one message did in the call's transactions, as the analysis reads it; w carries what
 * came before. */
static void marks(struct buf *b, struct ladder_walk *w, const struct ladder_msg *m)
{
	enum sip_method cm = m->method ? m->method : m->cseq_method;

	/* the same request or response again: a retransmission (the analysis counts it once) */
	for (unsigned i = 0; i < w->nlast && i < 8; i++)
		if (w->last[i].m == cm && w->last[i].cseq == m->cseq &&
		    w->last[i].status == m->status && w->last[i].auth == m->auth && m->cseq &&
		    str_same(w->last[i].src, m->src)) {
			add_mark(b, "again: retransmission");
			return;
		}
	w->last[w->nlast++ % 8] = (struct ladder_seen){ cm, m->cseq, m->status, m->auth, m->src };
	if (m->flags & EV_TRANSACTION)
		add_mark(b, "accounting record: the request and its final");
	if (m->method) {
		int pa = (m->auth & EV_AUTH_PROXY) != 0, wa = (m->auth & EV_AUTH_WWW) != 0;
		if (pa || wa) {
			int k = pa ? 0 : 1;
			add_mark(b, w->challenged[k] && m->cseq > w->chal_cseq[k] ?
				 (pa ? "retry with Proxy-Authorization" : "retry with Authorization") :
				 (pa ? "with Proxy-Authorization" : "with Authorization"));
		}
	} else if (m->status) {
		if (m->status == 100 && cm == METHOD_INVITE) {
			/* a 100 from another address: the hop after the one that sent the first */
			add_mark(b, w->trying_cseq == m->cseq ? "100 from a further hop" : "100");
			if (!w->trying_cseq)
				w->trying_cseq = m->cseq;
		} else if (m->status == 407 || m->status == 401) {
			int k = m->status == 401;
			w->challenged[k] = 1;
			w->chal_cseq[k] = m->cseq;
			add_mark(b, k ? "challenge (401)" : "challenge (407)");
		} else if (m->status >= 180 && m->status < 200 && cm == METHOD_INVITE) {
			add_mark(b, "ringing");
		} else if (m->status >= 200 && cm == METHOD_INVITE) {
			if (m->cseq && w->trying_cseq == m->cseq && !w->final_seen)
				add_mark(b, "final after the 100");
			else if (!w->final_seen)
				add_mark(b, "final");
			if (m->status < 300)
				add_mark(b, "answered");
			w->final_seen = 1;
		}
	}
	if (m->auth_result) {
		static const char *const res[] = { "", "challenge sent", "credentials accepted",
						   "credentials failed", "unknown account",
						   "denied by ACL" };
		add_mark(b, res[m->auth_result]);
	}
}

/* A string kept, through esc; one that was longer as logged shows its start and its
 * length. */
static void put_kept(struct buf *b, ladder_esc_fn esc, struct str s, size_t len)
{
	esc(b, s.p, s.n);
	if (len > s.n)
		buf_printf(b, " ... (%zu bytes)", len);
}

void ladder_walk_start(struct ladder_walk *w)
{
	*w = (struct ladder_walk){ .prev = TIME_UNKNOWN };
}

const struct ladder_msg *ladder_next(struct ladder_walk *w, const struct ladders *l,
				     const struct ladder_call *c, ladder_esc_fn esc,
				     struct buf cell[LADDER_CELLS])
{
	char t[TIME_LOCAL_MAX];

	if (w->i >= c->n)
		return NULL;
	const struct ladder_msg *m = &c->m[w->i];
	for (int k = 0; k < LADDER_CELLS; k++)
		buf_reset(&cell[k]);
	buf_adds(&cell[LADDER_TIME], m->time_us == TIME_UNKNOWN ? "-" :
				     time_format_local(m->time_us, t));
	if (w->i && m->time_us != TIME_UNKNOWN && w->prev != TIME_UNKNOWN) {
		buf_adds(&cell[LADDER_DELTA], m->time_us >= w->prev ? "+" : "-");
		fmt_dur(&cell[LADDER_DELTA], m->time_us >= w->prev ? m->time_us - w->prev :
								      w->prev - m->time_us);
	} else if (w->i) {
		buf_addc(&cell[LADDER_DELTA], '?');
	}
	if (m->src.n)
		put_kept(&cell[LADDER_FROM], esc, m->src, m->src_len);
	else
		buf_addc(&cell[LADDER_FROM], '-');
	struct buf *b = &cell[LADDER_MESSAGE];
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
			put_kept(b, esc, m->ruri, m->ruri_len);
		}
	} else if (m->status) {
		const struct code_info *ci = knowledge_code(m->status);
		buf_printf(b, "%d", m->status);
		if (ci && ci->reason)
			buf_printf(b, " %s", ci->reason);
	} else {
		buf_adds(b, "(no request or status)");
	}
	if (m->cseq)
		buf_printf(&cell[LADDER_CSEQ], "%lu %s", (unsigned long)m->cseq,
			   m->cseq_method ? sip_method_name(m->cseq_method) : "");
	else
		buf_addc(&cell[LADDER_CSEQ], '-');
	marks(&cell[LADDER_MARKS], w, m);
	const char *path = m->file < l->nf ? l->f[m->file].path : "";
	esc(&cell[LADDER_AT], path, strlen(path));
	buf_printf(&cell[LADDER_AT], ":%llu", (unsigned long long)m->line);
	if (m->time_us != TIME_UNKNOWN)
		w->prev = m->time_us;
	w->i++;
	return m;
}

int ladder_first_line(struct buf *b, const struct ladder_msg *m, ladder_esc_fn esc)
{
	if (!m->raw)
		return 0;
	size_t n = m->raw_len;
	const char *nl = memchr(m->raw, '\n', n);
	if (nl)
		n = (size_t)(nl - m->raw);
	if (n && m->raw[n - 1] == '\r')
		n--;
	esc(b, m->raw, n > LADDER_LINE_MAX ? LADDER_LINE_MAX : n);
	if (n > LADDER_LINE_MAX || n < m->raw_len)
		buf_adds(b, " ...");
	return 1;
}

/* ---- the text form */

static void pad_to(struct buf *b, size_t start, size_t width)
{
	do
		buf_addc(b, ' ');
	while (b->len - start < width);
}

void ladder_text(struct buf *b, const struct ladders *l, const struct ladder_call *c, int raw)
{
	/* the columns: where each cell ends, at least one space after it */
	static const size_t width[] = { [LADDER_TIME] = 32, [LADDER_DELTA] = 10,
					[LADDER_FROM] = 23, [LADDER_MESSAGE] = 42 };
	struct buf cell[LADDER_CELLS] = { {0} };
	struct ladder_walk w;
	const struct ladder_msg *m;

	buf_adds(b, "  time                          delta     from                   message"
		 "                                   CSeq\n");
	ladder_walk_start(&w);
	while ((m = ladder_next(&w, l, c, esc_text, cell))) {
		size_t start = b->len;
		buf_adds(b, "  ");
		for (int k = LADDER_TIME; k <= LADDER_MESSAGE; k++) {
			buf_add(b, cell[k].p, cell[k].len);
			pad_to(b, start, width[k]);
			start = b->len;
		}
		buf_add(b, cell[LADDER_CSEQ].p, cell[LADDER_CSEQ].len);
		if (cell[LADDER_MARKS].len) {
			buf_adds(b, "  [");
			buf_add(b, cell[LADDER_MARKS].p, cell[LADDER_MARKS].len);
			buf_addc(b, ']');
		}
		buf_adds(b, "\n      at ");
		buf_add(b, cell[LADDER_AT].p, cell[LADDER_AT].len);
		if (!raw) {
			if (m->raw) {
				buf_adds(b, "  ");
				ladder_first_line(b, m, esc_text);
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
	}
	for (int k = 0; k < LADDER_CELLS; k++)
		buf_free(&cell[k]);
	if (c->dropped)
		buf_printf(b, "  ... and %zu more messages, not shown (at most %zu)\n", c->dropped,
			   l->max_msgs);
}
