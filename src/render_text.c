/*
 * render_text.c - the report model as text for a terminal or an email.
 *
 * No line is wider than the width main.c picks (the terminal's, $COLUMNS, --width, else 80;
 * RENDER_MIN_WIDTH..RENDER_MAX_WIDTH): tables size their columns to their figures and give
 * the key column (an address, a User-Agent) what is left, shortened with "..."; prose is
 * wrapped; an over-long Call-ID is shortened with its length shown (the JSON report has it
 * whole). A last pass, keep_width(), wraps whatever line is still too wide, so that a line
 * added later cannot break the promise. Counts are written with fmt_num() ("1,234,567"),
 * durations with fmt_dur(). Colour only when asked (a terminal). Every string from a log
 * goes through esc_text(): no control character reaches the terminal.
 */
#include "render.h"
#include "scan.h"
#include "escape.h"
#include "figures.h"
#include "timeparse.h"
#include "tz.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SHOWN_ID 80

struct tctx {
	struct buf *b;
	const struct render_opts *o;
	unsigned width;
};

static const char *sgr(const struct tctx *t, const char *code)
{
	return t->o->color ? code : "";
}

/* " (12.5%)" as every format writes a share (fmt_ratio); nothing when d is 0. */
static void pct(struct buf *b, uint64_t n, uint64_t d)
{
	if (!d)
		return;
	buf_adds(b, " (");
	fmt_ratio(b, n, d, RATIO_PEOPLE);
	buf_adds(b, ")");
}

/* Append text wrapped at the width: the first line starts with indent spaces and the label,
 * continuation lines with indent + 2 spaces. */
static void wrap(struct tctx *t, unsigned indent, const char *label, const char *text)
{
	char first[64];

	snprintf(first, sizeof(first), "%*s%s", (int)indent, "", label ? label : "");
	buf_wrap(t->b, first, indent + 2, t->width, text);
}

/* Columns a terminal gives code point u: 2 for East Asian wide and fullwidth forms and most
 * emoji, 0 for combining marks, else 1 (a short wcwidth() that does not depend on the
 * locale; esc_text() has already replaced every control character). */
static size_t cp_cols(uint32_t u)
{
	static const uint32_t wide[][2] = {
		{ 0x1100, 0x115f }, { 0x2e80, 0x303e }, { 0x3041, 0x33ff }, { 0x3400, 0x4dbf },
		{ 0x4e00, 0x9fff }, { 0xa000, 0xa4cf }, { 0xac00, 0xd7a3 }, { 0xf900, 0xfaff },
		{ 0xfe30, 0xfe4f }, { 0xff00, 0xff60 }, { 0xffe0, 0xffe6 }, { 0x1f300, 0x1f64f },
		{ 0x1f900, 0x1f9ff }, { 0x20000, 0x3fffd },
	};
	static const uint32_t zero[][2] = {
		{ 0x0300, 0x036f }, { 0x0483, 0x0489 }, { 0x0591, 0x05bd }, { 0x0610, 0x061a },
		{ 0x064b, 0x065f }, { 0x200b, 0x200d }, { 0x20d0, 0x20ff }, { 0xfe00, 0xfe0f },
		{ 0xfe20, 0xfe2f },
	};

	for (size_t i = 0; i < sizeof(wide) / sizeof(wide[0]); i++)
		if (u >= wide[i][0] && u <= wide[i][1])
			return 2;
	for (size_t i = 0; i < sizeof(zero) / sizeof(zero[0]); i++)
		if (u >= zero[i][0] && u <= zero[i][1])
			return 0;
	return 1;
}

/* Columns of s[0..n), valid UTF-8 as esc_text() writes it: what a terminal shows. */
static size_t cols_of(const char *s, size_t n)
{
	size_t c = 0;

	for (size_t i = 0; i < n;) {
		unsigned char x = (unsigned char)s[i];
		size_t k = x < 0x80 ? 1 : x < 0xe0 ? 2 : x < 0xf0 ? 3 : 4;
		uint32_t u = k == 1 ? x : x & (0x7f >> k);
		if (i + k > n)
			k = n - i;
		for (size_t j = 1; j < k; j++)
			u = u << 6 | ((unsigned char)s[i + j] & 0x3f);
		c += k == 1 ? 1 : cp_cols(u);
		i += k;
	}
	return c;
}

/* Length of the unit of escaped text at e[0..n) that must not be cut: an escape ("\\",
 * "\e", "\xff", "\u{202E}") or one UTF-8 character. */
static size_t unit_len(const char *e, size_t n)
{
	size_t k = 1;

	if (e[0] == '\\' && n > 1) {
		const char *c = e[1] == 'u' ? memchr(e, '}', n) : NULL;
		k = e[1] == 'x' ? 4 : c ? (size_t)(c - e) + 1 : 2;
	} else {
		while (k < n && ((unsigned char)e[k] & 0xc0) == 0x80)
			k++;
	}
	return k < n ? k : n;
}

/* Escaped text e[0..n) cut to at most cols columns, at a unit boundary; returns bytes kept. */
static size_t cut_cols(const char *e, size_t n, size_t cols)
{
	size_t i = 0, used = 0;

	while (i < n) {
		size_t k = unit_len(e + i, n - i), c = cols_of(e + i, k);
		if (used + c > cols)
			break;
		used += c;
		i += k;
	}
	return i;
}

/* A log-controlled string, escaped, in at most cols columns (escapes make a byte up to four
 * columns wide): when longer, its first part and "... (N bytes)", N its length in the log. */
static void fit(struct buf *b, const char *s, size_t n, size_t cols)
{
	struct buf e = {0};

	esc_text(&e, s, n);
	if (cols_of(e.p, e.len) <= cols) {
		buf_add(b, e.p, e.len);
	} else {
		char tail[40];
		int tn = snprintf(tail, sizeof(tail), "... (%zu bytes)", n);
		buf_add(b, e.p, cut_cols(e.p, e.len, cols > (size_t)tn ? cols - (size_t)tn : 0));
		buf_adds(b, tail);
	}
	buf_free(&e);
}

/* A file path in at most cols columns: when it is longer, its end (the file name) is kept
 * and the start is shown as "...". */
static void fit_path(struct buf *b, const char *s, size_t n, size_t cols)
{
	struct buf e = {0};

	esc_text(&e, s, n);
	size_t c = cols_of(e.p, e.len);
	if (c <= cols || cols < 8) {
		buf_add(b, e.p, e.len);
	} else {
		/* skip whole units (a character or an escape) until the rest fits after "..." */
		size_t i = 0;
		while (c > cols - 3 && i < e.len) {
			size_t k = unit_len(e.p + i, e.len - i);
			c -= cols_of(e.p + i, k);
			i += k;
		}
		buf_adds(b, "...");
		buf_add(b, e.p + i, e.len - i);
	}
	buf_free(&e);
}

/* A log-controlled table key, escaped, in exactly cols columns: padded with blanks, or cut at
 * a unit boundary and ended with "..." when longer (the JSON report has it whole). */
static void fit_cell(struct buf *b, const char *s, size_t n, size_t cols)
{
	struct buf e = {0};

	esc_text(&e, s, n);
	size_t c = cols_of(e.p, e.len);
	if (c > cols) {
		size_t keep = cut_cols(e.p, e.len, cols > 3 ? cols - 3 : 0);
		buf_add(b, e.p, keep);
		buf_adds(b, "...");
		c = cols_of(e.p, keep) + 3;
	} else {
		buf_add(b, e.p, e.len);
	}
	for (; c < cols; c++)
		buf_addc(b, ' ');
	buf_free(&e);
}

