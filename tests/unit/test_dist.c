/*
 * test_dist.c - unit tests for src/dist.c: nearest-rank percentiles on known sets, the
 * empty and single-value cases, ignored negatives, order- and merge-independence, and the
 * histogram mode past DIST_EXACT_MAX (relative error under 0.1%, exact maximum), alone and
 * merged with exact distributions.
 *
 * The reference for "nearest rank" is the header's definition computed in integers:
 * the value at 1-based rank ceil(p * n / 100) of the sorted values.
 */
#include "testhelp.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dist.h"
#include "util.h"

static uint64_t rng_state = 0x243f6a8885a308d3ULL;

static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static int cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* Nearest rank for an integer percentage over sorted v[0..n). */
static int64_t ref_rank(const int64_t *sorted, uint64_t n, unsigned p)
{
	uint64_t rank = ((uint64_t)p * n + 99) / 100;

	return sorted[(rank ? rank : 1) - 1];
}

static void test_small_sets(void)
{
	struct dist d = {0};

	CHECK_EQ_INT(dist_percentile(&d, 50), -1, "empty: p50 is -1");
	CHECK_EQ_INT(dist_percentile(&d, 100), -1, "empty: p100 is -1");

	/* 1..100 added in a scrambled order */
	for (int i = 0; i < 100; i++)
		dist_add(&d, (i * 37) % 100 + 1);
	CHECK_EQ_INT(d.n, 100, "1..100: n");
	CHECK_EQ_INT(dist_percentile(&d, 50), 50, "1..100: p50 = 50");
	CHECK_EQ_INT(dist_percentile(&d, 90), 90, "1..100: p90 = 90");
	CHECK_EQ_INT(dist_percentile(&d, 99), 99, "1..100: p99 = 99");
	CHECK_EQ_INT(dist_percentile(&d, 100), 100, "1..100: p100 = 100");
	CHECK_EQ_INT(d.max, 100, "1..100: max = 100");
	CHECK_EQ_INT(dist_percentile(&d, 0.5), 1, "1..100: p0.5 = 1 (rank rounds up)");
	CHECK_EQ_INT(dist_percentile(&d, 50.5), 51, "1..100: p50.5 = 51");
	int bad = 0;
	for (unsigned p = 1; p <= 100; p++)
		if (dist_percentile(&d, p) != (int64_t)p)
			bad++;
	CHECK_EQ_INT(bad, 0, "1..100: pN = N for every integer N (p7 = 7, p14 = 14, ...)");
	/* asking twice does not change the answer (percentile may sort in place) */
	CHECK_EQ_INT(dist_percentile(&d, 90), 90, "1..100: p90 again");
	dist_add(&d, -1);
	dist_add(&d, INT64_MIN);
	CHECK_EQ_INT(d.n, 100, "negative values are ignored (n unchanged)");
	CHECK_EQ_INT(dist_percentile(&d, 1), 1, "negative values are ignored (p1 still 1)");
	dist_release(&d);
	CHECK(d.n == 0 && d.exact == NULL && d.hist == NULL, "dist_release leaves an empty dist");
	CHECK_EQ_INT(dist_percentile(&d, 50), -1, "released dist is empty");

	dist_add(&d, 1234);
	CHECK_EQ_INT(dist_percentile(&d, 1), 1234, "single value: p1");
	CHECK_EQ_INT(dist_percentile(&d, 50), 1234, "single value: p50");
	CHECK_EQ_INT(dist_percentile(&d, 100), 1234, "single value: p100");
	CHECK_EQ_INT(d.max, 1234, "single value: max");
	dist_release(&d);

	dist_add(&d, 0);
	CHECK_EQ_INT(dist_percentile(&d, 50), 0, "zero is a value, not 'empty'");
	dist_release(&d);

	dist_add(&d, -5);
	CHECK_EQ_INT(dist_percentile(&d, 50), -1, "only negative values: still empty");
	CHECK_EQ_INT(d.n, 0, "only negative values: n = 0");
	dist_release(&d);

	/* duplicates: {5, 5, 5, 10} */
	dist_add(&d, 10);
	dist_add(&d, 5);
	dist_add(&d, 5);
	dist_add(&d, 5);
	CHECK_EQ_INT(dist_percentile(&d, 75), 5, "{5,5,5,10}: p75 = 5");
	CHECK_EQ_INT(dist_percentile(&d, 76), 10, "{5,5,5,10}: p76 = 10");
	dist_release(&d);
}

