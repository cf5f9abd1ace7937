// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the committed-page bookkeeping (module/rangeset.c).
 */
#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/slab.h>

#include "../../module/rangeset.h"

static struct ratmem_rangeset *new_set(struct kunit *test)
{
	struct ratmem_rangeset *set = kunit_kzalloc(test, sizeof(*set), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, set);
	ratmem_rangeset_init(set);
	return set;
}

/* Number of ranges the tree holds: merging keeps it minimal. */
static unsigned long nr_ranges(struct ratmem_rangeset *set)
{
	MA_STATE(mas, &set->tree, 0, 0);
	unsigned long n = 0;
	void *entry;

	rcu_read_lock();
	mas_for_each(&mas, entry, ULONG_MAX)
		n++;
	rcu_read_unlock();
	return n;
}

struct op {
	bool add;
	unsigned long first, last, changed;	/* changed: added or removed */
};

struct script_case {
	const char *name;
	struct op ops[6];
	int nr_ops;
	unsigned long count;	/* members of [0, 1000] at the end */
	unsigned long ranges;
};

static const struct script_case script_cases[] = {
	{ "single", { { true, 10, 19, 10 } }, 1, 10, 1 },
	{ "idempotent_add", { { true, 10, 19, 10 }, { true, 10, 19, 0 } }, 2, 10, 1 },
	{ "overlap_merges", { { true, 10, 19, 10 }, { true, 15, 29, 10 } }, 2, 20, 1 },
	{ "adjacent_merges", { { true, 10, 19, 10 }, { true, 20, 29, 10 } }, 2, 20, 1 },
	{ "adjacent_below", { { true, 20, 29, 10 }, { true, 10, 19, 10 } }, 2, 20, 1 },
	{ "bridge_two", { { true, 0, 9, 10 }, { true, 20, 29, 10 }, { true, 10, 19, 10 } },
	  3, 30, 1 },
	{ "gap_stays", { { true, 0, 9, 10 }, { true, 11, 19, 9 } }, 2, 19, 2 },
	{ "hole_splits", { { true, 0, 99, 100 }, { false, 40, 59, 20 } }, 2, 80, 2 },
	{ "remove_nothing", { { true, 0, 9, 10 }, { false, 20, 29, 0 } }, 2, 10, 1 },
	{ "remove_partial", { { true, 0, 9, 10 }, { false, 5, 29, 5 } }, 2, 5, 1 },
	{ "remove_all", { { true, 0, 9, 10 }, { true, 20, 29, 10 }, { false, 0, 1000, 20 } },
	  3, 0, 0 },
	{ "refill_hole", { { true, 0, 99, 100 }, { false, 40, 59, 20 }, { true, 30, 69, 20 } },
	  3, 100, 1 },
	{ "index_zero", { { true, 0, 0, 1 } }, 1, 1, 1 },
};

