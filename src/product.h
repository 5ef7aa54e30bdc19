/*
 * product.h - which SIP server wrote a log in which no SIP record was found, and what to switch
 * on in it so that its log holds SIP.
 *
 * Where in the flow: after the scan, for an input that is marked unrecognised (main.c), on the
 * sample format detection took (input.h). Only the server's own line prefixes count, never
 * words inside a message: a Kamailio syslog tag "kamailio[1234]:" or stderr line
 * " 0(1234) INFO: <core> [core/...]:", OpenSIPS's "opensips[1234]:" or "INFO:core:main:",
 * Asterisk's "[Nov 24 13:00:01] VERBOSE[1234][C-00000001] pbx.c:" or "-- Executing [",
 * FreeSWITCH's "2026-11-24 13:00:01.123456 [NOTICE] switch_core.c:". Each line counts once,
 * for the first prefix it starts with; a product is named only when more than half of the
 * sampled lines carry its prefixes, so a few crafted lines in another log cannot name it.
 */
#ifndef SIPLOGSCAN_PRODUCT_H
#define SIPLOGSCAN_PRODUCT_H

#include <stddef.h>
#include <stdint.h>

enum product {
	PRODUCT_UNKNOWN,
	PRODUCT_KAMAILIO,
	PRODUCT_OPENSIPS,
	PRODUCT_ASTERISK,
	PRODUCT_FREESWITCH,
	PRODUCT_COUNT
};

struct product_guess {
	enum product product;	/* PRODUCT_UNKNOWN: no product holds a majority of the lines */
	uint64_t lines;		/* non-empty lines in the sample */
	uint64_t votes;		/* of them, lines with the named product's prefixes */
};

/* Guess the product from sample[0..len) (lines separated by LF; CR ignored). */
void product_guess(const char *sample, size_t len, struct product_guess *out);

/* "Kamailio", "OpenSIPS", ...; NULL for PRODUCT_UNKNOWN. */
const char *product_name(enum product p);

/* What to switch on in product p so that it logs SIP, as one clause for a message
 * ("load the sipdump module ..."); NULL for PRODUCT_UNKNOWN. */
const char *product_advice(enum product p);

#endif
