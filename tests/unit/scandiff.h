/*
 * scandiff.h - the differential check between the scanner's two paths: the hand-written
 * matchers of the built-in formats (src/scan_fast.c) and PCRE2 alone (scanner_set_reference).
 *
 * Used by tests/unit/test_scan_diff.c (files and hostile variants) and tests/fuzz/fuzz_diff.c
 * (libFuzzer). Each driver scans the same bytes the way the engine does - a stream fed in
 * pieces (scanner_feed, the caller keeping the unconsumed tail, SCAN_FORCE when a line fills
 * the buffer) or a mapped file cut into blocks at line starts (scanner_scan_block, then
 * scanner_context for the events whose context the block clipped) - and writes every event,
 * field by field, and the statistics as text: one line per event, strings escaped, with the
 * file offset they were taken from. Two runs agree when their texts are equal; sd_compare()
 * prints the first field that differs with both values.
 */
#ifndef SIPLOGSCAN_SCANDIFF_H
#define SIPLOGSCAN_SCANDIFF_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "profile.h"
#include "scan.h"
#include "util.h"

#define SD_SEP '\x1f'	/* between fields; escaped inside values */

struct sd_run {
	struct buf out;		/* the canonical text */
	const char *cur;	/* the buffer the scanner reads now */
	size_t cur_len;
	uint64_t cur_base;	/* its file offset */
	uint64_t n;		/* events so far */
	/* blocks: offsets of the events whose context was clipped, for scanner_context */
	uint64_t *clipped;
	size_t nclipped, capclipped;
};

static void sd_esc(struct buf *b, const char *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c < 0x20 || c >= 0x7f || c == '\\' || c == (unsigned char)SD_SEP) {
			buf_addc(b, '\\');
			buf_addc(b, 'x');
			buf_addc(b, hex[c >> 4]);
			buf_addc(b, hex[c & 15]);
		} else {
			buf_addc(b, (char)c);
		}
	}
}

static void sd_field(struct buf *b, const char *name, const char *fmt, unsigned long long v)
{
	char tmp[64];

	snprintf(tmp, sizeof(tmp), fmt, v);
	buf_addc(b, SD_SEP);
	buf_add(b, name, strlen(name));
	buf_addc(b, '=');
	buf_add(b, tmp, strlen(tmp));
}

/* A string: its text, and where it was taken from (a file offset, or '*' for text the
 * scanner decoded into its own buffer or arena). */
static void sd_str(struct sd_run *r, const char *name, struct str s)
{
	char tmp[32];
	struct buf *b = &r->out;

	buf_addc(b, SD_SEP);
	buf_add(b, name, strlen(name));
	buf_addc(b, '=');
	if (!s.p) {
		buf_add(b, "(null)", 6);
		return;
	}
	if (r->cur && s.p >= r->cur && s.p <= r->cur + r->cur_len)
		snprintf(tmp, sizeof(tmp), "@%llu:",
			 (unsigned long long)(r->cur_base + (uint64_t)(s.p - r->cur)));
	else
		snprintf(tmp, sizeof(tmp), "*:");
	buf_add(b, tmp, strlen(tmp));
	sd_esc(b, s.p, s.n);
}

static void sd_event(struct sd_run *r, const struct event *ev)
{
	struct buf *b = &r->out;

	buf_add(b, "event", 5);
	sd_field(b, "n", "%llu", r->n++);
	sd_field(b, "offset", "%llu", ev->offset);
	sd_field(b, "line", "%llu", ev->line);
	sd_field(b, "file", "%llu", ev->file);
	sd_field(b, "flags", "%#llx", ev->flags);
	sd_field(b, "time_us", "%lld", (unsigned long long)ev->time_us);
	sd_field(b, "method", "%llu", ev->method);
	sd_field(b, "status", "%llu", (unsigned long long)ev->status);
	sd_field(b, "cseq", "%llu", ev->cseq);
	sd_field(b, "cseq_method", "%llu", ev->cseq_method);
	sd_field(b, "auth", "%#llx", ev->auth);
	sd_field(b, "auth_result", "%llu", ev->auth_result);
	sd_str(r, "callid", ev->callid);
	sd_str(r, "ts", ev->ts);
	sd_str(r, "ts_before", ev->ts_before);
	sd_str(r, "src", ev->src);
	sd_str(r, "ua", ev->ua);
	sd_str(r, "ruri", ev->ruri);
	sd_str(r, "from", ev->from);
	sd_str(r, "to", ev->to);
	sd_str(r, "account", ev->account);
	buf_addc(b, '\n');
	if ((ev->flags & EV_CTX_CLIPPED) && !(ev->flags & EV_ONE_LINE)) {
		if (r->nclipped == r->capclipped) {
			r->capclipped = r->capclipped ? 2 * r->capclipped : 16;
			r->clipped = xrealloc(r->clipped, r->capclipped * sizeof(*r->clipped));
		}
		r->clipped[r->nclipped++] = ev->offset;
	}
}

