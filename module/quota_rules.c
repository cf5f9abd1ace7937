// SPDX-License-Identifier: GPL-2.0
/*
 * ratmem: the arithmetic of quotas (the rules: docs/abi.md, "Quotas and
 * EDQUOT").
 */
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/ratmem.h>

#include "quota_rules.h"

/**
 * ratmem_quota_fits() - may usage grow by @amount under @limit?
 * @usage: what is used now
 * @amount: what is asked for
 * @limit: the limit; RATMEM_LIMIT_NONE never refuses
 *
 * Reaching the limit exactly is allowed. A sum that overflows is over
 * any limit but RATMEM_LIMIT_NONE.
 *
 * Context: any context.
 * Return: true when usage + @amount <= @limit.
 */
bool ratmem_quota_fits(u64 usage, u64 amount, u64 limit)
{
	u64 sum;

	if (limit == RATMEM_LIMIT_NONE)
		return true;
	if (check_add_overflow(usage, amount, &sum))
		return false;
	return sum <= limit;
}

/**
 * ratmem_quota_limit_round() - the limit the module actually keeps
 * @res: RATMEM_RES_*
 * @limit: the limit asked for
 *
 * Byte limits are rounded down to whole pages, since every charge is.
 * RATMEM_LIMIT_NONE and counts are kept as they are.
 *
 * Context: any context.
 * Return: the rounded limit.
 */
u64 ratmem_quota_limit_round(unsigned int res, u64 limit)
{
	if (limit == RATMEM_LIMIT_NONE)
		return limit;
	switch (res) {
	case RATMEM_RES_RESERVED:
	case RATMEM_RES_COMMITTED:
	case RATMEM_RES_SHARED:
		return limit & PAGE_MASK;
	default:
		return limit;
	}
}

/**
 * ratmem_quota_raises() - would setting these limits raise any?
 * @now: the current limits, RATMEM_RES_COUNT values
 * @mask: RATMEM_QUOTA_SET() bits of the limits being set
 * @limit: the new limits (only those in @mask are looked at)
 *
 * Context: any context.
 * Return: true when a limit in @mask would grow.
 */
bool ratmem_quota_raises(const u64 *now, u32 mask, const u64 *limit)
{
	unsigned int res;

	for (res = 0; res < RATMEM_RES_COUNT; res++)
		if ((mask & RATMEM_QUOTA_SET(res)) && limit[res] > now[res])
			return true;
	return false;
}

/**
 * ratmem_check_quota_args() - validate the input of RATMEM_IOC_QUOTA
 * @q: copy of the caller's struct ratmem_quota
 *
 * Context: any context.
 * Return: 0; -EINVAL for unknown @set_mask bits or a non-zero reserved
 * field; -EBADF for a negative pidfd other than -1.
 */
int ratmem_check_quota_args(const struct ratmem_quota *q)
{
	if ((q->set_mask & ~RATMEM_QUOTA_SET_ALL) || q->reserved)
		return -EINVAL;
	if (q->pidfd < -1)
		return -EBADF;
	return 0;
}
