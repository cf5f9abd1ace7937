// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests: librat's sealed regions (librat 1.3): RatMemSeal,
 * RatMemGetSeals, and RatMapMemory of a region sealed against writing.
 * The module's own seal tests, grantees and races included, are
 * module/test_seal.c.
 */
#include <signal.h>
#include <stdint.h>
#include <string.h>

#include "harness.h"
#include "mem.h"
#include "rat.h"
#include "util.h"

#define PAGE 4096

static void need_seal(void)
{
	RatApiInfo info;

	rt_need_ratapi_memory();
	ASSERT_EQ(RatQueryApi(&info), RAT_STATUS_OK);
	ASSERT_TRUE(info.features & RATMEM_FEATURE_SEAL);
}

TEST(ratmemseal_adds_and_reports)
{
	HMEM mem;
	uint32_t s = 99;
	unsigned char *p;

	need_seal();
	mem = RatAllocMemory(4 * PAGE);
	ASSERT_TRUE(mem != NULL);
	p = RatMapMemory(mem);
	ASSERT_TRUE(p != NULL);
	memset(p, 0x3a, 4 * PAGE);
	ASSERT_EQ(RatMemGetSeals(mem, &s), RAT_STATUS_OK);
	ASSERT_EQ(s, 0);
	/* Mapped writable: sealing against writing is refused, nothing added. */
	ASSERT_EQ(RatMemSeal(mem, RAT_SEAL_WRITE, &s), RAT_STATUS_BUSY);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_BUSY);
	ASSERT_EQ(RatMemGetSeals(mem, &s), RAT_STATUS_OK);
	ASSERT_EQ(s, 0);
	ASSERT_EQ(RatMemSeal(mem, RAT_SEAL_COMMIT | RAT_SEAL_GRANT_WRITE, &s), RAT_STATUS_OK);
	ASSERT_EQ(s, RAT_SEAL_COMMIT | RAT_SEAL_GRANT_WRITE);
	ASSERT_EQ(RatMemSeal(mem, RAT_SEAL_SEAL, NULL), RAT_STATUS_OK);
	ASSERT_EQ(RatMemSeal(mem, RAT_SEAL_PROTECT, NULL), RAT_STATUS_PERMISSION);
	ASSERT_EQ(RatMemGetSeals(mem, &s), RAT_STATUS_OK);
	ASSERT_EQ(s, RAT_SEAL_COMMIT | RAT_SEAL_GRANT_WRITE | RAT_SEAL_SEAL);
	rt_expect_bytes(p, 4 * PAGE, 0x3a);
	ASSERT_EQ(RatMemSeal(mem, 0x100, NULL), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemSeal(NULL, RAT_SEAL_COMMIT, NULL), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatMemGetSeals(mem, NULL), RAT_STATUS_INVALID_ARG);
	ASSERT_EQ(RatFreeMemory(mem), RAT_STATUS_OK);
}

/* Sealed against writing before it was mapped: RatMapMemory maps read-only. */
TEST(ratmapmemory_of_a_write_sealed_region_is_read_only)
{
	HMEM mem;
	unsigned char *p;
	uint32_t s = 0;

	need_seal();
	mem = RatAllocMemory(2 * PAGE);
	ASSERT_TRUE(mem != NULL);
	ASSERT_EQ(RatMemSeal(mem, RAT_SEAL_WRITE, &s), RAT_STATUS_OK);
	ASSERT_EQ(s, RAT_SEAL_WRITE);
	p = RatMapMemory(mem);
	ASSERT_TRUE(p != NULL);
	ASSERT_EQ(RatGetLastError(), RAT_STATUS_OK);
	rt_expect_bytes(p, 2 * PAGE, 0);
	ASSERT_FAULTS(SIGSEGV, rt_write_byte, p);
	ASSERT_EQ(RatFreeMemory(mem), RAT_STATUS_OK);
}
