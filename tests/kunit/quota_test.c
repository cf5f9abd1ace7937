// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the arithmetic of quotas (module/quota_rules.c).
 */
#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/ratmem.h>

#include "../../module/quota_rules.h"

#define NONE RATMEM_LIMIT_NONE
#define SET(res) RATMEM_QUOTA_SET(RATMEM_RES_##res)

struct fits_case {
	const char *name;
	u64 usage, amount, limit;
	bool expect;
};

static const struct fits_case fits_cases[] = {
	{ "empty_zero_limit_zero_amount", 0, 0, 0, true },
	{ "empty_zero_limit_one",	0, 1, 0, false },
	{ "reaches_limit_exactly",	3, 1, 4, true },
	{ "one_past_limit",		4, 1, 4, false },
	{ "page_past_limit",		8 * PAGE_SIZE, PAGE_SIZE, 8 * PAGE_SIZE, false },
	{ "usage_above_lowered_limit",	10, 0, 5, false },
	{ "no_limit_huge",		~0ULL - 1, ~0ULL - 1, NONE, true },
	{ "overflowing_sum",		~0ULL - 1, 2, ~0ULL - 1, false },
	{ "amount_is_u64_max",		0, ~0ULL, ~0ULL - 1, false },
	{ "limit_just_below_none",	0, ~0ULL - 1, ~0ULL - 1, true },
};

static void fits_case_desc(const struct fits_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(fits, fits_cases, fits_case_desc);

static void ratmem_quota_fits_test(struct kunit *test)
{
	const struct fits_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, ratmem_quota_fits(c->usage, c->amount, c->limit), c->expect);
}

static void ratmem_quota_limit_round_test(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, ratmem_quota_limit_round(RATMEM_RES_RESERVED, PAGE_SIZE + 1),
			(u64)PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, ratmem_quota_limit_round(RATMEM_RES_COMMITTED, PAGE_SIZE - 1), 0);
	KUNIT_EXPECT_EQ(test, ratmem_quota_limit_round(RATMEM_RES_SHARED, 3 * PAGE_SIZE),
			3 * (u64)PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, ratmem_quota_limit_round(RATMEM_RES_SHARED, NONE), NONE);
	KUNIT_EXPECT_EQ(test, ratmem_quota_limit_round(RATMEM_RES_RESERVED, NONE - 1),
			(NONE - 1) & PAGE_MASK);
	/* Counts are not pages. */
	KUNIT_EXPECT_EQ(test, ratmem_quota_limit_round(RATMEM_RES_HANDLES, 7), 7);
	KUNIT_EXPECT_EQ(test, ratmem_quota_limit_round(RATMEM_RES_GRANTS, 1), 1);
}

static void ratmem_quota_raises_test(struct kunit *test)
{
	const u64 now[RATMEM_RES_COUNT] = { 8 * PAGE_SIZE, NONE, 0, 10, 2 };
	u64 limit[RATMEM_RES_COUNT] = { 4 * PAGE_SIZE, 0, 1, 11, 2 };
	u32 all = RATMEM_QUOTA_SET_ALL;

	KUNIT_EXPECT_FALSE(test, ratmem_quota_raises(now, 0, limit));
	KUNIT_EXPECT_FALSE(test, ratmem_quota_raises(now, SET(RESERVED), limit));
	KUNIT_EXPECT_FALSE(test, ratmem_quota_raises(now, SET(COMMITTED), limit));
	/* Equal is not a raise. */
	KUNIT_EXPECT_FALSE(test, ratmem_quota_raises(now, SET(GRANTS), limit));
	KUNIT_EXPECT_TRUE(test, ratmem_quota_raises(now, SET(SHARED), limit));
	KUNIT_EXPECT_TRUE(test, ratmem_quota_raises(now, SET(HANDLES), limit));
	KUNIT_EXPECT_TRUE(test, ratmem_quota_raises(now, all, limit));
	/* Back to none from a limit is a raise. */
	limit[RATMEM_RES_RESERVED] = NONE;
	KUNIT_EXPECT_TRUE(test, ratmem_quota_raises(now, SET(RESERVED), limit));
}

static void ratmem_check_quota_args_test(struct kunit *test)
{
	struct ratmem_quota q = { .pidfd = -1 };

	KUNIT_EXPECT_EQ(test, ratmem_check_quota_args(&q), 0);
	q.set_mask = RATMEM_QUOTA_SET_ALL;
	KUNIT_EXPECT_EQ(test, ratmem_check_quota_args(&q), 0);
	q.set_mask = RATMEM_QUOTA_SET(RATMEM_RES_COUNT);
	KUNIT_EXPECT_EQ(test, ratmem_check_quota_args(&q), -EINVAL);
	q.set_mask = 1U << 31;
	KUNIT_EXPECT_EQ(test, ratmem_check_quota_args(&q), -EINVAL);
	q.set_mask = 0;
	q.reserved = 1;
	KUNIT_EXPECT_EQ(test, ratmem_check_quota_args(&q), -EINVAL);
	q.reserved = 0;
	q.pidfd = 0;
	KUNIT_EXPECT_EQ(test, ratmem_check_quota_args(&q), 0);
	q.pidfd = -2;
	KUNIT_EXPECT_EQ(test, ratmem_check_quota_args(&q), -EBADF);
	q.pidfd = INT_MIN;
	KUNIT_EXPECT_EQ(test, ratmem_check_quota_args(&q), -EBADF);
}

static struct kunit_case ratmem_quota_cases[] = {
	KUNIT_CASE_PARAM(ratmem_quota_fits_test, fits_gen_params),
	KUNIT_CASE(ratmem_quota_limit_round_test),
	KUNIT_CASE(ratmem_quota_raises_test),
	KUNIT_CASE(ratmem_check_quota_args_test),
	{}
};

static struct kunit_suite ratmem_quota_suite = {
	.name = "ratmem_quota",
	.test_cases = ratmem_quota_cases,
};

kunit_test_suites(&ratmem_quota_suite);
