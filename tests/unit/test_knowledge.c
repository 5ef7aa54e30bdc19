/*
 * test_knowledge.c - the knowledge tables: complete, ordered, and consistent with the header.
 *
 * The renderers and `siplogscan explain` print these records without checking them, so an
 * empty field, a code out of order or a pattern in the wrong slot would reach users. This
 * test holds the invariants listed at the top of src/knowledge.c.
 */
#include "knowledge.h"
#include "testhelp.h"

#include <stddef.h>

/* The IANA Response Codes registry as of this writing; the table must hold at least these. */
static const int iana_codes[] = {
	100, 180, 181, 182, 183, 199,
	200, 202, 204,
	300, 301, 302, 305, 380,
	400, 401, 402, 403, 404, 405, 406, 407, 408, 410, 412, 413, 414, 415, 416, 417,
	420, 421, 422, 423, 424, 425, 428, 429, 430, 433, 436, 437, 438, 439, 440, 469,
	470, 480, 481, 482, 483, 484, 485, 486, 487, 488, 489, 491, 493, 494,
	500, 501, 502, 503, 504, 505, 513, 555, 580,
	600, 603, 604, 606, 607, 608,
};

/* Non-empty, printable ASCII, no doubled or edge spaces (catches a lost space between
 * concatenated literals), and no '%' so no one can mistake the text for a format. */
static int text_ok(const char *s)
{
	size_t i, n;

	if (!s || !*s)
		return 0;
	n = strlen(s);
	if (s[0] == ' ' || s[n - 1] == ' ')
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c > 0x7e || c == '%')
			return 0;
		if (c == ' ' && s[i + 1] == ' ')
			return 0;
	}
	return 1;
}

/* Prose fields are sentences: they end with a full stop. */
static int sentence_ok(const char *s)
{
	return text_ok(s) && s[strlen(s) - 1] == '.';
}

static int action_ok(enum client_action a)
{
	return a >= ACTION_WAIT && a <= ACTION_GIVE_UP;
}

static int record_ok(const struct code_info *ci)
{
	return text_ok(ci->reason) && text_ok(ci->rfc) && strncmp(ci->rfc, "RFC ", 4) == 0 &&
		text_ok(ci->sender) && action_ok(ci->action) && sentence_ok(ci->meaning) &&
		sentence_ok(ci->when) && sentence_ok(ci->fix);
}

static void test_codes(void)
{
	const struct code_info *tab;
	size_t n = 0, i;
	int ascending = 1, complete = 1, lookups = 1, classes = 1;

	tab = knowledge_codes(&n);
	CHECK(tab != NULL, "knowledge_codes returns the table");
	CHECK(n >= 75, "at least 75 registered codes (got %zu)", n);

	for (i = 0; i < n; i++) {
		const struct code_info *ci = &tab[i];

		CHECK(record_ok(ci), "code %d has every field set", ci->code);
		if (i > 0 && tab[i - 1].code >= ci->code)
			ascending = 0;
		if (knowledge_code(ci->code) != ci)
			lookups = 0;
		if (knowledge_class_of(ci->code) != (enum sip_class)(ci->code / 100))
			classes = 0;
	}
	CHECK(ascending, "codes are ascending and unique");
	CHECK(lookups, "knowledge_code finds every table entry at its own address");
	CHECK(classes, "knowledge_class_of is code / 100 for every registered code");
	CHECK(tab[0].code >= 100 && tab[n - 1].code <= 699, "codes lie in 100..699");

	for (i = 0; i < sizeof(iana_codes) / sizeof(iana_codes[0]); i++) {
		if (!knowledge_code(iana_codes[i])) {
			complete = 0;
			printf("#   missing %d\n", iana_codes[i]);
		}
	}
	CHECK(complete, "every IANA-registered code is present");
}

