/*
 * htab.h - open-addressing hash table from byte-string keys to items, with a keyed hash.
 *
 * Keys are attacker-chosen (Call-IDs, source addresses), so the hash is SipHash-1-3 keyed
 * with a per-run random seed: nobody can precompute keys that collide. Capacity is a power of
 * two, probing is linear, the load factor stays under 1/2 (the table doubles first), and a
 * deletion shifts the following entries back instead of leaving tombstones, so lookups never
 * slow down with churn. The table does not own keys or items: a key must stay valid while its
 * entry exists (callers keep it inside the item). One owner per table; not thread-safe.
 */
#ifndef SIPLOGSCAN_HTAB_H
#define SIPLOGSCAN_HTAB_H

#include <stddef.h>
#include <stdint.h>

struct htab;

/* New table; seed is 16 bytes of key material for SipHash. */
struct htab *htab_new(const uint8_t seed[16]);
void htab_free(struct htab *h);

uint64_t htab_hash(const struct htab *h, const void *key, size_t len);

/* The item stored under key, or NULL. */
void *htab_get(const struct htab *h, const void *key, size_t len, uint64_t hash);

/* Store item under key (which must not be present). The key bytes are not copied. */
void htab_put(struct htab *h, const void *key, size_t len, uint64_t hash, void *item);

/* Remove key; returns its item or NULL. */
void *htab_del(struct htab *h, const void *key, size_t len, uint64_t hash);

size_t htab_count(const struct htab *h);

/* Visit every item in an unspecified order. fn may not change the table. */
void htab_each(const struct htab *h, void (*fn)(void *item, void *ctx), void *ctx);

/*
 * The shard of the call table a Call-ID belongs to, 0..63: the top bits of a fast unkeyed
 * hash (multiply-xorshift). Unkeyed, unlike the tables' keys: which calls share a shard must
 * be the same in every run of the same input (src/analysis.c). Computed by the workers.
 */
unsigned callid_shard(const void *callid, size_t len);

/* SipHash-1-3 of data with a 16-byte key (exposed for tests). */
uint64_t siphash13(const uint8_t key[16], const void *data, size_t len);

/* Fill buf with random bytes from the kernel (falls back to time and address entropy). */
void random_seed(uint8_t *buf, size_t n);

#endif
