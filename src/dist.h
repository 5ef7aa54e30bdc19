/*
 * dist.h - a distribution of durations (microseconds) with exact percentiles while small
 * and bounded memory when large.
 *
 * Up to DIST_EXACT_MAX values are kept exactly; past that the values move into a log-linear
 * histogram (1024 sub-buckets per power of two: relative error under 0.1%) and memory stays
 * fixed. Every operation is order-independent: the same multiset of values gives the same
 * percentiles, whatever order they arrived in and however partial distributions were merged.
 */
#ifndef SIPLOGSCAN_DIST_H
#define SIPLOGSCAN_DIST_H

#include <stddef.h>
#include <stdint.h>

#define DIST_EXACT_MAX 65536

struct dist {
	uint64_t n;
	int64_t max;
	int64_t sum;		/* of all values, exact (for Prometheus summaries and means) */
	int64_t *exact;		/* n values while n <= DIST_EXACT_MAX and hist == NULL */
	size_t exact_cap;
	uint64_t *hist;		/* histogram, once it overflowed */
	size_t sorted;		/* exact[0..sorted) is in order: the percentiles sort once */
};

void dist_add(struct dist *d, int64_t us);	/* negative values are ignored */
void dist_merge(struct dist *into, const struct dist *from);
/* Nearest-rank percentile (p in (0,100]): the smallest value v with at least p% of the values
 * <= v. In histogram mode the bucket's upper bound, capped at the exact maximum.
 * Returns -1 when empty. */
int64_t dist_percentile(struct dist *d, double p);
void dist_release(struct dist *d);
/* Buckets of the histogram (hist[0..dist_buckets())): state files write it (src/state.c). */
size_t dist_buckets(void);

#endif
