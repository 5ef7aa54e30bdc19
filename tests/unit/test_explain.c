/*
 * test_explain.c - `siplogscan explain` without the command line: every code explains, any
 * two codes compare (every pair of registered codes plus unregistered ones, in text and
 * JSON), the differences are derived sentences, every pattern explains, the list is whole,
 * text fits 100 columns and JSON is well-formed.
 *
 * tests/e2e/explain.sh covers the command line itself (options, errors, exit codes).
 */
#include "explain.h"
#include "testhelp.h"

#include <stdlib.h>

/* ---- a strict little JSON checker (RFC 8259 grammar; enough to catch a missing comma) */

struct jp {
	const char *p, *end;
	int depth;
};

static void jws(struct jp *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\n' || *j->p == '\t' || *j->p == '\r'))
		j->p++;
}

static int jvalue(struct jp *j);

static int jstring(struct jp *j)
{
	if (j->p >= j->end || *j->p != '"')
		return 0;
	for (j->p++; j->p < j->end; j->p++) {
		unsigned char c = (unsigned char)*j->p;
		if (c == '"') {
			j->p++;
			return 1;
		}
		if (c < 0x20)
			return 0;
		if (c == '\\') {
			j->p++;
			if (j->p >= j->end || !strchr("\"\\/bfnrtu", *j->p))
				return 0;
		}
	}
	return 0;
}

static int jnumber(struct jp *j)
{
	const char *s = j->p;

	if (j->p < j->end && *j->p == '-')
		j->p++;
	while (j->p < j->end && strchr("0123456789.eE+-", *j->p))
		j->p++;
	return j->p > s;
}

static int jword(struct jp *j, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(j->end - j->p) < n || strncmp(j->p, w, n) != 0)
		return 0;
	j->p += n;
	return 1;
}

static int jcontainer(struct jp *j, char open, char close)
{
	if (++j->depth > 32)
		return 0;
	j->p++;
	jws(j);
	if (j->p < j->end && *j->p == close) {
		j->p++;
		j->depth--;
		return 1;
	}
	for (;;) {
		if (open == '{') {
			if (!jstring(j))
				return 0;
			jws(j);
			if (j->p >= j->end || *j->p++ != ':')
				return 0;
		}
		if (!jvalue(j))
			return 0;
		jws(j);
		if (j->p >= j->end)
			return 0;
		if (*j->p == ',') {
			j->p++;
			jws(j);
			continue;
		}
		if (*j->p++ != close)
			return 0;
		j->depth--;
		return 1;
	}
}

static int jvalue(struct jp *j)
{
	jws(j);
	if (j->p >= j->end)
		return 0;
	switch (*j->p) {
	case '{':
		return jcontainer(j, '{', '}');
	case '[':
		return jcontainer(j, '[', ']');
	case '"':
		return jstring(j);
	case 't':
		return jword(j, "true");
	case 'f':
		return jword(j, "false");
	case 'n':
		return jword(j, "null");
	default:
		return jnumber(j);
	}
}

static int json_ok(const struct buf *b)
{
	struct jp j = { b->p, b->p + b->len, 0 };

	if (!b->len || !jvalue(&j))
		return 0;
	jws(&j);
	return j.p == j.end;
}

/* ---- helpers */

static size_t widest_line(const struct buf *b)
{
	size_t w = 0, col = 0;

	for (size_t i = 0; i < b->len; i++) {
		if (b->p[i] == '\n') {
			col = 0;
			continue;
		}
		if (++col > w)
			w = col;
	}
	return w;
}

static int has(struct buf *b, const char *s)
{
	return strstr(buf_cstr(b), s) != NULL;
}

static int render(struct buf *out, const int *codes, size_t n, int json)
{
	struct explain_request req = { .codes = codes, .ncodes = n };
	struct explain_opts o = { .json = json, .width = 100 };

	buf_reset(out);
	return explain_render(out, &req, &o);
}

/* Every difference is a non-empty line ending with '.', with no "(null)" or leftover format. */
static int sentences_ok(struct buf *d, int n)
{
	int lines = 0;

	for (char *s = buf_cstr(d), *e; *s; s = e + 1) {
		e = strchr(s, '\n');
		if (!e || e == s || e[-1] != '.')
			return 0;
		lines++;
	}
	return lines == n && n >= 1 && !has(d, "(null)") && !has(d, "%");
}

