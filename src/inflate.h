/*
 * inflate.h - gzip decoding behind one interface, with two backends chosen at build time:
 * ISA-L's igzip (libisal, about twice as fast as zlib on x86-64) when pkg-config finds it,
 * zlib otherwise or with `make INFLATE=zlib`. Both are tested by `make check`.
 *
 * A gunzip decodes one gzip member at a time; the caller resets it for the next member of a
 * multi-member file. Not thread-safe; one per stream.
 */
#ifndef SIPLOGSCAN_INFLATE_H
#define SIPLOGSCAN_INFLATE_H

#include <stddef.h>

enum gunzip_status {
	GUNZIP_MORE,		/* made progress; give more input or more output room */
	GUNZIP_MEMBER_END,	/* one gzip member (and its trailer) is complete */
	GUNZIP_ERROR,		/* corrupt data: *err says what */
};

struct gunzip;

struct gunzip *gunzip_new(void);
void gunzip_free(struct gunzip *g);
void gunzip_reset(struct gunzip *g);	/* ready for the next member */

/*
 * Decode from in[0..*in_len) into out[0..cap). On return *in and *in_len describe the input
 * not consumed, *produced the bytes written. Returns GUNZIP_MORE with *produced == 0 and
 * *in_len == 0 when it needs more input.
 */
enum gunzip_status gunzip_run(struct gunzip *g, const unsigned char **in, size_t *in_len,
			      unsigned char *out, size_t cap, size_t *produced, const char **err);

/* "isa-l" or "zlib" */
const char *gunzip_backend(void);

#endif
