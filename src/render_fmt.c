/*
 * render_fmt.c - how the text and HTML reports write figures for people.
 */
#include "render.h"
#include "knowledge.h"
#include "tz.h"
#include "timeparse.h"
#include "figures.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

void fmt_num(struct buf *b, uint64_t v)
{
	char tmp[32];
	int n = snprintf(tmp, sizeof(tmp), "%" PRIu64, v);

	for (int i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			buf_addc(b, ',');
		buf_addc(b, tmp[i]);
	}
}

void fmt_bytes(struct buf *b, uint64_t v)
{
	static const char *const unit[] = { "B", "KB", "MB", "GB", "TB" };
	double d = (double)v;
	int u = 0;

	while (d >= 1000 && u < 4) {
		d /= 1000;
		u++;
	}
	if (u == 0)
		buf_printf(b, "%" PRIu64 " B", v);
	else
		buf_printf(b, "%.1f %s", d, unit[u]);
}

/*
 * Two units at most, each rounded to the smaller one shown, so that a long time reads at a
 * glance: "850 ms", "2.35 s", "4 min 05 s", "2 h 14 min", "3 d 4 h". The value is rounded
 * before the units are chosen: 59 min 59.7 s is "1 h 00 min", never "60 min 00 s".
 */
void fmt_dur(struct buf *b, int64_t us)
{
	if (us < 0) {
		buf_adds(b, "unknown");
		return;
	}
	if (us < 10000) {
		buf_printf(b, "%.1f ms", (double)us / 1000.0);
		return;
	}
	if (us < 1000000) {
		buf_printf(b, "%" PRId64 " ms", (us + 500) / 1000);
		return;
	}
	if (us < 120000000) {
		buf_printf(b, "%.2f s", (double)us / 1e6);
		return;
	}
	int64_t s = (us + 500000) / 1000000;
	if (s < 3600) {
		buf_printf(b, "%" PRId64 " min %02" PRId64 " s", s / 60, s % 60);
		return;
	}
	int64_t m = (s + 30) / 60;
	if (m < 24 * 60) {
		buf_printf(b, "%" PRId64 " h %02" PRId64 " min", m / 60, m % 60);
		return;
	}
	int64_t hr = (m + 30) / 60;
	buf_printf(b, "%" PRId64 " d %" PRId64 " h", hr / 24, hr % 24);
}

void fmt_double(struct buf *b, const char *fmt, double v, const char *unknown)
{
	if (isfinite(v))
		buf_printf(b, fmt, v);
	else
		buf_adds(b, unknown);
}

void fmt_run(struct buf *b, const struct report *r)
{
	fmt_double(b, " in %.2f s", r->run.elapsed_s, "");
	buf_adds(b, " (");
	fmt_double(b, "%.0f MB/s, ", r->run.mb_per_s, "");
	buf_printf(b, "%u thread%s)", r->run.threads, r->run.threads == 1 ? "" : "s");
}

void fmt_figure(struct buf *b, enum figure_unit u, int have, double v)
{
	/* a figure that is not finite is unknown, never "inf": the conversions below would
	 * be undefined for it */
	if (!have || !isfinite(v)) {
		buf_adds(b, "unknown");
	} else if (u == UNIT_COUNT) {
		fmt_num(b, v < 0 ? 0 : (uint64_t)(v + 0.5));
	} else if (u == UNIT_PERCENT) {
		fmt_percent_value(b, v, 1);	/* as fmt_ratio() writes it for people */
	} else {
		fmt_dur(b, v < 0 ? 0 : (int64_t)(v * 1000.0 + 0.5));
	}
}

void fmt_change(struct buf *b, const struct baseline_figure *g)
{
	if (!g->have_prev || !g->have_cur)
		return;
	double d = g->cur - g->prev;
	if (!isfinite(d))
		return;
	if (g->trend == TREND_SAME) {
		buf_adds(b, "no change");
		return;
	}
	char sign = d < 0 ? '-' : '+';
	double a = d < 0 ? -d : d;
	if (g->unit == UNIT_PERCENT) {
		buf_addc(b, sign);
		fmt_decimal(b, a, 1);	/* a change is never "0.0 pp" (trend says it moved) */
		buf_adds(b, " pp");
		return;
	}
	buf_addc(b, sign);
	fmt_figure(b, g->unit, 1, a);
	if (g->prev <= 0)
		buf_adds(b, " (was 0)");
	else if (isfinite(a / g->prev * 100.0))	/* else a tiny previous value: left out */
		buf_printf(b, " (%c%.1f%%)", sign, a / g->prev * 100.0);
}

