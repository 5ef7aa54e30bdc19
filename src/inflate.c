/*
 * inflate.c - the gzip backends (see inflate.h). The interface is the smaller of the two
 * libraries' models: feed input, drain output, learn where a member ends.
 */
#include "inflate.h"
#include "util.h"

#include <stdint.h>
#include <stdlib.h>

#ifdef HAVE_ISAL
#include <isa-l/igzip_lib.h>

struct gunzip {
	struct inflate_state st;
};

struct gunzip *gunzip_new(void)
{
	struct gunzip *g = xmalloc(sizeof(*g));

	gunzip_reset(g);
	return g;
}

void gunzip_reset(struct gunzip *g)
{
	isal_inflate_init(&g->st);
	g->st.crc_flag = ISAL_GZIP;	/* parse the header, verify CRC-32 and length */
}

void gunzip_free(struct gunzip *g)
{
	free(g);
}

enum gunzip_status gunzip_run(struct gunzip *g, const unsigned char **in, size_t *in_len,
			      unsigned char *out, size_t cap, size_t *produced, const char **err)
{
	struct inflate_state *st = &g->st;

	st->next_in = (uint8_t *)*in;
	st->avail_in = (uint32_t)(*in_len > UINT32_MAX ? UINT32_MAX : *in_len);
	st->next_out = out;
	st->avail_out = (uint32_t)(cap > UINT32_MAX ? UINT32_MAX : cap);
	size_t given = st->avail_in;
	int rc = isal_inflate(st);
	*produced = (size_t)((st->next_out) - out);
	*in_len -= given - st->avail_in;
	*in = st->next_in;
	if (rc < 0) {
		switch (rc) {
		case ISAL_INCORRECT_CHECKSUM: *err = "CRC or length check failed"; break;
		case ISAL_INVALID_WRAPPER: *err = "invalid gzip header"; break;
		case ISAL_UNSUPPORTED_METHOD: *err = "not deflate-compressed"; break;
		default: *err = "invalid compressed data"; break;
		}
		return GUNZIP_ERROR;
	}
	if (st->block_state == ISAL_BLOCK_FINISH)
		return GUNZIP_MEMBER_END;
	return GUNZIP_MORE;
}

const char *gunzip_backend(void)
{
	return "isa-l";
}

#else
#include <zlib.h>

struct gunzip {
	z_stream z;
};

struct gunzip *gunzip_new(void)
{
	struct gunzip *g = xcalloc(1, sizeof(*g));

	if (inflateInit2(&g->z, 16 + MAX_WBITS) != Z_OK) {	/* 16: gzip wrapper only */
		err_msg("zlib: cannot initialise inflate (out of memory)");
		fatal_exit();
	}
	return g;
}

void gunzip_reset(struct gunzip *g)
{
	inflateReset(&g->z);
}

void gunzip_free(struct gunzip *g)
{
	if (!g)
		return;
	inflateEnd(&g->z);
	free(g);
}

enum gunzip_status gunzip_run(struct gunzip *g, const unsigned char **in, size_t *in_len,
			      unsigned char *out, size_t cap, size_t *produced, const char **err)
{
	z_stream *z = &g->z;

	z->next_in = (unsigned char *)*in;
	z->avail_in = (uInt)(*in_len > UINT32_MAX ? UINT32_MAX : *in_len);
	z->next_out = out;
	z->avail_out = (uInt)(cap > UINT32_MAX ? UINT32_MAX : cap);
	size_t given = z->avail_in;
	int rc = inflate(z, Z_NO_FLUSH);
	*produced = (size_t)(z->next_out - out);
	*in_len -= given - z->avail_in;
	*in = z->next_in;
	switch (rc) {
	case Z_STREAM_END:
		return GUNZIP_MEMBER_END;
	case Z_OK:
	case Z_BUF_ERROR:	/* no progress possible: needs input or output room */
		return GUNZIP_MORE;
	case Z_MEM_ERROR:
		*err = "out of memory";
		return GUNZIP_ERROR;
	default:
		*err = z->msg ? z->msg : "invalid compressed data";
		return GUNZIP_ERROR;
	}
}

const char *gunzip_backend(void)
{
	return "zlib";
}
#endif
