/*
 * output.h - report files, all or nothing.
 *
 * Where in the flow: the last stage; main() hands it the rendered bytes. A report file is
 * replaced at once: written beside it under a temporary name, flushed to disk (fsync), then
 * renamed over it, so that monitoring never reads half a report and a failed run leaves the
 * previous one in place. A file written while the scan runs (--calls-csv) lives under its
 * temporary name until output_commit(). Devices and pipes (/dev/stdout, a FIFO) are written
 * directly.
 *
 * Every temporary file is registered: SIGINT, SIGTERM and SIGHUP, and fatal_exit() (out of
 * memory), remove them before the process ends, so a stopped run leaves nothing behind. A
 * signal ends the run with the signal's status (130 for SIGINT, 143 for SIGTERM) and no
 * report: never half of one (the report on stdout is written with those signals held).
 *
 * Symbolic links: an output through a link replaces the link's target and keeps the link -
 * except a link in a world-writable sticky directory (/tmp) that neither we nor the
 * directory's owner own, which is refused, as the kernel's protected_symlinks does: someone
 * else's link there is how a report would be made to overwrite a file of ours.
 */
#ifndef SIPLOGSCAN_OUTPUT_H
#define SIPLOGSCAN_OUTPUT_H

#include <stddef.h>

#include "util.h"

/* Install the signal handlers and the fatal_exit() cleanup. Call once, early. */
void output_install(void);

/*
 * Before the scan: can path be written? Its directory must exist and take a new file, it must
 * not be a directory, and a link must pass the rule above. what names the option in the
 * message ("-o", "--calls-csv"). 0, or -1 after a message that says what to do.
 */
int output_check(const char *path, const char *what);

/* Replace path with b (NULL: standard output). 0, or -1 after a message. */
int output_write(const char *path, const struct buf *b);

/* A file written in pieces (--calls-csv, --calls-ndjson). */
struct output_file;

/* Create path's temporary file now. NULL after a message. */
struct output_file *output_open(const char *path, const char *what);
/* From now on, write what is appended gzip-compressed (--calls-ndjson FILE.gz); the stream
 * ends at output_commit(). 0, or -1 after a message. */
int output_gzip(struct output_file *f);
/* Append; -1 after a message on the first failure (later calls do nothing). */
int output_append(struct output_file *f, const void *p, size_t n);
/* fsync and rename into place, then free f; -1 after a message (the temporary is removed). */
int output_commit(struct output_file *f);
/* Remove the temporary file and free f (NULL is a no-op). */
void output_abort(struct output_file *f);

#endif