void fmt_figure_data(struct buf *b, const struct baseline_figure *g, enum figure_part part,
		     const char *unknown)
{
	int both = g->have_prev && g->have_cur;
	int have = part == FIG_PREVIOUS ? g->have_prev : part == FIG_CURRENT ? g->have_cur : both;
	double v = part == FIG_PREVIOUS ? g->prev : part == FIG_CURRENT ? g->cur : g->cur - g->prev;

	if (part == FIG_CHANGE_PERCENT) {
		/* relative change of a count or a time; a percentage changes in points (FIG_CHANGE) */
		if (!both || g->unit == UNIT_PERCENT || g->prev == 0) {
			buf_adds(b, unknown);
			return;
		}
		double x = v / g->prev * 100.0;
		if (!isfinite(x))	/* a tiny previous value: the relative change overflows */
			buf_adds(b, unknown);
		else
			buf_printf(b, "%.2f", x > -0.005 && x < 0.005 ? 0.0 : x);
		return;
	}
	/* not finite (NaN, or an infinite difference): unknown, as in every format */
	if (!have || !isfinite(v))
		buf_adds(b, unknown);
	else if (g->unit == UNIT_COUNT)
		buf_printf(b, "%.0f", v);
	else if (g->unit == UNIT_PERCENT)
		fmt_decimal(b, v, 4);	/* as fmt_ratio() writes it for machines; a change too */
	else
		buf_printf(b, "%.3f", v);
}

const char *file_status_name(enum file_status st)
{
	switch (st) {
	case FILE_OK: return "ok";
	case FILE_ERROR: return "error";
	case FILE_DUPLICATE: return "duplicate";
	case FILE_UNRECOGNISED: return "unrecognised";
	}
	return "error";
}

/* A file's records: 0 whole SIP messages (or nothing read), 1 authentication records,
 * 2 accounting records (finals only), 3 other partial records (a profile's gives). */
static int records_kind(const struct report_file *f)
{
	unsigned g = f->gives;

	if (!f->records || !f->format || (g & GIVES_ALL) == GIVES_ALL)
		return 0;
	if (!(g & GIVES_ALL) && (g & GIVES_AUTH))
		return 1;
	return (g & GIVES_ALL) == GIVES_FINALS ? 2 : 3;
}

const char *records_noun(const struct report *r, int file, int short_form)
{
	static const char *const noun[2][4] = {
		{ "SIP messages", "authentication records", "accounting records", "records" },
		{ "msgs", "records", "records", "records" },
	};
	int kind = -1;

	if (file >= 0)
		return noun[short_form != 0][records_kind(&r->files[file])];
	for (size_t i = 0; i < r->nfiles; i++) {
		int k = records_kind(&r->files[i]);
		if (!r->files[i].records)
			continue;
		kind = kind < 0 || kind == k ? k : 3;
	}
	return noun[short_form != 0][kind < 0 ? 0 : kind];
}

size_t report_limit_rows(const struct report *r, struct limit_row out[LIMIT_ROWS])
{
	static const char *const bnames[] = { "top sources", "top User-Agents",
					       "top destinations" };
	const struct breakdown *bd[] = { &r->by_source, &r->by_ua, &r->by_dest };
	size_t n = 0;

	if (r->calls_settled_early)
		out[n++] = (struct limit_row){ "settled early", r->calls_settled_early,
					       "least recently active Call-IDs", "--max-calls ",
					       r->max_calls, "" };
	if (r->source_unlisted)
		out[n++] = (struct limit_row){ "auth-scanner sources", r->source_unlisted,
					       "calls of evicted sources", "", REPORT_SOURCES_CAP,
					       " kept" };
	for (int k = 0; k < 3; k++)
		if (bd[k]->unlisted)
			out[n++] = (struct limit_row){ bnames[k], bd[k]->unlisted,
						       "attempts of evicted keys", "",
						       REPORT_BREAKDOWN_CAP, " kept" };
	if (r->by_hop.unlisted)
		out[n++] = (struct limit_row){ "next hops", r->by_hop.unlisted,
					       "attempts of evicted hops", "", REPORT_BREAKDOWN_CAP,
					       " kept" };
	if (r->timeline_unlisted)
		out[n++] = (struct limit_row){ "per hour", r->timeline_unlisted,
					       "Call-IDs of evicted hours", "", REPORT_HOURS_CAP,
					       " kept" };
	return n;
}

