/*
 * test_topk.c - unit tests for src/topk.c (Space-Saving) against its contract in src/topk.h:
 *   - below the cap every key is listed with its exact weight, nothing is evicted;
 *   - a flood of one-off keys before, after or around a heavy key never pushes it out, and
 *     every key heavier than total / cap is listed (the Space-Saving guarantee);
 *   - a listed key's weight minus its error is what it gathered while listed, its true weight
 *     lies between that and its weight, and the listed records plus topk_unlisted() add up to
 *     everything added;
 *   - the lightest entry goes first, equal weights by key bytes then length, so a run with
 *     another hash seed gives the same table; checked step by step against a naive reference
 *     (linear search for the lightest entry) over random streams with random weights;
 *   - records start zeroed, keys are bytes with a length (NUL inside), release() sees every
 *     record that leaves, once.
 */
#include "testhelp.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "topk.h"

struct rec {
	uint64_t mine;		/* what the caller counted for this key while listed */
	int canary;
};

static int released;

static void on_release(void *r)
{
	(void)r;
	released++;
}

static void add(struct topk *t, const char *key, size_t len, uint64_t w)
{
	struct rec *r = topk_get(t, key, len);
	r->mine += w;
	topk_add(t, r, w);
}

static void adds(struct topk *t, const char *key, uint64_t w)
{
	add(t, key, strlen(key), w);
}

static struct rec *find(const struct topk *t, const char *key)
{
	return topk_find(t, key, strlen(key));
}

struct sum {
	uint64_t mine, own;
	int bad;
};

static void sum_rec(void *r, void *ctx)
{
	struct rec *x = r;
	struct sum *s = ctx;

	s->mine += x->mine;
	s->own += topk_weight(r) - topk_error(r);
	s->bad |= x->canary != 0;
}

static void test_below_cap(void)
{
	struct topk *t = topk_new(8, sizeof(struct rec), on_release);
	char k[24];

	released = 0;
	for (int i = 0; i < 8; i++) {
		snprintf(k, sizeof(k), "k%d", i);
		adds(t, k, (uint64_t)i + 1);
		adds(t, k, 1);
	}
	int ok = 1;
	for (int i = 0; i < 8; i++) {
		snprintf(k, sizeof(k), "k%d", i);
		struct rec *r = find(t, k);
		ok &= r && r->mine == (uint64_t)i + 2 && topk_weight(r) == (uint64_t)i + 2 &&
		      topk_error(r) == 0;
	}
	CHECK(ok, "below the cap: every key listed with its exact weight, error 0");
	CHECK(topk_count(t) == 8 && topk_cap(t) == 8 && topk_evicted(t) == 0 &&
	      topk_unlisted(t) == 0, "below the cap: 8 listed, nothing evicted or unlisted");
	CHECK(!find(t, "k8") && !find(t, "k") && !find(t, ""), "topk_find: absent keys are NULL");
	size_t n;
	const char *key = topk_key(t, find(t, "k3"), &n);
	CHECK(n == 2 && memcmp(key, "k3", 2) == 0, "topk_key: the key's bytes and length");
	topk_free(t);
	CHECK_EQ_INT(released, 8, "topk_free: release() once per listed record");
}

/* a flood of one-off keys (16 per entry, as 2^20 spoofed sources in a table of 65536), then
 * a heavy key: it enters, and stays */
