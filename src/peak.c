/*
 * peak.c - the most Call-IDs open at once (see peak.h): a sparse map of deltas by bucket,
 * open addressing with linear probing, kept under half full.
 */
#include "peak.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* floor(x / w) for any sign of x (w > 0) */
static int64_t bucket_of(int64_t x, int64_t w)
{
	int64_t q = x / w;

	return (x % w != 0 && x < 0) ? q - 1 : q;
}

static size_t slot_of(const struct peak *p, int64_t b)
{
	uint64_t h = (uint64_t)b * 0x9e3779b97f4a7c15ull;

	return (size_t)(h >> 20) & (p->cap - 1);
}

/* Add d to bucket b of the current width, without growing the map. */
static void put_raw(struct peak *p, int64_t b, int64_t d)
{
	size_t i = slot_of(p, b);

	while (p->used[i] && p->key[i] != b)
		i = (i + 1) & (p->cap - 1);
	if (!p->used[i]) {
		p->used[i] = 1;
		p->key[i] = b;
		p->n++;
	}
	p->delta[i] += d;
}

static void rebuild(struct peak *p, size_t cap, int64_t width)
{
	struct peak old = *p;

	p->cap = cap;
	p->n = 0;
	p->key = xcalloc(cap, sizeof(*p->key));
	p->delta = xcalloc(cap, sizeof(*p->delta));
	p->used = xcalloc(cap, 1);
	int64_t f = old.width ? width / old.width : 1;
	p->width = width;
	for (size_t i = 0; i < old.cap; i++)
		if (old.used[i])
			put_raw(p, bucket_of(old.key[i], f), old.delta[i]);
	free(old.key);
	free(old.delta);
	free(old.used);
}

/*
 * Add d to bucket b (of the current width). A bucket stays in the map once touched, even when
 * its deltas cancel: the width then depends on the buckets touched alone, never on the order.
 * Past PEAK_BUCKETS buckets the width grows tenfold (the slots stay), else the slots double.
 */
static void put(struct peak *p, int64_t b, int64_t d)
{
	if (!p->cap)
		rebuild(p, 1024, p->width ? p->width : 1);
	put_raw(p, b, d);
	while (p->n * 2 > p->cap) {
		if (p->n > PEAK_BUCKETS)
			rebuild(p, p->cap, p->width * 10);
		else
			rebuild(p, p->cap * 2, p->width);
	}
}

void peak_add(struct peak *p, int64_t first, int64_t last)
{
	if (!p->width)
		p->width = 1;
	if (last < first)
		last = first;
	put(p, bucket_of(first, p->width), 1);
	put(p, bucket_of(last + 1, p->width), -1);
}

void peak_merge(struct peak *into, const struct peak *from)
{
	if (!from->n)
		return;
	if (!into->width)
		into->width = 1;
	if (from->width > into->width && into->cap)
		rebuild(into, into->cap, from->width);
	else if (from->width > into->width)
		into->width = from->width;
	int64_t f = into->width / from->width;
	for (size_t i = 0; i < from->cap; i++)
		if (from->used[i])
			put(into, bucket_of(from->key[i], f), from->delta[i]);
}

static int cmp_i64(const void *x, const void *y)
{
	int64_t a = ((const int64_t *)x)[0], b = ((const int64_t *)y)[0];

	return a < b ? -1 : a > b;
}

uint64_t peak_max(const struct peak *p)
{
	if (!p->n)
		return 0;
	int64_t *kd = xmalloc(p->n * 2 * sizeof(*kd));
	size_t k = 0;
	for (size_t i = 0; i < p->cap; i++)
		if (p->used[i]) {
			kd[2 * k] = p->key[i];
			kd[2 * k + 1] = p->delta[i];
			k++;
		}
	qsort(kd, k, 2 * sizeof(*kd), cmp_i64);
	int64_t run = 0, max = 0;
	for (size_t i = 0; i < k; i++) {
		run += kd[2 * i + 1];
		if (run > max)
			max = run;
	}
	free(kd);
	return (uint64_t)max;
}

void peak_release(struct peak *p)
{
	free(p->key);
	free(p->delta);
	free(p->used);
	memset(p, 0, sizeof(*p));
}

/* A state file's bucket (src/state.c), at the width it was written with. */
void peak_restore(struct peak *p, int64_t width, int64_t bucket, int64_t delta)
{
	if (!p->width)
		p->width = width;
	put(p, bucket, delta);
}