/* Columns of a log-controlled string once escaped. */
static size_t esc_cols(const char *s, size_t n)
{
	struct buf e = {0};

	esc_text(&e, s, n);
	size_t c = cols_of(e.p, e.len);
	buf_free(&e);
	return c;
}

/* Columns of a count as fmt_num() writes it. */
static size_t num_cols(uint64_t v)
{
	size_t d = 1;

	for (; v >= 10; v /= 10)
		d++;
	return d + (d - 1) / 3;
}

/* A count right-aligned in cols columns, after one blank. */
static void num_cell(struct buf *b, uint64_t v, size_t cols)
{
	for (size_t c = num_cols(v); c < cols; c++)
		buf_addc(b, ' ');
	buf_addc(b, ' ');
	fmt_num(b, v);
}

/* Widen each of n numeric columns to its widest figure: w[k] starts as its heading's width,
 * v holds the figures row by row (n per row). Returns the columns they take, blanks before
 * each included. */
static size_t num_widths(size_t *w, size_t n, const uint64_t *v, size_t rows)
{
	size_t sum = 0;

	for (size_t i = 0; i < rows; i++)
		for (size_t k = 0; k < n; k++)
			if (num_cols(v[i * n + k]) > w[k])
				w[k] = num_cols(v[i * n + k]);
	for (size_t k = 0; k < n; k++)
		sum += 1 + w[k];
	return sum;
}

/* Columns written since byte start of the current line. */
static size_t col_since(const struct buf *b, size_t start)
{
	return cols_of(b->p + start, b->len - start);
}

/* A log-controlled message (up to max bytes of it) wrapped at the width: every line starts
 * with indent spaces; a word longer than a line is split. */
static void wrap_log(struct tctx *t, unsigned indent, const char *s, size_t n, size_t max)
{
	struct buf e = {0};
	struct buf *b = t->b;
	size_t col = indent, i = 0;
	int fresh = 1;

	if (n > max) {
		size_t cut = max;
		while (cut > 0 && ((unsigned char)s[cut] & 0xc0) == 0x80)
			cut--;	/* not inside a UTF-8 sequence */
		esc_text(&e, s, cut);
		buf_printf(&e, "... (%zu bytes)", n);
	} else {
		esc_text(&e, s, n);
	}
	buf_printf(b, "%*s", (int)indent, "");
	while (i < e.len) {
		if (e.p[i] == ' ') {
			i++;
			continue;
		}
		size_t w = i;
		while (w < e.len && e.p[w] != ' ')
			w++;
		if (!fresh && col + 1 + cols_of(e.p + i, w - i) > t->width) {
			buf_printf(b, "\n%*s", (int)indent, "");
			col = indent;
		} else if (!fresh) {
			buf_addc(b, ' ');
			col++;
		}
		while (i < w) {
			size_t k = unit_len(e.p + i, w - i), c = cols_of(e.p + i, k);
			if (col > indent && col + c > t->width) {
				buf_printf(b, "\n%*s", (int)indent, "");
				col = indent;
			}
			buf_add(b, e.p + i, k);
			col += c;
			i += k;
		}
		fresh = 0;
	}
	buf_addc(b, '\n');
	buf_free(&e);
}

/* "     examples: kamailio.log.1:1234  CALL-ID", the path and Call-ID shortened to fit */
static void example_line(struct tctx *t, const struct report *r, const struct example *e, int first)
{
	struct buf *b = t->b;
	size_t start = b->len;

	buf_adds(b, first ? "     examples: " : "               ");
	if (e->file < r->nfiles) {
		/* the path gets what the Call-ID leaves, and at least half the line: a long
		 * Call-ID is shortened rather than the file name */
		const char *path = r->files[e->file].path;
		char line[32];
		struct buf id = {0};
		int ln = snprintf(line, sizeof(line), ":%" PRIu64 "  ", e->line);
		esc_text(&id, e->call_id, e->call_id_len);
		size_t need = 15 + (size_t)ln + col_since(&id, 0);
		buf_free(&id);
		size_t half = (t->width - 15) / 2;
		fit_path(b, path, strlen(path), t->width > need + half ? t->width - need : half);
		buf_adds(b, line);
	}
	size_t used = col_since(b, start);
	fit(b, e->call_id, e->call_id_len, t->width > used + 24 ? t->width - used : 24);
	buf_addc(b, '\n');
}

/* "     Calls: siplogscan calls --problem ID FILE...", words carried over to lines of their
 * own with the shell's " \" where the width ends (the command is copied as it is, never cut) */
static void calls_command(struct tctx *t, const struct report *r, enum pattern_id pid)
{
	struct buf w[CALLS_COMMAND_WORDS] = { {0} };
	size_t n = calls_command_words(r, pid, w), col = 12;
	struct buf *b = t->b;

	buf_adds(b, "     Calls:");
	for (size_t i = 0; i < n; i++) {
		if (i && col + 1 + w[i].len + 2 > t->width) {
			buf_adds(b, " \\\n            ");
			col = 12;
		} else {
			buf_addc(b, ' ');
			col++;
		}
		buf_add(b, w[i].p, w[i].len);	/* plain ASCII (calls_command_words()) */
		col += w[i].len;
	}
	buf_addc(b, '\n');
	for (size_t i = 0; i < CALLS_COMMAND_WORDS; i++)
		buf_free(&w[i]);
}

static void heading(struct tctx *t, const char *title)
{
	buf_printf(t->b, "\n%s%s%s\n", sgr(t, "\033[1m"), title, sgr(t, "\033[0m"));
}

static void code_name(struct buf *b, int code)
{
	const struct code_info *ci = knowledge_code(code);

	buf_printf(b, "%d %s", code, ci ? ci->reason : "(unregistered)");
}

