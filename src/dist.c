/*
 * dist.c - exact-then-histogram distribution of durations (see dist.h).
 */
#include "dist.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SUB_BITS 10
#define SUB (1u << SUB_BITS)
#define NBUCKETS ((64 - SUB_BITS) * SUB + SUB)

/* Values below SUB map to themselves; above, to (exponent, top SUB_BITS bits). */
static size_t bucket_of(uint64_t v)
{
	if (v < SUB)
		return (size_t)v;
	int e = 63 - __builtin_clzll(v);		/* >= SUB_BITS */
	int shift = e - SUB_BITS;
	uint64_t top = v >> shift;			/* in [SUB, 2*SUB) */
	return (size_t)(SUB + (uint64_t)(shift) * SUB + (top - SUB));
}

static uint64_t bucket_upper(size_t b)
{
	if (b < SUB)
		return b;
	size_t k = b - SUB;
	int shift = (int)(k / SUB);
	uint64_t top = SUB + k % SUB;
	return ((top + 1) << shift) - 1;
}

static void to_hist(struct dist *d)
{
	d->hist = xcalloc(NBUCKETS, sizeof(uint64_t));
	for (uint64_t i = 0; i < d->n; i++)
		d->hist[bucket_of((uint64_t)d->exact[i])]++;
	free(d->exact);
	d->exact = NULL;
	d->exact_cap = 0;
}

static void add_one(struct dist *d, int64_t us)
{
	if (d->hist) {
		d->hist[bucket_of((uint64_t)us)]++;
	} else {
		if (d->n == d->exact_cap) {
			d->exact_cap = d->exact_cap ? d->exact_cap * 2 : 64;
			d->exact = xrealloc(d->exact, d->exact_cap * sizeof(int64_t));
		}
		d->exact[d->n] = us;
	}
	d->n++;
	if (d->n == 1 || us > d->max)
		d->max = us;
	if (!d->hist && d->n > DIST_EXACT_MAX)
		to_hist(d);
}

void dist_add(struct dist *d, int64_t us)
{
	if (us < 0)
		return;
	d->sum += us;
	add_one(d, us);
}

void dist_merge(struct dist *into, const struct dist *from)
{
	if (!from->n)
		return;
	into->sum += from->sum;
	if (from->hist) {
		if (!into->hist)
			to_hist(into);
		for (size_t b = 0; b < NBUCKETS; b++)
			into->hist[b] += from->hist[b];
		into->n += from->n;
		if (from->max > into->max)
			into->max = from->max;
		return;
	}
	for (uint64_t i = 0; i < from->n; i++)
		add_one(into, from->exact[i]);
}

static int cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

int64_t dist_percentile(struct dist *d, double p)
{
	if (!d->n)
		return -1;
	/* p * n first: exact for integer p, so a whole rank stays whole ((7 / 100.0) * 100
	 * is 7.000000000000001, whose ceiling would pick the next value) */
	uint64_t rank = (uint64_t)ceil(p * (double)d->n / 100.0);
	if (rank < 1)
		rank = 1;
	if (rank > d->n)
		rank = d->n;
	if (!d->hist) {
		if (d->sorted != d->n) {
			qsort(d->exact, d->n, sizeof(int64_t), cmp64);
			d->sorted = d->n;
		}
		return d->exact[rank - 1];
	}
	uint64_t seen = 0;
	for (size_t b = 0; b < NBUCKETS; b++) {
		seen += d->hist[b];
		if (seen >= rank) {
			int64_t up = (int64_t)bucket_upper(b);
			return up < d->max ? up : d->max;
		}
	}
	return d->max;
}

void dist_release(struct dist *d)
{
	free(d->exact);
	free(d->hist);
	memset(d, 0, sizeof(*d));
}

size_t dist_buckets(void)
{
	return NBUCKETS;
}
