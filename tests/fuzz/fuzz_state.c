/*
 * fuzz_state.c - libFuzzer target: siplogscan merge on state files whose body (the records
 * inside the deflated envelope, src/state.c) has been damaged in ways the checksum does not
 * catch: a state that another host wrote, a build with a bug, or one made by hand. Whatever
 * the bytes, merge must end with a status of 0 or 2 - no crash, no hang, no leak, no read out
 * of bounds - since its checks are all that stands between the file and the report.
 *
 * Random bytes would stop at the first length. Instead, once per process, the target scans a
 * small log of its own with --state-out (calls settled, calls left open, a head, two inputs)
 * and keeps that state's body; each input is a list of edits to it, six bytes each:
 *
 *   offset (u32, little-endian, taken modulo the body's length), op, value
 *   op % 4:  0 XOR the byte with value    1 set the byte to value
 *            2 set 8 bytes to one of a few telling values (0, 1, -1, 2^31, 2^63, ...)
 *            3 cut the body there (once)
 *
 * The envelope (magic, version, layout word, lengths, CRC-32) is then rebuilt around the
 * edited body, so the damage reaches the record parser. The op byte's bit 7 of the first edit
 * makes the run a merge into a state (merge --state-out) instead of a JSON report.
 *
 * Build and run: make fuzz; make check runs the corpus in tests/fuzz/corpus/state once.
 */
#include "main.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#define HEADER 32		/* magic 8, version 4, layout 4, stored length 8, body length 8 */

static char dir[] = "/tmp/siplogscan-fuzz-state.XXXXXX";
static unsigned char head[HEADER];	/* the real state's header */
static unsigned char *body;		/* its body, inflated */
static size_t body_len;

static const char log_a[] =
	"2026-11-24T00:00:00.000Z px kamailio[7]: NOTICE: <script>: siplog: req=INVITE cseq=1 "
	"INVITE callid=c1 src=udp:10.0.0.1:5060 auth=no ua=P from=alice to=100\n"
	"2026-11-24T00:00:00.010Z px kamailio[7]: NOTICE: <script>: siplog: rpl=407 cseq=1 "
	"INVITE callid=c1 src=udp:10.0.0.9:5060 reason=R\n"
	"2026-11-24T00:00:00.050Z px kamailio[7]: NOTICE: <script>: siplog: req=INVITE cseq=2 "
	"INVITE callid=c1 src=udp:10.0.0.1:5060 auth=yes ua=P\n"
	"2026-11-24T00:00:00.060Z px kamailio[7]: NOTICE: <script>: siplog: rpl=100 cseq=2 "
	"INVITE callid=c1 src=udp:10.0.0.9:5060 reason=R\n"
	"2026-11-24T00:00:01.000Z px kamailio[7]: NOTICE: <script>: siplog: rpl=200 cseq=2 "
	"INVITE callid=c1 src=udp:10.0.0.20:5060 reason=R\n"
	"2026-11-24T00:00:05.000Z px kamailio[7]: NOTICE: <script>: siplog: req=REGISTER cseq=1 "
	"REGISTER callid=r1 src=udp:10.0.0.2:5060 auth=no ua=Q\n"
	"2026-11-24T00:00:05.010Z px kamailio[7]: NOTICE: <script>: siplog: rpl=401 cseq=1 "
	"REGISTER callid=r1 src=udp:10.0.0.9:5060 reason=R\n";
static const char log_b[] =
	"2026-11-24T00:01:00.000Z px kamailio[7]: NOTICE: <script>: siplog: req=INVITE cseq=1 "
	"INVITE callid=c2 src=udp:10.0.0.3:5060 auth=no ua=P\n"
	"2026-11-24T00:01:00.010Z px kamailio[7]: NOTICE: <script>: siplog: rpl=100 cseq=1 "
	"INVITE callid=c2 src=udp:10.0.0.9:5060 reason=R\n"
	"2026-11-24T00:01:00.020Z px kamailio[7]: NOTICE: <script>: siplog: req=BYE cseq=3 "
	"BYE callid=c1 src=udp:10.0.0.1:5060 auth=no ua=P\n"
	"2026-11-24T00:01:02.000Z px kamailio[7]: NOTICE: <script>: siplog: rpl=503 cseq=1 "
	"INVITE callid=c3 src=udp:10.0.0.9:5060 reason=R\n";