static void section_input(struct tctx *t, const struct report *r)
{
	struct buf *b = t->b;
	uint64_t bytes = 0, lines = 0, recs = 0;
	size_t bad = 0, dup = 0, none = 0;
	char t1[TIME_LOCAL_MAX], t2[TIME_LOCAL_MAX];

	for (size_t i = 0; i < r->nfiles; i++) {
		bytes += r->files[i].bytes;
		lines += r->files[i].lines;
		recs += r->files[i].records;
		bad += r->files[i].status == FILE_ERROR;
		dup += r->files[i].status == FILE_DUPLICATE;
		none += r->files[i].status == FILE_UNRECOGNISED;
	}
	heading(t, "Input");
	buf_adds(b, "  ");
	fmt_num(b, r->nfiles);
	buf_printf(b, " file%s, ", r->nfiles == 1 ? "" : "s");
	fmt_bytes(b, bytes);
	buf_adds(b, ", ");
	fmt_num(b, lines);
	buf_adds(b, " lines, ");
	fmt_num(b, recs);
	buf_printf(b, " %s", records_noun(r, -1, 0));
	/* counts of files, in the thousands style of every count */
	if (bad) {
		buf_printf(b, ", %s", sgr(t, "\033[31m"));
		fmt_num(b, bad);
		buf_printf(b, " unreadable or damaged%s", sgr(t, "\033[0m"));
	}
	if (none) {
		buf_printf(b, ", %s", sgr(t, "\033[31m"));
		fmt_num(b, none);
		buf_printf(b, " with no SIP record recognised%s", sgr(t, "\033[0m"));
	}
	if (dup) {
		buf_adds(b, ", ");
		fmt_num(b, dup);
		buf_adds(b, " named twice (scanned once)");
	}
	buf_adds(b, "\n");
	if (r->have_times) {
		buf_printf(b, "  from %s to %s (", time_format_local(r->first_time, t1),
			   time_format_local(r->last_time, t2));
		fmt_dur(b, r->last_time - r->first_time);
		buf_adds(b, ")\n");
		if (!tz_is_utc()) {
			/* the zone's name: an offset alone does not say which rules apply */
			buf_adds(b, "  times shown in ");
			fit(b, tz_name(), strlen(tz_name()), 60);
			buf_adds(b, ", the zone of stamps without an offset (--tz)\n");
		}
	} else if ((r->since != TIME_UNKNOWN || r->until != TIME_UNKNOWN) && !r->records &&
		   r->outside) {
		buf_adds(b, "  nothing in the window: every record lies outside it\n");
	} else {
		buf_adds(b, "  the log has no timestamps: delays are unknown, idle calls are never "
			 "settled early\n");
	}
	if (r->since != TIME_UNKNOWN || r->until != TIME_UNKNOWN) {
		/* a call counts whole in the window it started in (analysis.c before_window()) */
		buf_printf(b, "  calls that started from %s", r->since != TIME_UNKNOWN ?
			   time_format_local(r->since, t1) : "the start");
		buf_printf(b, " until %s (--since/--until)\n    ", r->until != TIME_UNKNOWN ?
			   time_format_local(r->until, t2) : "the end");
		fmt_num(b, r->outside);
		buf_printf(b, " %s left out, ", records_noun(r, -1, 0));
		fmt_num(b, r->followed_past_until);
		buf_printf(b, " call%s followed past its end\n",
			   r->followed_past_until == 1 ? "" : "s");
	}
	for (size_t i = 0; i < r->nfiles; i++) {
		const struct report_file *f = &r->files[i];
		struct buf path = {0}, rest = {0};
		static const char *const label[] = { [FILE_OK] = "ok", [FILE_ERROR] = "ERROR",
						     [FILE_DUPLICATE] = "SAME", [FILE_UNRECOGNISED] = "NOSIP" };
		int red = f->status == FILE_ERROR || f->status == FILE_UNRECOGNISED;
		buf_printf(b, "  %s%-5s%s ", red ? sgr(t, "\033[31m") : "", label[f->status],
			   red ? sgr(t, "\033[0m") : "");
		fit(&path, f->path, strlen(f->path), t->width > 48 ? t->width - 8 : 40);
		if (f->format)
			buf_printf(&rest, "%s%s  ", f->format, f->format_auto ? " (detected)" : "");
		fmt_bytes(&rest, f->bytes);
		buf_adds(&rest, "  ");
		fmt_num(&rest, f->records);
		buf_printf(&rest, " %s", records_noun(r, (int)i, 1));
		buf_add(b, path.p, path.len);
		/* a long path keeps its line; the figures go on the next */
		if (8 + col_since(&path, 0) + 2 + col_since(&rest, 0) > t->width)
			buf_adds(b, "\n      ");
		buf_adds(b, "  ");
		buf_add(b, rest.p, rest.len);
		buf_addc(b, '\n');
		buf_free(&path);
		buf_free(&rest);
		if (f->status == FILE_ERROR && f->error)
			wrap_log(t, 8, f->error, strlen(f->error), 400);
		if (f->note)	/* as long as in the HTML report: a note may say what to do */
			wrap_log(t, 8, f->note, strlen(f->note), 800);
		if (f->lines_cut || f->match_limited) {
			struct buf m = {0};
			if (f->lines_cut) {
				fmt_num(&m, f->lines_cut);
				buf_printf(&m, " line%s over %u MiB not read (cut for length)",
					   f->lines_cut == 1 ? "" : "s", SCAN_MAX_LINE >> 20);
			}
			if (f->match_limited) {
				buf_adds(&m, m.len ? "; " : "");
				fmt_num(&m, f->match_limited);
				buf_printf(&m, " record%s stopped by a pattern-matching limit",
					   f->match_limited == 1 ? "" : "s");
			}
			wrap_log(t, 8, m.p, m.len, 400);
			buf_free(&m);
		}
	}
}

/*
 * --history: the headline figures of the nights kept, a row a night, oldest first; the
 * columns as wide as their widest value. A terminal too narrow for them all keeps the nights
 * and as many figures as fit.
 */
static void section_history(struct tctx *t, const struct report *r)
{
	const struct report_history *hi = r->history;
	struct buf *b = t->b;
	size_t w[REPORT_TREND_FIGS];

	if (!hi)
		return;
	heading(t, "Trend (--history)");
	buf_printf(b, "  night of %s; %zu night%s kept (--keep %u), oldest first\n", hi->night,
		   hi->ntrend, hi->ntrend == 1 ? "" : "s", hi->keep);
	size_t used = 2 + 10, shown = 0;
	for (int k = 0; k < REPORT_TREND_FIGS; k++) {
		w[k] = strlen(report_trend_names[k]);
		for (size_t i = 0; i < hi->ntrend; i++) {
			struct buf v = {0};
			fmt_trend_value(&v, &hi->trend[i].v[k], k, RATIO_PEOPLE, "unknown");
			w[k] = v.len > w[k] ? v.len : w[k];
			buf_free(&v);
		}
		if (used + 2 + w[k] > t->width)
			break;
		used += 2 + w[k];
		shown++;
	}
	buf_printf(b, "  %-10s", "night");
	for (size_t k = 0; k < shown; k++)
		buf_printf(b, "  %*s", (int)w[k], report_trend_names[k]);
	buf_adds(b, "\n");
	for (size_t i = 0; i < hi->ntrend; i++) {
		buf_printf(b, "  %-10s", hi->trend[i].night);
		for (size_t k = 0; k < shown; k++) {
			struct buf v = {0};
			fmt_trend_value(&v, &hi->trend[i].v[k], (int)k, RATIO_PEOPLE, "unknown");
			buf_printf(b, "  %*s", (int)w[k], buf_cstr(&v));
			buf_free(&v);
		}
		buf_adds(b, "\n");
	}
}

static void section_baseline(struct tctx *t, const struct report *r)
{
	const struct baseline *bl = r->baseline;
	struct buf *b = t->b;

	if (!bl)
		return;
	heading(t, "Change since the baseline (--baseline)");
	buf_adds(b, "  baseline  ");
	fit_path(b, bl->path, strlen(bl->path), t->width > 40 ? t->width - 40 : 40);
	if (bl->status != BASELINE_OK) {
		buf_adds(b, "\n");
		wrap(t, 12, "", bl->error);
		return;
	}
	if (bl->first_time && bl->last_time) {
		buf_adds(b, ", ");
		fit(b, bl->first_time, strlen(bl->first_time), 32);
		buf_adds(b, " to ");
		fit(b, bl->last_time, strlen(bl->last_time), 32);
	}
	/* the label gets what the figures and a change ("+1,234 (+12.5%)  better") leave */
	size_t lw = 0, pw = strlen("baseline"), cw = strlen("now");
	for (size_t i = 0; i < bl->nfig; i++) {
		const struct baseline_figure *g = &bl->fig[i];
		struct buf prev = {0}, cur = {0};
		fmt_figure(&prev, g->unit, g->have_prev, g->prev);
		fmt_figure(&cur, g->unit, g->have_cur, g->cur);
		lw = strlen(g->label) > lw ? strlen(g->label) : lw;
		pw = prev.len > pw ? prev.len : pw;
		cw = cur.len > cw ? cur.len : cw;
		buf_free(&prev);
		buf_free(&cur);
	}
	size_t fixed = 2 + 1 + pw + 1 + cw + 3 + 24;
	if (lw + fixed > t->width)
		lw = t->width > fixed + 16 ? t->width - fixed : 16;
	buf_printf(b, "\n  %-*s %*s %*s   %s\n", (int)lw, "", (int)pw, "baseline", (int)cw, "now",
		   "change");
	for (size_t i = 0; i < bl->nfig; i++) {
		const struct baseline_figure *g = &bl->fig[i];
		struct buf prev = {0}, cur = {0};
		fmt_figure(&prev, g->unit, g->have_prev, g->prev);
		fmt_figure(&cur, g->unit, g->have_cur, g->cur);
		buf_adds(b, "  ");
		fit_cell(b, g->label, strlen(g->label), lw);	/* our words: escaping is a no-op */
		buf_printf(b, " %*s %*s   ", (int)pw, buf_cstr(&prev), (int)cw, buf_cstr(&cur));
		fmt_change(b, g);
		if (g->trend == TREND_BETTER)
			buf_printf(b, "  %sbetter%s", sgr(t, "\033[32m"), sgr(t, "\033[0m"));
		else if (g->trend == TREND_WORSE)
			buf_printf(b, "  %sworse%s", sgr(t, "\033[1;31m"), sgr(t, "\033[0m"));
		/* no trailing blanks in a mailed report */
		while (b->len && b->p[b->len - 1] == ' ')
			b->len--;
		buf_addc(b, '\n');
		buf_free(&prev);
		buf_free(&cur);
	}
}

