/*
 * test_scan_diff.c - the differential test of the scanner: the fast path (hand-written
 * matchers of the built-in "sip" and "kamailio" patterns, src/scan_fast.c) against PCRE2 alone
 * (the reference, scanner_set_reference()), which must give the same events field by field,
 * in the same order, with the same statistics (tests/unit/scandiff.h).
 *
 * Without arguments (tests/run.sh): every file under samples/ (gzip ones inflated), every
 * tests/cases/NAME.log, the benchmark generator's sipdump and xlog output at a small size, and
 * hostile variants - hand-written records at the edges of each matcher (CRLF, CR inside a
 * line, no final newline, NUL bytes, 10 kB Call-IDs, lines over 1 MiB and around the
 * matchers' length limits, a second " src=" in a Call-ID, header names in odd case, compact
 * forms, folded headers, tabs, odd stamps) and seeded mutations of them and of the small
 * samples. Each input goes through both formats as a stream (whole and in pieces) and as
 * blocks of several sizes. With file arguments (tests/live/run.sh): those files only.
 * A difference prints the input, the driver, the record and the first field that differs.
 */
#include "testhelp.h"

#include <dirent.h>
#include <sys/stat.h>
#include <zlib.h>

#include <unistd.h>

#include "scan_fast.h"
#include "scandiff.h"

static const struct profile *profiles[2];

/* The file, inflated when it is gzip (gzread reads plain files as they are). */
static int read_any(const char *path, struct buf *b)
{
	gzFile f = gzopen(path, "rb");
	char tmp[65536];
	int n;

	if (!f)
		return -1;
	while ((n = gzread(f, tmp, sizeof(tmp))) > 0)
		buf_add(b, tmp, (size_t)n);
	gzclose(f);
	return n < 0 ? -1 : 0;
}

/* Both formats, every driver. */
static int check_all(const char *name, const char *data, size_t len)
{
	static const size_t pieces_small[] = { 7, 97 }, blocks_small[] = { 97 };
	static const size_t pieces[] = { 0, 1000, 65536 }, blocks[] = { 4096, 65536, 1 << 20 };
	int ok = 1;

	for (int k = 0; k < 2; k++) {
		const struct profile *p = profiles[k];
		for (size_t i = 0; i < sizeof(pieces) / sizeof(pieces[0]); i++)
			ok &= sd_check_one(stdout, p, name, data, len, 0, pieces[i]);
		for (size_t i = 0; i < sizeof(blocks) / sizeof(blocks[0]); i++)
			ok &= sd_check_one(stdout, p, name, data, len, 1, blocks[i]);
		if (len > 65536)
			continue;
		for (size_t i = 0; i < sizeof(pieces_small) / sizeof(pieces_small[0]); i++)
			ok &= sd_check_one(stdout, p, name, data, len, 0, pieces_small[i]);
		for (size_t i = 0; i < sizeof(blocks_small) / sizeof(blocks_small[0]); i++)
			ok &= sd_check_one(stdout, p, name, data, len, 1, blocks_small[i]);
	}
	return ok;
}

static void check_file(const char *path)
{
	struct buf b = {0};

	if (read_any(path, &b) < 0) {
		CHECK(0, "%s: readable", path);
		return;
	}
	CHECK(check_all(path, b.p ? b.p : "", b.len), "%s (%zu bytes): fast path = PCRE2", path,
	      b.len);
	buf_free(&b);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file under dir whose name ends in one of the suffixes (NULL: any), sorted. */
static void walk(const char *dir, const char *const *suffixes)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0;

	if (!d) {
		CHECK(0, "%s: a directory", dir);
		return;
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		names = xrealloc(names, (n + 1) * sizeof(*names));
		names[n] = xmalloc(strlen(dir) + strlen(e->d_name) + 2);
		sprintf(names[n], "%s/%s", dir, e->d_name);
		n++;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), by_name);
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		if (stat(names[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			walk(names[i], suffixes);
		} else if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode)) {
			int take = !suffixes;
			for (size_t k = 0; suffixes && suffixes[k]; k++) {
				size_t sl = strlen(suffixes[k]), nl = strlen(names[i]);
				take |= nl >= sl && strcmp(names[i] + nl - sl, suffixes[k]) == 0;
			}
			if (take)
				check_file(names[i]);
		}
		free(names[i]);
	}
	free(names);
}

