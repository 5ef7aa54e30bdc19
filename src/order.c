/*
 * order.c - chronological order of rotated log files (see order.h).
 *
 * Each path is split into a log name (directory + base name without rotation suffix and
 * ".gz") and a rank within that log: dated rotations (dateext) first by date, then numbered
 * rotations by decreasing number, then the live file. Logs are then ordered by the first
 * timestamp of their oldest file when all logs have one, otherwise by first appearance.
 */
#include "order.h"
#include "timeparse.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

struct key {
	struct order_item item;
	char *log;		/* log name */
	int kind;		/* 0 dated, 1 numbered, 2 live, 3 stdin */
	uint64_t num;		/* date as YYYYMMDD[HH...] or rotation number */
	size_t group;		/* index of the log among logs */
};

static int all_digits(const char *s, size_t n)
{
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static void split(struct key *k)
{
	const char *p = k->item.path;
	size_t n = strlen(p);

	if (strcmp(p, "-") == 0) {
		k->log = xstrndup("-", 1);
		k->kind = 3;
		return;
	}
	if (n > 3 && strcmp(p + n - 3, ".gz") == 0)
		n -= 3;
	k->kind = 2;
	/* ".N" numbered rotation */
	const char *dot = NULL;
	for (size_t i = n; i > 0; i--) {
		if (p[i - 1] == '.') {
			dot = p + i - 1;
			break;
		}
		if (p[i - 1] == '/')
			break;
	}
	if (dot && all_digits(dot + 1, (size_t)(p + n - dot - 1)) && (size_t)(p + n - dot - 1) <= 6) {
		k->kind = 1;
		k->num = strtoull(dot + 1, NULL, 10);
		n = (size_t)(dot - p);
	} else {
		/* "-YYYYMMDD", "-YYYYMMDDHH", "-YYYY-MM-DD", ".YYYY-MM-DD", "_YYYYMMDD" */
		size_t i = n, digits = 0;
		while (i > 0 && ((p[i - 1] >= '0' && p[i - 1] <= '9') || p[i - 1] == '-')) {
			if (p[i - 1] != '-')
				digits++;
			i--;
		}
		/* i now points after a separator candidate; the run may start with '-' */
		size_t start = i;
		while (start < n && p[start] == '-')
			start++;
		if (digits >= 8 && digits <= 14 && start > 0 &&
		    (p[start - 1] == '-' || p[start - 1] == '.' || p[start - 1] == '_') &&
		    p[start] >= '1' && p[start] <= '2') {
			uint64_t v = 0;
			for (size_t j = start; j < n; j++)
				if (p[j] != '-')
					v = v * 10 + (uint64_t)(p[j] - '0');
			for (size_t d = digits; d < 14; d++)
				v *= 10;	/* compare dates of different precision */
			k->kind = 0;
			k->num = v;
			n = start - 1;
		}
	}
	k->log = xstrndup(p, n);
}

static int cmp_key(const void *x, const void *y)
{
	const struct key *a = x, *b = y;

	if (a->group != b->group)
		return a->group < b->group ? -1 : 1;
	if (a->kind != b->kind)
		return a->kind - b->kind;
	if (a->num != b->num) {
		if (a->kind == 1)	/* numbered: higher is older */
			return a->num > b->num ? -1 : 1;
		return a->num < b->num ? -1 : 1;
	}
	return a->item.arg_index < b->item.arg_index ? -1 : a->item.arg_index > b->item.arg_index;
}

struct group {
	const char *log;
	size_t first_arg;
	int64_t first_time;
	int has_time;
	int is_stdin;
};

static int cmp_group(const void *x, const void *y, int by_time)
{
	const struct group *a = x, *b = y;

	if (a->is_stdin != b->is_stdin)
		return a->is_stdin - b->is_stdin;
	if (by_time && a->first_time != b->first_time)
		return a->first_time < b->first_time ? -1 : 1;
	return a->first_arg < b->first_arg ? -1 : a->first_arg > b->first_arg;
}

static int cmp_group_time(const void *x, const void *y)
{
	return cmp_group(x, y, 1);
}

static int cmp_group_arg(const void *x, const void *y)
{
	return cmp_group(x, y, 0);
}

void order_files(struct order_item *items, size_t n)
{
	struct key *k = xcalloc(n, sizeof(*k));
	struct group *g = xcalloc(n, sizeof(*g));
	size_t ng = 0;
	int all_timed = 1;

	for (size_t i = 0; i < n; i++) {
		k[i].item = items[i];
		split(&k[i]);
		size_t j;
		for (j = 0; j < ng; j++)
			if (strcmp(g[j].log, k[i].log) == 0)
				break;
		if (j == ng) {
			g[ng].log = k[i].log;
			g[ng].first_arg = items[i].arg_index;
			g[ng].is_stdin = k[i].kind == 3;
			g[ng].first_time = TIME_UNKNOWN;
			ng++;
		}
		if (items[i].first_time != TIME_UNKNOWN &&
		    (!g[j].has_time || items[i].first_time < g[j].first_time)) {
			g[j].first_time = items[i].first_time;
			g[j].has_time = 1;
		}
	}
	for (size_t j = 0; j < ng; j++)
		if (!g[j].has_time && !g[j].is_stdin)
			all_timed = 0;
	qsort(g, ng, sizeof(*g), all_timed ? cmp_group_time : cmp_group_arg);
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < ng; j++)
			if (strcmp(g[j].log, k[i].log) == 0) {
				k[i].group = j;
				break;
			}
	qsort(k, n, sizeof(*k), cmp_key);
	for (size_t i = 0; i < n; i++) {
		items[i] = k[i].item;
		free(k[i].log);
	}
	free(k);
	free(g);
}
