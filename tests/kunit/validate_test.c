// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for ratmem's argument validation (module/validate.c).
 */
#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/module.h>
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

	stats.reserved[0] = 1;
	KUNIT_EXPECT_EQ(test, ratmem_check_stats_args(&stats), -EINVAL);
}

static struct kunit_case ratmem_validate_cases[] = {
	KUNIT_CASE_PARAM(ratmem_check_range_test, range_gen_params),
	KUNIT_CASE(ratmem_check_flags_test),
	KUNIT_CASE(ratmem_is_zeroed_test),
	KUNIT_CASE(ratmem_check_api_args_test),
	KUNIT_CASE(ratmem_check_stats_args_test),
	{}
};

static struct kunit_suite ratmem_validate_suite = {
	.name = "ratmem_validate",
	.test_cases = ratmem_validate_cases,
};

kunit_test_suites(&ratmem_validate_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for ratmem's argument validation");
