/*
 * test_product.c - unit tests for src/product.c: each product's line prefixes (one line is a
 * sample of its own), words of a prefix that stand in a message instead, the majority rule
 * (ties and minorities name nothing), CR and blank lines, and lines cut at the end of the
 * sample (no read past it: the ASan build runs these too).
 */
#include "testhelp.h"

#include <stdlib.h>
#include <string.h>

#include "product.h"

static enum product one(const char *line)
{
	struct product_guess g;

	product_guess(line, strlen(line), &g);
	return g.product;
}

/* the line copied into a buffer of exactly its length, so that a read past it is caught */
static enum product exact(const char *line)
{
	size_t n = strlen(line);
	char *p = malloc(n ? n : 1);
	struct product_guess g;

	memcpy(p, line, n);
	product_guess(p, n, &g);
	free(p);
	return g.product;
}

int main(void)
{
	static const struct { const char *line; enum product want; const char *what; } t[] = {
		{ " 0(15622) INFO: <core> [core/tcp_main.c:5073]: init_tcp(): using epoll_lt",
		  PRODUCT_KAMAILIO, "Kamailio stderr, core" },
		{ "13(15641) INFO: jsonrpcs [jsonrpcs_sock.c:443]: jsonrpc_dgram_process(): a new child",
		  PRODUCT_KAMAILIO, "Kamailio stderr, a module" },
		{ "Dec  2 07:57:57 sip-proxy kamailio[24507]: INFO: rr [rr_mod.c:188]: mod_init(): x",
		  PRODUCT_KAMAILIO, "Kamailio, BSD syslog" },
		{ "2026-11-24T13:00:01.000001+00:00 px kamailio[7]: NOTICE: <script>: hello",
		  PRODUCT_KAMAILIO, "Kamailio, RFC 3339 syslog, <script>" },
		{ "Dec  2 07:57:57 sip-proxy kamailio: INFO: <core> [core/tcp_main.c:5073]: x",
		  PRODUCT_KAMAILIO, "Kamailio, tag without a pid" },
		{ "Nov 24 13:00:01 px sipproxy[7]: ERROR: <core> [core/udp_server.c:1]: x",
		  PRODUCT_KAMAILIO, "Kamailio under a log_name of its own" },
		{ "Nov 24 13:20:00 sbc /usr/sbin/opensips[2201]: something else entirely",
		  PRODUCT_OPENSIPS, "OpenSIPS, tag with a path" },
		{ "Nov 24 13:20:00 [2201] NOTICE:core:main: version: opensips 3.4.3",
		  PRODUCT_OPENSIPS, "OpenSIPS stderr, level:module:function:" },
		{ "[Nov 24 13:00:05] VERBOSE[12305][C-00000001] pbx.c: Executing [1002@x:1] Dial()",
		  PRODUCT_ASTERISK, "Asterisk full log, with a call id" },
		{ "[2026-11-24 13:00:05.123] NOTICE[12305]: chan_sip.c:1 handle_request: x",
		  PRODUCT_ASTERISK, "Asterisk, ISO dateformat, 'LEVEL[pid]:'" },
		{ "    -- Executing [s@default:1] Answer(\"SIP/1001-00000000\", \"\") in new stack",
		  PRODUCT_ASTERISK, "Asterisk console verbose line" },
		{ "2026-11-24 13:00:01.102345 [NOTICE] switch_core.c:2500 FreeSWITCH Version 1.10",
		  PRODUCT_FREESWITCH, "FreeSWITCH" },
		{ "2026-11-24 13:00:01.102345 97.53% [INFO] sofia.c:3467 Started Profile internal",
		  PRODUCT_FREESWITCH, "FreeSWITCH with the CPU idle time" },
		{ "6a0f5d3e-8b21-4c77-a1e0-3f9d2c4b5a61 2026-11-24 13:00:05.118999 [DEBUG] "
		  "mod_dptools.c:1 x", PRODUCT_FREESWITCH, "FreeSWITCH with a call uuid" },
		{ "2026-11-24 13:00:01,000 INFO web: GET /?q=kamailio[1]: INFO: <core> [x]:",
		  PRODUCT_UNKNOWN, "a Kamailio prefix inside another program's message" },
		{ "Nov 24 13:00:01 px nginx[7]: 203.0.113.9 \"GET /kamailio[1]: HTTP/1.1\" 200",
		  PRODUCT_UNKNOWN, "another program's tag, then text" },
		{ "2026-11-24 13:00:01.102345 [NOTICE] sofia.c:1 [Nov 24 13:00:05] VERBOSE[1] pbx.c: x",
		  PRODUCT_FREESWITCH, "the first prefix of a line is the one that counts" },
		{ "[Nov 24 13:00:05] INFO[1] pbx.c: x", PRODUCT_UNKNOWN, "Asterisk has no INFO level" },
		{ "2026-11-24 13:00:01.1 [NOTICE] readme.txt:1 x", PRODUCT_UNKNOWN,
		  "FreeSWITCH's prefix names a C file" },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		CHECK_EQ_INT(one(t[i].line), t[i].want, "%s", t[i].what);

	/* cut at every length: never a read past the sample (ASan), never a crash */
	static const char *const cut[] = {
		"6a0f5d3e-8b21-4c77-a1e0-3f9d2c4b5a61 2026-11-24 13:00:05.118999 97.0% [DEBUG] a.c:1",
		"[Nov 24 13:00:05] VERBOSE[12305][C-00000001] pbx.c: x",
		"Nov 24 13:20:00 sbc /usr/sbin/opensips[2201]: INFO:core:main: x",
	};
	int crashed = 0;
	for (size_t i = 0; i < sizeof(cut) / sizeof(cut[0]); i++)
		for (size_t n = 0; n <= strlen(cut[i]); n++) {
			char *s = strndup(cut[i], n);
			crashed |= exact(s) >= PRODUCT_COUNT;
			free(s);
		}
	CHECK(!crashed, "lines cut at every length: a product or none");
	CHECK_EQ_INT(exact("6a0f5d3e-8b21-4c77-a1e0-3f9d2c4b5a61"), PRODUCT_UNKNOWN,
		     "a uuid that ends the sample");

	struct product_guess g;
	const char *crlf = " 0(1) INFO: <core> [a.c:1]: x\r\n\r\n   \n 0(1) INFO: <core> [a.c:1]: y\r\n";
	product_guess(crlf, strlen(crlf), &g);
	CHECK(g.product == PRODUCT_KAMAILIO && g.lines == 2 && g.votes == 2,
	      "CR LF line ends; blank lines are not counted (%llu lines, %llu votes)",
	      (unsigned long long)g.lines, (unsigned long long)g.votes);
	const char *tie = " 0(1) INFO: <core> [a.c:1]: x\nNov 24 13:20:00 [2] INFO:core:main: y\n";
	product_guess(tie, strlen(tie), &g);
	CHECK(g.product == PRODUCT_UNKNOWN && g.votes == 0, "one line each: a tie names nothing");
	const char *half = " 0(1) INFO: <core> [a.c:1]: x\nsomething else\n";
	product_guess(half, strlen(half), &g);
	CHECK(g.product == PRODUCT_UNKNOWN, "half of the lines is not more than half");
	const char *most = " 0(1) INFO: <core> [a.c:1]: x\nsomething else\n 0(1) INFO: <core> [a.c:1]: z";
	product_guess(most, strlen(most), &g);
	CHECK(g.product == PRODUCT_KAMAILIO && g.votes == 2 && g.lines == 3,
	      "two of three lines, the last without a newline: Kamailio");
	product_guess(NULL, 0, &g);
	CHECK(g.product == PRODUCT_UNKNOWN && g.lines == 0, "an empty sample");

	CHECK(product_name(PRODUCT_UNKNOWN) == NULL && product_advice(PRODUCT_UNKNOWN) == NULL,
	      "no name and no advice for an unknown product");
	for (int p = PRODUCT_UNKNOWN + 1; p < PRODUCT_COUNT; p++)
		CHECK(product_name((enum product)p) && product_advice((enum product)p) &&
		      strstr(product_advice((enum product)p), product_name((enum product)p)),
		      "%s: a name, and advice that names it", product_name((enum product)p));
	return test_done();
}
