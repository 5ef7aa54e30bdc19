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

/* Run siplogscan with argv[0..argc) as its command line; returns the exit status. */
int siplogscan_main(int argc, char **argv);

#endif