static void section_totals(struct tctx *t, const struct report *r)
{
	struct buf *b = t->b;
	int any = 0;

	heading(t, "Totals");
	buf_adds(b, "  requests   ");
	size_t col = 13;
	for (int m = METHOD_INVITE; m < METHOD_COUNT; m++) {
		if (!r->requests[m])
			continue;
		struct buf item = {0};
		buf_printf(&item, "%s ", sip_method_name(m));
		fmt_num(&item, r->requests[m]);
		if (col + item.len + 3 > t->width) {
			buf_adds(b, "\n             ");
			col = 13;
		} else if (any) {
			buf_adds(b, "   ");
			col += 3;
		}
		buf_add(b, item.p, item.len);
		col += item.len;
		buf_free(&item);
		any = 1;
	}
	buf_adds(b, any ? "\n" : "none\n");
	buf_adds(b, "  responses");
	any = 0;
	for (int c = 100; c < REPORT_CODES; c++) {
		if (!r->responses[c])
			continue;
		struct buf item = {0};
		code_name(&item, c);
		buf_printf(b, "%s%-40s", any ? "             " : "  ", item.p ? buf_cstr(&item) : "");
		fmt_num(b, r->responses[c]);
		buf_adds(b, "\n");
		buf_free(&item);
		any = 1;
	}
	if (!any)
		buf_adds(b, "  none\n");
	buf_adds(b, "  calls      ");
	if (r->not_in_log & GIVES_FINALS) {
		buf_adds(b, "not in this log (its format shows authentications, not calls)\n");
		return;
	}
	fmt_num(b, r->calls_total);
	buf_adds(b, " (INVITE dialogs)\n  other      ");
	fmt_num(b, r->calls_register);
	buf_adds(b, " registrations, ");
	fmt_num(b, r->calls_options);
	buf_adds(b, " OPTIONS pings, ");
	fmt_num(b, r->calls_other);
	buf_adds(b, " other transactions\n  Call-IDs   ");
	fmt_num(b, r->callids_total);
	buf_adds(b, " of every kind, ");
	fmt_num(b, r->calls_peak);
	buf_adds(b, " in flight at most\n");
}

/* "  label                 1,234  what (65,536 kept)": one bound that was reached. The count
 * column is as wide as its widest count; what is wrapped when the width is short. */
static void section_limits(struct tctx *t, const struct report *r)
{
	struct limit_row rows[LIMIT_ROWS];
	size_t n = report_limit_rows(r, rows), nw = 0;

	if (!n)
		return;
	for (size_t i = 0; i < n; i++)
		nw = num_cols(rows[i].n) > nw ? num_cols(rows[i].n) : nw;
	heading(t, "Limits (bounded memory: what the figures below leave out)");
	for (size_t i = 0; i < n; i++) {
		buf_printf(t->b, "  %-20s", rows[i].label);
		num_cell(t->b, rows[i].n, nw);
		buf_printf(t->b, "  %s (%s", rows[i].what, rows[i].before);
		fmt_num(t->b, rows[i].bound);
		buf_printf(t->b, "%s)\n", rows[i].after);
	}
}

static void delays_line(struct tctx *t, const struct report *r, const char *label,
			const struct delays *d)
{
	struct buf *b = t->b;

	buf_printf(b, "  %s", label);
	if (!d->known) {
		buf_adds(b, r->have_times ? "unknown (none measured)\n" :
			 "unknown (the log has no timestamps)\n");
		return;
	}
	size_t start = b->len;
	buf_adds(b, "p50 ");
	fmt_dur(b, d->p50);
	buf_adds(b, ", p90 ");
	fmt_dur(b, d->p90);
	buf_adds(b, ", p99 ");
	fmt_dur(b, d->p99);
	buf_adds(b, ", max ");
	fmt_dur(b, d->max);
	buf_adds(b, " (");
	fmt_num(b, d->n);
	buf_adds(b, " measured)\n");
	if (2 + strlen(label) + col_since(b, start) - 1 > t->width) {
		/* minutes make the figures long: move them to a line of their own */
		struct buf fig = {0};
		buf_add(&fig, b->p + start, b->len - start);
		b->len = start - 1;	/* without the space after the label */
		buf_adds(b, "\n    ");
		buf_add(b, fig.p, fig.len);
		buf_free(&fig);
	}
	if (!r->subsecond_times)
		buf_adds(b, "    the log's timestamps have whole seconds: each delay is +- 1 s\n");
}

/* A figure the formats of the log cannot give: say so instead of showing 0. */
static int not_given(struct tctx *t, const struct report *r, unsigned what, const char *why)
{
	if (!(r->not_in_log & what))
		return 0;
	buf_printf(t->b, "  not in this log: %s\n", why);
	return 1;
}

static void section_trying(struct tctx *t, const struct report *r)
{
	struct buf *b = t->b;

	heading(t, "100 Trying -> final response (INVITE)");
	if (not_given(t, r, GIVES_PROVISIONAL, "its format shows no 100 Trying"))
		return;
	if (!r->trying) {
		buf_adds(b, "  no INVITE received 100 Trying\n");
		return;
	}
	buf_adds(b, "  ");
	fmt_num(b, r->trying);
	buf_adds(b, " calls got 100 Trying: ");
	fmt_num(b, r->trying - r->stuck);
	buf_adds(b, " reached a final response, ");
	fmt_num(b, r->stuck);
	buf_adds(b, " stuck");
	pct(b, r->stuck, r->trying);
	buf_adds(b, "\n");
	for (int c = 200; c < REPORT_CODES; c++) {
		if (!r->by_final[c])
			continue;
		struct buf item = {0};
		code_name(&item, c);
		buf_printf(b, "    %-40s", buf_cstr(&item));
		fmt_num(b, r->by_final[c]);
		buf_adds(b, "\n");
		buf_free(&item);
	}
	delays_line(t, r, "100 -> final: ", &r->trying_delay);
}

/* Post-dial delay and ring time: what slow-setup looks at, and what it leaves out. */
static void section_setup(struct tctx *t, const struct report *r)
{
	heading(t, "Call setup (INVITE): post-dial delay and ring time");
	if (not_given(t, r, GIVES_REQUESTS | GIVES_PROVISIONAL,
		      "its format shows no INVITE as it came, or no 18x"))
		return;
	if (!r->calls_total) {
		buf_adds(t->b, "  no INVITE calls\n");
		return;
	}
	delays_line(t, r, "PDD (INVITE -> 18x, else final): ", &r->pdd);
	delays_line(t, r, "ring time (18x -> final): ", &r->ring_time);
	struct buf s = {0};
	fmt_slow_by_outcome(&s, r);
	buf_wrap(t->b, "  ", 4, t->width, buf_cstr(&s));
	buf_reset(&s);
	if (fmt_slow_by_hop(&s, r, esc_text))
		buf_wrap(t->b, "  ", 4, t->width, buf_cstr(&s));
	buf_free(&s);
}

