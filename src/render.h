/*
 * render.h - report model to bytes. Renderers only render: every figure is already in the
 * model; a renderer formats, escapes every string that came from a log, and appends to a
 * buffer. They never fail.
 */
#ifndef SIPLOGSCAN_RENDER_H
#define SIPLOGSCAN_RENDER_H

#include "report.h"
#include "util.h"

struct render_opts {
	int color;		/* ANSI colour (only when writing to a terminal) */
	unsigned width;		/* columns of the text report: no line is wider (main.c picks
				 * it; 0 is 80; kept within the bounds below) */
};
#define RENDER_MIN_WIDTH 60	/* the narrowest layout that keeps every table whole */
#define RENDER_MAX_WIDTH 200

/* JSON, schema siplogscan.report/1 (docs/json-schema.md). */
void render_json(struct buf *out, const struct report *r);

/* Plain text for a terminal or an email. */
void render_text(struct buf *out, const struct report *r, const struct render_opts *o);

/* One self-contained HTML page: inline CSS and SVG charts, no scripts, fonts or links to
 * anything outside the file (src/render_html.c). */
void render_html(struct buf *out, const struct report *r);

/* Prometheus text exposition format for the node_exporter textfile collector
 * (src/render_prom.c); metric names siplogscan_*, every family a gauge, r->labels (--label)
 * on every sample. */
void render_prom(struct buf *out, const struct report *r);

/* Whether --label KEY=VALUE may go on every series: NULL when it may, else why not (KEY, the
 * first key_len bytes of key, a Prometheus label name, not reserved (__*) nor one
 * siplogscan writes; VALUE non-empty UTF-8). */
const char *prom_label_check(const char *key, size_t key_len, const char *value);

/* Summary tables as CSV (RFC 4180, formula-injection safe; src/render_csv.c). */
void render_csv(struct buf *out, const struct report *r);

/* --calls-csv: the header line, and one row per settled call (RFC 4180, formula-safe);
 * path is the call's first file (src/render_calls.c). */
void render_calls_csv_header(struct buf *out);
void render_calls_csv_row(struct buf *out, const struct call_summary *cs, const char *path);

/* --calls-ndjson: one JSON object and a newline per settled call, schema 1
 * (docs/calls-ndjson.md); path is the call's first file. */
void render_calls_ndjson_row(struct buf *out, const struct call_summary *cs, const char *path);

/* Figures for people, shared by the text and HTML reports, one style everywhere: counts
 * "1,234,567"; sizes "12.3 MB"; durations "850 ms", "2.35 s", "4 min 05 s", "2 h 14 min",
 * "3 d 4 h" ("unknown" when us < 0). */
void fmt_num(struct buf *out, uint64_t v);
void fmt_bytes(struct buf *out, uint64_t v);
void fmt_dur(struct buf *out, int64_t us);
/* "N challenges sent, N accepted, N failed (wrong credentials), N unknown account, N denied
 * by ACL" of an authentication log: the same words in the text and HTML reports (no markup,
 * numbers and our own words only). */
void fmt_auth_counts(struct buf *out, const struct auth_results *a);

/* --baseline figures: a value as people read it ("1,234", "95.2%" by the rule of fmt_ratio(),
 * "850 ms", "unknown"), and its change ("+12 (+4.1%)", "-1.2 pp" for percentages, "no
 * change"; empty when a side is unknown). */
void fmt_figure(struct buf *out, enum figure_unit u, int have, double v);
void fmt_change(struct buf *out, const struct baseline_figure *g);

/* The same figures for machines (JSON, CSV): counts as integers, percentages with 4 decimals
 * (more when they would read 0 or 100 without being that, as fmt_ratio() in src/figures.h),
 * milliseconds with 3, change_percent with 2; unknown is written as the given word. */
enum figure_part { FIG_PREVIOUS, FIG_CURRENT, FIG_CHANGE, FIG_CHANGE_PERCENT };
void fmt_figure_data(struct buf *out, const struct baseline_figure *g, enum figure_part part,
		     const char *unknown);

/* When a problem appeared, for people (text and HTML; numbers only): "first 2026-11-24
 * 23:12:04, last 2026-11-25 01:58:10 (UTC), in 4 hours: 2026-11-24 23:00-2026-11-25 01:59,
 * 04:00-04:59", runs of consecutive hours joined (a date only where it changes), at most
 * FMT_WHEN_RUNS runs; nothing when nothing it counted had a time. Every time of it is written
 * by one function (render_fmt.c fmt_when()), so that a change of time display is made there. */
#define FMT_WHEN_RUNS 8
void fmt_problem_when(struct buf *out, const struct problem *p);

/* The rows of the Limits section (text and HTML), in order: only what a bound left out. */
struct limit_row {
	const char *label;	/* "settled early", "top sources", ... (lowercase) */
	uint64_t n;		/* what was left out */
	const char *what;	/* what n counts */
	const char *before;	/* the bound, as "(before bound after)" */
	uint64_t bound;
	const char *after;
};
#define LIMIT_ROWS 7
size_t report_limit_rows(const struct report *r, struct limit_row out[LIMIT_ROWS]);

/* What the records of the input are called, for people: of file (an index), or of every file
 * with records when file is -1 ("SIP messages", "authentication records", "accounting
 * records", mixed: "records"); short_form for a file's row ("msgs", else "records": the
 * summary line says which). Only the text and HTML reports use them: JSON keys stay. */
const char *records_noun(const struct report *r, int file, int short_form);

/* An input's status as every format writes it: "ok", "error", "duplicate", "unrecognised". */
const char *file_status_name(enum file_status st);

/* "1.234" from microseconds, as milliseconds with 3 decimals (helper shared by renderers). */
void fmt_ms(struct buf *out, int64_t us);

/* v in fmt, or the given word when v is not finite: no format ever prints nan or inf (JSON
 * writes null). */
void fmt_double(struct buf *out, const char *fmt, double v, const char *unknown);

/*
 * The command that lists the calls a problem counted, as the text and HTML reports show it:
 * "siplogscan calls --problem ID [--since T] [--until T] [--host-from RE] FILE..." as words
 * into w (returns
 * how many; an option with its value is one word, for the line breaks of the text report): the report's files when there are at most CALLS_COMMAND_FILES and each
 * is a plain path the shell reads as written (else the word "FILE...": the report's files).
 * Only for the problems counted per call (problem_lists_calls()).
 */
#define CALLS_COMMAND_FILES 4
#define CALLS_COMMAND_WORDS (7 + CALLS_COMMAND_FILES)
int problem_lists_calls(enum pattern_id pid);
size_t calls_command_words(const struct report *r, enum pattern_id pid,
			   struct buf w[CALLS_COMMAND_WORDS]);

/*
 * Slow setups (post-dial delay above --slow-setup), broken down as the slow-setup advice
 * asks, for the text and HTML reports: "12 slow setups (post-dial delay above 5 s) by
 * outcome: 200: 8, 486: 3, none: 1" (our own words and numbers only); and "slow setups by
 * next hop: ADDR: 3, ..." over the rows of the next-hop table, each address through esc
 * (returns how many; nothing when none).
 */
uint64_t slow_setups(const struct report *r);
void fmt_slow_by_outcome(struct buf *out, const struct report *r);
int fmt_slow_by_hop(struct buf *out, const struct report *r,
		    void (*esc)(struct buf *, const char *, size_t));

/* The run, for the last line of the text and HTML reports: " in 0.25 s (3951 MB/s,
 * 4 threads)"; a time or rate that is not finite is left out. */
void fmt_run(struct buf *out, const struct report *r);

#endif