static void test_specific_codes(void)
{
	const struct code_info *ci;

	ci = knowledge_code(407);
	CHECK(ci && ci->action == ACTION_AUTH_PROXY, "407 asks for Proxy-Authorization");
	CHECK_EQ_STR(ci ? ci->reason : NULL, "Proxy Authentication Required", "407 reason phrase");
	CHECK_EQ_STR(ci ? ci->rfc : NULL, "RFC 3261 section 21.4.8", "407 reference");
	ci = knowledge_code(401);
	CHECK(ci && ci->action == ACTION_AUTH_WWW, "401 asks for Authorization");
	ci = knowledge_code(100);
	CHECK(ci && ci->action == ACTION_WAIT, "100 means wait");
	ci = knowledge_code(200);
	CHECK(ci && ci->action == ACTION_DONE, "200 means done");
	ci = knowledge_code(302);
	CHECK(ci && ci->action == ACTION_REDIRECT, "302 means redirect");

	/* Phrases that popular lists get wrong; we follow the registry. */
	ci = knowledge_code(500);
	CHECK_EQ_STR(ci ? ci->reason : NULL, "Server Internal Error", "500 reason phrase");
	ci = knowledge_code(437);
	CHECK_EQ_STR(ci ? ci->reason : NULL, "Unsupported Credential", "437 reason phrase");
	ci = knowledge_code(504);
	CHECK_EQ_STR(ci ? ci->reason : NULL, "Server Time-out", "504 reason phrase");

	CHECK(knowledge_code(499) == NULL, "499 is not registered");
	CHECK(knowledge_code(409) == NULL, "409 (RFC 2543 only) is not registered");
	CHECK(knowledge_code(477) == NULL, "477 (Kamailio private) is not registered");
	CHECK(knowledge_code(0) == NULL && knowledge_code(-1) == NULL, "0 and -1 are not codes");
	CHECK(knowledge_code(99) == NULL && knowledge_code(700) == NULL,
		"99 and 700 are not codes");
}

static void test_classes(void)
{
	static const char *const names[] = {
		"provisional", "success", "redirection",
		"client failure", "server failure", "global failure",
	};
	const struct code_info *ci;
	int c;

	ci = knowledge_class(499);
	CHECK(ci != NULL && ci->code == 400, "499 falls back to the 4xx class record");
	CHECK(ci && record_ok(ci), "the 4xx class record has every field set");

	for (c = SIP_CLASS_PROVISIONAL; c <= SIP_CLASS_GLOBAL_FAILURE; c++) {
		ci = knowledge_class(c * 100 + 99);
		CHECK(ci && ci->code == c * 100 && record_ok(ci), "class %dxx record is complete",
			c);
		CHECK(knowledge_class(c * 100) == ci, "class %dxx: x00 and x99 share a record", c);
		CHECK_EQ_STR(knowledge_class_name((enum sip_class)c), names[c - 1],
			"class %d name", c);
		CHECK_EQ_INT(knowledge_class_of(c * 100 + 50), c, "class of %d50", c);
	}
	/* The fallback must take the same client action as the x00 code (RFC 3261 section 21). */
	for (c = SIP_CLASS_PROVISIONAL; c <= SIP_CLASS_GLOBAL_FAILURE; c++) {
		const struct code_info *x00 = knowledge_code(c * 100);

		ci = knowledge_class(c * 100 + 98);
		CHECK(x00 && ci && x00->action == ci->action, "class %dxx action matches %d00",
			c, c);
	}

	CHECK(knowledge_class(99) == NULL && knowledge_class(700) == NULL,
		"no class outside 100..699");
	CHECK(knowledge_class(-400) == NULL, "no class for negative codes");
	CHECK_EQ_INT(knowledge_class_of(99), 0, "class of 99 is 0");
	CHECK_EQ_INT(knowledge_class_of(700), 0, "class of 700 is 0");
	CHECK_EQ_STR(knowledge_class_name((enum sip_class)0), "unknown", "name of class 0");
}

static void test_severity(void)
{
	CHECK_EQ_STR(knowledge_severity_name(SEV_INFO), "info", "severity info");
	CHECK_EQ_STR(knowledge_severity_name(SEV_LOW), "low", "severity low");
	CHECK_EQ_STR(knowledge_severity_name(SEV_MEDIUM), "medium", "severity medium");
	CHECK_EQ_STR(knowledge_severity_name(SEV_HIGH), "high", "severity high");
	CHECK_EQ_STR(knowledge_severity_name(SEV_CRITICAL), "critical", "severity critical");
	CHECK_EQ_STR(knowledge_severity_name((enum severity)0), "unknown", "severity 0");
}