static void sd_emit(void *ctx, const struct event *ev)
{
	sd_event(ctx, ev);
}

static void sd_stats(struct sd_run *r, const struct scanner *s)
{
	const struct scan_stats *st = scanner_stats(s);

	buf_add(&r->out, "stats", 5);
	sd_field(&r->out, "bytes", "%llu", st->bytes);
	sd_field(&r->out, "lines", "%llu", st->lines);
	sd_field(&r->out, "cut_lines", "%llu", st->cut_lines);
	sd_field(&r->out, "match_limited", "%llu", st->match_limited);
	buf_addc(&r->out, '\n');
}

/* A stream in pieces of `piece` bytes (0: all at once), each handed over in a heap buffer of
 * exactly its length (a read past it fails under AddressSanitizer). */
static void sd_stream(const struct profile *p, int reference, const char *data, size_t len,
		      size_t piece, struct sd_run *r)
{
	struct scanner *s = scanner_new(p, sd_emit, r);
	struct buf tail = {0};
	size_t fed = 0;
	uint64_t base = 0;

	scanner_set_reference(s, reference);
	scanner_begin(s, 0);
	for (;;) {
		size_t add = piece && len - fed > piece ? piece : len - fed;
		buf_add(&tail, data + fed, add);
		fed += add;
		enum scan_mode mode = fed == len ? SCAN_EOF : SCAN_MORE;
		char *exact = xmalloc(tail.len ? tail.len : 1);
		memcpy(exact, tail.p ? tail.p : "", tail.len);
		r->cur = exact;
		r->cur_len = tail.len;
		r->cur_base = base;
		size_t used = scanner_feed(s, exact, tail.len, mode);
		if (mode == SCAN_MORE && used == 0 && tail.len >= SCAN_MAX_LINE)
			used = scanner_feed(s, exact, tail.len, SCAN_FORCE);
		free(exact);
		r->cur = NULL;
		if (mode == SCAN_EOF)
			break;
		memmove(tail.p, tail.p + used, tail.len - used);
		tail.len -= used;
		base += used;
	}
	sd_stats(r, s);
	buf_free(&tail);
	scanner_free(s);
}

/* A mapped file in blocks of about bs bytes, cut at line starts, the window being the whole
 * file; then the context of every event the block start clipped, as the merge asks for it. */
static void sd_blocks(const struct profile *p, int reference, const char *data, size_t len,
		      size_t bs, struct sd_run *r)
{
	struct scanner *s = scanner_new(p, sd_emit, r);
	struct arena arena = {0};
	size_t start = 0, prev = 0;

	scanner_set_reference(s, reference);
	scanner_set_arena(s, &arena);
	scanner_begin(s, 0);
	r->cur = data;
	r->cur_len = len;
	r->cur_base = 0;
	do {
		size_t end = len - start > bs ? start + bs : len;
		const char *nl = end < len ? memchr(data + end, '\n', len - end) : NULL;
		end = nl ? (size_t)(nl - data) + 1 : len;
		struct scan_block b;
		r->nclipped = 0;
		scanner_scan_block(s, data, len, 0, start, end, &b);
		buf_add(&r->out, "block", 5);
		sd_field(&r->out, "start", "%llu", start);
		sd_field(&r->out, "end", "%llu", end);
		sd_field(&r->out, "lines", "%llu", b.lines);
		sd_field(&r->out, "resume", "%llu", b.resume);
		sd_field(&r->out, "lines_cut", "%llu", b.lines_cut);
		sd_field(&r->out, "match_limited", "%llu", b.match_limited);
		buf_addc(&r->out, '\n');
		for (size_t i = 0; i < r->nclipped; i++) {
			struct event ev = {0};
			size_t ls = (size_t)r->clipped[i];
			scanner_context(s, data, len, prev, ls, &ev);
			buf_add(&r->out, "context", 7);
			sd_field(&r->out, "offset", "%llu", ls);
			sd_str(r, "ts", ev.ts);
			sd_str(r, "ts_before", ev.ts_before);
			sd_str(r, "src", ev.src);
			buf_addc(&r->out, '\n');
		}
		prev = start;
		start = end;
	} while (start < len);
	sd_stats(r, s);
	r->cur = NULL;
	free(r->clipped);
	r->clipped = NULL;
	r->nclipped = r->capclipped = 0;
	scanner_free(s);
	arena_free(&arena);
}

