/*
 * json.c - a small strict JSON reader (see json.h).
 *
 * Recursive descent over the grammar of RFC 8259, section 2-7: no comments, no trailing
 * commas, no leading zeros, no control characters in strings, and nothing after the value
 * but whitespace. Numbers are checked against the grammar before strtod() converts them.
 * The grammar has no limit on size; a number beyond a double's range (1e5000) reads as
 * +-infinity, one too small as 0 or next to it: RFC 8259 section 6 leaves the range to the
 * reader, and the document is still valid, so it is not refused. The caller decides what
 * such a number means (baseline.c: an unknown figure).
 */
#include "json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct parser {
	const char *s, *p, *end;
	struct arena *a;
	char *err;
	size_t errsz;
	int depth;
	int failed;
};

static void fail(struct parser *ps, const char *what)
{
	if (ps->failed)
		return;
	ps->failed = 1;
	size_t line = 1, col = 1;
	for (const char *q = ps->s; q < ps->p; q++) {
		if (*q == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	if (ps->errsz)
		snprintf(ps->err, ps->errsz, "line %zu, column %zu: %s", line, col, what);
}

static void skip_ws(struct parser *ps)
{
	while (ps->p < ps->end &&
	       (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
		ps->p++;
}

static struct json *node(struct parser *ps, enum json_type t)
{
	struct json *v = arena_alloc(ps->a, sizeof(*v));

	memset(v, 0, sizeof(*v));
	v->type = t;
	return v;
}

static int hex4(const char *p, unsigned *out)
{
	unsigned v = 0;

	for (int i = 0; i < 4; i++) {
		char c = p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

static size_t put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xC0 | cp >> 6);
		o[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xE0 | cp >> 12);
		o[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		o[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | cp >> 18);
	o[1] = (char)(0x80 | (cp >> 12 & 0x3F));
	o[2] = (char)(0x80 | (cp >> 6 & 0x3F));
	o[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* A string at ps->p (on its opening quote); the decoded text is never longer than the raw. */
static int parse_string(struct parser *ps, const char **out, size_t *outlen)
{
	const char *p = ps->p + 1;
	const char *q = p;

	while (q < ps->end && *q != '"') {
		if (*q == '\\' && q + 1 < ps->end)
			q++;
		q++;
	}
	if (q >= ps->end) {
		fail(ps, "unterminated string");
		return -1;
	}
	char *o = arena_alloc(ps->a, (size_t)(q - p) + 1);
	size_t n = 0;
	while (p < q) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x20) {
			ps->p = p;
			fail(ps, "control character in a string (must be escaped)");
			return -1;
		}
		if (c != '\\') {
			o[n++] = (char)c;
			p++;
			continue;
		}
		ps->p = p;
		p++;
		switch (*p) {
		case '"': o[n++] = '"'; break;
		case '\\': o[n++] = '\\'; break;
		case '/': o[n++] = '/'; break;
		case 'b': o[n++] = '\b'; break;
		case 'f': o[n++] = '\f'; break;
		case 'n': o[n++] = '\n'; break;
		case 'r': o[n++] = '\r'; break;
		case 't': o[n++] = '\t'; break;
		case 'u': {
			unsigned cp, lo;
			if (q - p < 5 || hex4(p + 1, &cp) < 0) {
				fail(ps, "\\u needs four hex digits");
				return -1;
			}
			p += 4;
			if (cp >= 0xD800 && cp < 0xDC00 && q - p >= 7 && p[1] == '\\' && p[2] == 'u' &&
			    hex4(p + 3, &lo) == 0 && lo >= 0xDC00 && lo < 0xE000) {
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				p += 6;
			} else if (cp >= 0xD800 && cp < 0xE000) {
				cp = 0xFFFD;	/* a lone surrogate: U+FFFD, as most readers do */
			}
			n += put_utf8(o + n, cp);
			break;
		}
		default:
			fail(ps, "unknown escape in a string");
			return -1;
		}
		p++;
	}
	o[n] = 0;
	*out = o;
	*outlen = n;
	ps->p = q + 1;
	return 0;
}

static int digits(struct parser *ps)
{
	const char *s = ps->p;

	while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
		ps->p++;
	return ps->p > s;
}

static struct json *parse_number(struct parser *ps)
{
	const char *s = ps->p;

	if (ps->p < ps->end && *ps->p == '-')
		ps->p++;
	if (ps->p < ps->end && *ps->p == '0') {
		ps->p++;
	} else if (!digits(ps)) {
		fail(ps, "expected a value");
		return NULL;
	}
	if (ps->p < ps->end && *ps->p == '.') {
		ps->p++;
		if (!digits(ps)) {
			fail(ps, "expected digits after '.'");
			return NULL;
		}
	}
	if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E')) {
		ps->p++;
		if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-'))
			ps->p++;
		if (!digits(ps)) {
			fail(ps, "expected digits in the exponent");
			return NULL;
		}
	}
	char tmp[64];
	size_t len = (size_t)(ps->p - s);
	struct json *v = node(ps, JSON_NUMBER);
	if (len < sizeof(tmp)) {
		memcpy(tmp, s, len);
		tmp[len] = 0;
		v->num = strtod(tmp, NULL);
	} else {
		char *big = xstrndup(s, len);
		v->num = strtod(big, NULL);
		free(big);
	}
	return v;
}

static struct json *parse_value(struct parser *ps);

static struct json *parse_container(struct parser *ps, int object)
{
	struct json *v = node(ps, object ? JSON_OBJECT : JSON_ARRAY);
	struct json **tail = &v->first;
	char close = object ? '}' : ']';

	if (++ps->depth > JSON_MAX_DEPTH) {
		fail(ps, "nested too deep");
		return NULL;
	}
	ps->p++;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == close) {
		ps->p++;
		ps->depth--;
		return v;
	}
	for (;;) {
		const char *key = NULL;
		size_t key_len = 0;
		if (object) {
			skip_ws(ps);
			if (ps->p >= ps->end || *ps->p != '"') {
				fail(ps, "expected a member name in double quotes");
				return NULL;
			}
			if (parse_string(ps, &key, &key_len) < 0)
				return NULL;
			skip_ws(ps);
			if (ps->p >= ps->end || *ps->p != ':') {
				fail(ps, "expected ':' after a member name");
				return NULL;
			}
			ps->p++;
		}
		struct json *kid = parse_value(ps);
		if (!kid)
			return NULL;
		kid->key = key;
		kid->key_len = key_len;
		*tail = kid;
		tail = &kid->next;
		v->n++;
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == close) {
			ps->p++;
			ps->depth--;
			return v;
		}
		fail(ps, object ? "expected ',' or '}'" : "expected ',' or ']'");
		return NULL;
	}
}

static int literal(struct parser *ps, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0)
		return 0;
	ps->p += n;
	return 1;
}

static struct json *parse_value(struct parser *ps)
{
	skip_ws(ps);
	if (ps->p >= ps->end) {
		fail(ps, "unexpected end of the document");
		return NULL;
	}
	switch (*ps->p) {
	case '{':
		return parse_container(ps, 1);
	case '[':
		return parse_container(ps, 0);
	case '"': {
		struct json *v = node(ps, JSON_STRING);
		return parse_string(ps, &v->str, &v->len) < 0 ? NULL : v;
	}
	case 't':
		if (literal(ps, "true"))
			return node(ps, JSON_TRUE);
		break;
	case 'f':
		if (literal(ps, "false"))
			return node(ps, JSON_FALSE);
		break;
	case 'n':
		if (literal(ps, "null"))
			return node(ps, JSON_NULL);
		break;
	default:
		return parse_number(ps);
	}
	fail(ps, "expected a value");
	return NULL;
}

struct json *json_parse(struct arena *a, const char *s, size_t n, char *err, size_t errsz)
{
	struct parser ps = { .s = s, .p = s, .end = s + n, .a = a, .err = err, .errsz = errsz };

	if (errsz)
		err[0] = 0;
	/* a UTF-8 byte order mark is not JSON, but editors write one; skip it */
	if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		ps.p += 3;
	struct json *v = parse_value(&ps);
	if (!v)
		return NULL;
	skip_ws(&ps);
	if (ps.p != ps.end) {
		fail(&ps, "unexpected text after the end of the document");
		return NULL;
	}
	return v;
}

const struct json *json_get(const struct json *v, const char *key)
{
	if (!v || v->type != JSON_OBJECT)
		return NULL;
	size_t n = strlen(key);
	for (const struct json *k = v->first; k; k = k->next)
		if (k->key_len == n && memcmp(k->key, key, n) == 0)
			return k;
	return NULL;
}

const struct json *json_path(const struct json *v, const char *path)
{
	char name[128];

	while (v && *path) {
		size_t n = strcspn(path, ".");
		if (n >= sizeof(name))
			return NULL;
		memcpy(name, path, n);
		name[n] = 0;
		v = json_get(v, name);
		path += n;
		if (*path == '.')
			path++;
	}
	return v;
}
