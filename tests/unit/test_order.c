/*
 * test_order.c - unit tests for src/order.c: rotated files oldest first (numbered and
 * dateext schemes, .gz or not, in directories), different logs by first timestamp or by
 * argument order, stdin last. Rotation sets are checked in every input permutation.
 */
#include "testhelp.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "order.h"
#include "timeparse.h"

#define MAXN 8

struct file {
	const char *path;
	int64_t first_time;
};

/* Order files[0..n) given in the argument order perm[], compare paths with want[]. */
static int order_is(const struct file *files, const int *perm, size_t n, const char *const *want)
{
	struct order_item it[MAXN];

	for (size_t i = 0; i < n; i++) {
		it[i].path = files[perm[i]].path;
		it[i].first_time = files[perm[i]].first_time;
		it[i].arg_index = i;
	}
	order_files(it, n);
	for (size_t i = 0; i < n; i++)
		if (strcmp(it[i].path, want[i]) != 0) {
			printf("#   position %zu: got '%s', want '%s'\n", i, it[i].path, want[i]);
			return 0;
		}
	return 1;
}

/* Every permutation of files[0..n) orders to want[] (the files' times are per file). */
static int all_perms_give(const struct file *files, size_t n, const char *const *want)
{
	int perm[MAXN], c[MAXN] = {0};
	size_t i = 1;

	for (size_t k = 0; k < n; k++)
		perm[k] = (int)k;
	if (!order_is(files, perm, n, want))
		return 0;
	/* Heap's algorithm */
	while (i < n) {
		if (c[i] < (int)i) {
			size_t j = i % 2 ? (size_t)c[i] : 0;
			int t = perm[j];
			perm[j] = perm[i];
			perm[i] = t;
			if (!order_is(files, perm, n, want))
				return 0;
			c[i]++;
			i = 1;
		} else {
			c[i++] = 0;
		}
	}
	return 1;
}

/* In argument order (identity permutation). */
static int args_give(const struct file *files, size_t n, const char *const *want)
{
	int perm[MAXN];

	for (size_t k = 0; k < n; k++)
		perm[k] = (int)k;
	return order_is(files, perm, n, want);
}

#define U TIME_UNKNOWN
#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_numbered(void)
{
	static const struct file f[] = {
		{ "x.log", U }, { "x.log.1", U }, { "x.log.2.gz", U }, { "x.log.10.gz", U },
	};
	static const char *const want[] = { "x.log.10.gz", "x.log.2.gz", "x.log.1", "x.log" };
	CHECK(all_perms_give(f, N(f), want), "numbered: x.log.10.gz x.log.2.gz x.log.1 x.log in any input order");

	/* the same with times that agree: still the same */
	static const struct file ft[] = {
		{ "x.log", 400 }, { "x.log.1", 300 }, { "x.log.2.gz", 200 }, { "x.log.10.gz", 100 },
	};
	CHECK(all_perms_give(ft, N(ft), want), "numbered, with first times: same order");

	static const struct file d[] = {
		{ "/var/log/kamailio.log", U }, { "/var/log/kamailio.log.1", U },
		{ "/var/log/kamailio.log.2.gz", U },
	};
	static const char *const dwant[] = {
		"/var/log/kamailio.log.2.gz", "/var/log/kamailio.log.1", "/var/log/kamailio.log",
	};
	CHECK(all_perms_give(d, N(d), dwant), "numbered in a directory: /var/log/kamailio.log.2.gz first");

	/* a dot in a directory name is not a rotation suffix */
	static const struct file dd[] = {
		{ "/srv/logs.1/sip.log", U }, { "/srv/logs.1/sip.log.1", U },
	};
	static const char *const ddwant[] = { "/srv/logs.1/sip.log.1", "/srv/logs.1/sip.log" };
	CHECK(all_perms_give(dd, N(dd), ddwant), "numbered under a directory named 'logs.1'");

	/* numbers beyond 9, compared as numbers, not strings */
	static const struct file big[] = {
		{ "x.log.9", U }, { "x.log.100", U }, { "x.log.11", U }, { "x.log.10", U },
	};
	static const char *const bigwant[] = { "x.log.100", "x.log.11", "x.log.10", "x.log.9" };
	CHECK(all_perms_give(big, N(big), bigwant), "numbered: 100 > 11 > 10 > 9 numerically");
}

static void test_dateext(void)
{
	static const struct file f[] = {
		{ "x.log", U }, { "x.log-20261122", U }, { "x.log-20261123.gz", U },
	};
	static const char *const want[] = { "x.log-20261122", "x.log-20261123.gz", "x.log" };
	CHECK(all_perms_give(f, N(f), want), "dateext: x.log-20261122 x.log-20261123.gz x.log in any order");

	static const struct file g[] = {
		{ "x.log", U }, { "x.log-20261124", U }, { "x.log-20261123.gz", U },
		{ "x.log-20251231.gz", U },
	};
	static const char *const gwant[] = {
		"x.log-20251231.gz", "x.log-20261123.gz", "x.log-20261124", "x.log",
	};
	CHECK(all_perms_give(g, N(g), gwant), "dateext: across a year, .gz or not");

	static const struct file d[] = {
		{ "/var/log/kamailio.log-20261123.gz", U }, { "/var/log/kamailio.log", U },
		{ "/var/log/kamailio.log-20261122.gz", U },
	};
	static const char *const dwant[] = {
		"/var/log/kamailio.log-20261122.gz", "/var/log/kamailio.log-20261123.gz",
		"/var/log/kamailio.log",
	};
	CHECK(all_perms_give(d, N(d), dwant), "dateext in a directory");
}