static void section_auth(struct tctx *t, const struct report *r, const char *title,
			 const struct auth_report *a, const char *none)
{
	struct buf *b = t->b;

	heading(t, title);
	if (not_given(t, r, GIVES_CHALLENGES, "its format shows no challenges or retries"))
		return;
	if (!a->challenged) {
		buf_printf(b, "  %s\n", none);
		return;
	}
	buf_adds(b, "  ");
	fmt_num(b, a->challenged);
	buf_adds(b, " calls challenged: ");
	fmt_num(b, a->retried);
	buf_adds(b, " retried, ");
	fmt_num(b, a->not_retried);
	buf_adds(b, " never retried");
	pct(b, a->not_retried, a->challenged);
	buf_adds(b, "\n");
	if (a->retried) {
		buf_adds(b, "  last retry: ");
		fmt_num(b, a->accepted);
		buf_adds(b, " accepted, ");
		fmt_num(b, a->rechallenged);
		buf_adds(b, " challenged again (credentials rejected)");
		pct(b, a->rechallenged, a->retried);
		buf_adds(b, "\n");
	}
	if (a->retried)
		delays_line(t, r, "challenge -> retry: ", &a->retry_delay);
}

/* The KPI ratios of the table of figures, in its order: "SER 99.2%   SEER ..." ("-": nothing
 * to divide by), on as many lines as the width needs (a ratio near 0 or 1 may be long). */
static void kpi_items(struct tctx *t, const struct report *r)
{
	struct buf *b = t->b, item = {0};
	size_t col = 2;

	buf_adds(b, "  ");
	for (size_t i = 0; i < nfigures; i++) {
		const struct figure *f = &figures[i];
		struct figure_value v;
		if (!(f->show & FIG_KPI))
			continue;
		figure_value(f, r, &v);
		buf_reset(&item);
		buf_printf(&item, "%s ", f->abbr);
		if (v.den)
			fmt_ratio(&item, v.num, v.den, RATIO_PEOPLE);
		else
			buf_adds(&item, "-");
		if (col > 2 && col + 3 + item.len > t->width) {
			buf_adds(b, "\n  ");
			col = 2;
		} else if (col > 2) {
			buf_adds(b, "   ");
			col += 3;
		}
		buf_add(b, item.p, item.len);
		col += item.len;
	}
	buf_adds(b, "\n");
	buf_free(&item);
}

static void section_kpis(struct tctx *t, const struct report *r)
{
	struct buf *b = t->b;
	const struct kpis *k = &r->kpi;

	heading(t, "Telephony KPIs (RFC 6076, ITU-T E.411; definitions in docs/metrics.md)");
	if (not_given(t, r, GIVES_FINALS, "its format shows no call outcomes"))
		return;
	if (!k->invite_attempts && !k->register_attempts) {
		buf_adds(b, "  no INVITE or REGISTER attempts\n");
		return;
	}
	buf_adds(b, "  ");
	fmt_num(b, k->invite_attempts);
	buf_adds(b, " INVITE attempts (a challenged INVITE and its retry count once), ");
	fmt_num(b, k->register_attempts);
	buf_adds(b, " REGISTER\n");
	kpi_items(t, r);
	if (not_given(t, r, GIVES_REQUESTS, "SRD, RRD, ACD, attempts without a final (its format "
		      "shows no request as it came)"))
		return;
	if (k->invite_attempts)
		delays_line(t, r, "SRD (INVITE -> first answer): ", &k->srd);
	if (k->register_attempts)
		delays_line(t, r, "RRD (REGISTER -> final): ", &k->rrd);
	if (k->duration.n) {
		buf_adds(b, "  ACD ");
		fmt_dur(b, k->acd_us);
		buf_adds(b, " over ");
		fmt_num(b, k->duration.n);
		buf_adds(b, k->duration.n == 1 ? " completed session (answer -> BYE)\n" :
			 " completed sessions (answer -> BYE)\n");
	}
}

static void auth_rows(struct tctx *t, const char *what, const struct auth_table *at)
{
	static const char *const head[] = { "challenge", "accepted", "failed", "unknown", "denied" };
	static const int res[] = { AUTH_RES_CHALLENGE, AUTH_RES_OK, AUTH_RES_FAILED,
				   AUTH_RES_UNKNOWN, AUTH_RES_DENIED };
	enum { NC = 5 };
	struct buf *b = t->b;
	size_t w[NC], keyw = strlen(what);

	if (!at->n)
		return;
	uint64_t *v = xcalloc(at->n * NC, sizeof(*v));
	for (size_t i = 0; i < at->n; i++) {
		size_t c = esc_cols(at->rows[i].key, at->rows[i].key_len) +
			   (at->rows[i].scanner ? 10 : 0);
		keyw = c > keyw ? c : keyw;
		for (int k = 0; k < NC; k++)
			v[i * NC + k] = at->rows[i].n[res[k]];
	}
	for (int k = 0; k < NC; k++)
		w[k] = strlen(head[k]);
	size_t fixed = num_widths(w, NC, v, at->n);
	/* the key gets what the figures leave, at least 20 columns (" (scanner)" and 10) */
	size_t room = t->width > 2 + fixed + 20 ? t->width - 2 - fixed : 20;
	keyw = keyw < room ? keyw : room;
	buf_printf(b, "  %-*s", (int)keyw, what);
	for (int k = 0; k < NC; k++)
		buf_printf(b, " %*s", (int)w[k], head[k]);
	buf_addc(b, '\n');
	for (size_t i = 0; i < at->n; i++) {
		const struct auth_row *x = &at->rows[i];
		buf_adds(b, "  ");
		if (x->scanner) {
			fit_cell(b, x->key, x->key_len, esc_cols(x->key, x->key_len) < keyw - 10 ?
				 esc_cols(x->key, x->key_len) : keyw - 10);
			buf_adds(b, " (scanner)");
			for (size_t c = esc_cols(x->key, x->key_len) + 10; c < keyw; c++)
				buf_addc(b, ' ');
		} else {
			fit_cell(b, x->key, x->key_len, keyw);
		}
		for (int k = 0; k < NC; k++)
			num_cell(b, v[i * NC + k], w[k]);
		buf_addc(b, '\n');
	}
	free(v);
	if (at->keys > at->n) {
		buf_adds(b, "  ... ");
		fmt_num(b, at->keys - at->n);
		buf_adds(b, " more (--top, or the JSON report)\n");
	}
}

/* Authentication records (Asterisk security log, auth notices): only for such logs. */
static void section_auth_results(struct tctx *t, const struct report *r)
{
	struct buf *b = t->b;
	const struct auth_results *a = &r->auth;

	if (!r->auth_log)
		return;
	heading(t, "Authentication results (security log; most failures first)");
	buf_adds(b, "  ");
	fmt_auth_counts(b, a);
	buf_adds(b, "\n  ");
	fmt_num(b, a->scanners);
	buf_printf(b, " source%s with %u or more failures (likely scanners: see Problems, "
		   "auth-break-in and auth-guessing)\n", a->scanners == 1 ? "" : "s",
		   r->scanner_threshold);
	auth_rows(t, "source", &a->by_source);
	auth_rows(t, "account", &a->by_account);
}

/* A row's "top failures" cell ("  408:8 none:2"), the first three codes, as many as fit the
 * width from the row that started at start (the rest are in the JSON report). */
