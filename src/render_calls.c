/*
 * render_calls.c - the per-call exports, written as calls are settled (so memory does not
 * grow with the number of calls), from the same struct call_summary:
 *   --calls-csv: one CSV row per call. RFC 4180 with CRLF; every field goes through
 *     esc_csv(), which quotes it and defuses spreadsheet formulas (= + - @ TAB CR). Columns
 *     are documented in docs/csv.md.
 *   --calls-ndjson: one JSON object per line per call, schema "v": 1 (docs/calls-ndjson.md).
 *     Strings from the log go through esc_json() (valid UTF-8 JSON whatever the bytes); an
 *     unknown value is null, never 0. Every time is written twice: RFC 3339 UTC with
 *     microseconds for people, DuckDB and jq, and epoch microseconds for ClickHouse, whose
 *     Debian release (18.16) has no DateTime64 and reads no fraction or zone in a DateTime.
 */
#include "render.h"
#include "escape.h"
#include "knowledge.h"
#include "timeparse.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char *const auth_names[] = { "", "not_retried", "accepted", "rechallenged" };

static void field(struct buf *b, const char *s, size_t n, int last)
{
	esc_csv(b, s ? s : "", s ? n : 0);
	buf_adds(b, last ? "\r\n" : ",");
}

static void cfield(struct buf *b, const char *s, int last)
{
	field(b, s, strlen(s), last);
}

static void ifield(struct buf *b, int64_t v, int last)
{
	char t[32];

	if (v < 0)
		t[0] = '\0';
	else
		snprintf(t, sizeof(t), "%" PRId64, v);
	cfield(b, t, last);
}

static void msfield(struct buf *b, int64_t us, int last)
{
	char t[32];

	if (us < 0)
		t[0] = '\0';	/* unknown: empty, never 0 */
	else
		snprintf(t, sizeof(t), "%" PRId64 ".%03" PRId64, us / 1000, us % 1000);
	cfield(b, t, last);
}

void render_calls_csv_header(struct buf *b)
{
	static const char *const cols[] = {
		"call_id", "file", "line", "first_time", "method", "source", "user_agent",
		"destination", "outcome", "trying", "final_after_100", "trying_delay_ms", "srd_ms",
		"proxy_auth", "www_auth", "duration_ms", "settled", "pdd_ms", "ring_ms", NULL
	};

	for (int i = 0; cols[i]; i++)
		cfield(b, cols[i], cols[i + 1] == NULL);
}

void render_calls_csv_row(struct buf *b, const struct call_summary *cs, const char *path)
{
	char t[40];

	field(b, cs->call_id.p, cs->call_id.n, 0);
	cfield(b, path ? path : "", 0);
	ifield(b, (int64_t)cs->line, 0);
	cfield(b, cs->first_time == TIME_UNKNOWN ? "" : time_format(cs->first_time, t), 0);
	cfield(b, sip_method_name(cs->method), 0);
	field(b, cs->src.p, cs->src.n, 0);
	field(b, cs->ua.p, cs->ua.n, 0);
	field(b, cs->dest.p, cs->dest.n, 0);
	ifield(b, cs->outcome ? cs->outcome : -1, 0);
	cfield(b, cs->trying ? "1" : "0", 0);
	ifield(b, cs->final_after_100 ? cs->final_after_100 : -1, 0);
	msfield(b, cs->trying_delay_us, 0);
	msfield(b, cs->srd_us, 0);
	cfield(b, auth_names[cs->proxy_auth], 0);
	cfield(b, auth_names[cs->www_auth], 0);
	msfield(b, cs->duration_us, 0);
	static const char *const why[] = { [SETTLED_END] = "end", [SETTLED_IDLE] = "idle",
					   [SETTLED_LIMIT] = "limit" };
	cfield(b, why[cs->settled], 0);
	/* added last, so that the columns before keep their places */
	msfield(b, cs->pdd_us, 0);
	msfield(b, cs->ring_us, 1);
}

/* ---- --calls-ndjson */

/*
 * Written without printf: a row has some 45 fields, and printf's parsing of its format made
 * the rows cost twice the whole analysis of their calls. A key is passed with its comma,
 * quotes and colon, and its length: JK("line") is ",\"line\":", 8.
 */
#define JK(name) ",\"" name "\":", sizeof(",\"" name "\":") - 1

static void jnull(struct buf *b)
{
	buf_add(b, "null", 4);
}

static void juint(struct buf *b, uint64_t v)
{
	char t[24], *p = t + sizeof(t);

	do
		*--p = (char)('0' + v % 10);
	while (v /= 10);
	buf_add(b, p, (size_t)(t + sizeof(t) - p));
}

/* a string from the log; empty is null (not logged) */
static void jstr(struct buf *b, const char *key, size_t klen, struct str v)
{
	buf_add(b, key, klen);
	if (!v.n) {
		jnull(b);
		return;
	}
	buf_addc(b, '"');
	esc_json(b, v.p, v.n);
	buf_addc(b, '"');
}

/* one of our own words, or null */
static void jword(struct buf *b, const char *key, size_t klen, const char *w)
{
	buf_add(b, key, klen);
	if (!w) {
		jnull(b);
		return;
	}
	buf_addc(b, '"');
	buf_adds(b, w);
	buf_addc(b, '"');
}

/* an integer, null when unknown (have is 0) */
static void jint(struct buf *b, const char *key, size_t klen, int have, int64_t v)
{
	buf_add(b, key, klen);
	if (!have) {
		jnull(b);
		return;
	}
	if (v < 0)
		buf_addc(b, '-');
	juint(b, v < 0 ? -(uint64_t)v : (uint64_t)v);
}

