/*
 * detect.h - which format reads an input (--log-format auto), from its sample.
 *
 * Where in the flow: between the input's sample (input.h) and the scan. Each candidate format
 * scans the sample: the built-ins, then the operator's own layout when one can be inferred
 * (infer.h) from the lines that no built-in reads. The one with the most records wins; on a
 * tie a full format (whole SIP traffic) beats a thin one (acc's one record per transaction,
 * authentication events), then the earlier candidate: the built-ins come first. The inferred
 * layout does not displace a full built-in format that has a record of each of its calls
 * (the same messages logged twice, in two layouts). The count is made so that log content
 * cannot steer it: a record found inside another format's record is that record's content,
 * not a record of its own -
 *   - a line record (a Kamailio xlog line) among the lines of a whole SIP message, its
 *     header block or the body its Content-Length declares (a header of a message in a
 *     sipdump file that holds "siplog: req=..." text, a body of log-like lines);
 *   - a message escaped on one line (rsyslog's #012, ngrep's "..") on a line that a line
 *     format also reads, when the line format's marker comes first on the line (escaped SIP
 *     in a User-Agent at the end of an xlog line), and the other way round;
 *   - a line that a built-in format and the inferred layout both read is the built-in's;
 * and each log line counts at most once per format.
 */
#ifndef SIPLOGSCAN_DETECT_H
#define SIPLOGSCAN_DETECT_H

#include <stddef.h>
#include <stdint.h>

#include "profile.h"

struct detect_result {
	const struct profile *profile;	/* the winner; NULL when no candidate read a record */
	uint64_t records;		/* its records in the sample, as counted above */
	const struct profile *other;	/* the candidate with the most records that the winner
					 * does not read - on other lines, of calls it has no
					 * record of (a mixed log); NULL when none */
	uint64_t other_records;		/* those records */
	uint64_t builtin_records;	/* the records of the best built-in format */
	int64_t first_time;		/* of its first record (TIME_UNKNOWN: none) */
	int64_t date_hint;		/* first full date among its stamps (timeline_set_hint) */
};

/* Infers a layout from lines[0..n) (the sample's lines that no built-in reads); NULL when
 * none. The profile stays the caller's. */
typedef const struct profile *(*detect_infer_fn)(void *ctx, const char *lines, size_t n);

/* Pick among cand[0..n) and, when infer is given, what it infers, for sample[0..len);
 * mtime_us dates stamps without a year. */
void detect_format(const struct profile *const *cand, int n, detect_infer_fn infer, void *ctx,
		   const char *sample, size_t len, int64_t mtime_us, struct detect_result *out);

#endif
