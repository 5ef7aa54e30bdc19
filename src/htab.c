/*
 * htab.c - keyed open-addressing hash table (see htab.h for the contract).
 *
 * Layout: an array of slots {hash, key, len, item}; an empty slot has item == NULL.
 * Growth: when count reaches capacity/2 the table doubles and every entry is reinserted
 * (one owner per table, so a full rehash is fine; calls in flight are what it holds).
 * Deletion: backward-shift (Knuth 6.4 algorithm R), which keeps every probe sequence
 * contiguous without tombstones.
 */
#include "htab.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

struct slot {
	uint64_t hash;
	const char *key;
	size_t len;
	void *item;
};

struct htab {
	struct slot *slots;
	size_t cap;	/* power of two */
	size_t count;
	uint8_t seed[16];
};

/* ---- SipHash-1-3 (Aumasson & Bernstein), one compression round, three finalisation rounds */

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND do { \
	v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32); \
	v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2; \
	v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0; \
	v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32); \
} while (0)

static uint64_t load64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

uint64_t siphash13(const uint8_t key[16], const void *data, size_t len)
{
	const uint8_t *in = data;
	uint64_t k0 = load64(key), k1 = load64(key + 8);
	uint64_t v0 = 0x736f6d6570736575ULL ^ k0, v1 = 0x646f72616e646f6dULL ^ k1;
	uint64_t v2 = 0x6c7967656e657261ULL ^ k0, v3 = 0x7465646279746573ULL ^ k1;
	uint64_t b = (uint64_t)len << 56;
	size_t i, tail = len & 7;

	for (i = 0; i + 8 <= len; i += 8) {
		uint64_t m = load64(in + i);
		v3 ^= m;
		SIPROUND;
		v0 ^= m;
	}
	switch (tail) {
	case 7: b |= (uint64_t)in[i + 6] << 48; /* fall through */
	case 6: b |= (uint64_t)in[i + 5] << 40; /* fall through */
	case 5: b |= (uint64_t)in[i + 4] << 32; /* fall through */
	case 4: b |= (uint64_t)in[i + 3] << 24; /* fall through */
	case 3: b |= (uint64_t)in[i + 2] << 16; /* fall through */
	case 2: b |= (uint64_t)in[i + 1] << 8; /* fall through */
	case 1: b |= (uint64_t)in[i]; break;
	default: break;
	}
	v3 ^= b;
	SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

void random_seed(uint8_t *buf, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = getrandom(buf + got, n - got, 0);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	if (got < n) {
		/* no getrandom(): weaker, but still not guessable from the log alone */
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		uint64_t mix[3] = { (uint64_t)ts.tv_nsec, (uint64_t)ts.tv_sec ^ (uint64_t)getpid(),
				    (uint64_t)(uintptr_t)buf };
		for (size_t i = got; i < n; i++)
			buf[i] = (uint8_t)(siphash13((const uint8_t *)mix, &i, sizeof(i)) >> 8);
	}
}

/*
 * A multiply-xorshift hash, 8 bytes a step: a third of SipHash's cost, and enough to spread
 * Call-IDs over 64 shards evenly. It needs no secret: its key would be fixed anyway (htab.h).
 */
unsigned callid_shard(const void *callid, size_t len)
{
	const uint8_t *in = callid;
	const uint64_t mul = 0x9e3779b97f4a7c15ULL;
	uint64_t h = 0x736970736861726bULL ^ (len * mul);
	size_t i;

	for (i = 0; i + 8 <= len; i += 8) {
		h ^= load64(in + i);
		h *= mul;
		h ^= h >> 29;
	}
	uint64_t t = 0;
	for (size_t k = 0; i + k < len; k++)
		t |= (uint64_t)in[i + k] << (8 * k);
	h ^= t;
	h *= mul;
	h ^= h >> 32;
	h *= 0xd6e8feb86659fd93ULL;
	h ^= h >> 32;
	return (unsigned)(h >> 58);
}

/* ---- table */

struct htab *htab_new(const uint8_t seed[16])
{
	struct htab *h = xcalloc(1, sizeof(*h));

	h->cap = 64;	/* small: a table per shard and per fold; it doubles as it fills */
	h->slots = xcalloc(h->cap, sizeof(*h->slots));
	memcpy(h->seed, seed, 16);
	return h;
}

void htab_free(struct htab *h)
{
	if (!h)
		return;
	free(h->slots);
	free(h);
}

uint64_t htab_hash(const struct htab *h, const void *key, size_t len)
{
	return siphash13(h->seed, key, len);
}

static int slot_is(const struct slot *s, const void *key, size_t len, uint64_t hash)
{
	return s->hash == hash && s->len == len && memcmp(s->key, key, len) == 0;
}

void *htab_get(const struct htab *h, const void *key, size_t len, uint64_t hash)
{
	size_t mask = h->cap - 1;

	for (size_t i = hash & mask;; i = (i + 1) & mask) {
		const struct slot *s = &h->slots[i];
		if (!s->item)
			return NULL;
		if (slot_is(s, key, len, hash))
			return s->item;
	}
}

static void insert_slot(struct slot *slots, size_t cap, struct slot e)
{
	size_t mask = cap - 1;
	size_t i = e.hash & mask;

	while (slots[i].item)
		i = (i + 1) & mask;
	slots[i] = e;
}

static void grow(struct htab *h)
{
	size_t ncap = h->cap * 2;
	struct slot *ns = xcalloc(ncap, sizeof(*ns));

	for (size_t i = 0; i < h->cap; i++)
		if (h->slots[i].item)
			insert_slot(ns, ncap, h->slots[i]);
	free(h->slots);
	h->slots = ns;
	h->cap = ncap;
}

void htab_put(struct htab *h, const void *key, size_t len, uint64_t hash, void *item)
{
	if ((h->count + 1) * 2 > h->cap)
		grow(h);
	struct slot e = { hash, key, len, item };
	insert_slot(h->slots, h->cap, e);
	h->count++;
}

void *htab_del(struct htab *h, const void *key, size_t len, uint64_t hash)
{
	size_t mask = h->cap - 1, i;

	for (i = hash & mask;; i = (i + 1) & mask) {
		if (!h->slots[i].item)
			return NULL;
		if (slot_is(&h->slots[i], key, len, hash))
			break;
	}
	void *item = h->slots[i].item;
	/* backward shift: move later entries of the cluster into the hole when their home
	 * slot does not lie cyclically in (hole, their position] */
	size_t hole = i;
	for (size_t j = (i + 1) & mask; h->slots[j].item; j = (j + 1) & mask) {
		size_t home = h->slots[j].hash & mask;
		int movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
		if (movable) {
			h->slots[hole] = h->slots[j];
			hole = j;
		}
	}
	memset(&h->slots[hole], 0, sizeof(h->slots[hole]));
	h->count--;
	return item;
}

size_t htab_count(const struct htab *h)
{
	return h->count;
}

void htab_each(const struct htab *h, void (*fn)(void *item, void *ctx), void *ctx)
{
	for (size_t i = 0; i < h->cap; i++)
		if (h->slots[i].item)
			fn(h->slots[i].item, ctx);
}
