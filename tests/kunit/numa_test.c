// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for ratmem's placement policies (module/numa.c): the node
 * each policy picks for a page, on any machine (the choice does not
 * depend on which nodes exist).
 */
#include <kunit/test.h>
#include <linux/bits.h>
#include <linux/module.h>
#include <linux/numa.h>
#include <linux/ratmem.h>

#include "../../module/numa.h"

static void ratmem_placement_default_test(struct kunit *test)
{
	struct ratmem_placement p = { .mode = RATMEM_POLICY_DEFAULT, .node = NUMA_NO_NODE };

	/* No node named: the allocator's choice, whoever allocates. */
	KUNIT_EXPECT_EQ(test, ratmem_placement_node(&p, 0, 0), NUMA_NO_NODE);
	KUNIT_EXPECT_EQ(test, ratmem_placement_node(&p, 7, 1), NUMA_NO_NODE);
	p.node = 1;
	KUNIT_EXPECT_EQ(test, ratmem_placement_node(&p, 0, 0), 1);
	KUNIT_EXPECT_EQ(test, ratmem_placement_node(&p, 12345, 3), 1);
}

static void ratmem_placement_preferred_test(struct kunit *test)
{
	struct ratmem_placement p = {
		.mode = RATMEM_POLICY_PREFERRED, .node = NUMA_NO_NODE, .nodemask = BIT_ULL(5),
	};

	KUNIT_EXPECT_EQ(test, ratmem_placement_node(&p, 0, 0), 5);
	KUNIT_EXPECT_EQ(test, ratmem_placement_node(&p, 99, 5), 5);
	p.nodemask = BIT_ULL(63);
	KUNIT_EXPECT_EQ(test, ratmem_placement_node(&p, 1, 0), 63);
}

static void ratmem_placement_bind_test(struct kunit *test)
{
	struct ratmem_placement p = {
		.mode = RATMEM_POLICY_BIND, .node = NUMA_NO_NODE,
		.nodemask = BIT_ULL(1) | BIT_ULL(3),
	};

	/* The local node when it is bound, else the first bound node. */
	KUNIT_EXPECT_EQ(test, ratmem_placement_node(&p, 0, 3), 3);
	KUNIT_EXPECT_EQ(test, ratmem_placement_node(&p, 0, 1), 1);
	KUNIT_EXPECT_EQ(test, ratmem_placement_node(&p, 0, 0), 1);
	KUNIT_EXPECT_EQ(test, ratmem_placement_node(&p, 0, 2), 1);
	KUNIT_EXPECT_EQ(test, ratmem_placement_node(&p, 0, NUMA_NO_NODE), 1);
	KUNIT_EXPECT_EQ(test, ratmem_placement_node(&p, 0, 64), 1);
}

static void ratmem_placement_interleave_test(struct kunit *test)
{
	struct ratmem_placement p = {
		.mode = RATMEM_POLICY_INTERLEAVE, .node = NUMA_NO_NODE,
		.nodemask = BIT_ULL(0) | BIT_ULL(2) | BIT_ULL(7),
	};
	static const int expect[] = { 0, 2, 7, 0, 2, 7, 0 };
	unsigned long i;

	/* Page i on the (i mod 3)-th node, wherever the fault runs. */
	for (i = 0; i < ARRAY_SIZE(expect); i++)
		KUNIT_EXPECT_EQ(test, ratmem_placement_node(&p, i, (int)i % 2), expect[i]);
	KUNIT_EXPECT_EQ(test, ratmem_placement_node(&p, ULONG_MAX, 0), expect[ULONG_MAX % 3]);
	p.nodemask = BIT_ULL(4);
	KUNIT_EXPECT_EQ(test, ratmem_placement_node(&p, 12345, 0), 4);
}

static struct kunit_case ratmem_numa_cases[] = {
	KUNIT_CASE(ratmem_placement_default_test),
	KUNIT_CASE(ratmem_placement_preferred_test),
	KUNIT_CASE(ratmem_placement_bind_test),
	KUNIT_CASE(ratmem_placement_interleave_test),
	{}
};

static struct kunit_suite ratmem_numa_suite = {
	.name = "ratmem_numa",
	.test_cases = ratmem_numa_cases,
};

kunit_test_suites(&ratmem_numa_suite);
