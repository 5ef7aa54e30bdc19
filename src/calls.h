/*
 * calls.h - the subcommands that look into calls, on the run of a report (main.h struct
 * run_hooks): `siplogscan calls` lists the calls behind a figure (src/calls.c), `siplogscan
 * show` prints one call's ladder (src/show.c). Both read the same inputs with the same
 * detection, order, threads, window and analysis as a report, so a call they name is one the
 * report counted, with the same figures.
 */
#ifndef SIPLOGSCAN_CALLS_H
#define SIPLOGSCAN_CALLS_H

#include <stddef.h>

#include "event.h"

int calls_main(int argc, char **argv);
int show_main(int argc, char **argv);

/*
 * A glob over bytes (a Call-ID may hold any byte, NUL too): '*' any run of bytes, '?' one
 * byte, '\' takes the next byte as it is; everything else matches itself exactly. No
 * character classes: '[' is a byte of many Call-IDs. 1 when s matches.
 */
int glob_match(const char *pat, size_t pn, const char *s, size_t sn);

/* An address filter, ADDR or ADDR/PREFIX (IPv4 or IPv6; a name matches itself, case
 * apart). 0, or -1 when the text is not one. */
struct addr_filter {
	int family;		/* 0: a name; AF_INET, AF_INET6 */
	unsigned char a[16];
	unsigned prefix;	/* bits that must be equal */
	char name[256];
	size_t name_len;
};
int addr_filter_parse(struct addr_filter *f, const char *text);
/* Does the logged address s (maybe with a transport, brackets or a port) match f? */
int addr_filter_match(const struct addr_filter *f, struct str s);

/* The report options a subcommand hands to the report's run as they are (getopt_long's
 * table, for the subcommands to include in their own), and their usage lines. */
extern const char calls_run_usage[];
/* 1 when getopt_long's c is one of them: then *argv gains "--name" and its value */
int calls_run_option(int c, const char *arg, char **argv, int *argc);
#define CALLS_RUN_OPTIONS \
	{ "since", required_argument, NULL, 's' }, \
	{ "until", required_argument, NULL, 'u' }, \
	{ "tz", required_argument, NULL, 'Z' }, \
	{ "threads", required_argument, NULL, 'j' }, \
	{ "block-size", required_argument, NULL, 'B' }, \
	{ "log-format", required_argument, NULL, 'l' }, \
	{ "call-timeout", required_argument, NULL, 'T' }, \
	{ "session-timeout", required_argument, NULL, 'D' }, \
	{ "slow-setup", required_argument, NULL, 'S' }, \
	{ "max-calls", required_argument, NULL, 'M' }, \
	{ "scanner-threshold", required_argument, NULL, 'N' }, \
	{ "host-from", required_argument, NULL, 'Y' }, \
	{ "host", required_argument, NULL, 'y' }, \
	{ "quiet", no_argument, NULL, 'q' }
/* their short forms for getopt_long's optstring */
#define CALLS_RUN_SHORT "j:l:q"

#endif