/* ---- hostile inputs ---- */

static uint64_t rng_state;

static uint32_t rnd(void)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(rng_state >> 33);
}

static void add(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

static void repeat(struct buf *b, char c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		buf_addc(b, c);
}

/* A Kamailio sipdump record around a message whose header lines are given. */
static void sipdump(struct buf *b, const char *start, const char *headers)
{
	add(b, "====================\ntag: rcv\npid: 4242\ntime: 1764000000.020000\n"
	       "date: Tue Nov 24 13:00:00 2026\nsrcip: 198.51.100.206\nsrcport: 5060\n"
	       "~~~~~~~~~~~~~~~~~~~~\n");
	add(b, start);
	add(b, "\n");
	add(b, headers);
	add(b, "Content-Length: 0\n\n||||||||||||||||||||\n");
}

static const char *const hdr_ok = "Via: SIP/2.0/UDP 10.0.0.1\nCall-ID: abc@h\nCSeq: 1 INVITE\n"
				  "User-Agent: Zoiper 1\nProxy-Authorization: Digest x\n";

/* The SIP messages: start lines, headers and contexts at the matchers' edges. */
static void hostile_sip(struct buf *b)
{
	static const char *const starts[] = {
		"INVITE sip:a@b SIP/2.0", "  INVITE sip:a@b SIP/2.0", "\tINVITE sip:a@b SIP/2.0 \t",
		"INVITE sip:a@b SIP/2.0\r", "INVITE sip:a@b SIP/2.0 x", "INVITE  sip:a@b SIP/2.0",
		"INVITE sip:a@b\tSIP/2.0", "invite sip:a@b SIP/2.0", "IN-V.I!T%E* sip:a SIP/2.0",
		"SIP/2.0 200 OK", "SIP/2.0 200", "SIP/2.0 200 ", "SIP/2.0 200\r", "SIP/2.0 200 OK\rX",
		"SIP/2.0 200 OK \r", "SIP/2.0 2000 OK", "SIP/2.0 700 No", "SIP/2.0 099 No",
		"SIP/2.0 486\tBusy Here", "SIP/2.0 200  \t ", "SIP/2.0 200 \r\r", "SIP/2.0 20",
		"ACK sip:a SIP/2.0 SIP/2.0", "  SIP/2.0 180 Ringing", "SIP/2.0 407 Proxy Auth\x01x",
		"Nov 24 13:00:01 px kamailio: INVITE sip:a@b SIP/2.0",
	};
	static const char *const headers[] = {
		"Call-ID: abc@h\nCSeq: 1 INVITE\n",
		"i: abc@h\ncseq: 1 invite\n",
		"I : abc@h\r\nCSEQ :\t2\tBYE\r\n",
		"call-id:\tabc@h \t\r\nCSeq: 12345678901 INVITE\nCSeq: 3 INVITE\n",
		"Call-ID: a\rb\nCall-ID: second\nCSeq: 1 INVITE x\nCSeq: 1 INVITE\n",
		"Call-ID:\n Call-ID: folded\nCSeq: 1\n INVITE\nCSeq:1 INVITE\n",
		"Call-IDx: no\nCall-ID  :  spaced  \nCSeq: 0 INVITE\n",
		"Call-ID: \r\nCall-ID: late\nCSeq: 1 INVITE\r\n",
		"Call-ID: ok\nCSeq: 4294967296 INVITE\nuser-agent:   \nUser-Agent: UA two\n",
		"Call-ID: ok\nCSeq: 1 INVITE\nAuthorization: Digest\rx\nProxy-Authorization: y\n",
		"Call-ID: ok\nCSeq: 1 INVITE\nAUTHORIZATION:\nPROXY-AUTHORIZATION \t: \r\n",
		"Call-ID: ok\nCSeq: 1 INVITE\nProxy-Authenticate: x\nAuthorizations: y\n",
		"Call-ID: ok\nCSeq: 1 INV1TE\nCSeq: 1 INVITE\n",
		"Call-ID: ok\n\tCSeq: 5 INVITE\n  User-Agent: indented\n",
		"Call-ID: x\x00y\nCSeq: 1 INVITE\n",
		"l: 0\ni: compact\nCSeq: 7 OPTIONS\n",
	};
	for (size_t i = 0; i < sizeof(starts) / sizeof(starts[0]); i++)
		sipdump(b, starts[i], hdr_ok);
	for (size_t i = 0; i < sizeof(headers) / sizeof(headers[0]); i++)
		sipdump(b, "INVITE sip:a@b SIP/2.0", headers[i]);
	/* contexts */
	static const char *const ctx[] = {
		"time: 12345678\n", "time: 123456789012.5\n", "time:1234567890.\n",
		"time:\t1234567890.25 x\n", "srcip:   \r\n", "srcip:\t1.2.3.4\tx\n", "srcipx: 1\n",
		"send 612 bytes to udp/1.2.3.4:5060 at 13:00:01.5:\n",
		"recv 612 bytes from udp/[10.0.0.1]:5060 at 13:00:01.123456:\n",
		"U 2026/11/24 13:00:01.123456 10.0.0.1:5060 -> 10.0.0.2:5060\n",
		"2026-11-24T13:00:01.5Z\n", "[Nov 24 13:00:01] VERBOSE[1] x\n", "-----------  x\n",
		"tag: time: 1234567890\n", "Time: 1234567890\n", "\xfftime: 1234567890\n",
		"time: 1234567890\rx\n",
	};
	for (size_t i = 0; i < sizeof(ctx) / sizeof(ctx[0]); i++) {
		add(b, "====================\n");
		add(b, ctx[i]);
		add(b, "SIP/2.0 200 OK\n");
		add(b, hdr_ok);
		add(b, "\n");
	}
	/* long values: a 10 kB Call-ID, lines around the span limits, a header over 1 MiB */
	struct buf h = {0};
	add(&h, "Call-ID: ");
	repeat(&h, 'c', 10000);
	add(&h, "\nCSeq: 1 INVITE\nUser-Agent: ");
	repeat(&h, 'u', 4090);
	add(&h, "\n");
	buf_addc(&h, '\0');
	sipdump(b, "INVITE sip:a@b SIP/2.0", h.p);
	h.len = 0;
	for (int i = 0; i < 5; i++) {
		add(&h, "X-Pad: ");
		repeat(&h, 'p', 4000);
		add(&h, "\n");
	}
	add(&h, "Call-ID: after-pad\nCSeq: 1 INVITE\n");
	buf_addc(&h, '\0');
	sipdump(b, "INVITE sip:a@b SIP/2.0", h.p);
	/* PCRE2's match limit (src/scan_fast.c, "Match limits"): lazy values with runs of 15
	 * blanks over 4 kB (under the limit: the matchers answer), a run of 500 blanks and lazy
	 * values that fail on an inner CR over 12 kB (PCRE2 stops at the limit: they must not) */
	static const char run15[] = "x \t \t \t \t \t \t \t ";
	h.len = 0;
	add(&h, "Call-ID: c\nCSeq: 1 INVITE\nUser-Agent: ");
	for (int i = 0; i < 250; i++)
		add(&h, run15);
	add(&h, "y\n");
	buf_addc(&h, '\0');
	sipdump(b, "INVITE sip:a@b SIP/2.0", h.p);
	h.len = 0;
	add(&h, "SIP/2.0 200 ");
	for (int i = 0; i < 250; i++)
		add(&h, run15);
	add(&h, "y");
	buf_addc(&h, '\0');
	sipdump(b, h.p, hdr_ok);
	h.len = 0;
	add(&h, "SIP/2.0 200 a");
	repeat(&h, ' ', 500);
	add(&h, "b");
	buf_addc(&h, '\0');
	sipdump(b, h.p, hdr_ok);
	h.len = 0;
	add(&h, "User-Agent: a");
	repeat(&h, ' ', 500);
	add(&h, "b\nCall-ID: after-run\nCSeq: 1 INVITE\n");
	buf_addc(&h, '\0');
	sipdump(b, "INVITE sip:a@b SIP/2.0", h.p);
	h.len = 0;
	for (int i = 0; i < 8; i++) {
		add(&h, "Call-ID: ");
		repeat(&h, 'x', 1400);
		add(&h, "\ry\n");
	}
	add(&h, "Call-ID: after-cr\nCSeq: 1 INVITE\n");
	buf_addc(&h, '\0');
	sipdump(b, "INVITE sip:a@b SIP/2.0", h.p);
	h.len = 0;
	add(&h, "Call-ID: big\nCSeq: 1 INVITE\nX-Big: ");
	repeat(&h, 'b', (1u << 20) + 10);
	add(&h, "\n");
	buf_addc(&h, '\0');
	sipdump(b, "INVITE sip:a@b SIP/2.0", h.p);
	buf_free(&h);
}

/* The siplog: lines at the matcher's edges. */
static void hostile_xlog(struct buf *b)
{
	static const char *const lines[] = {
		"2026-11-24T16:00:00.019999+00:00 px kamailio[1]: siplog: req=INVITE cseq=1 INVITE "
		"callid=a@h src=udp:1.2.3.4:5060 ruri=sip:b@h from=1 to=2 auth=yes ua=Zoiper 5",
		"Nov 24 13:00:01 px k: siplog: rpl=407 cseq=1 INVITE callid=a@h src=udp:1:5060 "
		"from=1 to=2 reason=Proxy Authentication Required  ",
		"Nov  4 13:00:01.25 px k: siplog: rpl=200 cseq=2 INVITE callid=a src=x reason=OK\r",
		"<13>1 2026-11-24T13:00:01Z px k: siplog: req=BYE cseq=3 BYE callid=a src=x",
		"<13>12026-11-24T13:00:01Z px k: siplog: req=BYE cseq=3 BYE callid=a src=x",
		"<1234>2026-11-24T13:00:01Z siplog: req=BYE cseq=3 BYE callid=a src=x",
		"Tue 2026-11-24 13:00:01.5 UTC px k: siplog: req=ACK cseq=1 ACK callid=a src=x",
		"Tue 2026-11-24 13:00:01.5+01 siplog: req=ACK cseq=1 ACK callid=a src=x",
		"2026-11-24T16:00:00+00:0 siplog: req=ACK cseq=1 ACK callid=a src=x",
		"2026-11-24T16:00:00.5Z5 siplog: req=ACK cseq=1 ACK callid=a src=x",
		"2026-11-24 16:00:00,5+0100\tsiplog: req=ACK cseq=1 ACK callid=a src=x",
		"x siplog: req=INVITE cseq=1 INVITE callid=a src=b c src=udp:1.2.3.4 ruri=r",
		"x siplog: req=INVITE cseq=1 INVITE callid=a src=b ruri=c ruri=d src=e",
		"x siplog: req=INVITE cseq=1 INVITE callid=a src=b from=c ruri=d",
		"x siplog: req=INVITE cseq=1 INVITE callid=a src=b ua=x reason=y reason=z  ",
		"x siplog: req=INVITE cseq=1 INVITE callid=a src=b ua=x\rreason=y",
		"x siplog: req=INVITE cseq=1 INVITE callid=a src=b auth=yesno ua=",
		"x siplog: req=INVITE cseq=1 INVITE callid=a src=b auth= ua=  ",
		"x siplog: req=INVITE cseq=1 INVITE callid= src= ",
		"x siplog: req=INVITE cseq=12345678901 INVITE callid=a src=b",
		"x siplog: req= cseq=1 INVITE callid=a src=b",
		"x siplog: rpl=700 cseq=1 INVITE callid=a src=b",
		"x siplog: rpl=20 cseq=1 INVITE callid=a src=b",
		"x siplog: req=INVITE cseq=1 INVITE callid=a src=b x siplog: rpl=200 cseq=1 INVITE "
		"callid=c src=d",
		"x siplog: bad siplog: req=INVITE cseq=1 INVITE callid=a src=b",
		"x siplog: req=INVITE cseq=1 INVITE callid=a\x00z src=b\x00 ua=\x01",
		"x siplog: req=INVITE cseq=1 INVITE callid=a src=b\tua=tab",
		"x siplog: req=INVITE cseq=1 INVITE callid=a src=b ua=x\t \t",
		"siplog: req=OPTIONS cseq=1 OPTIONS callid=a src=b",
		"x siplog:  req=INVITE cseq=1 INVITE callid=a src=b",
	};
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		add(b, lines[i]);
		add(b, "\n");
	}
	/* lazy ua= and reason= with runs of 15 blanks over 4 kB, and with a run of 500 (PCRE2's
	 * match limit: src/scan_fast.c) */
	static const char run15[] = "x \t \t \t \t \t \t \t ";
	for (int k = 0; k < 2; k++) {
		add(b, k ? "x siplog: req=BYE cseq=2 BYE callid=c src=b reason=" :
		    "x siplog: req=BYE cseq=2 BYE callid=c src=b ua=");
		for (int i = 0; i < 250; i++)
			add(b, run15);
		add(b, "y\n");
		add(b, k ? "x siplog: req=BYE cseq=3 BYE callid=c src=b reason=a" :
		    "x siplog: req=BYE cseq=3 BYE callid=c src=b ua=a");
		repeat(b, ' ', 500);
		add(b, "y\n");
	}
	/* a 10 kB Call-ID; lines just under, at and over the matcher's length limit; over 1 MiB */
	static const size_t sizes[] = { 10000, 3990, 4006, 4007, 4008, 4040, (1u << 20) + 5 };
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		add(b, "Nov 24 13:00:01 px k: siplog: req=INVITE cseq=1 INVITE callid=");
		repeat(b, 'c', sizes[i]);
		add(b, " src=udp:1.2.3.4:5060 ua=x\n");
	}
}

