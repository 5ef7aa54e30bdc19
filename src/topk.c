/*
 * topk.c - Space-Saving over a keyed hash table and a min-heap (see topk.h for the contract).
 *
 * Layout: every entry is one allocation, a node header, the caller's record (aligned as
 * malloc aligns), then the key bytes. t->ents lists the entries; once the table is full it is
 * a binary min-heap ordered by (weight, key), and each node knows its position, so that
 * topk_add() restores the order from where the entry stands. Weights only grow, so an entry
 * only ever moves down. Lookups go through an htab keyed with a per-table random seed (keys
 * are attacker-chosen); nothing that decides an eviction depends on that seed.
 *
 * Speed: under a flood of one-off keys every entry weighs the same, so each eviction walks
 * the heap from top to bottom deciding ties by key. The heap's own array therefore carries
 * each entry's weight and the first 16 bytes of its key (zero-padded): most comparisons stay
 * in that array instead of reaching two nodes elsewhere in memory; only equal prefixes (long
 * keys that start alike) look at the keys themselves.
 */
#include "topk.h"
#include "htab.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define PREFIX 16	/* bytes: two words */

struct node {
	uint64_t weight, error;
	size_t pos;		/* index in t->ents */
	size_t key_len;
	max_align_t rec[];	/* the caller's record, then the key */
};

struct ent {
	uint64_t weight;			/* = node->weight */
	uint64_t prefix[2];			/* the key's first 16 bytes, zero-padded, read
						 * big-endian: they compare as memcmp() would */
	struct node *node;
};

struct topk {
	struct htab *h;
	struct ent *ents;
	size_t n, alloc, cap;
	size_t rec_size;
	int heap;		/* ents is a heap (the table has filled once) */
	uint64_t evicted, unlisted;
	void (*release)(void *rec);
};

static struct node *node_of(const void *rec)
{
	return (struct node *)(void *)((char *)rec - offsetof(struct node, rec));
}

static char *key_of(const struct topk *t, const struct node *n)
{
	return (char *)n->rec + t->rec_size;
}

/*
 * The heap order: lighter first; equal weights by key bytes, then length. Prefixes that
 * differ decide as the whole keys would (a zero pad byte sorts a shorter key first, as a
 * shorter length does); equal prefixes need the keys.
 */
static int lighter(const struct topk *t, const struct ent *a, const struct ent *b)
{
	if (a->weight != b->weight)
		return a->weight < b->weight;
	if (a->prefix[0] != b->prefix[0])
		return a->prefix[0] < b->prefix[0];
	if (a->prefix[1] != b->prefix[1])
		return a->prefix[1] < b->prefix[1];
	const struct node *x = a->node, *y = b->node;
	size_t m = x->key_len < y->key_len ? x->key_len : y->key_len;
	int c = memcmp(key_of(t, x), key_of(t, y), m);
	if (c)
		return c < 0;
	return x->key_len < y->key_len;
}

static void place(struct topk *t, const struct ent *e, size_t i)
{
	t->ents[i] = *e;
	e->node->pos = i;
}

static void sift_down(struct topk *t, size_t i)
{
	struct ent e = t->ents[i];

	for (;;) {
		size_t l = 2 * i + 1, best = i;
		const struct ent *b = &e;
		if (l < t->n && lighter(t, &t->ents[l], b))
			best = l, b = &t->ents[l];
		if (l + 1 < t->n && lighter(t, &t->ents[l + 1], b))
			best = l + 1, b = &t->ents[l + 1];
		if (best == i)
			break;
		place(t, b, i);
		i = best;
	}
	place(t, &e, i);
}

struct topk *topk_new(size_t cap, size_t rec_size, void (*release)(void *rec))
{
	struct topk *t = xcalloc(1, sizeof(*t));
	uint8_t seed[16];

	random_seed(seed, sizeof(seed));
	t->h = htab_new(seed);
	t->cap = cap ? cap : 1;
	/* the key that follows the record starts where the caller's bytes end */
	t->rec_size = rec_size;
	t->release = release;
	return t;
}

void topk_free(struct topk *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++) {
		if (t->release)
			t->release(t->ents[i].node->rec);
		free(t->ents[i].node);
	}
	free(t->ents);
	htab_free(t->h);
	free(t);
}

void *topk_find(const struct topk *t, const void *key, size_t len)
{
	struct node *n = htab_get(t->h, key, len, htab_hash(t->h, key, len));

	return n ? n->rec : NULL;
}

/* Room for one more entry (the table is not full). */
static void grow_ents(struct topk *t)
{
	if (t->n == t->alloc) {
		t->alloc = t->alloc ? t->alloc * 2 : 64;
		if (t->alloc > t->cap)
			t->alloc = t->cap;
		t->ents = xrealloc(t->ents, t->alloc * sizeof(*t->ents));
	}
}