static void test_different_logs(void)
{
	/* both timed: by first time, whatever the argument order */
	static const struct file t[] = { { "a.log", 200 }, { "b.log", 100 } };
	static const char *const twant[] = { "b.log", "a.log" };
	CHECK(all_perms_give(t, N(t), twant), "two logs with times: earlier first time first");

	/* one without a time: argument order */
	static const struct file u[] = { { "a.log", 200 }, { "b.log", U } };
	static const char *const uwant_ab[] = { "a.log", "b.log" };
	static const struct file u2[] = { { "b.log", U }, { "a.log", 200 } };
	static const char *const uwant_ba[] = { "b.log", "a.log" };
	CHECK(args_give(u, N(u), uwant_ab), "one log lacks a time: argument order (a b)");
	CHECK(args_give(u2, N(u2), uwant_ba), "one log lacks a time: argument order (b a)");
	static const struct file u3[] = { { "a.log", 300 }, { "b.log", U }, { "c.log", 100 } };
	static const char *const u3want[] = { "a.log", "b.log", "c.log" };
	CHECK(args_give(u3, N(u3), u3want), "three logs, the middle one untimed: argument order");

	/* neither timed: argument order, both ways */
	static const struct file n[] = { { "b.log", U }, { "a.log", U } };
	static const char *const nwant[] = { "b.log", "a.log" };
	CHECK(args_give(n, N(n), nwant), "no times: argument order, not name order");

	/* rotated sets of two logs: each set stays oldest first, the sets ordered by the
	 * first time of their oldest file */
	static const struct file r[] = {
		{ "a.log", 500 }, { "a.log.1", 50 }, { "b.log", 300 }, { "b.log.1", 100 },
	};
	static const char *const rwant[] = { "a.log.1", "a.log", "b.log.1", "b.log" };
	CHECK(all_perms_give(r, N(r), rwant), "two rotated logs: grouped, ordered by the oldest file's time");
	static const struct file r2[] = {
		{ "a.log", 500 }, { "a.log.1", 150 }, { "b.log", 300 }, { "b.log.1", 100 },
	};
	static const char *const r2want[] = { "b.log.1", "b.log", "a.log.1", "a.log" };
	CHECK(all_perms_give(r2, N(r2), r2want), "two rotated logs: the other way round");

	/* rotated, untimed: sets in order of first mention, rotation order inside */
	static const struct file ru[] = {
		{ "b.log", U }, { "a.log.1", U }, { "b.log.1", U }, { "a.log", U },
	};
	static const char *const ruwant[] = { "b.log.1", "b.log", "a.log.1", "a.log" };
	CHECK(args_give(ru, N(ru), ruwant), "rotated, untimed: logs in order of first mention");

	/* "kamailio-2.log" is its own log, not a rotation of kamailio.log */
	static const struct file k[] = {
		{ "kamailio.log", U }, { "kamailio-2.log", U }, { "kamailio.log.1", U },
	};
	static const char *const kwant[] = { "kamailio.log.1", "kamailio.log", "kamailio-2.log" };
	CHECK(args_give(k, N(k), kwant), "kamailio-2.log is not a rotation (argument order kept)");
	static const struct file k2[] = {
		{ "kamailio-2.log", U }, { "kamailio.log", U }, { "kamailio.log.1", U },
	};
	static const char *const k2want[] = { "kamailio-2.log", "kamailio.log.1", "kamailio.log" };
	CHECK(args_give(k2, N(k2), k2want), "kamailio-2.log named first stays first");
	static const struct file k3[] = { { "kamailio.log", 100 }, { "kamailio-2.log", 50 } };
	static const char *const k3want[] = { "kamailio-2.log", "kamailio.log" };
	CHECK(args_give(k3, N(k3), k3want), "kamailio-2.log ordered as a separate log by its time");
}

static void test_stdin(void)
{
	static const struct file s[] = { { "-", U }, { "x.log", U }, { "x.log.1", U } };
	static const char *const swant[] = { "x.log.1", "x.log", "-" };
	CHECK(all_perms_give(s, N(s), swant), "stdin last, in any argument position");

	static const struct file st[] = { { "-", 1 }, { "b.log", 200 }, { "a.log", 100 } };
	static const char *const stwant[] = { "a.log", "b.log", "-" };
	CHECK(all_perms_give(st, N(st), stwant), "stdin last even with the earliest time");

	static const struct file only[] = { { "-", U } };
	static const char *const onlywant[] = { "-" };
	CHECK(args_give(only, 1, onlywant), "stdin alone");

	struct order_item none[1];
	order_files(none, 0);
	CHECK(1, "zero items: no crash");
}

static void test_items_intact(void)
{
	struct order_item it[3] = {
		{ "x.log", 300, 0 }, { "x.log.2", 100, 1 }, { "x.log.1", U, 2 },
	};

	order_files(it, 3);
	CHECK(strcmp(it[0].path, "x.log.2") == 0 && it[0].first_time == 100 && it[0].arg_index == 1,
	      "items keep their first_time and arg_index (1)");
	CHECK(strcmp(it[1].path, "x.log.1") == 0 && it[1].first_time == U && it[1].arg_index == 2,
	      "items keep their first_time and arg_index (2)");
	CHECK(strcmp(it[2].path, "x.log") == 0 && it[2].first_time == 300 && it[2].arg_index == 0,
	      "items keep their first_time and arg_index (3)");
}

int main(void)
{
	test_numbered();
	test_dateext();
	test_different_logs();
	test_stdin();
	test_items_intact();
	return test_done();
}