/* Variants of one text: CRLF, no final newline, NUL bytes, tabs, case flips, mutations. */
static void variants(const char *name, const char *t, size_t n, int mutants)
{
	struct buf v = {0};
	char label[300];
	int ok = 1;

	/* CRLF */
	for (size_t i = 0; i < n; i++) {
		if (t[i] == '\n')
			buf_addc(&v, '\r');
		buf_addc(&v, t[i]);
	}
	snprintf(label, sizeof(label), "%s (CRLF)", name);
	ok &= check_all(label, v.p ? v.p : "", v.len);
	/* no final newline */
	snprintf(label, sizeof(label), "%s (no final newline)", name);
	ok &= check_all(label, t, n && t[n - 1] == '\n' ? n - 1 : n);
	/* each kind of edit at seeded places: NUL bytes, blanks to tabs, letters' case flipped,
	 * then bytes from the matchers' alphabet put in, taken out or overwritten */
	static const char alphabet[] = { ' ', '\t', '\r', '\n', ':', '.', '0', '9', 'S', 's', '=',
					 '\0', 'i', 'I', '-', '<', '[', 'x' };
	for (int m = 0; m < mutants; m++) {
		v.len = 0;
		buf_add(&v, t, n);
		rng_state = (uint64_t)m * 7919 + n;
		int edits = 1 + (int)(rnd() % 8);
		for (int e = 0; e < edits && v.len; e++) {
			size_t at = rnd() % v.len;
			switch (m % 4) {
			case 0:
				v.p[at] = '\0';
				break;
			case 1:
				for (size_t k = at; k < v.len && k < at + 200; k++)
					if (v.p[k] == ' ')
						v.p[k] = '\t';
				break;
			case 2:
				for (size_t k = at; k < v.len && k < at + 200; k++)
					if ((v.p[k] | 0x20) >= 'a' && (v.p[k] | 0x20) <= 'z' && rnd() % 2)
						v.p[k] ^= 0x20;
				break;
			default: {
				char c = alphabet[rnd() % sizeof(alphabet)];
				unsigned op = rnd() % 3;
				if (op == 0) {
					v.p[at] = c;
				} else if (op == 1) {
					buf_grow(&v, 1);
					memmove(v.p + at + 1, v.p + at, v.len - at);
					v.p[at] = c;
					v.len++;
				} else {
					memmove(v.p + at, v.p + at + 1, v.len - at - 1);
					v.len--;
				}
			}
			}
		}
		snprintf(label, sizeof(label), "%s (mutant %d)", name, m);
		ok &= check_all(label, v.p ? v.p : "", v.len);
	}
	CHECK(ok, "%s: CRLF, no final newline and %d mutants: fast path = PCRE2", name, mutants);
	buf_free(&v);
}

