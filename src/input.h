/*
 * input.h - files and stdin to bytes: plain files through mmap, gzip (detected by its magic
 * bytes, never by the name; multi-member) through zlib, stdin in large reads.
 *
 * Where in the flow: the first stage. An input is opened twice: once to take a sample (format
 * detection, first timestamp) and once to scan it, so that thousands of files never hold
 * thousands of descriptors. stdin is the exception: it is opened once and its sample replayed.
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
#include "scan.h"
#include "util.h"

#define INPUT_SAMPLE_BYTES (256u << 10)

struct source;

/* Open path ("-" is stdin). On failure records the error in rf and returns NULL. */
struct source *source_open(const char *path, struct report_file *rf);
void source_close(struct source *s);

/* File modification time, microseconds since the epoch (now for stdin). */
int64_t source_mtime_us(const struct source *s);

/*
 * The first up to INPUT_SAMPLE_BYTES uncompressed bytes, into out (replaced).
 * May only be called before source_scan(). Returns 0, or -1 on a read error (recorded in rf).
 */
int source_sample(struct source *s, struct buf *out, struct report_file *rf);

/* The whole file, when it is a plain file mapped in memory (its blocks are scanned in place);
 * NULL for gzip, stdin, pipes and empty files (read with source_read()). */
const char *source_map(const struct source *s, size_t *len);

/*
 * The next uncompressed bytes of the input, into dst[0..cap): the count, 0 at the end, or -1
 * when the input is damaged or unreadable (recorded in rf; the bytes before the damage were
 * returned by earlier calls). Works for every source (mapped, gzip, stdin). Not to be mixed
 * with source_sample() after the first call.
 */
ssize_t source_read(struct source *s, char *dst, size_t cap, struct report_file *rf);

/* Bytes of stored (compressed) input consumed by source_read() so far. */
uint64_t source_consumed(const struct source *s);

#endif
