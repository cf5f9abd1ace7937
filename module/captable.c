// SPDX-License-Identifier: GPL-2.0
/*
 * ratmem: the capability id table and the capability state machine
 * (see captable.h).
 */
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/random.h>

#include "captable.h"

#define RATMEM_CAPID_ROUNDS	4

/**
 * ratmem_capid_permute() - the id of the @n-th capability
 * @key: secret key
 * @n: counter value
 *
 * A four-round Feistel network over the two 32-bit halves of @n with a
 * keyed SipHash as round function: a permutation of the 64-bit values,
 * so distinct counters give distinct ids, and without @key the next id
 * cannot be told from the previous ones.
 *
 * Context: any context.
 * Return: the id.
 */
u64 ratmem_capid_permute(const siphash_key_t *key, u64 n)
{
	u32 left = upper_32_bits(n), right = lower_32_bits(n), tmp;
	int round;

	for (round = 0; round < RATMEM_CAPID_ROUNDS; round++) {
		tmp = right;
		right = left ^ (u32)siphash_2u64(right, round, key);
		left = tmp;
	}
	return (u64)left << 32 | right;
}

/**
 * ratmem_captable_init() - set up an empty table with a fresh key
 * @table: the table
 *
 * Context: process context.
 */
void ratmem_captable_init(struct ratmem_captable *table)
{
	mutex_init(&table->lock);
	get_random_bytes(&table->key, sizeof(table->key));
	table->counter = 0;
	hash_init(table->buckets);
}

/**
 * ratmem_captable_insert() - give @ent a new id and add it
 * @table: the table; the caller holds @table->lock
 * @ent: an entry in no table
 *
 * Context: any context that may hold a mutex.
 */
void ratmem_captable_insert(struct ratmem_captable *table, struct ratmem_capent *ent)
{
	u64 id;

	lockdep_assert_held(&table->lock);
	/* One counter value in 2^64 maps to id 0, which means "none". */
	do {
		id = ratmem_capid_permute(&table->key, ++table->counter);
	} while (!id);
	ent->id = id;
	hash_add(table->buckets, &ent->node, id);
}

/**
 * ratmem_captable_find() - look an id up
 * @table: the table; the caller holds @table->lock
 * @id: the id
 *
 * Context: any context that may hold a mutex.
 * Return: the entry, or NULL.
 */
struct ratmem_capent *ratmem_captable_find(struct ratmem_captable *table, u64 id)
{
	struct ratmem_capent *ent;

	lockdep_assert_held(&table->lock);
	if (!id)
		return NULL;
	hash_for_each_possible(table->buckets, ent, node, id)
		if (ent->id == id)
			return ent;
	return NULL;
}

/**
 * ratmem_captable_remove() - take @ent out of its table
 * @table: the table; the caller holds @table->lock
 * @ent: an entry of @table; its id is kept, for reporting
 *
 * Context: any context that may hold a mutex.
 */
void ratmem_captable_remove(struct ratmem_captable *table, struct ratmem_capent *ent)
{
	lockdep_assert_held(&table->lock);
	hash_del(&ent->node);
}

/**
 * ratmem_cap_transition() - apply @event to a capability's @state
 * @state: in: the current state; out: the new one
 * @event: what happens
 *
 * PENDING --accept--> LIVE; LIVE --abort--> PENDING (a failed accept
 * undone); PENDING or LIVE --revoke--> REVOKED. Every other pair
 * (accepting twice, anything on a revoked capability) is refused and
 * leaves @state alone.
 *
 * Context: any context.
 * Return: 0, or -ENOENT when the event is not allowed in @state.
 */
int ratmem_cap_transition(enum ratmem_cap_state *state, enum ratmem_cap_event event)
{
	switch (event) {
	case RATMEM_CAP_EV_ACCEPT:
		if (*state != RATMEM_CAP_STATE_PENDING)
			return -ENOENT;
		*state = RATMEM_CAP_STATE_LIVE;
		return 0;
	case RATMEM_CAP_EV_ABORT:
		if (*state != RATMEM_CAP_STATE_LIVE)
			return -ENOENT;
		*state = RATMEM_CAP_STATE_PENDING;
		return 0;
	case RATMEM_CAP_EV_REVOKE:
		if (*state == RATMEM_CAP_STATE_REVOKED)
			return -ENOENT;
		*state = RATMEM_CAP_STATE_REVOKED;
		return 0;
	}
	return -EINVAL;
}

/**
 * ratmem_cap_set_state() - apply @event to a capability's state field
 * @state: the state field itself, which others may read without a lock
 *	(READ_ONCE())
 * @event: what happens
 *
 * As ratmem_cap_transition(), but the new state is published with
 * WRITE_ONCE(). This is the only writer of a capability's state after
 * its creation.
 *
 * Context: any context; the caller holds the lock that orders the
 * capability's state changes (the region's lock, in the module).
 * Return: 0, or -ENOENT when the event is not allowed in *@state, which
 * is then left alone.
 */
int ratmem_cap_set_state(enum ratmem_cap_state *state, enum ratmem_cap_event event)
{
	enum ratmem_cap_state next = *state;
	int ret = ratmem_cap_transition(&next, event);

	if (!ret)
		WRITE_ONCE(*state, next);
	return ret;
}
