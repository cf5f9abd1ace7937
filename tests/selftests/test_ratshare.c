// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests: librat's sharing calls (named regions, capabilities,
 * revocation, wait/wake and RatMutex). Placeholder until the tests land.
 */
#include "harness.h"
#include "rat.h"
#include "util.h"

TEST(ratshare_placeholder)
{
	rt_need_ratapi_memory();
}
