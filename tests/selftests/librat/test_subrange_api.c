// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests: librat's sub-range shares (librat 1.4): RatMemShareRange,
 * shared with this very process. The module's own tests are
 * module/test_subrange.c.
 */
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "mem.h"
#include "rat.h"
#include "util.h"

TEST(ratmemsharerange_receiver_sees_the_range)
{
	char cap[RAT_CAP_STRLEN], onward[RAT_CAP_STRLEN], spare[RAT_CAP_STRLEN];
	RatApiInfo info;
	unsigned char *p, *g;
	HMEM mem, got, narrow;

	rt_need_ratapi_memory();
	ASSERT_EQ(RatQueryApi(&info), RAT_STATUS_OK);
	ASSERT_TRUE(info.features & RATMEM_FEATURE_GRANT_RANGE);
	mem = RatAllocMemory(4 * PG);
	ASSERT_TRUE(mem != NULL);
	p = RatMapMemory(mem);
	ASSERT_TRUE(p != NULL);
	for (int i = 0; i < 4; i++)
		memset(p + i * PG, 0x30 + i, PG);

	ASSERT_EQ(RatMemShareRange(mem, 0, 0, RAT_MEM_READ, getpid(), cap), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(cap[0], '\0');
	ASSERT_EQ(RatMemShareRange(mem, 1, PG, RAT_MEM_READ, getpid(), cap),
		  RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemShareRange(mem, 3 * PG, 2 * PG, RAT_MEM_READ, getpid(), cap),
		  RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemShareRange(NULL, 0, PG, RAT_MEM_READ, getpid(), cap),
		  RAT_STATUS_INVALID_ARG);

	ASSERT_EQ(RatMemShareRange(mem, PG, 2 * PG, RAT_MEM_READ | RAT_MEM_SHARE, getpid(), cap),
		  RAT_STATUS_OK);
	got = RatMemAccept(cap);
	ASSERT_TRUE(got != NULL);
	ASSERT_EQ(RatMemSize(got), 2 * PG);
	g = RatMapMemory(got);
	ASSERT_TRUE(g != NULL);
	ASSERT_EQ(g[0], 0x31);
	ASSERT_EQ(g[2 * PG - 1], 0x32);
	/* Onward: narrower only. */
	ASSERT_EQ(RatMemShareRange(got, PG, 2 * PG, RAT_MEM_READ, getpid(), onward),
		  RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemShareRange(got, PG, PG, RAT_MEM_READ, getpid(), onward), RAT_STATUS_OK);
	narrow = RatMemAccept(onward);
	ASSERT_TRUE(narrow != NULL);
	ASSERT_EQ(RatMemSize(narrow), PG);
	ASSERT_EQ(((unsigned char *)RatMapMemory(narrow))[0], 0x32);
	ASSERT_EQ(RatMemRevoke(mem, cap), RAT_STATUS_OK);
	/* The receiver's HMEM, and what it shared onward, went with it. */
	ASSERT_EQ(RatMemShareRange(got, 0, PG, RAT_MEM_READ, getpid(), spare),
		  RAT_STATUS_REVOKED);
	ASSERT_EQ(spare[0], '\0');
	ASSERT_EQ(RatMemRevoke(got, onward), RAT_STATUS_REVOKED);
	ASSERT_EQ(RatFreeMemory(narrow), RAT_STATUS_OK);
	ASSERT_EQ(RatFreeMemory(got), RAT_STATUS_OK);
	ASSERT_EQ(RatFreeMemory(mem), RAT_STATUS_OK);
}
