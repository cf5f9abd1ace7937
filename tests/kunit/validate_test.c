// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for ratmem's argument validation (module/validate.c).
 */
#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/numa.h>
#include <linux/ratmem.h>

#include "../../module/validate.h"

struct range_case {
	const char *name;
	u64 offset, length, size, align;
	int expect;
};

#define PG 4096ULL

static const struct range_case range_cases[] = {
	{ "whole_object",	0, 4 * PG, 4 * PG, PG, 0 },
	{ "first_page",		0, PG, 4 * PG, PG, 0 },
	{ "last_page",		3 * PG, PG, 4 * PG, PG, 0 },
	{ "zero_length",	0, 0, 4 * PG, PG, -EINVAL },
	{ "one_byte",		0, 1, 4 * PG, PG, -EINVAL },
	{ "page_minus_one",	0, PG - 1, 4 * PG, PG, -EINVAL },
	{ "unaligned_offset",	1, PG, 4 * PG, PG, -EINVAL },
	{ "past_end",		3 * PG, 2 * PG, 4 * PG, PG, -EINVAL },
	{ "starts_at_end",	4 * PG, PG, 4 * PG, PG, -EINVAL },
	{ "huge_length",	0, 1ULL << 63, 4 * PG, PG, -EINVAL },
	{ "all_ones_length",	0, ~0ULL & ~(PG - 1), 4 * PG, PG, -EINVAL },
	{ "wrapping_end",	~0ULL & ~(PG - 1), 2 * PG, ~0ULL, PG, -EINVAL },
	{ "end_is_u64_max",	0, ~0ULL & ~(PG - 1), ~0ULL, PG, 0 },
	{ "zero_align",		0, PG, 4 * PG, 0, -EINVAL },
	{ "non_pow2_align",	0, 3 * PG, 4 * PG, 3 * PG, -EINVAL },
	{ "huge_page_align",	0, 2ULL << 20, 4ULL << 20, 2ULL << 20, 0 },
	{ "huge_page_misaligned", PG, 2ULL << 20, 4ULL << 20, 2ULL << 20, -EINVAL },
};

static void range_case_desc(const struct range_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(range, range_cases, range_case_desc);

static void ratmem_check_range_test(struct kunit *test)
{
	const struct range_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, ratmem_check_range(c->offset, c->length, c->size, c->align),
			c->expect);
}