static void hostile(void)
{
	struct buf b = {0};

	hostile_sip(&b);
	CHECK(check_all("hostile SIP messages", b.p, b.len), "hostile SIP messages (%zu bytes): "
	      "fast path = PCRE2", b.len);
	variants("hostile SIP messages", b.p, b.len, 2);
	b.len = 0;
	hostile_xlog(&b);
	CHECK(check_all("hostile siplog: lines", b.p, b.len), "hostile siplog: lines (%zu bytes): "
	      "fast path = PCRE2", b.len);
	variants("hostile siplog: lines", b.p, b.len, 2);
	/* the small hand-written pieces mutated more: their edits hit the matchers' edges */
	b.len = 0;
	for (int i = 0; i < 3; i++)
		sipdump(&b, i ? "SIP/2.0 407 Proxy Authentication Required" : "INVITE sip:a SIP/2.0",
			hdr_ok);
	variants("three sipdump records", b.p, b.len, 400);
	b.len = 0;
	add(&b, "Nov 24 13:00:01 px k: siplog: req=INVITE cseq=1 INVITE callid=a@h src=udp:1:5060 "
	    "ruri=sip:b from=1 to=2 auth=yes ua=Zoiper 5 reason=x\n"
	    "2026-11-24T16:00:00.5+01:00 px k: siplog: rpl=407 cseq=1 INVITE callid=a@h src=x "
	    "reason=Proxy Authentication Required\n");
	variants("two siplog: lines", b.p, b.len, 400);
	buf_free(&b);
}

