/*
 * test_profile.c - unit tests for src/profile.c: the built-in profiles compile, profile
 * text parses into named-group patterns, and each kind of mistake is refused with a message
 * that says where (stderr is captured into a temporary file to check the wording).
 */
#include "testhelp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "profile.h"
#include "report.h"

/* ---- stderr capture */

static char captured[4096];

static int capture_fd = -1, saved_fd = -1;
static FILE *capture_file;

static void capture_begin(void)
{
	fflush(stderr);
	capture_file = tmpfile();
	if (!capture_file)
		return;
	capture_fd = fileno(capture_file);
	saved_fd = dup(2);
	dup2(capture_fd, 2);
}

static const char *capture_end(void)
{
	captured[0] = '\0';
	if (!capture_file)
		return captured;
	fflush(stderr);
	dup2(saved_fd, 2);
	close(saved_fd);
	rewind(capture_file);
	size_t n = fread(captured, 1, sizeof(captured) - 1, capture_file);
	captured[n] = '\0';
	fclose(capture_file);
	capture_file = NULL;
	return captured;
}

/* Parse text with stderr captured; returns the profile, *msg the messages. */
static struct profile *parse(const char *text, const char **msg)
{
	capture_begin();
	struct profile *p = profile_parse(text, strlen(text), "my.profile");
	*msg = capture_end();
	return p;
}

/* ---- built-ins */

static void test_builtins(void)
{
	const char *msg;
	int n = 0;

	for (const char *const *name = profile_builtin_names; *name; name++)
		n++;
	CHECK_EQ_INT(n, 5, "profile_builtin_names lists five profiles");

	struct profile *sip = profile_builtin("sip");
	CHECK(sip != NULL, "built-in 'sip' compiles");
	if (sip) {
		CHECK_EQ_STR(sip->name, "sip", "sip: name");
		CHECK_EQ_STR(sip->origin, "built-in", "sip: origin");
		CHECK(sip->kind == RECORD_MESSAGE, "sip: message records");
		CHECK(sip->start.re && sip->header.re && sip->context.re, "sip: start, header, context compiled");
		CHECK(sip->header.ngroups[F_CALLID] >= 1 && sip->header.ngroups[F_CSEQ] >= 1,
		      "sip: header has callid and cseq groups");
		CHECK(sip->start.ngroups[F_METHOD] >= 1 && sip->start.ngroups[F_STATUS] >= 1,
		      "sip: start has method and status groups");
		CHECK(sip->context.ngroups[F_TS] >= 2, "sip: context has several ts alternatives (DUPNAMES)");
		CHECK(sip->shows_auth, "sip: shows_auth (header has an auth group)");
	}
	profile_free(sip);

	struct profile *kam = profile_builtin("kamailio");
	CHECK(kam != NULL, "built-in 'kamailio' compiles");
	if (kam) {
		CHECK_EQ_STR(kam->name, "kamailio", "kamailio: name");
		CHECK(kam->kind == RECORD_LINE && kam->nmatch >= 1, "kamailio: line records with a match");
		CHECK(kam->prefilter && kam->prefilter_len == 8 && memcmp(kam->prefilter, "siplog: ", 8) == 0,
		      "kamailio: prefilter 'siplog: ' keeps its trailing space");
		CHECK(kam->match[0].ngroups[F_CALLID] == 1, "kamailio: callid group");
		CHECK(kam->shows_auth, "kamailio: shows_auth");
	}
	CHECK(kam && kam->gives == GIVES_ALL && !kam->transaction, "kamailio: gives all, not transactions");
	profile_free(kam);

	struct profile *acc = profile_builtin("acc");
	CHECK(acc != NULL, "built-in 'acc' compiles");
	if (acc) {
		CHECK(acc->kind == RECORD_LINE && acc->transaction, "acc: transaction records");
		CHECK(acc->gives == GIVES_FINALS, "acc: gives finals only");
		CHECK(acc->match[0].ngroups[F_METHOD] == 1 && acc->match[0].ngroups[F_STATUS] == 1 &&
		      acc->match[0].ngroups[F_CALLID] == 1, "acc: method, status and callid groups");
		CHECK(acc->match[0].ngroups[F_TS] == 2, "acc: syslog stamp, else its timestamp=");
		CHECK(!acc->shows_auth, "acc: shows no credentials");
	}
	profile_free(acc);

	static const char *const ast[] = { "asterisk-security", "asterisk-auth" };
	for (int i = 0; i < 2; i++) {
		struct profile *x = profile_builtin(ast[i]);
		CHECK(x && x->gives == GIVES_AUTH && !x->transaction, "%s: compiles, gives auth", ast[i]);
		CHECK(x && x->match[0].ngroups[F_ACCOUNT] == 1 && x->match[0].ngroups[F_SRC] == 1 &&
		      x->match[0].ngroups[F_AUTH_FAILED] == 1 && x->match[0].ngroups[F_AUTH_UNKNOWN] == 1,
		      "%s: account, src and result groups", ast[i]);
		profile_free(x);
	}

	/* gives: words in any order, commas or blanks; "all"; default finals for transactions */
	struct profile *g = parse("name = g\ngives = finals, challenges\n"
				  "match = (?<method>A)(?<callid>b)\n", &msg);
	CHECK(g && g->gives == (GIVES_FINALS | GIVES_CHALLENGES) && !g->transaction,
	      "gives = finals, challenges");
	profile_free(g);
	g = parse("name = g\nrecord = transaction\nmatch = (?<method>A)(?<status>200)(?<callid>b)\n",
		  &msg);
	CHECK(g && g->transaction && g->gives == GIVES_FINALS, "record = transaction: gives finals");
	profile_free(g);
	g = parse("name = g\nrecord = transaction\ngives = all\n"
		  "match = (?<method>A)(?<status>200)(?<callid>b)\n", &msg);
	CHECK(g && g->gives == GIVES_ALL, "gives = all");
	profile_free(g);

	capture_begin();
	struct profile *none = profile_builtin("nosuch");
	msg = capture_end();
	CHECK(none == NULL, "unknown built-in name: NULL");
	CHECK(strstr(msg, "siplogscan: ") && strstr(msg, "'nosuch'"), "unknown built-in: message names it");
	profile_free(NULL);
	CHECK(1, "profile_free(NULL) is a no-op");
}

