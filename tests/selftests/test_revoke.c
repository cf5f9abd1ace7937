// SPDX-License-Identifier: GPL-2.0
/* Selftests: placeholder while the revoke tests are written. */
#include <sys/ioctl.h>
#include <linux/ratmem.h>

#include "harness.h"
#include "util.h"

/* The module reports the ABI handshake (placeholder, replaced soon). */
TEST(revoke_placeholder_api)
{
	int fd = rt_open_ctx();
	struct ratmem_api a = { .abi_version = RATMEM_ABI_VERSION };

	ASSERT_EQ(ioctl(fd, RATMEM_IOC_API, &a), 0);
	ASSERT_TRUE(a.abi_version >= 1);
}