/* The benchmark generator's output, when python3 is there. */
static void generated(const char *format, int seed)
{
	char path[] = "/tmp/siplogscan-diff-XXXXXX", cmd[512];
	int fd = mkstemp(path);

	if (fd < 0) {
		CHECK(0, "a temporary file");
		return;
	}
	close(fd);
	snprintf(cmd, sizeof(cmd), "python3 bench/gen.py --format %s --size 1 --seed %d %s "
		 ">/dev/null 2>&1", format, seed, path);
	if (system(cmd) != 0) {
		printf("# python3 bench/gen.py failed: generated %s input not checked\n", format);
		CHECK(0, "bench/gen.py --format %s runs", format);
	} else {
		check_file(path);
	}
	unlink(path);
}

/* scan_token_end() (16 bytes at a time with SSE2) against the byte-by-byte definition: every
 * byte value at every position of a run, the run at every offset of a 40-byte subject. */
static void token_runs(void)
{
	char l[40];
	int bad = 0;

	for (int c = 0; c < 256; c++) {
		int tok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  (c >= '0' && c <= '9') || (c && strchr("-.!%*_+`'~", c));
		if (scan_is_token((char)c) != tok)
			bad++;
		for (size_t at = 0; at < sizeof(l); at++) {
			memset(l, 'a', sizeof(l));
			l[at] = (char)c;
			for (size_t t = 0; t <= at; t++) {
				size_t want = tok ? sizeof(l) : at;
				if (scan_token_end(l, t, sizeof(l)) != want)
					bad++;
				if (scan_token_end(l, t, at) != at)
					bad++;	/* the end of the subject ends the run */
			}
		}
	}
	CHECK_EQ_INT(bad, 0, "scan_token_end(): every byte, every position, as the token set");
}