/* One field, "name=value", shortened for the log. */
static void sd_print_field(FILE *o, const char *tag, const char *f, size_t n)
{
	fprintf(o, "#   %s: %.*s\n", tag, (int)(n > 400 ? 400 : n), f);
}

/*
 * Equal texts: 1. Else print where they first differ - the file, the record line (event,
 * block, context or stats) and, field by field, the first field that differs with both
 * values - and return 0.
 */
static int sd_compare(FILE *o, const char *what, const struct buf *fast, const struct buf *ref)
{
	const char *a = fast->p ? fast->p : "", *b = ref->p ? ref->p : "";
	size_t an = fast->len, bn = ref->len;

	if (an == bn && memcmp(a, b, an) == 0)
		return 1;
	/* the first line that differs */
	size_t la = 0, lb = 0, line = 1;
	for (;;) {
		const char *ea = memchr(a + la, '\n', an - la), *eb = memchr(b + lb, '\n', bn - lb);
		size_t xa = ea ? (size_t)(ea - a) : an, xb = eb ? (size_t)(eb - b) : bn;
		if (xa - la != xb - lb || memcmp(a + la, b + lb, xa - la) != 0) {
			fprintf(o, "# %s: record %zu differs (fast path vs PCRE2):\n", what, line);
			/* field by field */
			size_t fa = la, fb = lb;
			while (fa <= xa && fb <= xb) {
				const char *sa = memchr(a + fa, SD_SEP, xa - fa);
				const char *sb = memchr(b + fb, SD_SEP, xb - fb);
				size_t ga = sa ? (size_t)(sa - a) : xa, gb = sb ? (size_t)(sb - b) : xb;
				if (ga - fa != gb - fb || memcmp(a + fa, b + fb, ga - fa) != 0) {
					sd_print_field(o, "fast ", a + fa, ga - fa);
					sd_print_field(o, "pcre2", b + fb, gb - fb);
					break;
				}
				fa = ga + 1;
				fb = gb + 1;
			}
			if (la == an || lb == bn)
				fprintf(o, "#   one path has %s records\n", la == an ? "fewer" : "more");
			return 0;
		}
		if (!ea || !eb)
			break;
		la = xa + 1;
		lb = xb + 1;
		line++;
	}
	return 0;
}

/* Both paths, one driver: equal? (mode 0: stream, 1: blocks) */
static int sd_check_one(FILE *o, const struct profile *p, const char *name, const char *data,
			size_t len, int mode, size_t size)
{
	struct sd_run f = {0}, r = {0};
	char what[512];
	int ok;

	if (mode == 0) {
		sd_stream(p, 0, data, len, size, &f);
		sd_stream(p, 1, data, len, size, &r);
	} else {
		sd_blocks(p, 0, data, len, size, &f);
		sd_blocks(p, 1, data, len, size, &r);
	}
	if (mode == 0 && size == 0)
		snprintf(what, sizeof(what), "%s, format %s, stream whole", name, p->name);
	else
		snprintf(what, sizeof(what), "%s, format %s, %s %zu bytes", name, p->name,
			 mode == 0 ? "stream in pieces of" : "blocks of", size);
	ok = sd_compare(o, what, &f.out, &r.out);
	buf_free(&f.out);
	buf_free(&r.out);
	return ok;
}

#endif
