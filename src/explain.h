/*
 * explain.h - `siplogscan explain`: the knowledge base (include/knowledge.h) at the command
 * line. One response code, several codes compared, a problem pattern, or the list of all.
 *
 * Where in the flow: beside the scan, not in it. It reads only the static knowledge tables
 * and its arguments; main() hands it the command line before parsing any option.
 * Text output wraps at the given width (100 by default); JSON output follows the schema
 * siplogscan.explain/1 documented in docs/explain-json.md.
 */
#ifndef SIPLOGSCAN_EXPLAIN_H
#define SIPLOGSCAN_EXPLAIN_H

#include <stddef.h>

#include "knowledge.h"
#include "util.h"

#define EXPLAIN_SCHEMA "siplogscan.explain/1"

/*
 * `siplogscan explain [OPTIONS] CODE|PATTERN-ID... | --list`. argv[0] is "explain".
 * Writes the explanation to stdout and any error (arguments escaped with esc_text) to stderr.
 * Returns the exit code: 0 done, 2 usage error (unknown word, code outside 100..699, bad
 * option) or stdout could not be written.
 */
int explain_main(int argc, char **argv);

struct explain_request {
	const int *codes;		/* response codes, each 100..699 (registered or not) */
	size_t ncodes;			/* 2 or more: every code after the first is compared with it */
	const struct pattern_info *const *patterns;
	size_t npatterns;
	int list;			/* list every registered code and every pattern instead */
};

struct explain_opts {
	int json;		/* JSON (siplogscan.explain/1) instead of text */
	int color;		/* bold headings in text (the caller decides: a terminal, NO_COLOR) */
	unsigned width;		/* text wraps at this many columns; 0 means 100 */
};

/*
 * Append the explanation asked for in *req to out. Never fails on a valid request; returns
 * -1 (out unchanged) when a code lies outside 100..699. Safe from any thread.
 */
int explain_render(struct buf *out, const struct explain_request *req, const struct explain_opts *o);

/*
 * The key differences between codes a and b (100..699; equal, unregistered or both), derived
 * from their records: class and finality, registration, sender, what the client must do,
 * when each is seen. Appends one or more plain sentences (each ending with '.') to out,
 * one per line, each line ending with '\n'. Returns how many, or -1 (out unchanged) when a
 * or b lies outside 100..699.
 */
int explain_differences(struct buf *out, int a, int b);

/* What the client must do on action a, as an imperative sentence ("Resend the request ..."). */
const char *explain_action_text(enum client_action a);

#endif
