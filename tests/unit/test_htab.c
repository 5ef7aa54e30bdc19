/*
 * test_htab.c - unit tests for src/htab.c: SipHash-1-3 against published vectors, and the
 * table's contract (get/put/del, keys as bytes + length, growth, htab_each, deletion that
 * leaves every other lookup right) checked against a plain reference array.
 *
 * Backward-shift deletion is where open addressing goes wrong, and its hard case is a
 * cluster that wraps from the last slot to the first. The test cannot choose slots, but it
 * can choose keys: it searches for keys whose hash has all low bits set (home at the end of
 * any power-of-two table up to 4096 slots) or clear (home at the start), so their clusters
 * cross the wrap-around, then deletes them in many orders.
 */
#include "testhelp.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "htab.h"
#include "util.h"

/* ---- SipHash-1-3 */

/*
 * Reference SipHash-1-3 outputs (veorq/SipHash reference implementation) for the all-zero
 * key and messages 00 01 02 ... of length len; CPython >= 3.11 gives the same values for
 * hash(bytes(range(len))) with PYTHONHASHSEED=0 (sys.hash_info.algorithm == 'siphash13').
 */
static const struct {
	size_t len;
	uint64_t want;
} zero_key_vectors[] = {
	{ 0, 0xd1fba762150c532cULL },  { 1, 0x68a914128e01e473ULL },
	{ 2, 0x010bac45c41e3669ULL },  { 3, 0x4d4c9a4a8ef6e0adULL },
	{ 4, 0x7cc43f98813e4dbdULL },  { 5, 0x5abe2169dff36275ULL },
	{ 6, 0xe3c25f87624f1cdbULL },  { 7, 0x2f098ab0c751325aULL },
	{ 8, 0xead411e67ebe2eeaULL },  { 9, 0x75927f9d95124362ULL },
	{ 10, 0xaf9f77a65ab51a1dULL }, { 11, 0xfe64ce8b6617fcffULL },
	{ 12, 0xa6baf4fb0f9fe1c2ULL }, { 13, 0xa0cf3211850f8e0dULL },
	{ 14, 0x7f86049379fbfe67ULL }, { 15, 0xf30eb725bb91c9eaULL },
	{ 16, 0x8972188433a5c5b7ULL }, { 17, 0x4883c49a2c009c1dULL },
	{ 31, 0x169739443111d49bULL }, { 32, 0x31ef8061c910629bULL },
	{ 63, 0x385d3e39e5f37359ULL },
};

static void test_siphash_vectors(void)
{
	static const uint8_t zero[16];
	uint8_t msg[64];

	for (int i = 0; i < 64; i++)
		msg[i] = (uint8_t)i;
	for (size_t i = 0; i < sizeof(zero_key_vectors) / sizeof(zero_key_vectors[0]); i++) {
		size_t len = zero_key_vectors[i].len;
		uint64_t got = siphash13(zero, msg, len);
		CHECK(got == zero_key_vectors[i].want,
		      "siphash13: zero key, %zu-byte reference vector", len);
		if (got != zero_key_vectors[i].want)
			printf("#   got %016llx, want %016llx\n", (unsigned long long)got,
			       (unsigned long long)zero_key_vectors[i].want);
	}

	/*
	 * A non-zero key, so a byte-order mistake in loading the key shows. The key is what
	 * CPython derives for PYTHONHASHSEED=1 (its LCG: x = x * 214013 + 2531011, byte
	 * (x >> 16) & 0xff); the expected values are hash(...) from that interpreter.
	 */
	static const uint8_t key1[16] = { 0x29, 0x23, 0xbe, 0x84, 0xe1, 0x6c, 0xd6, 0xae,
					  0x52, 0x90, 0x49, 0xf1, 0xf1, 0xbb, 0xe9, 0xeb };
	CHECK(siphash13(key1, "siplogscan", 10) == 0x66d7d0314607e4a1ULL,
	      "siphash13: keyed vector, b'siplogscan'");
	CHECK(siphash13(key1, msg, 15) == 0xfa87985f39e97a53ULL,
	      "siphash13: keyed vector, 15 bytes (7-byte tail)");
	CHECK(siphash13(key1, msg, 64) == 0x7e644b6edc375dc8ULL,
	      "siphash13: keyed vector, 64 bytes (no tail)");
}