/* scan_find() and scan_lit_find() (16 starts a step with SSE2, the last ones in a step that
 * ends at the end of the haystack) against memmem(): needles of 2 to 8 bytes planted at every
 * position of every haystack length up to 70, over a background of the needle's first and
 * last bytes, then of the needle shifted by one (its pairs of bytes at every distance). */
static void literal_search(void)
{
	static const char *const needles[] = { "ab", "SIP/2.0", " src=", "siplog: ", "#012",
					       "a reason" };
	char h[80];
	int bad = 0;

	for (size_t k = 0; k < sizeof(needles) / sizeof(needles[0]); k++) {
		const char *nd = needles[k];
		size_t nk = strlen(nd);
		for (size_t n = 0; n <= 140; n++) {
			for (size_t at = 0; at <= n % 71; at++) {
				/* near misses all around */
				for (size_t i = 0; i < n % 71; i++)
					h[i] = n > 70 ? nd[(i + 1) % nk] :
					       i % 3 == 0 ? nd[0] : i % 3 == 1 ? nd[nk - 1] : 'x';
				size_t hn = n % 71;
				if (at + nk <= hn)
					memcpy(h + at, nd, nk);
				const char *want = memmem(h, hn, nd, nk);
				struct scan_lit lit;
				scan_lit_init(&lit, nd, nk);
				if (scan_find(h, hn, nd, nk) != want ||
				    scan_lit_find(&lit, h, hn) != want)
					bad++;
			}
		}
	}
	CHECK_EQ_INT(bad, 0, "scan_find(), scan_lit_find() = memmem(), every position and length");
}

