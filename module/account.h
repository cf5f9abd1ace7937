/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratmem: per-process accounts, their charges and limits (account.c).
 */
#ifndef RATMEM_ACCOUNT_H
#define RATMEM_ACCOUNT_H

#include <linux/mutex.h>
#include <linux/ratmem.h>
#include <linux/refcount.h>
#include <linux/spinlock.h>
#include <linux/types.h>

struct pid;
struct ratmem_region;

/**
 * struct ratmem_acct - what one process uses, and may use
 * @ref: see the ownership rules in ratmem.h.
 * @pid: the thread group, counted.
 * @node: in the table's hash, by @pid.
 * @id: in the table's id array, for dumps.
 * @set_lock: serialises ratmem_acct_set_limits().
 * @lock: protects @usage and @limit.
 * @usage: per RATMEM_RES_*.
 * @limit: per RATMEM_RES_*; RATMEM_LIMIT_NONE for none.
 */
struct ratmem_acct {
	refcount_t ref;
	struct pid *pid;
	struct hlist_node node;
	u32 id;
	struct mutex set_lock; /* one limit change at a time */
	spinlock_t lock; /* protects usage and limit */
	u64 usage[RATMEM_RES_COUNT];
	u64 limit[RATMEM_RES_COUNT];
};

int ratmem_acct_of_current(struct ratmem_acct **out);
struct ratmem_acct *ratmem_acct_find(const struct pid *pid);
struct ratmem_acct *ratmem_acct_next(unsigned long *id);
void ratmem_acct_get(struct ratmem_acct *acct);
void ratmem_acct_put(struct ratmem_acct *acct);
int ratmem_acct_charge(struct ratmem_acct *acct, unsigned int res, u64 amount,
		       const struct ratmem_region *region);
void ratmem_acct_uncharge(struct ratmem_acct *acct, unsigned int res, u64 amount);
void ratmem_acct_read(struct ratmem_acct *acct, u64 *usage, u64 *limit);
int ratmem_acct_set_limits(struct ratmem_acct *acct, u32 mask, const u64 *limit, bool may_raise);

#endif /* RATMEM_ACCOUNT_H */