/* ---- valid profiles */

static void test_valid(void)
{
	const char *msg;
	static const char line_profile[] =
		"# my own format\n"
		"\n"
		"   # an indented comment\n"
		"name = mine\n"
		"record = line\r\n"
		"\t\n"
		"prefilter = \"CALL \"\n"
		"match = ^(?<ts>\\S+) CALL (?:req=(?<method>[A-Z]+)|rpl=(?<status>[0-9]{3})) "
			"id=(?<callid>\\S+) seq=(?<cseq>[0-9]+) (?<cseq_method>[A-Z]+)(?<mine>x)?\n"
		"match = ^OTHER (?<status>[0-9]{3}) (?<callid>\\S+)\n";
	struct profile *p = parse(line_profile, &msg);

	CHECK(p != NULL, "valid line profile parses");
	CHECK_EQ_STR(msg, "", "valid line profile: no messages");
	if (p) {
		CHECK_EQ_STR(p->name, "mine", "line profile: name");
		CHECK_EQ_STR(p->origin, "my.profile", "line profile: origin");
		CHECK(p->kind == RECORD_LINE, "line profile: kind");
		CHECK_EQ_INT(p->nmatch, 2, "line profile: two match patterns, in order");
		CHECK(p->prefilter && p->prefilter_len == 5 && memcmp(p->prefilter, "CALL ", 5) == 0,
		      "prefilter in quotes keeps its trailing space");
		const struct pattern *m = &p->match[0];
		CHECK(m->ngroups[F_TS] == 1 && m->ngroups[F_METHOD] == 1 && m->ngroups[F_STATUS] == 1 &&
		      m->ngroups[F_CALLID] == 1 && m->ngroups[F_CSEQ] == 1 && m->ngroups[F_CSEQ_METHOD] == 1,
		      "match 1: every named field group indexed");
		CHECK(m->ngroups[F_SRC] == 0 && m->ngroups[F_UA] == 0 && m->ngroups[F_AUTH] == 0,
		      "match 1: absent fields have no groups");
		CHECK_EQ_INT(m->groups[F_CALLID][0], 4, "match 1: callid is capture group 4");
		CHECK(m->source && strstr(m->source, "(?<callid>\\S+)"), "match 1: source kept");
		CHECK(p->match[1].ngroups[F_STATUS] == 1 && p->match[1].ngroups[F_CALLID] == 1,
		      "match 2: status and callid");
		CHECK(!p->shows_auth, "no auth group: shows_auth is 0");
	}
	profile_free(p);

	/* value trimming: no quotes, trailing blanks go; tab escape */
	p = parse("name = t\nprefilter = siplog:   \nmatch = (?<method>A)(?<callid>b)\n", &msg);
	CHECK(p && p->prefilter_len == 7 && strcmp(p->prefilter, "siplog:") == 0,
	      "unquoted prefilter: trailing spaces trimmed");
	profile_free(p);
	p = parse("name = t\nprefilter = \"a\\tb\\\\\"\nmatch = (?<method>A)(?<callid>b)\n", &msg);
	CHECK(p && p->prefilter_len == 4 && memcmp(p->prefilter, "a\tb\\", 4) == 0,
	      "prefilter escapes: \\t and \\\\");
	profile_free(p);
	p = parse("name = t\nmatch = (?<method>A)(?<callid>b)\n", &msg);
	CHECK(p && p->prefilter == NULL, "no prefilter: NULL");
	CHECK(p && p->kind == RECORD_LINE, "record defaults to line");
	profile_free(p);

	/* auth group: shows_auth */
	p = parse("name = a\nmatch = (?<method>[A-Z]+) (?<callid>\\S+)(?<auth> auth=yes)?\n", &msg);
	CHECK(p && p->shows_auth, "line profile with an auth group: shows_auth set");
	profile_free(p);

	/* duplicate names across alternatives */
	p = parse("name = d\nmatch = (?:(?<method>[A-Z]+) (?<callid>\\S+)|(?<callid>\\S+) (?<status>[0-9]{3}))\n",
		  &msg);
	CHECK(p && p->match[0].ngroups[F_CALLID] == 2, "a name in two alternatives: both groups kept");
	profile_free(p);

	/* message profile */
	static const char msg_profile[] =
		"name = msgs\n"
		"record = message\n"
		"start = ^(?:(?<method>[A-Z]+) \\S+ SIP/2\\.0|SIP/2\\.0 (?<status>[0-9]{3}).*)\\r?$\n"
		"header = (?mi)^(?:call-id: *(?<callid>\\S+)|cseq: *(?<cseq>[0-9]+) (?<cseq_method>[A-Z]+)"
			"|(?<auth>authorization):.*)\\r?$\n"
		"context = (?m)^T=(?<ts>[0-9.]+)$\n";
	p = parse(msg_profile, &msg);
	CHECK(p != NULL, "valid message profile parses");
	CHECK_EQ_STR(msg, "", "valid message profile: no messages");
	if (p) {
		CHECK(p->kind == RECORD_MESSAGE, "message profile: kind");
		CHECK(p->start.ngroups[F_METHOD] == 1 && p->header.ngroups[F_CALLID] == 1 &&
		      p->context.ngroups[F_TS] == 1, "message profile: groups indexed per pattern");
		CHECK(p->shows_auth, "message profile with an auth header group: shows_auth");
	}
	profile_free(p);

	CHECK_EQ_INT(profile_field_index("callid", 6), F_CALLID, "profile_field_index: callid");
	CHECK_EQ_INT(profile_field_index("cseq_method", 11), F_CSEQ_METHOD, "profile_field_index: cseq_method");
	CHECK_EQ_INT(profile_field_index("cseq_methodx", 4), F_CSEQ, "profile_field_index: reads only len bytes");
	CHECK_EQ_INT(profile_field_index("cs", 2), -1, "profile_field_index: a prefix is not a name");
	CHECK_EQ_INT(profile_field_index("Callid", 6), -1, "profile_field_index: case-sensitive");
}

