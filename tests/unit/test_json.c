/* test_json.c - the JSON reader (src/json.c) and the --baseline comparison (src/baseline.c). */
#include "baseline.h"
#include "json.h"
#include "testhelp.h"

#include <math.h>
#include <stdlib.h>

static struct arena A;
static char err[200];

static const struct json *parse(const char *s)
{
	return json_parse(&A, s, strlen(s), err, sizeof(err));
}

static void test_values(void)
{
	const struct json *v = parse(" {\"a\": [1, -2.5e2, 0, true, false, null], \"b\": {\"c\": \"x\"}} ");
	CHECK(v && v->type == JSON_OBJECT && v->n == 2, "object with two members");
	const struct json *a = json_get(v, "a");
	CHECK(a && a->type == JSON_ARRAY && a->n == 6, "array of six");
	CHECK(a && a->first->num == 1 && a->first->next->num == -250, "numbers: 1, -2.5e2");
	CHECK(a && a->first->next->next->next->type == JSON_TRUE, "true");
	CHECK(a && a->first->next->next->next->next->next->type == JSON_NULL, "null");
	const struct json *c = json_path(v, "b.c");
	CHECK_EQ_STR(c ? c->str : NULL, "x", "json_path b.c");
	CHECK(json_path(v, "b.d") == NULL && json_path(v, "a.b") == NULL, "missing paths are NULL");
	CHECK(json_get(a, "x") == NULL, "json_get on an array is NULL");

	v = parse("\"tab\\t q\\\" bs\\\\ sl\\/ u\\u00e9 pair\\ud83d\\ude00 lone\\ud800.\"");
	CHECK_EQ_STR(v ? v->str : NULL, "tab\t q\" bs\\ sl/ u\xc3\xa9 pair\xf0\x9f\x98\x80 lone\xef\xbf\xbd.",
		     "escapes, \\u, a surrogate pair, a lone surrogate as U+FFFD");
	v = parse("\xEF\xBB\xBF[]");
	CHECK(v && v->type == JSON_ARRAY && v->n == 0, "a byte order mark is skipped");
	v = parse("{\"k\":1,\"k\":2}");
	CHECK(v && json_get(v, "k")->num == 1, "duplicate keys: the first is found");
	v = parse("\"\\u0000x\"");
	CHECK(v && v->len == 2 && v->str[0] == 0 && v->str[1] == 'x', "\\u0000 kept with the length");
	/* beyond a double's range: valid JSON, read as infinity (the caller decides) */
	v = parse("[1e5000, -1e5000, 1e-5000, 1e308]");
	CHECK(v && v->n == 4, "numbers beyond a double's range are valid JSON");
	CHECK(v && isinf(v->first->num) && v->first->num > 0 && isinf(v->first->next->num) &&
	      v->first->next->num < 0, "1e5000 reads as +infinity, -1e5000 as -infinity");
	CHECK(v && v->first->next->next->num == 0 && isfinite(v->first->next->next->next->num),
	      "1e-5000 reads as 0, 1e308 as itself");
}