static void top_failures(struct tctx *t, size_t start, const int *codes, const uint64_t *n,
			 int ncodes)
{
	struct buf *b = t->b;

	for (int k = 0; k < ncodes && k < 3; k++) {
		struct buf item = {0};
		buf_adds(&item, k ? " " : "  ");
		if (codes[k])
			buf_printf(&item, "%d:", codes[k]);
		else
			buf_adds(&item, "none:");
		fmt_num(&item, n[k]);
		int fits = col_since(b, start) + item.len <= t->width;
		if (fits)
			buf_add(b, item.p, item.len);
		buf_free(&item);
		if (!fits)
			break;
	}
}

/* The width of a table's key column: what the figures (fixed columns) and, from 80 columns,
 * two failure codes ("  407:12 401:7") leave, at least 12 columns, at most keyw. */
static size_t key_width(const struct tctx *t, size_t keyw, size_t fixed)
{
	size_t codes = t->width >= 80 ? 14 : 0;
	size_t room = t->width > 2 + fixed + codes + 12 ? t->width - 2 - fixed - codes : 12;

	return keyw < room ? keyw : room;
}

static void section_breakdown(struct tctx *t, const char *title, const struct breakdown *d)
{
	static const char *const head[] = { "attempts", "answered", "failed", "auth-bad" };
	enum { NC = 4 };
	struct buf *b = t->b;
	size_t w[NC], keyw = 0;

	if (!d->n)
		return;
	heading(t, title);
	uint64_t *v = xcalloc(d->n * NC, sizeof(*v));
	for (size_t i = 0; i < d->n; i++) {
		const struct breakdown_row *r = &d->rows[i];
		size_t c = esc_cols(r->key, r->key_len);
		keyw = c > keyw ? c : keyw;
		v[i * NC] = r->attempts;
		v[i * NC + 1] = r->answered;
		v[i * NC + 2] = r->failed;
		v[i * NC + 3] = r->auth_failed;
	}
	for (int k = 0; k < NC; k++)
		w[k] = strlen(head[k]);
	size_t fixed = num_widths(w, NC, v, d->n);
	/* below 80 columns the failure codes give way to the key (the JSON report has them) */
	keyw = key_width(t, keyw, fixed);
	size_t start = b->len;
	buf_printf(b, "  %-*s", (int)keyw, "");
	for (int k = 0; k < NC; k++)
		buf_printf(b, " %*s", (int)w[k], head[k]);
	if (col_since(b, start) + 14 <= t->width)
		buf_adds(b, "  top failures");
	buf_addc(b, '\n');
	for (size_t i = 0; i < d->n; i++) {
		const struct breakdown_row *r = &d->rows[i];
		start = b->len;
		buf_adds(b, "  ");
		fit_cell(b, r->key, r->key_len, keyw);
		for (int k = 0; k < NC; k++)
			num_cell(b, v[i * NC + k], w[k]);
		top_failures(t, start, r->codes, r->code_n, r->ncodes);
		buf_adds(b, "\n");
	}
	free(v);
	if (d->keys > d->n) {
		buf_adds(b, "  ... ");
		fmt_num(b, d->keys - d->n);
		buf_adds(b, " more (--top, or the JSON report)\n");
	}
}

/* --host-from / --host: each host's share of the fleet (report.h struct host_row); a call
 * that crossed two hosts is in both rows and once in the totals. */
static void section_hosts(struct tctx *t, const struct report *r)
{
	/* narrow enough for 60 columns with a short name: the files are in the Input section */
	static const char *const head[] = { "msgs", "Call-IDs", "calls", "answered", "failed",
					     "stuck", "no-retry" };
	enum { NC = 7 };
	struct buf *b = t->b;
	size_t w[NC], keyw = 0;

	if (!r->nhosts)
		return;
	heading(t, "By host");
	uint64_t *v = xcalloc(r->nhosts * NC, sizeof(*v));
	for (size_t i = 0; i < r->nhosts; i++) {
		const struct host_row *x = &r->hosts[i];
		size_t c = esc_cols(x->name, x->name_len);
		keyw = c > keyw ? c : keyw;
		const uint64_t row[NC] = { x->records, x->callids, x->calls, x->answered,
					   x->failed, x->stuck, x->not_retried };
		memcpy(v + i * NC, row, sizeof(row));
	}
	for (int k = 0; k < NC; k++)
		w[k] = strlen(head[k]);
	size_t fixed = num_widths(w, NC, v, r->nhosts);
	/* the name gets what the figures leave, 8 columns at least: below that the Call-IDs
	 * column gives way (the JSON report has it) */
	int skip = t->width < 2 + fixed + 8 ? 1 : -1;
	if (skip >= 0)
		fixed -= 1 + w[skip];
	size_t room = t->width > 2 + fixed + 8 ? t->width - 2 - fixed : 8;
	keyw = keyw < room ? keyw : room;
	buf_printf(b, "  %-*s", (int)keyw, "");
	for (int k = 0; k < NC; k++)
		if (k != skip)
			buf_printf(b, " %*s", (int)w[k], head[k]);
	buf_addc(b, '\n');
	for (size_t i = 0; i < r->nhosts; i++) {
		const struct host_row *x = &r->hosts[i];
		buf_adds(b, "  ");
		fit_cell(b, x->name, x->name_len, keyw);
		for (int k = 0; k < NC; k++)
			if (k != skip)
				num_cell(b, v[i * NC + k], w[k]);
		buf_addc(b, '\n');
	}
	free(v);
	if (r->shared_unknown) {
		/* merge: each host's states had a call table of their own (docs/state.md) */
		buf_adds(b, "  Merged from the hosts' states: which Call-IDs several hosts logged "
			 "is not\n  known (each is a call on each host, in the totals too)\n");
		return;
	}
	buf_adds(b, "  ");
	fmt_num(b, r->callids_shared);
	buf_adds(b, " Call-IDs logged by several hosts: in each one's row, once in the totals\n");
}

/* Calls by next hop (README "Which hop fails"): the gateway behind stuck calls or a 503
 * burst. Said so when the log does not show where responses came from. */
static void section_hops(struct tctx *t, const struct report *r)
{
	struct buf *b = t->b;
	const struct hop_table *h = &r->by_hop;

	if (r->not_in_log & GIVES_FINALS || !r->kpi.invite_attempts)
		return;
	heading(t, "Calls by next hop (who answered the forwarded INVITE)");
	if (!h->shown) {
		buf_adds(b, "  not in this log (its responses do not say where they came from)\n");
		return;
	}
	if (!h->n) {
		buf_adds(b, "  none: every response came from the caller or the proxy itself\n");
		return;
	}
	static const char *const head[] = { "attempts", "answered", "stuck", "408", "5xx" };
	enum { NC = 5 };
	size_t w[NC], keyw = 0, srdw = strlen("SRD mean");
	uint64_t *v = xcalloc(h->n * NC, sizeof(*v));
	struct buf *srd = xcalloc(h->n, sizeof(*srd));
	for (size_t i = 0; i < h->n; i++) {
		const struct hop_row *x = &h->rows[i];
		size_t c = esc_cols(x->key, x->key_len);
		keyw = c > keyw ? c : keyw;
		const uint64_t row[NC] = { x->attempts, x->answered, x->stuck, x->timeout,
					   x->server_err };
		memcpy(v + i * NC, row, sizeof(row));
		if (x->srd_n)
			fmt_dur(&srd[i], x->srd_sum_us / (int64_t)x->srd_n);
		else
			buf_adds(&srd[i], "-");
		srdw = srd[i].len > srdw ? srd[i].len : srdw;
	}
	for (int k = 0; k < NC; k++)
		w[k] = strlen(head[k]);
	/* as in the breakdowns, the SRD among the figures */
	size_t fixed = num_widths(w, NC, v, h->n) + 1 + srdw;
	keyw = key_width(t, keyw, fixed);
	size_t start = b->len;
	buf_printf(b, "  %-*s", (int)keyw, "");
	for (int k = 0; k < NC; k++)
		buf_printf(b, " %*s", (int)w[k], head[k]);
	buf_printf(b, " %*s", (int)srdw, "SRD mean");
	if (col_since(b, start) + 14 <= t->width)
		buf_adds(b, "  top failures");
	buf_addc(b, '\n');
	for (size_t i = 0; i < h->n; i++) {
		const struct hop_row *x = &h->rows[i];
		start = b->len;
		buf_adds(b, "  ");
		fit_cell(b, x->key, x->key_len, keyw);
		for (int k = 0; k < NC; k++)
			num_cell(b, v[i * NC + k], w[k]);
		buf_printf(b, " %*s", (int)srdw, buf_cstr(&srd[i]));
		top_failures(t, start, x->codes, x->code_n, x->ncodes);
		buf_addc(b, '\n');
	}
	for (size_t i = 0; i < h->n; i++)
		buf_free(&srd[i]);
	free(srd);
	free(v);
	if (h->keys > h->n) {
		buf_adds(b, "  ... ");
		fmt_num(b, h->keys - h->n);
		buf_adds(b, " more (--top, or the JSON report)\n");
	}
	if (h->no_hop) {
		buf_adds(b, "  ");
		fmt_num(b, h->no_hop);
		buf_adds(b, " more answered only by the caller or the proxy itself: no next hop\n");
	}
}

