/*
 * fuzz_diff.c - libFuzzer target: the scanner's fast path (src/scan_fast.c) against PCRE2
 * alone (scanner_set_reference) on the same bytes, for both built-in formats with
 * hand-written matchers ("sip", "kamailio"), as a stream (whole and in pieces of 61 bytes)
 * and as blocks (97 and 4096 bytes). Any difference in an event's fields, the order, the
 * statistics or a clipped context prints both (tests/unit/scandiff.h) and aborts. Build and
 * run: make fuzz (clang); seeds in tests/fuzz/corpus/diff/.
 */
#include "profile.h"
#include "scan.h"

#include <stdint.h>
#include <stdlib.h>

#include "../unit/scandiff.h"

static const struct profile *profiles[2];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *d = (const char *)data;

	if (!profiles[0]) {
		profiles[0] = profile_builtin("sip");
		profiles[1] = profile_builtin("kamailio");
		if (!profiles[0] || !profiles[1])
			abort();
	}
	for (int p = 0; p < 2; p++) {
		if (!sd_check_one(stderr, profiles[p], "input", d, size, 0, 0) ||
		    !sd_check_one(stderr, profiles[p], "input", d, size, 0, 61) ||
		    !sd_check_one(stderr, profiles[p], "input", d, size, 1, 97) ||
		    !sd_check_one(stderr, profiles[p], "input", d, size, 1, 4096))
			abort();
	}
	return 0;
}