static void test_errors(void)
{
	static const struct { const char *doc, *msg; } bad[] = {
		{ "", "line 1, column 1: unexpected end of the document" },
		{ "{\"a\":1,}", "line 1, column 8: expected a member name in double quotes" },
		{ "[1,]", "line 1, column 4: expected a value" },
		{ "[1 2]", "line 1, column 4: expected ',' or ']'" },
		{ "{\n\"a\" 1}", "line 2, column 5: expected ':' after a member name" },
		{ "01", "line 1, column 2: unexpected text after the end of the document" },
		{ "1.", "line 1, column 3: expected digits after '.'" },
		{ "1e", "line 1, column 3: expected digits in the exponent" },
		{ "-", "line 1, column 2: expected a value" },
		{ "tru", "line 1, column 1: expected a value" },
		{ "\"abc", "line 1, column 1: unterminated string" },
		{ "\"a\tb\"", "line 1, column 3: control character in a string (must be escaped)" },
		{ "\"\\x\"", "line 1, column 2: unknown escape in a string" },
		{ "\"\\u12\"", "line 1, column 2: \\u needs four hex digits" },
		{ "{} x", "line 1, column 4: unexpected text after the end of the document" },
		{ "NaN", "line 1, column 1: expected a value" },
		{ "{'a':1}", "line 1, column 2: expected a member name in double quotes" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const struct json *v = parse(bad[i].doc);
		CHECK(v == NULL, "rejected: bad document %zu", i + 1);
		CHECK_EQ_STR(err, bad[i].msg, "bad document %zu: its error message", i + 1);
	}
	/* nesting: the limit holds, and just below it parses */
	char deep[2 * JSON_MAX_DEPTH + 8];
	size_t n = 0;
	for (int i = 0; i < JSON_MAX_DEPTH; i++)
		deep[n++] = '[';
	for (int i = 0; i < JSON_MAX_DEPTH; i++)
		deep[n++] = ']';
	deep[n] = 0;
	CHECK(parse(deep) != NULL, "%d levels of nesting parse", JSON_MAX_DEPTH);
	memmove(deep + 1, deep, n + 1);
	deep[0] = '[';
	deep[n + 1] = ']';
	deep[n + 2] = 0;
	CHECK(parse(deep) == NULL && strstr(err, "nested too deep"), "%d levels are refused",
	      JSON_MAX_DEPTH + 1);
	/* a hostile depth does not reach the stack */
	size_t big = 1000000;
	char *s = malloc(big + 1);
	memset(s, '[', big);
	s[big] = 0;
	CHECK(json_parse(&A, s, big, err, sizeof(err)) == NULL, "a million '[' is refused");
	free(s);
}

#define REPORT(calls, ser, stuck, srd, problems) REPORT_V("2", calls, ser, stuck, srd, problems)
#define REPORT_V(v, calls, ser, stuck, srd, problems) \
	"{\"schema\": \"siplogscan.report/" v "\", \"input\": {\"files\": [{\"status\": \"ok\"}], " \
	"\"first_time\": \"2026-11-23T00:00:00Z\", \"last_time\": \"2026-11-23T23:59:59Z\"}, " \
	"\"totals\": {\"records\": 10, \"responses\": {\"100\": 3, \"407\": 2, \"486\": 1, \"503\": 4}}, " \
	"\"calls\": {\"total\": " calls "}, \"trying_to_final\": {\"stuck\": " stuck "}, " \
	"\"kpi\": {\"ser\": {\"percent\": " ser "}, \"srd_ms\": {\"p50\": " srd "}}, " \
	"\"problems\": [" problems "], \"scanners\": []}"

static const struct baseline_figure *fig(const struct baseline *b, const char *id)
{
	for (size_t i = 0; i < b->nfig; i++)
		if (strcmp(b->fig[i].id, id) == 0)
			return &b->fig[i];
	return NULL;
}

static void test_baseline(void)
{
	const char *prev = REPORT("100", "95.5", "2", "300.5",
				  "{\"id\": \"stuck-after-100\", \"count\": 2}");
	const char *cur = REPORT("120", "90.25", "5", "null",
				 "{\"id\": \"server-errors\", \"count\": 7}");
	struct baseline *b = baseline_compare_text("prev.json", prev, strlen(prev), cur, strlen(cur));

	CHECK_EQ_INT(b->status, BASELINE_OK, "a report is a baseline");
	CHECK_EQ_STR(b->first_time, "2026-11-23T00:00:00Z", "its period is kept");
	const struct baseline_figure *g = fig(b, "calls");
	CHECK(g && g->have_prev && g->have_cur && g->prev == 100 && g->cur == 120, "calls 100 -> 120");
	CHECK(g && g->trend == TREND_CHANGED, "calls have no better direction: changed");
	g = fig(b, "kpi.ser");
	CHECK(g && g->trend == TREND_WORSE && g->unit == UNIT_PERCENT, "SER down: worse");
	g = fig(b, "stuck");
	CHECK(g && g->trend == TREND_WORSE, "stuck up: worse");
	g = fig(b, "kpi.srd.p50");
	CHECK(g && g->have_prev && !g->have_cur && g->trend == TREND_UNKNOWN,
	      "SRD null now: unknown, no trend");
	g = fig(b, "kpi.seer");
	CHECK(g && !g->have_prev && !g->have_cur, "a figure missing on both sides is unknown, not 0");
	g = fig(b, "responses.5xx");
	CHECK(g && g->prev == 4 && g->cur == 4 && g->trend == TREND_SAME, "5xx summed by class: same");
	g = fig(b, "responses.4xx");
	CHECK(g && g->prev == 3, "4xx: 407 + 486");
	g = fig(b, "input.errors");
	CHECK(g && g->prev == 0 && g->have_prev, "input errors counted from files[].status");
	g = fig(b, "scanners");
	CHECK(g && g->have_prev && g->prev == 0, "scanners: length of the array");
	g = fig(b, "problem.stuck-after-100");
	CHECK(g && g->prev == 2 && g->cur == 0 && g->trend == TREND_BETTER,
	      "a problem gone: 2 -> 0, better");
	g = fig(b, "problem.server-errors");
	CHECK(g && g->prev == 0 && g->cur == 7 && g->trend == TREND_WORSE, "a new problem: worse");
	CHECK(fig(b, "problem.slow-setup") == NULL, "a problem absent on both sides is left out");
	baseline_free(b);

	/* a /1 baseline: its calls.total counted every Call-ID, its INVITE dialogs were
	 * calls.invite; the other figures sit where they did */
	const char *v1 = REPORT_V("1", "300, \"invite\": 100", "95.5", "2", "300.5", "");
	b = baseline_compare_text("v1.json", v1, strlen(v1), cur, strlen(cur));
	CHECK_EQ_INT(b->status, BASELINE_OK, "a /1 report is a baseline");
	g = fig(b, "calls");
	CHECK(g && g->have_prev && g->prev == 100 && g->cur == 120,
	      "/1 baseline: calls are its calls.invite (100), not every Call-ID (300)");
	g = fig(b, "kpi.ser");
	CHECK(g && g->have_prev && g->prev == 95.5, "/1 baseline: SER read where it was");
	baseline_free(b);
	const char *v1_old = REPORT_V("1", "300", "95.5", "2", "300.5", "");
	b = baseline_compare_text("v1.json", v1_old, strlen(v1_old), cur, strlen(cur));
	g = fig(b, "calls");
	CHECK(g && !g->have_prev && g->trend == TREND_UNKNOWN,
	      "/1 baseline without calls.invite: calls unknown, not its Call-IDs");
	baseline_free(b);

	static const struct { const char *doc, *want; } bad[] = {
		{ "not json", "is not a JSON document (line 1, column 1: expected a value)" },
		{ "{\"schema\": \"other/1\"}", "is not a siplogscan JSON report" },
		{ "[1]", "is not a siplogscan JSON report" },
		{ "{\"schema\": \"siplogscan.report/3\"}", "is written in schema 'siplogscan.report/3'" },
		{ "{\"schema\": \"siplogscan.explain/1\"}", "is not a siplogscan JSON report" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		b = baseline_compare_text("x", bad[i].doc, strlen(bad[i].doc), cur, strlen(cur));
		CHECK(b->status == BASELINE_ERROR && b->error &&
		      strncmp(b->error, bad[i].want, strlen(bad[i].want)) == 0 && b->nfig == 0,
		      "refused with a reason: %s", bad[i].doc);
		if (b->error && strncmp(b->error, bad[i].want, strlen(bad[i].want)) != 0)
			printf("#   got \"%s\"\n", b->error);
		baseline_free(b);
	}
	b = baseline_compare("/nonexistent/siplogscan-baseline.json", cur, strlen(cur));
	CHECK(b->status == BASELINE_MISSING && strstr(b->error, "does not exist"),
	      "a baseline that does not exist yet: missing, not an error");
	baseline_free(b);
	b = baseline_compare("/", cur, strlen(cur));
	CHECK(b->status == BASELINE_ERROR && strstr(b->error, "directory"), "a directory: error");
	baseline_free(b);

	/* figures beyond a double's range, or beyond any report's (1e15): unknown, never inf,
	 * and the rest of the baseline is still compared */
	const char *huge = REPORT("1e5000", "-1e400", "1e16", "1e-320",
				  "{\"id\": \"stuck-after-100\", \"count\": 1e5000}");
	b = baseline_compare_text("huge.json", huge, strlen(huge), cur, strlen(cur));
	CHECK_EQ_INT(b->status, BASELINE_OK, "a baseline with 1e5000 is still a baseline");
	g = fig(b, "calls");
	CHECK(g && !g->have_prev && g->have_cur && g->trend == TREND_UNKNOWN,
	      "calls 1e5000: unknown, no trend");
	g = fig(b, "kpi.ser");
	CHECK(g && !g->have_prev && g->trend == TREND_UNKNOWN, "SER -1e400: unknown");
	g = fig(b, "stuck");
	CHECK(g && !g->have_prev, "stuck 1e16 (beyond 1e15): unknown");
	g = fig(b, "kpi.srd.p50");
	CHECK(g && g->have_prev && g->prev > 0 && g->prev < 1e-300, "SRD 1e-320 is a number");
	CHECK(fig(b, "problem.stuck-after-100") == NULL,
	      "a problem count of 1e5000 is unknown, and 0 now: left out");
	g = fig(b, "responses.5xx");
	CHECK(g && g->have_prev && g->prev == 4 && g->trend == TREND_SAME,
	      "the other figures are still compared");
	baseline_free(b);
	const char *huge_code = "{\"schema\": \"siplogscan.report/1\", \"totals\": {\"responses\": "
				"{\"500\": 1e400, \"503\": -1e400, \"404\": 1}}}";
	b = baseline_compare_text("code.json", huge_code, strlen(huge_code), cur, strlen(cur));
	g = fig(b, "responses.5xx");
	CHECK(g && !g->have_prev, "a class with 1e400 and -1e400 is unknown, not their sum");
	g = fig(b, "responses.4xx");
	CHECK(g && g->have_prev && g->prev == 1, "another class of the same report is known");
	baseline_free(b);

	/* the same report against itself: every figure the same or unknown */
	b = baseline_compare_text("same", cur, strlen(cur), cur, strlen(cur));
	int ok = b->status == BASELINE_OK && b->nfig > 20;
	for (size_t i = 0; i < b->nfig; i++)
		ok &= b->fig[i].trend == TREND_SAME || b->fig[i].trend == TREND_UNKNOWN;
	CHECK(ok, "a report against itself: nothing changed");
	baseline_free(b);
}

int main(void)
{
	test_values();
	test_errors();
	test_baseline();
	arena_free(&A);
	return test_done();
}