/* Codes that IANA has not registered, at the edges of each class and inside. */
static const int unregistered[] = { 101, 150, 198, 201, 299, 303, 399, 409, 477, 499, 599, 601,
				    699 };

static void test_each_code(void)
{
	size_t n;
	const struct code_info *c = knowledge_codes(&n);
	struct buf out = {0};
	int ok_text = 1, ok_json = 1, narrow = 1;

	for (size_t i = 0; i < n; i++) {
		const char *cls = knowledge_class_name(knowledge_class_of(c[i].code));
		if (render(&out, &c[i].code, 1, 0) != 0 || !has(&out, c[i].reason) ||
		    !has(&out, cls) || !has(&out, c[i].rfc)) {
			ok_text = 0;
			printf("#   explain %d lacks reason, class or RFC\n", c[i].code);
		}
		if (widest_line(&out) > 100)
			narrow = 0;
		if (render(&out, &c[i].code, 1, 1) != 0 || !json_ok(&out)) {
			ok_json = 0;
			printf("#   explain -f json %d is not valid JSON\n", c[i].code);
		}
	}
	CHECK(ok_text, "explain N prints reason, class, RFC for all %zu registered codes", n);
	CHECK(narrow, "explain N fits 100 columns for every registered code");
	CHECK(ok_json, "explain -f json N is valid JSON for every registered code");
	buf_free(&out);
}

static void test_unregistered(void)
{
	struct buf out = {0};
	int code = 499;

	CHECK(render(&out, &code, 1, 0) == 0, "499 explains");
	CHECK(has(&out, "499 (not registered)"), "499 says it is not registered");
	CHECK(has(&out, "client failure (4xx)"), "499 gives its class");
	CHECK(has(&out, "x00 of its class") && has(&out, "400 Bad Request"),
	      "499 says RFC 3261 treats it as 400 Bad Request");
	CHECK(render(&out, &code, 1, 1) == 0 && json_ok(&out) && has(&out, "\"registered\": false") &&
	      has(&out, "\"handled_as\": 400"), "499 in JSON: registered false, handled_as 400");
	for (size_t i = 0; i < sizeof(unregistered) / sizeof(unregistered[0]); i++) {
		code = unregistered[i];
		render(&out, &code, 1, 0);
		CHECK(has(&out, "not registered") && widest_line(&out) <= 100,
		      "%d explains as unregistered within 100 columns", code);
	}
	code = 99;
	CHECK(render(&out, &code, 1, 0) == -1 && out.len == 0, "99 is refused");
	code = 700;
	CHECK(render(&out, &code, 1, 1) == -1 && out.len == 0, "700 is refused");
	buf_free(&out);
}

static void test_100_407(void)
{
	struct buf d = {0}, out = {0};
	int n = explain_differences(&d, 100, 407);
	const int pair[] = { 100, 407 };

	CHECK(n >= 3 && sentences_ok(&d, n), "100 vs 407: %d sentences", n);
	CHECK(has(&d, "100 is provisional") && has(&d, "407 is final"),
	      "100 is provisional while 407 is final");
	CHECK(has(&d, "more responses follow") && has(&d, "ends the transaction"),
	      "provisional: more responses follow; final: ends the transaction");
	CHECK(has(&d, "After 100 the client has nothing to send"), "100 needs no action");
	CHECK(has(&d, "100 needs no action"), "100 needs no action, said outright");
	CHECK(has(&d, "after 407 the client must resend the request with Proxy-Authorization"),
	      "407 needs a resend with Proxy-Authorization");
	CHECK(has(&d, "a proxy that wants credentials"), "the senders come from the records");
	CHECK(has(&d, "When you see 100: On almost every INVITE"), "when each applies, from the records");

	CHECK(render(&out, pair, 2, 0) == 0, "100 407 renders as text");
	CHECK(has(&out, "Compare 100 Trying with 407 Proxy Authentication Required") &&
	      has(&out, "Key differences"), "title and differences heading");
	CHECK(has(&out, "  100  RFC 3261 section 21.1.1") && has(&out, "  407  RFC 3261 section 21.4.8"),
	      "field rows carry both values");
	CHECK(widest_line(&out) <= 100, "100 407 fits 100 columns");
	CHECK(render(&out, pair, 2, 1) == 0 && json_ok(&out), "100 407 in JSON is valid");
	CHECK(has(&out, "\"differences\": [\n    \"100 is provisional") &&
	      has(&out, "\"comparisons\": [\n    {\"codes\": [100, 407]"),
	      "JSON carries differences and comparisons");

	buf_reset(&d);
	n = explain_differences(&d, 407, 100);
	CHECK(n >= 3 && sentences_ok(&d, n) && has(&d, "407 is final") &&
	      has(&d, "100 is provisional"), "407 vs 100 keeps the argument order");
	buf_free(&d);
	buf_free(&out);
}