static void put_file(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(p, 1, n, f) != n || fclose(f) != 0)
		abort();
}

static unsigned char *get_file(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	unsigned char *p = NULL;
	size_t cap = 0;

	if (!f)
		abort();
	*n = 0;
	for (;;) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 65536;
			p = realloc(p, cap);
			if (!p)
				abort();
		}
		size_t k = fread(p + *n, 1, cap - *n, f);
		if (!k)
			break;
		*n += k;
	}
	fclose(f);
	return p;
}

static uint64_t le64(const unsigned char *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void set_le(unsigned char *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++, v >>= 8)
		p[i] = (unsigned char)v;
}

/* The real state, once: two inputs, a settled call, open ones, a head (--session-timeout
 * keeps c1 open, so its BYE in b.log is kept in the head of a later shard's view). */
static void setup(void)
{
	char *argv[] = { "siplogscan", "-q", "--state-out", "base.st", "--host", "h1", "a.log",
			 "b.log", NULL };
	size_t n;

	if (!mkdtemp(dir) || chdir(dir) != 0)
		abort();
	put_file("a.log", log_a, sizeof(log_a) - 1);
	put_file("b.log", log_b, sizeof(log_b) - 1);
	if (siplogscan_main(8, argv) != 0)
		abort();
	unsigned char *st = get_file("base.st", &n);
	if (n < HEADER + 4)
		abort();
	memcpy(head, st, HEADER);
	uLongf raw = (uLongf)le64(st + 24);
	body = malloc(raw ? raw : 1);
	if (!body || uncompress(body, &raw, st + HEADER, (uLong)le64(st + 16)) != Z_OK)
		abort();
	body_len = raw;
	free(st);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint64_t telling[] = { 0, 1, UINT64_MAX, 0x80000000u, UINT64_C(1) << 63,
					    0xffffffffu, 1u << 20, 0x7fffffffffffffff };

	if (!body)
		setup();
	unsigned char *b = malloc(body_len);
	if (!b)
		abort();
	memcpy(b, body, body_len);
	size_t len = body_len;
	int cut = 0, to_state = size >= 5 && (data[4] & 0x80);
	for (size_t i = 0; i + 6 <= size && len; i += 6) {
		size_t off = (size_t)(data[i] | data[i + 1] << 8 | data[i + 2] << 16 |
				      (uint32_t)data[i + 3] << 24) % len;
		uint8_t op = data[i + 4] & 3, v = data[i + 5];
		if (op == 0)
			b[off] ^= v;
		else if (op == 1)
			b[off] = v;
		else if (op == 2 && off + 8 <= len)
			set_le(b + off, telling[v % 8], 8);
		else if (op == 3 && !cut) {
			len = off;
			cut = 1;
		}
	}

	/* the envelope around it, as state_write() makes it */
	uLongf zlen = compressBound((uLong)len);
	unsigned char *f = malloc(HEADER + zlen + 4);
	if (!f || compress2(f + HEADER, &zlen, b, (uLong)len, 1) != Z_OK)
		abort();
	memcpy(f, head, 16);
	set_le(f + 16, zlen, 8);
	set_le(f + 24, len, 8);
	uint32_t crc = (uint32_t)crc32(crc32(0, NULL, 0), f, (uInt)(HEADER + zlen));
	set_le(f + HEADER + zlen, crc, 4);
	put_file("f.st", f, HEADER + zlen + 4);
	free(f);
	free(b);

	char *report[] = { "siplogscan", "merge", "-q", "-f", "json", "-o", "out.json", "f.st",
			   NULL };
	char *state[] = { "siplogscan", "merge", "-q", "--state-out", "out.st", "f.st", NULL };
	int rc = to_state ? siplogscan_main(6, state) : siplogscan_main(8, report);
	if (rc != 0 && rc != 2)
		abort();
	return 0;
}
