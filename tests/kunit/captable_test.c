// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for capability ids, the id table and the capability state
 * machine (module/captable.c).
 */
#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include "../../module/captable.h"

#define NR_IDS 4096

static struct ratmem_captable *new_table(struct kunit *test)
{
	struct ratmem_captable *table = kunit_kzalloc(test, sizeof(*table), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, table);
	ratmem_captable_init(table);
	return table;
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* Consecutive counters give distinct ids: the permutation is a bijection. */
static void capid_distinct_test(struct kunit *test)
{
	u64 *ids = kunit_kmalloc_array(test, NR_IDS, sizeof(u64), GFP_KERNEL);
	siphash_key_t key = { { 0x0123456789abcdefULL, 0xfedcba9876543210ULL } };
	int i;

	KUNIT_ASSERT_NOT_NULL(test, ids);
	for (i = 0; i < NR_IDS; i++)
		ids[i] = ratmem_capid_permute(&key, i + 1);
	sort(ids, NR_IDS, sizeof(u64), cmp_u64, NULL);
	for (i = 1; i < NR_IDS; i++)
		KUNIT_EXPECT_NE(test, ids[i - 1], ids[i]);
}

/* Ids do not show the counter: neighbours differ in about half their bits. */
static void capid_unpredictable_test(struct kunit *test)
{
	siphash_key_t key = { { 1, 2 } }, other = { { 1, 3 } };
	unsigned int bits = 0;
	int i;

	for (i = 1; i <= 64; i++)
		bits += hweight64(ratmem_capid_permute(&key, i) ^
				  ratmem_capid_permute(&key, i + 1));
	/* 64 pairs of 64 bits: expect about 2048; a counter would give ~128. */
	KUNIT_EXPECT_GT(test, bits, 1536U);
	KUNIT_EXPECT_LT(test, bits, 2560U);
	/* Another key, another sequence. */
	KUNIT_EXPECT_NE(test, ratmem_capid_permute(&key, 1), ratmem_capid_permute(&other, 1));
	KUNIT_EXPECT_NE(test, ratmem_capid_permute(&key, 1), 1ULL);
}

/* Insert gives each entry a fresh non-zero id; find and remove by id. */
static void captable_insert_find_remove_test(struct kunit *test)
{
	struct ratmem_captable *table = new_table(test);
	struct ratmem_capent *ents = kunit_kcalloc(test, 64, sizeof(*ents), GFP_KERNEL);
	int i, j;

	KUNIT_ASSERT_NOT_NULL(test, ents);
	mutex_lock(&table->lock);
	for (i = 0; i < 64; i++) {
		ratmem_captable_insert(table, &ents[i]);
		KUNIT_EXPECT_NE(test, ents[i].id, 0ULL);
		for (j = 0; j < i; j++)
			KUNIT_EXPECT_NE(test, ents[i].id, ents[j].id);
	}
	for (i = 0; i < 64; i++)
		KUNIT_EXPECT_PTR_EQ(test, ratmem_captable_find(table, ents[i].id), &ents[i]);
	KUNIT_EXPECT_NULL(test, ratmem_captable_find(table, 0));
	ratmem_captable_remove(table, &ents[7]);
	KUNIT_EXPECT_NULL(test, ratmem_captable_find(table, ents[7].id));
	KUNIT_EXPECT_PTR_EQ(test, ratmem_captable_find(table, ents[8].id), &ents[8]);
	/* A removed entry's id is never issued again. */
	ratmem_captable_insert(table, &ents[7]);
	for (i = 0; i < 64; i++)
		if (i != 7)
			KUNIT_EXPECT_NE(test, ents[7].id, ents[i].id);
	for (i = 0; i < 64; i++)
		ratmem_captable_remove(table, &ents[i]);
	mutex_unlock(&table->lock);
}

/* Ids not in the table, including near misses, are not found. */
static void captable_guess_test(struct kunit *test)
{
	struct ratmem_captable *table = new_table(test);
	struct ratmem_capent ent = {};

	mutex_lock(&table->lock);
	ratmem_captable_insert(table, &ent);
	KUNIT_EXPECT_NULL(test, ratmem_captable_find(table, ent.id ^ 1));
	KUNIT_EXPECT_NULL(test, ratmem_captable_find(table, ent.id + (1ULL << 32)));
	KUNIT_EXPECT_NULL(test, ratmem_captable_find(table, ~0ULL));
	KUNIT_EXPECT_NULL(test, ratmem_captable_find(table, 1));
	ratmem_captable_remove(table, &ent);
	mutex_unlock(&table->lock);
}

struct transition_case {
	const char *name;
	enum ratmem_cap_state from;
	enum ratmem_cap_event event;
	int expect;
	enum ratmem_cap_state to;
};

/* Short names for the table below. */
#define PENDING	RATMEM_CAP_STATE_PENDING
#define LIVE	RATMEM_CAP_STATE_LIVE
#define REVOKED	RATMEM_CAP_STATE_REVOKED
#define ACCEPT	RATMEM_CAP_EV_ACCEPT
#define REVOKE	RATMEM_CAP_EV_REVOKE
#define ABORT	RATMEM_CAP_EV_ABORT

static const struct transition_case transition_cases[] = {
	{ "pending_accept",	PENDING, ACCEPT, 0, LIVE },
	{ "pending_revoke",	PENDING, REVOKE, 0, REVOKED },
	{ "pending_abort",	PENDING, ABORT, -ENOENT, PENDING },
	{ "live_accept_twice",	LIVE, ACCEPT, -ENOENT, LIVE },
	{ "live_revoke",	LIVE, REVOKE, 0, REVOKED },
	{ "live_abort",		LIVE, ABORT, 0, PENDING },
	{ "revoked_accept",	REVOKED, ACCEPT, -ENOENT, REVOKED },
	{ "revoked_revoke",	REVOKED, REVOKE, -ENOENT, REVOKED },
	{ "revoked_abort",	REVOKED, ABORT, -ENOENT, REVOKED },
};

#undef PENDING
#undef LIVE
#undef REVOKED
#undef ACCEPT
#undef REVOKE
#undef ABORT

static void transition_desc(const struct transition_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(transition, transition_cases, transition_desc);

static void cap_transition_test(struct kunit *test)
{
	const struct transition_case *c = test->param_value;
	enum ratmem_cap_state state = c->from;

	KUNIT_EXPECT_EQ(test, ratmem_cap_transition(&state, c->event), c->expect);
	KUNIT_EXPECT_EQ(test, state, c->to);
}

/* A whole life: grant, accept, revoke; nothing moves after revoke. */
static void cap_lifecycle_test(struct kunit *test)
{
	enum ratmem_cap_state state = RATMEM_CAP_STATE_PENDING;

	KUNIT_EXPECT_EQ(test, ratmem_cap_transition(&state, RATMEM_CAP_EV_ACCEPT), 0);
	KUNIT_EXPECT_EQ(test, ratmem_cap_transition(&state, RATMEM_CAP_EV_ABORT), 0);
	KUNIT_EXPECT_EQ(test, ratmem_cap_transition(&state, RATMEM_CAP_EV_ACCEPT), 0);
	KUNIT_EXPECT_EQ(test, ratmem_cap_transition(&state, RATMEM_CAP_EV_REVOKE), 0);
	KUNIT_EXPECT_EQ(test, ratmem_cap_transition(&state, RATMEM_CAP_EV_ACCEPT), -ENOENT);
	KUNIT_EXPECT_EQ(test, ratmem_cap_transition(&state, RATMEM_CAP_EV_REVOKE), -ENOENT);
	KUNIT_EXPECT_EQ(test, state, RATMEM_CAP_STATE_REVOKED);
}

/* The published form: the same table, and a refused event writes nothing. */
static void cap_set_state_test(struct kunit *test)
{
	const struct transition_case *c = test->param_value;
	enum ratmem_cap_state state = c->from;

	KUNIT_EXPECT_EQ(test, ratmem_cap_set_state(&state, c->event), c->expect);
	KUNIT_EXPECT_EQ(test, state, c->to);
}

static struct kunit_case ratmem_captable_cases[] = {
	KUNIT_CASE(capid_distinct_test),
	KUNIT_CASE(capid_unpredictable_test),
	KUNIT_CASE(captable_insert_find_remove_test),
	KUNIT_CASE(captable_guess_test),
	KUNIT_CASE_PARAM(cap_transition_test, transition_gen_params),
	KUNIT_CASE_PARAM(cap_set_state_test, transition_gen_params),
	KUNIT_CASE(cap_lifecycle_test),
	{}
};

static struct kunit_suite ratmem_captable_suite = {
	.name = "ratmem_captable",
	.test_cases = ratmem_captable_cases,
};

kunit_test_suites(&ratmem_captable_suite);