void fmt_auth_counts(struct buf *b, const struct auth_results *a)
{
	static const struct { enum auth_result r; const char *what; } part[] = {
		{ AUTH_RES_CHALLENGE, " challenges sent, " }, { AUTH_RES_OK, " accepted, " },
		{ AUTH_RES_FAILED, " failed (wrong credentials), " },
		{ AUTH_RES_UNKNOWN, " unknown account, " }, { AUTH_RES_DENIED, " denied by ACL" },
	};

	for (size_t i = 0; i < sizeof(part) / sizeof(part[0]); i++) {
		fmt_num(b, a->n[part[i].r]);
		buf_adds(b, part[i].what);
	}
}

/*
 * A time for people, "2026-11-24 23:12:04" (whole seconds, UTC), or "23:12:04" when its date
 * is *date; *date (11 bytes) becomes its date. With minute59, the end of the hour that starts
 * at t: "23:59". Every time of fmt_problem_when() is written here.
 */
static void fmt_when(struct buf *b, int64_t t, char *date, int hour, int minute59)
{
	char tmp[TIME_LOCAL_MAX];

	/* 2026-11-24T23:12:04.123456Z, or in a zone 2026-11-24 23:12:04.123456 +01:00: the
	 * date and the time of day sit at the same places in both */
	time_format_local(t, tmp);
	tmp[10] = ' ';
	if (memcmp(tmp, date, 10) != 0) {
		buf_add(b, tmp, 11);
		memcpy(date, tmp, 10);
	}
	if (hour)
		buf_add(b, tmp + 11, 3), buf_adds(b, minute59 ? "59" : "00");
	else
		buf_add(b, tmp + 11, 8);
}

void fmt_problem_when(struct buf *b, const struct problem *p)
{
	char date[11] = "";
	size_t runs = 0, shown = 0;
	const int64_t hour_us = 3600LL * 1000000;

	if (p->first_time == TIME_UNKNOWN)
		return;
	buf_adds(b, "first ");
	fmt_when(b, p->first_time, date, 0, 0);
	buf_adds(b, ", last ");
	fmt_when(b, p->last_time, date, 0, 0);
	/* the zone's name once: the times and hours above are its wall clock */
	buf_printf(b, " (%s)", tz_name());
	if (!p->nhours)
		return;
	buf_printf(b, ", in %zu hour%s: ", p->nhours, p->nhours == 1 ? "" : "s");
	for (size_t i = 0; i < p->nhours;) {
		size_t j = i;
		while (j + 1 < p->nhours && p->hours[j + 1].hour == p->hours[j].hour + hour_us)
			j++;
		if (runs++ < FMT_WHEN_RUNS) {
			buf_adds(b, shown++ ? ", " : "");
			fmt_when(b, p->hours[i].hour, date, 1, 0);
			if (j > i) {
				buf_addc(b, '-');
				fmt_when(b, p->hours[j].hour, date, 1, 1);
			}
		}
		i = j + 1;
	}
	if (runs > shown)
		buf_printf(b, " and %zu more runs of hours", runs - shown);
	if (p->hours_unlisted) {
		buf_adds(b, "; ");
		fmt_num(b, p->hours_unlisted);
		buf_adds(b, " more in hours not listed");
	}
}

/* ---- the command that lists a problem's calls */

int problem_lists_calls(enum pattern_id pid)
{
	return pid != PAT_AUTH_SCANNER && pid != PAT_AUTH_BREAK_IN && pid != PAT_AUTH_GUESSING &&
	       pid != PAT_AUTH_SPREAD_GUESSING;
}

/* A word the shell reads as it is, or in single quotes; 0 when neither is safe to print
 * (a quote, a control or non-ASCII byte: a path from a glob may hold anything). */
static int shell_word(struct buf *b, const char *s)
{
	size_t n = strlen(s);
	int plain = n > 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c > 0x7e || c == '\'')
			return 0;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      strchr("_./:@%+=,-", c)))
			plain = 0;
	}
	if (!n || (s[0] == '-' && n > 1))
		return 0;	/* would read as an option */
	if (plain) {
		buf_add(b, s, n);
	} else {
		buf_addc(b, '\'');
		buf_add(b, s, n);
		buf_addc(b, '\'');
	}
	return 1;
}