/* A new entry for key (hash h) with this weight and error, placed at pos. */
static struct node *add_node(struct topk *t, const void *key, size_t len, uint64_t h,
			     uint64_t weight, uint64_t error, size_t pos)
{
	struct node *n = xcalloc(1, sizeof(*n) + t->rec_size + len + 1);
	const unsigned char *k = key;

	n->weight = weight;
	n->error = error;
	n->key_len = len;
	memcpy(key_of(t, n), key, len);
	struct ent e = { weight, {0, 0}, n };
	for (size_t i = 0; i < PREFIX; i++)
		e.prefix[i / 8] = e.prefix[i / 8] << 8 | (i < len ? k[i] : 0);
	place(t, &e, pos);
	htab_put(t->h, key_of(t, n), len, h, n);
	return n;
}

void *topk_get(struct topk *t, const void *key, size_t len)
{
	uint64_t h = htab_hash(t->h, key, len);
	struct node *n = htab_get(t->h, key, len, h);
	uint64_t inherit = 0;
	size_t pos;

	if (n)
		return n->rec;
	if (t->n == t->cap) {
		/* full: the lightest entry makes room, and the newcomer inherits its weight */
		struct node *v = t->ents[0].node;
		const char *vk = key_of(t, v);
		inherit = v->weight;
		t->unlisted += v->weight - v->error;
		t->evicted++;
		htab_del(t->h, vk, v->key_len, htab_hash(t->h, vk, v->key_len));
		if (t->release)
			t->release(v->rec);
		free(v);
		pos = 0;
	} else {
		grow_ents(t);
		pos = t->n++;
	}
	n = add_node(t, key, len, h, inherit, inherit, pos);
	if (t->heap) {
		sift_down(t, pos);
	} else if (t->n == t->cap) {
		/* filled for the first time: from now on the lightest entry must be at hand */
		for (size_t i = t->n / 2; i-- > 0;)
			sift_down(t, i);
		t->heap = 1;
	}
	return n->rec;
}

void topk_add(struct topk *t, void *rec, uint64_t w)
{
	struct node *n = node_of(rec);

	n->weight += w;
	t->ents[n->pos].weight = n->weight;
	if (t->heap)
		sift_down(t, n->pos);
}

uint64_t topk_weight(const void *rec)
{
	return node_of(rec)->weight;
}

uint64_t topk_error(const void *rec)
{
	return node_of(rec)->error;
}

const char *topk_key(const struct topk *t, const void *rec, size_t *len)
{
	const struct node *n = node_of(rec);

	*len = n->key_len;
	return key_of(t, n);
}

size_t topk_count(const struct topk *t)
{
	return t->n;
}

size_t topk_cap(const struct topk *t)
{
	return t->cap;
}

uint64_t topk_evicted(const struct topk *t)
{
	return t->evicted;
}

uint64_t topk_unlisted(const struct topk *t)
{
	return t->unlisted;
}

void topk_each(const struct topk *t, void (*fn)(void *rec, void *ctx), void *ctx)
{
	for (size_t i = 0; i < t->n; i++)
		fn(t->ents[i].node->rec, ctx);
}

struct merge_ctx {
	struct topk *into;
	const struct topk *from;
	void (*merge)(void *into_rec, const void *from_rec, void *ctx);
	void *ctx;
};

static void merge_one(void *rec, void *ctx)
{
	struct merge_ctx *m = ctx;
	size_t len;
	const char *key = topk_key(m->from, rec, &len);
	void *dst = topk_get(m->into, key, len);

	if (m->merge)
		m->merge(dst, rec, m->ctx);
	topk_add(m->into, dst, topk_weight(rec) - topk_error(rec));
}

void topk_merge(struct topk *into, const struct topk *from,
		void (*merge)(void *into_rec, const void *from_rec, void *ctx), void *ctx)
{
	struct merge_ctx m = { into, from, merge, ctx };

	topk_each(from, merge_one, &m);
	into->unlisted += from->unlisted;
	into->evicted += from->evicted;
}

/*
 * A state file's entry as it stood (src/state.c): appended in topk_each() order, with its
 * weight and error, so that the table is the one written. NULL when the key is listed
 * already or the table is full (a damaged state).
 */
void *topk_restore(struct topk *t, const void *key, size_t len, uint64_t weight,
		   uint64_t error)
{
	uint64_t h = htab_hash(t->h, key, len);

	if (t->n == t->cap || error > weight || htab_get(t->h, key, len, h))
		return NULL;
	grow_ents(t);
	return add_node(t, key, len, h, weight, error, t->n++)->rec;
}

/* The end of a restored table: its counters; a full one is a heap again (its order kept). */
void topk_restore_end(struct topk *t, uint64_t evicted, uint64_t unlisted)
{
	t->evicted = evicted;
	t->unlisted = unlisted;
	if (t->n == t->cap && !t->heap) {
		for (size_t i = t->n / 2; i-- > 0;)
			sift_down(t, i);
		t->heap = 1;
	}
}