static void section_timeline(struct tctx *t, const struct report *r)
{
	static const char *const head[] = { "calls", "answered", "failed", "regs", "options",
					    "other", "challenged", "auth-bad" };
	enum { NC = 8 };
	struct buf *b = t->b;
	size_t w[NC];
	char tmp[TIME_LOCAL_MAX];

	if (r->ntimeline < 2)
		return;		/* one hour says nothing a total does not */
	if (tz_is_utc()) {
		heading(t, "Per hour (UTC)");
	} else {
		struct buf e = {0};
		buf_adds(&e, "Per hour (");
		fit(&e, tz_name(), strlen(tz_name()), 60);
		buf_adds(&e, ")");
		heading(t, buf_cstr(&e));
		buf_free(&e);
	}
	uint64_t *v = xcalloc(r->ntimeline * NC, sizeof(*v));
	for (size_t i = 0; i < r->ntimeline; i++) {
		const struct timeline_row *h = &r->timeline[i];
		const uint64_t row[NC] = { h->calls, h->answered, h->failed, h->registrations,
					   h->options, h->other, h->challenged, h->auth_failed };
		memcpy(v + i * NC, row, sizeof(row));
	}
	for (int k = 0; k < NC; k++)
		w[k] = strlen(head[k]);
	num_widths(w, NC, v, r->ntimeline);
	/* "2026-11-24T13" in UTC, "2026-11-24 13:00 +01:00" in a zone (time_format_hour), and
	 * eight figures; where they do not fit the width, the last columns give way (they are
	 * in the JSON report), so that the table stays whole */
	int hw = tz_is_utc() ? 13 : 23;
	int nc = NC;
	size_t cols = 2 + (size_t)hw;
	for (int k = 0; k < NC; k++)
		cols += 1 + w[k];
	while (nc > 3 && cols > t->width)
		cols -= 1 + w[--nc];
	size_t start = b->len;
	buf_printf(b, "  %-*s", hw, "hour");
	for (int k = 0; k < nc; k++)
		buf_printf(b, " %*s", (int)w[k], head[k]);
	/* failures by code by hour, where the width leaves room (the JSON report has them) */
	int codes = nc == NC && col_since(b, start) + 14 <= t->width;
	if (codes)
		buf_adds(b, "  top failures");
	buf_addc(b, '\n');
	for (size_t i = 0; i < r->ntimeline; i++) {
		const struct timeline_row *h = &r->timeline[i];
		time_format_hour(h->hour, tmp);
		start = b->len;
		buf_printf(b, "  %-*s", hw, tmp);
		for (int k = 0; k < nc; k++)
			num_cell(b, v[i * NC + k], w[k]);
		if (codes)
			top_failures(t, start, h->codes, h->code_n, h->ncodes);
		buf_addc(b, '\n');
	}
	if (nc < NC) {
		buf_adds(b, "  (left out for the width:");
		for (int k = nc; k < NC; k++)
			buf_printf(b, " %s", head[k]);
		buf_adds(b, "; --width, or the JSON report)\n");
	}
	/* no room for them in the table: the hours that had failures, under it */
	for (size_t i = 0, n = 0; !codes && i < r->ntimeline; i++) {
		const struct timeline_row *h = &r->timeline[i];
		if (!h->ncodes)
			continue;
		if (!n++)
			buf_adds(b, "  top failures by hour:\n");
		time_format_hour(h->hour, tmp);
		start = b->len;
		buf_printf(b, "  %-*s", hw, tmp);
		top_failures(t, start, h->codes, h->code_n, h->ncodes);
		buf_addc(b, '\n');
	}
	free(v);
}

static void section_problems(struct tctx *t, const struct report *r)
{
	struct buf *b = t->b;
	static const char *const sev_color[] = { "", "\033[2m", "\033[36m", "\033[33m",
						 "\033[31m", "\033[1;31m" };

	heading(t, "Problems (most important first: severity, then count)");
	if (!r->nproblems) {
		buf_adds(b, "  none found\n");
		return;
	}
	for (size_t i = 0; i < r->nproblems; i++) {
		const struct problem *p = &r->problems[i];
		const struct pattern_info *pi = knowledge_pattern(p->pid);
		char sev[16];
		snprintf(sev, sizeof(sev), "%s", knowledge_severity_name(p->severity));
		for (char *c = sev; *c; c++)
			*c = (char)(*c >= 'a' && *c <= 'z' ? *c - 32 : *c);
		buf_printf(b, "\n  %zu. %s[%s]%s %s%s%s\n", i + 1, sgr(t, sev_color[p->severity]), sev,
			   sgr(t, "\033[0m"), sgr(t, "\033[1m"), pi->id, sgr(t, "\033[0m"));
		wrap(t, 5, NULL, pi->title);
		buf_adds(b, "     ");
		fmt_num(b, p->count);
		buf_adds(b, " of ");
		fmt_num(b, p->denominator);
		buf_printf(b, " %s", pi->denominator);
		pct(b, p->count, p->denominator);
		buf_adds(b, "\n");
		struct buf when = {0};
		fmt_problem_when(&when, p);
		if (when.len)
			wrap(t, 5, NULL, buf_cstr(&when));
		buf_free(&when);
		if (p->pid == PAT_AUTH_SCANNER) {
			wrap(t, 5, NULL, p->severity == SEV_CRITICAL ?
			     "Possible break-in: a flagged source got a 2xx to a request it was "
			     "challenged for, or to an INVITE (it placed calls)." :
			     "Blocked scanning: no flagged source got a 2xx to a challenged request "
			     "or to an INVITE.");
			/* five sources: those that got in first (they made it critical), then
			 * the others, each group most calls first */
			size_t shown = 0;
			for (size_t k = 0; k < 2 * r->nscanners && shown < 5; k++) {
				const struct source_row *s = &r->scanners[k % r->nscanners];
				if ((k < r->nscanners) != (s->accepted || s->answered))
					continue;
				shown++;
				size_t start = b->len;
				buf_adds(b, "     source ");
				fit(b, s->addr, s->addr_len, 40);
				buf_adds(b, ": ");
				fmt_num(b, s->calls);
				buf_adds(b, " calls, ");
				fmt_num(b, s->unanswered);
				buf_adds(b, " unanswered challenges");
				if (s->ua) {
					size_t used = col_since(b, start) + 13;
					if (used + 20 > t->width) {	/* on a line of its own */
						buf_adds(b, "\n       User-Agent ");
						used = 18;
					} else {
						buf_adds(b, ", User-Agent ");
					}
					fit(b, s->ua, s->ua_len, t->width > used + 60 ? 60 :
					    t->width > used + 20 ? t->width - used : 20);
				}
				buf_adds(b, "\n");
				if (s->accepted || s->answered) {	/* what made it critical */
					buf_adds(b, "       got in: ");
					fmt_num(b, s->accepted);
					buf_adds(b, " accepted after a challenge, ");
					fmt_num(b, s->answered);
					buf_adds(b, " INVITEs answered\n");
				}
			}
			if (r->nscanners > shown) {
				buf_adds(b, "     ... and ");
				fmt_num(b, r->nscanners - shown);
				buf_adds(b, " more sources (see the JSON report)\n");
			}
		}
		for (size_t k = 0; k < p->nexamples && k < REPORT_SHOWN_EXAMPLES; k++)
			example_line(t, r, &p->examples[k], k == 0);
		if (p->nexamples > REPORT_SHOWN_EXAMPLES) {
			buf_adds(b, "               ... and ");
			fmt_num(b, p->nexamples - REPORT_SHOWN_EXAMPLES);
			buf_adds(b, " more (the JSON report lists them)\n");
		}
		wrap(t, 5, "Means: ", pi->causes);
		wrap(t, 5, "Fix: ", pi->fix);
		buf_printf(b, "     More: siplogscan explain %s\n", pi->id);
		if (problem_lists_calls(p->pid))
			calls_command(t, r, p->pid);
	}
}

