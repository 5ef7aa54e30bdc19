/*
 * infer.h - an operator's own one-line layout (xlog, log_message ...) turned into a profile.
 *
 * Where in the flow: after format detection (detect.h), when no built-in format reads a
 * record in an input's sample (--log-format auto), and in 'siplogscan profile --infer'. It
 * reads the sample once and writes profile text in the syntax of profile.h, which
 * profile_parse() compiles like any profile file: the result is as fast as a hand-written
 * profile, and the text can be saved, reviewed and passed with --log-format FILE.
 *
 * What it reads: lines that hold a Call-ID under a known label (ci= cid= callid= call_id=
 * Call-ID: ..., or in brackets) and a request method or a status code (bare, or under a
 * label). Lines are grouped by their layout (labels, words and value kinds in order); a
 * layout is used only when enough lines agree on it and every label in it is one that many
 * lines use, so a few lines whose attacker-chosen values look like other keys do not change
 * what is read. Every literal copied from the log is escaped in the regex.
 */
#ifndef SIPLOGSCAN_INFER_H
#define SIPLOGSCAN_INFER_H

#include <stddef.h>

#include "util.h"

/* Fewer agreeing lines than this: nothing is inferred. */
#define INFER_MIN_LINES 4

/*
 * Infer a line profile from sample[0..len). On success returns 0, appends the profile text
 * (named "inferred", with comments saying what was read from which label) to *text and a
 * one-line summary to *summary. On failure returns -1 and appends why to *summary (nothing
 * is printed).
 */
int infer_profile_text(const char *sample, size_t len, struct buf *text, struct buf *summary);

/* Do two profiles (one of them inferred) read the same? Same name, origin, prefilter and
 * patterns: the files of one log share the profile inferred for the first. */
struct profile;
int infer_same(const struct profile *a, const struct profile *b);

/* 'siplogscan profile --infer FILE...': prints the inferred profile on stdout. Exit status. */
int infer_main(int argc, char **argv);

#endif
