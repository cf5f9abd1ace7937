// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests: librat's leases (librat 1.3): RatMemShareLease,
 * RatMemLeaseExtend and RatMemLeaseRemaining, shared with this very
 * process so that one program is sharer and receiver. The module's own
 * lease tests, other processes and races included, are
 * module/test_lease.c.
 */
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "mem.h"
#include "rat.h"
#include "util.h"

#define SEC 1000000000ULL

static void need_lease(void)
{
	RatApiInfo info;

	rt_need_ratapi_memory();
	ASSERT_EQ(RatQueryApi(&info), RAT_STATUS_OK);
	ASSERT_TRUE(info.features & RATMEM_FEATURE_LEASE);
}

TEST(ratmemsharelease_extend_and_end)
{
	char cap[RAT_CAP_STRLEN];
	uint64_t left = 0, t0;
	HMEM mem, got;

	need_lease();
	mem = RatAllocMemory(4096);
	ASSERT_TRUE(mem != NULL);
	ASSERT_EQ(RatMemShareLease(mem, RAT_MEM_READ, getpid(), 0, cap), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemShareLease(mem, RAT_MEM_READ, getpid(), (1ULL << 62) + 1, cap),
		  RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemShareLease(mem, RAT_MEM_READ, getpid(), 60 * SEC, cap), RAT_STATUS_OK);
	ASSERT_EQ(RatMemLeaseRemaining(mem, cap, &left), RAT_STATUS_OK);
	ASSERT_TRUE(left > 50 * SEC && left <= 60 * SEC);
	ASSERT_EQ(RatMemLeaseRemaining(mem, cap, NULL), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemLeaseExtend(mem, NULL, SEC), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemLeaseExtend(mem, cap, 0), RAT_STATUS_INVALID_ARG);

	/* The receiver reads its lease and cannot extend it (it may not
	 * share: RAT_STATUS_PERMISSION; test_lease.c has a receiver that may,
	 * which gets ENOENT). */
	got = RatMemAccept(cap);
	ASSERT_TRUE(got != NULL);
	ASSERT_EQ(RatMemLeaseRemaining(got, cap, &left), RAT_STATUS_OK);
	ASSERT_TRUE(left > 0);
	ASSERT_EQ(RatMemLeaseExtend(got, cap, 3600 * SEC), RAT_STATUS_PERMISSION);

	/* Shortened to 1 ms by the sharer: it ends, as RatMemRevoke() would. */
	ASSERT_EQ(RatMemLeaseExtend(mem, cap, 1000000), RAT_STATUS_OK);
	t0 = rt_now_ns();
	while (RatMemLeaseRemaining(mem, cap, &left) == RAT_STATUS_OK &&
	       rt_now_ns() - t0 < 60 * SEC)
		usleep(5000);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_NOT_FOUND);
	ASSERT_EQ(RatMemRevoke(mem, cap), RAT_STATUS_NOT_FOUND);
	ASSERT_TRUE(RatMapMemory(got) == NULL);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_REVOKED);
	ASSERT_EQ(RatFreeMemory(got), RAT_STATUS_OK);
	ASSERT_EQ(RatFreeMemory(mem), RAT_STATUS_OK);
}