static void test_other_pairs(void)
{
	struct buf d = {0};
	int n;

	n = explain_differences(&d, 407, 407);
	CHECK(n == 1 && sentences_ok(&d, n) && has(&d, "same code"), "407 vs 407: the same code");
	buf_reset(&d);
	n = explain_differences(&d, 498, 499);
	CHECK(n >= 1 && sentences_ok(&d, n) && has(&d, "498 is not registered") &&
	      has(&d, "499 is not registered") && has(&d, "handles both as 400 Bad Request"),
	      "498 vs 499: both unregistered, the same class record");
	buf_reset(&d);
	n = explain_differences(&d, 400, 499);
	CHECK(n >= 1 && sentences_ok(&d, n) && has(&d, "both final client failures (4xx)"),
	      "400 vs 499: same class");
	buf_reset(&d);
	n = explain_differences(&d, 200, 603);
	CHECK(n >= 1 && sentences_ok(&d, n) && has(&d, "both final") &&
	      has(&d, "200 is a success (2xx) and 603 is a global failure (6xx)"),
	      "200 vs 603: both final, classes differ");
	buf_reset(&d);
	n = explain_differences(&d, 180, 183);
	CHECK(n >= 1 && sentences_ok(&d, n) && has(&d, "both provisional") &&
	      has(&d, "After either code the client has nothing to send"),
	      "180 vs 183: both provisional, the same action");
	buf_reset(&d);
	n = explain_differences(&d, 401, 407);
	CHECK(has(&d, "with Authorization") && has(&d, "with Proxy-Authorization"),
	      "401 vs 407: Authorization against Proxy-Authorization");
	buf_reset(&d);
	CHECK(explain_differences(&d, 100, 700) == -1 && explain_differences(&d, 99, 100) == -1 &&
	      d.len == 0, "codes outside 100..699 are refused, nothing appended");
	buf_free(&d);
}

/* Every pair of registered codes plus the unregistered ones: differences and both renderings. */
static void test_all_pairs(void)
{
	size_t n;
	const struct code_info *c = knowledge_codes(&n);
	size_t nu = sizeof(unregistered) / sizeof(unregistered[0]);
	size_t total = n + nu, pairs = 0;
	int *all = malloc(total * sizeof(*all));
	struct buf d = {0}, out = {0};
	int diff_ok = 1, text_ok = 1, json_ok_all = 1;

	for (size_t i = 0; i < n; i++)
		all[i] = c[i].code;
	for (size_t i = 0; i < nu; i++)
		all[n + i] = unregistered[i];
	for (size_t i = 0; i < total; i++) {
		for (size_t k = 0; k < total; k++) {
			int pair[2] = { all[i], all[k] };
			buf_reset(&d);
			int m = explain_differences(&d, pair[0], pair[1]);
			if (m < 1 || !sentences_ok(&d, m)) {
				if (diff_ok)
					printf("#   %d vs %d: %d sentences\n%s", pair[0], pair[1], m,
					       buf_cstr(&d));
				diff_ok = 0;
			}
			if (render(&out, pair, 2, 0) != 0 || widest_line(&out) > 100 ||
			    !has(&out, "Key differences")) {
				if (text_ok)
					printf("#   %d vs %d: text fails\n", pair[0], pair[1]);
				text_ok = 0;
			}
			if (render(&out, pair, 2, 1) != 0 || !json_ok(&out)) {
				if (json_ok_all)
					printf("#   %d vs %d: JSON fails\n", pair[0], pair[1]);
				json_ok_all = 0;
			}
			pairs++;
		}
	}
	CHECK(diff_ok, "%zu pairs: differences are sentences", pairs);
	CHECK(text_ok, "%zu pairs: text renders within 100 columns", pairs);
	CHECK(json_ok_all, "%zu pairs: JSON is valid", pairs);

	/* more than two: each compared with the first */
	const int three[] = { 100, 407, 499 };
	CHECK(render(&out, three, 3, 0) == 0 && has(&out, "Key differences: 407 against 100") &&
	      has(&out, "Key differences: 499 against 100") && widest_line(&out) <= 100,
	      "three codes: each compared with the first");
	CHECK(render(&out, three, 3, 1) == 0 && json_ok(&out) &&
	      has(&out, "{\"codes\": [100, 499]"), "three codes in JSON");
	free(all);
	buf_free(&d);
	buf_free(&out);
}