/* Every integer percentile of every size 1..400, against the integer reference. */
static void test_rank_arithmetic(void)
{
	int64_t *v = xmalloc(400 * sizeof(*v));
	int bad = 0;

	for (uint64_t n = 1; n <= 400; n++) {
		struct dist d = {0};
		for (uint64_t i = 0; i < n; i++) {
			v[i] = (int64_t)(i * 10);
			dist_add(&d, (int64_t)(((i * 7919) % n) * 10));	/* a permutation */
		}
		for (unsigned p = 1; p <= 100; p++)
			if (dist_percentile(&d, p) != ref_rank(v, n, p)) {
				if (bad++ < 5)
					printf("#   n=%llu p%u: got %lld, want %lld\n",
					       (unsigned long long)n, p, (long long)dist_percentile(&d, p),
					       (long long)ref_rank(v, n, p));
			}
		dist_release(&d);
	}
	CHECK_EQ_INT(bad, 0, "nearest rank for every integer p and every n in 1..400");

	/* p99.9 of 1000 values is the 999th */
	struct dist d = {0};
	for (int i = 1; i <= 1000; i++)
		dist_add(&d, i);
	CHECK_EQ_INT(dist_percentile(&d, 99.9), 999, "1..1000: p99.9 = 999");
	dist_release(&d);
	free(v);
}

static void percentiles(struct dist *d, int64_t out[6])
{
	static const double ps[6] = { 1, 25, 50, 90, 99, 100 };

	for (int i = 0; i < 6; i++)
		out[i] = dist_percentile(d, ps[i]);
}

static void test_merge_exact(void)
{
	struct dist all = {0}, a = {0}, b = {0}, rev = {0}, empty = {0};
	int64_t pa[6], pb[6], pr[6];
	int64_t vals[1000];

	for (int i = 0; i < 1000; i++)
		vals[i] = (int64_t)(rng() % 100000);
	for (int i = 0; i < 1000; i++) {
		dist_add(&all, vals[i]);
		dist_add(i % 3 ? &a : &b, vals[i]);
		dist_add(&rev, vals[999 - i]);
	}
	dist_merge(&a, &b);
	percentiles(&all, pa);
	percentiles(&a, pb);
	percentiles(&rev, pr);
	CHECK(memcmp(pa, pb, sizeof(pa)) == 0, "merge of two exact dists = adding all values");
	CHECK(memcmp(pa, pr, sizeof(pa)) == 0, "reversed insertion order: same percentiles");
	CHECK(all.n == a.n && all.max == a.max, "merge: n and max");

	/* merging the other way round */
	struct dist a2 = {0}, b2 = {0};
	for (int i = 0; i < 1000; i++)
		dist_add(i % 3 ? &a2 : &b2, vals[i]);
	dist_merge(&b2, &a2);
	percentiles(&b2, pb);
	CHECK(memcmp(pa, pb, sizeof(pa)) == 0, "merge is symmetric (b into a = a into b)");

	/* empty on either side */
	dist_merge(&a, &empty);
	percentiles(&a, pb);
	CHECK(memcmp(pa, pb, sizeof(pa)) == 0 && a.n == 1000, "merging an empty dist changes nothing");
	dist_merge(&empty, &all);
	percentiles(&empty, pb);
	CHECK(memcmp(pa, pb, sizeof(pa)) == 0 && empty.max == all.max,
	      "merging into an empty dist copies the values");

	dist_release(&all);
	dist_release(&a);
	dist_release(&b);
	dist_release(&rev);
	dist_release(&empty);
	dist_release(&a2);
	dist_release(&b2);
}

/* |got - want| <= 0.1% of want, and never below want's bucket (upper bounds round up) */
static int close_enough(int64_t got, int64_t want)
{
	double diff = (double)(got > want ? got - want : want - got);

	return diff <= (double)want * 0.001;
}

#define NBIG 200000

static int check_hist(struct dist *d, int64_t *sorted, uint64_t n, const char *label)
{
	static const double ps[] = { 1, 10, 25, 50, 75, 90, 95, 99, 99.9, 100 };
	int bad = 0;

	for (size_t i = 0; i < sizeof(ps) / sizeof(ps[0]); i++) {
		uint64_t permille = (uint64_t)(ps[i] * 10 + 0.5);
		uint64_t rank = (permille * n + 999) / 1000;
		int64_t want = sorted[rank - 1], got = dist_percentile(d, ps[i]);
		if (!close_enough(got, want)) {
			bad++;
			printf("#   %s p%g: got %lld, want %lld\n", label, ps[i], (long long)got,
			       (long long)want);
		}
	}
	return bad;
}

