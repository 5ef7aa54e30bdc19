/*
 * figures.h - the one table of headline figures and KPIs, and the one formatter of ratios.
 *
 * Every figure a reader may watch over time (a KPI such as SER, a headline count such as
 * stuck) is one row of the table in src/figures.c: its id, its --fail-on name, its words, its
 * unit, which direction is better, how it is computed from the report model and where it sits
 * in the JSON report. The renderers' KPI blocks, --fail-on (src/rules.c), --baseline
 * (src/baseline.c) and --help read the table; none of them lists figures of its own.
 *
 * A ratio (a KPI, a share) is kept as two integers and written by fmt_ratio(): the same value
 * in every format, never rounded to 0 or 1 (0 % or 100 %) unless it is exactly that
 * (docs/metrics.md, "How ratios are written").
 */
#ifndef SIPLOGSCAN_FIGURES_H
#define SIPLOGSCAN_FIGURES_H

#include <stddef.h>
#include <stdint.h>

#include "report.h"
#include "util.h"

/* How a figure is found in a JSON report (siplogscan.report/1), for --baseline. */
enum figure_json {
	JSON_NONE,		/* not in the JSON report as one number: not compared */
	JSON_AT_PATH,		/* a number (or null) at the dotted path */
	JSON_AT_CLASS,		/* sum of totals.responses whose code starts with the digit in path */
	JSON_AT_FILE_ERRORS,	/* input files with status "error" */
	JSON_AT_ARRAY_LEN,	/* length of the array at path */
};

/* Where a figure is shown besides --fail-on, --baseline and --help. */
#define FIG_KPI 1u		/* a KPI ratio of the KPI block of every report: text line, HTML
				 * tile, JSON kpi.KEY object, CSV kpi rows, Prometheus kpi label */

/* A figure's value in one report. */
struct figure_value {
	int known;		/* 0: unknown (not in the log, nothing to divide by, no times) */
	uint64_t num, den;	/* UNIT_PERCENT: the ratio exactly (set even when den is 0) */
	double v;		/* as --fail-on compares it: a count, a percentage, milliseconds;
				 * NaN when unknown */
};

struct figure {
	const char *id;		/* stable id: --baseline, change:ID ("kpi.ser", "stuck") */
	const char *rule;	/* --fail-on name ("ser", "not-retried"); NULL: none */
	const char *abbr;	/* short name ("SER"); NULL: none. Then label is "ABBR, words" */
	const char *label;	/* for people: "SER, session establishment" */
	const char *help;	/* what it is, one line for --help (without the label) */
	enum figure_unit unit;
	int better;		/* +1: higher is better, -1: lower is better, 0: neither */
	unsigned needs;		/* GIVES_* it needs: unknown when a format of the log cannot
				 * give one of them (report.h) */
	unsigned show;		/* FIG_* */
	const char *key;	/* FIG_KPI: its key in the JSON kpi object, the CSV kpi table and
				 * the Prometheus kpi label ("ser") */
	/* how it is computed from the report model (src/figures.c) */
	void (*get)(const struct figure *f, const struct report *r, struct figure_value *out);
	size_t off;		/* the field get() reads, offsetof(struct report, ...) */
	enum figure_json json;	/* where it is in a JSON report */
	const char *path;
};

/* The table, in the order the reports list the figures. */
extern const struct figure figures[];
extern const size_t nfigures;

/* The figure with that id, or that --fail-on name; NULL when none. */
const struct figure *figure_by_id(const char *id);
const struct figure *figure_by_rule(const char *name);

/* The figure's value in the report r. */
void figure_value(const struct figure *f, const struct report *r, struct figure_value *out);

/* The words of the label after "ABBR, " ("session establishment"); the label when no abbr. */
const char *figure_words(const struct figure *f);

/* "count", "percent", "ms": the unit as the JSON and CSV reports name it. */
const char *figure_unit_name(enum figure_unit u);

/* The --fail-on names, space-separated: "ser seer isa ... errors" (usage errors). */
void figures_rule_names(struct buf *b);

/* The figures section of --help: each --fail-on name and baseline id with what it means,
 * lines within 100 columns. */
void figures_help(struct buf *b);

/*
 * Ratios and shares. num/den is written from the integers, rounded half up to the decimals
 * of its form; a ratio that is not exactly 0 or 1 gets as many more decimals as it takes not
 * to read as 0 or 1 (24,999/25,000: "0.99996", "99.9960", "99.996%"). Nothing is written
 * for den 0: the caller writes its word for unknown.
 */
enum ratio_form {
	RATIO_SHARE,		/* 0..1 with 4 decimals: JSON and CSV shares ("0.2500") */
	RATIO_PERCENT,		/* percent with 4 decimals: JSON and CSV KPIs ("25.0000") */
	RATIO_PROM,		/* 0..1 with up to 9 decimals, trailing zeros dropped ("0.25") */
	RATIO_PEOPLE,		/* percent with 1 decimal and "%": text and HTML ("25.0%") */
};
void fmt_ratio(struct buf *b, uint64_t num, uint64_t den, enum ratio_form form);

/* --history's trend (report.h): each figure's key in the JSON report, its name in the text
 * and HTML ones, whether it is a ratio; a night's value written in form (RATIO_PEOPLE: for
 * people, "1,234" and "25.0%"; else for machines, "1234" and "25.0000"), unknown when it is
 * not known. */
extern const char *const report_trend_keys[REPORT_TREND_FIGS];
extern const char *const report_trend_names[REPORT_TREND_FIGS];
int report_trend_ratio(int k);
void fmt_trend_value(struct buf *b, const struct report_trend_value *v, int k,
		     enum ratio_form form, const char *unknown);

/* A percentage already divided (a --baseline figure read back from a JSON report), written
 * by the same rule: decimals (4 for machines, 1 for people, then "%"), more when it would
 * read 0 or 100 without being that. Nothing when v is not finite. */
void fmt_percent_value(struct buf *b, double v, int people);

/* v with the decimals given, more when it would read 0 or 100 without being that (a change
 * of a percentage in points: "+0.004 pp", not "+0.0 pp"). Nothing when v is not finite. */
void fmt_decimal(struct buf *b, double v, int decimals);

/* The value a --fail-on rule looked at, for people: a whole number whole ("1234567"), else
 * as %g ("99.996") with more digits when that would read 0 or 100 without being that
 * ("99.99996", not "100"). Nothing when v is not finite. */
void fmt_rule_value(struct buf *b, double v);

#endif