/* Columns of the unit at p[0..n): an SGR colour sequence we wrote ("\033[1m") takes none
 * (esc_text() never lets an ESC from a log through), a character one; *len gets its bytes. */
static size_t unit_cols(const char *p, size_t n, size_t *len)
{
	if (p[0] == '\033') {
		const char *m = memchr(p, 'm', n);
		*len = m ? (size_t)(m - p) + 1 : n;
		return 0;
	}
	*len = unit_len(p, n);
	return cols_of(p, *len);
}

/*
 * The promise that no line is wider than the width, kept for every line from byte start on:
 * a wider line is broken at its last run of blanks that fits, else its last blank (else
 * between two units, never inside an escape or a character) and goes on indented 2 more than it started. The sections are
 * laid out to fit, so this seldom has anything to do.
 */
static void keep_width(struct buf *b, size_t start, unsigned width)
{
	struct buf out = {0};
	size_t i = start;

	while (i < b->len) {
		const char *nl = memchr(b->p + i, '\n', b->len - i);
		size_t end = nl ? (size_t)(nl - b->p) : b->len;
		size_t indent = strspn(b->p + i, " ");
		indent = indent > end - i ? end - i : indent;
		size_t cont = indent + 2 < width / 2 ? indent + 2 : width / 2;
		int first = 1;

		while (i < end) {
			/* find the longest head of b->p[i..end) that fits */
			size_t col = first ? 0 : cont, k = i, brk = 0, brk2 = 0, len = 0;
			while (k < end) {
				size_t c = unit_cols(b->p + k, end - k, &len);
				if (col + c > width)
					break;
				if (b->p[k] == ' ' && k > i + (first ? indent : 0)) {
					brk = k;
					/* between two items ("SER 24.2%   SEER 36.4%"), when it
					 * leaves the line at least half full */
					if (k > i && k + 1 < end && b->p[k - 1] != ' ' &&
					    b->p[k + 1] == ' ' && col >= width / 2)
						brk2 = k;
				}
				col += c;
				k += len;
			}
			if (brk2)
				brk = brk2;
			if (!first)
				for (size_t s = 0; s < cont; s++)
					buf_addc(&out, ' ');
			if (k >= end) {
				buf_add(&out, b->p + i, end - i);
				i = end;
				break;
			}
			size_t cut = brk ? brk : k > i ? k : i + len;	/* at least one unit */
			size_t keep = cut;
			while (keep > i && b->p[keep - 1] == ' ')
				keep--;	/* no trailing blanks */
			buf_add(&out, b->p + i, keep - i);
			buf_addc(&out, '\n');
			i = cut;
			while (i < end && b->p[i] == ' ')
				i++;
			first = 0;
		}
		if (nl) {
			buf_addc(&out, '\n');
			i = end + 1;
		}
	}
	b->len = start;
	buf_add(b, out.p, out.len);
	buf_free(&out);
}

void render_text(struct buf *b, const struct report *r, const struct render_opts *o)
{
	unsigned width = o->width ? o->width : 80;
	width = width < RENDER_MIN_WIDTH ? RENDER_MIN_WIDTH : width > RENDER_MAX_WIDTH ?
		RENDER_MAX_WIDTH : width;
	struct tctx t = { b, o, width };
	size_t start = b->len;

	/* --title first (the host name by default): user text, escaped as log text is */
	if (r->title && *r->title) {
		buf_adds(b, sgr(&t, "\033[1m"));
		fit(b, r->title, strlen(r->title), t.width);
		buf_printf(b, "%s\n", sgr(&t, "\033[0m"));
	}
	buf_printf(b, "siplogscan %s report\n", r->run.version);
	if (r->nrules) {
		heading(&t, "Rules (--fail-on)");
		for (int i = 0; i < r->nrules; i++) {
			const struct rule_result *rr = &r->rules[i];
			buf_printf(b, "  %s%-5s%s %s", rr->fired ? sgr(&t, "\033[1;31m") : "",
				   rr->fired ? "HOLDS" : "ok", rr->fired ? sgr(&t, "\033[0m") : "",
				   rr->text);
			if (!isfinite(rr->value)) {
				buf_adds(b, "  (undefined: nothing to measure)\n");
			} else {
				buf_adds(b, "  (value ");
				fmt_rule_value(b, rr->value);
				buf_adds(b, ")\n");
			}
		}
	}
	section_input(&t, r);
	section_baseline(&t, r);
	section_history(&t, r);
	section_totals(&t, r);
	section_hosts(&t, r);
	section_limits(&t, r);
	section_trying(&t, r);
	section_setup(&t, r);
	section_auth(&t, r, "407 Proxy Authentication Required -> retry", &r->proxy_auth,
		     "no request was challenged with 407");
	section_auth(&t, r, "401 Unauthorized -> retry", &r->www_auth,
		     "no request was challenged with 401");
	section_kpis(&t, r);
	section_auth_results(&t, r);
	section_timeline(&t, r);
	section_breakdown(&t, "Top sources (attempts: calls with INVITE or REGISTER)", &r->by_source);
	section_breakdown(&t, "Top User-Agents", &r->by_ua);
	section_breakdown(&t, "Top destinations (request URI)", &r->by_dest);
	section_hops(&t, r);
	section_problems(&t, r);
	buf_printf(b, "\nScanned ");
	fmt_bytes(b, r->run.bytes);
	fmt_run(b, r);
	buf_adds(b, ".\n");	if (r->history) {
		/* this run's part of the night: the run section, like the line above */
		buf_printf(b, "Run %u of the night of %s (--history): ", r->history->night_runs,
			   r->history->night);
		fmt_bytes(b, r->history->bytes_read);
		buf_adds(b, " new, ");
		fmt_bytes(b, r->history->bytes_skipped);
		buf_adds(b, " read before.\n");
	}
	keep_width(b, start, t.width);
}
