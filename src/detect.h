/*
 * detect.h - which built-in format reads an input (--log-format auto), from its sample.
 *
 * Where in the flow: between the input's sample (input.h) and the scan. Each candidate format
 * scans the sample; the one with the most records wins (ties: the earlier candidate). The
 * count is made so that log content cannot steer it: a record found inside another format's
 * record is that record's content, not a record of its own -
 *   - a line record (a Kamailio xlog line) inside the header block of a whole SIP message
 *     (a header of a message in a sipdump file that holds "siplog: req=..." text);
 *   - a message escaped on one line (rsyslog's #012, ngrep's "..") on a line that a line
 *     format also reads, when the line format's marker comes first on the line (escaped SIP
 *     in a User-Agent at the end of an xlog line), and the other way round;
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
	int64_t first_time;		/* of its first record (TIME_UNKNOWN: none) */
	int64_t date_hint;		/* first full date among its stamps (timeline_set_hint) */
};

/* Pick among cand[0..n) for sample[0..len); mtime_us dates stamps without a year. */
void detect_format(const struct profile *const *cand, int n, const char *sample, size_t len,
		   int64_t mtime_us, struct detect_result *out);

#endif
