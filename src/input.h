/*
 * input.h - files and stdin to bytes: plain regular files through mmap, gzip (detected by its
 * magic bytes, never by the name; multi-member) through zlib or ISA-L, everything else
 * (stdin, pipes, FIFOs, character devices) through read().
 *
 * Where in the flow: the first stage. A regular file may be opened twice: once to take a
 * sample (format detection, first timestamp) and once, lazily, to scan it, so that thousands
 * of files never hold thousands of descriptors. Anything that is not a regular file (stdin, a
 * FIFO, /dev/stdin, a process substitution, a device) can be read only once: it is opened
 * once, the bytes its sample took are kept and given out again to the scan, so nothing is
 * lost (source_once()).
 *
 * Unstable files: a regular file is read with pread() or mapped. A read that ends before the
 * size the file had when it was opened is "file shrank while it was read" (logrotate's
 * copytruncate, an operator's '> kamailio.log'), never a truncated gzip stream; a mapping
 * whose pages vanish is caught by the caller (guard.h) and reported with source_fault().
 *
 * Errors are reported once, here, on stderr, and recorded in the report_file (status, error):
 * what went wrong and what to do. Whatever a damaged file yielded before the damage is scanned.
 */
#ifndef SIPLOGSCAN_INPUT_H
#define SIPLOGSCAN_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "report.h"
#include "util.h"

/* The sample (see source_sample): usable lines from the head, then pieces from later: a
 * regular plain file at a third, two thirds and its end; a stream every INPUT_SAMPLE_STRIDE
 * bytes of what it is read ahead for the sample, at most INPUT_SAMPLE_AHEAD bytes. */
#define INPUT_SAMPLE_HEAD (512u << 10)
#define INPUT_SAMPLE_PIECE (128u << 10)
#define INPUT_SAMPLE_PIECES 3
#define INPUT_SAMPLE_STREAM_PIECE (64u << 10)
#define INPUT_SAMPLE_STRIDE (1u << 20)
#define INPUT_SAMPLE_LINE (64u << 10)	/* longer lines are left out of the sample */
#define INPUT_SAMPLE_AHEAD (8u << 20)

struct source;

/* Open path ("-" is stdin). On failure records the error in rf and returns NULL. */
struct source *source_open(const char *path, struct report_file *rf);
void source_close(struct source *s);
/*
 * Read only bytes [start, end) of a plain regular file (--range, docs/state.md), cut at line
 * starts: from the first line start at or after start, up to the first at or after end, so
 * that adjacent ranges tile the file. Lines are counted from the range's start. Before any
 * read. Returns 0, or -1 (a gzip file or a stream: recorded in rf).
 */
int source_set_range(struct source *s, uint64_t start, uint64_t end, struct report_file *rf);
/*
 * --history: leave out the first skip uncompressed bytes of a gzip file (read before, while
 * it was a plain file or an earlier run read it): they are inflated and discarded, not
 * scanned nor counted; lines are counted from there. SOURCE_SKIP_ALL: the file is known to
 * be read whole already, and is not read at all. Before any read. Returns 0.
 */
#define SOURCE_SKIP_ALL UINT64_MAX
int source_set_skip(struct source *s, uint64_t skip, struct report_file *rf);
/* The bytes read, as cut: [*start, *end) (the whole file when no range was set). */
void source_range(const struct source *s, uint64_t *start, uint64_t *end);

/* File modification time, microseconds since the epoch (now for stdin and pipes). */
int64_t source_mtime_us(const struct source *s);

/* 1 when the input is read as a stream (gzip, or not a regular file), not mapped. */
int source_stream(const struct source *s);

/* 1 when the input can be read only once (not a regular file): keep it open from the sample
 * to the scan. */
int source_once(const struct source *s);

/*
 * The sample format detection looks at, into out (replaced): the lines of the input that can
 * hold a record - NUL bytes (a copytruncate hole) dropped, lines over INPUT_SAMPLE_LINE left
 * out - from its head (INPUT_SAMPLE_HEAD bytes of them) and from later pieces (see above),
 * so that a log that starts with megabytes of other lines is still recognised. Pieces are
 * separated by an empty line. Nothing of the input is lost: a source that can be read only
 * once gives the same bytes again to source_read(). May only be called before reading.
 * Returns 0, or -1 on a read error (recorded in rf).
 */
int source_sample(struct source *s, struct buf *out, struct report_file *rf);

/*
 * The same, but a stream stops at its head when enough(ctx, out->p, out->len) says the head
 * is enough (returns nonzero: the format is recognised), so that a gzip file is not inflated
 * ahead for pieces it does not need. enough is called at most once.
 */
int source_sample_until(struct source *s, struct buf *out, struct report_file *rf,
			int (*enough)(void *ctx, const char *p, size_t n), void *ctx);

/* An enough() for source_sample_until() that always says yes: the head alone. */
int source_head_only(void *ctx, const char *p, size_t n);

/* The whole file mapped in memory, when it is a plain regular file that could be mapped (its
 * blocks are scanned in place); NULL otherwise: gzip, streams, empty files, or a mapping the
 * system refused (then read it with source_read()). A page of the mapping may vanish while it
 * is read if the file shrinks: read it only under a guard (guard.h). */
const char *source_map(struct source *s, size_t *len);

/*
 * The next uncompressed bytes of the input, into dst[0..cap): the count, 0 at the end, or -1
 * when the input is damaged or unreadable (recorded in rf; the bytes before the damage were
 * returned by earlier calls). Works for every source; not for one that is being read through
 * its mapping.
 */
ssize_t source_read(struct source *s, char *dst, size_t cap, struct report_file *rf);

/* Bytes of stored (compressed) input consumed by source_read() so far. */
uint64_t source_consumed(const struct source *s);

/*
 * A page of the mapping vanished at offset at: records "file shrank while it was read" in rf
 * (once) with the size the file has now and what to do.
 */
void source_fault(struct source *s, uint64_t at, struct report_file *rf);

/*
 * After the last byte was read (or the last block of the mapping scanned): a regular file
 * that is now shorter than when it was opened shrank while it was read (an error, as for a
 * fault); one that is longer grew (its new bytes were not read: a note in rf, no error).
 */
void source_finish(struct source *s, struct report_file *rf);

#endif