/* fast_context_lines(): the line ends come from 64-byte masks (the last block shorter): a
 * "time:" and a "srcip:" line after every amount of filler, with and without a final line
 * end, each read whole. */
struct ctx_got {
	const char *c;
	char ts[32], src[32];
};

static void ctx_field(void *p, const struct fast_line *f)
{
	struct ctx_got *g = p;
	char *to = f->kind == FF_TS ? g->ts : g->src;
	size_t n = f->b - f->a < 31 ? f->b - f->a : 31;

	memcpy(to, g->c + f->a, n);
	to[n] = '\0';
}

static void context_line_ends(void)
{
	char c[300];
	int bad = 0;

	for (size_t pad = 0; pad < 200; pad++) {
		for (int end = 0; end < 2; end++) {
			size_t n = 0;
			for (size_t i = 0; i < pad; i++)	/* filler lines of 1 to 7 bytes */
				c[n++] = i % 7 == 6 || i + 1 == pad ? '\n' : 'a';
			n += (size_t)sprintf(c + n, "time: 1764000000.25\nsrcip: 10.0.0.1%s",
					     end ? "\n" : "");
			struct ctx_got g = { c, "", "" };
			if (!fast_context_lines(&profiles[0]->context, c, n, ctx_field, &g) ||
			    strcmp(g.ts, "1764000000.25") != 0 || strcmp(g.src, "10.0.0.1") != 0)
				bad++;
		}
	}
	CHECK_EQ_INT(bad, 0, "fast_context_lines(): every line end found, after any filler");
}

int main(int argc, char **argv)
{
	static const char *const logs[] = { ".log", NULL };

	profiles[0] = profile_builtin("sip");
	profiles[1] = profile_builtin("kamailio");
	CHECK(profiles[0] && profiles[1], "the built-in formats compile");
	if (!profiles[0] || !profiles[1])
		return test_done();
	if (argc > 1) {
		for (int i = 1; i < argc; i++)
			check_file(argv[i]);
		return test_done();
	}
	/* which patterns have their matcher: a pattern changed without it goes to PCRE2 (right,
	 * slower); its new hash, for src/scan_fast.c once the matcher agrees with it again */
	const struct pattern *pts[] = { &profiles[0]->start, &profiles[0]->header,
					&profiles[0]->context, &profiles[1]->match[0] };
	for (size_t i = 0; i < sizeof(pts) / sizeof(pts[0]); i++)
		printf("# %s %s: %s (text hash 0x%016llx)\n", i < 3 ? "sip" : "kamailio",
		       i == 0 ? "start" : i == 1 ? "header" : i == 2 ? "context" : "match",
		       pts[i]->fast ? "hand-written matcher" : "PCRE2 only",
		       (unsigned long long)scan_fast_hash(pts[i]->source));
	token_runs();
	literal_search();
	context_line_ends();
	hostile();
	walk("samples", NULL);
	walk("tests/cases", logs);
	generated("sipdump", 1);
	generated("sipdump", 3);
	generated("xlog", 1);
	generated("xlog", 7);
	return test_done();
}
