/*
 * scan.h - bytes to events: the literal prefilter, then PCRE2 JIT on candidate records only
 * (for the built-in sip and kamailio formats, hand-written matchers first: src/scan_fast.h).
 *
 * Where in the flow: a worker hands a scanner either a block of a mapped file or a stream in
 * pieces; the scanner calls emit() once per SIP message it recognises, in input order. A
 * scanner owns its pcre2_match_data: one per thread, never shared. It does not parse times:
 * events carry the timestamp text, and the sequential stage turns it into time (the date of a
 * time-of-day stamp, or the time a record without a stamp inherits, depends on what came
 * before, which a block scanned in parallel cannot know).
 *
 * Streaming: scanner_feed() consumes complete records only. With SCAN_MORE it returns how
 * many bytes it consumed; the caller keeps buf[consumed..len), appends more input, and calls
 * again. A record is bounded (SCAN_MAX_MESSAGE bytes, SCAN_MAX_LINE per line), so the caller's
 * buffer never needs to grow past a few MiB: when it holds SCAN_MAX_LINE bytes and nothing was
 * consumed, it calls with SCAN_FORCE, which cuts the overlong line where the buffer ends.
 *
 * Blocks: scanner_scan_block() scans the records whose start line lies in [start, end) of a
 * whole mapped file, reading past end to finish the last one. Its context never reaches
 * before start; the first record's event is flagged EV_CTX_CLIPPED when that mattered, and
 * the ordered merge recomputes that record's context with scanner_context().
 */
#ifndef SIPLOGSCAN_SCAN_H
#define SIPLOGSCAN_SCAN_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "profile.h"

#define SCAN_MAX_LINE (1u << 20)	/* longer lines are cut (and counted) */
#define SCAN_MAX_MESSAGE (64u << 10)	/* a SIP message after its start line, at most */
#define SCAN_MAX_HEADER_LINES 200
#define SCAN_CONTEXT_BYTES 2048		/* how far before a start line we look for its time */
#define SCAN_LOOKBEHIND 8192		/* the furthest any context reaches back (tshark's frame
					 * lines): a window holds this much before its block */
#define SCAN_LONG_LINE 4096		/* a longer line never ends a SIP header block */
#define SCAN_MAX_PREFIX 512		/* a logger's prefix before each line of a message */

enum scan_mode { SCAN_MORE, SCAN_FORCE, SCAN_EOF };

typedef void (*scan_emit_fn)(void *ctx, const struct event *ev);

struct scan_stats {
	uint64_t bytes;		/* bytes consumed */
	uint64_t lines;		/* lines consumed */
	uint64_t cut_lines;	/* lines longer than SCAN_MAX_LINE that held a record's marker */
	uint64_t match_limited;	/* records a PCRE2 limit (match, depth, heap, JIT stack) cut short */
};

/* PCRE2 limits on every match (pcre2_set_match_limit & co.): a pathological line costs bounded
 * time; a record that hits one is counted (match_limited), never silently dropped. */
#define SCAN_MATCH_LIMIT 200000u
#define SCAN_DEPTH_LIMIT 10000u
#define SCAN_HEAP_LIMIT_KIB 20000u

struct scanner;

/* New scanner for profile p (which must outlive it). Never NULL. */
struct scanner *scanner_new(const struct profile *p, scan_emit_fn emit, void *emit_ctx);
void scanner_free(struct scanner *s);
void scanner_set_emit(struct scanner *s, scan_emit_fn emit, void *emit_ctx);
/*
 * on: every pattern through PCRE2, none through the hand-written matchers of the built-in
 * formats (src/scan_fast.c) - the reference the differential tests compare the fast path
 * with. The environment variable SIPLOGSCAN_SCAN=pcre2 sets it for every scanner of a run.
 */
void scanner_set_reference(struct scanner *s, int on);
/*
 * Where to keep the text of decoded syslog lines (a whole SIP message in one line with its
 * line ends escaped as #012) so that events may point into it after the scan: the caller's
 * arena, freed with the events. NULL (the default): a scratch buffer, valid during emit().
 */
struct arena;
void scanner_set_arena(struct scanner *s, struct arena *a);

/* Start a new input: file index for events. Resets line numbers, offsets and statistics. */
void scanner_begin(struct scanner *s, uint32_t file);

/* Scan buf[0..len) of a stream; returns the bytes consumed (all of them with SCAN_EOF). */
size_t scanner_feed(struct scanner *s, const char *buf, size_t len, enum scan_mode mode);

struct scan_block {
	uint64_t lines;		/* lines in [start, end) (a last line without '\n' counts) */
	uint64_t resume;	/* file offset where a sequential scan goes on after the block */
	uint64_t lines_cut;	/* lines over SCAN_MAX_LINE that start in the block: not read */
	uint64_t match_limited;
};

/*
 * Scan the records whose start line lies in buf[start..end) of buf[0..len), a window of the
 * input that starts at file offset base and holds everything a record starting before end can
 * reach (start and end are line starts, or len). Line numbers in the events count from start
 * (1 = the line at start); event offsets and out->resume are file offsets.
 */
void scanner_scan_block(struct scanner *s, const char *buf, size_t len, uint64_t base,
			size_t start, size_t end, struct scan_block *out);

/* The context of the start line at ls of buf[0..len), looking no further back than lo: what a
 * sequential scan gives when the previous record ended at lo. Sets ev->ts, ev->ts_before and
 * ev->src (pointing into buf, or into the scanner's scratch until its next call). */
void scanner_context(struct scanner *s, const char *buf, size_t len, size_t lo, size_t ls,
		     struct event *ev);

const struct scan_stats *scanner_stats(const struct scanner *s);

/*
 * How long the prefix of line l[0..n) is when it has the shape of prefix p[0..pn): digit runs
 * match digit runs of any length, blank runs blank runs (at p's end at most as wide as in p,
 * so that the content keeps its indentation), other bytes themselves; an empty line whose
 * prefix lost its trailing blank matches too. SIZE_MAX when the shapes differ.
 */
size_t scan_prefix_match(const char *p, size_t pn, const char *l, size_t n);

/*
 * Count the records profile p recognises in a sample (for --log-format auto); also returns
 * the time of the first one in *first_time (TIME_UNKNOWN if none) and the first full date
 * and time among their stamps in *first_dated (the date hint for time-of-day stamps before
 * it, timeline_set_hint()); mtime_us dates stamps without a year.
 */
uint64_t scan_count_sample(const struct profile *p, const char *buf, size_t len,
			   int64_t mtime_us, int64_t *first_time, int64_t *first_dated);

#endif
