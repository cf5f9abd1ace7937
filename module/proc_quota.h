/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratmem: per-process quotas, their charges and limits (proc_quota.c).
 */
#ifndef RATMEM_PROC_QUOTA_H
#define RATMEM_PROC_QUOTA_H

#include <linux/mutex.h>
#include <linux/ratmem.h>
#include <linux/refcount.h>
#include <linux/spinlock.h>
#include <linux/types.h>

struct pid;
struct ratmem_region;

/**
 * struct ratmem_proc_quota - what one process uses, and may use
 * @ref: see the ownership rules in ratmem.h.
 * @pid: the thread group, counted.
 * @node: in the table's hash, by @pid.
 * @id: in the table's id array, for dumps.
 * @set_lock: serialises ratmem_quota_set_limits().
 * @lock: protects @usage and @limit.
 * @usage: per RATMEM_RES_*.
 * @limit: per RATMEM_RES_*; RATMEM_LIMIT_NONE for none.
 */
struct ratmem_proc_quota {
	refcount_t ref;
	struct pid *pid;
	struct hlist_node node;
	u32 id;
	struct mutex set_lock; /* one limit change at a time */
	spinlock_t lock; /* protects usage and limit */
	u64 usage[RATMEM_RES_COUNT];
	u64 limit[RATMEM_RES_COUNT];
};

int ratmem_quota_of_current(struct ratmem_proc_quota **out);
struct ratmem_proc_quota *ratmem_quota_find(const struct pid *pid);
struct ratmem_proc_quota *ratmem_quota_next(unsigned long *id);
void ratmem_quota_get(struct ratmem_proc_quota *quota);
void ratmem_quota_put(struct ratmem_proc_quota *quota);
int ratmem_quota_charge(struct ratmem_proc_quota *quota, unsigned int res, u64 amount,
			const struct ratmem_region *region);
void ratmem_quota_uncharge(struct ratmem_proc_quota *quota, unsigned int res, u64 amount);
void ratmem_quota_read(struct ratmem_proc_quota *quota, u64 *usage, u64 *limit);
int ratmem_quota_set_limits(struct ratmem_proc_quota *quota, u32 mask, const u64 *limit,
			    bool may_raise);

#endif /* RATMEM_PROC_QUOTA_H */