static void script_case_desc(const struct script_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(script, script_cases, script_case_desc);

static void ratmem_rangeset_script_test(struct kunit *test)
{
	const struct script_case *c = test->param_value;
	struct ratmem_rangeset *set = new_set(test);
	unsigned long changed;
	int i;

	for (i = 0; i < c->nr_ops; i++) {
		const struct op *op = &c->ops[i];

		changed = ~0UL;
		if (op->add)
			KUNIT_ASSERT_EQ(test, ratmem_rangeset_add(set, op->first, op->last,
								  GFP_KERNEL, &changed), 0);
		else
			KUNIT_ASSERT_EQ(test, ratmem_rangeset_remove(set, op->first, op->last,
								     GFP_KERNEL, &changed), 0);
		KUNIT_EXPECT_EQ_MSG(test, changed, op->changed, "op %d", i);
	}
	KUNIT_EXPECT_EQ(test, ratmem_rangeset_count(set, 0, 1000), c->count);
	KUNIT_EXPECT_EQ(test, nr_ranges(set), c->ranges);
	ratmem_rangeset_destroy(set);
}

static void ratmem_rangeset_members_test(struct kunit *test)
{
	struct ratmem_rangeset *set = new_set(test);
	unsigned long changed;

	KUNIT_ASSERT_EQ(test, ratmem_rangeset_add(set, 100, 199, GFP_KERNEL, &changed), 0);
	KUNIT_ASSERT_EQ(test, ratmem_rangeset_remove(set, 150, 150, GFP_KERNEL, &changed), 0);
	KUNIT_EXPECT_FALSE(test, ratmem_rangeset_test(set, 99));
	KUNIT_EXPECT_TRUE(test, ratmem_rangeset_test(set, 100));
	KUNIT_EXPECT_TRUE(test, ratmem_rangeset_test(set, 149));
	KUNIT_EXPECT_FALSE(test, ratmem_rangeset_test(set, 150));
	KUNIT_EXPECT_TRUE(test, ratmem_rangeset_test(set, 151));
	KUNIT_EXPECT_TRUE(test, ratmem_rangeset_test(set, 199));
	KUNIT_EXPECT_FALSE(test, ratmem_rangeset_test(set, 200));
	KUNIT_EXPECT_EQ(test, ratmem_rangeset_count(set, 140, 160), 20UL);
	ratmem_rangeset_destroy(set);
}

static void ratmem_rangeset_extremes_test(struct kunit *test)
{
	struct ratmem_rangeset *set = new_set(test);
	unsigned long changed;

	/* A 1 TiB region of 4 KiB pages is one range, whatever its size. */
	KUNIT_ASSERT_EQ(test, ratmem_rangeset_add(set, 0, (1UL << 28) - 1, GFP_KERNEL,
						  &changed), 0);
	KUNIT_EXPECT_EQ(test, changed, 1UL << 28);
	KUNIT_EXPECT_EQ(test, nr_ranges(set), 1UL);
	KUNIT_ASSERT_EQ(test, ratmem_rangeset_add(set, ULONG_MAX - 1, ULONG_MAX, GFP_KERNEL,
						  &changed), 0);
	KUNIT_EXPECT_EQ(test, changed, 2UL);
	KUNIT_EXPECT_TRUE(test, ratmem_rangeset_test(set, ULONG_MAX));
	KUNIT_EXPECT_EQ(test, ratmem_rangeset_add(set, 5, 4, GFP_KERNEL, &changed), -EINVAL);
	KUNIT_EXPECT_EQ(test, ratmem_rangeset_remove(set, 5, 4, GFP_KERNEL, &changed), -EINVAL);
	KUNIT_ASSERT_EQ(test, ratmem_rangeset_remove(set, 0, ULONG_MAX, GFP_KERNEL, &changed), 0);
	KUNIT_EXPECT_EQ(test, changed, (1UL << 28) + 2);
	KUNIT_EXPECT_EQ(test, nr_ranges(set), 0UL);
	ratmem_rangeset_destroy(set);
}

/*
 * The range count the bound on fragmentation reads: predicted before each
 * change, kept by it, and equal to what the tree holds, over a random
 * script of adds and removes (fixed seed) in a 64-index window, so that
 * merges, splits, edges and no-ops all happen.
 */
static void ratmem_rangeset_range_count_test(struct kunit *test)
{
	struct ratmem_rangeset *set = new_set(test);
	unsigned long changed, first, last, predicted;
	u32 seed = 12345;
	int i;

	for (i = 0; i < 2000; i++) {
		seed = seed * 1103515245 + 12345;
		first = (seed >> 8) % 64;
		last = first + (seed >> 20) % 6;
		if (seed & 1) {
			predicted = ratmem_rangeset_ranges_if_added(set, first, last);
			KUNIT_ASSERT_EQ(test, ratmem_rangeset_add(set, first, last, GFP_KERNEL,
								  &changed), 0);
		} else {
			predicted = ratmem_rangeset_ranges_if_removed(set, first, last);
			KUNIT_ASSERT_EQ(test, ratmem_rangeset_remove(set, first, last, GFP_KERNEL,
								     &changed), 0);
		}
		KUNIT_ASSERT_EQ(test, set->nr_ranges, predicted);
		KUNIT_ASSERT_EQ(test, set->nr_ranges, nr_ranges(set));
	}
	/* Alternate indices: one range each; filling the gaps makes one. */
	KUNIT_ASSERT_EQ(test, ratmem_rangeset_remove(set, 0, ULONG_MAX, GFP_KERNEL, &changed), 0);
	KUNIT_EXPECT_EQ(test, set->nr_ranges, 0UL);
	for (i = 0; i < 100; i += 2)
		KUNIT_ASSERT_EQ(test, ratmem_rangeset_add(set, i, i, GFP_KERNEL, &changed), 0);
	KUNIT_EXPECT_EQ(test, set->nr_ranges, 50UL);
	KUNIT_EXPECT_EQ(test, ratmem_rangeset_ranges_if_removed(set, 10, 10), 49UL);
	KUNIT_EXPECT_EQ(test, ratmem_rangeset_ranges_if_added(set, 1, 1), 49UL);
	KUNIT_EXPECT_EQ(test, ratmem_rangeset_ranges_if_added(set, 0, 99), 1UL);
	KUNIT_ASSERT_EQ(test, ratmem_rangeset_add(set, 0, 99, GFP_KERNEL, &changed), 0);
	KUNIT_EXPECT_EQ(test, ratmem_rangeset_ranges_if_removed(set, 40, 40), 2UL);
	KUNIT_EXPECT_EQ(test, ratmem_rangeset_ranges_if_removed(set, 0, 40), 1UL);
	KUNIT_EXPECT_EQ(test, ratmem_rangeset_ranges_if_removed(set, 0, 99), 0UL);
	ratmem_rangeset_destroy(set);
}

static struct kunit_case ratmem_rangeset_cases[] = {
	KUNIT_CASE(ratmem_rangeset_range_count_test),
	KUNIT_CASE_PARAM(ratmem_rangeset_script_test, script_gen_params),
	KUNIT_CASE(ratmem_rangeset_members_test),
	KUNIT_CASE(ratmem_rangeset_extremes_test),
	{}
};

static struct kunit_suite ratmem_rangeset_suite = {
	.name = "ratmem_rangeset",
	.test_cases = ratmem_rangeset_cases,
};

kunit_test_suites(&ratmem_rangeset_suite);