static void test_siphash_properties(void)
{
	uint8_t key[16], key2[16];
	char data[100];

	for (int i = 0; i < 16; i++)
		key[i] = (uint8_t)(0xa5 ^ i);
	for (int i = 0; i < 100; i++)
		data[i] = (char)('a' + i % 26);
	CHECK(siphash13(key, data, 100) == siphash13(key, data, 100), "siphash13: deterministic");

	/* every key bit matters */
	int key_bits_ok = 1;
	uint64_t base = siphash13(key, data, 20);
	for (int bit = 0; bit < 128; bit++) {
		memcpy(key2, key, 16);
		key2[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		if (siphash13(key2, data, 20) == base)
			key_bits_ok = 0;
	}
	CHECK(key_bits_ok, "siphash13: flipping any of the 128 key bits changes the hash");

	/* every data bit and the length matter, including trailing NUL bytes */
	int data_bits_ok = 1;
	char d2[20];
	for (int bit = 0; bit < 160; bit++) {
		memcpy(d2, data, 20);
		d2[bit / 8] ^= (char)(1u << (bit % 8));
		if (siphash13(key, d2, 20) == base)
			data_bits_ok = 0;
	}
	CHECK(data_bits_ok, "siphash13: flipping any data bit changes the hash");
	char zeros[16] = {0};
	int len_ok = 1;
	for (size_t n = 0; n < 16; n++)
		if (siphash13(key, zeros, n) == siphash13(key, zeros, n + 1))
			len_ok = 0;
	CHECK(len_ok, "siphash13: runs of NUL bytes of different length hash differently");

	/* htab_hash is the table's seeded SipHash */
	struct htab *h = htab_new(key);
	CHECK(htab_hash(h, data, 37) == siphash13(key, data, 37), "htab_hash: siphash13 keyed by the seed");
	htab_free(h);

	uint8_t r1[32] = {0}, r2[32] = {0}, zero32[32] = {0};
	random_seed(r1, sizeof(r1));
	random_seed(r2, sizeof(r2));
	CHECK(memcmp(r1, zero32, 32) != 0 && memcmp(r1, r2, 32) != 0,
	      "random_seed: fills the buffer, differently each call");
	htab_free(NULL);
	CHECK(1, "htab_free(NULL) is a no-op");
}

/* ---- the table against a reference */

#define NKEYS 100000

struct keyset {
	char (*text)[16];
	size_t *len;
	size_t *item;		/* item i is &item[i]; item[i] == i */
	unsigned char *present;
};

static void keyset_init(struct keyset *ks, size_t n)
{
	ks->text = xcalloc(n, sizeof(*ks->text));
	ks->len = xcalloc(n, sizeof(*ks->len));
	ks->item = xcalloc(n, sizeof(*ks->item));
	ks->present = xcalloc(n, 1);
	for (size_t i = 0; i < n; i++) {
		ks->len[i] = (size_t)snprintf(ks->text[i], sizeof(ks->text[i]), "k%zu@h", i);
		ks->item[i] = i;
	}
}

static void keyset_release(struct keyset *ks)
{
	free(ks->text);
	free(ks->len);
	free(ks->item);
	free(ks->present);
}

static void ks_put(struct htab *h, struct keyset *ks, size_t i)
{
	htab_put(h, ks->text[i], ks->len[i], htab_hash(h, ks->text[i], ks->len[i]), &ks->item[i]);
	ks->present[i] = 1;
}

static void *ks_get(struct htab *h, struct keyset *ks, size_t i)
{
	return htab_get(h, ks->text[i], ks->len[i], htab_hash(h, ks->text[i], ks->len[i]));
}

static void *ks_del(struct htab *h, struct keyset *ks, size_t i)
{
	ks->present[i] = 0;
	return htab_del(h, ks->text[i], ks->len[i], htab_hash(h, ks->text[i], ks->len[i]));
}

/* Number of keys whose lookup disagrees with the reference. */
static size_t ks_mismatches(struct htab *h, struct keyset *ks, size_t n)
{
	size_t bad = 0;

	for (size_t i = 0; i < n; i++) {
		void *it = ks_get(h, ks, i);
		if (ks->present[i] ? it != &ks->item[i] : it != NULL)
			bad++;
	}
	return bad;
}

static size_t ks_count(const struct keyset *ks, size_t n)
{
	size_t c = 0;

	for (size_t i = 0; i < n; i++)
		c += ks->present[i];
	return c;
}

static void count_visit(void *item, void *ctx)
{
	unsigned *visits = ctx;

	visits[*(size_t *)item]++;
}

/* Every present item visited exactly once, no absent one. */
static int each_ok(struct htab *h, struct keyset *ks, size_t n)
{
	unsigned *visits = xcalloc(n, sizeof(*visits));
	int ok = 1;

	htab_each(h, count_visit, visits);
	for (size_t i = 0; i < n; i++)
		if (visits[i] != ks->present[i])
			ok = 0;
	free(visits);
	return ok;
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rng(void)
{
	/* xorshift64*: reproducible, so a failure reproduces */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static void test_volume(const uint8_t seed[16], const char *label)
{
	struct keyset ks;
	struct htab *h = htab_new(seed);
	size_t wrong_del = 0, wrong_growth = 0;

	keyset_init(&ks, NKEYS);
	CHECK_EQ_INT(htab_count(h), 0, "%s: a new table is empty", label);
	CHECK(ks_get(h, &ks, 0) == NULL, "%s: get on an empty table is NULL", label);
	CHECK(ks_del(h, &ks, 0) == NULL, "%s: del on an empty table is NULL", label);

	/* insert all keys; every third step also deletes an earlier key, so deletes
	 * interleave with growth */
	for (size_t i = 0; i < NKEYS; i++) {
		ks_put(h, &ks, i);
		if (i % 3 == 2) {
			size_t victim = (size_t)(rng() % (i + 1));
			int was = ks.present[victim];
			void *got = ks_del(h, &ks, victim);
			if (got != (was ? &ks.item[victim] : NULL))
				wrong_del++;
		}
		/* right after each power of two the table has just grown: check everything */
		if ((i & (i + 1)) == 0 && i >= 255 && ks_mismatches(h, &ks, i + 1) != 0)
			wrong_growth++;
	}
	CHECK_EQ_INT(wrong_del, 0, "%s: del returns the item when present, NULL when not", label);
	CHECK_EQ_INT(wrong_growth, 0, "%s: all lookups right after each growth step", label);
	CHECK_EQ_INT(ks_mismatches(h, &ks, NKEYS), 0, "%s: 100k keys with interleaved deletes: every get right", label);
	CHECK_EQ_INT(htab_count(h), ks_count(&ks, NKEYS), "%s: count matches the reference", label);
	CHECK(each_ok(h, &ks, NKEYS), "%s: htab_each visits each item once", label);

	/* delete every other present key */
	size_t k = 0, wrong = 0;
	for (size_t i = 0; i < NKEYS; i++) {
		if (!ks.present[i])
			continue;
		if (k++ % 2 == 0 && ks_del(h, &ks, i) != &ks.item[i])
			wrong++;
	}
	CHECK_EQ_INT(wrong, 0, "%s: deleting every other key returns each item", label);
	CHECK_EQ_INT(ks_mismatches(h, &ks, NKEYS), 0, "%s: after deleting every other key, every get right", label);
	CHECK_EQ_INT(htab_count(h), ks_count(&ks, NKEYS), "%s: count after deleting every other key", label);
	CHECK(each_ok(h, &ks, NKEYS), "%s: htab_each after deletions", label);

	/* random churn: re-insert and delete at random */
	for (size_t step = 0; step < 200000; step++) {
		size_t i = (size_t)(rng() % NKEYS);
		if (ks.present[i])
			ks_del(h, &ks, i);
		else
			ks_put(h, &ks, i);
	}
	CHECK_EQ_INT(ks_mismatches(h, &ks, NKEYS), 0, "%s: after 200k random puts/dels, every get right", label);
	CHECK_EQ_INT(htab_count(h), ks_count(&ks, NKEYS), "%s: count after churn", label);

	/* delete everything */
	for (size_t i = 0; i < NKEYS; i++)
		if (ks.present[i])
			ks_del(h, &ks, i);
	CHECK_EQ_INT(htab_count(h), 0, "%s: empty after deleting every key", label);
	CHECK_EQ_INT(ks_mismatches(h, &ks, NKEYS), 0, "%s: nothing found once empty", label);
	/* and it still works */
	ks_put(h, &ks, 42);
	CHECK(ks_get(h, &ks, 42) == &ks.item[42] && htab_count(h) == 1, "%s: reusable after emptying", label);

	htab_free(h);
	keyset_release(&ks);
}

/*
 * Keys whose clusters wrap around: NWRAP keys with hash & 4095 == 4095 (last slot of any
 * table up to 4096 slots), NWRAP with hash & 4095 == 0, NWRAP with hash & 4095 == 4094.
 * Deleted in many random orders, with fillers around them, on a small table.
 */
#define NWRAP 6
#define NFILL 300

static void test_wraparound(void)
{
	uint8_t seed[16];
	struct keyset ks;
	size_t n = 3 * NWRAP + NFILL, found[3] = {0, 0, 0};
	char buf[16];

	for (int i = 0; i < 16; i++)
		seed[i] = (uint8_t)(i * 37 + 11);
	keyset_init(&ks, n);
	struct htab *probe = htab_new(seed);
	/* pick the special keys: search candidate names until each class has NWRAP */
	size_t tries = 0;
	while ((found[0] < NWRAP || found[1] < NWRAP || found[2] < NWRAP) && tries < 50000000) {
		size_t len = (size_t)snprintf(buf, sizeof(buf), "w%zu", tries++);
		uint64_t low = htab_hash(probe, buf, len) & 4095;
		int cls = low == 4095 ? 0 : low == 0 ? 1 : low == 4094 ? 2 : -1;
		if (cls < 0 || found[cls] == NWRAP)
			continue;
		size_t slot = (size_t)cls * NWRAP + found[cls]++;
		memcpy(ks.text[slot], buf, len + 1);
		ks.len[slot] = len;
	}
	htab_free(probe);
	CHECK(found[0] == NWRAP && found[1] == NWRAP && found[2] == NWRAP,
	      "wrap: found keys homed at the last, first and second-to-last slots");

	size_t bad = 0, bad_each = 0, bad_count = 0;
	for (int round = 0; round < 300; round++) {
		struct htab *h = htab_new(seed);
		memset(ks.present, 0, n);
		/* insert in a random order: fillers and wrapping keys mixed */
		size_t *perm = xcalloc(n, sizeof(*perm));
		for (size_t i = 0; i < n; i++)
			perm[i] = i;
		for (size_t i = n - 1; i > 0; i--) {
			size_t j = (size_t)(rng() % (i + 1)), t = perm[i];
			perm[i] = perm[j];
			perm[j] = t;
		}
		for (size_t i = 0; i < n; i++)
			ks_put(h, &ks, perm[i]);
		/* delete the wrapping keys (and some fillers) one by one in random order,
		 * checking every lookup after each deletion */
		for (size_t i = n - 1; i > 0; i--) {
			size_t j = (size_t)(rng() % (i + 1)), t = perm[i];
			perm[i] = perm[j];
			perm[j] = t;
		}
		for (size_t i = 0; i < n; i++) {
			size_t v = perm[i];
			if (v >= 3 * NWRAP && rng() % 4 != 0)
				continue;
			if (ks_del(h, &ks, v) != &ks.item[v])
				bad++;
			bad += ks_mismatches(h, &ks, n);
			/* and put some back, so holes are refilled across the wrap */
			if (v < 3 * NWRAP && rng() % 3 == 0) {
				ks_put(h, &ks, v);
				bad += ks_mismatches(h, &ks, n);
			}
		}
		if (!each_ok(h, &ks, n))
			bad_each++;
		if (htab_count(h) != ks_count(&ks, n))
			bad_count++;
		free(perm);
		htab_free(h);
	}
	CHECK_EQ_INT(bad, 0, "wrap: 300 rounds of deletes across the wrap-around, every lookup right");
	CHECK_EQ_INT(bad_each, 0, "wrap: htab_each right after wrap-around deletes");
	CHECK_EQ_INT(bad_count, 0, "wrap: count right after wrap-around deletes");
	keyset_release(&ks);
}

/* ---- keys as bytes + length */

static void test_odd_keys(void)
{
	uint8_t seed[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
	struct htab *h = htab_new(seed);
	int items[10];
	/* NUL bytes inside, and prefixes of each other */
	static const char k_a[] = "a", k_a0[] = "a\0", k_a0b[] = "a\0b", k_a0c[] = "a\0c",
			  k_00[] = "\0\0";
	struct {
		const char *p;
		size_t n;
	} keys[] = {
		{ k_a, 1 }, { k_a0, 2 }, { k_a0b, 3 }, { k_a0c, 3 }, { k_00, 1 }, { k_00, 2 },
		{ "", 0 },
	};
	size_t nk = sizeof(keys) / sizeof(keys[0]);

	for (size_t i = 0; i < nk; i++)
		htab_put(h, keys[i].p, keys[i].n, htab_hash(h, keys[i].p, keys[i].n), &items[i]);
	int ok = 1;
	for (size_t i = 0; i < nk; i++)
		if (htab_get(h, keys[i].p, keys[i].n, htab_hash(h, keys[i].p, keys[i].n)) != &items[i])
			ok = 0;
	CHECK(ok, "keys with NUL bytes, prefixes of each other and length 0 are distinct");
	CHECK_EQ_INT(htab_count(h), nk, "count of NUL-byte keys");

	/* a copy of the key bytes finds the entry: comparison is by content */
	char copy[3] = { 'a', 0, 'b' };
	CHECK(htab_get(h, copy, 3, htab_hash(h, copy, 3)) == &items[2], "lookup by a copy of the key bytes");
	CHECK(htab_get(h, "a\0d", 3, htab_hash(h, "a\0d", 3)) == NULL, "a key differing after a NUL is absent");
	CHECK(htab_del(h, "", 0, htab_hash(h, "", 0)) == &items[6], "delete the empty key");
	CHECK(htab_get(h, "", 0, htab_hash(h, "", 0)) == NULL, "the empty key is gone");
	CHECK(htab_get(h, k_00, 1, htab_hash(h, k_00, 1)) == &items[4] &&
	      htab_get(h, k_00, 2, htab_hash(h, k_00, 2)) == &items[5], "other keys survive deleting the empty key");

	/* 10 kB keys that differ only in their last byte */
	size_t big = 10 * 1024;
	char *b1 = xmalloc(big), *b2 = xmalloc(big);
	for (size_t i = 0; i < big; i++)
		b1[i] = (char)(i * 7);
	memcpy(b2, b1, big);
	b2[big - 1] ^= 1;
	htab_put(h, b1, big, htab_hash(h, b1, big), &items[8]);
	htab_put(h, b2, big, htab_hash(h, b2, big), &items[9]);
	CHECK(htab_get(h, b1, big, htab_hash(h, b1, big)) == &items[8] &&
	      htab_get(h, b2, big, htab_hash(h, b2, big)) == &items[9],
	      "10 kB keys differing in the last byte are distinct");
	CHECK(htab_get(h, b1, big - 1, htab_hash(h, b1, big - 1)) == NULL, "a 10 kB key's prefix is absent");
	CHECK(htab_del(h, b2, big, htab_hash(h, b2, big)) == &items[9] &&
	      htab_get(h, b1, big, htab_hash(h, b1, big)) == &items[8], "delete one 10 kB key, the other stays");
	htab_free(h);
	free(b1);
	free(b2);
}

int main(void)
{
	uint8_t seed[16];

	test_siphash_vectors();
	test_siphash_properties();
	test_odd_keys();
	memset(seed, 0, sizeof(seed));
	test_volume(seed, "zero seed");
	random_seed(seed, sizeof(seed));
	test_volume(seed, "random seed");
	test_wraparound();
	return test_done();
}