static void test_patterns(void)
{
	/* Stable ids (JSON, explain) and severities, in enum order. */
	static const struct {
		enum pattern_id pid;
		const char *id;
		enum severity sev;
	} want[] = {
		{ PAT_STUCK_AFTER_100, "stuck-after-100", SEV_HIGH },
		{ PAT_NO_FINAL_NO_100, "no-final-no-100", SEV_HIGH },
		{ PAT_SLOW_SETUP, "slow-setup", SEV_MEDIUM },
		{ PAT_PROXY_AUTH_NOT_RETRIED, "proxy-auth-not-retried", SEV_MEDIUM },
		{ PAT_PROXY_AUTH_REJECTED, "proxy-auth-rejected", SEV_HIGH },
		{ PAT_WWW_AUTH_NOT_RETRIED, "www-auth-not-retried", SEV_MEDIUM },
		{ PAT_WWW_AUTH_REJECTED, "www-auth-rejected", SEV_HIGH },
		{ PAT_AUTH_SCANNER, "auth-scanner", SEV_CRITICAL },
		{ PAT_REQUEST_TIMEOUT, "request-timeout", SEV_MEDIUM },
		{ PAT_SERVER_ERRORS, "server-errors", SEV_HIGH },
		{ PAT_GLOBAL_FAILURES, "global-failures", SEV_LOW },
		{ PAT_AUTH_BREAK_IN, "auth-break-in", SEV_CRITICAL },
		{ PAT_AUTH_GUESSING, "auth-guessing", SEV_HIGH },
		{ PAT_AUTH_SPREAD_GUESSING, "auth-spread-guessing", SEV_HIGH },
	};
	int i, j, unique = 1;

	CHECK_EQ_INT(sizeof(want) / sizeof(want[0]), PAT_COUNT, "every pattern id is listed here");

	for (i = 0; i < PAT_COUNT; i++) {
		const struct pattern_info *p = knowledge_pattern((enum pattern_id)i);

		CHECK(p != NULL && p->pid == (enum pattern_id)i, "pattern %d sits at its enum slot",
			i);
		if (!p)
			continue;
		CHECK(text_ok(p->id) && text_ok(p->title) && sentence_ok(p->rule) &&
			text_ok(p->denominator) && sentence_ok(p->causes) && sentence_ok(p->fix),
			"pattern %s has every field set", p->id ? p->id : "(null)");
		CHECK(p->severity >= SEV_INFO && p->severity <= SEV_CRITICAL,
			"pattern %s severity in range", p->id);
		if (i < (int)(sizeof(want) / sizeof(want[0]))) {
			CHECK_EQ_STR(p->id, want[i].id, "pattern %d id", i);
			CHECK_EQ_INT(p->severity, want[i].sev, "pattern %s severity", p->id);
			CHECK_EQ_INT(p->pid, want[i].pid, "pattern %s enum", p->id);
		}
		CHECK(knowledge_pattern_by_id(p->id) == p, "pattern %s round-trips by id", p->id);
		for (j = 0; j < i; j++) {
			const struct pattern_info *q = knowledge_pattern((enum pattern_id)j);

			if (q && strcmp(q->id, p->id) == 0)
				unique = 0;
		}
	}
	CHECK(unique, "pattern ids are unique");
	CHECK(knowledge_pattern(PAT_COUNT) == NULL, "PAT_COUNT is not a pattern");
	CHECK(knowledge_pattern((enum pattern_id)-1) == NULL, "a negative id is not a pattern");
	CHECK(knowledge_pattern_by_id("no-such-pattern") == NULL, "unknown id gives NULL");
	CHECK(knowledge_pattern_by_id("") == NULL, "empty id gives NULL");
	CHECK(knowledge_pattern_by_id(NULL) == NULL, "NULL id gives NULL");
}

int main(void)
{
	test_codes();
	test_specific_codes();
	test_classes();
	test_severity();
	test_patterns();
	return test_done();
}
