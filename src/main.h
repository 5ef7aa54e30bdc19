/*
 * main.h - the whole program as a function: options, wiring of the stages, exit code.
 *
 * src/siplogscan.c's main() calls it; so does the whole-run fuzz target
 * (tests/fuzz/fuzz_run.c), which runs it many times in one process: it keeps no state between
 * calls, frees what it allocates, and ends the process only on a signal or when memory runs
 * out (fatal_exit()).
 */
#ifndef SIPLOGSCAN_MAIN_H
#define SIPLOGSCAN_MAIN_H

#include <stddef.h>

struct call_summary;
struct event;
struct pipeline_input;

/* Run siplogscan with argv[0..argc) as its command line; returns the exit status. */
int siplogscan_main(int argc, char **argv);

/*
 * What the subcommands that look into calls (src/calls.c, src/show.c) add to a report's run:
 * the same inputs, detection, order, threads, window and analysis as the report, and instead
 * of the report, what they take from it. Every member may be NULL.
 */
struct run_hooks {
	void *ctx;
	/* the inputs in the order they are scanned, before the scan (files[i] is event.file i) */
	void (*files_fn)(void *ctx, const struct pipeline_input *in, size_t n);
	/* every event, in input order, just before the analysis sees it */
	void (*event_fn)(void *ctx, const struct event *ev);
	/* every settled call, as --calls-ndjson gets it; path is its first file */
	void (*call_fn)(void *ctx, const struct call_summary *cs, const char *path);
	int no_report;		/* write no report, show no progress line */
};

/* siplogscan_main() with hooks: argv holds report options and inputs only. */
int siplogscan_run(int argc, char **argv, const struct run_hooks *h);

#endif
