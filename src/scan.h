/*
 * scan.h - bytes to events: the literal prefilter, then PCRE2 JIT on candidate records only.
 *
 * Where in the flow: input hands a scanner the text of one file (a whole mapped file, or a
 * stream in pieces); the scanner calls emit() once per SIP message it recognises, in input
 * order. A scanner owns its pcre2_match_data and time context: one per thread, never shared.
 *
 * Streaming: scanner_feed() consumes complete records only. With SCAN_MORE it returns how
 * many bytes it consumed; the caller keeps buf[consumed..len), appends more input, and calls
 * again. A record is bounded (SCAN_MAX_MESSAGE bytes, SCAN_MAX_LINE per line), so the caller's
 * buffer never needs to grow past a few MiB: when it holds SCAN_MAX_LINE bytes and nothing was
 * consumed, it calls with SCAN_FORCE, which cuts the overlong line where the buffer ends.
 */
#ifndef SIPLOGSCAN_SCAN_H
#define SIPLOGSCAN_SCAN_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "profile.h"
#include "timeparse.h"

#define SCAN_MAX_LINE (1u << 20)	/* longer lines are cut (and counted) */
#define SCAN_MAX_MESSAGE (64u << 10)	/* a SIP message's header block, at most */
#define SCAN_MAX_HEADER_LINES 200
#define SCAN_CONTEXT_BYTES 2048		/* how far before a start line we look for its time */

enum scan_mode { SCAN_MORE, SCAN_FORCE, SCAN_EOF };

typedef void (*scan_emit_fn)(void *ctx, const struct event *ev);

struct scan_stats {
	uint64_t bytes;		/* bytes consumed */
	uint64_t lines;		/* lines consumed */
	uint64_t records;	/* events emitted */
	uint64_t incomplete;	/* SIP start lines without Call-ID or CSeq (skipped) */
	uint64_t cut_lines;	/* lines longer than SCAN_MAX_LINE */
	int64_t first_time;	/* first event time seen, TIME_UNKNOWN if none */
	int64_t last_time;	/* last event time seen, TIME_UNKNOWN if none */
};

struct scanner;

/* New scanner for profile p (which must outlive it). Never NULL. */
struct scanner *scanner_new(const struct profile *p, scan_emit_fn emit, void *emit_ctx);
void scanner_free(struct scanner *s);

/* Start a new input: file index for events, its mtime for year inference (us since epoch).
 * Resets line numbers, statistics and the time context. */
void scanner_begin(struct scanner *s, uint32_t file, int64_t mtime_us);

/* Scan buf[0..len); returns the bytes consumed (all of them with SCAN_EOF). */
size_t scanner_feed(struct scanner *s, const char *buf, size_t len, enum scan_mode mode);

const struct scan_stats *scanner_stats(const struct scanner *s);

/*
 * Count the records profile p recognises in a sample (for --log-format auto); also returns
 * the time of the first one in *first_time (TIME_UNKNOWN if none).
 */
uint64_t scan_count_sample(const struct profile *p, const char *buf, size_t len,
			   int64_t mtime_us, int64_t *first_time);

#endif