static void test_patterns(void)
{
	struct buf out = {0};
	int all = 1, narrow = 1, json = 1;

	for (int i = 0; i < PAT_COUNT; i++) {
		const struct pattern_info *p = knowledge_pattern((enum pattern_id)i);
		struct explain_request req = { .patterns = &p, .npatterns = 1 };
		struct explain_opts o = { .width = 100 };

		buf_reset(&out);
		explain_render(&out, &req, &o);
		if (!has(&out, p->id) || !has(&out, p->title) ||
		    !has(&out, knowledge_severity_name(p->severity)) || !has(&out, "Detection rule") ||
		    !has(&out, p->denominator) || !has(&out, "Recommended fix")) {
			all = 0;
			printf("#   pattern %s incomplete\n", p->id);
		}
		if (widest_line(&out) > 100)
			narrow = 0;
		o.json = 1;
		buf_reset(&out);
		explain_render(&out, &req, &o);
		if (!json_ok(&out))
			json = 0;
	}
	CHECK(all, "every pattern explains: title, severity, rule, share, fix");
	CHECK(narrow, "every pattern fits 100 columns");
	CHECK(json, "every pattern in JSON is valid");
	buf_free(&out);
}

static void test_list(void)
{
	struct buf out = {0};
	struct explain_request req = { .list = 1 };
	struct explain_opts o = { .width = 100 };
	size_t n;
	const struct code_info *c = knowledge_codes(&n);
	int codes = 1, pats = 1;
	char line[128];

	CHECK(explain_render(&out, &req, &o) == 0, "--list renders");
	for (size_t i = 0; i < n; i++) {
		snprintf(line, sizeof(line), "  %d  %s", c[i].code, c[i].reason);
		codes &= has(&out, line);
	}
	for (int i = 0; i < PAT_COUNT; i++)
		pats &= has(&out, knowledge_pattern((enum pattern_id)i)->id);
	CHECK(codes, "--list names every registered code with its reason");
	CHECK(pats, "--list names every pattern");
	CHECK(widest_line(&out) <= 100, "--list fits 100 columns");
	o.json = 1;
	buf_reset(&out);
	CHECK(explain_render(&out, &req, &o) == 0 && json_ok(&out), "--list in JSON is valid");
	CHECK(has(&out, "\"comparisons\": []") && has(&out, "\"differences\": []"),
	      "--list in JSON compares nothing");
	buf_free(&out);
}

static void test_actions(void)
{
	int ok = 1;

	for (int a = ACTION_WAIT; a <= ACTION_GIVE_UP; a++) {
		const char *s = explain_action_text((enum client_action)a);
		ok &= s && *s && s[strlen(s) - 1] == '.' && strcmp(s, "Unknown.") != 0;
	}
	CHECK(ok, "every client action has a sentence");
	CHECK(strstr(explain_action_text(ACTION_AUTH_PROXY), "Proxy-Authorization") != NULL,
	      "ACTION_AUTH_PROXY: Proxy-Authorization");
}

int main(void)
{
	test_each_code();
	test_unregistered();
	test_100_407();
	test_other_pairs();
	test_all_pairs();
	test_patterns();
	test_list();
	test_actions();
	return test_done();
}
