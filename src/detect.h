/*
 * detect.h - which format reads an input (--log-format auto), from its sample.
 *
 * Where in the flow: between the input's sample (input.h) and the scan. Each candidate format
 * - the built-ins, and the layout inferred from the sample (infer.h) when one is - scans the
 * sample; the one with the most records wins. On a tie a full format (whole SIP traffic)
 * beats a thin one (acc's one record per transaction, authentication events), then the
 * earlier candidate wins: the built-ins come first. The count is made so that log content
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
	uint64_t builtin_records;	/* the most records a built-in format kept */
	int64_t first_time;		/* of its first record (TIME_UNKNOWN: none) */
	int64_t date_hint;		/* first full date among its stamps (timeline_set_hint) */
};

/* Pick among cand[0..n) and inferred (NULL: none; it comes last) for sample[0..len);
 * mtime_us dates stamps without a year. */
void detect_format(const struct profile *const *cand, int n, const struct profile *inferred,
		   const char *sample, size_t len, int64_t mtime_us, struct detect_result *out);

#endif