static void jbool(struct buf *b, const char *key, size_t klen, int have, int v)
{
	buf_add(b, key, klen);
	if (!have)
		jnull(b);
	else if (v)
		buf_add(b, "true", 4);
	else
		buf_add(b, "false", 5);
}

/* milliseconds with three decimals (as in the JSON report), null when unknown (us < 0) */
static void jms(struct buf *b, const char *key, size_t klen, int64_t us)
{
	buf_add(b, key, klen);
	if (us < 0) {
		jnull(b);
		return;
	}
	char f[4] = { '.', (char)('0' + us / 100 % 10), (char)('0' + us / 10 % 10),
		      (char)('0' + us % 10) };
	juint(b, (uint64_t)us / 1000);
	buf_add(b, f, 4);
}

/* a time as NAME_time (RFC 3339, UTC, always six decimals, so that the strings sort as the
 * times do) and NAME_us (microseconds since the epoch); both null when unknown */
static void jtime(struct buf *b, const char *tkey, size_t tlen, const char *ukey, size_t ulen,
		  int64_t t)
{
	char s[40];

	buf_add(b, tkey, tlen);
	if (t == TIME_UNKNOWN) {
		jnull(b);
	} else {
		time_format(t, s);
		size_t n = strlen(s);
		if (!memchr(s, '.', n) && n && n + 7 < sizeof(s)) {
			memcpy(s + n - 1, ".000000Z", 8);	/* the fraction time_format() omits */
			n += 7;
		}
		buf_addc(b, '"');
		buf_add(b, s, n);
		buf_addc(b, '"');
	}
	jint(b, ukey, ulen, t != TIME_UNKNOWN, t);
}

#define JT(name) JK(name "_time"), JK(name "_us")

void render_calls_ndjson_row(struct buf *b, const struct call_summary *cs, const char *path)
{
	static const char *const kinds[] = { [KIND_CALL] = "call",
					     [KIND_REGISTRATION] = "registration",
					     [KIND_OPTIONS] = "options", [KIND_OTHER] = "other" };
	static const char *const why[] = { [SETTLED_END] = "end", [SETTLED_IDLE] = "idle",
					   [SETTLED_LIMIT] = "limit" };
	/* an accounting record shows neither a 100, an 18x nor a challenge: unknown, not none */
	int shown = !cs->acc;

	buf_add(b, "{\"v\":1", 6);
	jstr(b, JK("call_id"), cs->call_id);
	jword(b, JK("kind"), kinds[cs->kind]);
	jword(b, JK("method"), sip_method_name(cs->method));
	/* the host that logged its first message (--host-from, --host); else null */
	if (cs->host)
		jstr(b, JK("host"), (struct str){ cs->host, strlen(cs->host) });
	else
		jword(b, JK("host"), NULL);
	jstr(b, JK("file"), (struct str){ path, path ? strlen(path) : 0 });
	jint(b, JK("line"), 1, (int64_t)cs->line);
	jtime(b, JT("first"), cs->open_first);
	jtime(b, JT("last"), cs->open_last);
	jstr(b, JK("source"), cs->src);
	jstr(b, JK("user_agent"), cs->ua);
	jstr(b, JK("destination"), cs->dest);
	buf_add(b, JK("responders"));
	buf_addc(b, '[');
	for (int i = 0; i < 2 && cs->hop[i].n; i++) {
		buf_add(b, i ? ",\"" : "\"", i ? 2 : 1);
		esc_json(b, cs->hop[i].p, cs->hop[i].n);
		buf_addc(b, '"');
	}
	buf_addc(b, ']');
	jbool(b, JK("attempt"), 1, cs->attempt);
	jint(b, JK("outcome"), cs->outcome != 0, cs->outcome);
	jint(b, JK("final_code"), cs->final_code != 0, cs->final_code);
	jbool(b, JK("answered"), 1, cs->answered);
	jbool(b, JK("trying"), shown, cs->trying);
	jtime(b, JT("trying"), cs->trying_time);
	jtime(b, JT("ringing"), cs->ring_time);
	jtime(b, JT("final"), cs->final_time);
	jint(b, JK("final_after_100"), cs->final_after_100 != 0, cs->final_after_100);
	jms(b, JK("trying_delay_ms"), cs->trying_delay_us);
	jms(b, JK("pdd_ms"), cs->pdd_us);
	jms(b, JK("ring_ms"), cs->ring_us);
	jms(b, JK("srd_ms"), cs->srd_us);
	jms(b, JK("duration_ms"), cs->duration_us);
	jword(b, JK("proxy_auth"), shown ? (cs->proxy_auth ? auth_names[cs->proxy_auth] : "none")
					 : NULL);
	jint(b, JK("proxy_challenges"), shown, cs->proxy_challenges);
	jint(b, JK("proxy_retries"), shown, cs->proxy_retries);
	jword(b, JK("www_auth"), shown ? (cs->www_auth ? auth_names[cs->www_auth] : "none") : NULL);
	jint(b, JK("www_challenges"), shown, cs->www_challenges);
	jint(b, JK("www_retries"), shown, cs->www_retries);
	jword(b, JK("settled"), why[cs->settled]);
	buf_add(b, JK("problems"));
	buf_addc(b, '[');
	int np = 0;
	for (int p = 0; p < PAT_COUNT; p++) {
		if (!(cs->problems & (1u << p)))
			continue;
		buf_add(b, np ? ",\"" : "\"", np ? 2 : 1);
		np++;
		buf_adds(b, knowledge_pattern((enum pattern_id)p)->id);
		buf_addc(b, '"');
	}
	buf_addc(b, ']');
	/* added within schema 1, at the end */
	jstr(b, JK("from_user"), cs->from_user);
	jstr(b, JK("to_user"), cs->to_user);
	buf_add(b, "}\n", 2);
}
