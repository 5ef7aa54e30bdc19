/*
 * peak.h - the most Call-IDs open at once, counted so that the order in which calls are
 * settled (by one thread or many, in one run or in several merged) never changes it.
 *
 * A Call-ID is open from its first message to its last (in log time, or in message numbers
 * for a log without times). Each one adds +1 at the unit of its first message and -1 at the
 * unit after its last, in a sparse map of deltas by bucket; the peak is the largest running
 * sum over the buckets in order. A bucket is one unit wide (a second, a message) while the
 * map has touched at most PEAK_BUCKETS buckets; past that every bucket becomes ten times
 * wider (as often as needed), and the running sum at a bucket counts the Call-IDs open at the
 * bucket's last unit. The width is the smallest of 1, 10, 100, ... units at which the buckets
 * touched fit, a function of the set of calls alone, so adding calls in any order, or merging
 * maps, gives the same map and the same peak.
 */
#ifndef SIPLOGSCAN_PEAK_H
#define SIPLOGSCAN_PEAK_H

#include <stddef.h>
#include <stdint.h>

#define PEAK_BUCKETS (1u << 17)	/* a day of seconds fits */

struct peak {
	int64_t width;		/* units per bucket: 1, 10, 100, ...; 0 until the first call */
	size_t n, cap;		/* buckets touched; slots (a power of two, 0: none yet) */
	int64_t *key;		/* bucket numbers */
	int64_t *delta;
	uint8_t *used;
};

/* Count one Call-ID open from unit first to unit last (first <= last). */
void peak_add(struct peak *p, int64_t first, int64_t last);
/* Add everything of from into into (from is left as it was). */
void peak_merge(struct peak *into, const struct peak *from);
/* The most Call-IDs open at one bucket's last unit; 0 when none was added. */
uint64_t peak_max(const struct peak *p);
void peak_release(struct peak *p);
/* A state file's bucket (src/state.c): every one at the width the map had (a power of 10). */
void peak_restore(struct peak *p, int64_t width, int64_t bucket, int64_t delta);

#endif
