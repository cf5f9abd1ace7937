/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratmem: the capability id table and the capability state machine.
 *
 * Ids are 64 bits, never 0, unpredictable without the table's secret
 * key, and never issued twice: each is a keyed permutation (a Feistel
 * network, which is a bijection whatever its round function) of a
 * counter that only grows. No lock of the module is taken here; the
 * table's own mutex protects its buckets and counter. Unit-tested by
 * KUnit (tests/kunit/captable_test.c).
 */
#ifndef RATMEM_CAPTABLE_H
#define RATMEM_CAPTABLE_H

#include <linux/hashtable.h>
#include <linux/mutex.h>
#include <linux/siphash.h>
#include <linux/types.h>

#define RATMEM_CAPTABLE_BITS	10

/**
 * struct ratmem_capent - a capability's entry in a table
 * @node: bucket link.
 * @id: the id, 0 while not in a table.
 */
struct ratmem_capent {
	struct hlist_node node;
	u64 id;
};

/**
 * struct ratmem_captable - capabilities that can still be named by id
 * @lock: protects @buckets and @counter.
 * @key: secret key of the id permutation, random per table.
 * @counter: how many ids were issued.
 * @buckets: hash of the entries by id.
 */
struct ratmem_captable {
	struct mutex lock; /* protects buckets and counter */
	siphash_key_t key;
	u64 counter;
	DECLARE_HASHTABLE(buckets, RATMEM_CAPTABLE_BITS);
};

void ratmem_captable_init(struct ratmem_captable *table);
u64 ratmem_capid_permute(const siphash_key_t *key, u64 n);
void ratmem_captable_insert(struct ratmem_captable *table, struct ratmem_capent *ent);
struct ratmem_capent *ratmem_captable_find(struct ratmem_captable *table, u64 id);
void ratmem_captable_remove(struct ratmem_captable *table, struct ratmem_capent *ent);

/**
 * enum ratmem_cap_state - where a capability is in its life
 * @RATMEM_CAP_STATE_PENDING: granted, not yet accepted.
 * @RATMEM_CAP_STATE_LIVE: accepted, or an owner or open capability.
 * @RATMEM_CAP_STATE_REVOKED: revoked; final.
 */
enum ratmem_cap_state {
	RATMEM_CAP_STATE_PENDING,
	RATMEM_CAP_STATE_LIVE,
	RATMEM_CAP_STATE_REVOKED,
};

/**
 * enum ratmem_cap_event - what can happen to a capability
 * @RATMEM_CAP_EV_ACCEPT: its target accepts it.
 * @RATMEM_CAP_EV_REVOKE: it, or a capability above it, is revoked.
 * @RATMEM_CAP_EV_ABORT: an accept failed after the state changed (no
 *	handle could be made); the capability becomes pending again.
 */
enum ratmem_cap_event {
	RATMEM_CAP_EV_ACCEPT,
	RATMEM_CAP_EV_REVOKE,
	RATMEM_CAP_EV_ABORT,
};

int ratmem_cap_transition(enum ratmem_cap_state *state, enum ratmem_cap_event event);
int ratmem_cap_set_state(enum ratmem_cap_state *state, enum ratmem_cap_event event);

#endif /* RATMEM_CAPTABLE_H */