static void test_histogram(void)
{
	int64_t *v = xmalloc(NBIG * sizeof(*v));
	struct dist d = {0};

	/* log-uniform values from 0 to about 2^40 us, so every range of the histogram is used */
	for (size_t i = 0; i < NBIG; i++) {
		int e = (int)(rng() % 41);
		v[i] = (int64_t)(rng() & ((UINT64_C(1) << e) - 1));
	}
	v[12345] = (INT64_C(1) << 40) + 987654321;	/* a distinctive maximum */
	for (size_t i = 0; i < DIST_EXACT_MAX; i++)
		dist_add(&d, v[i]);
	CHECK(d.hist == NULL, "exactly DIST_EXACT_MAX values are still kept exactly");
	for (size_t i = DIST_EXACT_MAX; i < NBIG; i++)
		dist_add(&d, v[i]);
	CHECK(d.hist != NULL, "past DIST_EXACT_MAX the dist moves into a histogram");
	CHECK_EQ_INT(d.n, NBIG, "histogram: n counts every value");

	int64_t *sorted = xmalloc(NBIG * sizeof(*sorted));
	memcpy(sorted, v, NBIG * sizeof(*v));
	qsort(sorted, NBIG, sizeof(*sorted), cmp64);
	CHECK_EQ_INT(check_hist(&d, sorted, NBIG, "hist"), 0,
		     "histogram: percentiles within 0.1%% of the exact answer");
	CHECK_EQ_INT(dist_percentile(&d, 100), sorted[NBIG - 1], "histogram: p100 is the exact maximum");
	CHECK_EQ_INT(d.max, sorted[NBIG - 1], "histogram: max is exact");
	dist_add(&d, -7);
	CHECK_EQ_INT(d.n, NBIG, "histogram: negative values still ignored");

	/* small values are exact even in histogram mode: 0..1023 map to themselves */
	struct dist s = {0};
	for (int64_t i = 0; i < 66000; i++)	/* each of 0..999 66 times */
		dist_add(&s, i % 1000);
	CHECK(s.hist != NULL, "small values: in histogram mode");
	CHECK_EQ_INT(dist_percentile(&s, 50), 499, "small values: p50 exact in histogram mode");
	CHECK_EQ_INT(dist_percentile(&s, 100), 999, "small values: p100 exact in histogram mode");
	dist_release(&s);

	/* order independence in histogram mode: reversed insertion */
	struct dist r = {0};
	for (size_t i = NBIG; i-- > 0;)
		dist_add(&r, v[i]);
	int same = 1;
	for (unsigned p = 1; p <= 100; p++)
		if (dist_percentile(&r, p) != dist_percentile(&d, p))
			same = 0;
	CHECK(same, "histogram: reversed insertion order gives identical percentiles");
	dist_release(&r);

	/* merges: histogram + exact, exact + histogram, exact + exact overflowing,
	 * all against the single dist d built from the same values */
	size_t cut = 100;	/* a small exact part and a large histogram part */
	struct dist small = {0}, large = {0}, small2 = {0}, large2 = {0};
	for (size_t i = 0; i < NBIG; i++) {
		dist_add(i < cut ? &small : &large, v[i]);
		dist_add(i < cut ? &small2 : &large2, v[i]);
	}
	CHECK(small.hist == NULL && large.hist != NULL, "merge setup: one exact, one histogram");
	dist_merge(&large, &small);	/* exact into histogram */
	dist_merge(&small2, &large2);	/* histogram into exact */
	int same_a = 1, same_b = 1;
	for (unsigned p = 1; p <= 100; p++) {
		if (dist_percentile(&large, p) != dist_percentile(&d, p))
			same_a = 0;
		if (dist_percentile(&small2, p) != dist_percentile(&d, p))
			same_b = 0;
	}
	CHECK(same_a && large.n == NBIG && large.max == d.max,
	      "merge exact into histogram = adding all values");
	CHECK(same_b && small2.n == NBIG && small2.max == d.max,
	      "merge histogram into exact = adding all values");
	CHECK_EQ_INT(check_hist(&small2, sorted, NBIG, "merged"), 0,
		     "merged histogram: within 0.1%% of the exact answer");

	/* two exact halves that overflow together */
	struct dist h1 = {0}, h2 = {0};
	for (size_t i = 0; i < NBIG; i++)
		dist_add(i % 2 ? &h1 : &h2, v[i]);
	CHECK(h1.hist != NULL && h2.hist != NULL, "halves of 100k values are histograms");
	dist_merge(&h1, &h2);
	same = 1;
	for (unsigned p = 1; p <= 100; p++)
		if (dist_percentile(&h1, p) != dist_percentile(&d, p))
			same = 0;
	CHECK(same && h1.n == NBIG && h1.max == d.max, "merge of two histograms = adding all values");

	struct dist e1 = {0}, e2 = {0};
	for (size_t i = 0; i < 80000; i++)
		dist_add(i % 2 ? &e1 : &e2, v[i]);
	CHECK(e1.hist == NULL && e2.hist == NULL, "two exact dists of 40k values");
	dist_merge(&e1, &e2);
	CHECK(e1.n == 80000, "merging two exact dists past DIST_EXACT_MAX: n");
	memcpy(sorted, v, 80000 * sizeof(*v));
	qsort(sorted, 80000, sizeof(*sorted), cmp64);
	CHECK_EQ_INT(check_hist(&e1, sorted, 80000, "overflowing merge"), 0,
		     "merging two exact dists past DIST_EXACT_MAX: within 0.1%%");
	CHECK_EQ_INT(e1.max, sorted[80000 - 1], "merging two exact dists past DIST_EXACT_MAX: exact max");

	dist_release(&d);
	dist_release(&small);
	dist_release(&large);
	dist_release(&small2);
	dist_release(&large2);
	dist_release(&h1);
	dist_release(&h2);
	dist_release(&e1);
	dist_release(&e2);
	free(sorted);
	free(v);
}

int main(void)
{
	test_small_sets();
	test_rank_arithmetic();
	test_merge_exact();
	test_histogram();
	return test_done();
}