static void test_flood_first(void)
{
	struct topk *t = topk_new(64, sizeof(struct rec), on_release);
	char k[24];

	released = 0;
	for (int i = 0; i < 1024; i++) {
		snprintf(k, sizeof(k), "spoof%d", i);
		adds(t, k, 1);
	}
	CHECK(topk_count(t) == 64 && topk_evicted(t) == 1024 - 64,
	      "flood: the table holds 64 keys, the rest were evicted");
	CHECK_EQ_INT(released, 1024 - 64, "flood: release() once per evicted record");
	for (int i = 0; i < 200; i++)
		adds(t, "scanner", 1);
	struct rec *r = find(t, "scanner");
	CHECK(r && r->mine == 200, "a heavy key after 1024 one-off keys is listed with its 200");
	CHECK(r && topk_weight(r) - topk_error(r) == 200 && topk_error(r) >= 1,
	      "its weight minus its error is what it gathered while listed");
	struct sum s = {0};
	topk_each(t, sum_rec, &s);
	CHECK(s.mine + topk_unlisted(t) == 1224 && s.own == s.mine && !s.bad,
	      "listed + unlisted = everything added (%llu + %llu)", (unsigned long long)s.mine,
	      (unsigned long long)topk_unlisted(t));
	/* as many one-off keys after it: it stays (they raise the lightest weight to about 32) */
	for (int i = 0; i < 1024; i++) {
		snprintf(k, sizeof(k), "later%d", i);
		adds(t, k, 1);
	}
	r = find(t, "scanner");
	CHECK(r && r->mine == 200, "... and is still listed after 1024 more one-off keys");
	topk_free(t);
}

/* a small deterministic generator, so that failures repeat */
static uint64_t rng = 88172645463325252ULL;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* ---- a naive Space-Saving with the same order, for comparison */

#define REF_MAX 64

struct ref {
	char key[REF_MAX][24];
	size_t len[REF_MAX];
	uint64_t w[REF_MAX], err[REF_MAX];
	size_t n, cap;
	uint64_t unlisted;
};

static int ref_lighter(const struct ref *r, size_t a, size_t b)
{
	if (r->w[a] != r->w[b])
		return r->w[a] < r->w[b];
	size_t m = r->len[a] < r->len[b] ? r->len[a] : r->len[b];
	int c = memcmp(r->key[a], r->key[b], m);
	return c ? c < 0 : r->len[a] < r->len[b];
}

static void ref_add(struct ref *r, const char *key, size_t len, uint64_t w)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->len[i] == len && memcmp(r->key[i], key, len) == 0)
			break;
	if (i == r->n) {
		uint64_t inherit = 0;
		if (r->n == r->cap) {
			size_t m = 0;
			for (size_t j = 1; j < r->n; j++)
				if (ref_lighter(r, j, m))
					m = j;
			inherit = r->w[m];
			r->unlisted += r->w[m] - r->err[m];
			i = m;
		} else {
			r->n++;
		}
		memcpy(r->key[i], key, len);
		r->len[i] = len;
		r->w[i] = r->err[i] = inherit;
	}
	r->w[i] += w;
}

static int same_as_ref(const struct topk *t, const struct ref *r)
{
	if (topk_count(t) != r->n || topk_unlisted(t) != r->unlisted)
		return 0;
	for (size_t i = 0; i < r->n; i++) {
		const struct rec *x = topk_find(t, r->key[i], r->len[i]);
		if (!x || topk_weight(x) != r->w[i] || topk_error(x) != r->err[i] ||
		    x->mine != r->w[i] - r->err[i])
			return 0;
	}
	return 1;
}

static void test_against_reference(void)
{
	static const size_t caps[] = { 1, 2, 3, 7, 16, 64 };
	int ok = 1;
	size_t steps = 0;

	for (size_t c = 0; c < sizeof(caps) / sizeof(caps[0]); c++) {
		for (int round = 0; round < 20; round++) {
			struct topk *t = topk_new(caps[c], sizeof(struct rec), NULL);
			struct ref r = { .cap = caps[c] };
			/* keys of 0..3 bytes over a small alphabet with NUL: many ties, prefixes;
			 * every fourth round after 15 to 17 bytes in common (the heap compares
			 * the first 16 bytes in its own array, the rest in the keys) */
			unsigned alphabet = round % 2 ? 3 : 40;
			size_t common = round % 4 == 3 ? 15 + (size_t)round % 3 : 0;
			for (int i = 0; i < 3000 && ok; i++) {
				char key[24];
				size_t len = common + next() % 4;
				memset(key, 'k', common);
				for (size_t j = common; j < len; j++)
					key[j] = (char)(next() % alphabet);
				uint64_t w = round % 3 == 0 ? 1 : next() % 5;
				add(t, key, len, w);
				ref_add(&r, key, len, w);
				ok &= same_as_ref(t, &r);
				steps++;
			}
			topk_free(t);
		}
	}
	CHECK(ok, "the same table as a naive Space-Saving after each of %zu steps (caps 1..64, "
	      "weights 0..4, keys with NUL, prefixes, 15..17 bytes in common)", steps);
}

