/*
 * rules.h - --fail-on thresholds for cron and monitoring, and --since/--until times.
 *
 * A rule is NAME OP VALUE[%]: OP one of > >= < <= =; NAME a problem-pattern id (its count, or
 * its share of its population with %), or the --fail-on name of a figure of the table of
 * figures (src/figures.c: the KPIs ser seer isa scr asr ner ira in percent, calls, stuck,
 * trying, challenged, rejected, not-retried, errors = inputs that could not be read; its value
 * as figure_value() computes it). Rules are separated by commas:
 * "stuck>0,proxy-auth-rejected>5%,ser<95".
 * With --baseline, NAME may also be "change:ID", ID a compared figure (docs/json-schema.md,
 * "baseline"): its change since the baseline (percentage points for a KPI), or with % its
 * change relative to the baseline's value: "change:kpi.ser<-2,change:calls<-50%"; and
 * "attempts-fall", how far INVITE attempts fell against the baseline's, in percent (0 when
 * they rose; undefined when the baseline had none): "attempts-fall>50%".
 */
#ifndef SIPLOGSCAN_RULES_H
#define SIPLOGSCAN_RULES_H

#include <stdint.h>

#include "report.h"

#define RULES_MAX 32

struct rule {
	char text[64];		/* as given, for messages */
	char name[40];
	int op;			/* '>' '<' '=' 'G' (>=) 'L' (<=) */
	double value;
	int percent;
};

struct rules {
	struct rule r[RULES_MAX];
	int n;
};

/* Parse a --fail-on list into rs (appending). 0, or -1 with a message naming the bad rule. */
int rules_parse(struct rules *rs, const char *spec);

/* 1 when a rule is on a change since the baseline, attempts-fall too (then --baseline is
 * needed). */
int rules_need_baseline(const struct rules *rs);

/* Evaluate every rule on the finished report (its baseline comparison made); fills
 * r->rules. A rule on a figure that is unknown never holds. Returns how many fired. */
int rules_eval(const struct rules *rs, struct report *r);

/*
 * A --since/--until time: "2026-11-24", "2026-11-24T13:00", any form time_parse() knows,
 * "today", "yesterday" (midnight), or "-24h", "-30m", "-7d", "-90s" (before now, a decimal
 * number of units: "-1.5h"). Dates, times without an offset, today and yesterday are on the
 * wall clock of the zone (tz.h); "2026-11-24T13:00Z" and "+01:00" keep theirs. now_us is the current time. TIME_UNKNOWN
 * when not understood, or when a time before now reaches past 0001-01-01.
 */
int64_t rules_parse_time(const char *s, int64_t now_us, int is_until);

#endif
