/*
 * json.h - a small strict JSON reader (RFC 8259), for --baseline: siplogscan reads back a
 * JSON report it wrote on an earlier run.
 *
 * The whole document becomes a tree in an arena; strings are decoded to UTF-8 and
 * NUL-terminated. Nesting is limited (JSON_MAX_DEPTH) so that a hostile file cannot exhaust
 * the stack. Duplicate keys are kept; lookups find the first.
 */
#ifndef SIPLOGSCAN_JSON_H
#define SIPLOGSCAN_JSON_H

#include <stddef.h>

#include "util.h"

#define JSON_MAX_DEPTH 64

enum json_type { JSON_NULL, JSON_FALSE, JSON_TRUE, JSON_NUMBER, JSON_STRING, JSON_ARRAY,
		 JSON_OBJECT };

struct json {
	enum json_type type;
	double num;			/* JSON_NUMBER; +-infinity beyond a double's range */
	const char *str;		/* JSON_STRING: decoded, NUL-terminated */
	size_t len;
	const char *key;		/* member of an object: its name (decoded, NUL-terminated) */
	size_t key_len;
	struct json *first, *next;	/* arrays and objects: children in document order */
	size_t n;			/* arrays and objects: number of children */
};

/* Parse s[0..n) into a tree allocated in a. On error returns NULL and writes
 * "line L, column C: what was expected" to err. */
struct json *json_parse(struct arena *a, const char *s, size_t n, char *err, size_t errsz);

/* The member named key of an object; NULL when v is not an object or has no such member. */
const struct json *json_get(const struct json *v, const char *key);

/* Follow dot-separated member names ("kpi.ser.percent"); NULL when a step is missing. */
const struct json *json_path(const struct json *v, const char *path);

#endif
