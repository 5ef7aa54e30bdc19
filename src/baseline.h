/*
 * baseline.h - --baseline FILE: this run's headline figures beside those of an earlier JSON
 * report, for nightly trends.
 *
 * Both sides are read from the JSON form (the current report is rendered to JSON and read
 * back), so a figure is compared exactly as each report shows it, and a baseline written by
 * an older siplogscan that lacks a figure leaves that figure unknown rather than 0.
 */
#ifndef SIPLOGSCAN_BASELINE_H
#define SIPLOGSCAN_BASELINE_H

#include <stddef.h>

#include "report.h"

/* Compare the JSON report cur[0..n) with the report in the file at path. Never NULL: a
 * baseline that does not exist has status BASELINE_MISSING, one that cannot be read or is
 * not a siplogscan report BASELINE_ERROR, both with a message in ->error. */
struct baseline *baseline_compare(const char *path, const char *cur, size_t n);

/* The same, with the baseline's JSON text given (tests). */
struct baseline *baseline_compare_text(const char *path, const char *prev, size_t prev_len,
				       const char *cur, size_t cur_len);

void baseline_free(struct baseline *b);

/* 1 when id names a compared figure ("kpi.ser", "stuck", "problem.stuck-after-100"). */
int baseline_figure_known(const char *id);

/* "better", "worse", "same", "changed"; NULL for TREND_UNKNOWN. */
const char *baseline_trend_name(enum trend t);

#endif