static void ratmem_check_flags_test(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, ratmem_check_flags(0, 0), 0);
	KUNIT_EXPECT_EQ(test, ratmem_check_flags(1, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, ratmem_check_flags(1ULL << 63, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, ratmem_check_flags(0x5, 0x7), 0);
	KUNIT_EXPECT_EQ(test, ratmem_check_flags(0x8, 0x7), -EINVAL);
	KUNIT_EXPECT_EQ(test, ratmem_check_flags(~0ULL, ~0ULL), 0);
}

static void ratmem_is_zeroed_test(struct kunit *test)
{
	u8 buf[33] = { 0 };

	KUNIT_EXPECT_TRUE(test, ratmem_is_zeroed(buf, 0));
	KUNIT_EXPECT_TRUE(test, ratmem_is_zeroed(buf, sizeof(buf)));
	buf[32] = 1;
	KUNIT_EXPECT_FALSE(test, ratmem_is_zeroed(buf, sizeof(buf)));
	KUNIT_EXPECT_TRUE(test, ratmem_is_zeroed(buf, sizeof(buf) - 1));
	buf[0] = 0x80;
	KUNIT_EXPECT_FALSE(test, ratmem_is_zeroed(buf, 1));
}

static void ratmem_check_api_args_test(struct kunit *test)
{
	struct ratmem_api api = { .abi_version = RATMEM_ABI_VERSION };

	KUNIT_EXPECT_EQ(test, ratmem_check_api_args(&api), 0);

	/* Output fields carry no meaning on input. */
	api.features = ~0ULL;
	api.ioctls = ~0ULL;
	KUNIT_EXPECT_EQ(test, ratmem_check_api_args(&api), 0);

	/* A newer caller is accepted: the ABI only grows. */
	api.abi_version = RATMEM_ABI_VERSION + 1;
	KUNIT_EXPECT_EQ(test, ratmem_check_api_args(&api), 0);

	api.abi_version = 0;
	KUNIT_EXPECT_EQ(test, ratmem_check_api_args(&api), -EINVAL);
	api.abi_version = RATMEM_ABI_VERSION;

	api.flags = 1;
	KUNIT_EXPECT_EQ(test, ratmem_check_api_args(&api), -EINVAL);
	api.flags = 0x80000000;
	KUNIT_EXPECT_EQ(test, ratmem_check_api_args(&api), -EINVAL);
	api.flags = 0;

	api.reserved[ARRAY_SIZE(api.reserved) - 1] = 1;
	KUNIT_EXPECT_EQ(test, ratmem_check_api_args(&api), -EINVAL);
}

static void ratmem_check_stats_args_test(struct kunit *test)
{
	struct ratmem_stats stats = { };

	KUNIT_EXPECT_EQ(test, ratmem_check_stats_args(&stats), 0);
	stats.contexts = 42;	/* output only */
	KUNIT_EXPECT_EQ(test, ratmem_check_stats_args(&stats), 0);

	stats.flags = 2;
	KUNIT_EXPECT_EQ(test, ratmem_check_stats_args(&stats), -EINVAL);
	stats.flags = 0;

	stats.pad = 1;
	KUNIT_EXPECT_EQ(test, ratmem_check_stats_args(&stats), -EINVAL);
	stats.pad = 0;

	stats.reserved = 1;
	KUNIT_EXPECT_EQ(test, ratmem_check_stats_args(&stats), -EINVAL);
}

static void ratmem_rights_subset_test(struct kunit *test)
{
	const u32 r = RATMEM_RIGHT_READ, w = RATMEM_RIGHT_WRITE, x = RATMEM_RIGHT_EXEC;

	KUNIT_EXPECT_TRUE(test, ratmem_rights_subset(0, 0));
	KUNIT_EXPECT_TRUE(test, ratmem_rights_subset(r, r | w));
	KUNIT_EXPECT_TRUE(test, ratmem_rights_subset(r | w, r | w));
	KUNIT_EXPECT_FALSE(test, ratmem_rights_subset(r | x, r | w));
	KUNIT_EXPECT_FALSE(test, ratmem_rights_subset(RATMEM_RIGHT_GRANT, RATMEM_RIGHTS_ALL &
						      ~RATMEM_RIGHT_GRANT));
	KUNIT_EXPECT_TRUE(test, ratmem_rights_subset(RATMEM_RIGHTS_ALL, RATMEM_RIGHTS_ALL));
	KUNIT_EXPECT_FALSE(test, ratmem_rights_subset(~0U, RATMEM_RIGHTS_ALL));
}

struct create_case {
	const char *name;
	u64 size;
	u32 flags, rights, page_shift, policy;
	s32 node;
	u64 mask;
	int expect;
};

#define SZMAX BIT_ULL(40)

static const struct create_case create_cases[] = {
	{ "one_page", PG, 0, RATMEM_RIGHTS_ALL, 0, 0, -1, 0, 0 },
	{ "size_max", SZMAX, 0, RATMEM_RIGHT_READ, 12, 0, 0, 0, 0 },
	{ "size_zero", 0, 0, RATMEM_RIGHTS_ALL, 0, 0, -1, 0, -EINVAL },
	{ "size_unaligned", PG + 1, 0, RATMEM_RIGHTS_ALL, 0, 0, -1, 0, -EINVAL },
	{ "size_above_max", SZMAX + PG, 0, RATMEM_RIGHTS_ALL, 0, 0, -1, 0, -EINVAL },
	{ "size_2_63", 1ULL << 63, 0, RATMEM_RIGHTS_ALL, 0, 0, -1, 0, -EINVAL },
	{ "commit_flag", PG, RATMEM_CREATE_COMMIT, RATMEM_RIGHTS_ALL, 0, 0, -1, 0, 0 },
	{ "unknown_flag", PG, 2, RATMEM_RIGHTS_ALL, 0, 0, -1, 0, -EINVAL },
	{ "unknown_flag_top", PG, 1U << 31, RATMEM_RIGHTS_ALL, 0, 0, -1, 0, -EINVAL },
	{ "no_rights", PG, 0, 0, 0, 0, -1, 0, -EINVAL },
	{ "unknown_right", PG, 0, RATMEM_RIGHTS_ALL + 1, 0, 0, -1, 0, -EINVAL },
	{ "page_shift_21", 2ULL << 20, 0, RATMEM_RIGHTS_ALL, 21, 0, -1, 0, 0 },
	{ "page_shift_21_size_4k", PG, 0, RATMEM_RIGHTS_ALL, 21, 0, -1, 0, -EINVAL },
	{ "page_shift_21_size_3m", 3ULL << 20, 0, RATMEM_RIGHTS_ALL, 21, 0, -1, 0, -EINVAL },
	{ "page_shift_20", 2ULL << 20, 0, RATMEM_RIGHTS_ALL, 20, 0, -1, 0, -EINVAL },
	{ "page_shift_22", 4ULL << 20, 0, RATMEM_RIGHTS_ALL, 22, 0, -1, 0, -EINVAL },
	{ "page_shift_30", 1ULL << 30, 0, RATMEM_RIGHTS_ALL, 30, 0, -1, 0, -EINVAL },
	{ "page_auto", PG, RATMEM_CREATE_PAGE_AUTO, RATMEM_RIGHTS_ALL, 0, 0, -1, 0, 0 },
	{ "page_auto_with_shift", 2ULL << 20, RATMEM_CREATE_PAGE_AUTO, RATMEM_RIGHTS_ALL, 21, 0,
	  -1, 0, -EINVAL },
	{ "preferred_without_node", PG, 0, RATMEM_RIGHTS_ALL, 0, 1, -1, 0, -EINVAL },
	{ "preferred_node0", PG, 0, RATMEM_RIGHTS_ALL, 0, 1, -1, 1, 0 },
	{ "preferred_two_nodes", PG, 0, RATMEM_RIGHTS_ALL, 0, 1, -1, 3, -EINVAL },
	{ "preferred_and_numa_node", PG, 0, RATMEM_RIGHTS_ALL, 0, 1, 0, 1, -EINVAL },
	{ "bind_node0", PG, 0, RATMEM_RIGHTS_ALL, 0, 2, -1, 1, 0 },
	{ "bind_empty", PG, 0, RATMEM_RIGHTS_ALL, 0, 2, -1, 0, -EINVAL },
	{ "interleave_node0", PG, 0, RATMEM_RIGHTS_ALL, 0, 3, -1, 1, 0 },
	{ "interleave_empty", PG, 0, RATMEM_RIGHTS_ALL, 0, 3, -1, 0, -EINVAL },
	{ "policy_unknown", PG, 0, RATMEM_RIGHTS_ALL, 0, 4, -1, 1, -EINVAL },
	{ "policy_all_ones", PG, 0, RATMEM_RIGHTS_ALL, 0, ~0U, -1, 1, -EINVAL },
	{ "node_below", PG, 0, RATMEM_RIGHTS_ALL, 0, 0, -2, 0, -EINVAL },
	{ "node_above", PG, 0, RATMEM_RIGHTS_ALL, 0, 0, MAX_NUMNODES, 0, -EINVAL },
	{ "default_with_mask", PG, 0, RATMEM_RIGHTS_ALL, 0, 0, -1, 1, -EINVAL },
	{ "default_node0", PG, 0, RATMEM_RIGHTS_ALL, 0, 0, 0, 0, 0 },
};

static void create_case_desc(const struct create_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(create, create_cases, create_case_desc);

static void ratmem_check_create_args_test(struct kunit *test)
{
	const struct create_case *c = test->param_value;
	struct ratmem_create args = {
		.size = c->size, .flags = c->flags, .rights = c->rights,
		.page_shift = c->page_shift, .policy = c->policy, .numa_node = c->node,
		.nodemask = c->mask,
	};

	KUNIT_EXPECT_EQ(test, ratmem_check_create_args(&args, SZMAX), c->expect);
	args.reserved = 1;
	KUNIT_EXPECT_EQ(test, ratmem_check_create_args(&args, SZMAX), -EINVAL);
}

static void ratmem_check_policy_test(struct kunit *test)
{
	const u64 top = BIT_ULL(RATMEM_NODEMASK_BITS - 1);
	struct ratmem_policy p = { .mode = RATMEM_POLICY_INTERLEAVE, .nodemask = 1 };

	KUNIT_EXPECT_EQ(test, ratmem_check_policy_args(&p), 0);
	p.flags = 1;
	KUNIT_EXPECT_EQ(test, ratmem_check_policy_args(&p), -EINVAL);
	p.flags = 0;
	p.pad = 1;
	KUNIT_EXPECT_EQ(test, ratmem_check_policy_args(&p), -EINVAL);
	p.pad = 0;
	p.reserved[1] = 1;
	KUNIT_EXPECT_EQ(test, ratmem_check_policy_args(&p), -EINVAL);
	p.reserved[1] = 0;
	p.mode = RATMEM_POLICY_DEFAULT;
	KUNIT_EXPECT_EQ(test, ratmem_check_policy_args(&p), -EINVAL);
	p.nodemask = 0;
	KUNIT_EXPECT_EQ(test, ratmem_check_policy_args(&p), 0);
	/* A node no kernel can have, whatever the mode. */
	if (MAX_NUMNODES < RATMEM_NODEMASK_BITS) {
		/* The modulo only keeps the shift in range where this is dead code. */
		KUNIT_EXPECT_EQ(test, ratmem_check_policy(RATMEM_POLICY_BIND,
							  BIT_ULL(MAX_NUMNODES % 64)), -EINVAL);
		KUNIT_EXPECT_EQ(test, ratmem_check_policy(RATMEM_POLICY_PREFERRED, top), -EINVAL);
	} else {
		KUNIT_EXPECT_EQ(test, ratmem_check_policy(RATMEM_POLICY_PREFERRED, top), 0);
	}
	KUNIT_EXPECT_EQ(test, ratmem_check_policy(RATMEM_POLICY_MAX + 1, 1), -EINVAL);
}

/* SEAL: every known seal bit, alone or together; nothing else. */
static void ratmem_check_seal_args_test(struct kunit *test)
{
	struct ratmem_seal s = { .handle = 1 };
	u32 bit;

	KUNIT_EXPECT_EQ(test, ratmem_check_seal_args(&s), 0);	/* only reads */
	for (bit = 1; bit; bit <<= 1) {
		s.seals = bit;
		KUNIT_EXPECT_EQ(test, ratmem_check_seal_args(&s),
				bit & RATMEM_SEALS_ALL ? 0 : -EINVAL);
	}
	s.seals = RATMEM_SEALS_ALL;
	KUNIT_EXPECT_EQ(test, ratmem_check_seal_args(&s), 0);
	s.flags = 1;
	KUNIT_EXPECT_EQ(test, ratmem_check_seal_args(&s), -EINVAL);
	s.flags = 0;
	s.pad = 1;
	KUNIT_EXPECT_EQ(test, ratmem_check_seal_args(&s), -EINVAL);
	s.pad = 0;
	s.reserved[1] = 1;
	KUNIT_EXPECT_EQ(test, ratmem_check_seal_args(&s), -EINVAL);
}

/* LEASE: set with 1 ns to the maximum, read with nothing; GRANT's bound. */
static void ratmem_check_lease_args_test(struct kunit *test)
{
	struct ratmem_lease l = { .handle = 1, .cap_id = 5 };
	struct ratmem_grant g = { .handle = 1, .rights = RATMEM_RIGHT_READ };

	KUNIT_EXPECT_EQ(test, ratmem_check_lease_args(&l), 0);
	l.lease_ns = 1;
	KUNIT_EXPECT_EQ(test, ratmem_check_lease_args(&l), -EINVAL);	/* read with a lease */
	l.flags = RATMEM_LEASE_SET;
	KUNIT_EXPECT_EQ(test, ratmem_check_lease_args(&l), 0);
	l.lease_ns = RATMEM_LEASE_MAX_NS;
	KUNIT_EXPECT_EQ(test, ratmem_check_lease_args(&l), 0);
	l.lease_ns = RATMEM_LEASE_MAX_NS + 1;
	KUNIT_EXPECT_EQ(test, ratmem_check_lease_args(&l), -EINVAL);
	l.lease_ns = 0;
	KUNIT_EXPECT_EQ(test, ratmem_check_lease_args(&l), -EINVAL);
	l.lease_ns = 1;
	l.flags = RATMEM_LEASE_SET | 2;
	KUNIT_EXPECT_EQ(test, ratmem_check_lease_args(&l), -EINVAL);
	l.flags = RATMEM_LEASE_SET;
	l.remaining_ns = 1;
	KUNIT_EXPECT_EQ(test, ratmem_check_lease_args(&l), -EINVAL);
	l.remaining_ns = 0;
	l.reserved[0] = 1;
	KUNIT_EXPECT_EQ(test, ratmem_check_lease_args(&l), -EINVAL);

	KUNIT_EXPECT_EQ(test, ratmem_check_grant_args(&g), 0);
	g.lease_ns = RATMEM_LEASE_MAX_NS;
	KUNIT_EXPECT_EQ(test, ratmem_check_grant_args(&g), 0);
	g.lease_ns = RATMEM_LEASE_MAX_NS + 1;
	KUNIT_EXPECT_EQ(test, ratmem_check_grant_args(&g), -EINVAL);
	g.lease_ns = 0;
	g.reserved = 1;
	KUNIT_EXPECT_EQ(test, ratmem_check_grant_args(&g), -EINVAL);
}

static void ratmem_check_revoke_notices_test(struct kunit *test)
{
	struct ratmem_revoke r = { .handle = 1, .cap_id = 5 };
	struct ratmem_read_notices n = { .records = 0x1000, .count = 1 };

	KUNIT_EXPECT_EQ(test, ratmem_check_revoke_args(&r), 0);
	r.deadline_ns = RATMEM_LEASE_MAX_NS;
	r.flags = RATMEM_REVOKE_WAIT;
	KUNIT_EXPECT_EQ(test, ratmem_check_revoke_args(&r), 0);
	r.deadline_ns = RATMEM_LEASE_MAX_NS + 1;
	KUNIT_EXPECT_EQ(test, ratmem_check_revoke_args(&r), -EINVAL);
	r.deadline_ns = 0;
	r.flags = RATMEM_REVOKE_WAIT << 1;
	KUNIT_EXPECT_EQ(test, ratmem_check_revoke_args(&r), -EINVAL);
	r.flags = 0;
	r.reserved = 1;
	KUNIT_EXPECT_EQ(test, ratmem_check_revoke_args(&r), -EINVAL);

	KUNIT_EXPECT_EQ(test, ratmem_check_read_notices_args(&n), 0);
	n.count = RATMEM_NOTICES_MAX;
	KUNIT_EXPECT_EQ(test, ratmem_check_read_notices_args(&n), 0);
	n.count = RATMEM_NOTICES_MAX + 1;
	KUNIT_EXPECT_EQ(test, ratmem_check_read_notices_args(&n), -EINVAL);
	n.count = 0;
	KUNIT_EXPECT_EQ(test, ratmem_check_read_notices_args(&n), -EINVAL);
	n.count = 1;
	n.flags = 1;
	KUNIT_EXPECT_EQ(test, ratmem_check_read_notices_args(&n), -EINVAL);
	n.flags = 0;
	n.reserved[1] = 1;
	KUNIT_EXPECT_EQ(test, ratmem_check_read_notices_args(&n), -EINVAL);
}

static void ratmem_check_grant_range_args_test(struct kunit *test)
{
	struct ratmem_grant_range g = { .handle = 1, .rights = RATMEM_RIGHT_READ, .length = PG };

	KUNIT_EXPECT_EQ(test, ratmem_check_grant_range_args(&g), 0);
	/* Offsets and lengths are checked against the handle's view later. */
	g.offset = 1;
	g.length = 3;
	KUNIT_EXPECT_EQ(test, ratmem_check_grant_range_args(&g), 0);
	g.length = 0;
	KUNIT_EXPECT_EQ(test, ratmem_check_grant_range_args(&g), -EINVAL);
	g.length = PG;
	g.lease_ns = RATMEM_LEASE_MAX_NS + 1;
	KUNIT_EXPECT_EQ(test, ratmem_check_grant_range_args(&g), -EINVAL);
	g.lease_ns = RATMEM_LEASE_MAX_NS;
	KUNIT_EXPECT_EQ(test, ratmem_check_grant_range_args(&g), 0);
	g.flags = 1;
	KUNIT_EXPECT_EQ(test, ratmem_check_grant_range_args(&g), -EINVAL);
	g.flags = 0;
	g.reserved[0] = 1;
	KUNIT_EXPECT_EQ(test, ratmem_check_grant_range_args(&g), -EINVAL);
}

static void ratmem_check_migrate_nodes_test(struct kunit *test)
{
	struct ratmem_migrate m = { .handle = 1, .offset = 0, .length = PG, .node = 0 };
	struct ratmem_nodes n = { .handle = 1, .nr_nodes = RATMEM_NODES_MAX };

	KUNIT_EXPECT_EQ(test, ratmem_check_migrate_args(&m), 0);
	m.flags = RATMEM_MIGRATE_LAZY;
	KUNIT_EXPECT_EQ(test, ratmem_check_migrate_args(&m), 0);
	m.flags = 2;
	KUNIT_EXPECT_EQ(test, ratmem_check_migrate_args(&m), -EINVAL);
	m.flags = 0;
	m.node = -1;
	KUNIT_EXPECT_EQ(test, ratmem_check_migrate_args(&m), -EINVAL);
	m.node = MAX_NUMNODES;
	KUNIT_EXPECT_EQ(test, ratmem_check_migrate_args(&m), -EINVAL);
	m.node = 0;
	m.pages = 1;
	KUNIT_EXPECT_EQ(test, ratmem_check_migrate_args(&m), -EINVAL);
	m.pages = 0;
	m.pad = 1;
	KUNIT_EXPECT_EQ(test, ratmem_check_migrate_args(&m), -EINVAL);
	m.pad = 0;
	m.reserved[0] = 1;
	KUNIT_EXPECT_EQ(test, ratmem_check_migrate_args(&m), -EINVAL);

	KUNIT_EXPECT_EQ(test, ratmem_check_nodes_args(&n), 0);
	n.nr_nodes = RATMEM_NODES_MAX + 1;
	KUNIT_EXPECT_EQ(test, ratmem_check_nodes_args(&n), -EINVAL);
	n.nr_nodes = 0;
	KUNIT_EXPECT_EQ(test, ratmem_check_nodes_args(&n), 0);
	n.node = -1;
	KUNIT_EXPECT_EQ(test, ratmem_check_nodes_args(&n), -EINVAL);
	n.node = 0;
	n.pending = 1;
	KUNIT_EXPECT_EQ(test, ratmem_check_nodes_args(&n), -EINVAL);
	n.pending = 0;
	n.flags = 1;
	KUNIT_EXPECT_EQ(test, ratmem_check_nodes_args(&n), -EINVAL);
	n.flags = 0;
	n.reserved[1] = 1;
	KUNIT_EXPECT_EQ(test, ratmem_check_nodes_args(&n), -EINVAL);
}

static void ratmem_page_shift_for_test(struct kunit *test)
{
	const u64 mb2 = 2ULL << 20, min = 4ULL << 20;
	const u32 aut = RATMEM_CREATE_PAGE_AUTO;

	/* The caller's choice stands, with or without PMDs. */
	KUNIT_EXPECT_EQ(test, ratmem_page_shift_for(0, 21, mb2, min, false), 21U);
	KUNIT_EXPECT_EQ(test, ratmem_page_shift_for(0, 12, min, min, true), 12U);
	KUNIT_EXPECT_EQ(test, ratmem_page_shift_for(0, 0, min, min, true), 12U);
	/* AUTO: large enough, 2 MiB multiple, and PMDs. */
	KUNIT_EXPECT_EQ(test, ratmem_page_shift_for(aut, 0, min, min, true), 21U);
	KUNIT_EXPECT_EQ(test, ratmem_page_shift_for(aut, 0, 1ULL << 40, min, true), 21U);
	KUNIT_EXPECT_EQ(test, ratmem_page_shift_for(aut, 0, min, min, false), 12U);
	KUNIT_EXPECT_EQ(test, ratmem_page_shift_for(aut, 0, mb2, min, true), 12U);
	KUNIT_EXPECT_EQ(test, ratmem_page_shift_for(aut, 0, min + PG, min, true), 12U);
	KUNIT_EXPECT_EQ(test, ratmem_page_shift_for(aut, 0, min + mb2 / 2, min, true), 12U);
	KUNIT_EXPECT_EQ(test, ratmem_page_shift_for(aut, 0, 3 * mb2, min, true), 21U);
	KUNIT_EXPECT_EQ(test, ratmem_page_shift_for(aut, 0, mb2, 0, true), 21U);
}

static void ratmem_check_populate_args_test(struct kunit *test)
{
	struct ratmem_populate p = { .addr = 0x10000, .length = PG };

	KUNIT_EXPECT_EQ(test, ratmem_check_populate_args(&p), 0);
	p.length = 0;
	KUNIT_EXPECT_EQ(test, ratmem_check_populate_args(&p), -EINVAL);
	p.length = PG + 1;
	KUNIT_EXPECT_EQ(test, ratmem_check_populate_args(&p), -EINVAL);
	p.length = PG;
	p.addr = 0x10001;
	KUNIT_EXPECT_EQ(test, ratmem_check_populate_args(&p), -EINVAL);
	p.addr = -PG;
	KUNIT_EXPECT_EQ(test, ratmem_check_populate_args(&p), -EINVAL);	/* wraps to 0 */
	p.addr = -2 * PG;
	KUNIT_EXPECT_EQ(test, ratmem_check_populate_args(&p), 0);
	p.addr = 0x10000;
	p.flags = 1;
	KUNIT_EXPECT_EQ(test, ratmem_check_populate_args(&p), -EINVAL);
	p.flags = 0;
	p.pad = 1;
	KUNIT_EXPECT_EQ(test, ratmem_check_populate_args(&p), -EINVAL);
	p.pad = 0;
	p.reserved[1] = 1;
	KUNIT_EXPECT_EQ(test, ratmem_check_populate_args(&p), -EINVAL);
}

static void ratmem_check_handle_args_test(struct kunit *test)
{
	struct ratmem_query q = { .handle = 1 };
	struct ratmem_dup d = { .handle = 1, .rights = RATMEM_RIGHT_READ };
	struct ratmem_close c = { .handle = 1 };

	KUNIT_EXPECT_EQ(test, ratmem_check_query_args(&q), 0);
	KUNIT_EXPECT_EQ(test, ratmem_check_dup_args(&d), 0);
	KUNIT_EXPECT_EQ(test, ratmem_check_close_args(&c), 0);
	q.flags = 1;
	d.flags = 1;
	c.flags = 1;
	KUNIT_EXPECT_EQ(test, ratmem_check_query_args(&q), -EINVAL);
	KUNIT_EXPECT_EQ(test, ratmem_check_dup_args(&d), -EINVAL);
	KUNIT_EXPECT_EQ(test, ratmem_check_close_args(&c), -EINVAL);
	q.flags = 0;
	d.flags = 0;
	c.flags = 0;
	q.mode = 1;
	d.reserved[1] = 1;
	c.reserved[1] = 1;
	KUNIT_EXPECT_EQ(test, ratmem_check_query_args(&q), -EINVAL);
	KUNIT_EXPECT_EQ(test, ratmem_check_dup_args(&d), -EINVAL);
	KUNIT_EXPECT_EQ(test, ratmem_check_close_args(&c), -EINVAL);
	d.reserved[1] = 0;
	d.rights = 0;
	KUNIT_EXPECT_EQ(test, ratmem_check_dup_args(&d), -EINVAL);
	d.rights = RATMEM_RIGHTS_ALL + 1;
	KUNIT_EXPECT_EQ(test, ratmem_check_dup_args(&d), -EINVAL);
}

struct grant_rights_case {
	const char *name;
	u32 have, want;
	int expect;
};

#define R RATMEM_RIGHT_READ
#define W RATMEM_RIGHT_WRITE
#define X RATMEM_RIGHT_EXEC
#define M RATMEM_RIGHT_MAP
#define G RATMEM_RIGHT_GRANT

/* The rights algebra of grants and re-grants: only ever shrinking. */
static const struct grant_rights_case grant_rights_cases[] = {
	{ "all_to_all",			RATMEM_RIGHTS_ALL, RATMEM_RIGHTS_ALL, 0 },
	{ "all_to_read_map",		RATMEM_RIGHTS_ALL, R | M, 0 },
	{ "pass_grant_on",		R | M | G, R | M | G, 0 },
	{ "drop_grant",			R | W | M | G, R | W | M, 0 },
	{ "grant_only",			G, G, 0 },
	{ "no_grant_right",		R | W | M, R | M, -EPERM },
	{ "no_grant_right_empty",	R | W | M, 0, -EINVAL },
	{ "widen_write",		R | M | G, R | W | M, -EPERM },
	{ "widen_exec",			R | M | G, R | X | M, -EPERM },
	{ "regrant_more",		R | M | G, R | M | G | W, -EPERM },
	{ "empty",			RATMEM_RIGHTS_ALL, 0, -EINVAL },
	{ "unknown_bit",		RATMEM_RIGHTS_ALL, RATMEM_RIGHTS_ALL + 1, -EINVAL },
	{ "top_bit",			RATMEM_RIGHTS_ALL, 1U << 31, -EINVAL },
};

static void grant_rights_desc(const struct grant_rights_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(grant_rights, grant_rights_cases, grant_rights_desc);

static void ratmem_check_grant_rights_test(struct kunit *test)
{
	const struct grant_rights_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, ratmem_check_grant_rights(c->have, c->want), c->expect);
}

/* A chain of re-grants can never end with more than it started with. */
static void ratmem_regrant_chain_test(struct kunit *test)
{
	u32 have = RATMEM_RIGHTS_ALL, want;

	for (want = RATMEM_RIGHTS_ALL; want; want >>= 1) {
		if (ratmem_check_grant_rights(have, want | G) == 0)
			have = want | G;
		KUNIT_EXPECT_EQ(test, have & ~RATMEM_RIGHTS_ALL, 0U);
	}
	KUNIT_EXPECT_EQ(test, ratmem_check_grant_rights(R | M | G, RATMEM_RIGHTS_ALL), -EPERM);
}

struct name_case {
	const char *name;
	const char *value;
	long copied;	/* -1: strlen(value) */
	int expect;
};

static const struct name_case name_cases[] = {
	{ "simple",		"ratmem-test_1.buf", -1, 0 },
	{ "one_char",		"a", -1, 0 },
	{ "max_len",
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", -1, 0 },
	{ "too_long",		"", RATMEM_NAME_MAX, -ENAMETOOLONG },
	{ "fault",		"", -EFAULT, -EFAULT },
	{ "empty",		"", -1, -EINVAL },
	{ "leading_dot",	".hidden", -1, -EINVAL },
	{ "dotdot",		"..", -1, -EINVAL },
	{ "slash",		"a/b", -1, -EINVAL },
	{ "space",		"a b", -1, -EINVAL },
	{ "newline",		"a\n", -1, -EINVAL },
	{ "high_byte",		"caf\xc3\xa9", -1, -EINVAL },
	{ "inner_dot",		"a.b", -1, 0 },
};

static void name_desc(const struct name_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(name, name_cases, name_desc);

static void ratmem_check_name_test(struct kunit *test)
{
	const struct name_case *c = test->param_value;
	long copied = c->copied == -1 ? (long)strlen(c->value) : c->copied;

	KUNIT_EXPECT_EQ(test, ratmem_check_name(c->value, copied), c->expect);
}

static void ratmem_check_sharing_args_test(struct kunit *test)
{
	struct ratmem_named_create nc = { .size = PG, .rights = R | M, .mode = 0600 };
	struct ratmem_named_open o = { .rights = R | M };
	struct ratmem_unlink u = { .flags = RATMEM_UNLINK_REVOKE };
	struct ratmem_grant g = { .rights = R };
	struct ratmem_accept a = {};
	struct ratmem_revoke r = {};
	struct ratmem_wait w = { .offset = 8, .timeout_ns = RATMEM_WAIT_FOREVER };
	struct ratmem_wake k = { .offset = 8, .count = 1 };

	KUNIT_EXPECT_EQ(test, ratmem_check_grant_args(&g), 0);
	KUNIT_EXPECT_EQ(test, ratmem_check_accept_args(&a), 0);
	KUNIT_EXPECT_EQ(test, ratmem_check_revoke_args(&r), 0);
	KUNIT_EXPECT_EQ(test, ratmem_check_named_create_args(&nc, 1ULL << 40), 0);
	KUNIT_EXPECT_EQ(test, ratmem_check_named_open_args(&o), 0);
	KUNIT_EXPECT_EQ(test, ratmem_check_unlink_args(&u), 0);
	KUNIT_EXPECT_EQ(test, ratmem_check_wait_args(&w), 0);
	KUNIT_EXPECT_EQ(test, ratmem_check_wake_args(&k), 0);

	g.flags = 1;
	a.reserved[1] = 1;
	r.flags = 2;			/* 1 is RATMEM_REVOKE_WAIT */
	KUNIT_EXPECT_EQ(test, ratmem_check_grant_args(&g), -EINVAL);
	KUNIT_EXPECT_EQ(test, ratmem_check_accept_args(&a), -EINVAL);
	KUNIT_EXPECT_EQ(test, ratmem_check_revoke_args(&r), -EINVAL);

	nc.mode = 01000;
	KUNIT_EXPECT_EQ(test, ratmem_check_named_create_args(&nc, 1ULL << 40), -EINVAL);
	nc.mode = 0777;
	nc.size = PG + 1;
	KUNIT_EXPECT_EQ(test, ratmem_check_named_create_args(&nc, 1ULL << 40), -EINVAL);
	nc.size = 2 * PG;
	KUNIT_EXPECT_EQ(test, ratmem_check_named_create_args(&nc, PG), -EINVAL);
	nc.size = PG;
	nc.rights = 0;
	KUNIT_EXPECT_EQ(test, ratmem_check_named_create_args(&nc, 1ULL << 40), -EINVAL);
	nc.rights = R | M;

	/* Placement: as CREATE's, the node only with RATMEM_CREATE_NODE. */
	nc.page_shift = RATMEM_PAGE_SHIFT_4K;
	KUNIT_EXPECT_EQ(test, ratmem_check_named_create_args(&nc, 1ULL << 40), 0);
	nc.page_shift = 13;
	KUNIT_EXPECT_EQ(test, ratmem_check_named_create_args(&nc, 1ULL << 40), -EINVAL);
	nc.page_shift = 0;
	nc.numa_node = 1;
	KUNIT_EXPECT_EQ(test, ratmem_check_named_create_args(&nc, 1ULL << 40), -EINVAL);
	nc.flags = RATMEM_CREATE_NODE;
	KUNIT_EXPECT_EQ(test, ratmem_check_named_create_args(&nc, 1ULL << 40), 0);
	nc.numa_node = NUMA_NO_NODE;
	KUNIT_EXPECT_EQ(test, ratmem_check_named_create_args(&nc, 1ULL << 40), 0);
	nc.numa_node = -2;
	KUNIT_EXPECT_EQ(test, ratmem_check_named_create_args(&nc, 1ULL << 40), -EINVAL);
	nc.numa_node = MAX_NUMNODES;
	KUNIT_EXPECT_EQ(test, ratmem_check_named_create_args(&nc, 1ULL << 40), -EINVAL);
	nc.numa_node = 0;
	nc.flags = 0x8;	/* the first unknown flag */
	KUNIT_EXPECT_EQ(test, ratmem_check_named_create_args(&nc, 1ULL << 40), -EINVAL);
	nc.flags = RATMEM_CREATE_PAGE_AUTO;
	KUNIT_EXPECT_EQ(test, ratmem_check_named_create_args(&nc, 1ULL << 40), 0);
	nc.page_shift = RATMEM_PAGE_SHIFT_2M;
	KUNIT_EXPECT_EQ(test, ratmem_check_named_create_args(&nc, 1ULL << 40), -EINVAL);
	nc.flags = 0;
	KUNIT_EXPECT_EQ(test, ratmem_check_named_create_args(&nc, 1ULL << 40), -EINVAL);
	nc.size = 2ULL << 20;
	KUNIT_EXPECT_EQ(test, ratmem_check_named_create_args(&nc, 1ULL << 40), 0);
	nc.size = PG;
	nc.page_shift = 0;
	nc.reserved = 1;
	KUNIT_EXPECT_EQ(test, ratmem_check_named_create_args(&nc, 1ULL << 40), -EINVAL);

	o.pad = 1;
	KUNIT_EXPECT_EQ(test, ratmem_check_named_open_args(&o), -EINVAL);
	o.pad = 0;
	o.rights = 0;
	KUNIT_EXPECT_EQ(test, ratmem_check_named_open_args(&o), -EINVAL);
	/* An open must ask for a right the mode bits decide. */
	o.rights = M | G;
	KUNIT_EXPECT_EQ(test, ratmem_check_named_open_args(&o), -EINVAL);
	o.rights = X | M;
	KUNIT_EXPECT_EQ(test, ratmem_check_named_open_args(&o), 0);
	u.flags = 2;
	KUNIT_EXPECT_EQ(test, ratmem_check_unlink_args(&u), -EINVAL);
	/* By id: a region id and no name; without it, no region id. */
	u.region_id = 7;
	KUNIT_EXPECT_EQ(test, ratmem_check_unlink_args(&u), 0);
	u.name = 1;
	KUNIT_EXPECT_EQ(test, ratmem_check_unlink_args(&u), -EINVAL);
	u.flags = 0;
	KUNIT_EXPECT_EQ(test, ratmem_check_unlink_args(&u), -EINVAL);
	u.region_id = 0;
	KUNIT_EXPECT_EQ(test, ratmem_check_unlink_args(&u), 0);

	w.timeout_ns = 0;
	KUNIT_EXPECT_EQ(test, ratmem_check_wait_args(&w), 0);
	w.timeout_ns = -2;
	KUNIT_EXPECT_EQ(test, ratmem_check_wait_args(&w), -EINVAL);
	w.timeout_ns = 1;
	w.offset = 6;
	KUNIT_EXPECT_EQ(test, ratmem_check_wait_args(&w), -EINVAL);
	w.offset = 8;
	w.pad = 1;
	KUNIT_EXPECT_EQ(test, ratmem_check_wait_args(&w), -EINVAL);

	k.count = 0;
	KUNIT_EXPECT_EQ(test, ratmem_check_wake_args(&k), -EINVAL);
	k.count = ~0U;
	k.offset = 2;
	KUNIT_EXPECT_EQ(test, ratmem_check_wake_args(&k), -EINVAL);
	k.offset = 0;
	k.woken = 1;	/* output only */
	KUNIT_EXPECT_EQ(test, ratmem_check_wake_args(&k), 0);
	k.reserved[0] = 1;
	KUNIT_EXPECT_EQ(test, ratmem_check_wake_args(&k), -EINVAL);
}

static struct kunit_case ratmem_validate_cases[] = {
	KUNIT_CASE_PARAM(ratmem_check_range_test, range_gen_params),
	KUNIT_CASE(ratmem_check_flags_test),
	KUNIT_CASE(ratmem_is_zeroed_test),
	KUNIT_CASE(ratmem_check_api_args_test),
	KUNIT_CASE(ratmem_check_stats_args_test),
	KUNIT_CASE(ratmem_rights_subset_test),
	KUNIT_CASE_PARAM(ratmem_check_create_args_test, create_gen_params),
	KUNIT_CASE(ratmem_check_handle_args_test),
	KUNIT_CASE(ratmem_page_shift_for_test),
	KUNIT_CASE(ratmem_check_populate_args_test),
	KUNIT_CASE(ratmem_check_policy_test),
	KUNIT_CASE(ratmem_check_migrate_nodes_test),
	KUNIT_CASE(ratmem_check_seal_args_test),
	KUNIT_CASE(ratmem_check_lease_args_test),
	KUNIT_CASE(ratmem_check_revoke_notices_test),
	KUNIT_CASE(ratmem_check_grant_range_args_test),
	KUNIT_CASE_PARAM(ratmem_check_grant_rights_test, grant_rights_gen_params),
	KUNIT_CASE(ratmem_regrant_chain_test),
	KUNIT_CASE_PARAM(ratmem_check_name_test, name_gen_params),
	KUNIT_CASE(ratmem_check_sharing_args_test),
	{}
};

static struct kunit_suite ratmem_validate_suite = {
	.name = "ratmem_validate",
	.test_cases = ratmem_validate_cases,
};

kunit_test_suites(&ratmem_validate_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for ratmem's argument validation");