/* Every key heavier than total / cap is listed; a listed key's true weight lies between its
 * weight minus its error and its weight. */
static void test_guarantee(void)
{
	enum { KEYS = 2000, CAP = 50, N = 200000 };
	static uint64_t truth[KEYS];
	struct topk *t = topk_new(CAP, sizeof(struct rec), NULL);
	char k[24];

	memset(truth, 0, sizeof(truth));
	for (int i = 0; i < N; i++) {
		/* skewed: key j with probability ~ 1/(j+1) */
		uint64_t x = next() % 100000;
		int j = 0;
		while (j < KEYS - 1 && x < (uint64_t)(100000 / (j + 2)))
			j++;
		j = (int)(next() % 3 ? (uint64_t)j : next() % KEYS);
		truth[j]++;
		snprintf(k, sizeof(k), "key%d", j);
		adds(t, k, 1);
	}
	int listed = 1, bounds = 1;
	for (int j = 0; j < KEYS; j++) {
		snprintf(k, sizeof(k), "key%d", j);
		struct rec *r = find(t, k);
		if (truth[j] * CAP > N)
			listed &= r != NULL;
		if (r)
			bounds &= r->mine <= truth[j] && truth[j] <= topk_weight(r);
	}
	CHECK(listed, "every key heavier than total / cap is listed");
	CHECK(bounds, "listed keys: gathered <= true weight <= weight");
	struct sum s = {0};
	topk_each(t, sum_rec, &s);
	CHECK(s.mine + topk_unlisted(t) == N, "listed + unlisted = %d", N);
	topk_free(t);
}

static void test_ties(void)
{
	struct topk *t = topk_new(3, sizeof(struct rec), NULL);

	adds(t, "b", 1);
	adds(t, "c", 1);
	adds(t, "a", 1);
	adds(t, "d", 1);	/* a, b, c weigh 1: a (the smallest key) goes */
	CHECK(!find(t, "a") && find(t, "b") && find(t, "c") && find(t, "d"),
	      "equal weights: the smallest key is evicted first");
	struct rec *d = find(t, "d");
	CHECK(d && topk_weight(d) == 2 && topk_error(d) == 1 && d->mine == 1,
	      "the newcomer inherits the evicted weight as its error");
	adds(t, "e", 1);	/* b, c weigh 1, d 2: b goes */
	CHECK(!find(t, "b") && find(t, "c") && find(t, "e"), "then the next smallest key");
	adds(t, "ab", 1);	/* c 1, d 2, e 2: c goes */
	adds(t, "a", 1);	/* d, e, ab weigh 2: ab goes ("ab" < "d" < "e") */
	CHECK(!find(t, "c") && find(t, "d") && !find(t, "ab"),
	      "equal weights: \"ab\" goes before \"d\"");
	topk_free(t);

	/* a key and the same bytes with a NUL after them are two keys */
	t = topk_new(4, sizeof(struct rec), NULL);
	add(t, "x", 1, 5);
	add(t, "x\0", 2, 7);
	struct rec *x1 = topk_find(t, "x", 1), *x2 = topk_find(t, "x\0", 2);
	CHECK(x1 && x2 && x1 != x2 && x1->mine == 5 && x2->mine == 7,
	      "keys are bytes with a length: \"x\" and \"x\\0\" are two keys");
	topk_free(t);

	/* cap 0 is taken as 1 */
	t = topk_new(0, sizeof(struct rec), NULL);
	adds(t, "p", 3);
	adds(t, "q", 1);
	struct rec *q = find(t, "q");
	CHECK(topk_cap(t) == 1 && !find(t, "p") && q && topk_weight(q) == 4 && q->mine == 1 &&
	      topk_unlisted(t) == 3, "cap 1: each new key replaces the one entry");
	topk_free(t);
}

int main(void)
{
	test_below_cap();
	test_flood_first();
	test_ties();
	test_against_reference();
	test_guarantee();
	return test_done();
}
