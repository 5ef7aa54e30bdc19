/*
 * topk.h - a bounded table that keeps the heaviest keys: Space-Saving (Metwally, Agrawal and
 * El Abbadi, "Efficient Computation of Frequent and Top-k Elements in Data Streams", ICDT 2005).
 *
 * Keys are attacker-chosen (source addresses, User-Agents, request URIs): a table that kept
 * the first keys to come could be filled by a flood of one-off keys, and a heavy key arriving
 * later (a real scanner) would never be listed. Here, when the table is full, a new key
 * replaces the entry of the smallest weight and inherits that weight as its error. A key whose
 * weight exceeds (total weight) / cap is therefore always listed, whatever came before it.
 *
 * Each entry holds a record of the caller's (rec_size bytes, zeroed when its key enters) and
 * a copy of its key. The caller updates its record, then adds the weight with topk_add().
 * What an entry gathered while listed is its weight minus its error; what evicted entries had
 * gathered is counted in topk_unlisted(), so the listed records and that figure add up to
 * everything added.
 *
 * Determinism: among entries of equal weight the one with the smallest key (bytes, then
 * length) goes first, so the table depends only on the sequence of calls, never on the hash
 * seed. A min-heap over the entries, built when the table first fills, finds that entry in
 * O(1) and keeps its place in O(log cap) per update. One owner per table; not thread-safe.
 */
#ifndef SIPLOGSCAN_TOPK_H
#define SIPLOGSCAN_TOPK_H

#include <stddef.h>
#include <stdint.h>

struct topk;

/* A table of at most cap (>= 1) keys. release (may be NULL) frees what a record owns; it is
 * called for a record that leaves the table: evicted, or at topk_free(). */
struct topk *topk_new(size_t cap, size_t rec_size, void (*release)(void *rec));
void topk_free(struct topk *t);

/* The record of key: the listed one, or a zeroed one for a key that enters now (when the table
 * is full, the lightest entry is evicted first). Follow it with topk_add(). */
void *topk_get(struct topk *t, const void *key, size_t len);

/* The record of key when it is listed, else NULL. */
void *topk_find(const struct topk *t, const void *key, size_t len);

/* Add w to the weight of rec, a record from topk_get(). */
void topk_add(struct topk *t, void *rec, uint64_t w);

/* A record's weight (what it gathered plus its error), its error, and its key. */
uint64_t topk_weight(const void *rec);
uint64_t topk_error(const void *rec);
const char *topk_key(const struct topk *t, const void *rec, size_t *len);

size_t topk_count(const struct topk *t);	/* keys listed */
size_t topk_cap(const struct topk *t);
uint64_t topk_evicted(const struct topk *t);	/* entries evicted so far */
uint64_t topk_unlisted(const struct topk *t);	/* weight they had gathered while listed */

/*
 * Add every listed record of from to into: merge(into_rec, from_rec, ctx) adds up a record
 * (into_rec is zeroed when its key enters into), and the weight the record gathered while
 * listed is added; what from left unlisted counts as unlisted in into. Tables merged this
 * way hold what one table fed with both inputs would hold, as long as neither overflowed.
 */
void topk_merge(struct topk *into, const struct topk *from,
		void (*merge)(void *into_rec, const void *from_rec, void *ctx), void *ctx);

/* State files (src/state.c): put back an entry as it stood, in topk_each() order (NULL: the
 * key is listed already, or the table is full), then the table's counters. */
void *topk_restore(struct topk *t, const void *key, size_t len, uint64_t weight,
		   uint64_t error);
void topk_restore_end(struct topk *t, uint64_t evicted, uint64_t unlisted);

/* Visit every record, in an order that depends only on the sequence of calls. */
void topk_each(const struct topk *t, void (*fn)(void *rec, void *ctx), void *ctx);

#endif
