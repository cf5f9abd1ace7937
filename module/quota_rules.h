/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratmem: the arithmetic of quotas. Pure functions, no locks, so they
 * are unit-tested by KUnit (tests/kunit/quota_test.c).
 */
#ifndef RATMEM_QUOTA_RULES_H
#define RATMEM_QUOTA_RULES_H

#include <linux/types.h>

struct ratmem_quota;

bool ratmem_quota_fits(u64 usage, u64 amount, u64 limit);
u64 ratmem_quota_limit_round(unsigned int res, u64 limit);
bool ratmem_quota_raises(const u64 *now, u32 mask, const u64 *limit);
int ratmem_check_quota_args(const struct ratmem_quota *q);

#endif /* RATMEM_QUOTA_RULES_H */