size_t calls_command_words(const struct report *r, enum pattern_id pid,
			   struct buf w[CALLS_COMMAND_WORDS])
{
	size_t n = 0, nf = 0, first_file;
	int files_ok = 1;
	char t[40];

	for (size_t i = 0; i < CALLS_COMMAND_WORDS; i++)
		buf_reset(&w[i]);
	/* an option and its value are one word here, so that a line break keeps them together */
	buf_adds(&w[n++], "siplogscan");
	buf_adds(&w[n++], "calls");
	buf_printf(&w[n++], "--problem %s", knowledge_pattern(pid)->id);
	/* the report's window: the calls it counted started in it */
	if (r->since != TIME_UNKNOWN)
		buf_printf(&w[n++], "--since %s", time_format(r->since, t));
	if (r->until != TIME_UNKNOWN)
		buf_printf(&w[n++], "--until %s", time_format(r->until, t));
	/* the hosts: the same calls only when the hosts are read side by side, as here */
	if (r->host_from) {
		buf_adds(&w[n], "--host-from ");
		if (!shell_word(&w[n], r->host_from)) {
			buf_reset(&w[n]);
			buf_adds(&w[n], "--host-from REGEX");	/* the reader gave it */
		}
		n++;
	} else if (r->host_globs) {
		buf_adds(&w[n++], "--host NAME=GLOB...");	/* the reader's, as given */
	}
	first_file = n;
	for (size_t k = 0; k < r->nfiles && files_ok; k++) {
		if (r->files[k].status == FILE_DUPLICATE)
			continue;
		if (r->host_paths || nf == CALLS_COMMAND_FILES || !strcmp(r->files[k].path, "-") ||
		    !shell_word(&w[n], r->files[k].path))
			files_ok = 0;
		else
			n++, nf++;
	}
	if (!files_ok || !nf) {		/* the reader knows which files: the report's */
		for (size_t i = first_file; i < n; i++)
			buf_reset(&w[i]);
		buf_reset(&w[first_file]);
		n = first_file;
		buf_adds(&w[n++], "FILE...");
	}
	return n;
}

/* ---- slow setups, broken down as the slow-setup advice asks */

uint64_t slow_setups(const struct report *r)
{
	uint64_t n = 0;

	for (int c = 0; c < REPORT_CODES; c++)
		n += r->slow_by_outcome[c];
	return n;
}

void fmt_slow_by_outcome(struct buf *b, const struct report *r)
{
	uint64_t n = slow_setups(r);

	if (!n) {
		buf_adds(b, "no slow setup (post-dial delay above ");
		fmt_double(b, "%g s", r->slow_setup_s, "--slow-setup");
		buf_adds(b, ")");
		return;
	}
	fmt_num(b, n);
	buf_printf(b, " slow setup%s (post-dial delay above ", n == 1 ? "" : "s");
	fmt_double(b, "%g s", r->slow_setup_s, "--slow-setup");
	buf_adds(b, ") by outcome:");
	/* the outcomes with calls, most first (a code before a higher one on a tie), none last */
	int done[REPORT_CODES] = {0};
	for (int shown = 0;; shown++) {
		int best = -1;
		for (int c = 1; c < REPORT_CODES; c++)
			if (!done[c] && r->slow_by_outcome[c] &&
			    (best < 0 || r->slow_by_outcome[c] > r->slow_by_outcome[best]))
				best = c;
		if (best < 0)
			break;
		done[best] = 1;
		buf_printf(b, "%s %d: ", shown ? "," : "", best);
		fmt_num(b, r->slow_by_outcome[best]);
	}
	if (r->slow_by_outcome[0]) {
		buf_adds(b, n > r->slow_by_outcome[0] ? ", none: " : " none: ");
		fmt_num(b, r->slow_by_outcome[0]);
	}
}

int fmt_slow_by_hop(struct buf *b, const struct report *r,
		    void (*esc)(struct buf *, const char *, size_t))
{
	const struct hop_table *h = &r->by_hop;
	int n = 0;

	for (size_t i = 0; i < h->n; i++) {
		if (!h->rows[i].slow)
			continue;
		buf_adds(b, n++ ? ", " : "slow setups by next hop: ");
		esc(b, h->rows[i].key, h->rows[i].key_len);
		buf_adds(b, ": ");
		fmt_num(b, h->rows[i].slow);
	}
	return n;
}