/* ---- errors */

struct bad_case {
	const char *what;
	const char *text;
	const char *expect[3];	/* substrings the message must contain */
};

static void test_errors(void)
{
	static const struct bad_case cases[] = {
		{ "missing name",
		  "record = line\nmatch = (?<method>A)(?<callid>b)\n",
		  { "'my.profile'", "name" } },
		{ "missing callid group (line)",
		  "name = x\nmatch = (?<method>[A-Z]+) (?<id>\\S+)\n",
		  { "'my.profile'", "callid" } },
		{ "missing callid group (message)",
		  "name = x\nrecord = message\nstart = (?<method>[A-Z]+) SIP/2.0\nheader = (?<cseq>[0-9]+)\n",
		  { "'my.profile'", "callid" } },
		{ "no method or status group",
		  "name = x\nmatch = (?<callid>\\S+)\n",
		  { "'my.profile'", "status", "method" } },
		{ "line profile without match",
		  "name = x\nrecord = line\n",
		  { "'my.profile'", "match" } },
		{ "message profile without header",
		  "name = x\nrecord = message\nstart = (?<method>[A-Z]+) SIP/2.0\n",
		  { "'my.profile'", "header" } },
		{ "bad regex",
		  "# comment\n\nname = x\nmatch = (?<method>[A-Z]+ (?<callid>\\S+)\n",
		  { "'my.profile' line 4", "match", "regular expression" } },
		{ "bad regex in header",
		  "name = x\nrecord = message\nstart = (?<method>A)\nheader = (?<callid>[\n",
		  { "'my.profile' line 4", "header" } },
		{ "unknown key",
		  "name = x\n\nmatches = (?<method>A)(?<callid>b)\n",
		  { "'my.profile' line 3", "unknown key 'matches'" } },
		{ "record = bogus",
		  "name = x\nrecord = bogus\nmatch = (?<method>A)(?<callid>b)\n",
		  { "'my.profile' line 2", "record", "line" } },
		{ "gives: unknown word",
		  "name = x\ngives = finals trying\nmatch = (?<method>A)(?<callid>b)\n",
		  { "'my.profile' line 2", "gives", "'trying'" } },
		{ "gives without finals",
		  "name = x\ngives = requests\nmatch = (?<method>A)(?<callid>b)\n",
		  { "'my.profile' line 2", "gives", "finals" } },
		{ "transaction without status",
		  "name = x\nrecord = transaction\nmatch = (?<method>A)(?<callid>b)\n",
		  { "'my.profile'", "transaction", "status" } },
		{ "line without '='",
		  "name = x\njust some words\n",
		  { "'my.profile' line 2", "key = value" } },
		{ "too many match lines",
		  "name = x\nmatch = (?<method>A)(?<callid>b)\nmatch = (?<method>A)(?<callid>b)\n"
		  "match = (?<method>A)(?<callid>b)\nmatch = (?<method>A)(?<callid>b)\n"
		  "match = (?<method>A)(?<callid>b)\nmatch = (?<method>A)(?<callid>b)\n"
		  "match = (?<method>A)(?<callid>b)\nmatch = (?<method>A)(?<callid>b)\n"
		  "match = (?<method>A)(?<callid>b)\n",
		  { "'my.profile' line 10", "match" } },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *msg;
		struct profile *p = parse(cases[i].text, &msg);
		CHECK(p == NULL, "error '%s': NULL", cases[i].what);
		int ok = strncmp(msg, "siplogscan: ", 12) == 0 && strchr(msg, '\n') == msg + strlen(msg) - 1;
		for (int k = 0; k < 3 && cases[i].expect[k]; k++)
			if (!strstr(msg, cases[i].expect[k]))
				ok = 0;
		CHECK(ok, "error '%s': one message naming the problem", cases[i].what);
		if (!ok)
			printf("#   message: %s", msg);
		profile_free(p);
	}

	/* empty text */
	const char *msg;
	struct profile *p = parse("", &msg);
	CHECK(p == NULL && strstr(msg, "name"), "empty profile: missing name");
	profile_free(p);
	p = parse("# only comments\n\n   \n", &msg);
	CHECK(p == NULL && strstr(msg, "name") && !strstr(msg, "line 1"),
	      "comments and blank lines are ignored (not errors)");
	profile_free(p);

	/* profile_load on a missing file */
	capture_begin();
	p = profile_load("/nonexistent/dir/x.profile");
	msg = capture_end();
	CHECK(p == NULL && strstr(msg, "'/nonexistent/dir/x.profile'"), "profile_load: missing file, message names it");
}

int main(void)
{
	test_builtins();
	test_valid();
	test_errors();
	return test_done();
}
